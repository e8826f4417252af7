// Stereo imager ("mixdown.imager"): width in mid/side (0 = mono, 1 = unchanged, 2 = side doubled) and
// "mono below": the side signal under a chosen frequency is removed with a Linkwitz-Riley 24 dB/oct
// high-pass, so bass sits in the centre (vinyl cutting, club systems) while the top keeps its width.
// At width 1 with mono-below off the signal passes untouched.
#pragma once

#include "devices/Device.h"
#include "dsp/LinkwitzRiley.h"
#include "dsp/Smoother.h"

namespace mixdown {

class StereoImager final : public Device {
 public:
  enum Param { kWidth, kMonoBelow, kParamCount };
  // Any thread.
  static const DeviceDescriptor& staticDescriptor();
  // Control thread.
  StereoImager();
  // Audio thread: the side high-pass is silent and the width ramp settled.
  bool idle() const noexcept override { return sideHighPass_.atRest() && !width_.ramping() && paramsSeen(); }

 protected:
  void onPrepare() override;
  void onReset() override;
  void onProcess(const ProcessContext& context) noexcept override;

 private:
  LinkwitzRiley sideHighPass_;
  double designedHz_ = -1.0;
  LinearSmoother width_;
};

}  // namespace mixdown
