// Band-limited single-cycle wavetables for the classic waveforms, one table per third of an octave.
// Each table holds only the harmonics that stay below Nyquist for the highest fundamental it serves,
// so an oscillator reading it produces no aliasing at all (the synthesizer's aliasing test proves it).
#pragma once

#include <memory>
#include <vector>

namespace mixdown {

enum class Waveform { Sine = 0, Triangle = 1, Saw = 2, Square = 3, Noise = 4 };

class WavetableBank {
 public:
  static constexpr int kTableSize = 2048;        // samples per cycle (power of two)
  static constexpr int kMaxHarmonics = kTableSize / 2 - 1;
  static constexpr double kLowestTopHz = 20.0;   // top fundamental of table 0
  static constexpr int kTablesPerOctave = 3;

  // Control thread: builds every table for this sample rate (a few ms).
  explicit WavetableBank(double sampleRate);

  // Shared bank for a sample rate, built on first use. Control threads only (it locks).
  static std::shared_ptr<const WavetableBank> forSampleRate(double sampleRate);

  double sampleRate() const { return sampleRate_; }
  // Index of the table to read for a fundamental of `hz`. Audio thread.
  int tableFor(double hz) const;
  // Table data: kTableSize + 1 samples (the last repeats the first for interpolation). Audio thread.
  const float* table(Waveform w, int index) const;
  int tableCount() const { return tableCount_; }
  int harmonicsOf(int index) const { return harmonics_[static_cast<size_t>(index)]; }

 private:
  double sampleRate_;
  int tableCount_ = 0;
  std::vector<int> harmonics_;
  std::vector<float> data_;  // [waveform 0..3][table][kTableSize + 1]
};

}  // namespace mixdown
