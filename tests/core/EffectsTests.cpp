// Mixing effects measured against their definitions: the EQ against the RBJ cookbook formulas and the
// Butterworth slopes, dynamics against their static curves and time constants, delay and reverb against
// their times, saturation's aliasing, chorus and utility behaviour.
#include <boost/test/unit_test.hpp>

#include <cfenv>
#include <complex>
#include <functional>

#include "Measure.h"
#include "devices/Chorus.h"
#include "devices/Compressor.h"
#include "devices/Delay.h"
#include "devices/Reverb.h"
#include "devices/Saturation.h"
#include "devices/Utility.h"
#include "devices/Gate.h"
#include "devices/ParametricEq.h"
#include "devices/Registry.h"
#include "dsp/Dynamics.h"
#include "dsp/ExpLog.h"
#include "dsp/FastTanh.h"

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
    ProcessContext c = ProcessContext::stereo(in, out, n);
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
  double overall = 0;
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
      overall = std::max(overall, worst);
    }
  }
  BOOST_TEST_MESSAGE("EQ bands vs the RBJ cookbook at 44.1/48/96 kHz: worst " << overall << " dB");
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
    BOOST_TEST_MESSAGE("cut type " << c.type << ": " << drop << " dB over the second octave, Butterworth " << exact << ", corner "
                                   << responseDb(h, corner, kRate) << " dB");
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


BOOST_AUTO_TEST_CASE(compressor_static_curve_follows_ratio_and_knee) {
  constexpr double kRate = 48000;
  for (double knee : {0.0, 12.0}) {
    double worst = 0;
    for (double in = -40; in <= 0; in += 4) {
      Compressor comp;
      comp.setParam(Compressor::kThreshold, -20);
      comp.setParam(Compressor::kRatio, 4);
      comp.setParam(Compressor::kKnee, knee);
      comp.setParam(Compressor::kAttack, 1);
      comp.setParam(Compressor::kRelease, 1000);  // long: no ripple between the sine's peaks
      comp.setParam(Compressor::kMakeup, 3);
      comp.prepare(kRate, 128);
      std::vector<float> l(static_cast<std::size_t>(kRate)), r;
      for (std::size_t i = 0; i < l.size(); ++i) l[i] = static_cast<float>(std::pow(10, in / 20) * std::sin(2 * kPi * 1000 * i / kRate));
      r = l;
      runDevice(comp, l, r);
      const double out = levelAt(l, 24000, 16384, kRate, 1000);
      const double expected = compressorCurve(in, -20, 4, knee) + 3;
      worst = std::max(worst, std::fabs(out - expected));
      BOOST_TEST(std::fabs(out - expected) < 0.1, "knee " << knee << ", in " << in << " dB: out " << out << ", curve " << expected);
    }
    BOOST_TEST_MESSAGE("compressor static curve, knee " << knee << " dB: worst error " << worst << " dB");
  }
}

BOOST_AUTO_TEST_CASE(compressor_attack_and_release_are_time_constants) {
  constexpr double kRate = 48000;
  // A level step of DC (exactly measurable): 0.01 -> 1.0 -> 0.01 with threshold -20 dB, ratio 4, hard knee:
  // 15 dB of reduction comes in with the attack time constant and goes with the release one.
  for (auto [attackMs, releaseMs] : {std::pair{10.0, 100.0}, std::pair{2.0, 300.0}}) {
    Compressor comp;
    comp.setParam(Compressor::kThreshold, -20);
    comp.setParam(Compressor::kRatio, 4);
    comp.setParam(Compressor::kKnee, 0);
    comp.setParam(Compressor::kAttack, attackMs);
    comp.setParam(Compressor::kRelease, releaseMs);
    comp.prepare(kRate, 128);
    const std::size_t step = 48000, back = 96000;
    std::vector<float> in(144000 + 48000);
    for (std::size_t i = 0; i < in.size(); ++i) in[i] = i >= step && i < back ? 1.0f : 0.01f;
    std::vector<float> l = in, r = in;
    runDevice(comp, l, r);
    auto reductionAt = [&](std::size_t i) { return -20 * std::log10(static_cast<double>(l[i]) / in[i]); };
    std::size_t i = step;
    while (reductionAt(i) < 15.0 * (1 - std::exp(-1.0))) ++i;
    const double attackMeasured = 1000.0 * static_cast<double>(i - step) / kRate;
    std::size_t k = back;
    while (reductionAt(k) > 15.0 * std::exp(-1.0)) ++k;
    const double releaseMeasured = 1000.0 * static_cast<double>(k - back) / kRate;
    BOOST_TEST_MESSAGE("attack " << attackMs << " ms measured " << attackMeasured << " ms; release " << releaseMs << " ms measured " << releaseMeasured << " ms");
    BOOST_TEST(std::fabs(attackMeasured / attackMs - 1) < 0.05);
    BOOST_TEST(std::fabs(releaseMeasured / releaseMs - 1) < 0.05);
  }
}

