#include "Studio.h"

#include <emscripten.h>

#include <algorithm>

#include "Commands.h"
#include "engine/Timeline.h"
#include "model/ProjectEdit.h"
#include "model/ProjectJson.h"

namespace mixdown::ui {

using nlohmann::json;

EM_JS(void, bridge_post, (const char* message), {
  if (globalThis.mixdownBridge) globalThis.mixdownBridge.fromStudio(UTF8ToString(message));
});

Studio& studio() {
  static Studio s;
  return s;
}

void post(const json& message) { bridge_post(message.dump().c_str()); }

void remember(const std::string& name) {
  if (!ImGui::IsItemVisible()) return;  // scrolled out of its view: not where a person could click it
  // Only the part its view shows (a row half scrolled out is half there).
  const ImVec2 clipMin = ImGui::GetWindowDrawList()->GetClipRectMin(), clipMax = ImGui::GetWindowDrawList()->GetClipRectMax();
  const ImVec2 itemMin = ImGui::GetItemRectMin(), itemMax = ImGui::GetItemRectMax();
  ImVec2 a(std::max(itemMin.x, clipMin.x), std::max(itemMin.y, clipMin.y));
  ImVec2 b(std::min(itemMax.x, clipMax.x), std::min(itemMax.y, clipMax.y));
  if (b.x <= a.x || b.y <= a.y) a = itemMin, b = itemMax;  // a window's title bar (after Begin) lies outside its contents' clip
  studio().rects[name] = {a.x, a.y, b.x - a.x, b.y - a.y};
}

void samplerDropTarget(int trackIndex, bool window) {
  Studio& s = studio();
  if (trackIndex < 0 || static_cast<std::size_t>(trackIndex) >= s.project.tracks.size()) return;
  const auto& instrument = s.project.tracks[static_cast<std::size_t>(trackIndex)].instrument;
  if (!instrument || instrument->type != "mixdown.sampler") return;
  ImVec2 a = window ? ImGui::GetWindowPos() : ImGui::GetItemRectMin();
  ImVec2 b = window ? ImVec2(a.x + ImGui::GetWindowWidth(), a.y + ImGui::GetWindowHeight()) : ImGui::GetItemRectMax();
  if (!window) {  // only what the window shows of it (a strip scrolled out of the mixer takes nothing)
    const ImVec2 w = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
    a = ImVec2(std::max(a.x, w.x), std::max(a.y, w.y));
    b = ImVec2(std::min(b.x, w.x + size.x), std::min(b.y, w.y + size.y));
  }
  if (b.x > a.x && b.y > a.y) s.samplerDropTargets.push_back({{a.x, a.y, b.x - a.x, b.y - a.y}, trackIndex});
}

int samplerDropTrack(float x, float y) {
  const auto& targets = studio().samplerDropTargets;
  for (auto it = targets.rbegin(); it != targets.rend(); ++it) {
    const auto& r = it->first;
    if (x >= r[0] && x < r[0] + r[2] && y >= r[1] && y < r[1] + r[3]) return it->second;
  }
  return -1;
}

void projectChanged() { studio().engineDirty = true; }

void beginEdit(const std::string& label) {
  studio().history.record(label, studio().project);
  studio().unsaved = true;
  projectChanged();
}

void showNotice(const std::string& text) {
  studio().notice = text;
  studio().noticeUntil = ImGui::GetTime() + 4.0;
}

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

void undoRedo(bool redo) {
  Studio& s = studio();
  if (redo ? s.history.redo(s.project) : s.history.undo(s.project)) {
    s.unsaved = true;
    projectChanged();
    pruneSelection();
  }
}

double insertReduction(int track, int insert) {
  const auto& r = studio().reductions;
  const std::size_t at = static_cast<std::size_t>(track) * kMaxInserts + static_cast<std::size_t>(insert);
  return track >= 0 && insert >= 0 && static_cast<std::size_t>(insert) < kMaxInserts && at < r.size() ? r[at] : -1.0;
}

const StudioHooks& studioHooks() {
  static const StudioHooks hooks{[](const std::string& label) { beginEdit(label); }, [](const json& m) { post(m); },
                                 [](const std::string& name) { remember(name); }, [] { return studio().sampleRate; },
                                 [](int track, int insert) { return insertReduction(track, insert); }, [] { projectChanged(); }};
  return hooks;
}

double beatsNow() {
  const Studio& s = studio();
  return Timeline(s.project, s.sampleRate).beatOfFrame(s.positionFrames);
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

}  // namespace mixdown::ui
