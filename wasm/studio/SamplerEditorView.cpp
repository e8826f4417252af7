// The sampler's zones in the instrument editor (mixdown.sampler): a zone map, the selected zone's sample
// as a waveform with its markers, and the zone's parameters, each with its unit. Every gesture is one
// undo step (a drag records the project when it first changes something, so a click that only selects
// records nothing).
//
// [SECTION] Zone edits     keeping a zone valid; the one door every gesture here goes through
// [SECTION] Zone map       key range x velocity range rectangles over a piano keyboard
// [SECTION] Waveform       the selected zone's sample with start, end, loop start and loop end
// [SECTION] Parameters     the selected zone's values in four columns
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "Commands.h"
#include "Studio.h"
#include "Waveforms.h"
#include "Widgets.h"

namespace mixdown::ui {

namespace {

// [SECTION] Zone edits -----------------------------------------------------------------------------------

// The asset's length in its own frames (zone positions count them); 0 when the table does not say.
std::int64_t assetFrames(const Project& p, const SampleZone& z) {
  const Asset* a = p.findAsset(z.asset);
  return a ? a->frames : 0;
}

std::int64_t zoneEnd(const SampleZone& z, std::int64_t frames) { return z.end > 0 ? z.end : std::max<std::int64_t>(frames, 1); }

// Makes a zone valid as the model checks it (ProjectJson's validateZones) after a control moved one value:
// ranges ordered, positions inside the sample, a loop inside the played span, a one-shot never looping.
void fitZone(SampleZone& z, std::int64_t frames) {
  z.lowKey = std::clamp(z.lowKey, 0, 127);
  z.highKey = std::clamp(z.highKey, z.lowKey, 127);
  z.rootKey = std::clamp(z.rootKey, 0, 127);
  z.lowVelocity = std::clamp(z.lowVelocity, 1, 127);
  z.highVelocity = std::clamp(z.highVelocity, z.lowVelocity, 127);
  if (frames > 0 && z.end >= frames) z.end = 0;  // 0: the sample's end
  const std::int64_t end = zoneEnd(z, frames);
  z.start = std::clamp<std::int64_t>(z.start, 0, end - 1);
  if (z.oneShot) z.loop = ZoneLoop::Off;
  if (z.loop != ZoneLoop::Off) {
    z.loopEnd = std::clamp<std::int64_t>(z.loopEnd, 1, end);
    z.loopStart = std::clamp<std::int64_t>(z.loopStart, 0, z.loopEnd - 1);
    z.crossfade = z.loop == ZoneLoop::Forward ? std::clamp<std::int64_t>(z.crossfade, 0, std::min(z.loopStart, z.loopEnd - z.loopStart)) : 0;
  }
  z.tuneCents = std::clamp(z.tuneCents, -4800.0, 4800.0);
  z.gainDb = std::clamp(z.gainDb, -144.0, 24.0);
  z.pan = std::clamp(z.pan, -1.0, 1.0);
  z.sustain = std::clamp(z.sustain, 0.0, 1.0);
}

// A gesture on zone `zone` of the open sampler: the first change records the project (one undo step
// named `label`), then each change replaces the zone (made valid) and tells the engine.
struct ZoneGesture {
  bool recorded = false;
  void change(SampleZone& target, SampleZone next, std::int64_t frames, const std::string& label) {
    fitZone(next, frames);
    if (next == target) return;
    if (!recorded) beginEdit(label);
    recorded = true;
    target = next;
    projectChanged();
  }
};

// What a drag in the zone map or on the waveform holds.
enum class Grip { None, LowKey, HighKey, Root, LowVelocity, HighVelocity, Body, Start, End, LoopStart, LoopEnd };
struct Drag {
  Grip grip = Grip::None;
  int zone = -1;
  SampleZone from;      // the zone as it was when pressed
  ImVec2 press;         // where (px)
  ZoneGesture gesture;
};
Drag drag;

const char* gripLabel(Grip g) {
  switch (g) {
    case Grip::LowKey: return "Move zone low key";
    case Grip::HighKey: return "Move zone high key";
    case Grip::Root: return "Move root key";
    case Grip::LowVelocity: return "Move zone low velocity";
    case Grip::HighVelocity: return "Move zone high velocity";
    case Grip::Body: return "Move zone";
    case Grip::Start: return "Move sample start";
    case Grip::End: return "Move sample end";
    case Grip::LoopStart: return "Move loop start";
    case Grip::LoopEnd: return "Move loop end";
    default: return "Edit zone";
  }
}

// Zone colours: a palette by position, so neighbouring pads differ.
ImU32 zoneColour(int k, float alpha) {
  static const ImU32 palette[] = {IM_COL32(90, 170, 230, 255), IM_COL32(230, 150, 70, 255), IM_COL32(120, 200, 110, 255),
                                  IM_COL32(210, 110, 180, 255), IM_COL32(220, 200, 80, 255), IM_COL32(120, 130, 230, 255)};
  const ImU32 c = palette[static_cast<std::size_t>(k) % (sizeof palette / sizeof palette[0])];
  return (c & 0x00FFFFFF) | (static_cast<ImU32>(std::clamp(alpha, 0.0f, 1.0f) * 255.0f) << 24);
}

bool blackKey(int key) {
  const int n = key % 12;
  return n == 1 || n == 3 || n == 6 || n == 8 || n == 10;
}

void rememberRect(const std::string& name, ImVec2 a, ImVec2 b) { studio().rects[name] = {a.x, a.y, b.x - a.x, b.y - a.y}; }

// [SECTION] Zone map -------------------------------------------------------------------------------------

struct MapArea {
  ImVec2 min, max;   // the velocity area (zones)
  float keyboardH = 30.0f;
  int firstKey = 0, keys = 128;  // the keys shown (see shownKeys)
  float kw() const { return (max.x - min.x) / static_cast<float>(keys); }
  float xOfKey(int key) const { return min.x + static_cast<float>(key - firstKey) * kw(); }
  int keyAt(float x) const { return std::clamp(firstKey + static_cast<int>((x - min.x) / kw()), firstKey, firstKey + keys - 1); }
  float yOfVelocity(int v) const { return max.y - static_cast<float>(v) / 127.0f * (max.y - min.y); }  // top of velocity v's row
  ImVec2 zoneMin(const SampleZone& z) const { return ImVec2(xOfKey(z.lowKey), yOfVelocity(z.highVelocity)); }
  ImVec2 zoneMax(const SampleZone& z) const { return ImVec2(xOfKey(z.highKey + 1), yOfVelocity(z.lowVelocity - 1)); }
};

// The keys the map shows: from the C an octave below the lowest zone to the B an octave above the
// highest, at least three octaves (a kit's pads get room to read and grab; a zone across the keyboard
// shows all 128). Kept while a drag lasts, so the keys stay under the hand.
void shownKeys(MapArea& m, const std::vector<SampleZone>& zones, bool dragging) {
  static int first = 0, count = 128;
  if (!dragging) {
    int lo = 127, hi = 0;
    for (const SampleZone& z : zones) lo = std::min(lo, z.lowKey), hi = std::max(hi, z.highKey);
    if (zones.empty()) lo = 0, hi = 127;
    first = std::max(0, lo / 12 * 12 - 12);
    int last = std::min(127, (hi / 12 + 2) * 12 - 1);
    while (last - first + 1 < 36) {  // widen up, then down
      if (last < 127) last = std::min(127, last + 12);
      else first = std::max(0, first - 12);
    }
    count = last - first + 1;
  }
  m.firstKey = first, m.keys = count;
}

// The zone a press at `p` is for: the selected one when it is under the pointer (or its edge is), else
// the smallest under it (pads over a chromatic zone), -1 for none.
int zoneAt(const MapArea& m, const std::vector<SampleZone>& zones, int selected, ImVec2 p) {
  auto inside = [&](const SampleZone& z, float slack) {
    const ImVec2 a = m.zoneMin(z), b = m.zoneMax(z);
    return p.x >= a.x - slack && p.x <= b.x + slack && p.y >= a.y - slack && p.y <= b.y + slack;
  };
  if (selected >= 0 && static_cast<std::size_t>(selected) < zones.size() && inside(zones[static_cast<std::size_t>(selected)], 2.0f)) return selected;
  int best = -1;
  float bestArea = 0;
  for (std::size_t k = 0; k < zones.size(); ++k) {
    if (!inside(zones[k], 0.0f)) continue;
    const ImVec2 a = m.zoneMin(zones[k]), b = m.zoneMax(zones[k]);
    const float area = (b.x - a.x) * (b.y - a.y);
    if (best < 0 || area <= bestArea) best = static_cast<int>(k), bestArea = area;
  }
  return best;
}

// Which part of zone `z` a press at `p` takes: an edge (within a few pixels, less on a narrow zone), the
// root key's column, or the body.
Grip gripAt(const MapArea& m, const SampleZone& z, ImVec2 p) {
  const ImVec2 a = m.zoneMin(z), b = m.zoneMax(z);
  // The root key's line first (the middle of its key's column: a root on the zone's edge key stays
  // takeable), then the edges.
  const float rootX = m.xOfKey(z.rootKey) + m.kw() * 0.5f;
  if (std::fabs(p.x - rootX) <= m.kw() * 0.35f) return Grip::Root;
  const float grip = std::min(3.0f, (b.x - a.x) * 0.2f);
  if (std::fabs(p.x - a.x) <= grip) return Grip::LowKey;
  if (std::fabs(p.x - b.x) <= grip) return Grip::HighKey;
  if (std::fabs(p.y - a.y) <= 4.0f) return Grip::HighVelocity;
  if (std::fabs(p.y - b.y) <= 4.0f) return Grip::LowVelocity;
  return Grip::Body;
}

void drawKeyboard(ImDrawList* dl, const MapArea& m, const Track& track, int root) {
  const float top = m.max.y + 2, bottom = m.max.y + 2 + m.keyboardH;
  dl->AddRectFilled(ImVec2(m.min.x, top), ImVec2(m.max.x, bottom), IM_COL32(225, 225, 228, 255));
  for (int k = m.firstKey; k < m.firstKey + m.keys; ++k) {
    const float x = m.xOfKey(k);
    if (blackKey(k)) dl->AddRectFilled(ImVec2(x, top), ImVec2(x + m.kw(), top + m.keyboardH * 0.62f), IM_COL32(30, 30, 34, 255));
    if (k % 12 == 0 || k % 12 == 5) dl->AddLine(ImVec2(x, top), ImVec2(x, bottom), IM_COL32(150, 150, 156, 255));
    if (k % 12 == 0) dl->AddText(ImVec2(x + 1, bottom - ImGui::GetTextLineHeight()), IM_COL32(70, 70, 80, 255), noteName(k).c_str());
  }
  if (root >= 0) {  // the selected zone's root key, lit on the keyboard
    const float x = m.xOfKey(root);
    dl->AddRectFilled(ImVec2(x, top), ImVec2(x + m.kw(), top + m.keyboardH * 0.62f), IM_COL32(255, 190, 60, 255));
  }
  // Pressing a key plays it (a live note, not an edit).
  ImGui::SetCursorScreenPos(ImVec2(m.min.x, top));
  ImGui::InvisibleButton("sampler-keyboard", ImVec2(m.max.x - m.min.x, m.keyboardH));
  remember("sampler-keyboard");
  if (ImGui::IsItemActive()) {
    auditionHold(track.id, m.keyAt(ImGui::GetIO().MousePos.x), 0.8);
  } else if (ImGui::IsItemDeactivated()) {
    auditionRelease();
  }
  if (ImGui::IsItemHovered()) {
    const int key = m.keyAt(ImGui::GetIO().MousePos.x);
    ImGui::SetTooltip("%s (%d): press to play", noteName(key).c_str(), key);
  }
}

void drawZoneMap(Track& track, int& selected, float width) {
  Studio& s = studio();
  std::vector<SampleZone>& zones = track.instrument->zones;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  MapArea m;
  m.min = ImGui::GetCursorScreenPos();
  m.max = ImVec2(m.min.x + width, m.min.y + 120.0f);
  shownKeys(m, zones, drag.zone >= 0 && ImGui::IsMouseDown(ImGuiMouseButton_Left));
  dl->PushClipRect(m.min, ImVec2(m.max.x, m.max.y + 2 + m.keyboardH), true);
  dl->AddRectFilled(m.min, m.max, IM_COL32(28, 28, 33, 255));
  for (int k = m.firstKey; k < m.firstKey + m.keys; ++k)  // black keys' columns a shade darker, octaves marked
    if (blackKey(k)) dl->AddRectFilled(ImVec2(m.xOfKey(k), m.min.y), ImVec2(m.xOfKey(k + 1), m.max.y), IM_COL32(22, 22, 26, 255));
  for (int k = (m.firstKey + 11) / 12 * 12; k < m.firstKey + m.keys; k += 12) dl->AddLine(ImVec2(m.xOfKey(k), m.min.y), ImVec2(m.xOfKey(k), m.max.y), IM_COL32(55, 55, 64, 255));
  for (int v : {32, 64, 96}) dl->AddLine(ImVec2(m.min.x, m.yOfVelocity(v)), ImVec2(m.max.x, m.yOfVelocity(v)), IM_COL32(45, 45, 52, 255));
  for (auto it = s.rects.begin(); it != s.rects.end();) it = it->first.rfind("sampler-zone", 0) == 0 ? s.rects.erase(it) : std::next(it);
  // Zones, the selected one last (on top) and lit, with its grips.
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t k = 0; k < zones.size(); ++k) {
      const bool isSelected = static_cast<int>(k) == selected;
      if (isSelected != (pass == 1)) continue;
      const SampleZone& z = zones[k];
      const ImVec2 a = m.zoneMin(z), b = m.zoneMax(z);
      dl->AddRectFilled(a, b, zoneColour(static_cast<int>(k), isSelected ? 0.55f : 0.25f), 2.0f);
      dl->AddRect(a, b, isSelected ? IM_COL32(255, 255, 255, 230) : zoneColour(static_cast<int>(k), 0.8f), 2.0f, 0, isSelected ? 2.0f : 1.0f);
      const float rootX = m.xOfKey(z.rootKey) + m.kw() * 0.5f;
      dl->AddLine(ImVec2(rootX, a.y), ImVec2(rootX, b.y), isSelected ? IM_COL32(255, 190, 60, 255) : IM_COL32(255, 190, 60, 110), 1.5f);
      const Asset* asset = s.project.findAsset(z.asset);
      const std::string name = asset ? asset->name : z.asset;
      if (b.x - a.x > 18.0f) {
        dl->PushClipRect(a, b, true);
        dl->AddText(ImVec2(a.x + 4, a.y + 3), IM_COL32(235, 235, 240, 255), name.c_str());
        dl->PopClipRect();
      }
      rememberRect("sampler-zone:" + std::to_string(k), a, b);
      if (isSelected) {
        rememberRect("sampler-zone-low", ImVec2(a.x - 1, a.y), ImVec2(a.x + 1, b.y));
        rememberRect("sampler-zone-high", ImVec2(b.x - 1, a.y), ImVec2(b.x + 1, b.y));
        rememberRect("sampler-zone-root", ImVec2(rootX - 1, a.y), ImVec2(rootX + 1, b.y));
      }
    }
  if (zones.empty()) {
    const char* hint = "Drop audio files here: one file plays across the keyboard around C4, several become pads from C1 up";
    const ImVec2 size = ImGui::CalcTextSize(hint);
    dl->AddText(ImVec2((m.min.x + m.max.x - size.x) * 0.5f, (m.min.y + m.max.y - size.y) * 0.5f), IM_COL32(160, 160, 170, 255), hint);
  }
  // Input: press selects (and takes an edge, the root or the body); a drag moves what it took.
  ImGui::SetCursorScreenPos(m.min);
  ImGui::InvisibleButton("sampler-keymap", ImVec2(m.max.x - m.min.x, m.max.y - m.min.y));
  remember("sampler-keymap");
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (ImGui::IsItemActivated()) {
    drag = Drag{};
    const int k = zoneAt(m, zones, selected, mouse);
    if (k >= 0) {
      selected = k;
      drag.zone = k;
      drag.from = zones[static_cast<std::size_t>(k)];
      drag.grip = gripAt(m, drag.from, mouse);
      drag.press = mouse;
    }
  }
  if (ImGui::IsItemActive() && drag.zone >= 0 && static_cast<std::size_t>(drag.zone) < zones.size() && drag.grip != Grip::None) {
    const int keys = static_cast<int>(std::lround((mouse.x - drag.press.x) / m.kw()));
    const int velocities = static_cast<int>(std::lround(-(mouse.y - drag.press.y) / (m.max.y - m.min.y) * 127.0f));
    SampleZone next = drag.from;
    switch (drag.grip) {
      case Grip::LowKey: next.lowKey = std::min(drag.from.lowKey + keys, drag.from.highKey); break;
      case Grip::HighKey: next.highKey = std::max(drag.from.highKey + keys, drag.from.lowKey); break;
      case Grip::Root: next.rootKey = drag.from.rootKey + keys; break;
      case Grip::LowVelocity: next.lowVelocity = std::min(drag.from.lowVelocity + velocities, drag.from.highVelocity); break;
      case Grip::HighVelocity: next.highVelocity = std::max(drag.from.highVelocity + velocities, drag.from.lowVelocity); break;
      case Grip::Body: {  // the zone and its root move together, inside the keyboard
        const int by = std::clamp(keys, -drag.from.lowKey, 127 - drag.from.highKey);
        next.lowKey += by, next.highKey += by, next.rootKey = std::clamp(next.rootKey + by, 0, 127);
        break;
      }
      default: break;
    }
    SampleZone& target = zones[static_cast<std::size_t>(drag.zone)];
    drag.gesture.change(target, next, assetFrames(s.project, target), gripLabel(drag.grip));
  }
  if (ImGui::IsItemHovered() && !ImGui::IsItemActive()) {
    const int k = zoneAt(m, zones, selected, mouse);
    if (k >= 0) {
      const SampleZone& z = zones[static_cast<std::size_t>(k)];
      const Asset* asset = s.project.findAsset(z.asset);
      ImGui::SetTooltip("%s\nkeys %s..%s, root %s, velocity %d..%d\ndrag an edge for the range, the orange line for the root key",
                        asset ? asset->name.c_str() : z.asset.c_str(), noteName(z.lowKey).c_str(), noteName(z.highKey).c_str(),
                        noteName(z.rootKey).c_str(), z.lowVelocity, z.highVelocity);
    }
  }
  drawKeyboard(dl, m, track, selected >= 0 && static_cast<std::size_t>(selected) < zones.size() ? zones[static_cast<std::size_t>(selected)].rootKey : -1);
  dl->PopClipRect();
}

// [SECTION] Waveform -------------------------------------------------------------------------------------

void drawZoneWaveform(SampleZone& z, float width) {
  Studio& s = studio();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 a = ImGui::GetCursorScreenPos(), b(a.x + width, a.y + 96.0f);
  dl->AddRectFilled(a, b, IM_COL32(24, 24, 29, 255));
  const Asset* asset = s.project.findAsset(z.asset);
  const std::int64_t frames = asset ? asset->frames : 0;
  const double rate = asset && asset->sampleRate > 0 ? asset->sampleRate : 48000.0;
  const float perFrame = frames > 0 ? width / static_cast<float>(frames) : 0.0f;
  auto xOf = [&](std::int64_t f) { return a.x + static_cast<float>(f) * perFrame; };
  const std::int64_t end = zoneEnd(z, frames);
  const bool loops = z.loop != ZoneLoop::Off;
  if (loops) dl->AddRectFilled(ImVec2(xOf(z.loopStart), a.y), ImVec2(xOf(z.loopEnd), b.y), IM_COL32(200, 170, 60, 40));
  // The span played bright, the rest of the file dim.
  const bool drawn = frames > 0 && drawAssetSeconds(dl, z.asset, 0.0, static_cast<double>(frames) / rate, a, b, [&](double seconds) {
    const double f = seconds * rate;
    return f >= static_cast<double>(z.start) && f < static_cast<double>(end) ? IM_COL32(120, 190, 240, 255) : IM_COL32(70, 90, 110, 255);
  });
  if (!drawn) {
    const char* text = frames > 0 ? "the sample's audio is missing: drop the file again" : "no sample";
    dl->AddText(ImVec2(a.x + 8, a.y + 8), IM_COL32(200, 140, 90, 255), text);
  }
  dl->AddLine(ImVec2(a.x, (a.y + b.y) * 0.5f), ImVec2(b.x, (a.y + b.y) * 0.5f), IM_COL32(60, 60, 70, 255));
  // Markers: start and end take the upper half, the loop's the lower half (so markers on one frame can
  // each be taken). Flags name them.
  const float midY = (a.y + b.y) * 0.5f;
  // A start's flag points into the span after it, an end's into the span before it.
  auto marker = [&](const char* id, std::int64_t f, ImU32 colour, const char* flag, bool upper, bool isEnd) {
    const float x = xOf(f), fx = isEnd ? x - 12 : x;
    dl->AddLine(ImVec2(x, a.y), ImVec2(x, b.y), colour, 1.5f);
    const float fy = upper ? a.y : b.y - ImGui::GetTextLineHeight();
    dl->AddRectFilled(ImVec2(fx, fy), ImVec2(fx + 12, fy + ImGui::GetTextLineHeight()), colour);
    dl->AddText(ImVec2(fx + 3, fy), IM_COL32(20, 20, 20, 255), flag);
    rememberRect(std::string("sampler-marker:") + id, ImVec2(x - 3, upper ? a.y : midY), ImVec2(x + 3, upper ? midY : b.y));
  };
  for (auto it = s.rects.begin(); it != s.rects.end();) it = it->first.rfind("sampler-marker:", 0) == 0 ? s.rects.erase(it) : std::next(it);
  if (frames > 0) {
    marker("start", z.start, IM_COL32(110, 220, 120, 255), "S", true, false);
    marker("end", end, IM_COL32(230, 100, 90, 255), "E", true, true);
    if (loops) {
      marker("loopStart", z.loopStart, IM_COL32(230, 190, 70, 255), "L", false, false);
      marker("loopEnd", z.loopEnd, IM_COL32(230, 190, 70, 255), "L", false, true);
    }
  }
  ImGui::SetCursorScreenPos(a);
  ImGui::InvisibleButton("sampler-waveform", ImVec2(width, b.y - a.y));
  remember("sampler-waveform");
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (ImGui::IsItemActivated() && frames > 0) {
    drag = Drag{};
    // The nearest marker of the half pressed (within 8 px), else of the other half.
    const std::pair<Grip, std::int64_t> upper[] = {{Grip::Start, z.start}, {Grip::End, end}};
    const std::pair<Grip, std::int64_t> lower[] = {{Grip::LoopStart, z.loopStart}, {Grip::LoopEnd, z.loopEnd}};
    auto nearest = [&](const auto& set, bool enabled) {
      Grip g = Grip::None;
      float best = 8.0f;
      if (!enabled) return g;
      for (const auto& [grip, f] : set)
        if (std::fabs(mouse.x - xOf(f)) <= best) best = std::fabs(mouse.x - xOf(f)), g = grip;
      return g;
    };
    const bool top = mouse.y < midY;
    Grip g = top ? nearest(upper, true) : nearest(lower, loops);
    if (g == Grip::None) g = top ? nearest(lower, loops) : nearest(upper, true);
    drag.grip = g;
    drag.from = z;
    drag.press = mouse;
    drag.zone = -2;  // the waveform's (the zone is the selected one)
  }
  if (ImGui::IsItemActive() && drag.zone == -2 && drag.grip != Grip::None && perFrame > 0) {
    const std::int64_t f = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::llround((mouse.x - a.x) / perFrame)), 0, frames);
    SampleZone next = drag.from;
    const std::int64_t fromEnd = zoneEnd(drag.from, frames);
    switch (drag.grip) {
      case Grip::Start: next.start = std::min(f, fromEnd - 1); break;
      case Grip::End: next.end = std::max({f, drag.from.start + 1, loops ? drag.from.loopEnd : 0}); break;
      case Grip::LoopStart: next.loopStart = std::min(f, drag.from.loopEnd - 1); break;
      case Grip::LoopEnd: next.loopEnd = std::clamp(f, drag.from.loopStart + 1, fromEnd); break;
      default: break;
    }
    drag.gesture.change(z, next, frames, gripLabel(drag.grip));
  }
  if (ImGui::IsItemHovered() && frames > 0) {
    const double at = std::clamp(static_cast<double>((mouse.x - a.x) / perFrame), 0.0, static_cast<double>(frames));
    ImGui::SetTooltip("%.3f s (frame %lld of %lld)\nS/E: start and end; L: the loop (drag them)", at / rate, static_cast<long long>(at),
                      static_cast<long long>(frames));
  }
}