BOOST_AUTO_TEST_CASE(compressor_ducks_by_the_sidechain_and_its_high_pass) {
  constexpr double kRate = 48000;
  auto duck = [&](double keyHz, double highPassHz) {
    Compressor comp;
    comp.setParam(Compressor::kThreshold, -30);
    comp.setParam(Compressor::kRatio, 4);
    comp.setParam(Compressor::kKnee, 0);
    comp.setParam(Compressor::kAttack, 1);
    comp.setParam(Compressor::kRelease, 500);
    comp.setParam(Compressor::kSidechain, 1);
    comp.setParam(Compressor::kSidechainHighPass, highPassHz);
    comp.prepare(kRate, 128);
    std::vector<float> l(48000), r, key(48000);
    for (std::size_t i = 0; i < l.size(); ++i) {
      l[i] = static_cast<float>(0.25 * std::sin(2 * kPi * 440 * i / kRate));           // -12 dBFS: under the threshold itself
      key[i] = static_cast<float>(0.5 * std::sin(2 * kPi * keyHz * i / kRate));        // the other track at -6 dBFS
    }
    r = l;
    runDevice(comp, l, r, 128, &key);
    return levelAt(l, 24000, 16384, kRate, 440) - (-12.041);
  };
  // Key 24 dB over the threshold at 4:1: 18 dB of ducking.
  const double ducked = duck(1000, 0);
  BOOST_TEST(std::fabs(ducked + 18.0) < 0.3, "ducked by " << ducked << " dB");
  // A 50 Hz key through a 200 Hz sidechain high-pass (12 dB/oct, two octaves: ~-24 dB) barely ducks.
  const double filtered = duck(50, 200);
  BOOST_TEST(filtered > -2.0, "with the sidechain high-pass: " << filtered << " dB");
  BOOST_TEST(duck(50, 0) < -17.0);
}

BOOST_AUTO_TEST_CASE(gate_closes_by_its_range_and_hysteresis_stops_chatter) {
  constexpr double kRate = 48000;
  auto run = [&](double amplitudeDb, double wobbleDb, double hysteresis, double holdMs, Gate& gate) {
    gate.setParam(Gate::kThreshold, -40);
    gate.setParam(Gate::kRange, 40);
    gate.setParam(Gate::kHysteresis, hysteresis);
    gate.setParam(Gate::kHold, holdMs);
    gate.prepare(kRate, 128);
    std::vector<float> l(static_cast<std::size_t>(5 * kRate)), r;
    for (std::size_t i = 0; i < l.size(); ++i) {
      const double db = amplitudeDb + wobbleDb * std::sin(2 * kPi * 5 * i / kRate);  // level wobbling 5 times a second
      l[i] = static_cast<float>(std::pow(10, db / 20) * std::sin(2 * kPi * 1000 * i / kRate));
    }
    r = l;
    std::vector<float> in = l;
    runDevice(gate, l, r);
    return levelAt(l, 192000, 16384, kRate, 1000) - levelAt(in, 192000, 16384, kRate, 1000);
  };
  Gate below, above, steady, chatter;
  const double closed = run(-60, 0, 3, 20, below);
  BOOST_TEST(std::fabs(closed + 40) < 0.5, "20 dB under the threshold: " << closed << " dB");
  BOOST_TEST(std::fabs(run(-30, 0, 3, 20, above)) < 0.05);
  run(-40.5, 1.0, 3, 0, steady);  // at the threshold, +-1 dB
  BOOST_TEST(steady.openings() == 1, "with 3 dB hysteresis it opened " << steady.openings() << " time(s)");
  run(-40.5, 1.0, 0, 0, chatter);
  BOOST_TEST(chatter.openings() > 10, "without hysteresis it opened " << chatter.openings() << " times");
}

