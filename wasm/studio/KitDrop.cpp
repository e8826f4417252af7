// Sample kits dropped on the page: an SFZ instrument or a Hydrogen drumkit.xml with its samples (loose
// files, a folder, or a zip; web/kitdrop.js gathers them with their paths in the drop). The kit is read
// here by the same core readers as `mixdown import-kit` (core/interchange), over the dropped files
// instead of a disk, in two calls from the page:
//   readKit(kitPath, files)     which samples the kit plays (or why it is refused); nothing changes.
//   addKit(kitPath, files, x, y) once the page has decoded those samples into assets: the kit read again,
//                                now with what each sample file says of itself (root key, loop), and
//                                loaded as one undo step (Commands.cpp, loadKit).
// `files` is a JS array of {path, text?: Uint8Array (the bytes of a text file: the kit, its #includes),
// info?: {rootKey, loop?: {mode, start, end}} (a WAV's smpl chunk), asset?: {id, name, sha256, sampleRate,
// channels, frames, path}}. Reading a kit twice costs a parse of its text; it keeps these calls free of
// state between them.
#include <emscripten/bind.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <vector>

#include "Commands.h"
#include "Studio.h"
#include "interchange/HydrogenKit.h"
#include "interchange/Sfz.h"

using namespace mixdown;
using emscripten::val;

