// The step sequencer of a drum clip: a row per voice of the kit (named by the instrument, or by General
// MIDI's drum map), 16 or 32 steps at a chosen resolution. Click toggles a step, dragging paints (on or
// off, as the first step clicked became), Shift+click toggles an accent; a step's fill shows its velocity.
// It writes ordinary notes into the clip (a step is a note of one step's length), so the piano roll, the
// link and the renderer need nothing new. Swing moves every second step later by its fraction of a step.
#include <algorithm>
#include <cmath>
#include <set>

#include "Commands.h"
#include "Studio.h"
#include "Widgets.h"
#include "devices/Registry.h"

namespace mixdown::ui {

namespace {

constexpr float kNameW = 110.0f, kRowH = 22.0f, kHeadH = 18.0f;
constexpr double kVelocity = 0.75, kAccent = 1.0;

struct Voice {
  int pitch;
  std::string name;
};

// The rows: the instrument's named notes, else General MIDI's drum map.
std::vector<Voice> voicesOf(const Track& track) {
  std::vector<Voice> voices;
  if (track.instrument)
    if (const DeviceDescriptor* d = findDevice(track.instrument->type))
      for (const auto& n : d->noteNames) voices.push_back({n.pitch, n.name});
  if (voices.empty())
    voices = {{36, "Kick"}, {38, "Snare"}, {39, "Clap"}, {37, "Rim"}, {42, "Closed hat"}, {46, "Open hat"}, {41, "Low tom"},
              {47, "Mid tom"}, {50, "High tom"}, {49, "Crash"}, {51, "Ride"}, {56, "Cowbell"}};
  return voices;
}

// Where step k starts in content beats (every second step swung later).
double stepStart(const ClipEditor& e, const Clip& c, int k) {
  return c.offset + k * e.stepBeats + (k % 2 == 1 ? e.swing * e.stepBeats : 0.0);
}

// The note at a step of a row, or -1.
int noteAtStep(const ClipEditor& e, const Clip& c, int pitch, int k) {
  const double at = stepStart(e, c, k), tolerance = e.stepBeats * 0.4;
  for (std::size_t i = 0; i < c.notes.size(); ++i)
    if (c.notes[i].pitch == pitch && std::abs(c.notes[i].start - at) < tolerance) return static_cast<int>(i);
  return -1;
}

struct Paint {
  bool active = false;
  bool on = false;            // what the gesture paints
  std::set<std::pair<int, int>> done;  // (row, step) already painted in this gesture
};
Paint paint;

void setStep(Clip& c, const ClipEditor& e, int pitch, int k, bool on, double velocity) {
  const int at = noteAtStep(e, c, pitch, k);
  if (on && at < 0) c.notes.push_back(Note{pitch, velocity, stepStart(e, c, k), e.stepBeats});
  if (!on && at >= 0) c.notes.erase(c.notes.begin() + at);
}

}  // namespace

void drawStepSequencer(Track& track, Clip& clip) {
  Studio& s = studio();
  ClipEditor& e = s.editor;
  const std::vector<Voice> voices = voicesOf(track);
  // Pattern controls.
  ImGui::SetNextItemWidth(70);
  static const int counts[] = {16, 32};
  if (ImGui::BeginCombo("Steps", std::to_string(e.stepCount).c_str())) {
    for (int n : counts)
      if (ImGui::Selectable(std::to_string(n).c_str(), n == e.stepCount)) e.stepCount = n;
    ImGui::EndCombo();
  }
  remember("steps-count");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(70);
  struct Res { const char* label; double beats; };
  static const Res resolutions[] = {{"1/8", 0.5}, {"1/16", 0.25}, {"1/32", 0.125}};
  const char* current = "1/16";
  for (const Res& r : resolutions)
    if (std::abs(r.beats - e.stepBeats) < 1e-9) current = r.label;
  if (ImGui::BeginCombo("Step", current)) {
    for (const Res& r : resolutions)
      if (ImGui::Selectable(r.label, r.label == current)) e.stepBeats = r.beats;
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(110);
  float swing = static_cast<float>(e.swing * 100.0);
  const bool swingChanged = ImGui::SliderFloat("Swing", &swing, 0.0f, 75.0f, "%.0f %%");
  if (ImGui::IsItemActivated()) beginEdit("Swing");  // one undo step per drag, recorded before it changes anything
  if (swingChanged) {
    // The notes on every second step move with the swing.
    const double before = e.swing, after = swing / 100.0, step = e.stepBeats;
    for (Note& n : clip.notes) {
      const int k = static_cast<int>(std::floor((n.start - clip.offset) / step + 1e-9));
      if (k % 2 == 1 && std::abs(n.start - (clip.offset + (k + before) * step)) < 0.4 * step) n.start = clip.offset + (k + after) * step;
    }
    e.swing = after;
    projectChanged();
  }
  remember("steps-swing");
  ImGui::SameLine();
  if (ImGui::Button("Clip = pattern")) {
    const double length = e.stepCount * e.stepBeats;
    command("Pattern length", [&](Project& p) { p.tracks[static_cast<std::size_t>(e.clip.track)].clips[static_cast<std::size_t>(e.clip.clip)].length = length; });
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Make the clip as long as the pattern");
  // The grid.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos(), avail = ImGui::GetContentRegionAvail();
  const float cellW = std::clamp((avail.x - kNameW - 8) / static_cast<float>(e.stepCount), 10.0f, 40.0f);
  const ImU32 colour = trackColour(track, e.clip.track);
  ImGuiIO& io = ImGui::GetIO();
  const ImVec2 m = io.MousePos;
  for (int k = 0; k < e.stepCount; ++k) {
    const float x = p0.x + kNameW + cellW * static_cast<float>(k);
    if (k % 4 == 0) {
      char label[8];
      std::snprintf(label, sizeof label, "%d", k + 1);
      dl->AddText(ImVec2(x + 2, p0.y), IM_COL32(160, 160, 170, 255), label);
    }
  }
  // The playing step.
  const double playBeat = contentBeat(clip, beatsNow() - clip.start);
  const int playing = s.playing && beatsNow() >= clip.start && beatsNow() < clip.start + clip.length
                          ? static_cast<int>(std::floor((playBeat - clip.offset) / e.stepBeats)) : -1;
  bool hoveredCell = false;
  for (std::size_t row = 0; row < voices.size(); ++row) {
    const float y = p0.y + kHeadH + kRowH * static_cast<float>(row);
    if (y > p0.y + avail.y) break;
    dl->AddText(ImVec2(p0.x + 4, y + 4), IM_COL32(210, 210, 220, 255), voices[row].name.c_str());
    for (int k = 0; k < e.stepCount; ++k) {
      const float x = p0.x + kNameW + cellW * static_cast<float>(k);
      const ImVec2 a(x + 1, y + 1), b(x + cellW - 1, y + kRowH - 1);
      const int note = noteAtStep(e, clip, voices[row].pitch, k);
      const bool beatStart = (k / 4) % 2 == 0;
      dl->AddRectFilled(a, b, beatStart ? IM_COL32(48, 48, 56, 255) : IM_COL32(40, 40, 47, 255), 2.0f);
      if (note >= 0) {
        const float v = static_cast<float>(clip.notes[static_cast<std::size_t>(note)].velocity);
        dl->AddRectFilled(ImVec2(a.x, b.y - (b.y - a.y) * std::max(0.3f, v)), b, shade(colour, 0.7f + 0.5f * v), 2.0f);
      }
      if (k == playing) dl->AddRect(a, b, IM_COL32(255, 255, 255, 160), 2.0f);
      s.rects["step:" + std::to_string(voices[row].pitch) + ":" + std::to_string(k)] = {a.x, a.y, b.x - a.x, b.y - a.y};
      const bool over = ImGui::IsWindowHovered() && m.x >= a.x && m.x < b.x + 2 && m.y >= a.y && m.y < b.y + 2;
      if (!over) continue;
      hoveredCell = true;
      const std::pair<int, int> cell{static_cast<int>(row), k};
      if (ImGui::IsMouseClicked(0)) {
        paint = Paint{};
        paint.active = true;
        const bool accent = io.KeyShift && note >= 0;
        paint.on = accent || note < 0;
        beginEdit(accent ? "Accent step" : paint.on ? "Add step" : "Clear step");
        if (accent) {
          Note& n = clip.notes[static_cast<std::size_t>(note)];
          n.velocity = n.velocity >= kAccent - 1e-9 ? kVelocity : kAccent;
          paint.active = false;
        } else {
          setStep(clip, e, voices[row].pitch, k, paint.on, io.KeyShift ? kAccent : kVelocity);
        }
        paint.done.insert(cell);
        projectChanged();
      } else if (paint.active && ImGui::IsMouseDown(0) && !paint.done.count(cell)) {
        setStep(clip, e, voices[row].pitch, k, paint.on, kVelocity);
        paint.done.insert(cell);
        projectChanged();
      }
    }
  }
  if (!ImGui::IsMouseDown(0)) paint.active = false;
  (void)hoveredCell;
  ImGui::Dummy(ImVec2(kNameW + cellW * static_cast<float>(e.stepCount), kHeadH + kRowH * static_cast<float>(voices.size())));
}

}  // namespace mixdown::ui
