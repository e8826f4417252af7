// libFuzzer target: share links as the command line takes them, both versions, and v2's binary payload
// on its own (where mutations reach the decoder instead of stopping at inflate). The first byte chooses:
//   % 3 == 0  a v1 link: "http://127.0.0.1:8080/#p=" (or "mixdown:", first byte >= 0x80) + the rest
//   % 3 == 1  a v2 link: "http://127.0.0.1:8080/#p2=" + the rest (base64url -> raw inflate -> decoder)
//   % 3 == 2  the rest is a v2 payload, decoded as the studio decodes an inflated one
// Every refusal says what is wrong; a payload the decoder accepts is a valid song that encodes back to a
// payload decoding to the same project, and renders finite for a moment.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "CliError.h"
#include "ShareLinks.h"
#include "engine/OfflineRender.h"
#include "model/ProjectJson.h"
#include "share/ProjectBinary.h"

namespace {

void checkPlays(const mixdown::Project& p) {
  if (!mixdown::validateProject(p).empty()) std::abort();
  // 0.05 s at 8 kHz in blocks of 64: enough to run every track's devices and routes once.
  const auto out = mixdown::renderOffline(p, {}, 8000, 400, 64);
  for (const auto& ch : out)
    for (float v : ch)
      if (!std::isfinite(v)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const int mode = data[0] % 3;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (mode == 2) {
    const mixdown::ProjectLoad load = mixdown::decodeProjectBinary(data + 1, size - 1);
    if (!load.ok()) {
      if (load.errorText().empty()) std::abort();
      return 0;
    }
    const mixdown::ProjectLoad again = mixdown::decodeProjectBinary(mixdown::encodeProjectBinary(load.project));
    if (!again.ok() || !(again.project == load.project)) std::abort();
    checkPlays(load.project);
    return 0;
  }
  const std::string link = mode == 1 ? "http://127.0.0.1:8080/#p2=" + rest
                           : data[0] >= 0x80 ? "mixdown:" + rest
                                             : "http://127.0.0.1:8080/#p=" + rest;
  try {
    checkPlays(mixdown::cli::projectFromShareLink(link));
  } catch (const mixdown::cli::CliError& e) {
    if (std::string(e.what()).rfind("share link: ", 0) != 0) std::abort();  // named, and only as a CliError
  }
  return 0;
}
