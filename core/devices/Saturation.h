// Saturation ("mixdown.saturation"): drive into a curve (soft tanh, hard clip, tube-like asymmetric, fold;
// the two with corners also use first-order antiderivative anti-aliasing),
// run at 4x the sample rate so the harmonics the curve makes above Nyquist are filtered away instead of
// folding back as aliases; then a tone low-pass, dry/wet mix and output level. Up-sampling is the
// windowed-sinc interpolator of the true-peak meter (32 taps), down-sampling a 193-tap Kaiser low-pass at
// 0.45 fs (-90 dB from 0.51 fs). Latency: 40 samples (reported; the dry path is delayed to match).
#pragma once

#include <array>
#include <vector>

#include "devices/Device.h"
#include "dsp/Biquad.h"
#include "dsp/Smoother.h"
#include "master/TruePeak.h"

namespace mixdown {

class Saturation final : public Device {
 public:
  enum Param { kDrive, kCurve, kTone, kMix, kOutput, kParamCount };
  enum Curve { Soft, Hard, Tube, Fold };
  static constexpr int kFactor = 4, kUpTaps = 32, kDownTaps = 193, kMaxChannels = 2;
  static constexpr int kLatency = kUpTaps / 2 + (kDownTaps - 1) / 2 / kFactor;  // 40 samples
  static const DeviceDescriptor& staticDescriptor();  // any thread
  Saturation();                                       // control thread
  static double shape(int curve, double x);          // any thread (pure)
  static double antiderivative(int curve, double x);  // any thread (pure): of the hard and fold curves
  // Audio thread: silence in for longer than any ring holds (up-sampler, shaped history, dry delay), the
  // DC blocker and tone filter silent, the ramps settled. Every curve maps 0 to exactly 0.
  bool idle() const noexcept override;

 protected:
  void onPrepare() override;
  void onReset() override;
  void onProcess(const ProcessContext& context) noexcept override;

 private:
  double shapeAntialiased(int curve, double x, double& previous) const;
  std::array<TruePeakInterpolator, kMaxChannels> up_;
  std::array<double, kMaxChannels> previous_{};
  std::vector<float> downKernel_;
  std::array<std::vector<float>, kMaxChannels> history_;  // shaped 4x samples, twice the kernel length
  int historyPos_ = 0;
  std::array<std::vector<float>, kMaxChannels> dry_;
  int dryPos_ = 0;
  Biquad tone_[kMaxChannels], dcBlock_[kMaxChannels];
  double designedTone_ = -1;
  LinearSmoother drive_, mix_, output_;
  long long quietInputs_ = 0;  // consecutive input samples (all channels) that were exactly zero
  // More than every ring holds, in input samples: up-sampler taps, 2 x the 4x history, the dry delay.
  static constexpr long long kQuietNeeded = 2 * (kUpTaps + kDownTaps) + kLatency;
};

}  // namespace mixdown
