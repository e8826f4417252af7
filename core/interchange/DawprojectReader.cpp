// A DAWproject read into a Project (see Dawproject.h for what is read, what becomes a placeholder and
// what is refused).
//
// [SECTION] Messages: line:column and element paths
// [SECTION] Numbers and units
// [SECTION] Structure: tracks, channels, sends
// [SECTION] Devices
// [SECTION] Tempo and signatures
// [SECTION] Clips (scopes in beats or seconds, nested clips, warps)
// [SECTION] Automation
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <set>

#include <pugixml.hpp>

#include "devices/Registry.h"
#include "engine/Timeline.h"
#include "interchange/Dawproject.h"
#include "interchange/DawprojectShared.h"
#include "model/ProjectJson.h"
#include "model/ProjectJsonParts.h"

namespace mixdown {
namespace {
using namespace dawproject;

constexpr std::size_t kMaxClipDepth = 8;  // clips inside clips: Bitwig writes 2
constexpr std::size_t kMaxClipsRead = 200000;  // clips read in all, alias references followed
constexpr int kMaxWarningsOfAKind = 1;  // the first place named, the others counted

// How a DAWproject value becomes ours.
enum class Convert { Same, SecondsToMs, PercentToRatio, Negate, VolumeToDb, NormalizedToPan };

// An automatable parameter of the file: whose it is, our lane target, how its values convert.
struct ParamTarget {
  int track = -1;      // our track index; -1 for the master (not automatable here)
  std::string target;  // "gain", "pan", "inserts[k].<param>"
  Convert convert = Convert::Same;
  std::string unit;    // the parameter's unit attribute (Points may override)
  double scale = 1.0;  // Mixdown's own parameters: our value = file value / scale
};

// A stretch of time in which a content timeline advances with the song: song beats [start, end) play
// content from `content` (in `unit`) on. Content 0 sounds at song beat `originBeat` (unit beats) or
// song second `originSec` (unit seconds).
struct Scope {
  bool seconds = false;
  double origin = 0.0;  // content time 0 on the song, in beats or seconds as `seconds` says
  double start = -INFINITY, end = INFINITY;  // the window, song beats
};

class Reader {
 public:
  Reader(const Archive& archive, const std::string& name, const std::map<std::string, DawprojectAudioFacts>& facts)
      : archive_(archive), name_(name), facts_(facts) {}

  DawprojectImport run() {
    const ArchiveEntry* entry = archive_.find(kDawprojectProjectEntry);
    if (!entry) return refuse(name_ + ": no project.xml in the zip: not a DAWproject file");
    text_ = entry->bytes;
    const pugi::xml_parse_result parsed = doc_.load_buffer(text_.data(), text_.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed) return refuse(name_ + ": project.xml:" + lineColumn(parsed.offset) + ": not XML (" + parsed.description() + ")");
    const pugi::xml_node root = doc_.document_element();
    if (!root) return refuse(name_ + ": project.xml:1:1: not XML (no element in it)");
    if (std::strcmp(root.name(), "Project") != 0)
      return refuse(where(root) + ": the root element is <" + root.name() + ">, not <Project>: not a DAWproject file");
    readTitle();
    readExtras();
    indexIds(root);
    if (!readTransport(root.child("Transport"))) return done();
    if (!readTempoAutomation(root.child("Arrangement"))) return done();
    timeline_ = Timeline(p(), 48000.0);
    if (const pugi::xml_node structure = root.child("Structure"); structure)
      for (pugi::xml_node n : structure.children())
        if (!readStructureNode(n, -1)) return done();
    if (!resolveRouting()) return done();
    for (const PendingDevices& pd : pendingDevices_)
      if (!readDevices(pd)) return done();
    if (const pugi::xml_node arr = root.child("Arrangement"); arr)
      if (const pugi::xml_node lanes = arr.child("Lanes"); lanes)
        if (!readLanes(lanes, -1, false)) return done();
    for (pugi::xml_node n : root.children())
      if (std::strcmp(n.name(), "Scenes") == 0 && n.first_child()) warn(n, "clip launcher scenes are not read (Mixdown has an arrangement only)");
    if (!finishTracks()) return done();
    flushWarnings();
    const std::vector<ProjectIssue> issues = validateProject(p());
    if (!issues.empty()) out_.error = name_ + ": the file makes an invalid project: " + issues.front().text();
    return done();
  }

 private:
  Project& p() { return out_.project; }
  DawprojectImport done() {
    flushWarnings();
    if (!out_.ok()) out_.project = Project();
    return std::move(out_);
  }
  DawprojectImport refuse(const std::string& what) {
    out_.error = what;
    return done();
  }

  // [SECTION] Messages: line:column and element paths -------------------------------------------------
  std::string lineColumn(std::ptrdiff_t offset) const {
    if (offset < 0) offset = 0;
    const std::size_t end = std::min<std::size_t>(static_cast<std::size_t>(offset), text_.size());
    int line = 1;
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < end; ++i)
      if (text_[i] == '\n') ++line, lineStart = i + 1;
    return std::to_string(line) + ":" + std::to_string(end - lineStart + 1);
  }
  // "Project/Structure/Track[2]/Channel": each step's index among its same-named siblings, where it has some.
  static std::string pathOf(pugi::xml_node n) {
    std::vector<std::string> steps;
    for (; n && n.type() == pugi::node_element; n = n.parent()) {
      int index = 0, count = 0;
      for (pugi::xml_node s = n.parent().first_child(); s; s = s.next_sibling())
        if (s.type() == pugi::node_element && std::strcmp(s.name(), n.name()) == 0) {
          ++count;
          if (s == n) index = count;
        }
      steps.push_back(std::string(n.name()) + (count > 1 ? "[" + std::to_string(index) + "]" : ""));
    }
    std::string out;
    for (auto it = steps.rbegin(); it != steps.rend(); ++it) out += (out.empty() ? "" : "/") + *it;
    return out;
  }
  std::string where(pugi::xml_node n) const { return name_ + ": project.xml:" + lineColumn(n.offset_debug()) + ": " + pathOf(n); }
  bool fail(pugi::xml_node n, const std::string& what) {
    if (out_.error.empty()) out_.error = where(n) + ": " + what;
    return false;
  }
  // Warnings of one kind (the text) are said once, with the first place and a count of the others.
  void warn(pugi::xml_node n, const std::string& what) {
    auto& w = warningsByKind_[what];
    if (w.second++ < kMaxWarningsOfAKind) w.first = where(n) + ": " + what;
    if (w.second == 1) warningOrder_.push_back(what);
  }
  void warnPlain(const std::string& what) { out_.warnings.push_back(name_ + ": " + what); }
  void flushWarnings() {
    for (const std::string& kind : warningOrder_) {
      const auto& w = warningsByKind_[kind];
      out_.warnings.push_back(w.first + (w.second > 1 ? " (and " + std::to_string(w.second - 1) + " more like it)" : ""));
    }
    warningOrder_.clear();
    warningsByKind_.clear();
  }

  // [SECTION] Numbers and units --------------------------------------------------------------------------
  // The number in attribute `attr`: false (refused) when it is not one, NaN, infinite (unless allowed)
  // or outside [lo, hi]. Absent: `out` unchanged, true unless required.
  bool number(pugi::xml_node n, const char* attr, double& out, bool required, double lo = -INFINITY, double hi = INFINITY, bool allowInf = false) {
    const pugi::xml_attribute a = n.attribute(attr);
    if (!a) return required ? fail(n, std::string("the attribute ") + attr + " is missing") : true;
    const std::string text = a.value();
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    const bool isNumber = !text.empty() && end && *end == '\0' && !std::isspace(static_cast<unsigned char>(text[0]));
    if (!isNumber || std::isnan(v) || (std::isinf(v) && !allowInf))
      return fail(n, std::string(attr) + "=\"" + text.substr(0, 40) + "\" is not a " + (allowInf ? "number" : "finite number"));
    if (v < lo || v > hi)
      return fail(n, std::string(attr) + "=\"" + text.substr(0, 40) + "\" is out of range (" + numberText(lo) + " to " + numberText(hi) + ")");
    out = v;
    return true;
  }
  bool integer(pugi::xml_node n, const char* attr, int& out, bool required, int lo, int hi) {
    double v = out;
    if (!number(n, attr, v, required, lo, hi)) return false;
    if (v != std::floor(v)) return fail(n, std::string(attr) + "=\"" + n.attribute(attr).value() + "\" is not a whole number");
    out = static_cast<int>(v);
    return true;
  }
  bool boolean(pugi::xml_node n, const char* attr, bool& out) {
    const pugi::xml_attribute a = n.attribute(attr);
    if (!a) return true;
    const std::string v = a.value();
    if (v == "true" || v == "1") out = true;
    else if (v == "false" || v == "0") out = false;
    else return fail(n, std::string(attr) + "=\"" + v.substr(0, 40) + "\" is not true or false");
    return true;
  }
  static bool isElement(pugi::xml_node n, const char* name) { return n.type() == pugi::node_element && std::strcmp(n.name(), name) == 0; }

