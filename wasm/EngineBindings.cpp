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
#include "model/ProjectJson.h"

namespace mixdown::wasm {

class WasmEngine {
 public:
  WasmEngine(double sampleRate, int maxBlock) : engine_(sampleRate, maxBlock) {
    out_[0].assign(static_cast<std::size_t>(maxBlock), 0.0f);
    out_[1].assign(static_cast<std::size_t>(maxBlock), 0.0f);
  }

  // Returns JSON: {"ok":true,"missingAssets":[...]} or {"ok":false,"errors":["path: message", ...]}.
  std::string loadProject(const std::string& json) {
    ProjectLoad load = parseProject(json);
    nlohmann::json result;
    if (!load.ok()) {
      result["ok"] = false;
      result["errors"] = nlohmann::json::array();
      for (const auto& i : load.issues) result["errors"].push_back(i.text());
      return result.dump();
    }
    project_ = load.project;
    timeline_ = Timeline(project_, engine_.sampleRate());
    hasProject_ = true;
    peaks_.assign(4 * (project_.tracks.size() + 1), 0.0f);  // peaks, then RMS, in the same order
    reductions_.assign(kMaxInserts * project_.tracks.size(), -1.0f);
    result["ok"] = true;
    result["missingAssets"] = engine_.setProject(project_, assets_);
    return result.dump();
  }

  // Asset upload: begin (allocates staging), JS fills each channel through its pointer, commit.
  void beginAsset(const std::string& id, int channels, double frames) {
    staging_ = std::make_shared<AssetPcm>();
    staging_->id = id;
    staging_->sampleRate = engine_.sampleRate();
    staging_->channels.assign(static_cast<std::size_t>(std::clamp(channels, 1, 2)),
                              std::vector<float>(static_cast<std::size_t>(std::max(0.0, frames))));
  }
  std::uintptr_t assetChannelPointer(int channel) {
    if (!staging_ || channel < 0 || static_cast<std::size_t>(channel) >= staging_->channels.size()) return 0;
    return reinterpret_cast<std::uintptr_t>(staging_->channels[static_cast<std::size_t>(channel)].data());
  }
  // Adds the staged asset and rebuilds the plan so clips using it sound. Returns the same JSON as
  // loadProject (the assets still missing).
  std::string commitAsset() {
    nlohmann::json result = {{"ok", true}, {"missingAssets", nlohmann::json::array()}};
    if (!staging_) return result.dump();
    assets_[staging_->id] = staging_;
    staging_.reset();
    if (hasProject_) result["missingAssets"] = engine_.setProject(project_, assets_);
    return result.dump();
  }

  // Renders `frames` (<= maxBlock) into the output buffers; read them through outputPointer().
  void process(int frames) {
    frames = std::clamp(frames, 0, static_cast<int>(out_[0].size()));
    engine_.process(out_[0].data(), out_[1].data(), frames);
  }
  std::uintptr_t outputPointer(int channel) { return reinterpret_cast<std::uintptr_t>(out_[channel ? 1 : 0].data()); }

  void play() { engine_.play(); }
  void stop() { engine_.stop(); }
  void seek(double frame) { engine_.seek(static_cast<std::int64_t>(frame)); }
  void seekBeat(double beat) {
    if (hasProject_) engine_.seek(timeline_.frameOfBeat(beat));
  }
  void setLoop(bool enabled, double startBeat, double endBeat) {
    if (!hasProject_) return;
    project_.loop = {enabled, startBeat, endBeat};
    engine_.setLoop(enabled, timeline_.frameOfBeat(startBeat), timeline_.frameOfBeat(endBeat));
  }
  void setTrackStrip(int track, double gainDb, double pan, bool mute, bool solo) {
    if (hasProject_ && track >= 0 && static_cast<std::size_t>(track) < project_.tracks.size()) {
      auto& s = project_.tracks[static_cast<std::size_t>(track)].strip;
      s = {gainDb, pan, mute, solo};
    }
    engine_.setTrackStrip(track, gainDb, pan, mute, solo);
  }
  void setMasterGain(double gainDb) {
    project_.master.gainDb = gainDb;
    engine_.setMasterGain(gainDb);
  }
  // One parameter of a track's insert while playing (a knob being dragged): no new plan. Keeps the copy
  // of the project in step so a later structural edit starts from it.
  bool setInsertParam(int track, int insert, const std::string& paramId, double value) {
    if (track >= 0 && static_cast<std::size_t>(track) < project_.tracks.size()) {
      auto& inserts = project_.tracks[static_cast<std::size_t>(track)].inserts;
      if (insert >= 0 && static_cast<std::size_t>(insert) < inserts.size()) inserts[static_cast<std::size_t>(insert)].params[paramId] = value;
    }
    return engine_.setInsertParam(track, insert, paramId, value);
  }
  // The master chain from JSON ({"devices": [...]} as in a project's "master"): knob moves and bypass
  // switches apply in place; a changed device list builds a new chain. Returns "" or an error message.
  std::string setMasterChain(const std::string& masterJson) {
    if (nlohmann::json::parse(masterJson, nullptr, false).is_discarded()) return "master: not valid JSON";
    ProjectLoad load = parseProject(withMaster(masterJson));
    if (!load.ok()) return load.errorText();
    project_.master.devices = load.project.master.devices;
    engine_.updateMasterChain(project_.master.devices);
    return "";
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
  Engine engine_;
  Project project_;
  Timeline timeline_;  // of project_, for beat positions from the studio
  bool hasProject_ = false;
  AssetLibrary assets_;
  std::shared_ptr<AssetPcm> staging_;
  std::vector<float> out_[2];
  std::vector<float> peaks_ = std::vector<float>(2, 0.0f);
  std::vector<float> reductions_;
  std::array<double, 10> loudness_{};

  // The current project with its "master" replaced, so the master JSON is validated by the one parser.
  std::string withMaster(const std::string& masterJson) const;
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

std::string WasmEngine::withMaster(const std::string& masterJson) const {
  nlohmann::json doc = nlohmann::json::parse(writeProject(project_), nullptr, false);
  doc["master"] = nlohmann::json::parse(masterJson, nullptr, false);
  return doc.dump();
}

}  // namespace mixdown::wasm

EMSCRIPTEN_BINDINGS(mixdown_engine) {
  using mixdown::wasm::WasmEngine;
  emscripten::class_<WasmEngine>("WasmEngine")
      .constructor<double, int>()
      .function("loadProject", &WasmEngine::loadProject)
      .function("beginAsset", &WasmEngine::beginAsset)
      .function("assetChannelPointer", &WasmEngine::assetChannelPointer)
      .function("commitAsset", &WasmEngine::commitAsset)
      .function("process", &WasmEngine::process)
      .function("outputPointer", &WasmEngine::outputPointer)
      .function("play", &WasmEngine::play)
      .function("stop", &WasmEngine::stop)
      .function("seek", &WasmEngine::seek)
      .function("seekBeat", &WasmEngine::seekBeat)
      .function("setLoop", &WasmEngine::setLoop)
      .function("setTrackStrip", &WasmEngine::setTrackStrip)
      .function("setMasterGain", &WasmEngine::setMasterGain)
      .function("setMasterChain", &WasmEngine::setMasterChain)
      .function("setInsertParam", &WasmEngine::setInsertParam)
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
