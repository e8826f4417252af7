#include "Commands.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "Studio.h"
#include "devices/Registry.h"
#include "engine/Timeline.h"
#include "model/ProjectJson.h"

namespace mixdown::ui {

void command(const std::string& label, const std::function<void(Project&)>& mutate) {
  Studio& s = studio();
  beginEdit(label);
  mutate(s.project);
  projectChanged();
  pruneSelection();
}

namespace {

std::string freshTrackId(const Project& p, const std::string& prefix) {
  for (int n = 1;; ++n) {
    const std::string id = prefix + std::to_string(n);
    if (std::none_of(p.tracks.begin(), p.tracks.end(), [&](const Track& t) { return t.id == id; })) return id;
  }
}

bool validRef(const Project& p, ClipRef r) {
  return r.track >= 0 && static_cast<std::size_t>(r.track) < p.tracks.size() && r.clip >= 0 &&
         static_cast<std::size_t>(r.clip) < p.tracks[static_cast<std::size_t>(r.track)].clips.size();
}

Clip& clipOf(Project& p, ClipRef r) { return p.tracks[static_cast<std::size_t>(r.track)].clips[static_cast<std::size_t>(r.clip)]; }

// Removes the clips of `refs` (any order) from the project.
void eraseClips(Project& p, std::vector<ClipRef> refs) {
  std::sort(refs.begin(), refs.end(), [](ClipRef a, ClipRef b) { return a.track != b.track ? a.track < b.track : a.clip > b.clip; });
  refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
  for (ClipRef r : refs)
    if (validRef(p, r)) {
      auto& clips = p.tracks[static_cast<std::size_t>(r.track)].clips;
      clips.erase(clips.begin() + r.clip);
    }
}

}  // namespace

void newSong() {
  Studio& s = studio();
  beginEdit("New song");
  s.project = Project{};
  s.selectedClips.clear();
  s.selectedTrack = -1;
  s.editor = ClipEditor{};
  s.automationShown.clear();
  s.rack = RackSelection{};
  s.scrollBeats = 0;
  s.scrollY = 0;
  projectChanged();
  post({{"type", "seek"}, {"beat", 0.0}});
  s.unsaved = false;
}

int addTrack(TrackKind kind, const std::string& instrumentType) {
  Studio& s = studio();
  const DeviceDescriptor* d = kind == TrackKind::Instrument ? findDevice(instrumentType) : nullptr;
  Track t;
  t.kind = kind;
  t.id = freshTrackId(s.project, kind == TrackKind::Audio ? "audio" : kind == TrackKind::Bus ? "bus" : "inst");
  int sameKind = 1;
  for (const Track& x : s.project.tracks) sameKind += x.kind == kind && (kind != TrackKind::Instrument || (x.instrument && d && x.instrument->type == d->id)) ? 1 : 0;
  const std::string base = kind == TrackKind::Audio ? "Audio" : kind == TrackKind::Bus ? "Bus" : d ? d->name : "Instrument";
  t.name = base + " " + std::to_string(sameKind);
  if (kind == TrackKind::Instrument) {
    DeviceState inst;
    inst.type = d ? d->id : "mixdown.polysynth";
    t.instrument = inst;
  }
  // After the selected track, else at the end (buses at the end).
  const int at = kind != TrackKind::Bus && s.selectedTrack >= 0 && static_cast<std::size_t>(s.selectedTrack) < s.project.tracks.size()
                     ? s.selectedTrack + 1 : static_cast<int>(s.project.tracks.size());
  command("Add " + std::string(kind == TrackKind::Audio ? "audio track" : kind == TrackKind::Bus ? "bus" : "instrument track"),
          [&](Project& p) { p.tracks.insert(p.tracks.begin() + at, t); });
  s.selectedTrack = at;
  s.revealTrack = s.revealStrip = at;
  return at;
}

void deleteTrack(int index) {
  Studio& s = studio();
  if (index < 0 || static_cast<std::size_t>(index) >= s.project.tracks.size()) return;
  const std::string id = s.project.tracks[static_cast<std::size_t>(index)].id;
  command("Delete track", [&](Project& p) {
    p.tracks.erase(p.tracks.begin() + index);
    // Whatever fed the deleted bus goes to the master; sends to it go.
    for (Track& t : p.tracks) {
      if (t.output == id) t.output = kMasterOutput;
      t.sends.erase(std::remove_if(t.sends.begin(), t.sends.end(), [&](const SendState& x) { return x.target == id; }), t.sends.end());
      for (DeviceState& d : t.inserts)
        if (d.sidechain == id) d.sidechain.clear();
    }
  });
  s.selectedClips.clear();
  s.selectedTrack = std::min(index, static_cast<int>(s.project.tracks.size()) - 1);
}

void duplicateTrack(int index) {
  Studio& s = studio();
  if (index < 0 || static_cast<std::size_t>(index) >= s.project.tracks.size()) return;
  Track copy = s.project.tracks[static_cast<std::size_t>(index)];
  const std::string prefix = copy.kind == TrackKind::Audio ? "audio" : copy.kind == TrackKind::Bus ? "bus" : "inst";
  copy.id = freshTrackId(s.project, prefix);
  copy.name += " copy";
  copy.strip.solo = false;
  command("Duplicate track", [&](Project& p) { p.tracks.insert(p.tracks.begin() + index + 1, copy); });
  s.selectedTrack = index + 1;
}

void renameTrack(int index, const std::string& name) {
  Studio& s = studio();
  if (index < 0 || static_cast<std::size_t>(index) >= s.project.tracks.size() || name.empty()) return;
  if (s.project.tracks[static_cast<std::size_t>(index)].name == name) return;
  command("Rename track", [&](Project& p) { p.tracks[static_cast<std::size_t>(index)].name = name; });
}

void moveTrack(int from, int to) {
  Studio& s = studio();
  const int n = static_cast<int>(s.project.tracks.size());
  if (from < 0 || from >= n || to < 0 || to >= n || from == to) return;
  command("Move track", [&](Project& p) {
    Track t = std::move(p.tracks[static_cast<std::size_t>(from)]);
    p.tracks.erase(p.tracks.begin() + from);
    p.tracks.insert(p.tracks.begin() + to, std::move(t));
  });
  s.selectedTrack = to;
  s.selectedClips.clear();
}

void setTrackColour(int index, const std::string& colour) {
  Studio& s = studio();
  if (index < 0 || static_cast<std::size_t>(index) >= s.project.tracks.size()) return;
  command("Colour track", [&](Project& p) { p.tracks[static_cast<std::size_t>(index)].color = colour; });
}

void toggleTrackMute(int index) {
  Studio& s = studio();
  if (index < 0 || static_cast<std::size_t>(index) >= s.project.tracks.size()) return;
  const bool on = !s.project.tracks[static_cast<std::size_t>(index)].strip.mute;
  command(on ? "Mute" : "Unmute", [&](Project& p) { p.tracks[static_cast<std::size_t>(index)].strip.mute = on; });
}

void toggleTrackSolo(int index) {
  Studio& s = studio();
  if (index < 0 || static_cast<std::size_t>(index) >= s.project.tracks.size()) return;
  const bool on = !s.project.tracks[static_cast<std::size_t>(index)].strip.solo;
  command(on ? "Solo" : "Unsolo", [&](Project& p) { p.tracks[static_cast<std::size_t>(index)].strip.solo = on; });
}

int createClip(int track, double start, double length) {
  Studio& s = studio();
  if (track < 0 || static_cast<std::size_t>(track) >= s.project.tracks.size()) return -1;
  if (s.project.tracks[static_cast<std::size_t>(track)].kind != TrackKind::Instrument) return -1;
  Clip c;
  c.name = s.project.tracks[static_cast<std::size_t>(track)].name;
  c.start = std::max(0.0, start);
  c.length = std::max(1.0 / 16, length);
  int index = 0;
  command("Create clip", [&](Project& p) {
    auto& clips = p.tracks[static_cast<std::size_t>(track)].clips;
    clips.push_back(c);
    index = static_cast<int>(clips.size()) - 1;
  });
  s.selectedClips = {{track, index}};
  s.selectedTrack = track;
  return index;
}

void deleteSelectedClips() {
  Studio& s = studio();
  if (s.selectedClips.empty()) return;
  const auto refs = s.selectedClips;
  command(refs.size() == 1 ? "Delete clip" : "Delete clips", [&](Project& p) { eraseClips(p, refs); });
  s.selectedClips.clear();
}

void duplicateSelectedClips() {
  Studio& s = studio();
  if (s.selectedClips.empty()) return;
  std::vector<ClipRef> copies;
  command(s.selectedClips.size() == 1 ? "Duplicate clip" : "Duplicate clips", [&](Project& p) { copies = duplicateClips(p, s.selectedClips); });
  s.selectedClips = copies;
}

void splitClipAt(ClipRef clip, double beat) {
  Studio& s = studio();
  if (!validRef(s.project, clip)) return;
  const Clip& c = clipOf(s.project, clip);
  if (beat <= c.start || beat >= c.start + c.length) return;
  int right = -1;
  command("Split clip", [&](Project& p) { right = splitClip(p.tracks[static_cast<std::size_t>(clip.track)], clip.clip, beat); });
  if (right >= 0) s.selectedClips = {{clip.track, right}};
}

void toggleSelectedClipsMute() {
  Studio& s = studio();
  if (s.selectedClips.empty()) return;
  bool anyOn = false;
  for (ClipRef r : s.selectedClips)
    if (validRef(s.project, r)) anyOn |= !clipOf(s.project, r).muted;
  command(anyOn ? "Mute clip" : "Unmute clip", [&](Project& p) {
    for (ClipRef r : s.selectedClips)
      if (validRef(p, r)) clipOf(p, r).muted = anyOn;
  });
}

void toggleClipLoop(ClipRef clip) {
  Studio& s = studio();
  if (!validRef(s.project, clip)) return;
  const Clip& c = clipOf(s.project, clip);
  const bool on = !c.looped;
  command(on ? "Loop clip" : "Unloop clip", [&](Project& p) {
    Clip& x = clipOf(p, clip);
    if (on) setClipLoop(x, x.offset, x.offset + x.length);
    else x.looped = false;
  });
}

void copySelectedClips() {
  Studio& s = studio();
  s.clipboard.clear();
  if (s.selectedClips.empty()) return;
  int firstTrack = 1 << 30;
  double firstBeat = 1e300;
  for (ClipRef r : s.selectedClips)
    if (validRef(s.project, r)) {
      firstTrack = std::min(firstTrack, r.track);
      firstBeat = std::min(firstBeat, clipOf(s.project, r).start);
    }
  for (ClipRef r : s.selectedClips)
    if (validRef(s.project, r)) {
      Clip c = clipOf(s.project, r);
      c.start -= firstBeat;
      s.clipboard.emplace_back(r.track - firstTrack, c);
    }
}

void cutSelectedClips() {
  copySelectedClips();
  Studio& s = studio();
  if (s.selectedClips.empty()) return;
  const auto refs = s.selectedClips;
  command("Cut", [&](Project& p) { eraseClips(p, refs); });
  s.selectedClips.clear();
}

void pasteClips(double atBeat) {
  Studio& s = studio();
  if (s.clipboard.empty() || s.project.tracks.empty()) return;
  const int base = std::clamp(s.selectedTrack >= 0 ? s.selectedTrack : 0, 0, static_cast<int>(s.project.tracks.size()) - 1);
  std::vector<ClipRef> pasted;
  command("Paste", [&](Project& p) {
    for (const auto& [offset, clip] : s.clipboard) {
      const int t = base + offset;
      if (t < 0 || static_cast<std::size_t>(t) >= p.tracks.size()) continue;
      Track& track = p.tracks[static_cast<std::size_t>(t)];
      const bool audio = !clip.asset.empty();
      if (track.kind == TrackKind::Bus || (track.kind == TrackKind::Audio) != audio) continue;  // clips go to tracks of their kind
      Clip c = clip;
      c.start += std::max(0.0, atBeat);
      track.clips.push_back(c);
      pasted.push_back({t, static_cast<int>(track.clips.size()) - 1});
    }
  });
  s.selectedClips = pasted;
}

int addTempoPoint(double beat, double bpm, TempoShape shape) {
  Studio& s = studio();
  if (!(beat > 0) || !std::isfinite(bpm)) return -1;
  bpm = std::clamp(bpm, 20.0, 999.0);
  int index = -1;
  command("Add tempo point", [&](Project& p) {
    auto& points = p.tempoChanges;
    auto at = std::lower_bound(points.begin(), points.end(), beat, [](const TempoPoint& t, double b) { return t.beat < b; });
    if (at != points.end() && std::abs(at->beat - beat) < 1e-9) {
      at->bpm = bpm;
      at->shape = shape;
    } else {
      at = points.insert(at, TempoPoint{beat, bpm, shape});
    }
    index = static_cast<int>(at - points.begin());
  });
  s.selectedTempoPoint = index;
  return index;
}

void deleteTempoPoint(int index) {
  Studio& s = studio();
  if (index < 0 || static_cast<std::size_t>(index) >= s.project.tempoChanges.size()) return;
  command("Delete tempo point", [&](Project& p) { p.tempoChanges.erase(p.tempoChanges.begin() + index); });
  s.selectedTempoPoint = -1;
}

void setTempoPointShape(int index, TempoShape shape) {
  Studio& s = studio();
  if (index < 0 || static_cast<std::size_t>(index) >= s.project.tempoChanges.size()) return;
  if (s.project.tempoChanges[static_cast<std::size_t>(index)].shape == shape) return;
  command(shape == TempoShape::Linear ? "Tempo ramp" : "Tempo step", [&](Project& p) { p.tempoChanges[static_cast<std::size_t>(index)].shape = shape; });
}

void setSongTempo(double bpm) {
  Studio& s = studio();
  bpm = std::clamp(bpm, 20.0, 999.0);
  if (s.project.tempo == bpm) return;
  command("Change tempo", [&](Project& p) { p.tempo = bpm; });
}

std::string addAudioClip(const Asset& asset, double beat, int track, int newTrackAt, const char* label) {
  Studio& s = studio();
  Project next = s.project;
  if (!next.findAsset(asset.id)) next.assets.push_back(asset);
  Clip c;
  c.name = asset.name;
  c.start = std::max(0.0, beat);
  // As long as the file plays from there (through the tempo map: the source is not stretched).
  const Timeline timeline(next, asset.sampleRate);
  c.length = std::max(0.001, timeline.beatOfSeconds(timeline.secondsOfBeat(c.start) + static_cast<double>(asset.frames) / asset.sampleRate) - c.start);
  c.asset = asset.id;
  const bool onTrack = track >= 0 && static_cast<std::size_t>(track) < next.tracks.size() && next.tracks[static_cast<std::size_t>(track)].kind == TrackKind::Audio;
  int at = track;
  if (!onTrack) {
    Track t;
    t.id = freshTrackId(next, "audio");
    t.name = asset.name;
    t.kind = TrackKind::Audio;
    at = std::clamp(newTrackAt, 0, static_cast<int>(next.tracks.size()));
    next.tracks.insert(next.tracks.begin() + at, t);
  }
  auto& clips = next.tracks[static_cast<std::size_t>(at)].clips;
  clips.push_back(c);
  const int k = static_cast<int>(clips.size()) - 1;
  const auto issues = validateProject(next);
  if (!issues.empty()) return issues[0].text();
  command(label, [&](Project& p) { p = std::move(next); });
  s.selectedTrack = s.revealTrack = s.revealStrip = at;
  s.selectedClips = {{at, k}};
  return "";
}

std::string loadSamplerSamples(int track, const std::vector<DroppedSample>& samples) {
  Studio& s = studio();
  if (track < 0 || static_cast<std::size_t>(track) >= s.project.tracks.size() || samples.empty()) return "no sampler there";
  Project next = s.project;
  Track& t = next.tracks[static_cast<std::size_t>(track)];
  if (!t.instrument || t.instrument->type != "mixdown.sampler") return "the track does not play a sampler";
  if (samples.size() > 128 - 36) return "at most " + std::to_string(128 - 36) + " files become pads (C1 up to the top key)";
  std::vector<SampleZone> zones;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const DroppedSample& d = samples[i];
    if (!next.findAsset(d.asset.id)) next.assets.push_back(d.asset);
    SampleZone z;
    z.asset = d.asset.id;
    if (samples.size() == 1) {
      z.rootKey = 60;
      if (d.info.loop != ZoneLoop::Off && d.info.loopEnd > d.info.loopStart && (d.asset.frames == 0 || d.info.loopEnd <= d.asset.frames)) {
        z.loop = d.info.loop;
        z.loopStart = d.info.loopStart;
        z.loopEnd = d.info.loopEnd;
      }
    } else {
      z.rootKey = z.lowKey = z.highKey = 36 + static_cast<int>(i);
      z.oneShot = true;
    }
    zones.push_back(z);
  }
  t.instrument->zones = std::move(zones);
  const auto issues = validateProject(next);
  if (!issues.empty()) return issues[0].text();
  command(samples.size() == 1 ? "Load sample" : "Load " + std::to_string(samples.size()) + " samples", [&](Project& p) { p = std::move(next); });
  s.samplerZone = 0;
  return "";
}

