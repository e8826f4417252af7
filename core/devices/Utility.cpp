#include "devices/Utility.h"

#include <algorithm>
#include <cstring>

#include "dsp/Decibels.h"

namespace mixdown {
namespace {
DeviceDescriptor makeDescriptor() {
  DeviceDescriptor d;
  d.id = "mixdown.utility";
  d.name = "Utility";
  d.kind = DeviceKind::Effect;
  d.params = {makeParam("gain", "Gain", "dB", -60, 24, 0, ParamScale::Linear, 20),
              makeParam("width", "Width", "", 0, 2, 1, ParamScale::Linear, 20),
              makeParam("invertLeft", "Invert left", "", 0, 1, 0, ParamScale::Toggle),
              makeParam("invertRight", "Invert right", "", 0, 1, 0, ParamScale::Toggle),
              makeParam("mono", "Mono", "", 0, 1, 0, ParamScale::Toggle)};
  return d;
}
}  // namespace

const DeviceDescriptor& Utility::staticDescriptor() {
  static const DeviceDescriptor d = makeDescriptor();
  return d;
}

Utility::Utility() : Device(staticDescriptor()) {}

void Utility::onPrepare() {
  gain_.prepare(sampleRate(), 20.0);
  width_.prepare(sampleRate(), 20.0);
}

void Utility::onReset() {
  gain_.snap(param(kGain) <= -60.0 ? 0.0f : dbToGain(param(kGain)));
  width_.snap(static_cast<float>(param(kWidth)));
}

void Utility::onProcess(const ProcessContext& context) noexcept {
  gain_.setTarget(param(kGain) <= -60.0 ? 0.0f : dbToGain(param(kGain)));
  width_.setTarget(static_cast<float>(param(kWidth)));
  const float signL = param(kInvertLeft) >= 0.5 ? -1.0f : 1.0f, signR = param(kInvertRight) >= 0.5 ? -1.0f : 1.0f;
  const bool mono = param(kMono) >= 0.5;
  if (context.inputChannels < 2 || context.outputChannels < 2) {
    for (int c = 0; c < context.outputChannels; ++c)
      for (int i = 0; i < context.frames; ++i) context.outputs[c][i] = c < context.inputChannels ? context.inputs[c][i] * signL : 0.0f;
    for (int i = 0; i < context.frames && context.outputChannels > 0; ++i) context.outputs[0][i] *= gain_.next();
    return;
  }
  for (int i = 0; i < context.frames; ++i) {
    const float l = context.inputs[0][i] * signL, r = context.inputs[1][i] * signR;
    const float g = gain_.next(), w = mono ? 0.0f : width_.next();
    const float mid = 0.5f * (l + r), side = 0.5f * (l - r) * w;
    const bool plain = w == 1.0f;  // no M/S round trip at unity width: bit-exact pass-through
    context.outputs[0][i] = (plain ? l : mid + side) * g;
    context.outputs[1][i] = (plain ? r : mid - side) * g;
  }
  for (int c = 2; c < context.outputChannels; ++c) std::memset(context.outputs[c], 0, sizeof(float) * static_cast<std::size_t>(context.frames));
}

}  // namespace mixdown
