// libFuzzer target: the kit readers (core/interchange) on any text. Odd first byte: the rest as a Hydrogen
// drumkit.xml; even: as an SFZ file whose every #include reads the same text again (include loops and
// depth are exercised) and whose every sample exists. A refusal must carry a message; a kit read must
// hold only zones the project's validation takes (given an asset table that has every sample), and placed
// on assets of any length, only zones that fit them.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "interchange/HydrogenKit.h"
#include "interchange/Sfz.h"
#include "model/ProjectJson.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  mixdown::KitFiles files;
  files.read = [&](const std::string&, std::string& out) {
    out = text;
    return true;
  };
  files.findSample = [](const std::string& path) { return path; };
  const mixdown::KitImport kit = (data[0] & 1) ? mixdown::readHydrogenKit("kit/drumkit.xml", files) : mixdown::readSfz("kit/kit.sfz", files);
  if (!kit.ok()) {
    if (!kit.zones.empty()) std::abort();
    return 0;
  }
  if (kit.zones.size() != kit.names.size() || kit.zones.size() > 100000) std::abort();
  mixdown::Project p;
  for (const std::string& s : kit.samples) p.assets.push_back({s, s, "", 48000, 1, 0, s});
  // As a host loads the kit once its samples are assets (core's kitZonesForAssets), with sample lengths
  // taken from the input: zones and loops cut to fit, or a refusal with a message and no zones.
  std::vector<mixdown::Asset> lengths = p.assets;
  for (std::size_t i = 0; i < lengths.size(); ++i) lengths[i].frames = 1 + static_cast<std::int64_t>(data[(i * 7) % size]) * 977;
  const mixdown::KitZones placed = mixdown::kitZonesForAssets(kit, lengths);
  if (placed.ok() ? placed.zones.size() != kit.zones.size() : (placed.error.empty() || !placed.zones.empty())) std::abort();
  for (const mixdown::SampleZone& z : placed.zones) {
    const auto a = std::find_if(lengths.begin(), lengths.end(), [&](const mixdown::Asset& x) { return x.id == z.asset; });
    if (a == lengths.end() || z.end > a->frames || z.start >= a->frames || (z.loop != mixdown::ZoneLoop::Off && z.loopEnd > a->frames)) std::abort();
  }
  mixdown::Track t;
  t.id = "kit";
  mixdown::DeviceState d;
  d.type = "mixdown.sampler";
  d.zones = kit.zones;
  if (d.zones.size() > mixdown::kMaxZones) d.zones.resize(mixdown::kMaxZones);
  t.instrument = d;
  p.tracks.push_back(t);
  for (const auto& issue : mixdown::validateProject(p))
    if (issue.path.find(".zones") != std::string::npos) std::abort();  // a reader made a zone the model refuses
  return 0;
}
