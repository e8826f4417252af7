// The mixer (a strip per track in its colour: rack, routing, fader, pan, meters, mute and solo; the
// master), the mastering view's frame, and the lower panel that switches between them and the clip editor.
#include <algorithm>
#include <functional>

#include "Commands.h"
#include "Studio.h"
#include "Widgets.h"

namespace mixdown::ui {

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
    {  // the track's colour, as on its clips
      const ImVec2 at = ImGui::GetCursorScreenPos();
      const ImU32 colour = i >= 0 ? trackColour(s.project.tracks[static_cast<std::size_t>(i)], i) : IM_COL32(200, 200, 210, 255);
      ImGui::GetWindowDrawList()->AddRectFilled(at, ImVec2(at.x + stripW - 14, at.y + 4), colour, 2.0f);
      ImGui::Dummy(ImVec2(stripW - 14, 4));
    }
    if (i >= 0 && s.project.tracks[static_cast<std::size_t>(i)].instrument) {
      // An instrument track's name opens its instrument (presets, parameters): a button no taller than the
      // name, so every strip's fader keeps its place and travel.
      const bool open = s.instrumentTrack == i;
      ImGui::PushStyleColor(ImGuiCol_Button, open ? IM_COL32(150, 100, 50, 255) : IM_COL32(90, 70, 50, 255));
      if (ImGui::SmallButton((std::string(name) + "##instrument").c_str())) s.instrumentTrack = open ? -1 : i;
      ImGui::PopStyleColor();
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Open the instrument: presets and every parameter");
      remember("instrument:" + std::to_string(i));
    } else {
      ImGui::TextUnformatted(name);
    }
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
    samplerDropTarget(i);  // a sampler track's strip takes dropped audio as its samples
    ImGui::PopID();
    ImGui::SameLine(0, 14);
    return changed;
  };
  const StudioHooks& hooks = studioHooks();
  for (std::size_t i = 0; i < s.project.tracks.size(); ++i) {
    Track& t = s.project.tracks[i];
    const int index = static_cast<int>(i);
    const bool changedStrip = stripUi(index, (t.name.empty() ? t.id : t.name).c_str(), t.strip.gainDb, &t.strip.pan, &t.strip.mute,
                                      &t.strip.solo, 2 + 2 * index, [&] {
                                        drawInsertList(s.project.tracks[i], index, s.rack, hooks, [] { projectChanged(); });
                                        drawRouting(s.project, index, hooks, tryEdit);
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
  drawInsertEditor(
      s.project, s.rack, hooks, [] { projectChanged(); },
      [](int, int, const std::string&, double) { projectChanged(); },
      tryEdit);
}

void drawMastering() {
  Studio& s = studio();
  ImGui::BeginChild("mastering", ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
  drawMasteringView(s.project, s.mastering, studioHooks());
  ImGui::EndChild();
}

// Mixer, mastering or the clip editor below the tracks, chosen with tab-like buttons (rectangles named
// for tests).
void drawLowerPanel() {
  Studio& s = studio();
  const std::pair<LowerView, const char*> tabs[] = {{LowerView::Mixer, "Mixer"}, {LowerView::Mastering, "Mastering"}, {LowerView::Editor, "Clip"}};
  for (const auto& [view, label] : tabs) {
    const bool active = s.lower == view;
    ImGui::PushStyleColor(ImGuiCol_Button, active ? IM_COL32(70, 100, 160, 255) : IM_COL32(50, 50, 60, 255));
    if (ImGui::Button(label)) s.lower = view;
    ImGui::PopStyleColor();
    remember(view == LowerView::Mixer ? "tab:mixer" : view == LowerView::Mastering ? "tab:mastering" : "tab:clip");
    ImGui::SameLine();
  }
  ImGui::NewLine();
  if (s.lower == LowerView::Mastering) drawMastering();
  else if (s.lower == LowerView::Editor) drawClipEditor();
  else drawMixer();
}

}  // namespace mixdown::ui