  // A RealParameter's value converted to ours; `ok` false when refused (error set). Missing: `fallback`.
  double paramValue(pugi::xml_node n, Convert c, double fallback, bool& ok) {
    ok = true;
    if (!n || !n.attribute("value")) return fallback;
    double v = 0.0;
    if (!number(n, "value", v, true, -INFINITY, INFINITY, true)) return ok = false, fallback;
    const std::string unit = n.attribute("unit").value();
    return convertValue(n, v, unit, c, fallback, ok);
  }
  double convertValue(pugi::xml_node n, double v, const std::string& unit, Convert c, double fallback, bool& ok) {
    ok = true;
    switch (c) {
      case Convert::VolumeToDb:
        if (unit == "decibel") return std::max(-144.0, v);
        if (v < 0) return ok = fail(n, "a linear volume of " + numberText(v) + " (below 0)"), fallback;
        if (!unit.empty() && unit != "linear") warn(n, "a volume in unit \"" + unit + "\" is read as linear gain");
        return gainDbOfLinear(v);
      case Convert::NormalizedToPan:
        if (unit == "percent") v /= 100.0;
        else if (!unit.empty() && unit != "normalized") warn(n, "a pan in unit \"" + unit + "\" is read as normalized (0..1)");
        if (!(v >= 0.0 && v <= 1.0)) return ok = fail(n, "pan " + numberText(v) + " is out of range (0 to 1, 0.5 centre)"), fallback;
        return panOfNormalized(v);
      case Convert::SecondsToMs:
        if (unit == "beats" || unit == "bpm") warn(n, "a time in unit \"" + unit + "\" is read as seconds");
        return std::isinf(v) ? fallback : v * 1000.0;
      case Convert::PercentToRatio:
        if (unit == "linear") return std::max(1.0, v);
        if (!(v >= 0.0)) return ok = fail(n, "ratio " + numberText(v) + " % is out of range (0 to 100)"), fallback;
        return ratioOfPercent(std::min(v, 100.0));
      case Convert::Negate: return -v;
      case Convert::Same: return v;
    }
    return v;
  }

  // Song beats of a time in a scope's unit.
  double songBeat(const Scope& s, double t) const { return s.seconds ? timeline_.beatOfSeconds(s.origin + t) : s.origin + t; }
  // Content time of a song beat in a scope.
  double contentTime(const Scope& s, double beat) const { return s.seconds ? timeline_.secondsOfBeat(beat) - s.origin : beat - s.origin; }
  bool unitIsSeconds(pugi::xml_node n, const char* attr, bool inherited) {
    const std::string u = n.attribute(attr).value();
    if (u.empty()) return inherited;
    if (u == "seconds") return true;
    if (u == "beats") return false;
    fail(n, std::string(attr) + "=\"" + u.substr(0, 40) + "\" is not beats or seconds");
    return inherited;
  }

  // [SECTION] Structure: tracks, channels, sends ---------------------------------------------------------
  void readTitle() {
    if (const ArchiveEntry* meta = archive_.find(kDawprojectMetadataEntry)) {
      pugi::xml_document md;
      if (md.load_buffer(meta->bytes.data(), meta->bytes.size())) {
        const std::string title = md.document_element().child("Title").text().get();
        if (!title.empty()) p().title = title.substr(0, 200);
      } else {
        warnPlain("metadata.xml is not XML; its title is not read");
      }
    }
    if (p().title == "Untitled" || p().title.empty()) {
      std::string base = name_;
      const auto slash = base.find_last_of("/\\");
      if (slash != std::string::npos) base = base.substr(slash + 1);
      const auto dot = base.rfind(".dawproject");
      p().title = dot != std::string::npos ? base.substr(0, dot) : base;
      if (p().title.empty()) p().title = "Untitled";
    }
  }

  // Mixdown's own additions (DawprojectShared.h); a damaged one is ignored with a warning.
  void readExtras() {
    const ArchiveEntry* e = archive_.find(kExtrasEntry);
    if (!e || e->bytes.size() > (16u << 20)) return;
    const nlohmann::json j = nlohmann::json::parse(e->bytes, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      warnPlain(std::string(kExtrasEntry) + " is not JSON; the loop region and curved automation are not read");
      return;
    }
    if (const auto loop = j.find("loop"); loop != j.end() && loop->is_object()) {
      const auto num = [&](const char* k, double& out) {
        if (const auto v = loop->find(k); v != loop->end() && v->is_number() && std::isfinite(v->get<double>())) out = v->get<double>();
      };
      LoopRegion r = p().loop;
      if (const auto en = loop->find("enabled"); en != loop->end() && en->is_boolean()) r.enabled = en->get<bool>();
      num("startBeat", r.startBeat);
      num("endBeat", r.endBeat);
      if (r.startBeat >= 0 && r.endBeat > r.startBeat && r.endBeat <= kMaxSongBeats) p().loop = r;
    }
    if (const auto curves = j.find("curves"); curves != j.end() && curves->is_object())
      for (const auto& [id, list] : curves->items()) {
        if (!list.is_array()) continue;
        for (const auto& pt : list)
          if (pt.is_array() && pt.size() == 2 && pt[0].is_number() && pt[1].is_number()) {
            const double tension = pt[1].get<double>();
            if (std::isfinite(tension) && tension >= -1 && tension <= 1) curves_[id][pt[0].get<double>()] = tension;
          }
      }
  }

  void indexIds(pugi::xml_node root) {
    for (pugi::xml_node n = root; n;) {
      if (n.type() == pugi::node_element)
        if (const char* id = n.attribute("id").value(); *id) ids_.emplace(id, n);
      if (n.first_child()) n = n.first_child();
      else {
        while (n && !n.next_sibling() && n != root) n = n.parent();
        if (!n || n == root) break;
        n = n.next_sibling();
      }
    }
  }

  bool readTransport(pugi::xml_node t) {
    if (!t) return true;
    if (const pugi::xml_node tempo = t.child("Tempo"); tempo) {
      if (!number(tempo, "value", p().tempo, false, 20, 999)) return false;
      if (const char* id = tempo.attribute("id").value(); *id) tempoId_ = id;
    }
    if (const pugi::xml_node sig = t.child("TimeSignature"); sig) {
      if (!integer(sig, "numerator", p().timeSignature.numerator, true, 1, 64)) return false;
      if (!integer(sig, "denominator", p().timeSignature.denominator, true, 1, 32)) return false;
      const int d = p().timeSignature.denominator;
      if (d != 1 && d != 2 && d != 4 && d != 8 && d != 16 && d != 32) return fail(sig, "denominator " + std::to_string(d) + " is not 1, 2, 4, 8, 16 or 32");
    }
    return true;
  }

  std::string freshTrackId(const std::string& name) {
    std::string base;
    for (char c : name) {
      const unsigned char u = static_cast<unsigned char>(c);
      if (std::isalnum(u)) base += static_cast<char>(std::tolower(u));
      else if (!base.empty() && base.back() != '-') base += '-';
      if (base.size() >= 24) break;
    }
    while (!base.empty() && base.back() == '-') base.pop_back();
    if (base.empty() || base == kMasterOutput) base = "track";
    std::string id = base;
    for (int n = 2; takenIds_.count(id); ++n) id = base + "-" + std::to_string(n);
    takenIds_.insert(id);
    return id;
  }

  struct PendingDevices {
    pugi::xml_node devices;
    int track;  // -1: the master
  };
  struct TrackInfo {
    pugi::xml_node channel;
    std::string destination;  // the Channel id it feeds ("" = its group's, or the master)
    int group = -1;           // the group track it sits in
    bool notes = false;       // contentType says notes
    bool instrumentDevice = false;
  };