std::string loadKit(const KitImport& kit, const std::vector<Asset>& sampleAssets, int samplerTrack, int newTrackAt, std::vector<std::string>& warnings) {
  Studio& s = studio();
  KitZones zones = kitZonesForAssets(kit, sampleAssets);
  if (!zones.ok()) return zones.error;
  if (zones.zones.empty()) return kit.name + ": the kit has no zone with a sample";
  Project next = s.project;
  for (const Asset& a : sampleAssets)
    if (!next.findAsset(a.id)) next.assets.push_back(a);
  int at = samplerTrack;
  if (at >= 0) {
    if (static_cast<std::size_t>(at) >= next.tracks.size()) return "no sampler there";
    Track& t = next.tracks[static_cast<std::size_t>(at)];
    if (!t.instrument || t.instrument->type != "mixdown.sampler") return "the track does not play a sampler";
    t.instrument->zones = zones.zones;
  } else {
    Track t;
    t.id = freshTrackId(next, "inst");
    t.name = kit.name;
    t.kind = TrackKind::Instrument;
    DeviceState sampler;
    sampler.type = "mixdown.sampler";
    sampler.zones = zones.zones;
    t.instrument = sampler;
    at = std::clamp(newTrackAt, 0, static_cast<int>(next.tracks.size()));
    next.tracks.insert(next.tracks.begin() + at, std::move(t));
  }
  const auto issues = validateProject(next);
  if (!issues.empty()) return kit.name + ": " + issues[0].text();
  command("Load kit " + kit.name, [&](Project& p) { p = std::move(next); });
  warnings.insert(warnings.end(), zones.warnings.begin(), zones.warnings.end());
  s.selectedTrack = s.revealTrack = s.revealStrip = at;
  s.samplerZone = 0;
  openInstrumentEditor(at);  // the zones it brought, on the map
  return "";
}

