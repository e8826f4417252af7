#include "engine/RenderPlan.h"

#include <map>

#include <algorithm>
#include <cstring>

#include "devices/Registry.h"
#include "dsp/Decibels.h"
#include "engine/Timeline.h"

namespace mixdown {
namespace {
constexpr std::size_t kMaxEventsPerSpan = 512;
}

std::unique_ptr<RenderPlan> RenderPlan::build(const Project& project, const AssetLibrary& assets, double sampleRate,
                                              int maxBlock, std::vector<std::string>* missingAssets) {
  auto plan = std::make_unique<RenderPlan>();
  plan->sampleRate = sampleRate;
  plan->maxBlock = maxBlock;
  plan->masterGainDb = project.master.gainDb;
  plan->scratchEvents.resize(kMaxEventsPerSpan);
  for (auto& m : plan->mix) m.assign(static_cast<std::size_t>(maxBlock), 0.0f);
  plan->timeline = Timeline(project, sampleRate);
  const Timeline& timeline = plan->timeline;
  auto frameOf = [&](double beat) { return timeline.frameOfBeat(beat); };

  for (const Track& t : project.tracks) {
    auto pt = std::make_unique<PlannedTrack>();
    pt->id = t.id;
    if (t.kind == TrackKind::Instrument && t.instrument) {
      pt->instrument = createDevice(t.instrument->type);
      if (pt->instrument) {
        for (const auto& [id, v] : t.instrument->params) pt->instrument->setParam(id, v);
        pt->instrument->prepare(sampleRate, maxBlock);
      }
      for (const Clip& c : t.clips) {
        const double clipEnd = c.start + c.length;
        for (const Note& n : c.notes) {
          if (n.pitch < 0 || n.pitch > 127) continue;
          if (n.start < c.offset || n.start >= c.offset + c.length) continue;
          double on = c.start + (n.start - c.offset);
          double off = std::min(on + n.length, clipEnd);
          std::int64_t onFrame = frameOf(on), offFrame = frameOf(off);
          if (offFrame <= onFrame) offFrame = onFrame + 1;
          pt->events.push_back({onFrame, NoteEvent::Type::NoteOn, static_cast<std::uint8_t>(n.pitch),
                                static_cast<float>(n.velocity)});
          pt->events.push_back({offFrame, NoteEvent::Type::NoteOff, static_cast<std::uint8_t>(n.pitch), 0.0f});
          pt->notes.push_back({onFrame, offFrame, static_cast<std::uint8_t>(n.pitch), static_cast<float>(n.velocity)});
        }
        plan->endFrame = std::max(plan->endFrame, frameOf(clipEnd));
      }
      std::stable_sort(pt->notes.begin(), pt->notes.end(),
                       [](const TimedNote& a, const TimedNote& b) { return a.on < b.on; });
      pt->chase.reserve(std::min<std::size_t>(pt->notes.size(), 128));
      std::stable_sort(pt->events.begin(), pt->events.end(), [](const TimedNoteEvent& a, const TimedNoteEvent& b) {
        if (a.frame != b.frame) return a.frame < b.frame;
        // Note-offs first, so a note repeated back to back re-triggers instead of being cut.
        return a.type == NoteEvent::Type::NoteOff && b.type != NoteEvent::Type::NoteOff;
      });
    } else if (t.kind == TrackKind::Audio) {
      for (const Clip& c : t.clips) {
        AudioRegion r;
        r.start = frameOf(c.start);
        r.end = frameOf(c.start + c.length);
        r.sourceOffset = timeline.framesOfSpan(c.start - c.offset, c.offset);  // the source is not stretched
        r.gain = dbToGain(c.gainDb);
        auto it = assets.find(c.asset);
        if (it != assets.end() && it->second) {
          r.asset = it->second;
          pt->channels = std::max(pt->channels, static_cast<int>(r.asset->channels.size()));
        } else if (missingAssets &&
                   std::find(missingAssets->begin(), missingAssets->end(), c.asset) == missingAssets->end()) {
          missingAssets->push_back(c.asset);
        }
        plan->endFrame = std::max(plan->endFrame, r.end);
        pt->regions.push_back(std::move(r));
      }
      std::sort(pt->regions.begin(), pt->regions.end(),
                [](const AudioRegion& a, const AudioRegion& b) { return a.start < b.start; });
    }
    if (t.kind == TrackKind::Bus) {
      pt->bus = true;
      pt->channels = 2;
      for (auto& b : pt->busIn) b.assign(static_cast<std::size_t>(maxBlock), 0.0f);
    }
    pt->channels = std::clamp(pt->channels, 1, 2);
    for (std::size_t k = 0; k < t.inserts.size(); ++k) {
      const DeviceState& d = t.inserts[k];
      if (d.bypass) continue;
      std::unique_ptr<Device> dev = createDevice(d.type);
      if (!dev || dev->descriptor().kind != DeviceKind::Effect) continue;
      for (const auto& [id, v] : d.params) dev->setParam(id, v);
      dev->prepare(sampleRate, maxBlock);
      pt->latency += dev->latency();
      pt->inserts.push_back(std::move(dev));
      pt->insertIndex.push_back(static_cast<int>(k));
      pt->insertSidechain.push_back(-1);  // resolved below, once every track has an index
    }
    for (const AutomationLane& lane : t.automation) {
      if (lane.points.empty()) continue;
      PlannedTrack::Lane pl;
      pl.points = lane.points;
      if (lane.target == "gain") {
        pl.kind = PlannedTrack::Lane::Gain;
        pt->autoGain.assign(static_cast<std::size_t>(maxBlock), 0.0f);
      } else if (lane.target == "pan") {
        pl.kind = PlannedTrack::Lane::Pan;
        pt->autoPan.assign(static_cast<std::size_t>(maxBlock), 0.0f);
      } else {
        std::size_t modelIndex = 0;
        std::string paramId;
        if (!parseInsertTarget(lane.target, modelIndex, paramId)) continue;
        const auto at = std::find(pt->insertIndex.begin(), pt->insertIndex.end(), static_cast<int>(modelIndex));
        if (at == pt->insertIndex.end()) continue;  // a bypassed insert is not in the plan
        pl.kind = PlannedTrack::Lane::Param;
        pl.insert = static_cast<int>(at - pt->insertIndex.begin());
        pl.param = pt->inserts[static_cast<std::size_t>(pl.insert)]->descriptor().paramIndex(paramId);
        if (pl.param < 0) continue;
      }
      pt->lanes.push_back(std::move(pl));
    }
    pt->strip = std::make_unique<MixerStrip>();
    pt->strip->setInputChannels(pt->channels);
    pt->strip->setSettings(t.strip.gainDb, t.strip.pan, t.strip.mute, t.strip.solo);
    for (auto& b : pt->source) b.assign(static_cast<std::size_t>(maxBlock), 0.0f);
    for (auto& b : pt->out) b.assign(static_cast<std::size_t>(maxBlock), 0.0f);
    plan->tracks.push_back(std::move(pt));
  }
  // Routing: outputs, sends and sidechains by index; then the processing order.
  const std::size_t n = plan->tracks.size();
  std::map<std::string, int> indexOf;
  for (std::size_t i = 0; i < n; ++i) indexOf.emplace(project.tracks[i].id, static_cast<int>(i));
  auto find = [&](const std::string& id) { auto it = indexOf.find(id); return it == indexOf.end() ? -1 : it->second; };
  std::vector<std::vector<int>> next(n);  // u must be processed before each v in next[u]
  for (std::size_t i = 0; i < n; ++i) {
    const Track& t = project.tracks[i];
    PlannedTrack& pt = *plan->tracks[i];
    const int out = t.output == kMasterOutput ? -1 : find(t.output);
    pt.routes.emplace_back();
    pt.routes.back().to = out >= 0 && plan->tracks[static_cast<std::size_t>(out)]->bus ? out : -1;
    for (const SendState& send : t.sends) {
      const int to = find(send.target);
      if (to < 0 || !plan->tracks[static_cast<std::size_t>(to)]->bus || to == static_cast<int>(i)) continue;
      PlannedTrack::Route r;
      r.to = to;
      r.gain = dbToGain(send.levelDb);
      r.pre = send.preFader;
      pt.routes.push_back(std::move(r));
      if (send.preFader)
        for (auto& b : pt.pre) b.assign(static_cast<std::size_t>(maxBlock), 0.0f);
    }
    for (const auto& r : pt.routes)
      if (r.to >= 0) next[i].push_back(r.to);
    for (std::size_t k = 0; k < pt.insertIndex.size(); ++k) {
      const int key = find(t.inserts[static_cast<std::size_t>(pt.insertIndex[k])].sidechain);
      if (key >= 0 && key != static_cast<int>(i)) {
        pt.insertSidechain[k] = key;
        next[static_cast<std::size_t>(key)].push_back(static_cast<int>(i));
      }
    }
  }
  // Kahn's algorithm; a cycle (refused by validation) would leave tracks out: they are appended so every
  // track still renders.
  std::vector<int> indegree(n, 0);
  for (const auto& v : next)
    for (int to : v) ++indegree[static_cast<std::size_t>(to)];
  std::vector<int> ready;
  for (std::size_t i = 0; i < n; ++i)
    if (indegree[i] == 0) ready.push_back(static_cast<int>(i));
  for (std::size_t r = 0; r < ready.size(); ++r)
    for (int to : next[static_cast<std::size_t>(ready[r])])
      if (--indegree[static_cast<std::size_t>(to)] == 0) ready.push_back(to);
  for (std::size_t i = 0; i < n; ++i)
    if (indegree[i] > 0) ready.push_back(static_cast<int>(i));
  plan->order = std::move(ready);

  // Delay compensation: a track's signal leaves at arrival(inputs) + its own latency; every route into a
  // bus (or the master) is delayed to the latest one arriving there, so parallel paths stay aligned.
  std::vector<int> leaves(n, 0), latestIn(n, 0);
  int latestAtMaster = 0;
  for (int u : plan->order) {
    PlannedTrack& pt = *plan->tracks[static_cast<std::size_t>(u)];
    leaves[static_cast<std::size_t>(u)] = latestIn[static_cast<std::size_t>(u)] + pt.latency;
    for (const auto& r : pt.routes) {
      if (r.to >= 0) latestIn[static_cast<std::size_t>(r.to)] = std::max(latestIn[static_cast<std::size_t>(r.to)], leaves[static_cast<std::size_t>(u)]);
      else latestAtMaster = std::max(latestAtMaster, leaves[static_cast<std::size_t>(u)]);
    }
  }
  plan->latency = latestAtMaster;
  bool anySolo = false;
  for (const auto& t : plan->tracks) anySolo = anySolo || (!t->bus && t->strip->soloed());
  for (std::size_t u = 0; u < n; ++u) {
    PlannedTrack& pt = *plan->tracks[u];
    pt.strip->setSoloActive(anySolo && !pt.bus);  // a bus is never silenced by a soloed track it carries
    pt.strip->prepare(sampleRate, maxBlock);
    pt.meter.prepare(sampleRate);
    for (auto& r : pt.routes) {
      r.delay = (r.to >= 0 ? latestIn[static_cast<std::size_t>(r.to)] : latestAtMaster) - leaves[u];
      if (r.delay > 0)
        for (auto& line : r.line) line.assign(static_cast<std::size_t>(r.delay), 0.0f);
    }
  }
  plan->tempo = project.tempo;
  return plan;
}

void RenderPlan::locate(std::int64_t frame, bool chase) {
  for (auto& t : tracks) {
    t->chase.clear();
    if (chase) {
      for (const TimedNote& n : t->notes) {
        if (n.on >= frame) break;
        if (n.off > frame && t->chase.size() < t->chase.capacity())
          t->chase.push_back({0, NoteEvent::Type::NoteOn, n.pitch, n.velocity});
      }
    }
    auto it = std::lower_bound(t->events.begin(), t->events.end(), frame,
                               [](const TimedNoteEvent& e, std::int64_t f) { return e.frame < f; });
    t->cursor = static_cast<std::size_t>(it - t->events.begin());
  }
}

void RenderPlan::releaseAll() { releasePending_ = true; }

void RenderPlan::runInserts(PlannedTrack& t, float* const* src, int offset, int frames) noexcept {
  if (frames <= 0) return;
  float* io[2] = {src[0] + offset, src[1] + offset};
  for (std::size_t k = 0; k < t.inserts.size(); ++k) {
    const float* in[2] = {io[0], io[1]};
    ProcessContext fx;
    fx.inputs = in;
    fx.inputChannels = t.channels;
    fx.outputs = io;
    fx.outputChannels = t.channels;
    fx.frames = frames;
    fx.tempo = tempo;
    const float* key[2] = {nullptr, nullptr};
    if (t.insertSidechain[k] >= 0) {  // the keying track's output this block (it was rendered before this one)
      const PlannedTrack& source = *tracks[static_cast<std::size_t>(t.insertSidechain[k])];
      key[0] = source.out[0].data() + offset;
      key[1] = source.out[1].data() + offset;
      fx.sidechain = key;
      fx.sidechainChannels = 2;
    }
    t.inserts[k]->process(fx);
  }
}

void RenderPlan::renderTrack(PlannedTrack& t, std::int64_t start, int frames, bool advance) noexcept {
  float* src[2] = {t.source[0].data(), t.source[1].data()};
  const std::size_t bytes = sizeof(float) * static_cast<std::size_t>(frames);
  if (t.bus) {
    std::memcpy(src[0], t.busIn[0].data(), bytes);
    std::memcpy(src[1], t.busIn[1].data(), bytes);
  } else if (t.instrument) {
    if (releasePending_ || !t.chase.empty()) {
      // Release what sounded, then restart the chased notes, before any frame of this span.
      NoteEvent off{0, NoteEvent::Type::AllNotesOff, 0, 0.0f};
      ProcessContext ctx;
      ctx.outputs = src;
      ctx.outputChannels = 1;
      ctx.frames = 0;
      if (releasePending_) {
        ctx.events = &off;
        ctx.eventCount = 1;
        t.instrument->process(ctx);
      }
      ctx.events = t.chase.data();
      ctx.eventCount = static_cast<int>(t.chase.size());
      t.instrument->process(ctx);
      t.chase.clear();
    }
    int pos = 0;
    while (pos < frames) {
      std::size_t count = 0;
      int end = frames;
      while (advance && t.cursor < t.events.size()) {
        const TimedNoteEvent& e = t.events[t.cursor];
        if (e.frame >= start + frames) break;
        if (count == scratchEvents.size()) {
          end = static_cast<int>(std::max<std::int64_t>(e.frame - start, pos));
          break;
        }
        int at = static_cast<int>(std::max<std::int64_t>(e.frame - start, pos)) - pos;
        scratchEvents[count++] = {at, e.type, e.pitch, e.velocity};
        ++t.cursor;
      }
      float* outs[2] = {src[0] + pos, src[1] + pos};
      ProcessContext ctx;
      ctx.outputs = outs;
      ctx.outputChannels = 1;
      ctx.frames = end - pos;
      ctx.events = scratchEvents.data();
      ctx.eventCount = static_cast<int>(count);
      t.instrument->process(ctx);
      pos = end;
    }
  } else {
    std::memset(src[0], 0, bytes);
    if (t.channels > 1) std::memset(src[1], 0, bytes);
    if (advance) {
      const std::int64_t stop = start + frames;
      for (const AudioRegion& r : t.regions) {
        if (r.start >= stop) break;
        if (r.end <= start || !r.asset) continue;
        std::int64_t from = std::max(start, r.start), to = std::min(stop, r.end);
        // Source frames available for this region.
        std::int64_t srcFrom = from - r.start + r.sourceOffset;
        std::int64_t avail = r.asset->frames() - srcFrom;
        if (avail <= 0) continue;
        to = std::min(to, from + avail);
        const int nch = static_cast<int>(r.asset->channels.size());
        for (int c = 0; c < t.channels; ++c) {
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
  bool paramLanes = false;
  for (const auto& lane : t.lanes) paramLanes = paramLanes || lane.kind == PlannedTrack::Lane::Param;
  const bool tempoMoves = timeline.hasTempoChanges() && !t.inserts.empty();
  for (int from = 0; from < frames;) {
    int to = frames;
    if (paramLanes || tempoMoves) {
      const std::int64_t frame = start + from;
      // The value at the grid point this piece belongs to (a block may start between grid points).
      const std::int64_t gridFrame = frame / kAutomationGrid * kAutomationGrid;
      const double gridBeat = timeline.beatOfFrame(static_cast<double>(gridFrame));
      tempo = timeline.tempoAt(gridBeat);
      for (const auto& lane : t.lanes)
        if (lane.kind == PlannedTrack::Lane::Param)
          t.inserts[static_cast<std::size_t>(lane.insert)]->setParam(lane.param, automationValue(lane.points, gridBeat));
      if (advance) to = static_cast<int>(std::min<std::int64_t>(frames, (frame / kAutomationGrid + 1) * kAutomationGrid - start));
    }
    runInserts(t, src, from, to - from);
    from = to;
  }
  if (!t.autoGain.empty() || !t.autoPan.empty()) {
    for (const auto& lane : t.lanes) {
      if (lane.kind == PlannedTrack::Lane::Param) continue;
      float* dest = (lane.kind == PlannedTrack::Lane::Gain ? t.autoGain : t.autoPan).data();
      for (int i = 0; i < frames; ++i)
        dest[i] = static_cast<float>(automationValue(lane.points, timeline.beatOfFrame(static_cast<double>(start + (advance ? i : 0)))));
    }
    t.strip->setAutomation(t.autoGain.empty() ? nullptr : t.autoGain.data(), t.autoPan.empty() ? nullptr : t.autoPan.data());
  }
  if (!t.pre[0].empty()) {  // pre-fader sends take the signal here, in stereo
    std::memcpy(t.pre[0].data(), src[0], bytes);
    std::memcpy(t.pre[1].data(), t.channels > 1 ? src[1] : src[0], bytes);
  }
  const float* ins[2] = {src[0], t.channels > 1 ? src[1] : src[0]};
  float* outs[2] = {t.out[0].data(), t.out[1].data()};
  ProcessContext ctx;
  ctx.inputs = ins;
  ctx.inputChannels = t.channels;
  ctx.outputs = outs;
  ctx.outputChannels = 2;
  ctx.frames = frames;
  t.strip->process(ctx);
  t.meter.add(outs[0], outs[1], frames);
}

void RenderPlan::render(std::int64_t start, int frames, bool advance, float* outL, float* outR) noexcept {
  const std::size_t bytes = sizeof(float) * static_cast<std::size_t>(frames);
  std::memset(outL, 0, bytes);
  std::memset(outR, 0, bytes);
  bool anySolo = false;
  for (const auto& t : tracks) anySolo = anySolo || (!t->bus && t->strip->soloed());
  for (auto& t : tracks) {
    t->strip->setSoloActive(anySolo && !t->bus);
    if (t->bus) {
      std::memset(t->busIn[0].data(), 0, bytes);
      std::memset(t->busIn[1].data(), 0, bytes);
    }
  }
  for (int u : order) {
    PlannedTrack& t = *tracks[static_cast<std::size_t>(u)];
    renderTrack(t, start, frames, advance);
    for (PlannedTrack::Route& r : t.routes) {
      float* dest[2] = {outL, outR};
      if (r.to >= 0) {
        PlannedTrack& bus = *tracks[static_cast<std::size_t>(r.to)];
        dest[0] = bus.busIn[0].data();
        dest[1] = bus.busIn[1].data();
      }
      for (int c = 0; c < 2; ++c) {
        const float* from = r.pre ? t.pre[c].data() : t.out[c].data();
        float* to = dest[c];
        if (r.delay == 0) {
          for (int i = 0; i < frames; ++i) to[i] += from[i] * r.gain;
          continue;
        }
        float* line = r.line[c].data();
        int pos = r.pos;
        for (int i = 0; i < frames; ++i) {
          const float delayed = line[pos];
          line[pos] = from[i];
          to[i] += delayed * r.gain;
          pos = pos + 1 == r.delay ? 0 : pos + 1;
        }
      }
      if (r.delay > 0) r.pos = static_cast<int>((r.pos + frames) % r.delay);
    }
  }
  releasePending_ = false;
}

}  // namespace mixdown
