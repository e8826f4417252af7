#include "devices/Compressor.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "dsp/RbjFilters.h"

namespace mixdown {
namespace {

DeviceDescriptor makeDescriptor() {
  DeviceDescriptor d;
  d.id = "mixdown.compressor";
  d.name = "Compressor";
  d.kind = DeviceKind::Effect;
  d.gainReductionMeter = true;
  ParamDescriptor detection = makeParam("detection", "Detection", "", 0, 1, 0, ParamScale::Choice);
  detection.choices = {"Peak", "RMS"};
  d.params = {makeParam("threshold", "Threshold", "dB", -60, 0, -18),
              makeParam("ratio", "Ratio", ":1", 1, 20, 4, ParamScale::Logarithmic),
              makeParam("knee", "Knee", "dB", 0, 24, 6),
              makeParam("attack", "Attack", "ms", 0.05, 200, 10, ParamScale::Logarithmic),
              makeParam("release", "Release", "ms", 5, 2000, 100, ParamScale::Logarithmic),
              makeParam("makeup", "Makeup", "dB", 0, 24, 0, ParamScale::Linear, 20),
              detection,
              makeParam("sidechain", "External sidechain", "", 0, 1, 0, ParamScale::Toggle),
              makeParam("sidechainHighPass", "Sidechain high-pass", "Hz", 0, 500, 0),
              makeParam("mix", "Mix", "%", 0, 100, 100, ParamScale::Linear, 20)};
  return d;
}

constexpr double kRmsWindowMs = 10.0;  // RMS detection: mean square over a 10 ms time constant

}  // namespace

const DeviceDescriptor& Compressor::staticDescriptor() {
  static const DeviceDescriptor d = makeDescriptor();
  return d;
}

Compressor::Compressor() : Device(staticDescriptor()) {}

void Compressor::onPrepare() {}

void Compressor::onReset() {
  detector_.reset();
  for (auto& f : sidechainFilter_) f.reset();
  designedHighPass_ = -1.0;
  meanSquare_ = 0.0;
  current_.store(0.0f);
}

void Compressor::onProcess(const ProcessContext& context) noexcept {
  const int channels = std::min({context.inputChannels, context.outputChannels, kMaxChannels});
  const double sr = sampleRate();
  const double threshold = param(kThreshold), ratio = param(kRatio), knee = param(kKnee);
  const double attack = timeConstantCoef(param(kAttack), sr), release = timeConstantCoef(param(kRelease), sr);
  const double makeup = param(kMakeup), mix = param(kMix) / 100.0;
  const bool rms = param(kDetection) >= 0.5;
  const double rmsCoef = timeConstantCoef(kRmsWindowMs, sr);
  // The key: the external sidechain when asked for and routed, else the input itself.
  const bool external = param(kSidechain) >= 0.5 && context.sidechain && context.sidechainChannels > 0;
  const float* const* key = external ? context.sidechain : context.inputs;
  const int keyChannels = std::min(external ? context.sidechainChannels : channels, kMaxChannels);
  const double highPass = param(kSidechainHighPass);
  if (highPass != designedHighPass_) {
    if (highPass >= 20.0)
      for (auto& f : sidechainFilter_) f.setCoefficients(rbjDesign(RbjShape::HighPass, highPass, 0, 0.7071, sr));
    designedHighPass_ = highPass;
  }
  const bool filterKey = highPass >= 20.0;
  float deepest = 0.0f;
  double reduction = detector_.value;
  for (int i = 0; i < context.frames; ++i) {
    double peak = 0.0, square = 0.0;
    for (int c = 0; c < keyChannels; ++c) {
      double k = key[c][i];
      if (filterKey) k = sidechainFilter_[c].process(k);
      peak = std::max(peak, std::fabs(k));
      square = std::max(square, k * k);
    }
    double level;
    if (rms) {
      meanSquare_ = rmsCoef * meanSquare_ + (1.0 - rmsCoef) * square;
      if (meanSquare_ < 1e-30) meanSquare_ = 0.0;  // exact zero rather than a subnormal tail
      level = meanSquare_ > 1e-18 ? 10.0 * std::log10(meanSquare_) + 3.0103 : -180.0;  // a sine's RMS reads its peak
    } else {
      level = peak > 1e-9 ? 20.0 * std::log10(peak) : -180.0;
    }
    const double wanted = level - compressorCurve(level, threshold, ratio, knee);
    reduction = detector_.next(wanted, attack, release);
    const double g = std::pow(10.0, (makeup - reduction) / 20.0);
    for (int c = 0; c < channels; ++c) {
      const double x = context.inputs[c][i];
      context.outputs[c][i] = static_cast<float>(x * (mix * g + (1.0 - mix)));
    }
    deepest = std::max(deepest, static_cast<float>(reduction));
  }
  for (int c = channels; c < context.outputChannels; ++c)
    std::memset(context.outputs[c], 0, sizeof(float) * static_cast<std::size_t>(context.frames));
  for (auto& f : sidechainFilter_) f.flushTiny();
  current_.store(static_cast<float>(reduction), std::memory_order_relaxed);
  reportGainReduction(deepest);
}

}  // namespace mixdown
