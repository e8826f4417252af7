// Chorus ("mixdown.chorus"): a delay line per channel swept by a sine LFO (left and right a quarter
// cycle apart at full width), read with cubic (Hermite) interpolation; rate, depth, base delay, feedback,
// width and mix.
#pragma once

#include <vector>

#include "devices/Device.h"
#include "dsp/Smoother.h"

namespace mixdown {

class Chorus final : public Device {
 public:
  enum Param { kRate, kDepth, kDelay, kFeedback, kWidth, kMix, kParamCount };
  static const DeviceDescriptor& staticDescriptor();  // any thread
  Chorus();                                           // control thread

 protected:
  void onPrepare() override;
  void onReset() override;
  void onProcess(const ProcessContext& context) noexcept override;

 private:
  std::vector<float> line_[2];
  int pos_ = 0;
  double phase_ = 0.0;  // LFO phase, cycles
  float feedbackState_[2] = {0, 0};
  LinearSmoother depth_, delay_, mix_;
};

}  // namespace mixdown
