#include "Controls.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <unordered_map>

#include "Studio.h"
#include "Theme.h"
#include "imgui_internal.h"  // RenderTextEllipsis, SetItemKeyOwner

namespace mixdown::ui {

namespace {

constexpr double kFaderTopDb = 12.0, kFaderBottomDb = -60.0, kSilentDb = -144.0;
constexpr float kCapHeight = 12.0f;

double toNorm(const ControlRange& r, double v) {
  if (!(r.max > r.min)) return 0.0;
  v = std::clamp(v, r.min, r.max);
  if (r.logarithmic && r.min > 0) return std::log(v / r.min) / std::log(r.max / r.min);
  return (v - r.min) / (r.max - r.min);
}

double fromNorm(const ControlRange& r, double n) {
  n = std::clamp(n, 0.0, 1.0);
  if (r.logarithmic && r.min > 0) return std::clamp(r.min * std::pow(r.max / r.min, n), r.min, r.max);
  return r.min + n * (r.max - r.min);
}

// Where a drag began, per control (the value follows the hand in the control's own travel, so a value
// that the model rounds still moves smoothly).
std::unordered_map<ImGuiID, double>& dragStates() {
  static std::unordered_map<ImGuiID, double> states;
  return states;
}

// The wheel's gesture: notches on one control within 0.6 s are one undo step.
struct WheelGesture {
  ImGuiID id = 0;
  double at = -10.0;
};
WheelGesture wheel;

// Claims the wheel while hovered (so the view under the control does not scroll) and returns the
// notches this frame, with whether they start a new gesture.
float wheelNotches(ImGuiID id, bool& starts) {
  ImGui::SetItemKeyOwner(ImGuiKey_MouseWheelY);
  const float notches = ImGui::GetIO().MouseWheel;
  starts = false;
  if (notches != 0.0f) {
    const double now = ImGui::GetTime();
    starts = wheel.id != id || now - wheel.at > 0.6;
    wheel = {id, now};
  }
  return notches;
}

// Gestures make an undo step only when they change something (a click that moves nothing makes none):
// `began` is set on a gesture's first change, or on a change with a gesture of its own (reset, typed,
// a new wheel gesture: those set `began` before this).
ImGuiID dragBegun = 0;  // the control whose drag (the one under way) has made its undo step

void finishGesture(ControlEdit& e, ImGuiID key, bool changed, bool dragging) {
  e.changed = changed;
  if (!changed) return;
  if (dragging && !e.began) {
    if (dragBegun != key) {
      dragBegun = key;
      e.began = true;
    }
  } else if (!dragging) {
    dragBegun = 0;
  }
}

// A typed value: "1.5k" is 1500 (kHz, k-ohms, kilo anything), "-inf" the bottom of a level; the unit
// may be typed after the number ("250 ms"). False when the text holds no number.
bool parseTyped(const char* text, double& out) {
  while (*text == ' ') ++text;
  if (std::strncmp(text, "-inf", 4) == 0) {
    out = -INFINITY;
    return true;
  }
  char* end = nullptr;
  const double v = std::strtod(text, &end);
  if (end == text || !std::isfinite(v)) return false;
  while (*end == ' ') ++end;
  out = (*end == 'k' || *end == 'K') ? v * 1000.0 : v;
  return true;
}

// The "type a value" popup of the control `id`, open after Ctrl+click or Enter. Returns true with `out`
// set when a number was confirmed with Enter.
bool typedValuePopup(const char* popupId, const std::string& current, double& out) {
  static char buffer[32];
  if (ImGui::IsPopupOpen(popupId) == false) return false;
  bool done = false;
  if (ImGui::BeginPopup(popupId)) {
    if (ImGui::IsWindowAppearing()) {
      std::snprintf(buffer, sizeof buffer, "%s", current.c_str());
      ImGui::SetKeyboardFocusHere();
    }
    ImGui::SetNextItemWidth(90);
    if (ImGui::InputText("##typed", buffer, sizeof buffer, ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll)) {
      done = parseTyped(buffer, out);
      ImGui::CloseCurrentPopup();
    }
    if (ImGui::IsKeyPressed(ImGuiKey_Escape)) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
  return done;
}

std::string plainNumber(double v);

// The gesture that a knob, a fader and a level bar share, in the control's own travel (`toTravel`: a
// knob's 0..1, a fader's dB): a drag moves it from where it was by `perPixel` a pixel of `pull` (Shift a
// tenth), a double-click resets it, the wheel steps, Ctrl+click or Enter types a value. The caller has
// just made the control's item; it draws after.
struct ValueGesture {
  std::string label, resetLabel;  // the undo steps' names
  double perPixel = 0.0;          // travel a pixel of drag
  float pull = 0.0f;              // this frame's drag along the travel, in pixels (positive raises)
  double wheelStep = 0.0, wheelFine = 0.0;  // travel a wheel notch, and with Shift
  double resetValue = 0.0;        // the double-click's value
  std::function<double(double)> toTravel, fromTravel;  // value <-> travel (fromTravel clamps and stores)
  std::function<double(double)> fromTyped;             // a typed number (-inf for "-inf") to the value
  std::string typedText;          // the value as the typing popup starts with it
};

ControlEdit valueGesture(const ValueGesture& g, double& value) {
  ControlEdit e;
  ImGuiIO& io = ImGui::GetIO();
  const ImGuiID key = ImGui::GetItemID();
  const bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();
  const double before = value;
  if (ImGui::IsItemActivated()) {
    if (io.KeyCtrl) {
      ImGui::OpenPopup("##type");
    } else {
      dragStates()[key] = g.toTravel(value);
      if (dragBegun == key) dragBegun = 0;  // a new drag: its own undo step
      e.label = g.label;
    }
  }
  if (active && !io.KeyCtrl && dragStates().count(key) && g.pull != 0.0f) {
    double& held = dragStates()[key];
    held = g.toTravel(g.fromTravel(held + g.pull * g.perPixel * (io.KeyShift ? 0.1 : 1.0)));
    value = g.fromTravel(held);
    e.label = g.label;
  }
  if (ImGui::IsItemDeactivated()) dragStates().erase(key);
  if (hovered && ImGui::IsMouseDoubleClicked(0)) {
    e.began = true;
    e.label = g.resetLabel;
    value = g.resetValue;
    if (dragStates().count(key)) dragStates()[key] = g.toTravel(value);  // a drag after it goes on from here
  }
  if (hovered) {
    bool starts = false;
    const float notches = wheelNotches(key, starts);
    if (notches != 0.0f) {
      if (starts) {
        e.began = true;
        e.label = g.label;
      }
      value = g.fromTravel(g.toTravel(value) + notches * (io.KeyShift ? g.wheelFine : g.wheelStep));
    }
    if (ImGui::IsKeyPressed(ImGuiKey_Enter) || ImGui::IsKeyPressed(ImGuiKey_KeypadEnter)) ImGui::OpenPopup("##type");
  }
  double typed = 0;
  if (typedValuePopup("##type", g.typedText, typed)) {
    e.began = true;
    e.label = g.label;
    value = g.fromTyped(typed);
  }
  finishGesture(e, key, value != before, active);
  return e;
}

std::string plainNumber(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

void centredText(ImDrawList* dl, ImFont* font, float size, ImVec2 centreTop, ImU32 colour, const std::string& text, float width) {
  const ImVec2 extent = font->CalcTextSizeA(size, FLT_MAX, 0.0f, text.c_str());
  if (extent.x <= width) {
    dl->AddText(font, size, ImVec2(std::round(centreTop.x - extent.x * 0.5f), centreTop.y), colour, text.c_str());
    return;
  }
  ImGui::PushFont(font);
  ImGui::RenderTextEllipsis(dl, ImVec2(centreTop.x - width * 0.5f, centreTop.y), ImVec2(centreTop.x + width * 0.5f, centreTop.y + size),
                            centreTop.x + width * 0.5f, centreTop.x + width * 0.5f, text.c_str(), nullptr, &extent);
  ImGui::PopFont();
}

// A bar's name and value in the small type on one line at `textY`: the value whole at the right, the
// name (dim) left of it, ending in an ellipsis when it does not fit.
void nameAndValue(ImDrawList* dl, ImVec2 at, float width, float textY, const std::string& name, const std::string& value) {
  ImFont* small = fonts().small ? fonts().small : ImGui::GetFont();
  const float smallSize = ImGui::GetFontSize() * kSmallFontSize / kFontSize;
  const ImVec2 valueSize = small->CalcTextSizeA(smallSize, FLT_MAX, 0.0f, value.c_str());
  dl->AddText(small, smallSize, ImVec2(at.x + width - 4 - valueSize.x, textY), colour::kText, value.c_str());
  const float nameRight = at.x + width - 8 - valueSize.x;
  const ImVec2 nameSize = small->CalcTextSizeA(smallSize, FLT_MAX, 0.0f, name.c_str());
  ImGui::PushFont(small);
  ImGui::PushStyleColor(ImGuiCol_Text, colour::kTextDim);
  ImGui::RenderTextEllipsis(dl, ImVec2(at.x + 4, textY), ImVec2(nameRight, textY + nameSize.y), nameRight, nameRight, name.c_str(), nullptr, &nameSize);
  ImGui::PopStyleColor();
  ImGui::PopFont();
}

}  // namespace

std::string formatValue(double v, const std::string& unit);

namespace {
std::string shownValue(const ControlRange& r, double v) { return r.format ? r.format(v) : formatValue(v, r.unit); }
// The gestures of a knob or a value bar on the item just drawn (drag right or up raises, Shift fine, the
// wheel steps, double-click resets, Ctrl+click types) and its tooltip (`drag` says which way to drag).
ControlEdit rangeGesture(const std::string& name, const ControlRange& range, double& value, const char* drag) {
  ImGuiIO& io = ImGui::GetIO();
  const bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();
  ValueGesture g;
  g.label = name;
  g.resetLabel = "Reset " + name;  // "Reset " for an unnamed knob
  g.perPixel = 1.0 / kKnobTravelPixels;
  g.pull = io.MouseDelta.x - io.MouseDelta.y;  // up or right raises
  g.wheelStep = 0.01;
  g.wheelFine = 0.001;
  g.resetValue = range.defaultValue;
  g.toTravel = [&](double v) { return toNorm(range, v); };
  g.fromTravel = [&](double n) { return fromNorm(range, n); };
  g.fromTyped = [&](double typed) { return std::isfinite(typed) ? std::clamp(typed, range.min, range.max) : range.min; };
  g.typedText = plainNumber(value);
  const ControlEdit e = valueGesture(g, value);
  if (hovered && !active && !ImGui::IsPopupOpen("##type"))
    ImGui::SetTooltip("%s: %s\nRange %s to %s, default %s\nDrag %s (Shift: fine), wheel steps,\ndouble-click resets, Ctrl+click types a value",
                      name.empty() ? "Value" : name.c_str(), shownValue(range, value).c_str(), shownValue(range, range.min).c_str(),
                      shownValue(range, range.max).c_str(), shownValue(range, range.defaultValue).c_str(), drag);
  return e;
}

}  // namespace

std::string formatValue(double v, const std::string& unit) {
  char text[48];
  const double a = std::abs(v);
  if (unit == "Hz") {
    if (a >= 10000) std::snprintf(text, sizeof text, "%.1f kHz", v / 1000);
    else if (a >= 1000) std::snprintf(text, sizeof text, "%.2f kHz", v / 1000);
    else if (a >= 100) std::snprintf(text, sizeof text, "%.0f Hz", v);
    else std::snprintf(text, sizeof text, "%.1f Hz", v);
  } else if (unit == "dB" && v <= -143.9) {
    std::snprintf(text, sizeof text, "-inf dB");
  } else if (unit == "ms" && a >= 1000) {
    std::snprintf(text, sizeof text, "%.2f s", v / 1000);
  } else if (unit == "%") {
    std::snprintf(text, sizeof text, a >= 10 ? "%.0f%%" : "%.1f%%", v);
  } else {
    const char* format = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f";
    std::snprintf(text, sizeof text, format, v);
    std::string s = text;
    if (s == "-0.00" || s == "-0.0" || s == "-0") s = s.substr(1);
    return unit.empty() ? s : s + " " + unit;
  }
  return text;
}

ControlEdit knob(const char* id, const std::string& name, const ControlRange& range, double& value, float size) {
  ImFont* small = fonts().small ? fonts().small : ImGui::GetFont();
  const float smallSize = ImGui::GetFontSize() * kSmallFontSize / kFontSize;
  const float nameH = name.empty() ? 0.0f : ImGui::GetTextLineHeight() + 2.0f, valueH = smallSize + 2.0f;
  const float dial = std::clamp(size - 20.0f, 20.0f, 34.0f);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const ImVec2 cell(size, nameH + dial + 2.0f + valueH);
  ImGui::PushID(id);
  ImGui::InvisibleButton("##knob", cell);
  const bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();
  const ControlEdit e = rangeGesture(name, range, value, "up or down");
  ImGui::PopID();

  // Drawing: the name, a 270-degree arc from the bottom left (the value's arc in the accent, from the
  // centre for a range around zero), the cap with its pointer, the value with its unit.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float cx = at.x + size * 0.5f;
  if (!name.empty())
    centredText(dl, ImGui::GetFont(), ImGui::GetFontSize(), ImVec2(cx, at.y), hovered || active ? colour::kText : colour::kTextDim, name, size - 2.0f);
  const ImVec2 c(cx, at.y + nameH + dial * 0.5f);
  const float radius = dial * 0.5f - 2.0f;
  constexpr float a0 = IM_PI * 0.75f, a1 = IM_PI * 2.25f;
  const double shown = toNorm(range, value);
  const bool bipolar = range.min < 0 && range.max > 0;
  const float from = bipolar ? a0 + static_cast<float>(toNorm(range, 0.0)) * (a1 - a0) : a0;
  const float to = a0 + static_cast<float>(shown) * (a1 - a0);
  dl->PathArcTo(c, radius, a0, a1, 40);
  dl->PathStroke(colour::kControl, 0, 4.0f);
  if (std::abs(to - from) > 0.01f) {
    dl->PathArcTo(c, radius, std::min(from, to), std::max(from, to), 32);
    dl->PathStroke(colour::kAccentBright, 0, 4.0f);
  }
  dl->AddCircleFilled(c, radius - 5.0f, active ? colour::kControlActive : hovered ? colour::kControlHover : colour::kControl, 24);
  dl->AddLine(ImVec2(c.x + std::cos(to) * (radius - 13.0f), c.y + std::sin(to) * (radius - 13.0f)),
              ImVec2(c.x + std::cos(to) * (radius - 5.0f), c.y + std::sin(to) * (radius - 5.0f)), colour::kText, 2.0f);
  centredText(dl, small, smallSize, ImVec2(cx, at.y + nameH + dial + 2.0f), colour::kText, shownValue(range, value), size);
  return e;
}

ControlEdit valueBar(const char* id, const std::string& name, const ControlRange& range, double& value, float width, const std::string& inside) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const ImVec2 size(width, ImGui::GetFrameHeight());
  ImGui::PushID(id);
  ImGui::InvisibleButton("##bar", size);
  const bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();
  const ControlEdit e = rangeGesture(name, range, value, "left or right");  // a knob's: the same travel
  ImGui::PopID();
  // Drawing: the frame, the value's span as a strip along the bottom (from the centre for a range around
  // zero), the value with its unit centred over it, never under a grab.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->AddRectFilled(at, ImVec2(at.x + size.x, at.y + size.y), active ? colour::kControlActive : hovered ? colour::kControlHover : colour::kControl, kRounding);
  const bool bipolar = range.min < 0 && range.max > 0;
  const float inner = size.x - 2.0f;
  const float from = bipolar ? static_cast<float>(toNorm(range, 0.0)) : 0.0f, to = static_cast<float>(toNorm(range, value));
  dl->AddRectFilled(ImVec2(at.x + 1 + inner * std::min(from, to), at.y + size.y - 4), ImVec2(at.x + 1 + inner * std::max(from, to) + 1, at.y + size.y - 1),
                    colour::kAccentBright, 1.0f);
  ImFont* small = fonts().small ? fonts().small : ImGui::GetFont();
  const float smallSize = ImGui::GetFontSize() * kSmallFontSize / kFontSize;
  const float textY = at.y + (size.y - 3 - smallSize) * 0.5f;
  const std::string shown = shownValue(range, value);
  if (inside.empty()) {
    centredText(dl, small, smallSize, ImVec2(at.x + size.x * 0.5f, textY), colour::kText, shown, size.x - 4);
    return e;
  }
  nameAndValue(dl, at, size.x, textY, inside, shown);  // a name inside: it on the left, the value on the right
  return e;
}

float faderY(double db, float height) {
  const double clamped = std::clamp(db, kFaderBottomDb, kFaderTopDb);
  return kCapHeight * 0.5f + static_cast<float>((kFaderTopDb - clamped) / (kFaderTopDb - kFaderBottomDb)) * (height - kCapHeight);
}

double faderDb(float y, float height) {
  const double t = (y - kCapHeight * 0.5f) / std::max(1.0f, height - kCapHeight);
  return std::clamp(kFaderTopDb - t * (kFaderTopDb - kFaderBottomDb), kFaderBottomDb, kFaderTopDb);
}

ControlEdit fader(const char* id, double& gainDb, ImVec2 size) {
  ImGuiIO& io = ImGui::GetIO();
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::PushID(id);
  ImGui::InvisibleButton("##fader", size);
  const bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();
  ValueGesture g;
  g.label = "Fader";
  g.resetLabel = "Fader to 0 dB";
  g.perPixel = (kFaderTopDb - kFaderBottomDb) / std::max(1.0f, size.y - kCapHeight);
  g.pull = -io.MouseDelta.y;
  g.wheelStep = 0.5;
  g.wheelFine = 0.1;
  g.resetValue = 0.0;
  g.toTravel = [](double db) { return std::clamp(db, kFaderBottomDb, kFaderTopDb); };
  g.fromTravel = [](double db) { return db <= kFaderBottomDb ? kSilentDb : std::min(db, kFaderTopDb); };
  g.fromTyped = [&](double typed) { return g.fromTravel(std::isfinite(typed) ? typed : kSilentDb); };
  g.typedText = gainDb <= kFaderBottomDb ? "-inf" : plainNumber(gainDb);
  const ControlEdit e = valueGesture(g, gainDb);
  if (hovered && !active && !ImGui::IsPopupOpen("##type"))
    ImGui::SetTooltip("Level %s\nDrag (Shift: fine), wheel steps 0.5 dB,\ndouble-click: 0 dB, Ctrl+click types a value",
                      formatValue(gainDb, "dB").c_str());
  ImGui::PopID();

  // Drawing: the scale on the left (small type, every 6 dB near the top, then 12), the track, the cap.
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImFont* small = fonts().small ? fonts().small : ImGui::GetFont();
  const float smallSize = ImGui::GetFontSize() * kSmallFontSize / kFontSize;
  const float scaleW = 20.0f;
  const float trackX = at.x + scaleW + (size.x - scaleW) * 0.5f;
  // Labels by priority (0 dB, the ends, then every 12, then every 6), each only where it has room.
  float drawnY[9];
  int drawn = 0;
  for (double db : {0.0, -60.0, 12.0, -12.0, -24.0, -36.0, -48.0, 6.0, -6.0}) {
    const float y = at.y + faderY(db, size.y);
    bool room = true;
    for (int k = 0; k < drawn; ++k) room = room && std::abs(drawnY[k] - y) >= smallSize + 1.0f;
    if (!room) continue;
    drawnY[drawn++] = y;
    char text[8];
    if (db <= kFaderBottomDb) std::snprintf(text, sizeof text, "-inf");
    else std::snprintf(text, sizeof text, "%+.0f", db);
    if (db == 0.0) std::snprintf(text, sizeof text, "0");
    const ImVec2 extent = small->CalcTextSizeA(smallSize, FLT_MAX, 0.0f, text);
    dl->AddText(small, smallSize, ImVec2(at.x + scaleW - 3.0f - extent.x, y - extent.y * 0.5f), colour::kTextDim, text);
    dl->AddLine(ImVec2(trackX - 7.0f, y), ImVec2(trackX + 7.0f, y), db == 0.0 ? colour::kTextDim : colour::kBorder, 1.0f);
  }
  dl->AddRectFilled(ImVec2(trackX - 2.0f, at.y + kCapHeight * 0.5f), ImVec2(trackX + 2.0f, at.y + size.y - kCapHeight * 0.5f), colour::kMeterBack, 2.0f);
  const float capY = at.y + faderY(gainDb, size.y);
  const float capW = std::min(size.x - scaleW, 26.0f);
  dl->AddRectFilled(ImVec2(trackX - capW * 0.5f, capY - kCapHeight * 0.5f), ImVec2(trackX + capW * 0.5f, capY + kCapHeight * 0.5f),
                    active ? colour::kAccentHover : hovered ? colour::kControlActive : colour::kControlHover, 3.0f);
  dl->AddLine(ImVec2(trackX - capW * 0.5f + 3.0f, capY), ImVec2(trackX + capW * 0.5f - 3.0f, capY), colour::kText, 1.5f);
  return e;
}

ControlEdit levelBar(const char* id, const std::string& name, double& levelDb, float width, bool preFader) {
  ImGuiIO& io = ImGui::GetIO();
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const ImVec2 size(width, ImGui::GetFrameHeight());
  ImGui::PushID(id);
  ImGui::InvisibleButton("##level", size);
  const bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();
  static constexpr double top = 6.0, bottom = -60.0;
  ValueGesture g;
  g.label = "Send level";
  g.resetLabel = "Reset send level";
  g.perPixel = (top - bottom) / std::max(1.0f, width);
  g.pull = io.MouseDelta.x;
  g.wheelStep = 0.5;
  g.wheelFine = 0.1;
  g.resetValue = -12.0;
  g.toTravel = [](double db) { return std::clamp(db, bottom, top); };
  g.fromTravel = [](double db) { return db <= bottom ? kSilentDb : std::min(db, top); };
  g.fromTyped = [&](double typed) { return g.fromTravel(std::isfinite(typed) ? typed : kSilentDb); };
  g.typedText = levelDb <= bottom ? "-inf" : plainNumber(levelDb);
  const ControlEdit e = valueGesture(g, levelDb);
  if (hovered && !active && !ImGui::IsPopupOpen("##type"))
    ImGui::SetTooltip("Send to %s: %s%s\nDrag left or right (Shift: fine), wheel steps,\ndouble-click: -12 dB, Ctrl+click types; right-click: %s",
                      name.c_str(), formatValue(levelDb, "dB").c_str(), preFader ? ", before the fader" : "",
                      preFader ? "send after the fader" : "send before the fader");
  ImGui::PopID();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float frac = static_cast<float>((std::clamp(levelDb, bottom, top) - bottom) / (top - bottom));
  dl->AddRectFilled(at, ImVec2(at.x + size.x, at.y + size.y), active ? colour::kControlActive : hovered ? colour::kControlHover : colour::kControl, kRounding);
  dl->AddRectFilled(ImVec2(at.x + 1, at.y + size.y - 4), ImVec2(at.x + 1 + (size.x - 2) * frac, at.y + size.y - 1),
                    preFader ? colour::kWarn : colour::kAccentBright, 1.0f);
  char value[16];
  if (levelDb <= bottom) std::snprintf(value, sizeof value, "-inf");
  else std::snprintf(value, sizeof value, "%.1f", levelDb);
  ImFont* small = fonts().small ? fonts().small : ImGui::GetFont();
  const float smallSize = ImGui::GetFontSize() * kSmallFontSize / kFontSize;
  const ImVec2 valueSize = small->CalcTextSizeA(smallSize, FLT_MAX, 0.0f, value);
  const float textY = at.y + (size.y - 4 - valueSize.y) * 0.5f;
  nameAndValue(dl, at, size.x, textY, preFader ? name + " pre" : name, value);
  return e;
}

void keepWindowOnScreen() {
  const ImVec2 display = ImGui::GetIO().DisplaySize, pos = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
  ImVec2 fixed = pos;
  fixed.x = std::clamp(pos.x, 0.0f, std::max(0.0f, display.x - size.x));
  fixed.y = std::clamp(pos.y, 0.0f, std::max(0.0f, display.y - size.y));
  if (fixed.x != pos.x || fixed.y != pos.y) ImGui::SetWindowPos(fixed);
}

void meterWithHold(const char* id, float linear, ImVec2 size, float rms, const std::string& holdKey) {
  struct Hold {
    float db = -144.0f;
    double since = 0.0;
  };
  static std::unordered_map<std::string, Hold> holds;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, size);
  const float db = linear > 0.0f ? 20.0f * std::log10(linear) : -144.0f;
  auto frac = [](float d) { return std::clamp((d + 60.0f) / 66.0f, 0.0f, 1.0f); };  // -60..+6 dBFS
  Hold& h = holds[holdKey];
  const double now = ImGui::GetTime();
  if (db >= h.db) {
    h.db = db;
    h.since = now;
  } else if (now - h.since > 1.5) {
    h.db = std::max(db, h.db - 20.0f * ImGui::GetIO().DeltaTime);
  }
  dl->AddRectFilled(p, ImVec2(p.x + size.x, p.y + size.y), colour::kMeterBack, 1.0f);
  // Three zones, each in its own colour, as on a console: green to -12, yellow to -0.1, red above.
  const float top = p.y + size.y * (1.0f - frac(db));
  const float yMid = p.y + size.y * (1.0f - frac(-12.0f)), yHot = p.y + size.y * (1.0f - frac(-0.1f));
  const float bottom = p.y + size.y;
  dl->AddRectFilled(ImVec2(p.x, std::max(top, yMid)), ImVec2(p.x + size.x, bottom), colour::kMeterLow);
  if (top < yMid) dl->AddRectFilled(ImVec2(p.x, std::max(top, yHot)), ImVec2(p.x + size.x, yMid), colour::kMeterMid);
  if (top < yHot) dl->AddRectFilled(ImVec2(p.x, top), ImVec2(p.x + size.x, yHot), colour::kMeterHot);
  if (rms > 0.0f) {
    const float y = p.y + size.y * (1.0f - frac(20.0f * std::log10(rms)));
    dl->AddLine(ImVec2(p.x, y), ImVec2(p.x + size.x, y), IM_COL32(240, 240, 240, 200), 1.5f);
  }
  if (h.db > -60.0f) {
    const float y = p.y + size.y * (1.0f - frac(h.db));
    dl->AddLine(ImVec2(p.x, y), ImVec2(p.x + size.x, y), h.db > -0.1f ? colour::kMeterHot : colour::kText, 1.5f);
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Peak %s, held %s", formatValue(db, "dB").c_str(), formatValue(h.db, "dB").c_str());
}

void fittedText(const std::string& text, float width, ImU32 colour) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const ImVec2 extent = ImGui::CalcTextSize(text.c_str());
  ImGui::Dummy(ImVec2(width, ImGui::GetTextLineHeight()));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 c = colour ? colour : ImGui::GetColorU32(ImGuiCol_Text);
  if (extent.x <= width) {
    dl->AddText(at, c, text.c_str());
    return;
  }
  ImGui::PushStyleColor(ImGuiCol_Text, c);
  ImGui::RenderTextEllipsis(dl, at, ImVec2(at.x + width, at.y + extent.y), at.x + width, at.x + width, text.c_str(), nullptr, &extent);
  ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text.c_str());
}

