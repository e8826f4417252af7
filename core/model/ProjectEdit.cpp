#include "model/ProjectEdit.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <nlohmann/json.hpp>

#include "model/ProjectJsonParts.h"

namespace mixdown {
namespace {

using nlohmann::json;

// The song settings: everything in a Project but its tracks and master. A field added to Project must be
// added here too (or it would not travel in Song edits).
void setSong(Project& p, const Project& song) {
  p.title = song.title;
  p.tempo = song.tempo;
  p.tempoChanges = song.tempoChanges;
  p.timeSignature = song.timeSignature;
  p.signatureChanges = song.signatureChanges;
  p.loop = song.loop;
  p.assets = song.assets;
}

Project songOf(const Project& p) {
  Project s;
  setSong(s, p);
  return s;
}

// What moves events on the timeline (signatures move only bar lines, which the engine does not use).
bool sameTempo(const Project& a, const Project& b) { return a.tempo == b.tempo && a.tempoChanges == b.tempoChanges; }
bool sameTiming(const Project& a, const Project& b) {
  return sameTempo(a, b) && a.timeSignature == b.timeSignature && a.signatureChanges == b.signatureChanges;
}
bool sameSong(const Project& a, const Project& b) {
  return a.title == b.title && sameTiming(a, b) && a.loop == b.loop && a.assets == b.assets;
}

const char* kindName(ProjectEdit::Kind k) {
  switch (k) {
    case ProjectEdit::Kind::Song: return "song";
    case ProjectEdit::Kind::Master: return "master";
    case ProjectEdit::Kind::Strip: return "strip";
    case ProjectEdit::Kind::DeviceParams: return "params";
    case ProjectEdit::Kind::Clip: return "clip";
    case ProjectEdit::Kind::Notes: return "notes";
    case ProjectEdit::Kind::Track: return "track";
    case ProjectEdit::Kind::AddTrack: return "addTrack";
    case ProjectEdit::Kind::RemoveTrack: return "removeTrack";
    case ProjectEdit::Kind::MoveTrack: return "moveTrack";
    case ProjectEdit::Kind::Whole: return "whole";
  }
  return "whole";
}

// A clip whatever its track's kind: audio fields and notes both written when set (the reader takes both;
// validation checks them against the track).
json clipJson(const Clip& c) {
  json j = writeClipJson(c, TrackKind::Instrument);
  if (!c.asset.empty()) j["asset"] = c.asset;
  if (c.gainDb != 0.0) j["gainDb"] = c.gainDb;
  if (c.notes.empty()) j.erase("notes");
  return j;
}

int trackIndex(const Project& p, const std::string& id) {
  for (std::size_t i = 0; i < p.tracks.size(); ++i)
    if (p.tracks[i].id == id) return static_cast<int>(i);
  return -1;
}

}  // namespace

ProjectEdit trackSettingsEdit(const Track& track) {
  ProjectEdit e;
  e.kind = ProjectEdit::Kind::Track;
  e.trackId = track.id;
  e.track = track;
  e.track.clips.clear();
  e.withClips = false;
  return e;
}

std::string encodeEdits(const std::vector<ProjectEdit>& edits) {
  json list = json::array();
  for (const ProjectEdit& e : edits) {
    json j = {{"edit", kindName(e.kind)}};
    switch (e.kind) {
      case ProjectEdit::Kind::Song: j["value"] = json::parse(writeProject(songOf(e.project), -1)); break;
      case ProjectEdit::Kind::Whole: j["value"] = json::parse(writeProject(e.project, -1)); break;
      case ProjectEdit::Kind::Master: j["value"] = writeMasterJson(e.master); break;
      case ProjectEdit::Kind::Strip: j["value"] = writeStripJson(e.strip); break;
      case ProjectEdit::Kind::DeviceParams: {
        json params = json::object();
        for (const auto& [k, v] : e.params) params[k] = v;
        j["device"] = e.deviceId;
        j["value"] = params;
        break;
      }
      case ProjectEdit::Kind::Clip:
        j["index"] = e.index;
        j["value"] = clipJson(e.clip);
        break;
      case ProjectEdit::Kind::Notes: {
        json notes = json::array();  // [pitch, velocity, start, length] each: a quarter of the bytes of objects
        for (const Note& n : e.notes) notes.push_back(json::array({n.pitch, n.velocity, n.start, n.length}));
        j["index"] = e.index;
        j["at"] = e.at;
        j["remove"] = e.remove;
        j["value"] = json{{"notes", std::move(notes)}};
        break;
      }
      case ProjectEdit::Kind::Track:
        j["value"] = writeTrackJson(e.track);
        if (!e.withClips) {
          j["value"].erase("clips");
          j["keepClips"] = true;
        }
        break;
      case ProjectEdit::Kind::AddTrack:
        j["index"] = e.index;
        j["value"] = writeTrackJson(e.track);
        break;
      case ProjectEdit::Kind::RemoveTrack: break;
      case ProjectEdit::Kind::MoveTrack: j["index"] = e.index; break;
    }
    if (e.kind != ProjectEdit::Kind::Song && e.kind != ProjectEdit::Kind::Whole && e.kind != ProjectEdit::Kind::Master &&
        e.kind != ProjectEdit::Kind::AddTrack)
      j["track"] = e.trackId;
    list.push_back(std::move(j));
  }
  return json{{"edits", std::move(list)}}.dump();
}

EditsDecode decodeEdits(const std::string& text) {
  EditsDecode out;
  auto fail = [&](const std::string& path, const std::string& message) { out.issues.push_back({path, message}); };
  if (const std::size_t at = jsonTooDeepAt(text); at != std::string::npos) {
    fail("", "an edit message nested more than " + std::to_string(kMaxJsonDepth) + " arrays and objects deep (at " +
                 jsonLineColumn(text, at) + ")");
    return out;
  }
  const json root = json::parse(text, nullptr, false);
  if (root.is_discarded() || !root.is_object()) {
    fail("", "an edit message must be a JSON object");
    return out;
  }
  const auto list = root.find("edits");
  if (list == root.end() || !list->is_array()) {
    fail("edits", "must be an array");
    return out;
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = "edits[" + std::to_string(i) + "]";
    const json& j = (*list)[i];
    if (!j.is_object()) {
      fail(path, "must be an object");
      continue;
    }
    ProjectEdit e;
    // (json::value would throw on a non-string; the wasm builds do not catch exceptions)
    const auto kindField = j.find("edit");
    if (kindField == j.end() || !kindField->is_string()) {
      fail(path + ".edit", "must be a string naming the edit (\"clip\", \"notes\", \"strip\", ...)");
      continue;
    }
    const std::string kind = kindField->get<std::string>();
    bool known = false;
    for (int k = 0; k <= static_cast<int>(ProjectEdit::Kind::Whole); ++k)
      if (kind == kindName(static_cast<ProjectEdit::Kind>(k))) {
        e.kind = static_cast<ProjectEdit::Kind>(k);
        known = true;
      }
    if (!known) {
      fail(path + ".edit", "unknown edit \"" + kind.substr(0, 40) + "\"");
      continue;
    }
    auto stringField = [&](const char* key, std::string& to) {
      const auto it = j.find(key);
      if (it == j.end() || !it->is_string()) return fail(path + "." + key, "must be a string");
      to = it->get<std::string>();
    };
    auto countField = [&](const char* key, int& to) {
      const auto it = j.find(key);
      if (it == j.end() || !it->is_number_integer() || it->get<std::int64_t>() < 0 || it->get<std::int64_t>() > 1000000)
        return fail(path + "." + key, "must be an integer from 0 to 1000000");
      to = static_cast<int>(it->get<std::int64_t>());
    };
    auto indexField = [&]() { countField("index", e.index); };
    const auto value = j.find("value");
    const bool needsValue = e.kind != ProjectEdit::Kind::RemoveTrack && e.kind != ProjectEdit::Kind::MoveTrack;
    if (needsValue && (value == j.end() || !value->is_object())) {
      fail(path + ".value", "must be an object");
      continue;
    }
    const std::string vp = path + ".value";
    if (e.kind != ProjectEdit::Kind::Song && e.kind != ProjectEdit::Kind::Whole && e.kind != ProjectEdit::Kind::Master &&
        e.kind != ProjectEdit::Kind::AddTrack)
      stringField("track", e.trackId);
    switch (e.kind) {
      case ProjectEdit::Kind::Song:
      case ProjectEdit::Kind::Whole: {
        ProjectLoad load = parseProject(value->dump());
        for (auto& issue : load.issues) fail(vp + (issue.path.empty() ? "" : "." + issue.path), issue.message);
        e.project = std::move(load.project);
        break;
      }
      case ProjectEdit::Kind::Master: readMasterJson(*value, vp, e.master, out.issues); break;
      case ProjectEdit::Kind::Strip: readStripJson(*value, vp, e.strip, out.issues); break;
      case ProjectEdit::Kind::DeviceParams:
        stringField("device", e.deviceId);
        for (auto it = value->begin(); it != value->end(); ++it) {
          if (!it->is_number() || !std::isfinite(it->get<double>())) fail(vp + "." + it.key(), "must be a finite number");
          else e.params[it.key()] = it->get<double>();
        }
        break;
      case ProjectEdit::Kind::Clip:
        indexField();
        readClipJson(*value, vp, e.clip, out.issues);
        break;
      case ProjectEdit::Kind::Notes: {
        indexField();
        countField("at", e.at);
        countField("remove", e.remove);
        const auto notes = value->find("notes");
        if (notes == value->end() || !notes->is_array()) {
          fail(vp + ".notes", "must be an array");
          break;
        }
        for (std::size_t k = 0; k < notes->size(); ++k) {
          const json& n = (*notes)[k];
          const std::string np = vp + ".notes[" + std::to_string(k) + "]";
          if (!n.is_array() || n.size() != 4 || !n[0].is_number_integer() || !n[1].is_number() || !n[2].is_number() || !n[3].is_number()) {
            fail(np, "must be [pitch, velocity, start, length]");
            continue;
          }
          Note note;
          note.pitch = static_cast<int>(std::clamp<std::int64_t>(n[0].get<std::int64_t>(), -1, 1000));
          note.velocity = n[1].get<double>();
          note.start = n[2].get<double>();
          note.length = n[3].get<double>();
          if (!std::isfinite(note.velocity) || !std::isfinite(note.start) || !std::isfinite(note.length)) fail(np, "must hold finite numbers");
          e.notes.push_back(note);
        }
        break;
      }
      case ProjectEdit::Kind::Track: {
        const auto keep = j.find("keepClips");
        e.withClips = !(keep != j.end() && keep->is_boolean() && keep->get<bool>());
        readTrackJson(*value, vp, e.track, out.issues);
        break;
      }
      case ProjectEdit::Kind::AddTrack:
        indexField();
        readTrackJson(*value, vp, e.track, out.issues);
        e.trackId = e.track.id;
        break;
      case ProjectEdit::Kind::RemoveTrack: break;
      case ProjectEdit::Kind::MoveTrack: indexField(); break;
    }
    out.edits.push_back(std::move(e));
  }
  return out;
}

std::vector<ProjectIssue> applyEdits(Project& p, const std::vector<ProjectEdit>& edits, EditEffect* effect) {
  EditEffect fx;
  std::vector<ProjectIssue> issues;
  auto fail = [&](const std::string& path, const std::string& message) { issues.push_back({path, message}); };
  // What is needed to put everything back: the track order, a copy of every track before its first edit,
  // the song and the master (or the whole project when a Whole edit is in the batch).
  const bool anyWhole = std::any_of(edits.begin(), edits.end(), [](const ProjectEdit& e) { return e.kind == ProjectEdit::Kind::Whole; });
  std::optional<Project> savedWhole;
  if (anyWhole) savedWhole = p;
  // The order is only needed to undo edits that add, remove or move tracks.
  const bool reorders = std::any_of(edits.begin(), edits.end(), [](const ProjectEdit& e) {
    return e.kind == ProjectEdit::Kind::AddTrack || e.kind == ProjectEdit::Kind::RemoveTrack || e.kind == ProjectEdit::Kind::MoveTrack;
  });
  std::vector<std::string> order;
  if (!anyWhole && reorders) {
    order.reserve(p.tracks.size());
    for (const Track& t : p.tracks) order.push_back(t.id);
  }
  std::vector<Track> saved;
  std::optional<Project> savedSong;
  std::optional<MasterState> savedMaster;
  std::vector<std::pair<std::string, unsigned>> touchedParts;  // what of each track to validate
  auto touch = [&](int index, bool live, unsigned parts = kTrackAll) {
    const Track& t = p.tracks[static_cast<std::size_t>(index)];
    auto tp = std::find_if(touchedParts.begin(), touchedParts.end(), [&](const auto& x) { return x.first == t.id; });
    if (tp == touchedParts.end()) touchedParts.push_back({t.id, parts});
    else tp->second |= parts;
    if (!anyWhole && std::none_of(saved.begin(), saved.end(), [&](const Track& s) { return s.id == t.id; })) saved.push_back(t);
    auto& list = live ? fx.liveTracks : fx.changedTracks;
    if (std::find(list.begin(), list.end(), t.id) == list.end()) list.push_back(t.id);
  };
  bool routing = false;
  for (std::size_t i = 0; i < edits.size(); ++i) {
    const ProjectEdit& e = edits[i];
    const std::string path = "edits[" + std::to_string(i) + "]";
    const bool onTrack = e.kind != ProjectEdit::Kind::Song && e.kind != ProjectEdit::Kind::Master &&
                         e.kind != ProjectEdit::Kind::Whole && e.kind != ProjectEdit::Kind::AddTrack;
    const int ti = onTrack ? trackIndex(p, e.trackId) : -1;
    if (onTrack && ti < 0) {
      fail(path + ".track", "no track \"" + e.trackId + "\"");
      break;
    }
    Track* t = ti >= 0 ? &p.tracks[static_cast<std::size_t>(ti)] : nullptr;
    switch (e.kind) {
      case ProjectEdit::Kind::Whole:
        p = e.project;
        for (Track& each : p.tracks) assignDeviceIds(each);
        fx.whole = fx.structure = fx.song = fx.timing = fx.assets = fx.master = true;
        break;
      case ProjectEdit::Kind::Song:
        if (!savedSong) savedSong = songOf(p);
        fx.song = true;
        fx.timing = fx.timing || !sameTempo(p, e.project);
        fx.assets = fx.assets || p.assets != e.project.assets;
        setSong(p, e.project);
        break;
      case ProjectEdit::Kind::Master:
        if (!savedMaster) savedMaster = p.master;
        p.master = e.master;
        fx.master = true;
        break;
      case ProjectEdit::Kind::Strip:
        touch(ti, true, kTrackDevices);
        t->strip = e.strip;
        break;
      case ProjectEdit::Kind::DeviceParams: {
        DeviceState* d = nullptr;
        if (e.deviceId == kInstrumentDevice) d = t->instrument ? &*t->instrument : nullptr;
        else if (const int k = findInsert(*t, e.deviceId); k >= 0) d = &t->inserts[static_cast<std::size_t>(k)];
        if (!d) {
          fail(path + ".device", "no device \"" + e.deviceId + "\" on track \"" + t->id + "\"");
          break;
        }
        touch(ti, true, kTrackDevices);
        d->params = e.params;
        break;
      }
      case ProjectEdit::Kind::Clip:
        if (e.index < 0 || static_cast<std::size_t>(e.index) >= t->clips.size()) {
          fail(path + ".index", "track \"" + t->id + "\" has no clip " + std::to_string(e.index));
          break;
        }
        touch(ti, false, kTrackClips);
        t->clips[static_cast<std::size_t>(e.index)] = e.clip;
        break;
      case ProjectEdit::Kind::Notes: {
        if (e.index < 0 || static_cast<std::size_t>(e.index) >= t->clips.size()) {
          fail(path + ".index", "track \"" + t->id + "\" has no clip " + std::to_string(e.index));
          break;
        }
        auto& notes = t->clips[static_cast<std::size_t>(e.index)].notes;
        if (static_cast<std::size_t>(e.at) + static_cast<std::size_t>(e.remove) > notes.size()) {
          fail(path + ".remove", "clip " + std::to_string(e.index) + " of track \"" + t->id + "\" has " + std::to_string(notes.size()) + " notes");
          break;
        }
        touch(ti, false, kTrackClips);
        const auto from = notes.begin() + e.at;
        notes.erase(from, from + e.remove);
        notes.insert(notes.begin() + e.at, e.notes.begin(), e.notes.end());
        break;
      }
      case ProjectEdit::Kind::Track:
        if (e.track.id != e.trackId) {
          fail(path + ".value.id", "must stay \"" + e.trackId + "\" (a track keeps its id)");
          break;
        }
        touch(ti, false);
        if (e.withClips) {
          *t = e.track;
        } else {
          std::vector<Clip> clips = std::move(t->clips);
          *t = e.track;
          t->clips = std::move(clips);
        }
        assignDeviceIds(*t);
        routing = true;
        break;
      case ProjectEdit::Kind::AddTrack: {
        if (trackIndex(p, e.track.id) >= 0) {
          fail(path + ".value.id", "a track \"" + e.track.id + "\" exists already");
          break;
        }
        const auto at = static_cast<std::ptrdiff_t>(std::clamp<std::size_t>(static_cast<std::size_t>(std::max(0, e.index)), 0, p.tracks.size()));
        p.tracks.insert(p.tracks.begin() + at, e.track);
        assignDeviceIds(p.tracks[static_cast<std::size_t>(at)]);
        fx.changedTracks.push_back(e.track.id);
        fx.structure = routing = true;
        break;
      }
      case ProjectEdit::Kind::RemoveTrack:
        touch(ti, false);
        p.tracks.erase(p.tracks.begin() + ti);
        fx.structure = routing = true;
        break;
      case ProjectEdit::Kind::MoveTrack: {
        const int to = std::clamp(e.index, 0, static_cast<int>(p.tracks.size()) - 1);
        Track moving = std::move(*t);
        p.tracks.erase(p.tracks.begin() + ti);
        p.tracks.insert(p.tracks.begin() + to, std::move(moving));
        fx.structure = true;
        break;
      }
    }
    if (!issues.empty()) break;
  }
  if (issues.empty()) {
    if (fx.whole) {
      issues = validateProject(p);
    } else {
      if (fx.song || fx.master) {
        for (auto& issue : validateSong(p)) issues.push_back(std::move(issue));
        if (fx.assets)  // clips must still name assets in the table (audio clips only: no notes to walk)
          for (std::size_t i = 0; i < p.tracks.size(); ++i)
            if (p.tracks[i].kind == TrackKind::Audio)
              for (auto& issue : validateTrack(p, i)) issues.push_back(std::move(issue));
      }
      for (const auto* list : {&fx.changedTracks, &fx.liveTracks})
        for (const std::string& id : *list)
          if (const int i = trackIndex(p, id); i >= 0) {
            const auto tp = std::find_if(touchedParts.begin(), touchedParts.end(), [&](const auto& x) { return x.first == id; });
            for (auto& issue : validateTrack(p, static_cast<std::size_t>(i), tp == touchedParts.end() ? kTrackAll : tp->second))
              issues.push_back(std::move(issue));
          }
      if (routing)
        for (auto& issue : validateRouting(p)) issues.push_back(std::move(issue));
    }
  }
  if (!issues.empty()) {  // put everything back
    if (savedWhole) {
      p = std::move(*savedWhole);
    } else if (!reorders) {  // the same tracks in the same places: each edited one back as it was
      for (Track& t : saved) p.tracks[static_cast<std::size_t>(trackIndex(p, t.id))] = std::move(t);
      if (savedSong) setSong(p, *savedSong);
      if (savedMaster) p.master = std::move(*savedMaster);
    } else {
      std::vector<Track> restored;
      restored.reserve(order.size());
      for (const std::string& id : order) {
        auto s = std::find_if(saved.begin(), saved.end(), [&](const Track& x) { return x.id == id; });
        if (s != saved.end()) {
          restored.push_back(std::move(*s));
          continue;
        }
        auto c = std::find_if(p.tracks.begin(), p.tracks.end(), [&](const Track& x) { return x.id == id; });
        if (c != p.tracks.end()) restored.push_back(std::move(*c));
      }
      p.tracks = std::move(restored);
      if (savedSong) setSong(p, *savedSong);
      if (savedMaster) p.master = std::move(*savedMaster);
    }
    return issues;
  }
  // A track both changed and live-edited is simply changed.
  std::erase_if(fx.liveTracks, [&](const std::string& id) {
    return std::find(fx.changedTracks.begin(), fx.changedTracks.end(), id) != fx.changedTracks.end();
  });
  if (effect) *effect = std::move(fx);
  return issues;
}

namespace {

// The edits of one track that kept its id: its strip and device parameters as live edits when nothing
// else changed, one clip when only one clip changed, else the whole track.
void diffTrack(const Track& a, const Track& b, std::vector<ProjectEdit>& out) {
  std::vector<ProjectEdit> live;
  Track probe = a;
  if (a.strip != b.strip) {
    ProjectEdit e;
    e.kind = ProjectEdit::Kind::Strip;
    e.trackId = b.id;
    e.strip = b.strip;
    live.push_back(std::move(e));
    probe.strip = b.strip;
  }
  auto params = [&](const std::string& deviceId, const DeviceState& from, const DeviceState& to, DeviceState& into) {
    if (from.type != to.type || from.params == to.params) return;
    ProjectEdit e;
    e.kind = ProjectEdit::Kind::DeviceParams;
    e.trackId = b.id;
    e.deviceId = deviceId;
    e.params = to.params;
    live.push_back(std::move(e));
    into.params = to.params;
  };
  if (a.instrument && b.instrument) params(kInstrumentDevice, *a.instrument, *b.instrument, *probe.instrument);
  if (a.inserts.size() == b.inserts.size())
    for (std::size_t k = 0; k < a.inserts.size(); ++k)
      if (a.inserts[k].id == b.inserts[k].id && !a.inserts[k].id.empty())
        params(a.inserts[k].id, a.inserts[k], b.inserts[k], probe.inserts[k]);
  if (probe == b) {
    for (auto& e : live) out.push_back(std::move(e));
    return;
  }
  if (a.clips.size() == b.clips.size()) {
    int changed = -1, count = 0;
    for (std::size_t c = 0; c < a.clips.size(); ++c)
      if (a.clips[c] != b.clips[c]) {
        changed = static_cast<int>(c);
        ++count;
      }
    if (count == 1) {
      const Clip& was = a.clips[static_cast<std::size_t>(changed)];
      const Clip& now = b.clips[static_cast<std::size_t>(changed)];
      probe.clips[static_cast<std::size_t>(changed)] = now;
      if (probe == b) {
        for (auto& e : live) out.push_back(std::move(e));
        Clip sameButNotes = now;
        sameButNotes.notes = was.notes;
        ProjectEdit e;
        e.trackId = b.id;
        e.index = changed;
        if (sameButNotes == was) {  // only notes: the run that differs, between the common ends
          std::size_t head = 0, tail = 0;
          const std::size_t n0 = was.notes.size(), n1 = now.notes.size();
          while (head < n0 && head < n1 && was.notes[head] == now.notes[head]) ++head;
          while (tail < n0 - head && tail < n1 - head && was.notes[n0 - 1 - tail] == now.notes[n1 - 1 - tail]) ++tail;
          e.kind = ProjectEdit::Kind::Notes;
          e.at = static_cast<int>(head);
          e.remove = static_cast<int>(n0 - head - tail);
          e.notes.assign(now.notes.begin() + static_cast<std::ptrdiff_t>(head), now.notes.end() - static_cast<std::ptrdiff_t>(tail));
        } else {
          e.kind = ProjectEdit::Kind::Clip;
          e.clip = now;
        }
        out.push_back(std::move(e));
        return;
      }
    }
    if (count == 0) {  // the clips stay: the track's settings (strip and parameters too) travel without them
      out.push_back(trackSettingsEdit(b));
      return;
    }
  }
  ProjectEdit e;
  e.kind = ProjectEdit::Kind::Track;
  e.trackId = b.id;
  e.track = b;
  out.push_back(std::move(e));
}

}  // namespace

std::vector<ProjectEdit> diffProjects(const Project& before, const Project& after) {
  std::vector<ProjectEdit> edits;
  std::size_t common = 0;
  for (const Track& t : after.tracks) common += trackIndex(before, t.id) >= 0 ? 1 : 0;
  const std::size_t added = after.tracks.size() - common, removed = before.tracks.size() - common;
  if (added + removed > std::max<std::size_t>(4, common)) {  // another song: one message
    ProjectEdit e;
    e.kind = ProjectEdit::Kind::Whole;
    e.project = after;
    edits.push_back(std::move(e));
    return edits;
  }
  if (!sameSong(before, after)) {
    ProjectEdit e;
    e.kind = ProjectEdit::Kind::Song;
    e.project = songOf(after);
    edits.push_back(std::move(e));
  }
  if (before.master != after.master) {
    ProjectEdit e;
    e.kind = ProjectEdit::Kind::Master;
    e.master = after.master;
    edits.push_back(std::move(e));
  }
  std::vector<std::string> order;  // the track ids as the edits so far leave them
  for (const Track& t : before.tracks) {
    if (trackIndex(after, t.id) >= 0) {
      order.push_back(t.id);
      continue;
    }
    ProjectEdit e;
    e.kind = ProjectEdit::Kind::RemoveTrack;
    e.trackId = t.id;
    edits.push_back(std::move(e));
  }
  // Order: the tracks of the longest run already in order stay; every other track moves (or is added)
  // to its index, in ascending order. Dragging one track is one MoveTrack.
  std::vector<int> keyOf;  // for the tracks of `after` that were in `before`: their position in `order`
  std::vector<std::size_t> afterIndex;
  for (std::size_t k = 0; k < after.tracks.size(); ++k) {
    const auto at = std::find(order.begin(), order.end(), after.tracks[k].id);
    if (at == order.end()) continue;
    keyOf.push_back(static_cast<int>(at - order.begin()));
    afterIndex.push_back(k);
  }
  std::vector<bool> stays(after.tracks.size(), false);
  {  // longest increasing subsequence of keyOf (patience sorting), O(n log n)
    std::vector<int> tails, tailAt, parent(keyOf.size(), -1);
    for (std::size_t i = 0; i < keyOf.size(); ++i) {
      const auto pos = static_cast<std::size_t>(std::lower_bound(tails.begin(), tails.end(), keyOf[i]) - tails.begin());
      if (pos == tails.size()) {
        tails.push_back(keyOf[i]);
        tailAt.push_back(static_cast<int>(i));
      } else {
        tails[pos] = keyOf[i];
        tailAt[pos] = static_cast<int>(i);
      }
      parent[i] = pos > 0 ? tailAt[pos - 1] : -1;
    }
    for (int i = tailAt.empty() ? -1 : tailAt.back(); i >= 0; i = parent[static_cast<std::size_t>(i)]) stays[afterIndex[static_cast<std::size_t>(i)]] = true;
  }
  auto place = [&](std::vector<std::string>& ids, std::size_t k, bool all) {
    const std::string& id = after.tracks[k].id;
    if (!all && stays[k]) return;
    if (all && k < ids.size() && ids[k] == id) return;
    const auto at = std::find(ids.begin(), ids.end(), id);
    ProjectEdit e;
    e.trackId = id;
    e.index = static_cast<int>(k);
    if (at == ids.end()) {
      e.kind = ProjectEdit::Kind::AddTrack;
      e.track = after.tracks[k];
    } else {
      e.kind = ProjectEdit::Kind::MoveTrack;
      ids.erase(at);
    }
    ids.insert(ids.begin() + static_cast<std::ptrdiff_t>(std::min(k, ids.size())), id);
    edits.push_back(std::move(e));
  };
  const std::size_t mark = edits.size();
  std::vector<std::string> ids = order;
  for (std::size_t k = 0; k < after.tracks.size(); ++k) place(ids, k, false);
  bool inOrder = ids.size() == after.tracks.size();
  for (std::size_t k = 0; inOrder && k < ids.size(); ++k) inOrder = ids[k] == after.tracks[k].id;
  if (!inOrder) {  // (never expected) place every track in turn instead
    edits.resize(mark);
    ids = order;
    for (std::size_t k = 0; k < after.tracks.size(); ++k) place(ids, k, true);
  }
  for (const Track& t : after.tracks) {
    const int i = trackIndex(before, t.id);
    if (i < 0) continue;
    const Track& old = before.tracks[static_cast<std::size_t>(i)];
    if (!(old == t)) diffTrack(old, t, edits);
  }
  return edits;
}

}  // namespace mixdown
