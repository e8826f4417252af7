// The tempo lane, under the ruler: the tempo map drawn as a line over the song (BPM up), a point per
// tempo change, and the song's start tempo as the first point (on beat 0).
//   Double-click empty space: a tempo point there (its beat on the snap grid, its BPM where the pointer
//   is, whole BPM), with the shape chosen in the lane's header (Step: the tempo jumps there; Ramp: it
//   glides there linearly from the point before). Drag a point: move it between its neighbours and up or
//   down in BPM (the start point only up or down: the song's tempo); Alt places freely (no grid, 0.01
//   BPM), Shift drags finely (0.1 BPM per pixel). Click a point to select it: Step / Ramp in the header switch its shape, Delete removes it;
//   right-click removes it at once. Every gesture is one undo step.
// The range shown is the map's lowest and highest BPM with 20 BPM of room, on tens; it holds still while
// a point is dragged, so the point follows the pointer.
#include "TempoLaneView.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "Commands.h"
#include "Studio.h"
#include "Widgets.h"
#include "engine/Timeline.h"

namespace mixdown::ui {

namespace {

constexpr float kPad = 4.0f;        // pixels above the top BPM and below the bottom one
constexpr float kPointRadius = 4.0f, kHitRadius = 7.0f;

struct Range {
  double lo = 70, hi = 170;
};

Range rangeOf(const Project& p) {
  double mn = p.tempo, mx = p.tempo;
  for (const TempoPoint& t : p.tempoChanges) mn = std::min(mn, t.bpm), mx = std::max(mx, t.bpm);
  return {std::max(0.0, std::floor(mn / 10) * 10 - 20), std::ceil(mx / 10) * 10 + 20};
}

struct LaneMap {
  const TempoLaneArea& a;
  Range r;
  float xOf(double beat) const { return a.laneX + static_cast<float>((beat - a.firstBeat) * a.pixelsPerBeat); }
  double beatOf(float x) const { return a.firstBeat + (x - a.laneX) / a.pixelsPerBeat; }
  float pxPerBpm() const { return static_cast<float>((a.bottom - a.top - 2 * kPad) / (r.hi - r.lo)); }
  float yOf(double bpm) const { return a.top + kPad + static_cast<float>(r.hi - bpm) * pxPerBpm(); }
  double bpmOf(float y) const { return r.hi - (y - a.top - kPad) / pxPerBpm(); }
};

// A point's beat and BPM; index -1 is the song's start tempo (beat 0).
struct PointRef {
  double beat, bpm;
};
PointRef pointAt(const Project& p, int index) {
  if (index < 0) return {0.0, p.tempo};
  const TempoPoint& t = p.tempoChanges[static_cast<std::size_t>(index)];
  return {t.beat, t.bpm};
}

// The point under the pointer (-1 the start tempo), or -2 for none.
int hitPoint(const Project& p, const LaneMap& M, ImVec2 m) {
  int best = -2;
  float bestD = kHitRadius;
  for (int i = -1; i < static_cast<int>(p.tempoChanges.size()); ++i) {
    const PointRef q = pointAt(p, i);
    const float d = std::hypot(M.xOf(q.beat) - m.x, M.yOf(q.bpm) - m.y);
    if (d <= bestD) best = i, bestD = d;
  }
  return best;
}

struct TempoDrag {
  bool active = false;
  int point = -2;
  ImVec2 from;
  Project origin;
  Range range;
  bool recorded = false;
};
TempoDrag drag;
TempoShape newShape = TempoShape::Step;

void drawCurve(const Project& p, const LaneMap& M, ImDrawList* dl) {
  const ImU32 line = IM_COL32(240, 170, 70, 255), fill = IM_COL32(240, 170, 70, 36);
  const float base = M.a.bottom;
  auto segment = [&](double b0, double v0, double b1, double v1) {
    const ImVec2 p0(M.xOf(b0), M.yOf(v0)), p1(M.xOf(b1), M.yOf(v1));
    if (p1.x < M.a.laneX || p0.x > M.a.right) return;
    dl->AddQuadFilled(ImVec2(p0.x, base), p0, p1, ImVec2(p1.x, base), fill);
    dl->AddLine(p0, p1, line, 1.5f);
  };
  double beat = 0.0, bpm = p.tempo;
  for (const TempoPoint& t : p.tempoChanges) {
    if (t.shape == TempoShape::Linear) {
      segment(beat, bpm, t.beat, t.bpm);
    } else {
      segment(beat, bpm, t.beat, bpm);
      dl->AddLine(ImVec2(M.xOf(t.beat), M.yOf(bpm)), ImVec2(M.xOf(t.beat), M.yOf(t.bpm)), line, 1.5f);
    }
    beat = t.beat, bpm = t.bpm;
  }
  segment(beat, bpm, std::max(beat, M.beatOf(M.a.right)), bpm);
}

void drawPoints(const Project& p, const LaneMap& M, ImDrawList* dl, int hovered) {
  Studio& s = studio();
  for (int i = -1; i < static_cast<int>(p.tempoChanges.size()); ++i) {
    const PointRef q = pointAt(p, i);
    const ImVec2 c(M.xOf(q.beat), M.yOf(q.bpm));
    if (c.x < M.a.laneX - kPointRadius || c.x > M.a.right + kPointRadius) continue;
    const bool sel = i >= 0 && i == s.selectedTempoPoint;
    dl->AddCircleFilled(c, kPointRadius + (i == hovered ? 1.0f : 0.0f), sel ? IM_COL32(255, 255, 255, 255) : IM_COL32(240, 170, 70, 255));
    if (sel) dl->AddCircle(c, kPointRadius + 2.5f, IM_COL32(255, 255, 255, 200), 0, 1.5f);
    char label[16];
    std::snprintf(label, sizeof label, "%g", std::round(q.bpm * 100) / 100);
    const float ty = std::clamp(c.y - 14.0f, M.a.top, M.a.bottom - 13.0f);
    dl->AddText(ImGui::GetFont(), ImGui::GetFontSize() * 0.85f, ImVec2(c.x + 6, ty), IM_COL32(230, 230, 235, 220), label);
    s.rects["tempo-point:" + std::to_string(i)] = {c.x - kPointRadius, c.y - kPointRadius, 2 * kPointRadius, 2 * kPointRadius};
  }
}

// The header column: the lane's name, the shape switch and the range.
void drawHeader(const TempoLaneArea& a, const Range& r, ImDrawList* dl) {
  Studio& s = studio();
  dl->AddRectFilled(ImVec2(a.left, a.top), ImVec2(a.laneX - 2, a.bottom - 1), IM_COL32(38, 38, 45, 255));
  dl->AddRectFilled(ImVec2(a.left, a.top), ImVec2(a.left + 5, a.bottom - 1), IM_COL32(240, 170, 70, 255));
  dl->AddText(ImVec2(a.left + 10, a.top + 3), IM_COL32(220, 220, 228, 255), "Tempo");
  char range[24];
  std::snprintf(range, sizeof range, "%.0f", r.hi);
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize() * 0.8f, ImVec2(a.laneX - 28, a.top + 1), IM_COL32(140, 140, 150, 255), range);
  std::snprintf(range, sizeof range, "%.0f", r.lo);
  dl->AddText(ImGui::GetFont(), ImGui::GetFontSize() * 0.8f, ImVec2(a.laneX - 28, a.bottom - 13), IM_COL32(140, 140, 150, 255), range);
  // Step / Ramp: the selected point's shape (one undo step), and the shape of points added next.
  const bool selected = s.selectedTempoPoint >= 0 && static_cast<std::size_t>(s.selectedTempoPoint) < s.project.tempoChanges.size();
  const TempoShape shown = selected ? s.project.tempoChanges[static_cast<std::size_t>(s.selectedTempoPoint)].shape : newShape;
  auto shapeButton = [&](const char* label, TempoShape shape, const char* tip, const char* rect) {
    ImGui::PushStyleColor(ImGuiCol_Button, shown == shape ? IM_COL32(170, 110, 40, 255) : IM_COL32(60, 60, 70, 255));
    if (ImGui::SmallButton(label)) {
      newShape = shape;
      if (selected) setTempoPointShape(s.selectedTempoPoint, shape);
    }
    ImGui::PopStyleColor();
    remember(rect);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
  };
  ImGui::SetCursorScreenPos(ImVec2(a.left + 62, a.top + 2));
  shapeButton("Step", TempoShape::Step, "The tempo jumps at the point (the selected one, and new ones)", "tempo-step");
  ImGui::SameLine(0, 3);
  shapeButton("Ramp", TempoShape::Linear, "The tempo glides to the point from the one before (the selected one, and new ones)", "tempo-ramp");
}

// Drag of point `drag.point`: from where it was by the pointer's travel, between its neighbours.
void followDrag(const LaneMap& M, ImVec2 m) {
  Studio& s = studio();
  if (!drag.recorded) {
    s.history.record(drag.point < 0 ? "Change tempo" : "Move tempo point", drag.origin);
    s.unsaved = true;
    drag.recorded = true;
  }
  const bool free = ImGui::GetIO().KeyAlt, fine = ImGui::GetIO().KeyShift;
  const PointRef q = pointAt(drag.origin, drag.point);
  // The point follows the pointer in whole BPM; Shift: 0.1 BPM per pixel (the lane is short); Alt: free.
  double bpm = q.bpm + (drag.from.y - m.y) * (fine ? 0.1 : 1.0 / M.pxPerBpm());
  bpm = std::clamp(free ? std::round(bpm * 100) / 100 : fine ? std::round(bpm * 10) / 10 : std::round(bpm), 20.0, 999.0);
  Project p = drag.origin;
  if (drag.point < 0) {
    p.tempo = bpm;
  } else {
    const auto& pts = drag.origin.tempoChanges;
    const auto i = static_cast<std::size_t>(drag.point);
    const double lo = (i > 0 ? pts[i - 1].beat : 0.0) + 1.0 / 64, hi = i + 1 < pts.size() ? pts[i + 1].beat - 1.0 / 64 : kMaxSongBeats;
    const double beat = snap(q.beat + (m.x - drag.from.x) / M.a.pixelsPerBeat, activeGrid(s.grid));
    p.tempoChanges[i].beat = std::clamp(beat, lo, std::max(lo, hi));
    p.tempoChanges[i].bpm = bpm;
  }
  s.project = std::move(p);
  projectChanged();
}

}  // namespace

