// Embind bindings of the engine for the AudioWorklet (and for tools/render-wasm.mjs under Node).
// The only file that converts JS values at the boundary; core has no idea it runs in a browser.
//
// Threads: in the browser everything here runs on the audio rendering thread. Methods other than
// process() are called from the processor's message handler, between render quanta, never inside
// process(); they may allocate. process() never allocates.
#include <emscripten/bind.h>

#include <nlohmann/json.hpp>

#include "engine/Engine.h"
#include "engine/Timeline.h"
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
    hasProject_ = true;
    peaks_.assign(2 * (project_.tracks.size() + 1), 0.0f);
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
    if (hasProject_) engine_.seek(frameOfBeat(beat, project_.tempo, engine_.sampleRate()));
  }
  void setLoop(bool enabled, double startBeat, double endBeat) {
    if (!hasProject_) return;
    project_.loop = {enabled, startBeat, endBeat};
    engine_.setLoop(enabled, frameOfBeat(startBeat, project_.tempo, engine_.sampleRate()),
                    frameOfBeat(endBeat, project_.tempo, engine_.sampleRate()));
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
  bool playing() const { return engine_.playing(); }
  double position() const { return static_cast<double>(engine_.position()); }
  double endFrame() const { return static_cast<double>(engine_.endFrame()); }
  int trackCount() const { return engine_.trackCount(); }

  // Peaks since the last call, written into a buffer prepared by loadProject (no allocation here: this
  // runs inside the worklet's process()). Layout: [masterL, masterR, track0L, track0R, ...], linear.
  // Returns how many values were written; read them through peaksPointer().
  int takePeaks() {
    const int tracks = std::min(engine_.trackCount(), static_cast<int>(peaks_.size() / 2) - 1);
    engine_.takePeak(-1, peaks_[0], peaks_[1]);
    for (int t = 0; t < tracks; ++t) engine_.takePeak(t, peaks_[2 + 2 * t], peaks_[3 + 2 * t]);
    return 2 + 2 * std::max(0, tracks);
  }
  std::uintptr_t peaksPointer() { return reinterpret_cast<std::uintptr_t>(peaks_.data()); }

 private:
  Engine engine_;
  Project project_;
  bool hasProject_ = false;
  AssetLibrary assets_;
  std::shared_ptr<AssetPcm> staging_;
  std::vector<float> out_[2];
  std::vector<float> peaks_ = std::vector<float>(2, 0.0f);
};

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
      .function("playing", &WasmEngine::playing)
      .function("position", &WasmEngine::position)
      .function("endFrame", &WasmEngine::endFrame)
      .function("trackCount", &WasmEngine::trackCount)
      .function("takePeaks", &WasmEngine::takePeaks)
      .function("peaksPointer", &WasmEngine::peaksPointer);
}
