// Renders a whole project offline through the same Engine the browser runs, block by block.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/AssetPcm.h"
#include "model/Project.h"

namespace mixdown {

struct StemTap;

inline constexpr double kDefaultTailSeconds = 2.0;  // release tails after the last clip

// Frames from the start to the end of the last clip plus the tail.
std::int64_t defaultRenderFrames(const Project& project, double sampleRate);

// Receives rendered audio in order, a block at a time (left, right, frames).
using RenderSink = std::function<void(const float* left, const float* right, int frames)>;

// Streams a stereo render of `frames` frames to `sink` in blocks of `blockSize` (cycling through
// `blockSizes` when given). Memory stays constant whatever the song's length. With `stems`, the engine
// fills that tap each block before `sink` is called (Stems.h).
void renderOfflineTo(const Project& project, const AssetLibrary& assets, double sampleRate, std::int64_t frames,
                     int blockSize, const std::vector<int>& blockSizes, const RenderSink& sink,
                     const std::function<void(double)>& progress = {}, StemTap* stems = nullptr);

// Stereo render of `frames` frames from the song's start, in blocks of `blockSize` (split by
// `blockSizes` cyclically if given, for tests of block-size independence). The loop region is
// ignored: an offline render plays the song through. `progress` (0..1) is called now and then.
std::vector<std::vector<float>> renderOffline(const Project& project, const AssetLibrary& assets, double sampleRate,
                                              std::int64_t frames, int blockSize,
                                              const std::vector<int>& blockSizes = {},
                                              const std::function<void(double)>& progress = {});

}  // namespace mixdown
