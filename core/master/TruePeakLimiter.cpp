#include "master/TruePeakLimiter.h"

#include <algorithm>
#include <cmath>

#include "dsp/Decibels.h"

namespace mixdown {
namespace {

DeviceDescriptor makeDescriptor() {
  DeviceDescriptor d;
  d.id = "mixdown.limiter";
  d.name = "True-Peak Limiter";
  d.kind = DeviceKind::Effect;
  d.gainReductionMeter = true;
  d.params = {makeParam("ceiling", "Ceiling", "dBTP", -20, 0, -1),
              makeParam("release", "Release", "ms", 1, 1000, 100, ParamScale::Logarithmic),
              makeParam("autoRelease", "Auto release", "", 0, 1, 1, ParamScale::Toggle),
              makeParam("gain", "Input gain", "dB", 0, 24, 0, ParamScale::Linear, 20),
              makeParam("lookahead", "Look-ahead", "ms", 0.5, 10, 3, ParamScale::Logarithmic)};
  d.params[TruePeakLimiter::kLookahead].needsPrepare = true;  // it sets the latency
  return d;
}

}  // namespace

const DeviceDescriptor& TruePeakLimiter::staticDescriptor() {
  static const DeviceDescriptor d = makeDescriptor();
  return d;
}

TruePeakLimiter::TruePeakLimiter() : Device(staticDescriptor()) {}


void TruePeakLimiter::onPrepare() {
  lookahead_ = std::max(1, static_cast<int>(std::lround(param(kLookahead) * 0.001 * sampleRate())));
  detectors_.assign(kMaxChannels, TruePeakInterpolator{});
  for (auto& d : detectors_) d.prepare(kDetectorFactor, kDetectorTaps);
  meterDetectors_.assign(kMaxChannels, TruePeakInterpolator{});
  for (auto& d : meterDetectors_) d.prepare(TruePeakInterpolator::meterFactor(sampleRate()), TruePeakMeter::kMeterTaps);
  detectorDelay_ = detectors_[0].latency();
  meterPeakDelay_.assign(static_cast<std::size_t>(std::max(1, detectorDelay_ - meterDetectors_[0].latency())), 0.0);
  delayLength_ = detectorDelay_ + lookahead_ + 1;
  delay_.assign(static_cast<std::size_t>(kMaxChannels * delayLength_), 0.0f);
  minValue_.assign(static_cast<std::size_t>(lookahead_ + 2), 1.0);
  minIndex_.assign(static_cast<std::size_t>(lookahead_ + 2), 0);
  box_.assign(static_cast<std::size_t>(lookahead_ + 1), 1.0);
  inputGain_.prepare(sampleRate(), 20.0);
  setLatency(detectorDelay_ + lookahead_);
  // Longer than the delay, the detectors' histories, the meter alignment and the box filter together.
  quietNeeded_ = delayLength_ + 2 * (kDetectorTaps + TruePeakMeter::kMeterTaps) + static_cast<long long>(meterPeakDelay_.size()) + lookahead_ + 1;
}

void TruePeakLimiter::onReset() {
  for (auto& d : detectors_) d.reset();
  for (auto& d : meterDetectors_) d.reset();
  std::fill(meterPeakDelay_.begin(), meterPeakDelay_.end(), 0.0);
  meterPeakPos_ = 0;
  std::fill(delay_.begin(), delay_.end(), 0.0f);
  delayPos_ = 0;
  minHead_ = minSize_ = 0;
  sampleIndex_ = 0;
  std::fill(box_.begin(), box_.end(), 1.0);
  boxPos_ = 0;
  boxSum_ = static_cast<double>(box_.size());
  env_ = 1.0;
  previousIntervalPeak_ = 0.0;
  grAverageDb_ = 0.0;
  gainSum_ = 0.0;
  releaseCoef_ = 0.0;
  quietRun_ = quietNeeded_;  // cleared rings
  steadyGain_ = 1.0;
  inputGain_.snap(dbToGain(param(kInputGain)));
}

// Every kControlInterval samples: the 1 s gain-reduction average and the release coefficient it sets.
void TruePeakLimiter::controlStep(double releaseMsSetting, bool autoRelease) noexcept {
  const double sr = sampleRate();
  const double meanGain = gainSum_ > 0.0 ? gainSum_ / kControlInterval : 1.0;
  const double reductionDb = -20.0 * std::log10(std::max(meanGain, 1e-9));
  grAverageDb_ = reductionDb + (grAverageDb_ - reductionDb) * std::exp(-kControlInterval / sr);
  if (grAverageDb_ < 1e-6) grAverageDb_ = 0.0;  // a micro-dB: exact zero rather than an endless (subnormal) tail
  gainSum_ = 0.0;
  double releaseMs = releaseMsSetting;
  if (autoRelease) releaseMs *= 0.3 + 2.7 * std::min(1.0, grAverageDb_ / 6.0);
  releaseCoef_ = std::exp(-1.0 / std::max(1.0, releaseMs * 0.001 * sr));
}

void TruePeakLimiter::onProcess(const ProcessContext& context) noexcept {
  const int channels = std::min({context.inputChannels, context.outputChannels, kMaxChannels});
  const int frames = context.frames;
  inputGain_.setTarget(dbToGain(param(kInputGain)));
  // Per-block constants.
  const double ceiling = std::pow(10.0, (param(kCeiling) - kMarginDb) / 20.0);
  const double hardCeiling = std::pow(10.0, param(kCeiling) / 20.0);
  const bool autoRelease = param(kAutoRelease) >= 0.5;
  const double releaseMsSetting = param(kRelease);
  const int window = lookahead_ + 1;
  const int ringSize = static_cast<int>(minValue_.size());
  float points[32];
  double minGain = 1.0;

  for (int i = 0; i < frames; ++i) {
    // Every kControlInterval samples (counted from reset, so block size never matters): update the 1 s
    // gain-reduction average and the release coefficient it sets.
    if (sampleIndex_ % kControlInterval == 0) controlStep(releaseMsSetting, autoRelease);
    const float g = inputGain_.next();
    // 1. Detector: the largest |value| in the interval starting at sample q = n - G, over all channels.
    double intervalPeak = 0.0, meterPeak = 0.0;
    bool quiet = true;
    for (int c = 0; c < channels; ++c) {
      const float x = context.inputs[c][i] * g;
      quiet = quiet && x == 0.0f;
      delay_[static_cast<std::size_t>(c * delayLength_ + delayPos_)] = x;
      detectors_[static_cast<std::size_t>(c)].pushPoints(x, points);
      for (int j = 0; j < kDetectorFactor; ++j) intervalPeak = std::max(intervalPeak, static_cast<double>(std::fabs(points[j])));
      meterPeak = std::max(meterPeak, static_cast<double>(meterDetectors_[static_cast<std::size_t>(c)].push(x)));
    }
    // The meter kernel is shorter (less latency): its peak for the same interval comes out earlier.
    const double alignedMeterPeak = meterPeakDelay_[static_cast<std::size_t>(meterPeakPos_)];
    meterPeakDelay_[static_cast<std::size_t>(meterPeakPos_)] = meterPeak;
    meterPeakPos_ = (meterPeakPos_ + 1) % static_cast<int>(meterPeakDelay_.size());
    intervalPeak = std::max(intervalPeak, alignedMeterPeak);
    // Sample q needs both intervals next to it.
    const double around = std::max(intervalPeak, previousIntervalPeak_);
    previousIntervalPeak_ = intervalPeak;
    const double r = around > ceiling ? ceiling / around : 1.0;

    // 2. Min-hold over the last D+1 required gains (monotonic queue, oldest at minHead_).
    while (minSize_ > 0 && minValue_[static_cast<std::size_t>((minHead_ + minSize_ - 1) % ringSize)] >= r) --minSize_;
    const int tail = (minHead_ + minSize_) % ringSize;
    minValue_[static_cast<std::size_t>(tail)] = r;
    minIndex_[static_cast<std::size_t>(tail)] = sampleIndex_;
    ++minSize_;
    while (minIndex_[static_cast<std::size_t>(minHead_)] <= sampleIndex_ - window) {
      minHead_ = (minHead_ + 1) % ringSize;
      --minSize_;
    }
    const double held = minValue_[static_cast<std::size_t>(minHead_)];

    // 3. Release toward what is allowed, never above it.
    const double envBefore = env_;
    if (held < env_) {
      env_ = held;
    } else {
      env_ = std::min(held, held + (env_ - held) * releaseCoef_);
    }

    // 4. Moving average over D+1 samples: reaches each dip before it arrives, with no step.
    boxSum_ += env_ - box_[static_cast<std::size_t>(boxPos_)];
    box_[static_cast<std::size_t>(boxPos_)] = env_;
    boxPos_ = (boxPos_ + 1) % window;
    if (boxPos_ == 0) {  // exact recompute once per window: the running sum never drifts
      double s = 0.0;
      for (double v : box_) s += v;
      boxSum_ = s;
    }
    const double gain = std::min(1.0, boxSum_ / window);

    // 5. The delayed sample q - D (G + D behind the input) gets the gain.
    const int readPos = (delayPos_ + 1) % delayLength_;
    for (int c = 0; c < channels; ++c) {
      const float y = static_cast<float>(delay_[static_cast<std::size_t>(c * delayLength_ + readPos)] * gain);
      context.outputs[c][i] = static_cast<float>(std::clamp(static_cast<double>(y), -hardCeiling, hardCeiling));
    }
    delayPos_ = readPos;
    ++sampleIndex_;
    minGain = std::min(minGain, gain);
    gainSum_ += gain;
    // The release can settle a hair under 1 (where the next step rounds back to the same value): steady
    // counts as quiet, since nothing moves any more.
    quietRun_ = quiet && env_ == envBefore ? quietRun_ + 1 : 0;
    steadyGain_ = gain;
  }
  const float maxReduction = static_cast<float>(-20.0 * std::log10(std::max(minGain, 1e-9)));
  for (int c = channels; c < context.outputChannels; ++c)
    std::fill(context.outputs[c], context.outputs[c] + frames, 0.0f);
  reportGainReduction(maxReduction);
}

// While idle the gain is the same every sample: the release-time grid runs on as process() would run it
// (the same sums, so the same average and release coefficient).
void TruePeakLimiter::onSkip(int frames) noexcept {
  const double releaseMsSetting = param(kRelease);
  const bool autoRelease = param(kAutoRelease) >= 0.5;
  for (int i = 0; i < frames; ++i) {
    if (sampleIndex_ % kControlInterval == 0) controlStep(releaseMsSetting, autoRelease);
    gainSum_ += steadyGain_;
    ++sampleIndex_;
  }
  quietRun_ += frames;
}

}  // namespace mixdown
