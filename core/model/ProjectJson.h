// Reading, validating and writing the Project document as JSON ("format": "mixdown-project", "version": 2;
// version 1 files, which have no tempoChanges or signatureChanges, are read unchanged).
#pragma once

#include <string>
#include <vector>

#include "model/Project.h"

namespace mixdown {

// One problem found while loading, located by its JSON path, e.g. "tracks[2].clips[0].start".
struct ProjectIssue {
  std::string path;
  std::string message;
  std::string text() const { return path.empty() ? message : path + ": " + message; }
};

struct ProjectLoad {
  Project project;
  std::vector<ProjectIssue> issues;  // empty means the project is valid
  bool ok() const { return issues.empty(); }
  // All issues, one per line.
  std::string errorText() const;
};

// JSON nested deeper than this (arrays and objects within each other) is refused before it is parsed:
// nlohmann's parser is iterative, but copying, comparing and writing a value recurse, so depth a file
// chooses must not reach them. A project is about 8 deep, an edit message about 12.
inline constexpr std::size_t kMaxJsonDepth = 64;
// The byte offset at which `text` nests deeper than `maxDepth`, or std::string::npos (strings skipped;
// the text need not be valid JSON). Any thread (pure), linear in the text.
std::size_t jsonTooDeepAt(const std::string& text, std::size_t maxDepth = kMaxJsonDepth);
// "line L, column C" of a byte offset (1-based), for messages about JSON text.
std::string jsonLineColumn(const std::string& text, std::size_t byte);

// At most this many problems are listed for one document; more are counted in a last line.
inline constexpr std::size_t kMaxReportedIssues = 20;

// Parses and validates. Never throws; every problem is reported with its path. JSON syntax errors are
// reported with line and column.
ProjectLoad parseProject(const std::string& jsonText);

// Validates a project built in memory (the same checks as parseProject applies after parsing): the song
// settings and master (validateSong), every track's content (validateTrack) and the routing between
// tracks (validateRouting). The parts exist so an edit of one track is checked for the cost of that track.
std::vector<ProjectIssue> validateProject(const Project& project);
std::vector<ProjectIssue> validateSong(const Project& project);
// The parts of a track validateTrack checks: its strip and devices (instrument, inserts, automation), its clips.
inline constexpr unsigned kTrackDevices = 1, kTrackClips = 2, kTrackAll = 3;
std::vector<ProjectIssue> validateTrack(const Project& project, std::size_t trackIndex, unsigned parts = kTrackAll);
std::vector<ProjectIssue> validateRouting(const Project& project);

// Serializes with stable key order; `indent` < 0 gives compact output.
std::string writeProject(const Project& project, int indent = 2);

}  // namespace mixdown
