// Linear parameter smoother: moves toward a target in a fixed number of samples so a parameter change
// never steps (no zipper noise). Plain value, audio thread only after prepare().
#pragma once

#include <cmath>

namespace mixdown {

class LinearSmoother {
 public:
  // Control thread (or audio thread before first use). rampSamples >= 1.
  void prepare(double sampleRate, double rampMs) {
    rampSamples_ = std::max(1, static_cast<int>(std::lround(sampleRate * rampMs * 0.001)));
  }
  // Jumps to a value with no ramp (reset, first block).
  void snap(float v) {
    current_ = target_ = v;
    step_ = 0.0f;
    remaining_ = 0;
  }
  // Audio thread: starts a ramp if the target changed.
  void setTarget(float v) {
    if (v == target_) return;
    target_ = v;
    remaining_ = rampSamples_;
    step_ = (target_ - current_) / static_cast<float>(remaining_);
  }
  // Audio thread: the value for the next sample.
  float next() {
    if (remaining_ > 0) {
      --remaining_;
      current_ = remaining_ == 0 ? target_ : current_ + step_;
    }
    return current_;
  }
  bool ramping() const { return remaining_ > 0; }
  float current() const { return current_; }
  float target() const { return target_; }

 private:
  float current_ = 0.0f, target_ = 0.0f, step_ = 0.0f;
  int remaining_ = 0;
  int rampSamples_ = 1;
};

}  // namespace mixdown
