#include "engine/RenderPlan.h"
#include "engine/StemTap.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_map>

#include "devices/Registry.h"
#include "dsp/Decibels.h"
#include "engine/DeviceSettings.h"
#include "engine/Timeline.h"
#include "model/Arrange.h"

namespace mixdown {
namespace {
constexpr std::size_t kMaxEventsPerSpan = 512;

// The gain of a part fading in (or out) with `remaining` of kFadeFrames samples to go: linear, 0 -> 1 in.
inline float fadeGain(int remaining, bool in) {
  if (remaining <= 0) return in ? 1.0f : 0.0f;
  const float left = static_cast<float>(remaining) / kFadeFrames;
  return in ? 1.0f - left : left;
}

std::shared_ptr<Device> makeDevice(const DeviceState& state, DeviceKind kind, double sampleRate, int maxBlock) {
  std::unique_ptr<Device> dev = createDevice(state.type);
  if (!dev || dev->descriptor().kind != kind) return nullptr;
  for (const auto& [id, v] : state.params) dev->setParam(id, v);
  dev->prepare(sampleRate, maxBlock);
  return std::shared_ptr<Device>(std::move(dev));
}

std::shared_ptr<TrackParts> makeParts(int channels, int maxBlock) {
  auto parts = std::make_shared<TrackParts>();
  parts->channels = channels;
  parts->strip = std::make_unique<MixerStrip>();
  parts->strip->setInputChannels(channels);
  const auto n = static_cast<std::size_t>(maxBlock);
  for (auto* set : {&parts->source, &parts->out, &parts->pre, &parts->busIn, &parts->scratch})
    for (auto& b : *set) b.assign(n, 0.0f);
  parts->autoGain.assign(n, 0.0f);
  parts->autoPan.assign(n, 0.0f);
  parts->chase.reserve(kMaxChasedNotes);
  parts->pendingOffs.reserve(kMaxChasedNotes);
  parts->live.reserve(kMaxChasedNotes);
  return parts;
}

// The index of the first event at or after `frame`.
std::size_t firstEventAt(const NoteSchedule& s, std::int64_t frame) noexcept {
  return static_cast<std::size_t>(std::lower_bound(s.events.begin(), s.events.end(), frame,
                                                   [](const TimedNoteEvent& e, std::int64_t f) { return e.frame < f; }) -
                                  s.events.begin());
}

std::shared_ptr<const NoteSchedule> scheduleOf(const Track& t, const Timeline& timeline) {
  auto s = std::make_shared<NoteSchedule>();
  auto frameOf = [&](double beat) { return timeline.frameOfBeat(beat); };
  for (const Clip& c : t.clips) {
    // model/Arrange.h's soundingNotes is the one definition of what a clip plays (offset, loop repeats,
    // cuts at the loop's and the clip's end; none for a muted clip); each beat goes to its sample once,
    // through the tempo map.
    for (const SoundingNote& n : soundingNotes(c)) {
      if (n.pitch < 0 || n.pitch > 127) continue;
      std::int64_t onFrame = frameOf(n.start), offFrame = frameOf(n.start + n.length);
      if (offFrame <= onFrame) offFrame = onFrame + 1;
      s->events.push_back({onFrame, NoteEvent::Type::NoteOn, static_cast<std::uint8_t>(n.pitch), static_cast<float>(n.velocity)});
      s->events.push_back({offFrame, NoteEvent::Type::NoteOff, static_cast<std::uint8_t>(n.pitch), 0.0f});
      s->notes.push_back({onFrame, offFrame, static_cast<std::uint8_t>(n.pitch), static_cast<float>(n.velocity)});
    }
    s->endFrame = std::max(s->endFrame, frameOf(c.start + c.length));
  }
  std::stable_sort(s->notes.begin(), s->notes.end(), [](const TimedNote& a, const TimedNote& b) { return a.on < b.on; });
  std::stable_sort(s->events.begin(), s->events.end(), [](const TimedNoteEvent& a, const TimedNoteEvent& b) {
    if (a.frame != b.frame) return a.frame < b.frame;
    // Note-offs first, so a note repeated back to back re-triggers instead of being cut.
    return a.type == NoteEvent::Type::NoteOff && b.type != NoteEvent::Type::NoteOff;
  });
  return s;
}

std::shared_ptr<const std::vector<AudioRegion>> regionsOf(const Track& t, const AssetLibrary& assets, const Timeline& timeline,
                                                             int& channels, std::vector<std::string>* missingAssets) {
  auto regions = std::make_shared<std::vector<AudioRegion>>();
  auto frameOf = [&](double beat) { return timeline.frameOfBeat(beat); };
  for (const Clip& c : t.clips) {
    std::shared_ptr<const AssetPcm> pcm;
    auto it = assets.find(c.asset);
    if (it != assets.end() && it->second) {
      pcm = it->second;
      channels = std::max(channels, static_cast<int>(pcm->channels.size()));
    } else if (missingAssets && std::find(missingAssets->begin(), missingAssets->end(), c.asset) == missingAssets->end()) {
      missingAssets->push_back(c.asset);
    }
    if (c.muted) {
      // A muted clip plays nothing: a silent region (no asset) keeps its place in the song's length, as
      // a muted MIDI clip's does. Its asset is still wanted, so unmuting needs no load.
      AudioRegion r;
      r.start = frameOf(c.start);
      r.end = frameOf(c.start + c.length);
      regions->push_back(std::move(r));
      continue;
    }
    // One region per segment (model/Arrange.h clipSegments): an unlooped clip is one, a looped clip one per
    // repeat of its loop, each starting its source at the segment's content beat. Segments meet exactly,
    // so the regions meet on the same frame.
    for (const ClipSegment& seg : clipSegments(c)) {
      AudioRegion r;
      r.start = frameOf(seg.start);
      r.end = frameOf(seg.end);
      if (r.end <= r.start) continue;
      // The source is not stretched: its frames from the beat where content beat 0 would have sounded.
      r.sourceOffset = timeline.framesOfSpan(seg.start - seg.contentStart, seg.contentStart);
      r.gain = dbToGain(c.gainDb);
      r.asset = pcm;
      regions->push_back(std::move(r));
    }
  }
  std::sort(regions->begin(), regions->end(), [](const AudioRegion& a, const AudioRegion& b) { return a.start < b.start; });
  return regions;
}

// The lanes of a track against its planned inserts (a bypassed insert is not in the plan: its lanes wait).
std::shared_ptr<const std::vector<PlannedTrack::Lane>> buildLanes(const Track& t, const PlannedTrack& pt) {
  auto lanes = std::make_shared<std::vector<PlannedTrack::Lane>>();
  for (const AutomationLane& lane : t.automation) {
    if (lane.points.empty()) continue;
    PlannedTrack::Lane pl;
    pl.points = lane.points;
    if (lane.target == "gain") {
      pl.kind = PlannedTrack::Lane::Gain;
    } else if (lane.target == "pan") {
      pl.kind = PlannedTrack::Lane::Pan;
    } else {
      std::size_t modelIndex = 0;
      std::string paramId;
      if (!parseInsertTarget(lane.target, modelIndex, paramId)) continue;
      const auto at = std::find_if(pt.inserts.begin(), pt.inserts.end(),
                                   [&](const PlannedTrack::Insert& s) { return s.modelIndex == static_cast<int>(modelIndex); });
      if (at == pt.inserts.end()) continue;
      pl.kind = PlannedTrack::Lane::Param;
      pl.insert = static_cast<int>(at - pt.inserts.begin());
      pl.param = at->device->descriptor().paramIndex(paramId);
      if (pl.param < 0) continue;
    }
    lanes->push_back(std::move(pl));
  }
  return lanes;
}

void setLaneFlags(PlannedTrack& pt) {
  pt.paramLanes = pt.stripLanes = false;
  for (const auto& lane : *pt.lanes) {
    pt.paramLanes = pt.paramLanes || lane.kind == PlannedTrack::Lane::Param;
    pt.stripLanes = pt.stripLanes || lane.kind != PlannedTrack::Lane::Param;
  }
}

// A track that did not change: the same parts, devices, events and lanes (shared), none of the
// previous plan's audio-thread state (adopt() takes that over at the swap).
PlannedTrack keep(const PlannedTrack& prev, int previousIndex) {
  PlannedTrack pt;
  pt.id = prev.id;
  pt.model = prev.model;
  pt.parts = prev.parts;
  pt.instrument = prev.instrument;
  pt.inserts.reserve(prev.inserts.size());
  for (const auto& s : prev.inserts) pt.inserts.push_back({s.device, s.modelIndex, -1, 0});
  pt.latency = prev.latency;
  pt.bus = prev.bus;
  pt.lanes = prev.lanes;
  pt.paramLanes = prev.paramLanes;
  pt.stripLanes = prev.stripLanes;
  pt.schedule = prev.schedule;
  pt.regions = prev.regions;
  pt.previous = previousIndex;
  return pt;
}

// A track built from its description, taking from `prev` (the same track in the plan before, or null)
// whatever still fits: its parts, its instrument and every insert (matched by id) that can take the new
// settings as parameter edits, its events when its clips did not move.
PlannedTrack reconcile(const Track& t, const PlannedTrack* prev, int previousIndex, bool timing, bool fade, bool anySolo, const AssetLibrary& assets,
                       const std::vector<Asset>& assetTable, const Timeline& timeline, double sampleRate, int maxBlock,
                       std::vector<std::string>* missingAssets) {
  PlannedTrack pt;
  pt.id = t.id;
  pt.model = std::make_shared<const Track>(t);
  pt.bus = t.kind == TrackKind::Bus;
  pt.previous = previousIndex;
  const Track* before = prev ? prev->model.get() : nullptr;
  const bool sameClips = before && !timing && before->clips == t.clips;
  int channels = pt.bus ? 2 : 1;
  if (t.kind == TrackKind::Instrument) {
    if (t.instrument) {
      // A sampler keeps running only while it plays the same zones from the same audio (an asset that
      // arrives, or an edited zone, makes a new one: its voices read the audio they started with).
      std::vector<Sampler::Zone> zones;
      const bool sampler = t.instrument->type == Sampler::staticDescriptor().id;
      if (sampler) {
        zones = samplerZonesOf(*t.instrument, assets, assetTable);
        if (missingAssets) noteMissingAssets(t, assets, *missingAssets);
      }
      const Sampler* running = prev ? asSampler(prev->instrument.get()) : nullptr;
      if (prev && prev->instrument && takesAsEdit(*prev->instrument, *t.instrument) && (!sampler || (running && running->zones() == zones))) {
        pt.instrument = prev->instrument;
        applySettings(*pt.instrument, *t.instrument);
      } else {
        pt.instrument = makeDevice(*t.instrument, DeviceKind::Instrument, sampleRate, maxBlock);
        if (Sampler* s = asSampler(pt.instrument.get())) s->setZones(std::move(zones));
        if (prev && prev->instrument && fade) {  // the old one's voices fade out
          pt.departingInstrument = prev->instrument;
          pt.instrumentFade = kFadeFrames;
        }
      }
    }
    pt.schedule = sameClips && prev->schedule ? prev->schedule : scheduleOf(t, timeline);
    // The instrument's channels for these settings (mono unless its descriptor says otherwise): a change
    // gives the track new parts (a strip with the other pan law) below, keeping the instrument and its voices.
    if (pt.instrument) channels = outputChannelsOf(pt.instrument->descriptor(), *t.instrument);
  } else if (t.kind == TrackKind::Audio) {
    pt.regions = regionsOf(t, assets, timeline, channels, missingAssets);
  }
  channels = std::clamp(channels, 1, 2);
  pt.parts = prev && prev->parts && prev->parts->channels == channels ? prev->parts : makeParts(channels, maxBlock);
  // Settings before prepare() on a new strip, so it starts at them instead of gliding there.
  pt.parts->strip->setSettings(t.strip.gainDb, t.strip.pan, t.strip.mute, t.strip.solo);
  if (pt.parts != (prev ? prev->parts : nullptr)) {
    pt.parts->strip->setSoloActive(anySolo && !pt.bus);  // a bus is never silenced by a soloed track it carries
    pt.parts->strip->prepare(sampleRate, maxBlock);
    pt.parts->meter.prepare(sampleRate);
    if (prev && fade) pt.fadeIn = kFadeFrames;  // a new strip (the source's channels changed)
  }

  // Inserts: by id, so a moved insert keeps running; a new one fades in, one gone fades out.
  std::vector<bool> reused(prev ? prev->inserts.size() : 0, false);
  for (std::size_t k = 0; k < t.inserts.size(); ++k) {
    const DeviceState& d = t.inserts[k];
    if (d.bypass) continue;
    std::shared_ptr<Device> dev;
    if (prev && before)
      for (std::size_t j = 0; j < prev->inserts.size(); ++j) {
        const auto& slot = prev->inserts[j];
        const auto mi = static_cast<std::size_t>(slot.modelIndex);
        if (reused[j] || mi >= before->inserts.size() || before->inserts[mi].id != d.id || d.id.empty()) continue;
        if (!takesAsEdit(*slot.device, d)) break;  // same insert, new prepare-time settings: replaced below
        dev = slot.device;
        reused[j] = true;
        applySettings(*dev, d);
        break;
      }
    const bool fresh = !dev;
    if (fresh) dev = makeDevice(d, DeviceKind::Effect, sampleRate, maxBlock);
    if (!dev) continue;
    pt.latency += dev->latency();
    pt.inserts.push_back({dev, static_cast<int>(k), -1, fresh && prev && fade ? kFadeFrames : 0});
  }
  if (prev && fade) {
    // Departing inserts run where they were: before the first kept insert that followed them.
    for (std::size_t j = 0; j < reused.size(); ++j) {
      if (reused[j]) continue;
      int before = static_cast<int>(pt.inserts.size());
      for (std::size_t n = j + 1; n < reused.size() && before == static_cast<int>(pt.inserts.size()); ++n) {
        if (!reused[n]) continue;
        for (std::size_t s = 0; s < pt.inserts.size(); ++s)
          if (pt.inserts[s].device == prev->inserts[n].device) {
            before = static_cast<int>(s);
            break;
          }
      }
      pt.departing.push_back({prev->inserts[j].device, before, kFadeFrames});
    }
    std::stable_sort(pt.departing.begin(), pt.departing.end(),
                     [](const PlannedTrack::DepartingInsert& a, const PlannedTrack::DepartingInsert& b) { return a.before < b.before; });
  }
  pt.lanes = buildLanes(t, pt);
  setLaneFlags(pt);
  return pt;
}

}  // namespace

int RenderPlan::find(const std::string& id) const {
  for (std::size_t i = 0; i < tracks.size(); ++i)
    if (tracks[i].id == id) return static_cast<int>(i);
  return -1;
}

std::unique_ptr<RenderPlan> RenderPlan::build(const Project& project, const AssetLibrary& assets, double sampleRate,
                                              int maxBlock, std::vector<std::string>* missingAssets, const PlanReuse& reuse) {
  auto plan = std::make_unique<RenderPlan>();
  plan->sampleRate = sampleRate;
  plan->maxBlock = maxBlock;
  plan->masterGainDb = project.master.gainDb;
  plan->tempo = project.tempo;
  plan->timeline = Timeline(project, sampleRate);
  const Timeline& timeline = plan->timeline;
  const RenderPlan* previous = reuse.previous;
  plan->scratchEvents = previous && previous->scratchEvents ? previous->scratchEvents : std::make_shared<std::vector<NoteEvent>>(kMaxEventsPerSpan);
  // The first song starts as it is: nothing sounded before it that a part could fade from.
  const bool fade = previous != nullptr && !previous->tracks.empty();

  // Tracks usually keep their places: the one at the same index is tried first, the map only built
  // when an edit added, removed or moved tracks.
  std::unordered_map<std::string, int> previousIndex;
  bool previousMapped = false;
  auto previousOf = [&](const std::string& id, std::size_t at) -> int {
    if (!previous) return -1;
    if (at < previous->tracks.size() && previous->tracks[at].id == id) return static_cast<int>(at);
    if (!previousMapped) {
      for (std::size_t i = 0; i < previous->tracks.size(); ++i) previousIndex.emplace(previous->tracks[i].id, static_cast<int>(i));
      previousMapped = true;
    }
    const auto it = previousIndex.find(id);
    return it == previousIndex.end() ? -1 : it->second;
  };
  std::vector<bool> taken(previous ? previous->tracks.size() : 0, false);
  auto isChanged = [&](const std::string& id) {
    return std::find(reuse.changed->begin(), reuse.changed->end(), id) != reuse.changed->end();
  };

  bool anySolo = false;  // new strips start with solo-in-place as it is (existing ones follow in render())
  for (const Track& t : project.tracks) anySolo = anySolo || (t.kind != TrackKind::Bus && t.strip.solo);
  plan->tracks.reserve(project.tracks.size());
  for (const Track& t : project.tracks) {
    const PlannedTrack* prev = nullptr;
    int pi = -1;
    if (const int at = previousOf(t.id, plan->tracks.size()); at >= 0) {
      const PlannedTrack& candidate = previous->tracks[static_cast<std::size_t>(at)];
      if (candidate.model && candidate.model->kind == t.kind) {
        prev = &candidate;
        pi = at;
        taken[static_cast<std::size_t>(pi)] = true;
      }
    }
    const bool unchanged = prev && !reuse.timing && (reuse.changed ? !isChanged(t.id) : *prev->model == t);
    if (unchanged) {
      // (A model that differs from `t` only by live edits, strip or parameters, which reached the shared
      // parts directly, is kept: a later full comparison reconciles it, keeping every device.)
      plan->tracks.push_back(keep(*prev, pi));
    } else {
      plan->tracks.push_back(reconcile(t, prev, pi, reuse.timing, fade, anySolo, assets, project.assets, timeline, sampleRate, maxBlock, missingAssets));
    }
    PlannedTrack& pt = plan->tracks.back();
    if (!prev) {
      pt.fadeIn = fade ? kFadeFrames : 0;
    }
    if (pt.schedule) plan->endFrame = std::max(plan->endFrame, pt.schedule->endFrame);
    if (pt.regions)
      for (const AudioRegion& r : *pt.regions) plan->endFrame = std::max(plan->endFrame, r.end);
    if (missingAssets && unchanged) noteMissingAssets(t, assets, *missingAssets);
  }
  // Tracks the edit removed fade out (their tails, not their notes: a departing track plays no events).
  if (previous)
    for (std::size_t i = 0; i < previous->tracks.size(); ++i) {
      if (taken[i]) continue;
      PlannedTrack gone = keep(previous->tracks[i], static_cast<int>(i));
      gone.fadeOut = kFadeFrames;
      plan->departingTracks.push_back(std::move(gone));
    }

  // Routing: outputs, sends and sidechains by index; then the processing order.
  const std::size_t n = plan->tracks.size();
  // When every track kept its place, an unchanged track keeps its routes as they were (targets and keys
  // by index); others look their targets up.
  bool sameOrder = previous && previous->tracks.size() == n;
  for (std::size_t i = 0; sameOrder && i < n; ++i) sameOrder = plan->tracks[i].previous == static_cast<int>(i);
  std::unordered_map<std::string, int> indexOf;
  if (!sameOrder) {
    indexOf.reserve(n);
    for (std::size_t i = 0; i < n; ++i) indexOf.emplace(project.tracks[i].id, static_cast<int>(i));
  }
  auto find = [&](const std::string& id) {
    if (sameOrder) {
      for (std::size_t i = 0; i < n; ++i)
        if (plan->tracks[i].id == id) return static_cast<int>(i);
      return -1;
    }
    auto it = indexOf.find(id);
    return it == indexOf.end() ? -1 : it->second;
  };
  // Edges u -> v (u must be processed before v), in the order they are found; turned into per-track lists
  // below with a stable counting sort (two allocations, not one per track).
  std::vector<std::pair<int, int>> edges;
  edges.reserve(4 * n);
  auto edge = [&](std::size_t u, int v) { edges.emplace_back(static_cast<int>(u), v); };
  for (std::size_t i = 0; i < n; ++i) {
    const Track& t = project.tracks[i];
    PlannedTrack& pt = plan->tracks[i];
    const PlannedTrack& was = sameOrder ? previous->tracks[i] : pt;
    if (sameOrder && pt.model == was.model) {  // unchanged, in its place: the same routes and keys
      pt.routes = was.routes;
      pt.preSends = was.preSends;
      for (std::size_t k = 0; k < pt.inserts.size() && k < was.inserts.size(); ++k) pt.inserts[k].sidechain = was.inserts[k].sidechain;
      for (const auto& r : pt.routes)
        if (r.to >= 0) edge(i, r.to);
      for (const auto& slot : pt.inserts)
        if (slot.sidechain >= 0) edge(static_cast<std::size_t>(slot.sidechain), static_cast<int>(i));
      continue;
    }
    pt.routes.reserve(1 + t.sends.size());
    auto route = [&](int to, float gain, bool pre) {
      PlannedTrack::Route r;
      r.to = to;
      r.target = to >= 0 ? plan->tracks[static_cast<std::size_t>(to)].parts.get() : nullptr;
      r.gain = gain;
      r.pre = pre;
      pt.routes.push_back(std::move(r));
    };
    const int out = t.output == kMasterOutput ? -1 : find(t.output);
    route(out >= 0 && plan->tracks[static_cast<std::size_t>(out)].bus ? out : -1, 1.0f, false);
    for (const SendState& send : t.sends) {
      const int to = find(send.target);
      if (to < 0 || !plan->tracks[static_cast<std::size_t>(to)].bus || to == static_cast<int>(i)) continue;
      route(to, dbToGain(send.levelDb), send.preFader);
      pt.preSends = pt.preSends || send.preFader;
    }
    for (const auto& r : pt.routes)
      if (r.to >= 0) edge(i, r.to);
    for (auto& slot : pt.inserts) {
      const int key = find(t.inserts[static_cast<std::size_t>(slot.modelIndex)].sidechain);
      slot.sidechain = -1;
      if (key >= 0 && key != static_cast<int>(i)) {
        slot.sidechain = key;
        edge(static_cast<std::size_t>(key), static_cast<int>(i));
      }
    }
  }
  // Kahn's algorithm; a cycle (refused by validation) would leave tracks out: they are appended so every
  // track still renders.
  std::vector<int> firstEdge(n + 1, 0), targets(edges.size());
  for (const auto& [u, v] : edges) ++firstEdge[static_cast<std::size_t>(u) + 1];
  for (std::size_t i = 0; i < n; ++i) firstEdge[i + 1] += firstEdge[i];
  {
    std::vector<int> fill(firstEdge.begin(), firstEdge.end() - 1);
    for (const auto& [u, v] : edges) targets[static_cast<std::size_t>(fill[static_cast<std::size_t>(u)]++)] = v;
  }
  std::vector<int> indegree(n, 0);
  for (int to : targets) ++indegree[static_cast<std::size_t>(to)];
  std::vector<int> ready;
  ready.reserve(n);
  for (std::size_t i = 0; i < n; ++i)
    if (indegree[i] == 0) ready.push_back(static_cast<int>(i));
  for (std::size_t r = 0; r < ready.size(); ++r)
    for (int e = firstEdge[static_cast<std::size_t>(ready[r])]; e < firstEdge[static_cast<std::size_t>(ready[r]) + 1]; ++e)
      if (--indegree[static_cast<std::size_t>(targets[static_cast<std::size_t>(e)])] == 0) ready.push_back(targets[static_cast<std::size_t>(e)]);
  for (std::size_t i = 0; i < n; ++i)
    if (indegree[i] > 0) ready.push_back(static_cast<int>(i));
  plan->order = std::move(ready);

  // Delay compensation: a track's signal leaves at arrival(inputs) + its own latency; every route into a
  // bus (or the master) is delayed to the latest one arriving there, so parallel paths stay aligned.
  std::vector<int> leaves(n, 0), latestIn(n, 0);
  int latestAtMaster = 0;
  for (int u : plan->order) {
    PlannedTrack& pt = plan->tracks[static_cast<std::size_t>(u)];
    leaves[static_cast<std::size_t>(u)] = latestIn[static_cast<std::size_t>(u)] + pt.latency;
    for (const auto& r : pt.routes) {
      if (r.to >= 0) latestIn[static_cast<std::size_t>(r.to)] = std::max(latestIn[static_cast<std::size_t>(r.to)], leaves[static_cast<std::size_t>(u)]);
      else latestAtMaster = std::max(latestAtMaster, leaves[static_cast<std::size_t>(u)]);
    }
  }
  plan->latency = latestAtMaster;
  for (std::size_t u = 0; u < n; ++u) {
    PlannedTrack& pt = plan->tracks[u];
    const int to = pt.routes.empty() ? -1 : pt.routes[0].to;
    pt.stemDelay = to >= 0 ? latestAtMaster - latestIn[static_cast<std::size_t>(to)] : 0;
  }
  // Route states: kept when the same route (same target, same pre/post, in the same order) keeps its delay,
  // so delay lines hold their samples and gains glide from where they were.
  for (std::size_t u = 0; u < n; ++u) {
    PlannedTrack& pt = plan->tracks[u];
    const PlannedTrack* prev = pt.previous >= 0 ? &previous->tracks[static_cast<std::size_t>(pt.previous)] : nullptr;
    std::vector<bool> used;
    for (auto& r : pt.routes) {
      const int delay = (r.to >= 0 ? latestIn[static_cast<std::size_t>(r.to)] : latestAtMaster) - leaves[u];
      if (r.state && r.state->delay != std::max(0, delay)) r.state.reset();  // kept from an unchanged track, but its delay moved
      if (prev && !r.state && used.empty()) used.assign(prev->routes.size(), false);
      if (prev && !r.state)
        for (std::size_t j = 0; j < prev->routes.size(); ++j) {
          const auto& old = prev->routes[j];
          if (used[j] || old.target != r.target || old.pre != r.pre) continue;
          used[j] = true;
          if (old.state && old.state->delay == std::max(0, delay)) r.state = old.state;
          break;
        }
      if (!r.state) {
        auto state = std::make_shared<RouteState>();
        state->delay = std::max(0, delay);
        for (auto& line : state->line) line.assign(static_cast<std::size_t>(state->delay), 0.0f);
        state->gain = fade && pt.fadeIn == 0 ? 0.0f : r.gain;  // a new send glides in; a new track fades as a whole
        r.state = std::move(state);
      }
    }
  }
  // What the audio thread plays starts as what the plan owns.
  for (auto* list : {&plan->tracks, &plan->departingTracks})
    for (PlannedTrack& pt : *list) {
      pt.scheduleInUse = pt.schedule.get();
      pt.regionsInUse = pt.regions.get();
    }
  return plan;
}

void RenderPlan::adopt(const RenderPlan* old, std::int64_t position, bool playing) noexcept {
  for (PlannedTrack& t : tracks) {
    const PlannedTrack* o = nullptr;
    if (old) {
      if (t.previous >= 0 && static_cast<std::size_t>(t.previous) < old->tracks.size() &&
          old->tracks[static_cast<std::size_t>(t.previous)].parts == t.parts)
        o = &old->tracks[static_cast<std::size_t>(t.previous)];
      else  // the plan this one was built from was never played: look the track up by its parts
        for (const PlannedTrack& c : old->tracks)
          if (c.parts == t.parts) {
            o = &c;
            break;
          }
    }
    if (!o) {
      if (t.scheduleInUse) {  // a track new to the audio thread: locate it (and chase its held notes)
        t.parts->chase.clear();
        if (playing) chaseHeldNotes(t, position);
        t.cursor = firstEventAt(*t.scheduleInUse, position);
      }
      continue;
    }
    // The same track: fades in progress go on.
    t.fadeIn = std::max(t.fadeIn, o->fadeIn);
    for (auto& slot : t.inserts)
      for (const auto& was : o->inserts)
        if (was.device == slot.device) slot.fadeIn = std::max(slot.fadeIn, was.fadeIn);
    if (!t.scheduleInUse) continue;
    // A replaced instrument (new settings it takes only when prepared, a sampler's new zones or newly
    // arrived audio): the new one plays the notes held now, while the old one's voices fade out.
    if (playing && t.instrument && o->instrument && t.instrument != o->instrument) chaseHeldNotes(t, position);
    if (t.scheduleInUse == o->scheduleInUse) {
      t.cursor = o->cursor;
      continue;
    }
    followSchedule(t, t.instrument == o->instrument ? o->scheduleInUse : nullptr, position, playing);
  }
}

void RenderPlan::chaseHeldNotes(PlannedTrack& t, std::int64_t position) noexcept {
  for (const TimedNote& n : t.scheduleInUse->notes) {
    if (n.on >= position) break;
    if (n.off > position && t.parts->chase.size() < t.parts->chase.capacity())
      t.parts->chase.push_back({0, NoteEvent::Type::NoteOn, n.pitch, n.velocity});
  }
}

void RenderPlan::followSchedule(PlannedTrack& t, const NoteSchedule* from, std::int64_t position, bool playing) noexcept {
  t.cursor = firstEventAt(*t.scheduleInUse, position);
  // Notes the old schedule holds at `position` whose note-off the new one will not send: released now.
  if (!playing || !from) return;
  const auto& now = t.scheduleInUse->notes;
  for (const TimedNote& n : from->notes) {
    if (n.on >= position) break;
    if (n.off < position) continue;
    auto it = std::lower_bound(now.begin(), now.end(), n.on, [](const TimedNote& a, std::int64_t on) { return a.on < on; });
    bool stillHeld = false;
    for (; it != now.end() && it->on == n.on && !stillHeld; ++it) stillHeld = it->pitch == n.pitch && it->off >= position;
    if (!stillHeld && t.parts->pendingOffs.size() < t.parts->pendingOffs.capacity())
      t.parts->pendingOffs.push_back({0, NoteEvent::Type::NoteOff, n.pitch, 0.0f});
  }
}

void RenderPlan::switchClips(int index, const NoteSchedule* schedule, const std::vector<AudioRegion>* regions, std::int64_t position,
                             bool playing) noexcept {
  if (index < 0 || static_cast<std::size_t>(index) >= tracks.size()) return;
  PlannedTrack& t = tracks[static_cast<std::size_t>(index)];
  if (regions) t.regionsInUse = regions;
  if (!schedule || !t.scheduleInUse) return;
  const NoteSchedule* from = t.scheduleInUse;
  t.scheduleInUse = schedule;
  followSchedule(t, from, position, playing);
}

std::shared_ptr<const NoteSchedule> RenderPlan::buildSchedule(const Track& track) const { return scheduleOf(track, timeline); }

std::shared_ptr<const std::vector<AudioRegion>> RenderPlan::buildRegions(const Track& track, const AssetLibrary& assets, int& channels,
                                                                         std::vector<std::string>* missingAssets) const {
  return regionsOf(track, assets, timeline, channels, missingAssets);
}

void RenderPlan::locate(std::int64_t frame, bool chase) noexcept {
  for (auto& t : tracks) {
    t.parts->chase.clear();
    t.parts->pendingOffs.clear();
    if (!t.scheduleInUse) continue;
    if (chase) chaseHeldNotes(t, frame);
    t.cursor = firstEventAt(*t.scheduleInUse, frame);
  }
}

void RenderPlan::releaseAll() noexcept { releasePending_ = true; }

bool RenderPlan::runInserts(PlannedTrack& t, float* const* src, int offset, int frames, bool silent) noexcept {
  if (frames <= 0) return silent;
  const int channels = t.parts->channels;
  float* io[2] = {src[0] + offset, src[1] + offset};
  float* dry[2] = {t.parts->scratch[0].data(), t.parts->scratch[1].data()};
  const std::size_t bytes = sizeof(float) * static_cast<std::size_t>(frames);
  // An effect's context: `ins` into the track's buffers in place, keyed by `key` when it has channels.
  auto effect = [&](const float* const* ins, const float* const* key, int keyChannels) {
    ProcessContext fx;
    fx.inputs = ins;
    fx.inputChannels = channels;
    fx.outputs = io;
    fx.outputChannels = channels;
    fx.frames = frames;
    fx.tempo = tempo;
    if (keyChannels) {
      fx.sidechain = key;
      fx.sidechainChannels = keyChannels;
    }
    return fx;
  };
  // A device mixed with what it was given along a fade: wet share rises (fading in) or falls.
  auto runFaded = [&](Device& device, const float* const* key, int keyChannels, int& remaining, bool in) {
    for (int c = 0; c < channels; ++c) std::memcpy(dry[c], io[c], bytes);
    const float* ins[2] = {dry[0], dry[1]};
    device.process(effect(ins, key, keyChannels));
    for (int i = 0; i < frames; ++i) {
      const float wet = fadeGain(remaining, in);
      for (int c = 0; c < channels; ++c) io[c][i] = dry[c][i] + (io[c][i] - dry[c][i]) * wet;
      if (remaining > 0) --remaining;
    }
  };
  std::size_t d = 0;
  for (std::size_t k = 0; k <= t.inserts.size(); ++k) {
    for (; d < t.departing.size() && t.departing[d].before == static_cast<int>(k); ++d) {
      auto& gone = t.departing[d];
      if (gone.fadeOut > 0) {
        runFaded(*gone.device, nullptr, 0, gone.fadeOut, false);
        silent = false;
      }
    }
    if (k == t.inserts.size()) break;
    auto& slot = t.inserts[k];
    const float* key[2] = {nullptr, nullptr};
    int keyChannels = 0;
    if (slot.sidechain >= 0) {  // the keying track's output this block (it was rendered before this one)
      const PlannedTrack& source = tracks[static_cast<std::size_t>(slot.sidechain)];
      key[0] = source.parts->out[0].data() + offset;
      key[1] = source.parts->out[1].data() + offset;
      keyChannels = 2;
    }
    // Silence into an idle device gives silence and leaves it as it was: it is skipped (exactly: see
    // Device::idle), unless a key that is not silent drives it.
    const bool keySilent = slot.sidechain < 0 || tracks[static_cast<std::size_t>(slot.sidechain)].parts->silentOut;
    if (silent && slot.fadeIn == 0 && keySilent && slot.device->idle()) {
      slot.device->skip(frames);
      continue;
    }
    silent = false;
    if (slot.fadeIn > 0) {
      runFaded(*slot.device, keyChannels ? key : nullptr, keyChannels, slot.fadeIn, true);
      continue;
    }
    const float* in[2] = {io[0], io[1]};
    slot.device->process(effect(in, key, keyChannels));
  }
  return silent;
}

namespace {
bool allZero(const float* x, int frames) {
  for (int i = 0; i < frames; ++i)
    if (x[i] != 0.0f) return false;
  return true;
}
}  // namespace

void RenderPlan::renderTrack(PlannedTrack& t, std::int64_t start, int frames, bool advance) noexcept {
  TrackParts& parts = *t.parts;
  float* src[2] = {parts.source[0].data(), parts.source[1].data()};
  const std::size_t bytes = sizeof(float) * static_cast<std::size_t>(frames);
  bool silent = false;  // the source is exact silence: idle devices after it are skipped
  if (t.bus) {
    std::memcpy(src[0], parts.busIn[0].data(), bytes);
    std::memcpy(src[1], parts.busIn[1].data(), bytes);
    silent = allZero(src[0], frames) && allZero(src[1], frames);
  } else if (t.instrument && !releasePending_ && parts.chase.empty() && parts.pendingOffs.empty() && parts.live.empty() &&
             !(t.departingInstrument && t.instrumentFade > 0) &&
             (!advance || t.cursor >= t.scheduleInUse->events.size() || t.scheduleInUse->events[t.cursor].frame >= start + frames) && t.instrument->idle()) {
    // No voice sounds and no note starts in this span: the instrument would render zeros.
    std::memset(src[0], 0, bytes);
    std::memset(src[1], 0, bytes);
    t.instrument->skip(frames);
    silent = true;
  } else if (t.instrument) {
    if (releasePending_ || !parts.chase.empty() || !parts.pendingOffs.empty()) {
      // Release what sounded, then restart the chased notes, before any frame of this span.
      NoteEvent off{0, NoteEvent::Type::AllNotesOff, 0, 0.0f};
      ProcessContext ctx;
      ctx.outputs = src;
      ctx.outputChannels = parts.channels;
      ctx.frames = 0;
      if (releasePending_) {
        ctx.events = &off;
        ctx.eventCount = 1;
        t.instrument->process(ctx);
      }
      if (!parts.pendingOffs.empty()) {
        ctx.events = parts.pendingOffs.data();
        ctx.eventCount = static_cast<int>(parts.pendingOffs.size());
        t.instrument->process(ctx);
        parts.pendingOffs.clear();
      }
      ctx.events = parts.chase.data();
      ctx.eventCount = static_cast<int>(parts.chase.size());
      t.instrument->process(ctx);
      parts.chase.clear();
    }
    if (!parts.live.empty()) {  // live notes (played, not in the song) start on the block's first frame
      ProcessContext ctx;
      ctx.outputs = src;
      ctx.outputChannels = parts.channels;
      ctx.frames = 0;
      ctx.events = parts.live.data();
      ctx.eventCount = static_cast<int>(parts.live.size());
      t.instrument->process(ctx);
      parts.live.clear();
    }
    const auto& events = t.scheduleInUse->events;
    std::vector<NoteEvent>& scratch = *scratchEvents;
    // An instrument that follows the tempo (a synced LFO) is cut on the automation grid when the tempo
    // moves, reading the tempo at each grid point, so its output does not depend on the block size.
    const bool tempoGrid = advance && timeline.hasTempoChanges() && t.instrument->followsTempo();
    int pos = 0;
    while (pos < frames) {
      std::size_t count = 0;
      int end = frames;
      double spanTempo = tempo;
      if (tempoGrid) {
        const std::int64_t frame = start + pos;
        const std::int64_t gridFrame = frame / kAutomationGrid * kAutomationGrid;
        spanTempo = timeline.tempoAt(timeline.beatOfFrame(static_cast<double>(gridFrame)));
        end = static_cast<int>(std::min<std::int64_t>(frames, gridFrame + kAutomationGrid - start));
      }
      while (advance && t.cursor < events.size()) {
        const TimedNoteEvent& e = events[t.cursor];
        if (e.frame >= start + end) break;
        if (count == scratch.size()) {
          end = static_cast<int>(std::max<std::int64_t>(e.frame - start, pos));
          break;
        }
        int at = static_cast<int>(std::max<std::int64_t>(e.frame - start, pos)) - pos;
        scratch[count++] = {at, e.type, e.pitch, e.velocity};
        ++t.cursor;
      }
      float* outs[2] = {src[0] + pos, src[1] + pos};
      ProcessContext ctx;
      ctx.outputs = outs;
      ctx.outputChannels = parts.channels;
      ctx.frames = end - pos;
      ctx.tempo = spanTempo;
      ctx.events = scratch.data();
      ctx.eventCount = static_cast<int>(count);
      t.instrument->process(ctx);
      pos = end;
    }
    if (t.departingInstrument && t.instrumentFade > 0) {  // a replaced instrument's voices fade out
      float* tail[2] = {parts.scratch[0].data(), parts.scratch[1].data()};
      ProcessContext ctx;
      ctx.outputs = tail;
      ctx.outputChannels = parts.channels;
      ctx.frames = frames;
      ctx.tempo = tempo;
      t.departingInstrument->process(ctx);
      for (int i = 0; i < frames && t.instrumentFade > 0; ++i, --t.instrumentFade) {
        const float g = fadeGain(t.instrumentFade, false);
        for (int c = 0; c < parts.channels; ++c) src[c][i] += tail[c][i] * g;
      }
    }
  } else {
    std::memset(src[0], 0, bytes);
    if (parts.channels > 1) std::memset(src[1], 0, bytes);
    silent = true;
    if (advance && t.regionsInUse) {
      const std::int64_t stop = start + frames;
      for (const AudioRegion& r : *t.regionsInUse) {
        if (r.start >= stop) break;
        if (r.end <= start || !r.asset) continue;
        std::int64_t from = std::max(start, r.start), to = std::min(stop, r.end);
        // Source frames available for this region.
        std::int64_t srcFrom = from - r.start + r.sourceOffset;
        std::int64_t avail = r.asset->frames() - srcFrom;
        if (avail <= 0) continue;
        to = std::min(to, from + avail);
        const int nch = static_cast<int>(r.asset->channels.size());
        silent = false;
        for (int c = 0; c < parts.channels; ++c) {
          const float* s = r.asset->channels[static_cast<std::size_t>(std::min(c, nch - 1))].data() + srcFrom;
          float* d = src[c] + (from - start);
          for (std::int64_t i = 0; i < to - from; ++i) d[i] += s[i] * r.gain;
        }
      }
    }
  }
  // Inserts, in place on the source (in its own channel count: a mono source stays mono for the pan law).
  // With parameter automation they run in pieces cut on a 32-sample grid of the timeline, each piece
  // starting from the lanes' values at its first frame.
  // Tempo-synced inserts follow the tempo map on the same grid (so it does not depend on the block size).
  const bool tempoMoves = timeline.hasTempoChanges() && !t.inserts.empty();
  bool silentAfter = true;
  for (int from = 0; from < frames;) {
    int to = frames;
    if (t.paramLanes || tempoMoves) {
      const std::int64_t frame = start + from;
      // The value at the grid point this piece belongs to (a block may start between grid points).
      const std::int64_t gridFrame = frame / kAutomationGrid * kAutomationGrid;
      const double gridBeat = timeline.beatOfFrame(static_cast<double>(gridFrame));
      tempo = timeline.tempoAt(gridBeat);
      if (t.paramLanes)
        for (const auto& lane : *t.lanes)
          if (lane.kind == PlannedTrack::Lane::Param)
            t.inserts[static_cast<std::size_t>(lane.insert)].device->setParam(lane.param, automationValue(lane.points, gridBeat));
      if (advance) to = static_cast<int>(std::min<std::int64_t>(frames, (frame / kAutomationGrid + 1) * kAutomationGrid - start));
    }
    silentAfter = runInserts(t, src, from, to - from, silent) && silentAfter;
    from = to;
  }
  bool gainLane = false, panLane = false;
  if (t.stripLanes) {
    for (const auto& lane : *t.lanes) {
      if (lane.kind == PlannedTrack::Lane::Param) continue;
      const bool gain = lane.kind == PlannedTrack::Lane::Gain;
      (gain ? gainLane : panLane) = true;
      float* dest = (gain ? parts.autoGain : parts.autoPan).data();
      for (int i = 0; i < frames; ++i)
        dest[i] = static_cast<float>(automationValue(lane.points, timeline.beatOfFrame(static_cast<double>(start + (advance ? i : 0)))));
    }
  }
  parts.strip->setAutomation(gainLane ? parts.autoGain.data() : nullptr, panLane ? parts.autoPan.data() : nullptr);
  const int channels = parts.channels;
  if (t.preSends) {  // pre-fader sends take the signal here, in stereo
    std::memcpy(parts.pre[0].data(), src[0], bytes);
    std::memcpy(parts.pre[1].data(), channels > 1 ? src[1] : src[0], bytes);
  }
  const float* ins[2] = {src[0], channels > 1 ? src[1] : src[0]};
  float* outs[2] = {parts.out[0].data(), parts.out[1].data()};
  parts.silentOut = silentAfter && parts.strip->idle();
  if (parts.silentOut) {  // silence through settled gains: silence
    std::memset(outs[0], 0, bytes);
    std::memset(outs[1], 0, bytes);
    parts.strip->skip(frames);
  } else {
    ProcessContext ctx;
    ctx.inputs = ins;
    ctx.inputChannels = channels;
    ctx.outputs = outs;
    ctx.outputChannels = 2;
    ctx.frames = frames;
    parts.strip->process(ctx);
  }
  // A track that arrived (or departs) with this plan fades as a whole, sends included.
  if (t.fadeIn > 0 || t.fadeOut > 0) {
    int& remaining = t.fadeIn > 0 ? t.fadeIn : t.fadeOut;
    const bool in = t.fadeIn > 0;
    for (int i = 0; i < frames; ++i) {
      const float g = fadeGain(remaining, in);
      for (int c = 0; c < 2; ++c) {
        outs[c][i] *= g;
        parts.pre[c][i] *= g;
      }
      if (remaining > 0) --remaining;
    }
  }
  if (!(parts.silentOut && parts.meter.settled())) parts.meter.add(outs[0], outs[1], frames);
}

void RenderPlan::render(std::int64_t start, int frames, bool advance, float* outL, float* outR, StemTap* stems,
                        int stemOffset) noexcept {
  const std::size_t bytes = sizeof(float) * static_cast<std::size_t>(frames);
  std::memset(outL, 0, bytes);
  std::memset(outR, 0, bytes);
  bool anySolo = false;
  for (const auto& t : tracks) anySolo = anySolo || (!t.bus && t.parts->strip->soloed());
  for (auto& t : tracks) {
    t.parts->strip->setSoloActive(anySolo && !t.bus);
    if (t.bus) {
      std::memset(t.parts->busIn[0].data(), 0, bytes);
      std::memset(t.parts->busIn[1].data(), 0, bytes);
    }
  }
  for (int u : order) {
    PlannedTrack& t = tracks[static_cast<std::size_t>(u)];
    renderTrack(t, start, frames, advance);
    // The stem of this track: what its output route (the first) adds, written beside the sum.
    StemTap::Stem* stem = stems && static_cast<std::size_t>(u) < stems->stems.size() ? &stems->stems[static_cast<std::size_t>(u)] : nullptr;
    if (stem)
      for (auto& o : stem->out) std::memset(o.data() + stemOffset, 0, bytes);
    for (PlannedTrack::Route& r : t.routes) {
      float* tap[2] = {nullptr, nullptr};
      if (stem && &r == &t.routes.front())
        for (int c = 0; c < 2; ++c) tap[c] = stem->out[c].data() + stemOffset;
      float* dest[2] = {outL, outR};
      if (r.to >= 0) {
        TrackParts& bus = *tracks[static_cast<std::size_t>(r.to)].parts;
        dest[0] = bus.busIn[0].data();
        dest[1] = bus.busIn[1].data();
      }
      RouteState& st = *r.state;
      const float target = r.gain;
      for (int c = 0; c < 2; ++c) {
        const float* from = r.pre ? t.parts->pre[c].data() : t.parts->out[c].data();
        float* to = dest[c];
        float g = st.gain;
        float* line = st.delay > 0 ? st.line[c].data() : nullptr;
        int pos = st.pos;
        float* tapped = tap[c];
        if (g == target && !line && !tapped) {  // the common case: a settled gain, no delay (a loop the compiler vectorises)
          for (int i = 0; i < frames; ++i) to[i] += from[i] * g;
          if (c == 1) st.gain = g;
          continue;
        }
        for (int i = 0; i < frames; ++i) {
          if (g != target) g = target > g ? std::min(target, g + 1.0f / kFadeFrames) : std::max(target, g - 1.0f / kFadeFrames);
          float x = from[i];
          if (line) {
            const float delayed = line[pos];
            line[pos] = x;
            x = delayed;
            pos = pos + 1 == st.delay ? 0 : pos + 1;
          }
          to[i] += x * g;
          if (tapped) tapped[i] = x * g;
        }
        if (c == 1) {
          st.gain = g;
          st.pos = pos;
        }
      }
    }
  }
  // Removed tracks: their tails fade out straight into the master (whatever fed them is gone).
  for (PlannedTrack& t : departingTracks) {
    if (t.fadeOut <= 0) continue;
    if (t.bus) {
      std::memset(t.parts->busIn[0].data(), 0, bytes);
      std::memset(t.parts->busIn[1].data(), 0, bytes);
    }
    for (auto& slot : t.inserts) slot.sidechain = -1;
    renderTrack(t, start, frames, false);
    for (int i = 0; i < frames; ++i) {
      outL[i] += t.parts->out[0][static_cast<std::size_t>(i)];
      outR[i] += t.parts->out[1][static_cast<std::size_t>(i)];
    }
  }
  releasePending_ = false;
}

}  // namespace mixdown
