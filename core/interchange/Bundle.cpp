#include "interchange/Bundle.h"

#include <algorithm>
#include <map>
#include <set>

#include "model/ProjectJson.h"

namespace mixdown {
namespace {

bool usedByAnyTrack(const Project& p, const std::string& id) {
  return std::any_of(p.tracks.begin(), p.tracks.end(), [&](const Track& t) { return usesAsset(t, id); });
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool isSha256Hex(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::string audioExtensionOf(const std::string& bytes, const std::string& fallbackName) {
  auto starts = [&](const char* magic, std::size_t at = 0) {
    const std::string m(magic);
    return bytes.size() >= at + m.size() && bytes.compare(at, m.size(), m) == 0;
  };
  if ((starts("RIFF") || starts("RF64")) && starts("WAVE", 8)) return ".wav";
  if (starts("fLaC")) return ".flac";
  if (starts("OggS")) return ".ogg";
  if (starts("FORM") && (starts("AIFF", 8) || starts("AIFC", 8))) return ".aiff";
  if (starts(".snd")) return ".au";
  if (starts("ID3") || (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0xff && (static_cast<unsigned char>(bytes[1]) & 0xe0) == 0xe0))
    return ".mp3";
  const std::size_t dot = fallbackName.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : lower(fallbackName.substr(dot));
  for (const char* known : {".wav", ".flac", ".ogg", ".mp3", ".aiff", ".aif", ".au"})
    if (ext == known) return ext;
  return ".bin";
}

BundleRead readBundle(const Archive& archive, const Sha256Of& sha256) {
  BundleRead out;
  const ArchiveEntry* json = archive.find(kBundleProjectEntry);
  if (!json) {
    out.error = std::string(kBundleProjectEntry) + ": missing: this zip is not a Mixdown bundle (a bundle holds project.json and audio/)";
    return out;
  }
  ProjectLoad load = parseProject(json->bytes);
  if (!load.ok()) {
    out.error = std::string(kBundleProjectEntry) + ": ";
    if (load.issues.size() == 1) {
      out.error += load.issues[0].text();
    } else {
      out.error += std::to_string(load.issues.size()) + " problems: ";
      for (std::size_t i = 0; i < load.issues.size() && i < 8; ++i) out.error += (i ? "; " : "") + load.issues[i].text();
    }
    return out;
  }
  out.project = std::move(load.project);
  std::set<std::string> known{kBundleProjectEntry};
  std::map<std::string, std::string> hashed;  // entry -> its sha-256, each hashed once
  for (std::size_t i = 0; i < out.project.assets.size(); ++i) {
    const Asset& a = out.project.assets[i];
    const std::string where = std::string(kBundleProjectEntry) + ": assets[" + std::to_string(i) + "] (\"" + a.id + "\")";
    if (!usedByAnyTrack(out.project, a.id)) {
      if (!a.path.empty() && archive.find(a.path)) known.insert(a.path);
      continue;
    }
    if (a.path.empty()) {
      out.error = where + ".path: empty: a bundle names the entry of every asset a track plays";
      return out;
    }
    if (const std::string problem = archivePathProblem(a.path); !problem.empty()) {
      out.error = where + ".path: " + problem;
      return out;
    }
    const ArchiveEntry* file = archive.find(a.path);
    if (!file) {
      out.error = where + ": its audio \"" + a.path + "\" is not in the bundle";
      return out;
    }
    if (!isSha256Hex(a.sha256)) {
      out.error = where + ".sha256: " + (a.sha256.empty() ? std::string("missing") : "\"" + a.sha256 + "\" is not 64 hex digits") +
                  ": a bundle's assets carry the SHA-256 of their file";
      return out;
    }
    auto it = hashed.find(a.path);
    if (it == hashed.end()) it = hashed.emplace(a.path, sha256(*file)).first;
    if (it->second != a.sha256) {
      out.error = a.path + ": SHA-256 " + it->second + " is not the " + a.sha256 + " that " + where +
                  " names: the file was damaged or replaced";
      return out;
    }
    known.insert(a.path);
    out.audio.push_back({a.id, a.path});
  }
  for (const ArchiveEntry& e : archive.entries)
    if (!known.count(e.path)) out.warnings.push_back(e.path + ": not part of the song; ignored");
  return out;
}

BundlePlan planBundle(Project project, const std::vector<BundleFileInfo>& files) {
  BundlePlan plan;
  std::map<std::string, const BundleFileInfo*> byAsset;
  for (const BundleFileInfo& f : files) byAsset[f.assetId] = &f;
  std::set<std::string> written;
  for (Asset& a : project.assets) {
    auto it = byAsset.find(a.id);
    if (it == byAsset.end()) {
      if (usedByAnyTrack(project, a.id)) {
        plan.error = "asset \"" + a.id + "\" (" + a.name + "): its audio file is missing, and a track plays it";
        return plan;
      }
      a.path.clear();
      continue;
    }
    const BundleFileInfo& f = *it->second;
    if (!isSha256Hex(f.sha256)) {
      plan.error = "asset \"" + a.id + "\": its SHA-256 \"" + f.sha256 + "\" is not 64 lowercase hex digits";
      return plan;
    }
    a.sha256 = f.sha256;
    a.path = std::string(kBundleAudioFolder) + f.sha256 + f.extension;
    if (written.insert(a.path).second) plan.entries.push_back({a.id, a.path});
  }
  const auto issues = validateProject(project);
  if (!issues.empty()) {
    plan.error = "the project is not valid: " + issues.front().text();
    return plan;
  }
  plan.projectJson = writeProject(project) + "\n";
  return plan;
}

Archive writeBundle(Project project, const std::vector<BundleFile>& files, std::string& error) {
  std::vector<BundleFileInfo> infos;
  std::map<std::string, const BundleFile*> byAsset;
  for (const BundleFile& f : files) {
    byAsset[f.assetId] = &f;
    const Asset* a = project.findAsset(f.assetId);
    infos.push_back({f.assetId, f.sha256, audioExtensionOf(f.bytes, a ? (a->path.empty() ? a->name : a->path) : "")});
  }
  BundlePlan plan = planBundle(std::move(project), infos);
  error = plan.error;
  if (!error.empty()) return {};
  Archive archive;
  archive.add(kBundleProjectEntry, std::move(plan.projectJson));
  for (const BundleAudio& e : plan.entries) archive.add(e.entry, byAsset.at(e.assetId)->bytes);
  return archive;
}

}  // namespace mixdown
