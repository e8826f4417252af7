// The live engine's metronome and count-in: clicks start on the first sample at or after each beat of the
// signature (through the tempo map), the bar's first beat accented; off (the default, and every offline
// render) the output is exactly the song's.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <functional>
#include <sstream>

#include "Measure.h"
#include "Projects.h"
#include "engine/Engine.h"
#include "engine/OfflineRender.h"
#include "engine/RenderPlan.h"

using namespace mixdown;

namespace {

constexpr double kRate = 48000;

struct Render {
  std::vector<float> left, right;
};

// Renders `frames` of `p` from the start in blocks of `block`; `setup` runs before play.
Render run(const Project& p, std::int64_t frames, int block, const std::function<void(Engine&)>& setup, int countIn = 0) {
  Engine engine(kRate, block);
  engine.setMasterLoudnessEnabled(false);
  engine.setProject(p, {});
  if (setup) setup(engine);
  engine.play(countIn);
  Render out{std::vector<float>(static_cast<std::size_t>(frames)), std::vector<float>(static_cast<std::size_t>(frames))};
  for (std::int64_t done = 0; done < frames;) {
    const int n = static_cast<int>(std::min<std::int64_t>(block, frames - done));
    engine.process(out.left.data() + done, out.right.data() + done, n);
    done += n;
  }
  return out;
}

// Onsets: a non-zero sample after at least 200 zeros (or at frame 0), with its value.
std::vector<std::pair<std::int64_t, float>> onsets(const std::vector<float>& x) {
  std::vector<std::pair<std::int64_t, float>> out;
  std::size_t zeros = 200;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] == 0.0f) {
      ++zeros;
      continue;
    }
    if (zeros >= 200) out.push_back({static_cast<std::int64_t>(i), x[i]});
    zeros = 0;
  }
  return out;
}

std::string text(const std::vector<std::pair<std::int64_t, float>>& v) {
  std::ostringstream s;
  for (const auto& [f, x] : v) s << " " << f << (x > 0.75f ? "(A)" : "");
  return s.str();
}

// Sign changes in the first 20 ms after an onset: 2 per cycle (1 kHz: 40, 1.5 kHz: 60).
int crossings(const std::vector<float>& x, std::int64_t from) {
  int n = 0;
  for (std::int64_t i = from + 1; i < from + static_cast<std::int64_t>(0.020 * kRate); ++i)
    n += (x[static_cast<std::size_t>(i)] > 0) != (x[static_cast<std::size_t>(i - 1)] > 0);
  return n;
}

