// Presets: a device state with a name and a category. The factory library is data: one JSON file per
// preset under core/presets/<category>/ ({"format": "mixdown-preset", "version": 1, "name", "category",
// "device": {"type", "params"}}), compiled in by CMake (the generated FactoryPresets.cpp holds each file's
// text), so the command line, the tests and the browser read the same files with the same reader. User
// presets saved in the studio are the same document.
#pragma once

#include <string>
#include <vector>

#include "model/Project.h"

namespace mixdown {

struct Preset {
  std::string name;      // "Acid Bass"
  std::string category;  // "Bass", "Lead", "Pad", "Pluck", "Keys", "FX", "Drum kit", or a user's own
  std::string file;      // where it was read from ("bass/acid-bass.json" for the factory's)
  DeviceState device;    // the device type and its parameters (the ones it sets; the rest stay default)
};

struct PresetLoad {
  Preset preset;
  std::vector<std::string> errors;  // "FILE: PATH: what is wrong"; empty means the preset is valid
  bool ok() const { return errors.empty(); }
};

// Any thread (pure): a preset document read and its device validated as a project validates a track's
// instrument or insert (a known type, known parameters, values in range); never throws.
PresetLoad parsePreset(const std::string& text, const std::string& file);

// Any thread: the factory presets, read once (on first use), sorted by category and name. A factory file
// that fails to read is left out and its errors listed by factoryPresetErrors() (a test keeps it empty).
const std::vector<Preset>& factoryPresets();
const std::vector<std::string>& factoryPresetErrors();

// Any thread: presets as a JSON array of {name, category, file, device: {type, params}} (what
// `mixdown presets --json` prints and the studio's preset browser reads).
std::string presetListJson(const std::vector<Preset>& presets, int indent = -1);

// The factory files as compiled in: path under core/presets and text (FactoryPresets.cpp, generated).
struct PresetFile {
  const char* path;
  const char* text;
};
const std::vector<PresetFile>& factoryPresetFiles();

}  // namespace mixdown
