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
#include "model/ProjectJson.h"

namespace mixdown::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// What a JSON value is, for "got ..." in messages.
std::string kindOf(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "a list";
    case json::value_t::object: return "an object";
    case json::value_t::binary: return "binary data";
    case json::value_t::discarded: return "nothing";
    default: {
      std::ostringstream s;
      s << v.get<double>();
      return s.str();
    }
  }
}

double number(const json& j, const std::string& where, const char* key, double fallback, double lo, double hi, const char* unit) {
  const auto it = j.find(key);
  if (it == j.end()) return fallback;
  std::ostringstream range;
  range << lo << " to " << hi;
  const std::string expected = std::string("must be a number of ") + unit + " from " + range.str();
  if (!it->is_number()) throw CliError(where + "." + key + ": " + expected + " (got " + kindOf(*it) + ")");
  const double v = it->get<double>();
  if (!(v >= lo && v <= hi)) throw CliError(where + "." + key + ": " + expected + " (got " + kindOf(*it) + ")");
  return v;
}

std::string text(const json& j, const std::string& where, const char* key, const std::string& fallback, const char* expected) {
  const auto it = j.find(key);
  if (it == j.end()) return fallback;
  if (!it->is_string()) throw CliError(where + "." + key + ": must be " + expected + " (got " + kindOf(*it) + ")");
  return it->get<std::string>();
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

AlbumDescription readAlbumDescription(const std::string& jsonText, const std::string& where) {
  if (const std::size_t at = jsonTooDeepAt(jsonText); at != std::string::npos)
    throw CliError(where + ": nested more than " + std::to_string(kMaxJsonDepth) + " lists and objects deep at " +
                   jsonLineColumn(jsonText, at) + "; not an album description");
  const json doc = json::parse(jsonText, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    throw CliError(where + ": not a valid album description (expected a JSON object with \"songs\")");
  AlbumDescription d;
  d.title = text(doc, where, "title", d.title, "a string");
  d.sampleRate = number(doc, where, "sampleRate", d.sampleRate, 8000, 384000, "Hz");
  d.preset = text(doc, where, "preset", "", "the name of a delivery preset");
  if (!d.preset.empty() || doc.contains("preset")) {
    const DeliveryPreset* p = findDeliveryPreset(d.preset);
    if (!p) {
      std::string known;
      for (const auto& dp : deliveryPresets()) known += std::string(known.empty() ? "" : ", ") + dp.id;
      throw CliError(where + ".preset: unknown preset \"" + d.preset.substr(0, 40) + "\" (known: " + known + ")");
    }
    d.targetLufs = p->targetLufs;
    d.ceilingDbtp = p->ceilingDbtp;
  }
  d.targetLufs = number(doc, where, "targetLufs", d.targetLufs, -70, 0, "LUFS");
  d.ceilingDbtp = number(doc, where, "ceilingDbtp", d.ceilingDbtp, -20, 0, "dBTP");
  d.loudness = text(doc, where, "loudness", d.loudness, "\"track\" or \"album\"");
  if (d.loudness != "track" && d.loudness != "album")
    throw CliError(where + ".loudness: must be \"track\" or \"album\" (got \"" + d.loudness.substr(0, 40) + "\")");
  d.format = text(doc, where, "format", d.format, "wav16, wav24, wav32f, flac16 or flac24");
  try {
    parseOutputFormat(d.format);
  } catch (const CliError& e) {
    throw CliError(where + ".format: must be wav16, wav24, wav32f, flac16 or flac24 (got \"" + d.format.substr(0, 40) + "\")");
  }
  const auto list = doc.find("songs");
  if (list == doc.end() || !list->is_array() || list->empty())
    throw CliError(where + ".songs: must be a non-empty list of songs (got " + (list == doc.end() ? std::string("nothing") : kindOf(*list)) + ")");
  if (list->size() > 99)  // a CD and its CUE sheet number tracks 01..99
    throw CliError(where + ".songs: " + std::to_string(list->size()) + " songs; an album holds at most 99 (the CD track limit)");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string sw = where + ".songs[" + std::to_string(i) + "]";
    const json& s = (*list)[i];
    if (!s.is_object()) throw CliError(sw + ": must be an object with a \"source\" (got " + kindOf(s) + ")");
    AlbumEntry e;
    const auto source = s.find("source");
    if (source == s.end() || !source->is_string() || source->get<std::string>().empty())
      throw CliError(sw + ".source: required: the path of a project or audio file (got " + (source == s.end() ? std::string("nothing") : kindOf(*source)) + ")");
    e.source = source->get<std::string>();
    e.title = text(s, sw, "title", fs::path(e.source).stem().string(), "a string");
    e.gapSeconds = number(s, sw, "gap", e.gapSeconds, 0, 600, "seconds");
    e.crossfadeSeconds = number(s, sw, "crossfade", e.crossfadeSeconds, 0, 60, "seconds");
    e.fadeInSeconds = number(s, sw, "fadeIn", e.fadeInSeconds, 0, 600, "seconds");
    e.fadeOutSeconds = number(s, sw, "fadeOut", e.fadeOutSeconds, 0, 600, "seconds");
    d.songs.push_back(std::move(e));
  }
  return d;
}

int runAlbum(const AlbumOptions& o) {
  std::ifstream in(o.album, std::ios::binary);
  if (!in) throw CliError(o.album + ": file not found or unreadable");
  std::stringstream fileText;
  fileText << in.rdbuf();
  const std::string where = o.album;
  const AlbumDescription d = readAlbumDescription(fileText.str(), where);
  AlbumSettings settings;
  settings.sampleRate = d.sampleRate;
  settings.master.targetLufs = d.targetLufs;
  settings.master.ceilingDbtp = d.ceilingDbtp;
  settings.loudness = d.loudness == "album" ? AlbumLoudness::Album : AlbumLoudness::PerTrack;
  const std::string& mode = d.loudness;
  const std::string formatName = !o.format.empty() ? o.format : d.format;
  const OutputFormat format = parseOutputFormat(formatName);
  const fs::path base = fs::path(o.album).has_parent_path() ? fs::path(o.album).parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(o.outputDir, ec);
  if (!fs::is_directory(o.outputDir, ec)) throw CliError(o.outputDir + ": cannot create the output folder");

  std::vector<AlbumSong> songs;
  for (const AlbumEntry& e : d.songs) {
    AlbumSong song;
    song.title = e.title;
    song.gapSeconds = e.gapSeconds;
    song.crossfadeSeconds = e.crossfadeSeconds;
    song.fadeInSeconds = e.fadeInSeconds;
    song.fadeOutSeconds = e.fadeOutSeconds;
    const std::string& source = e.source;
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
  const std::string& title = d.title;
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
