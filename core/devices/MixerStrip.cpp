#include "devices/MixerStrip.h"

#include <algorithm>
#include <cmath>

#include "dsp/Decibels.h"

namespace mixdown {
namespace {
constexpr double kPi = 3.14159265358979323846;

DeviceDescriptor makeDescriptor() {
  DeviceDescriptor d;
  d.id = "mixdown.strip";
  d.name = "Mixer Strip";
  d.kind = DeviceKind::Effect;
  d.params = {makeParam("gain", "Gain", "dB", -144, 24, 0, ParamScale::Linear, 20),
              makeParam("pan", "Pan", "", -1, 1, 0, ParamScale::Linear, 20),
              makeParam("mute", "Mute", "", 0, 1, 0, ParamScale::Toggle, 5),
              makeParam("solo", "Solo", "", 0, 1, 0, ParamScale::Toggle, 5)};
  return d;
}
}  // namespace

const DeviceDescriptor& MixerStrip::staticDescriptor() {
  static const DeviceDescriptor d = makeDescriptor();
  return d;
}

MixerStrip::MixerStrip() : Device(staticDescriptor()) {}

void MixerStrip::panGains(double pan, bool stereoInput, float& left, float& right) {
  pan = std::clamp(pan, -1.0, 1.0);
  if (!stereoInput) {
    double theta = (pan + 1.0) * kPi / 4.0;  // 0 .. pi/2
    left = static_cast<float>(std::cos(theta));
    right = static_cast<float>(std::sin(theta));
  } else {
    left = pan <= 0.0 ? 1.0f : static_cast<float>(std::cos(pan * kPi / 2.0));
    right = pan >= 0.0 ? 1.0f : static_cast<float>(std::cos(-pan * kPi / 2.0));
  }
  // cos(pi/2) is 6e-17, not 0: hard left must be silence on the right.
  if (std::fabs(left) < 1e-7f) left = 0.0f;
  if (std::fabs(right) < 1e-7f) right = 0.0f;
}

void MixerStrip::onPrepare() {
  left_.prepare(sampleRate(), 20.0);
  right_.prepare(sampleRate(), 20.0);
  gate_.prepare(sampleRate(), 5.0);
}

void MixerStrip::targetGains(float& left, float& right) const {
  panGains(param(kPan), stereoInput_, left, right);
  bool audible = param(kMute) < 0.5 && (!soloActive_ || soloed());
  float g = audible ? dbToGain(param(kGain)) : 0.0f;
  left *= g;
  right *= g;
}

void MixerStrip::onReset() {
  processedSolo_ = soloActive_;
  float l, r;
  targetGains(l, r);
  left_.snap(l);
  right_.snap(r);
  gate_.snap(param(kMute) < 0.5 && (!soloActive_ || soloed()) ? 1.0f : 0.0f);
}

void MixerStrip::onProcess(const ProcessContext& ctx) noexcept {
  const bool stereo = stereoInput_ && ctx.inputChannels >= 2;
  processedSolo_ = soloActive_;
  float l, r;
  targetGains(l, r);
  left_.setTarget(l);
  right_.setTarget(r);
  const float* inL = ctx.inputs[0];
  const float* inR = stereo ? ctx.inputs[1] : ctx.inputs[0];
  float* outL = ctx.outputs[0];
  float* outR = ctx.outputs[1];
  const bool audible = param(kMute) < 0.5 && (!soloActive_ || soloed());
  gate_.setTarget(audible ? 1.0f : 0.0f);
  if (autoGainDb_ || autoPan_) {
    const double fixedPan = param(kPan), fixedGain = param(kGain);
    for (int i = 0; i < ctx.frames; ++i) {
      float pl = 1.0f, pr = 1.0f;
      panGains(autoPan_ ? autoPan_[i] : fixedPan, stereo, pl, pr);
      const float g = dbToGain(autoGainDb_ ? autoGainDb_[i] : fixedGain) * gate_.next();
      outL[i] = inL[i] * pl * g;
      outR[i] = inR[i] * pr * g;
    }
    // Keep the ordinary ramps where automation left them, so removing it does not jump.
    left_.snap(l);
    right_.snap(r);
    autoGainDb_ = autoPan_ = nullptr;
    return;
  }
  if (!gate_.ramping() && !left_.ramping() && !right_.ramping()) {  // settled: next() would return these
    const float gl = left_.current(), gr = right_.current();
    for (int i = 0; i < ctx.frames; ++i) {
      outL[i] = inL[i] * gl;
      outR[i] = inR[i] * gr;
    }
    return;
  }
  for (int i = 0; i < ctx.frames; ++i) {
    gate_.next();
    float gl = left_.next(), gr = right_.next();
    float a = inL[i], b = inR[i];
    outL[i] = a * gl;
    outR[i] = b * gr;
  }
}

}  // namespace mixdown
