#include "dsp/WavetableBank.h"

#include <algorithm>
#include <cmath>
#include <complex>
#include <map>
#include <mutex>

#include "dsp/Fft.h"

namespace mixdown {
namespace {
constexpr double kPi = 3.14159265358979323846;

// Amplitude of harmonic k (sine phase) for each waveform, normalised to a peak of about 1.
double harmonicAmplitude(Waveform w, int k) {
  switch (w) {
    case Waveform::Sine: return k == 1 ? 1.0 : 0.0;
    case Waveform::Saw: return (k % 2 ? 2.0 : -2.0) / (kPi * k);
    case Waveform::Square: return k % 2 ? 4.0 / (kPi * k) : 0.0;
    case Waveform::Triangle:
      if (k % 2 == 0) return 0.0;
      return (((k - 1) / 2) % 2 ? -8.0 : 8.0) / (kPi * kPi * k * k);
    case Waveform::Noise: return 0.0;
  }
  return 0.0;
}
}  // namespace

WavetableBank::WavetableBank(double sampleRate) : sampleRate_(sampleRate) {
  const double nyquist = sampleRate * 0.5;
  // Tables until the top fundamental passes Nyquist.
  for (int i = 0;; ++i) {
    double top = kLowestTopHz * std::pow(2.0, static_cast<double>(i) / kTablesPerOctave);
    int h = static_cast<int>(std::floor(nyquist / top));
    if (h < 1) break;
    // A harmonic exactly at Nyquist is not representable; stay strictly below it.
    if (h * top >= nyquist && h > 1) --h;
    harmonics_.push_back(std::min(h, kMaxHarmonics));
  }
  tableCount_ = static_cast<int>(harmonics_.size());
  data_.assign(static_cast<size_t>(4 * tableCount_ * (kTableSize + 1)), 0.0f);
  std::vector<std::complex<double>> spectrum(kTableSize);
  for (int w = 0; w < 4; ++w) {
    for (int t = 0; t < tableCount_; ++t) {
      std::fill(spectrum.begin(), spectrum.end(), std::complex<double>(0.0, 0.0));
      for (int k = 1; k <= harmonics_[static_cast<size_t>(t)]; ++k) {
        // a*sin(kx) = a/(2i) (e^{ikx} - e^{-ikx})
        double a = harmonicAmplitude(static_cast<Waveform>(w), k);
        spectrum[static_cast<size_t>(k)] = std::complex<double>(0.0, -a / 2.0);
        spectrum[static_cast<size_t>(kTableSize - k)] = std::complex<double>(0.0, a / 2.0);
      }
      fft(spectrum, true);
      float* dst = &data_[static_cast<size_t>((w * tableCount_ + t) * (kTableSize + 1))];
      for (int n = 0; n < kTableSize; ++n) dst[n] = static_cast<float>(spectrum[static_cast<size_t>(n)].real());
      dst[kTableSize] = dst[0];
    }
  }
}

std::shared_ptr<const WavetableBank> WavetableBank::forSampleRate(double sampleRate) {
  // Engines may be prepared on several control threads at once (native renders); never the audio thread.
  static std::mutex mutex;
  static std::map<double, std::shared_ptr<const WavetableBank>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = cache[sampleRate];
  if (!slot) slot = std::make_shared<WavetableBank>(sampleRate);
  return slot;
}

int WavetableBank::tableFor(double hz) const {
  if (hz <= kLowestTopHz) return 0;
  int i = static_cast<int>(std::ceil(kTablesPerOctave * std::log2(hz / kLowestTopHz) - 1e-9));
  return std::clamp(i, 0, tableCount_ - 1);
}

const float* WavetableBank::table(Waveform w, int index) const {
  int wi = std::clamp(static_cast<int>(w), 0, 3);
  return &data_[static_cast<size_t>((wi * tableCount_ + index) * (kTableSize + 1))];
}

}  // namespace mixdown
