// The Project document: plain values that describe a song. No behaviour beyond small queries;
// reading, writing and validation live in ProjectJson.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "devices/SampleZone.h"

namespace mixdown {

inline constexpr const char* kProjectFormat = "mixdown-project";
// Version 2 added the tempo map (tempoChanges) and signature changes; version 1 files read unchanged.
inline constexpr int kProjectVersion = 2;

// A beat is a quarter note everywhere in the project (positions, lengths, BPM), whatever the signature.
struct TimeSignature {
  int numerator = 4;
  int denominator = 4;  // 1, 2, 4, 8, 16 or 32: a bar lasts numerator * 4 / denominator beats
  bool operator==(const TimeSignature&) const = default;
};

// How the tempo reaches a tempo point from the one before it (or from the song's start, at Project::tempo),
// as a tempo track's jump and ramp points do. After the last point the tempo stays at its BPM.
enum class TempoShape {
  Step,    // the tempo before holds until the point's beat, then jumps to the point's BPM
  Linear,  // ramps linearly in beats (BPM against beat position is a straight line) from the previous
           // point's BPM to this one's, reached at this point's beat
};

// One point of the tempo map. The song starts at Project::tempo (so points start after beat 0).
struct TempoPoint {
  double beat = 1.0;   // quarter-note beats from the song's start, > 0, increasing from point to point
  double bpm = 120.0;  // quarter notes per minute, 20..999
  TempoShape shape = TempoShape::Step;
  bool operator==(const TempoPoint&) const = default;
};

// A new time signature from the start of `bar` (1-based; bar 1 has Project::timeSignature, so changes
// start at bar 2) until the next change.
struct SignatureChange {
  int bar = 2;
  int numerator = 4;
  int denominator = 4;
  bool operator==(const SignatureChange&) const = default;
};

struct LoopRegion {
  bool enabled = false;
  double startBeat = 0.0;
  double endBeat = 16.0;
  bool operator==(const LoopRegion&) const = default;
};

// One note of a MIDI clip. Positions are in beats relative to the clip's source start.
struct Note {
  int pitch = 60;          // MIDI note number, 0..127
  double velocity = 0.8;   // 0..1
  double start = 0.0;      // beats from the start of the clip's source
  double length = 1.0;     // beats, > 0
  bool operator==(const Note&) const = default;
};

// A clip on a track's timeline. `start` and `length` place it on the song in beats; `offset` is
// where playback begins inside the source (beats). Audio clips name an asset; MIDI clips hold notes.
struct Clip {
  std::string name;
  double start = 0.0;
  double length = 4.0;
  double offset = 0.0;
  std::string asset;       // audio clips: asset id
  double gainDb = 0.0;     // audio clips: clip gain in dB
  std::vector<Note> notes; // instrument clips
  bool muted = false;      // a muted clip sounds nothing (it stays in place)
  // Content loop: with `looped`, the content between loopStart and loopEnd (content beats) repeats for
  // as long as the clip lasts (see model/Arrange.h, contentBeat).
  bool looped = false;
  double loopStart = 0.0, loopEnd = 0.0;
  bool operator==(const Clip&) const = default;
};

// A device on a track or the master: stable type id plus parameter values addressed by stable parameter
// ids (missing ones take the device's default). `bypass` passes the signal through (effects only).
// `id` names an insert for as long as it lives on its track (unique within the track): the engine keeps a
// device and its state (a reverb's tail, a compressor's envelope) by this id, so moving an insert up or
// down, or adding one before it, moves the running device instead of replacing it. Positions alone
// cannot tell "moved" from "replaced". Files without ids get them when loaded (assignDeviceIds).
// Every member has a default (the `= {}` too), so a short initialiser such as {"mixdown.eq", {{"gain", 3}}}
// means "the rest as a new device has them" and stays warning-free (-Wmissing-field-initializers) when
// members are added later.
struct DeviceState {
  std::string type = {};
  std::map<std::string, double> params = {};
  bool bypass = false;
  std::string sidechain = {};  // dynamics inserts: the id of the track that keys them ("" = their own input)
  std::string id = {};         // inserts: stable within the track, e.g. "fx3"
  std::vector<SampleZone> zones = {};  // mixdown.sampler only: what it plays
  bool operator==(const DeviceState&) const = default;