void drawTempoLane(const TempoLaneArea& a) {
  if (a.bottom - a.top < 8.0f || a.right - a.laneX < 1.0f) return;  // no room to draw (or click) in
  Studio& s = studio();
  Project& p = s.project;
  if (s.selectedTempoPoint >= static_cast<int>(p.tempoChanges.size())) s.selectedTempoPoint = -1;
  LaneMap M{a, drag.active ? drag.range : rangeOf(p)};
  ImDrawList* dl = ImGui::GetWindowDrawList();
  drawHeader(a, M.r, dl);
  dl->PushClipRect(ImVec2(a.laneX, a.top), ImVec2(a.right, a.bottom), true);
  dl->AddRectFilled(ImVec2(a.laneX, a.top), ImVec2(a.right, a.bottom), IM_COL32(30, 30, 35, 255));
  drawTimeGrid(dl, p, s.sampleRate, a.laneX, a.right, a.top, a.bottom, a.firstBeat, a.pixelsPerBeat, Grid{0.0, false});
  ImGui::SetCursorScreenPos(ImVec2(a.laneX, a.top));
  ImGui::InvisibleButton("tempo-lane", ImVec2(std::max(1.0f, a.right - a.laneX), a.bottom - a.top), ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  remember("tempo-lane");
  s.rects["tempo-geometry"] = {static_cast<float>(a.firstBeat), static_cast<float>(M.r.hi), a.pixelsPerBeat, M.pxPerBpm()};  // beat at x, BPM at y + kPad, px/beat, px/BPM
  const ImVec2 m = ImGui::GetIO().MousePos;
  const bool hovered = ImGui::IsItemHovered();
  const int hit = hovered && !drag.active ? hitPoint(p, M, m) : -2;
  if (hovered && ImGui::IsMouseDoubleClicked(0) && hit == -2) {
    const double beat = snap(std::max(0.0, M.beatOf(m.x)), activeGrid(s.grid));
    if (beat > 0) addTempoPoint(beat, std::round(M.bpmOf(m.y)), newShape);
  } else if (hovered && ImGui::IsMouseClicked(0)) {
    s.selectedClips.clear();
    s.selectedTempoPoint = hit >= 0 ? hit : -1;
    if (hit != -2) drag = TempoDrag{true, hit, m, p, M.r, false};
  } else if (hovered && ImGui::IsMouseClicked(1) && hit >= 0) {
    deleteTempoPoint(hit);
  }
  if (drag.active) {
    if (ImGui::IsMouseDragging(0, 2.0f) || drag.recorded) followDrag(M, m);
    if (!ImGui::IsMouseDown(0)) drag.active = false;
  }
  drawCurve(s.project, M, dl);
  drawPoints(s.project, M, dl, drag.active ? drag.point : hit);
  if (hit != -2 && !drag.active) {
    const PointRef q = pointAt(p, hit);
    const BarPosition at = Timeline(p, s.sampleRate).positionOf(q.beat);
    const char* shape = hit < 0 ? "the song's tempo" : p.tempoChanges[static_cast<std::size_t>(hit)].shape == TempoShape::Linear ? "ramp" : "step";
    ImGui::SetTooltip("Bar %d beat %.2f: %.2f BPM (%s)\nDrag to move, right-click to delete", at.bar, at.beatInBar, q.bpm, shape);
  } else if (hovered && !drag.active) {
    ImGui::SetTooltip("Tempo map: double-click to add a point (%.0f BPM here)", std::round(M.bpmOf(m.y)));
  }
  dl->PopClipRect();
}

}  // namespace mixdown::ui
