// The page's bridge for project bundles and stems (core/interchange/Bundle.h, core/engine/Stems.h): the
// page unzips and hashes (web/bundle.js, crypto.subtle), the core decides. Embind, called from the page.
#include <emscripten/bind.h>

#include <map>
#include <string>

#include "Studio.h"
#include "engine/Stems.h"
#include "interchange/Bundle.h"
#include "model/ProjectJson.h"
#include "nlohmann/json.hpp"

using namespace mixdown;
using nlohmann::json;

namespace {

json bundleAudio(const std::vector<BundleAudio>& list) {
  json a = json::array();
  for (const BundleAudio& e : list) a.push_back({{"assetId", e.assetId}, {"entry", e.entry}});
  return a;
}

// Checks a bundle read by the page: `projectText` is its project.json, `entriesJson` every entry as
// [{path, sha256}] (the page hashed them). Returns {error, warnings, audio: [{assetId, entry}]} as JSON;
// nothing is opened.
std::string checkBundle(const std::string& projectText, const std::string& entriesJson) {
  Archive archive;
  std::map<std::string, std::string> hashes;
  const json entries = json::parse(entriesJson, nullptr, false);
  if (entries.is_array())
    for (const json& e : entries) {
      if (!e.is_object() || !e.contains("path") || !e["path"].is_string()) continue;
      const std::string path = e["path"];
      hashes[path] = e.value("sha256", "");
      archive.add(path, path == kBundleProjectEntry ? projectText : std::string());
    }
  const BundleRead read = readBundle(archive, [&](const ArchiveEntry& e) { return hashes[e.path]; });
  return json{{"error", read.error}, {"warnings", read.warnings}, {"audio", bundleAudio(read.audio)}}.dump();
}

// Opens a checked bundle's project as one undo step ("Open bundle"). Returns "" or the problems.
std::string openBundle(const std::string& projectText) {
  ProjectLoad load = parseProject(projectText);
  if (!load.ok()) return load.errorText();
  ui::openSong(std::move(load.project), "Open bundle");
  return "";
}

// The plan of a bundle of the open song: `filesJson` is [{assetId, sha256, extension}] for the audio
// the page holds. Returns {error, projectJson, entries: [{assetId, entry}]} as JSON.
std::string planSongBundle(const std::string& filesJson) {
  std::vector<BundleFileInfo> files;
  const json list = json::parse(filesJson, nullptr, false);
  if (list.is_array())
    for (const json& f : list)
      if (f.is_object()) files.push_back({f.value("assetId", ""), f.value("sha256", ""), f.value("extension", "")});
  const BundlePlan plan = planBundle(ui::studio().project, files);
  return json{{"error", plan.error}, {"projectJson", plan.projectJson}, {"entries", bundleAudio(plan.entries)}}.dump();
}

// The extension an audio file's first bytes call for (".wav" ...), `name`'s otherwise.
std::string audioExtension(const std::string& head, const std::string& name) { return audioExtensionOf(head, name); }

// The stem files of the open song: [{track, path, kind, inMix}] as JSON.
std::string songStemFiles(bool buses) {
  json out = json::array();
  for (const StemFile& f : stemFiles(ui::studio().project, buses))
    out.push_back({{"track", f.track}, {"path", f.path}, {"kind", stemKindName(f.kind)}, {"inMix", f.inMix}});
  return out.dump();
}

}  // namespace

EMSCRIPTEN_BINDINGS(mixdown_bundles) {
  emscripten::function("checkBundle", &checkBundle);
  emscripten::function("openBundle", &openBundle);
  emscripten::function("planSongBundle", &planSongBundle);
  emscripten::function("audioExtension", &audioExtension);
  emscripten::function("songStemFiles", &songStemFiles);
}