  // A Track (or a bare Channel) of the Structure, and the tracks inside a group.
  bool readStructureNode(pugi::xml_node n, int group, int depth = 0) {
    if (n.type() != pugi::node_element) return true;
    if (depth > 64) return fail(n, "group tracks nested more than 64 deep");
    const bool isTrack = isElement(n, "Track");
    if (!isTrack && !isElement(n, "Channel")) return true;
    const pugi::xml_node channel = isTrack ? n.child("Channel") : n;
    const std::string contentType = isTrack ? n.attribute("contentType").value() : "";
    const std::string role = channel ? channel.attribute("role").value() : "";
    if (role == "master") {
      if (masterChannel_) {
        warn(channel, "a second master channel is read as a bus");
      } else {
        masterChannel_ = channel;
        if (const char* id = channel.attribute("id").value(); *id) channelTrack_[id] = -2;
        bool ok = true;
        p().master.gainDb = std::min(24.0, paramValue(channel.child("Volume"), Convert::VolumeToDb, 0.0, ok));
        if (!ok) return false;
        const double pan = paramValue(channel.child("Pan"), Convert::NormalizedToPan, 0.0, ok);
        if (!ok) return false;
        if (std::fabs(pan) > 1e-9) warn(channel.child("Pan"), "the master's pan is not read (Mixdown's master has none)");
        if (channel.child("Devices")) pendingDevices_.push_back({channel.child("Devices"), -1});
        if (const pugi::xml_node vol = channel.child("Volume"); vol && *vol.attribute("id").value())
          params_[vol.attribute("id").value()] = {-1, "master gain", Convert::VolumeToDb, vol.attribute("unit").value()};
        return true;
      }
    }
    if (role == "vca") {
      warn(channel, "VCA channels are not read (Mixdown has none)");
      return true;
    }
    if (p().tracks.size() >= kMaxTracks) return fail(n, "more than " + std::to_string(kMaxTracks) + " tracks");
    const bool groupTrack = isTrack && n.child("Track");
    Track t;
    t.name = n.attribute("name").value();
    if (t.name.empty() && channel) t.name = channel.attribute("name").value();
    if (t.name.empty()) t.name = "Track " + std::to_string(p().tracks.size() + 1);
    t.id = freshTrackId(t.name);
    const std::string color = n.attribute("color").value();
    if (color.size() == 7 && color[0] == '#' && std::all_of(color.begin() + 1, color.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); })) {
      t.color = color;
      for (char& c : t.color) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    TrackInfo info;
    info.channel = channel;
    info.group = group;
    info.notes = contentType.find("notes") != std::string::npos;
    t.kind = role == "effect" || role == "submix" || groupTrack || contentType == "tracks" ? TrackKind::Bus : info.notes ? TrackKind::Instrument : TrackKind::Audio;
    if (channel) {
      bool ok = true;
      t.strip.gainDb = paramValue(channel.child("Volume"), Convert::VolumeToDb, 0.0, ok);
      if (!ok) return false;
      if (t.strip.gainDb > 24.0) {
        warn(channel.child("Volume"), "a volume above +24 dB is held at +24 dB");
        t.strip.gainDb = 24.0;
      }
      t.strip.pan = paramValue(channel.child("Pan"), Convert::NormalizedToPan, 0.0, ok);
      if (!ok) return false;
      if (const pugi::xml_node mute = channel.child("Mute"); mute && !boolean(mute, "value", t.strip.mute)) return false;
      if (!boolean(channel, "solo", t.strip.solo)) return false;
      info.destination = channel.attribute("destination").value();
      const int index = static_cast<int>(p().tracks.size());
      if (const char* id = channel.attribute("id").value(); *id) channelTrack_[id] = index;
      if (const pugi::xml_node vol = channel.child("Volume"); vol && *vol.attribute("id").value())
        params_[vol.attribute("id").value()] = {index, "gain", Convert::VolumeToDb, vol.attribute("unit").value()};
      if (const pugi::xml_node pan = channel.child("Pan"); pan && *pan.attribute("id").value())
        params_[pan.attribute("id").value()] = {index, "pan", Convert::NormalizedToPan, pan.attribute("unit").value()};
      if (const pugi::xml_node devices = channel.child("Devices"); devices) {
        pendingDevices_.push_back({devices, index});
        for (pugi::xml_node d : devices.children())
          if (std::strcmp(d.attribute("deviceRole").value(), "instrument") == 0) info.instrumentDevice = true;
      }
    }
    if (isTrack)
      if (const char* id = n.attribute("id").value(); *id) {
        trackOfXmlTrack_[id] = static_cast<int>(p().tracks.size());
        // Our own id back from a file Mixdown wrote ("track-<id>"), where it is free.
        const std::string xid = id;
        if (xid.rfind(kTrackIdPrefix, 0) == 0 && xid.size() > std::strlen(kTrackIdPrefix) && xid.size() < 80) {
          const std::string ours = xid.substr(std::strlen(kTrackIdPrefix));
          if (ours != kMasterOutput && !takenIds_.count(ours)) {
            takenIds_.erase(t.id);
            t.id = ours;
            takenIds_.insert(ours);
          }
        }
      }
    if (info.instrumentDevice && t.kind == TrackKind::Audio) t.kind = TrackKind::Instrument;
    const int index = static_cast<int>(p().tracks.size());
    p().tracks.push_back(std::move(t));
    info_.push_back(info);
    if (isTrack)
      for (pugi::xml_node child : n.children("Track"))
        if (!readStructureNode(child, index, depth + 1)) return false;
    return true;
  }

  // Outputs and sends, now that every channel has its track.
  bool resolveRouting() {
    for (std::size_t i = 0; i < p().tracks.size(); ++i) {
      Track& t = p().tracks[i];
      const TrackInfo& info = info_[i];
      if (!info.destination.empty()) {
        const auto it = channelTrack_.find(info.destination);
        if (it == channelTrack_.end()) return fail(info.channel, "destination=\"" + info.destination + "\" names no channel of the file");
        if (it->second == -2) t.output = kMasterOutput;
        else if (p().tracks[static_cast<std::size_t>(it->second)].kind == TrackKind::Bus && it->second != static_cast<int>(i)) t.output = p().tracks[static_cast<std::size_t>(it->second)].id;
        else warn(info.channel, "an output to a channel that is not a bus or the master goes to the master");
      } else if (info.group >= 0) {
        t.output = p().tracks[static_cast<std::size_t>(info.group)].id;
      }
      if (!info.channel) continue;
      const pugi::xml_node sends = info.channel.child("Sends");
      for (pugi::xml_node s : sends.children("Send")) {
        bool enabled = true;
        if (const pugi::xml_node en = s.child("Enable"); en && !boolean(en, "value", enabled)) return false;
        const std::string dest = s.attribute("destination").value();
        const auto it = channelTrack_.find(dest);
        if (dest.empty() || it == channelTrack_.end()) {
          if (!dest.empty()) return fail(s, "destination=\"" + dest + "\" names no channel of the file");
          warn(s, "a send without a destination is skipped");
          continue;
        }
        if (it->second < 0 || p().tracks[static_cast<std::size_t>(it->second)].kind != TrackKind::Bus || it->second == static_cast<int>(i)) {
          warn(s, "a send to a channel that is not a bus (an effect or submix channel) is skipped");
          continue;
        }
        if (!enabled) {
          warn(s, "a disabled send is skipped");
          continue;
        }
        if (t.sends.size() >= kMaxSends) return fail(s, "more than " + std::to_string(kMaxSends) + " sends on one channel");
        SendState send;
        send.target = p().tracks[static_cast<std::size_t>(it->second)].id;
        bool ok = true;
        send.levelDb = paramValue(s.child("Volume"), Convert::VolumeToDb, 0.0, ok);
        if (!ok) return false;
        if (send.levelDb > 12.0) {
          warn(s.child("Volume"), "a send level above +12 dB is held at +12 dB");
          send.levelDb = 12.0;
        }
        const std::string type = s.attribute("type").value();
        send.preFader = type == "pre";
        if (!type.empty() && type != "pre" && type != "post") return fail(s, "type=\"" + type.substr(0, 40) + "\" is not pre or post");
        if (const pugi::xml_node pan = s.child("Pan"); pan) {
          const double sp = paramValue(pan, Convert::NormalizedToPan, 0.0, ok);
          if (!ok) return false;
          if (std::fabs(sp) > 1e-9) warn(pan, "a send's own pan is not read (Mixdown's sends keep the track's stereo image)");
        }
        t.sends.push_back(send);
      }
    }
    return true;
  }

  // [SECTION] Devices ------------------------------------------------------------------------------------
  bool readDevices(const PendingDevices& pd) {
    const bool master = pd.track < 0;
    Track* t = master ? nullptr : &p().tracks[static_cast<std::size_t>(pd.track)];
    std::vector<DeviceState>& chain = master ? p().master.devices : t->inserts;
    for (pugi::xml_node d : pd.devices.children()) {
      if (d.type() != pugi::node_element) continue;
      const std::string role = d.attribute("deviceRole").value();
      const std::string deviceName = d.attribute("deviceName").value();
      const std::string deviceId = d.attribute("deviceID").value();
      bool enabled = true;
      if (const pugi::xml_node en = d.child("Enabled"); en && !boolean(en, "value", enabled)) return false;
      DeviceState state;
      const bool exact = readMixdownState(d, state);
      if (!out_.error.empty()) return false;
      if (role == "instrument") {
        if (master || t->kind == TrackKind::Bus) {
          warn(d, "an instrument on a bus or the master is not read");
          continue;
        }
        if (t->instrument) {
          warn(d, "a second instrument on a track is not read");
          continue;
        }
        if (exact && findDevice(state.type) && findDevice(state.type)->kind == DeviceKind::Instrument) {
          t->instrument = state;
        } else {
          warn(d, std::string("the instrument \"") + deviceName + "\" (" + d.name() + (deviceId.empty() ? "" : " " + deviceId) +
                      ") cannot play in Mixdown: the track plays the Poly Synth instead");
          t->instrument = defaultInstrument();
        }
        t->kind = TrackKind::Instrument;
        continue;
      }
      if (role == "noteFX" || role == "analyzer") {
        warn(d, "the " + role + " device \"" + deviceName + "\" is not read (Mixdown has no " + (role == "noteFX" ? "note effects" : "analyzers") + " in a chain)");
        continue;
      }
      const std::size_t limit = master ? kMaxMasterDevices : kMaxInserts;
      if (chain.size() >= limit) {
        warn(d, "more devices than Mixdown's " + std::to_string(limit) + " in a chain: the rest are not read");
        break;
      }
      const std::size_t k = chain.size();
      if (!exact) {
        if (!mapBuiltin(d, state, pd.track, k)) {
          if (!out_.error.empty()) return false;
          state = DeviceState();
          state.type = "mixdown.utility";
          state.bypass = true;
          warn(d, std::string("\"") + (deviceName.empty() ? d.name() : deviceName) + "\" (" + d.name() + (deviceId.empty() ? "" : " " + deviceId) +
                      ") cannot run in Mixdown: kept as a bypassed Utility in its place");
          chain.push_back(state);
          continue;
        }
      } else {
        registerMixdownParams(d, state, pd.track, k);
      }
      if (!enabled) state.bypass = true;
      chain.push_back(std::move(state));
    }
    if (t) assignDeviceIds(*t);
    return true;
  }

