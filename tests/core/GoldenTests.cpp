// Golden render: guards refactors against unintended changes to how the demo sounds. The fingerprint
// is the RMS level (dB) of every 0.5 s of each channel, compared within 0.01 dB, so it survives
// last-bit libm differences but not a changed sound.
// Regenerate after an intended change: MIXDOWN_REGENERATE_GOLDEN=1 build/native/bin/core_tests -t golden
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "Measure.h"
#include "Projects.h"
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

BOOST_AUTO_TEST_SUITE_END()