bool nameButton(const char* id, const std::string& label, float width) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const bool clicked = ImGui::Button(id, ImVec2(width, 0));
  const ImVec2 extent = ImGui::CalcTextSize(label.c_str());
  const float pad = ImGui::GetStyle().FramePadding.x;
  const float y = at.y + ImGui::GetStyle().FramePadding.y;
  const float right = at.x + width - pad;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  if (extent.x <= width - 2 * pad) {
    dl->AddText(ImVec2(at.x + std::round((width - extent.x) * 0.5f), y), ImGui::GetColorU32(ImGuiCol_Text), label.c_str());
  } else {
    ImGui::RenderTextEllipsis(dl, ImVec2(at.x + pad, y), ImVec2(right, y + extent.y), right, right, label.c_str(), nullptr, &extent);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", label.c_str());
  }
  return clicked;
}

void drawToasts(const std::string& notice, double noticeUntil, std::string& error, float bottomInset) {
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoMove;
  const float maxW = std::min(display.x - 40.0f, 720.0f);
  if (!error.empty()) {
    ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, 44.0f), ImGuiCond_Always, ImVec2(0.5f, 0.0f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(maxW, display.y * 0.5f));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, colour::kErrorPanel);
    ImGui::PushStyleColor(ImGuiCol_Border, colour::kBad);
    if (ImGui::Begin("##error-toast", nullptr, flags)) {
      ImGui::PushTextWrapPos(maxW - 90.0f);
      ImGui::TextUnformatted(error.c_str());
      ImGui::PopTextWrapPos();
      ImGui::SameLine();
      if (ImGui::SmallButton("Dismiss")) error.clear();
      remember("error-dismiss");
      const ImVec2 min = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
      studio().rects["error"] = {min.x, min.y, size.x, size.y};
    }
    ImGui::End();
    ImGui::PopStyleColor(2);
  }
  const double now = ImGui::GetTime();
  if (!notice.empty() && now < noticeUntil) {
    const float alpha = static_cast<float>(std::clamp((noticeUntil - now) / 0.5, 0.0, 1.0));  // fades over its last half second
    ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y - 16.0f - std::clamp(bottomInset, 0.0f, display.y * 0.5f)), ImGuiCond_Always, ImVec2(0.5f, 1.0f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(maxW, display.y * 0.4f));
    ImGui::SetNextWindowBgAlpha(alpha);
    ImGui::PushStyleVar(ImGuiStyleVar_Alpha, alpha);
    ImGui::PushStyleColor(ImGuiCol_WindowBg, colour::kPanelRaised);
    ImGui::PushStyleColor(ImGuiCol_Border, colour::kAccent);
    if (ImGui::Begin("##notice-toast", nullptr, flags | ImGuiWindowFlags_NoInputs)) {
      ImGui::PushTextWrapPos(maxW - 16.0f);
      ImGui::TextUnformatted(notice.c_str());
      ImGui::PopTextWrapPos();
    }
    ImGui::End();
    ImGui::PopStyleColor(2);
    ImGui::PopStyleVar();
  }
}

}  // namespace mixdown::ui
