// The wire of share link v2's binary project (see core/share/README.md): varints, zigzag integers, the
// number codec (decimals as integers, anything else as the exact IEEE 754 double), field keys. Plain
// functions on bytes, no allocation beyond the output vector: ProjectBinary.cpp builds the project's
// messages from these, and the tests check the codec on its own.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace mixdown::wire {

// How a field's value is laid out after its key, so a reader can skip a field it does not know.
enum Wire : std::uint8_t {
  kVarint = 0,  // an unsigned LEB128 varint (counts, string indices, enums, booleans, zigzag integers)
  kNumber = 1,  // a number (see encodeNumber): a varint header, then 8 more bytes when it is a raw double
  kBytes = 2,   // a varint length, then that many bytes (strings, nested messages, packed columns)
};

inline constexpr std::size_t kMaxVarintBytes = 10;  // 64 bits in 7-bit groups
inline constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53: integers up to it are exact doubles

// The number header: the varint zigzag(m) << 3 | e. Exponents 0..6: the decimal m / 10^e (0.707 is
// 707 / 10^3); exponent 7 is an escape: m = 0, a raw double follows; m = 1, "the device's default".
// (A variant with round numbers m * 10^k as well saved 3 characters of the demo's link: not worth a
// wider header.)
inline constexpr int kMaxDecimals = 6;
// Powers of ten up to 10^6: exact in double, so m / 10^e is one correctly rounded division on every
// IEEE 754 machine (x86-64 SSE and wasm alike) and reads the same everywhere.
inline constexpr double kPowersOfTen[kMaxDecimals + 1] = {1.0, 10.0, 100.0, 1000.0, 10000.0, 100000.0, 1000000.0};

inline constexpr std::uint64_t kRawDoubleHeader = 7;       // zigzag(0) << 3 | 7: 8 bytes of IEEE 754 follow
inline constexpr std::uint64_t kDeviceDefaultHeader = 23;  // zigzag(1) << 3 | 7: "the device's default" (parameters only)

inline std::uint64_t zigzag(std::int64_t v) { return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63); }
inline std::int64_t unzigzag(std::uint64_t v) { return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1); }

inline bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

inline void putVarint(std::vector<std::uint8_t>& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}

inline void putKey(std::vector<std::uint8_t>& out, std::uint32_t field, Wire wire) {
  putVarint(out, (static_cast<std::uint64_t>(field) << 3) | wire);
}

// The integer m with m / 10^e == v exactly (bit for bit), for the smallest e in 0..6, or false. -0.0 and
// values beyond 2^53 have none (they travel as raw doubles).
inline bool decimalOf(double v, std::int64_t& m, int& e) {
  if (!std::isfinite(v)) return false;
  for (int k = 0; k <= kMaxDecimals; ++k) {
    const double scaled = v * kPowersOfTen[k];
    if (!(std::fabs(scaled) <= kMaxExactInteger)) return false;  // more decimals only make it larger
    const auto candidate = static_cast<std::int64_t>(std::nearbyint(scaled));
    if (sameBits(static_cast<double>(candidate) / kPowersOfTen[k], v)) {
      m = candidate;
      e = k;
      return true;
    }
  }
  return false;
}

// A number: a decimal m / 10^e (0 <= e <= 6) as one varint, so 1 is one byte and 0.707 two; anything
// else (-0.0, 1/3, 1e-9) as the raw-double header and the double's 8 bytes, little-endian. Either way the
// reader gets the very double that was written.
inline void putNumber(std::vector<std::uint8_t>& out, double v) {
  std::int64_t m = 0;
  int e = 0;
  if (decimalOf(v, m, e)) return putVarint(out, (zigzag(m) << 3) | static_cast<std::uint64_t>(e));
  putVarint(out, kRawDoubleHeader);
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
}

// Reads a varint at data[pos] (pos < end). Returns false when it runs past `end` or past 64 bits.
inline bool getVarint(const std::uint8_t* data, std::size_t& pos, std::size_t end, std::uint64_t& v) {
  v = 0;
  for (std::size_t i = 0; i < kMaxVarintBytes; ++i) {
    if (pos >= end) return false;
    const std::uint8_t b = data[pos++];
    if (i == kMaxVarintBytes - 1 && b > 1) return false;  // the tenth group holds bit 63 only
    v |= static_cast<std::uint64_t>(b & 0x7f) << (7 * i);
    if (!(b & 0x80)) return true;
  }
  return false;
}

// What getNumber found.
enum class NumberRead {
  Value,          // `v` holds the number
  DeviceDefault,  // the device-default escape (meaningful for parameters only)
  CutOff,         // the bytes end inside the number
  TooLarge,       // a decimal beyond 2^53
  NotFinite,      // a raw double that is NaN or infinite (a project holds finite numbers only)
  UnknownEscape,  // exponent 7 with an integer part other than 0 or 1
};

inline NumberRead getNumber(const std::uint8_t* data, std::size_t& pos, std::size_t end, double& v) {
  std::uint64_t h = 0;
  if (!getVarint(data, pos, end, h)) return NumberRead::CutOff;
  const int e = static_cast<int>(h & 7);
  if (e <= kMaxDecimals) {
    const std::int64_t m = unzigzag(h >> 3);
    if (!(std::fabs(static_cast<double>(m)) <= kMaxExactInteger)) return NumberRead::TooLarge;
    v = static_cast<double>(m) / kPowersOfTen[e];
    return NumberRead::Value;
  }
  if (h == kDeviceDefaultHeader) return NumberRead::DeviceDefault;
  if (h != kRawDoubleHeader) return NumberRead::UnknownEscape;
  if (end - pos < 8) return NumberRead::CutOff;
  std::uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits |= static_cast<std::uint64_t>(data[pos + i]) << (8 * i);
  pos += 8;
  std::memcpy(&v, &bits, sizeof v);
  return std::isfinite(v) ? NumberRead::Value : NumberRead::NotFinite;
}

// Whether bytes [begin, end) are well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF):
// the JSON writer refuses anything else, so a link must not smuggle it in.
inline bool isUtf8(const std::uint8_t* s, std::size_t begin, std::size_t end, std::size_t& badAt) {
  std::size_t i = begin;
  while (i < end) {
    const std::uint8_t c = s[i];
    std::size_t n = 0;
    std::uint32_t cp = 0, min = 0;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xe0) == 0xc0) n = 1, cp = c & 0x1f, min = 0x80;
    else if ((c & 0xf0) == 0xe0) n = 2, cp = c & 0x0f, min = 0x800;
    else if ((c & 0xf8) == 0xf0) n = 3, cp = c & 0x07, min = 0x10000;
    else { badAt = i; return false; }
    if (end - i <= n) { badAt = i; return false; }
    for (std::size_t k = 1; k <= n; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) { badAt = i; return false; }
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) { badAt = i; return false; }
    i += n + 1;
  }
  return true;
}

}  // namespace mixdown::wire
