#include "model/Arrange.h"

#include <algorithm>
#include <cmath>

namespace mixdown {
namespace {
// Segments shorter than this (song beats) are rounding slivers at a clip's end, not music: a repeat that
// starts a hair before the clip ends must not sound a note for a few femtobeats.
constexpr double kSliverBeats = 1e-9;
// A bound on the repeats walked for a clip that validation never saw (validation allows 100000).
constexpr long kMaxSegments = 1000000;

bool validRef(const Project& p, ClipRef r) {
  return r.track >= 0 && static_cast<std::size_t>(r.track) < p.tracks.size() && r.clip >= 0 &&
         static_cast<std::size_t>(r.clip) < p.tracks[static_cast<std::size_t>(r.track)].clips.size();
}
}  // namespace

bool loopsContent(const Clip& clip) {
  return clip.looped && std::isfinite(clip.loopStart) && std::isfinite(clip.loopEnd) && clip.loopEnd > clip.loopStart;
}

double contentBeat(const Clip& clip, double p) {
  const double q = clip.offset + p;
  if (!loopsContent(clip) || q < clip.loopEnd) return q;
  return clip.loopStart + std::fmod(q - clip.loopStart, clip.loopEnd - clip.loopStart);
}

std::vector<ClipSegment> clipSegments(const Clip& clip) {
  const double end = clip.start + clip.length;
  if (!loopsContent(clip)) return {{clip.start, end, clip.offset}};
  std::vector<ClipSegment> out;
  const double span = clip.loopEnd - clip.loopStart;
  const double c0 = contentBeat(clip, 0.0);
  // The first run plays from the clip's own content position to the loop's end; every repeat after it
  // starts at base + k * span (multiplied, never accumulated, so the k-th repeat is as exact as the first).
  const double base = clip.start + (clip.loopEnd - c0);
  out.push_back({clip.start, std::min(base, end), c0});
  for (long k = 0; k < kMaxSegments; ++k) {
    const double s = base + static_cast<double>(k) * span;
    if (!(s < end - kSliverBeats)) break;
    const double next = base + static_cast<double>(k + 1) * span;
    out.push_back({s, std::min(next, end), clip.loopStart});
  }
  // The last segment ends at the clip's end exactly (a sliver left out above is absorbed into it).
  out.back().end = end;
  return out;
}

std::vector<SoundingNote> soundingNotes(const Clip& clip) {
  std::vector<SoundingNote> out;
  if (clip.muted) return out;
  for (const ClipSegment& seg : clipSegments(clip)) {
    for (const Note& n : clip.notes) {
      if (n.start < seg.contentStart) continue;
      const double on = seg.start + (n.start - seg.contentStart);
      if (!(on < seg.end)) continue;
      // Cut at the segment's end: the loop's end (the next repeat starts there) or the clip's.
      const double off = std::min(on + n.length, seg.end);
      out.push_back({n.pitch, n.velocity, on, off - on});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const SoundingNote& a, const SoundingNote& b) { return a.start < b.start; });
  return out;
}

int splitClip(Track& track, int clipIndex, double at) {
  if (clipIndex < 0 || static_cast<std::size_t>(clipIndex) >= track.clips.size()) return -1;
  Clip& left = track.clips[static_cast<std::size_t>(clipIndex)];
  const double end = left.start + left.length;
  if (!(at > left.start && at < end)) return -1;
  Clip right = left;  // same notes, asset, gain, loop and mute
  right.start = at;
  right.length = end - at;
  right.offset = contentBeat(left, at - left.start);  // the content the left clip would play at `at`
  left.length = at - left.start;
  track.clips.insert(track.clips.begin() + clipIndex + 1, std::move(right));
  return clipIndex + 1;
}

void resizeClipStart(Clip& clip, double newStart, double minLength) {
  const double end = clip.start + clip.length;
  newStart = std::max(0.0, std::min(newStart, end - minLength));
  const double delta = newStart - clip.start;
  double offset = clip.offset + delta;
  if (offset < 0) {
    // Before the content's start: a clip whose left edge plays inside its loop continues the loop
    // backwards (the offset wraps into the loop, congruent to where it was); otherwise the edge stops
    // at the content's start.
    if (loopsContent(clip) && clip.offset >= clip.loopStart) {
      const double span = clip.loopEnd - clip.loopStart;
      double into = std::fmod(contentBeat(clip, 0.0) + delta - clip.loopStart, span);
      if (into < 0) into += span;
      offset = clip.loopStart + into;
    } else {
      newStart = clip.start - clip.offset;
      offset = 0.0;
    }
  }
  clip.offset = offset;
  clip.length = end - newStart;
  clip.start = newStart;
}

void resizeClipEnd(Clip& clip, double newEnd, double minLength) {
  clip.length = std::max(newEnd - clip.start, minLength);
}

std::vector<ClipRef> duplicateClips(Project& project, const std::vector<ClipRef>& clips) {
  std::vector<ClipRef> out;
  std::vector<std::pair<int, Clip>> copies;
  double from = 0, to = 0;
  for (const ClipRef& r : clips) {
    if (!validRef(project, r)) continue;
    const Clip& c = project.tracks[static_cast<std::size_t>(r.track)].clips[static_cast<std::size_t>(r.clip)];
    from = copies.empty() ? c.start : std::min(from, c.start);
    to = copies.empty() ? c.start + c.length : std::max(to, c.start + c.length);
    copies.emplace_back(r.track, c);
  }
  // The whole selection moves by the span it covers, so the copies keep their arrangement and the
  // first of them starts where the last original ends.
  const double shift = to - from;
  for (auto& [t, c] : copies) {
    c.start += shift;
    auto& list = project.tracks[static_cast<std::size_t>(t)].clips;
    list.push_back(std::move(c));  // appended: the originals keep their indices
    out.push_back({t, static_cast<int>(list.size()) - 1});
  }
  return out;
}

ClipRef moveClip(Project& project, ClipRef from, double beats, int toTrack) {
  if (!validRef(project, from)) return from;
  if (toTrack < 0) toTrack = from.track;
  if (static_cast<std::size_t>(toTrack) >= project.tracks.size()) return from;
  Track& source = project.tracks[static_cast<std::size_t>(from.track)];
  Track& target = project.tracks[static_cast<std::size_t>(toTrack)];
  // A refused move changes nothing (neither track nor time), so the caller's gesture is all or none.
  if (target.kind != source.kind || target.kind == TrackKind::Bus) return from;
  Clip& c = source.clips[static_cast<std::size_t>(from.clip)];
  c.start = std::max(0.0, c.start + beats);
  if (toTrack == from.track) return from;
  Clip moving = std::move(c);
  source.clips.erase(source.clips.begin() + from.clip);
  target.clips.push_back(std::move(moving));
  return {toTrack, static_cast<int>(target.clips.size()) - 1};
}

void setClipLoop(Clip& clip, double loopStart, double loopEnd) {
  if (loopEnd > loopStart) {
    clip.looped = true;
    clip.loopStart = loopStart;
    clip.loopEnd = loopEnd;
  } else {
    // Off: the ends go too, as a file without "loop" reads (so the model and its JSON agree).
    clip.looped = false;
    clip.loopStart = clip.loopEnd = 0.0;
  }
}

double snap(double beat, const Grid& grid) {
  const double step = grid.beats();
  if (!(step > 0)) return beat;
  return std::round(beat / step) * step;
}

void quantizeNotes(std::vector<Note>& notes, const std::vector<int>& which, const Grid& grid, double strength, double swing) {
  const double step = grid.beats();
  if (!(step > 0)) return;
  strength = std::clamp(strength, 0.0, 1.0);
  swing = std::clamp(swing, 0.0, 1.0);
  // Grid line i (from 0 at beat 0) is at i * step, the odd ones delayed by swing * step.
  auto line = [&](long i) { return static_cast<double>(i) * step + ((i & 1) ? swing * step : 0.0); };
  auto quantize = [&](Note& n) {
    const long i0 = static_cast<long>(std::floor(n.start / step));
    double best = line(std::max(0L, i0));
    for (long i = std::max(0L, i0 - 1); i <= i0 + 2; ++i)
      if (std::abs(line(i) - n.start) < std::abs(best - n.start)) best = line(i);
    n.start += strength * (best - n.start);
  };
  if (which.empty()) {
    for (Note& n : notes) quantize(n);
    return;
  }
  std::vector<bool> chosen(notes.size(), false);
  for (int i : which)
    if (i >= 0 && static_cast<std::size_t>(i) < notes.size()) chosen[static_cast<std::size_t>(i)] = true;
  for (std::size_t i = 0; i < notes.size(); ++i)
    if (chosen[i]) quantize(notes[i]);
}

}  // namespace mixdown
