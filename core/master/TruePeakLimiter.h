// True-peak limiter ("mixdown.limiter"): look-ahead, stereo-linked (all channels share one gain), ceiling in
// dBTP, manual or automatic release, latency reported for delay compensation.
//
// Why it holds the ceiling. For every sample q the detector finds the largest |value| of the waveform on
// both sides of q (8x oversampled, a windowed-sinc kernel whose points include the BS.1770 meter's 4x
// points) and the gain r[q] that brings it to the ceiling. The applied gain is
//   s[q] = mean over D+1 samples of env, env = release(min over D+1 samples of r),
// and it multiplies the sample q - D. Every term of that mean is <= r[q - D], so the sample and both
// intervals next to it are at or under the ceiling; what is left is the small spread a smooth gain adds
// to the waveform, covered by a 0.02 dB margin. Measured: see LimiterTests (our meter never reads above the
// ceiling; 16x / 32-tap oversampling reads at most a few hundredths of a dB above it).
//
// Release: the gain recovers exponentially toward what the programme allows. Automatic release scales the
// release time from 0.3x (short transients: no audible hold) to 3x (long gain reduction: no pumping) by a
// 1 s average of the gain reduction (full scaling at 6 dB).
#pragma once

#include <atomic>
#include <vector>

#include "devices/Device.h"
#include "dsp/Smoother.h"
#include "master/TruePeak.h"

namespace mixdown {

class TruePeakLimiter final : public Device {
 public:
  enum Param { kCeiling, kRelease, kAutoRelease, kInputGain, kLookahead, kParamCount };
  static constexpr int kMaxChannels = 8;
  static constexpr int kDetectorFactor = 8;
  static constexpr int kDetectorTaps = 32;
  static constexpr double kMarginDb = 0.02;

  // Any thread.
  static const DeviceDescriptor& staticDescriptor();
  // Control thread.
  TruePeakLimiter();
  // Audio thread: silence in, with the gain standing still, for longer than every ring holds (twice the
  // box filter, so its exact re-sum has run); no gain reduction left in the 1 s average (it is flushed
  // to exact zero under a micro-dB); the input gain ramp settled.
  bool idle() const noexcept override {
    return quietRun_ >= quietNeeded_ && grAverageDb_ == 0.0 && !inputGain_.ramping() && paramsSeen();
  }

 protected:
  void onPrepare() override;  // reads the look-ahead (it sets the latency)
  void onReset() override;
  void onProcess(const ProcessContext& context) noexcept override;
  void onSkip(int frames) noexcept override;

 private:
  void controlStep(double releaseMsSetting, bool autoRelease) noexcept;

 private:
  int lookahead_ = 0;     // D, samples
  int detectorDelay_ = 0; // G, samples
  std::vector<TruePeakInterpolator> detectors_, meterDetectors_;
  std::vector<double> meterPeakDelay_;  // aligns the meter kernel's shorter latency with the fine one's
  int meterPeakPos_ = 0;
  std::vector<float> delay_;  // kMaxChannels rings of (G + D + 1) samples
  int delayLength_ = 1, delayPos_ = 0;
  // Min-hold of r over D+1 samples: a monotonic queue in a fixed ring (values and their sample index).
  std::vector<double> minValue_;
  std::vector<long long> minIndex_;
  int minHead_ = 0, minSize_ = 0;
  long long sampleIndex_ = 0;
  // Box filter of env over D+1 samples.
  std::vector<double> box_;
  int boxPos_ = 0;
  double boxSum_ = 0.0;
  static constexpr int kControlInterval = 32;  // samples between release-time updates
  double env_ = 1.0, previousIntervalPeak_ = 0.0, grAverageDb_ = 0.0, gainSum_ = 0.0, releaseCoef_ = 0.0;
  LinearSmoother inputGain_;
  long long quietRun_ = 0, quietNeeded_ = 0;  // samples of silence in with a steady gain, and the rings' length
  double steadyGain_ = 1.0;                    // the gain of the last sample (what skip() sums)
};

}  // namespace mixdown
