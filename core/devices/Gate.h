// Gate / expander ("mixdown.gate"): below the threshold the signal is expanded downward by the ratio
// (a high ratio gates), never by more than the range; it opens when the level rises above the threshold
// and closes only when it falls below threshold - hysteresis (no chatter on a signal at the threshold),
// after the hold time. Attack and release are time constants of the gain in dB.
#pragma once

#include <atomic>

#include "devices/Device.h"

namespace mixdown {

class Gate final : public Device {
 public:
  enum Param { kThreshold, kRange, kRatio, kAttack, kHold, kRelease, kHysteresis, kParamCount };
  static constexpr int kMaxChannels = 2;
  // Any thread.
  static const DeviceDescriptor& staticDescriptor();
  // Control thread.
  Gate();
  // Any thread: the attenuation now (dB, >= 0), and how many times the gate has opened since reset.
  double attenuationDb() const { return attenuation_.load(std::memory_order_relaxed); }
  int openings() const { return openings_.load(std::memory_order_relaxed); }
  // Audio thread: closed, the level envelope at zero and the attenuation arrived where silence puts it.
  bool idle() const noexcept override { return resting_ && paramsSeen(); }

 protected:
  void onPrepare() override {}
  void onReset() override;
  void onProcess(const ProcessContext& context) noexcept override;

 private:
  bool open_ = false;
  long long holdLeft_ = 0;
  double gainDb_ = 0.0;  // current attenuation, dB (<= 0)
  double envelope_ = 0.0;
  bool resting_ = false;  // set at the end of each block
  std::atomic<float> attenuation_{0.0f};
  std::atomic<int> openings_{0};
};

}  // namespace mixdown
