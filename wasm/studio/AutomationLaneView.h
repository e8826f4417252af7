// Automation lanes in the track view, drawn over a track's row: double-click adds a point, drag moves one
// (between its neighbours, snapped to quarter beats), right-click deletes one. A lane drives the strip's
// gain (shown -60..+6 dB) or pan, or any parameter of one of the track's inserts (its own range and scale).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "MasteringView.h"
#include "model/Project.h"

namespace mixdown::ui {

struct LaneGeometry {
  float timelineX, top, height, width, pixelsPerBeat;
};

// A target a lane can drive on a track, for menus: the model's target string and a label for people.
struct LaneTarget {
  std::string target;
  std::string label;       // "Gain", "2 Parametric EQ: Band 1 frequency"
  int insert = -1;         // which insert the parameter belongs to; -1: the strip (gain, pan)
  std::string shortLabel;  // within its device's menu: "Band 1 frequency"
};
std::vector<LaneTarget> laneTargets(const Track& track);

// The label of one target ("Gain", "Pan", "EQ: Band 1 frequency"); "" when it names nothing on the track.
std::string laneLabel(const Track& track, const std::string& target);

// Draws the lane of `target` over the row. `changed` runs once an edit is complete (point added, dropped
// or deleted); every edit is one undo step.
void drawLane(Track& track, int trackIndex, const std::string& target, const LaneGeometry& g, const StudioHooks& hooks,
              const std::function<void()>& changed);

}  // namespace mixdown::ui
