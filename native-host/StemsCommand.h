// `mixdown render --stems DIR`: one audio file per track (and per bus with --stems-buses) from the same
// engine pass as the mix (core/engine/Stems.h says what each holds and which sum to the mix).
#pragma once

#include <cstdint>
#include <string>

#include "AudioFile.h"
#include "ProjectSource.h"

namespace mixdown::cli {

// Renders `frames` frames and writes the stems into `dir` (made if missing), and the mix to `mixPath`
// unless it is empty; a progress bar on a terminal; one line per file on stdout. Throws CliError.
int renderStems(const LoadedProject& loaded, const AssetLibrary& assets, const std::string& mixPath, const std::string& dir, bool buses,
                OutputFormat format, int sampleRate, std::int64_t frames, int blockSize);

}  // namespace mixdown::cli
