// Where a project comes from on the command line: a project file (assets found relative to it) or a
// share link (no assets travel in a link; their clips play silent, with a warning).
#pragma once

#include <string>
#include <vector>

#include "engine/AssetPcm.h"
#include "model/Project.h"

namespace mixdown::cli {

struct LoadedProject {
  Project project;
  std::string origin;          // file path or "share link", for messages
  std::string baseDir;         // folder that asset paths are relative to (empty for links)
  bool fromLink = false;
};

// Throws CliError naming the file (or the link part) and each problem.
LoadedProject loadProjectSource(const std::string& fileOrLink);

// Inflates zlib data (raw deflate with `raw`: share link v2) with a size limit. Throws CliError.
std::string inflateLimited(const std::vector<unsigned char>& data, std::size_t limit, bool raw = false);

// The SHA-256 of a file's bytes as 64 lowercase hex digits (an asset's `sha256`).
std::string sha256OfFile(const std::string& path);

// Decodes every asset the project uses and converts it to `sampleRate`. Assets of a link project are
// reported in `warnings` and skipped. Throws CliError for unreadable files.
AssetLibrary loadAssets(const LoadedProject& loaded, double sampleRate, std::vector<std::string>& warnings);

}  // namespace mixdown::cli
