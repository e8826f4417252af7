// Dither: the 16-bit TPDF noise floor, no truncation distortion on a low-level sine, noise shaping moves
// noise out of the 1-5 kHz band, and every output is an exact integer step.
#include <boost/test/unit_test.hpp>

#include "Measure.h"
#include "master/Dither.h"

using namespace mixdown;
using namespace mixdown::test;

namespace {
constexpr double kRate = 48000;

std::vector<float> dithered(std::vector<float> x, DitherShape shape, int bits = 16) {
  Dither d;
  d.prepare(1, bits, shape);
  float* p[1] = {x.data()};
  for (std::size_t at = 0; at < x.size(); at += 1000) {
    p[0] = x.data() + at;
    d.process(p, static_cast<int>(std::min<std::size_t>(1000, x.size() - at)));
  }
  return x;
}

double rmsDb(const std::vector<float>& x) {
  double s = 0;
  for (float v : x) s += static_cast<double>(v) * v;
  return 10 * std::log10(s / static_cast<double>(x.size()));
}

std::vector<float> sine(double hz, double dbfs, std::size_t n) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(std::pow(10.0, dbfs / 20) * std::sin(2 * kPi * hz * i / kRate));
  return x;
}

// Mean level (dB per bin, relative) of the spectrum between two frequencies, averaged over 8 frames.
double bandLevelDb(const std::vector<float>& x, double f0, double f1) {
  double sum = 0;
  int count = 0;
  for (int frame = 0; frame < 8; ++frame) {
    for (double f = f0; f <= f1; f += (f1 - f0) / 16) {
      sum += std::pow(10.0, levelAt(x, static_cast<std::size_t>(frame) * 8192, 8192, kRate, f) / 10);
      ++count;
    }
  }
  return 10 * std::log10(sum / count);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(DitherSuite)

BOOST_AUTO_TEST_CASE(tpdf_16_bit_noise_floor_is_minus_96_3_dbfs) {
  const std::vector<float> out = dithered(std::vector<float>(static_cast<std::size_t>(kRate * 4), 0.0f), DitherShape::Tpdf);
  const double floor = rmsDb(out);
  BOOST_TEST_MESSAGE("16-bit TPDF on silence: " << floor << " dBFS RMS");
  BOOST_TEST(std::fabs(floor - (-96.33)) < 0.5);
  // 24-bit: 48 dB lower.
  const double floor24 = rmsDb(dithered(std::vector<float>(static_cast<std::size_t>(kRate), 0.0f), DitherShape::Tpdf, 24));
  BOOST_TEST(std::fabs(floor24 - (-144.49)) < 0.5, "24-bit TPDF: " << floor24);
}

BOOST_AUTO_TEST_CASE(every_sample_is_an_exact_integer_step) {
  std::vector<float> x = sine(997, -3, 20000);
  Dither d;
  d.prepare(1, 16, DitherShape::NoiseShaped);
  float* p[1] = {x.data()};
  d.process(p, static_cast<int>(x.size()));
  bool exact = true;
  for (float v : x) exact = exact && static_cast<double>(v) * 32768.0 == std::round(static_cast<double>(v) * 32768.0) && v >= -1.0f && v < 1.0f;
  BOOST_TEST(exact);
  BOOST_TEST(d.toInteger(x[100]) == static_cast<std::int32_t>(std::lround(x[100] * 32768.0)));
}

BOOST_AUTO_TEST_CASE(no_truncation_distortion_on_a_low_level_sine) {
  // A 997 Hz sine at -84 dBFS is 2.1 LSB: plain rounding turns it into a staircase with harmonics;
  // with TPDF the error is signal-independent and every harmonic vanishes into the noise.
  const std::vector<float> x = sine(997, -84, 65536);
  const std::vector<float> rounded = dithered(x, DitherShape::None), tpdf = dithered(x, DitherShape::Tpdf);
  double worstPlain = -300, worstDither = -300;
  for (int h = 2; h <= 9; ++h) {
    worstPlain = std::max(worstPlain, levelAt(rounded, 0, 65536, kRate, 997.0 * h));
    worstDither = std::max(worstDither, levelAt(tpdf, 0, 65536, kRate, 997.0 * h));
  }
  BOOST_TEST_MESSAGE("strongest harmonic 2..9 of a -84 dBFS sine: rounding " << worstPlain << " dBFS, TPDF " << worstDither << " dBFS");
  BOOST_TEST(worstPlain > -110.0);   // the detector sees truncation distortion where it exists
  BOOST_TEST(worstDither < -125.0);  // and none with dither (the noise per DFT bin is ~ -138 dBFS)
  BOOST_TEST(std::fabs(levelAt(tpdf, 0, 65536, kRate, 997) - (-84.0)) < 0.2);  // the tone itself survives
}

BOOST_AUTO_TEST_CASE(noise_shaping_lowers_the_noise_where_hearing_is_most_sensitive) {
  const std::vector<float> silence(8 * 8192 + 10, 0.0f);
  const std::vector<float> flat = dithered(silence, DitherShape::Tpdf), shaped = dithered(silence, DitherShape::NoiseShaped);
  const double flatMid = bandLevelDb(flat, 1500, 4500), shapedMid = bandLevelDb(shaped, 1500, 4500);
  const double flatHigh = bandLevelDb(flat, 15000, 20000), shapedHigh = bandLevelDb(shaped, 15000, 20000);
  BOOST_TEST_MESSAGE("1.5-4.5 kHz: TPDF " << flatMid << ", shaped " << shapedMid << " dB; 15-20 kHz: TPDF " << flatHigh << ", shaped " << shapedHigh);
  BOOST_TEST(shapedMid < flatMid - 6.0);
  BOOST_TEST(shapedHigh > flatHigh + 6.0);
}

BOOST_AUTO_TEST_SUITE_END()
