// Stereo instruments through the engine: the drum machine's per-voice pan lands in the expected channel
// at the constant-power gains through a whole song render (and the strip's balance on top); an edit that
// changes an instrument's channel count rebuilds the track's parts while one that does not stays live.
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "Measure.h"
#include "Projects.h"
#include "devices/DrumMachine.h"
#include "engine/Engine.h"
#include "engine/OfflineRender.h"
#include "model/ProjectEdit.h"

using namespace mixdown;

namespace {

constexpr double kRate = 48000;

Project drumSong(const std::map<std::string, double>& params, double stripPan) {
  Project p;
  p.tempo = 120;
  Track t;
  t.id = "drums";
  t.name = "Drums";
  t.kind = TrackKind::Instrument;
  t.instrument = DeviceState{"mixdown.drums", params, false, {}};
  t.strip.pan = stripPan;
  Clip c;
  c.start = 0;
  c.length = 4;
  c.notes.push_back({38, 1.0, 0.0, 0.5});  // a snare on the song's first frame
  t.clips.push_back(c);
  p.tracks.push_back(t);
  return p;
}

// The snare alone from the drum machine's one-channel (unpanned) output: the signal the pans scale.
std::vector<float> unpannedSnare(const std::map<std::string, double>& params, std::size_t frames) {
  DrumMachine d;
  for (const auto& [id, v] : params) d.setParam(id, v);
  d.prepare(kRate, 512);
  std::vector<float> out(frames), unused(frames);
  NoteEvent hit{0, NoteEvent::Type::NoteOn, 38, 1.0f};
  for (std::size_t at = 0; at < frames; at += 512) {
    float* outs[2] = {out.data() + at, unused.data() + at};
    ProcessContext c;
    c.outputs = outs;
    c.outputChannels = 1;
    c.frames = static_cast<int>(std::min<std::size_t>(512, frames - at));
    c.events = &hit;
    c.eventCount = at == 0 ? 1 : 0;
    d.process(c);
  }
  return out;
}

// The gain (dB) that best maps `reference` onto `x` over the first `frames` (least squares).
double gainDb(const std::vector<float>& x, const std::vector<float>& reference, std::size_t frames) {
  double xy = 0, yy = 0;
  for (std::size_t i = 0; i < frames; ++i) xy += static_cast<double>(x[i]) * reference[i], yy += static_cast<double>(reference[i]) * reference[i];
  return test::dB(xy / yy);
}

// How far `x` is from `gain` times `reference` (dB below `reference`'s energy): a check that the
// channel is the snare scaled, not merely as loud.
double residualDb(const std::vector<float>& x, const std::vector<float>& reference, std::size_t frames) {
  double g = 0, xy = 0, yy = 0, e = 0;
  for (std::size_t i = 0; i < frames; ++i) xy += static_cast<double>(x[i]) * reference[i], yy += static_cast<double>(reference[i]) * reference[i];
  g = xy / yy;
  for (std::size_t i = 0; i < frames; ++i) {
    const double d = x[i] - g * reference[i];
    e += d * d;
  }
  return 10 * std::log10(std::max(e, 1e-30) / yy);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(stereo_instruments)

BOOST_AUTO_TEST_CASE(a_panned_drum_voice_lands_in_its_channel_at_constant_power_gains_through_a_song) {
  const std::size_t frames = static_cast<std::size_t>(kRate * 0.5);
  struct Case {
    double voicePan, stripPan;
  };
  for (const Case c : {Case{-1.0, 0.0}, Case{1.0, 0.0}, Case{0.0, 0.0}, Case{0.5, 0.0}, Case{-0.3, 0.0}, Case{0.5, 0.5}, Case{0.5, -1.0}}) {
    const std::map<std::string, double> params = {{"snare.pan", c.voicePan}};
    const Project song = drumSong(params, c.stripPan);
    const auto out = renderOffline(song, {}, kRate, static_cast<std::int64_t>(frames), 128);
    const auto snare = unpannedSnare(params, frames);
    // The voice's constant-power law, then the strip's balance (a stereo source: unity at the centre;
    // panned right, the left is cos(pan pi/2)).
    const double theta = (c.voicePan + 1.0) * test::kPi / 4.0;
    const double balanceL = c.stripPan <= 0 ? 1.0 : std::cos(c.stripPan * test::kPi / 2);
    const double balanceR = c.stripPan >= 0 ? 1.0 : std::cos(-c.stripPan * test::kPi / 2);
    const double wantL = std::cos(theta) * balanceL, wantR = std::sin(theta) * balanceR;
    BOOST_TEST_CONTEXT("voice pan " << c.voicePan << ", strip pan " << c.stripPan) {
      for (int ch = 0; ch < 2; ++ch) {
        const double want = ch == 0 ? wantL : wantR;
        const auto& x = out[static_cast<std::size_t>(ch)];
        if (want < 1e-6) {
          BOOST_TEST(test::peakOf(x) == 0.0, "channel " << ch << " silent");
          continue;
        }
        BOOST_TEST(gainDb(x, snare, frames) == test::dB(want), boost::test_tools::tolerance(0.001));
        BOOST_TEST(residualDb(x, snare, frames) < -100.0, "channel " << ch << " is the snare, scaled");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(the_drum_track_has_two_channels_and_a_default_poly_synth_track_one) {
  Project p = drumSong({}, 0.0);
  p.tracks.push_back(test::synthTrack("synth", {}));
  p.tracks.push_back(test::synthTrack("wide", {{"unison", 3}, {"unisonSpread", 1}}));
  Engine e(kRate, 128);
  e.setProject(p, {});
  std::vector<float> l(128), r(128);
  e.process(l.data(), r.data(), 128);
  BOOST_TEST(e.trackChannels("drums") == 2);
  BOOST_TEST(e.trackChannels("synth") == 1);
  BOOST_TEST(e.trackChannels("wide") == 2);
}

BOOST_AUTO_TEST_CASE(an_edit_that_changes_the_channel_count_rebuilds_the_track_and_one_that_does_not_stays_live) {
  Project p;
  p.tempo = 120;
  Track t = test::synthTrack("synth", {{"unison", 3}, {"unisonSpread", 0}});
  Clip c;
  c.length = 8;
  c.notes.push_back({60, 1.0, 0.0, 8.0});
  t.clips.push_back(c);
  p.tracks.push_back(t);
  Engine e(kRate, 128);
  e.setMasterLoudnessEnabled(false);
  e.setProject(p, {});
  e.play();
  std::vector<float> l(128), r(128);
  for (int i = 0; i < 40; ++i) e.process(l.data(), r.data(), 128);
  BOOST_TEST(e.trackChannels("synth") == 1);
  BOOST_TEST(l == r);  // mono through a centred strip

  Project cutoff = p;
  cutoff.tracks[0].instrument->params["cutoff"] = 2000;
  auto result = e.applyEdits(diffProjects(p, cutoff));
  BOOST_TEST(result.issues.empty());
  BOOST_TEST(!result.newPlan);  // a knob: straight to the running synth

  Project spread = cutoff;
  spread.tracks[0].instrument->params["unisonSpread"] = 1;
  result = e.applyEdits(diffProjects(cutoff, spread));
  BOOST_TEST(result.issues.empty());
  BOOST_TEST(result.newPlan);  // mono -> stereo: new parts (a balancing strip)
  for (int i = 0; i < 40; ++i) e.process(l.data(), r.data(), 128);
  BOOST_TEST(e.trackChannels("synth") == 2);
  BOOST_TEST(l != r);  // the copies spread

  Project narrower = spread;
  narrower.tracks[0].instrument->params["unisonSpread"] = 0.5;  // still stereo: live
  result = e.applyEdits(diffProjects(spread, narrower));
  BOOST_TEST(!result.newPlan);
}

BOOST_AUTO_TEST_SUITE_END()
