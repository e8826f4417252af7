#include "master/KWeighting.h"

#include <cmath>
#include <numbers>

namespace mixdown {

KWeightingDesign designKWeighting(double sampleRate) {
  // Analogue prototype parameters of the two BS.1770 stages (the values that map exactly onto the
  // standard's 48 kHz coefficients): shelf centre (Hz), gain (dB), Q; high-pass corner (Hz), Q.
  constexpr double kShelfHz = 1681.974450955533, kShelfGainDb = 3.999843853973347, kShelfQ = 0.7071752369554196;
  constexpr double kShelfBandExponent = 0.4996667741545416;  // Vb = Vh^this: the shelf's mid-band gain
  constexpr double kHighPassHz = 38.13547087602444, kHighPassQ = 0.5003270373238773;

  KWeightingDesign d;
  {
    const double k = std::tan(std::numbers::pi * kShelfHz / sampleRate);
    const double vh = std::pow(10.0, kShelfGainDb / 20.0);
    const double vb = std::pow(vh, kShelfBandExponent);
    const double a0 = 1.0 + k / kShelfQ + k * k;
    d.shelf.b0 = (vh + vb * k / kShelfQ + k * k) / a0;
    d.shelf.b1 = 2.0 * (k * k - vh) / a0;
    d.shelf.b2 = (vh - vb * k / kShelfQ + k * k) / a0;
    d.shelf.a1 = 2.0 * (k * k - 1.0) / a0;
    d.shelf.a2 = (1.0 - k / kShelfQ + k * k) / a0;
  }
  {
    // BS.1770 states the 48 kHz high-pass numerator as 1, -2, 1 (unnormalised: +0.043 dB in the passband,
    // which the -0.691 dB in the loudness formula assumes). The numerator is scaled so every rate has the
    // passband gain of the 48 kHz filter; at 48 kHz the scale is exactly 1.
    auto poles = [](double rate, double& a1, double& a2) {
      const double k = std::tan(std::numbers::pi * kHighPassHz / rate);
      const double a0 = 1.0 + k / kHighPassQ + k * k;
      a1 = 2.0 * (k * k - 1.0) / a0;
      a2 = (1.0 - k / kHighPassQ + k * k) / a0;
    };
    double a1 = 0, a2 = 0, a1ref = 0, a2ref = 0;
    poles(sampleRate, a1, a2);
    poles(48000.0, a1ref, a2ref);
    const double scale = (1.0 - a1 + a2) / (1.0 - a1ref + a2ref);  // ratio of the two Nyquist gains
    d.highPass.b0 = scale;
    d.highPass.b1 = -2.0 * scale;
    d.highPass.b2 = scale;
    d.highPass.a1 = a1;
    d.highPass.a2 = a2;
  }
  return d;
}

}  // namespace mixdown
