// tanh for waveshapers: no library call, so the wasm build and the native build compute the same bits
// (the C libraries' tanh differ in the last place), and a shorter dependency chain than glibc's. Within
// 4e-16 absolute and 2e-15 relative of std::tanh (EffectsTests measures it): far below float resolution.
// Exactly +-1 from |x| = 19.1 on, where tanh rounds to 1 in double.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace mixdown {

// e^y for y in [-40, 0]: y = k ln 2 + r with |r| <= ln2/2, e^r by its Taylor series to r^12 (the
// remainder is below 2e-16 there), times 2^k built from the exponent bits.
inline double expNonPositive(double y) {
  constexpr double kLn2Hi = 0.693147180369123816490;  // ln 2 split so k * kLn2Hi is exact
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  constexpr double kInvLn2 = 1.44269504088896338700;
  constexpr double kRound = 6755399441055744.0;  // 1.5 * 2^52: adding and subtracting it rounds to nearest
  const double k = (y * kInvLn2 + kRound) - kRound;
  const double r = (y - k * kLn2Hi) - k * kLn2Lo;
  // Estrin's scheme: the same polynomial in a shallow tree (half the dependent steps of Horner's).
  const double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  const double p01 = 1.0 + r, p23 = 1.0 / 2 + r * (1.0 / 6), p45 = 1.0 / 24 + r * (1.0 / 120),
               p67 = 1.0 / 720 + r * (1.0 / 5040), p89 = 1.0 / 40320 + r * (1.0 / 362880),
               p1011 = 1.0 / 3628800 + r * (1.0 / 39916800), p12 = 1.0 / 479001600;
  const double q0 = p01 + r2 * p23, q1 = p45 + r2 * p67, q2 = p89 + r2 * p1011;
  const double p = (q0 + r4 * q1) + r8 * (q2 + r4 * p12);
  const auto exponent = static_cast<std::int64_t>(k) + 1023;  // k in [-58, 0]: a normal power of two
  const std::uint64_t bits = static_cast<std::uint64_t>(exponent) << 52;
  double scale;
  std::memcpy(&scale, &bits, sizeof scale);  // std::bit_cast: not in Emscripten 3.1.6's libc++
  return p * scale;
}

inline double fastTanh(double x) {
  const double a = std::fabs(x);
  double t;
  if (a < 0.0625) {
    // Odd Taylor series to x^15: the first dropped term is below 1e-17 * x here.
    const double z = x * x;
    double p = -929569.0 / 638512875.0;  // x^15
    p = p * z + 21844.0 / 6081075.0;     // x^13
    p = p * z - 1382.0 / 155925.0;       // x^11
    p = p * z + 62.0 / 2835.0;           // x^9
    p = p * z - 17.0 / 315.0;            // x^7
    p = p * z + 2.0 / 15.0;              // x^5
    p = p * z - 1.0 / 3.0;               // x^3
    return x + x * z * p;
  }
  if (a >= 19.1) t = 1.0;
  else {
    const double e = expNonPositive(-2.0 * a);  // tanh a = (1 - e^-2a) / (1 + e^-2a)
    t = (1.0 - e) / (1.0 + e);
  }
  return x < 0 ? -t : t;
}

}  // namespace mixdown
