// Musical time to sample frames. Constant tempo for now; every conversion goes through here so a
// tempo map can replace it in one place.
#pragma once

#include <cmath>
#include <cstdint>

namespace mixdown {

// Frame (rounded to the nearest sample) at which `beat` falls.
inline std::int64_t frameOfBeat(double beat, double tempoBpm, double sampleRate) {
  return static_cast<std::int64_t>(std::llround(beat * 60.0 / tempoBpm * sampleRate));
}

inline double beatOfFrame(std::int64_t frame, double tempoBpm, double sampleRate) {
  return static_cast<double>(frame) / sampleRate * tempoBpm / 60.0;
}

}  // namespace mixdown
