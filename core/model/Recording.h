// A recorded take of notes (live playing, MIDI recording, retroactive capture) placed on an instrument
// track: into a new clip where the track has none, else overdubbed onto (or replacing the notes of) the
// clips it was played over. Plain beats: the caller converts the audio clock's frames with the timeline
// (core/engine/Timeline.h) and decides the clip's bounds (whole bars around the take).
#pragma once

#include <string>
#include <vector>

#include "model/Project.h"

namespace mixdown {

// A note as played, on the song's timeline (beats from the song's start).
struct RecordedNote {
  int pitch = 60;
  double velocity = 0.8;  // 0..1
  double start = 0.0;
  double end = 0.0;       // > start
};

// What a take does where the track already has clips under it.
enum class RecordMode {
  Overdub,  // the notes join the clips they were played over (a note belongs to the clip its start is in)
  Replace   // the notes those clips had between the take's start and end are removed first
};

struct Take {
  std::vector<RecordedNote> notes;
  double from = 0.0, to = 0.0;  // the span the take covers (beats; whole bars from the caller); to > from
  RecordMode mode = RecordMode::Overdub;
  double quantize = 0.0;         // beats: note starts move to the nearest multiple (lengths kept); 0: as played
  std::string clipName = "Recording";
};

// Places `take` on track `trackIndex` of `project`. Notes starting outside every existing clip go to one
// new clip spanning [take.from, take.to) but ending where the next clip begins (so it never overlaps
// one). Notes are kept inside their clip (a note running past the clip's end is cut there). Returns ""
// or what was wrong (not an instrument track, no notes, a bad span or value), leaving the project as it was.
std::string placeTake(Project& project, int trackIndex, const Take& take);

}  // namespace mixdown
