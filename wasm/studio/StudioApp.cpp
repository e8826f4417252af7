// The Mixdown studio: a Dear ImGui app on WebGL2 that holds the Project, draws it every frame and
// turns input into undoable edits. It talks to the audio engine (in the AudioWorklet) through the page's
// bridge (web/boot.js), which forwards messages to the worklet's port.
//
// [SECTION] Bridge to the page (EM_JS out, Embind in)
// [SECTION] Studio state and edits
// [SECTION] Top bar
// [SECTION] Tracks and timeline
// [SECTION] Mixer
// [SECTION] Mastering (MasteringView.cpp draws it)
// [SECTION] Main loop
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

#include "AutomationLaneView.h"
#include "DeviceRack.h"
#include "MasteringView.h"
#include "WebInput.h"
#include "backends/imgui_impl_opengl3.h"
#include "devices/Registry.h"
#include "dsp/Decibels.h"
#include "engine/Timeline.h"
#include "imgui.h"
#include "engine/OfflineRender.h"
#include "model/ProjectEdit.h"
#include "model/ProjectJson.h"
#include "model/UndoHistory.h"
#include "nlohmann/json.hpp"

using namespace mixdown;
using nlohmann::json;

// [SECTION] Bridge to the page ------------------------------------------------------------------------
EM_JS(void, bridge_post, (const char* message), {
  if (globalThis.mixdownBridge) globalThis.mixdownBridge.fromStudio(UTF8ToString(message));
});

