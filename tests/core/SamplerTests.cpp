// The sampler (mixdown.sampler): pitch from the root key, the interpolation's aliases, seamless loops,
// velocity and key ranges, choke groups, the ADSR's shape, one-shot against gated, block-size
// independence, no allocation in process(), and zones in the project (JSON, validation, the engine).
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "AllocationCounter.h"
#include "DeviceRender.h"
#include "Measure.h"
#include "devices/Registry.h"
#include "devices/Sampler.h"
#include "engine/AssetPcm.h"
#include "engine/Engine.h"
#include "engine/OfflineRender.h"
#include "model/ProjectJson.h"

using namespace mixdown;

namespace {

constexpr double kRate = 48000;

struct Event {
  std::int64_t frame;
  int pitch;
  float velocity;  // 0: note-off
};

using Stereo = test::StereoRender;

// Audio for a zone: one or two channels at kRate.
std::shared_ptr<AssetPcm> pcmOf(std::vector<std::vector<float>> channels) {
  auto pcm = std::make_shared<AssetPcm>();
  pcm->id = "a";
  pcm->sampleRate = kRate;
  pcm->channels = std::move(channels);
  return pcm;
}

std::vector<float> sine(std::size_t n, double hz, double amplitude = 0.5, double rate = kRate) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<float>(amplitude * std::sin(2 * test::kPi * hz * static_cast<double>(i) / rate));
  return x;
}

Sampler::Zone zoneOf(const std::shared_ptr<AssetPcm>& pcm, SampleZone spec = {}) {
  Sampler::Zone z;
  z.spec = spec;
  z.owner = pcm;
  z.channels = static_cast<int>(pcm->channels.size());
  for (int c = 0; c < z.channels; ++c) z.data[c] = pcm->channels[static_cast<std::size_t>(c)].data();
  z.frames = pcm->frames();
  return z;
}

std::unique_ptr<Sampler> samplerOf(std::vector<Sampler::Zone> zones, int maxBlock = 512) {
  auto s = std::make_unique<Sampler>();
  s->prepare(kRate, maxBlock);
  s->setZones(std::move(zones));
  s->setParam("velocity", 0.0);  // unity gain whatever the velocity, unless a test wants it
  return s;
}

// Renders `frames` frames in blocks of `block` (0: random sizes 1..512 from `seed`), events at their frames.
// process() runs as on the audio thread (its allocations counted in test::allocationsOnAudioThread).
Stereo render(Sampler& s, const std::vector<Event>& events, std::size_t frames, int block = 128, unsigned seed = 1) {
  std::vector<test::TimedEvent> timed;
  for (const Event& e : events)
    timed.push_back({e.frame, {0, e.velocity > 0 ? NoteEvent::Type::NoteOn : NoteEvent::Type::NoteOff, static_cast<std::uint8_t>(e.pitch), e.velocity}});
  return test::renderDevice(s, timed, frames, {block, seed, 2});
}

double cents(double measured, double expected) { return 1200.0 * std::log2(measured / expected); }

double rms(const std::vector<float>& x, std::size_t from, std::size_t to) {
  double sum = 0;
  for (std::size_t i = from; i < to; ++i) sum += static_cast<double>(x[i]) * x[i];
  return std::sqrt(sum / static_cast<double>(to - from));
}

// A song of one sampler track playing `zone` (asset "tone", described at `assetRate` with `assetFrames`)
// with one note.
Project samplerSong(const SampleZone& zone, double assetRate, std::int64_t assetFrames, const Note& note) {
  Project p;
  p.assets.push_back({"tone", "tone.wav", "", assetRate, 1, assetFrames, "tone.wav"});
  Track t;
  t.id = "s";
  t.kind = TrackKind::Instrument;
  DeviceState d;
  d.type = "mixdown.sampler";
  d.zones = {zone};
  t.instrument = d;
  Clip c;
  c.length = 16;
  c.notes = {note};
  t.clips = {c};
  p.tracks = {t};
  return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sampler)