void selectAllClips() {
  Studio& s = studio();
  s.selectedClips.clear();
  for (std::size_t t = 0; t < s.project.tracks.size(); ++t)
    for (std::size_t c = 0; c < s.project.tracks[t].clips.size(); ++c) s.selectedClips.push_back({static_cast<int>(t), static_cast<int>(c)});
}

void pruneSelection() {
  Studio& s = studio();
  s.selectedClips.erase(std::remove_if(s.selectedClips.begin(), s.selectedClips.end(), [&](ClipRef r) { return !validRef(s.project, r); }),
                        s.selectedClips.end());
  if (s.selectedTrack >= static_cast<int>(s.project.tracks.size())) s.selectedTrack = static_cast<int>(s.project.tracks.size()) - 1;
  if (Clip* c = editedClip()) {
    auto& sel = s.editor.selectedNotes;
    sel.erase(std::remove_if(sel.begin(), sel.end(), [&](int i) { return i < 0 || static_cast<std::size_t>(i) >= c->notes.size(); }), sel.end());
  } else {
    s.editor.selectedNotes.clear();
  }
}

Clip* editedClip() {
  Studio& s = studio();
  return validRef(s.project, s.editor.clip) ? &clipOf(s.project, s.editor.clip) : nullptr;
}

Track* editedTrack() {
  Studio& s = studio();
  return validRef(s.project, s.editor.clip) ? &s.project.tracks[static_cast<std::size_t>(s.editor.clip.track)] : nullptr;
}