BOOST_AUTO_TEST_CASE(utility_gain_width_invert_and_mono) {
  std::vector<float> a(4800), b(4800);
  for (std::size_t i = 0; i < a.size(); ++i) {
    a[i] = static_cast<float>(0.3 * std::sin(0.01 * i));
    b[i] = static_cast<float>(0.2 * std::sin(0.037 * i + 1));
  }
  {
    Utility u;  // defaults: untouched
    u.prepare(48000, 128);
    std::vector<float> l = a, r = b;
    runDevice(u, l, r);
    BOOST_TEST((l == a && r == b));
  }
  {
    Utility u;
    u.setParam(Utility::kInvertLeft, 1);
    u.setParam(Utility::kGain, 20 * std::log10(2.0));
    u.prepare(48000, 128);
    std::vector<float> l = a, r = b;
    runDevice(u, l, r);
    bool exact = true;
    for (std::size_t i = 0; i < a.size(); ++i) exact = exact && std::fabs(l[i] + 2 * a[i]) < 1e-6f && std::fabs(r[i] - 2 * b[i]) < 1e-6f;
    BOOST_TEST(exact, "left inverted, both doubled (+6.02 dB)");
  }
  {
    Utility u;
    u.setParam(Utility::kMono, 1);
    u.prepare(48000, 128);
    std::vector<float> l = a, r = b;
    runDevice(u, l, r);
    bool mono = true;
    for (std::size_t i = 0; i < a.size(); ++i) mono = mono && l[i] == r[i] && std::fabs(l[i] - 0.5f * (a[i] + b[i])) < 1e-7f;
    BOOST_TEST(mono);
  }
}

BOOST_AUTO_TEST_CASE(delay_echoes_land_exactly_on_time_and_on_the_beat) {
  constexpr double kRate = 48000;
  auto impulse = [&](Delay& d, double tempo, std::size_t n) {
    d.prepare(kRate, 128);
    std::vector<float> l(n, 0.0f), r(n, 0.0f);
    l[0] = r[0] = 1.0f;
    for (std::size_t at = 0; at < n; at += 128) {
      const int k = static_cast<int>(std::min<std::size_t>(128, n - at));
      std::vector<float> il(l.begin() + static_cast<std::ptrdiff_t>(at), l.begin() + static_cast<std::ptrdiff_t>(at) + k), ir = il;
      const float* in[2] = {il.data(), ir.data()};
      float* out[2] = {l.data() + at, r.data() + at};
      ProcessContext c = ProcessContext::stereo(in, out, k);
      c.tempo = tempo;
      d.process(c);
    }
    return std::pair{l, r};
  };
  {
    Delay d;
    d.setParam(Delay::kSync, 0);
    d.setParam(Delay::kTime, 250);
    d.setParam(Delay::kFeedback, 50);
    d.setParam(Delay::kLowCut, 0);
    d.setParam(Delay::kHighCut, 22000);
    d.setParam(Delay::kMix, 100);
    auto [l, r] = impulse(d, 120, 48000);
    // Echoes at 12000, 24000, 36000 samples: 1, 0.5, 0.25; nothing anywhere else.
    BOOST_TEST(l[12000] == 1.0f);
    BOOST_TEST(l[24000] == 0.5f);
    BOOST_TEST(l[36000] == 0.25f);
    double elsewhere = 0;
    for (std::size_t i = 0; i < l.size(); ++i)
      if (i % 12000 != 0) elsewhere = std::max(elsewhere, static_cast<double>(std::fabs(l[i])));
    BOOST_TEST(elsewhere == 0.0);
  }
  {
    // Synced: a dotted eighth at 100 BPM is 0.45 s = 21600 samples; ping-pong alternates the sides.
    Delay d;
    d.setParam(Delay::kSync, 1);
    d.setParam(Delay::kNote, 6);
    d.setParam(Delay::kPingPong, 1);
    d.setParam(Delay::kFeedback, 50);
    d.setParam(Delay::kLowCut, 0);
    d.setParam(Delay::kHighCut, 22000);
    d.setParam(Delay::kMix, 100);
    auto [l, r] = impulse(d, 100, 70000);
    BOOST_TEST(l[21600] == 1.0f);
    BOOST_TEST(r[21600] == 0.0f);
    BOOST_TEST(r[43200] == 0.5f);
    BOOST_TEST(l[43200] == 0.0f);
    BOOST_TEST(l[64800] == 0.25f);
  }
}

