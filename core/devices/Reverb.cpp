#include "devices/Reverb.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace mixdown {
namespace {

// Base line lengths (ms) at size 1: mutually prime-ish so the echoes do not pile up.
constexpr double kBaseMs[Reverb::kLines] = {31.3, 37.9, 41.1, 47.3, 53.9, 59.1, 67.7, 73.3};
constexpr double kMaxSize = 2.0;

DeviceDescriptor makeDescriptor() {
  DeviceDescriptor d;
  d.id = "mixdown.reverb";
  d.name = "Reverb";
  d.kind = DeviceKind::Effect;
  d.params = {makeParam("preDelay", "Pre-delay", "ms", 0, 200, 20),
              makeParam("size", "Size", "", 0.3, kMaxSize, 1.0),
              makeParam("decay", "Decay time", "s", 0.2, 20, 2.0, ParamScale::Logarithmic),
              makeParam("damping", "Damping", "%", 0, 100, 30),
              makeParam("width", "Width", "%", 0, 100, 100, ParamScale::Linear, 20),
              makeParam("mix", "Mix", "%", 0, 100, 25, ParamScale::Linear, 20)};
  return d;
}

}  // namespace

const DeviceDescriptor& Reverb::staticDescriptor() {
  static const DeviceDescriptor d = makeDescriptor();
  return d;
}

Reverb::Reverb() : Device(staticDescriptor()) {}

void Reverb::onPrepare() {
  for (int k = 0; k < kLines; ++k) lines_[static_cast<std::size_t>(k)].assign(static_cast<std::size_t>(kBaseMs[k] * kMaxSize * 0.001 * sampleRate()) + 2, 0.0f);
  preDelay_.assign(static_cast<std::size_t>(0.2 * sampleRate()) + 2, 0.0f);
  mix_.prepare(sampleRate(), 20.0);
  width_.prepare(sampleRate(), 20.0);
  quietNeeded_ = static_cast<long long>(preDelay_.size());
  for (const auto& l : lines_) quietNeeded_ = std::max(quietNeeded_, static_cast<long long>(l.size()));
}

void Reverb::configure() noexcept {
  const double sr = sampleRate(), size = param(kSize), decay = param(kDecay), damping = param(kDamping) / 100.0;
  for (int k = 0; k < kLines; ++k) {
    const auto i = static_cast<std::size_t>(k);
    length_[i] = std::clamp(static_cast<int>(std::lround(kBaseMs[k] * size * 0.001 * sr)), 1, static_cast<int>(lines_[i].size()) - 1);
    // -60 dB after `decay` seconds: per pass through a line of length L, 10^(-3 L / (T fs)).
    gain_[i] = static_cast<float>(std::pow(10.0, -3.0 * length_[i] / (decay * sr)));
    damp_[i] = static_cast<float>(0.85 * damping);  // one-pole low-pass coefficient (unity at DC)
  }
  preDelaySamples_ = std::clamp(static_cast<int>(std::lround(param(kPreDelay) * 0.001 * sr)), 0, static_cast<int>(preDelay_.size()) - 1);
  configured_[0] = size, configured_[1] = decay, configured_[2] = param(kDamping), configured_[3] = param(kPreDelay);
}

void Reverb::onReset() {
  for (auto& l : lines_) std::fill(l.begin(), l.end(), 0.0f);
  pos_.fill(0);
  std::fill(preDelay_.begin(), preDelay_.end(), 0.0f);
  preDelayPos_ = 0;
  filterState_.fill(0.0f);
  quietWrites_ = quietNeeded_;  // cleared rings
  filtersQuiet_ = true;
  configure();
  mix_.snap(static_cast<float>(param(kMix) / 100.0));
  width_.snap(static_cast<float>(param(kWidth) / 100.0));
}

