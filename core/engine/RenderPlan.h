// A Project flattened for the audio thread: every track with its devices, its events as sorted
// sample frames and its audio clip regions, plus prepared buffers. Built on the control thread,
// immutable in shape once handed to the engine; the audio thread only walks it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "devices/Device.h"
#include "devices/MixerStrip.h"
#include "engine/AssetPcm.h"
#include "engine/PeakMeter.h"
#include "engine/Timeline.h"
#include "model/Project.h"

namespace mixdown {

struct TimedNoteEvent {
  std::int64_t frame = 0;
  NoteEvent::Type type = NoteEvent::Type::NoteOn;
  std::uint8_t pitch = 0;
  float velocity = 0.0f;
};

struct AudioRegion {
  std::int64_t start = 0;        // first timeline frame
  std::int64_t end = 0;          // one past the last timeline frame
  std::int64_t sourceOffset = 0; // asset frame played at `start`
  float gain = 1.0f;
  std::shared_ptr<const AssetPcm> asset;  // null if the asset is missing: the region is silent
};

// A note as placed on the timeline, kept for chasing (restarting notes already sounding at a locate).
struct TimedNote {
  std::int64_t on = 0, off = 0;
  std::uint8_t pitch = 0;
  float velocity = 0.0f;
};

struct PlannedTrack {
  std::string id;
  std::unique_ptr<Device> instrument;  // instrument tracks
  std::vector<std::unique_ptr<Device>> inserts;  // effects in order (bypassed ones are left out)
  std::vector<int> insertIndex;                  // the model's index of each insert, for live edits
  std::unique_ptr<MixerStrip> strip;
  std::vector<int> insertSidechain;    // per insert: the track whose output keys it, or -1
  int latency = 0;                     // of the inserts, samples
  bool bus = false;                    // a bus: its source is what other tracks route into it
  std::vector<float> busIn[2];         // buses: the sum of their inputs this block
  std::vector<float> pre[2];           // post-insert, pre-fader signal (stereo), when a pre-fader send needs it
  // Where the track's signal goes: its output (to a bus or the master, -1) and its sends. Each carries the
  // delay that lines it up with the latest path arriving at the same place (delay compensation).
  struct Route {
    int to = -1;
    float gain = 1.0f;
    bool pre = false;
    int delay = 0;
    std::vector<float> line[2];
    int pos = 0;
  };
  std::vector<Route> routes;
  // Automation lanes, by kind: strip gain/pan per sample, insert parameters on a 32-sample grid of the
  // timeline (so the result does not depend on the block size).
  struct Lane {
    enum Kind { Gain, Pan, Param } kind = Gain;
    int insert = -1, param = -1;
    std::vector<AutomationPoint> points;
  };
  std::vector<Lane> lanes;
  std::vector<float> autoGain, autoPan;  // per-sample values for the strip (allocated when lanes exist)
  std::vector<TimedNoteEvent> events;  // sorted by frame; note-offs before note-ons at the same frame
  std::vector<TimedNote> notes;        // sorted by `on`, for chasing
  std::vector<NoteEvent> chase;        // note-ons to replay at the next render (capacity prepared)
  std::vector<AudioRegion> regions;    // audio tracks
  int channels = 1;                    // source channels feeding the strip (1 or 2)
  std::size_t cursor = 0;              // next event to play (audio thread)
  std::vector<float> source[2];        // maxBlock samples each
  std::vector<float> out[2];
  PeakMeter meter;
};

inline constexpr int kAutomationGrid = 32;  // samples: insert parameters follow automation on this grid

struct RenderPlan {
  double sampleRate = 48000.0;
  int maxBlock = 0;
  std::vector<std::unique_ptr<PlannedTrack>> tracks;
  std::vector<int> order;             // tracks in processing order: every source before what it feeds or keys
  double masterGainDb = 0.0;          // from the project; the engine smooths and applies it
  Timeline timeline;                  // the project's beats <-> frames at this plan's sample rate
  double tempo = 120.0;               // BPM at the frame being rendered, for tempo-synced effects
  int latency = 0;                    // the largest track latency: every track is delayed to it
  std::int64_t endFrame = 0;           // end of the last clip
  std::vector<NoteEvent> scratchEvents;  // capacity for one span's events
  std::vector<float> mix[2];

  // Control thread: builds and prepares every device. Missing assets leave their regions silent and
  // are listed in `missingAssets`.
  static std::unique_ptr<RenderPlan> build(const Project& project, const AssetLibrary& assets, double sampleRate,
                                           int maxBlock, std::vector<std::string>* missingAssets = nullptr);

  // Audio thread: moves every track's event cursor to the first event at or after `frame`. With
  // `chase`, notes that began before `frame` and are still held there restart at the next render, so
  // starting playback inside a long note (or looping into one) sounds it.
  void locate(std::int64_t frame, bool chase);
  // Audio thread: releases every sounding note (transport stop, seek, loop wrap).
  void releaseAll();
  // Audio thread: renders `frames` (<= maxBlock) frames of timeline starting at `start` into
  // outL/outR (overwritten). When `advance` is false the timeline is stopped: no events or clips play,
  // but instruments keep sounding their tails.
  void render(std::int64_t start, int frames, bool advance, float* outL, float* outR) noexcept;

 private:
  void renderTrack(PlannedTrack& track, std::int64_t start, int frames, bool advance) noexcept;
  void runInserts(PlannedTrack& track, float* const* source, int offset, int frames) noexcept;
  bool releasePending_ = false;
};

}  // namespace mixdown
