// The piano roll of one instrument clip: a keyboard with note names down the side, the notes on a grid
// of the clip's content beats, and a velocity lane below.
//   Click empty space: a note with the last length and velocity (drag to place it). Click a note: select
//   (Shift adds, Ctrl+drag on empty space: rubber band); drag moves the selection, drag a note's right
//   edge resizes it; right-click deletes a note. Velocity lane: drag a bar up or down (every selected note
//   when it is selected). Keys: Delete, Ctrl+A, Ctrl+D, arrows (semitone; Shift: octave; left/right: a grid
//   step). Wheel scrolls pitches, Shift+wheel time, Ctrl+wheel zooms.
//   Audition (live notes on the track's instrument, not edits): press a key of the keyboard to hear it
//   (slide along the keys to play others); a note sounds while it is drawn, moved or resized.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "Commands.h"
#include "Studio.h"
#include "Widgets.h"
#include "engine/Timeline.h"

namespace mixdown::ui {

namespace {

constexpr float kKeysW = 52.0f, kRulerH = 18.0f, kVelocityH = 56.0f, kRowH = 12.0f, kEdge = 5.0f;

struct RollLayout {
  float left, top, right, bottom;
  float gridX, gridY, gridBottom;  // notes area
  float ppb, topPitch;
  double firstBeat;
  float xOf(double beat) const { return gridX + static_cast<float>((beat - firstBeat) * ppb); }
  double beatOf(float x) const { return firstBeat + (x - gridX) / ppb; }
  float yOf(int pitch) const { return gridY + (topPitch - static_cast<float>(pitch)) * kRowH; }
  int pitchAt(float y) const { return static_cast<int>(std::ceil(topPitch - (y - gridY) / kRowH)); }
};

enum class Gesture { None, Move, Resize, Band, Velocity };
struct RollDrag {
  Gesture kind = Gesture::None;
  ImVec2 from;
  double fromBeat = 0;
  int fromPitch = 0;
  int anchor = -1;
  std::vector<Note> origin;  // the clip's notes when the gesture began
  std::vector<int> originSelection;
  bool recorded = false;
  std::string label;
};
RollDrag rd;
int keyHeld = -1;  // the keyboard's key held down (auditioning), -1: none

// The scales offered for highlighting: semitone sets from the root.
struct Scale { const char* name; int mask; };
constexpr Scale kScales[] = {{"No scale", 0xFFF}, {"Major", 0xAB5}, {"Minor", 0x5AD}, {"Dorian", 0x6AD}, {"Mixolydian", 0x6B5},
                             {"Pentatonic major", 0x295}, {"Pentatonic minor", 0x4A9}, {"Blues", 0x4E9}, {"Harmonic minor", 0x9AD}};

bool inScale(int pitch) {
  const ClipEditor& e = studio().editor;
  const int degree = ((pitch - e.scaleRoot) % 12 + 12) % 12;
  return (kScales[std::clamp(e.scale, 0, 8)].mask >> degree) & 1;
}

bool isBlack(int pitch) { return (0x54A >> (pitch % 12)) & 1; }

int noteAt(const RollLayout& L, const Clip& c, ImVec2 m, bool* edge) {
  for (int i = static_cast<int>(c.notes.size()) - 1; i >= 0; --i) {
    const Note& n = c.notes[static_cast<std::size_t>(i)];
    const float x0 = L.xOf(n.start), x1 = std::max(x0 + 3.0f, L.xOf(n.start + n.length)), y = L.yOf(n.pitch);
    if (m.x >= x0 && m.x <= x1 && m.y >= y && m.y < y + kRowH) {
      if (edge) *edge = m.x >= x1 - std::min(kEdge, (x1 - x0) / 3);
      return i;
    }
  }
  return -1;
}

bool isSelectedNote(int i) {
  const auto& sel = studio().editor.selectedNotes;
  return std::find(sel.begin(), sel.end(), i) != sel.end();
}

void beginGesture(Gesture kind, const Clip& c, ImVec2 m, const RollLayout& L, int anchor, const char* label) {
  rd = RollDrag{};
  rd.kind = kind;
  rd.from = m;
  rd.fromBeat = L.beatOf(m.x);
  rd.fromPitch = L.pitchAt(m.y);
  rd.anchor = anchor;
  rd.origin = c.notes;
  rd.originSelection = studio().editor.selectedNotes;
  rd.label = label;
}

// Records the gesture's undo step once, at its first real movement (a click alone changes nothing).
void recordOnce() {
  if (rd.recorded) return;
  Studio& s = studio();
  Project before = s.project;
  if (Clip* c = editedClip()) {
    // The undo step holds the notes as they were when the gesture began.
    Clip& b = before.tracks[static_cast<std::size_t>(s.editor.clip.track)].clips[static_cast<std::size_t>(s.editor.clip.clip)];
    b.notes = rd.origin;
    (void)c;
  }
  s.history.record(rd.label, before);
  s.unsaved = true;
  rd.recorded = true;
}

void drawKeyboard(const RollLayout& L, ImDrawList* dl) {
  const int top = static_cast<int>(std::ceil(L.topPitch)), bottom = L.pitchAt(L.gridBottom);
  for (int p = std::min(127, top); p >= std::max(0, bottom); --p) {
    const float y = L.yOf(p);
    const ImU32 key = p == keyHeld ? IM_COL32(240, 170, 70, 255) : isBlack(p) ? IM_COL32(30, 30, 34, 255) : IM_COL32(200, 200, 206, 255);
    dl->AddRectFilled(ImVec2(L.left, y), ImVec2(L.gridX - 1, y + kRowH - 1), key);
    if (p % 12 == 0) {
      const std::string name = noteName(p);
      dl->AddText(ImGui::GetFont(), ImGui::GetFontSize() * 0.85f, ImVec2(L.left + 3, y - 1), IM_COL32(20, 20, 24, 255), name.c_str());
    }
  }
}

void drawGrid(const RollLayout& L, const Clip& c, ImDrawList* dl) {
  Studio& s = studio();
  const int top = static_cast<int>(std::ceil(L.topPitch)), bottom = L.pitchAt(L.gridBottom);
  for (int p = std::min(127, top); p >= std::max(0, bottom); --p) {
    const float y = L.yOf(p);
    ImU32 row = isBlack(p) ? IM_COL32(30, 30, 36, 255) : IM_COL32(38, 38, 45, 255);
    if (s.editor.scale > 0 && inScale(p)) row = isBlack(p) ? IM_COL32(36, 44, 56, 255) : IM_COL32(44, 54, 68, 255);
    dl->AddRectFilled(ImVec2(L.gridX, y), ImVec2(L.right, y + kRowH), row);
    if (p % 12 == 0) dl->AddLine(ImVec2(L.gridX, y + kRowH), ImVec2(L.right, y + kRowH), IM_COL32(255, 255, 255, 30));
  }
  // Beats and bars of the clip's content (the clip's start is on a bar in most songs; the grid is the song's).
  drawTimeGrid(dl, s.project, s.sampleRate, L.gridX, L.right, L.gridY, L.gridBottom, L.firstBeat, L.ppb, s.grid);
  // Outside the clip's content window: dimmed; the loop region marked.
  const double contentEnd = c.looped ? c.loopEnd : c.offset + c.length;
  dl->AddRectFilled(ImVec2(L.gridX, L.gridY), ImVec2(std::max(L.gridX, L.xOf(c.looped ? std::min(c.offset, c.loopStart) : c.offset)), L.gridBottom), IM_COL32(0, 0, 0, 90));
  dl->AddRectFilled(ImVec2(std::min(L.right, L.xOf(contentEnd)), L.gridY), ImVec2(L.right, L.gridBottom), IM_COL32(0, 0, 0, 90));
  if (c.looped) {
    dl->AddRectFilled(ImVec2(L.xOf(c.loopStart), L.top), ImVec2(L.xOf(c.loopEnd), L.top + 5), IM_COL32(230, 170, 60, 220));
  }
}

void drawNotes(const RollLayout& L, const Clip& c, ImU32 colour, ImDrawList* dl) {
  Studio& s = studio();
  for (std::size_t i = 0; i < c.notes.size(); ++i) {
    const Note& n = c.notes[i];
    const float x0 = L.xOf(n.start), x1 = std::max(x0 + 3.0f, L.xOf(n.start + n.length)), y = L.yOf(n.pitch);
    if (x1 < L.gridX || x0 > L.right || y + kRowH < L.gridY || y > L.gridBottom) continue;
    const bool sel = isSelectedNote(static_cast<int>(i));
    const ImU32 fill = sel ? IM_COL32(250, 250, 255, 255) : shade(colour, 0.55f + 0.6f * static_cast<float>(n.velocity));
    dl->AddRectFilled(ImVec2(x0, y + 1), ImVec2(x1, y + kRowH - 1), fill, 2.0f);
    dl->AddRect(ImVec2(x0, y + 1), ImVec2(x1, y + kRowH - 1), IM_COL32(0, 0, 0, 160), 2.0f);
    s.rects["note:" + std::to_string(i)] = {x0, y + 1, x1 - x0, kRowH - 2};
  }
}

void drawVelocityLane(const RollLayout& L, const Clip& c, ImU32 colour, ImDrawList* dl) {
  Studio& s = studio();
  const float top = L.gridBottom + 4, bottom = L.bottom;
  dl->AddRectFilled(ImVec2(L.gridX, top), ImVec2(L.right, bottom), IM_COL32(28, 28, 32, 255));
  dl->AddText(ImVec2(L.left + 2, top + 2), IM_COL32(150, 150, 160, 255), "Vel");
  for (std::size_t i = 0; i < c.notes.size(); ++i) {
    const Note& n = c.notes[i];
    const float x = L.xOf(n.start);
    if (x < L.gridX - 4 || x > L.right) continue;
    const float y = bottom - static_cast<float>(n.velocity) * (bottom - top - 4);
    const ImU32 col = isSelectedNote(static_cast<int>(i)) ? IM_COL32(250, 250, 255, 255) : colour;
    dl->AddLine(ImVec2(x + 1, bottom), ImVec2(x + 1, y), col, 3.0f);
    dl->AddCircleFilled(ImVec2(x + 1, y), 3.0f, col);
  }
  s.rects["velocity-lane"] = {L.gridX, top, L.right - L.gridX, bottom - top};
}

void rollWheel(RollLayout& L) {
  Studio& s = studio();
  ImGuiIO& io = ImGui::GetIO();
  if (!ImGui::IsWindowHovered()) return;
  if (io.KeyCtrl && io.MouseWheel != 0.0f) {
    const float x = std::max(io.MousePos.x, L.gridX);
    const double beat = L.beatOf(x);
    s.editor.pixelsPerBeat = std::clamp(s.editor.pixelsPerBeat * std::pow(1.2f, io.MouseWheel), 8.0f, 800.0f);
    s.editor.scrollBeats = static_cast<float>(std::max(0.0, beat - (x - L.gridX) / s.editor.pixelsPerBeat));
  } else {
    if (io.MouseWheel != 0.0f) s.editor.topPitch = std::clamp(s.editor.topPitch + io.MouseWheel * 3.0f, 12.0f, 127.0f);
    if (io.MouseWheelH != 0.0f) s.editor.scrollBeats = std::max(0.0f, s.editor.scrollBeats - io.MouseWheelH * 60.0f / s.editor.pixelsPerBeat);
  }
  L.ppb = s.editor.pixelsPerBeat;
  L.firstBeat = s.editor.scrollBeats;
  L.topPitch = s.editor.topPitch;
}

void rollGestures(const RollLayout& L, Clip& c, ImDrawList* dl) {
  Studio& s = studio();
  ImGuiIO& io = ImGui::GetIO();
  ClipEditor& e = s.editor;
  const ImVec2 m = io.MousePos;
  const Grid grid = activeGrid(s.grid);
  const bool hovered = ImGui::IsWindowHovered() && !ImGui::IsAnyItemHovered();
  const bool inGrid = hovered && m.x >= L.gridX && m.x < L.right && m.y >= L.gridY && m.y < L.gridBottom;
  const bool inVelocity = hovered && m.x >= L.gridX - 4 && m.x < L.right && m.y > L.gridBottom + 4 && m.y < L.bottom;
  if (rd.kind == Gesture::None && (inGrid || inVelocity)) e.focused = true;
  const bool onKeys = hovered && m.x >= L.left && m.x < L.gridX && m.y >= L.gridY && m.y < L.gridBottom;
  if (rd.kind == Gesture::None && onKeys && ImGui::IsMouseClicked(0)) keyHeld = std::clamp(L.pitchAt(m.y), 0, 127);
  if (keyHeld >= 0) {
    if (!ImGui::IsMouseDown(0)) keyHeld = -1;
    else if (m.y >= L.gridY && m.y < L.gridBottom) keyHeld = std::clamp(L.pitchAt(m.y), 0, 127);  // a glissando along the keys
  }
  if (rd.kind == Gesture::None && inGrid) {
    bool edge = false;
    const int hit = noteAt(L, c, m, &edge);
    if (hit >= 0 && edge) ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
    if (ImGui::IsMouseClicked(1) && hit >= 0) {
      e.selectedNotes.erase(std::remove(e.selectedNotes.begin(), e.selectedNotes.end(), hit), e.selectedNotes.end());
      const ClipRef r = e.clip;
      command("Delete note", [&](Project& p) {
        auto& notes = p.tracks[static_cast<std::size_t>(r.track)].clips[static_cast<std::size_t>(r.clip)].notes;
        notes.erase(notes.begin() + hit);
      });
      e.selectedNotes.clear();
      return;
    }
    if (ImGui::IsMouseClicked(0)) {
      if (hit >= 0) {
        if (io.KeyShift) {
          if (isSelectedNote(hit)) e.selectedNotes.erase(std::remove(e.selectedNotes.begin(), e.selectedNotes.end(), hit), e.selectedNotes.end());
          else e.selectedNotes.push_back(hit);
        } else if (!isSelectedNote(hit)) {
          e.selectedNotes = {hit};
        }
        if (isSelectedNote(hit)) {
          e.lastLength = c.notes[static_cast<std::size_t>(hit)].length;
          e.lastVelocity = c.notes[static_cast<std::size_t>(hit)].velocity;
          beginGesture(edge ? Gesture::Resize : Gesture::Move, c, m, L, hit, edge ? "Resize notes" : "Move notes");
        }
      } else if (io.KeyCtrl || io.KeyShift) {
        if (!io.KeyShift) e.selectedNotes.clear();
        beginGesture(Gesture::Band, c, m, L, -1, "");
      } else {
        // A new note where the pointer is (its start on the grid line before it), with the last length and
        // velocity; the same press places it by dragging: one undo step for both.
        const int pitch = std::clamp(L.pitchAt(m.y), 0, 127);
        const double step = grid.beats();
        const double at = std::max(0.0, step > 0 ? std::floor(L.beatOf(m.x) / step + 1e-9) * step : L.beatOf(m.x));
        beginGesture(Gesture::Move, c, m, L, static_cast<int>(c.notes.size()), "Add note");
        recordOnce();
        c.notes.push_back(Note{pitch, e.lastVelocity, at, e.lastLength});
        e.selectedNotes = {static_cast<int>(c.notes.size()) - 1};
        rd.origin = c.notes;
        rd.originSelection = e.selectedNotes;
        projectChanged();
      }
    }
  }
  if (rd.kind == Gesture::None && inVelocity && ImGui::IsMouseClicked(0)) {
    int best = -1;
    float bestDx = 6.0f;
    for (std::size_t i = 0; i < c.notes.size(); ++i) {
      const float dx = std::abs(L.xOf(c.notes[i].start) - m.x);
      if (dx < bestDx || (dx == bestDx && isSelectedNote(static_cast<int>(i)))) bestDx = dx, best = static_cast<int>(i);
    }
    if (best >= 0) {
      if (!isSelectedNote(best)) e.selectedNotes = {best};
      beginGesture(Gesture::Velocity, c, m, L, best, "Change velocity");
    }
  }
  if (rd.kind == Gesture::Move || rd.kind == Gesture::Resize) {
    if (ImGui::IsMouseDragging(0, 2.0f)) recordOnce();
    if (rd.recorded && rd.anchor >= 0 && static_cast<std::size_t>(rd.anchor) < rd.origin.size()) {
      const Note& a = rd.origin[static_cast<std::size_t>(rd.anchor)];
      const double raw = L.beatOf(m.x) - rd.fromBeat;
      c.notes = rd.origin;
      if (rd.kind == Gesture::Move) {
        double beats = snap(a.start + raw, grid) - a.start;
        const int semis = L.pitchAt(m.y) - rd.fromPitch;
        double earliest = 1e300;
        for (int i : rd.originSelection) earliest = std::min(earliest, rd.origin[static_cast<std::size_t>(i)].start);
        beats = std::max(beats, -earliest);
        for (int i : rd.originSelection) {
          Note& n = c.notes[static_cast<std::size_t>(i)];
          n.start += beats;
          n.pitch = std::clamp(n.pitch + semis, 0, 127);
        }
      } else {
        const double step = grid.beats() > 0 ? grid.beats() : 1.0 / 64;
        const double end = std::max(a.start + step, snap(a.start + a.length + raw, grid));
        const double delta = end - (a.start + a.length);
        for (int i : rd.originSelection) {
          Note& n = c.notes[static_cast<std::size_t>(i)];
          n.length = std::max(1.0 / 64, n.length + delta);
        }
        e.lastLength = c.notes[static_cast<std::size_t>(rd.anchor)].length;
      }
      projectChanged();
    }
    if (!ImGui::IsMouseDown(0)) rd.kind = Gesture::None;
  } else if (rd.kind == Gesture::Velocity) {
    if (ImGui::IsMouseDragging(0, 1.0f)) recordOnce();
    if (rd.recorded) {
      const float top = L.gridBottom + 4, bottom = L.bottom;
      const double v = std::clamp(static_cast<double>((bottom - m.y) / (bottom - top - 4)), 0.01, 1.0);
      c.notes = rd.origin;
      for (int i : rd.originSelection) c.notes[static_cast<std::size_t>(i)].velocity = v;
      e.lastVelocity = v;
      projectChanged();
    }
    if (!ImGui::IsMouseDown(0)) rd.kind = Gesture::None;
  } else if (rd.kind == Gesture::Band) {
    const ImVec2 a(std::min(rd.from.x, m.x), std::min(rd.from.y, m.y)), b(std::max(rd.from.x, m.x), std::max(rd.from.y, m.y));
    dl->AddRectFilled(a, b, IM_COL32(120, 160, 255, 40));
    dl->AddRect(a, b, IM_COL32(120, 160, 255, 200));
    e.selectedNotes = rd.originSelection;
    for (std::size_t i = 0; i < c.notes.size(); ++i) {
      const Note& n = c.notes[i];
      const float y = L.yOf(n.pitch);
      if (L.xOf(n.start + n.length) >= a.x && L.xOf(n.start) <= b.x && y + kRowH >= a.y && y <= b.y && !isSelectedNote(static_cast<int>(i)))
        e.selectedNotes.push_back(static_cast<int>(i));
    }
    if (!ImGui::IsMouseDown(0)) rd.kind = Gesture::None;
  }
}

}  // namespace

void drawPianoRoll(Track& track, Clip& clip) {
  Studio& s = studio();
  ClipEditor& e = s.editor;
  ImGui::BeginChild("piano-roll", ImVec2(0, 0), true, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  remember("piano-roll");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos(), avail = ImGui::GetContentRegionAvail();
  RollLayout L{p0.x, p0.y, p0.x + avail.x, p0.y + avail.y, p0.x + kKeysW, p0.y + kRulerH, p0.y + avail.y - kVelocityH, e.pixelsPerBeat, e.topPitch, e.scrollBeats};
  if (e.centre) {  // a clip just opened: its notes (or the octaves around C4) in the middle of the view
    int lo = 60, hi = 72;
    if (!clip.notes.empty()) {
      lo = 127, hi = 0;
      for (const Note& n : clip.notes) lo = std::min(lo, n.pitch), hi = std::max(hi, n.pitch);
    }
    const float rows = (L.gridBottom - L.gridY) / kRowH;
    e.topPitch = std::clamp(std::floor((lo + hi) * 0.5f + rows * 0.5f), std::min(127.0f, rows), 127.0f);
    L.topPitch = e.topPitch;
    e.centre = false;
  }
  rollWheel(L);
  // Follow the playhead while playing (page by page).
  const double playBeat = contentBeat(clip, beatsNow() - clip.start);
  if (e.follow && s.playing && beatsNow() >= clip.start && beatsNow() < clip.start + clip.length) {
    if (playBeat < L.firstBeat || L.xOf(playBeat) > L.right - 20) {
      e.scrollBeats = static_cast<float>(std::max(0.0, playBeat - 1.0));
      L.firstBeat = e.scrollBeats;
    }
  }
  const int index = s.editor.clip.track;
  const ImU32 colour = trackColour(track, index);
  dl->PushClipRect(ImVec2(L.gridX, L.gridY), ImVec2(L.right, L.gridBottom), true);
  drawGrid(L, clip, dl);
  drawNotes(L, clip, colour, dl);
  if (s.playing && beatsNow() >= clip.start && beatsNow() < clip.start + clip.length)
    dl->AddLine(ImVec2(L.xOf(playBeat), L.gridY), ImVec2(L.xOf(playBeat), L.gridBottom), IM_COL32(255, 255, 255, 200), 1.5f);
  dl->PopClipRect();
  s.rects["roll-grid"] = {L.gridX, L.gridY, L.right - L.gridX, L.gridBottom - L.gridY};
  // Ruler of content beats.
  dl->PushClipRect(ImVec2(L.gridX, L.top), ImVec2(L.right, L.gridY), true);
  dl->AddRectFilled(ImVec2(L.gridX, L.top), ImVec2(L.right, L.gridY), IM_COL32(34, 34, 40, 255));
  for (double b = std::floor(L.firstBeat); L.xOf(b) < L.right; b += 1.0) {
    char text[16];
    std::snprintf(text, sizeof text, "%.0f", b + 1);
    if (L.ppb >= 24 || static_cast<long>(b) % 4 == 0) dl->AddText(ImVec2(L.xOf(b) + 2, L.top + 2), IM_COL32(170, 170, 180, 255), text);
  }
  dl->PopClipRect();
  dl->PushClipRect(ImVec2(L.left, L.gridY), ImVec2(L.gridX, L.gridBottom), true);
  drawKeyboard(L, dl);
  dl->PopClipRect();
  s.rects["roll-keys"] = {L.left, L.gridY, kKeysW, L.gridBottom - L.gridY};
  s.rects["roll-geometry"] = {static_cast<float>(L.firstBeat), L.topPitch, L.ppb, kRowH};  // beat at gridX, pitch at gridY, px/beat, px/row
  dl->PushClipRect(ImVec2(L.left, L.gridBottom), ImVec2(L.right, L.bottom), true);
  drawVelocityLane(L, clip, colour, dl);
  dl->PopClipRect();
  rollGestures(L, clip, dl);
  // What sounds while the mouse is held: the note being drawn, moved or resized, or the key pressed.
  int sounding = -1;
  double velocity = e.lastVelocity;
  if (ImGui::IsMouseDown(0)) {
    if ((rd.kind == Gesture::Move || rd.kind == Gesture::Resize) && rd.anchor >= 0 && static_cast<std::size_t>(rd.anchor) < clip.notes.size()) {
      sounding = clip.notes[static_cast<std::size_t>(rd.anchor)].pitch;
      velocity = clip.notes[static_cast<std::size_t>(rd.anchor)].velocity;
    } else if (keyHeld >= 0) {
      sounding = keyHeld;
    }
  }
  if (sounding >= 0) auditionHold(track.id, sounding, velocity);
  else auditionRelease();
  ImGui::EndChild();
}

}  // namespace mixdown::ui