// [SECTION] Parameters -----------------------------------------------------------------------------------

// One control of the selected zone: `draw` shows the widget on `value` (a copy); when it is activated
// the gesture starts, when it changes `apply` writes the value into a copy of the zone.
// One control is active at a time: one gesture serves them all, owned by the control that started it.
struct ControlGesture {
  ImGuiID owner = 0;
  ZoneGesture gesture;
};
ControlGesture control;

template <class T, class Draw, class Apply>
void zoneControl(SampleZone& z, std::int64_t frames, const char* label, const char* rect, T value, Draw draw, Apply apply) {
  ImGui::SetNextItemWidth(130);
  const bool changed = draw(label, value);
  const ImGuiID id = ImGui::GetItemID();
  if (ImGui::IsItemActivated() || (changed && control.owner != id)) control = ControlGesture{id, {}};
  remember(std::string("sampler-param:") + rect);
  if (changed) {
    SampleZone next = z;
    apply(next, value);
    control.gesture.change(z, next, frames, std::string("Zone ") + label);
  }
  if (!ImGui::IsItemActive() && control.owner == id) control = ControlGesture{};  // released: the gesture ends
}

bool keySlider(const char* label, int& key) {
  const std::string format = noteName(key) + " (%d)";
  return ImGui::SliderInt(label, &key, 0, 127, format.c_str(), ImGuiSliderFlags_AlwaysClamp);
}

