#include "Widgets.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "Studio.h"
#include "dsp/Decibels.h"
#include "engine/Timeline.h"

namespace mixdown::ui {

void meter(const char* id, float linear, ImVec2 size, float rms) {
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

bool toggleButton(const char* label, bool small, bool& on, ImU32 onColour, const char* onVerb, const char* offVerb,
                  const std::string& rectName, float width) {
  ImGui::PushStyleColor(ImGuiCol_Button, on ? onColour : colour::kControl);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, on ? shade(onColour, 1.12f) : colour::kControlHover);
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, on ? shade(onColour, 0.9f) : colour::kControlActive);
  ImGui::PushStyleColor(ImGuiCol_Text, on ? colour::kTextOnLight : colour::kText);
  const float h = ImGui::GetFrameHeight();
  const bool clicked = ImGui::Button(label, ImVec2(width > 0 ? width : small ? 22.0f : 0.0f, small ? std::min(h, 20.0f) : 0.0f));
  if (clicked) {
    beginEdit(on ? offVerb : onVerb);
    on = !on;
  }
  ImGui::PopStyleColor(4);
  remember(rectName);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", on ? offVerb : onVerb);
  return clicked;
}

const std::vector<std::string>& trackPalette() {
  static const std::vector<std::string> palette = {"#e8684a", "#f0a23b", "#e8d14a", "#8fd14f", "#3fbf8f", "#3fb6d9",
                                                    "#5a8de8", "#8a6ee8", "#c465d9", "#e0609a", "#a0a0a8", "#c8a27a"};
  return palette;
}

namespace {
bool parseColour(const std::string& text, ImU32& out) {
  if (text.size() != 7 || text[0] != '#') return false;
  unsigned r = 0, g = 0, b = 0;
  if (std::sscanf(text.c_str() + 1, "%2x%2x%2x", &r, &g, &b) != 3) return false;
  out = IM_COL32(r, g, b, 255);
  return true;
}
}  // namespace

ImU32 trackColour(const Track& track, int index) {
  ImU32 c = 0;
  if (parseColour(track.color, c)) return c;
  const auto& palette = trackPalette();
  parseColour(palette[static_cast<std::size_t>(std::max(0, index)) % palette.size()], c);
  return c;
}

ImU32 shade(ImU32 colour, float factor) {
  ImVec4 c = ImGui::ColorConvertU32ToFloat4(colour);
  auto f = [&](float v) { return factor <= 1.0f ? v * factor : v + (1.0f - v) * (factor - 1.0f); };
  return ImGui::ColorConvertFloat4ToU32(ImVec4(f(c.x), f(c.y), f(c.z), c.w));
}

void drawTimeGrid(ImDrawList* dl, const Project& project, double sampleRate, float x0, float x1, float y0, float y1,
                  double firstBeat, float pixelsPerBeat, const Grid& grid) {
  const Timeline timeline(project, sampleRate);
  const double lastBeat = firstBeat + (x1 - x0) / pixelsPerBeat;
  auto xOf = [&](double beat) { return x0 + static_cast<float>((beat - firstBeat) * pixelsPerBeat); };
  const double step = grid.beats();
  if (step > 0 && step * pixelsPerBeat >= 6.0)
    for (double b = std::floor(firstBeat / step) * step; b <= lastBeat; b += step)
      dl->AddLine(ImVec2(xOf(b), y0), ImVec2(xOf(b), y1), IM_COL32(255, 255, 255, 10));
  if (pixelsPerBeat >= 6.0f)
    for (double b = std::floor(firstBeat); b <= lastBeat; b += 1.0)
      dl->AddLine(ImVec2(xOf(b), y0), ImVec2(xOf(b), y1), IM_COL32(255, 255, 255, 22));
  const int firstBar = std::max(1, timeline.positionOf(std::max(0.0, firstBeat)).bar);
  for (int bar = firstBar; timeline.barStartBeat(bar) <= lastBeat && bar < firstBar + 100000; ++bar)
    dl->AddLine(ImVec2(xOf(timeline.barStartBeat(bar)), y0), ImVec2(xOf(timeline.barStartBeat(bar)), y1), IM_COL32(255, 255, 255, 45));
}

std::string noteName(int pitch) {
  static const char* const names[12] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
  const int p = std::clamp(pitch, 0, 127);
  return std::string(names[p % 12]) + std::to_string(p / 12 - 1);
}

Grid activeGrid(const Grid& grid) {
  if (ImGui::GetIO().KeyAlt) return Grid{0.0, false};
  return grid;
}

}  // namespace mixdown::ui