void expectClicks(const Project& p, const std::vector<std::int64_t>& beats, const std::vector<std::int64_t>& accents, std::int64_t frames) {
  for (int block : {128, 17}) {
    const Render r = run(p, frames, block, [](Engine& e) { e.setMetronome(true, 0.0); });
    const auto found = onsets(r.left);
    BOOST_TEST_CONTEXT("block " << block << ", onsets:" << text(found)) {
      BOOST_REQUIRE_EQUAL(found.size(), beats.size());
      for (std::size_t i = 0; i < beats.size(); ++i) {
        BOOST_TEST(found[i].first == beats[i]);
        const bool accent = std::find(accents.begin(), accents.end(), beats[i]) != accents.end();
        // The accent starts at full level (0 dB here), the other beats at half; 1.5 kHz against 1 kHz.
        BOOST_TEST(found[i].second == (accent ? 1.0f : Metronome::kBeatLevel));
        BOOST_TEST(std::abs(crossings(r.left, found[i].first) - (accent ? 60 : 40)) <= 1);
      }
      BOOST_TEST((r.left == r.right));
    }
    if (block == 128) BOOST_TEST_MESSAGE("click onsets (A: accent):" << text(found));
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(metronome)

BOOST_AUTO_TEST_CASE(clicks_start_on_every_beat_at_120_bpm_the_bar_accented) {
  Project p;  // empty: nothing but the clicks
  std::vector<std::int64_t> beats;
  for (std::int64_t b = 0; b < 10; ++b) beats.push_back(b * 24000);
  expectClicks(p, beats, {0, 96000, 192000}, 10 * 24000);
}

BOOST_AUTO_TEST_CASE(clicks_follow_a_tempo_step_and_a_signature_change) {
  // 120 BPM to beat 4, then 60 BPM; bar 3 (beat 8) is 6/8: eighths (half a quarter), six to the bar.
  Project p;
  p.tempoChanges = {{4.0, 60.0, TempoShape::Step}};
  p.signatureChanges = {{3, 6, 8}};
  std::vector<std::int64_t> beats = {0, 24000, 48000, 72000, 96000, 144000, 192000, 240000};
  for (int k = 0; k < 9; ++k) beats.push_back(288000 + k * 24000);  // 6/8 from frame 288000, at 60 BPM
  expectClicks(p, beats, {0, 96000, 288000, 432000}, 288000 + 9 * 24000);
}

BOOST_AUTO_TEST_CASE(clicks_land_on_the_first_sample_at_or_after_the_beat) {
  // 110 BPM at 48 kHz: a beat is 26181.8 frames, so onsets round up (never to the nearest).
  Project p;
  p.tempo = 110;
  const Timeline timeline(p, kRate);
  const Render r = run(p, 6 * 26181, 128, [](Engine& e) { e.setMetronome(true, -6.0); });
  const auto found = onsets(r.left);
  BOOST_REQUIRE_EQUAL(found.size(), 6u);
  for (int b = 0; b < 6; ++b) {
    const double exact = b * 60.0 / 110.0 * kRate;
    BOOST_TEST(found[static_cast<std::size_t>(b)].first == static_cast<std::int64_t>(std::ceil(exact)));
    BOOST_TEST(found[static_cast<std::size_t>(b)].first == timeline.frameAtOrAfterBeat(b));
  }
}

BOOST_AUTO_TEST_CASE(off_or_offline_the_output_is_bit_identical_to_no_metronome) {
  const Project p = test::demoProject();
  const std::int64_t frames = static_cast<std::int64_t>(6 * kRate);
  {
    Engine fresh(kRate, 128);
    BOOST_TEST(!fresh.metronome());  // a default engine (OfflineRender's, mixdown render's) has it off
    BOOST_TEST(!fresh.countingIn());
  }
  const Render plain = run(p, frames, 128, {});
  const Render off = run(p, frames, 128, [](Engine& e) {
    e.setMetronome(true, 0.0);
    e.setMetronome(false, 0.0);
  });
  BOOST_TEST((off.left == plain.left));
  BOOST_TEST((off.right == plain.right));
  const auto offline = renderOffline(p, {}, kRate, frames, 128);
  BOOST_TEST((offline[0] == plain.left));
  BOOST_TEST((offline[1] == plain.right));
  // On, it adds clicks and touches nothing else: outside the clicks' 25 ms the song is bit for bit. The
  // clicks come as late as the music does (the demo's inserts delay every track by the plan's latency).
  const Render on = run(p, frames, 128, [](Engine& e) { e.setMetronome(true, -6.0); });
  const Timeline timeline(p, kRate);
  const int delay = RenderPlan::build(p, {}, kRate, 128)->latency;
  BOOST_TEST_MESSAGE("demo: clicks delayed by the plan's latency, " << delay << " frames");
  std::int64_t outside = 0, differ = 0;
  for (std::int64_t i = 0; i < frames; ++i) {
    if (i < delay) continue;  // the delay line's first frames: the song's own silence
    const double heard = timeline.beatOfFrame(static_cast<double>(i - delay));
    const std::int64_t onset = timeline.frameAtOrAfterBeat(std::floor(heard + 1e-9)) + delay;
    const bool inClick = onset <= i && i < onset + static_cast<std::int64_t>(Metronome::kClickSeconds * kRate);
    if (inClick) continue;
    ++outside;
    if (on.left[static_cast<std::size_t>(i)] != plain.left[static_cast<std::size_t>(i)]) ++differ;
  }
  BOOST_TEST(differ == 0, differ << " of " << outside << " frames outside the clicks differ");
  BOOST_TEST(test::peakOf(on.left) > test::peakOf(plain.left) * 0.5);
}

BOOST_AUTO_TEST_CASE(a_count_in_clicks_a_bar_then_the_song_starts_on_the_next_sample) {
  // One note at beat 0 (noise, so its first sample is non-zero). A one-bar count-in at 120 BPM 4/4: clicks
  // at 0, 24000, 48000, 72000 (the first accented), the song from frame 96000 exactly as it would have
  // started at 0, and the position held at 0 meanwhile.
  Project p;
  Track t = test::synthTrack("n", {{"wave", 4}, {"attack", 0.1}, {"sustain", 1}, {"release", 5}, {"cutoff", 20000}});
  Clip c;
  c.length = 8;
  c.notes.push_back({60, 1.0, 0.0, 1.0});
  t.clips.push_back(c);
  p.tracks.push_back(t);
  const std::int64_t bar = 96000, after = 48000;
  for (int block : {128, 17}) {
    Engine engine(kRate, block);
    engine.setMasterLoudnessEnabled(false);
    engine.setProject(p, {});
    engine.play(1);
    std::vector<float> l(static_cast<std::size_t>(bar + after)), r(l.size());
    bool countedIn = false, held = true;
    for (std::int64_t done = 0; done < static_cast<std::int64_t>(l.size());) {
      const int n = static_cast<int>(std::min<std::int64_t>(block, static_cast<std::int64_t>(l.size()) - done));
      engine.process(l.data() + done, r.data() + done, n);
      done += n;
      if (done < bar) {
        countedIn = countedIn || engine.countingIn();
        held = held && engine.position() == 0 && !engine.playing();
      }
    }
    BOOST_TEST(countedIn);
    BOOST_TEST(held);
    BOOST_TEST(!engine.countingIn());
    BOOST_TEST(engine.playing());
    const auto found = onsets(std::vector<float>(l.begin(), l.begin() + bar));
    BOOST_TEST_CONTEXT("block " << block << ", count-in onsets:" << text(found)) {
      BOOST_REQUIRE_EQUAL(found.size(), 4u);
      for (int k = 0; k < 4; ++k) BOOST_TEST(found[static_cast<std::size_t>(k)].first == k * 24000);
      BOOST_TEST(found[0].second > found[1].second);  // the bar's first beat accented
    }
    // The song after the count-in: sample for sample the render that started without one.
    const Render plain = run(p, after, block, {});
    std::int64_t differ = 0;
    for (std::int64_t i = 0; i < after; ++i) differ += l[static_cast<std::size_t>(bar + i)] != plain.left[static_cast<std::size_t>(i)];
    BOOST_TEST(differ == 0, "block " << block << ": " << differ << " of " << after << " frames after the count-in differ");
    BOOST_TEST(l[static_cast<std::size_t>(bar)] != 0.0f);
    BOOST_TEST(l[static_cast<std::size_t>(bar - 1)] == 0.0f);
  }
  // Stopped during the count-in: nothing starts.
  Engine engine(kRate, 128);
  engine.setProject(p, {});
  engine.play(2);
  std::vector<float> l(128), r(128);
  for (int i = 0; i < 100; ++i) engine.process(l.data(), r.data(), 128);
  BOOST_TEST(engine.countingIn());
  engine.stop();
  for (int i = 0; i < 2000; ++i) engine.process(l.data(), r.data(), 128);
  BOOST_TEST(!engine.countingIn());
  BOOST_TEST(!engine.playing());
  BOOST_TEST(engine.position() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
