// Embind bindings of the engine for the AudioWorklet (and for tools/render-wasm.mjs under Node).
// The only file that converts JS values at the boundary; core has no idea it runs in a browser.
//
// Threads: in the browser everything here runs on the audio rendering thread. Methods other than
// process() are called from the processor's message handler, between render quanta, never inside
// process(); they may allocate. process() never allocates.
#include <emscripten/bind.h>

#include <array>

#include <nlohmann/json.hpp>

#include "engine/Engine.h"
#include "engine/Timeline.h"
#include "master/Dither.h"
#include "master/Mastering.h"
#include "model/ProjectEdit.h"
#include "model/ProjectJson.h"
#include "presets/Presets.h"

namespace mixdown::wasm {

class WasmEngine {
 public:
  WasmEngine(double sampleRate, int maxBlock) : engine_(sampleRate, maxBlock) {
    out_[0].assign(static_cast<std::size_t>(maxBlock), 0.0f);
    out_[1].assign(static_cast<std::size_t>(maxBlock), 0.0f);
  }

  // Another song (or the same one again): reconciled with what plays, track by track, so a project that
  // differs in one place costs that place. Returns JSON: {"ok":true,"missingAssets":[...]} or
  // {"ok":false,"errors":["path: message", ...]}.
  std::string loadProject(const std::string& json) {
    ProjectLoad load = parseProject(json);
    if (!load.ok()) return refusal(load.issues);
    const auto missing = engine_.setProject(load.project, engine_.assets());
    return loaded(missing, true);
  }
  // After a song is opened (the load may take long; the first edit may not): runs the edit path once with
  // edits that change nothing (a clip's notes spliced with nothing, the first track sent again as it is),
  // so the browser compiles that code now instead of in the middle of playback, when the first real edit
  // would pay for it (14 ms measured under node, several render quanta). The output does not change: the
  // no-op null tests (core_tests editing_while_playing) cover exactly these edits.
  void warmUp() {
    const Project& p = engine_.project();
    std::vector<ProjectEdit> edits;
    for (const Track& t : p.tracks) {
      if (t.kind != TrackKind::Instrument || t.clips.empty()) continue;
      ProjectEdit notes;
      notes.kind = ProjectEdit::Kind::Notes;
      notes.trackId = t.id;
      notes.index = 0;
      edits.push_back(notes);
      edits.push_back(trackSettingsEdit(t));
      break;
    }
    if (edits.empty()) return;
    const EditsDecode decoded = decodeEdits(encodeEdits(edits));
    if (decoded.ok()) engine_.applyEdits(decoded.edits);
  }
  // A batch of edits from the studio (core/model/ProjectEdit.h's encoding): applied all or none. Returns
  // the same JSON as loadProject plus "newPlan" (whether the edits needed one).
  std::string applyEdits(const std::string& message) {
    const EditsDecode decoded = decodeEdits(message);
    if (!decoded.ok()) return refusal(decoded.issues);
    const Engine::EditResult result = engine_.applyEdits(decoded.edits);
    if (!result.issues.empty()) return refusal(result.issues);
    return loaded(result.missingAssets, result.newPlan);
  }

