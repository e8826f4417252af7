// mixdown: the command line. `mixdown render PROJECT -o OUT.wav` renders a project (file or share
// link) with the same engine the browser runs.
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>

#include "AudioFile.h"
#include "CliError.h"
#include "ProgressBar.h"
#include "ProjectSource.h"
#include "engine/OfflineRender.h"

namespace mixdown::cli {
namespace {

struct RenderOptions {
  std::string project;
  std::string output;
  std::string format = "wav32f";
  int sampleRate = 48000;
  int blockSize = 512;
  double seconds = -1.0;
};

int runRender(const RenderOptions& o) {
  SampleFormat format = parseSampleFormat(o.format);
  if (o.sampleRate < 8000 || o.sampleRate > 384000)
    throw CliError("--sample-rate " + std::to_string(o.sampleRate) + ": must be between 8000 and 384000 Hz");
  if (o.blockSize < 1 || o.blockSize > 65536)
    throw CliError("--block-size " + std::to_string(o.blockSize) + ": must be between 1 and 65536 frames");
  if (o.seconds != -1.0 && !(o.seconds > 0.0 && o.seconds <= 24 * 3600.0))
    throw CliError("--seconds: must be greater than 0 and at most 86400");
  LoadedProject loaded = loadProjectSource(o.project);
  std::vector<std::string> warnings;
  AssetLibrary assets = loadAssets(loaded, o.sampleRate, warnings);
  for (const auto& w : warnings) std::fprintf(stderr, "mixdown: warning: %s\n", w.c_str());
  std::int64_t frames = o.seconds > 0 ? static_cast<std::int64_t>(std::llround(o.seconds * o.sampleRate))
                                      : defaultRenderFrames(loaded.project, o.sampleRate);
  const double hours = static_cast<double>(frames) / o.sampleRate / 3600.0;
  if (hours > 24.0)
    throw CliError(loaded.origin + ": the song is " + std::to_string(static_cast<long long>(hours)) +
                   " hours long (last clip ends at beat " + std::to_string(loaded.project.endBeat()) +
                   "); render a part of it with --seconds");
  // Rendered and written a block at a time: memory stays flat for long songs.
  WavWriter writer(o.output, 2, o.sampleRate, format);
  ProgressBar bar("rendering");
  renderOfflineTo(loaded.project, assets, o.sampleRate, frames, o.blockSize, {},
                  [&](const float* l, const float* r, int n) {
                    const float* ch[2] = {l, r};
                    writer.write(ch, n);
                  },
                  [&](double f) { bar.update(f); });
  bar.finish();
  writer.commit();
  return 0;
}

}  // namespace
}  // namespace mixdown::cli

int main(int argc, char** argv) {
  using namespace mixdown::cli;
  CLI::App app{"mixdown: render Mixdown projects with the same engine the browser studio runs"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "mixdown 0.1.0");

  RenderOptions render;
  CLI::App* rc = app.add_subcommand("render", "Render a project (file or share link) to a WAV file");
  rc->add_option("PROJECT", render.project, "Project file (.json) or a share link (URL with #p=...)")->required();
  rc->add_option("-o,--output", render.output, "Output WAV file")->required();
  rc->add_option("--format", render.format, "wav16 | wav24 | wav32f (default wav32f)");
  rc->add_option("--sample-rate", render.sampleRate, "Render sample rate in Hz (default 48000)");
  rc->add_option("--block-size", render.blockSize, "Frames per engine block (default 512; output does not depend on it)");
  rc->add_option("--seconds", render.seconds, "Length in seconds (default: to the end of the last clip plus a 2 s tail)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "mixdown: %s (see mixdown --help)\n", e.what());
    return 2;
  }
  try {
    if (app.got_subcommand(rc)) return runRender(render);
  } catch (const CliError& e) {
    std::fprintf(stderr, "mixdown: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mixdown: unexpected error: %s\n", e.what());
    return 1;
  }
  return 0;
}
