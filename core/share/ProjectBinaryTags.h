// The tags of share link v2's binary project, shared by its encoder (ProjectBinaryEncoder.cpp) and
// decoder (ProjectBinaryDecoder.cpp). core/share/README.md lays out the same table for people: change a
// tag and the README together. Field numbers 1..15 take a one-byte key, so the common fields sit there.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include "model/Project.h"
#include "share/BinaryWire.h"

namespace mixdown::binary {

namespace project_tag {
enum : std::uint32_t {
  kString = 1,           // bytes: one entry of the string table (UTF-8), in index order
  kTitle = 2,            // string
  kTempo = 3,            // number, BPM
  kSignatureTop = 4,     // int
  kSignatureBottom = 5,  // int
  kTempoPoint = 6,       // message TempoPoint, repeated
  kSignatureChange = 7,  // message SignatureChange, repeated
  kLoopEnabled = 8,      // bool
  kLoopStart = 9,        // number, beats
  kLoopEnd = 10,         // number, beats
  kAsset = 11,           // message Asset, repeated
  kTrack = 12,           // message Track, repeated
  kMasterGain = 13,      // number, dB
  kMasterDevice = 14,    // message Device, repeated
  kDeliveryPreset = 15,  // string
  kDeliveryLufs = 16,    // number, LUFS
  kDeliveryCeiling = 17, // number, dBTP
  kDeliveryBits = 18,    // int
};
}
namespace tempo_tag { enum : std::uint32_t { kBeat = 1, kBpm = 2, kShape = 3 }; }
namespace signature_tag { enum : std::uint32_t { kBar = 1, kTop = 2, kBottom = 3 }; }
namespace asset_tag {
enum : std::uint32_t { kId = 1, kName = 2, kSha256 = 3, kSha256Text = 4, kSampleRate = 5, kChannels = 6, kFrames = 7, kPath = 8 };
}
namespace track_tag {
enum : std::uint32_t {
  kId = 1, kName = 2, kKind = 3, kInstrument = 4, kInsert = 5, kClip = 6, kOutput = 7, kSend = 8, kAutomation = 9,
  kColor = 10, kColorText = 11, kGain = 12, kPan = 13, kMute = 14, kSolo = 15,
};
}
namespace device_tag {
enum : std::uint32_t {
  kType = 1,        // string: a type without a number (share/LinkDeviceNumbers.h)
  kBypass = 2,      // bool
  kSidechain = 3,   // string
  kId = 4,          // string (an insert's default is "fx<position + 1>")
  kZone = 5,        // message Zone, repeated
  kTypeNumber = 6,  // varint: the type by its number
  kParams = 7,      // bytes: parameters by number (bitmap, then their values)
};
// Fields from here on are parameters: field kFirstParam + k sets the parameter whose id is string k.
inline constexpr std::uint32_t kFirstParam = 32;
}
namespace zone_tag {
enum : std::uint32_t {
  kAsset = 1, kRootKey = 2, kLowKey = 3, kHighKey = 4, kLowVelocity = 5, kHighVelocity = 6, kStart = 7, kEnd = 8,
  kLoop = 9, kLoopStart = 10, kLoopEnd = 11, kCrossfade = 12, kTune = 13, kGain = 14, kPan = 15, kAttack = 16,
  kDecay = 17, kSustain = 18, kRelease = 19, kOneShot = 20, kGroup = 21, kOffBy = 22, kTrigger = 23,
};
}
namespace clip_tag {
enum : std::uint32_t {
  kName = 1, kStart = 2, kLength = 3, kOffset = 4, kAsset = 5, kGain = 6, kMuted = 7, kLooped = 8, kLoopStart = 9,
  kLoopEnd = 10, kNotes = 11,
};
}
namespace notes_tag {
enum : std::uint32_t {
  kCount = 1, kTicksPerBeat = 2, kStarts = 3, kPitches = 4, kLengths = 5, kVelocityScale = 6, kVelocities = 7,
  kStartExceptions = 8, kLengthExceptions = 9, kVelocityExceptions = 10,
};
}
namespace send_tag { enum : std::uint32_t { kTarget = 1, kLevel = 2, kPreFader = 3 }; }
namespace lane_tag { enum : std::uint32_t { kTarget = 1, kCount = 2, kBeats = 3, kValues = 4, kShapes = 5, kTensions = 6 }; }

// Enums travel as their values: these are part of the format (reorder one and old links change meaning).
static_assert(static_cast<int>(TrackKind::Audio) == 0 && static_cast<int>(TrackKind::Instrument) == 1 && static_cast<int>(TrackKind::Bus) == 2);
static_assert(static_cast<int>(TempoShape::Step) == 0 && static_cast<int>(TempoShape::Linear) == 1);
static_assert(static_cast<int>(AutomationShape::Linear) == 0 && static_cast<int>(AutomationShape::Curved) == 1 &&
              static_cast<int>(AutomationShape::Step) == 2);
static_assert(static_cast<int>(ZoneLoop::Off) == 0 && static_cast<int>(ZoneLoop::Forward) == 1 && static_cast<int>(ZoneLoop::PingPong) == 2);
static_assert(static_cast<int>(ZoneTrigger::Attack) == 0 && static_cast<int>(ZoneTrigger::Release) == 1 &&
              static_cast<int>(ZoneTrigger::First) == 2 && static_cast<int>(ZoneTrigger::Legato) == 3);
// (A field left out reads as the model's default, so those defaults are part of the format too: the test
// the_model_defaults_the_format_reads_are_unchanged in tests/core/ProjectBinaryTests.cpp pins them.)

inline constexpr int kNotePitchBase = 60;            // the first note's pitch is a delta from middle C
inline constexpr std::uint64_t kMaxTicksPerBeat = 1000000;
inline constexpr std::uint64_t kMaxVelocityScale = 1000000;
inline constexpr std::size_t kMaxStrings = 1 << 20;
inline constexpr std::size_t kMaxTempoPoints = 10000;       // as the validator (model/ProjectJson.cpp)
inline constexpr std::size_t kMaxSignatureChanges = 100000;
inline constexpr std::uint32_t kMaxFieldNumber = (1u << 29) - 1;

// The integer k with k / scale == v bit for bit, or false.
inline bool onGrid(double v, double scale, std::int64_t& k) {
  const double scaled = v * scale;
  if (!(std::fabs(scaled) <= wire::kMaxExactInteger)) return false;
  k = static_cast<std::int64_t>(std::nearbyint(scaled));
  return wire::sameBits(static_cast<double>(k) / scale, v);
}

inline std::string insertDefaultId(std::size_t k) { return "fx" + std::to_string(k + 1); }

}  // namespace mixdown::binary
