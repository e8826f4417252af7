#include "master/TruePeak.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace mixdown {
namespace {

// Zeroth-order modified Bessel function of the first kind (series), for the Kaiser window.
double besselI0(double x) {
  double sum = 1.0, term = 1.0;
  for (int k = 1; k < 50; ++k) {
    term *= (x / (2.0 * k)) * (x / (2.0 * k));
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

// Kaiser beta 7: stop band ~ -70 dB, so images of full-scale content stay well under the 0.1 dB the
// meter must resolve.
constexpr double kKaiserBeta = 7.0;

// ITU-R BS.1770-4 Annex 2, Table 1: the 4-phase, 12-taps-per-phase interpolation filter (tap 0 multiplies
// the newest sample).
constexpr double kBs1770Phases[4][12] = {
    {0.0017089843750, 0.0109863281250, -0.0196533203125, 0.0332031250000, -0.0594482421875, 0.1373291015625,
     0.9721679687500, -0.1022949218750, 0.0476074218750, -0.0266113281250, 0.0148925781250, -0.0083007812500},
    {-0.0291748046875, 0.0292968750000, -0.0517578125000, 0.0891113281250, -0.1665039062500, 0.4650878906250,
     0.7797851562500, -0.2003173828125, 0.1015625000000, -0.0582275390625, 0.0330810546875, -0.0189208984375},
    {-0.0189208984375, 0.0330810546875, -0.0582275390625, 0.1015625000000, -0.2003173828125, 0.7797851562500,
     0.4650878906250, -0.1665039062500, 0.0891113281250, -0.0517578125000, 0.0292968750000, -0.0291748046875},
    {-0.0083007812500, 0.0148925781250, -0.0266113281250, 0.0476074218750, -0.1022949218750, 0.9721679687500,
     0.1373291015625, -0.0594482421875, 0.0332031250000, -0.0196533203125, 0.0109863281250, 0.0017089843750},
};

// The factor-wide rows summed in registers (factor known at compile time).
template <int F>
void accumulatePoints(const float* kernel, const float* history, int taps, float* points) noexcept {
  float acc[F] = {};
  for (int t = 0; t < taps; ++t, kernel += F) {
    const float x = history[t];
    for (int j = 0; j < F; ++j) acc[j] += kernel[j] * x;
  }
  for (int j = 0; j < F; ++j) points[j] = acc[j];
}

}  // namespace

void TruePeakInterpolator::allocate(int factor, int taps) {
  factor_ = std::clamp(factor, 1, 32);
  taps_ = std::max(2, taps + (taps & 1));
  kernel_.assign(static_cast<std::size_t>(factor_ * taps_), 0.0f);
  history_.assign(static_cast<std::size_t>(2 * taps_), 0.0f);
  reset();
}

void TruePeakInterpolator::prepareBs1770(double sampleRate) {
  // 4x below 88.2 kHz, 2x up to 176.4 kHz, then the samples themselves (the Annex: points >= 192 kHz apart).
  const int factor = sampleRate < 88200.0 ? 4 : sampleRate < 176400.0 ? 2 : 1;
  allocate(factor, 12);
  for (int j = 0; j < factor_; ++j) {
    if (factor_ == 1) {
      kernel_[6] = 1.0f;  // sample n - 6, so latency() is the same for every factor
      break;
    }
    const int phase = j * (4 / factor_);
    for (int k = 0; k < 12; ++k) kernel_[static_cast<std::size_t>(j * 12 + k)] = static_cast<float>(kBs1770Phases[phase][k]);
  }
  interleave();
}

void TruePeakInterpolator::prepare(int factor, int taps) {
  allocate(factor, taps);
  const double half = taps_ / 2.0;
  for (int j = 0; j < factor_; ++j) {
    double sum = 0.0;
    std::vector<double> row(static_cast<std::size_t>(taps_));
    for (int k = 0; k < taps_; ++k) {
      // Kernel position of tap k for point j (input samples): tap 0 is the newest sample.
      const double u = k - half + static_cast<double>(j) / factor_;
      const double sinc = u == 0.0 ? 1.0 : std::sin(std::numbers::pi * u) / (std::numbers::pi * u);
      const double r = u / half;
      const double window = besselI0(kKaiserBeta * std::sqrt(std::max(0.0, 1.0 - r * r))) / besselI0(kKaiserBeta);
      row[static_cast<std::size_t>(k)] = sinc * window;
      sum += row[static_cast<std::size_t>(k)];
    }
    // Unit gain at DC for every phase (so a constant reads as itself between the samples).
    for (int k = 0; k < taps_; ++k) kernel_[static_cast<std::size_t>(j * taps_ + k)] = static_cast<float>(row[static_cast<std::size_t>(k)] / sum);
  }
  interleave();
}

void TruePeakInterpolator::interleave() {
  std::vector<float> byTap(kernel_.size());
  for (int j = 0; j < factor_; ++j)
    for (int k = 0; k < taps_; ++k) byTap[static_cast<std::size_t>(k * factor_ + j)] = kernel_[static_cast<std::size_t>(j * taps_ + k)];
  kernel_ = std::move(byTap);
}

void TruePeakInterpolator::reset() {
  std::fill(history_.begin(), history_.end(), 0.0f);
  pos_ = 0;
}

void TruePeakInterpolator::pushPoints(float x, float* points) noexcept {
  // history_[pos_ .. pos_+taps) holds newest-first samples; written twice so the window is contiguous.
  pos_ = pos_ == 0 ? taps_ - 1 : pos_ - 1;
  history_[static_cast<std::size_t>(pos_)] = x;
  history_[static_cast<std::size_t>(pos_ + taps_)] = x;
  // Every point's sum runs over the taps in the same order as a point-by-point loop would (bit-identical),
  // but the points are summed side by side: independent additions instead of one long dependent chain
  // (4-8x faster; the compiler can use vector registers for the factor-wide rows).
  const float* h = history_.data() + pos_;
  switch (factor_) {
    case 2: accumulatePoints<2>(kernel_.data(), h, taps_, points); return;
    case 4: accumulatePoints<4>(kernel_.data(), h, taps_, points); return;
    case 8: accumulatePoints<8>(kernel_.data(), h, taps_, points); return;
    default: break;
  }
  for (int j = 0; j < factor_; ++j) points[j] = 0.0f;
  const float* k = kernel_.data();
  for (int t = 0; t < taps_; ++t, k += factor_) {
    const float x = h[t];
    for (int j = 0; j < factor_; ++j) points[j] += k[j] * x;
  }
}

float TruePeakInterpolator::push(float x) noexcept {
  float points[32];  // factor_ <= 32 (prepare)
  pushPoints(x, points);
  float peak = 0.0f;
  for (int j = 0; j < factor_; ++j) peak = std::max(peak, std::fabs(points[j]));
  return peak;
}

int TruePeakInterpolator::meterFactor(double sampleRate) {
  return std::max(1, static_cast<int>(std::ceil(176400.0 / sampleRate - 1e-9)));
}

void TruePeakMeter::prepare(double sampleRate, int channels) {
  interpolators_.assign(static_cast<std::size_t>(std::max(0, channels)), TruePeakInterpolator{});
  for (auto& i : interpolators_) i.prepare(TruePeakInterpolator::meterFactor(sampleRate), kMeterTaps);
  samplePeak_.assign(interpolators_.size(), 0.0f);
  truePeak_.assign(interpolators_.size(), 0.0f);
}

void TruePeakMeter::reset() {
  for (auto& i : interpolators_) i.reset();
  std::fill(samplePeak_.begin(), samplePeak_.end(), 0.0f);
  std::fill(truePeak_.begin(), truePeak_.end(), 0.0f);
}

void TruePeakMeter::add(const float* const* channels, int frames) noexcept {
  for (std::size_t c = 0; c < interpolators_.size(); ++c) {
    float sp = samplePeak_[c], tp = truePeak_[c];
    TruePeakInterpolator& ip = interpolators_[c];
    for (int i = 0; i < frames; ++i) {
      const float x = channels[c][i];
      sp = std::max(sp, std::fabs(x));
      tp = std::max(tp, ip.push(x));
    }
    samplePeak_[c] = sp;
    truePeak_[c] = tp;
  }
}

float TruePeakMeter::samplePeak() const {
  float p = 0.0f;
  for (float v : samplePeak_) p = std::max(p, v);
  return p;
}

float TruePeakMeter::truePeak() const {
  float p = 0.0f;
  for (std::size_t c = 0; c < truePeak_.size(); ++c) p = std::max({p, truePeak_[c], samplePeak_[c]});
  return p;
}

}  // namespace mixdown
