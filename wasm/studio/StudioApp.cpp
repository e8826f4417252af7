// The Mixdown studio: a Dear ImGui app on WebGL2 that holds the Project, draws it every frame and
// turns input into undoable edits. It talks to the audio engine (in the AudioWorklet) through the page's
// bridge (web/boot.js), which forwards messages to the worklet's port.
//
// The views are files of their own (see Studio.h); this file holds the page's bridge (Embind) and the
// main loop.
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/bind.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <string>

#include "Commands.h"
#include "Studio.h"
#include "Controls.h"
#include "Theme.h"
#include "WebInput.h"
#include "Waveforms.h"
#include "backends/imgui_impl_opengl3.h"
#include "devices/Registry.h"
#include "dsp/Decibels.h"
#include "engine/Timeline.h"
#include "imgui.h"
#include "engine/OfflineRender.h"
#include "interchange/Dawproject.h"
#include "interchange/MidiFile.h"
#include "model/ProjectEdit.h"
#include "model/ProjectJson.h"
#include "model/UndoHistory.h"
#include "share/ProjectBinary.h"
#include "nlohmann/json.hpp"

using namespace mixdown;
using nlohmann::json;

namespace {

using namespace mixdown::ui;

// [SECTION] Bridge to the page (Embind) ---------------------------------------------------------------
// Called by the page. Returns "" on success or the problems, one per line; the studio keeps its
// current project when the new one is invalid.
}  // namespace

// Another song in place of the current one, as one undo step named `label` (Undo brings the current one
// back; the autosave keeps whichever is open).
void mixdown::ui::openSong(Project project, const char* label) {
  Studio& s = studio();
  if (!s.project.tracks.empty()) s.history.record(label, s.project);
  s.project = std::move(project);
  s.showTempoLane = !s.project.tempoChanges.empty();  // a song with a tempo map opens with its lane shown
  projectChanged();
}

