// Share link v2's encoder: a Project as the binary payload of core/share/README.md (tags in
// ProjectBinaryTags.h). Strings go into one table at the payload's start and are named by index; a field
// whose value is the model's default is left out.
#include <algorithm>
#include <numeric>
#include <string>
#include <unordered_map>

#include "devices/Registry.h"
#include "share/LinkDeviceNumbers.h"
#include "share/ProjectBinary.h"
#include "share/ProjectBinaryTags.h"

namespace mixdown {
namespace {

using namespace wire;
using namespace binary;

// Denominators tried for a value that is no short decimal (1/3 of a beat, a tick of a 960 PPQ file).
constexpr std::uint64_t kOtherDenominators[] = {3, 6, 12, 24, 48, 96, 192, 384, 768, 960, 1536, 1920, 3840, 127, 254, 508, 1016};

// A common grid of `values`: a d <= `limit` (ticks per beat, velocity steps), as small as the values allow,
// with the values exactly k / d, bit for bit, for integers k; 0 when the grid would be finer than `limit`.
// Built from each value's own denominator (a decimal's reduced one, or one of kOtherDenominators), so
// 0.475 and 0.95 beats give 40. A value with none (pi, 1.4249999999999998) is left to the exceptions.
std::uint64_t commonDenominator(const std::vector<double>& values, std::uint64_t limit) {
  std::uint64_t grid = 1;
  for (double v : values) {
    std::int64_t k = 0;
    if (onGrid(v, static_cast<double>(grid), k)) continue;
    std::uint64_t own = 0;
    std::int64_t m = 0;
    int e = 0;
    if (decimalOf(v, m, e)) {
      const auto power = static_cast<std::uint64_t>(kPowersOfTen[e]);
      own = power / std::gcd(static_cast<std::uint64_t>(m < 0 ? -m : m), power);
    } else {
      for (std::uint64_t d : kOtherDenominators)
        if (onGrid(v, static_cast<double>(d), k)) { own = d; break; }
    }
    if (own == 0) continue;
    grid = std::lcm(grid, own);
    if (grid > limit) return 0;
  }
  return grid;
}

class Encoder {
 public:
  std::vector<std::uint8_t> run(const Project& p) {
    std::vector<std::uint8_t> body;
    project(body, p);
    std::vector<std::uint8_t> out{kProjectBinaryVersion};
    for (const std::string& s : strings_) {
      putKey(out, project_tag::kString, kBytes);
      putVarint(out, s.size());
      out.insert(out.end(), s.begin(), s.end());
    }
    out.insert(out.end(), body.begin(), body.end());
    return out;
  }

 private:
  using Bytes = std::vector<std::uint8_t>;
  std::unordered_map<std::string, std::uint64_t> index_;
  std::vector<std::string> strings_;

  std::uint64_t ref(const std::string& s) {
    auto [it, added] = index_.emplace(s, strings_.size());
    if (added) strings_.push_back(s);
    return it->second;
  }
  void str(Bytes& out, std::uint32_t field, const std::string& s) {
    putKey(out, field, kVarint);
    putVarint(out, ref(s));
  }
  void strUnless(Bytes& out, std::uint32_t field, const std::string& s, const std::string& def) {
    if (s != def) str(out, field, s);
  }
  void num(Bytes& out, std::uint32_t field, double v) {
    putKey(out, field, kNumber);
    putNumber(out, v);
  }
  void numUnless(Bytes& out, std::uint32_t field, double v, double def) {
    if (!sameBits(v, def)) num(out, field, v);
  }
  void flag(Bytes& out, std::uint32_t field, bool b) {
    if (!b) return;
    putKey(out, field, kVarint);
    putVarint(out, 1);
  }
  void unsignedField(Bytes& out, std::uint32_t field, std::uint64_t v) {
    putKey(out, field, kVarint);
    putVarint(out, v);
  }
  void intUnless(Bytes& out, std::uint32_t field, std::int64_t v, std::int64_t def) {
    if (v != def) unsignedField(out, field, zigzag(v));
  }
  void message(Bytes& out, std::uint32_t field, const Bytes& child) {
    putKey(out, field, kBytes);
    putVarint(out, child.size());
    out.insert(out.end(), child.begin(), child.end());
  }

