// ADSR envelope: linear attack, exponential decay and release (each reaches -60 dB of its distance in
// the set time). Finishes (idle) once the release falls below -100 dB, so tails end and cost nothing.
#pragma once

#include <algorithm>
#include <cmath>

namespace mixdown {

class AdsrEnvelope {
 public:
  enum class Stage { Idle, Attack, Decay, Sustain, Release };

  // Times in ms, sustain as a level 0..1. Audio thread (cheap) or control thread.
  void set(double sampleRate, double attackMs, double decayMs, double sustain, double releaseMs) {
    attackStep_ = static_cast<float>(1.0 / std::max(1.0, attackMs * 0.001 * sampleRate));
    decayCoef_ = coefficient(sampleRate, decayMs);
    releaseCoef_ = coefficient(sampleRate, releaseMs);
    sustain_ = static_cast<float>(std::clamp(sustain, 0.0, 1.0));
  }
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

  float next() {
    switch (stage_) {
      case Stage::Idle: return 0.0f;
      case Stage::Attack:
        level_ += attackStep_;
        if (level_ >= 1.0f) {
          level_ = 1.0f;
          stage_ = Stage::Decay;
        }
        break;
      case Stage::Decay:
        level_ = sustain_ + (level_ - sustain_) * decayCoef_;
        if (level_ - sustain_ < 1e-5f) {
          level_ = sustain_;
          stage_ = Stage::Sustain;
        }
        break;
      case Stage::Sustain: level_ = sustain_; break;
      case Stage::Release:
        level_ *= releaseCoef_;
        if (level_ < 1e-5f) {
          level_ = 0.0f;
          stage_ = Stage::Idle;
        }
        break;
    }
    return level_;
  }

 private:
  static float coefficient(double sampleRate, double ms) {
    // exp(-ln(1000) / samples): the distance shrinks by 60 dB over `ms`.
    double samples = std::max(1.0, ms * 0.001 * sampleRate);
    return static_cast<float>(std::exp(-6.907755278982137 / samples));
  }
  Stage stage_ = Stage::Idle;
  float level_ = 0.0f;
  float attackStep_ = 1.0f, decayCoef_ = 0.0f, releaseCoef_ = 0.0f, sustain_ = 1.0f;
};

}  // namespace mixdown
