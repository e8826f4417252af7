#include "master/Mastering.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "devices/Device.h"
#include "master/LoudnessMeter.h"
#include "master/TruePeakLimiter.h"

namespace mixdown {
namespace {
constexpr int kBlock = 4096;

std::string fixed(double v, int decimals = 1) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}
}  // namespace

const std::vector<DeliveryPreset>& deliveryPresets() {
  static const std::vector<DeliveryPreset> list = {
      {"spotify", "Spotify", -14.0, -1.0, "Spotify for Artists, Loudness normalization: -14 LUFS integrated, -1 dBTP"},
      {"apple-music", "Apple Music", -16.0, -1.0, "Apple Digital Masters / Sound Check: -16 LUFS, -1 dBTP"},
      {"youtube", "YouTube", -14.0, -1.0, "YouTube loudness normalisation reference -14 LUFS; -1 dBTP for lossy encoding"},
      {"tidal", "Tidal", -14.0, -1.0, "Tidal normalisation: -14 LUFS integrated; -1 dBTP"},
      {"amazon-music", "Amazon Music", -14.0, -2.0, "Amazon Music: -14 LUFS integrated, -2 dBTP"},
      {"deezer", "Deezer", -15.0, -1.0, "Deezer normalisation: -15 LUFS integrated; -1 dBTP"},
      {"ebu-r128", "EBU R128 broadcast", -23.0, -1.0, "EBU R 128: programme loudness -23 LUFS, maximum true peak -1 dBTP"},
      {"loud", "CD / club (loud)", -9.0, -0.3, "No standard: common practice for loud CD and club masters"},
  };
  return list;
}

const DeliveryPreset* findDeliveryPreset(const std::string& id) {
  for (const auto& p : deliveryPresets())
    if (id == p.id) return &p;
  return nullptr;
}

LoudnessReport analyzeLoudness(const AudioChannels& audio, double sampleRate, const Progress& progress) {
  LoudnessMeter meter;
  meter.prepare(sampleRate, static_cast<int>(audio.size()));
  const std::size_t frames = audio.empty() ? 0 : audio[0].size();
  std::vector<const float*> ptr(audio.size());
  for (std::size_t at = 0; at < frames; at += kBlock) {
    const int n = static_cast<int>(std::min<std::size_t>(kBlock, frames - at));
    for (std::size_t c = 0; c < audio.size(); ++c) ptr[c] = audio[c].data() + at;
    meter.add(ptr.data(), n);
    if (progress && (at / kBlock) % 64 == 0) progress(static_cast<double>(at) / static_cast<double>(frames));
  }
  // The interpolator's last points (the waveform after the final sample) are part of the true peak.
  std::vector<float> zeros(64, 0.0f);
  LoudnessReport r;
  r.integrated = meter.integrated();
  r.range = meter.loudnessRange();
  r.maxMomentary = meter.maxMomentary();
  r.maxShortTerm = meter.maxShortTerm();
  r.seconds = static_cast<double>(frames) / sampleRate;
  for (std::size_t c = 0; c < audio.size(); ++c) ptr[c] = zeros.data();
  meter.add(ptr.data(), 64);  // after the loudness figures were read: silence must not change them
  r.truePeak = meter.truePeakDb();
  r.samplePeak = meter.samplePeakDb();
  if (progress) progress(1.0);
  return r;
}

AudioChannels applyGainAndLimiter(const AudioChannels& audio, double sampleRate, double gainDb, double ceilingDbtp,
                                  double releaseMs, const Progress& progress) {
  TruePeakLimiter limiter;
  limiter.setParam(TruePeakLimiter::kCeiling, ceilingDbtp);
  limiter.setParam(TruePeakLimiter::kRelease, releaseMs);
  limiter.setParam(TruePeakLimiter::kAutoRelease, 1);
  limiter.prepare(sampleRate, kBlock);
  const std::size_t frames = audio.empty() ? 0 : audio[0].size();
  const std::size_t latency = static_cast<std::size_t>(limiter.latency());
  const std::size_t channels = std::min<std::size_t>(audio.size(), TruePeakLimiter::kMaxChannels);
  AudioChannels out(audio.size(), std::vector<float>(frames, 0.0f));
  const float gain = static_cast<float>(std::pow(10.0, gainDb / 20.0));
  std::vector<std::vector<float>> in(channels, std::vector<float>(kBlock)), res(channels, std::vector<float>(kBlock));
  std::vector<const float*> ip(channels);
  std::vector<float*> op(channels);
  // Run past the end by the latency (feeding silence) so the last samples come out; drop the first ones.
  for (std::size_t at = 0; at < frames + latency; at += kBlock) {
    const int n = static_cast<int>(std::min<std::size_t>(kBlock, frames + latency - at));
    for (std::size_t c = 0; c < channels; ++c) {
      for (int i = 0; i < n; ++i) in[c][static_cast<std::size_t>(i)] = at + i < frames ? audio[c][at + static_cast<std::size_t>(i)] * gain : 0.0f;
      ip[c] = in[c].data();
      op[c] = res[c].data();
    }
    ProcessContext ctx;
    ctx.inputs = ip.data();
    ctx.inputChannels = static_cast<int>(channels);
    ctx.outputs = op.data();
    ctx.outputChannels = static_cast<int>(channels);
    ctx.frames = n;
    limiter.process(ctx);
    for (std::size_t c = 0; c < channels; ++c)
      for (int i = 0; i < n; ++i) {
        const std::size_t t = at + static_cast<std::size_t>(i);
        if (t >= latency && t - latency < frames) out[c][t - latency] = res[c][static_cast<std::size_t>(i)];
      }
    if (progress && (at / kBlock) % 64 == 0) progress(static_cast<double>(at) / static_cast<double>(frames + latency));
  }
  if (progress) progress(1.0);
  return out;
}