  // A parameter's stored value, or `fallback` (its default) when the project does not set it.
  double value(const std::string& paramId, double fallback) const {
    const auto it = params.find(paramId);
    return it == params.end() ? fallback : it->second;
  }
};

// A send from a track to a bus: level in dB, taken before the fader (after the inserts) or after it.
struct SendState {
  std::string target;  // a bus track's id
  double levelDb = 0.0;
  bool preFader = false;
  bool operator==(const SendState&) const = default;
};

// The mixer strip of a track.
struct StripState {
  double gainDb = 0.0;  // dB, -inf..+12 (stored >= -144)
  double pan = 0.0;     // -1 (hard left) .. +1 (hard right)
  bool mute = false;
  bool solo = false;
  bool operator==(const StripState&) const = default;
};

// Limits a project is held to (validation refuses more, naming the path and the limit), so every count
// and position the engine meets is one it handles: frames of beat 100000 at 20 BPM and 384 kHz are
// 1.15e11, far inside int64; a file cannot make the engine allocate without bound or loop for hours.
inline constexpr double kMaxSongBeats = 100000.0;         // clip ends, note and automation positions, loop, tempo points (beats)
inline constexpr std::size_t kMaxTracks = 1000;            // tracks, buses included
inline constexpr std::size_t kMaxBusChain = 128;           // buses in a chain (a bus feeding a bus ...), sidechains counted
inline constexpr std::size_t kMaxClipsPerTrack = 10000;
inline constexpr std::size_t kMaxNotesPerClip = 100000;
inline constexpr std::size_t kMaxAssets = 1000;
inline constexpr std::size_t kMaxSends = 64;               // per track
inline constexpr std::size_t kMaxAutomationLanes = 256;    // per track
inline constexpr std::size_t kMaxAutomationPoints = 100000;  // per lane
inline constexpr std::int64_t kMaxAssetFrames = 384000LL * 3600 * 24;  // 24 hours at 384 kHz

inline constexpr std::size_t kMaxMasterDevices = 8;

// Where the master is going: the destination preset (an id of core/master's delivery presets, or
// "custom"), its loudness target and true-peak ceiling, and the export word length.
struct DeliveryState {
  std::string preset = "spotify";
  double targetLufs = -14.0;  // LUFS, -70 .. 0
  double ceilingDbtp = -1.0;  // dBTP, -20 .. 0
  int bits = 24;              // 16 or 24
  bool operator==(const DeliveryState&) const = default;
};

struct MasterState {
  double gainDb = 0.0;               // dB, applied before the chain
  std::vector<DeviceState> devices;  // the master chain, in signal order (effects)
  DeliveryState delivery;
  bool operator==(const MasterState&) const = default;
};

// Bus tracks have no clips: their source is the sum of the tracks (and buses) routed into them, as group
// outputs or sends (a return is a bus fed by sends).
enum class TrackKind { Audio, Instrument, Bus };

inline constexpr const char* kMasterOutput = "master";

inline constexpr std::size_t kMaxInserts = 16;

// Automation: points in beats; each point's shape says how the value travels to the next point.
enum class AutomationShape { Linear, Curved, Step };

struct AutomationPoint {
  double beat = 0.0;
  double value = 0.0;
  AutomationShape shape = AutomationShape::Linear;
  double tension = 0.0;  // Curved: -1 (fast start) .. +1 (slow start); 0 is linear
  bool operator==(const AutomationPoint&) const = default;
};

// A lane drives one parameter: "gain" (strip, dB), "pan" (strip, -1..1) or "inserts[k].<param id>".
struct AutomationLane {
  std::string target;
  std::vector<AutomationPoint> points;  // by beat, not decreasing
  bool operator==(const AutomationLane&) const = default;
};

// Any thread (pure): the lane's value at `beat` (the first value before the first point, the last after).
double automationValue(const std::vector<AutomationPoint>& points, double beat);

struct Track {
  std::string id;
  std::string name;
  TrackKind kind = TrackKind::Instrument;
  std::optional<DeviceState> instrument;  // instrument tracks only
  std::vector<DeviceState> inserts;       // effects after the source, before the strip, in order
  std::vector<Clip> clips;
  StripState strip;
  std::string output = kMasterOutput;     // "master" or a bus track's id
  std::vector<SendState> sends;
  std::vector<AutomationLane> automation;
  std::string color;                      // "#rrggbb" on its clips and mixer strip; "" = the palette's by position
  bool operator==(const Track&) const = default;
};

// Whether two tracks are equal in everything but their clips (the engine switches a playing track's
// clips without a new plan when nothing else changed). Every other member of Track is compared: a new
// member must be added here (a static_assert on Track's size in Project.cpp reminds).
bool sameExceptClips(const Track& a, const Track& b);

// Decoded audio lives outside the document; the asset table only describes it.
struct Asset {
  std::string id;
  std::string name;
  std::string sha256;      // 64 lowercase hex digits of the source file (may be empty if unknown)
  double sampleRate = 48000.0;
  int channels = 2;
  std::int64_t frames = 0;
  std::string path;        // relative to the project file
  bool operator==(const Asset&) const = default;
};

struct Project {
  std::string title = "Untitled";
  double tempo = 120.0;    // BPM at the song's start (the first segment of the tempo map)
  TimeSignature timeSignature;  // of bar 1
  std::vector<TempoPoint> tempoChanges;          // by beat; empty: one tempo for the whole song
  std::vector<SignatureChange> signatureChanges; // by bar; empty: one signature for the whole song
  LoopRegion loop;
  std::vector<Asset> assets;
  std::vector<Track> tracks;
  MasterState master;

  bool operator==(const Project&) const = default;
  const Asset* findAsset(const std::string& id) const;
  // End of the last clip, in beats (0 for an empty song).
  double endBeat() const;
};

// Insert edits that keep automation attached to its device: lanes "inserts[k].<param>" follow the insert
// when it moves, and a removed insert's lanes go with it. Indices out of range do nothing.
void swapInserts(Track& track, std::size_t a, std::size_t b);
void removeInsert(Track& track, std::size_t k);
// Gives every insert of the track without an id (or with one already taken on the track) a fresh one
// ("fx1", "fx2", ...). Returns true if it changed anything.
bool assignDeviceIds(Track& track);
// The insert with this id on the track, or -1.
int findInsert(const Track& track, const std::string& deviceId);

// Any thread (pure): whether the track plays asset `assetId` (an audio clip of it, or a sampler zone).
bool usesAsset(const Track& track, const std::string& assetId);

// Any thread (pure): the insert index and parameter id of a lane target "inserts[k].<param>", or false.
bool parseInsertTarget(const std::string& target, std::size_t& insert, std::string& paramId);
std::string insertTarget(std::size_t insert, const std::string& paramId);

// Seconds per beat at the song's start tempo (engine/Timeline.h follows the whole tempo map).
inline double secondsPerBeat(const Project& p) { return 60.0 / p.tempo; }

}  // namespace mixdown