namespace {
std::string studioLoadProject(const std::string& text) {
  ProjectLoad load = parseProject(text);
  if (!load.ok()) return load.errorText();
  openSong(std::move(load.project), "Open project");
  return "";
}
emscripten::val stringArray(const std::vector<std::string>& list) {
  emscripten::val a = emscripten::val::array();
  for (const std::string& item : list) a.call<void>("push", item);
  return a;
}
// A dropped Standard MIDI File (its bytes: Embind copies a Uint8Array into the string) opens as a new song,
// as one undo step. A MIDI file brings its own tempo map and signatures, which could not join the
// current song's without moving one of them, so it does not add tracks to it. Returns
// {error: "" or "<file>: byte N (0x..): what", warnings: [...]}.
emscripten::val studioImportMidi(const std::string& bytes, const std::string& fileName) {
  MidiImport midi = readMidiFile(bytes, fileName);
  emscripten::val result = emscripten::val::object();
  result.set("error", midi.error);
  result.set("warnings", stringArray(midi.warnings));
  if (midi.ok()) openSong(std::move(midi.project), "Import MIDI file");
  return result;
}
// The song as a Standard MIDI File: {bytes: Uint8Array (a copy), notes, warnings: [...]}.
emscripten::val studioExportMidi() {
  const MidiExport midi = writeMidiFile(studio().project);
  emscripten::val result = emscripten::val::object();
  const auto* data = reinterpret_cast<const unsigned char*>(midi.bytes.data());
  result.set("bytes", emscripten::val::global("Uint8Array").new_(emscripten::typed_memory_view(midi.bytes.size(), data)));
  result.set("notes", static_cast<double>(midi.notes));
  result.set("warnings", stringArray(midi.warnings));
  return result;
}
// A dropped or opened .dawproject (core/interchange/Dawproject.h) opens as a new song, as one undo step.
// The page unzips it (web/archive.js) and has decoded its audio already (each file an asset, sent to
// the engine): `filesJson` is [[path, text], ...] for project.xml, metadata.xml and the other text
// entries (audio entries with ""), `factsJson` [{path, assetId, sha256, sampleRate, channels, frames}]
// for the decoded audio. Returns {error: "" or "<file>: project.xml:L:C: <element>: what", warnings: [...],
// audio: [[assetId, path], ...]}.
emscripten::val studioImportDawproject(const std::string& filesJson, const std::string& factsJson, const std::string& fileName) {
  emscripten::val result = emscripten::val::object();
  const nlohmann::json files = nlohmann::json::parse(filesJson, nullptr, false);
  const nlohmann::json facts = nlohmann::json::parse(factsJson, nullptr, false);
  Archive archive;
  std::map<std::string, DawprojectAudioFacts> audioFacts;
  if (files.is_array())
    for (const auto& f : files)
      if (f.is_array() && f.size() == 2 && f[0].is_string() && f[1].is_string()) archive.add(f[0].get<std::string>(), f[1].get<std::string>());
  if (facts.is_array())
    for (const auto& f : facts) {
      if (!f.is_object() || !f.value("path", nlohmann::json()).is_string()) continue;
      DawprojectAudioFacts a;
      a.assetId = f.value("assetId", std::string());
      a.sha256 = f.value("sha256", std::string());
      a.sampleRate = f.value("sampleRate", 0.0);
      a.channels = f.value("channels", 0);
      a.frames = f.value("frames", std::int64_t(0));
      audioFacts[f["path"].get<std::string>()] = a;
    }
  DawprojectImport in = readDawproject(archive, fileName, audioFacts);
  result.set("error", in.error);
  result.set("warnings", stringArray(in.warnings));
  emscripten::val audio = emscripten::val::array();
  for (const auto& [id, path] : in.audioEntries) {
    emscripten::val pair = emscripten::val::array();
    pair.call<void>("push", id);
    pair.call<void>("push", path);
    audio.call<void>("push", pair);
  }
  result.set("audio", audio);
  if (in.ok()) openSong(std::move(in.project), "Import DAWproject");
  return result;
}
// The song as a DAWproject: {files: [[path, text], ...] (project.xml, metadata.xml, device states),
// audio: [[assetId, entry path], ...] (the page adds those files' bytes), warnings: [...]}.
emscripten::val studioExportDawproject() {
  const DawprojectExport out = writeDawproject(studio().project);
  emscripten::val result = emscripten::val::object();
  emscripten::val files = emscripten::val::array(), audio = emscripten::val::array();
  for (const ArchiveEntry& e : out.archive.entries) {
    emscripten::val pair = emscripten::val::array();
    pair.call<void>("push", e.path);
    pair.call<void>("push", e.bytes);
    files.call<void>("push", pair);
  }
  for (const auto& [id, path] : out.audio) {
    emscripten::val pair = emscripten::val::array();
    pair.call<void>("push", id);
    pair.call<void>("push", path);
    audio.call<void>("push", pair);
  }
  result.set("files", files);
  result.set("audio", audio);
  result.set("warnings", stringArray(out.warnings));
  return result;
}
// Called by the page (window.mixdown.applyEdits): edit messages as the engine takes them
// ({"edits":[...]}, core/model/ProjectEdit), applied to the studio's project as one undoable step named
// `label`. Returns "" or the problems, one per line; nothing changes when any edit is refused.
std::string studioApplyEdits(const std::string& text, const std::string& label) {
  EditsDecode decoded = decodeEdits(text);
  std::string problems;
  for (const auto& issue : decoded.issues) problems += issue.text() + "\n";
  if (!decoded.ok()) return problems;
  Studio& s = studio();
  Project next = s.project;
  for (const auto& issue : applyEdits(next, decoded.edits)) problems += issue.text() + "\n";
  if (!problems.empty()) return problems;
  s.history.record(label.empty() ? "Edit" : label, s.project);
  s.project = std::move(next);
  projectChanged();
  return "";
}
std::string studioProjectJson() { return writeProject(studio().project, 2); }
// Share link v2 (core/share/ProjectBinary.h): the song's binary payload, before the page deflates it, as a
// Uint8Array (a copy); and a payload the page inflated from a "#p2=" link, opened as one undo step.
// Returns "" or the problems, one per line (a damaged payload names the field and its byte offset).
emscripten::val studioShareLinkBytes() {
  const std::vector<std::uint8_t> bytes = encodeProjectBinary(studio().project);
  return emscripten::val::global("Uint8Array").new_(emscripten::typed_memory_view(bytes.size(), bytes.data()));
}
std::string studioLoadShareLinkBytes(const std::string& bytes) {
  ProjectLoad load = decodeProjectBinary(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  if (!load.ok()) return load.errorText();
  openSong(std::move(load.project), "Open share link");
  return "";
}
// The length `mixdown render` gives the song by default (end of the last clip plus the tail, through the
// tempo map), so an offline render in the page is as long as the native one.
double studioDefaultRenderFrames(double sampleRate) {
  return static_cast<double>(defaultRenderFrames(studio().project, std::clamp(sampleRate, 8000.0, 384000.0)));
}
void studioSetTransport(bool playing, double positionFrames, double sampleRate) {
  Studio& s = studio();
  s.playing = playing;
  s.positionFrames = positionFrames;
  s.sampleRate = sampleRate;
}
void studioSetPeaks(const std::string& peaksJson) {
  json j = json::parse(peaksJson, nullptr, false);
  if (!j.is_array()) return;
  auto& pk = studio().peaks;
  pk.resize(j.size(), 0.0f);
  for (std::size_t i = 0; i < j.size(); ++i)
    if (j[i].is_number()) pk[i] = std::max(pk[i], j[i].get<float>());
}
// Gain reduction per insert from the engine: the deeper of it and what is shown (which falls back).
void studioSetReductions(const std::string& reductionsJson) {
  json j = json::parse(reductionsJson, nullptr, false);
  if (!j.is_array()) return;
  auto& r = studio().reductions;
  r.resize(j.size(), -1.0f);
  for (std::size_t i = 0; i < j.size(); ++i)
    if (j[i].is_number()) {
      const float v = j[i].get<float>();
      r[i] = v < 0.0f ? -1.0f : std::max(std::max(r[i], 0.0f), v);
    }
}
void studioSetLoudness(const std::string& loudnessJson) {
  ui::receiveLoudness(studio().mastering, loudnessJson, studio().playing);
}
// The engine's load as boot.js computes it from the worklet's status: {meanMs, maxMs, quantumMs, underruns}.
void studioSetLoad(const std::string& loadJson) {
  json j = json::parse(loadJson, nullptr, false);
  if (!j.is_object()) return;
  Studio& s = studio();
  auto number = [&](const char* key, double fallback) { return j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback; };
  s.loadMeanMs = number("meanMs", s.loadMeanMs);
  s.loadMaxMs = number("maxMs", s.loadMaxMs);
  s.quantumMs = number("quantumMs", s.quantumMs);
  s.underruns = static_cast<long>(number("underruns", -1));
}
void studioShowError(const std::string& message) { studio().error = message; }
void studioSetMissingAssets(const std::string& idsJson) {
  json j = json::parse(idsJson, nullptr, false);
  auto& missing = studio().missingAssets;
  missing.clear();
  if (j.is_array())
    for (const auto& id : j)
      if (id.is_string()) missing.push_back(id.get<std::string>());
}
std::string studioError() { return studio().error; }
void studioShowNotice(const std::string& message) { showNotice(message); }
// The page's own panels (the audio input's, the keyboard strip) cover `px` of the canvas's bottom centre.
void studioSetBottomInset(double px) { studio().bottomInset = std::isfinite(px) ? static_cast<float>(std::max(0.0, px)) : 0.0f; }
std::string studioImportPreset(const std::string& text, const std::string& file) { return importPreset(text, file); }
void studioSetUserPresets(const std::string& text) { setUserPresets(text); }
// The design's text and background pairs ([{name, text, background}] as "#rrggbb"), for the contrast test.
std::string studioThemeColourPairs() {
  json j = json::array();
  for (const ColourPair& p : textColourPairs()) j.push_back({{"name", p.name}, {"text", p.text}, {"background", p.background}});
  return j.dump();
}
std::string studioWidgetRects() {
  json j = json::object();
  for (const auto& [name, r] : studio().rects) j[name] = {{"x", r[0]}, {"y", r[1]}, {"w", r[2]}, {"h", r[3]}};
  return j.dump();
}
// Decoded audio files dropped together on the page at (x, y) (CSS pixels of the canvas; negative: not
// dropped there), each described as {id, name, sha256, sampleRate, channels, frames, path, missing, loop}.
// On a sampler (its editor, strip or header: samplerDropTrack) they become its zones, as one edit
// (loadSamplerSamples). Elsewhere each adds its asset and a clip on the track and beat under the pointer
// (a new audio track below the last one, or where no audio track is), one edit each. The same file again
// (same sha-256 id) while its audio is missing only reconnects it ("exists"); otherwise another clip of it
// is placed. Returns a JSON array: per file "" or what was wrong ("exists" for a reconnection).
std::string studioAddAudio(const std::string& assetsJson, double x, double y) {
  json list = json::parse(assetsJson, nullptr, false);
  if (list.is_object()) list = json::array({list});
  if (!list.is_array()) return json::array({"bad asset description"}).dump();
  Studio& s = studio();
  json problems = json::array();
  std::vector<DroppedSample> samples;
  const int sampler = x >= 0 && y >= 0 ? samplerDropTrack(static_cast<float>(x), static_cast<float>(y)) : -1;
  for (const json& a : list) {
    if (!a.is_object()) {
      problems.push_back("bad asset description");
      continue;
    }
    const std::string id = a.value("id", "");
    // "missing": the page knew the engine had no audio for it before this drop (the engine's list is
    // already updated by the time the asset arrives here).
    const bool missing = a.value("missing", false) || std::find(s.missingAssets.begin(), s.missingAssets.end(), id) != s.missingAssets.end();
    if (s.project.findAsset(id) && (missing || x < 0)) {
      problems.push_back("exists");
      continue;
    }
    Asset asset;
    asset.id = id;
    asset.name = a.value("name", "audio");
    asset.sha256 = a.value("sha256", "");
    asset.sampleRate = a.value("sampleRate", 48000.0);
    asset.channels = a.value("channels", 2);
    asset.frames = a.value("frames", std::int64_t{0});
    asset.path = a.value("path", asset.name);
    if (const Asset* known = s.project.findAsset(id)) asset = *known;
    if (sampler >= 0) {
      DroppedSample d{asset, {}};
      if (const auto loop = a.find("loop"); loop != a.end() && loop->is_object()) {
        const std::string mode = loop->value("mode", "");
        d.info.loop = mode == "forward" ? ZoneLoop::Forward : mode == "pingpong" ? ZoneLoop::PingPong : ZoneLoop::Off;
        d.info.loopStart = loop->value("start", std::int64_t{0});
        d.info.loopEnd = loop->value("end", std::int64_t{0});
      }
      samples.push_back(d);
      problems.push_back("");
      continue;
    }
    DropPlace place;
    place.newTrackAt = static_cast<int>(s.project.tracks.size());
    if (x >= 0 && y >= 0) place = arrangementDropPlace(static_cast<float>(x), static_cast<float>(y));
    problems.push_back(addAudioClip(asset, place.beat, place.track, place.newTrackAt));
  }
  if (!samples.empty()) {
    const std::string problem = loadSamplerSamples(sampler, samples);
    for (json& p : problems)
      if (p == "") p = problem;
  }
  return problems.dump();
}
// The count-in as the engine reports it: the beat sounding (1-based, 0: none) of `beats`.
void studioSetCountIn(int beat, int beats) {
  studio().countInBeat = beat;
  studio().countInBeats = beats;
}
// Waveform peaks of an asset's audio, in slices (see Waveforms.h): the page writes each slice's samples
// (planar) at the pointer assetPeaksSlice returns.
void studioBeginAssetPeaks(const std::string& id, int channels, double sampleRate) { beginAssetPeaks(id, channels, sampleRate); }
std::uintptr_t studioAssetPeaksSlice(int frames) { return reinterpret_cast<std::uintptr_t>(assetPeaksSlice(frames)); }
void studioAddAssetPeaks(int frames) { addAssetPeaks(frames); }
void studioEndAssetPeaks() { endAssetPeaks(); }

// [SECTION] Main loop ---------------------------------------------------------------------------------
GLFWwindow* window = nullptr;

// Resizes the canvas and tells GLFW (through emscripten's resize listeners). glfwSetWindowSize is not
// used: in emscripten 3.1.6 it requests fullscreen whenever the size equals the screen's, which
// Chromium refuses ("Permissions check failed").
EM_JS(void, set_canvas_size, (int width, int height), { Browser.setCanvasSize(width, height); });

// The bytes of the page's font `which` (boot.js fetches them into Module.mixdownFonts before the studio
// starts): its size, then a copy into memory the font atlas owns.
EM_JS(int, font_byte_count, (int which), {
  const f = Module.mixdownFonts && Module.mixdownFonts[which];
  return f ? f.byteLength : 0;
});
EM_JS(void, copy_font_bytes, (int which, unsigned char* to), { HEAPU8.set(new Uint8Array(Module.mixdownFonts[which]), to); });

// Loads Inter regular, semibold and small, rasterised at the screen's pixel density and drawn at their
// CSS size (FontGlobalScale). Falls back to ImGui's built-in font when the page has no font files.
void loadFonts(float dpr) {
  ImGuiIO& io = ImGui::GetIO();
  static const ImWchar ranges[] = {0x0020, 0x00ff, 0x2010, 0x2027, 0x2190, 0x2193, 0x2212, 0x2212, 0x221e, 0x221e, 0};
  auto add = [&](int which, float size) -> ImFont* {
    const int bytes = font_byte_count(which);
    if (bytes <= 0) return nullptr;
    auto* data = static_cast<unsigned char*>(ImGui::MemAlloc(static_cast<std::size_t>(bytes)));
    copy_font_bytes(which, data);
    ImFontConfig config;
    config.OversampleH = dpr >= 2.0f ? 1 : 2;  // at 2x the pixels are fine enough without it
    config.OversampleV = 1;
    config.PixelSnapH = false;
    return io.Fonts->AddFontFromMemoryTTF(data, bytes, size * dpr, &config, ranges);  // the atlas frees `data`
  };
  Fonts& f = fonts();
  f.regular = add(0, kFontSize);
  if (f.regular) {
    f.semibold = add(1, kFontSize);
    f.small = add(0, kSmallFontSize);
  } else {
    std::puts("The studio's fonts (fonts/Inter-*.otf) did not load: using ImGui's built-in font");
    ImFontConfig config;
    config.SizePixels = 13.0f * dpr;
    f.regular = io.Fonts->AddFontDefault(&config);
  }
  if (!f.semibold) f.semibold = f.regular;
  if (!f.small) f.small = f.regular;
  io.FontDefault = f.regular;
  io.FontGlobalScale = 1.0f / dpr;
}

// Device pixels per CSS pixel (2 on most high-density screens), clamped to a sane range.
float devicePixelRatio() { return static_cast<float>(std::clamp(emscripten_get_device_pixel_ratio(), 1.0, 4.0)); }

// The canvas fills the page (CSS); its drawing buffer has one pixel per device pixel, so the studio is
// sharp on high-density screens. The UI itself is laid out in CSS pixels (see frame()).
void followCanvasSize() {
  double cssW = 0, cssH = 0;
  emscripten_get_element_css_size("#canvas", &cssW, &cssH);
  const float dpr = devicePixelRatio();
  int targetW = static_cast<int>(std::lround(cssW * dpr)), targetH = static_cast<int>(std::lround(cssH * dpr));
  int w = 0, h = 0;
  glfwGetWindowSize(window, &w, &h);
  if (targetW >= 1 && targetH >= 1 && (targetW != w || targetH != h)) set_canvas_size(targetW, targetH);
}

// The arrangement's height: where the split was dragged, else what leaves the mixer the room its strips
// asked for in the last frame (a 120 px fader), within 35..55 % of the window's height.
float arrangementHeight() {
  Studio& s = studio();
  const float display = ImGui::GetIO().DisplaySize.y;
  const float available = display - ImGui::GetCursorPosY() - 6.0f - ImGui::GetFrameHeightWithSpacing() - 2 * ImGui::GetStyle().WindowPadding.y;
  const float most = std::max(150.0f, available - 160.0f);  // the lower panel keeps 160 px whatever the split
  if (s.arrangementHeight > 0) return std::clamp(s.arrangementHeight, 120.0f, most);
  const float automatic = s.mixerWants > 0 ? available - s.mixerWants : display * 0.45f;
  return std::clamp(std::clamp(automatic, display * 0.35f, display * 0.55f), 150.0f, most);
}

// The split between the arrangement and the lower panel: drag to resize, double-click for automatic.
void drawSplit() {
  Studio& s = studio();
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float width = ImGui::GetContentRegionAvail().x;
  ImGui::InvisibleButton("##split", ImVec2(width, 6.0f));
  remember("split");
  const bool hot = ImGui::IsItemHovered() || ImGui::IsItemActive();
  if (hot) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeNS);
  if (ImGui::IsItemActive() && ImGui::GetIO().MouseDelta.y != 0.0f)
    s.arrangementHeight = arrangementHeight() + ImGui::GetIO().MouseDelta.y;
  if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(0)) s.arrangementHeight = 0.0f;
  ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(at.x + width * 0.5f - 20, at.y + 2), ImVec2(at.x + width * 0.5f + 20, at.y + 4),
                                            hot ? colour::kAccentBright : colour::kBorder, 1.0f);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Drag to share the height between the tracks and the mixer (double-click: automatic)");
}

