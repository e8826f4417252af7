// The mastering view of the studio: live loudness of the master (momentary, short-term, integrated,
// range, true peak, from the engine's BS.1770 meter in the worklet), a loudness-over-time plot, the
// delivery presets, the master chain's controls, and "Export master".
#pragma once

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "model/Project.h"
#include "nlohmann/json.hpp"

namespace mixdown::ui {

struct MasteringState {
  // From the engine ~30 times a second: M, S, I, LRA, TP, max M, max S, seconds, limiter reduction,
  // stereo correlation (NaN where there is nothing to show yet).
  std::array<double, 10> loudness{};
  std::vector<float> shortTermHistory;  // LUFS, 10 per second, newest last
  int updates = 0;
};

struct StudioHooks {
  std::function<void(const std::string&)> beginEdit;       // before an undoable change
  std::function<void(const nlohmann::json&)> post;         // message to the page / engine
  std::function<void(const std::string&)> remember;        // the last item's rectangle, for tests
  std::function<double()> sampleRate;                      // the engine's
  std::function<double(int track, int insert)> insertReduction;  // metered gain reduction, dB (< 0: not playing)
  std::function<void()> changed;  // the project changed: the engine gets the edits at the end of the frame
};

// Takes the loudness array the page forwards (JSON array of 9 numbers or nulls).
void receiveLoudness(MasteringState& state, const std::string& json, bool playing);

// The view; edits the project's master chain and delivery (destination, target, word length) through `hooks`.
void drawMasteringView(Project& project, MasteringState& state, const StudioHooks& hooks);

// The master chain a new mastering session starts from: multiband (gentle), imager, limiter.
std::vector<DeviceState> defaultMasteringChain(double ceilingDbtp);

}  // namespace mixdown::ui
