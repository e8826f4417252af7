// One zone of the sampler (mixdown.sampler): plain values, stored in the project (DeviceState::zones,
// model/ProjectJson.cpp reads, writes and validates them) and played by devices/Sampler.h. Here, below
// both, so the model and the device share one definition.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace mixdown {

// A zone plays one asset
// over a key range and a velocity range. Positions are frames of the asset as described in the asset
// table (its own sample rate, as an SFZ file counts them); the engine scales them to its rate.
enum class ZoneLoop {
  Off,       // plays from start to end once (or until released)
  Forward,   // start -> loopEnd, then loopStart -> loopEnd again until the voice's release ends
  PingPong,  // start -> loopEnd, then back and forth between loopEnd and loopStart until the release ends
};
// When a zone starts a voice (SFZ's trigger opcode).
enum class ZoneTrigger {
  Attack,   // at note-on
  Release,  // at note-off, with the note-on's velocity (release samples)
  First,    // at note-on when no other key is held
  Legato,   // at note-on while another key is held
};

struct SampleZone {
  std::string asset;            // asset id
  int rootKey = 60;             // MIDI note at which the sample plays at its recorded pitch
  int lowKey = 0, highKey = 127;          // MIDI notes, inclusive
  int lowVelocity = 1, highVelocity = 127;  // MIDI velocities 1..127, inclusive (a note's velocity v plays as round(v * 127))
  std::int64_t start = 0;       // asset frames: where playback begins
  std::int64_t end = 0;         // asset frames: one past the last frame played; 0 = the asset's end
  ZoneLoop loop = ZoneLoop::Off;
  std::int64_t loopStart = 0, loopEnd = 0;  // asset frames, loopStart < loopEnd <= end (loopEnd exclusive)
  std::int64_t crossfade = 0;   // asset frames before loopEnd blended with those before loopStart (forward loops)
  double tuneCents = 0.0;       // ct, -2400..2400 (SFZ transpose * 100 + tune)
  double gainDb = 0.0;          // dB, -144..24
  double pan = 0.0;             // -1..1
  double attackMs = 0.0, decayMs = 0.0, sustain = 1.0, releaseMs = 5.0;  // amplitude ADSR (ms; see dsp/Envelope.h), sustain 0..1 (linear)
  bool oneShot = false;         // true: plays to its end whatever the note-off does (so it cannot loop);
                                // false: gated (released at note-off)
  int group = 0;                // choke group (0: none; SFZ's groups may be negative)
  int offBy = 0;                // a voice of this zone is cut when a zone of group `offBy` starts (0: never)
  ZoneTrigger trigger = ZoneTrigger::Attack;
  bool operator==(const SampleZone&) const = default;
};

inline constexpr std::size_t kMaxZones = 4096;  // per sampler (large multi-sampled SFZ instruments have ~2000)

}  // namespace mixdown
