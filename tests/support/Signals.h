// Test signal generators for the mastering suites: tone sequences as EBU Tech 3341/3342 describe them,
// noise, sweeps and programme-like material. Deterministic (seeded) so failures replay.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "Measure.h"

namespace mixdown::test {

using Channels = std::vector<std::vector<float>>;

struct Tone {
  double dbfs;     // peak amplitude of the sine, dBFS (a stereo 1 kHz tone at X dBFS reads X LUFS)
  double seconds;
};

// A 1 kHz sine whose level steps through `tones`, phase continuous, on `channels` identical channels.
inline Channels toneSequence(double rate, const std::vector<Tone>& tones, int channels = 2, double hz = 1000.0) {
  std::vector<float> x;
  double t = 0;
  for (const Tone& tone : tones) {
    const auto n = static_cast<std::size_t>(std::llround(tone.seconds * rate));
    const double a = tone.dbfs <= -200 ? 0.0 : std::pow(10.0, tone.dbfs / 20.0);
    for (std::size_t i = 0; i < n; ++i, t += 1.0) x.push_back(static_cast<float>(a * std::sin(2 * kPi * hz * t / rate)));
  }
  return Channels(static_cast<std::size_t>(channels), x);
}

inline std::vector<Tone> repeatTones(int times, const std::vector<Tone>& pattern) {
  std::vector<Tone> out;
  for (int i = 0; i < times; ++i) out.insert(out.end(), pattern.begin(), pattern.end());
  return out;
}

inline constexpr double kSilence = -999.0;

// Gaussian-ish white noise at an RMS level (dBFS), seeded.
inline std::vector<float> whiteNoise(std::size_t n, double rmsDb, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0.0, std::pow(10.0, rmsDb / 20.0));
  std::vector<float> x(n);
  for (auto& v : x) v = static_cast<float>(std::clamp(g(rng), -1.0, 1.0));
  return x;
}

// Pink-ish noise (Paul Kellet's economy filter on white noise), normalised to an RMS level (dBFS).
inline std::vector<float> pinkNoise(std::size_t n, double rmsDb, std::uint32_t seed) {
  std::vector<float> w = whiteNoise(n, 0.0, seed);
  double b0 = 0, b1 = 0, b2 = 0, sum = 0;
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    b0 = 0.99765 * b0 + w[i] * 0.0990460;
    b1 = 0.96300 * b1 + w[i] * 0.2965164;
    b2 = 0.57000 * b2 + w[i] * 1.0526913;
    x[i] = static_cast<float>(b0 + b1 + b2 + w[i] * 0.1848);
    sum += static_cast<double>(x[i]) * x[i];
  }
  const double g = std::pow(10.0, rmsDb / 20.0) / std::sqrt(sum / static_cast<double>(n));
  for (auto& v : x) v = static_cast<float>(v * g);
  return x;
}

// Logarithmic sine sweep from f0 to f1 Hz at a peak level (dBFS).
inline std::vector<float> sweep(std::size_t n, double rate, double f0, double f1, double dbfs) {
  std::vector<float> x(n);
  const double a = std::pow(10.0, dbfs / 20.0), T = static_cast<double>(n) / rate, k = std::log(f1 / f0);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / rate;
    x[i] = static_cast<float>(a * std::sin(2 * kPi * f0 * T / k * (std::exp(t / T * k) - 1.0)));
  }
  return x;
}

// A band-limited pulse (Hann-windowed sinc, cut off at 0.45 fs) whose continuous waveform peaks at
// exactly `amplitude` at time `centre` (samples, may be fractional): its true peak is known exactly.
inline void addPulse(std::vector<float>& x, double centre, double amplitude) {
  constexpr double kCut = 0.45, kHalf = 64.0;
  const auto lo = static_cast<long>(std::floor(centre - kHalf)), hi = static_cast<long>(std::ceil(centre + kHalf));
  for (long i = std::max(0L, lo); i <= hi && i < static_cast<long>(x.size()); ++i) {
    const double u = static_cast<double>(i) - centre;
    const double s = u == 0 ? 1.0 : std::sin(2 * kPi * kCut * u) / (2 * kPi * kCut * u);
    const double w = std::fabs(u) < kHalf ? 0.5 + 0.5 * std::cos(kPi * u / kHalf) : 0.0;
    x[static_cast<std::size_t>(i)] += static_cast<float>(amplitude * s * w);
  }
}

}  // namespace mixdown::test
