// The controls people know from hardware and other DAWs, drawn in the studio's design (Theme.h):
// rotary knobs for device parameters, faders that move with the hand, meters with a dB scale and peak
// hold, names that end in an ellipsis (whole on hover), and toasts for notices. Each keeps no state the
// model has; what a gesture needs between frames (where a drag began) lives here, keyed by ImGui id.
#pragma once

#include <functional>
#include <string>

#include "imgui.h"

namespace mixdown::ui {

// What a knob or fader edits: its range, default, unit and how values are spread over the travel.
struct ControlRange {
  double min = 0.0, max = 1.0, defaultValue = 0.0;
  bool logarithmic = false;  // equal travel per ratio (Hz, ms): min must be > 0
  std::string unit;          // "dB", "Hz", "ms", "%" ...
  std::function<std::string(double)> format;  // the shown value, when not formatValue(value, unit)
};

// Travel in pixels for the whole range of a knob (Shift: ten times finer). A wheel notch moves 1/100 of
// the range (Shift: 1/1000).
constexpr float kKnobTravelPixels = 200.0f;

// What happened to a control this frame.
struct ControlEdit {
  bool began = false;    // a gesture started (call beginEdit with `label` before applying `changed`)
  bool changed = false;  // `value` holds the new value
  std::string label;     // the undo step's name: the parameter's name, or "Reset <name>"
};

// A rotary knob `size` wide with its name above and its value (with unit) below, never truncated.
// Drag up (or right) to raise, Shift for fine, double-click resets to the default, the wheel steps,
// Ctrl+click (or Enter while hovered) types a value. The tooltip shows the exact value and unit.
ControlEdit knob(const char* id, const std::string& name, const ControlRange& range, double& value, float size = 64.0f);

// A horizontal value bar `width` wide, as dense as a row of text (a grid's cell: the drum machine's
// voices x controls): its value and unit centred over a strip showing where it lies in the range. The
// gestures are a knob's: drag right or up to raise (Shift fine), double-click resets, the wheel steps,
// Ctrl+click (or Enter while hovered) types; never a jump to the click. `name` names the undo steps and
// the tooltip; `inside`, when given, is drawn in the bar left of the value (which then sits on the right).
ControlEdit valueBar(const char* id, const std::string& name, const ControlRange& range, double& value, float width,
                     const std::string& inside = {});

// A vertical fader for a level in dB over [-60, +12] (at the bottom: -inf, stored as -144), `size`
// its track. A press anywhere grabs it where it is: the level then moves with the drag (Shift fine),
// never jumping to the click. Double-click: 0 dB. The wheel steps 0.5 dB (Shift 0.1). Ctrl+click types.
// A dB scale is drawn along its left side.
ControlEdit fader(const char* id, double& gainDb, ImVec2 size);

// A horizontal level bar for a send, `width` wide: the bus's name (ellipsis when long) and the level in
// dB drawn over a fill, never under the grab. Drag left/right from where it is (Shift fine), double-click:
// -12 dB, wheel 0.5 dB, Ctrl+click types. Range -60 (-inf) .. +6 dB.
ControlEdit levelBar(const char* id, const std::string& name, double& levelDb, float width, bool preFader);

// Keeps the current window (an editor) inside the display: called after Begin.
void keepWindowOnScreen();

// The dB position of a fader: y (from the top of its track) of `db`, and back.
float faderY(double db, float height);
double faderDb(float y, float height);

// A meter with a peak-hold line (held 1.5 s, then falling 20 dB/s) and the RMS as a white line.
// `holdKey` names the meter whose hold this is (a track's, the master's).
void meterWithHold(const char* id, float linear, ImVec2 size, float rms, const std::string& holdKey);

// Text in `width` pixels: cut with an ellipsis when it does not fit, with the whole text as the hovered
// tooltip. Returns the width drawn.
void fittedText(const std::string& text, float width, ImU32 colour = 0);

// A button `width` wide whose label ends in an ellipsis when it does not fit (the whole label in its
// tooltip); the colours are the caller's (PushStyleColor). True when clicked.
bool nameButton(const char* id, const std::string& label, float width);

// A short notice drawn over the layout (bottom centre, `bottomInset` px above the bottom: over what the
// page's own panels cover), not in it, fading out; an error stays until dismissed. Call once a frame
// after the main window.
void drawToasts(const std::string& notice, double noticeUntil, std::string& error, float bottomInset = 0);

// The value with its unit as the knob shows it: enough digits for the range (never "-1" for -12), and
// kHz above 1000 Hz.
std::string formatValue(double value, const std::string& unit);

}  // namespace mixdown::ui