void frame() {
  Studio& s = studio();
  followCanvasSize();
  int w = 0, h = 0;
  glfwGetFramebufferSize(window, &w, &h);
  // Peak meters fall back at 20 dB per second between updates.
  float fall = std::pow(10.0f, -20.0f / 20.0f / 60.0f);
  for (auto& p : s.peaks) p *= fall;
  for (auto& r : s.reductions)  // gain reduction meters fall back at 30 dB per second
    if (r > 0.0f) r = std::max(0.0f, r - 30.0f * ImGui::GetIO().DeltaTime);
  ImGui_ImplOpenGL3_NewFrame();
  ui::beginInputFrame();
  ImGuiIO& io = ImGui::GetIO();
  // The UI is laid out in CSS pixels (the input comes in CSS pixels too); the renderer scales it up to
  // the framebuffer, which has one pixel per device pixel.
  double cssW = 0, cssH = 0;
  emscripten_get_element_css_size("#canvas", &cssW, &cssH);
  const float scale = cssW >= 1 && w > 0 ? static_cast<float>(w / cssW) : 1.0f;
  io.DisplaySize = ImVec2(static_cast<float>(w) / scale, static_cast<float>(h) / scale);
  io.DisplayFramebufferScale = ImVec2(scale, scale);
  ImGui::NewFrame();
  s.samplerDropTargets.clear();  // the views name this frame's
  ui::applyClickCounts();
  handleShortcuts();  // reads the last frame's rectangles (where the lanes are, for Ctrl+E at the pointer)
  s.rects.clear();    // widgetRects: what this frame draws, nothing left from an earlier one
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::Begin("Mixdown", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoBringToFrontOnFocus);
  drawMissingAudioBanner();
  drawTopBar();
  drawArrangement(arrangementHeight());
  drawSplit();
  drawLowerPanel();
  ImGui::End();
  drawInstrumentEditor();
  drawToasts(s.notice, s.noticeUntil, s.error, s.bottomInset);  // over the layout, never in it
  drawShortcuts();
  applyPendingEdits();
  updateAudition();
  syncEngine();
  ImGui::Render();
  glViewport(0, 0, w, h);
  glClearColor(0x15 / 255.0f, 0x17 / 255.0f, 0x1c / 255.0f, 1.0f);  // colour::kBackground
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

}  // namespace

