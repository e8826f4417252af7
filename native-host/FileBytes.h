// Whole files in and out for the commands that read or write one small file (MIDI files, projects):
// reads are bounded, writes go to a temporary file renamed into place, so a failed command leaves no
// partial output.
#pragma once

#include <cstdint>
#include <string>

namespace mixdown::cli {

// The bytes of the file at `path`; throws CliError naming the file when it is missing, a folder,
// unreadable, or larger than `maxBytes`.
std::string readFileBytes(const std::string& path, std::uintmax_t maxBytes);

// Writes `bytes` to `path` through `path`.tmp renamed into place; throws CliError naming the file.
void writeFileBytes(const std::string& path, const std::string& bytes);

}  // namespace mixdown::cli
