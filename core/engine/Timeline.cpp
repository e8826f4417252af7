#include "engine/Timeline.h"

#include <algorithm>
#include <limits>

namespace mixdown {
namespace {
bool positiveFinite(double v) { return std::isfinite(v) && v > 0.0; }
bool validSignature(int numerator, int denominator) { return numerator >= 1 && numerator <= 64 && denominator >= 1 && denominator <= 32; }
// A bar number from a floating count, kept inside int's range.
int clampBar(double bar) {
  return static_cast<int>(std::clamp(bar, static_cast<double>(std::numeric_limits<int>::min() / 2),
                                     static_cast<double>(std::numeric_limits<int>::max() / 2)));
}
}  // namespace

Timeline::Timeline() : Timeline(Project{}, 48000.0) {}

Timeline::Timeline(const Project& project, double sampleRate)
    : sampleRate_(positiveFinite(sampleRate) ? sampleRate : 48000.0),
      startTempo_(positiveFinite(project.tempo) ? project.tempo : 120.0) {
  // The same expression RenderPlan used for automation before the tempo map: the fast path keeps it.
  startBeatsPerFrame_ = startTempo_ / (60.0 * sampleRate_);

  // Points: the start, then every usable change. Segment i runs from point i to point i + 1 and ramps
  // when point i + 1 is Linear (a point's shape says how the tempo reaches it).
  std::vector<TempoPoint> points{{0.0, startTempo_, TempoShape::Step}};
  points.reserve(project.tempoChanges.size() + 1);
  for (const TempoPoint& p : project.tempoChanges)
    if (std::isfinite(p.beat) && p.beat > points.back().beat && positiveFinite(p.bpm)) points.push_back(p);
  tempo_.reserve(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    TempoSegment s;
    s.beat = points[i].beat;
    s.bpm = points[i].bpm;
    s.beatsPerFrame = s.bpm / (60.0 * sampleRate_);
    if (i + 1 < points.size() && points[i + 1].shape == TempoShape::Linear)
      s.slope = (points[i + 1].bpm - s.bpm) / (points[i + 1].beat - s.beat);
    if (i > 0) {
      const TempoSegment& previous = tempo_.back();
      s.frame = previous.frame + framesInto(previous, s.beat - previous.beat);
    }
    tempo_.push_back(s);
  }

  const TimeSignature first = validSignature(project.timeSignature.numerator, project.timeSignature.denominator)
                                  ? project.timeSignature
                                  : TimeSignature{};
  signatures_.push_back({1, 0.0, first.numerator * 4.0 / first.denominator, first});
  for (const SignatureChange& c : project.signatureChanges) {
    const SignatureSegment& last = signatures_.back();
    if (c.bar <= last.bar || !validSignature(c.numerator, c.denominator)) continue;
    const TimeSignature sig{c.numerator, c.denominator};
    signatures_.push_back({c.bar, last.beat + (c.bar - last.bar) * last.beatsPerBar, sig.numerator * 4.0 / sig.denominator, sig});
  }
}

double Timeline::framesInto(const TempoSegment& s, double beats) const {
  // Before the song's start (beats < 0, first segment only) the start tempo simply continues.
  if (s.slope == 0.0 || beats < 0.0) return beats * 60.0 / s.bpm * sampleRate_;
  return 60.0 * sampleRate_ / s.slope * std::log1p(s.slope * beats / s.bpm);
}

double Timeline::beatsInto(const TempoSegment& s, double frames) const {
  if (s.slope == 0.0 || frames < 0.0) return frames * s.beatsPerFrame;
  return s.bpm / s.slope * std::expm1(s.slope * frames / (60.0 * sampleRate_));
}

const Timeline::TempoSegment& Timeline::segmentAtBeat(double beat) const {
  // The last segment starting at or before `beat` (the first for beats before 0 or NaN).
  auto next = std::upper_bound(tempo_.begin() + 1, tempo_.end(), beat, [](double b, const TempoSegment& s) { return b < s.beat; });
  return *(next - 1);
}

const Timeline::TempoSegment& Timeline::segmentAtFrame(double frame) const {
  auto next = std::upper_bound(tempo_.begin() + 1, tempo_.end(), frame, [](double f, const TempoSegment& s) { return f < s.frame; });
  return *(next - 1);
}

const Timeline::SignatureSegment& Timeline::signatureAtBeat(double beat) const {
  auto next = std::upper_bound(signatures_.begin() + 1, signatures_.end(), beat,
                               [](double b, const SignatureSegment& s) { return b < s.beat; });
  return *(next - 1);
}

namespace {
// Frame positions are kept within +-2^53 (285 years at 1 MHz): a validated project stays far inside, and a
// value from outside it (a beat of 1e300, a NaN) saturates instead of overflowing the conversion to an
// integer, which is undefined behaviour. Inside the range the result is llround's, bit for bit.
constexpr double kFrameLimit = 9007199254740992.0;  // 2^53
std::int64_t roundFrames(double frames) {
  if (!(frames == frames)) return 0;  // NaN
  return static_cast<std::int64_t>(std::llround(std::clamp(frames, -kFrameLimit, kFrameLimit)));
}
std::int64_t ceilFrames(double frames) {
  if (!(frames == frames)) return 0;
  return static_cast<std::int64_t>(std::ceil(std::clamp(frames, -kFrameLimit, kFrameLimit)));
}
}  // namespace

std::int64_t Timeline::frameOfBeat(double beat) const {
  if (tempo_.size() == 1) return roundFrames(beat * 60.0 / startTempo_ * sampleRate_);
  const TempoSegment& s = segmentAtBeat(beat);
  return roundFrames(s.frame + framesInto(s, beat - s.beat));
}

std::int64_t Timeline::frameAtOrAfterBeat(double beat) const {
  double exact = 0.0;
  if (tempo_.size() == 1) {
    exact = beat * 60.0 / startTempo_ * sampleRate_;
  } else {
    const TempoSegment& s = segmentAtBeat(beat);
    exact = s.frame + framesInto(s, beat - s.beat);
  }
  return ceilFrames(exact - 1e-6);
}

double Timeline::beatOfFrame(double frame) const {
  if (tempo_.size() == 1) return frame * startBeatsPerFrame_;
  const TempoSegment& s = segmentAtFrame(frame);
  return s.beat + beatsInto(s, frame - s.frame);
}

double Timeline::secondsOfBeat(double beat) const {
  if (tempo_.size() == 1) return beat * 60.0 / startTempo_;
  const TempoSegment& s = segmentAtBeat(beat);
  return (s.frame + framesInto(s, beat - s.beat)) / sampleRate_;
}

double Timeline::beatOfSeconds(double seconds) const {
  if (tempo_.size() == 1) return seconds * startTempo_ / 60.0;
  return beatOfFrame(seconds * sampleRate_);
}

std::int64_t Timeline::framesOfSpan(double fromBeat, double beats) const {
  if (tempo_.size() == 1) return roundFrames(beats * 60.0 / startTempo_ * sampleRate_);
  const TempoSegment& a = segmentAtBeat(fromBeat);
  const TempoSegment& b = segmentAtBeat(fromBeat + beats);
  const double from = a.frame + framesInto(a, fromBeat - a.beat), to = b.frame + framesInto(b, fromBeat + beats - b.beat);
  return roundFrames(to - from);
}

double Timeline::tempoAt(double beat) const {
  if (tempo_.size() == 1) return startTempo_;
  const TempoSegment& s = segmentAtBeat(beat);
  return beat <= s.beat ? s.bpm : s.bpm + s.slope * (beat - s.beat);
}

double Timeline::barStartBeat(int bar) const {
  auto next = std::upper_bound(signatures_.begin() + 1, signatures_.end(), bar, [](int b, const SignatureSegment& s) { return b < s.bar; });
  const SignatureSegment& s = *(next - 1);
  return s.beat + static_cast<double>(bar - s.bar) * s.beatsPerBar;
}

int Timeline::barOfBeat(double beat) const {
  if (!std::isfinite(beat)) return 1;
  const SignatureSegment& s = signatureAtBeat(beat);
  double bars = std::floor((beat - s.beat) / s.beatsPerBar);
  // The division may round across a bar line (or underflow to -0 just before beat 0): bar starts are exact
  // (multiples of 1/8 beat), so compare against them.
  if (beat < s.beat + bars * s.beatsPerBar) bars -= 1;
  else if (beat >= s.beat + (bars + 1) * s.beatsPerBar) bars += 1;
  return clampBar(s.bar + bars);
}

TimeSignature Timeline::signatureAtBar(int bar) const {
  auto next = std::upper_bound(signatures_.begin() + 1, signatures_.end(), bar, [](int b, const SignatureSegment& s) { return b < s.bar; });
  return (next - 1)->signature;
}

BarPosition Timeline::positionOf(double beat) const {
  BarPosition p;
  p.bar = barOfBeat(beat);
  p.signature = signatureAtBar(p.bar);
  // Quarter-note beats into the bar, counted in the signature's unit (a 1/d note is 4/d quarters).
  p.beatInBar = (beat - barStartBeat(p.bar)) * p.signature.denominator / 4.0 + 1.0;
  return p;
}

}  // namespace mixdown