// Frames as seconds of the asset's rate.
bool secondsSlider(const char* label, double& seconds, double maxSeconds) {
  const double lo = 0.0;
  return ImGui::SliderScalar(label, ImGuiDataType_Double, &seconds, &lo, &maxSeconds, "%.3f s", ImGuiSliderFlags_AlwaysClamp);
}

bool msSlider(const char* label, float& ms) {
  return ImGui::SliderFloat(label, &ms, 0.0f, 20000.0f, "%.0f ms", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
}

void zoneParameters(SampleZone& z, std::int64_t frames, double rate) {
  const double length = static_cast<double>(std::max<std::int64_t>(frames, 1)) / rate;
  auto toFrames = [&](double seconds) { return static_cast<std::int64_t>(std::llround(seconds * rate)); };
  auto column = [](const char* title) {
    ImGui::BeginGroup();
    ImGui::TextDisabled("%s", title);
  };
  auto endColumn = [] {
    ImGui::EndGroup();
    ImGui::SameLine(0, 20);
  };
  column("Keys and velocity");
  zoneControl(z, frames, "Root key", "root", z.rootKey, keySlider, [](SampleZone& n, int v) { n.rootKey = v; });
  zoneControl(z, frames, "Low key", "lowKey", z.lowKey, keySlider, [](SampleZone& n, int v) { n.lowKey = v; });
  zoneControl(z, frames, "High key", "highKey", z.highKey, keySlider, [](SampleZone& n, int v) { n.highKey = v; });
  auto velocity = [](const char* l, int& v) { return ImGui::SliderInt(l, &v, 1, 127, "%d", ImGuiSliderFlags_AlwaysClamp); };
  zoneControl(z, frames, "Low velocity", "lowVelocity", z.lowVelocity, velocity, [](SampleZone& n, int v) { n.lowVelocity = v; });
  zoneControl(z, frames, "High velocity", "highVelocity", z.highVelocity, velocity, [](SampleZone& n, int v) { n.highVelocity = v; });
  endColumn();

  column("Sample and loop");
  auto seconds = [&](const char* l, double& v) { return secondsSlider(l, v, length); };
  zoneControl(z, frames, "Start", "start", static_cast<double>(z.start) / rate, seconds, [&](SampleZone& n, double v) { n.start = toFrames(v); });
  zoneControl(z, frames, "End", "end", static_cast<double>(zoneEnd(z, frames)) / rate, seconds,
              [&](SampleZone& n, double v) { n.end = std::max(toFrames(v), n.start + 1); });
  const char* modes[] = {"Off", "Forward", "Ping-pong"};
  zoneControl(z, frames, "Loop", "loop", static_cast<int>(z.loop),
              [&](const char* l, int& v) { return ImGui::Combo(l, &v, modes, 3); },
              [&](SampleZone& n, int v) {
                const bool was = n.loop != ZoneLoop::Off;
                n.loop = static_cast<ZoneLoop>(v);
                if (n.loop != ZoneLoop::Off) n.oneShot = false;  // a looping zone is gated
                if (!was && n.loop != ZoneLoop::Off && n.loopEnd <= n.loopStart) n.loopStart = n.start, n.loopEnd = zoneEnd(n, frames);
              });
  if (z.loop != ZoneLoop::Off) {
    zoneControl(z, frames, "Loop start", "loopStart", static_cast<double>(z.loopStart) / rate, seconds,
                [&](SampleZone& n, double v) { n.loopStart = toFrames(v); });
    zoneControl(z, frames, "Loop end", "loopEnd", static_cast<double>(z.loopEnd) / rate, seconds,
                [&](SampleZone& n, double v) { n.loopEnd = std::max(toFrames(v), n.loopStart + 1); });
    if (z.loop == ZoneLoop::Forward) {
      const float maxMs = static_cast<float>(static_cast<double>(std::min(z.loopStart, z.loopEnd - z.loopStart)) / rate * 1000.0);
      zoneControl(z, frames, "Crossfade", "crossfade", static_cast<float>(static_cast<double>(z.crossfade) / rate * 1000.0),
                  [&](const char* l, float& v) { return ImGui::SliderFloat(l, &v, 0.0f, std::max(maxMs, 0.0f), "%.1f ms", ImGuiSliderFlags_AlwaysClamp); },
                  [&](SampleZone& n, float v) { n.crossfade = toFrames(v / 1000.0); });
    }
  }
  endColumn();

  column("Pitch and level");
  const int semitones = static_cast<int>(std::lround(z.tuneCents / 100.0));
  const int cents = static_cast<int>(std::lround(z.tuneCents - 100.0 * semitones));
  zoneControl(z, frames, "Transpose", "transpose", semitones,
              [](const char* l, int& v) { return ImGui::SliderInt(l, &v, -48, 48, "%+d st", ImGuiSliderFlags_AlwaysClamp); },
              [&](SampleZone& n, int v) { n.tuneCents = 100.0 * v + cents; });
  zoneControl(z, frames, "Detune", "detune", cents,
              [](const char* l, int& v) { return ImGui::SliderInt(l, &v, -50, 50, "%+d ct", ImGuiSliderFlags_AlwaysClamp); },
              [&](SampleZone& n, int v) { n.tuneCents = 100.0 * semitones + v; });
  zoneControl(z, frames, "Gain", "gain", static_cast<float>(z.gainDb),
              [](const char* l, float& v) { return ImGui::SliderFloat(l, &v, -48.0f, 24.0f, "%.1f dB", ImGuiSliderFlags_AlwaysClamp); },
              [](SampleZone& n, float v) { n.gainDb = v; });
  zoneControl(z, frames, "Pan", "pan", static_cast<float>(z.pan),
              [](const char* l, float& v) {
                return ImGui::SliderFloat(l, &v, -1.0f, 1.0f, v == 0.0f ? "C" : v < 0 ? "L%.2f" : "R%.2f", ImGuiSliderFlags_AlwaysClamp);
              },
              [](SampleZone& n, float v) { n.pan = v; });
  zoneControl(z, frames, "One-shot", "oneShot", z.oneShot, [](const char* l, bool& v) { return ImGui::Checkbox(l, &v); },
              [](SampleZone& n, bool v) { n.oneShot = v; });
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("On: plays to its end whatever the note-off (no loop). Off: gated, released at note-off.");
  endColumn();

  column("Envelope and choke");
  zoneControl(z, frames, "Attack", "attack", static_cast<float>(z.attackMs), msSlider, [](SampleZone& n, float v) { n.attackMs = v; });
  zoneControl(z, frames, "Decay", "decay", static_cast<float>(z.decayMs), msSlider, [](SampleZone& n, float v) { n.decayMs = v; });
  zoneControl(z, frames, "Sustain", "sustain", static_cast<float>(z.sustain * 100.0),
              [](const char* l, float& v) { return ImGui::SliderFloat(l, &v, 0.0f, 100.0f, "%.0f %%", ImGuiSliderFlags_AlwaysClamp); },
              [](SampleZone& n, float v) { n.sustain = v / 100.0; });
  zoneControl(z, frames, "Release", "release", static_cast<float>(z.releaseMs), msSlider, [](SampleZone& n, float v) { n.releaseMs = v; });
  // One number for both of the model's: the zone's group, and the group that cuts it (SFZ's off_by).
  zoneControl(z, frames, "Choke group", "choke", z.group,
              [](const char* l, int& v) { return ImGui::SliderInt(l, &v, 0, 16, v == 0 ? "none" : "%d", ImGuiSliderFlags_AlwaysClamp); },
              [](SampleZone& n, int v) { n.group = n.offBy = v; });
  if (ImGui::IsItemHovered() && z.group == z.offBy) ImGui::SetTooltip("Zones of one choke group cut each other (open and closed hats)");
  else if (ImGui::IsItemHovered()) ImGui::SetTooltip("Imported: group %d, cut by group %d. Moving this sets both.", z.group, z.offBy);
  ImGui::EndGroup();
}

}  // namespace

