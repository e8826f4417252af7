// The poly synth's newer controls, measured: unison detune and stereo spread, the LFO's period (free
// and synced), glide time, filter responses (low/high/band-pass, 12 and 24 dB/oct, key tracking),
// block-size independence, finite output under extreme settings, no allocation in process().
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "AllocationCounter.h"
#include "DeviceRender.h"
#include "Measure.h"
#include "devices/PolySynth.h"

using namespace mixdown;

namespace {

using Stereo = test::StereoRender;

struct Event {
  std::int64_t frame;
  NoteEvent::Type type;
  int pitch;
};

// Renders `frames` with `events` (sorted) in blocks of `block` (0: random sizes 1..512 from `seed`), into
// `channels` channels (the right stays empty with one).
Stereo render(PolySynth& s, const std::vector<Event>& events, std::size_t frames, int block = 128, int channels = 1,
              double tempo = 120.0, unsigned seed = 1) {
  std::vector<test::TimedEvent> timed;
  for (const Event& e : events) timed.push_back({e.frame, {0, e.type, static_cast<std::uint8_t>(e.pitch), 1.0f}});
  return test::renderDevice(s, timed, frames, {block, seed, channels, tempo});
}

std::vector<Event> held(int pitch) { return {{0, NoteEvent::Type::NoteOn, pitch}}; }

// A plain sine at full level: filter open, flat envelopes, no velocity, 0 dB volume.
void plainSine(PolySynth& s) {
  s.setParam("wave", 0);
  s.setParam("cutoff", 20000);
  s.setParam("filterEnv", 0);
  s.setParam("resonance", 0);
  s.setParam("attack", 0.1);
  s.setParam("sustain", 1);
  s.setParam("velocity", 0);
  s.setParam("volume", 0);
}

// The note and fine tune (and octave) that sound `hz` from MIDI note `pitch`'s octave neighbourhood.
void tuneTo(PolySynth& s, double hz, int& pitch) {
  const double semis = 12.0 * std::log2(hz / 440.0) + 69.0;
  pitch = static_cast<int>(std::round(semis));
  s.setParam("detune", (semis - pitch) * 100.0);
}

double resonanceForQ(double q) { return std::log(q / 0.5) / std::log(40.0); }  // q = 0.5 * 40^resonance

// The frequency (Hz) of the strongest spectral peak within `hz` +- `span`, refined by a parabola through
// the three dB values around it (Blackman-Harris: well within 0.01 bin for a lone sinusoid).
double peakNear(const std::vector<float>& x, std::size_t from, std::size_t n, double sr, double hz, double span) {
  const auto peaks = test::spectralPeaks(x, from, n, sr, -80.0);
  double best = -1e9, at = 0;
  for (const auto& p : peaks)
    if (std::fabs(p.hz - hz) < span && p.dbfs > best) best = p.dbfs, at = p.hz;
  // Refine with levels at +-1 bin.
  const double bin = sr / static_cast<double>(n);
  const double a = test::levelAt(x, from, n, sr, at - bin), b = test::levelAt(x, from, n, sr, at), c = test::levelAt(x, from, n, sr, at + bin);
  const double denom = a - 2 * b + c;
  return denom == 0 ? at : at + 0.5 * (a - c) / denom * bin;
}

double cents(double hz, double reference) { return 1200.0 * std::log2(hz / reference); }

}  // namespace

BOOST_AUTO_TEST_SUITE(synth_layers)

