#include "devices/Gate.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "dsp/Dynamics.h"

namespace mixdown {
namespace {

DeviceDescriptor makeDescriptor() {
  DeviceDescriptor d;
  d.id = "mixdown.gate";
  d.name = "Gate / Expander";
  d.kind = DeviceKind::Effect;
  d.gainReductionMeter = true;
  d.params = {makeParam("threshold", "Threshold", "dB", -80, 0, -40),
              makeParam("range", "Range", "dB", 0, 80, 40),
              makeParam("ratio", "Ratio", ":1", 1, 50, 20, ParamScale::Logarithmic),
              makeParam("attack", "Attack", "ms", 0.05, 50, 0.5, ParamScale::Logarithmic),
              makeParam("hold", "Hold", "ms", 0, 500, 20),
              makeParam("release", "Release", "ms", 5, 2000, 100, ParamScale::Logarithmic),
              makeParam("hysteresis", "Hysteresis", "dB", 0, 12, 3)};
  return d;
}

}  // namespace

const DeviceDescriptor& Gate::staticDescriptor() {
  static const DeviceDescriptor d = makeDescriptor();
  return d;
}

Gate::Gate() : Device(staticDescriptor()) {}

void Gate::onReset() {
  open_ = false;
  holdLeft_ = 0;
  gainDb_ = -param(kRange);
  envelope_ = 0.0;
  resting_ = false;  // the attenuation may still have to travel to the closed value
  attenuation_.store(static_cast<float>(param(kRange)));
  openings_.store(0);
}

void Gate::onProcess(const ProcessContext& context) noexcept {
  const int channels = std::min({context.inputChannels, context.outputChannels, kMaxChannels});
  const double sr = sampleRate();
  const double threshold = param(kThreshold), range = param(kRange), ratio = param(kRatio), hysteresis = param(kHysteresis);
  const double attack = timeConstantCoef(param(kAttack), sr), release = timeConstantCoef(param(kRelease), sr);
  const auto hold = static_cast<long long>(param(kHold) * 0.001 * sr);
  // Level: a peak envelope with instant attack and a 5 ms fall, so a sine reads its amplitude.
  const double fall = timeConstantCoef(5.0, sr);
  double deepest = 0.0;
  for (int i = 0; i < context.frames; ++i) {
    double peak = 0.0;
    for (int c = 0; c < channels; ++c) peak = std::max(peak, static_cast<double>(std::fabs(context.inputs[c][i])));
    envelope_ = std::max(peak, envelope_ * fall);
    if (envelope_ < 1e-12) envelope_ = 0.0;  // -240 dB: exact zero rather than a subnormal tail
    const double level = envelope_ > 1e-9 ? 20.0 * std::log10(envelope_) : -180.0;
    if (!open_ && level > threshold) {
      open_ = true;
      openings_.fetch_add(1, std::memory_order_relaxed);
    }
    if (open_) {
      if (level >= threshold - hysteresis) holdLeft_ = hold;
      else if (holdLeft_ > 0) --holdLeft_;
      else open_ = false;
    }
    // Target attenuation: none while open; below the threshold, downward expansion limited by the range.
    const double target = open_ ? 0.0 : std::max(-range, std::min(0.0, (level - threshold) * (ratio - 1.0)));
    gainDb_ = target + (gainDb_ - target) * (target > gainDb_ ? attack : release);
    if (std::fabs(gainDb_ - target) < 1e-9) gainDb_ = target;  // arrived: no subnormal approach
    deepest = std::max(deepest, -gainDb_);
    const double g = std::pow(10.0, gainDb_ / 20.0);
    for (int c = 0; c < channels; ++c) context.outputs[c][i] = static_cast<float>(context.inputs[c][i] * g);
  }
  for (int c = channels; c < context.outputChannels; ++c)
    std::memset(context.outputs[c], 0, sizeof(float) * static_cast<std::size_t>(context.frames));
  // At rest: the last sample was silence (envelope zero), the gate closed and the attenuation arrived,
  // so silence in changes nothing more.
  const double restTarget = std::max(-range, std::min(0.0, (-180.0 - threshold) * (ratio - 1.0)));
  resting_ = !open_ && envelope_ == 0.0 && gainDb_ == restTarget;
  attenuation_.store(static_cast<float>(-gainDb_), std::memory_order_relaxed);
  reportGainReduction(static_cast<float>(deepest));
}

}  // namespace mixdown
