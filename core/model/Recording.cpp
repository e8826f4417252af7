#include "model/Recording.h"

#include <algorithm>
#include <cmath>

#include "model/Arrange.h"

namespace mixdown {

namespace {

constexpr double kMinNoteBeats = 1.0 / 128;  // a tap shorter than this keeps this length

bool playsOver(const Clip& c, double beat) { return beat >= c.start && beat < c.start + c.length; }

// The content beat of song beat `beat` in clip `c` (the clip's loop folded in).
double contentOf(const Clip& c, double beat) { return contentBeat(c, beat - c.start); }

}  // namespace

std::string placeTake(Project& project, int trackIndex, const Take& take) {
  if (trackIndex < 0 || trackIndex >= static_cast<int>(project.tracks.size())) return "no such track";
  Track& track = project.tracks[static_cast<std::size_t>(trackIndex)];
  if (track.kind != TrackKind::Instrument) return "the track '" + (track.name.empty() ? track.id : track.name) + "' is not an instrument track";
  if (!std::isfinite(take.from) || !std::isfinite(take.to) || take.from < 0 || take.to <= take.from) return "the take's span is not a span of beats";
  if (!std::isfinite(take.quantize) || take.quantize < 0) return "the input quantize is not a length in beats";
  if (take.notes.empty()) return "nothing was played";
  std::vector<RecordedNote> notes;
  for (const RecordedNote& n : take.notes) {
    if (n.pitch < 0 || n.pitch > 127 || !std::isfinite(n.start) || !std::isfinite(n.end) || !std::isfinite(n.velocity))
      return "a played note has an impossible pitch, time or velocity";
    RecordedNote q = n;
    q.velocity = std::clamp(q.velocity, 0.0, 1.0);
    const double length = std::max(kMinNoteBeats, n.end - n.start);
    if (take.quantize > 0) q.start = std::round(n.start / take.quantize) * take.quantize;
    q.start = std::max(q.start, 0.0);
    q.end = q.start + length;
    notes.push_back(q);
  }
  if (take.mode == RecordMode::Replace) {
    for (Clip& c : track.clips) {
      if (c.asset.size() || c.start >= take.to || c.start + c.length <= take.from) continue;
      // Notes whose song position (in the clip's first pass of its content) falls in the take's span go.
      std::erase_if(c.notes, [&](const Note& n) {
        const double at = c.start + n.start - c.offset;
        return at >= take.from && at < take.to;
      });
    }
  }
  std::vector<RecordedNote> loose;
  for (const RecordedNote& n : notes) {
    auto it = std::find_if(track.clips.begin(), track.clips.end(), [&](const Clip& c) { return c.asset.empty() && playsOver(c, n.start); });
    if (it == track.clips.end()) {
      loose.push_back(n);
      continue;
    }
    Note note;
    note.pitch = n.pitch;
    note.velocity = n.velocity;
    note.start = contentOf(*it, n.start);
    note.length = std::max(kMinNoteBeats, std::min(n.end, it->start + it->length) - n.start);
    it->notes.push_back(note);
  }
  if (!loose.empty()) {
    Clip clip;
    clip.name = take.clipName;
    clip.start = std::min(take.from, loose.front().start);
    double end = take.to;
    for (const RecordedNote& n : loose) end = std::max(end, n.end);
    // Up to the next clip that starts after the new one's start, never over it.
    for (const Clip& c : track.clips)
      if (c.start > clip.start) end = std::min(end, c.start);
    clip.length = std::max(kMinNoteBeats, end - clip.start);
    for (const RecordedNote& n : loose) {
      Note note;
      note.pitch = n.pitch;
      note.velocity = n.velocity;
      note.start = n.start - clip.start;
      note.length = std::max(kMinNoteBeats, std::min(n.end, clip.start + clip.length) - n.start);
      if (note.start < clip.length) clip.notes.push_back(note);
    }
    track.clips.push_back(std::move(clip));
  }
  return "";
}

}  // namespace mixdown
