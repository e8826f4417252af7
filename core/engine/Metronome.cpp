#include "engine/Metronome.h"

#include <algorithm>
#include <cmath>

namespace mixdown {

BeatOnset nextBeatOnset(const Timeline& timeline, std::int64_t frame) noexcept {
  // Start a beat before where `frame` falls (the beat's onset is rounded up, so the beat just before the
  // frame may still have its onset at or after it), then walk the bars' beats.
  const double beat = timeline.beatOfFrame(static_cast<double>(frame));
  int bar = timeline.barOfBeat(beat);
  if (bar < 1) bar = 1;
  if (bar > 1) {  // the previous bar's last beat, when `frame` is right after it by rounding
    const TimeSignature sig = timeline.signatureAtBar(bar - 1);
    const int k = sig.numerator - 1;
    const std::int64_t onset = timeline.frameAtOrAfterBeat(timeline.barStartBeat(bar - 1) + k * (4.0 / sig.denominator));
    if (onset >= frame) return {onset, k == 0};
  }
  for (int b = bar; b < bar + 3; ++b) {
    const double barStart = timeline.barStartBeat(b);
    const TimeSignature sig = timeline.signatureAtBar(b);
    const double unit = 4.0 / sig.denominator;  // quarter-note beats per beat of the signature
    int k = 0;
    if (b == bar) k = std::max(0, static_cast<int>(std::floor((beat - barStart) / unit)) - 1);
    for (; k < sig.numerator; ++k) {
      const std::int64_t onset = timeline.frameAtOrAfterBeat(barStart + k * unit);
      if (onset >= frame) return {onset, k == 0};
    }
  }
  // (Unreachable for a valid timeline: a bar of at least one beat lies ahead.)
  return {timeline.frameAtOrAfterBeat(timeline.barStartBeat(bar + 3)), true};
}

void Metronome::prepare(double sampleRate) {
  const auto n = static_cast<std::size_t>(std::lround(kClickSeconds * sampleRate));
  constexpr double kTwoPi = 6.283185307179586;
  accent_.assign(n, 0.0f);
  beat_.assign(n, 0.0f);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / sampleRate;
    // Exponential decay, with the last millisecond tapered to zero so the burst ends without a step.
    const double left = static_cast<double>(n - i) / sampleRate;
    const double envelope = std::exp(-t / kDecaySeconds) * std::min(1.0, left / 0.001);
    accent_[i] = static_cast<float>(std::cos(kTwoPi * kAccentHz * t) * envelope);
    beat_[i] = static_cast<float>(kBeatLevel * std::cos(kTwoPi * kBeatHz * t) * envelope);
  }
  reset();
}

void Metronome::scheduleBeats(const Timeline& timeline, std::int64_t from, int frames, int at, int delay) noexcept {
  const std::int64_t to = from + frames;
  for (BeatOnset o = nextBeatOnset(timeline, from); o.frame < to; o = nextBeatOnset(timeline, o.frame + 1))
    schedule(at + delay + static_cast<int>(o.frame - from), o.downbeat);
}

void Metronome::schedule(int at, bool accent) noexcept {
  if (accent_.empty()) return;
  for (Voice& v : voices_)
    if (v.age < 0) {
      v = {std::max(0, at), 0, accent};
      return;
    }
  // Every voice busy (clicks closer than 25 ms / 8): this one is dropped.
}

void Metronome::render(float* left, float* right, int frames, float gain) noexcept {
  const int length = static_cast<int>(accent_.size());
  for (Voice& v : voices_) {
    if (v.age < 0) continue;
    const float* table = v.accent ? accent_.data() : beat_.data();
    for (int j = v.wait; j < frames && v.age < length; ++j, ++v.age) {
      const float s = gain * table[v.age];
      left[j] += s;
      right[j] += s;
    }
    v.wait = std::max(0, v.wait - frames);
    if (v.age >= length) v.age = -1;
  }
}

void Metronome::reset() noexcept {
  for (Voice& v : voices_) v = Voice{};
}

bool Metronome::sounding() const noexcept {
  return std::any_of(voices_.begin(), voices_.end(), [](const Voice& v) { return v.age >= 0; });
}

}  // namespace mixdown