  // Asset upload, in slices so a song-long asset never stalls a render quantum: begin (reserves, without
  // touching the memory), then per slice JS asks for room at the end of each channel and fills it, then
  // commit. beginAsset + assetChannelPointer(c) for the whole length still work for small assets.
  void beginAsset(const std::string& id, int channels, double frames) {
    staging_ = std::make_shared<AssetPcm>();
    staging_->id = id;
    staging_->sampleRate = engine_.sampleRate();
    staging_->channels.resize(static_cast<std::size_t>(std::clamp(channels, 1, 2)));
    stagingFrames_ = static_cast<std::size_t>(std::clamp(frames, 0.0, 2147483647.0));
    for (auto& c : staging_->channels) c.reserve(stagingFrames_);
  }
  // Room for `frames` more samples at the end of a staged channel; returns where to write them (0 when
  // there is no staged asset or the slice would pass the declared length).
  std::uintptr_t assetSlicePointer(int channel, double frames) {
    if (!staging_ || channel < 0 || static_cast<std::size_t>(channel) >= staging_->channels.size()) return 0;
    auto& c = staging_->channels[static_cast<std::size_t>(channel)];
    const auto n = static_cast<std::size_t>(std::clamp(frames, 0.0, 2147483647.0));
    if (c.size() + n > stagingFrames_) return 0;
    const std::size_t at = c.size();
    c.resize(at + n);
    return reinterpret_cast<std::uintptr_t>(c.data() + at);
  }
  std::uintptr_t assetChannelPointer(int channel) {
    if (!staging_ || channel < 0 || static_cast<std::size_t>(channel) >= staging_->channels.size()) return 0;
    auto& c = staging_->channels[static_cast<std::size_t>(channel)];
    c.resize(stagingFrames_);
    return reinterpret_cast<std::uintptr_t>(c.data());
  }
  // Adds the staged asset; only the tracks that play it are rebuilt. Returns the same JSON as loadProject.
  std::string commitAsset() {
    if (!staging_) return loaded({}, false);
    for (auto& c : staging_->channels) c.resize(stagingFrames_);  // a short upload ends in silence
    const auto missing = engine_.addAsset(std::move(staging_));
    staging_.reset();
    return loaded(missing, true);
  }

  // Renders `frames` (<= maxBlock) into the output buffers; read them through outputPointer().
  void process(int frames) {
    frames = std::clamp(frames, 0, static_cast<int>(out_[0].size()));
    engine_.process(out_[0].data(), out_[1].data(), frames);
  }
  std::uintptr_t outputPointer(int channel) { return reinterpret_cast<std::uintptr_t>(out_[channel ? 1 : 0].data()); }
  // Stems (core/engine/StemTap.h) for an offline export: after the song is loaded, taps every track's
  // output where the mix sums it; each process() then leaves track k's stem at stemPointer(k, c).
  // Returns the number of stems (the project's tracks).
  int attachStems() {
    engine_.attachStems(&stems_);
    return static_cast<int>(stems_.stems.size());
  }
  std::uintptr_t stemPointer(int track, int channel) {
    if (track < 0 || static_cast<std::size_t>(track) >= stems_.stems.size()) return 0;
    return reinterpret_cast<std::uintptr_t>(stems_.stems[static_cast<std::size_t>(track)].out[channel ? 1 : 0].data());
  }

