#include "DawprojectCommands.h"

#include <cctype>
#include <cstdio>
#include <filesystem>

#include "AudioFile.h"
#include "CliError.h"
#include "FileBytes.h"
#include "ProjectSource.h"
#include "ZipArchive.h"
#include "interchange/Dawproject.h"
#include "model/ProjectJson.h"

namespace mixdown::cli {
namespace fs = std::filesystem;
namespace {


void printWarnings(const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) std::fprintf(stderr, "mixdown: warning: %s\n", w.c_str());
}

}  // namespace

bool hasDawprojectExtension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".dawproject";
}

int runImportDawproject(const std::string& input, const std::string& output) {
  const Archive zip = readZipFile(input);
  DawprojectImport in = readDawproject(zip, input);
  if (!in.ok()) throw CliError(in.error);
  printWarnings(in.warnings);
  Project& p = in.project;
  // The audio beside the project: "<SONG>-audio/<its path in the zip>", each file decoded once for what
  // the asset table says of it (the file's own rate, channels, length) and hashed.
  const fs::path json = fs::absolute(fs::path(output));
  fs::path folder = json;
  folder.replace_extension("");
  folder += "-audio";
  for (Asset& a : p.assets) {
    const auto entry = in.audioEntries.find(a.id);
    if (entry == in.audioEntries.end()) continue;
    const ArchiveEntry* file = zip.find(entry->second);
    if (!file) throw CliError(input + ": the audio file \"" + entry->second + "\" is not in the zip");
    const fs::path target = folder / fs::path(entry->second);
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) throw CliError(target.parent_path().string() + ": cannot create the folder (" + ec.message() + ")");
    writeFileBytes(target.string(), file->bytes);
    DecodedAudio audio;
    try {
      audio = readAudioFile(target.string());
    } catch (const CliError& e) {
      throw CliError(input + ": " + entry->second + " in the zip: " + e.what());
    }
    if (audio.frames() == 0) throw CliError(input + ": " + entry->second + " in the zip holds no audio");
    a.sampleRate = audio.sampleRate;
    a.channels = static_cast<int>(std::min<std::size_t>(2, audio.channels.size()));
    a.frames = audio.frames();
    a.sha256 = sha256OfFile(target.string());
    a.path = target.lexically_relative(json.parent_path()).generic_string();
  }
  const std::vector<ProjectIssue> issues = validateProject(p);
  if (!issues.empty()) throw CliError(input + ": the file makes an invalid project: " + issues.front().text());
  writeFileBytes(output, writeProject(p) + "\n");
  std::size_t notes = 0, clips = 0;
  for (const Track& t : p.tracks) {
    clips += t.clips.size();
    for (const Clip& c : t.clips) notes += c.notes.size();
  }
  std::printf("%s: %zu tracks, %zu clips, %zu notes, %zu audio files, %g BPM (%zu tempo changes), %d/%d (%zu signature changes), %zu warnings\n",
              output.c_str(), p.tracks.size(), clips, notes, p.assets.size(), p.tempo, p.tempoChanges.size(), p.timeSignature.numerator,
              p.timeSignature.denominator, p.signatureChanges.size(), in.warnings.size());
  return 0;
}

int runExportDawproject(const std::string& projectSource, const std::string& output) {
  const LoadedProject loaded = loadProjectSource(projectSource);
  DawprojectExport out = writeDawproject(loaded.project);
  for (const auto& w : out.warnings) std::fprintf(stderr, "mixdown: warning: %s: %s\n", loaded.origin.c_str(), w.c_str());
  std::size_t audioFiles = 0;
  for (const auto& [id, entry] : out.audio) {
    const Asset* a = loaded.project.findAsset(id);
    if (!a) continue;
    if (loaded.fromLink) {
      std::fprintf(stderr, "mixdown: warning: %s: asset \"%s\" (%s) does not travel in a share link; its clips are in the file without audio\n",
                   loaded.origin.c_str(), id.c_str(), a->name.c_str());
      continue;
    }
    out.archive.add(entry, assetFileBytes(loaded, *a));  // a bundle's own entry, or the file beside the project
    ++audioFiles;
  }
  writeZipFile(output, out.archive);
  std::printf("%s: %zu tracks, %zu audio files, %zu entries (DAWproject %s)\n", output.c_str(), loaded.project.tracks.size(), audioFiles,
              out.archive.entries.size(), kDawprojectVersion);
  return 0;
}

}  // namespace mixdown::cli