namespace {

struct DroppedFile {
  std::string path;  // '/'-separated, relative to the drop ("Kit/samples/kick.wav")
  bool hasText = false;
  std::string text;
  SampleInfo info;
  bool hasAsset = false;
  Asset asset;
};

std::string lowered(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string fileName(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The dropped files, found by path as the native host finds them on disk (native-host/KitImport.cpp):
// as named, else with the letter case ignored (kits made on Windows and macOS name their files
// loosely); and, for files dropped loose rather than in their folder, by their file name alone when
// exactly one dropped file has it.
class DroppedFiles {
 public:
  explicit DroppedFiles(const val& list) {
    const unsigned n = list["length"].as<unsigned>();
    files_.reserve(n);
    for (unsigned i = 0; i < n; ++i) {
      const val item = list[i];
      DroppedFile f;
      f.path = item["path"].as<std::string>();
      if (const val text = item["text"]; !text.isUndefined() && !text.isNull()) {
        f.hasText = true;
        f.text = text.as<std::string>();
      }
      if (const val info = item["info"]; !info.isUndefined() && !info.isNull()) {
        if (const val root = info["rootKey"]; root.isNumber()) f.info.rootKey = std::clamp(root.as<int>(), -1, 127);
        if (const val loop = info["loop"]; !loop.isUndefined() && !loop.isNull()) {
          const std::string mode = loop["mode"].as<std::string>();
          f.info.loop = mode == "forward" ? ZoneLoop::Forward : mode == "pingpong" ? ZoneLoop::PingPong : ZoneLoop::Off;
          f.info.loopStart = static_cast<std::int64_t>(loop["start"].as<double>());
          f.info.loopEnd = static_cast<std::int64_t>(loop["end"].as<double>());
          if (f.info.loopEnd <= f.info.loopStart + 1 || f.info.loopStart < 0) f.info.loop = ZoneLoop::Off;
        }
      }
      if (const val a = item["asset"]; !a.isUndefined() && !a.isNull()) {
        f.hasAsset = true;
        f.asset.id = a["id"].as<std::string>();
        f.asset.name = a["name"].as<std::string>();
        f.asset.sha256 = a["sha256"].as<std::string>();
        f.asset.sampleRate = a["sampleRate"].as<double>();
        f.asset.channels = a["channels"].as<int>();
        f.asset.frames = static_cast<std::int64_t>(a["frames"].as<double>());
        f.asset.path = a["path"].as<std::string>();
      }
      exact_.emplace(f.path, files_.size());
      loose_[lowered(f.path)].push_back(files_.size());
      byName_[lowered(fileName(f.path))].push_back(files_.size());
      files_.push_back(std::move(f));
    }
  }

  // The dropped file at `path` (see the class comment), or nullptr.
  const DroppedFile* find(const std::string& path) const {
    if (const auto it = exact_.find(path); it != exact_.end()) return &files_[it->second];
    if (const auto it = loose_.find(lowered(path)); it != loose_.end()) return &files_[it->second.front()];
    if (const auto it = byName_.find(lowered(fileName(path))); it != byName_.end() && it->second.size() == 1) return &files_[it->second.front()];
    return nullptr;
  }

  KitFiles kitFiles() const {
    KitFiles k;
    k.read = [this](const std::string& path, std::string& text) {
      const DroppedFile* f = find(path);
      if (!f || !f->hasText) return false;
      text = f->text;
      return true;
    };
    k.findSample = [this](const std::string& path) {
      const DroppedFile* f = find(path);
      return f ? f->path : std::string();
    };
    k.sampleInfo = [this](const std::string& path) {
      const DroppedFile* f = find(path);
      return f ? f->info : SampleInfo{};
    };
    return k;
  }

 private:
  std::vector<DroppedFile> files_;
  std::map<std::string, std::size_t> exact_;
  std::map<std::string, std::vector<std::size_t>> loose_, byName_;
};

// As `mixdown import-kit` reads a kit: a file ending in .xml as a Hydrogen kit, anything else as SFZ.
KitImport readDroppedKit(const std::string& kitPath, const DroppedFiles& files) {
  const bool hydrogen = kitPath.size() >= 4 && lowered(kitPath.substr(kitPath.size() - 4)) == ".xml";
  KitImport kit = hydrogen ? readHydrogenKit(kitPath, files.kitFiles()) : readSfz(kitPath, files.kitFiles());
  kit.dropIfRefused();
  if (kit.ok() && kit.zones.empty()) kit.error = kitPath + ": the kit has no zone with a sample";
  return kit;
}

val stringArray(const std::vector<std::string>& list) {
  val a = val::array();
  for (const std::string& item : list) a.call<void>("push", item);
  return a;
}

// {error: "" or "drumkit.xml:37: <instrument> 1 (Kick) <layer> 1 <filename>: sample ... not found ...",
//  warnings: [...], name, samples: [the dropped paths of the samples the kit plays, in order of first use]}
val studioReadKit(const std::string& kitPath, const val& list) {
  const DroppedFiles files(list);
  const KitImport kit = readDroppedKit(kitPath, files);
  val out = val::object();
  out.set("error", kit.error);
  out.set("warnings", stringArray(kit.warnings));
  out.set("name", kit.name);
  out.set("samples", stringArray(kit.samples));
  return out;
}

// The kit loaded, at (x, y) (CSS pixels of the canvas; negative: not dropped on the canvas): on a sampler
// (its editor, strip or header) its zones replace the sampler's; elsewhere a new sampler track, under the
// track row it was dropped on (else after the last track). {error, warnings, track: index or -1, zones}.
val studioAddKit(const std::string& kitPath, const val& list, double x, double y) {
  const DroppedFiles files(list);
  const KitImport kit = readDroppedKit(kitPath, files);
  val out = val::object();
  std::vector<std::string> warnings = kit.warnings;
  std::string error = kit.error;
  std::vector<Asset> assets;
  for (std::size_t i = 0; error.empty() && i < kit.samples.size(); ++i) {
    const DroppedFile* f = files.find(kit.samples[i]);
    if (!f || !f->hasAsset) error = kit.samples[i] + ": not decoded (the page gave no audio for it)";
    else assets.push_back(f->asset);
  }
  int track = -1;
  if (error.empty()) {
    ui::Studio& s = ui::studio();
    const bool onCanvas = x >= 0 && y >= 0;
    const int sampler = onCanvas ? ui::samplerDropTrack(static_cast<float>(x), static_cast<float>(y)) : -1;
    int newTrackAt = static_cast<int>(s.project.tracks.size());
    if (sampler < 0 && onCanvas) {
      const ui::DropPlace place = ui::arrangementDropPlace(static_cast<float>(x), static_cast<float>(y));
      newTrackAt = place.track >= 0 ? place.track + 1 : place.newTrackAt;
    }
    error = ui::loadKit(kit, assets, sampler, newTrackAt, warnings);
    if (error.empty()) track = s.selectedTrack;
  }
  out.set("error", error);
  out.set("warnings", stringArray(warnings));
  out.set("track", track);
  out.set("zones", error.empty() ? static_cast<double>(kit.zones.size()) : 0.0);
  out.set("name", kit.name);
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(mixdown_kit_drop) {
  emscripten::function("readKit", &studioReadKit);
  emscripten::function("addKit", &studioAddKit);
}
