// Graphs in device editors: the parametric EQ's magnitude response with a handle per band (drag: frequency
// and gain; wheel: Q; double-click on empty space: a new peak band; right-click a handle: band off), and
// the compressor's transfer curve with its live gain reduction and operating point. Curves come from the
// core's own formulas (ParametricEq::responseDb, compressorCurve), so they show what is heard.
#pragma once

#include <functional>
#include <string>

#include "MasteringView.h"
#include "devices/Device.h"
#include "model/Project.h"

namespace mixdown::ui {

// Sets one parameter of the device being edited (the model and the engine); the caller has already
// recorded an undo step through hooks.beginEdit when needed.
using SetParam = std::function<void(const std::string& paramId, double value)>;

// A device's parameter value: the project's, else the descriptor's default.
double paramValue(const DeviceState& d, const DeviceDescriptor& desc, const std::string& id);

// The EQ graph (about 440 x 220 px). `sampleRate` is the engine's.
void drawEqGraph(const DeviceState& d, const DeviceDescriptor& desc, double sampleRate, const StudioHooks& hooks, const SetParam& set);

// The compressor graph (about 300 x 220 px): transfer curve (with makeup), threshold, the gain reduction
// meter (`reductionDb` < 0: not playing) and the operating point on the curve.
void drawCompressorGraph(const DeviceState& d, const DeviceDescriptor& desc, double reductionDb);

// A horizontal gain-reduction bar (0..24 dB, orange from the right) over the last item; for rack buttons.
void drawReductionBar(double reductionDb);

}  // namespace mixdown::ui
