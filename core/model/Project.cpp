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

}  // namespace mixdown
