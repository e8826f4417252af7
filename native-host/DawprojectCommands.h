// `mixdown import SONG.dawproject -o SONG.json` and `mixdown export SONG.json -o SONG.dawproject`: the
// core's DAWproject reader and writer (core/interchange/Dawproject.h) with the zip through libzip
// (ZipArchive.h) and the audio files as the project's assets.
#pragma once

#include <string>

namespace mixdown::cli {

// Whether `path` ends in .dawproject (any letter case).
bool hasDawprojectExtension(const std::string& path);

// Reads the .dawproject `input` and writes the project `output` (.json), with the audio files of the
// zip written into the folder "<output without .json>-audio" beside it (their zip paths kept inside it)
// and named as its assets (each decoded once for its rate, channels and length, and hashed). Throws
// CliError naming the file and, for a refused one, where and what.
int runImportDawproject(const std::string& input, const std::string& output);

// Writes the project (file or share link) as the .dawproject `output`, with the audio files of its assets
// in the zip. Throws CliError naming the file.
int runExportDawproject(const std::string& project, const std::string& output);

}  // namespace mixdown::cli
