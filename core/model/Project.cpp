#include "model/Project.h"

#include <algorithm>
#include <cmath>

namespace mixdown {

const Asset* Project::findAsset(const std::string& id) const {
  for (const auto& a : assets)
    if (a.id == id) return &a;
  return nullptr;
}

double Project::endBeat() const {
  double end = 0.0;
  for (const auto& t : tracks)
    for (const auto& c : t.clips) end = std::max(end, c.start + c.length);
  return end;
}

bool usesAsset(const Track& track, const std::string& assetId) {
  for (const Clip& c : track.clips)
    if (c.asset == assetId) return true;
  if (track.instrument)
    for (const SampleZone& z : track.instrument->zones)
      if (z.asset == assetId) return true;
  return false;
}

double automationValue(const std::vector<AutomationPoint>& points, double beat) {
  if (points.empty()) return 0.0;
  if (beat <= points.front().beat) return points.front().value;
  if (beat >= points.back().beat) return points.back().value;
  // The segment holding `beat`: the last point at or before it.
  auto next = std::upper_bound(points.begin(), points.end(), beat, [](double b, const AutomationPoint& p) { return b < p.beat; });
  const AutomationPoint& a = *(next - 1);
  const AutomationPoint& b = *next;
  if (a.shape == AutomationShape::Step || b.beat <= a.beat) return a.value;
  double t = (beat - a.beat) / (b.beat - a.beat);
  if (a.shape == AutomationShape::Curved && std::fabs(a.tension) > 1e-6) {
    const double k = 6.0 * a.tension;  // exponential bend: +1 starts slow and ends fast
    t = (std::exp(k * t) - 1.0) / (std::exp(k) - 1.0);
  }
  return a.value + (b.value - a.value) * t;
}

bool parseInsertTarget(const std::string& target, std::size_t& insert, std::string& paramId) {
  if (target.rfind("inserts[", 0) != 0) return false;
  const auto close = target.find("].", 8);
  if (close == std::string::npos || close == 8 || close + 2 >= target.size()) return false;
  std::size_t k = 0;
  for (std::size_t i = 8; i < close; ++i) {
    if (target[i] < '0' || target[i] > '9' || k > 1000) return false;
    k = k * 10 + static_cast<std::size_t>(target[i] - '0');
  }
  insert = k;
  paramId = target.substr(close + 2);
  return true;
}

std::string insertTarget(std::size_t insert, const std::string& paramId) {
  return "inserts[" + std::to_string(insert) + "]." + paramId;
}

void swapInserts(Track& track, std::size_t a, std::size_t b) {
  if (a >= track.inserts.size() || b >= track.inserts.size() || a == b) return;
  std::swap(track.inserts[a], track.inserts[b]);
  for (auto& lane : track.automation) {
    std::size_t k = 0;
    std::string param;
    if (!parseInsertTarget(lane.target, k, param)) continue;
    if (k == a) lane.target = insertTarget(b, param);
    else if (k == b) lane.target = insertTarget(a, param);
  }
}

void removeInsert(Track& track, std::size_t k) {
  if (k >= track.inserts.size()) return;
  track.inserts.erase(track.inserts.begin() + static_cast<std::ptrdiff_t>(k));
  std::vector<AutomationLane> kept;
  for (auto& lane : track.automation) {
    std::size_t i = 0;
    std::string param;
    if (parseInsertTarget(lane.target, i, param)) {
      if (i == k) continue;
      if (i > k) lane.target = insertTarget(i - 1, param);
    }
    kept.push_back(std::move(lane));
  }
  track.automation = std::move(kept);
}

bool assignDeviceIds(Track& track) {
  bool changed = false;
  std::vector<std::string> taken;
  auto isTaken = [&](const std::string& id) { return std::find(taken.begin(), taken.end(), id) != taken.end(); };
  int next = 1;
  for (auto& d : track.inserts) {
    if (!d.id.empty() && !isTaken(d.id)) {
      taken.push_back(d.id);
      continue;
    }
    d.id.clear();
  }
  for (auto& d : track.inserts) {
    if (!d.id.empty()) continue;
    while (isTaken("fx" + std::to_string(next))) ++next;
    d.id = "fx" + std::to_string(next);
    taken.push_back(d.id);
    changed = true;
  }
  return changed;
}

int findInsert(const Track& track, const std::string& deviceId) {
  for (std::size_t k = 0; k < track.inserts.size(); ++k)
    if (track.inserts[k].id == deviceId) return static_cast<int>(k);
  return -1;
}

bool sameExceptClips(const Track& a, const Track& b) {
#if defined(__x86_64__) && defined(__GLIBCXX__)
  static_assert(sizeof(Track) == 440, "Track has a new member: compare it in sameExceptClips (then update this size)");
#endif
  return a.id == b.id && a.name == b.name && a.kind == b.kind && a.instrument == b.instrument && a.inserts == b.inserts &&
         a.strip == b.strip && a.output == b.output && a.sends == b.sends && a.automation == b.automation && a.color == b.color;
}

}  // namespace mixdown
