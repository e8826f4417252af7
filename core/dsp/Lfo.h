// A low-frequency oscillator's shapes, read from a phase in cycles (turns), plus a sine of turns made of
// plain arithmetic. Why not std::sin: the C libraries of the native and the wasm build may round it
// differently in the last place; this polynomial gives the same bits in both (and is accurate to 7e-10).
#pragma once

#include <cmath>
#include <cstdint>

namespace mixdown {

// sin(2 pi t) for any t (turns). t is folded to [-1/4, 1/4] turn (exact: floor and subtractions of
// numbers on the same binade scale), then the Taylor series of sin to a^15, |a| <= pi/2: the remainder is
// below 7e-10.
inline double sineOfTurns(double t) {
  double r = t - std::floor(t + 0.5);  // [-0.5, 0.5)
  if (r > 0.25) r = 0.5 - r;
  else if (r < -0.25) r = -0.5 - r;
  const double a = r * 6.283185307179586476925, a2 = a * a;
  double s = -1.0 / 1307674368000.0;  // -1/15!
  s = s * a2 + 1.0 / 6227020800.0;
  s = s * a2 - 1.0 / 39916800.0;
  s = s * a2 + 1.0 / 362880.0;
  s = s * a2 - 1.0 / 5040.0;
  s = s * a2 + 1.0 / 120.0;
  s = s * a2 - 1.0 / 6.0;
  return a + a * a2 * s;
}

// The LFO's waveform. Every shape runs from -1 to 1 over one cycle; the phase starts at 0 at note-on.
enum class LfoShape {
  Sine,      // starts at 0 rising: smooth vibrato and sweeps
  Triangle,  // starts at 0 rising, linear: an even wobble
  Square,    // +1 for the first half cycle, -1 for the second: trills, gated tremolo
  SawUp,     // -1 rising to +1: ramps up, then drops
  SawDown,   // +1 falling to -1: a decaying-pluck wobble
  Random     // sample and hold: a new value at the start of every cycle, held for the cycle
};

// The shape's value at `phase` in [0, 1) turns; `held` is the Random shape's value for this cycle.
inline double lfoValue(LfoShape shape, double phase, double held) {
  switch (shape) {
    case LfoShape::Sine: return sineOfTurns(phase);
    case LfoShape::Triangle: return phase < 0.25 ? 4.0 * phase : phase < 0.75 ? 2.0 - 4.0 * phase : 4.0 * phase - 4.0;
    case LfoShape::Square: return phase < 0.5 ? 1.0 : -1.0;
    case LfoShape::SawUp: return 2.0 * phase - 1.0;
    case LfoShape::SawDown: return 1.0 - 2.0 * phase;
    case LfoShape::Random: return held;
  }
  return 0.0;
}

// A deterministic random value in [-1, 1) from a 32-bit LCG state (stepped in place): the Random shape's
// next held value, the same in every build.
inline double lfoRandom(std::uint32_t& seed) {
  seed = seed * 1664525u + 1013904223u;
  return static_cast<double>(static_cast<std::int32_t>(seed)) * (1.0 / 2147483648.0);
}

}  // namespace mixdown
