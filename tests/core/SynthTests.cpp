#include <boost/test/unit_test.hpp>

#include "Measure.h"
#include "devices/PolySynth.h"

using namespace mixdown;

namespace {

// Plays one note from frame 0 for `frames` frames (held) through a prepared synth.
std::vector<float> playNote(PolySynth& synth, int pitch, std::size_t frames, float velocity = 1.0f) {
  std::vector<float> out(frames);
  const int block = 512;
  for (std::size_t at = 0; at < frames; at += block) {
    int n = static_cast<int>(std::min<std::size_t>(block, frames - at));
    NoteEvent on{0, NoteEvent::Type::NoteOn, static_cast<std::uint8_t>(pitch), velocity};
    float* outs[1] = {out.data() + at};
    ProcessContext ctx;
    ctx.outputs = outs;
    ctx.outputChannels = 1;
    ctx.frames = n;
    ctx.events = &on;
    ctx.eventCount = at == 0 ? 1 : 0;
    synth.process(ctx);
  }
  return out;
}

// One block of `out.size()` frames with `events` through the synth.
void processBlock(PolySynth& synth, std::vector<float>& out, const std::vector<NoteEvent>& events = {}) {
  float* outs[1] = {out.data()};
  ProcessContext ctx;
  ctx.outputs = outs;
  ctx.outputChannels = 1;
  ctx.frames = static_cast<int>(out.size());
  ctx.events = events.data();
  ctx.eventCount = static_cast<int>(events.size());
  synth.process(ctx);
}

void openFilter(PolySynth& s) {
  s.setParam("cutoff", 20000);
  s.setParam("filterEnv", 0);
  s.setParam("resonance", 0);
  s.setParam("attack", 1);
  s.setParam("sustain", 1);
  s.setParam("volume", 0);
}

// Components of `x` above `floorDb` that are not harmonics of f0 (within two FFT bins).
std::vector<test::Peak> nonHarmonic(const std::vector<float>& x, double sr, double f0, double floorDb) {
  const std::size_t n = 1 << 16;
  auto peaks = test::spectralPeaks(x, x.size() - n, n, sr, floorDb);
  std::vector<test::Peak> bad;
  const double binHz = sr / n;
  for (const auto& p : peaks) {
    double k = std::round(p.hz / f0);
    if (k < 1 || std::fabs(p.hz - k * f0) > 2.5 * binHz) bad.push_back(p);
  }
  return bad;
}

double centsFromEqualTemperament(double hz, int pitch) {
  return 1200.0 * std::log2(hz / (440.0 * std::pow(2.0, (pitch - 69) / 12.0)));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(synth)

BOOST_AUTO_TEST_CASE(pitch_is_within_a_tenth_of_a_cent_of_equal_temperament) {
  for (double sr : {44100.0, 48000.0, 96000.0}) {
    for (int pitch : {69, 21, 45, 60, 81, 96, 108}) {
      PolySynth s;
      openFilter(s);
      s.setParam("wave", 0);  // sine
      s.prepare(sr, 512);
      auto x = playNote(s, pitch, static_cast<std::size_t>(sr * 2));
      double hz = test::zeroCrossingFrequency(x, sr, static_cast<std::size_t>(sr * 0.1));
      double cents = centsFromEqualTemperament(hz, pitch);
      BOOST_TEST_CONTEXT("sr " << sr << " pitch " << pitch << " measured " << hz << " Hz") {
        BOOST_TEST(std::fabs(cents) < 0.1);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a4_measures_440_hz) {
  PolySynth s;
  openFilter(s);
  s.setParam("wave", 0);
  s.prepare(48000, 512);
  auto x = playNote(s, 69, 96000);
  BOOST_TEST(test::zeroCrossingFrequency(x, 48000, 4800) == 440.0, boost::test_tools::tolerance(440.0 * 5.8e-5 / 440.0));
}

BOOST_AUTO_TEST_CASE(a_4_khz_saw_at_48_khz_has_no_alias_above_minus_60_dbfs) {
  // 4 kHz divides 48 kHz, so its aliases would land on harmonics; the detuned cases below put them
  // between harmonics where they can be seen. Every case must be clean.
  for (double hz : {4000.0, 3700.0, 4186.01, 2345.6, 5555.0}) {
    for (int wave : {2, 3, 1}) {
      PolySynth s;
      openFilter(s);
      s.setParam("wave", wave);
      // Pitch 107 is 3951 Hz; fine-tune and octave reach the target frequency.
      double semis = 12.0 * std::log2(hz / 440.0) + 69.0;
      int pitch = static_cast<int>(std::round(semis));
      s.setParam("detune", (semis - pitch) * 100.0);
      s.prepare(48000, 512);
      auto x = playNote(s, pitch, 48000 * 2);
      auto bad = nonHarmonic(x, 48000, hz, -60.0);
      BOOST_TEST_CONTEXT("wave " << wave << " at " << hz << " Hz") {
        BOOST_TEST(bad.empty());
        for (const auto& p : bad) BOOST_TEST_MESSAGE("  non-harmonic component at " << p.hz << " Hz: " << p.dbfs << " dBFS");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(the_alias_detector_catches_a_naive_saw) {
  // Guards the test above: a trivially generated saw at 3700 Hz must be flagged.
  std::vector<float> x(96000);
  double phase = 0;
  for (auto& v : x) {
    v = static_cast<float>(2 * phase - 1) * 0.5f;
    phase += 3700.0 / 48000.0;
    phase -= std::floor(phase);
  }
  BOOST_TEST(!nonHarmonic(x, 48000, 3700.0, -60.0).empty());
}

BOOST_AUTO_TEST_CASE(the_saw_keeps_its_harmonic_levels) {
  // A band-limited saw still has harmonic k at 2/(pi k) of full scale (filter open): check k = 1..5 at 1 kHz.
  PolySynth s;
  openFilter(s);
  s.setParam("wave", 2);
  // Butterworth (Q = 0.707) at 20 kHz: -0.02 dB at 5 kHz.
  s.setParam("resonance", std::log(std::sqrt(2.0)) / std::log(40.0));
  double semis = 12.0 * std::log2(1000.0 / 440.0) + 69.0;
  int pitch = static_cast<int>(std::round(semis));
  s.setParam("detune", (semis - pitch) * 100.0);
  s.prepare(96000, 512);
  auto x = playNote(s, pitch, 96000 * 2);
  for (int k = 1; k <= 5; ++k) {
    double level = test::levelAt(x, x.size() - (1 << 16), 1 << 16, 96000, 1000.0 * k);
    BOOST_TEST_CONTEXT("harmonic " << k << " at " << level << " dBFS") {
      BOOST_TEST(std::fabs(level - test::dB(2.0 / (test::kPi * k))) < 0.05);
    }
  }
}

BOOST_AUTO_TEST_CASE(sixteen_notes_sound_at_once) {
  PolySynth s;
  s.prepare(48000, 512);
  std::vector<NoteEvent> events;
  for (int i = 0; i < 16; ++i) events.push_back({0, NoteEvent::Type::NoteOn, static_cast<std::uint8_t>(48 + i), 0.8f});
  std::vector<float> out(512);
  processBlock(s, out, events);
  BOOST_TEST(s.activeVoices() == 16);
}

BOOST_AUTO_TEST_CASE(velocity_scales_the_level) {
  auto level = [](float velocity) {
    PolySynth s;
    openFilter(s);
    s.setParam("wave", 0);
    s.setParam("velocity", 1.0);
    s.prepare(48000, 512);
    auto x = playNote(s, 69, 48000, velocity);
    return test::peakOf(x, 24000);
  };
  BOOST_TEST(level(0.5f) / level(1.0f) == 0.5, boost::test_tools::tolerance(0.01));
}

BOOST_AUTO_TEST_CASE(tails_end_and_the_voice_frees_itself) {
  PolySynth s;
  s.setParam("release", 50);
  s.prepare(48000, 512);
  std::vector<float> out(512);
  float* outs[1] = {out.data()};
  NoteEvent ev[2] = {{0, NoteEvent::Type::NoteOn, 60, 1.0f}, {100, NoteEvent::Type::NoteOff, 60, 0.0f}};
  ProcessContext ctx;
  ctx.outputs = outs;
  ctx.outputChannels = 1;
  ctx.frames = 512;
  ctx.events = ev;
  ctx.eventCount = 2;
  s.process(ctx);
  ctx.eventCount = 0;
  for (int i = 0; i < 20; ++i) s.process(ctx);  // 10240 samples > 50 ms release to -100 dB
  BOOST_TEST(s.activeVoices() == 0);
  BOOST_TEST(test::peakOf(out) == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(synth_voices)

BOOST_AUTO_TEST_CASE(a_seventeenth_note_steals_the_oldest_voice_and_stays_finite) {
  // Two identical synths get 17 notes; one then gets a note-off for the first (stolen) pitch.
  PolySynth s, twin;
  for (PolySynth* p : {&s, &twin}) {
    p->setParam("release", 5000);  // long releases: nothing frees itself during the test
    p->prepare(48000, 512);
  }
  std::vector<NoteEvent> events;
  for (int i = 0; i < 17; ++i) events.push_back({i * 10, NoteEvent::Type::NoteOn, static_cast<std::uint8_t>(40 + i), 0.8f});
  std::vector<float> out(512), twinOut(512);
  processBlock(s, out, events);
  processBlock(twin, twinOut, events);
  BOOST_TEST(s.activeVoices() == 16);
  BOOST_TEST(s.faults() == 0);
  processBlock(s, out, {{0, NoteEvent::Type::NoteOff, 40, 0.0f}});
  processBlock(twin, twinOut);
  BOOST_TEST(out == twinOut);  // pitch 40 had no voice left to release
}

BOOST_AUTO_TEST_SUITE_END()
