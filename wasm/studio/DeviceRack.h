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
// `width`: the control's width in pixels (the name is drawn right of it unless it starts with "##").
bool parameterControl(const ParamDescriptor& p, double& value, const StudioHooks& hooks, float width = 120.0f);

// A device's parameters in columns of ten (parameterControl each); `changed(paramId, value)` after the
// stored value is set; each control's rectangle is remembered as `rectPrefix` + its id.
void drawParamColumns(DeviceState& device, const DeviceDescriptor& desc, const StudioHooks& hooks, const std::string& rectPrefix,
                      const std::function<void(const std::string& paramId, double value)>& changed);

// Which insert the editor shows: track index and insert index, or -1.
struct RackSelection {
  int track = -1, insert = -1;
};

// The insert list of one track (under its strip). Structural edits (add, remove, move, bypass) call
// `structural` after changing the track; returns nothing.
void drawInsertList(Track& track, int trackIndex, RackSelection& selection, const StudioHooks& hooks,
                    const std::function<void()>& structural);

// An edit that may be refused: `mutate` (capturing by value: it runs after the frame is drawn) changes a
// copy of the project; if the copy validates it replaces the project (one undo step named `label`), else
// the studio shows why. Returns true when the edit was queued.
using TryEdit = std::function<bool(const std::string& label, const std::function<void(Project&)>& mutate)>;

// Under a track's strip: its output (master or a bus) and its sends (level, pre/post, remove, add).
// Send level moves go through `tryEdit` too (they are small structural edits).
void drawRouting(const Project& project, int trackIndex, const StudioHooks& hooks, const TryEdit& tryEdit);

// The editor of the selected insert; parameter moves call `paramChanged(insert, paramId, value)`.
void drawInsertEditor(Project& project, RackSelection& selection, const StudioHooks& hooks, const std::function<void()>& structural,
                      const std::function<void(int track, int insert, const std::string& paramId, double value)>& paramChanged,
                      const TryEdit& tryEdit);

}  // namespace mixdown::ui