namespace {
// RT60 from an impulse response by Schroeder backward integration, fitted between -5 and -35 dB.
double rt60(const std::vector<float>& h, double rate) {
  std::vector<double> energy(h.size());
  double acc = 0;
  for (std::size_t i = h.size(); i-- > 0;) energy[i] = (acc += static_cast<double>(h[i]) * h[i]);
  std::size_t a = 0, b = 0;
  for (std::size_t i = 0; i < h.size(); ++i) {
    const double db = 10 * std::log10(energy[i] / energy[0]);
    if (!a && db <= -5) a = i;
    if (!b && db <= -35) b = i;
  }
  return 60.0 * static_cast<double>(b - a) / rate / 30.0;
}
}  // namespace

BOOST_AUTO_TEST_CASE(reverb_decays_in_its_decay_time_and_ends_in_true_silence) {
  constexpr double kRate = 48000;
  for (double decay : {1.0, 2.5}) {
    Reverb rv;
    rv.setParam(Reverb::kDecay, decay);
    rv.setParam(Reverb::kDamping, 0);
    rv.setParam(Reverb::kMix, 100);
    rv.setParam(Reverb::kPreDelay, 0);
    const std::size_t n = static_cast<std::size_t>(kRate * decay * 2.5);
    std::vector<float> l(n, 0.0f), r(n, 0.0f);
    l[0] = r[0] = 1.0f;
    rv.prepare(kRate, 128);
    runDevice(rv, l, r);
    const double measured = rt60(l, kRate);
    BOOST_TEST_MESSAGE("reverb decay " << decay << " s: measured RT60 " << measured << " s");
    BOOST_TEST(std::fabs(measured / decay - 1) < 0.10);
  }
  // Tail: a burst, then 40 s of silence with FTZ off (the test thread's default): no sample is ever
  // subnormal and the tail ends in exact zeros.
  Reverb rv;
  rv.setParam(Reverb::kDecay, 1.0);
  rv.prepare(kRate, 128);
  std::vector<float> l(static_cast<std::size_t>(kRate * 40), 0.0f), r;
  for (std::size_t i = 0; i < 4800; ++i) l[i] = static_cast<float>(0.5 * std::sin(0.05 * i));
  r = l;
  runDevice(rv, l, r);
  std::size_t subnormal = 0;
  for (float v : l) subnormal += std::fpclassify(v) == FP_SUBNORMAL;
  BOOST_TEST(subnormal == 0u);
  BOOST_TEST(l.back() == 0.0f);
  BOOST_TEST(r.back() == 0.0f);
}

BOOST_AUTO_TEST_CASE(saturation_does_not_alias_a_driven_5_khz_sine) {
  constexpr double kRate = 48000;
  // Fold is left out: folding a +24 dB sine makes content hundreds of kHz up, far beyond what 4x
  // oversampling can hold back; it is offered as a deliberate effect.
  for (int curve : {Saturation::Soft, Saturation::Hard, Saturation::Tube}) {
    Saturation sat;
    sat.setParam(Saturation::kDrive, 24);
    sat.setParam(Saturation::kCurve, curve);
    sat.prepare(kRate, 128);
    std::vector<float> l(65536 + 4096), r;
    for (std::size_t i = 0; i < l.size(); ++i) l[i] = static_cast<float>(0.5 * std::sin(2 * kPi * 5000 * i / kRate));
    r = l;
    runDevice(sat, l, r);
    const auto peaks = spectralPeaks(l, 4096, 65536, kRate, -160);
    double fundamental = -300, worstAlias = -300, worstAt = 0;
    for (const Peak& p : peaks) {
      const double harmonic = p.hz / 5000.0;
      if (std::fabs(p.hz - 5000) < 10) fundamental = std::max(fundamental, p.dbfs);
      else if (std::fabs(harmonic - std::round(harmonic)) * 5000 > 10 && p.dbfs > worstAlias) worstAlias = p.dbfs, worstAt = p.hz;
    }
    BOOST_TEST_MESSAGE("saturation curve " << curve << ": fundamental " << fundamental << " dBFS, strongest non-harmonic " << worstAlias << " dBFS at " << worstAt << " Hz");
    BOOST_TEST(worstAlias < fundamental - 60);
  }
}

