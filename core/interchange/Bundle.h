// Project bundles: one file holding a song and its audio, so it travels whole (a mail, a USB stick, the
// studio's "Save bundle"). A bundle is a zip (extension .mixdown):
//   project.json            the project, as a .json project file holds it, with every asset's `path`
//                           naming its entry and its `sha256` set
//   audio/<sha256>.<ext>    each asset's original file, named by the SHA-256 of its bytes (64 lowercase
//                           hex digits; .wav, .flac, .ogg, .mp3, .aiff or .au from its content), stored
//                           once however many assets share it
// Reading checks project.json with the project reader (errors name the entry and the JSON path), that
// every asset a track plays has its entry and that the entry's bytes hash to the asset's sha256. Other
// entries are ignored, each named in a warning: zip tools add their own (__MACOSX/, .DS_Store) and a
// later Mixdown may add some (a cover picture); refusing them would refuse good songs, and nothing reads
// them. Core does no hashing of its own: the host hands a SHA-256 in (OpenSSL natively, crypto.subtle in
// the page), as it hands the zip's entries in (Archive.h).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "interchange/Archive.h"
#include "model/Project.h"

namespace mixdown {

inline constexpr const char* kBundleProjectEntry = "project.json";
inline constexpr const char* kBundleAudioFolder = "audio/";

// The SHA-256 of an entry's bytes as 64 lowercase hex digits.
using Sha256Of = std::function<std::string(const ArchiveEntry& entry)>;

struct BundleAudio {
  std::string assetId;
  std::string entry;  // the archive entry holding its file
};

struct BundleRead {
  Project project;                   // asset paths name their entries
  std::vector<BundleAudio> audio;    // every asset a track or zone plays, in the asset table's order
  std::vector<std::string> warnings; // entries ignored
  std::string error;                 // "" when read, else "<entry>: what and where"
  bool ok() const { return error.empty(); }
};

// Any thread (pure, but for `sha256`): reads a bundle's archive.
BundleRead readBundle(const Archive& archive, const Sha256Of& sha256);

// An asset's original file, for writing.
struct BundleFile {
  std::string assetId;
  std::string bytes;
  std::string sha256;  // of `bytes`, 64 lowercase hex digits
};

// What a bundle of a project will hold, decided before its bytes are at hand (the page hashes its audio
// itself and zips it with web/archive.js): the project.json text and the entry of each file.
struct BundleFileInfo {
  std::string assetId;
  std::string sha256;     // of the file, 64 lowercase hex digits
  std::string extension;  // ".wav" ... (audioExtensionOf)
};
struct BundlePlan {
  std::string projectJson;
  std::vector<BundleAudio> entries;  // one per file to write (files shared by assets once)
  std::string error;                 // "" when it can be written
};

// Any thread (pure): the plan of the bundle of `project` with files for `files` (rules as writeBundle).
BundlePlan planBundle(Project project, const std::vector<BundleFileInfo>& files);

// Any thread (pure): the bundle of `project` with `files`. Every asset a track plays must have its file
// (else `error` names it and the archive is empty); other assets keep their table row, with their file
// when given and without a path when not. The project written is checked as a loaded one is.
Archive writeBundle(Project project, const std::vector<BundleFile>& files, std::string& error);

// Any thread (pure): the extension an audio file's bytes call for (".wav", ".flac", ".ogg", ".mp3",
// ".aiff", ".au"), from its first bytes; `fallback` (lowercased, when it is one of those) otherwise.
std::string audioExtensionOf(const std::string& bytes, const std::string& fallbackName = "");

}  // namespace mixdown
