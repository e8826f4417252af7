// Automation: strip gain and pan follow their lanes on the exact samples at any block size; insert
// parameters follow theirs on the timeline's 32-sample grid, also independent of the block size; the
// model refuses lanes that point nowhere.
#include <boost/test/unit_test.hpp>

#include "Measure.h"
#include "engine/OfflineRender.h"
#include "model/ProjectJson.h"

using namespace mixdown;

namespace {
constexpr double kRate = 48000;

Project dcSong(std::vector<AutomationLane> lanes, std::vector<DeviceState> inserts = {}) {
  Project p;
  p.tempo = 120;  // a beat is 24000 samples
  Asset a;
  a.id = "dc";
  a.channels = 2;
  a.frames = 192000;
  p.assets.push_back(a);
  Track t;
  t.id = "t";
  t.kind = TrackKind::Audio;
  Clip c;
  c.start = 0;
  c.length = 8;
  c.asset = "dc";
  t.clips.push_back(c);
  t.automation = std::move(lanes);
  t.inserts = std::move(inserts);
  p.tracks.push_back(t);
  return p;
}

AssetLibrary dcAsset() {
  auto a = std::make_shared<AssetPcm>();
  a->id = "dc";
  a->sampleRate = kRate;
  a->channels.assign(2, std::vector<float>(192000, 0.5f));
  return {{"dc", a}};
}
}  // namespace

BOOST_AUTO_TEST_SUITE(Automation)

BOOST_AUTO_TEST_CASE(a_gain_ramp_lands_on_the_exact_samples_at_any_block_size) {
  // -40 dB rising linearly to 0 dB over two beats, holding, then a step to silence at beat 3.
  AutomationLane gain{"gain", {{0, -40, AutomationShape::Linear, 0}, {2, 0, AutomationShape::Step, 0}, {3, -144, AutomationShape::Linear, 0}}};
  const Project song = dcSong({gain});
  BOOST_REQUIRE(validateProject(song).empty());
  const AssetLibrary assets = dcAsset();
  const auto reference = renderOffline(song, assets, kRate, 96000, 1);
  // Sample by sample, the lane as written (computed here independently of the engine).
  double worst = 0;
  for (std::size_t n = 0; n < 96000; ++n) {
    const double beat = static_cast<double>(n) / 24000.0;
    const double db = beat < 2 ? -40 + 20 * beat : beat < 3 ? 0.0 : -144.0;
    const double expected = db <= -144 ? 0.0 : 0.5 * std::pow(10.0, db / 20.0);
    worst = std::max({worst, std::fabs(reference[0][n] - expected), std::fabs(reference[1][n] - expected)});
  }
  BOOST_TEST(worst < 1e-6, "largest difference from the lane " << worst);
  BOOST_TEST(reference[0][72000 - 1] == 0.5f);  // the last sample before the step
  BOOST_TEST(reference[0][72000] == 0.0f);      // the step lands on its sample
  for (int block : {17, 128, 512})
    BOOST_TEST((renderOffline(song, assets, kRate, 96000, block) == reference), "block size " << block);
  std::vector<int> random = {1, 300, 7, 128, 511, 64, 3, 999};
  BOOST_TEST((renderOffline(song, assets, kRate, 96000, 512, random) == reference), "random block sizes");
}

BOOST_AUTO_TEST_CASE(pan_follows_its_lane_with_the_pan_law) {
  // A stereo source panned hard right by beat 1: the left side follows the balance law down to silence.
  AutomationLane pan{"pan", {{0, 0, AutomationShape::Linear, 0}, {1, 1, AutomationShape::Linear, 0}}};
  const auto out = renderOffline(dcSong({pan}), dcAsset(), kRate, 48000, 128);
  BOOST_TEST(out[0][0] == 0.5f);
  BOOST_TEST(std::fabs(out[0][12000] - 0.5 * std::cos(0.5 * test::kPi / 2)) < 1e-6);  // pan 0.5 at beat 0.5
  BOOST_TEST(out[0][30000] == 0.0f);
  BOOST_TEST(out[1][30000] == 0.5f);
}

