// Mixing effects measured against their definitions: the EQ against the RBJ cookbook formulas and the
// Butterworth slopes, dynamics against their static curves and time constants, delay and reverb against
// their times, saturation's aliasing, chorus and utility behaviour.
#include <boost/test/unit_test.hpp>

#include <complex>
#include <functional>

#include "Measure.h"
#include "devices/ParametricEq.h"

using namespace mixdown;
using namespace mixdown::test;

namespace {

// Runs a device over stereo buffers in place, in blocks of `block`.
void runDevice(Device& d, std::vector<float>& l, std::vector<float>& r, int block = 128, const std::vector<float>* sidechain = nullptr) {
  for (std::size_t at = 0; at < l.size(); at += static_cast<std::size_t>(block)) {
    const int n = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(block), l.size() - at));
    std::vector<float> il(l.begin() + static_cast<std::ptrdiff_t>(at), l.begin() + static_cast<std::ptrdiff_t>(at) + n);
    std::vector<float> ir(r.begin() + static_cast<std::ptrdiff_t>(at), r.begin() + static_cast<std::ptrdiff_t>(at) + n);
    const float* in[2] = {il.data(), ir.data()};
    float* out[2] = {l.data() + at, r.data() + at};
    const float* sc[2] = {nullptr, nullptr};
    ProcessContext c;
    c.inputs = in;
    c.inputChannels = 2;
    c.outputs = out;
    c.outputChannels = 2;
    c.frames = n;
    if (sidechain) {
      sc[0] = sc[1] = sidechain->data() + at;
      c.sidechain = sc;
      c.sidechainChannels = 2;
    }
    d.process(c);
  }
}

// Magnitude (dB) of a measured impulse response at `hz`.
double responseDb(const std::vector<float>& h, double hz, double rate) {
  std::complex<double> acc = 0;
  for (std::size_t n = 0; n < h.size(); ++n) acc += static_cast<double>(h[n]) * std::polar(1.0, -2 * kPi * hz * n / rate);
  return 20 * std::log10(std::abs(acc));
}

// The cookbook formula evaluated directly (independent of the device's code path).
double cookbookDb(const BiquadCoefficients& c, double hz, double rate) {
  const std::complex<double> z = std::polar(1.0, -2 * kPi * hz / rate);
  return 20 * std::log10(std::abs((c.b0 + c.b1 * z + c.b2 * z * z) / (1.0 + c.a1 * z + c.a2 * z * z)));
}

