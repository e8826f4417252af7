// The metronome of the live engine: a click on every beat of the time signature (the signature's own
// beat unit: eighths in 6/8), the bar's first beat accented, and the count-in's clicks. Monitoring only:
// the Engine adds it to its output after the master chain and the meters, and offline renders never turn
// it on.
//
// A click is a 25 ms cosine burst with a 5 ms exponential decay (1.5 kHz at full level on a bar's first
// beat, 1 kHz at half level on the others), starting on its first sample at full amplitude so its onset
// is the first sample at or after the beat. Tables are built by prepare(); the audio thread only reads
// them and a fixed set of voices.
//
// Threads: prepare() on the control thread (it allocates); everything else on the audio thread, never
// allocating, locking or throwing.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "engine/Timeline.h"

namespace mixdown {

// A beat's click: the first frame at or after the beat, and whether it is a bar's first beat.
struct BeatOnset {
  std::int64_t frame = 0;
  bool downbeat = false;
};
// Any thread (pure): the first beat onset at or after `frame` (beats of each bar's own signature, through
// the tempo map).
BeatOnset nextBeatOnset(const Timeline& timeline, std::int64_t frame) noexcept;

class Metronome {
 public:
  static constexpr double kClickSeconds = 0.025;
  static constexpr double kDecaySeconds = 0.005;
  static constexpr double kAccentHz = 1500.0, kBeatHz = 1000.0;
  static constexpr float kBeatLevel = 0.5f;  // the other beats, against the accent's 1.0

  // Control thread.
  void prepare(double sampleRate);
  // Audio thread: schedules the clicks of the beats whose onsets fall in timeline frames [from, from +
  // frames), each `delay` + its offset from `from` + `at` output frames into the current block.
  void scheduleBeats(const Timeline& timeline, std::int64_t from, int frames, int at, int delay) noexcept;
  // Audio thread: one click, `at` output frames into the current block (may be beyond it).
  void schedule(int at, bool accent) noexcept;
  // Audio thread: adds the sounding clicks times `gain` (linear) into both channels, then moves on by
  // `frames`. Adds nothing at all (not even zeros) when no click sounds.
  void render(float* left, float* right, int frames, float gain) noexcept;
  // Audio thread: silences every click (scheduled or sounding).
  void reset() noexcept;
  bool sounding() const noexcept;

 private:
  struct Voice {
    int wait = 0;   // output frames until it starts (0: started)
    int age = -1;   // frames played; -1: free
    bool accent = false;
  };
  std::vector<float> accent_, beat_;
  std::array<Voice, 8> voices_{};
};

}  // namespace mixdown
