// Peak meter for a stereo strip: the audio thread raises the held peak, the reader takes it (and
// clears it). Linear amplitude; convert with gainToDb for display.
#pragma once

#include <algorithm>
#include <atomic>
#include <cmath>

namespace mixdown {

class PeakMeter {
 public:
  // Audio thread.
  void add(const float* left, const float* right, int frames) {
    float l = 0.0f, r = 0.0f;
    for (int i = 0; i < frames; ++i) {
      l = std::max(l, std::fabs(left[i]));
      r = std::max(r, std::fabs(right[i]));
    }
    raise(left_, l);
    raise(right_, r);
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
  std::atomic<float> left_{0.0f}, right_{0.0f};
};

}  // namespace mixdown
