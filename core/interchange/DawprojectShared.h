// What the DAWproject reader and writer share: number text, the units of our device parameters, and the
// names of the files Mixdown adds to the zip. Internal to core/interchange (Dawproject*.cpp).
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace mixdown::dawproject {

// A Mixdown device's own state inside the zip ("<track>-<n>" before it): the device as the project JSON
// has it, which the reader takes over the mapped fields when the deviceID is "mixdown.<type>".
inline constexpr const char* kStateSuffix = ".mixdown-device.json";
// A sampler's state also names the audio its zones play, beside the device JSON (which our project JSON
// reader ignores): {"<asset id>": {"file": "audio/<name>", "sampleRate": Hz, "channels", "frames"}}. The
// files are audio entries of the zip like clips' audio; the reader makes each an asset and points the
// zones at it.
inline constexpr const char* kZoneFilesKey = "zoneFiles";
inline constexpr const char* kVendor = "Mixdown";
// What Mixdown keeps that DAWproject has no element for, read back when present (other DAWs ignore it):
// {"loop": {"enabled", "startBeat", "endBeat"}, "curves": {"<Points id>": [[time, tension], ...]}} (our
// curved automation segments: the RealPoint at that time, written linear, is curved with that tension).
inline constexpr const char* kExtrasEntry = "mixdown/extras.json";
// Our track ids ride in the Track's id ("track-<id>"), so a round trip keeps them (and every reference).
inline constexpr const char* kTrackIdPrefix = "track-";

// The shortest of %.15g / %.17g that reads back as the same double (clean text for the values people
// type, exact for the rest); inf and -inf as DAWproject spells them.
inline std::string numberText(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  if (std::strtod(buf, nullptr) != v) std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// A parameter unit of ours as DAWproject's (the unit attribute) and the factor from our value to the
// value written in it (ms are written as seconds).
struct UnitMapping {
  const char* unit;
  double scale;
};
inline UnitMapping unitOf(const std::string& ours) {
  if (ours == "dB" || ours == "dBTP") return {"decibel", 1.0};
  if (ours == "Hz") return {"hertz", 1.0};
  if (ours == "ms") return {"seconds", 0.001};
  if (ours == "%") return {"percent", 1.0};
  if (ours == "st") return {"semitones", 1.0};
  return {"linear", 1.0};
}

}  // namespace mixdown::dawproject
