// A Project flattened for the audio thread: every track with its devices, its events as sorted sample
// frames and its audio clip regions, plus prepared buffers. Built on the control thread, immutable in
// shape once handed to the engine; the audio thread only walks it.
//
// Plans are rebuilt on every structural edit, but what carries sound is not: a track's stateful parts
// (its strip, meter and buffers, its instrument and every insert, each route's delay line) are shared
// with the plan before, by shared_ptr, whenever the description they were built from did not change. A
// new plan costs the parts that changed (one clip's events, one insert), and everything else goes on
// exactly as if no edit had happened: reverb tails, compressor envelopes and sounding notes included.
// Only parts that really were replaced cross-fade (a new insert fades in, a removed one out; a new
// track fades in, a removed one fades out), over kFadeFrames.
//
// Threads: build() on the control thread; adopt(), locate(), releaseAll() and render() on the audio
// thread. The audio thread never frees: a plan it is done with goes back to the control thread, which
// drops its references (and with the last reference, the parts) there.
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

struct StemTap;

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

// The notes of an instrument track's clips on the timeline; built when its clips (or the timing) change.
struct NoteSchedule {
  std::vector<TimedNoteEvent> events;  // sorted by frame; note-offs before note-ons at the same frame
  std::vector<TimedNote> notes;        // sorted by `on`, for chasing
  std::int64_t endFrame = 0;           // end of the last clip
};

inline constexpr int kAutomationGrid = 32;  // samples: insert parameters follow automation on this grid
inline constexpr int kFadeFrames = 256;     // cross-fade of a part that was added, removed or replaced
inline constexpr std::size_t kMaxChasedNotes = 128;

// The stateful pieces of one track that outlive plans while the track keeps its id and kind: the strip
// (its smoothed gains), the meter, and the buffers the audio thread works in.
struct TrackParts {
  std::unique_ptr<MixerStrip> strip;
  int channels = 1;                     // source channels feeding the strip (1 or 2)
  PeakMeter meter;
  std::vector<float> source[2], out[2], pre[2], busIn[2], scratch[2];  // maxBlock samples each
  std::vector<float> autoGain, autoPan;                                 // per-sample strip automation
  std::vector<NoteEvent> chase;        // note-ons to replay at the next render (capacity prepared)
  std::vector<NoteEvent> pendingOffs;  // note-offs for sounding notes an edit removed (capacity prepared)
  std::vector<NoteEvent> live;         // live notes (Engine::liveNote) for the next render (capacity prepared)
  bool silentOut = false;              // audio thread: the last block's output was exact silence
};

// A route's delay line (delay compensation) and its gain as the audio thread last applied it; kept
// across plans while the route goes to the same place with the same delay.
struct RouteState {
  std::vector<float> line[2];
  int delay = 0;
  int pos = 0;      // audio thread
  float gain = 0;   // audio thread: ramps to the route's gain at most 1/kFadeFrames per sample
};

struct PlannedTrack {
  std::string id;
  std::shared_ptr<const Track> model;  // the description this track was built from
  std::shared_ptr<TrackParts> parts;
  std::shared_ptr<Device> instrument;  // instrument tracks
  struct Insert {
    std::shared_ptr<Device> device;
    int modelIndex = 0;  // the model's index, for live edits and meters
    int sidechain = -1;  // the track whose output keys it, or -1
    int fadeIn = 0;      // audio thread: frames of fade-in left (a new insert)
  };
  std::vector<Insert> inserts;  // effects in order (bypassed ones are left out)
  // Parts replaced or removed by the edit that made this plan, fading out (audio thread counts down).
  struct DepartingInsert {
    std::shared_ptr<Device> device;
    int before = 0;  // runs just before inserts[before] (inserts.size(): after the last)
    int fadeOut = kFadeFrames;
  };
  std::vector<DepartingInsert> departing;
  std::shared_ptr<Device> departingInstrument;
  int instrumentFade = 0;
  int latency = 0;     // of the inserts, samples
  // Samples from where this track's output enters its bus to where that bus path reaches the master (0 for
  // a track whose output is the master): what a stem of it is delayed by to line up with the mix.
  int stemDelay = 0;
  bool bus = false;    // a bus: its source is what other tracks route into it
  // Where the track's signal goes: its output (to a bus or the master, -1) and its sends. Each carries the
  // delay that lines it up with the latest path arriving at the same place (delay compensation).
  struct Route {
    int to = -1;
    const TrackParts* target = nullptr;  // the bus's parts (identity across plans), null for the master
    float gain = 1.0f;
    bool pre = false;
    std::shared_ptr<RouteState> state;
  };
  std::vector<Route> routes;
  bool preSends = false;
  // Automation lanes, by kind: strip gain/pan per sample, insert parameters on a 32-sample grid of the
  // timeline (so the result does not depend on the block size).
  struct Lane {
    enum Kind { Gain, Pan, Param } kind = Gain;
    int insert = -1, param = -1;
    std::vector<AutomationPoint> points;
  };
  std::shared_ptr<const std::vector<Lane>> lanes;
  bool paramLanes = false, stripLanes = false;
  // Control thread: what the track plays (owned here). A clip edit may replace them in a plan that is
  // already playing (see RenderPlan::switchClips): the audio thread then reads the *InUse pointers below,
  // which it moves itself, so the two threads never touch the same field.
  std::shared_ptr<const NoteSchedule> schedule;           // instrument tracks
  std::shared_ptr<const std::vector<AudioRegion>> regions;  // audio tracks
  int previous = -1;  // index of the same track in the plan this one was built from (a hint for adopt())
  // Audio thread state of this plan.
  const NoteSchedule* scheduleInUse = nullptr;             // schedule.get() until a clip switch
  const std::vector<AudioRegion>* regionsInUse = nullptr;  // regions.get() until a clip switch
  std::size_t cursor = 0;  // next event to play
  int fadeIn = 0;          // frames of fade-in left (a track added while another plan played)
  int fadeOut = 0;         // departing tracks: frames of fade-out left
};