namespace {

void post(const json& message) { bridge_post(message.dump().c_str()); }

// [SECTION] Studio state and edits --------------------------------------------------------------------
struct Studio {
  Project project;
  UndoHistory history;
  bool playing = false;
  double positionFrames = 0;
  double sampleRate = 48000;
  std::vector<float> peaks;           // [masterL, masterR, t0L, t0R, ...], linear, decaying
  std::vector<float> reductions;      // kMaxInserts per track: gain reduction in dB (decaying), -1: not playing
  std::string error;                  // shown in a banner until dismissed
  std::string notice;                 // short-lived information (share link copied...)
  double noticeUntil = 0;
  std::map<std::string, std::array<float, 4>> rects;  // widget rectangles for tests: x, y, w, h
  float pixelsPerBeat = 24.0f;
  std::vector<std::string> missingAssets;  // assets the engine has no audio for (reported by the engine)
  ui::MasteringState mastering;
  ui::RackSelection rack;                  // the insert whose editor is open
  std::vector<std::pair<std::string, std::function<void(Project&)>>> pendingEdits;  // see tryEdit
  Project sent;             // the project as the engine has it (what the edits sent so far describe)
  bool engineDirty = false;  // the project changed since the last syncEngine()
  // The engine's load, from its status: mean and worst time per render quantum (ms), the quantum (ms),
  // and the audio context's underruns since the page started (-1: the browser does not say).
  double loadMeanMs = 0, loadMaxMs = 0, quantumMs = 128.0 / 48.0;
  long underruns = -1;
  std::map<std::string, std::string> automationShown;  // track id -> the target of the lane drawn over its row
  bool showMastering = false;              // the lower panel: mixer or mastering
};

Studio& studio() {
  static Studio s;
  return s;
}

void remember(const std::string& name) {
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  studio().rects[name] = {a.x, a.y, b.x - a.x, b.y - a.y};
}

// The project changed: at the end of the frame the engine gets what changed (syncEngine).
void projectChanged() { studio().engineDirty = true; }

// Sends the engine the edits that turn what it has into the studio's project: small messages (a strip,
// a device's parameters, a clip, a track), encoded by core/model/ProjectEdit; the whole project only when
// another song was opened. Runs once a frame, after the views: while a control is held (a knob or fader
// drag) every frame's change goes out, so the sound follows the hand.
void syncEngine() {
  Studio& s = studio();
  if (!s.engineDirty && !ImGui::IsAnyItemActive()) return;
  s.engineDirty = false;
  for (Track& t : s.project.tracks) assignDeviceIds(t);  // a new insert gets its id before the engine sees it
  const std::vector<ProjectEdit> edits = diffProjects(s.sent, s.project);
  if (edits.empty()) return;
  if (edits.size() == 1 && edits[0].kind == ProjectEdit::Kind::Whole) post({{"type", "project"}, {"json", writeProject(s.project, -1)}});
  else post({{"type", "edits"}, {"edits", encodeEdits(edits)}});
  s.sent = s.project;
}

// Records the document before an edit so it can be undone.
void beginEdit(const std::string& label) {
  studio().history.record(label, studio().project);
  projectChanged();
}

// A mute or solo switch: lit while on, one undoable edit per click; true when it flipped.
bool toggleButton(const char* label, bool small, bool& on, ImU32 onColour, const char* onVerb, const char* offVerb,
                  const std::string& rectName) {
  ImGui::PushStyleColor(ImGuiCol_Button, on ? onColour : IM_COL32(60, 60, 70, 255));
  const bool clicked = small ? ImGui::SmallButton(label) : ImGui::Button(label);
  if (clicked) {
    beginEdit(on ? offVerb : onVerb);
    on = !on;
  }
  ImGui::PopStyleColor();
  remember(rectName);
  return clicked;
}
// Edits that may be refused (routing cycles, bad targets) are queued while the frame is drawn, so no
// widget holds a reference into a project being replaced, then applied (or refused with the reason).
bool tryEdit(const std::string& label, const std::function<void(Project&)>& mutate) {
  studio().pendingEdits.emplace_back(label, mutate);
  return true;
}

void applyPendingEdits() {
  Studio& s = studio();
  for (auto& [label, mutate] : s.pendingEdits) {
    Project copy = s.project;
    mutate(copy);
    const auto issues = validateProject(copy);
    if (!issues.empty()) {
      s.error = "Cannot " + label + ": " + issues.front().text();
      continue;
    }
    beginEdit(label);
    s.project = std::move(copy);
    projectChanged();
  }
  s.pendingEdits.clear();
}

// What the views in other files (mastering, device racks) need from the studio.
// Gain reduction of a track's insert (dB), -1 when it is not playing.
double insertReduction(int track, int insert) {
  const auto& r = studio().reductions;
  const std::size_t at = static_cast<std::size_t>(track) * kMaxInserts + static_cast<std::size_t>(insert);
  return track >= 0 && insert >= 0 && static_cast<std::size_t>(insert) < kMaxInserts && at < r.size() ? r[at] : -1.0;
}
const ui::StudioHooks& studioHooks() {
  static const ui::StudioHooks hooks{[](const std::string& label) { beginEdit(label); }, [](const json& m) { post(m); },
                                     [](const std::string& name) { remember(name); }, [] { return studio().sampleRate; },
                                     [](int track, int insert) { return insertReduction(track, insert); }, [] { projectChanged(); }};
  return hooks;
}

constexpr ImU32 kMuteColour = IM_COL32(200, 120, 40, 255);
constexpr ImU32 kSoloColour = IM_COL32(210, 190, 40, 255);

void undoRedo(bool redo) {
  Studio& s = studio();
  if (redo ? s.history.redo(s.project) : s.history.undo(s.project)) projectChanged();
}

double beatsNow() {
  const Studio& s = studio();
  return Timeline(s.project, s.sampleRate).beatOfFrame(s.positionFrames);
}

// A level meter: the peak as a bar, and (when given) the RMS as a white line across it.
void meter(const char* id, float linear, ImVec2 size, float rms = -1.0f) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, size);
  dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), IM_COL32(25, 25, 28, 255));
  double db = gainToDb(linear);
  float frac = static_cast<float>(std::clamp((db + 60.0) / 66.0, 0.0, 1.0));  // -60..+6 dBFS
  ImU32 col = db > -0.1 ? IM_COL32(230, 60, 50, 255) : db > -12 ? IM_COL32(230, 200, 60, 255) : IM_COL32(70, 200, 110, 255);
  if (size.y > size.x)
    dl->AddRectFilled(ImVec2(p.x, p.y + size.y * (1 - frac)), ImVec2(p.x + size.x, p.y + size.y), col);
  else
    dl->AddRectFilled(p, ImVec2(p.x + size.x * frac, p.y + size.y), col);
  if (rms > 0.0f && size.y > size.x) {
    const float rmsFrac = static_cast<float>(std::clamp((gainToDb(rms) + 60.0) / 66.0, 0.0, 1.0));
    const float y = p.y + size.y * (1 - rmsFrac);
    dl->AddLine(ImVec2(p.x, y), ImVec2(p.x + size.x, y), IM_COL32(240, 240, 240, 230), 2.0f);
  }
}

float peakOf(int index) {
  const auto& pk = studio().peaks;
  return static_cast<std::size_t>(index) < pk.size() / 2 ? pk[static_cast<std::size_t>(index)] : 0.0f;
}
// The engine sends the running RMS values after the peaks, in the same order.
float rmsOf(int index) {
  const auto& pk = studio().peaks;
  const std::size_t at = pk.size() / 2 + static_cast<std::size_t>(index);
  return at < pk.size() ? pk[at] : 0.0f;
}