EMSCRIPTEN_BINDINGS(mixdown_studio) {
  emscripten::function("loadProject", &studioLoadProject);
  emscripten::function("projectJson", &studioProjectJson);
  emscripten::function("shareLinkBytes", &studioShareLinkBytes);
  emscripten::function("loadShareLinkBytes", &studioLoadShareLinkBytes);
  emscripten::function("importMidi", &studioImportMidi);
  emscripten::function("exportMidi", &studioExportMidi);
  emscripten::function("importDawproject", &studioImportDawproject);
  emscripten::function("exportDawproject", &studioExportDawproject);
  emscripten::function("applyEdits", &studioApplyEdits);
  emscripten::function("defaultRenderFrames", &studioDefaultRenderFrames);
  emscripten::function("setTransport", &studioSetTransport);
  emscripten::function("setPeaks", &studioSetPeaks);
  emscripten::function("setLoudness", &studioSetLoudness);
  emscripten::function("setReductions", &studioSetReductions);
  emscripten::function("showError", &studioShowError);
  emscripten::function("setLoad", &studioSetLoad);
  emscripten::function("setMissingAssets", &studioSetMissingAssets);
  emscripten::function("error", &studioError);
  emscripten::function("showNotice", &studioShowNotice);
  emscripten::function("setBottomInset", &studioSetBottomInset);
  emscripten::function("importPreset", &studioImportPreset);
  emscripten::function("setUserPresets", &studioSetUserPresets);
  emscripten::function("widgetRects", &studioWidgetRects);
  emscripten::function("themeColourPairs", &studioThemeColourPairs);
  emscripten::function("addAudio", &studioAddAudio);
  emscripten::function("setCountIn", &studioSetCountIn);
  emscripten::function("beginAssetPeaks", &studioBeginAssetPeaks);
  emscripten::function("assetPeaksSlice", &studioAssetPeaksSlice);
  emscripten::function("addAssetPeaks", &studioAddAssetPeaks);
  emscripten::function("endAssetPeaks", &studioEndAssetPeaks);
  emscripten::function("inputPending", &ui::pendingInputEvents);
}

int main() {
  if (!glfwInit()) return 1;
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  window = glfwCreateWindow(1280, 760, "Mixdown", nullptr, nullptr);
  if (!window) return 1;
  glfwMakeContextCurrent(window);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the model is the state; no layout file in the browser
  // The font is rasterised for the screen's pixel density and drawn at its CSS size.
  loadFonts(devicePixelRatio());
  applyTheme();
  ui::installWebInput("#canvas");
  ImGui_ImplOpenGL3_Init("#version 300 es");
  EM_ASM({ if (globalThis.mixdownBridge) globalThis.mixdownBridge.studioReady(); });
  emscripten_set_main_loop(frame, 0, false);
  return 0;
}