BOOST_AUTO_TEST_CASE(root_key_60_played_at_72_is_twice_the_frequency_within_a_tenth_of_a_cent) {
  auto pcm = pcmOf({sine(4 * 48000, 440.0)});
  for (const int key : {60, 72, 67, 55}) {
    auto s = samplerOf({zoneOf(pcm)});
    const Stereo out = render(*s, {{0, key, 1.0f}}, 48000);
    const double expected = 440.0 * std::pow(2.0, (key - 60) / 12.0);
    const double hz = test::zeroCrossingFrequency(out.left, kRate, 2000);
    BOOST_TEST_MESSAGE("key " << key << ": " << hz << " Hz (expected " << expected << ", " << cents(hz, expected) << " ct)");
    BOOST_TEST(std::fabs(cents(hz, expected)) < 0.1);
  }
}

BOOST_AUTO_TEST_CASE(a_sample_played_an_octave_up_keeps_its_aliases_80_db_down) {
  // 3 kHz (wanted) and 17 kHz: an octave up (and 37 ct, so every tap falls between samples), 17 kHz
  // becomes 34.7 kHz, above Nyquist, and would fold back to 13.3 kHz unless the kernel removes it.
  std::vector<float> x = sine(3 * 48000, 3000.0, 0.45);
  const std::vector<float> high = sine(x.size(), 17000.0, 0.45);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] += high[i];
  auto pcm = pcmOf({x});
  for (const double tune : {0.0, 37.0}) {
    SampleZone spec;
    spec.tuneCents = tune;
    auto s = samplerOf({zoneOf(pcm, spec)});
    const Stereo out = render(*s, {{0, 72, 1.0f}}, 40000);
    const double ratio = std::pow(2.0, (1200.0 + tune) / 1200.0);
    const double wantedHz = 3000.0 * ratio;
    const std::size_t n = 32768;
    const double wanted = test::levelAt(out.left, 4000, n, kRate, wantedHz);
    double worst = -300, worstHz = 0;
    for (const test::Peak& p : test::spectralPeaks(out.left, 4000, n, kRate, -200))
      if (std::fabs(p.hz - wantedHz) > 60.0 && p.dbfs > worst) {
        worst = p.dbfs;
        worstHz = p.hz;
      }
    BOOST_TEST_MESSAGE("tune +" << 1200 + tune << " ct: wanted " << wantedHz << " Hz at " << wanted << " dBFS; worst other component "
                                << worst - wanted << " dB at " << worstHz << " Hz; level at the fold-back frequency "
                                << test::levelAt(out.left, 4000, n, kRate, kRate - 17000.0 * ratio) - wanted << " dB");
    BOOST_TEST(wanted > -10.0);  // the wanted tone is there (0.45 at -3.01 dB pan: about -9.9 dBFS)
    BOOST_TEST(worst - wanted < -80.0);
  }
}

BOOST_AUTO_TEST_CASE(a_forward_loop_over_whole_sine_periods_is_seamless) {
  // A 480 Hz sine (100 samples a period) looped over 10 periods; after the loop's end the audio is noise,
  // so a seam that read past the end (or jumped) would show a step far above the sine's own.
  const std::size_t period = 100, loopStart = 2000, loopEnd = loopStart + 10 * period;
  std::vector<float> x = sine(loopEnd, 480.0);
  std::mt19937 random(7);
  std::uniform_real_distribution<float> noise(-1.0f, 1.0f);
  for (int i = 0; i < 4000; ++i) x.push_back(noise(random));
  auto pcm = pcmOf({x});
  SampleZone spec;
  spec.loop = ZoneLoop::Forward;
  spec.loopStart = loopStart;
  spec.loopEnd = loopEnd;
  for (const int key : {60, 61, 53}) {
    auto s = samplerOf({zoneOf(pcm, spec)});
    const Stereo out = render(*s, {{0, key, 1.0f}}, 48000);
    const double ratio = std::pow(2.0, (key - 60) / 12.0);
    const double amplitude = test::peakOf(out.left, 24000);
    // The sine's own largest step at this pitch: amplitude * 2 sin(pi f / fs).
    const double ownStep = amplitude * 2.0 * std::sin(test::kPi * 480.0 * ratio / kRate);
    double largest = 0;
    for (std::size_t i = 3000; i < out.left.size(); ++i) largest = std::max(largest, std::fabs(static_cast<double>(out.left[i] - out.left[i - 1])));
    BOOST_TEST_MESSAGE("key " << key << ": largest step " << largest << ", the sine's own " << ownStep << " (amplitude " << amplitude << ")");
    BOOST_TEST(amplitude > 0.3);
    BOOST_TEST(largest <= ownStep * 1.001);
    BOOST_TEST(std::fabs(cents(test::zeroCrossingFrequency(out.left, kRate, 3000), 480.0 * ratio)) < 0.1);
  }
}

