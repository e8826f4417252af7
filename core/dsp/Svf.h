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
