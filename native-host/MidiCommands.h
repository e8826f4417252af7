// `mixdown import SONG.mid -o SONG.json` and `mixdown export SONG.json -o SONG.mid` (a .dawproject on either side goes to DawprojectCommands.h): Standard MIDI Files
// through the core's reader and writer (core/interchange/MidiFile.h). Both are quick (a MIDI file is a few
// hundred kilobytes at most), so neither shows a progress bar.
#pragma once

#include <string>

namespace mixdown::cli {

struct ImportOptions {
  std::string input;   // .mid
  std::string output;  // project .json
};
struct ExportOptions {
  std::string project;  // project file or share link
  std::string output;   // .mid
};

// Throw CliError naming the file and, for a refused MIDI file, the byte offset and what is wrong.
int runImport(const ImportOptions& o);
int runExport(const ExportOptions& o);

}  // namespace mixdown::cli