  void project(Bytes& out, const Project& p) {
    using namespace project_tag;
    const Project def;
    strUnless(out, kTitle, p.title, def.title);
    numUnless(out, kTempo, p.tempo, def.tempo);
    intUnless(out, kSignatureTop, p.timeSignature.numerator, def.timeSignature.numerator);
    intUnless(out, kSignatureBottom, p.timeSignature.denominator, def.timeSignature.denominator);
    for (const TempoPoint& pt : p.tempoChanges) {
      const TempoPoint d;
      Bytes m;
      numUnless(m, tempo_tag::kBeat, pt.beat, d.beat);
      numUnless(m, tempo_tag::kBpm, pt.bpm, d.bpm);
      if (pt.shape != d.shape) unsignedField(m, tempo_tag::kShape, static_cast<std::uint64_t>(pt.shape));
      message(out, kTempoPoint, m);
    }
    for (const SignatureChange& sc : p.signatureChanges) {
      const SignatureChange d;
      Bytes m;
      intUnless(m, signature_tag::kBar, sc.bar, d.bar);
      intUnless(m, signature_tag::kTop, sc.numerator, d.numerator);
      intUnless(m, signature_tag::kBottom, sc.denominator, d.denominator);
      message(out, kSignatureChange, m);
    }
    flag(out, kLoopEnabled, p.loop.enabled);
    numUnless(out, kLoopStart, p.loop.startBeat, def.loop.startBeat);
    numUnless(out, kLoopEnd, p.loop.endBeat, def.loop.endBeat);
    for (const Asset& a : p.assets) {
      Bytes m;
      asset(m, a);
      message(out, kAsset, m);
    }
    for (const Track& t : p.tracks) {
      Bytes m;
      track(m, t);
      message(out, kTrack, m);
    }
    numUnless(out, kMasterGain, p.master.gainDb, def.master.gainDb);
    for (const DeviceState& d : p.master.devices) {
      Bytes m;
      device(m, d, "");
      message(out, kMasterDevice, m);
    }
    const DeliveryState& dl = p.master.delivery;
    strUnless(out, kDeliveryPreset, dl.preset, def.master.delivery.preset);
    numUnless(out, kDeliveryLufs, dl.targetLufs, def.master.delivery.targetLufs);
    numUnless(out, kDeliveryCeiling, dl.ceilingDbtp, def.master.delivery.ceilingDbtp);
    intUnless(out, kDeliveryBits, dl.bits, def.master.delivery.bits);
  }

  // A sha256 of 64 lowercase hex digits travels as its 32 bytes; anything else as text.
  static bool hashBytes(const std::string& hex, Bytes& out) {
    if (hex.size() != 64) return false;
    auto nibble = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
    for (std::size_t i = 0; i < 64; i += 2) {
      const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
      if (hi < 0 || lo < 0) return false;
      out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
    }
    return true;
  }

  void asset(Bytes& out, const Asset& a) {
    using namespace asset_tag;
    const Asset def;
    strUnless(out, kId, a.id, def.id);
    strUnless(out, kName, a.name, def.name);
    if (Bytes hash; hashBytes(a.sha256, hash)) message(out, kSha256, hash);
    else strUnless(out, kSha256Text, a.sha256, def.sha256);
    numUnless(out, kSampleRate, a.sampleRate, def.sampleRate);
    intUnless(out, kChannels, a.channels, def.channels);
    intUnless(out, kFrames, a.frames, def.frames);
    strUnless(out, kPath, a.path, def.path);
  }

