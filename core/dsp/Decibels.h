// dB <-> linear gain. -144 dB and below count as silence.
#pragma once

#include <algorithm>
#include <cmath>

namespace mixdown {

inline float dbToGain(double db) { return db <= -144.0 ? 0.0f : static_cast<float>(std::pow(10.0, db / 20.0)); }
inline double gainToDb(double gain) { return gain <= 0.0 ? -144.0 : std::max(-144.0, 20.0 * std::log10(gain)); }

}  // namespace mixdown
