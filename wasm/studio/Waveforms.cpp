#include "Waveforms.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "dsp/Decibels.h"
#include "model/Arrange.h"

namespace mixdown::ui {

namespace {

constexpr int kFinestBucket = 64;  // frames per bucket of the finest level
constexpr int kLevelFactor = 4;    // each level's buckets are 4x the one below
constexpr int kLevels = 7;         // 64 .. 262144 frames per bucket

struct Level {
  int bucket = kFinestBucket;      // frames per bucket
  std::vector<float> lo, hi;       // per bucket: the smallest and largest sample of all channels
};

struct AssetPeaks {
  double sampleRate = 48000;
  std::int64_t frames = 0;
  std::vector<Level> levels;       // finest first
};

std::map<std::string, AssetPeaks>& cache() {
  static std::map<std::string, AssetPeaks> peaks;
  return peaks;
}

// The asset whose audio is arriving.
struct Incoming {
  std::string id;
  int channels = 1;
  AssetPeaks peaks;
  std::vector<float> slice;        // planar staging for one slice
  float lo = 0, hi = 0;            // the bucket being filled
  int inBucket = 0;
};
Incoming incoming;

// The extremes of asset frames [f0, f1) (at the peaks' rate) from the coarsest level whose buckets are
// no wider than the span; false when the span holds no bucket.
bool spanExtremes(const AssetPeaks& peaks, double f0, double f1, float& lo, float& hi) {
  if (f1 <= 0 || f0 >= static_cast<double>(peaks.frames)) return false;
  std::size_t level = 0;
  while (level + 1 < peaks.levels.size() && peaks.levels[level + 1].bucket <= f1 - f0) ++level;
  const Level& L = peaks.levels[level];
  const auto n = static_cast<std::int64_t>(L.lo.size());
  std::int64_t k0 = static_cast<std::int64_t>(std::floor(std::max(0.0, f0) / L.bucket));
  std::int64_t k1 = std::max(k0 + 1, static_cast<std::int64_t>(std::ceil(f1 / L.bucket)));
  k0 = std::clamp<std::int64_t>(k0, 0, n);
  k1 = std::clamp<std::int64_t>(k1, 0, n);
  if (k1 <= k0) return false;
  lo = L.lo[static_cast<std::size_t>(k0)], hi = L.hi[static_cast<std::size_t>(k0)];
  for (std::int64_t k = k0 + 1; k < k1; ++k) {
    lo = std::min(lo, L.lo[static_cast<std::size_t>(k)]);
    hi = std::max(hi, L.hi[static_cast<std::size_t>(k)]);
  }
  return true;
}

// One pixel column's bar between `top` and `bottom` for the extremes lo..hi scaled by `gain`.
void drawColumn(ImDrawList* dl, float x, float top, float bottom, float lo, float hi, float gain, ImU32 colour) {
  const float mid = (top + bottom) * 0.5f, half = (bottom - top) * 0.5f;
  const float yTop = mid - std::clamp(hi * gain, -1.0f, 1.0f) * half;
  const float yBottom = mid - std::clamp(lo * gain, -1.0f, 1.0f) * half;
  dl->AddRectFilled(ImVec2(x, yTop), ImVec2(x + 1.0f, std::max(yBottom, yTop + 1.0f)), colour);
}

}  // namespace

void beginAssetPeaks(const std::string& id, int channels, double sampleRate) {
  incoming = Incoming{};
  incoming.id = id;
  incoming.channels = std::clamp(channels, 1, 2);
  incoming.peaks.sampleRate = sampleRate > 0 ? sampleRate : 48000;
  incoming.peaks.levels.resize(1);
}

float* assetPeaksSlice(int frames) {
  incoming.slice.resize(static_cast<std::size_t>(std::max(0, frames)) * static_cast<std::size_t>(incoming.channels));
  return incoming.slice.data();
}

void addAssetPeaks(int frames) {
  Incoming& in = incoming;
  if (in.peaks.levels.empty() || static_cast<std::size_t>(frames) * static_cast<std::size_t>(in.channels) > in.slice.size()) return;
  Level& fine = in.peaks.levels[0];
  for (int i = 0; i < frames; ++i) {
    for (int c = 0; c < in.channels; ++c) {
      const float x = in.slice[static_cast<std::size_t>(c) * static_cast<std::size_t>(frames) + static_cast<std::size_t>(i)];
      if (in.inBucket == 0 && c == 0) in.lo = in.hi = x;
      in.lo = std::min(in.lo, x);
      in.hi = std::max(in.hi, x);
    }
    if (++in.inBucket == kFinestBucket) {
      fine.lo.push_back(in.lo);
      fine.hi.push_back(in.hi);
      in.inBucket = 0;
    }
  }
  in.peaks.frames += frames;
}

void endAssetPeaks() {
  Incoming& in = incoming;
  if (in.id.empty() || in.peaks.levels.empty()) return;
  if (in.inBucket > 0) {  // the last, partial bucket
    in.peaks.levels[0].lo.push_back(in.lo);
    in.peaks.levels[0].hi.push_back(in.hi);
  }
  for (int k = 1; k < kLevels; ++k) {
    const Level& below = in.peaks.levels.back();
    Level up;
    up.bucket = below.bucket * kLevelFactor;
    for (std::size_t b = 0; b < below.lo.size(); b += kLevelFactor) {
      const std::size_t e = std::min(below.lo.size(), b + kLevelFactor);
      up.lo.push_back(*std::min_element(below.lo.begin() + static_cast<std::ptrdiff_t>(b), below.lo.begin() + static_cast<std::ptrdiff_t>(e)));
      up.hi.push_back(*std::max_element(below.hi.begin() + static_cast<std::ptrdiff_t>(b), below.hi.begin() + static_cast<std::ptrdiff_t>(e)));
    }
    in.peaks.levels.push_back(std::move(up));
  }
  cache()[in.id] = std::move(in.peaks);
  incoming = Incoming{};
}

bool hasAssetPeaks(const std::string& id) { return cache().count(id) > 0; }

bool drawWaveform(ImDrawList* dl, const Clip& clip, const Timeline& timeline, const WaveformArea& a, ImU32 colour) {
  const auto it = cache().find(clip.asset);
  if (it == cache().end()) return false;
  const AssetPeaks& peaks = it->second;
  const float mid = (a.top + a.bottom) * 0.5f;
  const float gain = static_cast<float>(dbToGain(clip.gainDb));
  dl->AddLine(ImVec2(a.x0, mid), ImVec2(a.x1, mid), (colour & 0x00FFFFFF) | 0x50000000);
  const auto beatOf = [&](float x) { return a.firstBeat + (x - a.laneX) / a.pixelsPerBeat; };
  // The segments the clip plays (an unlooped clip is one; a looped one repeats its loop), each mapping a
  // song beat to seconds into the file: secondsOfBeat(beat) - secondsOfBeat(the beat content 0 would be at).
  const std::vector<ClipSegment> segments = clipSegments(clip);
  std::size_t seg = 0;
  const float x0 = std::floor(a.x0), x1 = std::ceil(a.x1);
  for (float x = x0; x < x1; x += 1.0f) {
    const double b0 = std::max(beatOf(x), clip.start), b1 = std::min(beatOf(x + 1.0f), clip.start + clip.length);
    if (b1 <= b0) continue;
    while (seg + 1 < segments.size() && segments[seg].end <= b0) ++seg;
    if (seg >= segments.size()) break;
    const ClipSegment& s = segments[seg];
    const double zero = timeline.secondsOfBeat(s.start - s.contentStart);
    const double f0 = (timeline.secondsOfBeat(b0) - zero) * peaks.sampleRate;
    const double f1 = (timeline.secondsOfBeat(std::min(b1, s.end)) - zero) * peaks.sampleRate;
    float lo = 0, hi = 0;
    if (spanExtremes(peaks, f0, f1, lo, hi)) drawColumn(dl, x, a.top, a.bottom, lo, hi, gain, colour);
  }
  return true;
}

bool drawAssetSeconds(ImDrawList* dl, const std::string& asset, double fromSeconds, double toSeconds, ImVec2 min, ImVec2 max,
                      const std::function<ImU32(double seconds)>& colourAt) {
  const auto it = cache().find(asset);
  if (it == cache().end() || max.x <= min.x || toSeconds <= fromSeconds) return false;
  const AssetPeaks& peaks = it->second;
  const double perPixel = (toSeconds - fromSeconds) / static_cast<double>(max.x - min.x);
  for (float x = std::floor(min.x); x < max.x; x += 1.0f) {
    const double s0 = fromSeconds + (x - min.x) * perPixel;
    float lo = 0, hi = 0;
    if (spanExtremes(peaks, s0 * peaks.sampleRate, (s0 + perPixel) * peaks.sampleRate, lo, hi))
      drawColumn(dl, x, min.y, max.y, lo, hi, 1.0f, colourAt(s0));
  }
  return true;
}

}  // namespace mixdown::ui