// [SECTION] Top bar -----------------------------------------------------------------------------------
void drawTopBar() {
  Studio& s = studio();
  if (ImGui::Button(s.playing ? "Stop" : "Play", ImVec2(64, 0))) post({{"type", s.playing ? "stop" : "play"}});
  remember("play");
  ImGui::SameLine();
  if (ImGui::Button("|<")) post({{"type", "seek"}, {"beat", 0.0}});
  remember("rewind");
  ImGui::SameLine();
  const BarPosition at = Timeline(s.project, s.sampleRate).positionOf(beatsNow());  // bar.beat in the bar's own beat unit
  double seconds = s.positionFrames / s.sampleRate;
  ImGui::Text("%3d.%05.2f  %02d:%06.3f", at.bar, at.beatInBar, static_cast<int>(seconds / 60), std::fmod(seconds, 60.0));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(90);
  float tempo = static_cast<float>(s.project.tempo);
  bool tempoChanged = ImGui::DragFloat("BPM", &tempo, 0.25f, 20.0f, 999.0f, "%.2f");
  if (ImGui::IsItemActivated()) beginEdit("Change tempo");  // before the value is applied
  if (tempoChanged) s.project.tempo = std::clamp(static_cast<double>(tempo), 20.0, 999.0);
  if (ImGui::IsItemDeactivatedAfterEdit()) projectChanged();
  ImGui::SameLine();
  bool loop = s.project.loop.enabled;
  if (ImGui::Checkbox("Loop", &loop)) {
    beginEdit(loop ? "Loop on" : "Loop off");
    s.project.loop.enabled = loop;
    projectChanged();
  }
  remember("loop");
  ImGui::SameLine();
  ImGui::TextUnformatted("Master");
  ImGui::SameLine();
  ImGui::BeginGroup();
  meter("##master_meter_l", peakOf(0), ImVec2(120, 5));
  meter("##master_meter_r", peakOf(1), ImVec2(120, 5));
  ImGui::EndGroup();
  remember("master-meter");
  ImGui::SameLine();
  // CPU: the engine's own time per render quantum against the quantum's length (the audio thread's
  // budget), averaged over the last second; red from 70 %, where a busier moment may drop out. Drawn in a
  // box of fixed width so the buttons after it never move when the figures change.
  {
    const double percent = s.quantumMs > 0 ? 100.0 * s.loadMeanMs / s.quantumMs : 0.0;
    const ImU32 colour = percent >= 70 ? IM_COL32(242, 90, 77, 255) : percent >= 45 ? IM_COL32(242, 204, 77, 255) : IM_COL32(140, 217, 153, 255);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##cpu", ImVec2(150, ImGui::GetFrameHeight()));
    char text[48];
    std::snprintf(text, sizeof text, "CPU %3.0f%%", percent);
    const float textY = at.y + (ImGui::GetFrameHeight() - ImGui::GetTextLineHeight()) * 0.5f;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddText(ImVec2(at.x, textY), colour, text);
    if (s.underruns > 0) {
      std::snprintf(text, sizeof text, "%ld dropouts", s.underruns);
      draw->AddText(ImVec2(at.x + 62, textY), IM_COL32(242, 90, 77, 255), text);
    }
    remember("cpu");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Audio engine: %.3f ms of each %.3f ms render quantum on average (worst %.3f ms)\n%s", s.loadMeanMs, s.quantumMs,
                        s.loadMaxMs, s.underruns < 0 ? "This browser does not report dropouts." : (std::to_string(s.underruns) + " dropouts (underruns) since the page opened").c_str());
  }
  ImGui::SameLine();
  if (ImGui::Button("Undo") && s.history.canUndo()) undoRedo(false);
  remember("undo");
  ImGui::SameLine();
  if (ImGui::Button("Redo") && s.history.canRedo()) undoRedo(true);
  remember("redo");
  ImGui::SameLine();
  if (ImGui::Button("Demo")) post({{"type", "demo"}});
  remember("demo");
  ImGui::SameLine();
  if (ImGui::Button("Open")) post({{"type", "open"}});
  remember("open");
  ImGui::SameLine();
  if (ImGui::Button("Save")) post({{"type", "save"}});
  remember("save");
  ImGui::SameLine();
  if (ImGui::Button("Share")) post({{"type", "share"}});
  remember("share");
  if (!s.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, IM_COL32(120, 30, 30, 255));
    ImGui::BeginChild("error", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 2.2f), true);
    ImGui::TextWrapped("%s", s.error.c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton("Dismiss")) s.error.clear();
    ImGui::EndChild();
    ImGui::PopStyleColor();
    remember("error");
  } else if (!s.notice.empty() && ImGui::GetTime() < s.noticeUntil) {
    ImGui::TextColored(ImVec4(0.6f, 0.9f, 0.6f, 1), "%s", s.notice.c_str());
  }
}

