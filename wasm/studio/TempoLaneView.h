// The tempo map as a lane under the arrangement's ruler (Project::tempo and tempoChanges; the engine's
// Timeline plays it). See TempoLaneView.cpp for the gestures.
#pragma once

namespace mixdown::ui {

constexpr float kTempoLaneH = 40.0f;  // CSS pixels

struct TempoLaneArea {
  float left, laneX, right;   // the header column starts at `left`, the lane at `laneX`
  float top, bottom;
  double firstBeat;           // the beat at laneX
  float pixelsPerBeat;
};

void drawTempoLane(const TempoLaneArea& area);

}  // namespace mixdown::ui
