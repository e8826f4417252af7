// The wheels of a live keyboard (NoteEvent::PitchBend and ModWheel, Engine::liveControl): the synth and
// the sampler bend by their "bendRange" (2 semitones by default) in tune, glide there without a step,
// render the same whatever the block size, and are bit for bit unchanged while the wheels rest; the
// synth's mod wheel adds a 5.5 Hz vibrato of up to +-0.5 semitone; the sampler ignores the mod wheel; the
// engine hands wheels to a track's instrument through its live ring without allocating.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "AllocationCounter.h"
#include "DeviceRender.h"
#include "Measure.h"
#include "Projects.h"
#include "devices/PolySynth.h"
#include "devices/Sampler.h"
#include "engine/AssetPcm.h"
#include "engine/Engine.h"

using namespace mixdown;

namespace {

constexpr double kRate = 48000;

using Timed = test::TimedEvent;

// Renders `frames` frames of `device` in blocks of `block` (0: random sizes 1..512 from `seed`), the left
// channel, with the events at their frames, as on the audio thread (allocations counted).
std::vector<float> render(Device& device, const std::vector<Timed>& events, std::size_t frames, int block = 128, unsigned seed = 1,
                          int channels = 1) {
  return test::renderDevice(device, events, frames, {block, seed, channels}).left;
}

Timed noteOn(std::int64_t frame, int pitch) { return {frame, {0, NoteEvent::Type::NoteOn, static_cast<std::uint8_t>(pitch), 1.0f}}; }
Timed bend(std::int64_t frame, float value) { return {frame, {0, NoteEvent::Type::PitchBend, 0, value}}; }
Timed mod(std::int64_t frame, float value) { return {frame, {0, NoteEvent::Type::ModWheel, 0, value}}; }

std::unique_ptr<PolySynth> sineSynth() {
  auto s = std::make_unique<PolySynth>();
  s->prepare(kRate, 512);
  s->setParam("wave", 0);  // sine: one zero crossing up per cycle
  s->setParam("cutoff", 20000);
  s->setParam("filterEnv", 0);
  s->setParam("resonance", 0);
  s->setParam("attack", 1);
  s->setParam("sustain", 1);
  s->reset();
  return s;
}

double cents(double hz, double expected) { return 1200.0 * std::log2(hz / expected); }

// Frequency (Hz) over frames [from, to) by upward zero crossings.
double hzBetween(const std::vector<float>& x, std::size_t from, std::size_t to) {
  return test::zeroCrossingFrequency(std::vector<float>(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(to)), kRate, from);
}

std::shared_ptr<AssetPcm> sinePcm(double hz, std::size_t frames) {
  auto pcm = std::make_shared<AssetPcm>();
  pcm->id = "a";
  pcm->sampleRate = kRate;
  pcm->channels = {std::vector<float>(frames)};
  for (std::size_t i = 0; i < frames; ++i) pcm->channels[0][i] = static_cast<float>(0.5 * std::sin(2 * test::kPi * hz * static_cast<double>(i) / kRate));
  return pcm;
}

std::unique_ptr<Sampler> sineSampler(const std::shared_ptr<AssetPcm>& pcm) {
  auto s = std::make_unique<Sampler>();
  s->prepare(kRate, 512);
  Sampler::Zone z;
  z.owner = pcm;
  z.channels = 1;
  z.data[0] = pcm->channels[0].data();
  z.frames = pcm->frames();
  s->setZones({z});
  s->setParam("velocity", 0.0);
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(wheels)

BOOST_AUTO_TEST_CASE(the_synth_bends_by_its_range_in_tune_within_half_a_cent) {
  // A4 = 440 Hz; a full wheel up is +2 semitones (493.88 Hz), down -2 (392.00 Hz); a 12-semitone range an octave.
  struct Case { double range; float wheel; double expected; };
  for (const Case c : {Case{2, 1.0f, 493.8833}, Case{2, -1.0f, 391.9954}, Case{2, 0.5f, 466.1638}, Case{12, 1.0f, 880.0}, Case{12, -1.0f, 220.0}}) {
    auto s = sineSynth();
    s->setParam("bendRange", c.range);
    const auto out = render(*s, {noteOn(0, 69), bend(4800, c.wheel)}, 48000);
    const double before = hzBetween(out, 2000, 4800), after = hzBetween(out, 9600, 48000);
    BOOST_TEST_MESSAGE("range " << c.range << " st, wheel " << c.wheel << ": " << before << " Hz -> " << after << " Hz (expected " << c.expected << ")");
    BOOST_TEST(std::fabs(cents(before, 440.0)) < 0.5);
    BOOST_TEST(std::fabs(cents(after, c.expected)) < 0.5);
  }
}

BOOST_AUTO_TEST_CASE(the_synth_glides_to_a_bend_over_five_ms_and_a_wheel_at_rest_changes_no_bit) {
  // Halfway through the 5 ms glide (240 frames) the pitch is between the two notes, not at either.
  auto s = sineSynth();
  const auto out = render(*s, {noteOn(0, 69), bend(4800, 1.0f)}, 9600);
  const double early = hzBetween(out, 4800, 4800 + 240);
  BOOST_TEST_MESSAGE("during the glide: " << early << " Hz");
  BOOST_TEST(early > 441.0);
  BOOST_TEST(early < 492.0);
  // Wheels sent at rest (centre, mod 0) leave the output bit-identical to none at all.
  auto a = sineSynth(), b = sineSynth();
  const auto plain = render(*a, {noteOn(0, 69)}, 24000);
  const auto rested = render(*b, {noteOn(0, 69), bend(1000, 0.0f), mod(2000, 0.0f)}, 24000);
  BOOST_TEST(plain == rested);
  // Bent and back to centre: after the glide the pitch is A4 again.
  auto c = sineSynth();
  const auto back = render(*c, {noteOn(0, 69), bend(4800, 1.0f), bend(24000, 0.0f)}, 48000);
  BOOST_TEST(std::fabs(cents(hzBetween(back, 26000, 48000), 440.0)) < 0.5);
}

BOOST_AUTO_TEST_CASE(bends_and_the_mod_wheel_render_the_same_at_every_block_size) {
  const std::vector<Timed> events = {noteOn(0, 60), noteOn(100, 67), bend(3001, 0.7f), mod(5003, 1.0f), bend(9000, -0.3f), mod(15000, 0.2f)};
  auto reference = sineSynth();
  const auto ref = render(*reference, events, 24000, 128);
  for (const int block : {1, 17, 512, 0}) {
    auto s = sineSynth();
    test::allocationsOnAudioThread = 0;
    const auto out = render(*s, events, 24000, block, 7);
    BOOST_TEST_INFO("block " << block << " (0: random splits, seed 7)");
    BOOST_TEST(out == ref);
    BOOST_TEST(test::allocationsOnAudioThread == 0);
  }
  auto sampler = sineSampler(sinePcm(440.0, 48000));
  const auto sref = render(*sampler, events, 24000, 128, 1, 2);
  for (const int block : {1, 17, 512, 0}) {
    auto s = sineSampler(sinePcm(440.0, 48000));
    BOOST_TEST_INFO("sampler, block " << block);
    BOOST_TEST(render(*s, events, 24000, block, 7, 2) == sref);
  }
}

BOOST_AUTO_TEST_CASE(the_mod_wheel_adds_a_vibrato_of_half_a_semitone_at_five_and_a_half_hz) {
  auto s = sineSynth();
  const std::size_t frames = 96000;
  const auto out = render(*s, {noteOn(0, 69), mod(0, 1.0f)}, frames);
  // The pitch cycle by cycle (upward zero crossings), from 0.1 s on (the wheel's glide is over).
  std::vector<double> crossings;
  for (std::size_t i = 4800; i < frames; ++i)
    if (out[i - 1] < 0.0f && out[i] >= 0.0f) crossings.push_back(static_cast<double>(i - 1) + out[i - 1] / (out[i - 1] - out[i]));
  double lo = 1e9, hi = 0;
  int swings = 0;  // upward passes through 440 Hz: one per vibrato cycle
  double previous = 0;
  for (std::size_t k = 1; k < crossings.size(); ++k) {
    const double st = 12.0 * std::log2(kRate / (crossings[k] - crossings[k - 1]) / 440.0);
    lo = std::min(lo, st);
    hi = std::max(hi, st);
    if (k > 1 && previous < 0.0 && st >= 0.0) ++swings;
    previous = st;
  }
  const double seconds = (crossings.back() - crossings.front()) / kRate;
  BOOST_TEST_MESSAGE("vibrato: " << lo << " .. " << hi << " st, " << swings / seconds << " Hz");
  // Each cycle's pitch averages the vibrato over 2.3 ms of a 182 ms period: within 0.01 st of its peak.
  BOOST_TEST(hi > 0.48);
  BOOST_TEST(hi < 0.52);
  BOOST_TEST(lo < -0.48);
  BOOST_TEST(lo > -0.52);
  BOOST_TEST(std::fabs(swings / seconds - 5.5) < 0.3);
  // Back at rest, the pitch is A4 again.
  auto r = sineSynth();
  const auto rest = render(*r, {noteOn(0, 69), mod(0, 1.0f), mod(24000, 0.0f)}, 72000);
  BOOST_TEST(std::fabs(cents(hzBetween(rest, 30000, 72000), 440.0)) < 0.5);
}

BOOST_AUTO_TEST_CASE(the_sampler_bends_by_its_range_and_ignores_the_mod_wheel) {
  const auto pcm = sinePcm(440.0, 4 * 48000);
  for (const float wheel : {1.0f, -1.0f}) {
    auto s = sineSampler(pcm);
    const auto out = render(*s, {noteOn(0, 60), bend(4800, wheel)}, 48000, 128, 1, 2);
    const double expected = 440.0 * std::pow(2.0, 2.0 * wheel / 12.0);
    const double after = hzBetween(out, 9600, 48000);
    BOOST_TEST_MESSAGE("sampler, wheel " << wheel << ": " << after << " Hz (expected " << expected << ")");
    BOOST_TEST(std::fabs(cents(after, expected)) < 0.5);
  }
  auto a = sineSampler(pcm), b = sineSampler(pcm);
  const auto plain = render(*a, {noteOn(0, 60)}, 24000, 128, 1, 2);
  const auto modded = render(*b, {noteOn(0, 60), mod(100, 1.0f), bend(200, 0.0f)}, 24000, 128, 1, 2);
  BOOST_TEST(plain == modded);
}

BOOST_AUTO_TEST_CASE(the_engine_hands_live_wheels_to_a_tracks_instrument_without_allocating) {
  Project p;
  p.tempo = 120;
  p.tracks.push_back(test::synthTrack("keys", {{"wave", 0}, {"cutoff", 20000}, {"filterEnv", 0}, {"attack", 1}, {"sustain", 1}}));
  Engine e(kRate, 128);
  e.setProject(p, {});
  BOOST_TEST(!e.liveControl("nope", Engine::LiveControl::PitchBend, 1.0));
  BOOST_TEST(!e.liveControl("keys", Engine::LiveControl::PitchBend, std::nan("")));
  BOOST_REQUIRE(e.liveNote("keys", 69, 1.0));
  BOOST_REQUIRE(e.liveControl("keys", Engine::LiveControl::PitchBend, 5.0));  // clamped to a full wheel
  std::vector<float> l(128), r(128), out;
  test::allocationsOnAudioThread = 0;
  for (int b = 0; b < 375; ++b) {
    test::inAudioThread = true;
    e.process(l.data(), r.data(), 128);
    test::inAudioThread = false;
    out.insert(out.end(), l.begin(), l.end());
  }
  const double hz = hzBetween(out, 4800, out.size());
  BOOST_TEST_MESSAGE("engine, live A4 with the wheel up: " << hz << " Hz");
  BOOST_TEST(std::fabs(cents(hz, 493.8833)) < 0.5);
  BOOST_TEST(test::allocationsOnAudioThread == 0);
}

BOOST_AUTO_TEST_SUITE_END()
