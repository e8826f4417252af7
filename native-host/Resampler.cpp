#include "Resampler.h"

#include <soxr.h>

#include <cmath>

#include "CliError.h"

namespace mixdown::cli {

std::vector<std::vector<float>> resample(const std::vector<std::vector<float>>& channels, double fromRate, double toRate) {
  if (fromRate == toRate || channels.empty()) return channels;
  std::vector<std::vector<float>> out;
  soxr_quality_spec_t quality = soxr_quality_spec(SOXR_VHQ, 0);
  soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  for (const auto& ch : channels) {
    std::size_t outLen = static_cast<std::size_t>(std::ceil(static_cast<double>(ch.size()) * toRate / fromRate));
    std::vector<float> dst(outLen + 16);
    std::size_t done = 0;
    soxr_error_t err = soxr_oneshot(fromRate, toRate, 1, ch.data(), ch.size(), nullptr, dst.data(), dst.size(), &done,
                                    &io, &quality, nullptr);
    if (err) throw CliError(std::string("resampling failed: ") + err);
    dst.resize(done);
    out.push_back(std::move(dst));
  }
  // Channels must stay equal length.
  std::size_t n = out[0].size();
  for (auto& c : out) n = std::min(n, c.size());
  for (auto& c : out) c.resize(n);
  return out;
}

}  // namespace mixdown::cli
