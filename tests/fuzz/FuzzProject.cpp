// libFuzzer target: the project reader (JSON text -> validated Project), then a short render of what it
// accepts, whose output must be finite.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "engine/OfflineRender.h"
#include "model/ProjectJson.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const mixdown::ProjectLoad load = mixdown::parseProject(text);
  if (!load.ok()) {
    for (const auto& issue : load.issues)
      if (issue.message.empty()) std::abort();  // every refusal says what is wrong
    return 0;
  }
  // Writing and reading back gives the same project.
  const mixdown::ProjectLoad again = mixdown::parseProject(mixdown::writeProject(load.project));
  if (!again.ok() || !(again.project == load.project)) std::abort();
  // 0.05 s at 8 kHz in blocks of 64: enough to run every track's devices and routes once.
  const auto out = mixdown::renderOffline(load.project, {}, 8000, 400, 64);
  for (const auto& ch : out)
    for (float v : ch)
      if (!std::isfinite(v)) std::abort();
  return 0;
}