  void track(Bytes& out, const Track& t) {
    using namespace track_tag;
    const Track def;
    strUnless(out, kId, t.id, def.id);
    strUnless(out, kName, t.name, def.name);
    if (t.kind != def.kind) unsignedField(out, kKind, static_cast<std::uint64_t>(t.kind));
    if (t.instrument) {
      Bytes m;
      device(m, *t.instrument, "");
      message(out, kInstrument, m);
    }
    for (std::size_t k = 0; k < t.inserts.size(); ++k) {
      Bytes m;
      device(m, t.inserts[k], insertDefaultId(k));
      message(out, kInsert, m);
    }
    for (const Clip& c : t.clips) {
      Bytes m;
      clip(m, c);
      message(out, kClip, m);
    }
    strUnless(out, kOutput, t.output, def.output);
    for (const SendState& s : t.sends) {
      const SendState d;
      Bytes m;
      strUnless(m, send_tag::kTarget, s.target, d.target);
      numUnless(m, send_tag::kLevel, s.levelDb, d.levelDb);
      flag(m, send_tag::kPreFader, s.preFader);
      message(out, kSend, m);
    }
    for (const AutomationLane& lane : t.automation) {
      Bytes m;
      automation(m, lane);
      message(out, kAutomation, m);
    }
    if (isLowerHexColor(t.color)) unsignedField(out, kColor, std::stoul(t.color.substr(1), nullptr, 16));
    else strUnless(out, kColorText, t.color, def.color);
    numUnless(out, kGain, t.strip.gainDb, def.strip.gainDb);
    numUnless(out, kPan, t.strip.pan, def.strip.pan);
    flag(out, kMute, t.strip.mute);
    flag(out, kSolo, t.strip.solo);
  }

  // "#rrggbb" in lowercase, which the RGB varint gives back exactly.
  static bool isLowerHexColor(const std::string& s) {
    if (s.size() != 7 || s[0] != '#') return false;
    for (std::size_t i = 1; i < 7; ++i)
      if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    return true;
  }

