#include "engine/Engine.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "dsp/Decibels.h"
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
  fadeL_.assign(static_cast<std::size_t>(maxBlock_), 0.0f);
  fadeR_.assign(static_cast<std::size_t>(maxBlock_), 0.0f);
  for (auto& r : retired_) r.store(nullptr);
  for (auto& r : retiredChains_) r.store(nullptr);
  loudness_.prepare(sampleRate, 2);
  masterMeter_.prepare(sampleRate);
  correlation_.prepare(sampleRate);
}

Engine::~Engine() {
  delete pending_.exchange(nullptr);
  delete current_;
  delete fading_;
  delete pendingChain_.exchange(nullptr);
  delete chain_;
  collect();
}

std::vector<std::string> Engine::setProject(const Project& project, const AssetLibrary& assets) {
  collect();
  std::vector<std::string> missing;
  auto plan = RenderPlan::build(project, assets, sampleRate_, maxBlock_, &missing);
  endFrame_.store(plan->endFrame);
  trackCount_.store(static_cast<int>(plan->tracks.size()));
  masterGainDb_.store(project.master.gainDb);
  const Timeline timeline(project, sampleRate_);
  setLoop(project.loop.enabled, timeline.frameOfBeat(project.loop.startBeat), timeline.frameOfBeat(project.loop.endBeat));
  // A plan the audio thread never picked up is simply replaced.
  delete pending_.exchange(plan.release());
  updateMasterChain(project.master.devices);
  return missing;
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
  // The control side may call this while a new plan is pending; apply to both so neither loses it.
  RenderPlan* plans[2] = {pending_.load(), published_.load(std::memory_order_acquire)};
  for (RenderPlan* p : plans) {
    if (!p || track < 0 || static_cast<std::size_t>(track) >= p->tracks.size()) continue;
    p->tracks[static_cast<std::size_t>(track)]->strip->setSettings(gainDb, pan, mute, solo);
  }
}

bool Engine::setInsertParam(int track, int insert, const std::string& paramId, double value) {
  bool found = false;
  RenderPlan* plans[2] = {pending_.load(), published_.load(std::memory_order_acquire)};
  for (RenderPlan* p : plans) {
    if (!p || track < 0 || static_cast<std::size_t>(track) >= p->tracks.size()) continue;
    PlannedTrack& t = *p->tracks[static_cast<std::size_t>(track)];
    for (std::size_t k = 0; k < t.insertIndex.size(); ++k)
      if (t.insertIndex[k] == insert) found = t.inserts[k]->setParam(paramId, value) || found;
  }
  return found;
}

void Engine::rms(int track, float& left, float& right) {
  left = right = 0.0f;
  if (track < 0) return masterMeter_.rms(left, right);
  RenderPlan* p = published_.load(std::memory_order_acquire);
  if (p && static_cast<std::size_t>(track) < p->tracks.size()) p->tracks[static_cast<std::size_t>(track)]->meter.rms(left, right);
}

void Engine::takePeak(int track, float& left, float& right) {
  left = right = 0.0f;
  if (track < 0) return masterMeter_.take(left, right);
  RenderPlan* p = published_.load(std::memory_order_acquire);
  if (p && static_cast<std::size_t>(track) < p->tracks.size()) p->tracks[static_cast<std::size_t>(track)]->meter.take(left, right);
}

double Engine::takeInsertReduction(int track, int insert) {
  RenderPlan* p = published_.load(std::memory_order_acquire);
  if (!p || track < 0 || static_cast<std::size_t>(track) >= p->tracks.size()) return -1.0;
  PlannedTrack& t = *p->tracks[static_cast<std::size_t>(track)];
  for (std::size_t k = 0; k < t.insertIndex.size(); ++k)
    if (t.insertIndex[k] == insert) return t.inserts[k]->takeGainReductionDb();
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

std::int64_t Engine::renderTimeline(RenderPlan& plan, std::int64_t pos, int frames, float* l, float* r) noexcept {
  // Splits at the loop end so the wrap lands on the exact sample.
  const bool playing = playing_.load(std::memory_order_relaxed);
  int done = 0;
  while (done < frames) {
    int n = frames - done;
    const bool loop = loopEnabled_.load(std::memory_order_relaxed);
    const std::int64_t ls = loopStart_.load(std::memory_order_relaxed), le = loopEnd_.load(std::memory_order_relaxed);
    if (playing && loop && pos < le) n = static_cast<int>(std::min<std::int64_t>(n, le - pos));
    plan.render(pos, n, playing, l + done, r + done);
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
  // Take a new plan if there is one and there is room to retire the one it replaces.
  if (RenderPlan* next = pending_.load(std::memory_order_acquire)) {
    bool canSwap = !fading_ || fadeRemaining_ == 0;
    if (canSwap) {
      next = pending_.exchange(nullptr, std::memory_order_acq_rel);
      if (next) {
        next->locate(position_.load(std::memory_order_relaxed), playing_.load(std::memory_order_relaxed));
        if (fading_) retire(fading_);
        // The first plan starts at its own master level instead of ramping from unity.
        if (!current_) masterGain_.snap(dbToGain(masterGainDb_.load(std::memory_order_relaxed)));
        fading_ = current_;
        fadeRemaining_ = current_ ? kCrossfadeFrames : 0;
        current_ = next;
        published_.store(next, std::memory_order_release);
      }
    }
  }

  std::int64_t pos = position_.load(std::memory_order_relaxed);
  std::int64_t seek = seekTo_.exchange(-1, std::memory_order_relaxed);
  const bool want = wantPlaying_.load(std::memory_order_relaxed);
  const bool was = playing_.load(std::memory_order_relaxed);
  if (seek >= 0 || want != was) {
    if (seek >= 0) pos = seek;
    for (RenderPlan* p : {current_, fading_}) {
      if (!p) continue;
      p->locate(pos, want);
      p->releaseAll();
    }
    playing_.store(want, std::memory_order_relaxed);
  }

  std::int64_t nextPos = pos + (playing_.load(std::memory_order_relaxed) ? frames : 0);
  if (!current_) {
    std::memset(outL, 0, sizeof(float) * static_cast<std::size_t>(frames));
    std::memset(outR, 0, sizeof(float) * static_cast<std::size_t>(frames));
  } else {
    nextPos = renderTimeline(*current_, pos, frames, outL, outR);
  }
  if (fading_) {
    if (fadeRemaining_ > 0) {
      renderTimeline(*fading_, pos, frames, fadeL_.data(), fadeR_.data());
      for (int i = 0; i < frames; ++i) {
        float g = fadeRemaining_ > 0 ? static_cast<float>(fadeRemaining_) / kCrossfadeFrames : 0.0f;
        outL[i] = outL[i] * (1.0f - g) + fadeL_[static_cast<std::size_t>(i)] * g;
        outR[i] = outR[i] * (1.0f - g) + fadeR_[static_cast<std::size_t>(i)] * g;
        if (fadeRemaining_ > 0) --fadeRemaining_;
      }
    }
    if (fadeRemaining_ == 0) {
      retire(fading_);
      fading_ = nullptr;
    }
  }

  position_.store(nextPos, std::memory_order_relaxed);

  masterGain_.setTarget(dbToGain(masterGainDb_.load(std::memory_order_relaxed)));
  for (int i = 0; i < frames; ++i) {
    float g = masterGain_.next();
    outL[i] *= g;
    outR[i] *= g;
  }
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
}

}  // namespace mixdown