  static DeviceState defaultInstrument() {
    DeviceState d;
    d.type = "mixdown.polysynth";
    return d;
  }

  // A device Mixdown wrote: its State file (our device JSON). False when it is not one of ours (or its
  // state cannot be read: then it is mapped like another DAW's, with a warning).
  bool readMixdownState(pugi::xml_node d, DeviceState& out) {
    const std::string deviceId = d.attribute("deviceID").value();
    if (deviceId.rfind("mixdown.", 0) != 0) return false;
    const std::string path = d.child("State").attribute("path").value();
    const ArchiveEntry* e = path.empty() ? nullptr : archive_.find(path);
    if (!e) return false;
    if (e->bytes.size() > (4u << 20)) {
      warn(d.child("State"), "the device state " + path + " is larger than 4 MB; read as a generic device");
      return false;
    }
    const nlohmann::json j = nlohmann::json::parse(e->bytes, nullptr, false);
    std::vector<ProjectIssue> issues;
    DeviceState state;
    if (j.is_discarded() || !j.is_object()) issues.push_back({path, "not JSON"});
    else readDeviceJson(j, path, state, issues);
    if (issues.empty() && state.type != deviceId) issues.push_back({path, "is a " + state.type + ", not the " + deviceId + " the element names"});
    if (issues.empty() && !findDevice(state.type)) issues.push_back({path, "unknown device \"" + state.type + "\""});
    if (!issues.empty()) {
      warn(d.child("State"), "the Mixdown device state cannot be read (" + issues.front().text() + "); read as a generic device");
      return false;
    }
    state.id.clear();
    if (!state.zones.empty() && !readZoneFiles(d.child("State"), j, path, state)) return false;
    out = std::move(state);
    return true;
  }

  // A sampler's zones onto assets of the zip's audio (kZoneFilesKey names each zone asset's entry): one
  // asset per entry, shared with clips of the same file. A zone whose audio is not in the zip is left out
  // with a warning, as a clip's is. False after a refusal (too many audio files).
  bool readZoneFiles(pugi::xml_node where, const nlohmann::json& j, const std::string& path, DeviceState& state) {
    const nlohmann::json* files = j.contains(kZoneFilesKey) && j[kZoneFilesKey].is_object() ? &j[kZoneFilesKey] : nullptr;
    std::map<std::string, std::string> assetOfOurs;  // the state's asset id -> ours
    std::vector<SampleZone> kept;
    std::size_t lost = 0;
    std::string firstLost;
    for (SampleZone& z : state.zones) {
      if (!assetOfOurs.count(z.asset)) {
        std::string id;
        const nlohmann::json* f = files && files->contains(z.asset) ? &(*files)[z.asset] : nullptr;
        const std::string file = f && f->is_object() && f->contains("file") && (*f)["file"].is_string() ? (*f)["file"].get<std::string>() : "";
        if (const auto known = assetOfPath_.find(file); !file.empty() && known != assetOfPath_.end()) {
          id = known->second;
        } else if (!file.empty() && archive_.find(file)) {
          const auto num = [&](const char* key, double fallback, double lo, double hi) {
            const double v = f->contains(key) && (*f)[key].is_number() ? (*f)[key].get<double>() : fallback;
            return std::isfinite(v) && v >= lo && v <= hi ? v : fallback;
          };
          const double rate = num("sampleRate", 48000.0, 1, 1e7);
          const int channels = static_cast<int>(num("channels", 2, 1, 64));
          const auto frames = static_cast<std::int64_t>(num("frames", 0, 0, 86400.0 * 1e7));
          id = addAsset(where, file, rate, channels, frames);
          if (!out_.error.empty()) return false;
        }
        assetOfOurs[z.asset] = id;
      }
      const std::string& id = assetOfOurs[z.asset];
      if (id.empty()) {
        if (lost++ == 0) firstLost = z.asset;
        continue;
      }
      z.asset = id;
      kept.push_back(std::move(z));
    }
    if (lost > 0)
      warn(where, path + ": " + std::to_string(lost) + " sampler zone(s) play audio that is not in the zip (the first asset \"" + firstLost.substr(0, 200) +
                      "\"): left out");
    state.zones = std::move(kept);
    return true;
  }

  void registerMixdownParams(pugi::xml_node d, const DeviceState& state, int track, std::size_t k) {
    const DeviceDescriptor* desc = findDevice(state.type);
    for (pugi::xml_node rp : d.child("Parameters").children("RealParameter")) {
      const char* id = rp.attribute("id").value();
      const std::string param = rp.attribute("name").value();
      const ParamDescriptor* pd = desc ? desc->findParam(param) : nullptr;
      if (!*id || !pd) continue;
      params_[id] = {track, insertTarget(k, param), Convert::Same, rp.attribute("unit").value(), unitOf(pd->unit).scale};
    }
  }

  void mapParam(pugi::xml_node n, int track, std::size_t k, const std::string& param, Convert c) {
    if (const char* id = n.attribute("id").value(); *id && n) params_[id] = {track, insertTarget(k, param), c, n.attribute("unit").value()};
  }

  // A parameter of a built-in device into `state`, converted, held to our range with a warning.
  bool setParam(DeviceState& state, pugi::xml_node n, const char* param, Convert c, int track, std::size_t k) {
    if (!n) return true;
    bool ok = true;
    const ParamDescriptor* pd = findDevice(state.type)->findParam(param);
    double v = paramValue(n, c, pd->defaultValue, ok);
    if (!ok) return false;
    if (v < pd->min || v > pd->max) {
      warn(n, std::string("the ") + pd->name + " " + numberText(v) + " " + pd->unit + " is beyond Mixdown's " + numberText(pd->min) + " to " +
                  numberText(pd->max) + " " + pd->unit + ": held there");
      v = std::clamp(v, pd->min, pd->max);
    }
    state.params[param] = v;
    mapParam(n, track, k, param, c);
    return true;
  }

