// The engine plays clip mute and content loops (model/Arrange.h's definition, through the tempo map):
// a looped clip sounds exactly as its notes written out would, a muted clip is silent, a looped audio
// clip repeats its asset's loop sample for sample.
#include <boost/test/unit_test.hpp>

#include "Measure.h"
#include "Projects.h"
#include "engine/OfflineRender.h"
#include "engine/Timeline.h"
#include "model/Arrange.h"

using namespace mixdown;

namespace {

constexpr double kRate = 48000;

std::size_t firstDifference(const std::vector<std::vector<float>>& a, const std::vector<std::vector<float>>& b) {
  for (std::size_t i = 0; i < a[0].size(); ++i)
    if (a[0][i] != b[0][i] || a[1][i] != b[1][i]) return i;
  return a[0].size();
}

// A synth pattern with a tempo map (a step and a ramp), so the repeats land through Timeline, not one BPM.
Project patternSong(const Clip& clip) {
  Project p;
  p.tempo = 120;
  p.tempoChanges = {{6.0, 96.0, TempoShape::Step}, {12.0, 140.0, TempoShape::Linear}};
  Track t = test::synthTrack("keys", {{"wave", 1}, {"attack", 0.002}, {"release", 0.05}});
  t.clips.push_back(clip);
  p.tracks.push_back(t);
  return p;
}

// Content [1, 3) loops; notes before, inside (one held past the loop's end) and after it.
Clip loopedPattern() {
  Clip c;
  c.start = 2.0;
  c.length = 13.0;
  c.offset = 0.5;
  c.notes = {{57, 0.9, 0.5, 0.25}, {60, 0.8, 1.0, 0.5}, {64, 0.7, 1.75, 0.25}, {67, 0.6, 2.5, 1.0}, {72, 0.5, 3.25, 0.5}};
  setClipLoop(c, 1.0, 3.0);
  return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(clip_playback)

BOOST_AUTO_TEST_CASE(a_looped_midi_clip_renders_bit_identical_to_its_notes_written_out) {
  const Clip looped = loopedPattern();
  // Written out by hand (not through soundingNotes): the first run plays content 0.5..3 from song beat 2,
  // then [1, 3) repeats from song beats 4.5, 6.5, 8.5, 10.5, 12.5, 14.5 (the clip ends at 15); the note
  // held past the loop's end is cut there.
  Clip written;
  written.start = 2.0;
  written.length = 13.0;
  written.offset = 0.0;
  written.notes = {{57, 0.9, 0.0, 0.25}, {60, 0.8, 0.5, 0.5}, {64, 0.7, 1.25, 0.25}, {67, 0.6, 2.0, 0.5}};
  for (double repeat = 2.5; repeat < 13.0; repeat += 2.0) {
    written.notes.push_back({60, 0.8, repeat, 0.5});
    written.notes.push_back({64, 0.7, repeat + 0.75, 0.25});
    written.notes.push_back({67, 0.6, repeat + 1.5, 0.5});
  }
  const Project a = patternSong(looped), b = patternSong(written);
  const auto frames = defaultRenderFrames(b, kRate);
  for (int block : {128, 17}) {
    const auto outA = renderOffline(a, {}, kRate, frames, block);
    const auto outB = renderOffline(b, {}, kRate, frames, block);
    BOOST_REQUIRE(test::peakOf(outB[0]) > 0.05);
    const std::size_t diff = firstDifference(outA, outB);
    BOOST_TEST(diff == outA[0].size(), "block " << block << ": first difference at frame " << diff);
    BOOST_TEST_MESSAGE("looped vs written out, block " << block << ": " << frames << " frames, first difference "
                                                      << (diff == outA[0].size() ? std::string("none") : std::to_string(diff))
                                                      << ", peak " << test::peakOf(outA[0]));
  }
}

BOOST_AUTO_TEST_CASE(a_muted_clip_is_silent) {
  Clip c = loopedPattern();
  c.muted = true;
  const Project p = patternSong(c);
  const auto out = renderOffline(p, {}, kRate, static_cast<std::int64_t>(kRate * 8), 128);
  BOOST_TEST(test::peakOf(out[0]) == 0.0);
  BOOST_TEST(test::peakOf(out[1]) == 0.0);
  // and the same clip unmuted sounds (the test would pass for a broken synth otherwise)
  c.muted = false;
  BOOST_TEST(test::peakOf(renderOffline(patternSong(c), {}, kRate, static_cast<std::int64_t>(kRate * 8), 128)[0]) > 0.05);
}

BOOST_AUTO_TEST_CASE(a_looped_audio_clip_repeats_its_loop_sample_for_sample) {
  // 120 BPM at 48 kHz: a beat is 24000 frames. The clip starts at beat 1 and plays content 0.25..1.5,
  // then repeats content [0.5, 1.5) (24000 frames) until its end at beat 5.5; a second, muted clip
  // later on the same track is silent.
  const std::int64_t kBeat = 24000;
  Project p;
  p.tempo = 120;
  Asset a;
  a.id = "ramp";
  a.channels = 1;
  a.sampleRate = kRate;
  a.frames = 100000;
  p.assets.push_back(a);
  Track t;
  t.id = "a";
  t.kind = TrackKind::Audio;
  t.strip.pan = -1;  // left gets the source at unity
  Clip c;
  c.start = 1.0;
  c.length = 4.5;
  c.offset = 0.25;
  c.asset = "ramp";
  setClipLoop(c, 0.5, 1.5);
  t.clips.push_back(c);
  Clip muted = c;
  muted.start = 7.0;
  muted.muted = true;
  t.clips.push_back(muted);
  p.tracks.push_back(t);
  BOOST_REQUIRE(validateProject(p).empty());
  auto pcm = std::make_shared<AssetPcm>();
  pcm->id = "ramp";
  pcm->channels.assign(1, std::vector<float>(100000));
  for (std::size_t i = 0; i < 100000; ++i) pcm->channels[0][i] = static_cast<float>(i + 1) / 131072.0f;  // exact in float
  const auto out = renderOffline(p, {{"ramp", pcm}}, kRate, 12 * kBeat, 100);
  const auto& left = out[0];
  auto expectRange = [&](std::int64_t songFrom, std::int64_t sourceFrom, std::int64_t frames) {
    std::int64_t wrong = 0;
    for (std::int64_t i = 0; i < frames; ++i)
      if (left[static_cast<std::size_t>(songFrom + i)] != pcm->channels[0][static_cast<std::size_t>(sourceFrom + i)]) ++wrong;
    BOOST_TEST(wrong == 0, wrong << " of " << frames << " frames from song frame " << songFrom << " differ from source frame " << sourceFrom);
  };
  for (std::int64_t i = 0; i < kBeat; ++i) BOOST_REQUIRE(left[static_cast<std::size_t>(i)] == 0.0f);  // before the clip
  expectRange(kBeat, kBeat / 4, kBeat * 5 / 4);  // first run: content 0.25 .. 1.5 at song beat 1 .. 2.25
  for (int repeat = 0; repeat < 3; ++repeat)      // repeats at 2.25, 3.25, 4.25 (the last to 5.25)
    expectRange(kBeat * 9 / 4 + repeat * kBeat, kBeat / 2, kBeat);
  expectRange(kBeat * 21 / 4, kBeat / 2, kBeat / 4);  // the last repeat, cut at the clip's end (5.5)
  BOOST_TEST(left[static_cast<std::size_t>(kBeat * 11 / 2)] == 0.0f);
  BOOST_TEST(test::peakOf(left, static_cast<std::size_t>(kBeat * 11 / 2), left.size()) == 0.0);  // the muted clip
  BOOST_TEST_MESSAGE("looped audio: " << 5 << " runs checked sample for sample, " << 4.5 * kBeat << " frames");
}

BOOST_AUTO_TEST_SUITE_END()