BOOST_AUTO_TEST_CASE(ping_pong_and_crossfaded_loops_keep_sounding_and_stay_finite) {
  std::vector<float> x = sine(20000, 331.0);
  auto pcm = pcmOf({x});
  SampleZone pingPong;
  pingPong.loop = ZoneLoop::PingPong;
  pingPong.loopStart = 5000;
  pingPong.loopEnd = 9000;
  SampleZone faded;
  faded.loop = ZoneLoop::Forward;
  faded.loopStart = 5000;
  faded.loopEnd = 9000;
  faded.crossfade = 1000;
  for (const SampleZone& spec : {pingPong, faded}) {
    auto s = samplerOf({zoneOf(pcm, spec)});
    const Stereo out = render(*s, {{0, 64, 1.0f}}, 5 * 48000, 0);
    // Long past the audio's end (20000 frames at 1.26x), the loop still sounds at the sine's level.
    const double level = rms(out.left, 4 * 48000, 5 * 48000);
    BOOST_TEST_MESSAGE("loop mode " << static_cast<int>(spec.loop) << ": rms " << level << " in the fifth second");
    BOOST_TEST(level > 0.5 * 0.7071 * 0.7071 * 0.8);
    for (float v : out.left) BOOST_REQUIRE(std::isfinite(v));
  }
}

BOOST_AUTO_TEST_CASE(velocity_and_key_ranges_pick_the_right_zone) {
  auto soft = pcmOf({sine(48000, 300.0)});
  auto loud = pcmOf({sine(48000, 600.0)});
  auto high = pcmOf({sine(48000, 900.0)});
  SampleZone a, b, c;
  a.highKey = b.highKey = 59;
  a.lowVelocity = 1, a.highVelocity = 63;
  b.lowVelocity = 64, b.highVelocity = 127;
  c.lowKey = 60;
  c.rootKey = 60;
  a.rootKey = b.rootKey = 59;
  struct Case {
    int key;
    float velocity;
    double hz;
  };
  for (const Case& k : {Case{59, 0.3f, 300.0}, Case{59, 63.0f / 127, 300.0}, Case{59, 64.0f / 127, 600.0}, Case{59, 1.0f, 600.0}, Case{60, 0.3f, 900.0}}) {
    auto s = samplerOf({zoneOf(soft, a), zoneOf(loud, b), zoneOf(high, c)});
    const Stereo out = render(*s, {{0, k.key, k.velocity}}, 24000);
    const double hz = test::zeroCrossingFrequency(out.left, kRate, 1000);
    BOOST_TEST_MESSAGE("key " << k.key << " velocity " << k.velocity * 127 << ": " << hz << " Hz");
    BOOST_TEST(std::fabs(cents(hz, k.hz)) < 1.0);
    BOOST_TEST(s->activeVoices() == 1);
  }
}

BOOST_AUTO_TEST_CASE(a_choke_group_cuts_the_voices_it_names_within_5_ms) {
  auto tone = pcmOf({sine(96000, 500.0)});
  auto silence = pcmOf({std::vector<float>(96000, 0.0f)});
  SampleZone open, closed;
  open.lowKey = open.highKey = open.rootKey = 46;
  open.oneShot = true;
  closed.lowKey = closed.highKey = closed.rootKey = 42;
  closed.oneShot = true;
  closed.group = 1;
  for (const bool chokes : {true, false}) {
    open.offBy = chokes ? 1 : 0;
    auto s = samplerOf({zoneOf(tone, open), zoneOf(silence, closed)});
    const std::int64_t hit = 10000;
    const Stereo out = render(*s, {{0, 46, 1.0f}, {hit, 42, 1.0f}}, 30000);
    const std::size_t cut = static_cast<std::size_t>(hit) + 240;  // 5 ms at 48 kHz
    const double after = test::peakOf(out.left, cut);
    BOOST_TEST_MESSAGE((chokes ? "off_by 1" : "no off_by") << ": peak before the hit " << test::peakOf(out.left, 0, hit) << ", from 5 ms after it "
                                                        << after);
    BOOST_TEST(test::peakOf(out.left, 0, static_cast<std::size_t>(hit)) > 0.3);
    if (chokes) BOOST_TEST(after == 0.0);
    else BOOST_TEST(after > 0.3);
  }
}

