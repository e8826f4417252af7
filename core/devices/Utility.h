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

 protected:
  void onPrepare() override;
  void onReset() override;
  void onProcess(const ProcessContext& context) noexcept override;

 private:
  LinearSmoother gain_, width_;
};

}  // namespace mixdown