void openClipEditor(ClipRef clip) {
  Studio& s = studio();
  if (!validRef(s.project, clip)) return;
  const Track& t = s.project.tracks[static_cast<std::size_t>(clip.track)];
  if (t.kind != TrackKind::Instrument) return;
  const bool drums = t.instrument && t.instrument->type == "mixdown.drums";
  if (s.editor.clip != clip) {
    s.editor.selectedNotes.clear();
    s.editor.steps = drums;
    s.editor.scrollBeats = 0;
    s.editor.centre = true;
  }
  s.editor.clip = clip;
  s.lower = LowerView::Editor;
}

namespace {
// Runs `f` on the edited clip as one undo step; nothing when no clip is open.
void noteCommand(const std::string& label, const std::function<void(Clip&)>& f) {
  Studio& s = studio();
  if (!editedClip()) return;
  const ClipRef r = s.editor.clip;
  command(label, [&](Project& p) { f(clipOf(p, r)); });
}
}  // namespace

void addNote(const Note& note) {
  Studio& s = studio();
  noteCommand("Add note", [&](Clip& c) {
    c.notes.push_back(note);
    s.editor.selectedNotes = {static_cast<int>(c.notes.size()) - 1};
  });
}

void deleteSelectedNotes() {
  Studio& s = studio();
  if (s.editor.selectedNotes.empty()) return;
  std::set<int> gone(s.editor.selectedNotes.begin(), s.editor.selectedNotes.end());
  noteCommand(gone.size() == 1 ? "Delete note" : "Delete notes", [&](Clip& c) {
    std::vector<Note> kept;
    for (std::size_t i = 0; i < c.notes.size(); ++i)
      if (!gone.count(static_cast<int>(i))) kept.push_back(c.notes[i]);
    c.notes = std::move(kept);
  });
  s.editor.selectedNotes.clear();
}

