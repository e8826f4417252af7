// Peak and RMS meter for a stereo strip: the audio thread raises the held peak, the reader takes it (and
// clears it); RMS is a running 300 ms average of the power, read at any time. Linear amplitude; convert
// with gainToDb for display.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>

namespace mixdown {

class PeakMeter {
 public:
  // Control thread, before use: the RMS averaging time (300 ms) at this rate.
  void prepare(double sampleRate) { rmsCoef_ = std::exp(-1.0 / (0.3 * sampleRate)); }
  // Audio thread.
  void add(const float* left, const float* right, int frames) {
    float l = 0.0f, r = 0.0f;
    double pl = powerL_, pr = powerR_;  // double: a 300 ms average moves by 7e-5 a sample, below float's grain
    const double k = rmsCoef_;
    for (int i = 0; i < frames; ++i) {
      l = std::max(l, std::fabs(left[i]));
      r = std::max(r, std::fabs(right[i]));
      const double sl = static_cast<double>(left[i]) * left[i], sr = static_cast<double>(right[i]) * right[i];
      pl = sl + (pl - sl) * k;
      pr = sr + (pr - sr) * k;
    }
    powerL_ = pl < 1e-30 ? 0.0 : pl;  // no denormals in a silent tail
    powerR_ = pr < 1e-30 ? 0.0 : pr;
    rmsLeft_.store(static_cast<float>(std::sqrt(powerL_)), std::memory_order_relaxed);
    rmsRight_.store(static_cast<float>(std::sqrt(powerR_)), std::memory_order_relaxed);
    raise(left_, l);
    raise(right_, r);
  }
  // Audio thread: silence would change nothing (the running power is zero; peaks of zero raise nothing).
  bool settled() const { return powerL_ == 0.0 && powerR_ == 0.0; }
  // Any thread: the running RMS (a sine of amplitude A reads A / sqrt 2).
  void rms(float& left, float& right) const {
    left = rmsLeft_.load(std::memory_order_relaxed);
    right = rmsRight_.load(std::memory_order_relaxed);
  }
  // Any thread: the highest peak since the last take, then starts a new period.
  void take(float& left, float& right) {
    left = left_.exchange(0.0f, std::memory_order_relaxed);
    right = right_.exchange(0.0f, std::memory_order_relaxed);
  }

 private:
  static void raise(std::atomic<float>& a, float v) {
    if (v > a.load(std::memory_order_relaxed)) a.store(v, std::memory_order_relaxed);
  }
  std::atomic<float> left_{0.0f}, right_{0.0f}, rmsLeft_{0.0f}, rmsRight_{0.0f};
  double powerL_ = 0.0, powerR_ = 0.0;  // audio thread
  double rmsCoef_ = std::exp(-1.0 / (0.3 * 48000.0));
};

// Stereo correlation (Pearson, over a running 300 ms window): +1 mono, 0 unrelated, -1 out of phase.
// Audio thread adds; any thread reads. Silence reads 0.
class CorrelationMeter {
 public:
  void prepare(double sampleRate) { coef_ = std::exp(-1.0 / (0.3 * sampleRate)); }
  void add(const float* left, const float* right, int frames) {
    double lr = lr_, ll = ll_, rr = rr_;
    for (int i = 0; i < frames; ++i) {
      const double l = left[i], r = right[i];
      lr = l * r + (lr - l * r) * coef_;
      ll = l * l + (ll - l * l) * coef_;
      rr = r * r + (rr - r * r) * coef_;
    }
    lr_ = std::fabs(lr) < 1e-30 ? 0.0 : lr;
    ll_ = ll < 1e-30 ? 0.0 : ll;
    rr_ = rr < 1e-30 ? 0.0 : rr;
    const double norm = std::sqrt(ll_ * rr_);
    value_.store(norm > 1e-12 ? static_cast<float>(std::clamp(lr_ / norm, -1.0, 1.0)) : 0.0f, std::memory_order_relaxed);
  }
  float value() const { return value_.load(std::memory_order_relaxed); }

 private:
  double coef_ = std::exp(-1.0 / (0.3 * 48000.0));
  double lr_ = 0.0, ll_ = 0.0, rr_ = 0.0;
  std::atomic<float> value_{0.0f};
};

}  // namespace mixdown
