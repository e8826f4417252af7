// libFuzzer target: the album description reader of `mixdown album`. Every refusal is a CliError naming
// a JSON path; a library's exception (json.exception...) escaping is a failure.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "AlbumCommand.h"
#include "CliError.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const mixdown::cli::AlbumDescription d = mixdown::cli::readAlbumDescription(text, "album.json");
    if (d.songs.empty() || d.songs.size() > 99) std::abort();
  } catch (const mixdown::cli::CliError& e) {
    if (std::string(e.what()).rfind("album.json", 0) != 0) std::abort();  // names the file (and the path)
  }
  return 0;
}
