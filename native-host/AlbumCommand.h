// `mixdown album ALBUM.json -o DIR`: reads the album description, loads (or renders) each song, assembles
// the album (core/master/Album.h) and writes the continuous file, one file per song and a CUE sheet.
//
// ALBUM.json:
// {
//   "title": "Night Drives",
//   "loudness": "track" | "album",          (default "track")
//   "preset": "spotify",                      (or "targetLufs" / "ceilingDbtp"; default -14 / -1)
//   "sampleRate": 48000,                      (songs are converted to it; default 48000)
//   "format": "wav24",                        (wav16 | wav24 | wav32f | flac16 | flac24; --format overrides)
//   "songs": [ { "source": "one.json", "title": "One", "gap": 2.0, "crossfade": 0, "fadeIn": 0, "fadeOut": 3 } ]
// }
// Paths are relative to the album file. Times are seconds.
#pragma once

#include <string>
#include <vector>

namespace mixdown::cli {

// One song of the description, as written (paths as given, relative to the album file).
struct AlbumEntry {
  std::string source;
  std::string title;  // default: the source's file name without its extension
  double gapSeconds = 2.0, crossfadeSeconds = 0.0, fadeInSeconds = 0.0, fadeOutSeconds = 0.0;
};

// What ALBUM.json says, checked: every field's type and range.
struct AlbumDescription {
  std::string title = "album";
  std::string loudness = "track";  // "track" | "album"
  std::string preset;              // empty: none
  double sampleRate = 48000, targetLufs = -14, ceilingDbtp = -1;
  std::string format = "wav24";
  std::vector<AlbumEntry> songs;   // 1..99
};

// Reads an album description. `where` names it in messages (the file's path). Throws CliError naming
// the JSON path, what it must be and what it is, e.g. "album.json.songs[1].gap: must be a number of
// seconds from 0 to 600 (got a string)". Never a library's exception text.
AlbumDescription readAlbumDescription(const std::string& jsonText, const std::string& where);

struct AlbumOptions {
  std::string album;
  std::string outputDir;
  std::string format;  // empty: the album file's, else wav24
  bool json = false;
};

// Throws CliError naming the album file, the JSON path or the song.
int runAlbum(const AlbumOptions& options);

}  // namespace mixdown::cli
