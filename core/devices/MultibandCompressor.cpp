#include "devices/MultibandCompressor.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "dsp/Dynamics.h"

namespace mixdown {
namespace {

DeviceDescriptor makeDescriptor() {
  DeviceDescriptor d;
  d.id = "mixdown.multiband";
  d.name = "Multiband Compressor";
  d.kind = DeviceKind::Effect;
  d.gainReductionMeter = true;
  ParamDescriptor bands = makeParam("bands", "Bands", "", 0, 1, 0, ParamScale::Choice);
  bands.choices = {"3 bands", "4 bands"};
  d.params = {bands,
              makeParam("crossover1", "Low crossover", "Hz", 20, 1000, 150, ParamScale::Logarithmic),
              makeParam("crossover2", "Mid crossover", "Hz", 200, 8000, 1500, ParamScale::Logarithmic),
              makeParam("crossover3", "High crossover", "Hz", 1000, 16000, 6000, ParamScale::Logarithmic),
              makeParam("attack", "Attack", "ms", 0.1, 200, 10, ParamScale::Logarithmic),
              makeParam("release", "Release", "ms", 10, 2000, 150, ParamScale::Logarithmic),
              makeParam("knee", "Knee", "dB", 0, 12, 6)};
  const char* names[4] = {"Low", "Low-mid", "High-mid", "High"};
  for (int b = 0; b < MultibandCompressor::kMaxBands; ++b) {
    const std::string n = std::to_string(b + 1);
    d.params.push_back(makeParam(("threshold" + n).c_str(), (std::string(names[b]) + " threshold").c_str(), "dB", -60, 0, -18));
    d.params.push_back(makeParam(("ratio" + n).c_str(), (std::string(names[b]) + " ratio").c_str(), ":1", 1, 20, 2, ParamScale::Logarithmic));
    d.params.push_back(makeParam(("gain" + n).c_str(), (std::string(names[b]) + " gain").c_str(), "dB", -12, 12, 0, ParamScale::Linear, 20));
  }
  return d;
}

}  // namespace

const DeviceDescriptor& MultibandCompressor::staticDescriptor() {
  static const DeviceDescriptor d = makeDescriptor();
  return d;
}

MultibandCompressor::MultibandCompressor() : Device(staticDescriptor()) {
  for (auto& m : maxReduction_) m.store(0.0f);
}

double MultibandCompressor::takeGainReductionDb(int band) {
  if (band < 0 || band >= kMaxBands) return 0.0;
  return maxReduction_[static_cast<std::size_t>(band)].exchange(0.0f);
}

double MultibandCompressor::staticCurve(double x, double t, double ratio, double knee) { return compressorCurve(x, t, ratio, knee); }

void MultibandCompressor::design(int bands, double f1, double f2, double f3) {
  // Keep the crossovers apart (at least half an octave) whatever the knobs say.
  f2 = std::max(f2, f1 * 1.5);
  f3 = std::max(f3, f2 * 1.5);
  const double sr = sampleRate();
  // 3 bands (split A at f1, B at f2):   low = AP_B(LP_A x); mid = LP_B(HP_A x); high = HP_B(HP_A x).
  // 4 bands (A at f2 first, then B at f1 in the low branch, C at f3 in the high branch), with
  //   l = AP_C(LP_A x), h = AP_B(HP_A x): b1 = LP_B l, b2 = HP_B l, b3 = LP_C h, b4 = HP_C h.
  // Either way the sum is a product of all-passes: flat.
  const double a = bands == 4 ? f2 : f1, b = bands == 4 ? f1 : f2;
  for (Split& s : split_) {
    s.lowA.setup(CrossoverSide::LowPass, a, sr);
    s.highA.setup(CrossoverSide::HighPass, a, sr);
    s.lowB.setup(CrossoverSide::LowPass, b, sr);
    s.highB.setup(CrossoverSide::HighPass, b, sr);
    s.allPassB.setup(CrossoverSide::AllPass, b, sr);
    s.lowC.setup(CrossoverSide::LowPass, f3, sr);
    s.highC.setup(CrossoverSide::HighPass, f3, sr);
    s.allPassC.setup(CrossoverSide::AllPass, f3, sr);
  }
  bands_ = bands;
  designed_[0] = f1;
  designed_[1] = f2;
  designed_[2] = f3;
}

void MultibandCompressor::resetFilters() {
  for (Split& s : split_)
    for (LinkwitzRiley* f : {&s.lowA, &s.highA, &s.lowB, &s.highB, &s.lowC, &s.highC, &s.allPassB, &s.allPassC}) f->reset();
}

bool MultibandCompressor::idle() const noexcept {
  for (const Split& s : split_)
    for (const LinkwitzRiley* f : {&s.lowA, &s.highA, &s.lowB, &s.highB, &s.lowC, &s.highC, &s.allPassB, &s.allPassC})
      if (!f->atRest()) return false;
  for (const DecoupledDetector& d : detectors_)
    if (d.held != 0.0 || d.value != 0.0) return false;
  return paramsSeen();
}

void MultibandCompressor::onPrepare() { bands_ = 0; }

void MultibandCompressor::onReset() {
  design(param(kBands) >= 0.5 ? 4 : 3, param(kCrossover1), param(kCrossover2), param(kCrossover3));
  resetFilters();
  for (auto& d : detectors_) d.reset();
}

void MultibandCompressor::onProcess(const ProcessContext& context) noexcept {
  const int channels = std::min({context.inputChannels, context.outputChannels, kMaxChannels});
  const int bands = param(kBands) >= 0.5 ? 4 : 3;
  if (bands != bands_) {
    design(bands, param(kCrossover1), param(kCrossover2), param(kCrossover3));
    resetFilters();
  } else if (param(kCrossover1) != designed_[0] || param(kCrossover2) != designed_[1] || param(kCrossover3) != designed_[2]) {
    design(bands, param(kCrossover1), param(kCrossover2), param(kCrossover3));  // coefficients only: state carries on
  }
  const double sr = sampleRate();
  const double attack = timeConstantCoef(param(kAttack), sr);
  const double release = timeConstantCoef(param(kRelease), sr);
  const double knee = param(kKnee);
  double threshold[kMaxBands], ratio[kMaxBands], makeup[kMaxBands];
  bool neutral[kMaxBands];
  for (int b = 0; b < kMaxBands; ++b) {
    threshold[b] = param(thresholdParam(b));
    ratio[b] = param(ratioParam(b));
    makeup[b] = param(gainParam(b));
    neutral[b] = ratio[b] <= 1.0 && makeup[b] == 0.0;
  }
  float deepest[kMaxBands] = {0, 0, 0, 0};
  for (int i = 0; i < context.frames; ++i) {
    double band[kMaxBands][kMaxChannels] = {};
    for (int c = 0; c < channels; ++c) {
      Split& s = split_[static_cast<std::size_t>(c)];
      const double x = context.inputs[c][i];
      if (bands == 3) {
        band[0][c] = s.allPassB.process(s.lowA.process(x));
        const double h = s.highA.process(x);
        band[1][c] = s.lowB.process(h);
        band[2][c] = s.highB.process(h);
      } else {
        // All-pass each branch at the other branch's crossover before splitting it (filters commute).
        const double l = s.allPassC.process(s.lowA.process(x)), h = s.allPassB.process(s.highA.process(x));
        band[0][c] = s.lowB.process(l);
        band[1][c] = s.highB.process(l);
        band[2][c] = s.lowC.process(h);
        band[3][c] = s.highC.process(h);
      }
    }
    double out[kMaxChannels] = {0, 0};
    for (int b = 0; b < bands; ++b) {
      double g = 1.0;
      if (!neutral[b]) {
        double peak = 0.0;
        for (int c = 0; c < channels; ++c) peak = std::max(peak, std::fabs(band[b][c]));
        const double level = peak > 1e-9 ? 20.0 * std::log10(peak) : -180.0;
        const double wanted = level - staticCurve(level, threshold[b], ratio[b], knee);  // reduction, dB >= 0
        const double r = detectors_[static_cast<std::size_t>(b)].next(wanted, attack, release);
        g = std::pow(10.0, (makeup[b] - r) / 20.0);
        deepest[b] = std::max(deepest[b], static_cast<float>(r));
      }
      for (int c = 0; c < channels; ++c) out[c] += band[b][c] * g;
    }
    for (int c = 0; c < channels; ++c) context.outputs[c][i] = static_cast<float>(out[c]);
  }
  for (Split& s : split_)
    for (LinkwitzRiley* f : {&s.lowA, &s.highA, &s.lowB, &s.highB, &s.lowC, &s.highC, &s.allPassB, &s.allPassC}) f->flushTiny();
  reportGainReduction(*std::max_element(deepest, deepest + kMaxBands));
  for (int b = 0; b < kMaxBands; ++b) raiseTo(maxReduction_[static_cast<std::size_t>(b)], deepest[b]);
}

}  // namespace mixdown
