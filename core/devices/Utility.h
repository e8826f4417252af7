// Utility ("mixdown.utility"): gain, stereo width (M/S), phase invert per channel, mono. Gain and width
// glide over 20 ms.
#pragma once

#include "devices/Device.h"
#include "dsp/Smoother.h"

namespace mixdown {

class Utility final : public Device {
 public:
  enum Param { kGain, kWidth, kInvertLeft, kInvertRight, kMono, kParamCount };
  static const DeviceDescriptor& staticDescriptor();  // any thread
  Utility();                                          // control thread
  // Audio thread: no state but the gain and width ramps; idle once they settled.
  bool idle() const noexcept override { return !gain_.ramping() && !width_.ramping() && paramsSeen(); }

 protected:
  void onPrepare() override;
  void onReset() override;
  void onProcess(const ProcessContext& context) noexcept override;

 private:
  LinearSmoother gain_, width_;
};

}  // namespace mixdown