  // Play with the count-in setCountIn chose (none by default), or with `bars` (0..2) of count-in this time.
  void play() { engine_.play(); }
  void playWithCountIn(int bars) { engine_.play(bars); }
  void stop() { engine_.stop(); }
  // The metronome (monitoring only: clicks after the master chain and meters; levelDb is the accent's
  // peak in dB) and the count-in bars play() gives.
  void setMetronome(bool on, double levelDb) { engine_.setMetronome(on, levelDb); }
  void setCountIn(int bars) { engine_.setCountIn(bars); }
  bool countingIn() const { return engine_.countingIn(); }
  // The count-in's beat now sounding (1-based, 0: none) and its length in beats, for the top bar.
  int countInBeat() const { return engine_.countInBeat(); }
  int countInBeats() const { return engine_.countInBeats(); }
  // A live note for track `trackId`'s instrument (velocity 0..1, 0 = note-off): not an edit, never in the
  // song; it reaches the audio thread through the engine's lock-free ring (see Engine::liveNote).
  bool liveNote(const std::string& trackId, int pitch, double velocity) { return engine_.liveNote(trackId, pitch, velocity); }
  // A live wheel: control "bend" (-1..1 of the instrument's range) or "mod" (0..1); see Engine::liveControl.
  bool liveControl(const std::string& trackId, const std::string& control, double value) {
    if (control != "bend" && control != "mod") return false;
    return engine_.liveControl(trackId, control == "bend" ? Engine::LiveControl::PitchBend : Engine::LiveControl::ModWheel, value);
  }
  void seek(double frame) { engine_.seek(static_cast<std::int64_t>(frame)); }
  void seekBeat(double beat) {
    if (std::isfinite(beat)) engine_.seek(Timeline(engine_.project(), engine_.sampleRate()).frameOfBeat(std::clamp(beat, 0.0, 1e6)));
  }
  // Loudness of the master since the last reset (see Engine::masterLoudness), written into a buffer:
  // [momentary, shortTerm, integrated, range, truePeak, maxMomentary, maxShortTerm, seconds, limiterReduction,
  //  correlation].
  std::uintptr_t takeLoudness() {
    const Engine::MasterLoudness m = engine_.masterLoudness();
    loudness_ = {m.momentary, m.shortTerm, m.integrated, m.range, m.truePeak, m.maxMomentary, m.maxShortTerm, m.seconds, m.limiterReduction,
                 static_cast<double>(engine_.masterCorrelation())};
    return reinterpret_cast<std::uintptr_t>(loudness_.data());
  }
  void resetLoudness() { engine_.resetMasterLoudness(); }
  int masterLatency() const { return engine_.masterLatency(); }
  bool playing() const { return engine_.playing(); }
  double position() const { return static_cast<double>(engine_.position()); }
  double endFrame() const { return static_cast<double>(engine_.endFrame()); }
  int trackCount() const { return engine_.trackCount(); }
  // The project as the engine plays it, as JSON (tests compare it with the studio's).
  std::string projectJson() const { return writeProject(engine_.project(), -1); }

  // Peaks since the last call, written into a buffer prepared by loadProject (no allocation here: this
  // runs inside the worklet's process()). Layout: [masterL, masterR, track0L, track0R, ...], linear.
  // Returns how many values were written; read them through peaksPointer().
  // After the peaks come the running RMS values in the same layout: [peaks..., rmsMasterL, rmsMasterR,
  // rms track0L, ...]; the count returned covers both halves.
  int takePeaks() {
    const int tracks = std::min(engine_.trackCount(), static_cast<int>(peaks_.size() / 4) - 1);
    const int half = 2 + 2 * std::max(0, tracks);
    engine_.takePeak(-1, peaks_[0], peaks_[1]);
    engine_.rms(-1, peaks_[static_cast<std::size_t>(half)], peaks_[static_cast<std::size_t>(half + 1)]);
    for (int t = 0; t < tracks; ++t) {
      engine_.takePeak(t, peaks_[static_cast<std::size_t>(2 + 2 * t)], peaks_[static_cast<std::size_t>(3 + 2 * t)]);
      engine_.rms(t, peaks_[static_cast<std::size_t>(half + 2 + 2 * t)], peaks_[static_cast<std::size_t>(half + 3 + 2 * t)]);
    }
    return 2 * half;
  }
  std::uintptr_t peaksPointer() { return reinterpret_cast<std::uintptr_t>(peaks_.data()); }
  // Gain reduction of every insert since the last call (dB, >= 0; -1 where no insert plays), written into
  // a buffer prepared by loadProject: kMaxInserts values per track, in the project's order. Returns the
  // count; read them through reductionsPointer(). No allocation: it runs inside process().
  int takeReductions() {
    const int tracks = std::min(engine_.trackCount(), static_cast<int>(reductions_.size() / kMaxInserts));
    for (int t = 0; t < tracks; ++t)
      for (int k = 0; k < static_cast<int>(kMaxInserts); ++k)
        reductions_[static_cast<std::size_t>(t) * kMaxInserts + static_cast<std::size_t>(k)] = static_cast<float>(engine_.takeInsertReduction(t, k));
    return tracks * static_cast<int>(kMaxInserts);
  }
  std::uintptr_t reductionsPointer() { return reinterpret_cast<std::uintptr_t>(reductions_.data()); }

