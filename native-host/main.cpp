// mixdown: the command line. `render` renders a project (file or share link) with the same engine the
// browser runs; `analyze` reports loudness; `master` normalises to a loudness target under a true-peak
// ceiling and writes the release file; `import-kit` turns an SFZ file or a Hydrogen kit into a sampler track;
// `import` and `export` read and write Standard MIDI Files and DAWproject files (routed by extension).
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "AlbumCommand.h"
#include "AudioFile.h"
#include "BundleCommand.h"
#include "FileBytes.h"
#include "KitImport.h"
#include "MidiCommands.h"
#include "CliError.h"
#include "ProgressBar.h"
#include "ProjectSource.h"
#include "Programme.h"
#include "StemsCommand.h"
#include "ShareLinks.h"
#include "engine/OfflineRender.h"
#include "model/ProjectJson.h"
#include "devices/Registry.h"
#include "presets/Presets.h"
#include "master/Mastering.h"

namespace mixdown::cli {
namespace {

struct RenderOptions {
  std::string project;
  std::string output;
  std::string format;  // "": wav32f (a mix and stems)
  int sampleRate = 48000;
  int blockSize = 512;
  double seconds = -1.0;
  std::string stemsDir;  // "": no stems
  bool stemBuses = false;
};

int runRender(const RenderOptions& o) {
  if (o.output.empty() && o.stemsDir.empty()) throw CliError("render: give -o FILE for the mix, --stems DIR for stems, or both");
  if (o.stemBuses && o.stemsDir.empty()) throw CliError("--stems-buses: needs --stems DIR");
  OutputFormat format = parseOutputFormat(o.format.empty() ? "wav32f" : o.format);
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
  if (!o.stemsDir.empty()) return renderStems(loaded, assets, o.output, o.stemsDir, o.stemBuses, format, o.sampleRate, frames, o.blockSize);
  // Rendered and written a block at a time: memory stays flat for long songs.
  AudioWriter writer(o.output, 2, o.sampleRate, format);
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

struct ImportKitOptions {
  std::string kit;
  std::string output;
  std::string project;  // "" : a new project
  bool audition = false;
};

// Reads the kit, adds it to the project (or a new one) as a sampler track, checks the result as a loaded
// project is checked, and writes it (to a temporary file renamed into place).
int runImportKit(const ImportKitOptions& o) {
  const KitImport kit = readKitFile(o.kit);
  for (const auto& w : kit.warnings) std::fprintf(stderr, "mixdown: warning: %s\n", w.c_str());
  Project project;
  project.title = kit.name;
  LoadedProject source;
  const bool toBundle = o.output.size() >= 8 && o.output.compare(o.output.size() - 8, 8, ".mixdown") == 0;
  if (!o.project.empty()) {
    source = loadProjectSource(o.project);
    if (source.fromLink) throw CliError("--project: a share link carries no assets; save the project as a file first");
    if (source.bundle && !toBundle)
      throw CliError("--project " + o.project + " is a bundle: its audio cannot be referred to from a .json project; write a bundle (-o NAME.mixdown)");
    project = source.project;
    // Asset paths stay relative to the project written (a bundle's name its entries, found there).
    const auto from = std::filesystem::absolute(source.baseDir), to = std::filesystem::absolute(o.output).parent_path();
    for (Asset& a : project.assets)
      if (!a.path.empty() && !(source.bundle && source.bundle->find(a.path))) a.path = (from / a.path).lexically_normal().lexically_relative(to).generic_string();
  }
  for (const auto& w : addKitTrack(project, kit, o.output, o.audition)) std::fprintf(stderr, "mixdown: warning: %s\n", w.c_str());
  const auto issues = validateProject(project);
  if (!issues.empty()) throw CliError(o.kit + ": the kit makes an invalid project: " + issues.front().text());
  if (toBundle) {
    // Every file is found relative to the bundle written, or in the source bundle.
    source.origin = o.output;
    source.baseDir = std::filesystem::absolute(o.output).parent_path().string();
    std::printf("%s\n", writeBundleOf(source, project, o.output).c_str());
  } else {
    writeFileBytes(o.output, writeProject(project) + "\n");
  }
  const Track& t = project.tracks.back();
  std::printf("%s: track \"%s\" (%s), %zu zones, %zu samples\n", o.output.c_str(), t.id.c_str(), t.name.c_str(), t.instrument->zones.size(),
              kit.samples.size());
  return 0;
}

nlohmann::json reportJson(const LoudnessReport& r) {
  auto v = [](double x) { return std::isfinite(x) ? nlohmann::json(std::round(x * 100.0) / 100.0) : nlohmann::json(nullptr); };
  return {{"integratedLufs", v(r.integrated)}, {"loudnessRangeLu", v(r.range)},     {"truePeakDbtp", v(r.truePeak)},
          {"samplePeakDbfs", v(r.samplePeak)}, {"maxMomentaryLufs", v(r.maxMomentary)}, {"maxShortTermLufs", v(r.maxShortTerm)},
          {"seconds", v(r.seconds)}};
}

// The factory presets: category, name, device and the parameters each sets.
int runPresets(bool asJson) {
  for (const std::string& e : factoryPresetErrors()) std::fprintf(stderr, "mixdown: preset %s\n", e.c_str());
  if (asJson) {
    std::printf("%s\n", presetListJson(factoryPresets(), 2).c_str());
  } else {
    std::string category;
    for (const Preset& p : factoryPresets()) {
      if (p.category != category) std::printf("%s%s\n", category.empty() ? "" : "\n", (category = p.category).c_str());
      std::printf("    %-24s %-20s %zu parameters set\n", p.name.c_str(), p.device.type.c_str(), p.device.params.size());
    }
    std::printf("\n%zu presets\n", factoryPresets().size());
  }
  return factoryPresetErrors().empty() ? 0 : 1;
}

int runDevices(bool asJson) {
  nlohmann::json all = nlohmann::json::array();
  for (const DeviceDescriptor* d : deviceDescriptors()) {
    nlohmann::json params = nlohmann::json::array();
    for (const ParamDescriptor& p : d->params) {
      const char* scale = p.scale == ParamScale::Logarithmic ? "log" : p.scale == ParamScale::Choice ? "choice" : p.scale == ParamScale::Toggle ? "toggle" : "linear";
      nlohmann::json j = {{"id", p.id}, {"name", p.name}, {"unit", p.unit}, {"min", p.min}, {"max", p.max}, {"default", p.defaultValue}, {"scale", scale}};
      if (!p.choices.empty()) j["choices"] = p.choices;
      params.push_back(j);
    }
    all.push_back({{"id", d->id}, {"name", d->name}, {"kind", d->kind == DeviceKind::Instrument ? "instrument" : "effect"}, {"params", params}});
  }
  if (asJson) {
    std::printf("%s\n", all.dump(2).c_str());
    return 0;
  }
  for (const auto& d : all) {
    std::printf("%s  (%s, %s)\n", d["id"].get<std::string>().c_str(), d["name"].get<std::string>().c_str(), d["kind"].get<std::string>().c_str());
    for (const auto& p : d["params"]) {
      std::string range;
      if (p.contains("choices")) {
        for (const auto& c : p["choices"]) range += (range.empty() ? "" : " | ") + c.get<std::string>();
      } else {
        char buf[96];
        std::snprintf(buf, sizeof buf, "%g .. %g %s", p["min"].get<double>(), p["max"].get<double>(), p["unit"].get<std::string>().c_str());
        range = buf;
      }
      std::printf("    %-20s %-28s default %g\n", p["id"].get<std::string>().c_str(), range.c_str(), p["default"].get<double>());
    }
  }
  return 0;
}

struct AnalyzeOptions {
  std::vector<std::string> inputs;
  bool json = false;
};

int runAnalyze(const AnalyzeOptions& o) {
  nlohmann::json all = nlohmann::json::array();
  for (const std::string& input : o.inputs) {
    Programme p = loadProgramme(input);
    ProgressBar bar("measuring " + input);
    const LoudnessReport r = analyzeLoudness(p.audio, p.sampleRate, [&](double f) { bar.update(f); });
    bar.finish();
    if (o.json) {
      nlohmann::json j = reportJson(r);
      j["input"] = input;
      j["sampleRate"] = p.sampleRate;
      j["channels"] = p.audio.size();
      all.push_back(j);
    } else {
      std::printf("%s (%d ch, %.0f Hz, %.2f s)\n%s", input.c_str(), static_cast<int>(p.audio.size()), p.sampleRate, r.seconds,
                  formatReport(r).c_str());
    }
  }
  if (o.json) std::printf("%s\n", all.dump(2).c_str());
  return 0;
}

struct MasterOptions {
  std::string input, output, preset, format, dither = "tpdf";
  double target = std::nan(""), ceiling = std::nan("");
  bool json = false;
};

int runMaster(const MasterOptions& o) {
  MasterSettings s;
  std::string presetName = "custom", formatName = o.format.empty() ? "wav24" : o.format;
  // A project brings its own destination (the studio's mastering view sets it); options override it.
  if (isProjectSource(o.input) && o.preset.empty() && std::isnan(o.target) && std::isnan(o.ceiling)) {
    const DeliveryState d = loadProjectSource(o.input).project.master.delivery;
    s.targetLufs = d.targetLufs;
    s.ceilingDbtp = d.ceilingDbtp;
    presetName = d.preset;
    if (o.format.empty()) formatName = d.bits == 16 ? "wav16" : "wav24";
  }
  if (!o.preset.empty()) {
    const DeliveryPreset* p = findDeliveryPreset(o.preset);
    if (!p) {
      std::string known;
      for (const auto& d : deliveryPresets()) known += std::string(known.empty() ? "" : ", ") + d.id;
      throw CliError("--preset " + o.preset + ": unknown preset (known: " + known + ")");
    }
    s.targetLufs = p->targetLufs;
    s.ceilingDbtp = p->ceilingDbtp;
    presetName = p->id;
  }
  if (!std::isnan(o.target)) s.targetLufs = o.target;
  if (!std::isnan(o.ceiling)) s.ceilingDbtp = o.ceiling;
  if (!(s.targetLufs >= -70 && s.targetLufs <= 0)) throw CliError("--target " + std::to_string(s.targetLufs) + ": must be between -70 and 0 LUFS");
  if (!(s.ceilingDbtp >= -20 && s.ceilingDbtp <= 0)) throw CliError("--ceiling " + std::to_string(s.ceilingDbtp) + ": must be between -20 and 0 dBTP");
  const OutputFormat format = parseOutputFormat(formatName);
  const DitherShape dither = parseDitherShape(o.dither);
  Programme p = loadProgramme(o.input);
  MasterResult r;
  {
    ProgressBar bar("mastering");
    r = masterToTarget(p.audio, p.sampleRate, s, [&](double f) { bar.update(f); });
    bar.finish();
  }
  if (!r.ok) throw CliError(o.input + ": " + r.error);
  writeAudioFile(o.output, r.audio, static_cast<int>(std::lround(p.sampleRate)), format, dither);
  // The report is of what was written (dithered, quantised), read back.
  Programme written = loadProgramme(o.output);
  const LoudnessReport after = analyzeLoudness(written.audio, written.sampleRate);
  if (after.truePeak > s.ceilingDbtp + 1e-3)
    throw CliError(o.output + ": true peak " + std::to_string(after.truePeak) + " dBTP is above the ceiling after writing");
  if (o.json) {
    nlohmann::json j = {{"input", o.input},       {"output", o.output},        {"preset", presetName},
                        {"targetLufs", s.targetLufs}, {"ceilingDbtp", s.ceilingDbtp}, {"format", formatName},
                        {"gainDb", std::round(r.gainDb * 100) / 100}, {"passes", r.passes}, {"limiterReleaseMs", r.releaseMs},
                        {"before", reportJson(r.before)}, {"after", reportJson(after)}};
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("%s -> %s (target %.1f LUFS, ceiling %.1f dBTP, %s; gain %+.2f dB, %d passes)\n%s", o.input.c_str(), o.output.c_str(),
                s.targetLufs, s.ceilingDbtp, presetName.c_str(), r.gainDb, r.passes, formatReportPair(r.before, after).c_str());
    if (r.releaseMs != s.releaseMs)
      std::printf("  the limiter's release was shortened from %.0f to %.0f ms to reach the target\n", s.releaseMs, r.releaseMs);
  }
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
  CLI::App* rc = app.add_subcommand("render", "Render a project (file, bundle or share link) to a WAV file, and its stems with --stems");
  rc->add_option("PROJECT", render.project, "Project file (.json), bundle (.mixdown) or a share link (URL with #p2=... or #p=...)")->required();
  rc->add_option("-o,--output", render.output, "Output WAV file (the mix; optional with --stems)");
  rc->add_option("--stems", render.stemsDir, "Also (or instead) write one file per track into this folder: post-insert, post-fader, post-pan, delay-compensated, before the master chain (see README, Stems)");
  rc->add_flag("--stems-buses", render.stemBuses, "With --stems: a file per bus and return as well; the top-level files then sum to the mix before the master chain, tracks feeding a bus go to \"inside buses/\"");
  rc->add_option("--format", render.format, "wav16 | wav24 | wav32f | flac16 | flac24 (default wav32f, stems too: they then sum exactly; 16/24-bit are TPDF-dithered)");
  rc->add_option("--sample-rate", render.sampleRate, "Render sample rate in Hz (default 48000)");
  rc->add_option("--block-size", render.blockSize, "Frames per engine block (default 512; output does not depend on it)");
  rc->add_option("--seconds", render.seconds, "Length in seconds (default: to the end of the last clip plus a 2 s tail)");

  AnalyzeOptions analyze;
  CLI::App* ac = app.add_subcommand("analyze", "Loudness report (EBU R128 / BS.1770) of audio files or projects");
  ac->add_option("FILE", analyze.inputs, "Audio files (WAV, FLAC, OGG, MP3) or projects (.json, .mixdown bundles, share links)")->required();
  ac->add_flag("--json", analyze.json, "Print the reports as JSON");

  MasterOptions master;
  std::string presetHelp = "Delivery preset:";
  for (const auto& p : mixdown::deliveryPresets())
    presetHelp += std::string(" ") + p.id + " (" + std::to_string(static_cast<int>(p.targetLufs)) + " LUFS)";
  CLI::App* mc = app.add_subcommand("master", "Normalise to a loudness target under a true-peak ceiling and write the master");
  mc->add_option("IN", master.input, "Audio file or project (.json, .mixdown bundle, share link)")->required();
  mc->add_option("-o,--output", master.output, "Output file")->required();
  mc->add_option("--target", master.target, "Integrated loudness target in LUFS (default -14, the preset's, or a project's own)");
  mc->add_option("--ceiling", master.ceiling, "True-peak ceiling in dBTP (default -1, or the preset's)");
  mc->add_option("--preset", master.preset, presetHelp);
  mc->add_option("--format", master.format, "wav16 | wav24 | wav32f | flac16 | flac24 (default wav24, or the project's word length)");
  mc->add_option("--dither", master.dither, "tpdf | shaped | none, for 16 and 24-bit formats (default tpdf)");
  mc->add_flag("--json", master.json, "Print the before/after report as JSON");

  bool devicesJson = false;
  bool presetsJson = false;
  CLI::App* pc = app.add_subcommand("presets", "List the factory presets (category, name, device)");
  pc->add_flag("--json", presetsJson, "Print the list as JSON, with every preset's parameters");
  CLI::App* dc = app.add_subcommand("devices", "List every instrument and effect with its parameters (id, range, unit, default)");
  dc->add_flag("--json", devicesJson, "Print the list as JSON");

  AlbumOptions album;
  CLI::App* alc = app.add_subcommand("album", "Assemble an album: gaps, crossfades, fades, loudness per song or for the album; one file, a file per song, a CUE sheet");
  alc->add_option("ALBUM", album.album, "Album description (.json); see native-host/AlbumCommand.h")->required();
  alc->add_option("-o,--output", album.outputDir, "Output folder")->required();
  alc->add_option("--format", album.format, "wav16 | wav24 | wav32f | flac16 | flac24 (default: the album file's, else wav24)");
  alc->add_flag("--json", album.json, "Print the report as JSON");

  ImportKitOptions importKit;
  CLI::App* kc = app.add_subcommand("import-kit", "Add an SFZ instrument or a Hydrogen drum kit (drumkit.xml) to a project as a sampler track");
  kc->add_option("KIT", importKit.kit, "An .sfz file or a Hydrogen drumkit.xml")->required();
  kc->add_option("-o,--output", importKit.output, "Project file to write (.json), or a bundle (.mixdown) holding the samples")->required();
  kc->add_option("--project", importKit.project, "Project or bundle to add the track to (default: a new project)");
  kc->add_flag("--audition", importKit.audition, "Give the track a clip that plays each zone's root key once a beat");

  ImportOptions import;
  CLI::App* ic = app.add_subcommand("import", "Turn a Standard MIDI File or a DAWproject into a project: tracks, notes, the tempo map and signatures (and a DAWproject's mix, devices and audio)");
  ic->add_option("SONG", import.input, "A Standard MIDI File (.mid, .midi, .kar: format 0, 1 or 2, timed in ticks per quarter note) or a DAWproject (.dawproject)")->required();
  ic->add_option("-o,--output", import.output, "Project file to write (.json; default SONG.json beside SONG, unless that exists)");

  BundleOptions bundle;
  CLI::App* bc = app.add_subcommand("bundle", "Write a project and its audio as one file (.mixdown: a zip of project.json and the audio named by SHA-256)");
  bc->add_option("PROJECT", bundle.project, "Project file (.json) or a bundle")->required();
  bc->add_option("-o,--output", bundle.output, "Bundle to write (.mixdown)")->required();

  ExportOptions exportMidi;
  CLI::App* ec = app.add_subcommand("export", "Write a project as a Standard MIDI File (.mid: notes, tempo map, signatures; format 1, 960 PPQ) or a DAWproject (.dawproject: the whole song with its audio)");
  ec->add_option("PROJECT", exportMidi.project, "Project file (.json), bundle (.mixdown) or a share link (URL with #p2=... or #p=...)")->required();
  ec->add_option("-o,--output", exportMidi.output, "File to write (.mid or .dawproject)")->required();

  LinkOptions link;
  CLI::App* lc = app.add_subcommand("link", "Print a project's share link (v2: #p2=, compact binary; assets stay behind)");
  lc->add_option("PROJECT", link.project, "Project file (.json) or a share link to convert")->required();
  lc->add_option("--base", link.base, std::string("The studio's address the link opens (default ") + kDefaultStudioUrl + ")");
  lc->add_flag("--v1", link.v1, "The old link (#p=, deflated JSON), for a studio that reads only v1");
  lc->add_flag("--stats", link.stats, "Also print the link's length and the project's sizes on stderr");

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
    if (app.got_subcommand(ac)) return runAnalyze(analyze);
    if (app.got_subcommand(mc)) return runMaster(master);
    if (app.got_subcommand(alc)) return runAlbum(album);
    if (app.got_subcommand(dc)) return runDevices(devicesJson);
    if (app.got_subcommand(pc)) return runPresets(presetsJson);
    if (app.got_subcommand(kc)) return runImportKit(importKit);
    if (app.got_subcommand(ic)) return runImport(import);
    if (app.got_subcommand(ec)) return runExport(exportMidi);
    if (app.got_subcommand(bc)) return runBundle(bundle);
    if (app.got_subcommand(lc)) return runLink(link);
  } catch (const CliError& e) {
    std::fprintf(stderr, "mixdown: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mixdown: unexpected error: %s\n", e.what());
    return 1;
  }
  return 0;
}