std::vector<float> impulseThrough(Device& d, double rate, std::size_t n = 65536) {
  d.prepare(rate, 128);
  std::vector<float> l(n, 0.0f), r(n, 0.0f);
  l[0] = r[0] = 1.0f;
  runDevice(d, l, r);
  return l;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(Effects)

BOOST_AUTO_TEST_CASE(eq_bands_match_the_rbj_cookbook_at_three_rates) {
  struct Case {
    ParametricEq::BandType type;
    RbjShape shape;
    double hz, gain, q;
  };
  const Case cases[] = {{ParametricEq::Peak, RbjShape::Peak, 1000, 6, 1.4},       {ParametricEq::Peak, RbjShape::Peak, 150, -9, 0.5},
                        {ParametricEq::LowShelf, RbjShape::LowShelf, 200, 4, 0.7}, {ParametricEq::HighShelf, RbjShape::HighShelf, 6000, -5, 0.9},
                        {ParametricEq::Notch, RbjShape::Notch, 3000, 0, 4},        {ParametricEq::BandPass, RbjShape::BandPass, 800, 0, 2}};
  for (double rate : {44100.0, 48000.0, 96000.0}) {
    for (const Case& c : cases) {
      ParametricEq eq;
      eq.setParam(ParametricEq::typeParam(2), c.type);
      eq.setParam(ParametricEq::freqParam(2), c.hz);
      eq.setParam(ParametricEq::gainParam(2), c.gain);
      eq.setParam(ParametricEq::qParam(2), c.q);
      const std::vector<float> h = impulseThrough(eq, rate);
      const BiquadCoefficients ref = rbjDesign(c.shape, c.hz, c.gain, c.q, rate);
      double worst = 0;
      int points = 0;
      for (double hz = 25; hz < 0.45 * rate && hz < 20000; hz *= 1.25, ++points) {
        const double expected = cookbookDb(ref, hz, rate);
        if (expected < -60) continue;  // the notch's bottom: compare where there is a level to compare
        worst = std::max(worst, std::fabs(responseDb(h, hz, rate) - expected));
      }
      BOOST_TEST(points >= 20);
      BOOST_TEST(worst < 0.01, "type " << c.type << " at " << c.hz << " Hz, rate " << rate << ": worst " << worst << " dB");
    }
  }
}

BOOST_AUTO_TEST_CASE(eq_cuts_fall_at_their_stated_slopes) {
  constexpr double kRate = 48000;
  struct Case {
    ParametricEq::BandType type;
    double slope;  // dB per octave
    bool low;
  };
  for (const Case& c : {Case{ParametricEq::LowCut12, 12, true}, Case{ParametricEq::LowCut24, 24, true}, Case{ParametricEq::LowCut48, 48, true},
                        Case{ParametricEq::HighCut12, 12, false}, Case{ParametricEq::HighCut24, 24, false}, Case{ParametricEq::HighCut48, 48, false}}) {
    ParametricEq eq;
    eq.setParam(ParametricEq::typeParam(0), c.type);
    const double corner = c.low ? 800 : 1000;
    eq.setParam(ParametricEq::freqParam(0), corner);
    const std::vector<float> h = impulseThrough(eq, kRate);
    // At the corner: -3.01 dB (Butterworth). In the stop band, from one to two octaves past the corner,
    // the level falls by the stated slope (a 2nd-order Butterworth reaches 11.8 of its 12 dB there).
    BOOST_TEST(std::fabs(responseDb(h, corner, kRate) + 3.0103) < 0.01, "corner of type " << c.type);
    const double f1 = c.low ? corner / 2 : corner * 2, f2 = c.low ? corner / 4 : corner * 4;
    const double drop = responseDb(h, f1, kRate) - responseDb(h, f2, kRate);
    // Exactly: a Butterworth of order slope/6 at the bilinear-warped frequencies (the warping makes a high
    // cut's octave near Nyquist a little steeper: 24.6 instead of 24 dB between 2 and 4 kHz).
    const int order = static_cast<int>(c.slope / 6);
    auto warped = [&](double f) { return std::tan(kPi * f / kRate) / std::tan(kPi * corner / kRate); };
    auto butterworthDb = [&](double f) {
      const double w = c.low ? 1.0 / warped(f) : warped(f);
      return -10 * std::log10(1 + std::pow(w, 2 * order));
    };
    const double exact = butterworthDb(f1) - butterworthDb(f2);
    BOOST_TEST(std::fabs(drop - exact) < 0.05, "type " << c.type << ": " << drop << " dB, Butterworth " << exact);
    BOOST_TEST(std::fabs(drop - c.slope) < 0.03 * c.slope + 0.3, "type " << c.type << ": " << drop << " dB per octave, stated " << c.slope);
  }
}

BOOST_AUTO_TEST_CASE(eq_off_is_transparent_and_the_curve_function_matches_the_audio) {
  ParametricEq eq;
  const std::vector<float> h = impulseThrough(eq, 48000, 4096);
  BOOST_TEST(h[0] == 1.0f);
  BOOST_TEST(h[1] == 0.0f);
  // responseDb (used to draw the curve) agrees with the processed audio.
  ParametricEq shaped;
  std::vector<double> params(ParametricEq::staticDescriptor().params.size());
  for (std::size_t i = 0; i < params.size(); ++i) params[i] = ParametricEq::staticDescriptor().params[i].defaultValue;
  params[ParametricEq::typeParam(1)] = ParametricEq::Peak, params[ParametricEq::gainParam(1)] = 8;
  params[ParametricEq::typeParam(6)] = ParametricEq::HighCut24, params[ParametricEq::freqParam(6)] = 9000;
  params[ParametricEq::kOutput] = -2;
  for (std::size_t i = 0; i < params.size(); ++i) shaped.setParam(static_cast<int>(i), params[i]);
  const std::vector<float> hs = impulseThrough(shaped, 48000);
  for (double hz : {50.0, 200.0, 1000.0, 9000.0, 15000.0})
    BOOST_TEST(std::fabs(responseDb(hs, hz, 48000) - ParametricEq::responseDb(params.data(), hz, 48000)) < 0.01, hz);
}

BOOST_AUTO_TEST_SUITE_END()