BOOST_AUTO_TEST_CASE(the_waveshapers_tanh_matches_the_library_tanh) {
  // fastTanh (no library call, so wasm and native agree bit for bit) against std::tanh on a dense grid
  // over +-25 and on tiny arguments down to 1e-300.
  double worstAbs = 0, worstRel = 0;
  for (double x = -25; x <= 25; x += 1.37e-5) {
    const double a = fastTanh(x), b = std::tanh(x);
    worstAbs = std::max(worstAbs, std::fabs(a - b));
    if (b != 0) worstRel = std::max(worstRel, std::fabs(a - b) / std::fabs(b));
  }
  for (double x = 1e-300; x < 1; x *= 1.01) worstRel = std::max(worstRel, std::fabs(fastTanh(x) - std::tanh(x)) / std::tanh(x));
  BOOST_TEST_MESSAGE("fastTanh: worst absolute error " << worstAbs << ", worst relative " << worstRel);
  BOOST_TEST(worstAbs < 4e-16);
  BOOST_TEST(worstRel < 2e-15);
  BOOST_TEST(fastTanh(0.0) == 0.0);
  BOOST_TEST(fastTanh(30.0) == 1.0);
  BOOST_TEST(fastTanh(-30.0) == -1.0);
}

BOOST_AUTO_TEST_CASE(the_dynamics_exp2_and_log2_match_the_library_to_a_few_ulps) {
  // exp2Fast/log2Fast (no library call: wasm and native agree bit for bit) against the C library on dense
  // grids: exp2 over the dB range a gain computer uses (+-60 octaves = +-361 dB), log2 over every
  // octave of positive normal doubles a level can take (1e-300 .. 1e300).
  double worstExp = 0, worstLog = 0, worstDb = 0;
  for (double x = -60; x <= 60; x += 1.17e-4) worstExp = std::max(worstExp, std::fabs(exp2Fast(x) - std::exp2(x)) / std::exp2(x));
  // log2 in units of its result's last place (1.1e-16 below 1, 1.1e-13 at |log2 x| ~ 1000).
  for (double x = 1e-300; x < 1e300; x *= 1.0001) {
    const double exact = std::log2(x);
    worstLog = std::max(worstLog, std::fabs(log2Fast(x) - exact) / (std::max(1.0, std::fabs(exact)) * 2.220446049250313e-16));
  }
  for (double g = 1e-9; g < 1e3; g *= 1.00003) worstDb = std::max(worstDb, std::fabs(gainToDbFast(g) - 20.0 * std::log10(g)));
  BOOST_TEST_MESSAGE("exp2Fast: worst relative error " << worstExp << "; log2Fast: worst " << worstLog << " ulp"
                     << "; gainToDbFast: worst absolute " << worstDb << " dB");
  BOOST_TEST(worstExp < 7e-16);  // 3 units in the last place
  BOOST_TEST(worstLog < 3.0);
  BOOST_TEST(worstDb < 1e-13);
  BOOST_TEST(exp2Fast(0.0) == 1.0);
  BOOST_TEST(exp2Fast(-10.0) == std::ldexp(1.0, -10));
  BOOST_TEST(std::fabs(log2Fast(1.0)) < 1e-17);
}

