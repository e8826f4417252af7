// Musical time: the one place that converts beats, bars, seconds and sample frames.
//
// A beat is a quarter note everywhere (positions, lengths, BPM), whatever the time signature; a bar of
// n/d lasts n * 4 / d beats (6/8: 3 beats, 7/8: 3.5). The tempo map starts at Project::tempo and follows
// Project::tempoChanges. Before a Step point the tempo holds (seconds grow linearly with beats), then
// jumps; before a Linear point the BPM ramps linearly in beats from the previous point's (or the start
// tempo) to the point's, so the ramp's duration is the exact integral of
// 60 / bpm(beat) d(beat): t(x) = 60 / k * ln(1 + k x / bpm0) with slope k in BPM per beat (computed
// with log1p/expm1, so a nearly flat ramp loses no precision). Frames are that time times the sample
// rate, rounded to the nearest sample once (never accumulated).
//
// Threads: built on the control thread (it allocates); every query is const, O(log n) (a binary search
// over the segments' precomputed starts), never allocates, locks or throws: safe on the audio thread.
//
// With no tempo changes every conversion is the arithmetic Mixdown always used, bit for bit (the golden
// and wasm-vs-native tests depend on it): frameOfBeat is llround(beat * 60 / bpm * sampleRate) and
// beatOfFrame is frame * (bpm / (60 * sampleRate)), as the engine's automation computed it. With changes,
// frameOfBeat and beatOfFrame before the first change are still those same expressions.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "model/Project.h"

namespace mixdown {

// Constant-tempo conversions (kept for code that has no Project at hand; the engine uses Timeline).
// Frame (rounded to the nearest sample) at which `beat` falls.
inline std::int64_t frameOfBeat(double beat, double tempoBpm, double sampleRate) {
  const double frames = beat * 60.0 / tempoBpm * sampleRate;
  if (!(frames == frames)) return 0;  // NaN; out-of-range values saturate at +-2^53 frames (as Timeline's)
  return static_cast<std::int64_t>(std::llround(frames < -9007199254740992.0 ? -9007199254740992.0 : frames > 9007199254740992.0 ? 9007199254740992.0 : frames));
}

inline double beatOfFrame(std::int64_t frame, double tempoBpm, double sampleRate) {
  return static_cast<double>(frame) / sampleRate * tempoBpm / 60.0;
}

// Where a beat falls in the bar grid.
struct BarPosition {
  int bar = 1;              // 1-based
  double beatInBar = 1.0;   // 1-based, in the signature's own beat unit (eighths in 6/8, quarters in 4/4)
  TimeSignature signature;  // of this bar
};

class Timeline {
 public:
  // 120 BPM, 4/4, 48 kHz: what an empty project gives.
  Timeline();
  // Control thread. A project refused by validation still gives finite answers: a tempo point that is
  // out of order or not a positive finite BPM is skipped, as is a signature change that is out of order
  // or out of range.
  Timeline(const Project& project, double sampleRate);

  double sampleRate() const { return sampleRate_; }
  // True when the tempo map has more than the start tempo (the fast path is off).
  bool hasTempoChanges() const { return tempo_.size() > 1; }

  // The frame at which `beat` falls, rounded to the nearest sample. Beats before 0 extend the start tempo.
  std::int64_t frameOfBeat(double beat) const;
  // The first frame at or after `beat` (the exact time rounded up, not to the nearest: a click or any
  // onset that must not sound before its beat). A time within 1e-6 samples above a frame counts as on it,
  // so a beat that falls on a sample exactly is not pushed to the next one by rounding in the tempo map.
  std::int64_t frameAtOrAfterBeat(double beat) const;
  // The beat at `frame` (a fractional frame is allowed): frameOfBeat's inverse, within half a sample.
  double beatOfFrame(double frame) const;
  // Seconds from the song's start to `beat`, unrounded, and the inverse.
  double secondsOfBeat(double beat) const;
  double beatOfSeconds(double seconds) const;
  // Frames that `beats` beats starting at `fromBeat` last, rounded once (for a span measured from a
  // position, e.g. where an audio clip's playback begins inside its source).
  std::int64_t framesOfSpan(double fromBeat, double beats) const;
  // BPM at `beat` (on a step, the new tempo; after the last point, its BPM).
  double tempoAt(double beat) const;
  // Whether `other` maps beats to frames exactly as this one does (the same rate and tempo map; the bar
  // grid may differ). Audio thread safe: compares a few values, never allocates.
  bool sameTempoMap(const Timeline& other) const {
    return sampleRate_ == other.sampleRate_ && startTempo_ == other.startTempo_ && tempo_ == other.tempo_;
  }

  // The beat at which `bar` (1-based) starts; bars before 1 extend bar 1's signature backwards.
  double barStartBeat(int bar) const;
  // The bar (1-based) holding `beat`.
  int barOfBeat(double beat) const;
  TimeSignature signatureAtBar(int bar) const;
  BarPosition positionOf(double beat) const;

 private:
  // A stretch of the tempo map from one point to the next.
  struct TempoSegment {
    double beat = 0.0;        // start, beats
    double frame = 0.0;       // start, frames (unrounded)
    double bpm = 120.0;       // at the start
    double slope = 0.0;       // BPM per beat: 0 on a step (or a flat ramp)
    double beatsPerFrame = 0.0;  // bpm / (60 * sampleRate), for steps
    bool operator==(const TempoSegment&) const = default;
  };
  // A run of bars in one signature.
  struct SignatureSegment {
    int bar = 1;
    double beat = 0.0;        // where `bar` starts
    double beatsPerBar = 4.0; // numerator * 4 / denominator
    TimeSignature signature;
  };
  const TempoSegment& segmentAtBeat(double beat) const;
  const TempoSegment& segmentAtFrame(double frame) const;
  const SignatureSegment& signatureAtBeat(double beat) const;
  double framesInto(const TempoSegment& s, double beats) const;   // unrounded
  double beatsInto(const TempoSegment& s, double frames) const;

  double sampleRate_ = 48000.0;
  double startTempo_ = 120.0;       // BPM
  double startBeatsPerFrame_ = 0.0; // startTempo_ / (60 * sampleRate_)
  std::vector<TempoSegment> tempo_;          // at least one, the first at beat 0
  std::vector<SignatureSegment> signatures_; // at least one, the first at bar 1
};

}  // namespace mixdown
