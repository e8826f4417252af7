// Arrangement and note editing on the model, as pure functions: what the studio's commands do to clips
// and notes (split, resize, move, duplicate, loop, quantize, snap). Kept here, not in the studio, so they
// are tested natively and every caller (the studio's views, importers, scripts) means the same thing.
//
// Time: clip start and length are song beats; a clip's notes and its offset and loop are in the clip's
// content beats. The content beat heard at clip position p (0 <= p < length) is contentBeat(clip, p).
#pragma once

#include <string>
#include <vector>

#include "model/Project.h"

namespace mixdown {

// The content beat a clip plays at position `p` beats into it: offset + p, and once that reaches the
// loop's end, wrapped into [loopStart, loopEnd).
double contentBeat(const Clip& clip, double p);

// A stretch of a clip that plays its content straight through: song beats [start, end) play content
// beats from `contentStart` on. An unlooped clip is one segment; a looped one is the run from its offset
// to the loop's end, then one segment per repeat of the loop, the last cut at the clip's end. Segment
// ends are exactly the next one's start (and the last's is start + length of the clip), so consecutive
// segments leave no gap when turned into frames. The one definition of what a clip plays: notes
// (soundingNotes) and audio (the engine's regions) both follow it. Muted clips have segments too.
struct ClipSegment {
  double start = 0.0;         // song beats
  double end = 0.0;           // song beats
  double contentStart = 0.0;  // content beat heard at `start`
  bool operator==(const ClipSegment&) const = default;
};
std::vector<ClipSegment> clipSegments(const Clip& clip);
// Whether the clip's loop is on and has a length (a clip with looped set but loopEnd <= loopStart, which
// validation refuses, plays unlooped).
bool loopsContent(const Clip& clip);

// A note as it sounds in the song: its start and length in song beats (a looped clip repeats its notes,
// a note cut by the clip's edges or the loop's end is shortened there).
struct SoundingNote {
  int pitch = 60;
  double velocity = 0.8;
  double start = 0.0;   // song beats
  double length = 0.0;  // song beats
  bool operator==(const SoundingNote&) const = default;
};
// Every note the clip sounds, in start order (muted clips sound none).
std::vector<SoundingNote> soundingNotes(const Clip& clip);

// Splits the clip at song beat `at` (strictly inside it): the clip keeps [start, at), a new clip placed
// right after it in the track's clip list takes [at, end), each sounding exactly as before. Returns the
// new clip's index, or -1 when `at` is not inside.
int splitClip(Track& track, int clipIndex, double at);

// Moves the clip's left edge to song beat `newStart` (the content stays where it sounds: the offset
// moves with the edge) or its right edge to `newEnd`. Lengths stay at least `minLength` beats; the left
// edge cannot go before the content's start (offset 0) unless the clip loops.
void resizeClipStart(Clip& clip, double newStart, double minLength = 1.0 / 64);
void resizeClipEnd(Clip& clip, double newEnd, double minLength = 1.0 / 64);

// Copies of clips placed right after the span they cover together (the usual Ctrl+D), on the same
// tracks. `clips` are (track index, clip index) pairs; returns the copies' (track, clip) indices.
struct ClipRef {
  int track = -1;
  int clip = -1;
  bool operator==(const ClipRef&) const = default;
};
std::vector<ClipRef> duplicateClips(Project& project, const std::vector<ClipRef>& clips);

// Moves a clip by `beats` (never before beat 0) and, when `toTrack` differs, to that track if it is of
// the same kind (instrument clips to instrument tracks, audio to audio). Returns the clip's new ref,
// or `from` unchanged when the target track cannot take it.
ClipRef moveClip(Project& project, ClipRef from, double beats, int toTrack);

// Turns a clip's content loop on over [loopStart, loopEnd) content beats (off when loopEnd <= loopStart).
void setClipLoop(Clip& clip, double loopStart, double loopEnd);

// Grid for snapping and quantizing: a step in beats (a quarter note is 1 beat; 1/16 is 0.25), or 0 off.
struct Grid {
  double step = 0.25;
  bool triplet = false;  // the step times 2/3
  double beats() const { return triplet ? step * 2.0 / 3.0 : step; }
};
// The nearest grid line to `beat` (or `beat` itself when the grid is off).
double snap(double beat, const Grid& grid);

// Moves each note's start toward its nearest (swung) grid line by `strength` (0..1; 1 lands on the line).
// `swing` (0..1) delays every second grid line (the off-beats of the grid) by that fraction of a step.
// Only the notes whose indices are in `which` move (all when it is empty); lengths are kept and every
// note keeps its index in the vector.
void quantizeNotes(std::vector<Note>& notes, const std::vector<int>& which, const Grid& grid, double strength, double swing);

}  // namespace mixdown
