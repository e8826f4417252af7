// `mixdown bundle SONG -o SONG.mixdown`: a project and its audio in one file (core/interchange/Bundle.h).
#pragma once

#include <string>

#include "ProjectSource.h"

namespace mixdown::cli {

struct BundleOptions {
  std::string project;
  std::string output;
};

// Writes the bundle of `project`, whose asset files are found as `from`'s are (its bundle's entries, or
// files relative to from.baseDir), with a progress bar; returns a one-line summary. Throws CliError.
std::string writeBundleOf(const LoadedProject& from, const Project& project, const std::string& output);

int runBundle(const BundleOptions& options);

}  // namespace mixdown::cli
