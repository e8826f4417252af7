// The arrangement: a ruler and track headers that stay in view, and the tracks' lanes with their clips.
//   Ruler: click moves the playhead; Shift+drag sets the loop region.
//   Headers (TrackHeaderView.cpp): select, rename, reorder, the track menu; "+ Track".
//   Lanes: double-click empty space on an instrument track makes a one-bar clip; click selects a clip
//   (Shift adds), drag moves it (also to another track of its kind), drag an edge resizes it (the left
//   edge moves the content's offset), drag on empty space selects with a rubber band, double-click a clip
//   opens it in the piano roll or step sequencer, right-click: split here, duplicate, mute, loop, delete.
//   Wheel scrolls (down when turned down), Shift+wheel scrolls in time, Ctrl+wheel zooms around the pointer.
//   Under the ruler, the tempo lane (TempoLaneView.cpp); audio clips show their waveforms (Waveforms.cpp).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "AutomationLaneView.h"
#include "LiveRecording.h"
#include "TempoLaneView.h"
#include "TrackHeaderView.h"
#include "Waveforms.h"
#include "Commands.h"
#include "Studio.h"
#include "Widgets.h"
#include "engine/Timeline.h"

namespace mixdown::ui {

namespace {

constexpr float kHeaderW = kTrackHeaderW, kRulerH = 22.0f, kRowH = kTrackRowH, kEdge = 5.0f;

struct Layout {
  float left, top, right, bottom;  // the view
  float laneX, laneY;              // where lanes begin (right of the headers, under the ruler)
  float ppb;
  double firstBeat;
  float xOf(double beat) const { return laneX + static_cast<float>((beat - firstBeat) * ppb); }
  double beatOf(float x) const { return firstBeat + (x - laneX) / ppb; }
  float rowY(int i, float scrollY) const { return laneY + kRowH * static_cast<float>(i) - scrollY; }
};

enum class Drag { None, Move, ResizeLeft, ResizeRight, Band, Loop };
struct DragState {
  Drag kind = Drag::None;
  ImVec2 from;
  double fromBeat = 0;
  int fromRow = -1;
  ClipRef anchor;
  Project origin;             // the project when the drag began: every frame's result is computed from it
  std::vector<ClipRef> originSelection;
  bool recorded = false;      // the undo step was recorded (at the first real movement)
  double loopFrom = 0;
};
DragState drag;
Layout lastLayout{0, 0, 0, 0, kHeaderW, kRulerH, 24.0f, 0.0};  // as last drawn, for drops (arrangementDropPlace)

int rowAt(const Layout& L, float y, float scrollY) { return static_cast<int>(std::floor((y - L.laneY + scrollY) / kRowH)); }

bool selected(ClipRef r) {
  const auto& sel = studio().selectedClips;
  return std::find(sel.begin(), sel.end(), r) != sel.end();
}

// The clips of the selection moved by `beats` and `rows` from where the drag found them.
void applyMove(double beats, int rows) {
  Studio& s = studio();
  Project p = drag.origin;
  // Vertical moves only when every moved clip lands on a track of its kind.
  bool rowsOk = rows != 0;
  for (ClipRef r : drag.originSelection) {
    const int t = r.track + rows;
    if (t < 0 || static_cast<std::size_t>(t) >= p.tracks.size() || p.tracks[static_cast<std::size_t>(t)].kind != p.tracks[static_cast<std::size_t>(r.track)].kind) rowsOk = false;
  }
  if (!rowsOk) rows = 0;
  double earliest = 1e300;
  for (ClipRef r : drag.originSelection) earliest = std::min(earliest, p.tracks[static_cast<std::size_t>(r.track)].clips[static_cast<std::size_t>(r.clip)].start);
  beats = std::max(beats, -earliest);
  std::vector<std::pair<int, Clip>> moving;
  for (ClipRef r : drag.originSelection) {
    Clip c = p.tracks[static_cast<std::size_t>(r.track)].clips[static_cast<std::size_t>(r.clip)];
    c.start += beats;
    moving.emplace_back(r.track + rows, c);
  }
  if (rows == 0) {
    for (std::size_t k = 0; k < drag.originSelection.size(); ++k) {
      const ClipRef r = drag.originSelection[k];
      p.tracks[static_cast<std::size_t>(r.track)].clips[static_cast<std::size_t>(r.clip)] = moving[k].second;
    }
    s.project = std::move(p);
    s.selectedClips = drag.originSelection;
  } else {
    // Take them out (highest index first), then append them to their new tracks.
    auto order = drag.originSelection;
    std::sort(order.begin(), order.end(), [](ClipRef a, ClipRef b) { return a.track != b.track ? a.track < b.track : a.clip > b.clip; });
    for (ClipRef r : order) {
      auto& clips = p.tracks[static_cast<std::size_t>(r.track)].clips;
      clips.erase(clips.begin() + r.clip);
    }
    s.selectedClips.clear();
    for (auto& [t, c] : moving) {
      auto& clips = p.tracks[static_cast<std::size_t>(t)].clips;
      clips.push_back(c);
      s.selectedClips.push_back({t, static_cast<int>(clips.size()) - 1});
    }
    s.project = std::move(p);
  }
  projectChanged();
}

void drawRuler(const Layout& L, ImDrawList* dl) {
  Studio& s = studio();
  const Timeline timeline(s.project, s.sampleRate);
  const float rulerBottom = L.top + kRulerH;
  dl->AddRectFilled(ImVec2(L.laneX, L.top), ImVec2(L.right, rulerBottom), IM_COL32(34, 34, 40, 255));
  ImGui::SetCursorScreenPos(ImVec2(L.laneX, L.top));
  ImGui::InvisibleButton("ruler", ImVec2(std::max(1.0f, L.right - L.laneX), kRulerH));
  remember("ruler");
  const double beat = std::max(0.0, L.beatOf(ImGui::GetIO().MousePos.x));
  if (ImGui::IsItemClicked()) {
    if (ImGui::GetIO().KeyShift) {
      drag = DragState{};
      drag.kind = Drag::Loop;
      drag.loopFrom = std::floor(beat);
    } else {
      post({{"type", "seek"}, {"beat", beat}});
    }
  }
  if (drag.kind == Drag::Loop) {
    double a = drag.loopFrom, b = std::round(beat);
    if (b < a) std::swap(a, b);
    if (b - a < 1.0) b = a + 1.0;
    dl->AddRectFilled(ImVec2(L.xOf(a), L.top), ImVec2(L.xOf(b), rulerBottom), IM_COL32(90, 140, 230, 90));
    if (!ImGui::IsMouseDown(0)) {
      drag.kind = Drag::None;
      command("Set loop", [&](Project& p) { p.loop = {true, a, b}; });
    }
  }
  if (s.project.loop.enabled)
    dl->AddRectFilled(ImVec2(L.xOf(s.project.loop.startBeat), L.top), ImVec2(L.xOf(s.project.loop.endBeat), L.top + 5), IM_COL32(90, 140, 230, 200));
  // Bar numbers, as many as fit (every bar, or every 2nd, 4th... when zoomed out).
  const double lastBeat = L.beatOf(L.right);
  const int firstBar = std::max(1, timeline.positionOf(std::max(0.0, L.firstBeat)).bar);
  const double barBeats = timeline.barStartBeat(firstBar + 1) - timeline.barStartBeat(firstBar);
  int every = 1;
  // Room for the widest number on screen (the last bar's) and a gap, so numbers never run together.
  char widest[16];
  std::snprintf(widest, sizeof widest, "%d", timeline.positionOf(std::max(0.0, lastBeat)).bar + 1);
  const double room = ImGui::CalcTextSize(widest).x + 10.0;
  while (every < 4096 && barBeats * every * L.ppb < room) every *= 2;
  for (int bar = firstBar; timeline.barStartBeat(bar) <= lastBeat && bar < firstBar + 20000; ++bar) {
    const float x = L.xOf(timeline.barStartBeat(bar));
    if ((bar - 1) % every != 0) {
      dl->AddLine(ImVec2(x, rulerBottom - 5), ImVec2(x, rulerBottom), IM_COL32(110, 110, 120, 255));
      continue;
    }
    dl->AddLine(ImVec2(x, L.top + 8), ImVec2(x, rulerBottom), IM_COL32(140, 140, 150, 255));
    char label[16];
    std::snprintf(label, sizeof label, "%d", bar);
    dl->AddText(ImVec2(x + 3, L.top + 4), IM_COL32(190, 190, 200, 255), label);
  }
}

void drawClip(const Layout& L, const Timeline& timeline, const Track& t, int i, int k, float y, ImDrawList* dl) {
  Studio& s = studio();
  const Clip& c = t.clips[static_cast<std::size_t>(k)];
  const float x0 = L.xOf(c.start), x1 = L.xOf(c.start + c.length);
  if (x1 < L.laneX || x0 > L.right) return;
  const ImU32 base = trackColour(t, i);
  const bool isSelected = selected({i, k});
  // Audio clips are lighter, so their waveform can be drawn dark on them (as in most DAWs).
  const bool audio = t.kind == TrackKind::Audio;
  const ImU32 fill = c.muted ? IM_COL32(70, 70, 76, 255) : shade(base, audio ? (isSelected ? 1.1f : 0.9f) : (isSelected ? 0.85f : 0.6f));
  dl->AddRectFilled(ImVec2(x0, y + 2), ImVec2(x1, y + kRowH - 2), fill, 4.0f);
  dl->AddRectFilled(ImVec2(x0, y + 2), ImVec2(x1, y + 15), c.muted ? IM_COL32(90, 90, 96, 255) : shade(base, isSelected ? 1.25f : 0.9f), 4.0f);
  if (isSelected) dl->AddRect(ImVec2(x0, y + 2), ImVec2(x1, y + kRowH - 2), IM_COL32(255, 255, 255, 220), 4.0f, 0, 1.5f);
  dl->PushClipRect(ImVec2(std::max(x0, L.laneX), y), ImVec2(std::min(x1, L.right), y + kRowH), true);
  dl->AddText(ImVec2(x0 + 4, y + 2), IM_COL32(20, 20, 24, 255), c.name.c_str());
  if (c.looped) {  // where the content starts again
    for (double p = c.loopEnd - c.offset; p < c.length && p > 0; p += c.loopEnd - c.loopStart)
      dl->AddLine(ImVec2(L.xOf(c.start + p), y + 15), ImVec2(L.xOf(c.start + p), y + kRowH - 2), IM_COL32(255, 255, 255, 60));
  }
  // Notes as short lines, pitch mapped into the clip's height (as they sound: loops repeat them).
  if (!c.notes.empty()) {
    int lo = 127, hi = 0;
    for (const Note& n : c.notes) lo = std::min(lo, n.pitch), hi = std::max(hi, n.pitch);
    for (const SoundingNote& n : soundingNotes(c)) {
      const float nx0 = L.xOf(n.start), nx1 = std::max(nx0 + 2.0f, L.xOf(n.start + n.length));
      if (nx1 < L.laneX || nx0 > L.right) continue;
      const float fy = hi > lo ? static_cast<float>(n.pitch - lo) / static_cast<float>(hi - lo) : 0.5f;
      const float ny = y + kRowH - 6 - fy * (kRowH - 24);
      dl->AddLine(ImVec2(nx0, ny), ImVec2(nx1, ny), IM_COL32(235, 235, 245, 230), 2.0f);
    }
  }
  const bool missing = std::find(s.missingAssets.begin(), s.missingAssets.end(), c.asset) != s.missingAssets.end();
  if (t.kind == TrackKind::Audio && !missing) {
    const WaveformArea area{L.laneX, L.firstBeat, L.ppb, std::max(x0, L.laneX), std::min(x1, L.right), y + 16, y + kRowH - 3};
    drawWaveform(dl, c, timeline, area, c.muted ? IM_COL32(150, 150, 156, 200) : IM_COL32(24, 22, 20, 235));
  }
  if (t.kind == TrackKind::Audio && missing) dl->AddText(ImVec2(x0 + 4, y + 20), IM_COL32(255, 180, 160, 255), "missing audio");
  dl->PopClipRect();
  s.rects["clip:" + std::to_string(i) + ":" + std::to_string(k)] = {x0, y + 2, x1 - x0, kRowH - 4};
}

// Which clip (and which part of it) is under the pointer.
struct Hit {
  ClipRef clip;
  Drag part = Drag::None;
};
Hit hitTest(const Layout& L, ImVec2 m) {
  Studio& s = studio();
  const int row = rowAt(L, m.y, s.scrollY);
  if (row < 0 || static_cast<std::size_t>(row) >= s.project.tracks.size()) return {};
  const auto& clips = s.project.tracks[static_cast<std::size_t>(row)].clips;
  for (int k = static_cast<int>(clips.size()) - 1; k >= 0; --k) {  // the last drawn is on top
    const Clip& c = clips[static_cast<std::size_t>(k)];
    const float x0 = L.xOf(c.start), x1 = L.xOf(c.start + c.length);
    if (m.x < x0 || m.x > x1) continue;
    const float edge = std::min(kEdge, (x1 - x0) / 3);
    return {{row, k}, m.x <= x0 + edge ? Drag::ResizeLeft : m.x >= x1 - edge ? Drag::ResizeRight : Drag::Move};
  }
  return {{row, -1}, Drag::None};
}

void clipMenu(const Layout& L) {
  Studio& s = studio();
  static ClipRef menuClip;
  static double menuBeat = 0;
  if (ImGui::IsPopupOpen("clip-menu") == false && ImGui::IsMouseClicked(1) && ImGui::IsWindowHovered()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const Hit h = hitTest(L, m);
    if (h.clip.clip >= 0 && m.x >= L.laneX && m.y >= L.laneY) {
      menuClip = h.clip;
      menuBeat = L.beatOf(m.x);
      if (!selected(h.clip)) s.selectedClips = {h.clip};
      ImGui::OpenPopup("clip-menu");
    }
  }
  if (ImGui::BeginPopup("clip-menu")) {
    const double at = snap(menuBeat, activeGrid(s.grid));
    if (ImGui::MenuItem("Split here", "Ctrl+E")) splitClipAt(menuClip, at);
    remember("clip-menu-split");
    if (ImGui::MenuItem("Duplicate", "Ctrl+D")) duplicateSelectedClips();
    remember("clip-menu-duplicate");
    if (ImGui::MenuItem("Mute / unmute", "0")) toggleSelectedClipsMute();
    remember("clip-menu-mute");
    if (ImGui::MenuItem("Loop content")) toggleClipLoop(menuClip);
    remember("clip-menu-loop");
    if (ImGui::MenuItem("Edit notes")) openClipEditor(menuClip);
    if (ImGui::MenuItem("Delete", "Del")) deleteSelectedClips();
    remember("clip-menu-delete");
    ImGui::EndPopup();
  }
}

// Pointer gestures on the lanes (see the file's comment).
void laneGestures(const Layout& L, ImDrawList* dl) {
  Studio& s = studio();
  ImGuiIO& io = ImGui::GetIO();
  const ImVec2 m = io.MousePos;
  const bool inLanes = ImGui::IsWindowHovered() && !ImGui::IsAnyItemHovered() && m.x >= L.laneX && m.y >= L.laneY && m.x < L.right && m.y < L.bottom;
  const Grid grid = activeGrid(s.grid);
  if (s.splitAtPointer) {  // Ctrl+E
    s.splitAtPointer = false;
    const Hit h = hitTest(L, m);
    if (h.clip.clip >= 0 && m.x >= L.laneX) splitClipAt(h.clip, snap(L.beatOf(m.x), grid));
  }
  if (inLanes && drag.kind == Drag::None) {
    const Hit h = hitTest(L, m);
    if (h.part == Drag::ResizeLeft || h.part == Drag::ResizeRight) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
    if (ImGui::IsMouseDoubleClicked(0)) {
      if (h.clip.clip >= 0) {
        openClipEditor(h.clip);
      } else if (h.clip.track >= 0) {
        const Timeline timeline(s.project, s.sampleRate);
        const double beat = std::max(0.0, L.beatOf(m.x));
        const int bar = timeline.positionOf(beat).bar;
        const double start = s.grid.step > 0 ? timeline.barStartBeat(bar) : beat;
        const double length = timeline.barStartBeat(bar + 1) - timeline.barStartBeat(bar);
        const int k = createClip(h.clip.track, start, length);
        if (k >= 0) openClipEditor({h.clip.track, k});
      }
    } else if (ImGui::IsMouseClicked(0)) {
      s.selectedTempoPoint = -1;
      drag = DragState{};
      drag.from = m;
      drag.fromBeat = L.beatOf(m.x);
      drag.fromRow = h.clip.track;
      if (h.clip.track >= 0) s.selectedTrack = h.clip.track;
      if (h.clip.clip >= 0) {
        if (io.KeyShift) {
          auto& sel = s.selectedClips;
          auto it = std::find(sel.begin(), sel.end(), h.clip);
          if (it != sel.end()) sel.erase(it);
          else sel.push_back(h.clip);
        } else if (!selected(h.clip)) {
          s.selectedClips = {h.clip};
        }
        drag.kind = selected(h.clip) ? h.part : Drag::None;
        drag.anchor = h.clip;
        drag.origin = s.project;
        drag.originSelection = h.part == Drag::Move ? s.selectedClips : std::vector<ClipRef>{h.clip};
      } else {
        if (!io.KeyShift) s.selectedClips.clear();
        drag.kind = Drag::Band;
        drag.originSelection = s.selectedClips;
      }
    }
  }
  if (drag.kind == Drag::Move || drag.kind == Drag::ResizeLeft || drag.kind == Drag::ResizeRight) {
    const bool moved = ImGui::IsMouseDragging(0, 3.0f);
    if (moved && !drag.recorded) {
      s.history.record(drag.kind == Drag::Move ? (drag.originSelection.size() > 1 ? "Move clips" : "Move clip") : "Resize clip", drag.origin);
      s.unsaved = true;
      drag.recorded = true;
    }
    if (drag.recorded) {
      const Clip& a = drag.origin.tracks[static_cast<std::size_t>(drag.anchor.track)].clips[static_cast<std::size_t>(drag.anchor.clip)];
      const double raw = L.beatOf(m.x) - drag.fromBeat;
      if (drag.kind == Drag::Move) {
        const double beats = snap(a.start + raw, grid) - a.start;
        applyMove(beats, rowAt(L, m.y, s.scrollY) - drag.fromRow);
      } else {
        Project p = drag.origin;
        Clip& c = p.tracks[static_cast<std::size_t>(drag.anchor.track)].clips[static_cast<std::size_t>(drag.anchor.clip)];
        if (drag.kind == Drag::ResizeLeft) resizeClipStart(c, snap(a.start + raw, grid), std::max(1.0 / 64, grid.beats()));
        else resizeClipEnd(c, snap(a.start + a.length + raw, grid), std::max(1.0 / 64, grid.beats()));
        s.project = std::move(p);
        projectChanged();
      }
    }
    if (!ImGui::IsMouseDown(0)) drag.kind = Drag::None;
  } else if (drag.kind == Drag::Band) {
    const ImVec2 a(std::min(drag.from.x, m.x), std::min(drag.from.y, m.y)), b(std::max(drag.from.x, m.x), std::max(drag.from.y, m.y));
    dl->AddRectFilled(a, b, IM_COL32(120, 160, 255, 40));
    dl->AddRect(a, b, IM_COL32(120, 160, 255, 200));
    s.selectedClips = drag.originSelection;
    for (std::size_t t = 0; t < s.project.tracks.size(); ++t) {
      const float y = L.rowY(static_cast<int>(t), s.scrollY);
      if (y + kRowH < a.y || y > b.y) continue;
      for (std::size_t k = 0; k < s.project.tracks[t].clips.size(); ++k) {
        const Clip& c = s.project.tracks[t].clips[k];
        const ClipRef r{static_cast<int>(t), static_cast<int>(k)};
        if (L.xOf(c.start + c.length) >= a.x && L.xOf(c.start) <= b.x && !selected(r)) s.selectedClips.push_back(r);
      }
    }
    if (!ImGui::IsMouseDown(0)) drag.kind = Drag::None;
  }
}

void wheel(const Layout& L) {
  Studio& s = studio();
  ImGuiIO& io = ImGui::GetIO();
  if (!ImGui::IsWindowHovered() || (io.MouseWheel == 0.0f && io.MouseWheelH == 0.0f)) return;
  const ImVec2 m = io.MousePos;
  if (io.KeyCtrl && io.MouseWheel != 0.0f) {
    // Zoom around the pointer: the beat under it stays under it.
    const float x = std::max(m.x, L.laneX);
    const double beat = L.beatOf(x);
    s.pixelsPerBeat = std::clamp(s.pixelsPerBeat * std::pow(1.2f, io.MouseWheel), 2.0f, 400.0f);
    s.scrollBeats = static_cast<float>(std::max(0.0, beat - (x - L.laneX) / s.pixelsPerBeat));
    return;
  }
  // ImGui swaps the wheel's axes while Shift is held (io.MouseWheelH).
  if (io.MouseWheelH != 0.0f) s.scrollBeats = std::max(0.0f, s.scrollBeats - io.MouseWheelH * 80.0f / s.pixelsPerBeat);
  if (io.MouseWheel != 0.0f) {
    const float content = kRowH * static_cast<float>(s.project.tracks.size());
    const float view = L.bottom - L.laneY;
    s.scrollY = std::clamp(s.scrollY - io.MouseWheel * kRowH, 0.0f, std::max(0.0f, content - view + kRowH));
  }
}

}  // namespace

DropPlace arrangementDropPlace(float x, float y) {
  Studio& s = studio();
  const Layout& L = lastLayout;
  DropPlace place;
  const int n = static_cast<int>(s.project.tracks.size());
  place.newTrackAt = n;
  if (x < L.left || x >= L.right || y < L.laneY || y >= L.bottom) return place;  // not on the tracks: a new track, at the start
  if (x >= L.laneX) place.beat = std::max(0.0, snap(L.beatOf(x), s.grid));
  const int row = rowAt(L, y, s.scrollY);
  if (row >= 0 && row < n) {
    if (s.project.tracks[static_cast<std::size_t>(row)].kind == TrackKind::Audio) place.track = row;
    else place.newTrackAt = row + 1;  // on an instrument track or a bus: a new audio track right under it
  }
  return place;
}

void drawArrangement(float height) {
  Studio& s = studio();
  ImGui::BeginChild("tracks", ImVec2(0, height), true, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos(), avail = ImGui::GetContentRegionAvail();
  const bool tempoLane = s.showTempoLane;  // as laid out this frame (the switch may flip it below)
  Layout L{p0.x, p0.y, p0.x + avail.x, p0.y + avail.y, p0.x + kHeaderW, p0.y + kRulerH + (tempoLane ? kTempoLaneH : 0.0f), s.pixelsPerBeat,
           s.scrollBeats};
  wheel(L);
  L.ppb = s.pixelsPerBeat;
  L.firstBeat = s.scrollBeats;
  const float contentH = kRowH * static_cast<float>(s.project.tracks.size());
  if (s.revealTrack >= 0) {  // a new track: its row comes into view
    const float top = kRowH * static_cast<float>(s.revealTrack), view = L.bottom - L.laneY;
    if (top < s.scrollY) s.scrollY = top;
    if (top + kRowH > s.scrollY + view) s.scrollY = top + kRowH - view;
    s.revealTrack = -1;
  }
  s.scrollY = std::clamp(s.scrollY, 0.0f, std::max(0.0f, contentH - (L.bottom - L.laneY) + kRowH));
  lastLayout = L;
  const Timeline timeline(s.project, s.sampleRate);
  // Lanes (clipped under the ruler and right of the headers).
  dl->PushClipRect(ImVec2(L.laneX, L.laneY), ImVec2(L.right, L.bottom), true);
  drawTimeGrid(dl, s.project, s.sampleRate, L.laneX, L.right, L.laneY, std::min(L.bottom, L.laneY + contentH - s.scrollY), L.firstBeat, L.ppb, s.grid);
  for (std::size_t i = 0; i < s.project.tracks.size(); ++i) {
    const float y = L.rowY(static_cast<int>(i), s.scrollY);
    if (y + kRowH < L.laneY || y > L.bottom) continue;  // rows scrolled away draw nothing
    const Track& t = s.project.tracks[i];
    dl->AddLine(ImVec2(L.laneX, y + kRowH - 0.5f), ImVec2(L.right, y + kRowH - 0.5f), IM_COL32(255, 255, 255, 14));
    if (t.kind == TrackKind::Bus) dl->AddText(ImVec2(L.laneX + 6, y + 14), IM_COL32(120, 120, 130, 255), "bus (audio routed here)");
    for (std::size_t k = 0; k < t.clips.size(); ++k) drawClip(L, timeline, t, static_cast<int>(i), static_cast<int>(k), y, dl);
    drawRecordingTake(t.id, dl, {y, kRowH, L.laneX, L.firstBeat, L.ppb}, beatsNow());
  }
  dl->PopClipRect();
  // Automation lanes over their rows (their own widgets, clipped the same way).
  ImGui::PushClipRect(ImVec2(L.laneX, L.laneY), ImVec2(L.right, L.bottom), true);
  for (std::size_t i = 0; i < s.project.tracks.size(); ++i) {
    Track& t = s.project.tracks[i];
    auto lane = s.automationShown.find(t.id);
    if (lane == s.automationShown.end()) continue;
    const float y = L.rowY(static_cast<int>(i), s.scrollY);
    if (y + kRowH < L.laneY || y > L.bottom) continue;
    if (laneLabel(t, lane->second).empty()) lane->second = "gain";  // its insert was removed
    ImGui::PushID(static_cast<int>(i));
    const float x0 = L.xOf(0.0);
    drawLane(t, static_cast<int>(i), lane->second, {x0, y + 2, kRowH - 4, std::max(1.0f, L.right - x0), L.ppb}, studioHooks(), [] { projectChanged(); });
    ImGui::PopID();
  }
  ImGui::PopClipRect();
  laneGestures(L, dl);
  clipMenu(L);
  const HeaderArea headers{L.left, L.laneX, L.right, L.top, L.laneY, L.bottom};
  drawTrackHeaders(headers);
  // Ruler and the corner above the headers.
  dl->AddRectFilled(ImVec2(L.left, L.top), ImVec2(L.laneX, L.laneY), IM_COL32(30, 30, 36, 255));
  drawAddTrackButton(headers);
  ImGui::PushClipRect(ImVec2(L.laneX, L.top), ImVec2(L.right, L.top + kRulerH), true);
  drawRuler(L, dl);
  ImGui::PopClipRect();
  if (tempoLane) drawTempoLane({L.left, L.laneX, L.right, L.top + kRulerH, L.laneY, L.firstBeat, L.ppb});
  // Playhead over everything.
  const float px = L.xOf(beatsNow());
  if (px >= L.laneX && px <= L.right) {
    dl->AddLine(ImVec2(px, L.top), ImVec2(px, std::min(L.bottom, L.laneY + contentH - s.scrollY)), IM_COL32(255, 255, 255, 230), 2.0f);
    dl->AddTriangleFilled(ImVec2(px - 5, L.top), ImVec2(px + 5, L.top), ImVec2(px, L.top + 7), IM_COL32(255, 255, 255, 230));
  }
  s.rects["playhead"] = {px, L.top, 1.0f, kRulerH + contentH};
  s.rects["lanes"] = {L.laneX, L.laneY, L.right - L.laneX, L.bottom - L.laneY};
  s.rects["arrangement-geometry"] = {static_cast<float>(L.firstBeat), s.scrollY, L.ppb, kRowH};  // beat at laneX, rows scrolled (px), px/beat, px/row
  if (s.project.tracks.empty())
    dl->AddText(ImVec2(L.laneX + 20, L.laneY + 20), IM_COL32(150, 150, 160, 255), "An empty song: add a track with \"+ Track\" (top left).");
  ImGui::SetCursorScreenPos(ImVec2(L.left, L.bottom - 1));
  ImGui::Dummy(ImVec2(1, 1));
  ImGui::EndChild();
}

}  // namespace mixdown::ui
