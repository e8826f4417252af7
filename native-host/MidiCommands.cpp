#include "MidiCommands.h"

#include <cctype>
#include <cstdio>
#include <filesystem>

#include "CliError.h"
#include "DawprojectCommands.h"
#include "FileBytes.h"
#include "ProjectSource.h"
#include "interchange/MidiFile.h"
#include "model/ProjectJson.h"

namespace mixdown::cli {
namespace {

constexpr std::uintmax_t kMaxMidiFileBytes = 64u << 20;  // bytes; the largest real MIDI files are a few MB

bool hasMidiExtension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".mid" || ext == ".midi" || ext == ".kar";
}

void printWarnings(const std::vector<std::string>& warnings, const std::string& prefix = "") {
  for (const auto& w : warnings) std::fprintf(stderr, "mixdown: warning: %s%s\n", prefix.c_str(), w.c_str());
}

std::size_t noteCount(const Project& p) {
  std::size_t n = 0;
  for (const Track& t : p.tracks)
    for (const Clip& c : t.clips) n += c.notes.size();
  return n;
}

}  // namespace

int runImport(const ImportOptions& given) {
  ImportOptions o = given;
  if (o.output.empty()) {  // SONG.mid -> SONG.json beside it, never over a file that is there
    o.output = std::filesystem::path(o.input).replace_extension(".json").string();
    if (std::filesystem::exists(o.output)) throw CliError(o.output + ": exists; give -o FILE to write the project there (or elsewhere)");
  }
  if (hasDawprojectExtension(o.input)) return runImportDawproject(o.input, o.output);
  if (!hasMidiExtension(o.input))
    throw CliError(o.input + ": import reads Standard MIDI Files (.mid, .midi, .kar) and DAWproject files (.dawproject); for SFZ or Hydrogen kits use import-kit");
  const std::string bytes = readFileBytes(o.input, kMaxMidiFileBytes);
  // Messages name the file as it was given, so the line points at it.
  MidiImport midi = readMidiFile(bytes, o.input);
  if (!midi.ok()) throw CliError(midi.error);
  printWarnings(midi.warnings);
  writeFileBytes(o.output, writeProject(midi.project) + "\n");
  const Project& p = midi.project;
  std::printf("%s: %zu tracks, %zu notes, %g BPM (%zu tempo changes), %d/%d (%zu signature changes)\n", o.output.c_str(), p.tracks.size(),
              noteCount(p), p.tempo, p.tempoChanges.size(), p.timeSignature.numerator, p.timeSignature.denominator, p.signatureChanges.size());
  return 0;
}

int runExport(const ExportOptions& o) {
  if (hasDawprojectExtension(o.output)) return runExportDawproject(o.project, o.output);
  if (!hasMidiExtension(o.output)) throw CliError(o.output + ": export writes Standard MIDI Files and DAWproject files: name the output .mid or .dawproject");
  const LoadedProject loaded = loadProjectSource(o.project);
  const MidiExport midi = writeMidiFile(loaded.project);
  printWarnings(midi.warnings, loaded.origin + ": ");
  writeFileBytes(o.output, midi.bytes);
  std::printf("%s: %zu notes, %zu bytes (format 1, %d PPQ)\n", o.output.c_str(), midi.notes, midi.bytes.size(), kMidiExportPpq);
  return 0;
}

}  // namespace mixdown::cli