BOOST_AUTO_TEST_CASE(insert_parameters_follow_their_lane_independent_of_block_size) {
  // A utility's gain from 0 dB down to -24 dB over a beat, curved: same output at every block size, and
  // settled at the end value after the lane stops.
  AutomationLane lane{"inserts[0].gain", {{0, 0, AutomationShape::Curved, 0.5}, {1, -24, AutomationShape::Linear, 0}}};
  const Project song = dcSong({lane}, {{"mixdown.utility", {}, false, ""}});
  BOOST_REQUIRE(validateProject(song).empty());
  const AssetLibrary assets = dcAsset();
  const auto reference = renderOffline(song, assets, kRate, 72000, 128);
  for (int block : {1, 17, 512}) BOOST_TEST((renderOffline(song, assets, kRate, 72000, block) == reference), "block size " << block);
  BOOST_TEST(std::fabs(test::dB(reference[0][60000] / 0.5) + 24.0) < 0.001, "settled at " << test::dB(reference[0][60000] / 0.5));
  // Curved with positive tension starts slow: a quarter of the way in, less than a quarter of the change.
  BOOST_TEST(test::dB(reference[0][6000] / 0.5) > -6.0);
}

BOOST_AUTO_TEST_CASE(lanes_that_point_nowhere_are_refused) {
  Project p = dcSong({{"inserts[3].gain", {{0, 0, AutomationShape::Linear, 0}}}});
  auto issues = validateProject(p);
  BOOST_REQUIRE_EQUAL(issues.size(), 1u);
  BOOST_TEST(issues[0].text().find("tracks[0].automation[0].target: must be \"gain\", \"pan\" or \"inserts[k].<parameter id>\"") == 0u, issues[0].text());
  p = dcSong({{"gain", {{1, 0, AutomationShape::Linear, 0}, {0.5, -6, AutomationShape::Linear, 0}, {2, 40, AutomationShape::Linear, 0}}}});
  issues = validateProject(p);
  BOOST_REQUIRE_EQUAL(issues.size(), 2u);
  BOOST_TEST(issues[0].text() == "tracks[0].automation[0].points[1].beat: must not be before the previous point");
  BOOST_TEST(issues[1].text() == "tracks[0].automation[0].points[2].value: must be between -144 and 24 dB (got 40)");
  // JSON round trip keeps shapes and tension.
  Project q = dcSong({{"pan", {{0, -1, AutomationShape::Curved, -0.5}, {2, 1, AutomationShape::Step, 0}}}});
  const std::string text = writeProject(q);
  ProjectLoad back = parseProject(text);
  BOOST_REQUIRE_MESSAGE(back.ok(), back.errorText());
  BOOST_TEST(back.project.tracks[0].automation[0].points[0].tension == -0.5);
  BOOST_TEST((back.project.tracks[0].automation[0].points[1].shape == AutomationShape::Step));
  BOOST_TEST(writeProject(back.project) == text);
}

BOOST_AUTO_TEST_CASE(insert_lanes_follow_their_device_when_inserts_move_or_go) {
  std::size_t k = 99;
  std::string param;
  BOOST_TEST(parseInsertTarget("inserts[12].freq1", k, param));
  BOOST_TEST(k == 12u);
  BOOST_TEST(param == "freq1");
  for (const char* bad : {"inserts[].x", "inserts[1]", "inserts[1].", "inserts[-1].x", "inserts[1x].y", "gain", "inserts[99999999999999999999].x"})
    BOOST_TEST(!parseInsertTarget(bad, k, param), bad);
  Track t;
  t.inserts = {{"mixdown.eq", {}, false, {}}, {"mixdown.compressor", {}, false, {}}, {"mixdown.delay", {}, false, {}}};
  t.automation = {{"gain", {}}, {"inserts[0].freq1", {}}, {"inserts[1].threshold", {}}, {"inserts[2].mix", {}}};
  swapInserts(t, 0, 1);
  BOOST_TEST(t.inserts[0].type == "mixdown.compressor");
  BOOST_TEST(t.automation[1].target == "inserts[1].freq1");
  BOOST_TEST(t.automation[2].target == "inserts[0].threshold");
  removeInsert(t, 1);  // the EQ and its lane go; the delay's lane moves down
  BOOST_REQUIRE_EQUAL(t.automation.size(), 3u);
  BOOST_TEST(t.automation[0].target == "gain");
  BOOST_TEST(t.automation[1].target == "inserts[0].threshold");
  BOOST_TEST(t.automation[2].target == "inserts[1].mix");
  swapInserts(t, 0, 7);  // out of range: nothing
  removeInsert(t, 7);
  BOOST_TEST(t.inserts.size() == 2u);
  // The result still validates in a project.
  Project p = dcSong({});
  p.tracks[0].inserts = t.inserts;
  p.tracks[0].automation = {{"inserts[1].mix", {{0, 0.5, AutomationShape::Linear, 0}}}};
  const auto issues = validateProject(p);
  BOOST_TEST(issues.empty(), (issues.empty() ? "" : issues[0].text()));
}

BOOST_AUTO_TEST_SUITE_END()
