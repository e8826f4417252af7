// The studio's visual design in one place (wasm/studio/DESIGN.md says why each choice): the palette,
// the type sizes, the spacing, and the ImGui style built from them. Views take colours from here by
// what they mean (kPanel, kTextDim, kAccent), never as raw numbers, so the design stays one design.
#pragma once

#include <string>
#include <vector>

#include "imgui.h"

namespace mixdown::ui {

// [SECTION] Palette: a dark, slightly cool neutral ramp (surfaces get lighter as they come forward),
// one accent for "on / selected / playing", and signal colours for mute, solo, record, warnings.
namespace colour {
constexpr ImU32 kBackground = IM_COL32(0x15, 0x17, 0x1c, 0xff);   // behind everything (the canvas)
constexpr ImU32 kPanel = IM_COL32(0x1c, 0x1f, 0x26, 0xff);        // views: arrangement, mixer, editors
constexpr ImU32 kPanelRaised = IM_COL32(0x24, 0x28, 0x31, 0xff);  // headers, strips, popups, toasts
constexpr ImU32 kControl = IM_COL32(0x2e, 0x33, 0x3e, 0xff);      // buttons, fields, fader tracks at rest
constexpr ImU32 kControlHover = IM_COL32(0x3a, 0x40, 0x4d, 0xff);
constexpr ImU32 kControlActive = IM_COL32(0x46, 0x4d, 0x5c, 0xff);
constexpr ImU32 kBorder = IM_COL32(0x34, 0x39, 0x45, 0xff);
constexpr ImU32 kText = IM_COL32(0xe8, 0xea, 0xef, 0xff);         // names, values
constexpr ImU32 kTextDim = IM_COL32(0xa3, 0xa9, 0xb6, 0xff);      // labels, units, hints (AA on every surface)
constexpr ImU32 kTextDisabled = IM_COL32(0x6c, 0x72, 0x7f, 0xff); // disabled only (WCAG exempts it)
constexpr ImU32 kAccent = IM_COL32(0x2a, 0x63, 0xc8, 0xff);       // on, selected (white text on it passes AA)
constexpr ImU32 kAccentHover = IM_COL32(0x33, 0x70, 0xde, 0xff);
constexpr ImU32 kAccentBright = IM_COL32(0x6d, 0xa3, 0xff, 0xff); // lines and grabs on dark surfaces
constexpr ImU32 kMute = IM_COL32(0xe0, 0x8a, 0x2e, 0xff);         // with kTextOnLight
constexpr ImU32 kSolo = IM_COL32(0xe6, 0xc8, 0x4a, 0xff);         // with kTextOnLight
constexpr ImU32 kRecord = IM_COL32(0xcc, 0x3b, 0x3b, 0xff);
constexpr ImU32 kTextOnLight = IM_COL32(0x14, 0x15, 0x18, 0xff);  // text on mute, solo, track colours
constexpr ImU32 kGood = IM_COL32(0x7d, 0xd8, 0x8f, 0xff);
constexpr ImU32 kWarn = IM_COL32(0xf2, 0xc9, 0x4c, 0xff);
constexpr ImU32 kBad = IM_COL32(0xff, 0x6b, 0x5e, 0xff);
constexpr ImU32 kErrorPanel = IM_COL32(0x5c, 0x1d, 0x1d, 0xff);
constexpr ImU32 kMeterLow = IM_COL32(0x4c, 0xc9, 0x7a, 0xff);     // below -12 dBFS
constexpr ImU32 kMeterMid = IM_COL32(0xe6, 0xc8, 0x4a, 0xff);     // -12 .. -0.1 dBFS
constexpr ImU32 kMeterHot = IM_COL32(0xf0, 0x4e, 0x3e, 0xff);     // at or over -0.1 dBFS
constexpr ImU32 kMeterBack = IM_COL32(0x10, 0x12, 0x16, 0xff);
}  // namespace colour

// [SECTION] Type and spacing (CSS pixels; the font is rasterised for the device pixel ratio).
constexpr float kFontSize = 14.0f;       // body text, values, buttons
constexpr float kSmallFontSize = 12.0f;  // scales, units under knobs, ruler numbers
constexpr float kSpacing = 6.0f;         // between controls
constexpr float kPadding = 8.0f;         // inside panels
constexpr float kRounding = 4.0f;
constexpr float kStripWidth = 96.0f;     // a mixer strip, fixed: the mixer scrolls instead of squeezing

// The fonts, once loaded (StudioApp.cpp): regular for everything, semibold for names and headings.
struct Fonts {
  ImFont* regular = nullptr;
  ImFont* semibold = nullptr;
  ImFont* small = nullptr;
};
Fonts& fonts();

// Builds the ImGui style from the palette above (called once, after the fonts).
void applyTheme();

// The text and background pairs the design uses, as "#rrggbb", for the contrast test (WCAG AA asks
// 4.5:1 for text; tests/web/look.test.mjs computes the ratios itself).
struct ColourPair {
  std::string name, text, background;
};
std::vector<ColourPair> textColourPairs();

// "#rrggbb" of a colour.
std::string hexOf(ImU32 colour);

}  // namespace mixdown::ui
