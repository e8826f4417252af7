#include <boost/test/unit_test.hpp>

#include "Projects.h"
#include "model/ProjectJson.h"
#include "share/ShareLink.h"

using namespace mixdown;

BOOST_AUTO_TEST_SUITE(share_link)

BOOST_AUTO_TEST_CASE(base64url_round_trips_every_length) {
  for (std::size_t n = 0; n < 70; ++n) {
    std::vector<std::uint8_t> bytes(n);
    for (std::size_t i = 0; i < n; ++i) bytes[i] = static_cast<std::uint8_t>(i * 37 + 11);
    std::string text = encodeBase64Url(bytes);
    BOOST_TEST(text.find_first_of("+/=") == std::string::npos);
    std::vector<std::uint8_t> back;
    std::string error;
    BOOST_TEST(decodeBase64Url(text, back, error));
    BOOST_TEST(back == bytes);
  }
}

BOOST_AUTO_TEST_CASE(bad_payloads_say_what_is_wrong) {
  std::vector<std::uint8_t> out;
  std::string error;
  BOOST_TEST(!decodeBase64Url("abc$def", out, error));
  BOOST_TEST(error == "payload has a character that is not base64url at position 4");
  BOOST_TEST(!decodeBase64Url("abcde", out, error));
  BOOST_TEST(error.find("the link is cut off") != std::string::npos);
  std::string payload;
  BOOST_TEST(!sharePayload("https://example.org/studio/", payload, error));
  BOOST_TEST(error == "link has no project part (expected \"#p2=\" or \"#p=\" followed by the project)");
  BOOST_TEST(!sharePayload("https://x/#p=", payload, error));
  BOOST_TEST(sharePayload("https://x/index.html#p=QUJD&t=3", payload, error));
  BOOST_TEST(payload == "QUJD");
  int version = 0;
  BOOST_TEST(sharePayload("https://x/index.html#p2=QUJD&t=3", payload, error, &version));
  BOOST_TEST(payload == "QUJD");
  BOOST_TEST(version == 2);
  BOOST_TEST(sharePayload("https://x/#p=QUJD", payload, error, &version));
  BOOST_TEST(version == 1);
  BOOST_TEST(isShareLink("https://x/#p2=QUJD"));
  BOOST_TEST(!sharePayload("https://x/#p2=", payload, error));
  BOOST_TEST(error == "link's project part \"#p2=\" is empty");
  BOOST_TEST(!sharePayload("https://x/#p=" + std::string(kMaxShareLinkChars, 'A'), payload, error));
  BOOST_TEST(error.find("link is too long") == 0);
}

// The link carries the project JSON (deflated by the host; the core part is the payload codec): a version 2
// project with a tempo map and signature changes comes back whole.
BOOST_AUTO_TEST_CASE(a_version_2_project_with_a_tempo_map_survives_the_payload) {
  Project p = test::demoProject();
  p.tempoChanges = {{8, 90, TempoShape::Step}, {16.125, 151.5, TempoShape::Linear}};
  p.signatureChanges = {{5, 7, 8}};
  const std::string json = writeProject(p, -1);
  const std::string link = "https://x/#p=" + encodeBase64Url(std::vector<std::uint8_t>(json.begin(), json.end()));
  std::string payload, error;
  BOOST_REQUIRE(isShareLink(link));
  BOOST_REQUIRE(sharePayload(link, payload, error));
  std::vector<std::uint8_t> bytes;
  BOOST_REQUIRE_MESSAGE(decodeBase64Url(payload, bytes, error), error);
  ProjectLoad back = parseProject(std::string(bytes.begin(), bytes.end()));
  BOOST_REQUIRE_MESSAGE(back.ok(), back.errorText());
  BOOST_TEST((back.project.tempoChanges == p.tempoChanges));
  BOOST_TEST((back.project.signatureChanges == p.signatureChanges));
  BOOST_TEST(writeProject(back.project, -1) == json);
}

// Clip mute and loop and a track's colour travel in the link like the rest of the project.
BOOST_AUTO_TEST_CASE(clip_mute_loop_and_track_colour_survive_the_payload) {
  Project p = test::demoProject();
  p.tracks[3].color = "#e4572e";
  p.tracks[3].clips[0].muted = true;
  p.tracks[4].clips[0].looped = true;
  p.tracks[4].clips[0].loopStart = 1.5;
  p.tracks[4].clips[0].loopEnd = 3.75;
  const std::string json = writeProject(p, -1);
  const std::string link = "https://x/#p=" + encodeBase64Url(std::vector<std::uint8_t>(json.begin(), json.end()));
  std::string payload, error;
  BOOST_REQUIRE(sharePayload(link, payload, error));
  std::vector<std::uint8_t> bytes;
  BOOST_REQUIRE_MESSAGE(decodeBase64Url(payload, bytes, error), error);
  ProjectLoad back = parseProject(std::string(bytes.begin(), bytes.end()));
  BOOST_REQUIRE_MESSAGE(back.ok(), back.errorText());
  BOOST_TEST((back.project == p));
  BOOST_TEST(back.project.tracks[3].color == "#e4572e");
  BOOST_TEST(back.project.tracks[3].clips[0].muted);
  BOOST_TEST(back.project.tracks[4].clips[0].looped);
  BOOST_TEST(back.project.tracks[4].clips[0].loopEnd == 3.75);
}

BOOST_AUTO_TEST_SUITE_END()
