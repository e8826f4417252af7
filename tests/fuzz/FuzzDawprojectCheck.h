// What both DAWproject fuzz targets check of the reader's answer for one archive.
#pragma once

#include <cstdlib>

#include "interchange/Dawproject.h"
#include "model/ProjectJson.h"

namespace mixdown::fuzz {

inline std::size_t clipCount(const Project& p) {
  std::size_t n = 0;
  for (const Track& t : p.tracks) n += t.clips.size();
  return n;
}

inline void checkDawproject(const Archive& zip) {
  const DawprojectImport in = readDawproject(zip, "fuzz.dawproject");
  if (!in.ok()) {
    if (in.error.rfind("fuzz.dawproject: ", 0) != 0 || !in.project.tracks.empty()) std::abort();
    return;
  }
  if (!validateProject(in.project).empty()) std::abort();
  DawprojectExport out = writeDawproject(in.project);
  for (const auto& [id, entry] : in.audioEntries) out.archive.add(out.audio.count(id) ? out.audio.at(id) : entry, "");
  const DawprojectImport back = readDawproject(out.archive, "again.dawproject");
  if (!back.ok() || back.project.tracks.size() != in.project.tracks.size()) std::abort();
  // Clips of zero length after the round trip's rounding may drop out; more clips may never appear.
  if (clipCount(back.project) > clipCount(in.project)) std::abort();
}

}  // namespace mixdown::fuzz