  // Equalizer, Compressor, NoiseGate and Limiter as ours. False for anything else (or a refusal).
  bool mapBuiltin(pugi::xml_node d, DeviceState& state, int track, std::size_t k) {
    const std::string el = d.name();
    if (el == "Equalizer") {
      state.type = "mixdown.eq";
      int position = 0;
      std::set<int> used;
      double gainDb = 0.0;
      bool ok = true;
      for (pugi::xml_node band : d.children("Band")) {
        int b = position++;
        if (band.attribute("order")) {
          if (!integer(band, "order", b, true, 0, 1 << 20)) return false;
        }
        if (b >= 8 || used.count(b)) {
          b = 0;
          while (b < 8 && used.count(b)) ++b;
        }
        if (b >= 8) {
          warn(band, "more than 8 bands: Mixdown's EQ has 8, the rest are not read");
          break;
        }
        used.insert(b);
        const std::string type = band.attribute("type").value();
        static const std::map<std::string, int> types = {{"bell", 1}, {"lowShelf", 2}, {"highShelf", 3}, {"highPass", 4}, {"lowPass", 7}, {"notch", 10}, {"bandPass", 11}};
        const auto it = types.find(type);
        if (it == types.end()) return fail(band, "type=\"" + type.substr(0, 40) + "\" is not an EQ band type (bell, lowShelf, highShelf, highPass, lowPass, notch, bandPass)");
        const std::string n = std::to_string(b + 1);
        state.params["type" + n] = it->second;
        if (!band.child("Freq")) return fail(band, "the band has no <Freq>");
        if (!setParam(state, band.child("Freq"), ("freq" + n).c_str(), Convert::Same, track, k)) return false;
        if (!setParam(state, band.child("Gain"), ("gain" + n).c_str(), Convert::Same, track, k)) return false;
        if (!setParam(state, band.child("Q"), ("q" + n).c_str(), Convert::Same, track, k)) return false;
        bool on = true;
        if (const pugi::xml_node en = band.child("Enabled"); en && !boolean(en, "value", on)) return false;
        state.params["bypass" + n] = on ? 0.0 : 1.0;
      }
      // The EQ is linear: gain before it or after it is the same, so the two add into our output.
      gainDb += paramValue(d.child("InputGain"), Convert::Same, 0.0, ok);
      if (!ok) return false;
      gainDb += paramValue(d.child("OutputGain"), Convert::Same, 0.0, ok);
      if (!ok) return false;
      if (std::fabs(gainDb) > 24) warn(d, "an EQ gain of " + numberText(gainDb) + " dB is held at 24 dB");
      state.params["output"] = std::clamp(gainDb, -24.0, 24.0);
      mapParam(d.child("OutputGain"), track, k, "output", Convert::Same);
      return true;
    }
    if (el == "Compressor") {
      state.type = "mixdown.compressor";
      bool ok = true;
      if (!setParam(state, d.child("Threshold"), "threshold", Convert::Same, track, k)) return false;
      if (!setParam(state, d.child("Ratio"), "ratio", Convert::PercentToRatio, track, k)) return false;
      if (!setParam(state, d.child("Attack"), "attack", Convert::SecondsToMs, track, k)) return false;
      if (!setParam(state, d.child("Release"), "release", Convert::SecondsToMs, track, k)) return false;
      // A compressor's curve moves with its input: gain g dB before it is the threshold g dB lower and g dB
      // more after it. So input and output gain fold into our threshold and makeup.
      const double in = paramValue(d.child("InputGain"), Convert::Same, 0.0, ok);
      if (!ok) return false;
      const double outGain = paramValue(d.child("OutputGain"), Convert::Same, 0.0, ok);
      if (!ok) return false;
      const ParamDescriptor* th = findDevice(state.type)->findParam("threshold");
      const double threshold = state.value("threshold", th->defaultValue) - in;
      const double makeup = in + outGain;
      if (threshold < th->min || threshold > th->max || makeup < 0 || makeup > 24)
        warn(d, "the input and output gain do not fit Mixdown's threshold (-60..0 dB) and makeup (0..24 dB): held there");
      state.params["threshold"] = std::clamp(threshold, th->min, th->max);
      state.params["makeup"] = std::clamp(makeup, 0.0, 24.0);
      if (in == 0.0) mapParam(d.child("OutputGain"), track, k, "makeup", Convert::Same);
      bool autoMakeup = false;
      if (const pugi::xml_node am = d.child("AutoMakeup"); am && !boolean(am, "value", autoMakeup)) return false;
      if (autoMakeup) warn(d.child("AutoMakeup"), "auto makeup is not in Mixdown's compressor: the makeup is as given");
      return true;
    }
    if (el == "NoiseGate") {
      state.type = "mixdown.gate";
      if (!setParam(state, d.child("Threshold"), "threshold", Convert::Same, track, k)) return false;
      if (!setParam(state, d.child("Ratio"), "ratio", Convert::PercentToRatio, track, k)) return false;
      if (!setParam(state, d.child("Attack"), "attack", Convert::SecondsToMs, track, k)) return false;
      if (!setParam(state, d.child("Release"), "release", Convert::SecondsToMs, track, k)) return false;
      if (const pugi::xml_node range = d.child("Range"); range) {
        bool ok = true;
        double v = paramValue(range, Convert::Negate, 40.0, ok);
        if (!ok) return false;
        if (std::isinf(v) || v > 80) v = 80;  // -inf dB: as far down as ours goes (80 dB)
        if (v < 0) return fail(range, "a gate range above 0 dB (" + numberText(-v) + ")");
        state.params["range"] = v;
        mapParam(range, track, k, "range", Convert::Negate);
      }
      return true;
    }
    if (el == "Limiter") {
      state.type = "mixdown.limiter";
      if (!setParam(state, d.child("Threshold"), "ceiling", Convert::Same, track, k)) return false;
      if (!setParam(state, d.child("InputGain"), "gain", Convert::Same, track, k)) return false;
      if (!setParam(state, d.child("Attack"), "lookahead", Convert::SecondsToMs, track, k)) return false;
      if (!setParam(state, d.child("Release"), "release", Convert::SecondsToMs, track, k)) return false;
      if (d.child("Release")) state.params["autoRelease"] = 0.0;  // a release given is the release used
      bool ok = true;
      const double outGain = paramValue(d.child("OutputGain"), Convert::Same, 0.0, ok);
      if (!ok) return false;
      if (outGain != 0.0) warn(d.child("OutputGain"), "the limiter's output gain is not in Mixdown's limiter (its ceiling is the output level)");
      return true;
    }
    return false;
  }

  // [SECTION] Tempo and signatures ------------------------------------------------------------------------
  bool readTempoAutomation(pugi::xml_node arr) {
    if (!arr) return true;
    // Their parent is the Arrangement, which has no time unit of its own (the Lanes' is the lanes'): beats
    // unless they say.
    const bool arrSeconds = false;
    if (const pugi::xml_node tempo = arr.child("TempoAutomation"); tempo) {
      const bool seconds = unitIsSeconds(tempo, "timeUnit", arrSeconds);
      struct P {
        double time, bpm;
        bool linear;
        pugi::xml_node node;
      };
      std::vector<P> points;
      for (pugi::xml_node rp : tempo.children("RealPoint")) {
        P pt{0, 0, false, rp};
        if (!number(rp, "time", pt.time, true, -INFINITY, INFINITY)) return false;
        if (!number(rp, "value", pt.bpm, true, 20, 999)) return false;
        pt.linear = std::strcmp(rp.attribute("interpolation").value(), "linear") == 0;
        points.push_back(pt);
        if (points.size() > 10000) return fail(rp, "more than 10000 tempo points");
      }
      std::stable_sort(points.begin(), points.end(), [](const P& a, const P& b) { return a.time < b.time; });
      double beat = 0.0, time = 0.0, bpm = p().tempo;
      bool rampNext = false;
      for (std::size_t i = 0; i < points.size(); ++i) {
        const P& pt = points[i];
        if (pt.time <= 0.0) {
          p().tempo = bpm = pt.bpm;
          rampNext = pt.linear;
          continue;
        }
        // Beats up to this point: the time itself, or seconds through the segment before.
        const double dt = pt.time - time;
        beat = seconds ? beat + dt * (rampNext ? (bpm + pt.bpm) / 2.0 : bpm) / 60.0 : pt.time;
        if (seconds && rampNext) warn(pt.node, "a tempo ramp timed in seconds becomes a ramp in beats (the same beat at its end; the curve between differs)");
        time = pt.time;
        if (!p().tempoChanges.empty() && beat <= p().tempoChanges.back().beat + 1e-12) {
          warn(pt.node, "a tempo point at the time of the one before it replaces it");
          p().tempoChanges.back().bpm = pt.bpm;
        } else if (beat > kMaxSongBeats) {
          return fail(pt.node, "a tempo point past beat " + numberText(kMaxSongBeats));
        } else {
          p().tempoChanges.push_back({beat, pt.bpm, rampNext ? TempoShape::Linear : TempoShape::Step});
        }
        bpm = pt.bpm;
        rampNext = pt.linear;
      }
      // A step to the tempo it already has is no change.
      std::vector<TempoPoint> kept;
      double prev = p().tempo;
      for (const TempoPoint& tp : p().tempoChanges) {
        if (tp.shape == TempoShape::Step && tp.bpm == prev) continue;
        kept.push_back(tp);
        prev = tp.bpm;
      }
      p().tempoChanges = kept;
    }
    if (const pugi::xml_node sig = arr.child("TimeSignatureAutomation"); sig) {
      const bool seconds = unitIsSeconds(sig, "timeUnit", arrSeconds);
      const Timeline tempoOnly(p(), 48000.0);
      int bar = 1;
      double barBeat = 0.0, beatsPerBar = p().timeSignature.numerator * 4.0 / p().timeSignature.denominator;
      for (pugi::xml_node tp : sig.children("TimeSignaturePoint")) {
        double time = 0.0;
        int num = 4, den = 4;
        if (!number(tp, "time", time, true, -INFINITY, INFINITY)) return false;
        if (!integer(tp, "numerator", num, true, 1, 64) || !integer(tp, "denominator", den, true, 1, 32)) return false;
        if (den != 1 && den != 2 && den != 4 && den != 8 && den != 16 && den != 32) return fail(tp, "denominator " + std::to_string(den) + " is not 1, 2, 4, 8, 16 or 32");
        const double beat = seconds ? tempoOnly.beatOfSeconds(time) : time;
        if (beat <= 1e-9) {
          p().timeSignature = {num, den};
          beatsPerBar = num * 4.0 / den;
          continue;
        }
        if (beat < barBeat) return fail(tp, "time signature points out of order");
        double bars = (beat - barBeat) / beatsPerBar;
        if (std::fabs(bars - std::round(bars)) > 1e-6) {
          warn(tp, "a time signature change that does not fall on a bar line moves to the next bar");
          bars = std::ceil(bars);
        } else {
          bars = std::round(bars);
        }
        if (bars < 1) {
          if (!p().signatureChanges.empty()) p().signatureChanges.back() = {p().signatureChanges.back().bar, num, den};
          else p().timeSignature = {num, den};
          beatsPerBar = num * 4.0 / den;
          continue;
        }
        if (bar + bars > 1e6) return fail(tp, "a time signature change past bar 1000000");
        bar += static_cast<int>(bars);
        barBeat += bars * beatsPerBar;
        beatsPerBar = num * 4.0 / den;
        p().signatureChanges.push_back({bar, num, den});
      }
    }
    return true;
  }

  // [SECTION] Clips (scopes in beats or seconds, nested clips, warps) ----------------------------------------
  struct PlacedClip {
    Clip clip;
    bool audio = false;
    pugi::xml_node node;
  };

