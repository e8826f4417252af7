// Decoded audio of one asset at the engine's sample rate. Immutable once built and shared by every
// clip and plan that uses it (never copied per clip).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/Project.h"

namespace mixdown {

struct AssetPcm {
  std::string id;
  double sampleRate = 48000.0;            // equals the engine's rate (the host resamples before adding)
  std::vector<std::vector<float>> channels;  // 1 or 2 channels of equal length
  std::int64_t frames() const { return channels.empty() ? 0 : static_cast<std::int64_t>(channels[0].size()); }
};

// Control thread only: the decoded assets an engine may use, by asset id.
using AssetLibrary = std::map<std::string, std::shared_ptr<const AssetPcm>>;

// Control thread: appends to `missing` (once each) the assets `track` plays (its audio clips' and its
// sampler zones') that `assets` does not hold.
inline void noteMissingAssets(const Track& track, const AssetLibrary& assets, std::vector<std::string>& missing) {
  auto note = [&](const std::string& id) {
    if (id.empty() || assets.count(id) || std::find(missing.begin(), missing.end(), id) != missing.end()) return;
    missing.push_back(id);
  };
  if (track.kind == TrackKind::Audio)
    for (const Clip& c : track.clips) note(c.asset);
  if (track.instrument)
    for (const SampleZone& z : track.instrument->zones) note(z.asset);
}

}  // namespace mixdown
