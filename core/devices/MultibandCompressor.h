// Multiband compressor ("mixdown.multiband") for the master chain: 3 or 4 bands split by Linkwitz-Riley
// 24 dB/oct crossovers with all-pass compensation, so the bands sum flat (within 0.01 dB, tested) when
// they do nothing. Each band: threshold, ratio, makeup gain; shared knee, attack and release. The
// detector is stereo-linked peak, the gain computer the usual soft-knee curve, smoothed in dB.
#pragma once

#include <array>
#include <atomic>

#include "devices/Device.h"
#include "dsp/Dynamics.h"
#include "dsp/LinkwitzRiley.h"

namespace mixdown {

class MultibandCompressor final : public Device {
 public:
  static constexpr int kMaxBands = 4;
  static constexpr int kMaxChannels = 2;
  // Parameter indices: bands, the three crossovers, attack, release, knee, then per band
  // threshold, ratio, gain (band b at kFirstBandParam + 3 b).
  enum Param { kBands, kCrossover1, kCrossover2, kCrossover3, kAttack, kRelease, kKnee, kFirstBandParam };
  static int thresholdParam(int band) { return kFirstBandParam + 3 * band; }
  static int ratioParam(int band) { return kFirstBandParam + 3 * band + 1; }
  static int gainParam(int band) { return kFirstBandParam + 3 * band + 2; }

  // Any thread.
  static const DeviceDescriptor& staticDescriptor();
  // Control thread.
  MultibandCompressor();
  // Any thread: deepest gain reduction (dB, >= 0) of a band since the last call.
  double takeGainReductionDb(int band);
  // Any thread (pure): the static curve, output level for an input level (dB).
  static double staticCurve(double inputDb, double thresholdDb, double ratio, double kneeDb);
  // Audio thread: every crossover filter silent and every band's detector released to exact zero.
  bool idle() const noexcept override;

 protected:
  void onPrepare() override;
  void onReset() override;
  void onProcess(const ProcessContext& context) noexcept override;

 private:
  void design(int bands, double f1, double f2, double f3);
  void resetFilters();
  int bands_ = 0;
  double designed_[3] = {0, 0, 0};
  // Per channel: the split network (see the .cpp for its shape).
  struct Split {
    LinkwitzRiley lowA, highA, lowB, highB, lowC, highC, allPassB, allPassC;
  };
  std::array<Split, kMaxChannels> split_{};
  std::array<DecoupledDetector, kMaxBands> detectors_{};  // gain reduction per band (dB, >= 0)
  std::array<std::atomic<float>, kMaxBands> maxReduction_{};
};

}  // namespace mixdown
