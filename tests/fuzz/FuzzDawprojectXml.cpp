// libFuzzer target: project.xml from any bytes, in a fixed zip that also holds an audio file entry, a
// Mixdown device state and metadata.xml (so references to them can resolve): reaches the reader's XML
// paths without first having to make a valid zip. Same checks as fuzz_dawproject.
#include <cstdint>
#include <string>

#include "FuzzDawprojectCheck.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mixdown::Archive zip;
  zip.add("project.xml", std::string(reinterpret_cast<const char*>(data), size));
  zip.add("metadata.xml", "<MetaData><Title>Fuzz</Title></MetaData>");
  zip.add("audio/a.wav", "");
  zip.add("plugins/t-1.mixdown-device.json", R"({"type":"mixdown.compressor","params":{"threshold":-20,"ratio":4}})");
  zip.add("mixdown/extras.json", R"({"loop":{"enabled":true,"startBeat":0,"endBeat":8},"curves":{"id9":[[0,0.5]]}})");
  mixdown::fuzz::checkDawproject(zip);
  return 0;
}