BOOST_AUTO_TEST_CASE(unison_spreads_the_measured_partials_by_the_set_detune) {
  const double sr = 48000;
  for (int copies : {2, 3, 5}) {
    for (double detune : {10.0, 25.0}) {
      PolySynth s;
      plainSine(s);
      s.setParam("unison", copies);
      s.setParam("unisonDetune", detune);
      s.setParam("unisonSpread", 0.0);  // mono: every copy in the one channel
      s.prepare(sr, 512);
      const std::size_t n = 1 << 17;  // 0.37 Hz bins
      const auto x = render(s, held(69), n + 4800).left;
      for (int u = 0; u < copies; ++u) {
        const double offset = detune * (2.0 * u / (copies - 1) - 1.0);
        const double expected = 440.0 * std::pow(2.0, offset / 1200.0);
        const double measured = peakNear(x, 4800, n, sr, expected, 0.8);
        BOOST_TEST_CONTEXT(copies << " copies, detune " << detune << " ct, copy " << u << ": expected " << expected << " Hz, measured " << measured) {
          BOOST_TEST(std::fabs(cents(measured, expected)) < 0.2);  // 0.2 ct: a tenth of the closest spacing tested
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(unison_spread_1_puts_the_outer_copies_hard_left_and_hard_right) {
  PolySynth s;
  plainSine(s);
  s.setParam("unison", 2);
  s.setParam("unisonDetune", 50);
  s.setParam("unisonSpread", 1.0);
  BOOST_TEST(s.outputChannels() == 2);
  s.prepare(48000, 512);
  const std::size_t n = 1 << 16;
  const Stereo out = render(s, held(69), n + 4800, 128, 2);
  const double low = 440.0 * std::pow(2.0, -50 / 1200.0), high = 440.0 * std::pow(2.0, 50 / 1200.0);
  // Each copy at 1/sqrt(2) (two copies), hard panned: -3.01 dB on its side, nothing on the other.
  BOOST_TEST(test::levelAt(out.left, 4800, n, 48000, low) == -3.0103, boost::test_tools::tolerance(0.003));
  BOOST_TEST(test::levelAt(out.right, 4800, n, 48000, high) == -3.0103, boost::test_tools::tolerance(0.003));
  BOOST_TEST(test::levelAt(out.left, 4800, n, 48000, high) < -100.0);
  BOOST_TEST(test::levelAt(out.right, 4800, n, 48000, low) < -100.0);
}

BOOST_AUTO_TEST_CASE(the_synth_is_mono_until_unison_is_spread) {
  PolySynth s;
  BOOST_TEST(s.outputChannels() == 1);
  s.setParam("unison", 4);
  BOOST_TEST(s.outputChannels() == 2);  // spread defaults to 0.5
  s.setParam("unisonSpread", 0);
  BOOST_TEST(s.outputChannels() == 1);
  s.setParam("unison", 1);
  s.setParam("unisonSpread", 1);
  BOOST_TEST(s.outputChannels() == 1);
}

// The LFO's rate from the level of a 2 kHz sine under a full-depth sine LFO: the 1 ms RMS envelope's
// zero crossings about its mean.
double measuredLfoHz(PolySynth& s, int pitch, double tempo) {
  const double sr = 48000;
  const std::size_t frames = static_cast<std::size_t>(sr * 8);
  const auto x = render(s, held(pitch), frames, 128, 1, tempo).left;
  const std::size_t hop = 48;
  std::vector<float> env;
  for (std::size_t at = 0; at + hop <= frames; at += hop) {
    double e = 0;
    for (std::size_t i = at; i < at + hop; ++i) e += static_cast<double>(x[i]) * x[i];
    env.push_back(static_cast<float>(std::sqrt(e / hop)));
  }
  double mean = 0;
  for (float v : env) mean += v;
  mean /= static_cast<double>(env.size());
  for (float& v : env) v = static_cast<float>(v - mean);
  return test::zeroCrossingFrequency(env, sr / hop, 100);
}

BOOST_AUTO_TEST_CASE(the_lfo_period_matches_the_set_rate_and_the_tempo_when_synced) {
  struct Case {
    bool sync;
    double rate, tempo;
    int division;  // index into the descriptor's choices
    double expectedHz;
  };
  // Divisions: 4 = 1/4 (1 beat), 5 = 1/8, 13 = 1/4 triplet (2/3 beat), 9 = 1/4 dotted (1.5 beats).
  const Case cases[] = {{false, 3.0, 120, 0, 3.0},       {false, 0.7, 120, 0, 0.7},         {false, 11.0, 120, 0, 11.0},
                        {true, 0, 120, 4, 2.0},          {true, 0, 150, 5, 5.0},            {true, 0, 90, 13, 2.25},
                        {true, 0, 100, 9, 100.0 / 90.0}};
  for (const Case& c : cases) {
    PolySynth s;
    plainSine(s);
    int pitch = 0;
    tuneTo(s, 2000, pitch);
    s.setParam("lfoAmp", 1.0);
    s.setParam("lfoRate", c.rate > 0 ? c.rate : 2.0);
    s.setParam("lfoSync", c.sync ? 1 : 0);
    s.setParam("lfoDivision", c.division);
    BOOST_TEST(s.followsTempo() == c.sync);
    s.prepare(48000, 512);
    const double hz = measuredLfoHz(s, pitch, c.tempo);
    BOOST_TEST_CONTEXT((c.sync ? "synced" : "free") << " at " << c.tempo << " BPM: expected " << c.expectedHz << " Hz, measured " << hz) {
      BOOST_TEST(std::fabs(hz / c.expectedHz - 1.0) < 0.002);  // 0.2 %
    }
  }
}

BOOST_AUTO_TEST_CASE(the_lfo_moves_pitch_by_the_set_semitones) {
  PolySynth s;
  plainSine(s);
  s.setParam("lfoPitch", 2.0);
  s.setParam("lfoShape", 2);  // square: +2 st for half a cycle, -2 st for the other
  s.setParam("lfoRate", 1.0);
  s.prepare(48000, 512);
  const auto x = render(s, held(69), 48000).left;
  // First half cycle (0..0.5 s) at +2 st, second at -2 st; measure away from the edges.
  std::vector<float> up(x.begin() + 4800, x.begin() + 19200), down(x.begin() + 28800, x.begin() + 43200);
  BOOST_TEST(std::fabs(cents(test::zeroCrossingFrequency(up, 48000, 0), 440.0 * std::pow(2.0, 2 / 12.0))) < 0.1);
  BOOST_TEST(std::fabs(cents(test::zeroCrossingFrequency(down, 48000, 0), 440.0 * std::pow(2.0, -2 / 12.0))) < 0.1);
}

// Per upward zero crossing: the time (s) between it and the one before, and the frequency that gives.
struct Crossing {
  double time, hz;
};
std::vector<Crossing> crossings(const std::vector<float>& x, double sr) {
  std::vector<Crossing> out;
  double last = -1;
  for (std::size_t i = 1; i < x.size(); ++i)
    if (x[i - 1] < 0.0f && x[i] >= 0.0f) {
      const double t = (static_cast<double>(i - 1) + x[i - 1] / (x[i - 1] - x[i])) / sr;
      if (last >= 0) out.push_back({0.5 * (t + last), 1.0 / (t - last)});
      last = t;
    }
  return out;
}

BOOST_AUTO_TEST_CASE(glide_reaches_the_target_pitch_in_the_set_time) {
  const double sr = 48000;
  for (int mode : {1, 2, 0}) {  // mono, legato, poly
    for (double glideMs : {50.0, 200.0}) {
      PolySynth s;
      plainSine(s);
      s.setParam("voiceMode", mode);
      s.setParam("glide", glideMs);
      s.setParam("release", 1);  // poly: the first note's voice gone within 1 ms of its note-off
      s.prepare(sr, 512);
      // 880 Hz held, then 1760 Hz at 0.25 s (overlapping: legato; poly releases the first note there).
      const std::int64_t at = 12000;
      std::vector<Event> notes = {{0, NoteEvent::Type::NoteOn, 81}, {at, NoteEvent::Type::NoteOn, 93}};
      if (mode == 0) notes.insert(notes.begin() + 1, {at, NoteEvent::Type::NoteOff, 81});
      const auto x = render(s, notes, static_cast<std::size_t>(sr)).left;
      const auto cs = crossings(x, sr);
      const double start = static_cast<double>(at) / sr, target = 1760.0;
      double lastOff = 0;  // the last time the pitch was more than 2 cents from the target
      double atHalf = 0;
      for (const auto& c : cs) {
        if (c.time > start && std::fabs(cents(c.hz, target)) > 2.0) lastOff = c.time;
        if (atHalf == 0 && c.time > start + 0.5 * glideMs * 0.001) atHalf = c.hz;
      }
      const double reachedMs = (lastOff - start) * 1000.0;
      BOOST_TEST_CONTEXT("mode " << mode << ", glide " << glideMs << " ms: reached the target after " << reachedMs
                                 << " ms; halfway " << cents(atHalf, 880.0) << " ct above the start") {
        // Within 1.5 ms of the set time (the glide steps every 32 samples, 0.67 ms; a crossing period is 0.57 ms).
        BOOST_TEST(std::fabs(reachedMs - glideMs) < 1.5);
        // Linear in semitones: halfway in time is halfway in pitch (600 ct) within 25 ct.
        BOOST_TEST(std::fabs(cents(atHalf, 880.0) - 600.0) < 25.0);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(legato_slides_without_restarting_the_envelope_and_mono_restarts_it) {
  for (int mode : {1, 2}) {
    PolySynth s;
    plainSine(s);
    // 10 ms attack to full level, then down to a sustain of 0.5 within 20 ms: a restart rises to full again.
    s.setParam("attack", 10);
    s.setParam("decay", 20);
    s.setParam("sustain", 0.5);
    s.setParam("voiceMode", mode);
    s.prepare(48000, 512);
    const auto x = render(s, {{0, NoteEvent::Type::NoteOn, 69}, {24000, NoteEvent::Type::NoteOn, 72}}, 26400).left;
    const double before = test::peakOf(x, 24000 - 480, 24000);
    const double after = test::peakOf(x, 24000 + 240, 24000 + 720);  // 5..15 ms after the second note
    BOOST_TEST_CONTEXT("mode " << mode << ": peak before the second note " << before << ", after " << after) {
      BOOST_TEST(before == 0.5, boost::test_tools::tolerance(0.01));
      if (mode == 2) BOOST_TEST(after == 0.5, boost::test_tools::tolerance(0.01));  // legato: the envelope goes on
      else BOOST_TEST(after > 0.95);  // mono: attacks again from where it was, up to full level
    }
    BOOST_TEST(s.activeVoices() == 1);
  }
}

BOOST_AUTO_TEST_CASE(mono_returns_to_the_held_note_when_the_newest_is_released) {
  PolySynth s;
  plainSine(s);
  s.setParam("voiceMode", 1);
  s.prepare(48000, 512);
  const auto x = render(s, {{0, NoteEvent::Type::NoteOn, 69}, {9600, NoteEvent::Type::NoteOn, 76}, {19200, NoteEvent::Type::NoteOff, 76}}, 28800).left;
  std::vector<float> second(x.begin() + 12000, x.begin() + 19000), back(x.begin() + 21600, x.end());
  BOOST_TEST(std::fabs(cents(test::zeroCrossingFrequency(second, 48000, 0), 659.2551)) < 0.1);
  BOOST_TEST(std::fabs(cents(test::zeroCrossingFrequency(back, 48000, 0), 440.0)) < 0.1);
}

// The filter's magnitude (dB) at `hz` from a sine of the synth through it (a full-scale sine: the
// measured level is the response).
double responseDb(int type, int slope, double cutoff, double hz, double keyTrack = 0.0, int keyPitch = 0) {
  const double sr = 96000;
  PolySynth s;
  plainSine(s);
  s.setParam("cutoff", cutoff);
  s.setParam("resonance", resonanceForQ(1.0 / std::sqrt(2.0)));  // Butterworth
  s.setParam("filterType", type);
  s.setParam("filterSlope", slope);
  s.setParam("keyTrack", keyTrack);
  int pitch = 0;
  tuneTo(s, hz, pitch);
  if (keyPitch) {  // play `keyPitch`, reaching `hz` by octaves and fine tune
    const double octaves = std::log2(hz / (440.0 * std::pow(2.0, (keyPitch - 69) / 12.0)));
    const double whole = std::round(octaves);
    s.setParam("octave", whole);
    s.setParam("detune", (octaves - whole) * 1200.0);
    pitch = keyPitch;
  }
  s.prepare(sr, 512);
  const std::size_t n = 1 << 16;
  const auto x = render(s, held(pitch), n + 9600).left;
  return test::levelAt(x, 9600, n, sr, hz);
}

// The bilinear (TPT) Butterworth responses the filter is designed to have: the analogue prototype at
// the prewarped frequency.
double expectedDb(int type, int slope, double cutoff, double hz, double sr = 96000) {
  const double w = std::tan(test::kPi * hz / sr) / std::tan(test::kPi * cutoff / sr);
  double one = 0;
  if (type == 0) one = -10 * std::log10(1 + std::pow(w, 4));
  if (type == 1) one = -10 * std::log10(1 + std::pow(w, -4));
  if (type == 2) {  // band-pass, Q 1/sqrt 2, 0 dB at the centre
    const double q = 1 / std::sqrt(2.0);
    one = 20 * std::log10((w / q) / std::sqrt(std::pow(1 - w * w, 2) + std::pow(w / q, 2)));
  }
  return slope == 1 ? 2 * one : one;
}

BOOST_AUTO_TEST_CASE(filter_cutoff_and_slopes_measure_as_designed) {
  const double fc = 1000;
  for (int type : {0, 1, 2}) {
    for (int slope : {0, 1}) {
      // At the cutoff: -3.01 dB (12 dB/oct) and -6.02 dB (24 dB/oct) for low- and high-pass; the band-pass 0 dB.
      const double atCutoff = responseDb(type, slope, fc, fc);
      const double designed = type == 2 ? 0.0 : slope ? -6.0206 : -3.0103;
      BOOST_TEST_CONTEXT("type " << type << " slope " << slope << ": " << atCutoff << " dB at the cutoff") {
        BOOST_TEST(std::fabs(atCutoff - designed) < 0.02);
      }
      for (double ratio : {0.125, 0.25, 0.5, 2.0, 4.0, 8.0}) {
        const double got = responseDb(type, slope, fc, fc * ratio), want = expectedDb(type, slope, fc, fc * ratio);
        BOOST_TEST_CONTEXT("type " << type << " slope " << slope << " at " << fc * ratio << " Hz: " << got << " dB, designed " << want) {
          BOOST_TEST(std::fabs(got - want) < 0.05);
        }
      }
    }
  }
  // Stopband slopes between 4 and 8 times (low-pass) or 1/4 and 1/8 of (high-pass) the cutoff, in dB per
  // octave: 12 or 24 within 3 % (an analogue Butterworth is 12.03 there; the bilinear transform steepens
  // the low-pass towards Nyquist: 12.33 per stage at 4-8 kHz at 96 kHz, as designed, matched above).
  for (int slope : {0, 1}) {
    const double perOctave = slope ? 24.0 : 12.0;
    const double lp = responseDb(0, slope, fc, 4 * fc) - responseDb(0, slope, fc, 8 * fc);
    const double hp = responseDb(1, slope, fc, fc / 4) - responseDb(1, slope, fc, fc / 8);
    BOOST_TEST_CONTEXT("slope " << perOctave << ": low-pass " << lp << " dB/oct, high-pass " << hp << " dB/oct") {
      BOOST_TEST(std::fabs(lp / perOctave - 1.0) < 0.03);
      BOOST_TEST(std::fabs(hp / perOctave - 1.0) < 0.03);
    }
  }
}

BOOST_AUTO_TEST_CASE(key_tracking_moves_the_cutoff_an_octave_per_octave) {
  // Cutoff 1 kHz at C4; C5 with full key tracking: the cutoff is 2 kHz, so a 2 kHz tone is -3.01 dB.
  BOOST_TEST(responseDb(0, 0, 1000, 2000, 1.0, 72) == -3.0103, boost::test_tools::tolerance(0.02 / 3.0103));
  // Half tracking two octaves up: one octave.
  BOOST_TEST(responseDb(0, 0, 1000, 2000, 0.5, 84) == -3.0103, boost::test_tools::tolerance(0.02 / 3.0103));
  // No tracking: 2 kHz an octave above a 1 kHz cutoff.
  BOOST_TEST(responseDb(0, 0, 1000, 2000, 0.0, 72) == expectedDb(0, 0, 1000, 2000), boost::test_tools::tolerance(0.05 / 12.3));
}

// A patch with every layer on: two oscillators in 5 copies, sub, noise, band-pass 24 dB, LFO to all
// three, legato glide, stereo.
void everything(PolySynth& s) {
  s.setParam("osc1Level", 0.7);
  s.setParam("osc2Level", 0.5);
  s.setParam("osc2Wave", 3);
  s.setParam("osc2Semitones", 7);
  s.setParam("subLevel", 0.4);
  s.setParam("subWave", 1);
  s.setParam("noiseLevel", 0.1);
  s.setParam("unison", 5);
  s.setParam("unisonDetune", 30);
  s.setParam("unisonSpread", 0.8);
  s.setParam("filterType", 2);
  s.setParam("filterSlope", 1);
  s.setParam("keyTrack", 0.5);
  s.setParam("lfoShape", 5);
  s.setParam("lfoPitch", 0.3);
  s.setParam("lfoCutoff", 1);
  s.setParam("lfoAmp", 0.5);
  s.setParam("lfoRate", 6);
  s.setParam("voiceMode", 2);
  s.setParam("glide", 80);
}

std::vector<Event> busyPhrase() {
  std::vector<Event> ev;
  std::mt19937 random(3);
  std::int64_t t = 0;
  for (int i = 0; i < 40; ++i) {
    const int pitch = 40 + static_cast<int>(random() % 40);
    ev.push_back({t, NoteEvent::Type::NoteOn, pitch});
    t += 500 + static_cast<std::int64_t>(random() % 3000);
    ev.push_back({t + static_cast<std::int64_t>(random() % 4000), NoteEvent::Type::NoteOff, pitch});
  }
  std::sort(ev.begin(), ev.end(), [](const Event& a, const Event& b) { return a.frame < b.frame; });
  return ev;
}

BOOST_AUTO_TEST_CASE(layered_patches_render_bit_identically_at_any_block_size) {
  for (int poly : {0, 1}) {
    auto with = [&](int block, unsigned seed) {
      PolySynth s;
      everything(s);
      if (poly) s.setParam("voiceMode", 0);
      s.prepare(48000, 512);
      return render(s, busyPhrase(), 48000 * 3, block, 2, 120, seed);
    };
    const Stereo reference = with(128, 1);
    BOOST_TEST(test::peakOf(reference.left) > 0.01);
    BOOST_TEST(reference.left != reference.right);  // spread: the channels differ
    for (int block : {1, 17, 512, 0}) {
      const Stereo s = with(block, 5);
      BOOST_TEST(std::memcmp(s.left.data(), reference.left.data(), s.left.size() * sizeof(float)) == 0, "left, block " << block);
      BOOST_TEST(std::memcmp(s.right.data(), reference.right.data(), s.right.size() * sizeof(float)) == 0, "right, block " << block);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_mono_patch_given_two_channels_writes_the_same_samples_to_both) {
  PolySynth mono, stereo;
  for (auto* s : {&mono, &stereo}) s->prepare(48000, 512);
  const Stereo one = render(mono, busyPhrase(), 48000, 128, 1);
  const Stereo two = render(stereo, busyPhrase(), 48000, 128, 2);
  BOOST_TEST(std::memcmp(one.left.data(), two.left.data(), one.left.size() * sizeof(float)) == 0);
  BOOST_TEST(std::memcmp(two.left.data(), two.right.data(), two.left.size() * sizeof(float)) == 0);
}

BOOST_AUTO_TEST_CASE(output_is_finite_under_extreme_settings) {
  const auto& d = PolySynth::staticDescriptor();
  std::mt19937 random(11);
  for (int round = 0; round < 40; ++round) {
    PolySynth s;
    for (std::size_t p = 0; p < d.params.size(); ++p) {
      const auto& pd = d.params[p];
      const int pick = static_cast<int>(random() % 4);  // min, max, default, or NaN
      s.setParam(static_cast<int>(p), pick == 0 ? pd.min : pick == 1 ? pd.max : pick == 2 ? pd.defaultValue : std::nan(""));
    }
    s.setParam("resonance", 1.0);  // the sharpest peak, always
    s.prepare(48000, 512);
    const Stereo out = render(s, busyPhrase(), 48000, 128, 2, 999);
    BOOST_TEST_CONTEXT("round " << round) {
      BOOST_TEST(s.faults() == 0);
      BOOST_TEST(test::peakOf(out.left) < 1000.0);
    }
  }
}

BOOST_AUTO_TEST_CASE(process_never_allocates_with_every_layer_on_and_while_settings_change) {
  PolySynth s;
  everything(s);
  s.prepare(48000, 128);
  const auto events = busyPhrase();
  std::vector<float> l(128), r(128);
  std::vector<NoteEvent> now;
  now.reserve(events.size());
  std::size_t next = 0;
  test::allocationsOnAudioThread = 0;
  for (std::int64_t at = 0; at < 48000 * 3; at += 128) {
    now.clear();
    while (next < events.size() && events[next].frame < at + 128)
      now.push_back({static_cast<std::int32_t>(events[next].frame - at), events[next].type, static_cast<std::uint8_t>(events[next].pitch), 1.0f}), ++next;
    if (at == 48000) s.setParam("unison", 8), s.setParam("filterSlope", 0), s.setParam("voiceMode", 0);
    if (at == 96000) s.setParam("osc2Level", 0), s.setParam("lfoSync", 1);
    float* outs[2] = {l.data(), r.data()};
    ProcessContext c;
    c.outputs = outs;
    c.outputChannels = 2;
    c.frames = 128;
    c.events = now.data();
    c.eventCount = static_cast<int>(now.size());
    test::inAudioThread = true;
    s.process(c);
    test::inAudioThread = false;
  }
  BOOST_TEST(test::allocationsOnAudioThread == 0);
}

BOOST_AUTO_TEST_CASE(silent_layers_leave_no_subnormal_filter_state) {
  // Every level at 0 (layered loop, exact zeros into the filters): the voice still runs its envelope,
  // and its output is exact zero, not a decaying subnormal tail.
  PolySynth s;
  s.setParam("osc1Level", 0);
  s.setParam("filterType", 1);
  s.prepare(48000, 512);
  const auto x = render(s, held(60), 48000).left;
  BOOST_TEST(test::peakOf(x) == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
