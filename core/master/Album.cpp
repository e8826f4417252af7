#include "master/Album.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace mixdown {
namespace {

// Raised-cosine fade shapes (no corner at either end); gain at position t in [0, 1].
double fadeInGain(double t) { return 0.5 - 0.5 * std::cos(std::numbers::pi * std::clamp(t, 0.0, 1.0)); }

void applyFades(AudioChannels& audio, double rate, double inSeconds, double outSeconds) {
  const std::size_t n = audio.empty() ? 0 : audio[0].size();
  const auto fin = std::min(n, static_cast<std::size_t>(std::llround(std::max(0.0, inSeconds) * rate)));
  const auto fout = std::min(n, static_cast<std::size_t>(std::llround(std::max(0.0, outSeconds) * rate)));
  for (auto& ch : audio) {
    for (std::size_t i = 0; i < fin; ++i) ch[i] *= static_cast<float>(fadeInGain((static_cast<double>(i) + 0.5) / static_cast<double>(fin)));
    for (std::size_t i = 0; i < fout; ++i) ch[n - 1 - i] *= static_cast<float>(fadeInGain((static_cast<double>(i) + 0.5) / static_cast<double>(fout)));
  }
}

std::int64_t roundUpTo(std::int64_t v, std::int64_t step) { return step <= 1 ? v : (v + step - 1) / step * step; }

}  // namespace

std::int64_t cueFrameSamples(double sampleRate) { return std::max<std::int64_t>(1, std::llround(sampleRate / 75.0)); }

AlbumResult assembleAlbum(std::vector<AlbumSong> songs, const AlbumSettings& settings, const Progress& progress) {
  AlbumResult r;
  if (songs.empty()) {
    r.error = "the album has no songs";
    return r;
  }
  const double rate = settings.sampleRate;
  const std::size_t count = songs.size();
  auto stage = [&](double from, double span) {
    return [&, from, span](double f) {
      if (progress) progress(from + span * f);
    };
  };
  // 1. Fades, then (track mode) each song to the target on its own.
  for (std::size_t i = 0; i < count; ++i) {
    AlbumSong& s = songs[i];
    if (s.audio.size() != 2 || s.audio[0].empty()) {
      r.error = "song " + std::to_string(i + 1) + " (" + s.title + ") has no stereo audio";
      return r;
    }
    applyFades(s.audio, rate, s.fadeInSeconds, s.fadeOutSeconds);
    if (settings.loudness == AlbumLoudness::PerTrack) {
      MasterResult m = masterToTarget(s.audio, rate, settings.master, stage(0.6 * static_cast<double>(i) / count, 0.6 / count));
      if (!m.ok) {
        r.error = "song " + std::to_string(i + 1) + " (" + s.title + "): " + m.error;
        return r;
      }
      s.audio = std::move(m.audio);
    }
  }
  // 2. Starts: after the previous song plus the gap, or overlapping it by the crossfade; on CUE frames.
  const std::int64_t cue = cueFrameSamples(rate);
  std::int64_t end = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const AlbumSong& s = songs[i];
    std::int64_t start = 0;
    if (i > 0) {
      const std::int64_t prevStart = r.starts.back();
      if (s.crossfadeSeconds > 0) {
        const auto overlap = static_cast<std::int64_t>(std::llround(s.crossfadeSeconds * rate));
        start = std::max(prevStart + 1, end - overlap);
        start = std::max(prevStart + cue, start / cue * cue);  // on a CUE frame, never before the previous start
      } else {
        start = roundUpTo(end + static_cast<std::int64_t>(std::llround(std::max(0.0, s.gapSeconds) * rate)), cue);
      }
    }
    r.starts.push_back(start);
    r.lengths.push_back(static_cast<std::int64_t>(s.audio[0].size()));
    end = std::max(end, start + static_cast<std::int64_t>(s.audio[0].size()));
  }
  // 3. Mix into one programme. A crossfade overlaps the previous song's fade-out with this song's fade-in
  //    (each song brings its own fades; an overlap without fades is a plain sum).
  r.audio.assign(2, std::vector<float>(static_cast<std::size_t>(end), 0.0f));
  for (std::size_t i = 0; i < count; ++i)
    for (std::size_t c = 0; c < 2; ++c) {
      const auto& src = songs[i].audio[c];
      float* dst = r.audio[c].data() + r.starts[i];
      for (std::size_t k = 0; k < src.size(); ++k) dst[k] += src[k];
    }
  songs.clear();
  // 4. Loudness of the whole: album mode normalises it as one programme; track mode only limits again,
  //    so overlapping crossfades cannot pass the ceiling.
  if (settings.loudness == AlbumLoudness::Album) {
    MasterResult m = masterToTarget(r.audio, rate, settings.master, stage(0.0, 0.9));
    if (!m.ok) {
      r.error = "the album: " + m.error;
      return r;
    }
    r.audio = std::move(m.audio);
  } else {
    r.audio = applyGainAndLimiter(r.audio, rate, 0.0, settings.master.ceilingDbtp, settings.master.releaseMs, stage(0.6, 0.3));
  }
  // 5. Reports: the album and each song over its own samples (what a listener hears of it).
  r.album = analyzeLoudness(r.audio, rate);
  for (std::size_t i = 0; i < count; ++i) {
    const auto from = static_cast<std::size_t>(r.starts[i]);
    const auto to = static_cast<std::size_t>(r.starts[i] + r.lengths[i]);
    AudioChannels cut(2);
    for (std::size_t c = 0; c < 2; ++c) cut[c].assign(r.audio[c].begin() + static_cast<std::ptrdiff_t>(from), r.audio[c].begin() + static_cast<std::ptrdiff_t>(to));
    r.songs.push_back(analyzeLoudness(cut, rate));
  }
  if (progress) progress(1.0);
  r.ok = true;
  return r;
}

}  // namespace mixdown
