// ADSR envelope: linear attack, exponential decay and release (each reaches -60 dB of its distance in
// the set time). Finishes (idle) once the release falls below -100 dB, so tails end and cost nothing.
#pragma once

#include <algorithm>
#include <cmath>

namespace mixdown {

// The shape of an ADSR as per-sample coefficients. Computed once per block and shared by every voice that
// uses it (two exp() per shape, not per voice).
struct AdsrShape {
  float attackStep = 1.0f, decayCoef = 0.0f, releaseCoef = 0.0f, sustain = 1.0f;

  // Times in ms, sustain as a level 0..1. Any thread.
  static AdsrShape make(double sampleRate, double attackMs, double decayMs, double sustain, double releaseMs) {
    AdsrShape s;
    s.attackStep = static_cast<float>(1.0 / std::max(1.0, attackMs * 0.001 * sampleRate));
    s.decayCoef = coefficient(sampleRate, decayMs);
    s.releaseCoef = coefficient(sampleRate, releaseMs);
    s.sustain = static_cast<float>(std::clamp(sustain, 0.0, 1.0));
    return s;
  }

  // The same envelope stepped once every `samples` samples: an envelope that is only read now and then
  // (a filter's, at a synth voice's control steps) costs one step per read instead of one per sample,
  // and its state is on the same grid whatever the block size. The powers are exact repeated squaring
  // (IEEE products: the same bits in every build).
  AdsrShape perStep(int samples) const {
    AdsrShape s = *this;
    s.attackStep = std::min(1.0f, attackStep * static_cast<float>(samples));
    s.decayCoef = power(decayCoef, samples);
    s.releaseCoef = power(releaseCoef, samples);
    return s;
  }

 private:
  static float power(float base, int exponent) {
    float result = 1.0f;
    for (; exponent > 0; exponent >>= 1, base *= base)
      if (exponent & 1) result *= base;
    return result;
  }
  static float coefficient(double sampleRate, double ms) {
    // exp(-ln(1000) / samples): the distance shrinks by 60 dB over `ms`.
    double samples = std::max(1.0, ms * 0.001 * sampleRate);
    return static_cast<float>(std::exp(-6.907755278982137 / samples));
  }
};

// One voice's envelope state; the shape is passed in so voices share it. Audio thread.
class AdsrEnvelope {
 public:
  enum class Stage { Idle, Attack, Decay, Sustain, Release };

  void noteOn() { stage_ = Stage::Attack; }
  void noteOff() {
    if (stage_ != Stage::Idle) stage_ = Stage::Release;
  }
  void reset() {
    stage_ = Stage::Idle;
    level_ = 0.0f;
  }
  bool active() const { return stage_ != Stage::Idle; }
  bool releasing() const { return stage_ == Stage::Release; }
  float level() const { return level_; }

  bool sustaining() const { return stage_ == Stage::Sustain; }

  float next(const AdsrShape& shape) {
    switch (stage_) {
      case Stage::Idle: return 0.0f;
      case Stage::Attack:
        level_ += shape.attackStep;
        if (level_ >= 1.0f) {
          level_ = 1.0f;
          stage_ = Stage::Decay;
        }
        break;
      case Stage::Decay:
        level_ = shape.sustain + (level_ - shape.sustain) * shape.decayCoef;
        if (level_ - shape.sustain < 1e-5f) {
          level_ = shape.sustain;
          stage_ = Stage::Sustain;
        }
        break;
      case Stage::Sustain: level_ = shape.sustain; break;
      case Stage::Release:
        level_ *= shape.releaseCoef;
        if (level_ < 1e-5f) {
          level_ = 0.0f;
          stage_ = Stage::Idle;
        }
        break;
    }
    return level_;
  }

 private:
  Stage stage_ = Stage::Idle;
  float level_ = 0.0f;
};

}  // namespace mixdown
