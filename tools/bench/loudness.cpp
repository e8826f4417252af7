// Loudness meter speed against libebur128 (the field's reference implementation), measured in the same run
// on the same programme: 10 minutes of stereo pink noise at 48 kHz, integrated + range + true peak in both.
// Prints seconds, real-time factors and the ratio (ours / libebur128; below 1 is faster), and the figures
// each reports so the comparison is of like for like.
// Build: cmake --build build/native --target bench_loudness; run: build/native/bin/bench_loudness [minutes]
#include <ebur128.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "master/LoudnessMeter.h"

int main(int argc, char** argv) {
  const double minutes = argc > 1 ? std::atof(argv[1]) : 10.0;
  constexpr double kRate = 48000;
  const auto frames = static_cast<std::size_t>(minutes * 60 * kRate);
  // Pink-ish noise (three one-pole sections), deterministic.
  std::vector<float> l(frames), r(frames), inter(2 * frames);
  std::mt19937 rng(1);
  std::normal_distribution<float> g(0.0f, 0.02f);
  float b[2][3] = {};
  for (std::size_t i = 0; i < frames; ++i) {
    for (int c = 0; c < 2; ++c) {
      const float w = g(rng);
      b[c][0] = 0.99765f * b[c][0] + w * 0.0990460f;
      b[c][1] = 0.96300f * b[c][1] + w * 0.2965164f;
      b[c][2] = 0.57000f * b[c][2] + w * 1.0526913f;
      const float v = b[c][0] + b[c][1] + b[c][2] + w * 0.1848f;
      (c ? r : l)[i] = v;
      inter[2 * i + static_cast<std::size_t>(c)] = v;
    }
  }
  using Clock = std::chrono::steady_clock;
  auto seconds = [](Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
  constexpr int kBlock = 512;

  auto t0 = Clock::now();
  mixdown::LoudnessMeter meter;
  meter.prepare(kRate, 2);
  for (std::size_t at = 0; at < frames; at += kBlock) {
    const float* p[2] = {l.data() + at, r.data() + at};
    meter.add(p, static_cast<int>(std::min<std::size_t>(kBlock, frames - at)));
  }
  const double oursI = meter.integrated(), oursLra = meter.loudnessRange(), oursTp = meter.truePeakDb();
  auto t1 = Clock::now();

  ebur128_state* st = ebur128_init(2, static_cast<unsigned long>(kRate), EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_TRUE_PEAK);
  for (std::size_t at = 0; at < frames; at += kBlock)
    ebur128_add_frames_float(st, inter.data() + 2 * at, std::min<std::size_t>(kBlock, frames - at));
  double refI = 0, refLra = 0, tpl = 0, tpr = 0;
  ebur128_loudness_global(st, &refI);
  ebur128_loudness_range(st, &refLra);
  ebur128_true_peak(st, 0, &tpl);
  ebur128_true_peak(st, 1, &tpr);
  ebur128_destroy(&st);
  auto t2 = Clock::now();

  const double ours = seconds(t0, t1), ref = seconds(t1, t2), audio = minutes * 60;
  std::printf("programme: %.1f min stereo pink noise at 48 kHz, blocks of %d frames\n", minutes, kBlock);
  std::printf("mixdown LoudnessMeter: %.3f s = %.0fx real time (I %.2f LUFS, LRA %.2f LU, TP %.2f dBTP)\n", ours, audio / ours, oursI, oursLra, oursTp);
  std::printf("libebur128 1.2:        %.3f s = %.0fx real time (I %.2f LUFS, LRA %.2f LU, TP %.2f dBTP)\n", ref, audio / ref, refI, refLra,
              20 * std::log10(std::max(tpl, tpr)));
  std::printf("ratio ours / libebur128: %.2f (time; below 1 is faster)\n", ours / ref);
  return 0;
}
