// Linkwitz-Riley 4th-order (24 dB/oct) crossover: each side is two cascaded 2nd-order Butterworth
// sections, all designed by the bilinear transform pre-warped at the crossover frequency. Low + high sum to
// a 2nd-order all-pass (Q = 1/sqrt 2) at the same frequency, so a band split that passes the other
// branches through that all-pass sums flat (exactly, up to rounding).
#pragma once

#include <algorithm>
#include <cmath>
#include <numbers>

#include "dsp/Biquad.h"

namespace mixdown {

enum class CrossoverSide { LowPass, HighPass, AllPass };

// Any thread (pure): one 2nd-order section (Q = 1/sqrt 2) of the given kind at `hz`.
inline BiquadCoefficients butterworthSection(CrossoverSide side, double hz, double sampleRate) {
  const double k = std::tan(std::numbers::pi * std::clamp(hz, 1.0, 0.49 * sampleRate) / sampleRate);
  const double q = std::numbers::sqrt2 / 2.0;
  const double a0 = 1.0 + k / q + k * k;
  BiquadCoefficients c;
  c.a1 = 2.0 * (k * k - 1.0) / a0;
  c.a2 = (1.0 - k / q + k * k) / a0;
  switch (side) {
    case CrossoverSide::LowPass:
      c.b0 = k * k / a0;
      c.b1 = 2.0 * c.b0;
      c.b2 = c.b0;
      break;
    case CrossoverSide::HighPass:
      c.b0 = 1.0 / a0;
      c.b1 = -2.0 / a0;
      c.b2 = c.b0;
      break;
    case CrossoverSide::AllPass:
      c.b0 = c.a2;
      c.b1 = c.a1;
      c.b2 = 1.0;
      break;
  }
  return c;
}

// One Linkwitz-Riley 4th-order filter (two identical Butterworth sections), or the matching all-pass (one
// section). Audio thread after setup.
class LinkwitzRiley {
 public:
  void setup(CrossoverSide side, double hz, double sampleRate) {
    const BiquadCoefficients c = butterworthSection(side, hz, sampleRate);
    a_.setCoefficients(c);
    b_.setCoefficients(c);
    allPass_ = side == CrossoverSide::AllPass;
  }
  void reset() {
    a_.reset();
    b_.reset();
  }
  void flushTiny() {  // audio thread, once per block (see Biquad::flushTiny)
    a_.flushTiny();
    b_.flushTiny();
  }
  bool atRest() const { return a_.atRest() && b_.atRest(); }  // for Device::idle()
  double process(double x) { return allPass_ ? a_.process(x) : b_.process(a_.process(x)); }

 private:
  Biquad a_, b_;
  bool allPass_ = false;
};

}  // namespace mixdown
