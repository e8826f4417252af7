// The arrangement's track headers, left of the lanes, in the rows' order (scrolled with them, clipped under
// the ruler and the tempo lane): click selects, double-click renames, drag up or down reorders (a line
// shows where it goes; released, one Move track), right-click: rename, duplicate, delete and a colour;
// M and S (mute, solo), A (automation lanes: a menu of every target) and the track's meter.
// "+ Track" (top left) adds an instrument (from the registry), an audio track or a bus.
#pragma once

namespace mixdown::ui {

constexpr float kTrackHeaderW = 190.0f, kTrackRowH = 48.0f;  // CSS pixels

struct HeaderArea {
  float left, laneX, right;  // the headers span [left, laneX); the reorder line runs to `right`
  float top, laneY, bottom;  // "+ Track" at `top`; rows start at laneY (minus the scroll)
  float rowY(int row) const;
};

void drawTrackHeaders(const HeaderArea& area);
void drawAddTrackButton(const HeaderArea& area);

}  // namespace mixdown::ui
