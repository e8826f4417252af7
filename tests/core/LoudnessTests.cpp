// Loudness and true peak against the documents: EBU Tech 3341 (cases 1-6, 9-23 synthesised as the
// document describes them), Tech 3342 (cases 1-4), the BS.1770 48 kHz filter table, and libebur128 as
// an independent implementation on varied programmes.
#include <boost/test/unit_test.hpp>
#include <ebur128.h>

#include <cstdio>
#include <functional>

#include "Measure.h"
#include "Signals.h"
#include "master/KWeighting.h"
#include "master/LoudnessMeter.h"

using namespace mixdown;
using namespace mixdown::test;

namespace {

struct Reading {
  double integrated, range, maxMomentary, maxShortTerm, truePeak, samplePeak;
};

// Feeds the meter in random-sized chunks (1 .. 700 frames, seeded) so block boundaries never matter;
// `afterChunk` sees the meter and the frames fed so far.
Reading measure(const Channels& x, double rate, std::vector<double> weights = {},
                const std::function<void(const LoudnessMeter&, std::size_t)>& afterChunk = {}, std::uint32_t seed = 7) {
  LoudnessMeter m;
  if (weights.empty()) m.prepare(rate, static_cast<int>(x.size()));
  else m.prepare(rate, weights);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> chunk(1, 700);
  std::vector<const float*> ptr(x.size());
  const std::size_t n = x[0].size();
  for (std::size_t done = 0; done < n;) {
    const int k = static_cast<int>(std::min<std::size_t>(n - done, static_cast<std::size_t>(chunk(rng))));
    for (std::size_t c = 0; c < x.size(); ++c) ptr[c] = x[c].data() + done;
    m.add(ptr.data(), k);
    done += static_cast<std::size_t>(k);
    if (afterChunk) afterChunk(m, done);
  }
  return {m.integrated(), m.loudnessRange(), m.maxMomentary(), m.maxShortTerm(), m.truePeakDb(), m.samplePeakDb()};
}

// Momentary and short-term readings once their windows are full: the extremes seen after `settle` s.
struct Span {
  double lo = 1e9, hi = -1e9;
  void add(double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
};

constexpr double kMeterTolerance = 0.1;  // LU, Tech 3341 for M, S, I
constexpr double kRangeTolerance = 1.0;  // LU, Tech 3342

// Tech 3341 true-peak tolerance: +0.2 / -0.4 dB.
void checkTruePeak(double measured, double expected, const std::string& what) {
  BOOST_TEST_CONTEXT(what << ": true peak " << measured << " dBTP, expected " << expected) {
    BOOST_TEST(measured <= expected + 0.2);
    BOOST_TEST(measured >= expected - 0.4);
  }
}

// The mono sine of cases 15-19: `fraction` of the rate, starting phase (degrees), peak amplitude; 1 s
// with 20 ms raised-cosine ends so the onset does not ring in the interpolator.
std::vector<float> truePeakSine(double rate, double fraction, double phaseDeg, double amplitude) {
  std::vector<float> x(static_cast<std::size_t>(rate));
  const std::size_t fade = static_cast<std::size_t>(0.02 * rate);
  for (std::size_t i = 0; i < x.size(); ++i) {
    double g = 1.0;
    if (i < fade) g = 0.5 - 0.5 * std::cos(kPi * i / fade);
    if (x.size() - 1 - i < fade) g = 0.5 - 0.5 * std::cos(kPi * (x.size() - 1 - i) / fade);
    x[i] = static_cast<float>(g * amplitude * std::sin(2 * kPi * fraction * i + phaseDeg * kPi / 180.0));
  }
  return x;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(Loudness)

BOOST_AUTO_TEST_CASE(k_weighting_at_48k_matches_the_bs1770_table) {
  const KWeightingDesign d = designKWeighting(48000.0);
  // ITU-R BS.1770-4 Tables 1 and 2.
  BOOST_TEST(d.shelf.b0 == 1.53512485958697, boost::test_tools::tolerance(1e-8));
  BOOST_TEST(d.shelf.b1 == -2.69169618940638, boost::test_tools::tolerance(1e-8));
  BOOST_TEST(d.shelf.b2 == 1.19839281085285, boost::test_tools::tolerance(1e-8));
  BOOST_TEST(d.shelf.a1 == -1.69065929318241, boost::test_tools::tolerance(1e-8));
  BOOST_TEST(d.shelf.a2 == 0.73248077421585, boost::test_tools::tolerance(1e-8));
  BOOST_TEST(d.highPass.b0 == 1.0);
  BOOST_TEST(d.highPass.b1 == -2.0);
  BOOST_TEST(d.highPass.a1 == -1.99004745483398, boost::test_tools::tolerance(1e-8));
  BOOST_TEST(d.highPass.a2 == 0.99007225036621, boost::test_tools::tolerance(1e-8));
}

BOOST_AUTO_TEST_CASE(k_weighting_response_is_the_same_at_every_rate) {
  auto responseDb = [](const KWeightingDesign& d, double rate, double hz) {
    std::complex<double> z = std::polar(1.0, -2 * kPi * hz / rate), z2 = z * z;
    auto h = [&](const BiquadCoefficients& c) { return (c.b0 + c.b1 * z + c.b2 * z2) / (1.0 + c.a1 * z + c.a2 * z2); };
    return 20 * std::log10(std::abs(h(d.shelf) * h(d.highPass)));
  };
  const KWeightingDesign ref = designKWeighting(48000.0);
  for (double rate : {32000.0, 44100.0, 88200.0, 96000.0, 176400.0, 192000.0}) {
    const KWeightingDesign d = designKWeighting(rate);
    double worst = 0;
    for (double hz = 10; hz <= 0.28 * 32000; hz *= 1.33) {
      const double diff = responseDb(d, rate, hz) - responseDb(ref, 48000.0, hz);
      worst = std::max(worst, std::fabs(diff));
      BOOST_TEST(std::fabs(diff) < 0.01, rate << " Hz rate, " << hz << " Hz: " << diff << " dB from the 48 kHz filter");
    }
    BOOST_TEST_MESSAGE("K-weighting at " << rate << " Hz: worst difference from 48 kHz up to 9 kHz " << worst << " dB");
    // The 1 kHz gain, which sets the absolute scale of LUFS, agrees to 0.008 dB (the shelf's bilinear warping).
    BOOST_TEST(std::fabs(responseDb(d, rate, 997) - responseDb(ref, 48000.0, 997)) < 0.008);
  }
}

BOOST_AUTO_TEST_CASE(tech3341_cases_1_to_5_at_44k1_48k_and_96k) {
  struct Case {
    int number;
    std::vector<Tone> tones;
    double expected;
    bool steady;  // M and S checked too (cases 1 and 2)
  };
  const std::vector<Case> cases = {
      {1, {{-23, 20}}, -23.0, true},
      {2, {{-33, 20}}, -33.0, true},
      {3, {{-36, 10}, {-23, 60}, {-36, 10}}, -23.0, false},
      {4, {{-72, 10}, {-36, 10}, {-23, 60}, {-36, 10}, {-72, 10}}, -23.0, false},
      {5, {{-26, 20}, {-20, 20.1}, {-26, 20}}, -23.0, false},
  };
  for (double rate : {44100.0, 48000.0, 96000.0}) {
    for (const Case& c : cases) {
      const Channels x = toneSequence(rate, c.tones);
      Span m, s;
      const Reading r = measure(x, rate, {}, [&](const LoudnessMeter& meter, std::size_t done) {
        if (done > 3.5 * rate) {
          m.add(meter.momentary());
          s.add(meter.shortTerm());
        }
      });
      BOOST_TEST_CONTEXT("Tech 3341 case " << c.number << " at " << rate << " Hz: I " << r.integrated) {
        BOOST_TEST(std::fabs(r.integrated - c.expected) <= kMeterTolerance);
        if (c.steady) {
          BOOST_TEST(std::fabs(m.lo - c.expected) <= kMeterTolerance);
          BOOST_TEST(std::fabs(m.hi - c.expected) <= kMeterTolerance);
          BOOST_TEST(std::fabs(s.lo - c.expected) <= kMeterTolerance);
          BOOST_TEST(std::fabs(s.hi - c.expected) <= kMeterTolerance);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(tech3341_case_6_five_channels) {
  constexpr double kRate = 48000.0;
  // L, R at -28 dBFS, C at -24, Ls, Rs at -30 (surrounds weighted 1.41); 20 s.
  Channels x = {toneSequence(kRate, {{-28, 20}}, 1)[0], toneSequence(kRate, {{-28, 20}}, 1)[0],
                toneSequence(kRate, {{-24, 20}}, 1)[0], toneSequence(kRate, {{-30, 20}}, 1)[0],
                toneSequence(kRate, {{-30, 20}}, 1)[0]};
  const Reading r = measure(x, kRate);
  BOOST_TEST(std::fabs(r.integrated + 23.0) <= kMeterTolerance, "5.0: I " << r.integrated);
  // The same five channels with a silent LFE in the 5.1 order (L R C LFE Ls Rs) read the same.
  x.insert(x.begin() + 3, std::vector<float>(x[0].size(), 0.25f));  // loud LFE content must be ignored
  const Reading r6 = measure(x, kRate);
  BOOST_TEST(std::fabs(r6.integrated + 23.0) <= kMeterTolerance, "5.1 with loud LFE: I " << r6.integrated);
}

BOOST_AUTO_TEST_CASE(tech3341_case_9_and_12_short_term_and_momentary_constant) {
  constexpr double kRate = 48000.0;
  // 9: 1.34 s at -20 dBFS then 1.66 s at -30, five times: every 3 s window holds -23 LUFS.
  Span s;
  measure(toneSequence(kRate, repeatTones(5, {{-20, 1.34}, {-30, 1.66}})), kRate, {},
          [&](const LoudnessMeter& m, std::size_t done) {
            if (done >= 3 * kRate) s.add(m.shortTerm());
          });
  BOOST_TEST(std::fabs(s.lo + 23.0) <= kMeterTolerance, "case 9: S min " << s.lo);
  BOOST_TEST(std::fabs(s.hi + 23.0) <= kMeterTolerance, "case 9: S max " << s.hi);
  // 12: 0.18 s at -20 dBFS then 0.22 s at -30, 25 times: every 400 ms window holds -23 LUFS.
  Span m;
  measure(toneSequence(kRate, repeatTones(25, {{-20, 0.18}, {-30, 0.22}})), kRate, {},
          [&](const LoudnessMeter& meter, std::size_t done) {
            if (done >= 1 * kRate) m.add(meter.momentary());
          });
  BOOST_TEST(std::fabs(m.lo + 23.0) <= kMeterTolerance, "case 12: M min " << m.lo);
  BOOST_TEST(std::fabs(m.hi + 23.0) <= kMeterTolerance, "case 12: M max " << m.hi);
}

BOOST_AUTO_TEST_CASE(tech3341_cases_10_and_13_maxima_at_any_offset) {
  constexpr double kRate = 48000.0;
  // 10: a 3 s burst at -23 dBFS; 13: a 0.4 s burst. Twenty signals whose burst starts 5 ms later each
  // time, spanning a whole 100 ms step: the maxima must not depend on where the burst falls.
  for (int k = 0; k < 20; ++k) {
    const double offset = 0.5 + 0.005 * k;
    const Reading s = measure(toneSequence(kRate, {{kSilence, offset}, {-23, 3.0}, {kSilence, 1.0}}), kRate);
    BOOST_TEST(std::fabs(s.maxShortTerm + 23.0) <= kMeterTolerance, "case 10-" << k + 1 << ": max S " << s.maxShortTerm);
    const Reading m = measure(toneSequence(kRate, {{kSilence, offset}, {-23, 0.4}, {kSilence, 1.0}}), kRate);
    BOOST_TEST(std::fabs(m.maxMomentary + 23.0) <= kMeterTolerance, "case 13-" << k + 1 << ": max M " << m.maxMomentary);
  }
}

BOOST_AUTO_TEST_CASE(tech3341_cases_11_and_14_successive_maxima) {
  constexpr double kRate = 48000.0;
  // 11: twenty 3 s bursts at -38, -37 .. -19 dBFS, each after 4 s of silence and 7 ms later in its
  // step than the one before; 14: the same with 0.4 s bursts after 1 s of silence. The maximum is read
  // (and reset) for each burst.
  for (bool shortTerm : {true, false}) {
    const double burst = shortTerm ? 3.0 : 0.4, gap = shortTerm ? 4.0 : 1.0;
    std::vector<Tone> tones;
    for (int k = 0; k < 20; ++k) {
      tones.push_back({kSilence, gap + 0.007 * k});
      tones.push_back({-38.0 + k, burst});
    }
    tones.push_back({kSilence, gap});
    const Channels x = toneSequence(kRate, tones);
    LoudnessMeter meter;
    meter.prepare(kRate, 2);
    std::size_t pos = 0;
    for (int k = 0; k < 20; ++k) {
      const auto segment = static_cast<std::size_t>(std::llround((gap + 0.007 * k) * kRate) + std::llround(burst * kRate));
      meter.resetMaxima();
      const float* p[2] = {x[0].data() + pos, x[1].data() + pos};
      meter.add(p, static_cast<int>(segment));
      pos += segment;
      const double got = shortTerm ? meter.maxShortTerm() : meter.maxMomentary();
      BOOST_TEST(std::fabs(got - (-38.0 + k)) <= kMeterTolerance,
                 (shortTerm ? "case 11" : "case 14") << " burst " << k + 1 << ": max " << got << " expected " << -38 + k);
    }
  }
}

BOOST_AUTO_TEST_CASE(tech3341_cases_15_to_19_true_peak_of_sines) {
  for (double rate : {48000.0, 44100.0, 96000.0}) {
    struct Case {
      int number;
      double fraction, phaseDeg, amplitude, expected;
    };
    for (const Case& c : {Case{15, 1 / 4.0, 0, 0.5, -6.0}, Case{16, 1 / 4.0, 45, 0.5, -6.0}, Case{17, 1 / 6.0, 60, 0.5, -6.0},
                          Case{18, 1 / 8.0, 67.5, 0.5, -6.0}, Case{19, 1 / 4.0, 45, 1.41, 3.0}}) {
      const Reading r = measure({truePeakSine(rate, c.fraction, c.phaseDeg, c.amplitude)}, rate);
      checkTruePeak(r.truePeak, c.expected, "case " + std::to_string(c.number) + " at " + std::to_string(rate));
      if (c.number == 16) BOOST_TEST(r.samplePeak < -8.9, "case 16 sample peak " << r.samplePeak << " (the samples miss the peaks)");
    }
  }
}

BOOST_AUTO_TEST_CASE(true_peak_of_sines_is_exact_across_the_band) {
  // A -6 dBFS sine reads -6 dBTP within 0.05 dB at every frequency up to 0.42 fs and any phase, where the
  // Annex's example filter strays by up to 0.44 dB (measured here and printed, not asserted).
  for (double rate : {44100.0, 48000.0, 96000.0}) {
    double worst = 0, worstAnnex = 0;
    for (double f = 100; f < 0.42 * rate && f < 20000; f *= 1.37) {
      for (double phase : {0.0, 0.3, 1.1}) {
        // 0.2 s with 10 ms raised-cosine ends (an abrupt start would be a step, which rings).
        std::vector<float> x(static_cast<std::size_t>(rate / 5));
        const std::size_t fade = static_cast<std::size_t>(rate / 100);
        for (std::size_t i = 0; i < x.size(); ++i) {
          const std::size_t edge = std::min(i, x.size() - 1 - i);
          const double g = edge < fade ? 0.5 - 0.5 * std::cos(kPi * edge / fade) : 1.0;
          x[i] = static_cast<float>(g * 0.5 * std::sin(2 * kPi * f * i / rate + phase));
        }
        const double tp = measure({x}, rate).truePeak;
        worst = std::max(worst, std::fabs(tp - dB(0.5)));
        BOOST_TEST(std::fabs(tp - dB(0.5)) < 0.05, rate << " Hz rate, " << f << " Hz sine: " << tp << " dBTP");
        TruePeakInterpolator annex;
        annex.prepareBs1770(rate);
        float p = 0;
        for (float v : x) p = std::max(p, annex.push(v));
        worstAnnex = std::max(worstAnnex, std::fabs(dB(p) - dB(0.5)));
      }
    }
    BOOST_TEST_MESSAGE("sines at " << rate << " Hz: worst true-peak error " << worst << " dB (Annex 2 example filter: " << worstAnnex << " dB)");
  }
}

BOOST_AUTO_TEST_CASE(tech3341_cases_20_to_23_inter_sample_peaks) {
  // A band-limited pulse peaking at exactly 0 dBTP, centred 0, 1/4, 2/4 and 3/4 of a sample past a sample.
  constexpr double kRate = 48000.0;
  for (int offset = 0; offset < 4; ++offset) {
    std::vector<float> x(static_cast<std::size_t>(kRate / 2), 0.0f);
    addPulse(x, 10000.0 + offset / 4.0, 1.0);
    const Reading r = measure({x, x}, kRate);
    checkTruePeak(r.truePeak, 0.0, "case " + std::to_string(20 + offset));
    BOOST_TEST_MESSAGE("case " << 20 + offset << ": sample peak " << r.samplePeak << " dBFS, true peak " << r.truePeak << " dBTP");
  }
}

BOOST_AUTO_TEST_CASE(tech3342_cases_1_to_4_loudness_range) {
  constexpr double kRate = 48000.0;
  struct Case {
    int number;
    std::vector<Tone> tones;
    double expected;
  };
  for (const Case& c : {Case{1, {{-20, 20}, {-30, 20}}, 10}, Case{2, {{-20, 20}, {-15, 20}}, 5},
                        Case{3, {{-40, 20}, {-20, 20}}, 20},
                        Case{4, {{-50, 20}, {-35, 20}, {-20, 20}, {-35, 20}, {-50, 20}}, 15}}) {
    const Reading r = measure(toneSequence(kRate, c.tones), kRate);
    BOOST_TEST(std::fabs(r.range - c.expected) <= kRangeTolerance, "Tech 3342 case " << c.number << ": LRA " << r.range);
  }
}

BOOST_AUTO_TEST_CASE(agrees_with_libebur128_on_varied_programmes) {
  struct Programme {
    std::string name;
    double rate;
    Channels x;
  };
  std::vector<Programme> programmes;
  const auto secs = [](double rate, double s) { return static_cast<std::size_t>(rate * s); };
  std::uint32_t seed = 100;
  for (double rate : {44100.0, 48000.0, 96000.0}) {
    programmes.push_back({"white noise -20 dB RMS", rate, {whiteNoise(secs(rate, 12), -20, seed++), whiteNoise(secs(rate, 12), -20, seed++)}});
    programmes.push_back({"pink noise -18 dB RMS", rate, {pinkNoise(secs(rate, 12), -18, seed++), pinkNoise(secs(rate, 12), -18, seed++)}});
    programmes.push_back({"sweep 20 Hz - 20 kHz", rate, Channels(2, sweep(secs(rate, 10), rate, 20, 20000, -6))});
    // Loud and quiet passages so both gates act.
    std::vector<float> dyn = pinkNoise(secs(rate, 6), -14, seed++), quiet = pinkNoise(secs(rate, 6), -40, seed++),
                       mid = whiteNoise(secs(rate, 6), -26, seed++);
    dyn.insert(dyn.end(), quiet.begin(), quiet.end());
    dyn.insert(dyn.end(), mid.begin(), mid.end());
    programmes.push_back({"noise passages -14/-40/-26", rate, {dyn, dyn}});
  }
  for (double hz : {50.0, 200.0, 3000.0, 8000.0, 15000.0}) programmes.push_back({"sine " + std::to_string(hz) + " Hz", 48000.0, toneSequence(48000.0, {{-12, 8}}, 2, hz)});
  programmes.push_back({"mono pink noise", 48000.0, {pinkNoise(secs(48000, 10), -20, seed++)}});
  {
    Channels five;
    for (int c = 0; c < 5; ++c) five.push_back(pinkNoise(secs(48000, 10), -22 - 2 * c, seed++));
    programmes.push_back({"5.0 pink noise", 48000.0, five});
  }
  {
    std::vector<float> tp(secs(48000, 5), 0.0f);
    for (int k = 0; k < 40; ++k) addPulse(tp, 2000 + 5000 * k + (k % 4) * 0.25, 0.9);
    programmes.push_back({"inter-sample pulses", 48000.0, {tp, tp}});
  }
  {
    // Drums: decaying bursts of noise band-limited to ~16 kHz (as a recorded kit at 44.1 kHz is), driven
    // into a tanh clipper. Hard-clipped full-band white noise is left out on purpose: its energy at
    // Nyquist has no agreed true peak (measured: libebur128 2.39 dBTP, this meter 2.83, a 32x/128-tap
    // sinc 4.49), so it would compare filters, not meters.
    std::vector<float> d = whiteNoise(secs(44100, 10), -6, seed++);
    double lp1 = 0, lp2 = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
      lp1 += 0.7 * (d[i] - lp1);  // two one-pole low-passes: -3 dB near 9 kHz, -20 dB at Nyquist
      lp2 += 0.7 * (lp1 - lp2);
      const double t = static_cast<double>(i % 11025);
      const double env = std::min(1.0, t / 44.0) * std::exp(-t / 1500.0);  // 1 ms attack, 34 ms decay
      d[i] = static_cast<float>(0.9 * std::tanh(lp2 * env * 2.0));
    }
    programmes.push_back({"tanh-clipped drums", 44100.0, {d, d}});
  }
  BOOST_TEST(programmes.size() >= 20u);

  double worstI = 0, worstTp = 0;
  for (const Programme& p : programmes) {
    const int channels = static_cast<int>(p.x.size());
    const std::size_t n = p.x[0].size();
    ebur128_state* st = ebur128_init(static_cast<unsigned>(channels), static_cast<unsigned long>(p.rate),
                                     EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_TRUE_PEAK);
    BOOST_REQUIRE(st);
    const std::vector<double> w = standardChannelWeights(channels);
    for (int c = 0; c < channels; ++c) {
      int ch = EBUR128_LEFT;
      if (channels == 5) ch = c == 0 ? EBUR128_LEFT : c == 1 ? EBUR128_RIGHT : c == 2 ? EBUR128_CENTER : c == 3 ? EBUR128_LEFT_SURROUND : EBUR128_RIGHT_SURROUND;
      else if (channels == 1) ch = EBUR128_CENTER;
      else ch = c == 0 ? EBUR128_LEFT : EBUR128_RIGHT;
      ebur128_set_channel(st, static_cast<unsigned>(c), ch);
    }
    std::vector<float> inter(n * static_cast<std::size_t>(channels));
    for (std::size_t i = 0; i < n; ++i)
      for (int c = 0; c < channels; ++c) inter[i * channels + c] = p.x[static_cast<std::size_t>(c)][i];
    ebur128_add_frames_float(st, inter.data(), n);
    double refI = 0, refLra = 0, refTp = 0;
    ebur128_loudness_global(st, &refI);
    ebur128_loudness_range(st, &refLra);
    for (int c = 0; c < channels; ++c) {
      double v = 0;
      ebur128_true_peak(st, static_cast<unsigned>(c), &v);
      refTp = std::max(refTp, v);
    }
    ebur128_destroy(&st);
    const Reading r = measure(p.x, p.rate);
    const double refTpDb = 20 * std::log10(refTp);
    BOOST_TEST_CONTEXT(p.name << " at " << p.rate << " Hz: I " << r.integrated << " vs " << refI << ", TP " << r.truePeak
                              << " vs " << refTpDb << ", LRA " << r.range << " vs " << refLra) {
      BOOST_TEST(std::fabs(r.integrated - refI) <= 0.05);
      BOOST_TEST(std::fabs(r.truePeak - refTpDb) <= 0.2);
      // LRA is not compared: libebur128 takes a short-term value every 1 s, Tech 3342 (and this meter)
      // every 100 ms, so programmes with abrupt level changes differ by up to 2 LU by design.
    }
    worstI = std::max(worstI, std::fabs(r.integrated - refI));
    worstTp = std::max(worstTp, std::fabs(r.truePeak - refTpDb));
  }
  BOOST_TEST_MESSAGE(programmes.size() << " programmes vs libebur128: worst integrated difference " << worstI << " LU, worst true peak "
                                       << worstTp << " dB");
}

BOOST_AUTO_TEST_CASE(silence_and_nan_free_outputs) {
  LoudnessMeter m;
  m.prepare(48000, 2);
  BOOST_TEST(std::isinf(m.integrated()));
  BOOST_TEST(std::isinf(m.momentary()));
  BOOST_TEST(m.loudnessRange() == 0.0);
  std::vector<float> z(48000, 0.0f);
  const float* p[2] = {z.data(), z.data()};
  m.add(p, 48000);
  BOOST_TEST(std::isinf(m.integrated()));
  BOOST_TEST(m.integrated() < 0);
}

BOOST_AUTO_TEST_SUITE_END()
