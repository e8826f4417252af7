// exp2 and log2 without a library call, for the dynamics devices' per-sample dB <-> gain conversions.
// Why: libm's pow and log10 were a quarter of a 32-track song's instructions (one pow and one log10 per
// sample per compressor), and the C libraries of the native and the wasm build may round them
// differently in the last place; these are plain arithmetic, so both builds compute the same bits.
// Accuracy (EffectsTests measures it against std::exp2 and std::log2): exp2Fast within 6e-16 relative on
// [-60, 60] (valid on [-1022, 1023] for a normal result), log2Fast within 3 units in the last place of
// its result on all positive normal doubles, gainToDbFast within 6e-14 dB: far below a float sample's
// resolution (6e-8 relative); on the demo and the stress song the output is bit-identical to libm's.
//
// Both are table-driven (the way libm does it, minus the fused multiply-adds): a 64- or 128-entry table
// leaves an argument so small that a 6th-degree polynomial is exact to double precision, with no
// division. The tables are built once at start-up by exp2Series/log2Series, which need no table (slower,
// the same accuracy), so every build computes the same table bits.
#pragma once

#include <cstdint>
#include <cstring>

namespace mixdown {

namespace explog {
inline std::uint64_t bitsOf(double v) {
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);  // std::bit_cast: not in Emscripten 3.1.6's libc++
  return b;
}
inline double fromBits(std::uint64_t b) {
  double v;
  std::memcpy(&v, &b, sizeof v);
  return v;
}
constexpr double kRound = 6755399441055744.0;  // 1.5 * 2^52: adding and subtracting it rounds to nearest
constexpr double kLn2 = 0.693147180559945309417;
constexpr double kInvLn2 = 1.44269504088896340736;
}  // namespace explog

// 2^x for x in [-1022, 1023] with a normal result: x = k + r with k an integer and |r| <= 1/2 (exact),
// 2^r = e^(r ln 2) by its Taylor series to the 13th power (the remainder is below 2e-16 for
// |r ln 2| <= 0.347), times 2^k from the exponent bits. Estrin's scheme.
inline double exp2Series(double x) {
  using namespace explog;
  const double rounded = x + kRound, k = rounded - kRound;
  const double t = (x - k) * kLn2;
  const double t2 = t * t, t4 = t2 * t2, t8 = t4 * t4;
  const double p01 = 1.0 + t, p23 = 1.0 / 2 + t * (1.0 / 6), p45 = 1.0 / 24 + t * (1.0 / 120),
               p67 = 1.0 / 720 + t * (1.0 / 5040), p89 = 1.0 / 40320 + t * (1.0 / 362880),
               p1011 = 1.0 / 3628800 + t * (1.0 / 39916800), p1213 = 1.0 / 479001600 + t * (1.0 / 6227020800.0);
  const double q0 = p01 + t2 * p23, q1 = p45 + t2 * p67, q2 = p89 + t2 * p1011;
  const double p = (q0 + t4 * q1) + t8 * (q2 + t4 * p1213);
  // The low bits of x + 1.5 * 2^52 hold k (two's complement): k + 1023 in the exponent field is 2^k.
  return p * fromBits((bitsOf(rounded) - bitsOf(kRound) + 1023) << 52);
}

