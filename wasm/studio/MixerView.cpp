// The mixer (a strip per track in its colour: rack, routing, fader, pan, meters, mute and solo; the
// master), the mastering view's frame, and the lower panel that switches between them and the clip editor.
#include <algorithm>
#include <functional>

#include "Commands.h"
#include "Controls.h"
#include "Studio.h"
#include "Theme.h"
#include "Widgets.h"
#include "imgui_internal.h"  // RenderTextEllipsis

namespace mixdown::ui {

void drawMixer() {
  Studio& s = studio();
  ImGui::BeginChild("mixer", ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
  const float stripW = kStripWidth;  // fixed: the mixer scrolls sideways rather than squeezing strips
  // Signal-flow order, as on a console: the rack (inserts, then output and sends) at the top of every
  // strip, in a band as tall as the fullest rack so the faders line up; the faders take what height is
  // left (220 px at most, 90 at least; below that the mixer scrolls). The band's height is the tallest
  // rack as drawn in the previous frame (gain reduction bars add to a rack's height).
  static float measuredRackH = 0.0f;
  const float row = ImGui::GetFrameHeightWithSpacing();
  const float rackH = std::max(measuredRackH, 3 * row);
  float tallestRack = 0.0f;
  const float knobH = 34.0f + 2.0f + kSmallFontSize + 2.0f + ImGui::GetStyle().ItemSpacing.y;  // an unnamed knob
  const float below = ImGui::GetTextLineHeightWithSpacing() + knobH + row + ImGui::GetStyle().ItemSpacing.y + ImGui::GetStyle().ScrollbarSize;
  const float faderH = std::clamp(ImGui::GetContentRegionAvail().y - rackH - below - ImGui::GetTextLineHeightWithSpacing() * 2 - 4, 80.0f, 220.0f);
  auto stripUi = [&](int i, const char* name, double& gainDb, double* pan, bool* mute, bool* solo, int meterIndex,
                     const std::function<void()>& rack) {
    ImGui::PushID(i);
    const ImVec2 stripTop = ImGui::GetCursorScreenPos();
    ImGui::BeginGroup();
    const ImU32 colour = i >= 0 ? trackColour(s.project.tracks[static_cast<std::size_t>(i)], i) : IM_COL32(200, 200, 210, 255);
    {  // the track's colour, as on its clips
      const ImVec2 at = ImGui::GetCursorScreenPos();
      ImGui::GetWindowDrawList()->AddRectFilled(at, ImVec2(at.x + stripW, at.y + 4), colour, 2.0f);
      ImGui::Dummy(ImVec2(stripW, 4));
    }
    if (i >= 0 && s.project.tracks[static_cast<std::size_t>(i)].instrument) {
      // An instrument track's name opens its instrument (presets, parameters): a button no taller than the
      // name, so every strip's fader keeps its place and travel.
      const bool open = s.instrumentTrack == i;
      ImGui::PushStyleColor(ImGuiCol_Button, open ? colour::kAccent : colour::kControl);
      ImGui::PushStyleVar(ImGuiStyleVar_ButtonTextAlign, ImVec2(0.0f, 0.5f));
      const ImVec2 at = ImGui::GetCursorScreenPos();
      const bool clicked = ImGui::Button("##instrument", ImVec2(stripW, ImGui::GetTextLineHeight() + 2));
      ImGui::PopStyleVar();
      ImGui::PopStyleColor();
      if (clicked) s.instrumentTrack = open ? -1 : i;
      const ImVec2 nameSize = ImGui::CalcTextSize(name);
      ImGui::PushFont(fonts().semibold);
      ImGui::RenderTextEllipsis(ImGui::GetWindowDrawList(), ImVec2(at.x + 5, at.y + 1), ImVec2(at.x + stripW - 14, at.y + 1 + nameSize.y),
                                at.x + stripW - 14, at.x + stripW - 14, name, nullptr, nullptr);
      ImGui::PopFont();
      ImGui::GetWindowDrawList()->AddTriangleFilled(ImVec2(at.x + stripW - 10, at.y + 6), ImVec2(at.x + stripW - 4, at.y + 6),
                                                    ImVec2(at.x + stripW - 7, at.y + 10), colour::kTextDim);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s: open the instrument (presets and every parameter)", name);
      remember("instrument:" + std::to_string(i));
    } else {
      ImGui::PushFont(fonts().semibold);
      fittedText(name, stripW);
      ImGui::PopFont();
    }
    const float rackTop = ImGui::GetCursorPosY();
    if (rack) rack();
    tallestRack = std::max(tallestRack, ImGui::GetCursorPosY() - rackTop);
    ImGui::SetCursorPosY(rackTop + rackH);
    // The level, never truncated, above the fader; the fader and the two meters side by side.
    {
      char level[16];
      if (gainDb <= -60.0) std::snprintf(level, sizeof level, "-inf dB");
      else std::snprintf(level, sizeof level, "%.1f dB", gainDb);
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(colour::kText), "%s", level);
    }
    double level = gainDb;  // the control edits a copy: the undo step records the project before it
    const ControlEdit f = fader("##fader", level, ImVec2(52, faderH));
    remember(i < 0 ? "fader:master" : "fader:" + std::to_string(i));
    if (f.began) beginEdit(f.label);
    if (f.changed) gainDb = level;
    bool changed = f.changed;
    ImGui::SameLine(0, 4);
    const std::string holdKey = i < 0 ? "master" : s.project.tracks[static_cast<std::size_t>(i)].id;
    meterWithHold("##ml", peakOf(meterIndex), ImVec2(9, faderH), rmsOf(meterIndex), holdKey + "/l");
    ImGui::SameLine(0, 2);
    meterWithHold("##mr", peakOf(meterIndex + 1), ImVec2(9, faderH), rmsOf(meterIndex + 1), holdKey + "/r");
    remember(i < 0 ? "meter:master" : "meter:" + std::to_string(i));
    if (pan) {
      ControlRange range;
      range.min = -1.0;
      range.max = 1.0;
      range.format = [](double p) {
        char text[16];
        const int percent = static_cast<int>(std::lround(std::abs(p) * 100));
        if (percent == 0) return std::string("C");
        std::snprintf(text, sizeof text, "%c%d", p < 0 ? 'L' : 'R', percent);
        return std::string(text);
      };
      double p = *pan;
      const ControlEdit e = knob("##pan", "", range, p, stripW);  // its place says it is the pan (the tooltip too)
      if (e.began) beginEdit(e.label == "Reset " ? "Centre pan" : "Pan");
      if (e.changed) {
        *pan = std::clamp(p, -1.0, 1.0);
        changed = true;
      }
      remember("pan:" + std::to_string(i));
    } else {
      ImGui::Dummy(ImVec2(stripW, knobH - ImGui::GetStyle().ItemSpacing.y));
    }
    if (mute && solo) {
      const float half = (stripW - ImGui::GetStyle().ItemSpacing.x) * 0.5f;
      changed |= toggleButton("Mute", false, *mute, kMuteColour, "Mute", "Unmute", "mixer-mute:" + std::to_string(i), half);
      ImGui::SameLine();
      changed |= toggleButton("Solo", false, *solo, kSoloColour, "Solo", "Unsolo", "mixer-solo:" + std::to_string(i), half);
    }
    ImGui::EndGroup();
    if (i >= 0 && i == s.revealStrip) {  // a new track: its strip comes into view (the arrangement shows its row)
      // Asked again until it is in view: a mixer drawn for the first time in a while clamps the scroll to
      // the content it had then. At most 10 frames (a strip wider than the window never fits).
      static int tries = 0;
      const ImRect r(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
      if (ImGui::GetCurrentWindow()->InnerClipRect.Contains(r) || ++tries > 10) {
        s.revealStrip = -1;
        tries = 0;
      } else {
        ImGui::ScrollToItem(ImGuiScrollFlags_KeepVisibleEdgeX);
      }
    }
    samplerDropTarget(i);  // a sampler track's strip takes dropped audio as its samples
    {  // the strip's panel, behind it, and a line between strips
      const ImVec2 end = ImGui::GetItemRectMax();
      ImDrawList* dl = ImGui::GetWindowDrawList();
      dl->AddLine(ImVec2(end.x + 6, stripTop.y), ImVec2(end.x + 6, end.y), colour::kBorder);
    }
    ImGui::PopID();
    ImGui::SameLine(0, 12);
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
  // What the strips need to keep a 120 px fader, for the split's automatic height (StudioApp.cpp).
  s.mixerWants = ImGui::GetStyle().WindowPadding.y * 2 + ImGui::GetFrameHeightWithSpacing() +  // the tabs above
                 rackH + below + ImGui::GetTextLineHeightWithSpacing() * 2 + 4 + 120.0f;
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
