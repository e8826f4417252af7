// Offline mastering to a loudness target: measure, apply gain and the true-peak limiter, measure again,
// correct the gain, repeat until the integrated loudness is within 0.1 LU of the target (the loop aims at
// 0.05) with the true peak at or under the ceiling. Also the delivery presets and the loudness report.
// Exception-free (the wasm build uses it too): failures come back as a message.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace mixdown {

using AudioChannels = std::vector<std::vector<float>>;

struct LoudnessReport {
  double integrated = 0;    // LUFS (-inf: nothing above the absolute gate)
  double range = 0;         // LU
  double truePeak = 0;      // dBTP
  double samplePeak = 0;    // dBFS
  double maxMomentary = 0;  // LUFS
  double maxShortTerm = 0;  // LUFS
  double seconds = 0;
};

// Progress from 0 to 1; may be empty.
using Progress = std::function<void(double)>;

LoudnessReport analyzeLoudness(const AudioChannels& audio, double sampleRate, const Progress& progress = {});

struct DeliveryPreset {
  const char* id;        // for --preset and the studio menu
  const char* name;
  double targetLufs;     // integrated loudness
  double ceilingDbtp;    // true-peak ceiling
  const char* source;    // where the numbers come from
};
const std::vector<DeliveryPreset>& deliveryPresets();
const DeliveryPreset* findDeliveryPreset(const std::string& id);

struct MasterSettings {
  double targetLufs = -14.0;
  double ceilingDbtp = -1.0;
  double releaseMs = 100.0;  // the limiter's release (automatic release on)
  // When the target is out of the limiter's reach at `releaseMs` (the loudness stops rising with gain,
  // held down by the programme's crest within the release time), try 30 ms, then 10 ms: what a mastering
  // engineer does for a loud master, trading some distortion on peaks for density.
  bool fasterReleaseIfNeeded = true;
};

struct MasterResult {
  bool ok = false;
  std::string error;  // when !ok: what went wrong, for a person
  LoudnessReport before, after;
  double gainDb = 0;  // gain applied before the limiter
  double releaseMs = 0;  // the limiter release used (settings.releaseMs unless a faster one was needed)
  int passes = 0;
  AudioChannels audio;  // same length and alignment as the input (limiter latency removed)
};

// Limits the target to -70 .. 0 LUFS and the ceiling to -20 .. 0 dBTP (outside: an error).
MasterResult masterToTarget(const AudioChannels& audio, double sampleRate, const MasterSettings& settings,
                            const Progress& progress = {});

// Gain + true-peak limiter over a whole programme, latency compensated (exposed for album assembly).
AudioChannels applyGainAndLimiter(const AudioChannels& audio, double sampleRate, double gainDb, double ceilingDbtp,
                                  double releaseMs, const Progress& progress = {});

}  // namespace mixdown
