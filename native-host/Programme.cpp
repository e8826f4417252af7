#include "Programme.h"

#include <cmath>
#include <cstdio>

#include "AudioFile.h"
#include "CliError.h"
#include "ProgressBar.h"
#include "ProjectSource.h"
#include "engine/OfflineRender.h"

namespace mixdown::cli {
namespace {

struct Row {
  const char* label;
  double LoudnessReport::*field;
  const char* unit;
};
constexpr Row kRows[] = {
    {"integrated", &LoudnessReport::integrated, "LUFS"},   {"loudness range", &LoudnessReport::range, "LU"},
    {"true peak", &LoudnessReport::truePeak, "dBTP"},      {"sample peak", &LoudnessReport::samplePeak, "dBFS"},
    {"max momentary", &LoudnessReport::maxMomentary, "LUFS"}, {"max short-term", &LoudnessReport::maxShortTerm, "LUFS"},
};

std::string number(double v) {
  if (!std::isfinite(v)) return "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

}  // namespace

bool isProjectSource(const std::string& source) {
  auto endsWith = [&](const char* s) {
    const std::string e(s);
    return source.size() >= e.size() && source.compare(source.size() - e.size(), e.size(), e) == 0;
  };
  return source.find("#p=") != std::string::npos || endsWith(".json") || endsWith(".JSON") || endsWith(".mixdown") ||
         isBundleFile(source);
}

Programme loadProgramme(const std::string& source, int projectRate) {
  Programme p;
  p.origin = source;
  if (!isProjectSource(source)) {
    DecodedAudio a = readAudioFile(source);
    if (a.frames() == 0) throw CliError(source + ": the file holds no audio");
    p.sampleRate = a.sampleRate;
    p.audio = std::move(a.channels);
    return p;
  }
  LoadedProject loaded = loadProjectSource(source);
  std::vector<std::string> warnings;
  AssetLibrary assets = loadAssets(loaded, projectRate, warnings);
  for (const auto& w : warnings) std::fprintf(stderr, "mixdown: warning: %s\n", w.c_str());
  const std::int64_t frames = defaultRenderFrames(loaded.project, projectRate);
  if (static_cast<double>(frames) / projectRate > 3 * 3600.0)
    throw CliError(loaded.origin + ": the song is longer than 3 hours; render a part with `mixdown render --seconds` first");
  ProgressBar bar("rendering " + loaded.origin);
  p.sampleRate = projectRate;
  p.audio = renderOffline(loaded.project, assets, projectRate, frames, 512, {}, [&](double f) { bar.update(f); });
  bar.finish();
  return p;
}

std::string formatReport(const LoudnessReport& r) {
  std::string out;
  char line[128];
  for (const Row& row : kRows) {
    std::snprintf(line, sizeof line, "  %-15s %8s %s\n", row.label, number(r.*row.field).c_str(), row.unit);
    out += line;
  }
  return out;
}

std::string formatReportPair(const LoudnessReport& before, const LoudnessReport& after) {
  std::string out;
  char line[160];
  std::snprintf(line, sizeof line, "  %-15s %8s %8s\n", "", "before", "after");
  out += line;
  for (const Row& row : kRows) {
    std::snprintf(line, sizeof line, "  %-15s %8s %8s %s\n", row.label, number(before.*row.field).c_str(),
                  number(after.*row.field).c_str(), row.unit);
    out += line;
  }
  return out;
}

}  // namespace mixdown::cli
