// Share link v2's decoder: the binary payload of core/share/README.md back into a Project, refusing
// damaged or hostile bytes with the part (its path and tag) and the byte offset named.
//
// [SECTION] Field names
// [SECTION] Fields, scalars, budget
// [SECTION] Messages
// [SECTION] Entry point
#include <algorithm>
#include <string>

#include "devices/Registry.h"
#include "share/LinkDeviceNumbers.h"
#include "share/ProjectBinary.h"
#include "share/ProjectBinaryTags.h"

namespace mixdown {
namespace {

using namespace wire;
using namespace binary;

// [SECTION] Field names ----------------------------------------------------------------------------------
// Field names by tag, for messages about a field the decoder cannot even step over (its path is known
// from its tag alone). nullptr: a tag this revision does not define.
using FieldNames = const char* (*)(std::uint32_t);
template <std::size_t N>
const char* lookup(const char* const (&names)[N], std::uint32_t tag) { return tag < N ? names[tag] : nullptr; }
const char* projectFieldName(std::uint32_t tag) {
  static const char* const names[] = {nullptr, "strings", "title", "tempo", "timeSignature.numerator", "timeSignature.denominator",
                                      "tempoChanges", "signatureChanges", "loop.enabled", "loop.start", "loop.end", "assets", "tracks",
                                      "master.gainDb", "master.devices", "master.delivery.preset", "master.delivery.targetLufs",
                                      "master.delivery.ceilingDbtp", "master.delivery.bits"};
  return lookup(names, tag);
}
const char* tempoFieldName(std::uint32_t tag) { static const char* const n[] = {nullptr, "beat", "bpm", "shape"}; return lookup(n, tag); }
const char* signatureFieldName(std::uint32_t tag) { static const char* const n[] = {nullptr, "bar", "numerator", "denominator"}; return lookup(n, tag); }
const char* assetFieldName(std::uint32_t tag) {
  static const char* const n[] = {nullptr, "id", "name", "sha256", "sha256", "sampleRate", "channels", "frames", "path"};
  return lookup(n, tag);
}
const char* trackFieldName(std::uint32_t tag) {
  static const char* const n[] = {nullptr, "id", "name", "kind", "instrument", "inserts", "clips", "output", "sends", "automation",
                                  "color", "color", "strip.gainDb", "strip.pan", "strip.mute", "strip.solo"};
  return lookup(n, tag);
}
const char* deviceFieldName(std::uint32_t tag) {
  static const char* const n[] = {nullptr, "type", "bypass", "sidechain", "id", "zones", "type", "params"};
  return tag >= device_tag::kFirstParam ? "params" : lookup(n, tag);
}
const char* zoneFieldName(std::uint32_t tag) {
  static const char* const n[] = {nullptr, "asset", "rootKey", "lowKey", "highKey", "lowVelocity", "highVelocity", "start", "end",
                                  "loop.mode", "loop.start", "loop.end", "loop.crossfade", "tune", "gainDb", "pan", "attack", "decay",
                                  "sustain", "release", "oneShot", "group", "offBy", "trigger"};
  return lookup(n, tag);
}
const char* clipFieldName(std::uint32_t tag) {
  static const char* const n[] = {nullptr, "name", "start", "length", "offset", "asset", "gainDb", "muted", "looped", "loop.start", "loop.end", "notes"};
  return lookup(n, tag);
}
const char* notesFieldName(std::uint32_t tag) {
  static const char* const n[] = {nullptr, "count", "ticksPerBeat", "starts", "pitches", "lengths", "velocityScale", "velocities",
                                  "starts", "lengths", "velocities"};
  return lookup(n, tag);
}
const char* sendFieldName(std::uint32_t tag) { static const char* const n[] = {nullptr, "target", "levelDb", "preFader"}; return lookup(n, tag); }
const char* laneFieldName(std::uint32_t tag) {
  static const char* const n[] = {nullptr, "target", "count", "beats", "values", "shapes", "tensions"};
  return lookup(n, tag);
}

// [SECTION] Fields, scalars, budget ---------------------------------------------------------------------
// One field as read: its number, wire type, where its key starts, and its value (a varint, a number, or
// the span of its bytes).
struct Field {
  std::uint32_t number = 0;
  Wire wire = kVarint;
  std::size_t at = 0;
  std::uint64_t u = 0;
  double real = 0;
  bool deviceDefault = false;
  std::size_t begin = 0, end = 0;
};

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }
std::string indexed(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

const char* wireName(Wire w) {
  switch (w) {
    case kVarint: return "a varint";
    case kNumber: return "a number";
    case kBytes: return "bytes";
  }
  return "?";
}

// Decodes the payload into a Project, stopping at the first problem with its place. Every message is
// read by a function of its own, called from its parent's: the nesting is the format's (project ->
// track -> device -> zone is the deepest), never the payload's.
class Decoder {
 public:
  Decoder(const std::uint8_t* data, std::size_t size) : d_(data), n_(size) {}

  bool run(Project& p) {
    if (n_ == 0) return fail(0, "", "the payload is empty");
    if (d_[0] != kProjectBinaryVersion) {
      if ((d_[0] & 0x0f) == 8 && ((d_[0] << 8) | (n_ > 1 ? d_[1] : 0)) % 31 == 0)
        return fail(0, "", "this is a v1 payload (deflated JSON) behind \"#p2=\"; a v1 link says \"#p=\"");
      return fail(0, "", "the payload's revision is " + std::to_string(d_[0]) + "; this build reads revision " +
                             std::to_string(kProjectBinaryVersion) + " (a newer Mixdown made the link?)");
    }
    return project(1, n_, p);
  }

  ProjectIssue error;

 private:
  const std::uint8_t* d_;
  std::size_t n_;
  std::vector<std::string> strings_;
  std::size_t spent_ = 0;  // model bytes the decoder has built (see kMaxLinkModelBytes)

  bool fail(std::size_t at, const std::string& path, const std::string& message) {
    error = {path, message + " (at byte " + std::to_string(at) + " of the decoded payload)"};
    return false;
  }
  static std::string tagText(const Field& f) { return "tag " + std::to_string(f.number); }

  // Counts `bytes` of model memory against the budget before they are allocated.
  bool spend(std::size_t bytes, std::size_t at, const std::string& path) {
    if (bytes > kMaxLinkModelBytes - std::min(spent_, kMaxLinkModelBytes))
      return fail(at, path, "the project would take more than " + std::to_string(kMaxLinkModelBytes / (1024 * 1024)) +
                                " MB of memory; refused");
    spent_ += bytes;
    return true;
  }

  static const char* numberProblem(NumberRead r) {
    switch (r) {
      case NumberRead::CutOff: return "the number is cut off";
      case NumberRead::TooLarge: return "the number's integer part is beyond 2^53";
      case NumberRead::NotFinite: return "the number is not finite (NaN or infinity)";
      case NumberRead::UnknownEscape: return "the number has an escape this build does not know";
      default: return "the number is damaged";
    }
  }

  // Reads the field at `pos` (within [pos, end)) and steps over it. `names` names the message's fields, so
  // a field that cannot be stepped over is reported by its path.
  bool next(std::size_t& pos, std::size_t end, Field& f, const std::string& path, FieldNames names) {
    f = Field{};
    f.at = pos;
    std::uint64_t key = 0;
    if (!getVarint(d_, pos, end, key)) return fail(f.at, path, "a field's tag is cut off or longer than 64 bits");
    if ((key >> 3) == 0 || (key >> 3) > kMaxFieldNumber)
      return fail(f.at, path, "a field has tag " + std::to_string(key >> 3) + " (tags are 1 to 2^29 - 1)");
    f.number = static_cast<std::uint32_t>(key >> 3);
    const char* name = names(f.number);
    const std::string where = name ? join(path, name) : path;
    const std::uint64_t w = key & 7;
    switch (w) {
      case kVarint:
        f.wire = kVarint;
        if (!getVarint(d_, pos, end, f.u)) return fail(f.at, where, tagText(f) + ": its varint is cut off or longer than 64 bits");
        return true;
      case kNumber: {
        f.wire = kNumber;
        const NumberRead r = wire::getNumber(d_, pos, end, f.real);
        if (r == NumberRead::DeviceDefault) f.deviceDefault = true;
        else if (r != NumberRead::Value) return fail(f.at, where, tagText(f) + ": " + numberProblem(r));
        return true;
      }
      case kBytes: {
        f.wire = kBytes;
        std::uint64_t length = 0;
        if (!getVarint(d_, pos, end, length)) return fail(f.at, where, tagText(f) + ": its length is cut off");
        if (length > end - pos)
          return fail(f.at, where, tagText(f) + " says it holds " + std::to_string(length) + " bytes but only " +
                                       std::to_string(end - pos) + " are left: the link is cut off or damaged");
        f.begin = pos;
        f.end = pos + static_cast<std::size_t>(length);
        pos = f.end;
        return true;
      }
      default:
        return fail(f.at, where, tagText(f) + " has wire type " + std::to_string(w) + ", which no revision defines (it cannot be skipped)");
    }
  }

  bool wantWire(const Field& f, Wire w, const std::string& path) {
    if (f.wire == w) return true;
    return fail(f.at, path, "is " + std::string(wireName(f.wire)) + " (" + tagText(f) + "); it must be " + wireName(w));
  }
  bool getNumber(const Field& f, const std::string& path, double& out) {
    if (!wantWire(f, kNumber, path)) return false;
    if (f.deviceDefault) return fail(f.at, path, "says \"the device's default\", which only a device parameter can (" + tagText(f) + ")");
    out = f.real;
    return true;
  }
  bool getBool(const Field& f, const std::string& path, bool& out) {
    if (!wantWire(f, kVarint, path)) return false;
    if (f.u > 1) return fail(f.at, path, "must be 0 or 1 (got " + std::to_string(f.u) + ", " + tagText(f) + ")");
    out = f.u == 1;
    return true;
  }
  bool getInt64(const Field& f, const std::string& path, std::int64_t& out) {
    if (!wantWire(f, kVarint, path)) return false;
    out = unzigzag(f.u);
    return true;
  }
  bool getInt(const Field& f, const std::string& path, int& out) {
    std::int64_t v = 0;
    if (!getInt64(f, path, v)) return false;
    if (v < -(1LL << 31) || v >= (1LL << 31)) return fail(f.at, path, "is beyond a 32-bit integer (got " + std::to_string(v) + ", " + tagText(f) + ")");
    out = static_cast<int>(v);
    return true;
  }
  template <typename Enum>
  bool getEnum(const Field& f, const std::string& path, std::uint64_t count, Enum& out) {
    if (!wantWire(f, kVarint, path)) return false;
    if (f.u >= count)
      return fail(f.at, path, "is choice " + std::to_string(f.u) + " of " + std::to_string(count) + " (0 to " + std::to_string(count - 1) + "; " + tagText(f) + ")");
    out = static_cast<Enum>(f.u);
    return true;
  }
  bool getString(const Field& f, const std::string& path, std::string& out) {
    if (!wantWire(f, kVarint, path)) return false;
    return stringAt(f.u, f.at, path, out);
  }
  bool stringAt(std::uint64_t index, std::size_t at, const std::string& path, std::string& out) {
    if (index >= strings_.size())
      return fail(at, path, "names string " + std::to_string(index) + " but the string table has " + std::to_string(strings_.size()) +
                                " so far (its entries come first)");
    const std::string& s = strings_[static_cast<std::size_t>(index)];
    if (!spend(s.size(), at, path)) return false;  // every use is a copy: a long string used often is counted each time
    out = s;
    return true;
  }
  // Makes room for one more element of a repeated field, refusing past the model's limit or the budget.
  template <typename T>
  bool grow(std::vector<T>& list, std::size_t limit, const Field& f, const std::string& path, const char* what) {
    if (!wantWire(f, kBytes, path)) return false;
    if (list.size() >= limit)
      return fail(f.at, path, "more than " + std::to_string(limit) + " " + what + " (" + tagText(f) + ")");
    if (!spend(sizeof(T), f.at, path)) return false;
    list.emplace_back();
    return true;
  }

  // [SECTION] Messages ------------------------------------------------------------------------------------
  bool project(std::size_t pos, std::size_t end, Project& p) {
    using namespace project_tag;
    Field f;
    while (pos < end) {
      if (!next(pos, end, f, "", projectFieldName)) return false;
      switch (f.number) {
        case kString: {
          if (!wantWire(f, kBytes, "strings")) return false;
          if (strings_.size() >= kMaxStrings) return fail(f.at, "strings", "more than " + std::to_string(kMaxStrings) + " strings");
          std::size_t badAt = 0;
          if (!isUtf8(d_, f.begin, f.end, badAt))
            return fail(badAt, indexed("strings", strings_.size()), "is not valid UTF-8");
          if (!spend(f.end - f.begin + sizeof(std::string), f.at, "strings")) return false;
          strings_.emplace_back(reinterpret_cast<const char*>(d_) + f.begin, f.end - f.begin);
          break;
        }
        case kTitle: if (!getString(f, "title", p.title)) return false; break;
        case kTempo: if (!getNumber(f, "tempo", p.tempo)) return false; break;
        case kSignatureTop: if (!getInt(f, "timeSignature.numerator", p.timeSignature.numerator)) return false; break;
        case kSignatureBottom: if (!getInt(f, "timeSignature.denominator", p.timeSignature.denominator)) return false; break;
        case kTempoPoint: {
          const std::string path = indexed("tempoChanges", p.tempoChanges.size());
          if (!grow(p.tempoChanges, kMaxTempoPoints, f, "tempoChanges", "tempo points")) return false;
          if (!tempoPoint(f.begin, f.end, path, p.tempoChanges.back())) return false;
          break;
        }
        case kSignatureChange: {
          const std::string path = indexed("signatureChanges", p.signatureChanges.size());
          if (!grow(p.signatureChanges, kMaxSignatureChanges, f, "signatureChanges", "signature changes")) return false;
          if (!signatureChange(f.begin, f.end, path, p.signatureChanges.back())) return false;
          break;
        }
        case kLoopEnabled: if (!getBool(f, "loop.enabled", p.loop.enabled)) return false; break;
        case kLoopStart: if (!getNumber(f, "loop.start", p.loop.startBeat)) return false; break;
        case kLoopEnd: if (!getNumber(f, "loop.end", p.loop.endBeat)) return false; break;
        case kAsset: {
          const std::string path = indexed("assets", p.assets.size());
          if (!grow(p.assets, kMaxAssets, f, "assets", "assets")) return false;
          if (!asset(f.begin, f.end, path, p.assets.back())) return false;
          break;
        }
        case kTrack: {
          const std::string path = indexed("tracks", p.tracks.size());
          if (!grow(p.tracks, kMaxTracks, f, "tracks", "tracks")) return false;
          if (!track(f.begin, f.end, path, p.tracks.back())) return false;
          break;
        }
        case kMasterGain: if (!getNumber(f, "master.gainDb", p.master.gainDb)) return false; break;
        case kMasterDevice: {
          const std::string path = indexed("master.devices", p.master.devices.size());
          if (!grow(p.master.devices, kMaxMasterDevices, f, "master.devices", "master devices")) return false;
          if (!device(f.begin, f.end, path, p.master.devices.back(), "")) return false;
          break;
        }
        case kDeliveryPreset: if (!getString(f, "master.delivery.preset", p.master.delivery.preset)) return false; break;
        case kDeliveryLufs: if (!getNumber(f, "master.delivery.targetLufs", p.master.delivery.targetLufs)) return false; break;
        case kDeliveryCeiling: if (!getNumber(f, "master.delivery.ceilingDbtp", p.master.delivery.ceilingDbtp)) return false; break;
        case kDeliveryBits: if (!getInt(f, "master.delivery.bits", p.master.delivery.bits)) return false; break;
        default: break;  // a field of a later revision: skipped by its wire type
      }
    }
    return true;
  }

  bool tempoPoint(std::size_t pos, std::size_t end, const std::string& path, TempoPoint& pt) {
    Field f;
    while (pos < end) {
      if (!next(pos, end, f, path, tempoFieldName)) return false;
      switch (f.number) {
        case tempo_tag::kBeat: if (!getNumber(f, join(path, "beat"), pt.beat)) return false; break;
        case tempo_tag::kBpm: if (!getNumber(f, join(path, "bpm"), pt.bpm)) return false; break;
        case tempo_tag::kShape: if (!getEnum(f, join(path, "shape"), 2, pt.shape)) return false; break;
        default: break;
      }
    }
    return true;
  }

  bool signatureChange(std::size_t pos, std::size_t end, const std::string& path, SignatureChange& sc) {
    Field f;
    while (pos < end) {
      if (!next(pos, end, f, path, signatureFieldName)) return false;
      switch (f.number) {
        case signature_tag::kBar: if (!getInt(f, join(path, "bar"), sc.bar)) return false; break;
        case signature_tag::kTop: if (!getInt(f, join(path, "numerator"), sc.numerator)) return false; break;
        case signature_tag::kBottom: if (!getInt(f, join(path, "denominator"), sc.denominator)) return false; break;
        default: break;
      }
    }
    return true;
  }

  bool asset(std::size_t pos, std::size_t end, const std::string& path, Asset& a) {
    using namespace asset_tag;
    Field f;
    while (pos < end) {
      if (!next(pos, end, f, path, assetFieldName)) return false;
      switch (f.number) {
        case kId: if (!getString(f, join(path, "id"), a.id)) return false; break;
        case kName: if (!getString(f, join(path, "name"), a.name)) return false; break;
        case kSha256: {
          if (!wantWire(f, kBytes, join(path, "sha256"))) return false;
          if (f.end - f.begin != 32) return fail(f.at, join(path, "sha256"), "must be 32 bytes (got " + std::to_string(f.end - f.begin) + ")");
          static const char* hex = "0123456789abcdef";
          a.sha256.clear();
          for (std::size_t i = f.begin; i < f.end; ++i) {
            a.sha256 += hex[d_[i] >> 4];
            a.sha256 += hex[d_[i] & 15];
          }
          break;
        }
        case kSha256Text: if (!getString(f, join(path, "sha256"), a.sha256)) return false; break;
        case kSampleRate: if (!getNumber(f, join(path, "sampleRate"), a.sampleRate)) return false; break;
        case kChannels: if (!getInt(f, join(path, "channels"), a.channels)) return false; break;
        case kFrames: if (!getInt64(f, join(path, "frames"), a.frames)) return false; break;
        case kPath: if (!getString(f, join(path, "path"), a.path)) return false; break;
        default: break;
      }
    }
    return true;
  }

  bool track(std::size_t pos, std::size_t end, const std::string& path, Track& t) {
    using namespace track_tag;
    Field f;
    while (pos < end) {
      if (!next(pos, end, f, path, trackFieldName)) return false;
      switch (f.number) {
        case kId: if (!getString(f, join(path, "id"), t.id)) return false; break;
        case kName: if (!getString(f, join(path, "name"), t.name)) return false; break;
        case kKind: if (!getEnum(f, join(path, "kind"), 3, t.kind)) return false; break;
        case kInstrument: {
          const std::string ip = join(path, "instrument");
          if (!wantWire(f, kBytes, ip) || !spend(sizeof(DeviceState), f.at, ip)) return false;
          DeviceState d;
          if (!device(f.begin, f.end, ip, d, "")) return false;
          t.instrument = std::move(d);
          break;
        }
        case kInsert: {
          const std::size_t k = t.inserts.size();
          if (!grow(t.inserts, kMaxInserts, f, join(path, "inserts"), "inserts")) return false;
          if (!device(f.begin, f.end, indexed(join(path, "inserts"), k), t.inserts.back(), insertDefaultId(k))) return false;
          break;
        }
        case kClip: {
          const std::string cp = indexed(join(path, "clips"), t.clips.size());
          if (!grow(t.clips, kMaxClipsPerTrack, f, join(path, "clips"), "clips")) return false;
          if (!clip(f.begin, f.end, cp, t.clips.back())) return false;
          break;
        }
        case kOutput: if (!getString(f, join(path, "output"), t.output)) return false; break;
        case kSend: {
          const std::string sp = indexed(join(path, "sends"), t.sends.size());
          if (!grow(t.sends, kMaxSends, f, join(path, "sends"), "sends")) return false;
          if (!send(f.begin, f.end, sp, t.sends.back())) return false;
          break;
        }
        case kAutomation: {
          const std::string ap = indexed(join(path, "automation"), t.automation.size());
          if (!grow(t.automation, kMaxAutomationLanes, f, join(path, "automation"), "automation lanes")) return false;
          if (!automation(f.begin, f.end, ap, t.automation.back())) return false;
          break;
        }
        case kColor: {
          if (!wantWire(f, kVarint, join(path, "color"))) return false;
          if (f.u > 0xffffff) return fail(f.at, join(path, "color"), "must be a 24-bit RGB value (got " + std::to_string(f.u) + ")");
          static const char* hex = "0123456789abcdef";
          t.color = "#";
          for (int shift = 20; shift >= 0; shift -= 4) t.color += hex[(f.u >> shift) & 15];
          break;
        }
        case kColorText: if (!getString(f, join(path, "color"), t.color)) return false; break;
        case kGain: if (!getNumber(f, join(path, "strip.gainDb"), t.strip.gainDb)) return false; break;
        case kPan: if (!getNumber(f, join(path, "strip.pan"), t.strip.pan)) return false; break;
        case kMute: if (!getBool(f, join(path, "strip.mute"), t.strip.mute)) return false; break;
        case kSolo: if (!getBool(f, join(path, "strip.solo"), t.strip.solo)) return false; break;
        default: break;
      }
    }
    return true;
  }

  // A parameter's value: the number read, or the device's default for the default escape.
  bool paramValue(const DeviceDescriptor* desc, const DeviceState& d, const std::string& id, bool deviceDefault, std::size_t at,
                  const std::string& path, double& value) {
    if (!deviceDefault) return true;
    const ParamDescriptor* pd = desc ? desc->findParam(id) : nullptr;
    if (!pd)
      return fail(at, path, "says \"the device's default\" but " +
                                (desc ? "\"" + d.type + "\" has no parameter \"" + id + "\""
                                      : std::string("the device's type is not known here (it must come before its parameters)")));
    value = pd->defaultValue;
    return true;
  }
  bool setParam(DeviceState& d, const std::string& id, double value, std::size_t at, const std::string& path) {
    if (!spend(id.size() + 64, at, path)) return false;  // a map node and its key
    d.params[id] = value;
    return true;
  }

  // Parameters by number (device field 7): a bitmap over the device's list in LinkDeviceNumbers.h, then one
  // number per set bit, in bit order.
  bool numberedParams(const Field& f, const std::string& path, int number, const DeviceDescriptor* desc, DeviceState& d) {
    if (number < 0) return fail(f.at, path, "come by number before the device's type is known by number (device field 6 comes first)");
    const auto& names = linkDeviceNumbers()[static_cast<std::size_t>(number)].params;
    std::size_t pos = f.begin;
    std::uint64_t bytes = 0;
    if (!getVarint(d_, pos, f.end, bytes)) return fail(pos, path, "the bitmap's length is cut off");
    if (bytes > f.end - pos) return fail(f.at, path, "the bitmap says " + std::to_string(bytes) + " bytes but only " + std::to_string(f.end - pos) + " are left");
    const std::size_t bitmap = pos;
    pos += static_cast<std::size_t>(bytes);
    for (std::size_t k = 0; k < bytes * 8; ++k) {
      if (!(d_[bitmap + k / 8] & (1u << (k % 8)))) continue;
      if (k >= names.size())
        return fail(bitmap + k / 8, path, "parameter number " + std::to_string(k) + " of \"" + d.type + "\" is not one this build knows (it has " +
                                              std::to_string(names.size()) + "; a newer Mixdown made the link?)");
      const std::string id = names[k];
      const std::size_t at = pos;
      double value = 0;
      const NumberRead r = wire::getNumber(d_, pos, f.end, value);
      if (r != NumberRead::Value && r != NumberRead::DeviceDefault) return fail(at, join(path, id), numberProblem(r));
      if (!paramValue(desc, d, id, r == NumberRead::DeviceDefault, at, join(path, id), value) || !setParam(d, id, value, at, path)) return false;
    }
    if (pos != f.end) return fail(pos, path, "has " + std::to_string(f.end - pos) + " bytes after the last parameter's value");
    return true;
  }

  bool device(std::size_t pos, std::size_t end, const std::string& path, DeviceState& d, const std::string& defaultId) {
    using namespace device_tag;
    d.id = defaultId;
    const DeviceDescriptor* desc = nullptr;  // known once the type is read (the encoder writes it first)
    int number = -1;                         // the type's link number
    Field f;
    while (pos < end) {
      if (!next(pos, end, f, path, deviceFieldName)) return false;
      if (f.number >= kFirstParam) {
        std::string id;
        const std::string pp = join(path, "params");
        if (!wantWire(f, kNumber, pp) || !stringAt(f.number - kFirstParam, f.at, pp, id)) return false;
        double value = f.real;
        if (!paramValue(desc, d, id, f.deviceDefault, f.at, join(pp, id), value) || !setParam(d, id, value, f.at, pp)) return false;
        continue;
      }
      switch (f.number) {
        case kType:
          if (!getString(f, join(path, "type"), d.type)) return false;
          desc = findDevice(d.type);
          number = linkDeviceNumber(d.type);
          break;
        case kTypeNumber: {
          const std::string tp = join(path, "type");
          if (!wantWire(f, kVarint, tp)) return false;
          if (f.u >= linkDeviceNumbers().size())
            return fail(f.at, tp, "device number " + std::to_string(f.u) + " is not one this build knows (it has " +
                                      std::to_string(linkDeviceNumbers().size()) + "; a newer Mixdown made the link?)");
          number = static_cast<int>(f.u);
          d.type = linkDeviceNumbers()[f.u].type;
          desc = findDevice(d.type);
          break;
        }
        case kParams:
          if (!wantWire(f, kBytes, join(path, "params")) || !numberedParams(f, join(path, "params"), number, desc, d)) return false;
          break;
        case kBypass: if (!getBool(f, join(path, "bypass"), d.bypass)) return false; break;
        case kSidechain: if (!getString(f, join(path, "sidechain"), d.sidechain)) return false; break;
        case kId: if (!getString(f, join(path, "id"), d.id)) return false; break;
        case kZone: {
          const std::string zp = indexed(join(path, "zones"), d.zones.size());
          if (!grow(d.zones, kMaxZones, f, join(path, "zones"), "zones")) return false;
          if (!zone(f.begin, f.end, zp, d.zones.back())) return false;
          break;
        }
        default: break;
      }
    }
    return true;
  }

  bool zone(std::size_t pos, std::size_t end, const std::string& path, SampleZone& z) {
    using namespace zone_tag;
    Field f;
    while (pos < end) {
      if (!next(pos, end, f, path, zoneFieldName)) return false;
      bool ok = true;
      switch (f.number) {
        case kAsset: ok = getString(f, join(path, "asset"), z.asset); break;
        case kRootKey: ok = getInt(f, join(path, "rootKey"), z.rootKey); break;
        case kLowKey: ok = getInt(f, join(path, "lowKey"), z.lowKey); break;
        case kHighKey: ok = getInt(f, join(path, "highKey"), z.highKey); break;
        case kLowVelocity: ok = getInt(f, join(path, "lowVelocity"), z.lowVelocity); break;
        case kHighVelocity: ok = getInt(f, join(path, "highVelocity"), z.highVelocity); break;
        case kStart: ok = getInt64(f, join(path, "start"), z.start); break;
        case kEnd: ok = getInt64(f, join(path, "end"), z.end); break;
        case kLoop: ok = getEnum(f, join(path, "loop.mode"), 3, z.loop); break;
        case kLoopStart: ok = getInt64(f, join(path, "loop.start"), z.loopStart); break;
        case kLoopEnd: ok = getInt64(f, join(path, "loop.end"), z.loopEnd); break;
        case kCrossfade: ok = getInt64(f, join(path, "loop.crossfade"), z.crossfade); break;
        case kTune: ok = getNumber(f, join(path, "tune"), z.tuneCents); break;
        case kGain: ok = getNumber(f, join(path, "gainDb"), z.gainDb); break;
        case kPan: ok = getNumber(f, join(path, "pan"), z.pan); break;
        case kAttack: ok = getNumber(f, join(path, "attack"), z.attackMs); break;
        case kDecay: ok = getNumber(f, join(path, "decay"), z.decayMs); break;
        case kSustain: ok = getNumber(f, join(path, "sustain"), z.sustain); break;
        case kRelease: ok = getNumber(f, join(path, "release"), z.releaseMs); break;
        case kOneShot: ok = getBool(f, join(path, "oneShot"), z.oneShot); break;
        case kGroup: ok = getInt(f, join(path, "group"), z.group); break;
        case kOffBy: ok = getInt(f, join(path, "offBy"), z.offBy); break;
        case kTrigger: ok = getEnum(f, join(path, "trigger"), 4, z.trigger); break;
        default: break;
      }
      if (!ok) return false;
    }
    return true;
  }

  bool send(std::size_t pos, std::size_t end, const std::string& path, SendState& s) {
    Field f;
    while (pos < end) {
      if (!next(pos, end, f, path, sendFieldName)) return false;
      switch (f.number) {
        case send_tag::kTarget: if (!getString(f, join(path, "target"), s.target)) return false; break;
        case send_tag::kLevel: if (!getNumber(f, join(path, "levelDb"), s.levelDb)) return false; break;
        case send_tag::kPreFader: if (!getBool(f, join(path, "preFader"), s.preFader)) return false; break;
        default: break;
      }
    }
    return true;
  }

  bool clip(std::size_t pos, std::size_t end, const std::string& path, Clip& c) {
    using namespace clip_tag;
    Field f;
    while (pos < end) {
      if (!next(pos, end, f, path, clipFieldName)) return false;
      bool ok = true;
      switch (f.number) {
        case kName: ok = getString(f, join(path, "name"), c.name); break;
        case kStart: ok = getNumber(f, join(path, "start"), c.start); break;
        case kLength: ok = getNumber(f, join(path, "length"), c.length); break;
        case kOffset: ok = getNumber(f, join(path, "offset"), c.offset); break;
        case kAsset: ok = getString(f, join(path, "asset"), c.asset); break;
        case kGain: ok = getNumber(f, join(path, "gainDb"), c.gainDb); break;
        case kMuted: ok = getBool(f, join(path, "muted"), c.muted); break;
        case kLooped: ok = getBool(f, join(path, "looped"), c.looped); break;
        case kLoopStart: ok = getNumber(f, join(path, "loop.start"), c.loopStart); break;
        case kLoopEnd: ok = getNumber(f, join(path, "loop.end"), c.loopEnd); break;
        case kNotes: ok = wantWire(f, kBytes, join(path, "notes")) && notes(f.begin, f.end, join(path, "notes"), c.notes); break;
        default: break;
      }
      if (!ok) return false;
    }
    return true;
  }

  // A packed column of `count` values: `one(i, pos, end)` reads value i. The column must hold exactly
  // `count` values.
  template <typename ReadOne>
  bool column(const Field& f, std::size_t count, const std::string& path, const char* noun, ReadOne&& one) {
    std::size_t pos = f.begin;
    for (std::size_t i = 0; i < count; ++i) {
      if (pos >= f.end)
        return fail(pos, path, "ends after " + std::to_string(i) + " of " + std::to_string(count) + " " + noun + " (" + tagText(f) + ")");
      if (!one(i, pos, f.end)) return false;
    }
    if (pos != f.end)
      return fail(pos, path, "has " + std::to_string(f.end - pos) + " bytes after its last value (" + std::to_string(count) + " " + noun + "; " + tagText(f) + ")");
    return true;
  }
  // One number of a column (the device-default escape has no meaning there).
  bool columnNumber(std::size_t& pos, std::size_t end, const std::string& path, double& out) {
    const std::size_t at = pos;
    const NumberRead r = wire::getNumber(d_, pos, end, out);
    if (r == NumberRead::Value) return true;
    if (r == NumberRead::DeviceDefault) return fail(at, path, "a value says \"the device's default\", which only a device parameter can");
    return fail(at, path, numberProblem(r));
  }
  bool columnVarint(std::size_t& pos, std::size_t end, const std::string& path, std::uint64_t& out) {
    const std::size_t at = pos;
    if (!getVarint(d_, pos, end, out)) return fail(at, path, "a value is cut off or longer than 64 bits");
    return true;
  }
  // Reads a count field and checks it against `limit`.
  bool count(const Field& f, const std::string& path, std::size_t limit, const char* noun, std::size_t& out) {
    if (!wantWire(f, kVarint, path)) return false;
    if (f.u > limit) return fail(f.at, path, std::to_string(f.u) + " " + noun + " (at most " + std::to_string(limit) + ")");
    out = static_cast<std::size_t>(f.u);
    return true;
  }

  // A column's exceptions (notes fields 8..10): pairs of (gap from the previous exception's note, its exact
  // value), overriding what the column gave those notes.
  bool exceptions(const Field& f, std::size_t n, const std::string& path, std::vector<Note>& notes, double Note::*member) {
    if (!f.number) return true;
    std::size_t pos = f.begin, first = 0;  // the first note the next exception may name
    while (pos < f.end) {
      const std::size_t at = pos;
      std::uint64_t gap = 0;
      if (!columnVarint(pos, f.end, path, gap)) return false;
      if (gap >= n - std::min(first, n))
        return fail(at, path, "an exception names note " + (gap > n ? "beyond " + std::to_string(n) : std::to_string(first + gap)) + " of " + std::to_string(n) + " (tag " + std::to_string(f.number) + ")");
      const std::size_t i = first + static_cast<std::size_t>(gap);
      if (!columnNumber(pos, f.end, path, notes[i].*member)) return false;
      first = i + 1;
    }
    return true;
  }

  bool notes(std::size_t pos, std::size_t end, const std::string& path, std::vector<Note>& out) {
    using namespace notes_tag;
    // The fields first (any order), then the columns, once the count is known and paid for.
    std::size_t n = 0, countAt = pos;
    std::uint64_t grid = 0, scale = 0;
    Field starts, pitches, lengths, velocities, startExceptions, lengthExceptions, velocityExceptions;
    Field f;
    while (pos < end) {
      if (!next(pos, end, f, path, notesFieldName)) return false;
      switch (f.number) {
        case kCount:
          if (!count(f, join(path, "count"), kMaxNotesPerClip, "notes", n)) return false;
          countAt = f.at;
          break;
        case kTicksPerBeat:
          if (!wantWire(f, kVarint, join(path, "ticksPerBeat"))) return false;
          if (f.u < 1 || f.u > kMaxTicksPerBeat)
            return fail(f.at, join(path, "ticksPerBeat"), "must be 1 to " + std::to_string(kMaxTicksPerBeat) + " (got " + std::to_string(f.u) + ")");
          grid = f.u;
          break;
        case kVelocityScale:
          if (!wantWire(f, kVarint, join(path, "velocityScale"))) return false;
          if (f.u < 1 || f.u > kMaxVelocityScale)
            return fail(f.at, join(path, "velocityScale"), "must be 1 to " + std::to_string(kMaxVelocityScale) + " (got " + std::to_string(f.u) + ")");
          scale = f.u;
          break;
        case kStarts: if (!wantWire(f, kBytes, join(path, "starts"))) return false; starts = f; break;
        case kPitches: if (!wantWire(f, kBytes, join(path, "pitches"))) return false; pitches = f; break;
        case kLengths: if (!wantWire(f, kBytes, join(path, "lengths"))) return false; lengths = f; break;
        case kVelocities: if (!wantWire(f, kBytes, join(path, "velocities"))) return false; velocities = f; break;
        case kStartExceptions: if (!wantWire(f, kBytes, join(path, "starts"))) return false; startExceptions = f; break;
        case kLengthExceptions: if (!wantWire(f, kBytes, join(path, "lengths"))) return false; lengthExceptions = f; break;
        case kVelocityExceptions: if (!wantWire(f, kBytes, join(path, "velocities"))) return false; velocityExceptions = f; break;
        default: break;
      }
    }
    if (!spend(n * sizeof(Note), countAt, path)) return false;
    out.assign(n, Note{});
    const double ticks = static_cast<double>(grid);
    if (starts.number) {
      const std::string sp = join(path, "starts");
      std::int64_t k = 0;
      if (!column(starts, n, sp, "notes", [&](std::size_t i, std::size_t& at, std::size_t stop) {
            if (grid == 0) return columnNumber(at, stop, sp, out[i].start);
            const std::size_t from = at;
            std::uint64_t u = 0;
            if (!columnVarint(at, stop, sp, u)) return false;
            const std::int64_t delta = unzigzag(u);
            if (delta > (1LL << 53) || delta < -(1LL << 53) || std::llabs(k + delta) > (1LL << 53))
              return fail(from, sp, "note " + std::to_string(i) + " starts beyond 2^53 ticks");
            k += delta;
            out[i].start = static_cast<double>(k) / ticks;
            return true;
          }))
        return false;
    }
    if (pitches.number) {
      const std::string pp = join(path, "pitches");
      std::int64_t pitch = kNotePitchBase;
      if (!column(pitches, n, pp, "notes", [&](std::size_t i, std::size_t& at, std::size_t stop) {
            const std::size_t from = at;
            std::uint64_t u = 0;
            if (!columnVarint(at, stop, pp, u)) return false;
            const std::int64_t delta = unzigzag(u);
            if (delta > (1LL << 31) || delta < -(1LL << 31) || pitch + delta >= (1LL << 31) || pitch + delta < -(1LL << 31))
              return fail(from, pp, "note " + std::to_string(i) + "'s pitch is beyond a 32-bit integer");
            pitch += delta;
            out[i].pitch = static_cast<int>(pitch);
            return true;
          }))
        return false;
    }
    if (lengths.number) {
      const std::string lp = join(path, "lengths");
      if (!column(lengths, n, lp, "notes", [&](std::size_t i, std::size_t& at, std::size_t stop) {
            if (grid == 0) return columnNumber(at, stop, lp, out[i].length);
            const std::size_t from = at;
            std::uint64_t k = 0;
            if (!columnVarint(at, stop, lp, k)) return false;
            if (k > (1ULL << 53)) return fail(from, lp, "note " + std::to_string(i) + " lasts beyond 2^53 ticks");
            out[i].length = static_cast<double>(k) / ticks;
            return true;
          }))
        return false;
    }
    if (velocities.number) {
      const std::string vp = join(path, "velocities");
      if (!column(velocities, n, vp, "notes", [&](std::size_t i, std::size_t& at, std::size_t stop) {
            if (scale == 0) return columnNumber(at, stop, vp, out[i].velocity);
            const std::size_t from = at;
            std::uint64_t k = 0;
            if (!columnVarint(at, stop, vp, k)) return false;
            if (k > (1ULL << 53)) return fail(from, vp, "note " + std::to_string(i) + "'s velocity is beyond 2^53 steps");
            out[i].velocity = static_cast<double>(k) / static_cast<double>(scale);
            return true;
          }))
        return false;
    }
    return exceptions(startExceptions, n, join(path, "starts"), out, &Note::start) &&
           exceptions(lengthExceptions, n, join(path, "lengths"), out, &Note::length) &&
           exceptions(velocityExceptions, n, join(path, "velocities"), out, &Note::velocity);
  }

  bool automation(std::size_t pos, std::size_t end, const std::string& path, AutomationLane& lane) {
    using namespace lane_tag;
    std::size_t n = 0, countAt = pos;
    Field beats, values, shapes, tensions;
    Field f;
    while (pos < end) {
      if (!next(pos, end, f, path, laneFieldName)) return false;
      switch (f.number) {
        case kTarget: if (!getString(f, join(path, "target"), lane.target)) return false; break;
        case kCount:
          if (!count(f, join(path, "count"), kMaxAutomationPoints, "points", n)) return false;
          countAt = f.at;
          break;
        case kBeats: if (!wantWire(f, kBytes, join(path, "beats"))) return false; beats = f; break;
        case kValues: if (!wantWire(f, kBytes, join(path, "values"))) return false; values = f; break;
        case kShapes: if (!wantWire(f, kBytes, join(path, "shapes"))) return false; shapes = f; break;
        case kTensions: if (!wantWire(f, kBytes, join(path, "tensions"))) return false; tensions = f; break;
        default: break;
      }
    }
    if (!spend(n * sizeof(AutomationPoint), countAt, path)) return false;
    lane.points.assign(n, AutomationPoint{});
    auto numbers = [&](const Field& col, const char* name, double AutomationPoint::*member) {
      if (!col.number) return true;
      const std::string cp = join(path, name);
      return column(col, n, cp, "points", [&](std::size_t i, std::size_t& at, std::size_t stop) {
        return columnNumber(at, stop, cp, lane.points[i].*member);
      });
    };
    if (!numbers(beats, "beats", &AutomationPoint::beat) || !numbers(values, "values", &AutomationPoint::value) ||
        !numbers(tensions, "tensions", &AutomationPoint::tension))
      return false;
    if (shapes.number) {
      const std::string sp = join(path, "shapes");
      if (!column(shapes, n, sp, "points", [&](std::size_t i, std::size_t& at, std::size_t stop) {
            const std::size_t from = at;
            std::uint64_t u = 0;
            if (!columnVarint(at, stop, sp, u)) return false;
            if (u > 2) return fail(from, sp, "point " + std::to_string(i) + " has shape " + std::to_string(u) + " (0 linear, 1 curved, 2 step)");
            lane.points[i].shape = static_cast<AutomationShape>(u);
            return true;
          }))
        return false;
    }
    return true;
  }
};

}  // namespace

// [SECTION] Entry point ----------------------------------------------------------------------------------
ProjectLoad decodeProjectBinary(const std::uint8_t* data, std::size_t size) {
  ProjectLoad load;
  Decoder decoder(data, size);
  if (!decoder.run(load.project)) {
    load.project = Project{};
    load.issues.push_back(decoder.error);
    return load;
  }
  // As the JSON reader does: an insert without an id, or with one already taken on its track, gets a fresh
  // one, so the engine can tell inserts apart. A payload the encoder wrote has unique ids and is unchanged.
  for (Track& t : load.project.tracks) assignDeviceIds(t);
  load.issues = validateProject(load.project);
  if (load.issues.size() > kMaxReportedIssues) {
    const std::size_t more = load.issues.size() - kMaxReportedIssues;
    load.issues.resize(kMaxReportedIssues);
    load.issues.push_back({"", "and " + std::to_string(more) + " more problems"});
  }
  return load;
}

}  // namespace mixdown
