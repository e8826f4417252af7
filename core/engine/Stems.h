// Stems of a song: which files a stem export writes, what each holds, and the render that fills them
// through the engine's own mix (StemTap.h), so they sum to what the master chain is given.
//
// What a stem is here (as most DAWs export them): a track's stem is its own output, after its inserts,
// fader and pan, delay-compensated as in the mix; its sends are not in it (what they feed sounds in the
// return's stem). A bus's stem (a group fed by track outputs) and a return's (a bus fed only by sends)
// is its output: its own processing applied to everything routed or sent into it.
//   - Tracks only (the default): one file per track that is not a bus. They sum to the mix before the
//     master chain when the song has no buses or returns; a track whose output is a bus is its output as
//     it enters the bus, delayed by the bus path's latency so it still lines up.
//   - With buses: one file per bus and return as well; the files at the top level are the master bus's
//     inputs (tracks whose output is the master, buses and returns whose output is the master) and sum
//     to the mix before the master chain exactly (up to float rounding); a track (or bus) whose output
//     is a bus is written in the folder "inside buses/" so it is not counted twice.
// Every stem is scaled by the master fader (the mix before the master chain includes it).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "engine/AssetPcm.h"
#include "engine/StemTap.h"
#include "model/Project.h"

namespace mixdown {

enum class StemKind { Track, Bus, Return };

struct StemFile {
  int track = -1;         // the project's track index
  StemKind kind = StemKind::Track;
  std::string path;       // relative, without extension: "03 Lead Synth", "05 Drums (bus)", "inside buses/01 Kick"
  bool inMix = true;      // one of the files that sum to the mix (false: inside a bus, or tracks-only with buses)
};

// Any thread (pure): the files a stem export of `project` writes, in track order. Names are the track's
// name (its id when it has none) with every character other than letters, digits, space and ._-()&+,'
// replaced by '_', cut to 60 characters, after the track's position (1-based, zero-padded to the width of
// the track count, at least 2): unique because the number is.
std::vector<StemFile> stemFiles(const Project& project, bool buses);

// Any thread (pure): "track", "bus" or "return".
const char* stemKindName(StemKind kind);

// Receives each rendered block: the tap (tap.frames frames in each stems[k].out, k the project's track
// index) and the mix as the engine outputs it (after the master chain).
using StemSink = std::function<void(const StemTap& tap, const float* mixLeft, const float* mixRight, int frames)>;

// Control thread: renders `frames` frames of the song from its start (the loop ignored) as renderOffline
// does, in blocks of `blockSize` (cycling through `blockSizes` when given), handing every block's stems
// to `sink`. Memory stays constant whatever the song's length.
void renderStemsTo(const Project& project, const AssetLibrary& assets, double sampleRate, std::int64_t frames, int blockSize,
                   const std::vector<int>& blockSizes, const StemSink& sink, const std::function<void(double)>& progress = {});

}  // namespace mixdown
