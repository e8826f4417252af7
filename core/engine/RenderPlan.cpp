#include "engine/RenderPlan.h"

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
  const double tempo = project.tempo;
  auto frameOf = [&](double beat) { return frameOfBeat(beat, tempo, sampleRate); };

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
        r.sourceOffset = frameOf(c.offset);
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
    }
    pt->strip = std::make_unique<MixerStrip>();
    pt->strip->setInputChannels(pt->channels);
    pt->strip->setSettings(t.strip.gainDb, t.strip.pan, t.strip.mute, t.strip.solo);
    for (auto& b : pt->source) b.assign(static_cast<std::size_t>(maxBlock), 0.0f);
    for (auto& b : pt->out) b.assign(static_cast<std::size_t>(maxBlock), 0.0f);
    plan->tracks.push_back(std::move(pt));
  }
  bool anySolo = false;
  for (const auto& t : plan->tracks) anySolo = anySolo || t->strip->soloed();
  // Delay compensation: every track is delayed to the latest one, so parallel paths stay sample-aligned.
  for (const auto& t : plan->tracks) plan->latency = std::max(plan->latency, t->latency);
  for (auto& t : plan->tracks) {
    t->strip->setSoloActive(anySolo);
    t->strip->prepare(sampleRate, maxBlock);
    t->compensation = plan->latency - t->latency;
    if (t->compensation > 0)
      for (auto& line : t->compLine) line.assign(static_cast<std::size_t>(t->compensation), 0.0f);
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

void RenderPlan::renderTrack(PlannedTrack& t, std::int64_t start, int frames, bool advance) noexcept {
  float* src[2] = {t.source[0].data(), t.source[1].data()};
  const std::size_t bytes = sizeof(float) * static_cast<std::size_t>(frames);
  if (t.instrument) {
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
  for (auto& dev : t.inserts) {
    const float* io[2] = {src[0], src[1]};
    ProcessContext fx;
    fx.inputs = io;
    fx.inputChannels = t.channels;
    fx.outputs = src;
    fx.outputChannels = t.channels;
    fx.frames = frames;
    fx.tempo = tempo;
    dev->process(fx);
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
  if (t.compensation > 0) {
    const int n = t.compensation;
    for (int c = 0; c < 2; ++c) {
      float* line = t.compLine[c].data();
      int pos = t.compPos;
      for (int i = 0; i < frames; ++i) {
        const float delayed = line[pos];
        line[pos] = outs[c][i];
        outs[c][i] = delayed;
        pos = pos + 1 == n ? 0 : pos + 1;
      }
    }
    t.compPos = static_cast<int>((t.compPos + frames) % n);
  }
}

void RenderPlan::render(std::int64_t start, int frames, bool advance, float* outL, float* outR) noexcept {
  const std::size_t bytes = sizeof(float) * static_cast<std::size_t>(frames);
  std::memset(outL, 0, bytes);
  std::memset(outR, 0, bytes);
  bool anySolo = false;
  for (const auto& t : tracks) anySolo = anySolo || t->strip->soloed();
  for (auto& t : tracks) {
    t->strip->setSoloActive(anySolo);
    renderTrack(*t, start, frames, advance);
    const float* l = t->out[0].data();
    const float* r = t->out[1].data();
    for (int i = 0; i < frames; ++i) {
      outL[i] += l[i];
      outR[i] += r[i];
    }
  }
  releasePending_ = false;
}

}  // namespace mixdown
