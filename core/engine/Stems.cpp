#include "engine/Stems.h"

#include <algorithm>
#include <cstring>

#include "engine/OfflineRender.h"

namespace mixdown {
namespace {

bool isReturn(const Project& p, const Track& bus) {
  // A return: a bus that no track's output feeds (only sends do).
  return std::none_of(p.tracks.begin(), p.tracks.end(), [&](const Track& t) { return t.output == bus.id; });
}

std::string safeName(const Track& t) {
  std::string in = t.name.empty() ? t.id : t.name, out;
  for (unsigned char ch : in) {
    const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                    std::strchr(" ._-()&+,'", ch) != nullptr;
    out += ok && ch != 0 ? static_cast<char>(ch) : '_';
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '.')) out.pop_back();  // no trailing dot or space (Windows)
  while (!out.empty() && (out.front() == ' ' || out.front() == '.')) out.erase(out.begin());
  if (out.size() > 60) out.resize(60);
  return out.empty() ? "Track" : out;
}

}  // namespace

const char* stemKindName(StemKind kind) { return kind == StemKind::Bus ? "bus" : kind == StemKind::Return ? "return" : "track"; }

std::vector<StemFile> stemFiles(const Project& project, bool buses) {
  std::vector<StemFile> files;
  const std::size_t n = project.tracks.size();
  const int width = std::max<int>(2, static_cast<int>(std::to_string(n).size()));
  bool anyBus = false;
  for (const Track& t : project.tracks) anyBus = anyBus || t.kind == TrackKind::Bus;
  for (std::size_t i = 0; i < n; ++i) {
    const Track& t = project.tracks[i];
    const bool bus = t.kind == TrackKind::Bus;
    if (bus && !buses) continue;
    StemFile f;
    f.track = static_cast<int>(i);
    f.kind = !bus ? StemKind::Track : isReturn(project, t) ? StemKind::Return : StemKind::Bus;
    std::string number = std::to_string(i + 1);
    number.insert(0, static_cast<std::size_t>(std::max(0, width - static_cast<int>(number.size()))), '0');
    f.path = number + " " + safeName(t) + (f.kind == StemKind::Bus ? " (bus)" : f.kind == StemKind::Return ? " (return)" : "");
    // Whether the output reaches the master directly (an output naming a missing bus plays to the master).
    const bool toBus = t.output != kMasterOutput && std::any_of(project.tracks.begin(), project.tracks.end(), [&](const Track& o) {
      return o.id == t.output && o.kind == TrackKind::Bus && &o != &t;
    });
    f.inMix = buses ? !toBus : !anyBus;
    if (buses && toBus) f.path = "inside buses/" + f.path;
    files.push_back(std::move(f));
  }
  return files;
}

void renderStemsTo(const Project& project, const AssetLibrary& assets, double sampleRate, std::int64_t frames, int blockSize,
                   const std::vector<int>& blockSizes, const StemSink& sink, const std::function<void(double)>& progress) {
  StemTap tap;
  renderOfflineTo(project, assets, sampleRate, frames, blockSize, blockSizes,
                  [&](const float* left, const float* right, int n) { sink(tap, left, right, n); }, progress, &tap);
}

}  // namespace mixdown
