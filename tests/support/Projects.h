// Small projects built in code for tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "model/Project.h"
#include "model/ProjectJson.h"

#ifndef MIXDOWN_SOURCE_DIR
#error "MIXDOWN_SOURCE_DIR must point at the repository"
#endif

namespace mixdown::test {

inline std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline Project demoProject() {
  ProjectLoad load = parseProject(readText(std::string(MIXDOWN_SOURCE_DIR) + "/web/demos/first-light.json"));
  if (!load.ok()) throw std::runtime_error("demo project does not load: " + load.errorText());
  return load.project;
}

inline Track synthTrack(const std::string& id, std::map<std::string, double> params) {
  Track t;
  t.id = id;
  t.name = id;
  t.kind = TrackKind::Instrument;
  DeviceState synth;
  synth.type = "mixdown.polysynth";
  synth.params = std::move(params);
  t.instrument = std::move(synth);
  return t;
}

}  // namespace mixdown::test
