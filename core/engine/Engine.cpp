#include "engine/Engine.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>

#include "dsp/Decibels.h"
#include "engine/DeviceSettings.h"
#include "engine/Timeline.h"
#include "master/TruePeakLimiter.h"

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace mixdown {
namespace {
// Flush denormals to zero on this thread while in scope (x86; wasm has no such mode and relies on
// devices ending their tails).
struct DenormalGuard {
#if defined(__SSE__) || defined(__x86_64__)
  unsigned int saved = _mm_getcsr();
  bool on;
  explicit DenormalGuard(bool enable) : on(enable) {
    if (on) _mm_setcsr(saved | 0x8040);
  }
  ~DenormalGuard() {
    if (on) _mm_setcsr(saved);
  }
#else
  explicit DenormalGuard(bool) {}
#endif
};
}  // namespace

Engine::Engine(double sampleRate, int maxBlock) : sampleRate_(sampleRate), maxBlock_(std::max(1, maxBlock)) {
  masterGain_.prepare(sampleRate, 20.0);
  masterGain_.snap(1.0f);
  gains_.assign(static_cast<std::size_t>(maxBlock_), 1.0f);
  for (auto& r : retired_) r.store(nullptr);
  for (auto& r : retiredChains_) r.store(nullptr);
  loudness_.prepare(sampleRate, 2);
  masterMeter_.prepare(sampleRate);
  correlation_.prepare(sampleRate);
  metronome_.prepare(sampleRate);
  emptyTimeline_ = Timeline(Project{}, sampleRate);
}

void Engine::setMetronome(bool on, double levelDb) {
  const double db = std::isfinite(levelDb) ? std::clamp(levelDb, -60.0, 6.0) : -6.0;
  metronomeGain_.store(static_cast<float>(dbToGain(db)), std::memory_order_relaxed);
  metronomeOn_.store(on, std::memory_order_relaxed);
}

void Engine::startCountIn(int bars, std::int64_t pos) noexcept {
  // The signature and tempo where the song will start: bars of its beats at that tempo.
  const Timeline& timeline = current_ ? current_->timeline : emptyTimeline_;
  const double beat = timeline.beatOfFrame(static_cast<double>(pos));
  const TimeSignature sig = timeline.signatureAtBar(timeline.barOfBeat(beat));
  countInPerBar_ = sig.numerator;
  countInBeatFrames_ = (4.0 / sig.denominator) * 60.0 / timeline.tempoAt(beat) * sampleRate_;
  countInFrames_ = std::max<std::int64_t>(1, std::llround(bars * sig.numerator * countInBeatFrames_));
  countInDone_ = 0;
  countInBeats_.store(bars * sig.numerator, std::memory_order_relaxed);
  countInBeat_.store(1, std::memory_order_relaxed);
  countingIn_.store(true, std::memory_order_relaxed);
}

bool Engine::liveNote(const std::string& trackId, int pitch, double velocity) {
  if (pitch < 0 || pitch > 127 || !std::isfinite(velocity)) return false;
  const float v = static_cast<float>(std::clamp(velocity, 0.0, 1.0));
  return pushLive(trackId, v > 0.0f ? NoteEvent::Type::NoteOn : NoteEvent::Type::NoteOff, pitch, v);
}

bool Engine::liveControl(const std::string& trackId, LiveControl control, double value) {
  if (!std::isfinite(value)) return false;
  if (control == LiveControl::PitchBend) return pushLive(trackId, NoteEvent::Type::PitchBend, 0, static_cast<float>(std::clamp(value, -1.0, 1.0)));
  return pushLive(trackId, NoteEvent::Type::ModWheel, 0, static_cast<float>(std::clamp(value, 0.0, 1.0)));
}

bool Engine::pushLive(const std::string& trackId, NoteEvent::Type type, int pitch, float value) {
  if (trackId.size() >= LiveNote{}.track.size()) return false;
  int hint = -1;
  for (std::size_t i = 0; i < model_.tracks.size(); ++i)
    if (model_.tracks[i].id == trackId) hint = static_cast<int>(i);
  if (hint < 0) return false;
  const unsigned tail = liveTail_.load(std::memory_order_relaxed);
  if (tail - liveHead_.load(std::memory_order_acquire) >= kLiveSlots) return false;
  LiveNote& n = liveNotes_[tail % kLiveSlots];
  n.track.fill('\0');
  std::copy(trackId.begin(), trackId.end(), n.track.begin());
  n.hint = hint;
  n.type = type;
  n.pitch = static_cast<std::uint8_t>(pitch);
  n.velocity = value;
  liveTail_.store(tail + 1, std::memory_order_release);
  return true;
}

void Engine::takeLiveNotes() noexcept {
  const unsigned tail = liveTail_.load(std::memory_order_acquire);
  unsigned head = liveHead_.load(std::memory_order_relaxed);
  for (; head != tail; ++head) {
    const LiveNote& n = liveNotes_[head % kLiveSlots];
    if (!current_) continue;
    const std::string_view id(n.track.data());
    PlannedTrack* t = nullptr;
    if (n.hint >= 0 && static_cast<std::size_t>(n.hint) < current_->tracks.size() && current_->tracks[static_cast<std::size_t>(n.hint)].id == id)
      t = &current_->tracks[static_cast<std::size_t>(n.hint)];
    else
      for (PlannedTrack& c : current_->tracks)
        if (c.id == id) t = &c;
    if (!t || !t->instrument) continue;
    auto& live = t->parts->live;
    if (live.size() < live.capacity())
      live.push_back({0, n.type, n.pitch, n.velocity});
  }
  liveHead_.store(head, std::memory_order_release);
}

Engine::~Engine() {
  for (unsigned i = switchHead_.load(); i != switchTail_.load(); ++i) delete switches_[i % kSwitchSlots];
  for (auto& slot : retiredSwitches_) delete slot.exchange(nullptr);
  delete pending_.exchange(nullptr);
  delete current_;
  delete pendingChain_.exchange(nullptr);
  delete chain_;
  collect();
}

std::vector<std::string> Engine::setProject(const Project& project, const AssetLibrary& assets) {
  const bool timing = !hasModel_ || model_.tempo != project.tempo || model_.tempoChanges != project.tempoChanges;
  model_ = project;
  for (Track& t : model_.tracks) assignDeviceIds(t);
  hasModel_ = true;
  assets_ = assets;
  masterGainDb_.store(project.master.gainDb);
  applyLoop();
  updateMasterChain(model_.master.devices);
  return rebuild(nullptr, timing);
}

std::vector<std::string> Engine::rebuild(const std::vector<std::string>* changed, bool timing) {
  collect();
  std::vector<std::string> missing;
  PlanReuse reuse;
  reuse.previous = latest_;
  reuse.changed = changed;
  reuse.timing = timing;
  auto plan = RenderPlan::build(model_, assets_, sampleRate_, maxBlock_, &missing, reuse);
  endFrame_.store(plan->endFrame);
  trackCount_.store(static_cast<int>(plan->tracks.size()));
  latest_ = plan.get();
  // A plan the audio thread never picked up is simply replaced (what it shares lives on in the new one).
  delete pending_.exchange(plan.release());
  return missing;
}

int Engine::trackChannels(const std::string& id) const {
  const int i = latest_ ? latest_->find(id) : -1;
  return i < 0 ? 0 : latest_->tracks[static_cast<std::size_t>(i)].parts->channels;
}

void Engine::applyLoop() {
  const Timeline timeline(model_, sampleRate_);
  setLoop(model_.loop.enabled, timeline.frameOfBeat(model_.loop.startBeat), timeline.frameOfBeat(model_.loop.endBeat));
}

Engine::EditResult Engine::applyEdits(const std::vector<ProjectEdit>& edits) {
  EditResult result;
  EditEffect effect;
  result.issues = mixdown::applyEdits(model_, edits, &effect);
  if (!result.issues.empty()) return result;
  hasModel_ = true;
  if (effect.master) {
    masterGainDb_.store(model_.master.gainDb);
    updateMasterChain(model_.master.devices);
  }
  if (effect.song) applyLoop();
  std::vector<std::string> changed = effect.changedTracks;
  // Live edits: strips and parameters straight to the shared parts of the newest plan (the audio thread
  // plays the same parts). A parameter only prepare() reads needs the device rebuilt: then the track
  // is reconciled with the rest.
  for (const std::string& id : effect.liveTracks) {
    const int mi = [&] {
      for (std::size_t i = 0; i < model_.tracks.size(); ++i)
        if (model_.tracks[i].id == id) return static_cast<int>(i);
      return -1;
    }();
    const int pi = latest_ ? latest_->find(id) : -1;
    if (mi < 0 || pi < 0) continue;
    const Track& t = model_.tracks[static_cast<std::size_t>(mi)];
    PlannedTrack& pt = latest_->tracks[static_cast<std::size_t>(pi)];
    pt.parts->strip->setSettings(t.strip.gainDb, t.strip.pan, t.strip.mute, t.strip.solo);
    bool rebuildTrack = false;
    // An instrument edit that changes its channel count (a synth's unison spread turned on) needs the
    // track's parts rebuilt for the other pan law; the instrument itself is kept.
    if (pt.instrument && t.instrument)
      rebuildTrack = !applyLiveSettings(*pt.instrument, *t.instrument) ||
                     outputChannelsOf(pt.instrument->descriptor(), *t.instrument) != pt.parts->channels;
    for (auto& slot : pt.inserts)
      if (static_cast<std::size_t>(slot.modelIndex) < t.inserts.size() &&
          !applyLiveSettings(*slot.device, t.inserts[static_cast<std::size_t>(slot.modelIndex)]))
        rebuildTrack = true;
    if (rebuildTrack) changed.push_back(id);
  }
  const bool timing = effect.timing;
  // A clip-only edit switches the playing tracks' clips; anything else that is not live needs a plan.
  const bool switched = !effect.structure && !effect.whole && !timing && !effect.assets && !changed.empty() && latest_ &&
                        switchClips(changed);
  if (!switched && (effect.structure || effect.whole || timing || !changed.empty() || !latest_)) {
    result.missingAssets = rebuild(effect.whole ? nullptr : &changed, timing);
    result.newPlan = true;
  } else {
    for (const Track& t : model_.tracks) noteMissingAssets(t, assets_, result.missingAssets);
  }
  return result;
}

bool Engine::switchClips(const std::vector<std::string>& ids) {
  // Only onto the plan the audio thread plays: a plan still pending would adopt the old schedules.
  if (pending_.load(std::memory_order_acquire) != nullptr) return false;
  collect();
  const unsigned tail = switchTail_.load(std::memory_order_relaxed);
  if (tail - switchHead_.load(std::memory_order_acquire) + ids.size() > kSwitchSlots) return false;
  struct Found {
    const Track* track;
    int index;
  };
  std::vector<Found> found;
  found.reserve(ids.size());
  for (const std::string& id : ids) {
    const int pi = latest_->find(id);
    const auto m = std::find_if(model_.tracks.begin(), model_.tracks.end(), [&](const Track& t) { return t.id == id; });
    const int mi = m == model_.tracks.end() ? -1 : static_cast<int>(m - model_.tracks.begin());
    if (pi < 0 || mi < 0) return false;
    const PlannedTrack& pt = latest_->tracks[static_cast<std::size_t>(pi)];
    const Track& t = model_.tracks[static_cast<std::size_t>(mi)];
    if (!pt.model || !pt.parts || pt.model->kind != t.kind || !sameExceptClips(*pt.model, t)) return false;
    if (t.kind == TrackKind::Instrument ? !pt.schedule : t.kind != TrackKind::Audio || !pt.regions) return false;
    found.push_back({&t, pi});
  }
  std::vector<std::unique_ptr<ClipSwitch>> made;
  made.reserve(found.size());
  std::vector<std::shared_ptr<const std::vector<AudioRegion>>> regions(found.size());
  for (std::size_t k = 0; k < found.size(); ++k) {
    const Track& t = *found[k].track;
    if (t.kind != TrackKind::Audio) continue;
    int channels = 1;
    regions[k] = latest_->buildRegions(t, assets_, channels, nullptr);
    // A wider asset needs a stereo source: the track's parts change, which only a plan can do.
    if (channels != latest_->tracks[static_cast<std::size_t>(found[k].index)].parts->channels) return false;
  }
  for (std::size_t k = 0; k < found.size(); ++k) {
    const Track& t = *found[k].track;
    PlannedTrack& pt = latest_->tracks[static_cast<std::size_t>(found[k].index)];
    auto sw = std::make_unique<ClipSwitch>();
    sw->plan = latest_;
    sw->track = found[k].index;
    if (t.kind == TrackKind::Instrument) {
      sw->before = std::move(pt.schedule);
      pt.schedule = latest_->buildSchedule(t);
      sw->schedule = pt.schedule.get();
    } else {
      sw->regionsBefore = std::move(pt.regions);
      pt.regions = std::move(regions[k]);
      sw->regions = pt.regions.get();
    }
    pt.model = std::make_shared<const Track>(t);
    made.push_back(std::move(sw));
  }
  std::int64_t end = 0;
  for (const PlannedTrack& pt : latest_->tracks) {
    if (pt.schedule) end = std::max(end, pt.schedule->endFrame);
    if (pt.regions)
      for (const AudioRegion& r : *pt.regions) end = std::max(end, r.end);
  }
  latest_->endFrame = end;
  endFrame_.store(end);
  unsigned at = tail;
  for (auto& sw : made) switches_[at++ % kSwitchSlots] = sw.release();
  switchTail_.store(at, std::memory_order_release);
  return true;
}

bool Engine::takeClipSwitches() noexcept {
  const unsigned tail = switchTail_.load(std::memory_order_acquire);
  unsigned head = switchHead_.load(std::memory_order_relaxed);
  for (; head != tail; ++head) {
    ClipSwitch* sw = switches_[head % kSwitchSlots];
    std::atomic<ClipSwitch*>* free = nullptr;
    for (auto& slot : retiredSwitches_)
      if (slot.load(std::memory_order_relaxed) == nullptr) {
        free = &slot;
        break;
      }
    if (!free) break;  // handed back later, when collect() has made room (it is never freed here)
    if (sw->plan == current_ && current_)
      current_->switchClips(sw->track, sw->schedule, sw->regions, position_.load(std::memory_order_relaxed),
                            playing_.load(std::memory_order_relaxed));
    free->store(sw, std::memory_order_release);
  }
  switchHead_.store(head, std::memory_order_release);
  return head == tail;
}

std::vector<std::string> Engine::addAsset(std::shared_ptr<const AssetPcm> asset) {
  const std::string id = asset->id;
  assets_[id] = std::move(asset);
  if (!hasModel_) return {};  // no song yet: the asset waits for one
  std::vector<std::string> changed;
  for (const Track& t : model_.tracks)
    if (usesAsset(t, id)) changed.push_back(t.id);
  return rebuild(&changed, false);
}

void Engine::setMasterGain(double gainDb) {
  model_.master.gainDb = gainDb;
  masterGainDb_.store(gainDb);
}

void Engine::updateMasterChain(const std::vector<DeviceState>& devices) {
  if (latestChain_ && latestChain_->sameShape(devices)) {
    latestChain_->apply(devices);
    return;
  }
  auto chain = std::make_unique<MasterChain>(devices);
  chain->prepare(sampleRate_, maxBlock_);
  latestChain_ = chain.get();
  delete pendingChain_.exchange(chain.release());  // one the audio thread never took is simply replaced
}

void Engine::collect() {
  for (auto& slot : retiredSwitches_) delete slot.exchange(nullptr);
  for (auto& slot : retired_) delete slot.exchange(nullptr);
  for (auto& slot : retiredChains_) delete slot.exchange(nullptr);
}

int Engine::masterLatency() const {
  const MasterChain* c = publishedChain_.load(std::memory_order_acquire);
  return c ? c->latency() : 0;
}

Engine::MasterLoudness Engine::masterLoudness() {
  MasterLoudness m{};
  m.momentary = loudness_.momentary();
  m.shortTerm = loudness_.shortTerm();
  m.integrated = loudness_.integrated();
  m.range = loudness_.loudnessRange();
  m.truePeak = loudness_.truePeakDb();
  m.maxMomentary = loudness_.maxMomentary();
  m.maxShortTerm = loudness_.maxShortTerm();
  m.seconds = loudness_.seconds();
  if (MasterChain* c = publishedChain_.load(std::memory_order_acquire))
    for (std::size_t i = 0; i < c->size(); ++i)
      if (auto* limiter = dynamic_cast<TruePeakLimiter*>(&c->device(i))) m.limiterReduction = std::max(m.limiterReduction, limiter->takeGainReductionDb());
  return m;
}

void Engine::setLoop(bool enabled, std::int64_t startFrame, std::int64_t endFrame) {
  loopStart_.store(std::max<std::int64_t>(0, startFrame));
  loopEnd_.store(std::max(endFrame, startFrame + 1));
  loopEnabled_.store(enabled);
}

void Engine::setTrackStrip(int track, double gainDb, double pan, bool mute, bool solo) {
  if (track < 0 || static_cast<std::size_t>(track) >= model_.tracks.size()) return;
  Track& t = model_.tracks[static_cast<std::size_t>(track)];
  t.strip = {gainDb, pan, mute, solo};
  // Parts are shared between plans: the newest plan's strip is the one playing (or about to).
  if (const int pi = latest_ ? latest_->find(t.id) : -1; pi >= 0)
    latest_->tracks[static_cast<std::size_t>(pi)].parts->strip->setSettings(gainDb, pan, mute, solo);
}

bool Engine::setInsertParam(int track, int insert, const std::string& paramId, double value) {
  if (track < 0 || static_cast<std::size_t>(track) >= model_.tracks.size()) return false;
  Track& t = model_.tracks[static_cast<std::size_t>(track)];
  if (insert < 0 || static_cast<std::size_t>(insert) >= t.inserts.size()) return false;
  const int pi = latest_ ? latest_->find(t.id) : -1;
  if (pi < 0) return false;
  bool found = false;
  for (auto& slot : latest_->tracks[static_cast<std::size_t>(pi)].inserts)
    if (slot.modelIndex == insert && slot.device->setParam(paramId, value)) {
      found = true;
      t.inserts[static_cast<std::size_t>(insert)].params[paramId] = slot.device->param(slot.device->descriptor().paramIndex(paramId));
    }
  return found;
}

void Engine::rms(int track, float& left, float& right) {
  left = right = 0.0f;
  if (track < 0) return masterMeter_.rms(left, right);
  RenderPlan* p = published_.load(std::memory_order_acquire);
  if (p && static_cast<std::size_t>(track) < p->tracks.size()) p->tracks[static_cast<std::size_t>(track)].parts->meter.rms(left, right);
}

void Engine::takePeak(int track, float& left, float& right) {
  left = right = 0.0f;
  if (track < 0) return masterMeter_.take(left, right);
  RenderPlan* p = published_.load(std::memory_order_acquire);
  if (p && static_cast<std::size_t>(track) < p->tracks.size()) p->tracks[static_cast<std::size_t>(track)].parts->meter.take(left, right);
}

double Engine::takeInsertReduction(int track, int insert) {
  RenderPlan* p = published_.load(std::memory_order_acquire);
  if (!p || track < 0 || static_cast<std::size_t>(track) >= p->tracks.size()) return -1.0;
  PlannedTrack& t = p->tracks[static_cast<std::size_t>(track)];
  for (auto& slot : t.inserts)
    if (slot.modelIndex == insert) return slot.device->takeGainReductionDb();
  return -1.0;
}

void Engine::retire(RenderPlan* plan) noexcept {
  for (auto& slot : retired_) {
    RenderPlan* expected = nullptr;
    if (slot.compare_exchange_strong(expected, plan)) return;
  }
  // All slots full (the control side has not collected for a long time): keep the plan alive by
  // leaking it rather than freeing on the audio thread. Never happens while collect() runs on edits.
}

void Engine::process(float* outL, float* outR, int frames) noexcept {
  [[maybe_unused]] DenormalGuard guard(flushToZero_.load(std::memory_order_relaxed));
  int done = 0;
  while (done < frames) {
    int n = std::min(maxBlock_, frames - done);
    processChunk(outL + done, outR + done, n);
    done += n;
  }
}

void Engine::attachStems(StemTap* tap) {
  stems_.store(nullptr);
  stemPlan_ = latest_;
  if (!tap) return;
  tap->stems.clear();
  tap->frames = 0;
  if (latest_) {
    tap->stems.resize(latest_->tracks.size());
    for (std::size_t k = 0; k < latest_->tracks.size(); ++k) {
      const PlannedTrack& t = latest_->tracks[k];
      StemTap::Stem& s = tap->stems[k];
      s.trackId = t.id;
      s.trackIndex = static_cast<int>(k);  // plans keep the project's order
      s.bus = t.bus;
      s.output = t.routes.empty() ? -1 : t.routes[0].to;
      s.delay = std::max(0, t.stemDelay);
      for (int c = 0; c < 2; ++c) {
        s.line[c].assign(static_cast<std::size_t>(s.delay), 0.0f);
        s.out[c].assign(static_cast<std::size_t>(maxBlock_), 0.0f);
      }
      s.pos = 0;
    }
  }
  stems_.store(tap);
}

void Engine::finishStems(int frames) noexcept {
  StemTap* tap = stems_.load(std::memory_order_relaxed);
  if (!tap) return;
  tap->frames = frames;
  for (StemTap::Stem& s : tap->stems) {
    for (int c = 0; c < 2; ++c) {
      float* out = s.out[c].data();
      if (current_ != stemPlan_) std::memset(out, 0, sizeof(float) * static_cast<std::size_t>(frames));
      int pos = s.pos;
      for (int i = 0; i < frames; ++i) {
        float x = out[i];
        if (s.delay > 0) {
          const float delayed = s.line[c][static_cast<std::size_t>(pos)];
          s.line[c][static_cast<std::size_t>(pos)] = x;
          x = delayed;
          pos = pos + 1 == s.delay ? 0 : pos + 1;
        }
        x *= gains_[static_cast<std::size_t>(i)];
        out[i] = std::isfinite(x) ? x : 0.0f;
      }
      if (c == 1) s.pos = pos;
    }
  }
}

std::int64_t Engine::renderTimeline(RenderPlan& plan, std::int64_t pos, int frames, float* l, float* r, int stemOffset) noexcept {
  // Splits at the loop end so the wrap lands on the exact sample.
  const bool playing = playing_.load(std::memory_order_relaxed);
  int done = 0;
  while (done < frames) {
    int n = frames - done;
    const bool loop = loopEnabled_.load(std::memory_order_relaxed);
    const std::int64_t ls = loopStart_.load(std::memory_order_relaxed), le = loopEnd_.load(std::memory_order_relaxed);
    if (playing && loop && pos < le) n = static_cast<int>(std::min<std::int64_t>(n, le - pos));
    StemTap* tap = stems_.load(std::memory_order_relaxed);
    plan.render(pos, n, playing, l + done, r + done, tap && &plan == stemPlan_ ? tap : nullptr, stemOffset + done);
    done += n;
    if (playing) {
      pos += n;
      if (loop && pos >= le && pos - n < le) {
        pos = ls;
        plan.locate(pos, true);
        plan.releaseAll();
      }
    }
  }
  return pos;
}

void Engine::processChunk(float* outL, float* outR, int frames) noexcept {
  if (MasterChain* next = pendingChain_.exchange(nullptr, std::memory_order_acq_rel)) {
    if (chain_) {
      bool kept = false;
      for (auto& slot : retiredChains_) {
        MasterChain* expected = nullptr;
        if (slot.compare_exchange_strong(expected, chain_)) {
          kept = true;
          break;
        }
      }
      (void)kept;  // all slots full: leaked rather than freed here (never while collect() runs on edits)
    }
    chain_ = next;
    publishedChain_.store(next, std::memory_order_release);
  }
  if (resetLoudness_.exchange(false, std::memory_order_relaxed)) loudness_.reset();
  // Clip switches first (they were made for the plan playing now), then a new plan if there is one: it
  // adopts the playing one's state (see RenderPlan::adopt).
  const bool switched = takeClipSwitches();
  if (RenderPlan* next = switched ? pending_.exchange(nullptr, std::memory_order_acq_rel) : nullptr) {
    // A new tempo map keeps the song where it was in bars and beats, not in seconds: the position moves
    // to the frame where its beat now falls (a tempo drag while playing stays on the bar it was on).
    if (current_ && !next->timeline.sameTempoMap(current_->timeline)) {
      const double beat = current_->timeline.beatOfFrame(static_cast<double>(position_.load(std::memory_order_relaxed)));
      position_.store(std::max<std::int64_t>(0, next->timeline.frameOfBeat(beat)), std::memory_order_relaxed);
    }
    next->adopt(current_, position_.load(std::memory_order_relaxed), playing_.load(std::memory_order_relaxed));
    // The first plan starts at its own master level instead of ramping from unity.
    if (!current_) masterGain_.snap(dbToGain(masterGainDb_.load(std::memory_order_relaxed)));
    else retire(current_);
    current_ = next;
    published_.store(next, std::memory_order_release);
  }
  takeLiveNotes();

  std::int64_t pos = position_.load(std::memory_order_relaxed);
  std::int64_t seek = seekTo_.exchange(-1, std::memory_order_relaxed);
  const bool want = wantPlaying_.load(std::memory_order_relaxed);
  const bool was = playing_.load(std::memory_order_relaxed);
  if (!want && countInFrames_ > 0) {  // stopped during the count-in
    countInFrames_ = 0;
    countInBeat_.store(0, std::memory_order_relaxed);
    countingIn_.store(false, std::memory_order_relaxed);
  }
  if (seek >= 0 || want != was) {
    if (seek >= 0) pos = seek;
    // Play with a count-in: the song waits (not playing) while the count-in runs.
    bool start = want;
    if (want && !was) {
      if (countInFrames_ > 0) {
        start = false;  // still counting in
      } else if (const int bars = countInRequest_.exchange(0, std::memory_order_relaxed); bars > 0) {
        startCountIn(bars, pos);
        start = false;
      }
    }
    if (current_) {
      current_->locate(pos, start);
      current_->releaseAll();
    }
    playing_.store(start, std::memory_order_relaxed);
  }
  const Timeline& timeline = current_ ? current_->timeline : emptyTimeline_;
  // The output is behind the transport by the tracks' and the master chain's latency: clicks are too.
  const int delay = (current_ ? current_->latency : 0) + (chain_ ? chain_->latency() : 0);
  const float clickGain = metronomeGain_.load(std::memory_order_relaxed);

  // The count-in's part of this block: the timeline stands still (tails ring), its clicks sound, and
  // where it ends the song starts, on that very sample.
  int counted = 0;
  if (countInFrames_ > 0) {
    counted = static_cast<int>(std::min<std::int64_t>(frames, countInFrames_ - countInDone_));
    const std::int64_t from = countInDone_, to = countInDone_ + counted;
    for (std::int64_t k = static_cast<std::int64_t>(std::ceil(from / countInBeatFrames_ - 1e-9)) - 1;; ++k) {
      if (k < 0) continue;
      const auto onset = static_cast<std::int64_t>(std::ceil(k * countInBeatFrames_ - 1e-6));
      if (onset >= to || onset >= countInFrames_) break;
      if (onset >= from) metronome_.schedule(delay + static_cast<int>(onset - from), k % countInPerBar_ == 0);
    }
    if (current_) {
      renderTimeline(*current_, pos, counted, outL, outR, 0);
    } else {
      std::memset(outL, 0, sizeof(float) * static_cast<std::size_t>(counted));
      std::memset(outR, 0, sizeof(float) * static_cast<std::size_t>(counted));
    }
    countInDone_ = to;
    countInBeat_.store(static_cast<int>(std::min<double>(countInBeats_.load(std::memory_order_relaxed),
                                                         std::floor(static_cast<double>(countInDone_) / countInBeatFrames_ + 1e-9) + 1)),
                       std::memory_order_relaxed);
    if (countInDone_ >= countInFrames_) {
      countInFrames_ = 0;
      countInBeat_.store(0, std::memory_order_relaxed);
      countingIn_.store(false, std::memory_order_relaxed);
      if (current_) {
        current_->locate(pos, true);
        current_->releaseAll();
      }
      playing_.store(true, std::memory_order_relaxed);
    }
  }

  const int rest = frames - counted;
  const bool moving = playing_.load(std::memory_order_relaxed);
  if (moving && rest > 0 && metronomeOn_.load(std::memory_order_relaxed)) {
    // Clicks on the beats this block's timeline covers, loop wraps included (as renderTimeline splits).
    std::int64_t p = pos;
    for (int done = 0; done < rest;) {
      int n = rest - done;
      const std::int64_t ls = loopStart_.load(std::memory_order_relaxed), le = loopEnd_.load(std::memory_order_relaxed);
      const bool loop = loopEnabled_.load(std::memory_order_relaxed);
      if (loop && p < le) n = static_cast<int>(std::min<std::int64_t>(n, le - p));
      metronome_.scheduleBeats(timeline, p, n, counted + done, delay);
      done += n;
      p += n;
      if (loop && p >= le && p - n < le) p = ls;
    }
  }
  std::int64_t nextPos = pos + (moving ? rest : 0);
  if (rest > 0) {
    if (!current_) {
      std::memset(outL + counted, 0, sizeof(float) * static_cast<std::size_t>(rest));
      std::memset(outR + counted, 0, sizeof(float) * static_cast<std::size_t>(rest));
    } else {
      nextPos = renderTimeline(*current_, pos, rest, outL + counted, outR + counted, counted);
    }
  }
  position_.store(nextPos, std::memory_order_relaxed);

  masterGain_.setTarget(dbToGain(masterGainDb_.load(std::memory_order_relaxed)));
  for (int i = 0; i < frames; ++i) {
    float g = masterGain_.next();
    gains_[static_cast<std::size_t>(i)] = g;
    outL[i] *= g;
    outR[i] *= g;
  }
  finishStems(frames);
  if (chain_) chain_->process(outL, outR, frames);
  for (int i = 0; i < frames; ++i) {
    // Output is always finite, whatever a device did.
    if (!std::isfinite(outL[i])) outL[i] = 0.0f;
    if (!std::isfinite(outR[i])) outR[i] = 0.0f;
  }
  masterMeter_.add(outL, outR, frames);
  correlation_.add(outL, outR, frames);
  if (playing_.load(std::memory_order_relaxed) && loudnessEnabled_.load(std::memory_order_relaxed)) {
    const float* both[2] = {outL, outR};
    loudness_.add(both, frames);
  }
  // The metronome last: it is monitoring, not the mix (no chain, no meters, no loudness). Nothing is
  // added when no click sounds, so with it off the output is exactly the song's.
  // (A click sounding when the transport stops rings out its 25 ms rather than being cut with a step.)
  if (metronome_.sounding()) metronome_.render(outL, outR, frames, clickGain);
}

}  // namespace mixdown
