#include "devices/Compressor.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "dsp/ExpLog.h"
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
  // Below the knee the static curve leaves the level alone: no reduction is wanted, and no logarithm is
  // needed to know it. The key's linear threshold for that (peak, or mean square for RMS) sits a hair
  // (1e-9 relative, 4e-9 dB) under the knee's start, so every key above it is measured in dB as before.
  const double kneeStartDb = knee > 0.0 ? threshold - knee / 2.0 : threshold;
  const double quietKey = (rms ? exp2Fast((kneeStartDb - 3.0103) / 10.0 * 3.32192809488736234787)
                               : dbToGainFast(kneeStartDb)) * (1.0 - 1e-9);
  const double restingGain = mix * dbToGainFast(makeup) + (1.0 - mix);  // the factor while nothing is reduced
  float deepest = 0.0f;
  double reduction = detector_.value;
  // Chunks of kChunk samples in passes: the key (serial only through the sidechain filter and the RMS
  // memory); its level in dB; the detector (the one truly serial recurrence); the gains; then the gains
  // applied to every channel. Each sample sees the same arithmetic as a one-sample-at-a-time loop, so
  // the output bits do not depend on the chunking. The logarithms and the exponentials go four at a time
  // in single precision (log2Fast4, exp2Fast4: no table; two-lane double exp/log with tables ran slower
  // in V8's wasm than one lane, measured), the rest in double.
  constexpr int kChunk = 64;
  alignas(16) float lanes[kChunk];
  double keyLevel[kChunk], level[kChunk], exponent[kChunk], factor[kChunk];
  bool resting[kChunk];
  for (int from = 0; from < context.frames; from += kChunk) {
    const int n = std::min(kChunk, context.frames - from);
    bool anyLoud = false;
    if (!filterKey && !rms && keyChannels > 0) {  // the common key: the peak of the input itself, in a loop of its own
      const float* k0 = key[0] + from;
      const float* k1 = key[keyChannels > 1 ? 1 : 0] + from;
      float loudest = 0.0f;
      for (int j = 0; j < n; ++j) {
        const float peak = std::max(std::fabs(k0[j]), std::fabs(k1[j]));
        keyLevel[j] = peak;
        loudest = std::max(loudest, peak);
      }
      anyLoud = loudest >= quietKey;
    } else {
      for (int j = 0; j < n; ++j) {  // linear: the peak, or the mean square for RMS
        const int i = from + j;
        double peak = 0.0, square = 0.0;
        for (int c = 0; c < keyChannels; ++c) {
          double k = key[c][i];
          if (filterKey) k = sidechainFilter_[c].process(k);
          peak = std::max(peak, std::fabs(k));
          square = std::max(square, k * k);
        }
        if (rms) {
          meanSquare_ = rmsCoef * meanSquare_ + (1.0 - rmsCoef) * square;
          if (meanSquare_ < 1e-30) meanSquare_ = 0.0;  // exact zero rather than a subnormal tail
          keyLevel[j] = meanSquare_;
        } else {
          keyLevel[j] = peak;
        }
        anyLoud = anyLoud || keyLevel[j] >= quietKey;
      }
    }
    if (!anyLoud && reduction == 0.0) {  // at rest through the chunk: every factor is the resting one
      for (int c = 0; c < channels; ++c) {
        const float* in = context.inputs[c] + from;
        float* out = context.outputs[c] + from;
        for (int j = 0; j < n; ++j) out[j] = static_cast<float>(in[j] * restingGain);
      }
      continue;
    }
    if (anyLoud) {
      // Levels in dB (used only where the key is over quietKey, itself over the old -180 dB floors of 1e-9
      // and 1e-18). A sine's RMS reads its peak (+3.0103 dB).
      for (int j = 0; j < n; ++j) lanes[j] = static_cast<float>(keyLevel[j]);
      mapFloat4(lanes, n, 1.0f, [](Float4 x) { return log2Fast4(x); });
      for (int j = 0; j < n; ++j) level[j] = kDbPerOctave * lanes[j];
      if (rms)
        for (int q = 0; q < n; ++q) level[q] = 0.5 * level[q] + 3.0103;
    }
    bool anyMoving = false;
    for (int j = 0; j < n; ++j) {
      const bool loud = keyLevel[j] >= quietKey;
      resting[j] = !loud && reduction == 0.0;  // at rest: the detector stays at exact zero
      if (resting[j]) {
        exponent[j] = 0.0;
        continue;
      }
      const double wanted = loud ? level[j] - compressorCurve(level[j], threshold, ratio, knee) : 0.0;
      reduction = detector_.next(wanted, attack, release);
      exponent[j] = (makeup - reduction) * kOctavesPerDb;
      deepest = std::max(deepest, static_cast<float>(reduction));
      anyMoving = true;
    }
    if (anyMoving) {
      for (int j = 0; j < n; ++j) lanes[j] = static_cast<float>(exponent[j]);
      mapFloat4(lanes, n, 0.0f, [](Float4 x) { return exp2Fast4(x); });
      for (int j = 0; j < n; ++j) factor[j] = resting[j] ? restingGain : mix * lanes[j] + (1.0 - mix);
    } else {
      for (int j = 0; j < n; ++j) factor[j] = restingGain;
    }
    for (int c = 0; c < channels; ++c) {
      const float* in = context.inputs[c] + from;
      float* out = context.outputs[c] + from;
      for (int j = 0; j < n; ++j) out[j] = static_cast<float>(in[j] * factor[j]);
    }
  }
  for (int c = channels; c < context.outputChannels; ++c)
    std::memset(context.outputs[c], 0, sizeof(float) * static_cast<std::size_t>(context.frames));
  for (auto& f : sidechainFilter_) f.flushTiny();
  current_.store(static_cast<float>(reduction), std::memory_order_relaxed);
  reportGainReduction(deepest);
}

}  // namespace mixdown
