#include "StemsCommand.h"

#include <cstdio>
#include <filesystem>
#include <memory>

#include "CliError.h"
#include "ProgressBar.h"
#include "engine/Stems.h"

namespace mixdown::cli {
namespace fs = std::filesystem;

int renderStems(const LoadedProject& loaded, const AssetLibrary& assets, const std::string& mixPath, const std::string& dir, bool buses,
                OutputFormat format, int sampleRate, std::int64_t frames, int blockSize) {
  const Project& project = loaded.project;
  const std::vector<StemFile> files = stemFiles(project, buses);
  if (files.empty()) throw CliError(loaded.origin + ": the song has no tracks to write stems of");
  const char* extension = format.container == Container::Flac ? ".flac" : ".wav";
  std::error_code ec;
  fs::create_directories(fs::path(dir), ec);
  if (ec || !fs::is_directory(dir)) throw CliError(dir + ": cannot make the stems folder (" + (ec ? ec.message() : "not a folder") + ")");
  // Every writer open before the render, so a folder that cannot take a file fails before the work.
  std::vector<std::unique_ptr<AudioWriter>> writers;
  for (const StemFile& f : files) {
    const fs::path path = fs::path(dir) / (f.path + extension);
    fs::create_directories(path.parent_path(), ec);
    writers.push_back(std::make_unique<AudioWriter>(path.string(), 2, sampleRate, format));
  }
  std::unique_ptr<AudioWriter> mix = mixPath.empty() ? nullptr : std::make_unique<AudioWriter>(mixPath, 2, sampleRate, format);
  {
    ProgressBar bar("rendering " + std::to_string(files.size()) + " stems");
    renderStemsTo(project, assets, sampleRate, frames, blockSize, {},
                  [&](const StemTap& tap, const float* l, const float* r, int n) {
                    for (std::size_t k = 0; k < files.size(); ++k) {
                      const StemTap::Stem& s = tap.stems[static_cast<std::size_t>(files[k].track)];
                      const float* ch[2] = {s.out[0].data(), s.out[1].data()};
                      writers[k]->write(ch, n);
                    }
                    if (mix) {
                      const float* ch[2] = {l, r};
                      mix->write(ch, n);
                    }
                  },
                  [&](double f) { bar.update(f); });
    bar.finish();
  }
  for (auto& w : writers) w->commit();
  if (mix) mix->commit();
  bool anyBus = false;
  for (const Track& t : project.tracks) anyBus = anyBus || t.kind == TrackKind::Bus;
  for (const StemFile& f : files)
    std::printf("%s%s  %s \"%s\"%s\n", f.path.c_str(), extension, stemKindName(f.kind), project.tracks[static_cast<std::size_t>(f.track)].name.c_str(),
                f.inMix ? "" : buses ? " (inside a bus: not in the sum)" : "");
  if (anyBus && !buses)
    std::fprintf(stderr, "mixdown: note: the song has buses or returns; these track stems leave out what they add (pass --stems-buses for stems that sum to the mix)\n");
  return 0;
}

}  // namespace mixdown::cli
