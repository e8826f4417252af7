// In-place radix-2 complex FFT (size a power of two). Used to build band-limited wavetables and by
// tests for spectral measurements. Allocates nothing; control thread or tests.
#pragma once

#include <cmath>
#include <complex>
#include <cstddef>
#include <vector>

namespace mixdown {

// Forward transform when inverse == false (e^{-i...}), unscaled in both directions.
inline void fft(std::vector<std::complex<double>>& a, bool inverse) {
  const size_t n = a.size();
  for (size_t i = 1, j = 0; i < n; ++i) {
    size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) std::swap(a[i], a[j]);
  }
  const double pi = 3.14159265358979323846;
  for (size_t len = 2; len <= n; len <<= 1) {
    double ang = 2.0 * pi / static_cast<double>(len) * (inverse ? 1.0 : -1.0);
    std::complex<double> wl(std::cos(ang), std::sin(ang));
    for (size_t i = 0; i < n; i += len) {
      std::complex<double> w(1.0, 0.0);
      for (size_t k = 0; k < len / 2; ++k) {
        auto u = a[i + k];
        auto v = a[i + k + len / 2] * w;
        a[i + k] = u + v;
        a[i + k + len / 2] = u - v;
        w *= wl;
      }
    }
  }
}

}  // namespace mixdown