  // A Lanes timeline (the arrangement's or one inside it): its tracks' clips and automation.
  bool readLanes(pugi::xml_node lanes, int track, bool seconds) {
    if (++depth_ > 32) return fail(lanes, "lanes nested more than 32 deep");
    seconds = unitIsSeconds(lanes, "timeUnit", seconds);
    if (!out_.error.empty()) return false;
    track = trackOf(lanes, track);
    if (!out_.error.empty()) return false;
    for (pugi::xml_node n : lanes.children()) {
      if (n.type() != pugi::node_element) continue;
      const std::string el = n.name();
      const bool s = unitIsSeconds(n, "timeUnit", seconds);
      const int t = trackOf(n, track);
      if (!out_.error.empty()) return false;
      if (el == "Lanes") {
        if (!readLanes(n, track, seconds)) return false;
      } else if (el == "Clips") {
        if (t < 0) {
          if (n.child("Clip")) warn(n, "clips on no track are not read");
          continue;
        }
        Scope scope;
        scope.seconds = s;
        for (pugi::xml_node c : n.children("Clip"))
          if (!readClip(c, t, scope, 0)) return false;
      } else if (el == "Points") {
        if (!readPoints(n, t, s)) return false;
      } else if (el == "Markers" || el == "markers") {
        warn(n, "markers are not read");
      } else {
        warn(n, "a <" + el + "> timeline directly on a track lane is not read (Mixdown reads clips and automation)");
      }
    }
    --depth_;
    return true;
  }

  // The track a timeline belongs to (its track="..." attribute, or the enclosing one).
  int trackOf(pugi::xml_node n, int inherited) {
    const std::string ref = n.attribute("track").value();
    if (ref.empty()) return inherited;
    const auto it = trackOfXmlTrack_.find(ref);
    if (it != trackOfXmlTrack_.end()) return it->second;
    const auto ch = channelTrack_.find(ref);
    if (ch != channelTrack_.end() && ch->second >= 0) return ch->second;
    if (ch != channelTrack_.end() || ids_.count(ref)) {
      warn(n, "a timeline of the master track is not read");
      return -1;
    }
    fail(n, "track=\"" + ref.substr(0, 40) + "\" names no track of the file");
    return -1;
  }

  struct ClipShape {
    double start, cutStart, cutEnd;  // song beats: the clip's own start, the part of it that plays
    double playStart;                // content time at `start`
    bool looped;
    double loopStart, loopEnd;       // content time
    bool muted;
    std::string name;
  };

  // A Clip in `parent` (song placement of its parent timeline's time). Produces our clips into the track.
  bool readClip(pugi::xml_node c, int track, const Scope& parent, std::size_t depth, const std::string& outerName = "", bool outerMuted = false) {
    if (depth > kMaxClipDepth) return fail(c, "clips nested more than " + std::to_string(kMaxClipDepth) + " deep");
    // Clips that refer to timelines holding clips (alias clips) could multiply at every level: a budget.
    if (++clipsRead_ > kMaxClipsRead) return fail(c, "more than " + std::to_string(kMaxClipsRead) + " clips to read (clips referring to clips?)");
    double time = 0, duration = NAN, playStart = 0, playStop = NAN, loopStart = NAN, loopEnd = NAN;
    if (!number(c, "time", time, true)) return false;
    if (!number(c, "duration", duration, false, 0, INFINITY)) return false;
    if (!number(c, "playStart", playStart, false)) return false;
    if (!number(c, "playStop", playStop, false)) return false;
    if (!number(c, "loopStart", loopStart, false)) return false;
    if (!number(c, "loopEnd", loopEnd, false)) return false;
    bool enabled = true;
    if (!boolean(c, "enable", enabled)) return false;
    const bool contentSeconds = unitIsSeconds(c, "contentTimeUnit", parent.seconds);
    if (!out_.error.empty()) return false;
    double fadeIn = 0, fadeOut = 0;
    if (!number(c, "fadeInTime", fadeIn, false) || !number(c, "fadeOutTime", fadeOut, false)) return false;
    if (fadeIn != 0 || fadeOut != 0) warn(c, "clip fades are not read (Mixdown's clips start and end where they are cut)");
    if (std::isnan(duration)) {
      if (std::isnan(playStop)) return fail(c, "a clip with neither duration nor playStop");
      if (contentSeconds == parent.seconds) duration = playStop - playStart;
      else {
        // Content time elapsing in another unit than the parent's: through the song's time.
        const double s0 = songBeat(parent, time);
        Scope local{contentSeconds, 0, -INFINITY, INFINITY};
        local.origin = contentSeconds ? timeline_.secondsOfBeat(s0) - playStart : s0 - playStart;
        duration = contentTime(parent, songBeat(local, playStop)) - time;
      }
      if (!(duration >= 0)) return fail(c, "playStop is before playStart");
    }
    double start = songBeat(parent, time), end = songBeat(parent, time + duration);
    if (!(end >= start) || start > kMaxSongBeats || end > kMaxSongBeats || start < -kMaxSongBeats)
      return fail(c, "the clip lies outside the song (beat " + numberText(start) + " to " + numberText(end) + "; Mixdown's songs end at beat " + numberText(kMaxSongBeats) + ")");
    // The clip's own content scope: content time `playStart` at song beat `start`.
    Scope scope;
    scope.seconds = contentSeconds;
    scope.origin = contentSeconds ? timeline_.secondsOfBeat(start) - playStart : start - playStart;
    // playStop cuts the clip where the content stops (unlooped).
    const bool looped = !std::isnan(loopStart) && !std::isnan(loopEnd) && loopEnd > loopStart;
    if (!looped && !std::isnan(playStop)) end = std::min(end, songBeat(scope, playStop));
    // The parent's window (a clip inside a clip shows only what its parent plays).
    const double cutStart = std::max(start, parent.start), cutEnd = std::min(end, parent.end);
    if (!(cutEnd > cutStart)) return true;
    scope.start = cutStart;
    scope.end = cutEnd;

    pugi::xml_node content;
    if (const char* ref = c.attribute("reference").value(); *ref) {
      const auto it = ids_.find(ref);
      if (it == ids_.end()) return fail(c, std::string("reference=\"") + ref + "\" names nothing in the file");
      content = it->second;
    } else {
      for (pugi::xml_node n : c.children())
        if (n.type() == pugi::node_element) {
          content = n;
          break;
        }
    }
    if (!content) return true;  // an empty clip: nothing sounds
    // A clip inside a clip (Bitwig's audio events) is named after the outer one when it has no name.
    ClipShape shape{start, cutStart, cutEnd, playStart, looped, loopStart, loopEnd, !enabled || outerMuted, *c.attribute("name").value() ? c.attribute("name").value() : outerName};
    return readContent(content, c, track, scope, shape, depth);
  }


  bool readContent(pugi::xml_node content, pugi::xml_node clipNode, int track, const Scope& scope, const ClipShape& shape, std::size_t depth) {
    if (depth > 4 * kMaxClipDepth) return fail(content, "timelines nested more than " + std::to_string(4 * kMaxClipDepth) + " deep inside a clip");
    const std::string el = content.name();
    if (el == "Notes") return readNotesClip(content, clipNode, track, scope, shape);
    if (el == "Audio") return readAudioClip(content, clipNode, track, scope, shape, nullptr);
    if (el == "Warps") return readWarps(content, clipNode, track, scope, shape);
    if (el == "Lanes") {
      bool any = false;
      for (pugi::xml_node n : content.children()) {
        if (n.type() != pugi::node_element) continue;
        if (std::strcmp(n.name(), "Points") == 0) {
          warn(n, "automation inside a clip is not read");
          continue;
        }
        if (!readContent(n, clipNode, track, scope, shape, depth + 1)) return false;
        any = true;
      }
      (void)any;
      return true;
    }
    if (el == "Clips") {
      if (shape.looped) {
        const double window = contentTime(scope, shape.cutEnd) - contentTime(scope, shape.cutStart);
        if (shape.loopEnd - shape.loopStart < window - 1e-9 || shape.playStart < shape.loopStart - 1e-9)
          warn(clipNode, "a looped clip of clips plays its content once (its loop is not repeated)");
      }
      const bool inner = unitIsSeconds(content, "timeUnit", scope.seconds);
      Scope s = scope;
      if (inner != scope.seconds) {
        // The same origin on the song, counted in the other unit.
        const double originBeat = scope.seconds ? timeline_.beatOfSeconds(scope.origin) : scope.origin;
        s.seconds = inner;
        s.origin = inner ? timeline_.secondsOfBeat(originBeat) : originBeat;
      }
      for (pugi::xml_node c : content.children("Clip"))
        if (!readClip(c, track, s, depth + 1, shape.name, shape.muted)) return false;
      return true;
    }
    warn(content, "a <" + el + "> inside a clip is not read (Mixdown's clips hold notes or audio)");
    return true;
  }

  // Our clip's song placement and content offset from a shape (content in beats: `toBeats` maps content
  // time to our content beats).
  Clip baseClip(const ClipShape& shape) {
    Clip c;
    c.name = shape.name.substr(0, 200);
    c.start = shape.cutStart;
    c.length = shape.cutEnd - shape.cutStart;
    c.muted = shape.muted;
    return c;
  }

  bool addClip(int track, Clip clip, bool audio, pugi::xml_node node) {
    auto& list = placed_[track];
    if (list.size() >= kMaxClipsPerTrack) return fail(node, "more than " + std::to_string(kMaxClipsPerTrack) + " clips on one track");
    if (!(clip.length > 0)) return true;
    list.push_back({std::move(clip), audio, node});
    return true;
  }