// [SECTION] Tracks and timeline -----------------------------------------------------------------------
void drawTracks(float height) {
  Studio& s = studio();
  ImGui::BeginChild("tracks", ImVec2(0, height), true, ImGuiWindowFlags_HorizontalScrollbar);
  const float headerW = 170.0f, rowH = 44.0f;
  const double endBeat = std::max(s.project.endBeat(), 16.0) + 4.0;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 origin = ImGui::GetCursorScreenPos();
  float timelineX = origin.x + headerW;
  float width = static_cast<float>(endBeat) * s.pixelsPerBeat;
  // Ruler: bar numbers. Click moves the playhead; Shift+drag sets the loop region (snapped to beats).
  ImGui::SetCursorScreenPos(ImVec2(timelineX, origin.y));
  ImGui::InvisibleButton("ruler", ImVec2(width, 18));
  remember("ruler");
  static double loopDragFrom = -1.0;
  const double mouseBeat = std::max(0.0, static_cast<double>((ImGui::GetIO().MousePos.x - timelineX) / s.pixelsPerBeat));
  if (ImGui::IsItemClicked()) {
    if (ImGui::GetIO().KeyShift) {
      loopDragFrom = std::floor(mouseBeat);
    } else {
      post({{"type", "seek"}, {"beat", mouseBeat}});
    }
  }
  if (loopDragFrom >= 0.0 && !ImGui::IsMouseDown(0)) {
    double a = loopDragFrom, b = std::round(mouseBeat);
    if (b < a) std::swap(a, b);
    if (b - a < 1.0) b = a + 1.0;
    beginEdit("Set loop");
    s.project.loop = {true, a, b};
    projectChanged();
    loopDragFrom = -1.0;
  }
  // Ctrl+wheel over the timeline zooms.
  if (ImGui::IsWindowHovered() && ImGui::GetIO().KeyCtrl && ImGui::GetIO().MouseWheel != 0.0f)
    s.pixelsPerBeat = std::clamp(s.pixelsPerBeat * std::pow(1.15f, ImGui::GetIO().MouseWheel), 4.0f, 200.0f);
  const Timeline bars(s.project, s.sampleRate);  // bar lines follow the signature changes
  for (int bar = 1; bars.barStartBeat(bar) <= endBeat; ++bar) {
    float x = timelineX + static_cast<float>(bars.barStartBeat(bar)) * s.pixelsPerBeat;
    dl->AddLine(ImVec2(x, origin.y), ImVec2(x, origin.y + 18 + rowH * s.project.tracks.size()), IM_COL32(60, 60, 66, 255));
    char label[16];
    std::snprintf(label, sizeof label, "%d", bar);
    dl->AddText(ImVec2(x + 3, origin.y + 2), IM_COL32(170, 170, 180, 255), label);
  }
  if (loopDragFrom >= 0.0) {
    float a = timelineX + static_cast<float>(loopDragFrom) * s.pixelsPerBeat;
    float b = timelineX + static_cast<float>(std::round(mouseBeat)) * s.pixelsPerBeat;
    dl->AddRectFilled(ImVec2(std::min(a, b), origin.y), ImVec2(std::max(a, b), origin.y + 18), IM_COL32(90, 140, 230, 90));
  }
  if (s.project.loop.enabled) {
    float a = timelineX + static_cast<float>(s.project.loop.startBeat) * s.pixelsPerBeat;
    float b = timelineX + static_cast<float>(s.project.loop.endBeat) * s.pixelsPerBeat;
    dl->AddRectFilled(ImVec2(a, origin.y), ImVec2(b, origin.y + 5), IM_COL32(90, 140, 230, 200));
  }
  for (std::size_t i = 0; i < s.project.tracks.size(); ++i) {
    Track& t = s.project.tracks[i];
    float y = origin.y + 18 + rowH * static_cast<float>(i);
    ImGui::PushID(static_cast<int>(i));
    ImGui::SetCursorScreenPos(ImVec2(origin.x + 4, y + 4));
    ImGui::TextUnformatted(t.name.empty() ? t.id.c_str() : t.name.c_str());
    ImGui::SetCursorScreenPos(ImVec2(origin.x + 4, y + 22));
    if (toggleButton("M", true, t.strip.mute, kMuteColour, "Mute", "Unmute", "mute:" + std::to_string(i)))
      projectChanged();
    ImGui::SameLine();
    if (toggleButton("S", true, t.strip.solo, kSoloColour, "Solo", "Unsolo", "solo:" + std::to_string(i)))
      projectChanged();
    ImGui::SameLine();
    // "A": shows the track's automation (its first lane, else gain); when shown, a menu of every target
    // (lit: has points) and Hide. A view switch, not an edit: no undo step.
    auto shown = s.automationShown.find(t.id);
    const bool showLane = shown != s.automationShown.end();
    ImGui::PushStyleColor(ImGuiCol_Button, showLane ? IM_COL32(60, 160, 90, 255) : t.automation.empty() ? IM_COL32(60, 60, 70, 255) : IM_COL32(60, 100, 75, 255));
    if (ImGui::SmallButton("A")) {
      if (!showLane) s.automationShown[t.id] = t.automation.empty() ? "gain" : t.automation.front().target;
      else ImGui::OpenPopup("automation-menu");
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(showLane ? "Automation: pick a lane or hide" : "Show automation");
    ImGui::PopStyleColor();
    if (ImGui::BeginPopup("automation-menu")) {
      // Gain and pan, then one submenu per insert with its parameters (an EQ alone has 41: a flat list
      // would run off the screen). "*" marks a lane with points, on the item and on its device.
      const auto targets = ui::laneTargets(t);
      auto hasPoints = [&](const std::string& target) {
        return std::any_of(t.automation.begin(), t.automation.end(), [&](const AutomationLane& l) { return l.target == target && !l.points.empty(); });
      };
      auto item = [&](const ui::LaneTarget& lt) {
        const bool picked = ImGui::MenuItem(lt.shortLabel.c_str(), hasPoints(lt.target) ? "*" : nullptr, showLane && shown->second == lt.target);
        remember("automation-item:" + std::to_string(i) + ":" + lt.target);
        if (picked) s.automationShown[t.id] = lt.target;
      };
      for (std::size_t a = 0; a < targets.size();) {
        if (targets[a].insert < 0) {
          item(targets[a++]);
          continue;
        }
        const int k = targets[a].insert;
        std::size_t end = a;
        bool any = false;
        while (end < targets.size() && targets[end].insert == k) any |= hasPoints(targets[end++].target);
        const DeviceDescriptor* d = findDevice(t.inserts[static_cast<std::size_t>(k)].type);
        const std::string name = std::to_string(k + 1) + " " + (d ? d->name : t.inserts[static_cast<std::size_t>(k)].type) + (any ? " *" : "");
        if (a == 2) ImGui::Separator();
        const bool open = ImGui::BeginMenu((name + "##insert" + std::to_string(k)).c_str());
        remember("automation-device:" + std::to_string(i) + ":" + std::to_string(k));
        if (open) {
          for (std::size_t b = a; b < end; ++b) item(targets[b]);
          ImGui::EndMenu();
        }
        a = end;
      }
      ImGui::Separator();
      if (ImGui::MenuItem("Hide automation")) s.automationShown.erase(t.id);
      remember("automation-hide:" + std::to_string(i));
      ImGui::EndPopup();
    }
    remember("automation:" + std::to_string(i));
    ImGui::SameLine();
    meter("##trackmeter", std::max(peakOf(2 + 2 * static_cast<int>(i)), peakOf(3 + 2 * static_cast<int>(i))), ImVec2(60, 6));
    // Clips.
    ImU32 colour = t.kind == TrackKind::Audio ? IM_COL32(70, 130, 190, 255) : IM_COL32(110, 90, 180, 255);
    if (t.kind == TrackKind::Bus) {  // a bus has no clips: a thin band says what it is
      dl->AddRectFilled(ImVec2(timelineX, y + 10), ImVec2(timelineX + 160, y + rowH - 10), IM_COL32(60, 60, 70, 255), 3.0f);
      dl->AddText(ImVec2(timelineX + 6, y + 12), IM_COL32(200, 200, 210, 255), "bus (audio routed here)");
    }
    const float visibleLeft = ImGui::GetWindowPos().x, visibleRight = visibleLeft + ImGui::GetWindowWidth();
    const float visibleTop = ImGui::GetWindowPos().y, visibleBottom = visibleTop + ImGui::GetWindowHeight();
    const bool rowVisible = y + rowH >= visibleTop && y <= visibleBottom;  // rows scrolled away draw nothing
    for (const Clip& c : t.clips) {
      if (!rowVisible) break;
      float x0 = timelineX + static_cast<float>(c.start) * s.pixelsPerBeat;
      float x1 = timelineX + static_cast<float>(c.start + c.length) * s.pixelsPerBeat;
      if (x1 < visibleLeft || x0 > visibleRight) continue;  // off screen: nothing to draw
      dl->AddRectFilled(ImVec2(x0, y + 2), ImVec2(x1, y + rowH - 2), colour, 4.0f);
      dl->AddText(ImVec2(x0 + 4, y + 3), IM_COL32(240, 240, 250, 255), c.name.c_str());
      // Notes as short lines, pitch mapped into the clip's height.
      int lo = 127, hi = 0;
      for (const Note& n : c.notes) {
        lo = std::min(lo, n.pitch);
        hi = std::max(hi, n.pitch);
      }
      for (const Note& n : c.notes) {
        if (n.start < c.offset || n.start >= c.offset + c.length) continue;
        float nx0 = x0 + static_cast<float>(n.start - c.offset) * s.pixelsPerBeat;
        if (nx0 > visibleRight) continue;
        float nx1 = std::min(x1, nx0 + std::max(2.0f, static_cast<float>(n.length) * s.pixelsPerBeat));
        if (nx1 < visibleLeft) continue;
        float fy = hi > lo ? static_cast<float>(n.pitch - lo) / static_cast<float>(hi - lo) : 0.5f;
        float ny = y + rowH - 6 - fy * (rowH - 20);
        dl->AddLine(ImVec2(nx0, ny), ImVec2(nx1, ny), IM_COL32(230, 220, 255, 255), 2.0f);
      }
      if (t.kind == TrackKind::Audio &&
          std::find(s.missingAssets.begin(), s.missingAssets.end(), c.asset) != s.missingAssets.end())
        dl->AddText(ImVec2(x0 + 4, y + 20), IM_COL32(255, 180, 160, 255), "missing audio");
    }
    if (auto lane = s.automationShown.find(t.id); lane != s.automationShown.end()) {
      if (ui::laneLabel(t, lane->second).empty()) lane->second = "gain";  // its insert was removed
      ui::drawLane(t, static_cast<int>(i), lane->second, {timelineX, y + 2, rowH - 4, width, s.pixelsPerBeat}, studioHooks(), [] { projectChanged(); });
    }
    ImGui::PopID();
  }
  // Playhead.
  float px = timelineX + static_cast<float>(beatsNow()) * s.pixelsPerBeat;
  dl->AddLine(ImVec2(px, origin.y), ImVec2(px, origin.y + 18 + rowH * s.project.tracks.size()), IM_COL32(255, 255, 255, 230), 2.0f);
  s.rects["playhead"] = {px, origin.y, 1.0f, 18 + rowH * s.project.tracks.size()};
  ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + 18 + rowH * s.project.tracks.size() + 4));
  ImGui::Dummy(ImVec2(headerW + width, 1));
  ImGui::EndChild();
}

