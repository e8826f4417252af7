// What `analyze`, `master` and `album` work on: an audio file, or a project (file or share link) that is
// rendered first with the engine.
#pragma once

#include <string>
#include <vector>

#include "master/Mastering.h"

namespace mixdown::cli {

struct Programme {
  std::string origin;  // for messages
  double sampleRate = 48000;
  AudioChannels audio;
};

// True for a share link, a file ending in .json (a project) or a bundle (.mixdown, or any zip); anything
// else is read as audio.
bool isProjectSource(const std::string& source);

// Reads or renders `source` (projects at `projectRate` Hz), with a progress bar. Throws CliError.
Programme loadProgramme(const std::string& source, int projectRate = 48000);

// The loudness report as aligned text lines ("integrated   -14.02 LUFS" ...), one or two columns.
std::string formatReport(const LoudnessReport& report);
std::string formatReportPair(const LoudnessReport& before, const LoudnessReport& after);

}  // namespace mixdown::cli
