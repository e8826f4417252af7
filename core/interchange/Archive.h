// The files of a zip container (a DAWproject, a project bundle) as plain values. Core reads and writes
// zips through this and never sees the container: natively native-host/ZipArchive.cpp fills it (libzip);
// in the browser web/ fills it (fflate). Paths use '/' and are relative ("audio/kick.wav").
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace mixdown {

struct ArchiveEntry {
  std::string path;
  std::string bytes;
};

struct Archive {
  std::vector<ArchiveEntry> entries;

  // Any thread (pure): the entry at `path` (exact match), or nullptr.
  const ArchiveEntry* find(const std::string& path) const {
    for (const auto& e : entries)
      if (e.path == path) return &e;
    return nullptr;
  }
  void add(std::string path, std::string bytes) { entries.push_back({std::move(path), std::move(bytes)}); }
};

// Limits a reader of a zip from outside holds to (a zip bomb or a hostile file stops at them).
inline constexpr std::size_t kMaxArchiveEntries = 4096;
inline constexpr std::size_t kMaxArchiveBytes = std::size_t(2) * 1024 * 1024 * 1024;  // all entries inflated, 2 GiB

// Any thread (pure): why `path` may not name an entry of an archive we read ("" when it may): absolute
// paths, "..", backslashes, empty or control-character names are refused, so no entry can point outside
// the container when a host unpacks it.
std::string archivePathProblem(const std::string& path);

}  // namespace mixdown