// [SECTION] Mixer -------------------------------------------------------------------------------------
void drawMixer() {
  Studio& s = studio();
  ImGui::BeginChild("mixer", ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
  const float stripW = 92.0f;
  // Signal-flow order, as on a console: the rack (inserts, then output and sends) at the top of every
  // strip, in a band as tall as the fullest rack so the faders line up; the faders take what height is
  // left (150 px at most, 60 at least; below that the mixer scrolls). The band's height is the tallest
  // rack as drawn in the previous frame (gain reduction bars add to a rack's height).
  static float measuredRackH = 0.0f;
  const float row = ImGui::GetFrameHeightWithSpacing();
  const float rackH = std::max(measuredRackH, 3 * row);
  float tallestRack = 0.0f;
  const float below = ImGui::GetTextLineHeightWithSpacing() + 2 * row + ImGui::GetStyle().ItemSpacing.y + ImGui::GetStyle().ScrollbarSize;
  const float faderH = std::clamp(ImGui::GetContentRegionAvail().y - rackH - below, 60.0f, 150.0f);
  auto stripUi = [&](int i, const char* name, double& gainDb, double* pan, bool* mute, bool* solo, int meterIndex,
                     const std::function<void()>& rack) {
    ImGui::PushID(i);
    ImGui::BeginGroup();
    ImGui::TextUnformatted(name);
    const float rackTop = ImGui::GetCursorPosY();
    if (rack) rack();
    tallestRack = std::max(tallestRack, ImGui::GetCursorPosY() - rackTop);
    ImGui::SetCursorPosY(rackTop + rackH);
    float g = static_cast<float>(gainDb);
    ImGui::VSliderFloat("##fader", ImVec2(38, faderH), &g, -60.0f, 12.0f, g <= -60.0f ? "-inf" : "%.1f");
    remember(i < 0 ? "fader:master" : "fader:" + std::to_string(i));
    if (ImGui::IsItemActivated()) beginEdit("Fader");
    bool changed = false;
    if (g != static_cast<float>(gainDb)) {
      gainDb = g <= -60.0f ? -144.0 : g;
      changed = true;
    }
    ImGui::SameLine();
    meter("##ml", peakOf(meterIndex), ImVec2(8, faderH), rmsOf(meterIndex));
    ImGui::SameLine(0, 2);
    meter("##mr", peakOf(meterIndex + 1), ImVec2(8, faderH), rmsOf(meterIndex + 1));
    if (pan) {
      float p = static_cast<float>(*pan);
      ImGui::SetNextItemWidth(stripW - 10);
      bool panChanged = ImGui::SliderFloat("##pan", &p, -1.0f, 1.0f, p == 0 ? "C" : (p < 0 ? "L%.2f" : "R%.2f"));
      if (ImGui::IsItemActivated()) beginEdit("Pan");  // before the value is applied
      if (panChanged) {
        *pan = std::clamp(static_cast<double>(p), -1.0, 1.0);
        changed = true;
      }
      if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(0)) {
        beginEdit("Centre pan");
        *pan = 0;
        changed = true;
      }
      remember("pan:" + std::to_string(i));
    }
    if (mute && solo) {
      changed |= toggleButton("Mute", false, *mute, kMuteColour, "Mute", "Unmute", "mixer-mute:" + std::to_string(i));
      ImGui::SameLine();
      changed |= toggleButton("Solo", false, *solo, kSoloColour, "Solo", "Unsolo", "mixer-solo:" + std::to_string(i));
    }
    ImGui::EndGroup();
    ImGui::PopID();
    ImGui::SameLine(0, 14);
    return changed;
  };
  const ui::StudioHooks& hooks = studioHooks();
  for (std::size_t i = 0; i < s.project.tracks.size(); ++i) {
    Track& t = s.project.tracks[i];
    const int index = static_cast<int>(i);
    const bool changedStrip = stripUi(index, (t.name.empty() ? t.id : t.name).c_str(), t.strip.gainDb, &t.strip.pan, &t.strip.mute,
                                      &t.strip.solo, 2 + 2 * index, [&] {
                                        ui::drawInsertList(s.project.tracks[i], index, s.rack, hooks, [] { projectChanged(); });
                                        ui::drawRouting(s.project, index, hooks, tryEdit);
                                      });
    if (changedStrip) projectChanged();
  }
  if (stripUi(-1, "Master", s.project.master.gainDb, nullptr, nullptr, nullptr, 0, {}))
    projectChanged();
  ImGui::SameLine();
  if (ImGui::Button("+ Bus")) {
    int n = 1;
    auto taken = [&](const std::string& id) {
      return std::any_of(s.project.tracks.begin(), s.project.tracks.end(), [&](const Track& t) { return t.id == id; });
    };
    while (taken("bus" + std::to_string(n))) ++n;
    tryEdit("Add bus", [=](Project& p) {
      Track bus;
      bus.id = "bus" + std::to_string(n);
      bus.name = "Bus " + std::to_string(n);
      bus.kind = TrackKind::Bus;
      p.tracks.push_back(std::move(bus));
    });
  }
  remember("add-bus");
  measuredRackH = tallestRack;
  ImGui::EndChild();
  ui::drawInsertEditor(
      s.project, s.rack, hooks, [] { projectChanged(); },
      [](int, int, const std::string&, double) { projectChanged(); },
      tryEdit);
}