  // The type by its number (or its id, without one); parameters with a number as a bitmap over the
  // device's list followed by their values, in that order; any other parameter by its id. A value equal to
  // the device's default is the one-byte default escape (the parameter stays in the project).
  void device(Bytes& out, const DeviceState& d, const std::string& defaultId) {
    using namespace device_tag;
    const int number = linkDeviceNumber(d.type);
    if (number >= 0) unsignedField(out, kTypeNumber, static_cast<std::uint64_t>(number));
    else strUnless(out, kType, d.type, "");
    flag(out, kBypass, d.bypass);
    strUnless(out, kSidechain, d.sidechain, "");
    strUnless(out, kId, d.id, defaultId);
    for (const SampleZone& z : d.zones) {
      Bytes m;
      zone(m, z);
      message(out, kZone, m);
    }
    const DeviceDescriptor* desc = findDevice(d.type);
    auto putValue = [&](Bytes& to, const std::string& id, double value) {
      const ParamDescriptor* pd = desc ? desc->findParam(id) : nullptr;
      if (pd && sameBits(value, pd->defaultValue)) putVarint(to, kDeviceDefaultHeader);
      else putNumber(to, value);
    };
    std::vector<std::pair<int, const std::pair<const std::string, double>*>> numbered;
    for (const auto& entry : d.params) {
      const int k = number >= 0 ? linkParamNumber(number, entry.first) : -1;
      if (k >= 0) {
        numbered.emplace_back(k, &entry);
        continue;
      }
      putKey(out, static_cast<std::uint32_t>(kFirstParam + ref(entry.first)), kNumber);
      putValue(out, entry.first, entry.second);
    }
    if (numbered.empty()) return;
    std::sort(numbered.begin(), numbered.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Bytes bitmap(static_cast<std::size_t>(numbered.back().first / 8 + 1), 0);
    for (const auto& [k, entry] : numbered) bitmap[static_cast<std::size_t>(k / 8)] |= static_cast<std::uint8_t>(1u << (k % 8));
    Bytes m;
    putVarint(m, bitmap.size());
    m.insert(m.end(), bitmap.begin(), bitmap.end());
    for (const auto& [k, entry] : numbered) putValue(m, entry->first, entry->second);
    message(out, kParams, m);
  }

  void zone(Bytes& out, const SampleZone& z) {
    using namespace zone_tag;
    const SampleZone d;
    strUnless(out, kAsset, z.asset, d.asset);
    intUnless(out, kRootKey, z.rootKey, d.rootKey);
    intUnless(out, kLowKey, z.lowKey, d.lowKey);
    intUnless(out, kHighKey, z.highKey, d.highKey);
    intUnless(out, kLowVelocity, z.lowVelocity, d.lowVelocity);
    intUnless(out, kHighVelocity, z.highVelocity, d.highVelocity);
    intUnless(out, kStart, z.start, d.start);
    intUnless(out, kEnd, z.end, d.end);
    if (z.loop != d.loop) unsignedField(out, kLoop, static_cast<std::uint64_t>(z.loop));
    intUnless(out, kLoopStart, z.loopStart, d.loopStart);
    intUnless(out, kLoopEnd, z.loopEnd, d.loopEnd);
    intUnless(out, kCrossfade, z.crossfade, d.crossfade);
    numUnless(out, kTune, z.tuneCents, d.tuneCents);
    numUnless(out, kGain, z.gainDb, d.gainDb);
    numUnless(out, kPan, z.pan, d.pan);
    numUnless(out, kAttack, z.attackMs, d.attackMs);
    numUnless(out, kDecay, z.decayMs, d.decayMs);
    numUnless(out, kSustain, z.sustain, d.sustain);
    numUnless(out, kRelease, z.releaseMs, d.releaseMs);
    flag(out, kOneShot, z.oneShot);
    intUnless(out, kGroup, z.group, d.group);
    intUnless(out, kOffBy, z.offBy, d.offBy);
    if (z.trigger != d.trigger) unsignedField(out, kTrigger, static_cast<std::uint64_t>(z.trigger));
  }

  void clip(Bytes& out, const Clip& c) {
    using namespace clip_tag;
    const Clip d;
    strUnless(out, kName, c.name, d.name);
    numUnless(out, kStart, c.start, d.start);
    numUnless(out, kLength, c.length, d.length);
    numUnless(out, kOffset, c.offset, d.offset);
    strUnless(out, kAsset, c.asset, d.asset);
    numUnless(out, kGain, c.gainDb, d.gainDb);
    flag(out, kMuted, c.muted);
    flag(out, kLooped, c.looped);
    numUnless(out, kLoopStart, c.loopStart, d.loopStart);
    numUnless(out, kLoopEnd, c.loopEnd, d.loopEnd);
    if (!c.notes.empty()) {
      Bytes m;
      notes(m, c.notes);
      message(out, kNotes, m);
    }
  }

  // Notes in columns (all starts, then all pitches, ...), which deflate compresses best: starts as deltas
  // from the note before on the clip's tick grid, pitches as deltas, lengths in ticks, velocities as
  // integers of a scale. A value off its grid (0.475 * 3 is 1.4249999999999998, not 57/40) is written as
  // 0 in its column and exactly in the column's exceptions. A column whose every value is the Note
  // default is left out.
  void notes(Bytes& out, const std::vector<Note>& notes) {
    using namespace notes_tag;
    const Note d;
    unsignedField(out, kCount, notes.size());
    auto allDefault = [&](auto member) {
      return std::all_of(notes.begin(), notes.end(), [&](const Note& n) { return sameBits(static_cast<double>(n.*member), static_cast<double>(d.*member)); });
    };
    std::vector<double> positions;
    positions.reserve(notes.size() * 2);
    for (const Note& n : notes) positions.push_back(n.start), positions.push_back(n.length);
    const std::uint64_t grid = commonDenominator(positions, kMaxTicksPerBeat);
    if (grid > 0) unsignedField(out, kTicksPerBeat, grid);
    Bytes col, exceptions;
    std::size_t lastException = 0;
    auto except = [&](std::size_t i, double v) {  // gap from the previous exception, then the value
      putVarint(exceptions, exceptions.empty() ? i : i - lastException - 1);
      putNumber(exceptions, v);
      lastException = i;
    };
    auto flush = [&](std::uint32_t columnTag, std::uint32_t exceptionsTag) {
      message(out, columnTag, col);
      if (!exceptions.empty()) message(out, exceptionsTag, exceptions);
      col.clear();
      exceptions.clear();
    };
    if (!allDefault(&Note::start)) {
      std::int64_t previous = 0;
      for (std::size_t i = 0; i < notes.size(); ++i) {
        std::int64_t k = 0;
        if (grid == 0) {
          putNumber(col, notes[i].start);
        } else if (onGrid(notes[i].start, static_cast<double>(grid), k)) {
          putVarint(col, zigzag(k - previous));
          previous = k;
        } else {
          putVarint(col, 0);
          except(i, notes[i].start);
        }
      }
      flush(kStarts, kStartExceptions);
    }
    if (!allDefault(&Note::pitch)) {
      std::int64_t previous = kNotePitchBase;
      for (const Note& n : notes) {
        putVarint(col, zigzag(n.pitch - previous));
        previous = n.pitch;
      }
      message(out, kPitches, col);
      col.clear();
    }
    if (!allDefault(&Note::length)) {
      for (std::size_t i = 0; i < notes.size(); ++i) {
        std::int64_t k = 0;
        if (grid == 0) {
          putNumber(col, notes[i].length);
        } else if (onGrid(notes[i].length, static_cast<double>(grid), k) && k >= 0) {
          putVarint(col, static_cast<std::uint64_t>(k));
        } else {
          putVarint(col, 0);
          except(i, notes[i].length);
        }
      }
      flush(kLengths, kLengthExceptions);
    }
    if (!allDefault(&Note::velocity)) {
      std::vector<double> velocities;
      velocities.reserve(notes.size());
      for (const Note& n : notes) velocities.push_back(n.velocity);
      const std::uint64_t scale = commonDenominator(velocities, kMaxVelocityScale);
      if (scale > 0) unsignedField(out, kVelocityScale, scale);
      for (std::size_t i = 0; i < notes.size(); ++i) {
        std::int64_t k = 0;
        if (scale == 0) {
          putNumber(col, notes[i].velocity);
        } else if (onGrid(notes[i].velocity, static_cast<double>(scale), k) && k >= 0) {
          putVarint(col, static_cast<std::uint64_t>(k));
        } else {
          putVarint(col, 0);
          except(i, notes[i].velocity);
        }
      }
      flush(kVelocities, kVelocityExceptions);
    }
  }

  // Points in columns too; beats and values as numbers (they need not sit on any grid).
  void automation(Bytes& out, const AutomationLane& lane) {
    using namespace lane_tag;
    const AutomationPoint d;
    strUnless(out, kTarget, lane.target, "");
    unsignedField(out, kCount, lane.points.size());
    if (lane.points.empty()) return;
    Bytes col;
    for (const AutomationPoint& pt : lane.points) putNumber(col, pt.beat);
    message(out, kBeats, col);
    col.clear();
    for (const AutomationPoint& pt : lane.points) putNumber(col, pt.value);
    message(out, kValues, col);
    if (std::any_of(lane.points.begin(), lane.points.end(), [&](const AutomationPoint& pt) { return pt.shape != d.shape; })) {
      col.clear();
      for (const AutomationPoint& pt : lane.points) putVarint(col, static_cast<std::uint64_t>(pt.shape));
      message(out, kShapes, col);
    }
    if (std::any_of(lane.points.begin(), lane.points.end(), [&](const AutomationPoint& pt) { return !sameBits(pt.tension, d.tension); })) {
      col.clear();
      for (const AutomationPoint& pt : lane.points) putNumber(col, pt.tension);
      message(out, kTensions, col);
    }
  }
};

}  // namespace

std::vector<std::uint8_t> encodeProjectBinary(const Project& project) { return Encoder().run(project); }

}  // namespace mixdown
