// Edits as messages: what changed in a project (a track, a clip, a device's parameters, a strip, the
// master, the song settings, the track list), small enough to send on every gesture and applied without
// reading the rest of the song. The studio finds them by comparing the project before and after a
// gesture (diffProjects), encodes them once (encodeEdits) and the engine's module decodes them with the
// same code (decodeEdits), so JavaScript only forwards the bytes.
//
// A batch of edits is applied as one: either every edit in it applies and the result validates, or the
// project is left exactly as it was and the problems are returned with their JSON paths.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "model/Project.h"
#include "model/ProjectJson.h"

namespace mixdown {

struct ProjectEdit {
  enum class Kind {
    Song,          // everything but the tracks and the master: title, tempo, signature, loop, assets
    Master,        // master gain, chain and delivery
    Strip,         // a track's mixer strip (fader, pan, mute, solo)
    DeviceParams,  // parameter values of one device (an insert by id, or the instrument)
    Clip,          // one clip of a track, by index
    Notes,         // some notes of one clip: notes[at, at + remove) replaced by `notes` (a one-note edit is one note)
    Track,         // a whole track (its id stays); without its clips when they did not change
    AddTrack,      // a new track at an index
    RemoveTrack,   // a track, by id
    MoveTrack,     // a track to an index
    Whole          // another song: the whole project
  };
  Kind kind = Kind::Whole;
  std::string trackId;                   // all but Song, Master, Whole
  int index = -1;                        // Clip: the clip; AddTrack, MoveTrack: the track's index afterwards
  std::string deviceId;                  // DeviceParams: the insert's id, or kInstrumentDevice
  std::map<std::string, double> params;  // DeviceParams: every stored parameter of the device
  StripState strip;                      // Strip
  Clip clip;                             // Clip
  int at = 0, remove = 0;                // Notes: where, and how many notes go
  std::vector<Note> notes;               // Notes: the notes that come in their place
  Track track;                           // Track, AddTrack
  bool withClips = true;                 // Track: false keeps the track's clips as they are
  MasterState master;                    // Master
  Project project;                       // Song (its tracks and master unused), Whole
};

inline constexpr const char* kInstrumentDevice = "instrument";

// A Track edit carrying `track`'s settings (instrument, inserts, sends, automation, strip) without its
// clips: applied, the track's clips stay as they are.
ProjectEdit trackSettingsEdit(const Track& track);

// Any thread (pure). Compact JSON text: {"edits":[{"edit":"clip","track":"bass","index":2,"value":{...}}, ...]}.
std::string encodeEdits(const std::vector<ProjectEdit>& edits);

struct EditsDecode {
  std::vector<ProjectEdit> edits;
  std::vector<ProjectIssue> issues;  // empty: every edit read; paths like "edits[0].value.notes[3].pitch"
  bool ok() const { return issues.empty(); }
};
EditsDecode decodeEdits(const std::string& text);

// What a batch touched, for whoever follows the project (the engine): which tracks changed and how.
struct EditEffect {
  bool song = false;       // song settings changed
  bool timing = false;     // the tempo map changed: every event moves
  bool assets = false;     // the asset table changed
  bool master = false;
  bool structure = false;  // tracks added, removed or moved, or a whole project
  bool whole = false;
  // Tracks whose content changed (by id; clip, track or device edits), and those whose strip or
  // parameters alone changed (live edits: no new plan needed for them).
  std::vector<std::string> changedTracks;
  std::vector<std::string> liveTracks;
};

// Applies the batch to `project`. On any problem nothing changes and the problems are returned. Checks
// only what the edits touch (validateTrack of each changed track, validateRouting when routes may have
// changed), so an edit of one note costs that track, not the song.
std::vector<ProjectIssue> applyEdits(Project& project, const std::vector<ProjectEdit>& edits, EditEffect* effect = nullptr);

// The edits that turn `before` into `after`, as small as they can be: a fader move is a Strip edit, a
// knob a DeviceParams edit, one changed clip a Clip edit. A project that shares little with `before` is
// one Whole edit. applyEdits(before, diffProjects(before, after)) gives `after`.
std::vector<ProjectEdit> diffProjects(const Project& before, const Project& after);

}  // namespace mixdown
