#include "model/Project.h"

#include <algorithm>

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

}  // namespace mixdown