  bool readNotesClip(pugi::xml_node notes, pugi::xml_node clipNode, int track, const Scope& scope, const ClipShape& shape) {
    Clip c = baseClip(shape);
    const bool seconds = unitIsSeconds(notes, "timeUnit", scope.seconds);
    if (!out_.error.empty()) return false;
    if (!seconds && !scope.seconds) {
      // Content in beats, as our clips have it: the offset and loop as they are.
      c.offset = shape.playStart + (shape.cutStart - shape.start);
      if (shape.looped) {
        c.looped = true;
        c.loopStart = shape.loopStart;
        c.loopEnd = shape.loopEnd;
        c.offset = shape.playStart;
        if (shape.cutStart > shape.start) {
          // Cut by a parent: start the content where the loop has got to.
          double at = shape.playStart + (shape.cutStart - shape.start);
          const double len = c.loopEnd - c.loopStart;
          if (at >= c.loopEnd) at = c.loopStart + std::fmod(at - c.loopStart, len);
          c.offset = at;
        }
      }
    } else if (shape.looped) {
      warn(clipNode, "a looped notes clip timed in seconds plays its content once");
    }
    for (pugi::xml_node n : notes.children("Note")) {
      Note note;
      double t = 0, dur = 0, vel = 0.8;
      if (!number(n, "time", t, true) || !number(n, "duration", dur, true, 0, INFINITY)) return false;
      if (!integer(n, "key", note.pitch, true, 0, 127)) return false;
      if (!number(n, "vel", vel, false, 0, 1)) return false;
      if (n.first_child()) warn(n, "per-note expressions are not read");
      note.velocity = vel;
      if (!seconds && !scope.seconds) {
        note.start = t;
        note.length = dur;
      } else {
        // Content seconds (or a seconds scope) to our content beats, counted from the clip's start.
        Scope ns = scope;
        if (seconds != scope.seconds) {
          const double originBeat = scope.seconds ? timeline_.beatOfSeconds(scope.origin) : scope.origin;
          ns.seconds = seconds;
          ns.origin = seconds ? timeline_.secondsOfBeat(originBeat) : originBeat;
        }
        const double a = songBeat(ns, t), b = songBeat(ns, t + dur);
        note.start = a - shape.cutStart;
        note.length = b - a;
      }
      if (!(note.length > 0)) {
        warn(n, "a note of zero length is skipped");
        continue;
      }
      if (std::fabs(note.start) > kMaxSongBeats || note.length > kMaxSongBeats) return fail(n, "a note outside the song's " + numberText(kMaxSongBeats) + " beats");
      if (c.notes.size() >= kMaxNotesPerClip) return fail(n, "more than " + std::to_string(kMaxNotesPerClip) + " notes in one clip");
      c.notes.push_back(note);
    }
    if (c.offset < 0 || std::any_of(c.notes.begin(), c.notes.end(), [](const Note& n) { return n.start < 0; })) {
      // Our clips play content from beat 0 on: move what comes before into view.
      double first = c.offset;
      for (const Note& n : c.notes) first = std::min(first, n.start);
      if (first < 0) {
        if (c.looped) {
          warn(clipNode, "a looped clip whose content starts before 0 plays unlooped");
          c.looped = false;
        }
        for (Note& n : c.notes) n.start -= first;
        c.offset -= first;
      }
    }
    return addClip(track, std::move(c), false, clipNode);
  }

  // The asset of an Audio element's file (one per path), or "" after a warning or refusal.
  std::string assetOf(pugi::xml_node audio) {
    const pugi::xml_node file = audio.child("File");
    const std::string path = file.attribute("path").value();
    if (path.empty()) {
      fail(audio, "the audio has no <File path=...>");
      return "";
    }
    bool external = false;
    if (!boolean(file, "external", external)) return "";
    if (external) {
      warn(file, "an audio file outside the DAWproject (external=\"true\") is not read: its clip is skipped");
      return "";
    }
    const auto known = assetOfPath_.find(path);
    if (known != assetOfPath_.end()) return known->second;
    if (!archive_.find(path)) {
      // A file that lost its audio still opens: the clip is left out, as a DAW shows it offline.
      warn(file, "the audio file \"" + path.substr(0, 200) + "\" is not in the zip: its clip is skipped");
      return "";
    }
    double rate = 0, duration = 0;
    int channels = 2;
    if (!number(audio, "sampleRate", rate, false, 1, 1e7) || !number(audio, "duration", duration, false, 0, 86400) || !integer(audio, "channels", channels, false, 1, 64))
      return "";
    const double assetRate = rate > 0 ? rate : 48000.0;
    return addAsset(audio, path, assetRate, channels, static_cast<std::int64_t>(std::llround(duration * assetRate)));
  }

  // A new asset of the zip entry `path` (which the archive holds): its rate (Hz), channels and length
  // (frames) as the file's XML or state says, unless the host's facts about the file say otherwise.
  // "" after a refusal (at `where`).
  std::string addAsset(pugi::xml_node where, const std::string& path, double rate, int channels, std::int64_t frames) {
    if (p().assets.size() >= kMaxAssets) {
      fail(where, "more than " + std::to_string(kMaxAssets) + " audio files");
      return "";
    }
    Asset a;
    const auto f = facts_.find(path);
    a.id = f != facts_.end() && !f->second.assetId.empty() ? f->second.assetId : "audio" + std::to_string(p().assets.size() + 1);
    for (int n = 2; std::any_of(p().assets.begin(), p().assets.end(), [&](const Asset& o) { return o.id == a.id; }); ++n) a.id = "audio" + std::to_string(p().assets.size() + n);
    const auto slash = path.find_last_of('/');
    a.name = slash == std::string::npos ? path : path.substr(slash + 1);
    a.path = path;
    a.sampleRate = rate;
    a.channels = std::clamp(channels, 1, 2);
    a.frames = frames;
    if (f != facts_.end()) {
      if (f->second.sampleRate > 0) a.sampleRate = f->second.sampleRate;
      if (f->second.channels > 0) a.channels = f->second.channels;
      if (f->second.frames > 0) a.frames = f->second.frames;
      a.sha256 = f->second.sha256;
    }
    p().assets.push_back(a);
    out_.audioEntries[a.id] = path;
    assetOfPath_[path] = a.id;
    return a.id;
  }

  // A piecewise-linear map from a Warps' outer time to its content time (seconds of the file).
  struct WarpMap {
    std::vector<std::pair<double, double>> points;  // (time, contentTime), by time
    double at(double t) const {
      if (points.size() < 2) return t;
      std::size_t k = 1;
      while (k + 1 < points.size() && points[k].first < t) ++k;
      const auto& a = points[k - 1];
      const auto& b = points[k];
      const double span = b.first - a.first;
      return span > 0 ? a.second + (t - a.first) * (b.second - a.second) / span : a.second;
    }
  };

  // An audio clip: our clip plays the file unstretched, content second s at song second
  // sec(start - offset) + s. `warp` (when the Audio sits in Warps) maps the clip's content time to the
  // file's seconds.
  bool readAudioClip(pugi::xml_node audio, pugi::xml_node clipNode, int track, const Scope& scope, const ClipShape& shape, const WarpMap* warp) {
    const std::string asset = assetOf(audio);
    if (asset.empty()) return out_.error.empty();
    Clip c = baseClip(shape);
    c.asset = asset;
    // File seconds of a content time of the clip.
    const auto fileSeconds = [&](double content) {
      if (warp) return warp->at(content);
      if (scope.seconds) return content;
      // Audio straight in a clip timed in beats: its content beats at the clip's tempo.
      return content * 60.0 / timeline_.tempoAt(shape.start);
    };
    const double cutContent = contentTime(scope, shape.cutStart);
    const double s0 = fileSeconds(shape.looped && cutContent >= shape.loopEnd ? shape.loopStart + std::fmod(cutContent - shape.loopStart, shape.loopEnd - shape.loopStart) : cutContent);
    // The song beat where the file's first frame would sound.
    const double origin = timeline_.beatOfSeconds(timeline_.secondsOfBeat(c.start) - s0);
    c.offset = c.start - origin;
    if (shape.looped) {
      const double ls = fileSeconds(shape.loopStart), le = fileSeconds(shape.loopEnd);
      const double t0 = timeline_.secondsOfBeat(origin);
      c.looped = le > ls;
      c.loopStart = timeline_.beatOfSeconds(t0 + ls) - origin;
      c.loopEnd = timeline_.beatOfSeconds(t0 + le) - origin;
    }
    if (c.offset < -1e-9) {
      // The file starts after the clip does: our clip starts where the audio does.
      const double shift = -c.offset;
      if (shift >= c.length) return true;
      c.start += shift;
      c.length -= shift;
      c.offset = 0;
      if (c.looped) {
        warn(clipNode, "a looped audio clip that starts before its file plays unlooped");
        c.looped = false;
      }
    }
    c.offset = std::max(0.0, c.offset);
    if (c.looped && c.offset >= c.loopEnd) c.offset = c.loopStart + std::fmod(c.offset - c.loopStart, c.loopEnd - c.loopStart);
    return addClip(track, std::move(c), true, clipNode);
  }