// log2(x) for a positive normal x: x = 2^e m with m in [sqrt(1/2), sqrt(2)) (exact), ln m = 2 atanh(s)
// with s = (m - 1) / (m + 1), |s| <= 0.1716, by its series to s^21 (the remainder is below 1e-17).
inline double log2Series(double x) {
  using namespace explog;
  const std::uint64_t bits = bitsOf(x);
  double e = static_cast<double>(static_cast<std::int64_t>((bits >> 52) & 0x7ff) - 1023);
  double m = fromBits((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);  // [1, 2)
  if (m > 1.4142135623730951) m *= 0.5, e += 1.0;                               // exact
  const double s = (m - 1.0) / (m + 1.0), z = s * s;
  const double z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
  const double c01 = 1.0 + z * (1.0 / 3), c23 = 1.0 / 5 + z * (1.0 / 7), c45 = 1.0 / 9 + z * (1.0 / 11),
               c67 = 1.0 / 13 + z * (1.0 / 15), c89 = 1.0 / 17 + z * (1.0 / 19), c10 = 1.0 / 21;
  const double series = (c01 + z2 * c23) + z4 * (c45 + z2 * c67) + z8 * (c89 + z2 * c10);
  return e + s * series * (2.0 * kInvLn2);
}

namespace explog {
struct Tables {
  static constexpr int kLog = 128;  // [1, 2) in 128 equal parts, by the top 7 mantissa bits
  static constexpr int kExp = 64;   // 2^(j/64)
  double inverse[kLog], log2Inverse[kLog], power[kExp];
  Tables() {
    for (int i = 0; i < kLog; ++i) {
      inverse[i] = 1.0 / (1.0 + (i + 0.5) / kLog);  // 1/c at the part's centre (IEEE division: same bits)
      log2Inverse[i] = log2Series(inverse[i]);
    }
    for (int j = 0; j < kExp; ++j) power[j] = exp2Series(j / static_cast<double>(kExp));
  }
};
// Built during static initialisation, before any device exists; read-only after (no lock on the audio thread).
inline const Tables kTables;
}  // namespace explog

// 2^x for x in [-1022, 1023] with a normal result: x = k + j/64 + r with |r| <= 1/128 (exact);
// 2^x = 2^k 2^(j/64) e^(r ln 2), the last by its Taylor series to t^5 (remainder below 4e-17).
inline double exp2Fast(double x) {
  using namespace explog;
  const double rounded = x * Tables::kExp + kRound;  // x * 64 is exact
  const double n = rounded - kRound;
  const auto steps = static_cast<std::int64_t>(bitsOf(rounded) - bitsOf(kRound));  // n as an integer
  const double t = (x - n * (1.0 / Tables::kExp)) * kLn2;                          // the subtraction is exact
  const double t2 = t * t;
  const double p = (1.0 + t) + t2 * ((0.5 + t * (1.0 / 6)) + t2 * ((1.0 / 24) + t * (1.0 / 120)));
  const std::int64_t k = steps >> 6;  // floor(n / 64) (arithmetic shift)
  const double scale = fromBits(static_cast<std::uint64_t>(k + 1023) << 52);
  return (kTables.power[steps & (Tables::kExp - 1)] * p) * scale;
}

// log2(x) for a positive normal x: x = 2^e m with m in [1, 2); log2 m = log2(m / c) - log2(1 / c) with c
// the centre of m's 1/128 part, r = m/c - 1 (|r| < 0.0039) and ln(1 + r) by its series to r^6
// (remainder below 2e-18). Zero and subnormals give finite nonsense (callers skip them).
inline double log2Fast(double x) {
  using namespace explog;
  const std::uint64_t bits = bitsOf(x);
  const double e = static_cast<double>(static_cast<std::int64_t>((bits >> 52) & 0x7ff) - 1023);
  const double m = fromBits((bits & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
  const auto i = static_cast<int>((bits >> 45) & (Tables::kLog - 1));
  const double r = m * kTables.inverse[i] - 1.0;
  const double r2 = r * r;
  const double series = r - r2 * ((0.5 - r * (1.0 / 3)) + r2 * ((0.25 - r * (1.0 / 5)) + r2 * (1.0 / 6)));
  return (e - kTables.log2Inverse[i]) + series * kInvLn2;
}

// dB <-> linear through the two above. 20 log10(x) = (20 log10 2) log2(x); 10^(dB/20) = 2^(dB log2(10) / 20).
constexpr double kDbPerOctave = 6.02059991327962390427;     // 20 log10(2), dB per doubling of amplitude
constexpr double kOctavesPerDb = 0.166096404744368117393;  // log2(10) / 20
inline double gainToDbFast(double gain) { return kDbPerOctave * log2Fast(gain); }  // gain > 0, normal
inline double dbToGainFast(double db) { return exp2Fast(db * kOctavesPerDb); }

}  // namespace mixdown

// [SECTION] Four floats at once, for per-sample gain computers: no table, so one SSE2 / wasm simd128
// instruction serves four samples. Plain lane-wise IEEE single-precision arithmetic (no fused
// multiply-add: the build forbids contraction), so both builds compute the same bits. A cast between
// vector types of one size reinterprets the bits (GCC and Clang alike).
// Accuracy (EffectsTests measures it against std::log2 and std::exp2): log2Fast4 within 1.5e-7 of
// max(1, |log2 x|) on [1e-30, 1e30] (a level near 0 dB within 1e-6 dB: far under what a meter shows),
// exp2Fast4 within 3e-7 relative on [-126, 126] (a gain's error 130 dB under the signal).
namespace mixdown {

typedef float Float4 __attribute__((vector_size(16)));
typedef std::int32_t Int4 __attribute__((vector_size(16)));

inline Float4 splat4(float v) { return Float4{v, v, v, v}; }

// log2(x) for positive normal x: x = 2^e m with m in [sqrt(1/2), sqrt(2)); ln m = 2 atanh(s) with
// s = (m - 1) / (m + 1), |s| <= 0.1716, by its series to s^9 (the remainder is below 3e-9). Zero,
// negatives and subnormals give finite nonsense (callers select it away).
inline Float4 log2Fast4(Float4 x) {
  const Int4 bits = (Int4)x;
  Int4 e = ((bits >> 23) & 0xff) - 127;
  const Int4 mantissa = (bits & 0x007fffff) | 0x3f800000;  // [1, 2)
  Float4 m = (Float4)mantissa;
  const Int4 high = m > splat4(1.41421356f);  // -1 where m is over sqrt(2): halve it (exact), e + 1
  const Float4 half = m * splat4(0.5f);
  const Int4 chosen = ((Int4)half & high) | (mantissa & ~high);
  m = (Float4)chosen;
  e -= high;
  const Float4 s = (m - splat4(1.0f)) / (m + splat4(1.0f)), z = s * s;
  const Float4 series = splat4(1.0f) + z * (splat4(1.0f / 3) + z * (splat4(1.0f / 5) + z * (splat4(1.0f / 7) + z * splat4(1.0f / 9))));
  return __builtin_convertvector(e, Float4) + s * series * splat4(2.8853900817779268f);  // 2 / ln 2
}

// 2^x, x clamped to [-126, 126]: x = k + r with k an integer and |r| <= 1/2 (exact), 2^r = e^(r ln 2) by
// its Taylor series to the 7th power (remainder below 6e-9), times 2^k from the exponent bits.
inline Float4 exp2Fast4(Float4 x) {
  const Float4 lo = splat4(-126.0f), hi = splat4(126.0f);
  const Int4 below = x < lo, above = x > hi;
  Int4 xb = (Int4)x;
  xb = (xb & ~(below | above)) | ((Int4)lo & below) | ((Int4)hi & above);
  x = (Float4)xb;
  const Float4 round = splat4(12582912.0f);  // 1.5 * 2^23: adding and subtracting it rounds to nearest
  const Float4 k = (x + round) - round;
  const Float4 t = (x - k) * splat4(0.69314718055994531f);
  const Float4 p = splat4(1.0f) + t * (splat4(1.0f) + t * (splat4(1.0f / 2) + t * (splat4(1.0f / 6) + t * (splat4(1.0f / 24) +
                   t * (splat4(1.0f / 120) + t * (splat4(1.0f / 720) + t * splat4(1.0f / 5040)))))));
  const Int4 scale = (__builtin_convertvector(k, Int4) + 127) << 23;
  return p * (Float4)scale;
}

// f over values[0, n) four at a time, in place; the last group's lanes past n are set to `pad` first (a
// value f takes without trouble), so `values` must hold n rounded up to a multiple of 4.
template <typename F>
inline void mapFloat4(float* values, int n, float pad, F f) {
  for (int j = n; j % 4; ++j) values[j] = pad;
  for (int j = 0; j < n; j += 4) {
    Float4 x;
    std::memcpy(&x, values + j, sizeof x);
    x = f(x);
    std::memcpy(values + j, &x, sizeof x);
  }
}

}  // namespace mixdown
