// Golden render: guards refactors against unintended changes to how the demo sounds. The fingerprint
// is the RMS level (dB) of every 0.5 s of each channel, compared within 0.01 dB, so it survives
// last-bit libm differences but not a changed sound.
// Regenerate after an intended change: MIXDOWN_REGENERATE_GOLDEN=1 build/native/bin/core_tests -t golden
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <fstream>
#include <nlohmann/json.hpp>

#include "Measure.h"
#include "Projects.h"
#include "engine/Engine.h"
#include "engine/OfflineRender.h"

using namespace mixdown;

BOOST_AUTO_TEST_SUITE(golden)

BOOST_AUTO_TEST_CASE(the_demo_sounds_as_it_did) {
  const double sr = 48000;
  Project p = test::demoProject();
  auto out = renderOffline(p, {}, sr, defaultRenderFrames(p, sr), 512);
  const std::size_t window = static_cast<std::size_t>(sr / 2);
  nlohmann::json fingerprint = nlohmann::json::array();
  for (const auto& ch : out) {
    nlohmann::json levels = nlohmann::json::array();
    for (std::size_t at = 0; at + window <= ch.size(); at += window) {
      double sum = 0;
      for (std::size_t i = at; i < at + window; ++i) sum += static_cast<double>(ch[i]) * ch[i];
      levels.push_back(std::round(10.0 * std::log10(std::max(sum / window, 1e-20)) * 1000.0) / 1000.0);
    }
    fingerprint.push_back(levels);
  }
  const std::string path = std::string(MIXDOWN_SOURCE_DIR) + "/tests/golden/first-light.rms.json";
  if (const char* regen = std::getenv("MIXDOWN_REGENERATE_GOLDEN"); regen && std::string(regen) == "1") {
    std::ofstream(path) << fingerprint.dump() << "\n";
    BOOST_TEST_MESSAGE("regenerated " << path);
    return;
  }
  nlohmann::json golden = nlohmann::json::parse(test::readText(path), nullptr, false);
  BOOST_REQUIRE_MESSAGE(golden.is_array() && golden.size() == 2, path << " is missing or damaged; regenerate it");
  for (std::size_t c = 0; c < 2; ++c) {
    BOOST_REQUIRE_EQUAL(golden[c].size(), fingerprint[c].size());
    for (std::size_t i = 0; i < golden[c].size(); ++i) {
      BOOST_TEST_CONTEXT("channel " << c << " at " << i * 0.5 << " s") {
        BOOST_TEST(std::fabs(golden[c][i].get<double>() - fingerprint[c][i].get<double>()) <= 0.01);
      }
    }
  }
}

// The demo is a mixing example: an EQ and a compressor on every track, a reverb and a delay return fed
// by sends, a sidechain ducking and automation; and the ducking is heard.
BOOST_AUTO_TEST_CASE(the_demo_uses_the_mixing_devices_and_the_bass_ducks_under_the_kick) {
  const Project p = test::demoProject();
  auto has = [](const Track& t, const std::string& type) {
    return std::any_of(t.inserts.begin(), t.inserts.end(), [&](const DeviceState& d) { return d.type == type && !d.bypass; });
  };
  int sends = 0, lanes = 0, bass = -1, keyed = -1;
  std::set<std::string> returns;
  for (std::size_t i = 0; i < p.tracks.size(); ++i) {
    const Track& t = p.tracks[i];
    BOOST_TEST_CONTEXT("track " << t.id) {
      BOOST_TEST(has(t, "mixdown.eq"));
      BOOST_TEST(has(t, "mixdown.compressor"));
    }
    if (t.kind == TrackKind::Bus && has(t, "mixdown.reverb")) returns.insert("reverb");
    if (t.kind == TrackKind::Bus && has(t, "mixdown.delay")) returns.insert("delay");
    sends += static_cast<int>(t.sends.size());
    for (const auto& lane : t.automation) lanes += lane.points.size() >= 2 ? 1 : 0;
    for (std::size_t k = 0; k < t.inserts.size(); ++k)
      if (!t.inserts[k].sidechain.empty()) bass = static_cast<int>(i), keyed = static_cast<int>(k);
  }
  BOOST_TEST(returns.size() == 2u);
  BOOST_TEST(sends >= 3);
  BOOST_TEST(lanes >= 3);
  BOOST_REQUIRE(bass >= 0);
  // Play bars 3-4 and read the keyed compressor's gain reduction every 128 frames: deep on every kick
  // (each beat), recovered between them.
  AssetLibrary none;
  Engine engine(48000, 128);
  engine.setProject(p, none);
  engine.play();
  std::vector<float> l(128), r(128);
  const int perBeat = static_cast<int>(48000 * 60.0 / p.tempo);
  for (int i = 0; i < 8 * perBeat / 128; ++i) engine.process(l.data(), r.data(), 128);
  double deepest = 0, shallowest = 100;
  (void)engine.takeInsertReduction(bass, keyed);
  for (int i = 0; i < 8 * perBeat / 128; ++i) {
    engine.process(l.data(), r.data(), 128);
    const double gr = engine.takeInsertReduction(bass, keyed);
    deepest = std::max(deepest, gr);
    shallowest = std::min(shallowest, gr);
  }
  BOOST_TEST_MESSAGE("bass ducking under the kick: gain reduction " << shallowest << " .. " << deepest << " dB");
  BOOST_TEST(deepest > 4.0);
  BOOST_TEST(shallowest < 1.0);
}

BOOST_AUTO_TEST_SUITE_END()
