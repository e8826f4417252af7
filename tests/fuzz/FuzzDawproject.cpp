// libFuzzer target: a DAWproject from any bytes, through the zip reader (native-host/ZipArchive, libzip)
// and the core reader (core/interchange/Dawproject.h). A refusal names the file and holds no project; a
// project read must be one the model's validation takes, and our export of it must read back with as
// many tracks and clips.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "CliError.h"
#include "FuzzDawprojectCheck.h"
#include "ZipArchive.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mixdown::Archive zip;
  try {
    zip = mixdown::cli::readZipBytes(std::string(reinterpret_cast<const char*>(data), size), "fuzz.dawproject");
  } catch (const mixdown::cli::CliError&) {
    return 0;  // not a zip the reader takes: refused before the DAWproject reader
  }
  mixdown::fuzz::checkDawproject(zip);
  return 0;
}