  bool readWarps(pugi::xml_node warps, pugi::xml_node clipNode, int track, const Scope& scope, const ClipShape& shape) {
    const bool inner = unitIsSeconds(warps, "contentTimeUnit", true);
    if (!out_.error.empty()) return false;
    WarpMap map;
    for (pugi::xml_node w : warps.children("Warp")) {
      double t = 0, ct = 0;
      if (!number(w, "time", t, true) || !number(w, "contentTime", ct, true)) return false;
      map.points.emplace_back(t, ct);
      if (map.points.size() > 100000) return fail(w, "more than 100000 warp markers");
    }
    std::stable_sort(map.points.begin(), map.points.end());
    pugi::xml_node audio = warps.child("Audio");
    if (!audio) {
      warn(warps, "warped content other than audio is not read");
      return true;
    }
    if (!inner) {
      warn(warps, "audio warped onto beats inside (contentTimeUnit=\"beats\") is read as seconds");
    }
    if (map.points.size() < 2) {
      warn(warps, "warps with fewer than two markers play the audio unstretched");
    } else {
      // Unstretched when every segment's seconds per content unit is what the song's time gives.
      bool stretched = false;
      const double expect = scope.seconds ? 1.0 : 60.0 / timeline_.tempoAt(shape.start);
      for (std::size_t k = 1; k < map.points.size(); ++k) {
        const double dt = map.points[k].first - map.points[k - 1].first;
        if (dt <= 0) continue;
        const double rate = (map.points[k].second - map.points[k - 1].second) / dt;
        if (std::fabs(rate - expect) > 1e-6 * expect) stretched = true;
      }
      if (stretched || (!scope.seconds && timeline_.hasTempoChanges()))
        warn(warps, "the audio is warped (stretched to the beat) in the file: Mixdown plays it unstretched from the same start");
    }
    return readAudioClip(audio, clipNode, track, scope, shape, map.points.size() >= 2 ? &map : nullptr);
  }

  // [SECTION] Automation -------------------------------------------------------------------------------------
  bool readPoints(pugi::xml_node pts, int track, bool seconds) {
    const pugi::xml_node target = pts.child("Target");
    const std::string ref = target.attribute("parameter").value();
    const auto it = params_.find(ref);
    if (ref.empty() || it == params_.end()) {
      const std::string expr = target.attribute("expression").value();
      warn(pts, ref.empty() ? "automation of " + (expr.empty() ? std::string("no parameter") : "the expression \"" + expr + "\"") + " is not read"
                            : "automation of a parameter Mixdown does not map is not read");
      return true;
    }
    const ParamTarget& pt = it->second;
    if (pt.track < 0) {
      warn(pts, "automation of the master is not read (Mixdown's master has none)");
      return true;
    }
    if (track >= 0 && track != pt.track) warn(pts, "automation on one track's lane of another track's parameter is read for the parameter's track");
    Track& t = p().tracks[static_cast<std::size_t>(pt.track)];
    if (t.automation.size() >= kMaxAutomationLanes) return fail(pts, "more than " + std::to_string(kMaxAutomationLanes) + " automation lanes on a track");
    AutomationLane lane;
    lane.target = pt.target;
    const std::string unit = *pts.attribute("unit").value() ? pts.attribute("unit").value() : pt.unit;
    const auto curveList = curves_.find(pts.attribute("id").value());
    for (pugi::xml_node rp : pts.children()) {
      if (rp.type() != pugi::node_element || std::strcmp(rp.name(), "Target") == 0) continue;
      if (std::strcmp(rp.name(), "RealPoint") != 0) {
        warn(rp, std::string("<") + rp.name() + "> points are not read (Mixdown automates real values)");
        continue;
      }
      AutomationPoint ap;
      double time = 0, value = 0;
      if (!number(rp, "time", time, true) || !number(rp, "value", value, true, -INFINITY, INFINITY, true)) return false;
      ap.beat = seconds ? timeline_.beatOfSeconds(time) : time;
      if (!(ap.beat >= 0 && ap.beat <= kMaxSongBeats)) return fail(rp, "a point outside the song (beat 0 to " + numberText(kMaxSongBeats) + ")");
      bool ok = true;
      ap.value = convertValue(rp, value, unit, pt.convert, 0.0, ok) / pt.scale;
      if (!ok) return false;
      if (!std::isfinite(ap.value)) return fail(rp, "value=\"" + std::string(rp.attribute("value").value()) + "\" is not finite");
      const std::string interp = rp.attribute("interpolation").value();
      ap.shape = interp == "linear" ? AutomationShape::Linear : AutomationShape::Step;
      if (ap.shape == AutomationShape::Linear && curveList != curves_.end())
        if (const auto c = curveList->second.find(time); c != curveList->second.end()) {
          ap.shape = AutomationShape::Curved;
          ap.tension = c->second;
        }
      if (!interp.empty() && interp != "linear" && interp != "hold") return fail(rp, "interpolation=\"" + interp.substr(0, 40) + "\" is not hold or linear");
      if (lane.points.size() >= kMaxAutomationPoints) return fail(rp, "more than " + std::to_string(kMaxAutomationPoints) + " points in one lane");
      lane.points.push_back(ap);
    }
    std::stable_sort(lane.points.begin(), lane.points.end(), [](const AutomationPoint& a, const AutomationPoint& b) { return a.beat < b.beat; });
    // Values held to the parameter's range, as the engine would hold them.
    double lo = -144, hi = 24;
    std::size_t k = 0;
    std::string param;
    if (lane.target == "pan") lo = -1, hi = 1;
    else if (parseInsertTarget(lane.target, k, param) && k < t.inserts.size())
      if (const DeviceDescriptor* d = findDevice(t.inserts[k].type))
        if (const ParamDescriptor* pd = d->findParam(param)) lo = pd->min, hi = pd->max;
    bool held = false;
    for (AutomationPoint& ap : lane.points) {
      const double v = std::clamp(ap.value, lo, hi);
      if (std::fabs(v - ap.value) > 1e-9 * std::max(1.0, std::fabs(v))) held = true;
      ap.value = v;
    }
    if (held) warn(pts, "automation values beyond the parameter's range are held at its ends");
    if (!lane.points.empty()) {
      const auto same = std::find_if(t.automation.begin(), t.automation.end(), [&](const AutomationLane& l) { return l.target == lane.target; });
      if (same != t.automation.end()) warn(pts, "a second lane for the same parameter replaces the first");
      if (same != t.automation.end()) *same = lane;
      else t.automation.push_back(lane);
    }
    return true;
  }

  // Clips onto their tracks (a track takes the kind of its clips), instruments where they are missing.
  bool finishTracks() {
    for (std::size_t i = 0; i < p().tracks.size(); ++i) {
      Track& t = p().tracks[i];
      auto& list = placed_[static_cast<int>(i)];
      const bool anyNotes = std::any_of(list.begin(), list.end(), [](const PlacedClip& c) { return !c.audio; });
      const bool anyAudio = std::any_of(list.begin(), list.end(), [](const PlacedClip& c) { return c.audio; });
      if (t.kind == TrackKind::Bus && !list.empty()) {
        warn(list.front().node, "clips on a bus (an effect, submix or group channel) are not read");
        continue;
      }
      if (t.kind == TrackKind::Audio && anyNotes && !anyAudio) t.kind = TrackKind::Instrument;
      if (t.kind == TrackKind::Instrument && anyAudio && !anyNotes && !t.instrument) t.kind = TrackKind::Audio;
      for (PlacedClip& pc : list) {
        if (pc.audio != (t.kind == TrackKind::Audio)) {
          warn(pc.node, pc.audio ? "an audio clip on an instrument track is not read" : "a notes clip on an audio track is not read");
          continue;
        }
        t.clips.push_back(std::move(pc.clip));
      }
      std::stable_sort(t.clips.begin(), t.clips.end(), [](const Clip& a, const Clip& b) { return a.start < b.start; });
      if (t.kind == TrackKind::Instrument && !t.instrument) {
        if (!info_[i].instrumentDevice) warnPlain("track \"" + t.name + "\" has no instrument: it plays the Poly Synth");
        t.instrument = defaultInstrument();
      }
      if (t.kind != TrackKind::Instrument) t.instrument.reset();
    }
    return true;
  }

  const Archive& archive_;
  std::string name_;
  const std::map<std::string, DawprojectAudioFacts>& facts_;
  std::string text_;
  pugi::xml_document doc_;
  DawprojectImport out_;
  Timeline timeline_;
  std::map<std::string, pugi::xml_node> ids_;
  std::map<std::string, int> channelTrack_;      // Channel id -> track index (-2: the master)
  std::map<std::string, int> trackOfXmlTrack_;   // Track id -> track index
  std::map<std::string, ParamTarget> params_;    // parameter id -> what it drives
  std::map<std::string, std::string> assetOfPath_;
  std::map<int, std::vector<PlacedClip>> placed_;
  std::vector<TrackInfo> info_;
  std::vector<PendingDevices> pendingDevices_;
  pugi::xml_node masterChannel_;
  std::string tempoId_;
  std::set<std::string> takenIds_;
  std::map<std::string, std::pair<std::string, int>> warningsByKind_;
  std::vector<std::string> warningOrder_;
  int depth_ = 0;
  std::size_t clipsRead_ = 0;
  std::map<std::string, std::map<double, double>> curves_;  // Points id -> point time -> tension
};

}  // namespace

DawprojectImport readDawproject(const Archive& archive, const std::string& name, const std::map<std::string, DawprojectAudioFacts>& facts) {
  return Reader(archive, name, facts).run();
}

}  // namespace mixdown