BOOST_AUTO_TEST_CASE(the_amplitude_envelope_has_its_set_attack_decay_sustain_and_release) {
  auto dc = pcmOf({std::vector<float>(5 * 48000, 1.0f)});
  SampleZone spec;
  spec.attackMs = 10;
  spec.decayMs = 100;
  spec.sustain = 0.5;
  spec.releaseMs = 200;
  spec.pan = -1;  // hard left: the left channel is the envelope itself (cos 0 = 1)
  auto s = samplerOf({zoneOf(dc, spec)});
  const std::int64_t off = 48000;
  const Stereo out = render(*s, {{0, 60, 1.0f}, {off, 60, 0.0f}}, 96000);
  const auto& y = out.left;
  auto at = [&](double ms) { return static_cast<double>(y[static_cast<std::size_t>(ms * 48.0)]); };
  BOOST_TEST_MESSAGE("5 ms " << at(5) << ", 10 ms " << at(10) << ", 110 ms " << at(110) << ", 900 ms " << at(900) << ", release +200 ms "
                             << at(1200) << ", right channel " << test::peakOf(out.right));
  // The attack is linear, 1/480 a sample from the first (frame 240 is step 241): half way at 5 ms, full
  // at 10 ms (within the kernel's DC ripple, 1e-3).
  BOOST_TEST(std::fabs(at(5) - 241.0 / 480) < 1e-3);
  BOOST_TEST(std::fabs(at(10) - 1.0) < 2e-3);
  // The decay covers 60 dB of its distance to the sustain level in 100 ms.
  BOOST_TEST(std::fabs(at(110) - (0.5 + 0.5e-3)) < 1e-3);
  BOOST_TEST(std::fabs(at(900) - 0.5) < 1e-3);
  // The release falls 60 dB in 200 ms, then the voice ends.
  BOOST_TEST(std::fabs(at(1200) - 0.5e-3) < 1e-4);
  BOOST_TEST(test::peakOf(y, 48000 + 48 * 400) == 0.0);
  BOOST_TEST(test::peakOf(out.right) < 1e-7);
}

BOOST_AUTO_TEST_CASE(a_one_shot_zone_plays_to_its_end_and_a_gated_one_stops_at_its_release) {
  auto tone = pcmOf({sine(24000, 500.0)});  // 0.5 s
  for (const bool oneShot : {true, false}) {
    SampleZone spec;
    spec.oneShot = oneShot;
    spec.releaseMs = 10;
    auto s = samplerOf({zoneOf(tone, spec)});
    const Stereo out = render(*s, {{0, 60, 1.0f}, {4800, 60, 0.0f}}, 48000);
    std::size_t last = 0;
    for (std::size_t i = 0; i < out.left.size(); ++i)
      if (out.left[i] != 0.0f) last = i;
    BOOST_TEST_MESSAGE((oneShot ? "one-shot" : "gated") << ": last sounding frame " << last);
    if (oneShot) BOOST_TEST((last > 23900 && last < 24000 + Sampler::kHalfWidth));
    else BOOST_TEST((last > 4800 + 48 * 10 && last < 4800 + 48 * 17));  // -60 dB at 10 ms, ended at -100 dB (16.7 ms)
  }
}

BOOST_AUTO_TEST_CASE(release_triggers_play_at_the_note_off) {
  auto tone = pcmOf({sine(24000, 500.0)});
  SampleZone spec;
  spec.trigger = ZoneTrigger::Release;
  auto s = samplerOf({zoneOf(tone, spec)});
  const Stereo out = render(*s, {{0, 60, 1.0f}, {10000, 60, 0.0f}}, 20000);
  BOOST_TEST(test::peakOf(out.left, 0, 10000) == 0.0);
  BOOST_TEST(test::peakOf(out.left, 10000) > 0.3);
}

BOOST_AUTO_TEST_CASE(thirty_two_voices_sound_at_once) {
  auto tone = pcmOf({sine(48000, 200.0)});
  auto s = samplerOf({zoneOf(tone)});
  std::vector<Event> events;
  for (int k = 0; k < 40; ++k) events.push_back({k, 40 + k, 1.0f});
  render(*s, events, 1000);
  BOOST_TEST(s->activeVoices() == Sampler::kVoices);
  BOOST_TEST(Sampler::kVoices >= 32);
}

