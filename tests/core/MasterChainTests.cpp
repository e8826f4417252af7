// Master chain devices: the multiband compressor's crossovers sum flat, its bands compress by the static
// curve, and the stereo imager's width and mono-below behave as stated.
#include <boost/test/unit_test.hpp>

#include <complex>

#include "Measure.h"
#include "Projects.h"
#include "engine/Engine.h"
#include "devices/MultibandCompressor.h"
#include "devices/StereoImager.h"

using namespace mixdown;
using namespace mixdown::test;

namespace {

void run(Device& d, std::vector<float>& l, std::vector<float>& r, int block = 256) {
  for (std::size_t at = 0; at < l.size(); at += static_cast<std::size_t>(block)) {
    const int n = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(block), l.size() - at));
    const float* in[2] = {l.data() + at, r.data() + at};
    float* out[2] = {l.data() + at, r.data() + at};
    d.process(ProcessContext::stereo(in, out, n));
  }
}

double responseDb(const std::vector<float>& h, double hz, double rate) {
  std::complex<double> acc = 0;
  for (std::size_t n = 0; n < h.size(); ++n) acc += static_cast<double>(h[n]) * std::polar(1.0, -2 * kPi * hz * n / rate);
  return 20 * std::log10(std::abs(acc));
}

std::vector<float> tone(double hz, double dbfs, double rate, double seconds) {
  std::vector<float> x(static_cast<std::size_t>(rate * seconds));
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(std::pow(10, dbfs / 20) * std::sin(2 * kPi * hz * i / rate));
  return x;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(MasterChain)

BOOST_AUTO_TEST_CASE(multiband_crossovers_sum_flat_when_the_bands_do_nothing) {
  for (double rate : {44100.0, 48000.0, 96000.0}) {
    for (int bands : {3, 4}) {
      MultibandCompressor m;
      m.setParam(MultibandCompressor::kBands, bands == 4 ? 1 : 0);
      for (int b = 0; b < 4; ++b) m.setParam(MultibandCompressor::ratioParam(b), 1.0);
      m.prepare(rate, 256);
      std::vector<float> l(32768, 0.0f), r(32768, 0.0f);
      l[0] = r[0] = 1.0f;
      run(m, l, r);
      double worst = 0;
      for (double hz = 20; hz < 0.45 * rate; hz *= 1.06) worst = std::max(worst, std::fabs(responseDb(l, hz, rate)));
      BOOST_TEST_MESSAGE(bands << " bands at " << rate << " Hz: largest deviation from flat " << worst << " dB");
      BOOST_TEST(worst < 0.01, bands << " bands at " << rate << " Hz: " << worst << " dB");
    }
  }
}

BOOST_AUTO_TEST_CASE(multiband_band_compresses_by_its_static_curve) {
  constexpr double kRate = 48000;
  // 3 bands at 50 / 8000 Hz; a 1 kHz tone at -6 dBFS lives in the middle band (what leaks into the other
  // bands is below -70 dB). Threshold -18 dB, ratio 4, hard knee: 12 dB over becomes 3 dB over.
  MultibandCompressor m;
  m.setParam(MultibandCompressor::kCrossover1, 50);
  m.setParam(MultibandCompressor::kCrossover2, 8000);
  m.setParam(MultibandCompressor::kKnee, 0);
  m.setParam(MultibandCompressor::kAttack, 1);
  for (int b = 0; b < 4; ++b) m.setParam(MultibandCompressor::ratioParam(b), 1.0);
  m.setParam(MultibandCompressor::thresholdParam(1), -18);
  m.setParam(MultibandCompressor::ratioParam(1), 4);
  m.prepare(kRate, 256);
  std::vector<float> l = tone(1000, -6, kRate, 2), r = l;
  std::vector<float> l1(l.begin(), l.begin() + 24000), r1 = l1, l2(l.begin() + 24000, l.end()), r2 = l2;
  run(m, l1, r1);
  m.takeGainReductionDb(1);  // forget the onset (the filters ring for a moment when the tone starts)
  run(m, l2, r2);
  l = l1;
  l.insert(l.end(), l2.begin(), l2.end());
  const double out = levelAt(l, 48000, 32768, kRate, 1000);
  const double expected = MultibandCompressor::staticCurve(-6, -18, 4, 0);
  BOOST_TEST(std::fabs(out - expected) < 0.1, "1 kHz out at " << out << " dBFS, expected " << expected);
  const double reduction = m.takeGainReductionDb(1);
  BOOST_TEST(std::fabs(reduction - 9.0) < 0.1, "band 2 reduction " << reduction << " dB");
  BOOST_TEST(m.takeGainReductionDb(0) == 0.0);
  // Makeup gain on the top band of 4 (crossovers 150 / 1000 / 2000 Hz) moves a 16 kHz tone, far above
  // the top crossover, by that much (its band does not compress).
  MultibandCompressor m4;
  m4.setParam(MultibandCompressor::kBands, 1);
  m4.setParam(MultibandCompressor::kCrossover2, 1000);
  m4.setParam(MultibandCompressor::kCrossover3, 2000);
  for (int b = 0; b < 4; ++b) m4.setParam(MultibandCompressor::ratioParam(b), 1.0);
  m4.setParam(MultibandCompressor::gainParam(3), 6.0);
  m4.prepare(kRate, 256);
  std::vector<float> hl = tone(16000, -20, kRate, 1), hr = hl;
  run(m4, hl, hr);
  const double gain = levelAt(hl, 8192, 32768, kRate, 16000) + 20.0;
  BOOST_TEST(std::fabs(gain - 6.0) < 0.05, "16 kHz with +6 dB on the top band: " << gain << " dB");
  // The static curve with a knee: continuous, and the ratio above the knee.
  BOOST_TEST(std::fabs(MultibandCompressor::staticCurve(-21, -18, 4, 6) - (-21)) < 1e-9);
  BOOST_TEST(std::fabs(MultibandCompressor::staticCurve(-15, -18, 4, 6) - (-18 + 3.0 / 4)) < 1e-9);
  BOOST_TEST(std::fabs(MultibandCompressor::staticCurve(-18, -18, 4, 6) - (-18 - 0.75 * 9.0 / 12.0)) < 1e-9);
}

BOOST_AUTO_TEST_CASE(imager_width_and_mono_below) {
  constexpr double kRate = 48000;
  const std::vector<float> a = tone(440, -10, kRate, 1), b = tone(660, -14, kRate, 1);
  {
    StereoImager im;  // width 1, mono-below off: untouched
    im.prepare(kRate, 256);
    std::vector<float> l = a, r = b;
    run(im, l, r);
    BOOST_TEST((l == a && r == b));
  }
  {
    StereoImager im;
    im.setParam(StereoImager::kWidth, 0);
    im.prepare(kRate, 256);
    std::vector<float> l = a, r = b;
    run(im, l, r);
    double worst = 0;
    for (std::size_t i = 0; i < l.size(); ++i) worst = std::max(worst, std::fabs(static_cast<double>(l[i]) - r[i]) + std::fabs(l[i] - 0.5 * (a[i] + b[i])));
    BOOST_TEST(worst < 1e-6, "width 0: left, right and mid differ by " << worst);
  }
  {
    // Mono below 120 Hz: a 40 Hz side signal (left only) loses its side part by >= 30 dB; a 2 kHz one
    // keeps it within 0.05 dB.
    for (double hz : {40.0, 2000.0}) {
      StereoImager im;
      im.setParam(StereoImager::kMonoBelow, 120);
      im.prepare(kRate, 256);
      std::vector<float> l = tone(hz, -6, kRate, 2), r(l.size(), 0.0f);
      run(im, l, r);
      std::vector<float> side(l.size());
      for (std::size_t i = 0; i < l.size(); ++i) side[i] = 0.5f * (l[i] - r[i]);
      const double sideDb = levelAt(side, 48000, 32768, kRate, hz) - (-6 - 6.0206);
      if (hz < 100) BOOST_TEST(sideDb < -30, "40 Hz side after mono-below: " << sideDb << " dB");
      else BOOST_TEST(std::fabs(sideDb) < 0.05, "2 kHz side: " << sideDb << " dB");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(MasterChainInEngine)

BOOST_AUTO_TEST_CASE(chain_edits_apply_in_place_and_look_ahead_changes_rebuild_it) {
  Project p = test::demoProject();
  p.master.devices.push_back({"mixdown.limiter", {{"ceiling", -1.0}, {"lookahead", 3.0}}, false, {}});
  Engine engine(48000, 128);
  engine.setProject(p, {});
  std::vector<float> l(128), r(128);
  engine.process(l.data(), r.data(), 128);
  BOOST_TEST(engine.masterLatency() == 16 + 144);  // 32-tap detector / 2 + 3 ms at 48 kHz
  // A new ceiling keeps the same limiter (no new latency, no restart).
  p.master.devices[0].params["ceiling"] = -3.0;
  engine.setProject(p, {});
  engine.process(l.data(), r.data(), 128);
  BOOST_TEST(engine.masterLatency() == 160);
  // A new look-ahead can only take effect in a new limiter.
  p.master.devices[0].params["lookahead"] = 5.0;
  engine.setProject(p, {});
  engine.process(l.data(), r.data(), 128);
  BOOST_TEST(engine.masterLatency() == 16 + 240);
  // Bypassed, it adds no latency.
  p.master.devices[0].bypass = true;
  engine.setProject(p, {});
  engine.process(l.data(), r.data(), 128);
  BOOST_TEST(engine.masterLatency() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