BOOST_AUTO_TEST_CASE(the_four_lane_float_exp2_and_log2_match_the_library) {
  // log2Fast4/exp2Fast4 (the compressor's gain computer, four samples at once in single precision)
  // against the C library in double: log2 over [1e-30, 1e30] (a key level), exp2 over [-126, 126] and
  // clamped outside it (a gain in octaves).
  const auto lanes = [](Float4 (*f)(Float4), float a, float b, float c, float d) {
    const Float4 y = f(Float4{a, b, c, d});
    return std::array<double, 4>{y[0], y[1], y[2], y[3]};
  };
  double worstLog = 0, worstExp = 0;
  for (double x = 1e-30; x < 1e30; x *= 1.0007) {
    const float f = static_cast<float>(x);
    const auto y = lanes(log2Fast4, f, f * 1.5f, f * 0.75f, f);
    // In units of max(1, |log2 x|): a float result's own rounding (6e-8 of it) is in the bound.
    for (int l = 0; l < 3; ++l) {
      const double exact = std::log2(static_cast<double>(l == 0 ? f : l == 1 ? f * 1.5f : f * 0.75f));
      worstLog = std::max(worstLog, std::fabs(y[static_cast<std::size_t>(l)] - exact) / std::max(1.0, std::fabs(exact)));
    }
  }
  for (double x = -126; x <= 126; x += 1.3e-3) {
    const float f = static_cast<float>(x);
    const auto y = lanes(exp2Fast4, f, -f, f * 0.5f, 0.0f);
    worstExp = std::max({worstExp, std::fabs(y[0] / std::exp2(static_cast<double>(f)) - 1.0), std::fabs(y[1] / std::exp2(-static_cast<double>(f)) - 1.0),
                         std::fabs(y[2] / std::exp2(static_cast<double>(f * 0.5f)) - 1.0)});
    BOOST_TEST(y[3] == 1.0);
  }
  BOOST_TEST_MESSAGE("log2Fast4: worst error " << worstLog << " of max(1, |log2 x|)" << "; exp2Fast4: worst relative " << worstExp);
  BOOST_TEST(worstLog < 1.5e-7);  // at a level near 0 dB, 9e-7 dB
  BOOST_TEST(worstExp < 3e-7);
  const auto clamped = lanes(exp2Fast4, 500.0f, -500.0f, 126.0f, -126.0f);
  BOOST_TEST(clamped[0] == std::ldexp(1.0, 126));
  BOOST_TEST(clamped[1] == std::ldexp(1.0, -126));
  BOOST_TEST(clamped[2] == std::ldexp(1.0, 126));
  BOOST_TEST(lanes(log2Fast4, 1.0f, 2.0f, 0.5f, 1024.0f) == (std::array<double, 4>{0.0, 1.0, -1.0, 10.0}));
}

BOOST_AUTO_TEST_CASE(saturation_latency_is_as_reported_and_mix_is_aligned) {
  // Drive 0 dB into the soft curve at a low level is nearly linear: output = input delayed by the latency.
  Saturation sat;
  sat.setParam(Saturation::kDrive, 0);
  sat.prepare(48000, 128);
  BOOST_TEST(sat.latency() == 40);
  std::vector<float> l(8192), r;
  for (std::size_t i = 0; i < l.size(); ++i) l[i] = static_cast<float>(0.001 * std::sin(2 * kPi * 440 * i / 48000.0));
  std::vector<float> in = l;
  r = l;
  runDevice(sat, l, r);
  double worst = 0;
  for (std::size_t i = 200; i < l.size(); ++i) worst = std::max(worst, std::fabs(static_cast<double>(l[i]) - in[i - 40]));
  BOOST_TEST(worst < 1e-6, "output vs input delayed 40 samples: " << worst);
}

BOOST_AUTO_TEST_CASE(chorus_is_dry_at_zero_mix_a_plain_delay_at_zero_depth_and_modulates_otherwise) {
  constexpr double kRate = 48000;
  std::vector<float> a(48000);
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<float>(0.5 * std::sin(2 * kPi * 1000 * i / kRate));
  {
    Chorus ch;
    ch.setParam(Chorus::kMix, 0);
    ch.prepare(kRate, 128);
    std::vector<float> l = a, r = a;
    runDevice(ch, l, r);
    BOOST_TEST((l == a));
  }
  {
    Chorus ch;  // depth 0, 10 ms, fully wet: the input 480 samples later
    ch.setParam(Chorus::kDepth, 0);
    ch.setParam(Chorus::kDelay, 10);
    ch.setParam(Chorus::kMix, 100);
    ch.prepare(kRate, 128);
    std::vector<float> l = a, r = a;
    runDevice(ch, l, r);
    double worst = 0;
    for (std::size_t i = 480; i < l.size(); ++i) worst = std::max(worst, std::fabs(static_cast<double>(l[i]) - a[i - 480]));
    BOOST_TEST(worst < 1e-6, "depth 0: a plain 10 ms delay (" << worst << ")");
  }
  {
    // 3 ms of depth at 2 Hz: the 1 kHz tone's pitch swings (sidebands 2 Hz apart) and its level holds.
    Chorus ch;
    ch.setParam(Chorus::kRate, 2);
    ch.setParam(Chorus::kDepth, 3);
    ch.setParam(Chorus::kMix, 100);
    ch.prepare(kRate, 128);
    std::vector<float> l = a, r = a;
    runDevice(ch, l, r);
    const double centre = levelAt(l, 8000, 32768, kRate, 1000), side = levelAt(l, 8000, 32768, kRate, 1000 + 2 * 6);
    BOOST_TEST(centre < -6.02 - 1.0, "the carrier loses energy to the sidebands: " << centre);
    BOOST_TEST(side > -60.0, "a sideband near 1012 Hz: " << side);
    double rms = 0;
    for (std::size_t i = 8000; i < l.size(); ++i) rms += static_cast<double>(l[i]) * l[i];
    BOOST_TEST(std::fabs(10 * std::log10(rms / (l.size() - 8000)) - 10 * std::log10(0.125)) < 0.2, "level holds");
  }
}

