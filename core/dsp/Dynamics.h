// Building blocks of the dynamics devices: the soft-knee compressor curve and two smooth peak detectors
// on the gain reduction (Giannoulis, Massberg & Reiss, "Digital Dynamic Range Compressor Design", JAES 2012).
#pragma once

#include <algorithm>
#include <cmath>

namespace mixdown {

// Output level (dB) for an input level (dB): unity below the knee, 1/ratio above, a quadratic across it.
inline double compressorCurve(double inputDb, double thresholdDb, double ratio, double kneeDb) {
  const double over = inputDb - thresholdDb;
  if (kneeDb > 0.0 && std::fabs(over) <= kneeDb / 2.0) {
    const double d = over + kneeDb / 2.0;
    return inputDb + (1.0 / ratio - 1.0) * d * d / (2.0 * kneeDb);
  }
  return over <= 0.0 ? inputDb : thresholdDb + over / ratio;
}

// One-pole coefficient for a time constant (the step response reaches 1 - 1/e in `ms`).
inline double timeConstantCoef(double ms, double sampleRate) { return std::exp(-1.0 / std::max(1e-3, ms * 0.001 * sampleRate)); }

// Smooth branching peak detector on a gain reduction in dB (>= 0): one pole whose coefficient is the
// attack's while the reduction grows and the release's while it shrinks, so each is exactly its time
// constant (the decoupled form would add the attack to every release).
struct BranchingDetector {
  double value = 0.0;
  void reset() { value = 0.0; }
  double next(double wantedDb, double attackCoef, double releaseCoef) {
    const double coef = wantedDb > value ? attackCoef : releaseCoef;
    value = coef * value + (1.0 - coef) * wantedDb;
    if (value < 1e-12) value = 0.0;  // released: exact zero, never a subnormal tail
    return value;
  }
};

// Smooth decoupled peak detector: peaks are held with the release, then smoothed with the attack. Less
// ripple on low frequencies (gentler on a master bus); a release takes about attack + release.
struct DecoupledDetector {
  double held = 0.0, value = 0.0;
  void reset() { held = value = 0.0; }
  double next(double wantedDb, double attackCoef, double releaseCoef) {
    held = std::max(wantedDb, releaseCoef * held + (1.0 - releaseCoef) * wantedDb);
    value = attackCoef * value + (1.0 - attackCoef) * held;
    if (held < 1e-12) held = 0.0;  // released: exact zeros, never a subnormal tail
    if (value < 1e-12) value = 0.0;
    return value;
  }
};

}  // namespace mixdown
