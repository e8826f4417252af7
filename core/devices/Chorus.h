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
  // Audio thread: both lines written with zeros all round, no feedback left, the ramps settled. The LFO
  // still turns: skip() advances it.
  bool idle() const noexcept override {
    return quietWrites_ >= static_cast<long long>(line_[0].size()) && feedbackState_[0] == 0.0f && feedbackState_[1] == 0.0f &&
           !depth_.ramping() && !delay_.ramping() && !mix_.ramping() && paramsSeen();
  }

 protected:
  void onPrepare() override;
  void onReset() override;
  void onProcess(const ProcessContext& context) noexcept override;
  void onSkip(int frames) noexcept override;

 private:
  std::vector<float> line_[2];
  int pos_ = 0;
  double phase_ = 0.0;  // LFO phase, cycles
  float feedbackState_[2] = {0, 0};
  long long quietWrites_ = 0;  // samples since a non-zero value was last written into a line
  LinearSmoother depth_, delay_, mix_;
};

}  // namespace mixdown
