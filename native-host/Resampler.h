// Sample-rate conversion of decoded assets to the render rate, with libsoxr (very high quality).
#pragma once

#include <vector>

namespace mixdown::cli {

// Returns `channels` converted from `fromRate` to `toRate` (unchanged if the rates are equal).
std::vector<std::vector<float>> resample(const std::vector<std::vector<float>>& channels, double fromRate, double toRate);

}  // namespace mixdown::cli
