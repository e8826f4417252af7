// Compressor ("mixdown.compressor"): feed-forward, stereo-linked; threshold, ratio, soft knee, attack,
// release (time constants), makeup, peak or RMS detection, and an external sidechain (another track's
// signal, routed by the engine) through a sidechain high-pass. Gain reduction is metered.
#pragma once

#include <atomic>

#include "devices/Device.h"
#include "dsp/Biquad.h"
#include "dsp/Dynamics.h"

namespace mixdown {

class Compressor final : public Device {
 public:
  enum Param { kThreshold, kRatio, kKnee, kAttack, kRelease, kMakeup, kDetection, kSidechain, kSidechainHighPass, kMix, kParamCount };
  enum Detection { Peak, Rms };
  static constexpr int kMaxChannels = 2;
  // Any thread.
  static const DeviceDescriptor& staticDescriptor();
  // Control thread.
  Compressor();
  // Any thread: the gain reduction now (dB, >= 0).
  double gainReductionDb() const { return current_.load(std::memory_order_relaxed); }
  // Audio thread: no gain reduction left, no RMS memory, the sidechain filter silent. (A sidechain that is
  // not silent moves the detector: the caller must count it as input.)
  bool idle() const noexcept override {
    return detector_.value == 0.0 && meanSquare_ == 0.0 && sidechainFilter_[0].atRest() && sidechainFilter_[1].atRest() && paramsSeen();
  }

 protected:
  void onPrepare() override;
  void onReset() override;
  void onProcess(const ProcessContext& context) noexcept override;

 private:
  BranchingDetector detector_;  // exact attack and release time constants
  Biquad sidechainFilter_[kMaxChannels];
  double designedHighPass_ = -1.0;
  double meanSquare_ = 0.0;
  std::atomic<float> current_{0.0f};
};

}  // namespace mixdown
