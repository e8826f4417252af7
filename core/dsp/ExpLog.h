// exp2 and log2 without a library call, for the dynamics devices' per-sample dB <-> gain conversions.
// Why: libm's pow and log10 were a quarter of a 32-track song's instructions (one pow and one log10 per
// sample per compressor), and the C libraries of the native and the wasm build may round them
// differently in the last place; these are plain arithmetic, so both builds compute the same bits.
// Accuracy (EffectsTests measures it against std::exp2 / std::log2 / std::pow / std::log10): within
// 4e-16 relative for exp2 on [-60, 60] and 3e-16 absolute for log2 on normal numbers: a few units in the
// last place of a double, nine orders of magnitude below a float sample's resolution.
#pragma once

#include <cstdint>
#include <cstring>

namespace mixdown {

// 2^x for |x| <= 1000: x = k + r with k an integer and |r| <= 1/2 (exact), 2^r = e^(r ln 2) by its
// Taylor series to the 13th power (the remainder is below 2e-16 for |r ln 2| <= 0.347), times 2^k from
// the exponent bits. Estrin's scheme: a shallow tree instead of one long dependent chain.
inline double exp2Fast(double x) {
  constexpr double kRound = 6755399441055744.0;  // 1.5 * 2^52: adding and subtracting it rounds to nearest
  constexpr double kLn2 = 0.693147180559945309417;
  const double k = (x + kRound) - kRound;
  const double t = (x - k) * kLn2;
  const double t2 = t * t, t4 = t2 * t2, t8 = t4 * t4;
  const double p01 = 1.0 + t, p23 = 1.0 / 2 + t * (1.0 / 6), p45 = 1.0 / 24 + t * (1.0 / 120),
               p67 = 1.0 / 720 + t * (1.0 / 5040), p89 = 1.0 / 40320 + t * (1.0 / 362880),
               p1011 = 1.0 / 3628800 + t * (1.0 / 39916800), p1213 = 1.0 / 479001600 + t * (1.0 / 6227020800.0);
  const double q0 = p01 + t2 * p23, q1 = p45 + t2 * p67, q2 = p89 + t2 * p1011;
  const double p = (q0 + t4 * q1) + t8 * (q2 + t4 * p1213);
  // 2^k in two factors so k down to -1000 stays a normal power of two (each factor's exponent in range).
  const auto half = static_cast<std::int64_t>(k) / 2;
  const std::uint64_t a = static_cast<std::uint64_t>(half + 1023) << 52;
  const std::uint64_t b = static_cast<std::uint64_t>(static_cast<std::int64_t>(k) - half + 1023) << 52;
  double sa, sb;
  std::memcpy(&sa, &a, sizeof sa);  // std::bit_cast: not in Emscripten 3.1.6's libc++
  std::memcpy(&sb, &b, sizeof sb);
  return p * sa * sb;
}

// log2(x) for a positive normal x: x = 2^e m with m in [sqrt(1/2), sqrt(2)) (exact), ln m = 2 atanh(s)
// with s = (m - 1) / (m + 1), |s| <= 0.1716, by its series to s^21 (the remainder is below 1e-17).
inline double log2Fast(double x) {
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  auto e = static_cast<std::int64_t>((bits >> 52) & 0x7ff) - 1023;
  bits = (bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL;  // m in [1, 2)
  double m;
  std::memcpy(&m, &bits, sizeof m);
  if (m > 1.4142135623730951) {
    m *= 0.5;  // exact
    ++e;
  }
  const double s = (m - 1.0) / (m + 1.0), z = s * s;
  const double z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
  const double c01 = 1.0 + z * (1.0 / 3), c23 = 1.0 / 5 + z * (1.0 / 7), c45 = 1.0 / 9 + z * (1.0 / 11),
               c67 = 1.0 / 13 + z * (1.0 / 15), c89 = 1.0 / 17 + z * (1.0 / 19), c10 = 1.0 / 21;
  const double series = (c01 + z2 * c23) + z4 * (c45 + z2 * c67) + z8 * (c89 + z2 * c10);
  constexpr double kTwoOverLn2 = 2.88539008177792681472;  // 2 / ln 2
  return static_cast<double>(e) + s * series * kTwoOverLn2;
}

// dB <-> linear through the two above. 20 log10(x) = (20 log10 2) log2(x); 10^(dB/20) = 2^(dB log2(10) / 20).
constexpr double kDbPerOctave = 6.02059991327962390427;       // 20 log10(2), dB per doubling of amplitude
constexpr double kOctavesPerDb = 0.166096404744368117393;    // log2(10) / 20
inline double gainToDbFast(double gain) { return kDbPerOctave * log2Fast(gain); }  // gain > 0, normal
inline double dbToGainFast(double db) { return exp2Fast(db * kOctavesPerDb); }

}  // namespace mixdown
