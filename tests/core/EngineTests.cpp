#include <boost/test/unit_test.hpp>

#include <random>

#include "Measure.h"
#include "Projects.h"
#include "engine/Engine.h"
#include "engine/OfflineRender.h"
#include "engine/Timeline.h"

using namespace mixdown;

namespace {

// One instrument track playing one note: noise waveform so the very first sample of the note is
// non-zero (every table waveform starts at phase 0 = 0).
Project oneNote(double startBeat, double lengthBeats, double tempo = 120) {
  Project p;
  p.tempo = tempo;
  Track t = test::synthTrack("n", {{"wave", 4}, {"attack", 0.1}, {"sustain", 1}, {"release", 5}, {"cutoff", 20000}});
  Clip c;
  c.start = 0;
  c.length = 64;
  c.notes.push_back({60, 1.0, startBeat, lengthBeats});
  t.clips.push_back(c);
  p.tracks.push_back(t);
  return p;
}

std::size_t firstNonZero(const std::vector<float>& x) {
  for (std::size_t i = 0; i < x.size(); ++i)
    if (x[i] != 0.0f) return i;
  return x.size();
}

std::size_t firstDifference(const std::vector<float>& a, const std::vector<float>& b) {
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    if (a[i] != b[i]) return i;
  return std::min(a.size(), b.size());
}

// The demo with the lead moved early and an audio track added, cut to `seconds`.
std::pair<Project, AssetLibrary> richProject(double sr) {
  Project p = test::demoProject();
  p.tracks[4].clips[0].start = 4;
  Asset a;
  a.id = "loop";
  a.sampleRate = sr;
  a.channels = 2;
  a.frames = static_cast<std::int64_t>(sr);
  p.assets.push_back(a);
  Track t;
  t.id = "aud";
  t.kind = TrackKind::Audio;
  t.strip.pan = -0.3;
  for (int i = 0; i < 6; ++i) {
    Clip c;
    c.start = 1.37 + i * 2.11;
    c.length = 1.5;
    c.offset = 0.25 * i;
    c.asset = "loop";
    t.clips.push_back(c);
  }
  p.tracks.push_back(t);
  auto pcm = std::make_shared<AssetPcm>();
  pcm->id = "loop";
  pcm->sampleRate = sr;
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> d(-0.3f, 0.3f);
  pcm->channels.assign(2, std::vector<float>(static_cast<std::size_t>(sr)));
  for (auto& ch : pcm->channels)
    for (auto& s : ch) s = d(rng);
  return {p, AssetLibrary{{"loop", pcm}}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(engine)

BOOST_AUTO_TEST_CASE(notes_start_on_their_exact_sample) {
  for (double sr : {44100.0, 48000.0, 96000.0}) {
    for (double beat : {0.0, 1.0, 2.5, 3.3333333, 7.123}) {
      auto out = renderOffline(oneNote(beat, 1.0), {}, sr, static_cast<std::int64_t>(sr * 5), 128);
      std::size_t expected = static_cast<std::size_t>(frameOfBeat(beat, 120, sr));
      BOOST_TEST_CONTEXT("sr " << sr << " beat " << beat) { BOOST_TEST(firstNonZero(out[0]) == expected); }
    }
  }
}

BOOST_AUTO_TEST_CASE(notes_end_on_their_exact_sample) {
  // Two renders that differ only in note length diverge exactly where the shorter note is released.
  for (double sr : {44100.0, 48000.0, 96000.0}) {
    auto a = renderOffline(oneNote(0.5, 1.25), {}, sr, static_cast<std::int64_t>(sr * 3), 17);
    auto b = renderOffline(oneNote(0.5, 2.0), {}, sr, static_cast<std::int64_t>(sr * 3), 17);
    BOOST_TEST(firstDifference(a[0], b[0]) == static_cast<std::size_t>(frameOfBeat(1.75, 120, sr)));
  }
}

BOOST_AUTO_TEST_CASE(audio_clips_start_end_and_offset_on_exact_samples) {
  const double sr = 48000;
  Project p;
  p.tempo = 100;
  Asset a;
  a.id = "ramp";
  a.channels = 1;
  a.sampleRate = sr;
  a.frames = 100000;
  p.assets.push_back(a);
  Track t;
  t.id = "a";
  t.kind = TrackKind::Audio;
  t.strip.pan = -1;  // left gets the source at unity
  Clip c;
  c.start = 1.7;
  c.length = 2.3;
  c.offset = 0.6;
  c.asset = "ramp";
  t.clips.push_back(c);
  p.tracks.push_back(t);
  auto pcm = std::make_shared<AssetPcm>();
  pcm->id = "ramp";
  pcm->channels.assign(1, std::vector<float>(100000));
  for (std::size_t i = 0; i < 100000; ++i) pcm->channels[0][i] = static_cast<float>(i + 1) / 131072.0f;  // exact in float
  auto out = renderOffline(p, {{"ramp", pcm}}, sr, static_cast<std::int64_t>(sr * 4), 100);
  std::size_t start = static_cast<std::size_t>(frameOfBeat(1.7, 100, sr));
  std::size_t end = static_cast<std::size_t>(frameOfBeat(4.0, 100, sr));
  std::size_t offset = static_cast<std::size_t>(frameOfBeat(0.6, 100, sr));
  BOOST_TEST(firstNonZero(out[0]) == start);
  BOOST_TEST(out[0][start] == pcm->channels[0][offset]);
  BOOST_TEST(out[0][end - 1] == pcm->channels[0][offset + (end - 1 - start)]);
  BOOST_TEST(out[0][end] == 0.0f);
}

BOOST_AUTO_TEST_CASE(output_is_bit_identical_for_every_block_size) {
  for (double sr : {44100.0, 48000.0, 96000.0}) {
    auto [project, assets] = richProject(sr);
    const std::int64_t frames = static_cast<std::int64_t>(sr * 9);
    auto reference = renderOffline(project, assets, sr, frames, 512);
    BOOST_REQUIRE(test::peakOf(reference[0]) > 0.1);
    for (int block : {1, 17, 128}) {
      auto out = renderOffline(project, assets, sr, frames, block);
      BOOST_TEST_CONTEXT("sr " << sr << " block " << block) {
        BOOST_TEST(firstDifference(out[0], reference[0]) == reference[0].size());
        BOOST_TEST(firstDifference(out[1], reference[1]) == reference[1].size());
      }
    }
    const unsigned seed = std::random_device{}();
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> pick(1, 700);
    std::vector<int> splits(257);
    for (auto& s : splits) s = pick(rng);
    auto out = renderOffline(project, assets, sr, frames, 512, splits);
    BOOST_TEST_CONTEXT("sr " << sr << " random splits, seed " << seed << " (replay: set this seed)") {
      BOOST_TEST(firstDifference(out[0], reference[0]) == reference[0].size());
      BOOST_TEST(firstDifference(out[1], reference[1]) == reference[1].size());
    }
  }
}

BOOST_AUTO_TEST_CASE(loop_wraps_on_the_exact_sample) {
  const double sr = 48000;
  Project p = oneNote(0.0, 0.25);
  p.loop = {true, 0.0, 1.0};  // one beat = 24000 frames
  Engine e(sr, 128);
  e.setProject(p, {});
  e.play();
  std::vector<float> l(60000), r(60000);
  for (std::size_t at = 0; at < l.size(); at += 100) e.process(l.data() + at, r.data() + at, 100);
  // The note restarts at 24000 and 48000: silence just before, sound at the sample.
  BOOST_TEST(l[23999] == 0.0f);
  BOOST_TEST(l[24000] != 0.0f);
  BOOST_TEST(l[47999] == 0.0f);
  BOOST_TEST(l[48000] != 0.0f);
  BOOST_TEST(e.position() == 60000 - 48000);
}

BOOST_AUTO_TEST_CASE(transport_stop_seek_and_play) {
  const double sr = 48000;
  Engine e(sr, 128);
  e.setProject(oneNote(2.0, 1.0), {});
  std::vector<float> l(128), r(128);
  e.process(l.data(), r.data(), 128);
  BOOST_TEST(e.position() == 0);  // stopped: the playhead does not move
  e.seek(frameOfBeat(2.0, 120, sr) - 64);
  e.play();
  e.process(l.data(), r.data(), 128);
  BOOST_TEST(e.playing());
  BOOST_TEST(e.position() == frameOfBeat(2.0, 120, sr) + 64);
  BOOST_TEST(firstNonZero(l) == 64u);
  e.stop();
  for (int i = 0; i < 40; ++i) e.process(l.data(), r.data(), 128);
  BOOST_TEST(test::peakOf(l) == 0.0);  // released and the tail (5 ms) is over
}

BOOST_AUTO_TEST_CASE(strip_changes_reach_the_playing_engine_smoothly) {
  const double sr = 48000;
  Engine e(sr, 128);
  Project p = oneNote(0.0, 60.0);
  e.setProject(p, {});
  e.play();
  std::vector<float> l(128), r(128);
  for (int i = 0; i < 10; ++i) e.process(l.data(), r.data(), 128);
  BOOST_TEST(test::peakOf(l) > 0.01);
  e.setTrackStrip(0, 0.0, 0.0, true, false);
  e.process(l.data(), r.data(), 128);
  BOOST_TEST(test::peakOf(l) > 0.0);  // ramping down, not cut
  for (int i = 0; i < 10; ++i) e.process(l.data(), r.data(), 128);
  BOOST_TEST(test::peakOf(l) == 0.0);
  float pl, pr;
  e.takePeak(0, pl, pr);
  BOOST_TEST(pl > 0.0f);  // the meter saw the level before the mute
}

BOOST_AUTO_TEST_CASE(a_new_plan_crossfades_in_without_a_click) {
  const double sr = 48000;
  Engine e(sr, 128);
  Project p = oneNote(0.0, 60.0);
  p.tracks[0].instrument->params["wave"] = 0;
  e.setProject(p, {});
  e.play();
  std::vector<float> l(128 * 40), r(128 * 40);
  for (int i = 0; i < 20; ++i) e.process(l.data() + i * 128, r.data() + i * 128, 128);
  p.tracks[0].strip.gainDb = -6;
  e.setProject(p, {});
  for (int i = 20; i < 40; ++i) e.process(l.data() + i * 128, r.data() + i * 128, 128);
  // Largest sample-to-sample step stays that of the sine itself (no discontinuity at the swap).
  double maxStep = 0;
  for (std::size_t i = 2000; i < l.size(); ++i) maxStep = std::max(maxStep, std::fabs(double(l[i]) - l[i - 1]));
  double sineStep = 2 * test::kPi * 261.63 / sr * 0.71;
  BOOST_TEST(maxStep < sineStep * 1.2);
}

BOOST_AUTO_TEST_CASE(non_finite_device_output_is_muted_and_the_rest_keeps_playing) {
  // A NaN parameter is clamped at the boundary; a device that still produced NaN would be muted by
  // Device::process. Here: NaN strip values from a hostile caller leave the output finite.
  const double sr = 48000;
  Engine e(sr, 64);
  e.setProject(oneNote(0.0, 4.0), {});
  e.play();
  e.setTrackStrip(0, std::nan(""), std::nan(""), false, false);
  e.setMasterGain(std::nan(""));
  std::vector<float> l(64), r(64);
  bool finite = true;
  for (int i = 0; i < 100; ++i) {
    e.process(l.data(), r.data(), 64);
    for (float v : l) finite = finite && std::isfinite(v);
  }
  BOOST_TEST(finite);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(engine_chase)

BOOST_AUTO_TEST_CASE(starting_inside_a_held_note_sounds_it_at_once) {
  const double sr = 48000;
  Engine e(sr, 128);
  e.setProject(oneNote(0.0, 8.0), {});  // one note held for 4 s
  e.seek(frameOfBeat(3.0, 120, sr));
  e.play();
  std::vector<float> l(128), r(128);
  e.process(l.data(), r.data(), 128);
  BOOST_TEST(firstNonZero(l) == 0u);  // sounding from the first sample after the seek
  // Stopped, a seek chases nothing.
  e.stop();
  for (int i = 0; i < 40; ++i) e.process(l.data(), r.data(), 128);
  e.seek(frameOfBeat(4.0, 120, sr));
  e.process(l.data(), r.data(), 128);
  BOOST_TEST(test::peakOf(l) == 0.0);
}

BOOST_AUTO_TEST_CASE(looping_into_a_held_note_restarts_it) {
  const double sr = 48000;
  Project p = oneNote(0.0, 8.0);
  p.loop = {true, 2.0, 3.0};
  Engine e(sr, 100);
  e.setProject(p, {});
  e.seek(frameOfBeat(2.0, 120, sr));
  e.play();
  std::vector<float> l(48000), r(48000);
  for (std::size_t at = 0; at < l.size(); at += 100) e.process(l.data() + at, r.data() + at, 100);
  // Every pass of the loop has sound at its first sample and through it.
  for (std::size_t pass = 0; pass < 2; ++pass) {
    std::size_t start = pass * static_cast<std::size_t>(frameOfBeat(1.0, 120, sr));
    BOOST_TEST(l[start] != 0.0f);
    BOOST_TEST(test::peakOf(l, start + 1000, start + 20000) > 0.1);
  }
}

BOOST_AUTO_TEST_SUITE_END()
