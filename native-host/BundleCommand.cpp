#include "BundleCommand.h"

#include <algorithm>
#include <cstdio>

#include "CliError.h"
#include "ProgressBar.h"
#include "ZipArchive.h"
#include "interchange/Bundle.h"

namespace mixdown::cli {

std::string writeBundleOf(const LoadedProject& from, const Project& project, const std::string& output) {
  std::vector<BundleFile> files;
  std::size_t total = 0;
  ProgressBar bar("bundling " + output);
  for (std::size_t i = 0; i < project.assets.size(); ++i) {
    const Asset& a = project.assets[i];
    const bool used = std::any_of(project.tracks.begin(), project.tracks.end(), [&](const Track& t) { return usesAsset(t, a.id); });
    BundleFile f;
    f.assetId = a.id;
    try {
      f.bytes = assetFileBytes(from, a);
    } catch (const CliError&) {
      if (used) throw;
      std::fprintf(stderr, "mixdown: warning: asset \"%s\" (%s): no file, and no track plays it: kept without audio\n", a.id.c_str(), a.name.c_str());
      continue;
    }
    f.sha256 = sha256OfBytes(f.bytes);
    if (!a.sha256.empty() && a.sha256 != f.sha256)
      std::fprintf(stderr, "mixdown: warning: asset \"%s\": %s differs from the file that was added (sha-256 mismatch); the bundle holds it as it is now\n",
                   a.id.c_str(), a.path.c_str());
    total += f.bytes.size();
    files.push_back(std::move(f));
    bar.update(0.3 * static_cast<double>(i + 1) / static_cast<double>(project.assets.size()));
  }
  std::string error;
  const Archive archive = writeBundle(project, files, error);
  if (!error.empty()) throw CliError(from.origin + ": " + error);
  writeZipFile(output, archive, [&](double f) { bar.update(0.3 + 0.7 * f); });
  bar.update(1.0);
  bar.finish();
  char line[256];
  std::snprintf(line, sizeof line, "%s: project.json and %zu audio files (%.1f MB of audio)", output.c_str(), archive.entries.size() - 1,
                static_cast<double>(total) / 1e6);
  return line;
}

int runBundle(const BundleOptions& o) {
  const LoadedProject loaded = loadProjectSource(o.project);
  if (loaded.fromLink) throw CliError("share link: a link carries no audio, so there is nothing to bundle; save the song as a file with its audio first");
  std::printf("%s\n", writeBundleOf(loaded, loaded.project, o.output).c_str());
  return 0;
}

}  // namespace mixdown::cli
