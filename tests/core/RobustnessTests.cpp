// Hostile input: thousands of damaged variants of the demo project must each load with a clear
// message or load cleanly and render finite audio. Never a crash, a hang or a NaN.
#include <boost/test/unit_test.hpp>

#include <random>

#include "Projects.h"
#include "engine/OfflineRender.h"
#include "model/ProjectJson.h"
#include <nlohmann/json.hpp>

using namespace mixdown;

BOOST_AUTO_TEST_SUITE(robustness)

BOOST_AUTO_TEST_CASE(damaged_projects_are_refused_or_render_finite_audio) {
  // The demo with a full master chain, so damage reaches the master devices too.
  nlohmann::json base = nlohmann::json::parse(test::readText(std::string(MIXDOWN_SOURCE_DIR) + "/web/demos/first-light.json"));
  base["master"]["devices"] = nlohmann::json::array(
      {{{"type", "mixdown.multiband"}, {"params", {{"bands", 1}, {"ratio2", 4}, {"threshold2", -30}}}},
       {{"type", "mixdown.imager"}, {"params", {{"width", 1.5}, {"monoBelow", 120}}}},
       {{"type", "mixdown.limiter"}, {"bypass", false}, {"params", {{"ceiling", -1}, {"release", 50}}}}});
  const std::string demo = base.dump(1);
  const unsigned seed = std::random_device{}();
  BOOST_TEST_MESSAGE("seed " << seed);
  std::mt19937 rng(seed);
  const std::string alphabet = R"({}[]",:-0123456789.eE+ truefalsn\u0000)";
  int refused = 0, rendered = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string doc = demo;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      std::size_t at = rng() % doc.size();
      switch (rng() % 4) {
        case 0: doc[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: doc.erase(at, 1 + rng() % 8); break;
        case 2: doc.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        case 3: {  // replace a number with an extreme one
          const char* extremes[] = {"1e308", "-1e308", "0", "-0", "1e-320", "99999999999", "-1", "4294967296"};
          std::size_t n = doc.find_first_of("0123456789", at);
          if (n != std::string::npos) doc.replace(n, 1, extremes[rng() % 8]);
          break;
        }
      }
    }
    ProjectLoad load = parseProject(doc);
    BOOST_TEST_CONTEXT("seed " << seed << " variant " << i) {
      if (!load.ok()) {
        ++refused;
        for (const auto& issue : load.issues) BOOST_TEST(!issue.message.empty());
        continue;
      }
      ++rendered;
      // Render only a short window; the point is that nothing in a valid project breaks the engine.
      auto out = renderOffline(load.project, {}, 48000, 4800, 512);
      bool finite = true;
      for (const auto& ch : out)
        for (float v : ch) finite = finite && std::isfinite(v);
      BOOST_TEST(finite);
    }
  }
  BOOST_TEST_MESSAGE("refused " << refused << ", rendered " << rendered);
  BOOST_TEST(refused > 100);
  BOOST_TEST(rendered > 100);
}

BOOST_AUTO_TEST_SUITE_END()
