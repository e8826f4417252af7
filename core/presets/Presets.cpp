#include "presets/Presets.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "devices/Registry.h"
#include "model/ProjectJson.h"
#include "model/ProjectJsonParts.h"

namespace mixdown {

PresetLoad parsePreset(const std::string& text, const std::string& file) {
  PresetLoad out;
  out.preset.file = file;
  const auto fail = [&](const std::string& path, const std::string& message) {
    out.errors.push_back(file + ": " + (path.empty() ? "" : path + ": ") + message);
  };
  if (const std::size_t at = jsonTooDeepAt(text); at != std::string::npos) {
    fail("", "nested too deeply at " + jsonLineColumn(text, at));
    return out;
  }
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    fail("", "not valid JSON");
    return out;
  }
  if (!j.is_object()) {
    fail("", "a preset must be a JSON object");
    return out;
  }
  if (!j.contains("format") || !j["format"].is_string() || j["format"].get<std::string>() != "mixdown-preset")
    fail("format", "must be \"mixdown-preset\"");  // (json::value would throw on a non-string)
  if (!j.contains("version") || !j["version"].is_number_integer() || j["version"].get<long long>() != 1) fail("version", "must be 1");
  for (const char* key : {"name", "category"}) {
    if (!j.contains(key) || !j[key].is_string() || j[key].get<std::string>().empty() || j[key].get<std::string>().size() > 100)
      fail(key, "must be a string of 1 to 100 characters");
  }
  if (!out.errors.empty()) return out;
  out.preset.name = j["name"].get<std::string>();
  out.preset.category = j["category"].get<std::string>();
  if (!j.contains("device")) {
    fail("device", "missing");
    return out;
  }
  std::vector<ProjectIssue> issues;
  readDeviceJson(j["device"], "device", out.preset.device, issues);
  if (issues.empty()) {
    // Validated where a project holds it: an instrument track's instrument, or a track's first insert.
    const DeviceDescriptor* descriptor = findDevice(out.preset.device.type);
    if (!descriptor) {
      fail("device.type", "unknown device \"" + out.preset.device.type + "\"");
      return out;
    }
    Project project;
    Track track;
    track.id = "preset";
    const bool instrument = descriptor->kind == DeviceKind::Instrument;
    track.kind = instrument ? TrackKind::Instrument : TrackKind::Audio;
    if (instrument) track.instrument = out.preset.device;
    else track.inserts.push_back(out.preset.device);
    project.tracks.push_back(track);
    const std::string prefix = instrument ? "tracks[0].instrument" : "tracks[0].inserts[0]";
    for (ProjectIssue& issue : validateTrack(project, 0, kTrackDevices)) {
      if (issue.path.rfind(prefix, 0) == 0) issue.path = "device" + issue.path.substr(prefix.size());
      issues.push_back(issue);
    }
  }
  for (const ProjectIssue& issue : issues) fail(issue.path, issue.message);
  return out;
}

namespace {
struct Library {
  std::vector<Preset> presets;
  std::vector<std::string> errors;
  Library() {
    for (const PresetFile& f : factoryPresetFiles()) {
      PresetLoad load = parsePreset(f.text, f.path);
      if (load.ok()) presets.push_back(std::move(load.preset));
      else errors.insert(errors.end(), load.errors.begin(), load.errors.end());
    }
    std::sort(presets.begin(), presets.end(), [](const Preset& a, const Preset& b) {
      return a.category != b.category ? a.category < b.category : a.name < b.name;
    });
  }
};
const Library& library() {
  static const Library l;
  return l;
}
}  // namespace

const std::vector<Preset>& factoryPresets() { return library().presets; }

std::string presetListJson(const std::vector<Preset>& presets, int indent) {
  nlohmann::json all = nlohmann::json::array();
  for (const Preset& p : presets)
    all.push_back({{"name", p.name}, {"category", p.category}, {"file", p.file},
                   {"device", {{"type", p.device.type}, {"params", p.device.params}}}});
  return all.dump(indent);
}
const std::vector<std::string>& factoryPresetErrors() { return library().errors; }

}  // namespace mixdown
