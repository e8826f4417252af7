// Zip containers (DAWproject files, project bundles) to and from core's Archive, through libzip.
#pragma once

#include <functional>
#include <string>

#include "interchange/Archive.h"

namespace mixdown::cli {

// The entries of the zip held in `bytes` (read from `name`, which messages name). Folders are skipped.
// Throws CliError naming the file and, where one is to blame, the entry: not a zip, a damaged entry (CRC
// or inflate error), an unsafe path (archivePathProblem), more than kMaxArchiveEntries entries or more
// than kMaxArchiveBytes inflated.
Archive readZipBytes(const std::string& bytes, const std::string& name);

// readZipBytes of the file at `path`.
Archive readZipFile(const std::string& path);

// The zip of `archive` as bytes: entries deflated, except those whose names end in an extension that is
// compressed already (flac, mp3, ogg, opus, zip), which are stored.
// `progress` (0..1), when given, is called as libzip compresses.
std::string writeZipBytes(const Archive& archive, const std::function<void(double)>& progress = {});

// writeZipBytes to `path`, through a temporary file renamed into place. Throws CliError naming the file.
void writeZipFile(const std::string& path, const Archive& archive, const std::function<void(double)>& progress = {});

}  // namespace mixdown::cli
