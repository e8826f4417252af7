// Drawing helpers the views share: meters, switches, track colours, time grids, note names.
#pragma once

#include <string>

#include "Theme.h"
#include "imgui.h"
#include "model/Arrange.h"
#include "model/Project.h"

namespace mixdown::ui {

constexpr ImU32 kMuteColour = colour::kMute;
constexpr ImU32 kSoloColour = colour::kSolo;

// A level meter: the peak as a bar, and (when given) the RMS as a white line across it.
void meter(const char* id, float linear, ImVec2 size, float rms = -1.0f);

// A mute or solo switch: lit while on (dark text on the light colour), one undoable edit per click; true
// when it flipped. `small`: a square button for track headers (22 px); `width` > 0 sets the width.
bool toggleButton(const char* label, bool small, bool& on, ImU32 onColour, const char* onVerb, const char* offVerb,
                  const std::string& rectName, float width = 0.0f);

// A track's colour: its own ("#rrggbb") or the palette's by its position.
ImU32 trackColour(const Track& track, int index);
// The palette offered in the colour menu, as "#rrggbb".
const std::vector<std::string>& trackPalette();
// `colour` scaled toward black (factor < 1) or white (> 1).
ImU32 shade(ImU32 colour, float factor);

// Vertical grid lines over [x0, x1] x [y0, y1] for a timeline whose beat `firstBeat` is at x0 with
// `pixelsPerBeat`: bars strong, beats weaker, grid steps faint (when wide enough to see).
void drawTimeGrid(ImDrawList* dl, const Project& project, double sampleRate, float x0, float x1, float y0, float y1,
                  double firstBeat, float pixelsPerBeat, const Grid& grid);

// "C4" for 60 (middle C is C4, as in most DAWs).
std::string noteName(int pitch);

// The snap grid, with Alt held to bypass it as a gesture goes.
Grid activeGrid(const Grid& grid);

}  // namespace mixdown::ui
