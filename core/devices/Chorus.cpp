#include "devices/Chorus.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>

namespace mixdown {
namespace {

DeviceDescriptor makeDescriptor() {
  DeviceDescriptor d;
  d.id = "mixdown.chorus";
  d.name = "Chorus";
  d.kind = DeviceKind::Effect;
  d.params = {makeParam("rate", "Rate", "Hz", 0.05, 5, 0.8, ParamScale::Logarithmic),
              makeParam("depth", "Depth", "ms", 0, 10, 3, ParamScale::Linear, 20),
              makeParam("delay", "Delay", "ms", 1, 30, 12, ParamScale::Linear, 20),
              makeParam("feedback", "Feedback", "%", 0, 70, 0),
              makeParam("width", "Width", "%", 0, 100, 100),
              makeParam("mix", "Mix", "%", 0, 100, 50, ParamScale::Linear, 20)};
  return d;
}

constexpr double kMaxMs = 45.0;  // delay + depth, with room for interpolation

// Cubic Hermite interpolation between b and c (a, d their neighbours), t in [0, 1).
inline float hermite(float a, float b, float c, float d, float t) {
  const float c0 = b, c1 = 0.5f * (c - a), c2 = a - 2.5f * b + 2.0f * c - 0.5f * d, c3 = 0.5f * (d - a) + 1.5f * (b - c);
  return ((c3 * t + c2) * t + c1) * t + c0;
}

}  // namespace

const DeviceDescriptor& Chorus::staticDescriptor() {
  static const DeviceDescriptor d = makeDescriptor();
  return d;
}

Chorus::Chorus() : Device(staticDescriptor()) {}

void Chorus::onPrepare() {
  for (auto& l : line_) l.assign(static_cast<std::size_t>(kMaxMs * 0.001 * sampleRate()) + 8, 0.0f);
  depth_.prepare(sampleRate(), 20.0);
  delay_.prepare(sampleRate(), 20.0);
  mix_.prepare(sampleRate(), 20.0);
}

void Chorus::onReset() {
  for (auto& l : line_) std::fill(l.begin(), l.end(), 0.0f);
  pos_ = 0;
  phase_ = 0.0;
  feedbackState_[0] = feedbackState_[1] = 0.0f;
  quietWrites_ = static_cast<long long>(line_[0].size());
  depth_.snap(static_cast<float>(param(kDepth)));
  delay_.snap(static_cast<float>(param(kDelay)));
  mix_.snap(static_cast<float>(param(kMix) / 100.0));
}

void Chorus::onProcess(const ProcessContext& context) noexcept {
  depth_.setTarget(static_cast<float>(param(kDepth)));
  delay_.setTarget(static_cast<float>(param(kDelay)));
  mix_.setTarget(static_cast<float>(param(kMix) / 100.0));
  const double sr = sampleRate(), rate = param(kRate) / sr;
  const float feedback = static_cast<float>(param(kFeedback) / 100.0);
  const double spread = 0.25 * param(kWidth) / 100.0;  // LFO offset between channels, cycles
  const int size = static_cast<int>(line_[0].size());
  const bool stereo = context.inputChannels >= 2 && context.outputChannels >= 2;
  for (int i = 0; i < context.frames; ++i) {
    const float depthMs = depth_.next(), delayMs = delay_.next(), mix = mix_.next();
    const float in[2] = {context.inputs[0][i], stereo ? context.inputs[1][i] : context.inputs[0][i]};
    bool quiet = true;
    for (int c = 0; c < 2; ++c) {
      auto& line = line_[c];
      const float write = in[c] + feedback * feedbackState_[c];
      line[static_cast<std::size_t>(pos_)] = write;
      quiet = quiet && write == 0.0f;
      const double lfo = std::sin(2.0 * std::numbers::pi * (phase_ + (c ? spread : 0.0)));
      const double samples = std::clamp((delayMs + 0.5 * depthMs * (1.0 + lfo)) * 0.001 * sr, 1.0, static_cast<double>(size - 4));
      const int whole = static_cast<int>(samples);
      const float t = static_cast<float>(samples - whole);
      auto at = [&](int back) { return line[static_cast<std::size_t>((pos_ - back + size) % size)]; };
      // Hermite between the samples `whole` and `whole + 1` back (older is further back).
      const float wet = hermite(at(whole - 1), at(whole), at(whole + 1), at(whole + 2), t);
      feedbackState_[c] = std::fabs(wet) < 1e-20f ? 0.0f : wet;
      if (c < context.outputChannels) context.outputs[c][i] = in[c] * (1.0f - mix) + wet * mix;
    }
    quietWrites_ = quiet ? quietWrites_ + 1 : 0;
    pos_ = (pos_ + 1) % size;
    phase_ += rate;
    if (phase_ >= 1.0) phase_ -= 1.0;
  }
  for (int c = 2; c < context.outputChannels; ++c) std::memset(context.outputs[c], 0, sizeof(float) * static_cast<std::size_t>(context.frames));
}

// The LFO turns on through the silence, sample by sample as process() turns it (the same additions, so
// the same phase bits), and the write position moves on.
void Chorus::onSkip(int frames) noexcept {
  const double rate = param(kRate) / sampleRate();
  for (int i = 0; i < frames; ++i) {
    phase_ += rate;
    if (phase_ >= 1.0) phase_ -= 1.0;
  }
  const int size = static_cast<int>(line_[0].size());
  pos_ = static_cast<int>((pos_ + static_cast<long long>(frames)) % size);
  quietWrites_ += frames;
}

}  // namespace mixdown
