// Measurements shared by the test suites: levels in dB, spectra, frequency by zero crossings.
#pragma once

#include <algorithm>
#include <cmath>
#include <complex>
#include <vector>

#include "dsp/Fft.h"

namespace mixdown::test {

inline constexpr double kPi = 3.14159265358979323846;

inline double peakOf(const std::vector<float>& x, std::size_t from = 0, std::size_t to = SIZE_MAX) {
  double p = 0;
  for (std::size_t i = from; i < std::min(to, x.size()); ++i) p = std::max(p, std::fabs(static_cast<double>(x[i])));
  return p;
}

inline double dB(double gain) { return 20.0 * std::log10(std::max(gain, 1e-30)); }

// Frequency (Hz) from upward zero crossings located by linear interpolation.
inline double zeroCrossingFrequency(const std::vector<float>& x, double sampleRate, std::size_t from) {
  double first = -1, last = -1;
  int count = 0;
  for (std::size_t i = from + 1; i < x.size(); ++i) {
    if (x[i - 1] < 0.0f && x[i] >= 0.0f) {
      double t = static_cast<double>(i - 1) + x[i - 1] / (x[i - 1] - x[i]);
      if (first < 0) first = t;
      last = t;
      ++count;
    }
  }
  if (count < 2) return 0.0;
  return sampleRate * (count - 1) / (last - first);
}

// Level (dBFS) of the component at exactly `hz`: a Blackman-Harris windowed DFT evaluated at that
// frequency, so there is no scalloping loss between bins.
inline double levelAt(const std::vector<float>& x, std::size_t from, std::size_t n, double sampleRate, double hz) {
  std::complex<double> acc(0, 0);
  double wsum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double a = 2 * kPi * static_cast<double>(i) / static_cast<double>(n);
    double w = 0.35875 - 0.48829 * std::cos(a) + 0.14128 * std::cos(2 * a) - 0.01168 * std::cos(3 * a);
    wsum += w;
    double ph = -2 * kPi * hz * static_cast<double>(i) / sampleRate;
    acc += w * static_cast<double>(x[from + i]) * std::complex<double>(std::cos(ph), std::sin(ph));
  }
  return dB(2.0 * std::abs(acc) / wsum);
}

// One spectral component: frequency (Hz) and level (dBFS: a full-scale sine reads 0 dB).
struct Peak {
  double hz;
  double dbfs;
};

// Local maxima of a Blackman-Harris windowed spectrum above `floorDb`.
inline std::vector<Peak> spectralPeaks(const std::vector<float>& x, std::size_t from, std::size_t n, double sampleRate,
                                       double floorDb) {
  std::vector<std::complex<double>> buf(n);
  double wsum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double a = 2 * kPi * static_cast<double>(i) / static_cast<double>(n);
    double w = 0.35875 - 0.48829 * std::cos(a) + 0.14128 * std::cos(2 * a) - 0.01168 * std::cos(3 * a);
    wsum += w;
    buf[i] = x[from + i] * w;
  }
  fft(buf, false);
  std::vector<double> mag(n / 2);
  for (std::size_t k = 0; k < n / 2; ++k) mag[k] = dB(2.0 * std::abs(buf[k]) / wsum);
  std::vector<Peak> peaks;
  for (std::size_t k = 1; k + 1 < n / 2; ++k)
    if (mag[k] > floorDb && mag[k] >= mag[k - 1] && mag[k] >= mag[k + 1])
      peaks.push_back({static_cast<double>(k) * sampleRate / static_cast<double>(n), mag[k]});
  return peaks;
}

}  // namespace mixdown::test
