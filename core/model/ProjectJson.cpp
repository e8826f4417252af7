#include "model/ProjectJson.h"
#include "model/ProjectJsonParts.h"

#include <cctype>
#include <cstdlib>
#include <functional>
#include <map>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>
#include <sstream>

#include "devices/Registry.h"

namespace mixdown {
namespace {

using nlohmann::json;

// Walks a JSON value, recording issues with their paths instead of throwing.
class Reader {
 public:
  explicit Reader(std::vector<ProjectIssue>& issues) : issues_(issues) {}

  void fail(const std::string& path, const std::string& message) { issues_.push_back({path, message}); }

  const json* field(const json& obj, const std::string& path, const char* key, bool required) {
    auto it = obj.find(key);
    if (it == obj.end()) {
      if (required) fail(join(path, key), "is required");
      return nullptr;
    }
    return &*it;
  }

  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }
  static std::string index(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

  // Reads a finite number; reports a wrong type or a non-finite value.
  bool number(const json& obj, const std::string& path, const char* key, double& out, bool required) {
    const json* v = field(obj, path, key, required);
    if (!v) return false;
    if (!v->is_number()) {
      fail(join(path, key), "must be a number");
      return false;
    }
    double d = v->get<double>();
    if (!std::isfinite(d)) {
      fail(join(path, key), "must be finite");
      return false;
    }
    out = d;
    return true;
  }

  bool integer(const json& obj, const std::string& path, const char* key, std::int64_t& out, bool required) {
    const json* v = field(obj, path, key, required);
    if (!v) return false;
    if (!v->is_number_integer()) {
      fail(join(path, key), "must be an integer");
      return false;
    }
    out = v->get<std::int64_t>();
    return true;
  }

  bool string(const json& obj, const std::string& path, const char* key, std::string& out, bool required) {
    const json* v = field(obj, path, key, required);
    if (!v) return false;
    if (!v->is_string()) {
      fail(join(path, key), "must be a string");
      return false;
    }
    out = v->get<std::string>();
    return true;
  }

  bool boolean(const json& obj, const std::string& path, const char* key, bool& out, bool required) {
    const json* v = field(obj, path, key, required);
    if (!v) return false;
    if (!v->is_boolean()) {
      fail(join(path, key), "must be true or false");
      return false;
    }
    out = v->get<bool>();
    return true;
  }

  const json* object(const json& obj, const std::string& path, const char* key, bool required) {
    const json* v = field(obj, path, key, required);
    if (!v) return nullptr;
    if (!v->is_object()) {
      fail(join(path, key), "must be an object");
      return nullptr;
    }
    return v;
  }

  const json* array(const json& obj, const std::string& path, const char* key, bool required) {
    const json* v = field(obj, path, key, required);
    if (!v) return nullptr;
    if (!v->is_array()) {
      fail(join(path, key), "must be an array");
      return nullptr;
    }
    return v;
  }

 private:
  std::vector<ProjectIssue>& issues_;
};

void readNote(Reader& r, const json& j, const std::string& path, Note& n) {
  if (!j.is_object()) return r.fail(path, "must be an object");
  std::int64_t pitch = n.pitch;
  r.integer(j, path, "pitch", pitch, true);
  n.pitch = static_cast<int>(std::clamp<std::int64_t>(pitch, -1, 1000));
  if (pitch < 0 || pitch > 127) n.pitch = -1;  // reported by validation
  r.number(j, path, "velocity", n.velocity, false);
  r.number(j, path, "start", n.start, true);
  r.number(j, path, "length", n.length, true);
}

void readClip(Reader& r, const json& j, const std::string& path, Clip& c) {
  if (!j.is_object()) return r.fail(path, "must be an object");
  r.string(j, path, "name", c.name, false);
  r.number(j, path, "start", c.start, true);
  r.number(j, path, "length", c.length, true);
  r.number(j, path, "offset", c.offset, false);
  r.string(j, path, "asset", c.asset, false);
  r.number(j, path, "gainDb", c.gainDb, false);
  r.boolean(j, path, "muted", c.muted, false);
  if (const json* loop = r.object(j, path, "loop", false)) {
    // Present means looped; both ends are required (a loop without them has no length).
    const std::string lp = Reader::join(path, "loop");
    c.looped = true;
    r.number(*loop, lp, "start", c.loopStart, true);
    r.number(*loop, lp, "end", c.loopEnd, true);
  }
  if (const json* notes = r.array(j, path, "notes", false)) {
    std::string np = Reader::join(path, "notes");
    for (size_t i = 0; i < notes->size(); ++i) {
      Note n;
      readNote(r, (*notes)[i], Reader::index(np, i), n);
      c.notes.push_back(n);
    }
  }
}

// Integers of a zone are clamped into int's range when read; validation reports what is out of range.
int clampedInt(std::int64_t v) { return static_cast<int>(std::clamp<std::int64_t>(v, -(1LL << 30), 1LL << 30)); }

constexpr const char* kZoneLoopNames[] = {"off", "forward", "pingpong"};
constexpr const char* kZoneTriggerNames[] = {"attack", "release", "first", "legato"};

// Reads a string field that must be one of `names`; returns its index, or `fallback` (reported) if not.
template <std::size_t N>
int readChoice(Reader& r, const json& j, const std::string& path, const char* key, const char* const (&names)[N], int fallback) {
  std::string v;
  if (!r.string(j, path, key, v, false)) return fallback;
  for (std::size_t i = 0; i < N; ++i)
    if (v == names[i]) return static_cast<int>(i);
  std::string list;
  for (std::size_t i = 0; i < N; ++i) list += std::string(i ? (i + 1 == N ? " or " : ", ") : "") + "\"" + names[i] + "\"";
  r.fail(Reader::join(path, key), "must be " + list + " (got \"" + v.substr(0, 40) + "\")");
  return fallback;
}

void readZone(Reader& r, const json& j, const std::string& path, SampleZone& z) {
  if (!j.is_object()) return r.fail(path, "must be an object");
  r.string(j, path, "asset", z.asset, true);
  auto integer = [&](const char* key, int& out) {
    std::int64_t v = out;
    if (r.integer(j, path, key, v, false)) out = clampedInt(v);
  };
  integer("rootKey", z.rootKey);
  integer("lowKey", z.lowKey);
  integer("highKey", z.highKey);
  integer("lowVelocity", z.lowVelocity);
  integer("highVelocity", z.highVelocity);
  r.integer(j, path, "start", z.start, false);
  r.integer(j, path, "end", z.end, false);
  if (const json* loop = r.object(j, path, "loop", false)) {
    const std::string lp = Reader::join(path, "loop");
    z.loop = static_cast<ZoneLoop>(readChoice(r, *loop, lp, "mode", kZoneLoopNames, 0));
    r.integer(*loop, lp, "start", z.loopStart, true);
    r.integer(*loop, lp, "end", z.loopEnd, true);
    r.integer(*loop, lp, "crossfade", z.crossfade, false);
  }
  r.number(j, path, "tune", z.tuneCents, false);
  r.number(j, path, "gainDb", z.gainDb, false);
  r.number(j, path, "pan", z.pan, false);
  r.number(j, path, "attack", z.attackMs, false);
  r.number(j, path, "decay", z.decayMs, false);
  r.number(j, path, "sustain", z.sustain, false);
  r.number(j, path, "release", z.releaseMs, false);
  r.boolean(j, path, "oneShot", z.oneShot, false);
  integer("group", z.group);
  integer("offBy", z.offBy);
  z.trigger = static_cast<ZoneTrigger>(readChoice(r, j, path, "trigger", kZoneTriggerNames, 0));
}

void readDevice(Reader& r, const json& j, const std::string& path, DeviceState& d) {
  if (!j.is_object()) return r.fail(path, "must be an object");
  r.string(j, path, "type", d.type, true);
  r.boolean(j, path, "bypass", d.bypass, false);
  r.string(j, path, "sidechain", d.sidechain, false);
  r.string(j, path, "id", d.id, false);
  if (const json* params = r.object(j, path, "params", false)) {
    std::string pp = Reader::join(path, "params");
    for (auto it = params->begin(); it != params->end(); ++it) {
      double v = 0;
      if (r.number(*params, pp, it.key().c_str(), v, true)) d.params[it.key()] = v;
    }
  }
  if (const json* zones = r.array(j, path, "zones", false)) {
    const std::string zp = Reader::join(path, "zones");
    if (zones->size() > kMaxZones)  // refused before reading, so a huge array costs nothing more
      return r.fail(zp, "at most " + std::to_string(kMaxZones) + " zones (got " + std::to_string(zones->size()) + ")");
    d.zones.resize(zones->size());
    for (std::size_t i = 0; i < zones->size(); ++i) readZone(r, (*zones)[i], Reader::index(zp, i), d.zones[i]);
  }
}

void readStrip(Reader& r, const json& j, const std::string& path, StripState& s) {
  r.number(j, path, "gainDb", s.gainDb, false);
  r.number(j, path, "pan", s.pan, false);
  r.boolean(j, path, "mute", s.mute, false);
  r.boolean(j, path, "solo", s.solo, false);
}

void readTrack(Reader& r, const json& j, const std::string& path, Track& t) {
  if (!j.is_object()) return r.fail(path, "must be an object");
  r.string(j, path, "id", t.id, true);
  r.string(j, path, "name", t.name, false);
  std::string kind;
  if (r.string(j, path, "kind", kind, true)) {
    if (kind == "audio")
      t.kind = TrackKind::Audio;
    else if (kind == "instrument")
      t.kind = TrackKind::Instrument;
    else if (kind == "bus")
      t.kind = TrackKind::Bus;
    else
      r.fail(Reader::join(path, "kind"), "must be \"audio\", \"instrument\" or \"bus\" (got \"" + kind + "\")");
  }
  r.string(j, path, "output", t.output, false);
  r.string(j, path, "color", t.color, false);
  if (const json* lanes = r.array(j, path, "automation", false)) {
    for (size_t i = 0; i < lanes->size(); ++i) {
      const std::string lp = Reader::index(Reader::join(path, "automation"), i);
      const json& lj = (*lanes)[i];
      if (!lj.is_object()) {
        r.fail(lp, "must be an object");
        continue;
      }
      AutomationLane lane;
      r.string(lj, lp, "target", lane.target, true);
      if (const json* points = r.array(lj, lp, "points", true)) {
        for (size_t k = 0; k < points->size(); ++k) {
          const std::string pp = Reader::index(Reader::join(lp, "points"), k);
          const json& pj = (*points)[k];
          if (!pj.is_object()) {
            r.fail(pp, "must be an object");
            continue;
          }
          AutomationPoint point;
          r.number(pj, pp, "beat", point.beat, true);
          r.number(pj, pp, "value", point.value, true);
          r.number(pj, pp, "tension", point.tension, false);
          std::string shape = "linear";
          r.string(pj, pp, "shape", shape, false);
          if (shape == "linear") point.shape = AutomationShape::Linear;
          else if (shape == "curved") point.shape = AutomationShape::Curved;
          else if (shape == "step") point.shape = AutomationShape::Step;
          else r.fail(Reader::join(pp, "shape"), "must be \"linear\", \"curved\" or \"step\" (got \"" + shape + "\")");
          lane.points.push_back(point);
        }
      }
      t.automation.push_back(std::move(lane));
    }
  }
  if (const json* sends = r.array(j, path, "sends", false)) {
    for (size_t i = 0; i < sends->size(); ++i) {
      const std::string sp = Reader::index(Reader::join(path, "sends"), i);
      const json& sj = (*sends)[i];
      if (!sj.is_object()) {
        r.fail(sp, "must be an object");
        continue;
      }
      SendState send;
      r.string(sj, sp, "target", send.target, true);
      r.number(sj, sp, "levelDb", send.levelDb, false);
      r.boolean(sj, sp, "preFader", send.preFader, false);
      t.sends.push_back(std::move(send));
    }
  }
  if (const json* inserts = r.array(j, path, "inserts", false)) {
    for (size_t i = 0; i < inserts->size(); ++i) {
      DeviceState d;
      readDevice(r, (*inserts)[i], Reader::index(Reader::join(path, "inserts"), i), d);
      t.inserts.push_back(std::move(d));
    }
    assignDeviceIds(t);  // files from before device ids (and hand-written ones) get them here
  }
  if (const json* inst = r.object(j, path, "instrument", false)) {
    DeviceState d;
    readDevice(r, *inst, Reader::join(path, "instrument"), d);
    t.instrument = d;
  }
  if (const json* clips = r.array(j, path, "clips", false)) {
    std::string cp = Reader::join(path, "clips");
    for (size_t i = 0; i < clips->size(); ++i) {
      Clip c;
      readClip(r, (*clips)[i], Reader::index(cp, i), c);
      t.clips.push_back(std::move(c));
    }
  }
  if (const json* strip = r.object(j, path, "strip", false)) readStrip(r, *strip, Reader::join(path, "strip"), t.strip);
}

void readAsset(Reader& r, const json& j, const std::string& path, Asset& a) {
  if (!j.is_object()) return r.fail(path, "must be an object");
  r.string(j, path, "id", a.id, true);
  r.string(j, path, "name", a.name, false);
  r.string(j, path, "sha256", a.sha256, false);
  r.number(j, path, "sampleRate", a.sampleRate, true);
  std::int64_t ch = a.channels;
  if (r.integer(j, path, "channels", ch, true)) a.channels = static_cast<int>(std::clamp<std::int64_t>(ch, -1, 1 << 20));
  r.integer(j, path, "frames", a.frames, true);
  r.string(j, path, "path", a.path, false);
}

// The tempo map and signature changes (format version 2). A version 1 file has neither: one that carries
// them was edited by hand and would play differently in the Mixdown it claims to be from, so it is refused.
void readTempoMap(Reader& r, const json& root, std::int64_t version, Project& p) {
  auto versionTwo = [&](const char* key) {
    if (version >= 2) return true;
    r.fail(key, "is a format version 2 field; this file says \"version\": " + std::to_string(version) + " (set it to 2)");
    return false;
  };
  if (const json* points = r.array(root, "", "tempoChanges", false); points && versionTwo("tempoChanges")) {
    for (size_t i = 0; i < points->size(); ++i) {
      const std::string pp = Reader::index("tempoChanges", i);
      const json& pj = (*points)[i];
      if (!pj.is_object()) {
        r.fail(pp, "must be an object");
        continue;
      }
      TempoPoint point;
      r.number(pj, pp, "beat", point.beat, true);
      r.number(pj, pp, "bpm", point.bpm, true);
      std::string shape = "step";
      r.string(pj, pp, "shape", shape, false);
      if (shape == "step") point.shape = TempoShape::Step;
      else if (shape == "linear") point.shape = TempoShape::Linear;
      else r.fail(Reader::join(pp, "shape"), "must be \"step\" or \"linear\" (got \"" + shape + "\")");
      p.tempoChanges.push_back(point);
    }
  }
  if (const json* changes = r.array(root, "", "signatureChanges", false); changes && versionTwo("signatureChanges")) {
    for (size_t i = 0; i < changes->size(); ++i) {
      const std::string cp = Reader::index("signatureChanges", i);
      const json& cj = (*changes)[i];
      if (!cj.is_object()) {
        r.fail(cp, "must be an object");
        continue;
      }
      std::int64_t bar = 0, n = 4, d = 4;
      r.integer(cj, cp, "bar", bar, true);
      r.integer(cj, cp, "numerator", n, true);
      r.integer(cj, cp, "denominator", d, true);
      // Out-of-range values are kept out of range (not wrapped) so validation reports them.
      p.signatureChanges.push_back({static_cast<int>(std::clamp<std::int64_t>(bar, -1, 1 << 30)),
                                    static_cast<int>(std::clamp<std::int64_t>(n, -1, 1000)),
                                    static_cast<int>(std::clamp<std::int64_t>(d, -1, 1000))});
    }
  }
}

// Line and column (1-based) of a byte offset, for JSON syntax errors.
void readMaster(Reader& r, const json& j, const std::string& path, MasterState& m) {
  if (!j.is_object()) return r.fail(path, "must be an object");
  r.number(j, path, "gainDb", m.gainDb, false);
  if (const json* delivery = r.object(j, path, "delivery", false)) {
    DeliveryState& d = m.delivery;
    const std::string dp = Reader::join(path, "delivery");
    std::int64_t bits = d.bits;
    r.string(*delivery, dp, "preset", d.preset, false);
    r.number(*delivery, dp, "targetLufs", d.targetLufs, false);
    r.number(*delivery, dp, "ceilingDbtp", d.ceilingDbtp, false);
    r.integer(*delivery, dp, "bits", bits, false);
    d.bits = static_cast<int>(std::clamp<std::int64_t>(bits, -1, 64));
  }
  if (const json* devices = r.array(j, path, "devices", false)) {
    for (size_t i = 0; i < devices->size(); ++i) {
      DeviceState d;
      readDevice(r, (*devices)[i], Reader::index(Reader::join(path, "devices"), i), d);
      m.devices.push_back(std::move(d));
    }
  }
}

std::string lineColumn(const std::string& text, size_t byte) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

std::string fmt(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

std::size_t jsonTooDeepAt(const std::string& text, std::size_t maxDepth) {
  std::size_t depth = 0;
  bool inString = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inString) {
      if (c == '\\') ++i;  // the escaped character cannot end the string
      else if (c == '"') inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > maxDepth) return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::string::npos;
}

std::string jsonLineColumn(const std::string& text, std::size_t byte) { return lineColumn(text, byte); }

std::string ProjectLoad::errorText() const {
  std::string out;
  for (const auto& i : issues) {
    if (!out.empty()) out += "\n";
    out += i.text();
  }
  return out;
}

ProjectLoad parseProject(const std::string& jsonText) {
  ProjectLoad load;
  if (const std::size_t at = jsonTooDeepAt(jsonText); at != std::string::npos) {
    load.issues.push_back({"", "nested more than " + std::to_string(kMaxJsonDepth) + " arrays and objects deep at " +
                                   lineColumn(jsonText, at) + " (a project is about 8 deep): not a Mixdown project"});
    return load;
  }
  // Parsed without exceptions (the wasm builds do not catch them); on a syntax error a SAX pass finds
  // where it is.
  json root = json::parse(jsonText, nullptr, false);
  if (root.is_discarded()) {
    struct ErrorFinder : nlohmann::json_sax<json> {
      std::size_t byte = 0;
      std::string detail = "unexpected end of input";
      bool null() override { return true; }
      bool boolean(bool) override { return true; }
      bool number_integer(number_integer_t) override { return true; }
      bool number_unsigned(number_unsigned_t) override { return true; }
      bool number_float(number_float_t, const string_t&) override { return true; }
      bool string(string_t&) override { return true; }
      bool binary(binary_t&) override { return true; }
      bool start_object(std::size_t) override { return true; }
      bool key(string_t&) override { return true; }
      bool end_object() override { return true; }
      bool start_array(std::size_t) override { return true; }
      bool end_array() override { return true; }
      bool parse_error(std::size_t position, const std::string& lastToken, const nlohmann::detail::exception&) override {
        byte = position;
        detail = lastToken.empty() ? "unexpected end of input" : "unexpected '" + lastToken.substr(0, 40) + "'";
        return false;
      }
    } finder;
    json::sax_parse(jsonText, &finder, nlohmann::detail::input_format_t::json, false);
    load.issues.push_back({"", "not valid JSON at " + lineColumn(jsonText, finder.byte > 0 ? finder.byte - 1 : 0) + ": " + finder.detail});
    return load;
  }
  Reader r(load.issues);
  if (!root.is_object()) {
    r.fail("", "the document must be a JSON object");
    return load;
  }
  std::string format;
  if (r.string(root, "", "format", format, true) && format != kProjectFormat) {
    r.fail("format", "must be \"" + std::string(kProjectFormat) + "\" (got \"" + format + "\")");
    return load;
  }
  std::int64_t version = 0;
  if (r.integer(root, "", "version", version, true)) {
    if (version > kProjectVersion) {
      r.fail("version", "this project was saved by a newer Mixdown (format version " + std::to_string(version) +
                            "); this build reads version " + std::to_string(kProjectVersion) + ". Update Mixdown to open it.");
      return load;
    }
    if (version < 1) r.fail("version", "must be >= 1");
  }
  if (!load.issues.empty()) return load;

  Project& p = load.project;
  r.string(root, "", "title", p.title, false);
  r.number(root, "", "tempo", p.tempo, true);
  if (const json* ts = r.object(root, "", "timeSignature", false)) {
    std::int64_t n = 4, d = 4;
    r.integer(*ts, "timeSignature", "numerator", n, true);
    r.integer(*ts, "timeSignature", "denominator", d, true);
    p.timeSignature.numerator = static_cast<int>(std::clamp<std::int64_t>(n, -1, 1000));
    p.timeSignature.denominator = static_cast<int>(std::clamp<std::int64_t>(d, -1, 1000));
  }
  readTempoMap(r, root, version, p);
  if (const json* loop = r.object(root, "", "loop", false)) {
    r.boolean(*loop, "loop", "enabled", p.loop.enabled, false);
    r.number(*loop, "loop", "start", p.loop.startBeat, true);
    r.number(*loop, "loop", "end", p.loop.endBeat, true);
  }
  if (const json* assets = r.array(root, "", "assets", false)) {
    for (size_t i = 0; i < assets->size(); ++i) {
      Asset a;
      readAsset(r, (*assets)[i], Reader::index("assets", i), a);
      p.assets.push_back(std::move(a));
    }
  }
  if (const json* tracks = r.array(root, "", "tracks", true)) {
    for (size_t i = 0; i < tracks->size(); ++i) {
      Track t;
      readTrack(r, (*tracks)[i], Reader::index("tracks", i), t);
      p.tracks.push_back(std::move(t));
    }
  }
  if (const json* master = r.object(root, "", "master", false)) readMaster(r, *master, "master", p.master);

  if (load.issues.empty()) load.issues = validateProject(p);
  if (load.issues.size() > kMaxReportedIssues) {
    const std::size_t more = load.issues.size() - kMaxReportedIssues;
    load.issues.resize(kMaxReportedIssues);
    load.issues.push_back({"", "and " + std::to_string(more) + " more problems"});
  }
  return load;
}

namespace {
// A device's type must be registered and of the expected kind; its params known and in range.
template <typename Fail>
void validateDevice(const DeviceState& d, const std::string& path, DeviceKind kind, Fail&& fail) {
  const DeviceDescriptor* desc = findDevice(d.type);
  if (!desc) return fail(path + ".type", "unknown device \"" + d.type + "\"");
  if (desc->kind != kind)
    return fail(path + ".type", "\"" + d.type + "\" is not " + (kind == DeviceKind::Instrument ? "an instrument" : "an effect"));
  for (const auto& [id, value] : d.params) {
    const ParamDescriptor* pd = desc->findParam(id);
    if (!pd) fail(path + ".params." + id, "unknown parameter of \"" + desc->id + "\"");
    else if (!(value >= pd->min && value <= pd->max))
      fail(path + ".params." + id, "must be between " + fmt(pd->min) + " and " + fmt(pd->max) + " " + pd->unit + " (got " + fmt(value) + ")");
  }
}
}  // namespace

namespace {
inline constexpr std::size_t kMaxTempoPoints = 10000;
inline constexpr int kMaxBar = 1000000;

// Tempo points after beat 0 in beat order within 20..999 BPM; signature changes on increasing bars from bar 2.
template <typename Fail>
void validateTempoMap(const Project& p, Fail&& fail) {
  if (p.tempoChanges.size() > kMaxTempoPoints)
    fail("tempoChanges", "at most " + std::to_string(kMaxTempoPoints) + " points (got " + std::to_string(p.tempoChanges.size()) + ")");
  for (size_t i = 0; i < p.tempoChanges.size(); ++i) {
    const TempoPoint& pt = p.tempoChanges[i];
    const std::string pp = "tempoChanges[" + std::to_string(i) + "]";
    if (!std::isfinite(pt.beat)) fail(pp + ".beat", "must be finite");
    else if (!(pt.beat > 0)) fail(pp + ".beat", "must be > 0 (got " + fmt(pt.beat) + "; the tempo at beat 0 is \"tempo\")");
    else if (!(pt.beat <= kMaxSongBeats)) fail(pp + ".beat", "must be at most beat 100000 (got " + fmt(pt.beat) + ")");
    else if (i > 0 && !(pt.beat > p.tempoChanges[i - 1].beat))
      fail(pp + ".beat", "must be after the previous point (beat " + fmt(p.tempoChanges[i - 1].beat) + "; got " + fmt(pt.beat) + ")");
    if (!(pt.bpm >= 20.0 && pt.bpm <= 999.0)) fail(pp + ".bpm", "must be between 20 and 999 BPM (got " + fmt(pt.bpm) + ")");
  }
  for (size_t i = 0; i < p.signatureChanges.size(); ++i) {
    const SignatureChange& sc = p.signatureChanges[i];
    const std::string cp = "signatureChanges[" + std::to_string(i) + "]";
    if (sc.bar < 2 || sc.bar > kMaxBar)
      fail(cp + ".bar", "must be between 2 and " + std::to_string(kMaxBar) + " (got " + std::to_string(sc.bar) + "; bar 1's signature is \"timeSignature\")");
    else if (i > 0 && sc.bar <= p.signatureChanges[i - 1].bar)
      fail(cp + ".bar", "must be after the previous change (bar " + std::to_string(p.signatureChanges[i - 1].bar) + "; got " + std::to_string(sc.bar) + ")");
    if (sc.numerator < 1 || sc.numerator > 64) fail(cp + ".numerator", "must be between 1 and 64");
    const int d = sc.denominator;
    if (d != 1 && d != 2 && d != 4 && d != 8 && d != 16 && d != 32) fail(cp + ".denominator", "must be 1, 2, 4, 8, 16 or 32");
  }
}

using FailFn = std::function<void(std::string, std::string)>;

// Shortest content loop (beats): the shortest clip a resize leaves (model/Arrange.h), a 1/256 note.
inline constexpr double kMinClipLoopBeats = 1.0 / 64;
// Repeats of the loop within one clip: a bound on the notes a looped clip sounds (the engine schedules
// every repeat), far above any song (a one-beat loop for 100000 beats).
inline constexpr double kMaxClipLoopRepeats = 100000;

// A looped clip's loop: start >= 0, end > start by at least kMinClipLoopBeats, inside the content range
// clips have (beat 100000), and not repeating absurdly often.
template <typename PathOf>
void validateClipLoop(const Clip& c, PathOf&& cpOf, const FailFn& fail) {
  if (!std::isfinite(c.loopStart)) return fail(cpOf() + ".loop.start", "must be finite");
  if (!std::isfinite(c.loopEnd)) return fail(cpOf() + ".loop.end", "must be finite");
  if (!(c.loopStart >= 0)) fail(cpOf() + ".loop.start", "must be >= 0 (content beats; got " + fmt(c.loopStart) + ")");
  if (!(c.loopEnd <= 100000.0)) fail(cpOf() + ".loop.end", "must be at most content beat 100000 (got " + fmt(c.loopEnd) + ")");
  if (!(c.loopEnd > c.loopStart)) return fail(cpOf() + ".loop.end", "must be greater than loop.start (got " + fmt(c.loopEnd) + " <= " + fmt(c.loopStart) + ")");
  const double span = c.loopEnd - c.loopStart;
  if (span < kMinClipLoopBeats)
    fail(cpOf() + ".loop.end", "the loop must last at least 1/64 beat (got " + fmt(span) + " beats)");
  else if (c.length / span > kMaxClipLoopRepeats)
    fail(cpOf() + ".loop", "the loop repeats more than 100000 times in the clip (" + fmt(span) + " beats in " + fmt(c.length) + "): lengthen the loop or shorten the clip");
}

// "#rrggbb": a hash and six hexadecimal digits (either case).
bool isHexColor(const std::string& s) {
  if (s.size() != 7 || s[0] != '#') return false;
  for (std::size_t i = 1; i < 7; ++i)
    if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

// A sampler's zones: each names an asset of the table, with its ranges, positions (within the asset's
// frames when the table knows them) and levels in range. Other devices have none.
void validateZones(const Project& p, const DeviceState& d, const std::string& path, const FailFn& fail) {
  if (d.zones.empty()) return;
  if (d.type != "mixdown.sampler") return fail(path + ".zones", "only a sampler (\"mixdown.sampler\") has zones");
  if (d.zones.size() > kMaxZones)
    return fail(path + ".zones", "at most " + std::to_string(kMaxZones) + " zones (got " + std::to_string(d.zones.size()) + ")");
  for (std::size_t i = 0; i < d.zones.size(); ++i) {
    const SampleZone& z = d.zones[i];
    const std::string zp = path + ".zones[" + std::to_string(i) + "]";
    auto range = [&](const char* key, double v, double lo, double hi, const char* unit) {
      if (!(v >= lo && v <= hi)) fail(zp + "." + key, "must be between " + fmt(lo) + " and " + fmt(hi) + unit + " (got " + fmt(v) + ")");
    };
    const Asset* a = p.findAsset(z.asset);
    if (!a) fail(zp + ".asset", "\"" + z.asset.substr(0, 60) + "\" is not in the project's assets");
    range("rootKey", z.rootKey, 0, 127, "");
    range("lowKey", z.lowKey, 0, 127, "");
    range("highKey", z.highKey, z.lowKey, 127, " (from lowKey)");
    range("lowVelocity", z.lowVelocity, 1, 127, "");
    range("highVelocity", z.highVelocity, z.lowVelocity, 127, " (from lowVelocity)");
    const double frames = a && a->frames > 0 ? static_cast<double>(a->frames) : static_cast<double>(kMaxAssetFrames);
    range("end", static_cast<double>(z.end), 0, frames, " frames");
    const double end = z.end > 0 ? static_cast<double>(z.end) : frames;
    range("start", static_cast<double>(z.start), 0, end - 1, " frames (before end)");
    if (z.loop != ZoneLoop::Off) {
      if (z.oneShot) fail(zp + ".loop", "a one-shot zone cannot loop (it would never end)");
      range("loop.start", static_cast<double>(z.loopStart), 0, end - 1, " frames (before end)");
      range("loop.end", static_cast<double>(z.loopEnd), static_cast<double>(z.loopStart) + 1, end, " frames (after loop.start, up to end)");
      range("loop.crossfade", static_cast<double>(z.crossfade), 0, static_cast<double>(std::min(z.loopStart, z.loopEnd - z.loopStart)),
            " frames (at most the loop's length and its start)");
      if (z.crossfade > 0 && z.loop != ZoneLoop::Forward) fail(zp + ".loop.crossfade", "only a forward loop cross-fades");
    }
    range("tune", z.tuneCents, -4800, 4800, " ct");
    range("gainDb", z.gainDb, -144, 24, " dB");
    range("pan", z.pan, -1, 1, "");
    range("attack", z.attackMs, 0, 60000, " ms");
    range("decay", z.decayMs, 0, 60000, " ms");
    range("sustain", z.sustain, 0, 1, "");
    range("release", z.releaseMs, 0, 60000, " ms");
    range("group", z.group, -(1 << 30), 1 << 30, "");
    range("offBy", z.offBy, -(1 << 30), 1 << 30, "");
  }
}

// One track's own content: strip, instrument, inserts and their automation, clips and notes (checked
// against the project's asset table). Routing is checked apart (validateRoutingInto).
void validateTrackInto(const Project& p, std::size_t ti, const FailFn& fail, unsigned parts = kTrackAll) {
  const std::string tp = "tracks[" + std::to_string(ti) + "]";
  const Track& t = p.tracks[ti];
  if (t.id.empty()) fail(tp + ".id", "must not be empty");
  if (!t.color.empty() && !isHexColor(t.color))
    fail(tp + ".color", "must be \"#\" and six hexadecimal digits, like \"#3fa7d6\" (got \"" + t.color.substr(0, 40) + "\"), or absent");
  if (parts & kTrackDevices) {  // (the strip is checked with them: it is two numbers)
  if (!(t.strip.gainDb >= -144.0 && t.strip.gainDb <= 24.0)) fail(tp + ".strip.gainDb", "must be between -144 and +24 dB");
  if (!(t.strip.pan >= -1.0 && t.strip.pan <= 1.0)) fail(tp + ".strip.pan", "must be between -1 and 1");
  if (t.kind == TrackKind::Instrument) {
    if (!t.instrument) {
      fail(tp + ".instrument", "is required on an instrument track");
    } else {
      validateDevice(*t.instrument, tp + ".instrument", DeviceKind::Instrument, fail);
      validateZones(p, *t.instrument, tp + ".instrument", fail);
    }
  } else if (t.instrument) {
    fail(tp + ".instrument", "an audio track has no instrument");
  }
  if (t.inserts.size() > kMaxInserts)
    fail(tp + ".inserts", "at most " + std::to_string(kMaxInserts) + " devices (got " + std::to_string(t.inserts.size()) + ")");
  for (size_t k = 0; k < t.inserts.size(); ++k)
    validateDevice(t.inserts[k], tp + ".inserts[" + std::to_string(k) + "]", DeviceKind::Effect, fail);
  if (t.automation.size() > kMaxAutomationLanes)
    fail(tp + ".automation", "at most " + std::to_string(kMaxAutomationLanes) + " lanes (got " + std::to_string(t.automation.size()) + ")");
  for (size_t a = 0; a < t.automation.size(); ++a) {
    const AutomationLane& lane = t.automation[a];
    const std::string ap = tp + ".automation[" + std::to_string(a) + "]";
    double lo = 0, hi = 0;
    std::string unit;
    if (lane.target == "gain") lo = -144, hi = 24, unit = "dB";
    else if (lane.target == "pan") lo = -1, hi = 1;
    else {
      std::size_t k = 0;
      std::string paramId;
      const ParamDescriptor* pd = nullptr;
      if (parseInsertTarget(lane.target, k, paramId) && k < t.inserts.size())
        if (const DeviceDescriptor* dd = findDevice(t.inserts[k].type)) pd = dd->findParam(paramId);
      if (!pd) {
        fail(ap + ".target", "must be \"gain\", \"pan\" or \"inserts[k].<parameter id>\" of an insert on this track (got \"" + lane.target + "\")");
        continue;
      }
      lo = pd->min, hi = pd->max, unit = pd->unit;
    }
    if (lane.points.size() > kMaxAutomationPoints)
      fail(ap + ".points", "at most " + std::to_string(kMaxAutomationPoints) + " points (got " + std::to_string(lane.points.size()) + ")");
    for (size_t k = 0; k < lane.points.size(); ++k) {
      const AutomationPoint& pt = lane.points[k];
      const std::string pp = ap + ".points[" + std::to_string(k) + "]";
      if (!(pt.beat >= 0 && pt.beat <= kMaxSongBeats)) fail(pp + ".beat", "must be between beat 0 and 100000 (got " + fmt(pt.beat) + ")");
      if (k > 0 && pt.beat < lane.points[k - 1].beat) fail(pp + ".beat", "must not be before the previous point");
      if (!(pt.value >= lo && pt.value <= hi)) fail(pp + ".value", "must be between " + fmt(lo) + " and " + fmt(hi) + (unit.empty() ? "" : " " + unit) + " (got " + fmt(pt.value) + ")");
      if (!(pt.tension >= -1 && pt.tension <= 1)) fail(pp + ".tension", "must be between -1 and 1");
    }
  }
  }
  if (!(parts & kTrackClips)) return;
  if (t.clips.size() > kMaxClipsPerTrack)
    fail(tp + ".clips", "at most " + std::to_string(kMaxClipsPerTrack) + " clips on a track (got " + std::to_string(t.clips.size()) + ")");
  for (size_t ci = 0; ci < t.clips.size(); ++ci) {
    const Clip& c = t.clips[ci];
    auto cpOf = [&] { return tp + ".clips[" + std::to_string(ci) + "]"; };  // built only for a message
    if (!(c.start >= 0)) fail(cpOf() + ".start", "must be >= 0");
    if (!(c.length > 0)) fail(cpOf() + ".length", "must be > 0");
    if (!(c.offset >= 0 && c.offset <= kMaxSongBeats))
      fail(cpOf() + ".offset", "must be between 0 and 100000 beats into the source (got " + fmt(c.offset) + ")");
    if (!(c.start + c.length <= 100000.0)) fail(cpOf() + ".length", "clip ends after beat 100000");
    if (!(c.gainDb >= -144.0 && c.gainDb <= 24.0)) fail(cpOf() + ".gainDb", "must be between -144 and +24 dB");
    if (c.looped) validateClipLoop(c, cpOf, fail);
    if (t.kind == TrackKind::Audio) {
      if (c.asset.empty()) fail(cpOf() + ".asset", "is required on an audio track's clip");
      else if (!p.findAsset(c.asset)) fail(cpOf() + ".asset", "names an asset \"" + c.asset + "\" that is not in the assets table");
      if (!c.notes.empty()) fail(cpOf() + ".notes", "an audio clip has no notes");
    } else {
      if (!c.asset.empty()) fail(cpOf() + ".asset", "an instrument track's clip plays notes, not an asset");
      if (c.notes.size() > kMaxNotesPerClip)
        fail(cpOf() + ".notes", "at most " + std::to_string(kMaxNotesPerClip) + " notes in a clip (got " + std::to_string(c.notes.size()) + "): split the clip");
      for (size_t ni = 0; ni < c.notes.size(); ++ni) {
        const Note& n = c.notes[ni];
        auto npOf = [&] { return cpOf() + ".notes[" + std::to_string(ni) + "]"; };
        if (n.pitch < 0 || n.pitch > 127) fail(npOf() + ".pitch", "must be between 0 and 127");
        if (!(n.velocity >= 0 && n.velocity <= 1)) fail(npOf() + ".velocity", "must be between 0 and 1");
        if (!(n.start >= 0 && n.start <= kMaxSongBeats)) fail(npOf() + ".start", "must be between 0 and 100000 beats (got " + fmt(n.start) + ")");
        if (!(n.length > 0 && n.length <= kMaxSongBeats)) fail(npOf() + ".length", "must be > 0 and at most 100000 beats (got " + fmt(n.length) + ")");
      }
    }
  }
}

// Track ids unique; outputs and sends name buses, sidechains name tracks, and nothing feeds itself.
// Costs the tracks and their routes, not their clips.
void validateRoutingInto(const Project& p, const FailFn& fail) {
  // Paths are built only for a message: this runs on every edit that can change routes.
  std::unordered_map<std::string, std::size_t> indexOf;
  indexOf.reserve(p.tracks.size());
  for (size_t i = 0; i < p.tracks.size(); ++i)
    if (!indexOf.emplace(p.tracks[i].id, i).second && !p.tracks[i].id.empty())
      fail("tracks[" + std::to_string(i) + "].id", "duplicate track id \"" + p.tracks[i].id + "\"");
  // An edge u -> v: u must be rendered before v. `from`, `what` and `k` say where it is written.
  struct Edge {
    std::size_t to, from;
    int what;  // 0: output, 1: sends[k].target, 2: inserts[k].sidechain
    std::size_t k;
  };
  auto where = [&](const Edge& e) {
    const std::string tp = "tracks[" + std::to_string(e.from) + "]";
    if (e.what == 0) return tp + ".output";
    if (e.what == 1) return tp + ".sends[" + std::to_string(e.k) + "].target";
    return tp + ".inserts[" + std::to_string(e.k) + "].sidechain";
  };
  std::vector<std::vector<Edge>> edges(p.tracks.size());
  for (size_t i = 0; i < p.tracks.size(); ++i) {
    const Track& t = p.tracks[i];
    auto busIndex = [&](const std::string& id, const Edge& e) -> long {
      auto it = indexOf.find(id);
      if (it == indexOf.end()) {
        fail(where(e), "no track \"" + id + "\" to send to");
        return -1;
      }
      if (p.tracks[it->second].kind != TrackKind::Bus) {
        fail(where(e), "\"" + id + "\" is not a bus (only buses take other tracks' audio)");
        return -1;
      }
      if (it->second == i) {
        fail(where(e), "a track cannot feed itself");
        return -1;
      }
      return static_cast<long>(it->second);
    };
    if (t.output != kMasterOutput) {
      Edge e{0, i, 0, 0};
      const long b = busIndex(t.output, e);
      if (b >= 0) edges[i].push_back({static_cast<std::size_t>(b), i, 0, 0});
    }
    if (t.sends.size() > kMaxSends)
      fail("tracks[" + std::to_string(i) + "].sends", "at most " + std::to_string(kMaxSends) + " sends (got " + std::to_string(t.sends.size()) + ")");
    for (size_t k = 0; k < t.sends.size(); ++k) {
      if (!(t.sends[k].levelDb >= -144.0 && t.sends[k].levelDb <= 12.0))
        fail("tracks[" + std::to_string(i) + "].sends[" + std::to_string(k) + "].levelDb", "must be between -144 and +12 dB");
      const long b = busIndex(t.sends[k].target, {0, i, 1, k});
      if (b >= 0) edges[i].push_back({static_cast<std::size_t>(b), i, 1, k});
    }
    if (t.kind == TrackKind::Bus && (!t.clips.empty() || t.instrument))
      fail("tracks[" + std::to_string(i) + "]", "a bus has no clips or instrument (its audio comes from other tracks)");
    for (size_t k = 0; k < t.inserts.size(); ++k) {
      const std::string& sc = t.inserts[k].sidechain;
      if (sc.empty()) continue;
      const Edge e{0, i, 2, k};
      auto it = indexOf.find(sc);
      if (it == indexOf.end()) fail(where(e), "no track \"" + sc + "\" to key from");
      else if (it->second == i) fail(where(e), "a track cannot key its own sidechain (leave it empty for that)");
      else edges[it->second].push_back({i, i, 2, k});  // the key's track must be rendered first
    }
  }
  // A cycle: depth-first search (with its own stack, so a file cannot drive it deep), reported once at
  // the edge that closes it, with the whole loop named.
  // The same walk measures chains: a track's depth is the longest run of routes from it (its targets are
  // done before it), and a chain longer than kMaxBusChain is refused at the head of the longest one.
  std::vector<int> state(p.tracks.size(), 0);  // 0 new, 1 on the path, 2 done
  std::vector<std::size_t> depth(p.tracks.size(), 0);
  std::size_t deepest = 0;  // the head of the longest chain
  std::vector<std::pair<std::size_t, std::size_t>> stack;  // node, next edge to follow
  for (size_t root = 0; root < p.tracks.size(); ++root) {
    if (state[root] != 0) continue;
    stack.push_back({root, 0});
    state[root] = 1;
    while (!stack.empty()) {
      auto& [u, next] = stack.back();
      if (next == edges[u].size()) {
        std::size_t d = 0;
        for (const Edge& e : edges[u]) d = std::max(d, depth[e.to] + 1);
        depth[u] = d;
        if (d > depth[deepest]) deepest = u;
        state[u] = 2;
        stack.pop_back();
        continue;
      }
      const Edge& e = edges[u][next++];
      if (state[e.to] == 1) {
        std::string loop;
        auto from = std::find_if(stack.begin(), stack.end(), [&](const auto& s) { return s.first == e.to; });
        for (auto it = from; it != stack.end(); ++it) loop += "\"" + p.tracks[it->first].id + "\" -> ";
        fail(where(e), "routing cycle: " + loop + "\"" + p.tracks[e.to].id + "\"");
        return;
      }
      if (state[e.to] == 0) {
        state[e.to] = 1;
        stack.push_back({e.to, 0});
      }
    }
  }
  if (!p.tracks.empty() && depth[deepest] > kMaxBusChain)
    fail("tracks[" + std::to_string(deepest) + "]", "starts a chain of " + std::to_string(depth[deepest]) + " routes (\"" + p.tracks[deepest].id +
                                                   "\" into a bus into a bus ...); at most " + std::to_string(kMaxBusChain) + " are allowed");
}
}  // namespace

std::vector<ProjectIssue> validateTrack(const Project& p, std::size_t trackIndex, unsigned parts) {
  std::vector<ProjectIssue> out;
  if (trackIndex < p.tracks.size())
    validateTrackInto(p, trackIndex, [&](std::string path, std::string msg) { out.push_back({std::move(path), std::move(msg)}); }, parts);
  return out;
}

std::vector<ProjectIssue> validateRouting(const Project& p) {
  std::vector<ProjectIssue> out;
  validateRoutingInto(p, [&](std::string path, std::string msg) { out.push_back({std::move(path), std::move(msg)}); });
  return out;
}

std::vector<ProjectIssue> validateSong(const Project& p) {
  std::vector<ProjectIssue> out;
  auto fail = [&](std::string path, std::string msg) { out.push_back({std::move(path), std::move(msg)}); };

  if (!(p.tempo >= 20.0 && p.tempo <= 999.0)) fail("tempo", "must be between 20 and 999 BPM (got " + fmt(p.tempo) + ")");
  if (p.timeSignature.numerator < 1 || p.timeSignature.numerator > 64)
    fail("timeSignature.numerator", "must be between 1 and 64");
  int d = p.timeSignature.denominator;
  if (d != 1 && d != 2 && d != 4 && d != 8 && d != 16 && d != 32) fail("timeSignature.denominator", "must be 1, 2, 4, 8, 16 or 32");
  validateTempoMap(p, fail);
  if (!(p.loop.startBeat >= 0 && p.loop.startBeat <= kMaxSongBeats)) fail("loop.start", "must be between beat 0 and 100000 (got " + fmt(p.loop.startBeat) + ")");
  if (!(p.loop.endBeat > p.loop.startBeat)) fail("loop.end", "must be greater than loop.start");
  else if (!(p.loop.endBeat <= kMaxSongBeats)) fail("loop.end", "must be at most beat 100000 (got " + fmt(p.loop.endBeat) + ")");
  if (p.tracks.size() > kMaxTracks)
    fail("tracks", "at most " + std::to_string(kMaxTracks) + " tracks (got " + std::to_string(p.tracks.size()) + ")");
  if (p.assets.size() > kMaxAssets)
    fail("assets", "at most " + std::to_string(kMaxAssets) + " assets (got " + std::to_string(p.assets.size()) + ")");
  if (!(p.master.gainDb >= -144.0 && p.master.gainDb <= 24.0)) fail("master.gainDb", "must be between -144 and +24 dB");
  const DeliveryState& dl = p.master.delivery;
  if (dl.preset.empty() || dl.preset.size() > 64) fail("master.delivery.preset", "must be a preset id or \"custom\" (1 to 64 characters)");
  if (!(dl.targetLufs >= -70.0 && dl.targetLufs <= 0.0)) fail("master.delivery.targetLufs", "must be between -70 and 0 LUFS (got " + fmt(dl.targetLufs) + ")");
  if (!(dl.ceilingDbtp >= -20.0 && dl.ceilingDbtp <= 0.0)) fail("master.delivery.ceilingDbtp", "must be between -20 and 0 dBTP (got " + fmt(dl.ceilingDbtp) + ")");
  if (dl.bits != 16 && dl.bits != 24) fail("master.delivery.bits", "must be 16 or 24 (got " + std::to_string(dl.bits) + ")");
  if (p.master.devices.size() > kMaxMasterDevices)
    fail("master.devices", "at most " + std::to_string(kMaxMasterDevices) + " devices (got " + std::to_string(p.master.devices.size()) + ")");
  for (size_t i = 0; i < p.master.devices.size(); ++i)
    validateDevice(p.master.devices[i], "master.devices[" + std::to_string(i) + "]", DeviceKind::Effect, fail);

  std::set<std::string> assetIds;
  for (size_t i = 0; i < p.assets.size(); ++i) {
    const Asset& a = p.assets[i];
    std::string path = "assets[" + std::to_string(i) + "]";
    if (a.id.empty()) fail(path + ".id", "must not be empty");
    else if (!assetIds.insert(a.id).second) fail(path + ".id", "duplicate asset id \"" + a.id + "\"");
    if (!(a.sampleRate >= 8000.0 && a.sampleRate <= 384000.0)) fail(path + ".sampleRate", "must be between 8000 and 384000 Hz");
    if (a.channels < 1 || a.channels > 2) fail(path + ".channels", "must be 1 or 2");
    if (a.frames < 0 || a.frames > kMaxAssetFrames)
      fail(path + ".frames", "must be between 0 and " + std::to_string(kMaxAssetFrames) + " (24 hours at 384 kHz; got " + std::to_string(a.frames) + ")");
    if (!a.sha256.empty()) {
      bool hex = a.sha256.size() == 64;
      for (char c : a.sha256) hex = hex && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
      if (!hex) fail(path + ".sha256", "must be 64 lowercase hexadecimal digits");
    }
  }

  return out;
}

std::vector<ProjectIssue> validateProject(const Project& p) {
  std::vector<ProjectIssue> out = validateSong(p);
  const FailFn fail = [&](std::string path, std::string msg) { out.push_back({std::move(path), std::move(msg)}); };
  for (std::size_t ti = 0; ti < p.tracks.size(); ++ti) validateTrackInto(p, ti, fail);
  validateRoutingInto(p, fail);
  return out;
}

namespace {
json devicesJson(const std::vector<DeviceState>& devices) {
  json out = json::array();
  for (const DeviceState& d : devices) {
    json params = json::object();
    for (const auto& [k, v] : d.params) params[k] = v;
    json jd = {{"type", d.type}, {"bypass", d.bypass}, {"params", params}};
    if (!d.sidechain.empty()) jd["sidechain"] = d.sidechain;
    if (!d.id.empty()) jd["id"] = d.id;
    out.push_back(jd);
  }
  return out;
}
}  // namespace

namespace {
// Every field, so a zone reads back as it was; the loop only when on.
json zonesJson(const std::vector<SampleZone>& zones) {
  json out = json::array();
  for (const SampleZone& z : zones) {
    json jz = {{"asset", z.asset},       {"rootKey", z.rootKey},         {"lowKey", z.lowKey},     {"highKey", z.highKey},
               {"lowVelocity", z.lowVelocity}, {"highVelocity", z.highVelocity}, {"start", z.start},     {"end", z.end},
               {"tune", z.tuneCents},    {"gainDb", z.gainDb},           {"pan", z.pan},           {"attack", z.attackMs},
               {"decay", z.decayMs},     {"sustain", z.sustain},         {"release", z.releaseMs}, {"oneShot", z.oneShot},
               {"group", z.group},       {"offBy", z.offBy},             {"trigger", kZoneTriggerNames[static_cast<int>(z.trigger)]}};
    if (z.loop != ZoneLoop::Off)
      jz["loop"] = {{"mode", kZoneLoopNames[static_cast<int>(z.loop)]}, {"start", z.loopStart}, {"end", z.loopEnd}, {"crossfade", z.crossfade}};
    out.push_back(std::move(jz));
  }
  return out;
}
}  // namespace

json writeClipJson(const Clip& c, TrackKind kind) {
  json jc = {{"name", c.name}, {"start", c.start}, {"length", c.length}, {"offset", c.offset}};
  // Written only when set, so files that use neither read and write exactly as before.
  if (c.muted) jc["muted"] = true;
  if (c.looped) jc["loop"] = {{"start", c.loopStart}, {"end", c.loopEnd}};
  if (kind == TrackKind::Audio) {
    jc["asset"] = c.asset;
    jc["gainDb"] = c.gainDb;
  } else {
    json notes = json::array();
    for (const auto& n : c.notes)
      notes.push_back({{"pitch", n.pitch}, {"velocity", n.velocity}, {"start", n.start}, {"length", n.length}});
    jc["notes"] = notes;
  }
  return jc;
}

json writeTrackJson(const Track& t) {
  json jt = json::object();
  jt["id"] = t.id;
  jt["name"] = t.name;
  jt["kind"] = t.kind == TrackKind::Audio ? "audio" : t.kind == TrackKind::Bus ? "bus" : "instrument";
  if (t.instrument) {
    json params = json::object();
    for (const auto& [k, v] : t.instrument->params) params[k] = v;
    jt["instrument"] = {{"type", t.instrument->type}, {"params", params}};
    if (!t.instrument->zones.empty()) jt["instrument"]["zones"] = zonesJson(t.instrument->zones);
  }
  json clips = json::array();
  for (const auto& c : t.clips) clips.push_back(writeClipJson(c, t.kind));
  jt["clips"] = clips;
  if (!t.inserts.empty()) jt["inserts"] = devicesJson(t.inserts);
  if (t.output != kMasterOutput) jt["output"] = t.output;
  if (!t.color.empty()) jt["color"] = t.color;
  if (!t.automation.empty()) {
    json lanes = json::array();
    for (const AutomationLane& lane : t.automation) {
      json points = json::array();
      for (const AutomationPoint& pt : lane.points) {
        json jp = {{"beat", pt.beat}, {"value", pt.value},
                   {"shape", pt.shape == AutomationShape::Step ? "step" : pt.shape == AutomationShape::Curved ? "curved" : "linear"}};
        if (pt.tension != 0) jp["tension"] = pt.tension;
        points.push_back(jp);
      }
      lanes.push_back({{"target", lane.target}, {"points", points}});
    }
    jt["automation"] = lanes;
  }
  if (!t.sends.empty()) {
    json sends = json::array();
    for (const SendState& sd : t.sends) sends.push_back({{"target", sd.target}, {"levelDb", sd.levelDb}, {"preFader", sd.preFader}});
    jt["sends"] = sends;
  }
  jt["strip"] = writeStripJson(t.strip);
  return jt;
}

json writeMasterJson(const MasterState& m) {
  const DeliveryState& dl = m.delivery;
  return {{"gainDb", m.gainDb},
          {"devices", devicesJson(m.devices)},
          {"delivery", {{"preset", dl.preset}, {"targetLufs", dl.targetLufs}, {"ceilingDbtp", dl.ceilingDbtp}, {"bits", dl.bits}}}};
}

json writeStripJson(const StripState& s) {
  return {{"gainDb", s.gainDb}, {"pan", s.pan}, {"mute", s.mute}, {"solo", s.solo}};
}

void readTrackJson(const json& j, const std::string& path, Track& out, std::vector<ProjectIssue>& issues) {
  Reader r(issues);
  readTrack(r, j, path, out);
}
void readClipJson(const json& j, const std::string& path, Clip& out, std::vector<ProjectIssue>& issues) {
  Reader r(issues);
  readClip(r, j, path, out);
}
void readMasterJson(const json& j, const std::string& path, MasterState& out, std::vector<ProjectIssue>& issues) {
  Reader r(issues);
  readMaster(r, j, path, out);
}
void readStripJson(const json& j, const std::string& path, StripState& out, std::vector<ProjectIssue>& issues) {
  Reader r(issues);
  if (!j.is_object()) return r.fail(path, "must be an object");
  readStrip(r, j, path, out);
}
void readDeviceJson(const json& j, const std::string& path, DeviceState& out, std::vector<ProjectIssue>& issues) {
  Reader r(issues);
  readDevice(r, j, path, out);
}

std::string writeProject(const Project& p, int indent) {
  json root = json::object();
  root["format"] = kProjectFormat;
  root["version"] = kProjectVersion;
  root["title"] = p.title;
  root["tempo"] = p.tempo;
  root["timeSignature"] = {{"numerator", p.timeSignature.numerator}, {"denominator", p.timeSignature.denominator}};
  if (!p.tempoChanges.empty()) {
    json points = json::array();
    for (const TempoPoint& pt : p.tempoChanges)
      points.push_back({{"beat", pt.beat}, {"bpm", pt.bpm}, {"shape", pt.shape == TempoShape::Linear ? "linear" : "step"}});
    root["tempoChanges"] = points;
  }
  if (!p.signatureChanges.empty()) {
    json changes = json::array();
    for (const SignatureChange& sc : p.signatureChanges)
      changes.push_back({{"bar", sc.bar}, {"numerator", sc.numerator}, {"denominator", sc.denominator}});
    root["signatureChanges"] = changes;
  }
  root["loop"] = {{"enabled", p.loop.enabled}, {"start", p.loop.startBeat}, {"end", p.loop.endBeat}};
  json assets = json::array();
  for (const auto& a : p.assets) {
    assets.push_back({{"id", a.id}, {"name", a.name}, {"sha256", a.sha256}, {"sampleRate", a.sampleRate},
                      {"channels", a.channels}, {"frames", a.frames}, {"path", a.path}});
  }
  root["assets"] = assets;
  json tracks = json::array();
  for (const auto& t : p.tracks) tracks.push_back(writeTrackJson(t));
  root["tracks"] = tracks;
  root["master"] = writeMasterJson(p.master);
  return root.dump(indent);
}

}  // namespace mixdown
