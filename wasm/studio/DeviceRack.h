// Device racks in the studio: the insert list under a mixer strip (add, remove, reorder, bypass) and a
// generic editor that draws any device's parameters from its descriptor (value and unit on every control).
// The mastering view uses the same parameter controls for the master chain.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "MasteringView.h"
#include "devices/Device.h"
#include "model/Project.h"

namespace mixdown::ui {

// One parameter control (slider, combo or checkbox by its scale); true when the value changed, after
// hooks.beginEdit was called with the parameter's name.
bool parameterControl(const ParamDescriptor& p, double& value, const StudioHooks& hooks);

// Which insert the editor shows: track index and insert index, or -1.
struct RackSelection {
  int track = -1, insert = -1;
};

// The insert list of one track (under its strip). Structural edits (add, remove, move, bypass) call
// `structural` after changing the track; returns nothing.
void drawInsertList(Track& track, int trackIndex, RackSelection& selection, const StudioHooks& hooks,
                    const std::function<void()>& structural);

// The editor of the selected insert; parameter moves call `paramChanged(insert, paramId, value)`.
void drawInsertEditor(Project& project, RackSelection& selection, const StudioHooks& hooks, const std::function<void()>& structural,
                      const std::function<void(int track, int insert, const std::string& paramId, double value)>& paramChanged);

}  // namespace mixdown::ui
