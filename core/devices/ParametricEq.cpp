#include "devices/ParametricEq.h"

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
  for (Band& band : bands_) {
    band.designed = false;  // the rate may have changed
    for (auto& ch : band.sections)
      for (Biquad& s : ch) s.reset();
  }
  sampleIndex_ = 0;
  updateCoefficients(true);
}

void ParametricEq::updateCoefficients(bool snap) noexcept {
  // One-pole glide toward the knobs, per 32-sample step: ~20 ms to 95 % at 48 kHz.
  const double coef = snap ? 0.0 : std::exp(-kControlInterval / (0.007 * sampleRate()));
  const double sr = sampleRate();
  for (int b = 0; b < kBands; ++b) {
    Band& band = bands_[static_cast<std::size_t>(b)];
    const int type = param(bypassParam(b)) >= 0.5 ? Off : static_cast<int>(param(typeParam(b)));
    const double octave = std::log2(param(freqParam(b))), gain = param(gainParam(b)), q = param(qParam(b));
    if (type != band.type) {  // a new shape starts from its own settings, with clean state
      band.type = type;
      band.count = sectionsFor(type);
      band.octave = octave, band.gain = gain, band.q = q;
      band.designed = false;
      for (auto& ch : band.sections)
        for (Biquad& s : ch) s.reset();
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
    }
    if (band.designed) continue;  // settled: no redesign every 32 samples
    band.designed = true;
    for (int s = 0; s < band.count; ++s) {
      const BiquadCoefficients c = sectionDesign(type, s, std::exp2(band.octave), band.gain, band.q, sr);
      for (auto& ch : band.sections) ch[static_cast<std::size_t>(s)].setCoefficients(c);
    }
  }
  const double target = std::pow(10.0, param(kOutput) / 20.0);
  outputGain_ = target + (outputGain_ - target) * coef;
  if (std::fabs(outputGain_ - target) < 1e-9 * target) outputGain_ = target;
}

void ParametricEq::onProcess(const ProcessContext& context) noexcept {
  const int channels = std::min({context.inputChannels, context.outputChannels, kMaxChannels});
  for (int i = 0; i < context.frames; ++i) {
    if (sampleIndex_ % kControlInterval == 0 && sampleIndex_ > 0) updateCoefficients(false);
    ++sampleIndex_;
    for (int c = 0; c < channels; ++c) {
      double x = context.inputs[c][i];
      for (Band& band : bands_)
        for (int s = 0; s < band.count; ++s) x = band.sections[static_cast<std::size_t>(c)][static_cast<std::size_t>(s)].process(x);
      const double y = x * outputGain_;
      context.outputs[c][i] = std::fabs(y) < 1e-30 ? 0.0f : static_cast<float>(y);  // never a subnormal float
    }
  }
  for (Band& band : bands_)
    for (auto& channel : band.sections)
      for (Biquad& s : channel) s.flushTiny();
  for (int c = channels; c < context.outputChannels; ++c)
    std::memset(context.outputs[c], 0, sizeof(float) * static_cast<std::size_t>(context.frames));
}

}  // namespace mixdown
