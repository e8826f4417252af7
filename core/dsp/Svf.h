// Topology-preserving state-variable filter (trapezoidal integration). Stays stable and artefact-free
// when its cutoff moves every few samples, which is why the synthesizer's filter uses it.
#pragma once

#include <algorithm>
#include <cmath>

#include "dsp/Lfo.h"  // sineOfTurns

namespace mixdown {

class StateVariableFilter {
 public:
  // cutoffHz is clamped to [10 Hz, 0.49 fs]; q > 0.
  void setCutoff(double cutoffHz, double q, double sampleRate) {
    // g = tan(pi fc / fs) as sin / cos of fc / (2 fs) turns (at most 0.245: the cosine is never near 0 in
    // relative terms): plain arithmetic, a third of libm's tan, and the same bits in every build. A
    // synth voice sets its filter at every control step while an envelope moves the cutoff.
    const double turns = std::clamp(cutoffHz, 10.0, 0.49 * sampleRate) / (2.0 * sampleRate);
    g_ = static_cast<float>(sineOfTurns(turns) / sineOfTurns(turns + 0.25));
    k_ = static_cast<float>(1.0 / q);
    a1_ = 1.0f / (1.0f + g_ * (g_ + k_));
    a1g_ = a1_ * g_;
    g2_ = 2.0f * g_;
  }
  void reset() { ic1_ = ic2_ = 0.0f; }
  // Takes another filter's cutoff and Q (not its state): a stereo pair's right channel.
  void copyCoefficients(const StateVariableFilter& other) {
    g_ = other.g_;
    k_ = other.k_;
    a1_ = other.a1_;
    a1g_ = other.a1g_;
    g2_ = other.g2_;
  }
  // Audio thread: zeroes a state that decayed below 1e-30 (a filter fed exact silence), so it never
  // reaches subnormal numbers (WebAssembly has no flush-to-zero). Call once per block or control step.
  void flushTiny() {
    if (std::fabs(ic1_) < 1e-30f) ic1_ = 0.0f;
    if (std::fabs(ic2_) < 1e-30f) ic2_ = 0.0f;
  }
  // 1/q, for the band-pass and high-pass mixes below.
  float damping() const { return k_; }
  // One sample through; returns cx x + c1 v1 + c2 v2 with v1 the band-pass state output (gain q at the
  // centre) and v2 the low-pass: (0, 0, 1) low-pass, (0, k, 0) band-pass at 0 dB at its centre,
  // (1, -k, -1) high-pass. The same arithmetic as lowpass() for the low-pass state.
  float mixed(float x, float cx, float c1, float c2) {
    const Outputs o = step(x);
    return cx * x + c1 * o.v1 + c2 * o.v2;
  }
  // One sample through; returns the low-pass output.
  float lowpass(float x) {
    return step(x).v2;
  }

 private:
  // One sample: the band-pass state output v1 and the low-pass v2. Andrew Simper's
  // trapezoidal SVF (v1 = a1 (ic1 + g (x - ic2)), v2 = ic2 + g v1, then ic1 = 2 v1 - ic1, ic2 = 2 v2 - ic2)
  // rearranged so that the next sample waits on fewer dependent operations: v1 = a1 ic1 + a1 g (x - ic2)
  // and ic2 + 2 g v1 for 2 v2 - ic2 (the same filter; it also keeps ic2's small steps at low cutoffs
  // out of a cancellation). Every voice's sample is such a chain, so its length is the synth's speed.
  struct Outputs {
    float v1, v2;
  };
  Outputs step(float x) {
    const float v1 = a1_ * ic1_ + a1g_ * (x - ic2_);
    const float v2 = ic2_ + g_ * v1;
    ic1_ = 2.0f * v1 - ic1_;
    ic2_ = ic2_ + g2_ * v1;
    return {v1, v2};
  }

  float g_ = 0.0f, k_ = 1.0f, a1_ = 1.0f, a1g_ = 0.0f, g2_ = 0.0f;
  float ic1_ = 0.0f, ic2_ = 0.0f;
};

}  // namespace mixdown