// [SECTION] Mastering ---------------------------------------------------------------------------------
void drawMastering() {
  Studio& s = studio();
  ImGui::BeginChild("mastering", ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
  ui::drawMasteringView(s.project, s.mastering, studioHooks());
  ImGui::EndChild();
}

// Mixer or mastering below the tracks, chosen with two tab-like buttons (rectangles named for tests).
void drawLowerPanel() {
  Studio& s = studio();
  for (bool mastering : {false, true}) {
    const bool active = s.showMastering == mastering;
    ImGui::PushStyleColor(ImGuiCol_Button, active ? IM_COL32(70, 100, 160, 255) : IM_COL32(50, 50, 60, 255));
    if (ImGui::Button(mastering ? "Mastering" : "Mixer")) s.showMastering = mastering;
    ImGui::PopStyleColor();
    remember(mastering ? "tab:mastering" : "tab:mixer");
    ImGui::SameLine();
  }
  ImGui::NewLine();
  if (s.showMastering) drawMastering();
  else drawMixer();
}

// [SECTION] Main loop ---------------------------------------------------------------------------------
GLFWwindow* window = nullptr;

// Resizes the canvas and tells GLFW (through emscripten's resize listeners). glfwSetWindowSize is not
// used: in emscripten 3.1.6 it requests fullscreen whenever the size equals the screen's, which
// Chromium refuses ("Permissions check failed").
EM_JS(void, set_canvas_size, (int width, int height), { Browser.setCanvasSize(width, height); });

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
  ui::applyClickCounts();
  if (io.KeyCtrl && ImGui::IsKeyPressed(ImGuiKey_Z, false)) undoRedo(io.KeyShift);
  if (!io.WantTextInput && ImGui::IsKeyPressed(ImGuiKey_Space, false)) post({{"type", s.playing ? "stop" : "play"}});
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(io.DisplaySize);
  ImGui::Begin("Mixdown", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoBringToFrontOnFocus);
  ImGui::Text("Mixdown  -  %s", s.project.title.c_str());
  drawTopBar();
  drawTracks(std::max(160.0f, io.DisplaySize.y * 0.45f));
  drawLowerPanel();
  ImGui::End();
  applyPendingEdits();
  syncEngine();
  ImGui::Render();
  glViewport(0, 0, w, h);
  glClearColor(0.09f, 0.09f, 0.1f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

}  // namespace

// Called by the page. Returns "" on success or the problems, one per line; the studio keeps its
// current project when the new one is invalid.
std::string studioLoadProject(const std::string& text) {
  ProjectLoad load = parseProject(text);
  if (!load.ok()) return load.errorText();
  Studio& s = studio();
  if (!s.project.tracks.empty()) s.history.record("Open project", s.project);
  s.project = std::move(load.project);
  projectChanged();
  return "";
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
void studioShowNotice(const std::string& message) {
  studio().notice = message;
  studio().noticeUntil = ImGui::GetTime() + 4.0;
}
std::string studioWidgetRects() {
  json j = json::object();
  for (const auto& [name, r] : studio().rects) j[name] = {{"x", r[0]}, {"y", r[1]}, {"w", r[2]}, {"h", r[3]}};
  return j.dump();
}
// A decoded audio file dropped on the page: adds its asset, an audio track and a clip (one edit).
std::string studioAddAudio(const std::string& assetJson) {
  json a = json::parse(assetJson, nullptr, false);
  if (!a.is_object()) return "bad asset description";
  Studio& s = studio();
  // The same file again (same sha-256 id): its audio is reconnected, no new track.
  if (s.project.findAsset(a.value("id", ""))) return "exists";
  Project next = s.project;
  Asset asset;
  asset.id = a.value("id", "");
  asset.name = a.value("name", "audio");
  asset.sha256 = a.value("sha256", "");
  asset.sampleRate = a.value("sampleRate", 48000.0);
  asset.channels = a.value("channels", 2);
  asset.frames = a.value("frames", std::int64_t{0});
  asset.path = a.value("path", asset.name);
  next.assets.push_back(asset);
  Track t;
  int n = 1;
  for (;;) {
    t.id = "audio" + std::to_string(n++);
    bool taken = false;
    for (const auto& x : next.tracks) taken = taken || x.id == t.id;
    if (!taken) break;
  }
  t.name = asset.name;
  t.kind = TrackKind::Audio;
  Clip c;
  c.name = asset.name;
  c.start = 0;
  c.length = std::max(0.001, Timeline(next, asset.sampleRate).beatOfSeconds(static_cast<double>(asset.frames) / asset.sampleRate));
  c.asset = asset.id;
  t.clips.push_back(c);
  next.tracks.push_back(t);
  auto issues = validateProject(next);
  if (!issues.empty()) return issues[0].text();
  s.history.record("Add audio", s.project);
  s.project = std::move(next);
  projectChanged();
  return "";
}

EMSCRIPTEN_BINDINGS(mixdown_studio) {
  emscripten::function("loadProject", &studioLoadProject);
  emscripten::function("projectJson", &studioProjectJson);
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
  emscripten::function("widgetRects", &studioWidgetRects);
  emscripten::function("addAudio", &studioAddAudio);
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
  const float dpr = devicePixelRatio();
  ImFontConfig font;
  font.SizePixels = 13.0f * dpr;
  io.Fonts->AddFontDefault(&font);
  io.FontGlobalScale = 1.0f / dpr;
  ImGui::StyleColorsDark();
  ImGui::GetStyle().FrameRounding = 3.0f;
  ui::installWebInput("#canvas");
  ImGui_ImplOpenGL3_Init("#version 300 es");
  EM_ASM({ if (globalThis.mixdownBridge) globalThis.mixdownBridge.studioReady(); });
  emscripten_set_main_loop(frame, 0, false);
  return 0;
}