 private:
  StemTap stems_;
  static std::string refusal(const std::vector<ProjectIssue>& issues) {
    nlohmann::json result;
    result["ok"] = false;
    result["errors"] = nlohmann::json::array();
    for (const auto& i : issues) result["errors"].push_back(i.text());
    return result.dump();
  }
  // Meter buffers follow the track count (here, in the message handler: process() never allocates).
  std::string loaded(const std::vector<std::string>& missing, bool newPlan) {
    const std::size_t tracks = engine_.project().tracks.size();
    if (peaks_.size() < 4 * (tracks + 1)) peaks_.assign(4 * (tracks + 1), 0.0f);  // peaks, then RMS, in the same order
    if (reductions_.size() < kMaxInserts * tracks) reductions_.assign(kMaxInserts * tracks, -1.0f);
    return nlohmann::json{{"ok", true}, {"missingAssets", missing}, {"newPlan", newPlan}}.dump();
  }

  Engine engine_;
  std::shared_ptr<AssetPcm> staging_;
  std::size_t stagingFrames_ = 0;
  std::vector<float> out_[2];
  std::vector<float> peaks_ = std::vector<float>(2, 0.0f);
  std::vector<float> reductions_;
  std::array<double, 10> loudness_{};
};

// "Export master" in the browser: the offline render goes in, the master normalised to a target (the same
// core code as `mixdown master`) and dithered to 16 or 24 bits comes out. Runs on the page's thread.
class WasmMastering {
 public:
  void setInput(int channels, double frames, double sampleRate) {
    sampleRate_ = sampleRate;
    input_.assign(static_cast<std::size_t>(std::clamp(channels, 1, 8)), std::vector<float>(static_cast<std::size_t>(std::max(0.0, frames)), 0.0f));
  }
  std::uintptr_t inputPointer(int c) { return reinterpret_cast<std::uintptr_t>(input_[static_cast<std::size_t>(c)].data()); }
  // bits: 16 or 24 (dithered, TPDF) or 32 (float, no dither). Returns the report as JSON.
  std::string master(double targetLufs, double ceilingDbtp, int bits) {
    MasterSettings settings;
    settings.targetLufs = targetLufs;
    settings.ceilingDbtp = ceilingDbtp;
    MasterResult r = masterToTarget(input_, sampleRate_, settings);
    input_.clear();
    nlohmann::json j;
    j["ok"] = r.ok;
    if (!r.ok) {
      j["error"] = r.error;
      return j.dump();
    }
    output_ = std::move(r.audio);
    if (bits == 16 || bits == 24) {
      Dither dither;
      dither.prepare(static_cast<int>(output_.size()), bits, DitherShape::Tpdf);
      std::vector<float*> ptr;
      for (auto& c : output_) ptr.push_back(c.data());
      dither.process(ptr.data(), static_cast<int>(output_[0].size()));
    }
    const LoudnessReport after = analyzeLoudness(output_, sampleRate_);  // what the file will hold
    auto report = [](const LoudnessReport& x) {
      auto v = [](double d) { return std::isfinite(d) ? nlohmann::json(d) : nlohmann::json(nullptr); };
      return nlohmann::json{{"integrated", v(x.integrated)}, {"range", v(x.range)}, {"truePeak", v(x.truePeak)},
                            {"maxMomentary", v(x.maxMomentary)}, {"maxShortTerm", v(x.maxShortTerm)}};
    };
    j["before"] = report(r.before);
    j["after"] = report(after);
    j["gainDb"] = r.gainDb;
    j["passes"] = r.passes;
    j["limiterReleaseMs"] = r.releaseMs;
    j["releaseShortened"] = r.releaseMs != settings.releaseMs;
    return j.dump();
  }
  std::uintptr_t outputPointer(int c) { return reinterpret_cast<std::uintptr_t>(output_[static_cast<std::size_t>(c)].data()); }
  double outputFrames() const { return output_.empty() ? 0.0 : static_cast<double>(output_[0].size()); }
  void release() {
    input_.clear();
    output_.clear();
  }

