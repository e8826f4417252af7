#include "KitImport.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "AudioFile.h"
#include "CliError.h"
#include "ProjectSource.h"
#include "interchange/HydrogenKit.h"
#include "interchange/Sfz.h"

namespace mixdown::cli {
namespace fs = std::filesystem;

namespace {

constexpr std::uintmax_t kMaxKitText = 16u << 20;  // bytes: an SFZ or drumkit.xml (or an include)

bool sameLoosely(const std::string& a, const std::string& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)); });
}

// `path` as it exists, each segment matched regardless of case where the exact one is missing; "" if none.
std::string findLoosely(const std::string& path) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return path;
  const fs::path p(path);
  fs::path at = p.is_absolute() ? p.root_path() : fs::path(".");
  for (const fs::path& part : p.relative_path()) {
    const fs::path exact = at / part;
    if (fs::exists(exact, ec)) {
      at = exact;
      continue;
    }
    bool found = false;
    for (fs::directory_iterator it(at, ec), end; !ec && it != end; it.increment(ec))
      if (sameLoosely(it->path().filename().string(), part.string())) {
        at = it->path();
        found = true;
        break;
      }
    if (!found) return "";
  }
  if (!fs::is_regular_file(at, ec)) return "";
  std::string out = at.lexically_normal().string();
  if (out.rfind("./", 0) == 0) out.erase(0, 2);
  return out;
}

}  // namespace

KitFiles nativeKitFiles() {
  KitFiles files;
  files.read = [](const std::string& path, std::string& text) {
    std::error_code ec;
    const std::string real = findLoosely(path);
    if (real.empty() || fs::file_size(real, ec) > kMaxKitText || ec) return false;
    std::ifstream in(real, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    text = s.str();
    return static_cast<bool>(in) || in.eof();
  };
  files.findSample = findLoosely;
  files.sampleInfo = readSampleInfo;
  return files;
}

KitImport readKitFile(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw CliError(path + ": no such file");
  const std::string ext = fs::path(path).extension().string();
  KitImport kit = sameLoosely(ext, ".xml") ? readHydrogenKit(path, nativeKitFiles()) : readSfz(path, nativeKitFiles());
  if (!kit.ok()) throw CliError(kit.error);
  if (kit.zones.empty()) throw CliError(path + ": the kit has no zone with a sample");
  return kit;
}

std::vector<std::string> addKitTrack(Project& project, const KitImport& kit, const std::string& projectPath, bool audition) {
  std::vector<std::string> warnings;
  const fs::path base = fs::absolute(fs::path(projectPath)).parent_path();
  if (project.assets.size() + kit.samples.size() > kMaxAssets)
    throw CliError(projectPath + ": the kit's " + std::to_string(kit.samples.size()) + " samples would pass the project's " +
                   std::to_string(kMaxAssets) + " assets");
  // Each sample once: an asset with a fresh id.
  std::set<std::string> taken;
  for (const Asset& a : project.assets) taken.insert(a.id);
  std::vector<Asset> sampleAssets;  // what each of kit.samples became
  int next = 1;
  for (const std::string& file : kit.samples) {
    DecodedAudio audio = readAudioFile(file);
    if (audio.frames() == 0) throw CliError(file + ": the file holds no audio");
    std::string id;
    do id = "sample" + std::to_string(next++);
    while (taken.count(id));
    taken.insert(id);
    Asset a;
    a.id = id;
    a.name = fs::path(file).filename().string();
    a.sha256 = sha256OfFile(file);
    a.sampleRate = audio.sampleRate;
    a.channels = static_cast<int>(audio.channels.size());
    a.frames = audio.frames();
    a.path = fs::absolute(file).lexically_relative(base).generic_string();
    project.assets.push_back(a);
    sampleAssets.push_back(a);
  }
  Track t;
  for (int n = 1; t.id.empty() || std::any_of(project.tracks.begin(), project.tracks.end(), [&](const Track& o) { return o.id == t.id; }); ++n)
    t.id = n == 1 ? "sampler" : "sampler" + std::to_string(n);
  t.name = kit.name;
  t.kind = TrackKind::Instrument;
  KitZones zones = kitZonesForAssets(kit, sampleAssets);
  if (!zones.ok()) throw CliError(zones.error);
  warnings.insert(warnings.end(), zones.warnings.begin(), zones.warnings.end());
  DeviceState d;
  d.type = "mixdown.sampler";
  d.zones = std::move(zones.zones);
  t.instrument = d;
  if (audition) {
    std::vector<int> keys;
    for (const SampleZone& z : kit.zones)
      if (std::find(keys.begin(), keys.end(), z.rootKey) == keys.end()) keys.push_back(z.rootKey);
    Clip c;
    c.name = kit.name;
    for (std::size_t k = 0; k < keys.size(); ++k) c.notes.push_back({keys[k], 0.8, static_cast<double>(k), 0.5});
    c.length = std::max(4.0, 4.0 * std::ceil(static_cast<double>(keys.size()) / 4.0));
    t.clips.push_back(c);
  }
  project.tracks.push_back(std::move(t));
  return warnings;
}

}  // namespace mixdown::cli