// A tail must reach true silence without the state ever passing through subnormal numbers: browsers run
// the worklet without flush-to-zero, and a filter or envelope stuck on subnormals costs ~100x per sample.
// Every effect in the registry (settings with long tails: every EQ band type, full feedback paths, fully
// wet) gets a loud burst, then 40 s of silence with FTZ off (the test thread's default). During the
// silence no operation may underflow (the IEEE underflow flag stays clear), and the output ends in zeros.
BOOST_AUTO_TEST_CASE(every_effect_tail_ends_in_silence_without_subnormals) {
  constexpr double kRate = 48000;
  using Settings = std::vector<std::pair<std::string, double>>;
  // Defaults; long tails (every EQ band type, long feedback paths, fully wet, slow releases); and the
  // other detector and curve choices with fast times.
  const std::vector<std::pair<const char*, Settings>> cases = {
      {"defaults", {}},
      {"long tails",
       {{"type1", 6}, {"freq1", 20},  {"type2", 1},      {"freq2", 60},   {"gain2", 18},    {"q2", 18},
        {"type3", 2}, {"gain3", -12}, {"type4", 10},     {"q4", 18},      {"type5", 11},    {"type6", 3},
        {"gain6", 12}, {"type7", 9},  {"freq7", 40},     {"type8", 8},    {"freq8", 20000}, {"mix", 100},
        {"feedback", 70}, {"decay", 3}, {"damping", 0},  {"release", 2000}, {"hold", 500},  {"pingPong", 1},
        {"lowCut", 0}, {"highCut", 22000}, {"monoBelow", 120}, {"width", 0.5}, {"bands", 1}}},
      {"fast", {{"detection", 1}, {"curve", 2}, {"tone", 3000}, {"attack", 0.1}, {"release", 5},
                {"sidechainHighPass", 40}, {"lowCut", 2000}, {"highCut", 1000}, {"feedback", 95}}},
  };
  for (const auto& [name, settings] : cases) {
    for (const DeviceDescriptor* desc : deviceDescriptors()) {
      if (desc->kind != DeviceKind::Effect) continue;
      auto device = createDevice(desc->id);
      for (const auto& [id, value] : settings) device->setParam(id, value);
      device->prepare(kRate, 128);
      std::vector<float> l(static_cast<std::size_t>(kRate * 0.5), 0.0f), r;
      for (std::size_t i = 0; i < 12000; ++i) l[i] = static_cast<float>(0.9 * std::sin(0.031 * i) + 0.3 * std::sin(0.37 * i));
      r = l;
      runDevice(*device, l, r);
      std::vector<float> tailL(static_cast<std::size_t>(kRate * 40), 0.0f), tailR = tailL;
      std::feclearexcept(FE_ALL_EXCEPT);
      runDevice(*device, tailL, tailR);
      const bool underflowed = std::fetestexcept(FE_UNDERFLOW) != 0;
      std::size_t lastNonZero = 0;
      for (std::size_t i = 0; i < tailL.size(); ++i)
        if (tailL[i] != 0.0f || tailR[i] != 0.0f) lastNonZero = i + 1;
      BOOST_TEST_MESSAGE(name << ", " << desc->id << ": silent " << lastNonZero / kRate << " s into the tail" << (underflowed ? ", UNDERFLOW" : ""));
      BOOST_TEST(!underflowed, name << ", " << desc->id << ": subnormal numbers in the tail");
      BOOST_TEST(lastNonZero < static_cast<std::size_t>(kRate * 30), name << ", " << desc->id << ": still sounds 30 s into silence");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
