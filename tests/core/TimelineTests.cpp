// The tempo map and bar grid: Timeline conversions against closed forms written out by hand here, and the
// engine's notes, audio clip edges, automation, tempo-synced echoes and loop points landing on the samples
// those closed forms give, at 44.1, 48 and 96 kHz. Without changes, Timeline is the old arithmetic bit
// for bit.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <random>

#include "Measure.h"
#include "Projects.h"
#include "engine/Engine.h"
#include "engine/OfflineRender.h"
#include "engine/Timeline.h"

using namespace mixdown;

namespace {

constexpr double kRates[] = {44100.0, 48000.0, 96000.0};

// The map every test uses: 120 BPM; a step to 90 at beat 8; a ramp (linear in beats) from 90 to 150
// reaching beat 16; 150 held to beat 24; a ramp down to 60 reaching beat 28; then 60.
void setTempoMap(Project& p) {
  p.tempo = 120;
  p.tempoChanges = {{8, 90, TempoShape::Step}, {16, 150, TempoShape::Linear}, {24, 150, TempoShape::Step}, {28, 60, TempoShape::Linear}};
}

// Seconds from the start to `beat` on that map, summed segment by segment. A ramp from b0 to b1 BPM over
// L beats lasts 60 L / (b1 - b0) * ln(b1 / b0) s; part of it, up to tempo b, 60 L / (b1 - b0) * ln(b / b0).
double secondsByHand(double beat) {
  if (beat < 8) return beat * 60.0 / 120.0;
  double t = 8 * 0.5;
  if (beat < 16) return t + 60.0 * 8 / (150 - 90) * std::log((90 + (150 - 90) * (beat - 8) / 8) / 90);
  t += 60.0 * 8 / (150 - 90) * std::log(150.0 / 90);
  if (beat < 24) return t + (beat - 16) * 60.0 / 150;
  t += 8 * 60.0 / 150;
  if (beat < 28) return t + 60.0 * 4 / (60 - 150) * std::log((150 + (60 - 150) * (beat - 24) / 4) / 150);
  t += 60.0 * 4 / (60 - 150) * std::log(60.0 / 150);
  return t + (beat - 28) * 60.0 / 60;
}

// The inverse, for the automation check: the beat at `seconds` (only the first ramp is needed).
double beatByHand(double seconds) {
  if (seconds < 4) return seconds * 120.0 / 60;
  const double k = (150 - 90) / 8.0;  // BPM per beat
  return 8 + 90 / k * (std::exp(k * (seconds - 4) / 60) - 1);
}

// True when x is not within `margin` of a rounding boundary (x.5), so llround cannot depend on the last bit.
bool clearOfHalf(double x, double margin = 1e-6) { return std::fabs(x - std::floor(x) - 0.5) > margin; }
bool clearOfInteger(double x, double margin = 1e-6) { return std::fabs(x - std::round(x)) > margin; }

std::size_t firstNonZero(const std::vector<float>& x) {
  for (std::size_t i = 0; i < x.size(); ++i)
    if (x[i] != 0.0f) return i;
  return x.size();
}

// One noise note (its first sample is non-zero) on an instrument track, on the tempo map.
Project clickAt(double beat) {
  Project p;
  setTempoMap(p);
  Track t = test::synthTrack("n", {{"wave", 4}, {"attack", 0.1}, {"sustain", 1}, {"release", 5}, {"cutoff", 20000}});
  Clip c;
  c.start = 0;
  c.length = 64;
  c.notes.push_back({60, 1.0, beat, 0.5});
  t.clips.push_back(c);
  p.tracks.push_back(t);
  return p;
}

// An audio track panned hard left (its mono source at unity on the left) playing asset "a".
Track audioTrack(std::vector<Clip> clips) {
  Track t;
  t.id = "a";
  t.kind = TrackKind::Audio;
  t.strip.pan = -1;
  for (Clip& c : clips) c.asset = "a";
  t.clips = std::move(clips);
  return t;
}

std::pair<Asset, AssetLibrary> monoAsset(double sr, std::vector<float> samples) {
  Asset a;
  a.id = "a";
  a.channels = 1;
  a.sampleRate = sr;
  a.frames = static_cast<std::int64_t>(samples.size());
  auto pcm = std::make_shared<AssetPcm>();
  pcm->id = "a";
  pcm->sampleRate = sr;
  pcm->channels.push_back(std::move(samples));
  return {a, AssetLibrary{{"a", pcm}}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(timeline)

BOOST_AUTO_TEST_CASE(without_changes_every_conversion_is_the_constant_tempo_arithmetic_bit_for_bit) {
  std::mt19937 rng(20261201);
  std::uniform_real_distribution<double> beats(0.0, 2000.0);
  for (double sr : kRates) {
    for (double bpm : {112.0, 120.0, 97.3, 20.0, 999.0}) {
      Project p;
      p.tempo = bpm;
      p.signatureChanges = {{3, 7, 8}};  // signatures do not move time
      const Timeline tl(p, sr);
      BOOST_REQUIRE(!tl.hasTempoChanges());
      bool same = true;
      for (int i = 0; i < 20000; ++i) {
        const double b = i < 100 ? i * 0.25 : beats(rng);
        const auto f = static_cast<std::int64_t>(b * 1000);
        same = same && tl.frameOfBeat(b) == frameOfBeat(b, bpm, sr) && tl.framesOfSpan(b, b) == frameOfBeat(b, bpm, sr) &&
               tl.beatOfFrame(static_cast<double>(f)) == static_cast<double>(f) * (bpm / (60.0 * sr)) &&  // as RenderPlan computed it
               tl.secondsOfBeat(b) == b * 60.0 / bpm && tl.tempoAt(b) == bpm;
      }
      BOOST_TEST(same, "sr " << sr << " bpm " << bpm);
    }
  }
}

BOOST_AUTO_TEST_CASE(steps_and_ramps_convert_in_closed_form) {
  Project p;
  setTempoMap(p);
  for (double sr : kRates) {
    const Timeline tl(p, sr);
    BOOST_REQUIRE(tl.hasTempoChanges());
    int checked = 0;
    double worstSeconds = 0;
    for (double b = 0; b <= 40; b += 0.0625 + 1e-4) {
      worstSeconds = std::max(worstSeconds, std::fabs(tl.secondsOfBeat(b) - secondsByHand(b)));
      const double exact = secondsByHand(b) * sr;
      if (!clearOfHalf(exact)) continue;
      ++checked;
      BOOST_TEST_CONTEXT("sr " << sr << " beat " << b) { BOOST_TEST(tl.frameOfBeat(b) == std::llround(exact)); }
    }
    BOOST_TEST(checked > 600);
    BOOST_TEST(worstSeconds < 1e-11, "worst seconds error " << worstSeconds);
    // The segment starts themselves, by hand: 4 s, 4 + 8 ln(5/3) s, + 3.2 s, + (8/3) ln(5/2) s.
    BOOST_TEST(std::fabs(tl.secondsOfBeat(8) - 4.0) < 1e-12);
    BOOST_TEST(std::fabs(tl.secondsOfBeat(16) - (4 + 8 * std::log(5.0 / 3))) < 1e-12);
    BOOST_TEST(std::fabs(tl.secondsOfBeat(28) - (7.2 + 8 * std::log(5.0 / 3) + 8.0 / 3 * std::log(2.5))) < 1e-12);
  }
  const Timeline tl(p, 48000);
  BOOST_TEST(tl.tempoAt(0) == 120.0);
  BOOST_TEST(tl.tempoAt(7.999) == 120.0);
  BOOST_TEST(tl.tempoAt(8) == 90.0);                       // a step lands on its beat
  BOOST_TEST(std::fabs(tl.tempoAt(12) - 120.0) < 1e-12);   // halfway up the 90 -> 150 ramp (linear in beats)
  BOOST_TEST(tl.tempoAt(20) == 150.0);
  BOOST_TEST(std::fabs(tl.tempoAt(26) - 105.0) < 1e-12);   // halfway down the 150 -> 60 ramp
  BOOST_TEST(tl.tempoAt(1000) == 60.0);
  BOOST_TEST(tl.tempoAt(-3) == 120.0);
  BOOST_TEST(tl.frameOfBeat(-1) == -24000);                // before the start, the start tempo continues
}

BOOST_AUTO_TEST_CASE(beat_of_frame_inverts_frame_of_beat_within_half_a_sample) {
  Project p;
  setTempoMap(p);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> beats(0.0, 60.0);
  for (double sr : kRates) {
    const Timeline tl(p, sr);
    double worstRounded = 0, worstExact = 0;
    for (int i = 0; i < 100000; ++i) {
      const double b = beats(rng);
      const std::int64_t f = tl.frameOfBeat(b);
      // Back from the rounded frame: at most half a sample away from the beat's exact time.
      worstRounded = std::max(worstRounded, std::fabs(tl.secondsOfBeat(tl.beatOfFrame(static_cast<double>(f))) - tl.secondsOfBeat(b)) * sr);
      // Back and forth with fractional frames: the same frame.
      const double frame = tl.secondsOfBeat(b) * sr;
      worstExact = std::max(worstExact, std::fabs(tl.secondsOfBeat(tl.beatOfFrame(frame)) * sr - frame));
    }
    BOOST_TEST_MESSAGE("sr " << sr << ": rounded frame within " << worstRounded << " samples, exact inverse within " << worstExact);
    BOOST_TEST(worstRounded <= 0.5 + 1e-6);
    BOOST_TEST(worstExact < 1e-6);
  }
}

BOOST_AUTO_TEST_CASE(signature_changes_move_the_bar_lines) {
  Project p;
  p.timeSignature = {4, 4};
  p.signatureChanges = {{3, 6, 8}, {5, 7, 8}, {6, 3, 4}};
  const Timeline tl(p, 48000);
  // 4/4 bars last 4 beats, 6/8 3, 7/8 3.5, 3/4 3 (quarter-note beats).
  const double starts[] = {0, 4, 8, 11, 14, 17.5, 20.5, 23.5};
  for (int bar = 1; bar <= 8; ++bar) {
    BOOST_TEST_CONTEXT("bar " << bar) {
      BOOST_TEST(tl.barStartBeat(bar) == starts[bar - 1]);
      BOOST_TEST(tl.barOfBeat(starts[bar - 1]) == bar);
      BOOST_TEST(tl.barOfBeat(std::nextafter(starts[bar - 1], -1.0)) == bar - 1);
    }
  }
  BOOST_TEST(tl.barStartBeat(0) == -4.0);
  BOOST_TEST(tl.barOfBeat(-0.5) == 0);
  BOOST_TEST((tl.signatureAtBar(4) == TimeSignature{6, 8}));
  BOOST_TEST((tl.signatureAtBar(100) == TimeSignature{3, 4}));
  const BarPosition at = tl.positionOf(12.5);  // bar 4 (6/8, from beat 11): 1.5 quarters in = the 4th eighth
  BOOST_TEST(at.bar == 4);
  BOOST_TEST(at.beatInBar == 4.0);
  BOOST_TEST(tl.positionOf(9.0).beatInBar == 3.0);  // bar 3 in 6/8 from beat 8: the third eighth
  BOOST_TEST(Timeline(Project{}, 48000).positionOf(5.5).beatInBar == 2.5);  // 4/4: quarters
  BOOST_TEST(tl.frameOfBeat(11) == 264000);  // signatures do not move time (120 BPM)
}

BOOST_AUTO_TEST_CASE(notes_after_steps_and_ramps_start_on_the_closed_form_sample) {
  for (double sr : kRates) {
    for (double beat : {3.0, 8.0, 10.5, 13.3, 16.0, 20.0, 25.0, 27.9, 30.25}) {
      const double exact = secondsByHand(beat) * sr;
      BOOST_REQUIRE(clearOfHalf(exact));
      const auto expected = static_cast<std::size_t>(std::llround(exact));
      const auto out = renderOffline(clickAt(beat), {}, sr, static_cast<std::int64_t>(expected) + 256, 128);
      BOOST_TEST_CONTEXT("sr " << sr << " beat " << beat) { BOOST_TEST(firstNonZero(out[0]) == expected); }
    }
  }
}

BOOST_AUTO_TEST_CASE(audio_clip_edges_and_offset_land_on_the_closed_form_samples) {
  for (double sr : kRates) {
    // A ramp of exact float values so each output sample names the source frame it came from.
    std::vector<float> ramp(static_cast<std::size_t>(sr * 12));
    for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<float>(i + 1) / 16777216.0f;
    auto [asset, assets] = monoAsset(sr, ramp);
    Project p;
    setTempoMap(p);
    p.assets.push_back(asset);
    Clip c;
    c.start = 10.5;  // inside the first ramp
    c.length = 9;    // ends at 19.5, in the held 150 BPM
    c.offset = 2;    // the source is laid from beat 8.5 (it plays at its own speed: not stretched)
    p.tracks.push_back(audioTrack({c}));
    BOOST_REQUIRE(validateProject(p).empty());
    const auto start = static_cast<std::size_t>(std::llround(secondsByHand(10.5) * sr));
    const auto end = static_cast<std::size_t>(std::llround(secondsByHand(19.5) * sr));
    const auto offset = static_cast<std::size_t>(std::llround((secondsByHand(10.5) - secondsByHand(8.5)) * sr));
    BOOST_REQUIRE(clearOfHalf(secondsByHand(10.5) * sr) && clearOfHalf(secondsByHand(19.5) * sr));
    const auto out = renderOffline(p, assets, sr, static_cast<std::int64_t>(end) + 100, 100);
    BOOST_TEST_CONTEXT("sr " << sr) {
      BOOST_TEST(firstNonZero(out[0]) == start);
      BOOST_TEST(out[0][start] == ramp[offset]);
      BOOST_TEST(out[0][end - 1] == ramp[offset + (end - 1 - start)]);
      BOOST_TEST(out[0][end] == 0.0f);
    }
  }
}

BOOST_AUTO_TEST_CASE(automation_follows_the_tempo_map_sample_by_sample) {
  for (double sr : kRates) {
    auto [asset, assets] = monoAsset(sr, std::vector<float>(static_cast<std::size_t>(sr * 20), 0.5f));
    Project p;
    setTempoMap(p);
    p.assets.push_back(asset);
    Clip c;
    c.length = 40;
    Track t = audioTrack({c});
    // 0 dB; from beat 10.5 (inside the tempo ramp) -20 dB gliding back to 0 dB at 13.25; silence from beat 26.
    t.automation.push_back({"gain", {{0, 0, AutomationShape::Step, 0}, {10.5, -20, AutomationShape::Linear, 0},
                                     {13.25, 0, AutomationShape::Step, 0}, {26, -144, AutomationShape::Step, 0}}});
    p.tracks.push_back(t);
    BOOST_REQUIRE(validateProject(p).empty());
    const double silenceAt = secondsByHand(26) * sr;
    BOOST_REQUIRE(clearOfInteger(silenceAt));
    // Automation is read at every sample's beat: the step is heard from the first sample at or after it.
    const auto silent = static_cast<std::size_t>(std::ceil(silenceAt));
    const auto out = renderOffline(p, assets, sr, static_cast<std::int64_t>(silent) + 100, 128);
    double worst = 0;
    const auto rampFrom = static_cast<std::size_t>(std::ceil(secondsByHand(10.5) * sr));
    const auto rampTo = static_cast<std::size_t>(secondsByHand(13.25) * sr);
    for (std::size_t n = rampFrom; n < rampTo; ++n) {
      const double db = -20 + 20 * (beatByHand(static_cast<double>(n) / sr) - 10.5) / 2.75;
      worst = std::max(worst, std::fabs(out[0][n] - 0.5 * std::pow(10.0, db / 20)));
    }
    BOOST_TEST_CONTEXT("sr " << sr) {
      BOOST_TEST(worst < 1e-6, "largest difference from the lane " << worst);
      BOOST_TEST(out[0][rampFrom - 1] == 0.5f);
      BOOST_TEST(std::fabs(out[0][rampFrom] - 0.05) < 1e-4);  // -20 dB
      BOOST_TEST(out[0][silent - 1] == 0.5f);
      BOOST_TEST(out[0][silent] == 0.0f);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_synced_delay_follows_the_tempo_at_the_current_position) {
  for (double sr : kRates) {
    std::vector<float> click(16, 0.0f);
    click[0] = 1.0f;
    auto [asset, assets] = monoAsset(sr, click);
    Project p;
    p.tempo = 120;
    p.tempoChanges = {{8, 90, TempoShape::Step}};
    p.assets.push_back(asset);
    Clip before, after;
    before.start = 4;  // at 120 BPM: a quarter-note echo 0.5 s later
    before.length = after.length = 1;
    after.start = 10;  // at 90 BPM: 2/3 s later
    Track t = audioTrack({before, after});
    t.inserts.push_back({"mixdown.delay", {{"sync", 1}, {"note", 8}, {"feedback", 0}, {"lowCut", 0}, {"highCut", 22000}, {"mix", 100}}, false, {}});
    p.tracks.push_back(t);
    BOOST_REQUIRE(validateProject(p).empty());
    const Timeline tl(p, sr);
    const std::int64_t first = tl.frameOfBeat(4) + std::lround(0.5 * sr), second = tl.frameOfBeat(10) + std::lround(60.0 / 90 * sr);
    const auto out = renderOffline(p, assets, sr, second + 100, 128);
    std::vector<std::int64_t> echoes;
    for (std::size_t i = 0; i < out[0].size(); ++i)
      if (std::fabs(out[0][i]) > 0.5f) echoes.push_back(static_cast<std::int64_t>(i));
    BOOST_TEST_CONTEXT("sr " << sr) { BOOST_TEST((echoes == std::vector<std::int64_t>{first, second})); }
  }
}

BOOST_AUTO_TEST_CASE(output_on_a_tempo_map_is_bit_identical_for_every_block_size) {
  const double sr = 48000;
  Project p = test::demoProject();  // tempo-synced delay return, automation, sidechain
  p.tempoChanges = {{4, 140, TempoShape::Linear}, {8, 90, TempoShape::Step}, {10, 100, TempoShape::Linear}};
  p.signatureChanges = {{2, 7, 8}};
  BOOST_REQUIRE(validateProject(p).empty());
  const auto frames = static_cast<std::int64_t>(sr * 7);
  const auto reference = renderOffline(p, {}, sr, frames, 512);
  BOOST_REQUIRE(test::peakOf(reference[0]) > 0.1);
  for (int block : {1, 17, 128}) BOOST_TEST((renderOffline(p, {}, sr, frames, block) == reference), "block size " << block);
  BOOST_TEST((renderOffline(p, {}, sr, frames, 512, {1, 300, 7, 128, 511, 64, 3, 999}) == reference), "random block sizes");
}

BOOST_AUTO_TEST_CASE(loop_points_and_the_default_length_follow_the_tempo_map) {
  for (double sr : kRates) {
    Project p = clickAt(1);
    p.loop = {true, 10.5, 26};  // from inside the first ramp to inside the second
    const auto loopStart = std::llround(secondsByHand(10.5) * sr), loopEnd = std::llround(secondsByHand(26) * sr);
    Engine engine(sr, 128);
    engine.setProject(p, {});
    engine.play();
    std::vector<float> l(128), r(128);
    for (std::int64_t done = 0; done < loopEnd;) {
      const int n = static_cast<int>(std::min<std::int64_t>(128, loopEnd - done));
      engine.process(l.data(), r.data(), n);
      done += n;
    }
    BOOST_TEST_CONTEXT("sr " << sr) {
      BOOST_TEST(engine.position() == loopStart);  // wrapped exactly at the loop end
      // The song ends with its 64-beat clip; the default render adds the 2 s tail.
      BOOST_TEST(defaultRenderFrames(p, sr) == std::llround(secondsByHand(64) * sr) + static_cast<std::int64_t>(2 * sr));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
