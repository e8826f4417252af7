#include "devices/StereoImager.h"

#include <algorithm>
#include <cstring>

namespace mixdown {
namespace {

DeviceDescriptor makeDescriptor() {
  DeviceDescriptor d;
  d.id = "mixdown.imager";
  d.name = "Stereo Imager";
  d.kind = DeviceKind::Effect;
  // monoBelow 0 = off; otherwise 20 .. 500 Hz.
  d.params = {makeParam("width", "Width", "", 0, 2, 1, ParamScale::Linear, 20),
              makeParam("monoBelow", "Mono below", "Hz", 0, 500, 0)};
  return d;
}

}  // namespace

const DeviceDescriptor& StereoImager::staticDescriptor() {
  static const DeviceDescriptor d = makeDescriptor();
  return d;
}

StereoImager::StereoImager() : Device(staticDescriptor()) {}

void StereoImager::onPrepare() { width_.prepare(sampleRate(), 20.0); }

void StereoImager::onReset() {
  sideHighPass_.reset();
  designedHz_ = -1.0;
  width_.snap(static_cast<float>(param(kWidth)));
}

void StereoImager::onProcess(const ProcessContext& context) noexcept {
  const int frames = context.frames;
  if (context.inputChannels < 2 || context.outputChannels < 2) {  // mono: nothing to widen
    for (int c = 0; c < context.outputChannels; ++c) {
      if (c < context.inputChannels) std::memmove(context.outputs[c], context.inputs[c], sizeof(float) * static_cast<std::size_t>(frames));
      else std::memset(context.outputs[c], 0, sizeof(float) * static_cast<std::size_t>(frames));
    }
    return;
  }
  width_.setTarget(static_cast<float>(param(kWidth)));
  const double monoBelow = param(kMonoBelow) >= 20.0 ? param(kMonoBelow) : 0.0;
  if (monoBelow != designedHz_) {
    if (monoBelow > 0.0) sideHighPass_.setup(CrossoverSide::HighPass, monoBelow, sampleRate());
    if (designedHz_ <= 0.0) sideHighPass_.reset();
    designedHz_ = monoBelow;
  }
  const float* inL = context.inputs[0];
  const float* inR = context.inputs[1];
  float* outL = context.outputs[0];
  float* outR = context.outputs[1];
  if (monoBelow == 0.0 && !width_.ramping() && width_.current() == 1.0f) {
    if (outL != inL) std::memmove(outL, inL, sizeof(float) * static_cast<std::size_t>(frames));
    if (outR != inR) std::memmove(outR, inR, sizeof(float) * static_cast<std::size_t>(frames));
    return;
  }
  for (int i = 0; i < frames; ++i) {
    const double mid = 0.5 * (static_cast<double>(inL[i]) + inR[i]);
    double side = 0.5 * (static_cast<double>(inL[i]) - inR[i]);
    if (monoBelow > 0.0) side = sideHighPass_.process(side);
    side *= width_.next();
    outL[i] = static_cast<float>(mid + side);
    outR[i] = static_cast<float>(mid - side);
  }
  sideHighPass_.flushTiny();
  for (int c = 2; c < context.outputChannels; ++c) std::memset(context.outputs[c], 0, sizeof(float) * static_cast<std::size_t>(frames));
}

}  // namespace mixdown
