// libFuzzer target: project bundles (.mixdown) from their bytes: the zip reader (native-host/ZipArchive,
// libzip with its limits), the bundle reader (core/interchange/Bundle.h: project.json, every played
// asset's entry and its SHA-256) and each asset's audio decoded from memory (readAudioBytes), as
// `mixdown render` of a bundle does. Refusals are CliErrors or a bundle error naming an entry; a bundle
// read holds a valid project whose every played asset has its entry.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "AudioFile.h"
#include "CliError.h"
#include "ProjectSource.h"
#include "ZipArchive.h"
#include "interchange/Bundle.h"
#include "model/ProjectJson.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  mixdown::Archive archive;
  try {
    archive = mixdown::cli::readZipBytes(bytes, "fuzz.mixdown");
  } catch (const mixdown::cli::CliError& e) {
    if (std::string(e.what()).rfind("fuzz.mixdown", 0) != 0) std::abort();  // every refusal names the file
    return 0;
  }
  const mixdown::BundleRead read = mixdown::readBundle(archive, [](const mixdown::ArchiveEntry& e) { return mixdown::cli::sha256OfBytes(e.bytes); });
  if (!read.ok()) {
    if (read.error.empty() || !read.audio.empty()) std::abort();
    return 0;
  }
  if (!mixdown::validateProject(read.project).empty()) std::abort();
  for (const mixdown::BundleAudio& a : read.audio) {
    const mixdown::ArchiveEntry* e = archive.find(a.entry);
    if (!e || !read.project.findAsset(a.assetId)) std::abort();
    try {
      // 4 Mi samples (16 MiB): inside the fuzzer's memory limit; the limit's own check is exercised.
      (void)mixdown::cli::readAudioBytes(e->bytes, a.entry, 1u << 22);
    } catch (const mixdown::cli::CliError&) {
    }
  }
  return 0;
}