MasterResult masterToTarget(const AudioChannels& audio, double sampleRate, const MasterSettings& s, const Progress& progress) {
  MasterResult r;
  if (!(s.targetLufs >= -70.0 && s.targetLufs <= 0.0)) {
    r.error = "target " + fixed(s.targetLufs) + " LUFS is out of range (-70 .. 0 LUFS)";
    return r;
  }
  if (!(s.ceilingDbtp >= -20.0 && s.ceilingDbtp <= 0.0)) {
    r.error = "ceiling " + fixed(s.ceilingDbtp) + " dBTP is out of range (-20 .. 0 dBTP)";
    return r;
  }
  if (audio.empty() || audio[0].empty()) {
    r.error = "there is no audio to master";
    return r;
  }
  constexpr int kMaxPasses = 10;
  std::vector<double> releases = {s.releaseMs};
  if (s.fasterReleaseIfNeeded)
    for (double faster : {30.0, 10.0})
      if (faster < releases.back()) releases.push_back(faster);
  const int totalStages = 1 + kMaxPasses * static_cast<int>(releases.size());
  // Progress: the first analysis, then each pass (limiter + analysis) a share.
  auto stage = [&](int index) {
    return [&, index](double f) {
      if (progress) progress((index + f) / totalStages);
    };
  };
  r.before = analyzeLoudness(audio, sampleRate, stage(0));
  if (!std::isfinite(r.before.integrated)) {
    r.error = "the audio is silent (no part is louder than -70 LUFS): there is nothing to normalise";
    return r;
  }
  // Secant iteration on gain -> integrated loudness: the limiter takes away loudness as the gain rises,
  // so each step divides the error by the measured slope (1 LU/dB without limiting, less with it).
  int stageIndex = 0;
  double gain = 0.0;
  for (double release : releases) {
    r.releaseMs = release;
    gain = s.targetLufs - r.before.integrated;
    double previousGain = 0.0, previousLoudness = r.before.integrated;
    for (int pass = 1; pass <= kMaxPasses; ++pass) {
      r.passes = pass;
      const int at = ++stageIndex;
      r.audio = applyGainAndLimiter(audio, sampleRate, gain, s.ceilingDbtp, release, [&](double f) { stage(at)(0.7 * f); });
      r.after = analyzeLoudness(r.audio, sampleRate, [&](double f) { stage(at)(0.7 + 0.3 * f); });
      r.gainDb = gain;
      const double error = s.targetLufs - r.after.integrated;
      if (std::fabs(error) <= 0.05 && r.after.truePeak <= s.ceilingDbtp) break;
      const double slope = (r.after.integrated - previousLoudness) / (gain - previousGain);
      // When more gain stops adding loudness the target is out of reach with this release.
      if (!(slope > 0.02) || gain > 48.0) break;
      previousGain = gain;
      previousLoudness = r.after.integrated;
      gain += std::clamp(error / std::min(1.0, slope), -24.0, 12.0);
    }
    if (std::fabs(s.targetLufs - r.after.integrated) <= 0.1) {
      if (progress) progress(1.0);
      r.ok = true;
      return r;
    }
  }
  if (progress) progress(1.0);
  r.error = "cannot reach " + fixed(s.targetLufs) + " LUFS under a " + fixed(s.ceilingDbtp) + " dBTP ceiling: the limiter reaches " +
            fixed(r.after.integrated) + " LUFS with " + fixed(gain) + " dB of gain and a " + fixed(r.releaseMs, 0) +
            " ms release (choose a lower target or a higher ceiling)";
  return r;
}

}  // namespace mixdown
