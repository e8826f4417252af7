// Loudness per ITU-R BS.1770-4/5 and EBU R128 (Tech 3341 "EBU mode", Tech 3342 loudness range).
//
// Signal path: K-weighting per channel -> squared, weighted by channel, summed -> energy per "hop".
// A hop is 1/40 or so of 100 ms (an exact divisor of the 100 ms step in samples: 120 samples at 48 kHz,
// 105 at 44.1 kHz), so the maximum momentary and short-term loudness are found with a time resolution
// of ~2.5 ms, as Tech 3341 cases 10 and 13 require, while the gating blocks (400 ms, 75 % overlap) and
// the short-term values for the loudness range (3 s, every 100 ms) fall exactly on 100 ms steps.
// Integrated loudness and loudness range are kept in histograms of 0.01 LU bins that also sum the
// blocks' energies, so memory is constant however long the programme is (the meter runs in the
// AudioWorklet) and the gated mean is exact apart from the blocks inside the gate's own bin.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "dsp/Biquad.h"
#include "master/TruePeak.h"

namespace mixdown {

// BS.1770 channel weights for a channel count in the usual file order: 1 mono, 2 L R,
// 5 L R C Ls Rs, 6 L R C LFE Ls Rs (LFE excluded, surrounds x1.41); other counts weigh every channel 1.
std::vector<double> standardChannelWeights(int channels);

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();

class LoudnessMeter {
 public:
  // Control thread: allocates. Sample rates 8 kHz .. 384 kHz (BS.1770 is defined from 32 to 192 kHz).
  void prepare(double sampleRate, const std::vector<double>& channelWeights);
  void prepare(double sampleRate, int channels) { prepare(sampleRate, standardChannelWeights(channels)); }
  // Audio or control thread: forget everything (integrated, range, maxima, peaks).
  void reset() noexcept;
  // Audio thread: never allocates. `channels` holds channelCount() pointers to `frames` samples.
  void add(const float* const* channels, int frames) noexcept;
  // Audio thread: only the maxima of momentary/short-term and the peaks restart (the "reset max" button).
  void resetMaxima() noexcept;

  // Any thread between adds. Loudness in LUFS, -infinity when there is nothing to measure yet.
  double momentary() const;      // last 400 ms
  double shortTerm() const;      // last 3 s
  double integrated() const;     // gated: -70 LUFS absolute, -10 LU relative
  double loudnessRange() const;  // LU, Tech 3342: short-term values, -20 LU relative gate, P95 - P10
  double maxMomentary() const { return maxMomentary_; }
  double maxShortTerm() const { return maxShortTerm_; }
  // dBFS and dBTP of the largest channel; true peak is never below sample peak.
  double samplePeakDb() const;
  double truePeakDb() const;
  // Seconds of audio seen since reset.
  double seconds() const { return static_cast<double>(frames_) / sampleRate_; }
  int channelCount() const { return static_cast<int>(weights_.size()); }
  double sampleRate() const { return sampleRate_; }

  static double loudnessOfEnergy(double meanSquare);  // -0.691 + 10 log10(meanSquare), -inf at 0

 private:
  struct Histogram {
    std::vector<std::uint32_t> count;
    std::vector<double> energy;
    void clear();
    void add(double loudness, double energy);
    double gatedMean(double gateLufs) const;  // mean energy of blocks above the gate
    std::uint64_t total(double gateLufs, double& energySum) const;
    double percentile(double gateLufs, double p) const;  // loudness of the p-quantile block above the gate
  };
  void endHop() noexcept;
  void recomputeWindows() noexcept;

  double sampleRate_ = 48000.0;
  std::vector<double> weights_;
  std::vector<Biquad> shelf_, highPass_;
  int hopFrames_ = 120, hopsPer100ms_ = 40;
  int hopPos_ = 0;
  double hopEnergy_ = 0.0;
  std::vector<double> ring_;  // energies of the last 30 * hopsPer100ms_ hops
  int ringPos_ = 0;
  std::int64_t hops_ = 0, frames_ = 0;
  double sumMomentary_ = 0.0, sumShortTerm_ = 0.0;
  double maxMomentary_ = -kInfinity, maxShortTerm_ = -kInfinity;  // LUFS
  Histogram blocks_, shortTerms_;
  TruePeakMeter peaks_;
};

}  // namespace mixdown
