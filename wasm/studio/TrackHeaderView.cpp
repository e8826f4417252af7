#include "TrackHeaderView.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "AutomationLaneView.h"
#include "Commands.h"
#include "Controls.h"
#include "LiveRecording.h"
#include "Studio.h"
#include "Widgets.h"
#include "devices/Registry.h"

namespace mixdown::ui {

float HeaderArea::rowY(int row) const { return laneY + kTrackRowH * static_cast<float>(row) - studio().scrollY; }

namespace {

// A header being dragged to reorder the tracks.
struct Reorder {
  bool active = false;
  int fromRow = -1;
  ImVec2 from;
};
Reorder reorder;

void addTrackButton(const HeaderArea& L) {
  ImGui::SetCursorScreenPos(ImVec2(L.left + 4, L.top + 1));
  if (ImGui::SmallButton("+ Track")) ImGui::OpenPopup("add-track");
  remember("add-track");
  // The tempo lane's switch (a view setting, not an edit): lit while shown.
  Studio& st = studio();
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Button, st.showTempoLane ? IM_COL32(170, 110, 40, 255) : IM_COL32(60, 60, 70, 255));
  if (ImGui::SmallButton("Tempo")) st.showTempoLane = !st.showTempoLane;
  ImGui::PopStyleColor();
  remember("tempo-toggle");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(st.showTempoLane ? "Hide the tempo lane" : "Show the tempo lane (the tempo map under the ruler)");
  if (ImGui::BeginPopup("add-track")) {
    for (const DeviceDescriptor* d : deviceDescriptors()) {
      if (d->kind != DeviceKind::Instrument) continue;
      if (ImGui::MenuItem((d->name + " (instrument)").c_str())) addTrack(TrackKind::Instrument, d->id);
      remember("add-track-item:" + d->id);
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Audio track")) addTrack(TrackKind::Audio);
    remember("add-track-item:audio");
    if (ImGui::MenuItem("Bus")) addTrack(TrackKind::Bus);
    remember("add-track-item:bus");
    ImGui::EndPopup();
  }
}

void drawHeader(const HeaderArea& L, int i, float y, ImDrawList* dl) {
  Studio& s = studio();
  Track& t = s.project.tracks[static_cast<std::size_t>(i)];
  const ImU32 colour = trackColour(t, i);
  const bool isSelected = s.selectedTrack == i;
  dl->AddRectFilled(ImVec2(L.left, y), ImVec2(L.laneX - 2, y + kTrackRowH - 1), isSelected ? IM_COL32(52, 52, 62, 255) : IM_COL32(38, 38, 45, 255));
  dl->AddRectFilled(ImVec2(L.left, y), ImVec2(L.left + 5, y + kTrackRowH - 1), colour);
  // The whole header is the handle: click selects, drag reorders; the controls on it take their clicks.
  ImGui::SetCursorScreenPos(ImVec2(L.left, y));
  ImGui::SetNextItemAllowOverlap();
  ImGui::InvisibleButton("header", ImVec2(kTrackHeaderW - 2, kTrackRowH - 1));
  remember("track-header:" + std::to_string(i));
  samplerDropTarget(i);
  if (ImGui::IsItemClicked(0)) {
    s.selectedTrack = i;
    reorder = Reorder{true, i, ImGui::GetIO().MousePos};
  }
  if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(0)) {
    s.renamingTrack = i;
    std::snprintf(s.renameBuffer, sizeof s.renameBuffer, "%s", t.name.c_str());
  }
  if (ImGui::IsItemClicked(1)) {
    s.selectedTrack = i;
    ImGui::OpenPopup("track-menu");
  }
  if (ImGui::BeginPopup("track-menu")) {
    if (ImGui::MenuItem("Rename")) {
      s.renamingTrack = i;
      std::snprintf(s.renameBuffer, sizeof s.renameBuffer, "%s", t.name.c_str());
    }
    if (ImGui::MenuItem("Duplicate")) duplicateTrack(i);
    remember("track-menu-duplicate:" + std::to_string(i));
    if (ImGui::MenuItem("Delete")) deleteTrack(i);
    remember("track-menu-delete:" + std::to_string(i));
    ImGui::Separator();
    const auto& palette = trackPalette();
    for (std::size_t k = 0; k < palette.size(); ++k) {
      ImGui::PushID(static_cast<int>(k));
      Track swatch;
      swatch.color = palette[k];
      const ImU32 c = trackColour(swatch, 0);
      ImGui::PushStyleColor(ImGuiCol_Button, c);
      if (ImGui::Button("  ")) {
        setTrackColour(i, palette[k]);
        ImGui::CloseCurrentPopup();
      }
      remember("track-colour:" + std::to_string(i) + ":" + std::to_string(k));
      ImGui::PopStyleColor();
      ImGui::PopID();
      if (k % 6 != 5) ImGui::SameLine();
    }
    ImGui::EndPopup();
  }
  if (t.kind == TrackKind::Audio || t.kind == TrackKind::Bus) {
    const char* kind = t.kind == TrackKind::Audio ? "audio" : "bus";
    dl->AddText(ImVec2(L.laneX - 40, y + 5), IM_COL32(130, 130, 140, 255), kind);
  }
  ImGui::SetCursorScreenPos(ImVec2(L.left + 10, y + 4));
  if (s.renamingTrack == i) {
    ImGui::SetNextItemWidth(kTrackHeaderW - 20);
    ImGui::SetKeyboardFocusHere();
    if (ImGui::InputText("##rename", s.renameBuffer, sizeof s.renameBuffer, ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll)) {
      renameTrack(i, s.renameBuffer);
      s.renamingTrack = -1;
    } else if (ImGui::IsItemDeactivated() || ImGui::IsKeyPressed(ImGuiKey_Escape)) {
      if (!ImGui::IsKeyPressed(ImGuiKey_Escape)) renameTrack(i, s.renameBuffer);
      s.renamingTrack = -1;
    }
    remember("rename:" + std::to_string(i));
  } else {
    ImGui::PushFont(fonts().semibold);
    fittedText(t.name.empty() ? t.id : t.name, L.laneX - 44 - ImGui::GetCursorScreenPos().x);  // whole on hover
    ImGui::PopFont();
  }
  ImGui::SetCursorScreenPos(ImVec2(L.left + 10, y + 24));
  toggleButton("M", true, t.strip.mute, kMuteColour, "Mute", "Unmute", "mute:" + std::to_string(i));
  ImGui::SameLine();
  toggleButton("S", true, t.strip.solo, kSoloColour, "Solo", "Unsolo", "solo:" + std::to_string(i));
  ImGui::SameLine();
  // "A": shows the track's automation (its first lane, else gain); when shown, a menu of every target
  // (lit: has points) and Hide. A view switch, not an edit: no undo step.
  auto shown = s.automationShown.find(t.id);
  const bool showLane = shown != s.automationShown.end();
  ImGui::PushStyleColor(ImGuiCol_Button, showLane ? IM_COL32(60, 160, 90, 255) : t.automation.empty() ? IM_COL32(60, 60, 70, 255) : IM_COL32(60, 100, 75, 255));
  if (ImGui::Button("A", ImVec2(22.0f, std::min(ImGui::GetFrameHeight(), 20.0f)))) {
    if (!showLane) s.automationShown[t.id] = t.automation.empty() ? "gain" : t.automation.front().target;
    else ImGui::OpenPopup("automation-menu");
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(showLane ? "Automation: pick a lane or hide" : "Show automation");
  ImGui::PopStyleColor();
  if (ImGui::BeginPopup("automation-menu")) {
    // Gain and pan, then one submenu per insert with its parameters (an EQ alone has 41: a flat list
    // would run off the screen). "*" marks a lane with points, on the item and on its device.
    const auto targets = laneTargets(t);
    auto hasPoints = [&](const std::string& target) {
      return std::any_of(t.automation.begin(), t.automation.end(), [&](const AutomationLane& l) { return l.target == target && !l.points.empty(); });
    };
    auto item = [&](const LaneTarget& lt) {
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
  if (t.kind == TrackKind::Instrument || t.kind == TrackKind::Audio) {  // arm for live playing and recording (a view setting: no undo step)
    ImGui::SameLine();
    const bool armed = trackArmed(t.id);
    ImGui::PushStyleColor(ImGuiCol_Button, armed ? IM_COL32(210, 50, 50, 255) : IM_COL32(60, 60, 70, 255));
    if (ImGui::SmallButton("R")) toggleArm(i);
    ImGui::PopStyleColor();
    remember("arm:" + std::to_string(i));
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s", armed ? "Disarm"
                              : t.kind == TrackKind::Audio ? "Arm: opens the audio input (its panel: device, meter, monitor), Record records it here"
                                                           : "Arm: the keyboard and MIDI play this track, Record records here");
  }
  ImGui::SameLine();
  meter("##trackmeter", std::max(peakOf(2 + 2 * i), peakOf(3 + 2 * i)), ImVec2(60, 6));
}

// Track reordering by dragging a header: a line shows where it goes; released, one Move track.
void reorderDrag(const HeaderArea& L, ImDrawList* dl) {
  Studio& s = studio();
  if (!reorder.active) return;
  const ImVec2 m = ImGui::GetIO().MousePos;
  const int n = static_cast<int>(s.project.tracks.size());
  const int to = std::clamp(static_cast<int>(std::lround((m.y - L.laneY + s.scrollY) / kTrackRowH)), 0, n);
  const bool dragging = ImGui::IsMouseDragging(0, 4.0f);
  if (dragging) {
    const float y = L.rowY(to);
    dl->AddLine(ImVec2(L.left, y), ImVec2(L.right, y), IM_COL32(120, 170, 255, 255), 3.0f);
  }
  if (!ImGui::IsMouseDown(0)) {
    const int target = to > reorder.fromRow ? to - 1 : to;
    if (std::abs(m.y - reorder.from.y) >= 4.0f && target != reorder.fromRow) moveTrack(reorder.fromRow, target);
    reorder.active = false;
  }
}

}  // namespace

void drawTrackHeaders(const HeaderArea& L) {
  Studio& s = studio();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImGui::PushClipRect(ImVec2(L.left, L.laneY), ImVec2(L.laneX, L.bottom), true);
  for (std::size_t i = 0; i < s.project.tracks.size(); ++i) {
    const float y = L.rowY(static_cast<int>(i));
    if (y + kTrackRowH < L.laneY || y > L.bottom) continue;
    ImGui::PushID(static_cast<int>(i));
    drawHeader(L, static_cast<int>(i), y, dl);
    ImGui::PopID();
  }
  ImGui::PopClipRect();
  reorderDrag(L, dl);
}

void drawAddTrackButton(const HeaderArea& L) { addTrackButton(L); }

}  // namespace mixdown::ui