 private:
  double sampleRate_ = 48000;
  AudioChannels input_, output_;
};

// For tools and tests: the edit message that turns one project into another (what the studio would
// send), so a bench can time WasmEngine::applyEdits on real messages without writing their format in
// JavaScript. "" when either project does not load.
std::string encodeDiff(const std::string& beforeJson, const std::string& afterJson) {
  const ProjectLoad before = parseProject(beforeJson), after = parseProject(afterJson);
  if (!before.ok() || !after.ok()) return "";
  return encodeEdits(diffProjects(before.project, after.project));
}

// The factory presets as JSON (presetListJson), for the studio's preset browser and for tests.
std::string factoryPresetsJson() { return presetListJson(factoryPresets()); }

}  // namespace mixdown::wasm

EMSCRIPTEN_BINDINGS(mixdown_engine) {
  emscripten::function("encodeDiff", &mixdown::wasm::encodeDiff);
  emscripten::function("factoryPresetsJson", &mixdown::wasm::factoryPresetsJson);
  using mixdown::wasm::WasmEngine;
  emscripten::class_<WasmEngine>("WasmEngine")
      .constructor<double, int>()
      .function("loadProject", &WasmEngine::loadProject)
      .function("beginAsset", &WasmEngine::beginAsset)
      .function("assetChannelPointer", &WasmEngine::assetChannelPointer)
      .function("assetSlicePointer", &WasmEngine::assetSlicePointer)
      .function("commitAsset", &WasmEngine::commitAsset)
      .function("process", &WasmEngine::process)
      .function("outputPointer", &WasmEngine::outputPointer)
      .function("attachStems", &WasmEngine::attachStems)
      .function("stemPointer", &WasmEngine::stemPointer)
      .function("play", &WasmEngine::play)
      .function("playWithCountIn", &WasmEngine::playWithCountIn)
      .function("stop", &WasmEngine::stop)
      .function("setMetronome", &WasmEngine::setMetronome)
      .function("setCountIn", &WasmEngine::setCountIn)
      .function("countingIn", &WasmEngine::countingIn)
      .function("countInBeat", &WasmEngine::countInBeat)
      .function("countInBeats", &WasmEngine::countInBeats)
      .function("liveNote", &WasmEngine::liveNote)
      .function("liveControl", &WasmEngine::liveControl)
      .function("seek", &WasmEngine::seek)
      .function("seekBeat", &WasmEngine::seekBeat)
      .function("applyEdits", &WasmEngine::applyEdits)
      .function("warmUp", &WasmEngine::warmUp)
      .function("projectJson", &WasmEngine::projectJson)
      .function("takeLoudness", &WasmEngine::takeLoudness)
      .function("resetLoudness", &WasmEngine::resetLoudness)
      .function("masterLatency", &WasmEngine::masterLatency)
      .function("playing", &WasmEngine::playing)
      .function("position", &WasmEngine::position)
      .function("endFrame", &WasmEngine::endFrame)
      .function("trackCount", &WasmEngine::trackCount)
      .function("takePeaks", &WasmEngine::takePeaks)
      .function("peaksPointer", &WasmEngine::peaksPointer)
      .function("takeReductions", &WasmEngine::takeReductions)
      .function("reductionsPointer", &WasmEngine::reductionsPointer);
  emscripten::class_<mixdown::wasm::WasmMastering>("WasmMastering")
      .constructor<>()
      .function("setInput", &mixdown::wasm::WasmMastering::setInput)
      .function("inputPointer", &mixdown::wasm::WasmMastering::inputPointer)
      .function("master", &mixdown::wasm::WasmMastering::master)
      .function("outputPointer", &mixdown::wasm::WasmMastering::outputPointer)
      .function("outputFrames", &mixdown::wasm::WasmMastering::outputFrames)
      .function("release", &mixdown::wasm::WasmMastering::release);
}
