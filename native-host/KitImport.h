// Sample kits on the command line (`mixdown import-kit`): an SFZ file or a Hydrogen drumkit.xml read by
// the core readers (core/interchange) from real files, and added to a project as a sampler track whose
// samples become the project's assets. `mixdown render` then plays them like any asset.
#pragma once

#include <string>
#include <vector>

#include "interchange/Kit.h"
#include "model/Project.h"

namespace mixdown::cli {

// Files for the kit readers: text files up to 16 MiB; samples found as named or, failing that, with each
// path segment matched regardless of letter case (kits made on Windows and macOS name files loosely).
KitFiles nativeKitFiles();

// Reads a kit: files ending in .xml as Hydrogen kits, anything else as SFZ. Throws CliError with the
// reader's message (file, line, what is wrong).
KitImport readKitFile(const std::string& path);

// Adds `kit` to `project` (to be written at `projectPath`) as a new instrument track playing a sampler
// with the kit's zones: each sample becomes an asset (decoded once for its rate, channels and length,
// hashed, its path relative to the project's folder). With `audition`, the track gets a clip that plays
// every zone's root key once a beat, in order. Zone ends and loop ends past their sample's length are
// cut there (a warning each). Returns the warnings. Throws CliError for unreadable samples.
std::vector<std::string> addKitTrack(Project& project, const KitImport& kit, const std::string& projectPath, bool audition);

}  // namespace mixdown::cli