void drawSamplerZones(int trackIndex) {
  Studio& s = studio();
  Track& track = s.project.tracks[static_cast<std::size_t>(trackIndex)];
  std::vector<SampleZone>& zones = track.instrument->zones;
  int& selected = s.samplerZone;
  if (selected >= static_cast<int>(zones.size())) selected = static_cast<int>(zones.size()) - 1;
  if (selected < 0 && !zones.empty()) selected = 0;
  const float width = std::max(400.0f, ImGui::GetContentRegionAvail().x);
  // The zone list's buttons, then the map.
  ImGui::TextDisabled("%zu zone%s", zones.size(), zones.size() == 1 ? "" : "s");
  ImGui::SameLine();
  ImGui::BeginDisabled(selected < 0 || zones.size() >= kMaxZones);
  if (ImGui::SmallButton("+ Zone")) {
    const int at = selected;
    command("Add zone", [&](Project& p) {
      auto& zs = p.tracks[static_cast<std::size_t>(trackIndex)].instrument->zones;
      zs.insert(zs.begin() + at + 1, zs[static_cast<std::size_t>(at)]);
    });
    selected = at + 1;
  }
  ImGui::EndDisabled();
  remember("sampler-add-zone");
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("A copy of the selected zone (drop audio files for new samples)");
  ImGui::SameLine();
  ImGui::BeginDisabled(selected < 0);
  if (ImGui::SmallButton("Remove zone")) {
    const int at = selected;
    command("Remove zone", [&](Project& p) {
      auto& zs = p.tracks[static_cast<std::size_t>(trackIndex)].instrument->zones;
      zs.erase(zs.begin() + at);
    });
    selected = std::min(at, static_cast<int>(zones.size()) - 1);
  }
  ImGui::EndDisabled();
  remember("sampler-remove-zone");
  if (selected >= 0) {
    const SampleZone& z = zones[static_cast<std::size_t>(selected)];
    const Asset* asset = s.project.findAsset(z.asset);
    ImGui::SameLine(0, 16);
    ImGui::Text("Zone %d: %s", selected + 1, asset ? asset->name.c_str() : z.asset.c_str());
  }
  drawZoneMap(track, selected, width);
  if (selected < 0) return;
  SampleZone& z = zones[static_cast<std::size_t>(selected)];
  drawZoneWaveform(z, width);
  const Asset* asset = s.project.findAsset(z.asset);
  zoneParameters(z, asset ? asset->frames : 0, asset && asset->sampleRate > 0 ? asset->sampleRate : 48000.0);
}

}  // namespace mixdown::ui
