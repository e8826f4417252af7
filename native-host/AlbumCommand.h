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

namespace mixdown::cli {

struct AlbumOptions {
  std::string album;
  std::string outputDir;
  std::string format;  // empty: the album file's, else wav24
  bool json = false;
};

// Throws CliError naming the album file, the JSON path or the song.
int runAlbum(const AlbumOptions& options);

}  // namespace mixdown::cli
