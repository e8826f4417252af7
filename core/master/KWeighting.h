// ITU-R BS.1770 K-weighting: a high-shelf "pre-filter" (+4 dB above ~1.7 kHz, the head's acoustic effect)
// followed by the RLB high-pass (~38 Hz). BS.1770 gives coefficients for 48 kHz only; here both stages are
// derived from their analogue prototypes by the bilinear transform with the centre frequency pre-warped,
// which reproduces the 48 kHz table to 1e-8 and gives the same response at any rate (32 .. 192 kHz).
#pragma once

#include "dsp/Biquad.h"

namespace mixdown {

struct KWeightingDesign {
  BiquadCoefficients shelf;
  BiquadCoefficients highPass;
};

// Any thread (pure).
KWeightingDesign designKWeighting(double sampleRate);

}  // namespace mixdown
