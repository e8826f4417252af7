// libFuzzer target: the Standard MIDI File reader (core/interchange/MidiFile.h) on any bytes. A refusal must
// carry a message naming the file and a byte and hold nothing else; a file read must make a project the
// model's validation takes, and that project written as a MIDI file must read back with the same number of
// notes (the writer's output is always a file the reader takes).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "interchange/MidiFile.h"
#include "model/ProjectJson.h"

namespace {
std::size_t noteCount(const mixdown::Project& p) {
  std::size_t n = 0;
  for (const auto& t : p.tracks)
    for (const auto& c : t.clips) n += c.notes.size();
  return n;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const mixdown::MidiImport m = mixdown::readMidiFile(bytes, "fuzz.mid");
  if (!m.ok()) {
    if (m.error.rfind("fuzz.mid: byte ", 0) != 0 || !m.project.tracks.empty()) std::abort();
    return 0;
  }
  if (!mixdown::validateProject(m.project).empty()) std::abort();
  const mixdown::MidiExport out = mixdown::writeMidiFile(m.project);
  const mixdown::MidiImport back = mixdown::readMidiFile(out.bytes, "again.mid");
  if (!back.ok() || out.notes != noteCount(m.project) || noteCount(back.project) != out.notes) std::abort();
  return 0;
}
