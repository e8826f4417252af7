#include "devices/Saturation.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>

#include "dsp/Decibels.h"
#include "dsp/FastTanh.h"
#include "dsp/RbjFilters.h"

namespace mixdown {
namespace {

DeviceDescriptor makeDescriptor() {
  DeviceDescriptor d;
  d.id = "mixdown.saturation";
  d.name = "Saturation";
  d.kind = DeviceKind::Effect;
  ParamDescriptor curve = makeParam("curve", "Curve", "", 0, 3, 0, ParamScale::Choice);
  curve.choices = {"Soft", "Hard", "Tube", "Fold"};
  d.params = {makeParam("drive", "Drive", "dB", 0, 36, 6, ParamScale::Linear, 20),
              curve,
              makeParam("tone", "Tone", "Hz", 1000, 20000, 20000, ParamScale::Logarithmic),  // 20000: open
              makeParam("mix", "Mix", "%", 0, 100, 100, ParamScale::Linear, 20),
              makeParam("output", "Output", "dB", -24, 6, 0, ParamScale::Linear, 20)};
  return d;
}

const double kTanhQuarter = fastTanh(0.25);

double besselI0(double x) {
  double sum = 1.0, term = 1.0;
  for (int k = 1; k < 60; ++k) {
    term *= (x / (2.0 * k)) * (x / (2.0 * k));
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

}  // namespace

const DeviceDescriptor& Saturation::staticDescriptor() {
  static const DeviceDescriptor d = makeDescriptor();
  return d;
}

Saturation::Saturation() : Device(staticDescriptor()) {}

double Saturation::shape(int curve, double x) {
  switch (curve) {
    case Hard: return std::clamp(x, -1.0, 1.0);
    case Tube: return fastTanh(x + 0.25) - kTanhQuarter;  // asymmetric: even harmonics (DC removed after)
    case Fold: return std::sin(std::numbers::pi / 2 * std::clamp(x, -4.0, 4.0));  // folds back past full scale
    default: return fastTanh(x);
  }
}

double Saturation::antiderivative(int curve, double x) {
  if (curve == Hard) return std::fabs(x) <= 1.0 ? 0.5 * x * x : std::fabs(x) - 0.5;
  const double c = std::clamp(x, -4.0, 4.0);  // Fold: integral of sin(pi/2 x), linear continuation past +-4
  const double at = -2.0 / std::numbers::pi * std::cos(std::numbers::pi / 2 * c);
  return at + (x - c) * std::sin(std::numbers::pi / 2 * c);
}

double Saturation::shapeAntialiased(int curve, double x, double& previous) const {
  // First-order antiderivative anti-aliasing for the curves with corners (hard clip, fold): the mean of
  // the curve between consecutive 4x points, (F(x) - F(x')) / (x - x'). It acts like a half-point
  // (1/8 sample) delay, which the latency does not count.
  const double d = x - previous;
  double y;
  if (std::fabs(d) < 1e-6) y = shape(curve, 0.5 * (x + previous));
  else y = (antiderivative(curve, x) - antiderivative(curve, previous)) / d;
  previous = x;
  return y;
}

void Saturation::onPrepare() {
  for (auto& u : up_) u.prepare(kFactor, kUpTaps);
  // Down-sampling low-pass at the 4x rate: cut-off 0.45 of the base rate, Kaiser beta 9.
  downKernel_.assign(kDownTaps, 0.0f);
  const double fc = 0.45 / kFactor, centre = (kDownTaps - 1) / 2.0, beta = 9.0;
  double sum = 0;
  std::vector<double> k(kDownTaps);
  for (int n = 0; n < kDownTaps; ++n) {
    const double t = n - centre;
    const double sinc = t == 0 ? 2 * fc : std::sin(2 * std::numbers::pi * fc * t) / (std::numbers::pi * t);
    const double r = t / centre;
    k[static_cast<std::size_t>(n)] = sinc * besselI0(beta * std::sqrt(std::max(0.0, 1 - r * r))) / besselI0(beta);
    sum += k[static_cast<std::size_t>(n)];
  }
  for (int n = 0; n < kDownTaps; ++n) downKernel_[static_cast<std::size_t>(n)] = static_cast<float>(k[static_cast<std::size_t>(n)] / sum);
  for (auto& h : history_) h.assign(2 * kDownTaps, 0.0f);
  for (auto& d : dry_) d.assign(kLatency, 0.0f);  // read before write: exactly kLatency samples
  drive_.prepare(sampleRate(), 20.0);
  mix_.prepare(sampleRate(), 20.0);
  output_.prepare(sampleRate(), 20.0);
  setLatency(kLatency);
}

void Saturation::onReset() {
  for (auto& u : up_) u.reset();
  for (auto& h : history_) std::fill(h.begin(), h.end(), 0.0f);
  for (auto& d : dry_) std::fill(d.begin(), d.end(), 0.0f);
  historyPos_ = dryPos_ = 0;
  previous_.fill(0.0);
  quietInputs_ = kQuietNeeded;  // cleared rings
  for (int c = 0; c < kMaxChannels; ++c) {
    tone_[c].reset();
    dcBlock_[c].reset();
    dcBlock_[c].setCoefficients(rbjDesign(RbjShape::HighPass, 5.0, 0, 0.7071, sampleRate()));
  }
  designedTone_ = -1;
  drive_.snap(dbToGain(param(kDrive)));
  mix_.snap(static_cast<float>(param(kMix) / 100.0));
  output_.snap(dbToGain(param(kOutput)));
}

bool Saturation::idle() const noexcept {
  bool filters = true;
  for (int c = 0; c < kMaxChannels; ++c) filters = filters && tone_[c].atRest() && dcBlock_[c].atRest() && previous_[static_cast<std::size_t>(c)] == 0.0;
  return quietInputs_ >= kQuietNeeded && filters && !drive_.ramping() && !mix_.ramping() && !output_.ramping() && paramsSeen();
}

void Saturation::onProcess(const ProcessContext& context) noexcept {
  const int channels = std::min({context.inputChannels, context.outputChannels, kMaxChannels});
  const int curve = static_cast<int>(param(kCurve));
  const double toneHz = param(kTone);
  if (toneHz != designedTone_) {
    for (auto& t : tone_) t.setCoefficients(rbjDesign(RbjShape::LowPass, toneHz, 0, 0.7071, sampleRate()));
    designedTone_ = toneHz;
  }
  const bool toneOn = toneHz < 19999.0;
  drive_.setTarget(dbToGain(param(kDrive)));
  mix_.setTarget(static_cast<float>(param(kMix) / 100.0));
  output_.setTarget(dbToGain(param(kOutput)));
  const int hist = kDownTaps;
  float points[kFactor];
  for (int i = 0; i < context.frames; ++i) {
    const float drive = drive_.next(), mix = mix_.next(), out = output_.next();
    bool quiet = true;
    for (int c = 0; c < channels; ++c) {
      const float x = context.inputs[c][i];
      quiet = quiet && x == 0.0f;
      auto& h = history_[static_cast<std::size_t>(c)];
      up_[static_cast<std::size_t>(c)].pushPoints(x * drive, points);
      double y = 0.0;
      // The four points shaped first, side by side (independent: the CPU overlaps them), then stored.
      float shaped[kFactor];
      if (curve == Hard || curve == Fold)
        for (int j = 0; j < kFactor; ++j) shaped[j] = static_cast<float>(shapeAntialiased(curve, points[j], previous_[static_cast<std::size_t>(c)]));
      else
        for (int j = 0; j < kFactor; ++j) shaped[j] = static_cast<float>(shape(curve, points[j]));
      for (int j = 0; j < kFactor; ++j) {
        const float s = shaped[j];
        const int at = (historyPos_ + j) % hist;
        h[static_cast<std::size_t>(at)] = h[static_cast<std::size_t>(at + hist)] = s;
        if (j == 0) {
          // The decimated output on the input's sample grid: after point 0 (which sits on a sample).
          // Eight partial float sums: independent additions (vector registers where there are some) rather
          // than one 193-long dependent chain; float keeps the error near 1e-7 of full scale, under the
          // -60 dB the anti-aliasing promises by far.
          const float* window = h.data() + at + 1;  // oldest .. newest (= s)
          const float* kernel = downKernel_.data();
          float part[8] = {};
          int k = 0;
          for (; k + 8 <= kDownTaps; k += 8)
            for (int q = 0; q < 8; ++q) part[q] += kernel[k + q] * window[k + q];
          for (; k < kDownTaps; ++k) part[0] += kernel[k] * window[k];
          y = static_cast<double>(((part[0] + part[1]) + (part[2] + part[3])) + ((part[4] + part[5]) + (part[6] + part[7])));
        }
      }
      if (curve == Tube) y = dcBlock_[c].process(y);
      if (toneOn) y = tone_[c].process(y);
      auto& dry = dry_[static_cast<std::size_t>(c)];
      const float delayedDry = dry[static_cast<std::size_t>(dryPos_)];
      dry[static_cast<std::size_t>(dryPos_)] = x;
      context.outputs[c][i] = (delayedDry * (1.0f - mix) + static_cast<float>(y) * mix) * out;
    }
    quietInputs_ = quiet ? quietInputs_ + 1 : 0;
    historyPos_ = (historyPos_ + kFactor) % hist;
    dryPos_ = (dryPos_ + 1) % kLatency;
  }
  for (int c = 0; c < kMaxChannels; ++c) {
    dcBlock_[c].flushTiny();
    tone_[c].flushTiny();
  }
  for (int c = channels; c < context.outputChannels; ++c) std::memset(context.outputs[c], 0, sizeof(float) * static_cast<std::size_t>(context.frames));
}

}  // namespace mixdown