void Reverb::onProcess(const ProcessContext& context) noexcept {
  if (param(kSize) != configured_[0] || param(kDecay) != configured_[1] || param(kDamping) != configured_[2] || param(kPreDelay) != configured_[3])
    configure();
  mix_.setTarget(static_cast<float>(param(kMix) / 100.0));
  width_.setTarget(static_cast<float>(param(kWidth) / 100.0));
  const bool stereo = context.inputChannels >= 2 && context.outputChannels >= 2;
  const int preSize = static_cast<int>(preDelay_.size());
  for (int i = 0; i < context.frames; ++i) {
    const float inL = context.inputs[0][i], inR = stereo ? context.inputs[1][i] : inL;
    // Pre-delay on the mono sum.
    const float mono = 0.5f * (inL + inR);
    preDelay_[static_cast<std::size_t>(preDelayPos_)] = mono;
    bool quiet = mono == 0.0f;
    const float in = preDelay_[static_cast<std::size_t>((preDelayPos_ - preDelaySamples_ + preSize) % preSize)];
    preDelayPos_ = (preDelayPos_ + 1) % preSize;
    // Read the lines, damp, and apply the decay gains.
    float out[kLines];
    float sum = 0.0f;
    for (int k = 0; k < kLines; ++k) {
      const auto u = static_cast<std::size_t>(k);
      const int read = (pos_[u] - length_[u] + static_cast<int>(lines_[u].size())) % static_cast<int>(lines_[u].size());
      float v = lines_[u][static_cast<std::size_t>(read)];
      filterState_[u] = v + (filterState_[u] - v) * damp_[u];
      if (std::fabs(filterState_[u]) < 1e-10f) filterState_[u] = 0.0f;
      out[k] = filterState_[u] * gain_[u];
      sum += out[k];
    }
    // Householder feedback (I - 2/N 11^T): lossless and every line feeds every other.
    const float reflect = sum * (2.0f / kLines);
    float wetL = 0.0f, wetR = 0.0f;
    for (int k = 0; k < kLines; ++k) {
      const auto u = static_cast<std::size_t>(k);
      float v = out[k] - reflect + (k % 2 ? -in : in) * 0.5f;
      if (std::fabs(v) < 1e-10f) v = 0.0f;  // 200 dB down: exact zero (no subnormals, no endless tail)
      lines_[u][static_cast<std::size_t>(pos_[u])] = v;
      quiet = quiet && v == 0.0f;
      pos_[u] = (pos_[u] + 1) % static_cast<int>(lines_[u].size());
      (k < kLines / 2 ? wetL : wetR) += out[k] * (k % 2 ? -1.0f : 1.0f);
    }
    quietWrites_ = quiet ? quietWrites_ + 1 : 0;
    wetL *= 0.5f;
    wetR *= 0.5f;
    const float w = width_.next(), m = mix_.next();
    const float mid = 0.5f * (wetL + wetR), side = 0.5f * (wetL - wetR) * w;
    context.outputs[0][i] = inL * (1.0f - m) + (mid + side) * m;
    if (context.outputChannels >= 2) context.outputs[1][i] = inR * (1.0f - m) + (mid - side) * m;
  }
  filtersQuiet_ = true;
  for (float s : filterState_) filtersQuiet_ = filtersQuiet_ && s == 0.0f;
  for (int c = 2; c < context.outputChannels; ++c) std::memset(context.outputs[c], 0, sizeof(float) * static_cast<std::size_t>(context.frames));
}

// Silent rings: the positions move on as process() would move them.
void Reverb::onSkip(int frames) noexcept {
  for (int k = 0; k < kLines; ++k) {
    const auto u = static_cast<std::size_t>(k);
    pos_[u] = static_cast<int>((pos_[u] + static_cast<long long>(frames)) % static_cast<long long>(lines_[u].size()));
  }
  preDelayPos_ = static_cast<int>((preDelayPos_ + static_cast<long long>(frames)) % static_cast<long long>(preDelay_.size()));
  quietWrites_ += frames;
}

}  // namespace mixdown
