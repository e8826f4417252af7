// Second-order filter designs from Robert Bristow-Johnson's "Audio EQ Cookbook": peaking, shelves,
// low/high-pass, notch, band-pass; plus Butterworth cascades for steep cuts. All pure functions of
// (frequency Hz, gain dB, Q, sample rate); the EQ's tests compare processed audio against these formulas.
#pragma once

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "dsp/Biquad.h"

namespace mixdown {

enum class RbjShape { Peak, LowShelf, HighShelf, LowPass, HighPass, Notch, BandPass };

inline BiquadCoefficients rbjDesign(RbjShape shape, double hz, double gainDb, double q, double sampleRate) {
  const double w0 = 2.0 * std::numbers::pi * std::clamp(hz, 1.0, 0.499 * sampleRate) / sampleRate;
  const double cw = std::cos(w0), sw = std::sin(w0);
  const double alpha = sw / (2.0 * std::max(q, 0.01));
  const double A = std::pow(10.0, gainDb / 40.0);
  double b0 = 1, b1 = 0, b2 = 0, a0 = 1, a1 = 0, a2 = 0;
  switch (shape) {
    case RbjShape::Peak:
      b0 = 1 + alpha * A, b1 = -2 * cw, b2 = 1 - alpha * A, a0 = 1 + alpha / A, a1 = -2 * cw, a2 = 1 - alpha / A;
      break;
    case RbjShape::LowShelf: {
      const double s = 2 * std::sqrt(A) * alpha;
      b0 = A * ((A + 1) - (A - 1) * cw + s), b1 = 2 * A * ((A - 1) - (A + 1) * cw), b2 = A * ((A + 1) - (A - 1) * cw - s);
      a0 = (A + 1) + (A - 1) * cw + s, a1 = -2 * ((A - 1) + (A + 1) * cw), a2 = (A + 1) + (A - 1) * cw - s;
      break;
    }
    case RbjShape::HighShelf: {
      const double s = 2 * std::sqrt(A) * alpha;
      b0 = A * ((A + 1) + (A - 1) * cw + s), b1 = -2 * A * ((A - 1) + (A + 1) * cw), b2 = A * ((A + 1) + (A - 1) * cw - s);
      a0 = (A + 1) - (A - 1) * cw + s, a1 = 2 * ((A - 1) - (A + 1) * cw), a2 = (A + 1) - (A - 1) * cw - s;
      break;
    }
    case RbjShape::LowPass:
      b0 = (1 - cw) / 2, b1 = 1 - cw, b2 = (1 - cw) / 2, a0 = 1 + alpha, a1 = -2 * cw, a2 = 1 - alpha;
      break;
    case RbjShape::HighPass:
      b0 = (1 + cw) / 2, b1 = -(1 + cw), b2 = (1 + cw) / 2, a0 = 1 + alpha, a1 = -2 * cw, a2 = 1 - alpha;
      break;
    case RbjShape::Notch:
      b0 = 1, b1 = -2 * cw, b2 = 1, a0 = 1 + alpha, a1 = -2 * cw, a2 = 1 - alpha;
      break;
    case RbjShape::BandPass:  // constant 0 dB peak gain
      b0 = alpha, b1 = 0, b2 = -alpha, a0 = 1 + alpha, a1 = -2 * cw, a2 = 1 - alpha;
      break;
  }
  return {b0 / a0, b1 / a0, b2 / a0, a1 / a0, a2 / a0};
}

// Q of section k (0-based) of an order-2n Butterworth filter made of n 2nd-order sections: a cut of 12 n
// dB/octave. Pure and allocation-free (coefficients are redesigned on the audio thread while they glide).
inline double butterworthQ(int sections, int k) {
  const int order = 2 * sections;
  return 1.0 / (2.0 * std::cos(std::numbers::pi * (2 * k + 1) / (2.0 * order)));
}

}  // namespace mixdown
