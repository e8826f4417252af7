#include "AlbumCommand.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "AudioFile.h"
#include "CliError.h"
#include "Programme.h"
#include "ProgressBar.h"
#include "Resampler.h"
#include "master/Album.h"

namespace mixdown::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

double number(const json& j, const std::string& where, const char* key, double fallback, double lo, double hi) {
  if (!j.contains(key)) return fallback;
  if (!j[key].is_number()) throw CliError(where + "." + key + ": must be a number");
  const double v = j[key].get<double>();
  if (!(v >= lo && v <= hi)) throw CliError(where + "." + key + ": must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  return v;
}

std::string cueTime(std::int64_t sample, double rate) {
  const std::int64_t frames = std::llround(static_cast<double>(sample) * 75.0 / rate);  // exact: starts are on CUE frames
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(frames / (75 * 60)),
                static_cast<long long>(frames / 75 % 60), static_cast<long long>(frames % 75));
  return buf;
}

std::string safeFileName(const std::string& title) {
  std::string out;
  for (char c : title) out += (std::isalnum(static_cast<unsigned char>(c)) || c == ' ' || c == '-' || c == '_') ? c : '_';
  return out.empty() ? "song" : out;
}

}  // namespace

int runAlbum(const AlbumOptions& o) {
  std::ifstream in(o.album, std::ios::binary);
  if (!in) throw CliError(o.album + ": file not found or unreadable");
  std::stringstream text;
  text << in.rdbuf();
  const json doc = json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) throw CliError(o.album + ": not a valid album description (expected a JSON object)");
  const std::string where = o.album;
  AlbumSettings settings;
  settings.sampleRate = number(doc, where, "sampleRate", 48000, 8000, 384000);
  if (doc.contains("preset")) {
    const DeliveryPreset* p = doc["preset"].is_string() ? findDeliveryPreset(doc["preset"].get<std::string>()) : nullptr;
    if (!p) throw CliError(where + ".preset: unknown preset");
    settings.master.targetLufs = p->targetLufs;
    settings.master.ceilingDbtp = p->ceilingDbtp;
  }
  settings.master.targetLufs = number(doc, where, "targetLufs", settings.master.targetLufs, -70, 0);
  settings.master.ceilingDbtp = number(doc, where, "ceilingDbtp", settings.master.ceilingDbtp, -20, 0);
  const std::string mode = doc.value("loudness", std::string("track"));
  if (mode != "track" && mode != "album") throw CliError(where + ".loudness: must be \"track\" or \"album\" (got \"" + mode + "\")");
  settings.loudness = mode == "album" ? AlbumLoudness::Album : AlbumLoudness::PerTrack;
  std::string formatName = !o.format.empty() ? o.format : doc.value("format", std::string("wav24"));
  const OutputFormat format = parseOutputFormat(formatName);
  if (!doc.contains("songs") || !doc["songs"].is_array() || doc["songs"].empty())
    throw CliError(where + ".songs: must be a non-empty list of songs");
  if (doc["songs"].size() > 99)  // a CD and its CUE sheet number tracks 01..99
    throw CliError(where + ".songs: " + std::to_string(doc["songs"].size()) + " songs; an album holds at most 99 (the CD track limit)");
  const fs::path base = fs::path(o.album).has_parent_path() ? fs::path(o.album).parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(o.outputDir, ec);
  if (!fs::is_directory(o.outputDir, ec)) throw CliError(o.outputDir + ": cannot create the output folder");

  std::vector<AlbumSong> songs;
  const json& list = doc["songs"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string sw = where + ".songs[" + std::to_string(i) + "]";
    const json& s = list[i];
    if (!s.is_object() || !s.contains("source") || !s["source"].is_string()) throw CliError(sw + ".source: required (a project or audio file)");
    AlbumSong song;
    const std::string source = s["source"].get<std::string>();
    song.title = s.value("title", fs::path(source).stem().string());
    song.gapSeconds = number(s, sw, "gap", 2.0, 0, 600);
    song.crossfadeSeconds = number(s, sw, "crossfade", 0.0, 0, 60);
    song.fadeInSeconds = number(s, sw, "fadeIn", 0.0, 0, 600);
    song.fadeOutSeconds = number(s, sw, "fadeOut", 0.0, 0, 600);
    const std::string path = source.find("#p=") != std::string::npos || fs::path(source).is_absolute() ? source : (base / source).string();
    Programme p = loadProgramme(path, static_cast<int>(settings.sampleRate));
    if (p.audio.size() == 1) p.audio.push_back(p.audio[0]);  // mono plays in both channels
    if (p.audio.size() != 2) throw CliError(path + ": " + std::to_string(p.audio.size()) + " channels; an album is stereo");
    song.audio = resample(p.audio, p.sampleRate, settings.sampleRate);
    songs.push_back(std::move(song));
  }
  std::vector<std::string> titles;
  for (const auto& s : songs) titles.push_back(s.title);

  AlbumResult r;
  {
    ProgressBar bar("mastering the album");
    r = assembleAlbum(std::move(songs), settings, [&](double f) { bar.update(f); });
    bar.finish();
  }
  if (!r.ok) throw CliError(o.album + ": " + r.error);

  // Dither the album once, so the song files (cut from it and written without further dither) join
  // back into exactly the album file.
  if (format.sample != SampleFormat::Float32) {
    Dither dither;
    dither.prepare(2, format.bits(), DitherShape::Tpdf);
    float* ch[2] = {r.audio[0].data(), r.audio[1].data()};
    dither.process(ch, static_cast<int>(r.audio[0].size()));
  }
  const std::string ext = format.container == Container::Flac ? ".flac" : ".wav";
  const std::string title = doc.value("title", std::string("album"));
  const std::string albumFile = safeFileName(title) + ext;
  const int rate = static_cast<int>(std::lround(settings.sampleRate));
  writeAudioFile((fs::path(o.outputDir) / albumFile).string(), r.audio, rate, format, DitherShape::None);
  std::string cue = "TITLE \"" + title + "\"\nFILE \"" + albumFile + "\" WAVE\n";
  json report = {{"album", albumFile}, {"loudness", mode}, {"targetLufs", settings.master.targetLufs},
                 {"ceilingDbtp", settings.master.ceilingDbtp}, {"songs", json::array()}};
  for (std::size_t i = 0; i < titles.size(); ++i) {
    const auto from = static_cast<std::size_t>(r.starts[i]);
    const auto to = i + 1 < titles.size() ? static_cast<std::size_t>(r.starts[i + 1]) : r.audio[0].size();
    AudioChannels cut(2);
    for (std::size_t c = 0; c < 2; ++c)
      cut[c].assign(r.audio[c].begin() + static_cast<std::ptrdiff_t>(from), r.audio[c].begin() + static_cast<std::ptrdiff_t>(to));
    char number[24];  // "01" .. "99" (the album file is refused beyond 99 songs); room for any size_t
    std::snprintf(number, sizeof number, "%02zu", i + 1);
    const std::string file = std::string(number) + " " + safeFileName(titles[i]) + ext;
    writeAudioFile((fs::path(o.outputDir) / file).string(), cut, rate, format, DitherShape::None);
    cue += std::string("  TRACK ") + number + " AUDIO\n    TITLE \"" + titles[i] + "\"\n    INDEX 01 " + cueTime(r.starts[i], settings.sampleRate) + "\n";
    const LoudnessReport& s = r.songs[i];
    report["songs"].push_back({{"title", titles[i]}, {"file", file}, {"startSample", r.starts[i]}, {"frames", to - from},
                               {"integratedLufs", s.integrated}, {"truePeakDbtp", s.truePeak}});
    if (!o.json)
      std::printf("%s  %-30s start %10lld  %7.2f LUFS  %6.2f dBTP\n", number, titles[i].c_str(), static_cast<long long>(r.starts[i]),
                  s.integrated, s.truePeak);
  }
  std::ofstream((fs::path(o.outputDir) / (safeFileName(title) + ".cue")).string()) << cue;
  report["integratedLufs"] = r.album.integrated;
  report["truePeakDbtp"] = r.album.truePeak;
  if (o.json) std::printf("%s\n", report.dump(2).c_str());
  else std::printf("album %s: %.2f LUFS, %.2f dBTP, %.1f s -> %s\n", albumFile.c_str(), r.album.integrated, r.album.truePeak, r.album.seconds, o.outputDir.c_str());
  return 0;
}

}  // namespace mixdown::cli
