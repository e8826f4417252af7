#include "interchange/Kit.h"

#include <algorithm>
#include <vector>

namespace mixdown {

std::string kitPath(const std::string& file, const std::string& relative) {
  std::string rel = relative;
  std::replace(rel.begin(), rel.end(), '\\', '/');
  std::string joined;
  if (!rel.empty() && rel[0] == '/') {
    joined = rel;
  } else {
    const auto slash = file.find_last_of('/');
    joined = (slash == std::string::npos ? std::string() : file.substr(0, slash + 1)) + rel;
  }
  // Resolve "." and ".." lexically (a ".." above the start is kept).
  const bool absolute = !joined.empty() && joined[0] == '/';
  std::vector<std::string> parts;
  std::size_t at = 0;
  while (at <= joined.size()) {
    std::size_t next = joined.find('/', at);
    if (next == std::string::npos) next = joined.size();
    const std::string part = joined.substr(at, next - at);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") parts.pop_back();
      else if (!absolute) parts.push_back(part);
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    at = next + 1;
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out;
}

KitZones kitZonesForAssets(const KitImport& kit, const std::vector<Asset>& assets) {
  KitZones out;
  if (assets.size() != kit.samples.size()) {
    out.error = kit.name + ": " + std::to_string(kit.samples.size()) + " samples but " + std::to_string(assets.size()) + " assets for them";
    return out;
  }
  out.zones = kit.zones;
  for (std::size_t i = 0; i < out.zones.size(); ++i) {
    SampleZone& z = out.zones[i];
    const auto at = static_cast<std::size_t>(std::find(kit.samples.begin(), kit.samples.end(), z.asset) - kit.samples.begin());
    const std::string name = i < kit.names.size() ? kit.names[i] : z.asset;
    const std::string zone = kit.name + ": zone " + std::to_string(i + 1) + " (" + name + "): ";
    if (at >= assets.size()) {
      out.error = zone + "its sample \"" + z.asset + "\" is not one of the kit's samples";
      break;
    }
    const std::int64_t frames = assets[at].frames;
    z.asset = assets[at].id;
    if (frames <= 0) continue;  // length unknown
    if (z.end > frames) {
      out.warnings.push_back(zone + "end " + std::to_string(z.end) + " is past the sample's " + std::to_string(frames) + " frames (cut there)");
      z.end = 0;
    }
    if (z.start >= frames) {
      out.error = zone + "offset " + std::to_string(z.start) + " is past the sample's " + std::to_string(frames) + " frames";
      break;
    }
    if (z.loop != ZoneLoop::Off && (z.loopEnd > frames || z.loopStart >= z.loopEnd)) {
      out.warnings.push_back(zone + "loop " + std::to_string(z.loopStart) + ".." + std::to_string(z.loopEnd) + " does not fit the sample's " +
                             std::to_string(frames) + " frames (cut there)");
      z.loopEnd = std::min(z.loopEnd, frames);
      if (z.loopStart + 1 >= z.loopEnd) z.loop = ZoneLoop::Off;
    }
  }
  if (!out.ok()) out.zones.clear();
  return out;
}

}  // namespace mixdown