void duplicateSelectedNotes() {
  Studio& s = studio();
  if (s.editor.selectedNotes.empty()) return;
  noteCommand("Duplicate notes", [&](Clip& c) {
    double lo = 1e300, hi = -1e300;
    for (int i : s.editor.selectedNotes) {
      lo = std::min(lo, c.notes[static_cast<std::size_t>(i)].start);
      hi = std::max(hi, c.notes[static_cast<std::size_t>(i)].start + c.notes[static_cast<std::size_t>(i)].length);
    }
    // Placed after the selection, on the grid when there is one (so a one-bar riff repeats on the bar).
    const double step = studio().grid.beats();
    double span = hi - lo;
    if (step > 0) span = std::ceil(span / step - 1e-9) * step;
    std::vector<int> copies;
    for (int i : s.editor.selectedNotes) {
      Note n = c.notes[static_cast<std::size_t>(i)];
      n.start += span;
      c.notes.push_back(n);
      copies.push_back(static_cast<int>(c.notes.size()) - 1);
    }
    s.editor.selectedNotes = copies;
  });
}

void transposeSelectedNotes(int semitones) {
  Studio& s = studio();
  if (s.editor.selectedNotes.empty()) return;
  noteCommand("Transpose notes", [&](Clip& c) {
    for (int i : s.editor.selectedNotes) {
      Note& n = c.notes[static_cast<std::size_t>(i)];
      n.pitch = std::clamp(n.pitch + semitones, 0, 127);
    }
  });
}

void nudgeSelectedNotes(double beats) {
  Studio& s = studio();
  if (s.editor.selectedNotes.empty()) return;
  noteCommand("Move notes", [&](Clip& c) {
    for (int i : s.editor.selectedNotes) {
      Note& n = c.notes[static_cast<std::size_t>(i)];
      n.start = std::max(0.0, n.start + beats);
    }
  });
}

void quantizeSelectedNotes(const Grid& grid, double strength, double swing) {
  Studio& s = studio();
  noteCommand("Quantize", [&](Clip& c) { quantizeNotes(c.notes, s.editor.selectedNotes, grid, strength, swing); });
}

}  // namespace mixdown::ui
