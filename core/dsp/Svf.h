// Topology-preserving state-variable filter (trapezoidal integration). Stays stable and artefact-free
// when its cutoff moves every few samples, which is why the synthesizer's filter uses it.
#pragma once

#include <algorithm>
#include <cmath>

namespace mixdown {

class StateVariableFilter {
 public:
  // cutoffHz is clamped to [10 Hz, 0.49 fs]; q > 0.
  void setCutoff(double cutoffHz, double q, double sampleRate) {
    const double pi = 3.14159265358979323846;
    double fc = std::clamp(cutoffHz, 10.0, 0.49 * sampleRate);
    g_ = static_cast<float>(std::tan(pi * fc / sampleRate));
    k_ = static_cast<float>(1.0 / q);
    a1_ = 1.0f / (1.0f + g_ * (g_ + k_));
  }
  void reset() { ic1_ = ic2_ = 0.0f; }
  // Takes another filter's cutoff and Q (not its state): a stereo pair's right channel.
  void copyCoefficients(const StateVariableFilter& other) {
    g_ = other.g_;
    k_ = other.k_;
    a1_ = other.a1_;
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
    float v3 = x - ic2_;
    float v1 = a1_ * (ic1_ + g_ * v3);
    float v2 = ic2_ + g_ * v1;
    ic1_ = 2.0f * v1 - ic1_;
    ic2_ = 2.0f * v2 - ic2_;
    return cx * x + c1 * v1 + c2 * v2;
  }
  // One sample through; returns the low-pass output.
  float lowpass(float x) {
    float v3 = x - ic2_;
    float v1 = a1_ * (ic1_ + g_ * v3);
    float v2 = ic2_ + g_ * v1;
    ic1_ = 2.0f * v1 - ic1_;
    ic2_ = 2.0f * v2 - ic2_;
    return v2;
  }

 private:
  float g_ = 0.0f, k_ = 1.0f, a1_ = 1.0f;
  float ic1_ = 0.0f, ic2_ = 0.0f;
};

}  // namespace mixdown
