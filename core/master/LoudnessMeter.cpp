#include "master/LoudnessMeter.h"

#include <algorithm>
#include <cmath>

#include "master/KWeighting.h"

namespace mixdown {
namespace {

constexpr double kAbsoluteGateLufs = -70.0;
constexpr double kHistogramTopLufs = 30.0;  // louder blocks land in the top bin (full-scale 24-channel noise is ~+14)
constexpr double kBinsPerLu = 100.0;
constexpr int kBins = static_cast<int>((kHistogramTopLufs - kAbsoluteGateLufs) * kBinsPerLu);

double binCentre(int b) { return kAbsoluteGateLufs + (b + 0.5) / kBinsPerLu; }

}  // namespace

std::vector<double> standardChannelWeights(int channels) {
  switch (channels) {
    case 5: return {1.0, 1.0, 1.0, 1.41, 1.41};
    case 6: return {1.0, 1.0, 1.0, 0.0, 1.41, 1.41};
    default: return std::vector<double>(static_cast<std::size_t>(std::max(0, channels)), 1.0);
  }
}

double LoudnessMeter::loudnessOfEnergy(double meanSquare) {
  return meanSquare > 0.0 ? -0.691 + 10.0 * std::log10(meanSquare) : -kInfinity;
}

void LoudnessMeter::Histogram::clear() {
  count.assign(static_cast<std::size_t>(kBins), 0);
  energy.assign(static_cast<std::size_t>(kBins), 0.0);
}

void LoudnessMeter::Histogram::add(double loudness, double e) {
  if (!(loudness > kAbsoluteGateLufs)) return;  // the absolute gate (also drops NaN)
  const int b = std::min(kBins - 1, static_cast<int>((loudness - kAbsoluteGateLufs) * kBinsPerLu));
  count[static_cast<std::size_t>(b)] += 1;
  energy[static_cast<std::size_t>(b)] += e;
}

std::uint64_t LoudnessMeter::Histogram::total(double gateLufs, double& energySum) const {
  std::uint64_t n = 0;
  energySum = 0.0;
  for (int b = 0; b < kBins; ++b) {
    if (!(binCentre(b) > gateLufs)) continue;
    n += count[static_cast<std::size_t>(b)];
    energySum += energy[static_cast<std::size_t>(b)];
  }
  return n;
}

double LoudnessMeter::Histogram::gatedMean(double gateLufs) const {
  double e = 0.0;
  const std::uint64_t n = total(gateLufs, e);
  return n ? e / static_cast<double>(n) : 0.0;
}

double LoudnessMeter::Histogram::percentile(double gateLufs, double p) const {
  double unused = 0.0;
  const std::uint64_t n = total(gateLufs, unused);
  if (n == 0) return -kInfinity;
  // Nearest rank on the sorted values, index round((n - 1) p), as Tech 3342's reference code does.
  const auto rank = static_cast<std::uint64_t>(std::llround(static_cast<double>(n - 1) * p));
  std::uint64_t seen = 0;
  for (int b = 0; b < kBins; ++b) {
    if (!(binCentre(b) > gateLufs)) continue;
    seen += count[static_cast<std::size_t>(b)];
    if (seen > rank) return binCentre(b);
  }
  return binCentre(kBins - 1);
}

void LoudnessMeter::prepare(double sampleRate, const std::vector<double>& channelWeights) {
  sampleRate_ = std::clamp(sampleRate, 8000.0, 384000.0);
  weights_ = channelWeights;
  const KWeightingDesign k = designKWeighting(sampleRate_);
  shelf_.assign(weights_.size(), Biquad{});
  highPass_.assign(weights_.size(), Biquad{});
  for (auto& f : shelf_) f.setCoefficients(k.shelf);
  for (auto& f : highPass_) f.setCoefficients(k.highPass);
  // The 100 ms step in samples, split into the most hops (>= 40) that divide it exactly.
  const int step = std::max(1, static_cast<int>(std::lround(sampleRate_ / 10.0)));
  hopsPer100ms_ = step;
  for (int d = 40; d <= step; ++d) {
    if (step % d == 0) {
      hopsPer100ms_ = d;
      break;
    }
  }
  hopFrames_ = step / hopsPer100ms_;
  ring_.assign(static_cast<std::size_t>(30 * hopsPer100ms_), 0.0);
  blocks_.clear();
  shortTerms_.clear();
  peaks_.prepare(sampleRate_, static_cast<int>(weights_.size()));
  reset();
}

void LoudnessMeter::reset() noexcept {
  for (auto& f : shelf_) f.reset();
  for (auto& f : highPass_) f.reset();
  std::fill(ring_.begin(), ring_.end(), 0.0);
  std::fill(blocks_.count.begin(), blocks_.count.end(), 0u);
  std::fill(blocks_.energy.begin(), blocks_.energy.end(), 0.0);
  std::fill(shortTerms_.count.begin(), shortTerms_.count.end(), 0u);
  std::fill(shortTerms_.energy.begin(), shortTerms_.energy.end(), 0.0);
  hopPos_ = 0;
  hopEnergy_ = 0.0;
  ringPos_ = 0;
  hops_ = frames_ = 0;
  sumMomentary_ = sumShortTerm_ = 0.0;
  peaks_.reset();
  resetMaxima();
}

void LoudnessMeter::resetMaxima() noexcept {
  maxMomentary_ = maxShortTerm_ = -kInfinity;
  peaks_.reset();
}

void LoudnessMeter::add(const float* const* channels, int frames) noexcept {
  const std::size_t nch = weights_.size();
  int done = 0;
  while (done < frames) {
    const int n = std::min(frames - done, hopFrames_ - hopPos_);
    for (std::size_t c = 0; c < nch; ++c) {
      const double w = weights_[c];
      const float* x = channels[c] + done;
      Biquad& shelf = shelf_[c];
      Biquad& hp = highPass_[c];
      double acc = 0.0;
      for (int i = 0; i < n; ++i) {
        const double y = hp.process(shelf.process(static_cast<double>(x[i])));
        acc += y * y;
      }
      hopEnergy_ += w * acc;
      shelf.flushTiny();
      hp.flushTiny();
    }
    hopPos_ += n;
    done += n;
    if (hopPos_ == hopFrames_) endHop();
  }
  frames_ += frames;
  peaks_.add(channels, frames);
}

void LoudnessMeter::endHop() noexcept {
  const int momentaryHops = 4 * hopsPer100ms_;
  const int ringSize = static_cast<int>(ring_.size());
  // The hop leaving the momentary window is 4 * 100 ms back; the one leaving short-term is a full ring back.
  const int leavingMomentary = (ringPos_ - momentaryHops + ringSize) % ringSize;
  sumMomentary_ += hopEnergy_ - ring_[static_cast<std::size_t>(leavingMomentary)];
  sumShortTerm_ += hopEnergy_ - ring_[static_cast<std::size_t>(ringPos_)];
  ring_[static_cast<std::size_t>(ringPos_)] = hopEnergy_;
  ringPos_ = (ringPos_ + 1) % ringSize;
  if (ringPos_ == 0) recomputeWindows();  // running sums never drift more than one ring's worth of rounding
  hopEnergy_ = 0.0;
  hopPos_ = 0;
  ++hops_;

  const double momentaryEnergy = sumMomentary_ / (static_cast<double>(momentaryHops) * hopFrames_);
  const double shortTermEnergy = sumShortTerm_ / (static_cast<double>(ringSize) * hopFrames_);
  const bool momentaryFull = hops_ >= momentaryHops, shortTermFull = hops_ >= ringSize;
  if (momentaryFull) maxMomentary_ = std::max(maxMomentary_, loudnessOfEnergy(momentaryEnergy));
  if (shortTermFull) maxShortTerm_ = std::max(maxShortTerm_, loudnessOfEnergy(shortTermEnergy));
  if (hops_ % hopsPer100ms_ == 0) {
    if (momentaryFull) blocks_.add(loudnessOfEnergy(momentaryEnergy), momentaryEnergy);
    if (shortTermFull) shortTerms_.add(loudnessOfEnergy(shortTermEnergy), shortTermEnergy);
  }
}

void LoudnessMeter::recomputeWindows() noexcept {
  const int ringSize = static_cast<int>(ring_.size());
  const int momentaryHops = 4 * hopsPer100ms_;
  double m = 0.0, s = 0.0;
  for (int i = 0; i < ringSize; ++i) {
    const double e = ring_[static_cast<std::size_t>((ringPos_ - 1 - i + 2 * ringSize) % ringSize)];
    s += e;
    if (i < momentaryHops) m += e;
  }
  sumMomentary_ = std::max(0.0, m);
  sumShortTerm_ = std::max(0.0, s);
}

double LoudnessMeter::momentary() const {
  if (hops_ < 4 * hopsPer100ms_) return -kInfinity;
  return loudnessOfEnergy(std::max(0.0, sumMomentary_) / (4.0 * hopsPer100ms_ * hopFrames_));
}

double LoudnessMeter::shortTerm() const {
  if (hops_ < static_cast<std::int64_t>(ring_.size())) return -kInfinity;
  return loudnessOfEnergy(std::max(0.0, sumShortTerm_) / (static_cast<double>(ring_.size()) * hopFrames_));
}

double LoudnessMeter::integrated() const {
  const double absoluteMean = blocks_.gatedMean(kAbsoluteGateLufs);
  if (absoluteMean <= 0.0) return -kInfinity;
  const double relativeGate = loudnessOfEnergy(absoluteMean) - 10.0;
  return loudnessOfEnergy(blocks_.gatedMean(relativeGate));
}

double LoudnessMeter::loudnessRange() const {
  const double absoluteMean = shortTerms_.gatedMean(kAbsoluteGateLufs);
  if (absoluteMean <= 0.0) return 0.0;
  const double relativeGate = loudnessOfEnergy(absoluteMean) - 20.0;
  const double low = shortTerms_.percentile(relativeGate, 0.10), high = shortTerms_.percentile(relativeGate, 0.95);
  return std::isfinite(low) && std::isfinite(high) ? high - low : 0.0;
}

double LoudnessMeter::samplePeakDb() const {
  const double p = peaks_.samplePeak();
  return p > 0 ? 20.0 * std::log10(p) : -kInfinity;
}

double LoudnessMeter::truePeakDb() const {
  const double p = peaks_.truePeak();
  return p > 0 ? 20.0 * std::log10(p) : -kInfinity;
}

}  // namespace mixdown
