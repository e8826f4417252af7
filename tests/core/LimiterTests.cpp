// The true-peak limiter: the ceiling holds on 50+ hostile programmes (our BS.1770 meter never reads above
// it; 16x oversampling reads at most 0.1 dB above), latency is exactly what it reports, output does not
// depend on block size, and the gain comes back after a peak.
#include <boost/test/unit_test.hpp>

#include "Measure.h"
#include "Projects.h"
#include "engine/OfflineRender.h"
#include "master/Mastering.h"
#include "Signals.h"
#include "master/TruePeak.h"
#include "master/TruePeakLimiter.h"

using namespace mixdown;
using namespace mixdown::test;

namespace {

// Runs the limiter over a programme in blocks (fixed size, or random 1..1024 when blockSize is 0).
// `tail` appends that many samples of silence to the input, as a render does after the song ends, so the
// end of a programme that stops abruptly goes through the limiter too.
Channels limit(Channels in, double rate, double ceilingDb, int blockSize, std::uint32_t seed = 1,
               TruePeakLimiter* use = nullptr, bool tail = false) {
  TruePeakLimiter own;
  TruePeakLimiter& lim = use ? *use : own;
  lim.setParam(TruePeakLimiter::kCeiling, ceilingDb);
  lim.prepare(rate, 1024);
  if (tail)
    for (auto& c : in) c.resize(c.size() + static_cast<std::size_t>(lim.latency() + 64), 0.0f);
  Channels out(in.size(), std::vector<float>(in[0].size()));
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> pick(1, 1024);
  std::vector<const float*> ip(in.size());
  std::vector<float*> op(in.size());
  for (std::size_t done = 0; done < in[0].size();) {
    const int n = static_cast<int>(std::min<std::size_t>(in[0].size() - done, static_cast<std::size_t>(blockSize ? blockSize : pick(rng))));
    for (std::size_t c = 0; c < in.size(); ++c) {
      ip[c] = in[c].data() + done;
      op[c] = out[c].data() + done;
    }
    ProcessContext ctx;
    ctx.inputs = ip.data();
    ctx.inputChannels = static_cast<int>(in.size());
    ctx.outputs = op.data();
    ctx.outputChannels = static_cast<int>(in.size());
    ctx.frames = n;
    lim.process(ctx);
    done += static_cast<std::size_t>(n);
  }
  return out;
}

double truePeakDb(const Channels& x, double rate) {
  TruePeakMeter m;
  m.prepare(rate, static_cast<int>(x.size()));
  std::vector<const float*> p;
  for (const auto& c : x) p.push_back(c.data());
  m.add(p.data(), static_cast<int>(x[0].size()));
  std::vector<float> zeros(64, 0.0f);  // flush the interpolator: the last samples' neighbourhoods count too
  std::vector<const float*> z(x.size(), zeros.data());
  m.add(z.data(), 64);
  return dB(m.truePeak());
}

// 16x oversampled peak with a longer (32-tap) kernel than the limiter's detector: an independent, finer look.
double fineTruePeakDb(const Channels& x) {
  double peak = 0;
  for (const auto& c : x) {
    TruePeakInterpolator ip;
    ip.prepare(16, 32);
    for (float v : c) peak = std::max(peak, static_cast<double>(ip.push(v)));
    for (int i = 0; i < 32; ++i) peak = std::max(peak, static_cast<double>(ip.push(0.0f)));
  }
  return dB(peak);
}

std::vector<float> fadeEnds(std::vector<float> x, double rate) {
  const std::size_t f = static_cast<std::size_t>(rate * 0.005);
  for (std::size_t i = 0; i < f && i < x.size(); ++i) {
    const float g = static_cast<float>(0.5 - 0.5 * std::cos(kPi * i / f));
    x[i] *= g;
    x[x.size() - 1 - i] *= g;
  }
  return x;
}

struct Programme {
  std::string name;
  double rate;
  Channels x;
};

std::vector<Programme> hostileProgrammes() {
  std::vector<Programme> out;
  std::uint32_t seed = 500;
  const double r48 = 48000, r44 = 44100;
  const auto n = [](double rate, double s) { return static_cast<std::size_t>(rate * s); };
  // Sines near fs/4 at many phases and levels well over the ceiling.
  for (int k = 0; k < 12; ++k) {
    const double rate = k % 3 ? r48 : r44;
    const double hz = rate / 4 + (k - 6) * 37.0, phase = k * 0.41, amp = std::pow(10.0, (3.0 + k) / 20.0);
    std::vector<float> x(n(rate, 1.0));
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(amp * std::sin(2 * kPi * hz * i / rate + phase));
    out.push_back({"sine " + std::to_string(hz) + " Hz +" + std::to_string(3 + k) + " dB", rate, {x, x}});
  }
  // Square waves (naive, so full of content up to Nyquist).
  for (double hz : {55.0, 440.0, 1234.5, 3000.0, 7000.0, 11025.0}) {
    std::vector<float> x(n(r48, 1.0));
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::sin(2 * kPi * hz * i / r48) >= 0 ? 1.4f : -1.4f;
    out.push_back({"square " + std::to_string(hz) + " Hz", r48, {x, x}});
  }
  // Hard-clipped and saturated drums.
  for (int k = 0; k < 6; ++k) {
    std::vector<float> d = whiteNoise(n(r44, 2.0), -3, seed++);
    for (std::size_t i = 0; i < d.size(); ++i) {
      const double env = std::exp(-static_cast<double>(i % 5512) / (300.0 + 200.0 * k)) * 4.0;
      d[i] = static_cast<float>(k % 2 ? std::clamp(d[i] * env, -1.0, 1.0) : std::tanh(d[i] * env) * 1.3);
    }
    out.push_back({"drums " + std::to_string(k), r44, {d, whiteNoise(d.size(), -40, seed++)}});
  }
  // Noise bursts with gaps (the gain must come back and dive again).
  for (int k = 0; k < 8; ++k) {
    std::vector<float> a = k % 2 ? pinkNoise(n(r48, 2.0), 0.0, seed++) : whiteNoise(n(r48, 2.0), -2.0, seed++);
    for (std::size_t i = 0; i < a.size(); ++i)
      if ((i / (2400 * (k + 1))) % 2) a[i] *= 0.05f;
    out.push_back({"noise bursts " + std::to_string(k), r48, {a, pinkNoise(a.size(), -6, seed++)}});
  }
  // Sweeps.
  for (int k = 0; k < 4; ++k) {
    const double rate = k < 2 ? r48 : r44;
    std::vector<float> s = fadeEnds(sweep(n(rate, 3.0), rate, 20, 0.45 * rate, 4.0 + 3 * k), rate);
    out.push_back({"sweep +" + std::to_string(4 + 3 * k) + " dB", rate, {s, s}});
  }
  // Intersample-heavy: band-limited pulses between samples, fs/4 at 45 degrees, near-Nyquist tones.
  for (int k = 0; k < 6; ++k) {
    std::vector<float> x(n(r48, 1.0), 0.0f);
    for (int p = 0; p < 40; ++p) addPulse(x, 500 + p * 1100 + (p % 4) * 0.25 + k * 0.1, 1.2 + 0.2 * k * (p % 3));
    out.push_back({"inter-sample pulses " + std::to_string(k), r48, {x, x}});
  }
  for (int k = 0; k < 4; ++k) {
    std::vector<float> x(n(r48, 1.0));
    const double hz = k < 2 ? r48 / 4 : 0.45 * r48 - 200 * k;
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(1.41 * std::sin(2 * kPi * hz * i / r48 + kPi / 4 + k));
    out.push_back({"intersample tone " + std::to_string(k), r48, {fadeEnds(x, r48), fadeEnds(x, r48)}});
  }
  // Music-like: chords of harmonics with a kick, and a step from silence to full level.
  for (int k = 0; k < 4; ++k) {
    std::vector<float> l(n(r48, 2.0)), r(l.size());
    for (std::size_t i = 0; i < l.size(); ++i) {
      const double t = static_cast<double>(i) / r48;
      double v = 0;
      for (double f0 : {110.0 * (k + 1), 138.6 * (k + 1), 164.8 * (k + 1)})
        for (int h = 1; h < 12; ++h) v += 0.5 / h * std::sin(2 * kPi * f0 * h * t + h);
      const double beat = std::fmod(t, 0.5);
      v += 2.0 * std::exp(-beat * 30) * std::sin(2 * kPi * 55 * beat);
      l[i] = static_cast<float>(v * 0.6);
      r[i] = static_cast<float>(v * 0.5 + 0.1 * std::sin(2 * kPi * 3000 * t));
    }
    out.push_back({"music " + std::to_string(k), r48, {l, r}});
  }
  {
    std::vector<float> x(n(r48, 1.0), 0.0f);
    for (std::size_t i = x.size() / 2; i < x.size(); ++i) x[i] = static_cast<float>(1.8 * std::sin(2 * kPi * 997 * i / r48));
    out.push_back({"silence then +5 dB step", r48, {x, x}});
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(Limiter)

BOOST_AUTO_TEST_CASE(ceiling_holds_on_fifty_hostile_programmes) {
  const std::vector<Programme> programmes = hostileProgrammes();
  BOOST_TEST(programmes.size() >= 50u);
  double worstMeter = -100, worstFine = -100;
  for (double ceiling : {-1.0, -0.1}) {
    for (std::size_t k = 0; k < programmes.size(); ++k) {
      const Programme& p = programmes[k];
      const Channels out = limit(p.x, p.rate, ceiling, 0, static_cast<std::uint32_t>(k), nullptr, true);
      const double meter = truePeakDb(out, p.rate), fine = fineTruePeakDb(out);
      worstMeter = std::max(worstMeter, meter - ceiling);
      worstFine = std::max(worstFine, fine - ceiling);
      BOOST_TEST_CONTEXT(p.name << ", ceiling " << ceiling << ": input " << truePeakDb(p.x, p.rate) << " dBTP, output " << meter
                                << " dBTP (16x: " << fine << ")") {
        BOOST_TEST(meter <= ceiling + 1e-4);  // float rounding of the output samples
        BOOST_TEST(fine <= ceiling + 0.1);
      }
    }
  }
  BOOST_TEST_MESSAGE(programmes.size() << " programmes x 2 ceilings: highest BS.1770 reading " << worstMeter
                                       << " dB over the ceiling, highest 16x reading " << worstFine << " dB over");
}

BOOST_AUTO_TEST_CASE(latency_is_exactly_as_reported) {
  for (double rate : {44100.0, 48000.0, 96000.0}) {
    std::vector<float> x = whiteNoise(static_cast<std::size_t>(rate / 2), -30, 3);  // far under the ceiling
    for (int block : {1, 17, 128, 512}) {
      TruePeakLimiter lim;
      const Channels out = limit({x, x}, rate, -1.0, block, 1, &lim);
      const int latency = lim.latency();
      BOOST_TEST(latency == TruePeakLimiter::kDetectorTaps / 2 + static_cast<int>(std::lround(0.003 * rate)));
      bool exact = true;
      for (std::size_t i = 0; i < x.size(); ++i) {
        const float expected = i >= static_cast<std::size_t>(latency) ? x[i - static_cast<std::size_t>(latency)] : 0.0f;
        exact = exact && out[0][i] == expected && out[1][i] == expected;
      }
      BOOST_TEST(exact, rate << " Hz, block " << block << ": output is the input delayed by " << latency << " samples");
    }
  }
}

BOOST_AUTO_TEST_CASE(output_does_not_depend_on_block_size) {
  const std::vector<Programme> programmes = hostileProgrammes();
  for (std::size_t k : {0u, 20u, 40u}) {
    const Programme& p = programmes[k];
    const Channels ref = limit(p.x, p.rate, -1.0, 1);
    for (int block : {17, 512, 0}) BOOST_TEST((limit(p.x, p.rate, -1.0, block) == ref), p.name << ", block " << block);
  }
}

BOOST_AUTO_TEST_CASE(gain_recovers_after_a_peak_and_reports_reduction) {
  constexpr double kRate = 48000;
  // 0.5 s at +6 dBFS, then 2 s at -20 dBFS: after the release the quiet part passes untouched.
  Channels x = toneSequence(kRate, {{6, 0.5}, {-20, 2.0}}, 2, 1000);
  TruePeakLimiter lim;
  lim.setParam(TruePeakLimiter::kAutoRelease, 0);
  lim.setParam(TruePeakLimiter::kRelease, 50);
  const Channels out = limit(x, kRate, -1.0, 256, 1, &lim);
  const double reduction = lim.takeGainReductionDb();
  BOOST_TEST(reduction > 6.9, "deepest reduction " << reduction << " dB");
  BOOST_TEST(reduction < 7.3);
  const std::size_t from = static_cast<std::size_t>(1.5 * kRate), latency = static_cast<std::size_t>(lim.latency());
  double worst = 0;
  for (std::size_t i = from; i < x[0].size(); ++i) worst = std::max(worst, std::fabs(static_cast<double>(out[0][i]) - x[0][i - latency]));
  BOOST_TEST(worst < 1e-4, "quiet part after release differs by " << worst);
  BOOST_TEST(lim.takeGainReductionDb() == 0.0);  // taken
}

// A loud target on a dynamic mix (the demo's first 20 s, -21.5 LUFS with peaks near -3.7 dBFS): with the
// 100 ms release the limiter's loudness stops rising near -9.9 LUFS whatever the gain, held down by the
// crest within the release time; the mastering search then shortens the release and lands the target.
BOOST_AUTO_TEST_CASE(a_loud_target_out_of_reach_at_100_ms_is_met_with_a_faster_release) {
  constexpr double kRate = 48000;
  const auto mix = renderOffline(test::demoProject(), {}, kRate, static_cast<std::int64_t>(kRate * 20), 512);
  MasterSettings settings;
  settings.targetLufs = -9.0;
  settings.ceilingDbtp = -0.3;
  settings.fasterReleaseIfNeeded = false;
  const MasterResult strict = masterToTarget(mix, kRate, settings);
  BOOST_TEST_MESSAGE("release fixed at 100 ms: " << strict.error);
  BOOST_TEST(!strict.ok);
  BOOST_TEST(strict.error.find("100 ms release") != std::string::npos, strict.error);
  settings.fasterReleaseIfNeeded = true;
  const MasterResult loud = masterToTarget(mix, kRate, settings);
  BOOST_TEST_MESSAGE("faster release: " << loud.after.integrated << " LUFS, " << loud.after.truePeak << " dBTP, release "
                                         << loud.releaseMs << " ms, gain " << loud.gainDb << " dB");
  BOOST_REQUIRE(loud.ok);
  BOOST_TEST(loud.releaseMs < 100.0);
  BOOST_TEST(std::fabs(loud.after.integrated + 9.0) <= 0.1);
  BOOST_TEST(loud.after.truePeak <= -0.3);
  // A reachable target keeps the release asked for.
  settings.targetLufs = -14.0;
  const MasterResult gentle = masterToTarget(mix, kRate, settings);
  BOOST_TEST(gentle.ok);
  BOOST_TEST(gentle.releaseMs == 100.0);
}

BOOST_AUTO_TEST_SUITE_END()
