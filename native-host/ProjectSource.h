// Where a project comes from on the command line: a project file (assets found relative to it), a
// bundle (.mixdown: the project and its audio in one zip, core/interchange/Bundle.h; its audio decoded
// from memory) or a share link (no assets travel in a link; their clips play silent, with a warning).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/AssetPcm.h"
#include "interchange/Archive.h"
#include "model/Project.h"

namespace mixdown::cli {

struct LoadedProject {
  Project project;
  std::string origin;          // file path or "share link", for messages
  std::string baseDir;         // folder that asset paths are relative to (empty for links)
  bool fromLink = false;
  std::shared_ptr<const Archive> bundle;  // a bundle's entries (asset paths name them), or null
};

// Whether the file at `path` is a bundle: a zip (it starts "PK\3\4"), whatever its name.
bool isBundleFile(const std::string& path);

// The bytes of the file an asset of `loaded` names: its bundle entry, or the file relative to the
// project. Throws CliError naming the project and the asset.
std::string assetFileBytes(const LoadedProject& loaded, const Asset& asset);

// The SHA-256 of bytes as 64 lowercase hex digits.
std::string sha256OfBytes(const std::string& bytes);

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
