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

// One parameter control by its scale: a knob (Controls.h: name above, value and unit below), a menu or a
// switch; true when the value changed, after hooks.beginEdit was called with the gesture's name.
// `width`: the knob's cell or the menu's width in pixels (a "##" name draws no name: a grid's column says it).
// `compact`: a slider as tall as a line of text instead of a knob (a grid of many cells).
bool parameterControl(const ParamDescriptor& p, double& value, const StudioHooks& hooks, float width = 68.0f, bool compact = false,
                      const std::string& inside = {});

// Whether parameterControl draws `p` as a knob (not a menu or a switch).
bool isKnob(const ParamDescriptor& p);

// Lays parameter controls out in rows: knobs side by side, `perRow` to a row; a menu or a switch on a row
// of its own. Call place(p) before drawing p's control.
class ParamFlow {
 public:
  explicit ParamFlow(int perRow) : perRow_(perRow) {}
  void place(const ParamDescriptor& p);

 private:
  int perRow_;
  int inRow_ = 0;
};

// A device's parameters as knobs: numbered ones (an EQ's bands) one column per number, the rest in
// columns of three (parameterControl each); `changed(paramId, value)` after the stored value is set; each
// control's rectangle is remembered as `rectPrefix` + its id.
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