// What a build may take from the plan before it.
struct RenderPlan;

// What a plan's build may take from the plan before it.
struct PlanReuse {
  const RenderPlan* previous = nullptr;
  // Tracks (by id) whose description changed; null: compare every track with what it was built from.
  const std::vector<std::string>* changed = nullptr;
  bool timing = false;  // the tempo changed: every event, clip edge and region moves
};

struct RenderPlan {
  double sampleRate = 48000.0;
  int maxBlock = 0;
  std::vector<PlannedTrack> tracks;
  std::vector<PlannedTrack> departingTracks;  // removed by the edit that made this plan: fading out
  std::vector<int> order;             // tracks in processing order: every source before what it feeds or keys
  double masterGainDb = 0.0;          // from the project; the engine smooths and applies it
  Timeline timeline;                  // the project's beats <-> frames at this plan's sample rate
  double tempo = 120.0;               // BPM at the frame being rendered, for tempo-synced effects
  int latency = 0;                    // the largest track latency: every track is delayed to it
  std::int64_t endFrame = 0;          // end of the last clip
  // Capacity for one span's events: audio-thread scratch, shared by a plan and the plans after it (only one
  // plan renders at a time), so a new plan allocates none.
  std::shared_ptr<std::vector<NoteEvent>> scratchEvents;



  // Control thread: builds the plan, taking from `reuse.previous` every part whose description did not
  // change, and prepares what is new. Missing assets leave their regions silent and are listed in
  // `missingAssets`.
  static std::unique_ptr<RenderPlan> build(const Project& project, const AssetLibrary& assets, double sampleRate,
                                           int maxBlock, std::vector<std::string>* missingAssets = nullptr,
                                           const PlanReuse& reuse = {});

  // Audio thread, when this plan replaces `old` (null for the first plan) at timeline frame `position`:
  // every kept track continues where it was (event cursor, fades); notes it was sounding that the edit
  // removed get their note-offs; new tracks locate (chasing held notes when `playing`).
  void adopt(const RenderPlan* old, std::int64_t position, bool playing) noexcept;
  // Audio thread: moves every track's event cursor to the first event at or after `frame`. With
  // `chase`, notes that began before `frame` and are still held there restart at the next render, so
  // starting playback inside a long note (or looping into one) sounds it.
  void locate(std::int64_t frame, bool chase) noexcept;
  // Audio thread: releases every sounding note (transport stop, seek, loop wrap).
  void releaseAll() noexcept;
  // Audio thread: renders `frames` (<= maxBlock) frames of timeline starting at `start` into
  // outL/outR (overwritten). When `advance` is false the timeline is stopped: no events or clips play,
  // but instruments keep sounding their tails. With `stems` (one per track of this plan, in its order;
  // see StemTap.h), each track's output as its output route adds it (delay-compensated, before the
  // master fader) is also written to stems->stems[k].out at `stemOffset`.
  void render(std::int64_t start, int frames, bool advance, float* outL, float* outR, StemTap* stems = nullptr,
              int stemOffset = 0) noexcept;
  // Any thread: the index of the track with this id, or -1.
  int find(const std::string& id) const;

  // Control thread: what `track`'s clips play on this plan's timeline, built as build() builds them (a
  // clip edit that changes nothing else uses them to switch a playing track's clips without a new plan).
  // buildRegions raises `channels` to the widest asset and lists the assets it misses.
  std::shared_ptr<const NoteSchedule> buildSchedule(const Track& track) const;
  std::shared_ptr<const std::vector<AudioRegion>> buildRegions(const Track& track, const AssetLibrary& assets, int& channels,
                                                               std::vector<std::string>* missingAssets) const;
  // Audio thread: track `index` plays `schedule` (or `regions`) from now on, in place of what it played,
  // at timeline frame `position`: its event cursor moves there, and notes it was holding that the new
  // schedule no longer holds are released, as adopt() does for a new plan. The pointers must outlive
  // their use: the control thread keeps the old ones alive until the audio thread confirms the switch.
  void switchClips(int index, const NoteSchedule* schedule, const std::vector<AudioRegion>* regions, std::int64_t position,
                   bool playing) noexcept;

 private:
  void renderTrack(PlannedTrack& track, std::int64_t start, int frames, bool advance) noexcept;
  // Audio thread: queues note-ons (in t.parts->chase) for the notes of t.scheduleInUse held at `position`.
  static void chaseHeldNotes(PlannedTrack& t, std::int64_t position) noexcept;
  // Audio thread: `t` plays t.scheduleInUse in place of `from` at `position` (cursor, note-offs).
  static void followSchedule(PlannedTrack& t, const NoteSchedule* from, std::int64_t position, bool playing) noexcept;
  // Returns whether the result is exact silence (`silent`: the source was).
  bool runInserts(PlannedTrack& track, float* const* source, int offset, int frames, bool silent) noexcept;
  bool releasePending_ = false;
};

}  // namespace mixdown
