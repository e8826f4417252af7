// Dither for writing integer samples (16 or 24 bit). Quantises float samples in place to exact multiples
// of one LSB (1 / 2^(bits-1)), clamped to the integer range.
//
// Shapes:
//   Tpdf         triangular dither of +-1 LSB (two uniform sources): the error is independent of the
//                signal (no truncation distortion) and white; total noise LSB/2 RMS (-96.3 dBFS at 16 bit).
//   NoiseShaped  the same dither with the error fed back through Wannamaker's 3-tap E-weighted filter
//                (1.623, -0.982, 0.109; "Psychoacoustically optimal noise shaping", JAES 1992): the noise
//                moves from 1-5 kHz, where hearing is most sensitive, to high frequencies.
//   None         plain rounding (for comparisons; distorts low-level signals).
#pragma once

#include <cstdint>
#include <vector>

namespace mixdown {

enum class DitherShape { None, Tpdf, NoiseShaped };

class Dither {
 public:
  // Control thread. `seed` makes the noise reproducible (renders are deterministic).
  void prepare(int channels, int bits, DitherShape shape, std::uint32_t seed = 0x6d697864u);
  // Audio or offline thread: quantises `frames` samples of each channel in place. Never allocates.
  void process(float* const* channels, int frames) noexcept;
  // The integer a quantised sample stands for (what the file stores).
  std::int32_t toInteger(float quantised) const;
  int bits() const { return bits_; }

 private:
  float nextUniform() noexcept;  // uniform in [-0.5, 0.5) LSB
  int bits_ = 16;
  DitherShape shape_ = DitherShape::Tpdf;
  double scale_ = 32768.0;  // LSBs per full scale
  std::uint32_t state_ = 1;
  std::vector<double> error_;  // 3 past errors per channel (noise shaping)
};

}  // namespace mixdown