BOOST_AUTO_TEST_CASE(output_does_not_depend_on_the_block_size_and_process_never_allocates) {
  std::vector<float> x = sine(30000, 317.0);
  auto stereo = pcmOf({x, sine(30000, 211.0)});
  SampleZone looped;
  looped.loop = ZoneLoop::Forward;
  looped.loopStart = 10000;
  looped.loopEnd = 20000;
  looped.crossfade = 500;
  looped.releaseMs = 300;
  SampleZone pp = looped;
  pp.crossfade = 0;
  pp.loop = ZoneLoop::PingPong;
  pp.lowKey = 70;
  looped.highKey = 69;
  std::vector<Event> events;
  for (int k = 0; k < 60; ++k) {
    events.push_back({k * 1500, 50 + (k * 7) % 40, 0.2f + 0.013f * k});
    events.push_back({k * 1500 + 9000, 50 + (k * 7) % 40, 0.0f});
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.frame < b.frame; });
  Stereo reference;
  for (const int block : {128, 1, 17, 512, 0}) {
    auto s = samplerOf({zoneOf(stereo, looped), zoneOf(stereo, pp)});
    test::allocationsOnAudioThread = 0;
    const Stereo out = render(*s, events, 120000, block, 3);
    BOOST_TEST(test::allocationsOnAudioThread == 0);
    if (block == 128) {
      reference = out;
      BOOST_TEST(test::peakOf(out.left) > 0.1);
    } else {
      BOOST_TEST((out.left == reference.left && out.right == reference.right), "block " << block << " differs");
    }
  }
}

BOOST_AUTO_TEST_CASE(zones_read_write_and_validate_with_json_paths) {
  const std::string text = R"({"format": "mixdown-project", "version": 2, "tempo": 120,
    "assets": [{"id": "kick", "name": "kick.wav", "sampleRate": 44100, "channels": 1, "frames": 1000, "path": "kick.wav"}],
    "tracks": [{"id": "s", "name": "Kit", "kind": "instrument",
      "instrument": {"type": "mixdown.sampler", "params": {"volume": -3},
        "zones": [{"asset": "kick", "rootKey": 36, "lowKey": 36, "highKey": 36, "lowVelocity": 1, "highVelocity": 100,
                   "start": 10, "end": 900, "loop": {"mode": "pingpong", "start": 100, "end": 800}, "tune": -20, "gainDb": -6,
                   "pan": 0.25, "attack": 1, "decay": 50, "sustain": 0.5, "release": 80, "group": 2, "offBy": 3, "trigger": "legato"}]},
      "clips": []}]})";
  ProjectLoad load = parseProject(text);
  BOOST_TEST_REQUIRE(load.ok(), load.errorText());
  const SampleZone& z = load.project.tracks[0].instrument->zones.at(0);
  BOOST_TEST(z.rootKey == 36);
  BOOST_TEST(z.highVelocity == 100);
  BOOST_TEST(z.end == 900);
  BOOST_TEST((z.loop == ZoneLoop::PingPong));
  BOOST_TEST(z.loopEnd == 800);
  BOOST_TEST(z.tuneCents == -20.0);
  BOOST_TEST((z.trigger == ZoneTrigger::Legato));
  BOOST_TEST(z.offBy == 3);
  const ProjectLoad again = parseProject(writeProject(load.project));
  BOOST_TEST_REQUIRE(again.ok(), again.errorText());
  BOOST_TEST((again.project == load.project));

  struct Bad {
    std::string from, to, path;
  };
  for (const Bad& b : {Bad{"\"rootKey\": 36", "\"rootKey\": 128", "tracks[0].instrument.zones[0].rootKey"},
                       Bad{"\"asset\": \"kick\", \"rootKey\"", "\"asset\": \"snare\", \"rootKey\"", "tracks[0].instrument.zones[0].asset"},
                       Bad{"\"end\": 900", "\"end\": 1001", "tracks[0].instrument.zones[0].end"},
                       Bad{"\"mode\": \"pingpong\"", "\"mode\": \"sideways\"", "tracks[0].instrument.zones[0].loop.mode"},
                       Bad{"\"end\": 800", "\"end\": 50", "tracks[0].instrument.zones[0].loop.end"},
                       Bad{"\"highVelocity\": 100", "\"highVelocity\": 0", "tracks[0].instrument.zones[0].highVelocity"},
                       Bad{"\"trigger\": \"legato\"", "\"trigger\": 3", "tracks[0].instrument.zones[0].trigger"},
                       Bad{"mixdown.sampler", "mixdown.polysynth", "tracks[0].instrument.zones"}}) {
    std::string broken = text;
    broken.replace(broken.find(b.from), b.from.size(), b.to);
    const ProjectLoad bad = parseProject(broken);
    BOOST_TEST(!bad.ok());
    BOOST_TEST(bad.errorText().find(b.path + ":") != std::string::npos, b.to << " -> " << bad.errorText());
  }
}

