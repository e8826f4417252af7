// libFuzzer target: the edit-message decoder (what the worklet receives from the studio), then the edits
// applied to the demo song: either all apply and the result validates, or nothing changes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "model/ProjectEdit.h"
#include "model/ProjectJson.h"

namespace {
const mixdown::Project& base() {
  // A small song with an instrument track, an audio track and a bus, so every edit kind finds its target.
  static const mixdown::Project p = [] {
    const mixdown::ProjectLoad load = mixdown::parseProject(R"({"format":"mixdown-project","version":2,"tempo":120,
      "assets":[{"id":"x","sampleRate":48000,"channels":1,"frames":48000,"path":"x.wav"}],
      "tracks":[{"id":"a","kind":"instrument","instrument":{"type":"mixdown.polysynth"},"output":"bus",
                 "inserts":[{"type":"mixdown.eq","id":"fx1"}],
                 "clips":[{"start":0,"length":4,"notes":[{"pitch":60,"velocity":0.8,"start":0,"length":1}]}]},
                {"id":"b","kind":"audio","clips":[{"start":0,"length":4,"asset":"x"}]},
                {"id":"bus","kind":"bus"}]})");
    if (!load.ok()) std::abort();
    return load.project;
  }();
  return p;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const mixdown::EditsDecode decoded = mixdown::decodeEdits(text);
  if (!decoded.ok()) return 0;
  mixdown::Project p = base();
  const auto issues = mixdown::applyEdits(p, decoded.edits);
  if (!issues.empty()) {
    if (!(p == base())) std::abort();  // a refused batch leaves the project as it was
    return 0;
  }
  if (!mixdown::validateProject(p).empty()) std::abort();  // an applied batch leaves a valid project
  return 0;
}
