// Second-order IIR section in transposed direct form II, double precision state.
// Double state keeps low-frequency filters (K-weighting's 38 Hz high-pass, crossovers) exact at 192 kHz.
#pragma once

#include <cmath>

namespace mixdown {

struct BiquadCoefficients {
  double b0 = 1.0, b1 = 0.0, b2 = 0.0, a1 = 0.0, a2 = 0.0;  // a0 normalised to 1
};

class Biquad {
 public:
  // Any thread (before processing, or between blocks on the audio thread).
  void setCoefficients(const BiquadCoefficients& c) { c_ = c; }
  const BiquadCoefficients& coefficients() const { return c_; }
  // Audio thread.
  void reset() { s1_ = s2_ = 0.0; }
  double process(double x) {
    const double y = c_.b0 * x + s1_;
    s1_ = c_.b1 * x - c_.a1 * y + s2_;
    s2_ = c_.b2 * x - c_.a2 * y;
    return y;
  }
  // Audio thread, once per block: a decaying state is set to exact zero long before it could become
  // subnormal (browsers run the worklet without flush-to-zero; a state stuck on subnormals, as rounding
  // makes it near a pole of radius ~1, costs ~100x per sample). 1e-30 is 600 dB below full scale.
  void flushTiny() {
    if (std::fabs(s1_) < kTiny) s1_ = 0.0;
    if (std::fabs(s2_) < kTiny) s2_ = 0.0;
  }
  static constexpr double kTiny = 1e-30;
  // Any thread: the state is exactly zero (silent in, silent out), for Device::idle().
  bool atRest() const { return s1_ == 0.0 && s2_ == 0.0; }

 private:
  BiquadCoefficients c_;
  double s1_ = 0.0, s2_ = 0.0;
};

}  // namespace mixdown