BOOST_AUTO_TEST_CASE(the_engine_plays_a_sampler_track_from_its_assets_at_their_own_rate) {
  // The asset is described at 24 kHz and decoded (as a host resamples) to the engine's 48 kHz: a zone's
  // end, counted in the asset's frames, lands at twice the frames in the render.
  SampleZone z;
  z.asset = "tone";
  z.end = 6000;  // 0.25 s of the asset
  z.oneShot = true;
  const Project p = samplerSong(z, 24000.0, 12000, {72, 1.0, 0.0, 0.1});
  BOOST_TEST_REQUIRE(validateProject(p).empty());
  AssetLibrary assets;
  auto pcm = pcmOf({sine(24000, 440.0)});
  pcm->id = "tone";
  assets["tone"] = pcm;
  const auto out = renderOffline(p, assets, kRate, 48000, 128);
  std::size_t last = 0;
  for (std::size_t i = 0; i < out[0].size(); ++i)
    if (out[0][i] != 0.0f) last = i;
  const double hz = test::zeroCrossingFrequency(std::vector<float>(out[0].begin(), out[0].begin() + 5000), kRate, 100);
  BOOST_TEST_MESSAGE("engine: " << hz << " Hz, last sounding frame " << last);
  BOOST_TEST(std::fabs(cents(hz, 880.0)) < 0.5);
  // 12000 engine frames of audio at twice the speed: 6000 frames.
  BOOST_TEST((last > 5950 && last < 6000 + 40));
  // Without the asset the track is silent (and the render goes on).
  const auto silent = renderOffline(p, {}, kRate, 4800, 128);
  BOOST_TEST(test::peakOf(silent[0]) == 0.0);
}

BOOST_AUTO_TEST_CASE(a_playing_sampler_track_sounds_once_its_asset_arrives) {
  // As in the browser: the song loads first (its sampler silent, the asset listed missing), then the audio
  // arrives; only that track is rebuilt, and the held note (chased) sounds from then on.
  SampleZone z;
  z.asset = "tone";
  z.loop = ZoneLoop::Forward;
  z.loopStart = 1000;
  z.loopEnd = 1000 + 109 * 440;  // whole periods of 440 Hz at 48 kHz (109.09 samples): close enough
  const Project p = samplerSong(z, 48000.0, 96000, {60, 1.0, 0.0, 16.0});
  Engine engine(kRate, 128);
  const auto missing = engine.setProject(p, {});
  BOOST_TEST_REQUIRE(missing.size() == 1u);
  BOOST_TEST(missing[0] == "tone");
  std::vector<float> l(128), r(128);
  engine.play();
  double before = 0, after = 0;
  for (int b = 0; b < 100; ++b) {
    engine.process(l.data(), r.data(), 128);
    before = std::max(before, test::peakOf(l));
  }
  auto pcm = pcmOf({sine(96000, 440.0)});
  pcm->id = "tone";
  BOOST_TEST(engine.addAsset(pcm).empty());
  for (int b = 0; b < 200; ++b) {
    engine.process(l.data(), r.data(), 128);
    engine.collect();
    if (b > 20) after = std::max(after, test::peakOf(l));
  }
  BOOST_TEST_MESSAGE("before the asset: peak " << before << ", after: " << after);
  BOOST_TEST(before == 0.0);
  BOOST_TEST(after > 0.1);
}

BOOST_AUTO_TEST_SUITE_END()
