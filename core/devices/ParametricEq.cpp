#include "devices/ParametricEq.h"

#include "dsp/Lanes.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstring>
#include <string>

namespace mixdown {
namespace {

const std::vector<std::string>& typeNames() {
  static const std::vector<std::string> names = {"Off",          "Peak",         "Low shelf",    "High shelf",
                                                 "Low cut 12",   "Low cut 24",   "Low cut 48",   "High cut 12",
                                                 "High cut 24",  "High cut 48",  "Notch",        "Band-pass"};
  return names;
}

DeviceDescriptor makeDescriptor() {
  DeviceDescriptor d;
  d.id = "mixdown.eq";
  d.name = "Parametric EQ";
  d.kind = DeviceKind::Effect;
  const double defaultHz[ParametricEq::kBands] = {80, 200, 500, 1000, 2000, 4000, 8000, 12000};
  for (int b = 0; b < ParametricEq::kBands; ++b) {
    const std::string n = std::to_string(b + 1);
    ParamDescriptor type = makeParam(("type" + n).c_str(), ("Band " + n + " type").c_str(), "", 0, ParametricEq::kTypeCount - 1, 0, ParamScale::Choice);
    type.choices = typeNames();
    d.params.push_back(type);
    d.params.push_back(makeParam(("freq" + n).c_str(), ("Band " + n + " frequency").c_str(), "Hz", 20, 20000, defaultHz[b], ParamScale::Logarithmic, 20));
    d.params.push_back(makeParam(("gain" + n).c_str(), ("Band " + n + " gain").c_str(), "dB", -24, 24, 0, ParamScale::Linear, 20));
    d.params.push_back(makeParam(("q" + n).c_str(), ("Band " + n + " Q").c_str(), "", 0.1, 18, 0.707, ParamScale::Logarithmic, 20));
    d.params.push_back(makeParam(("bypass" + n).c_str(), ("Band " + n + " bypass").c_str(), "", 0, 1, 0, ParamScale::Toggle));
  }
  d.params.push_back(makeParam("output", "Output", "dB", -24, 24, 0, ParamScale::Linear, 20));
  return d;
}

}  // namespace

const DeviceDescriptor& ParametricEq::staticDescriptor() {
  static const DeviceDescriptor d = makeDescriptor();
  return d;
}

ParametricEq::ParametricEq() : Device(staticDescriptor()) {}

int ParametricEq::sectionsFor(int type) {
  switch (type) {
    case Off: return 0;
    case LowCut24: case HighCut24: return 2;
    case LowCut48: case HighCut48: return 4;
    default: return 1;
  }
}

BiquadCoefficients ParametricEq::sectionDesign(int type, int section, double hz, double gainDb, double q, double sampleRate) {
  switch (type) {
    case Peak: return rbjDesign(RbjShape::Peak, hz, gainDb, q, sampleRate);
    case LowShelf: return rbjDesign(RbjShape::LowShelf, hz, gainDb, q, sampleRate);
    case HighShelf: return rbjDesign(RbjShape::HighShelf, hz, gainDb, q, sampleRate);
    case Notch: return rbjDesign(RbjShape::Notch, hz, 0, q, sampleRate);
    case BandPass: return rbjDesign(RbjShape::BandPass, hz, 0, q, sampleRate);
    case LowCut12: case LowCut24: case LowCut48:
    case HighCut12: case HighCut24: case HighCut48: {
      // Butterworth: the band's Q is not used (a cut's shape is its slope).
      const bool low = type == LowCut12 || type == LowCut24 || type == LowCut48;
      return rbjDesign(low ? RbjShape::HighPass : RbjShape::LowPass, hz, 0, butterworthQ(sectionsFor(type), section), sampleRate);
    }
    default: return {};
  }
}

double ParametricEq::responseDb(const double* params, double hz, double sampleRate) {
  const std::complex<double> z = std::polar(1.0, -2.0 * 3.14159265358979323846 * hz / sampleRate);
  std::complex<double> h = 1.0;
  for (int b = 0; b < kBands; ++b) {
    const int type = static_cast<int>(params[typeParam(b)]);
    if (params[bypassParam(b)] >= 0.5) continue;
    for (int s = 0; s < sectionsFor(type); ++s) {
      const BiquadCoefficients c = sectionDesign(type, s, params[freqParam(b)], params[gainParam(b)], params[qParam(b)], sampleRate);
      h *= (c.b0 + c.b1 * z + c.b2 * z * z) / (1.0 + c.a1 * z + c.a2 * z * z);
    }
  }
  return 20.0 * std::log10(std::max(std::abs(h), 1e-12)) + params[kOutput];
}

void ParametricEq::onPrepare() {}

void ParametricEq::onReset() {
  for (Band& band : bands_) band.designed = false;  // the rate may have changed
  for (auto& band : s1_) for (auto& section : band) section.fill(0.0);
  for (auto& band : s2_) for (auto& section : band) section.fill(0.0);
  // One-pole glide toward the knobs, per 32-sample step: ~20 ms to 95 % at 48 kHz.
  glideCoef_ = std::exp(-kControlInterval / (0.007 * sampleRate()));
  sampleIndex_ = 0;
  updateCoefficients(true);
}

void ParametricEq::updateCoefficients(bool snap) noexcept {
  const double coef = snap ? 0.0 : glideCoef_;
  const double sr = sampleRate();
  bool layoutChanged = snap;
  updatedAt_ = paramChanges();
  bool settled = true;
  for (int b = 0; b < kBands; ++b) {
    Band& band = bands_[static_cast<std::size_t>(b)];
    const int type = param(bypassParam(b)) >= 0.5 ? Off : static_cast<int>(param(typeParam(b)));
    const double hz = param(freqParam(b));
    if (hz != band.knobHz) {  // log2 only when the knob moved, not every 32 samples
      band.knobHz = hz;
      band.knobOctave = std::log2(hz);
    }
    const double octave = band.knobOctave, gain = param(gainParam(b)), q = param(qParam(b));
    if (type != band.type) {  // a new shape starts from its own settings, with clean state
      band.type = type;
      band.count = sectionsFor(type);
      band.octave = octave, band.gain = gain, band.q = q;
      band.designed = false;
      for (auto& section : s1_[static_cast<std::size_t>(b)]) section.fill(0.0);
      for (auto& section : s2_[static_cast<std::size_t>(b)]) section.fill(0.0);
      layoutChanged = true;
      settled = false;
    } else if (band.octave != octave || band.gain != gain || band.q != q) {
      // Glide; the last step lands exactly (no endless approach through subnormal differences).
      const auto glide = [coef](double& value, double target, double close) {
        value = target + (value - target) * coef;
        if (std::fabs(value - target) < close) value = target;
      };
      glide(band.octave, octave, 1e-6);  // 0.0007 cents
      glide(band.gain, gain, 1e-6);      // 1 micro-dB
      glide(band.q, q, 1e-6 * q);
      band.designed = false;
      settled = false;
    }
    if (band.designed) continue;  // settled: no redesign every 32 samples
    band.designed = true;
    for (int s = 0; s < band.count; ++s)
      coefficients_[static_cast<std::size_t>(b)][static_cast<std::size_t>(s)] = sectionDesign(type, s, std::exp2(band.octave), band.gain, band.q, sr);
  }
  if (layoutChanged) {
    activeCount_ = 0;
    for (int b = 0; b < kBands; ++b)
      for (int s = 0; s < bands_[static_cast<std::size_t>(b)].count; ++s) active_[static_cast<std::size_t>(activeCount_++)] = {b, s};
  }
  if (param(kOutput) != outputKnobDb_ || snap) {
    outputKnobDb_ = param(kOutput);
    outputTarget_ = std::pow(10.0, outputKnobDb_ / 20.0);
  }
  const double target = outputTarget_;
  if (outputGain_ != target) settled = false;
  outputGain_ = target + (outputGain_ - target) * coef;
  if (std::fabs(outputGain_ - target) < 1e-9 * target) outputGain_ = target;
  settled_ = settled;
}

namespace {

// The active sections, in order, over a run of samples (one lane: a mono sample; two: left and right).
// N > 0: that many sections, with their state in registers for the run; N == 0: any count, from memory.
template <int N, typename Lane>
void cascade(const BiquadCoefficients* c, Lane* s1, Lane* s2, int count, Lane* samples, int n) noexcept {
  constexpr int kFixed = N > 0 ? N : 1;
  if constexpr (N > 0) {
    Lane a[kFixed], b[kFixed];
    for (int j = 0; j < N; ++j) a[j] = s1[j], b[j] = s2[j];
    for (int k = 0; k < n; ++k) {
      Lane x = samples[k];
      for (int j = 0; j < N; ++j) {  // Biquad::process, lane by lane
        const Lane y = splat<Lane>(c[j].b0) * x + a[j];
        a[j] = splat<Lane>(c[j].b1) * x - splat<Lane>(c[j].a1) * y + b[j];
        b[j] = splat<Lane>(c[j].b2) * x - splat<Lane>(c[j].a2) * y;
        x = y;
      }
      samples[k] = x;
    }
    for (int j = 0; j < N; ++j) s1[j] = a[j], s2[j] = b[j];
  } else {
    for (int k = 0; k < n; ++k) {
      Lane x = samples[k];
      for (int j = 0; j < count; ++j) {
        const Lane y = splat<Lane>(c[j].b0) * x + s1[j];
        s1[j] = splat<Lane>(c[j].b1) * x - splat<Lane>(c[j].a1) * y + s2[j];
        s2[j] = splat<Lane>(c[j].b2) * x - splat<Lane>(c[j].a2) * y;
        x = y;
      }
      samples[k] = x;
    }
  }
}

template <typename Lane>
Lane lane(double left, double right) {
  if constexpr (sizeof(Lane) == sizeof(double)) return (void)right, left;
  else return Lane{left, right};
}

}  // namespace

template <typename Lane>
void ParametricEq::runSections(Lane* samples, int n) noexcept {
  constexpr int kLanes = static_cast<int>(sizeof(Lane) / sizeof(double));
  constexpr int kMax = kBands * kMaxSections;
  BiquadCoefficients c[kMax];
  Lane s1[kMax], s2[kMax];
  for (int j = 0; j < activeCount_; ++j) {
    const auto [b, s] = active_[static_cast<std::size_t>(j)];
    c[j] = coefficients_[static_cast<std::size_t>(b)][static_cast<std::size_t>(s)];
    const auto& p = s1_[static_cast<std::size_t>(b)][static_cast<std::size_t>(s)];
    const auto& q = s2_[static_cast<std::size_t>(b)][static_cast<std::size_t>(s)];
    s1[j] = lane<Lane>(p[0], p[1]);
    s2[j] = lane<Lane>(q[0], q[1]);
  }
  switch (activeCount_) {
    case 0: break;
    case 1: cascade<1>(c, s1, s2, 1, samples, n); break;
    case 2: cascade<2>(c, s1, s2, 2, samples, n); break;
    case 3: cascade<3>(c, s1, s2, 3, samples, n); break;
    case 4: cascade<4>(c, s1, s2, 4, samples, n); break;
    case 5: cascade<5>(c, s1, s2, 5, samples, n); break;
    case 6: cascade<6>(c, s1, s2, 6, samples, n); break;
    default: cascade<0>(c, s1, s2, activeCount_, samples, n); break;
  }
  for (int j = 0; j < activeCount_; ++j) {
    const auto [b, s] = active_[static_cast<std::size_t>(j)];
    auto& p = s1_[static_cast<std::size_t>(b)][static_cast<std::size_t>(s)];
    auto& q = s2_[static_cast<std::size_t>(b)][static_cast<std::size_t>(s)];
    for (int l = 0; l < kLanes; ++l) {
      if constexpr (kLanes == 1) p[0] = s1[j], q[0] = s2[j];
      else p[static_cast<std::size_t>(l)] = s1[j][l], q[static_cast<std::size_t>(l)] = s2[j][l];
    }
  }
}

void ParametricEq::onProcess(const ProcessContext& context) noexcept {
  const int channels = std::min({context.inputChannels, context.outputChannels, kMaxChannels});
  // Runs between the coefficient updates on the 32-sample grid (counted from reset), each through every
  // active section; both channels side by side when there are two.
  for (int from = 0; from < context.frames;) {
    // Settled and no knob moved since the last update: that update would change nothing (exactly).
    if (sampleIndex_ % kControlInterval == 0 && sampleIndex_ > 0 && !(settled_ && paramChanges() == updatedAt_)) updateCoefficients(false);
    const int n = static_cast<int>(std::min<long long>(context.frames - from, kControlInterval - sampleIndex_ % kControlInterval));
    sampleIndex_ += n;
    // Never a subnormal float out.
    const auto store = [](double y) { return std::fabs(y) < 1e-30 ? 0.0f : static_cast<float>(y); };
    if (channels == 2) {
      Double2 x[kControlInterval];
      for (int k = 0; k < n; ++k) x[k] = Double2{context.inputs[0][from + k], context.inputs[1][from + k]};
      runSections(x, n);
      for (int k = 0; k < n; ++k) {
        const Double2 y = x[k] * splat<Double2>(outputGain_);
        context.outputs[0][from + k] = store(y[0]);
        context.outputs[1][from + k] = store(y[1]);
      }
    } else if (channels == 1) {
      double x[kControlInterval];
      for (int k = 0; k < n; ++k) x[k] = context.inputs[0][from + k];
      runSections(x, n);
      for (int k = 0; k < n; ++k) context.outputs[0][from + k] = store(x[k] * outputGain_);
    }
    from += n;
  }
  // A decaying state is set to exact zero long before it could become subnormal (see Biquad::flushTiny).
  // Only the active sections can hold anything: a band that changes shape or turns off is cleared.
  bool resting = true;
  for (int j = 0; j < activeCount_; ++j) {
    const auto [b, s] = active_[static_cast<std::size_t>(j)];
    for (auto* states : {&s1_, &s2_})
      for (double& v : (*states)[static_cast<std::size_t>(b)][static_cast<std::size_t>(s)]) {
        if (std::fabs(v) < Biquad::kTiny) v = 0.0;
        resting = resting && v == 0.0;
      }
  }
  resting_ = resting;
  for (int c = channels; c < context.outputChannels; ++c)
    std::memset(context.outputs[c], 0, sizeof(float) * static_cast<std::size_t>(context.frames));
}

}  // namespace mixdown
