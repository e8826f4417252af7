#include "master/Dither.h"

#include <algorithm>
#include <cmath>

namespace mixdown {

void Dither::prepare(int channels, int bits, DitherShape shape, std::uint32_t seed) {
  bits_ = std::clamp(bits, 8, 24);
  shape_ = shape;
  scale_ = std::ldexp(1.0, bits_ - 1);
  state_ = seed ? seed : 1;
  error_.assign(static_cast<std::size_t>(std::max(0, channels) * 3), 0.0);
}

float Dither::nextUniform() noexcept {
  // xorshift32: fast, deterministic, good enough for dither (period 2^32 - 1).
  state_ ^= state_ << 13;
  state_ ^= state_ >> 17;
  state_ ^= state_ << 5;
  return static_cast<float>(static_cast<double>(state_) / 4294967296.0 - 0.5);
}

std::int32_t Dither::toInteger(float quantised) const {
  return static_cast<std::int32_t>(std::lround(static_cast<double>(quantised) * scale_));
}

void Dither::process(float* const* channels, int frames) noexcept {
  const double lo = -scale_, hi = scale_ - 1.0;
  const std::size_t nch = error_.size() / 3;
  for (std::size_t c = 0; c < nch; ++c) {
    float* x = channels[c];
    double* e = error_.data() + 3 * c;
    for (int i = 0; i < frames; ++i) {
      double v = static_cast<double>(x[i]) * scale_;  // in LSBs
      if (shape_ == DitherShape::NoiseShaped) v -= 1.623 * e[0] - 0.982 * e[1] + 0.109 * e[2];
      double d = 0.0;
      if (shape_ != DitherShape::None) d = static_cast<double>(nextUniform()) + static_cast<double>(nextUniform());
      const double q = std::clamp(std::round(v + d), lo, hi);
      if (shape_ == DitherShape::NoiseShaped) {
        // Error of the whole quantiser (dither included), limited so a clipped over cannot make the
        // feedback run away.
        e[2] = e[1];
        e[1] = e[0];
        e[0] = std::clamp(q - v, -4.0, 4.0);
      }
      x[i] = static_cast<float>(q / scale_);
    }
  }
}

}  // namespace mixdown
