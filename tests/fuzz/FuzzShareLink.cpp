// libFuzzer target: a share link as the command line takes it (URL -> payload -> base64url -> inflate with
// its size limit -> project reader). Every refusal is a CliError with a message; nothing else escapes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "CliError.h"
#include "ProjectSource.h"
#include "model/ProjectJson.h"
#include "share/ShareLink.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The input is the payload; half the time behind a URL, so sharePayload's parsing is reached too.
  std::string link(reinterpret_cast<const char*>(data), size);
  if (size > 0 && (data[0] & 1)) link = "http://127.0.0.1:8080/#p=" + link;
  else if (size > 0) link = "mixdown:" + link;
  std::string payload, error;
  if (!mixdown::sharePayload(link, payload, error)) {
    if (error.empty()) std::abort();
    return 0;
  }
  std::vector<std::uint8_t> bytes;
  if (!mixdown::decodeBase64Url(payload, bytes, error)) {
    if (error.empty()) std::abort();
    return 0;
  }
  std::string text;
  try {
    text = mixdown::cli::inflateLimited(bytes, mixdown::kMaxSharedProjectBytes);
  } catch (const mixdown::cli::CliError& e) {
    if (std::string(e.what()).empty()) std::abort();
    return 0;
  }
  const mixdown::ProjectLoad load = mixdown::parseProject(text);
  if (!load.ok() && load.errorText().empty()) std::abort();
  return 0;
}
