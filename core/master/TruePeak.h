// True peak (ITU-R BS.1770 Annex 2): the peak of the band-limited waveform between the samples, found by
// oversampling with a polyphase interpolator (the Annex's method: >= 4x at 48 kHz, low-pass, absolute
// value, maximum; the larger of sample and interpolated peak is reported).
// The kernel is a Kaiser-windowed sinc cut off at the input's Nyquist frequency: one continuous function
// sampled at t = k + j/factor, so the input samples are among its points and the points of the meter's 4x
// interpolator are a subset of the limiter's 8x ones (the limiter can never be fooled by the meter).
// The Annex's example 48-tap filter is kept for comparison only (prepareBs1770): on -6 dBFS sines up to
// 0.42 fs it strays by up to 0.22 dB (LoudnessTests prints it); this kernel stays within 0.006 dB.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace mixdown {

class TruePeakInterpolator {
 public:
  // Control thread: windowed sinc, `factor` (1..32) points per input sample, `taps` input samples per point (even).
  void prepare(int factor, int taps);
  // Control thread: the BS.1770 Annex 2 example filter (48 taps, 4 phases; 2 phases at 88.2/96 kHz,
  // none at 176.4 kHz and above). For comparisons; its points sit 1/8, 3/8, 5/8, 7/8 past each sample.
  void prepareBs1770(double sampleRate);
  // Audio thread.
  void reset();
  // Audio thread: takes the next input sample; returns the largest |value| of the waveform at the
  // `factor` points from sample n - latency() (included) up to the next sample (excluded).
  float push(float x) noexcept;
  // Audio thread: like push(), also writes the factor points (`points` holds factor() floats).
  void pushPoints(float x, float* points) noexcept;
  // Any thread after prepare(): delay of the points in input samples.
  int latency() const { return taps_ / 2; }
  int factor() const { return factor_; }

  // The oversampling factor the Annex asks for at this rate: points at least 176.4 kHz apart
  // (4x at 44.1 and 48 kHz, 2x at 88.2 and 96 kHz, 1x at 176.4 and 192 kHz, 6x at 32 kHz).
  static int meterFactor(double sampleRate);

 private:
  void allocate(int factor, int taps);
  void interleave();  // kernel_ from [phase][tap] to [tap][phase], the order pushPoints reads it in
  int factor_ = 1, taps_ = 2;
  std::vector<float> kernel_;   // [tap][phase] once prepared; tap 0 multiplies the newest sample
  std::vector<float> history_;  // twice the taps, so a window is always contiguous
  int pos_ = 0;
};

// Sample and true peak per channel, held until reset. Control thread prepares; audio thread adds.
class TruePeakMeter {
 public:
  static constexpr int kMeterTaps = 16;  // input samples per interpolated point
  void prepare(double sampleRate, int channels);
  void reset();
  // Audio thread: `frames` samples of each channel.
  void add(const float* const* channels, int frames) noexcept;
  // Any thread between adds: linear peaks (max over channels); true peak is never below sample peak.
  float samplePeak() const;
  float truePeak() const;
  float truePeak(int channel) const { return std::max(truePeak_[static_cast<std::size_t>(channel)], samplePeak_[static_cast<std::size_t>(channel)]); }
  int channels() const { return static_cast<int>(interpolators_.size()); }

 private:
  std::vector<TruePeakInterpolator> interpolators_;
  std::vector<float> samplePeak_, truePeak_;
};

}  // namespace mixdown
