// Share links v1 and v2 as the command line makes and opens them (native-host/ShareLinks.h): the demo's
// v2 link length, v1 links of the current studio opening unchanged, damaged and mutated links refused
// cleanly, and `mixdown link` / `mixdown render '<link>'` end to end.
#include <boost/test/unit_test.hpp>
#include <sys/wait.h>
#include <zlib.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>

#include "AudioFile.h"
#include "CliError.h"
#include "Projects.h"
#include "ShareLinks.h"
#include "engine/OfflineRender.h"
#include "model/ProjectJson.h"
#include "share/ProjectBinary.h"
#include "share/ShareLink.h"

namespace fs = std::filesystem;
using namespace mixdown;

namespace {

std::string demoPath() { return std::string(MIXDOWN_SOURCE_DIR) + "/web/demos/first-light.json"; }

// A v1 link as the studio made them until v2 (web/boot.js before 2026-12-03): the project JSON,
// CompressionStream('deflate') (zlib-wrapped, zlib's default level), base64url, behind "#p=".
std::string v1LinkAsTheStudioMadeIt(const Project& p) {
  const std::string json = writeProject(p, -1);
  uLongf len = compressBound(json.size());
  std::vector<std::uint8_t> z(len);
  compress2(z.data(), &len, reinterpret_cast<const Bytef*>(json.data()), json.size(), Z_DEFAULT_COMPRESSION);
  z.resize(len);
  return "http://127.0.0.1:8080/#p=" + encodeBase64Url(z);
}

std::string runCapture(const std::string& args, int& exitCode) {
  const std::string cmd = std::string(MIXDOWN_BIN) + " " + args + " 2>&1";
  std::string out;
  FILE* pipe = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
  const int status = pclose(pipe);
  exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  return out;
}

std::string refusal(const std::string& link) {
  try {
    cli::projectFromShareLink(link);
  } catch (const cli::CliError& e) {
    return e.what();
  }
  return "(accepted)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(share_links)

BOOST_AUTO_TEST_CASE(the_demo_v2_link_is_at_most_1500_characters_and_opens_equal) {
  const Project demo = test::demoProject();
  const std::string v2 = cli::makeShareLink(demo, cli::kDefaultStudioUrl);
  const std::string v1 = v1LinkAsTheStudioMadeIt(demo);
  std::printf("share link: the demo's v2 link is %zu characters (%zu of them the payload after \"#p2=\"); its v1 link %zu\n",
              v2.size(), v2.size() - v2.find("#p2=") - 4, v1.size());
  BOOST_TEST(v2.rfind("http://127.0.0.1:8080/#p2=", 0) == 0u);
  BOOST_TEST(v2.size() <= 1500u);
  const Project back = cli::projectFromShareLink(v2);
  BOOST_TEST((back == demo));
  BOOST_TEST(writeProject(back) == writeProject(demo));
}

// A link made by the current studio before v2 opens to the project it was made from.
BOOST_AUTO_TEST_CASE(v1_links_of_the_current_studio_open_unchanged) {
  const Project demo = test::demoProject();
  const Project fromV1 = cli::projectFromShareLink(v1LinkAsTheStudioMadeIt(demo));
  BOOST_TEST((fromV1 == demo));
  // And one the studio's Share button made (Chromium, before v2; tests/native-host/first-light-v1-link.txt),
  // byte for byte as it was copied: the demo as it opens, with track 2 soloed.
  std::string link = test::readText(std::string(MIXDOWN_SOURCE_DIR) + "/tests/native-host/first-light-v1-link.txt");
  while (!link.empty() && (link.back() == '\n' || link.back() == '\r')) link.pop_back();
  BOOST_REQUIRE(link.find("#p=") != std::string::npos);
  const Project fromStudio = cli::projectFromShareLink(link);
  Project expected = demo;
  expected.tracks[2].strip.solo = true;
  BOOST_TEST((fromStudio == expected));
  // The v2 link of what it opened to opens to the same again.
  BOOST_TEST((cli::projectFromShareLink(cli::makeShareLink(fromStudio, "http://x/")) == fromStudio));
}

BOOST_AUTO_TEST_CASE(damaged_v2_links_say_what_is_wrong) {
  BOOST_TEST(refusal("http://x/#p2=") == "share link: link's project part \"#p2=\" is empty");
  BOOST_TEST(refusal("http://x/#p2=%%%") == "share link: payload has a character that is not base64url at position 1");
  BOOST_TEST(refusal("http://x/#p2=AAAAAAAA").rfind("share link: the project part ", 0) == 0u);
  // Intact compression around a damaged payload: the field and the byte are named.
  std::vector<std::uint8_t> payload = encodeProjectBinary(test::demoProject());
  payload.resize(payload.size() / 2);
  const std::string cut = refusal("http://x/#p2=" + encodeBase64Url(cli::deflateBytes(payload, true)));
  BOOST_TEST(cut.find("of the decoded payload)") != std::string::npos, cut);
  BOOST_TEST(cut.find("share link: tracks") == 0u, cut);
  // A v1 payload behind the v2 key.
  const std::string json = "{}";
  const std::string swapped = refusal("http://x/#p2=" + encodeBase64Url(cli::deflateBytes(std::vector<std::uint8_t>(json.begin(), json.end()), false)));
  BOOST_TEST(swapped.rfind("share link: the project part is not valid compressed data", 0) == 0u, swapped);
  // The inflated size is held to kMaxSharedProjectBytes as in v1.
  const std::vector<std::uint8_t> bomb(kMaxSharedProjectBytes + 1, 0);
  const std::string big = refusal("http://x/#p2=" + encodeBase64Url(cli::deflateBytes(bomb, true)));
  BOOST_TEST(big == "share link: the project is larger than 16 MB when unpacked; refused");
}

// 1,000 seeded random mutations of the demo's v2 link (characters of its payload changed, inserted,
// removed): each is refused with a "share link: " message or opens a valid song that renders finite.
BOOST_AUTO_TEST_CASE(random_mutations_of_a_v2_link_are_refused_or_open_a_valid_song) {
  const std::string link = cli::makeShareLink(test::demoProject(), cli::kDefaultStudioUrl);
  const std::size_t payloadAt = link.find("#p2=") + 4;
  const char* given = std::getenv("MIXDOWN_MUTATION_SEED");
  const unsigned seed = given ? static_cast<unsigned>(std::stoul(given)) : 20261203u;
  std::printf("share link v2 mutations: seed %u (MIXDOWN_MUTATION_SEED=N runs another)\n", seed);
  std::mt19937 rng(seed);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::size_t refused = 0, opened = 0;
  for (int i = 0; i < 1000; ++i) {
    std::string m = link;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && m.size() > payloadAt + 1; ++e) {
      // Mostly near the end: the deflate stream is read in order, so late damage reaches the decoder.
      const std::size_t span = m.size() - payloadAt;
      const std::size_t at = payloadAt + (rng() % 2 ? rng() % span : span - 1 - rng() % std::min<std::size_t>(span, 40));
      switch (rng() % 3) {
        case 0: m[at] = alphabet[rng() % 64]; break;
        case 1: m.insert(m.begin() + static_cast<long>(at), alphabet[rng() % 64]); break;
        case 2: m.erase(m.begin() + static_cast<long>(at)); break;
      }
    }
    try {
      const Project p = cli::projectFromShareLink(m);
      ++opened;
      BOOST_TEST(validateProject(p).empty());
      const auto audio = renderOffline(p, {}, 48000, 12000, 512);
      bool finite = true;
      for (const auto& ch : audio)
        for (float s : ch) finite = finite && std::isfinite(s);
      BOOST_TEST(finite, "mutation " << i << " renders non-finite audio");
    } catch (const cli::CliError& e) {
      ++refused;
      BOOST_TEST(std::string(e.what()).rfind("share link: ", 0) == 0u, e.what());
    }
  }
  std::printf("share link v2 mutations: %zu refused, %zu opened as valid songs\n", refused, opened);
  BOOST_TEST(refused + opened == 1000u);
}

// `mixdown link SONG.json` prints the v2 link (`--v1` the old one); `mixdown render` opens both and
// renders exactly what the file renders.
BOOST_AUTO_TEST_CASE(mixdown_link_prints_a_link_that_renders_like_the_file) {
  const fs::path dir = fs::temp_directory_path() / ("mixdown-links-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  int code = -1;
  std::string v2 = runCapture("link " + demoPath(), code);
  BOOST_REQUIRE(code == 0);
  BOOST_REQUIRE(!v2.empty());
  v2.pop_back();  // the newline
  BOOST_TEST(v2.rfind("http://127.0.0.1:8080/#p2=", 0) == 0u);
  BOOST_TEST(v2.size() <= 1500u);
  BOOST_TEST(v2 == cli::makeShareLink(test::demoProject(), cli::kDefaultStudioUrl));
  std::string v1 = runCapture("link --v1 --base https://example.org/studio/ " + demoPath(), code);
  BOOST_REQUIRE(code == 0);
  v1.pop_back();
  BOOST_TEST(v1.rfind("https://example.org/studio/#p=", 0) == 0u);
  // Converting a link: v1 in, v2 out.
  std::string converted = runCapture("link '" + v1 + "'", code);
  BOOST_REQUIRE(code == 0);
  converted.pop_back();
  BOOST_TEST(converted == v2);
  const std::string file = (dir / "file.wav").string(), a = (dir / "v2.wav").string(), b = (dir / "v1.wav").string();
  BOOST_REQUIRE(runCapture("render " + demoPath() + " -o " + file + " --seconds 4", code).empty() || code == 0);
  BOOST_REQUIRE(code == 0);
  runCapture("render '" + v2 + "' -o " + a + " --seconds 4", code);
  BOOST_REQUIRE(code == 0);
  runCapture("render '" + v1 + "' -o " + b + " --seconds 4", code);
  BOOST_REQUIRE(code == 0);
  const auto fromFile = cli::readAudioFile(file).channels;
  BOOST_TEST((cli::readAudioFile(a).channels == fromFile));
  BOOST_TEST((cli::readAudioFile(b).channels == fromFile));
  const std::string damaged = runCapture("render 'http://x/#p2=" + v2.substr(v2.size() - 40) + "' -o " + a, code);
  BOOST_TEST(code == 1);
  BOOST_TEST(damaged.rfind("mixdown: share link: ", 0) == 0u, damaged);
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
