// Audio clips drawn as waveforms. Each asset's peaks are computed once, when its audio arrives from the
// page (web/boot.js hands the decoded PCM over in slices): the minimum and maximum of every bucket of
// kFinestBucket frames (the channels together), then coarser levels of 4x as many frames each, built
// from the level below. Drawing picks, per pixel column, the coarsest level whose buckets are no wider
// than the column and takes the extremes of the buckets the column covers: the cost of a frame is the
// clip's width in pixels, whatever the zoom or the file's length, and nothing is recomputed per frame.
#pragma once

#include <functional>
#include <string>

#include "imgui.h"
#include "engine/Timeline.h"
#include "model/Project.h"

namespace mixdown::ui {

// Audio of asset `id` arriving in slices (main thread, the page's bridge): begin, then for each slice
// write `frames` samples per channel (planar: channel 0, then channel 1) at assetPeaksSlice(frames) and
// call addAssetPeaks(frames), then endAssetPeaks().
void beginAssetPeaks(const std::string& id, int channels, double sampleRate);
float* assetPeaksSlice(int frames);
void addAssetPeaks(int frames);
void endAssetPeaks();
bool hasAssetPeaks(const std::string& id);

// Where a clip is drawn: the timeline's mapping and the rectangle for the waveform (the clip's body).
struct WaveformArea {
  float laneX = 0;          // x of beat `firstBeat`
  double firstBeat = 0;
  float pixelsPerBeat = 24;
  float x0 = 0, x1 = 0;     // the visible part of the clip
  float top = 0, bottom = 0;
};

// Draws clip `clip` of asset `asset`'s peaks: its offset, length, content loop (the source repeats) and
// gain (the height scales with it, clipped at the clip's edges) honoured, through the tempo map (the
// source is not stretched: content beat b sounds secondsOfBeat(...) into the file, as the engine plays
// it). False when the asset has no peaks (its audio is missing).
bool drawWaveform(ImDrawList* dl, const Clip& clip, const Timeline& timeline, const WaveformArea& area, ImU32 colour);

// Draws seconds [fromSeconds, toSeconds) of asset `asset`'s peaks across the rectangle min..max (the
// sampler editor's waveform), each pixel column in colourAt(its first second). False when the asset has
// no peaks.
bool drawAssetSeconds(ImDrawList* dl, const std::string& asset, double fromSeconds, double toSeconds, ImVec2 min, ImVec2 max,
                      const std::function<ImU32(double seconds)>& colourAt);

}  // namespace mixdown::ui
