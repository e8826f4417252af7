// Stems: what each track and bus adds to the master bus, tapped inside the engine's own mix.
//
// A stem is one input of the master bus, taken where the mix sums it: a track's output after its
// inserts, fader and pan, with the delay compensation the mix gives it, and without its sends (what a
// send feeds sounds in that return's stem); a bus's or return's stem is its output, its processing
// applied to everything routed or sent into it. Each is scaled by the master fader sample by sample as
// the mix is, so the stems of the tracks and buses whose output is the master sum to the master chain's
// input (see core/engine/README.md). A track whose output is a bus is tapped where it enters the bus
// and delayed by the bus path's latency (`delay`), so it lines up with the rest.
//
// Threads: Engine::attachStems fills it on the control thread (allocates); the audio thread writes
// `out` on every process() call while it is attached and never allocates.
#pragma once

#include <string>
#include <vector>

namespace mixdown {

struct StemTap {
  struct Stem {
    std::string trackId;
    int trackIndex = -1;  // in the project's track list
    bool bus = false;     // a bus or return
    int output = -1;      // the project track index its output feeds, or -1 for the master
    int delay = 0;        // samples after the tap, so a track feeding a bus lines up at the master
    std::vector<float> line[2];  // the delay line (`delay` samples each)
    int pos = 0;                 // audio thread
    std::vector<float> out[2];   // the last process() call's frames (maxBlock each)
  };
  std::vector<Stem> stems;  // one per project track, in project order
  int frames = 0;           // valid frames in `out` after the last process() call
};

}  // namespace mixdown
