// Album assembly: songs in order with gaps or crossfades, fade-ins and fade-outs, loudness per song
// ("track" mode: each song to the target) or for the album ("album" mode: one gain and one limiter over
// the whole sequence, so the songs keep their relative loudness). The result is one continuous programme
// and the sample at which each song starts in it; every start falls on a CD-frame boundary (1/75 s) so
// a CUE sheet can name it exactly. Song i's own file runs from its start to the next song's start (a gap
// belongs to the song before it), so the song files joined end to end are the album, sample for sample.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "master/Mastering.h"

namespace mixdown {

enum class AlbumLoudness { PerTrack, Album };

struct AlbumSong {
  std::string title;
  AudioChannels audio;         // stereo, at the album's rate
  double gapSeconds = 0;       // silence after the previous song (ignored for the first)
  double crossfadeSeconds = 0; // overlap with the previous song (instead of a gap)
  double fadeInSeconds = 0, fadeOutSeconds = 0;
};

struct AlbumSettings {
  double sampleRate = 48000;
  AlbumLoudness loudness = AlbumLoudness::PerTrack;
  MasterSettings master;
};

struct AlbumResult {
  bool ok = false;
  std::string error;                 // names the song when one is the problem
  AudioChannels audio;               // the continuous album
  std::vector<std::int64_t> starts;  // sample where each song starts
  std::vector<std::int64_t> lengths; // each song's own length (a crossfade overlaps the next song)
  std::vector<LoudnessReport> songs; // per song, measured over its own samples in the finished album
  LoudnessReport album;
};

// Samples per CUE frame (1/75 s) at a rate; cut points are multiples of it (rounded to whole samples at
// rates that are not multiples of 75).
std::int64_t cueFrameSamples(double sampleRate);

AlbumResult assembleAlbum(std::vector<AlbumSong> songs, const AlbumSettings& settings, const Progress& progress = {});

}  // namespace mixdown
