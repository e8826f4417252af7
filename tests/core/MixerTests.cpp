#include <boost/test/unit_test.hpp>

#include "Measure.h"
#include "Projects.h"
#include "devices/MixerStrip.h"
#include "engine/OfflineRender.h"

using namespace mixdown;

namespace {
constexpr double kRate = 48000.0;

std::shared_ptr<AssetPcm> sineAsset(const std::string& id, int channels, double hz, double seconds) {
  auto a = std::make_shared<AssetPcm>();
  a->id = id;
  a->sampleRate = kRate;
  std::vector<float> s(static_cast<std::size_t>(seconds * kRate));
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<float>(std::sin(2 * test::kPi * hz * i / kRate));
  a->channels.assign(static_cast<std::size_t>(channels), s);
  return a;
}

Track audioTrack(const std::string& id, const std::string& asset, double pan) {
  Track t;
  t.id = id;
  t.kind = TrackKind::Audio;
  Clip c;
  c.start = 0;
  c.length = 2;  // beats = 1 s at 120 BPM
  c.asset = asset;
  t.clips.push_back(c);
  t.strip.pan = pan;
  return t;
}

Project projectWith(std::vector<Track> tracks, int channels) {
  Project p;
  p.tempo = 120;
  Asset a;
  a.id = "sine";
  a.channels = channels;
  a.sampleRate = kRate;
  a.frames = static_cast<std::int64_t>(kRate);
  p.assets.push_back(a);
  p.tracks = std::move(tracks);
  return p;
}

std::vector<std::vector<float>> render(const Project& p, int channels) {
  AssetLibrary lib{{"sine", sineAsset("sine", channels, 1000.0, 1.0)}};
  BOOST_REQUIRE(validateProject(p).empty());
  return renderOffline(p, lib, kRate, static_cast<std::int64_t>(kRate), 128);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(mixer)

BOOST_AUTO_TEST_CASE(centre_pan_puts_a_full_scale_sine_at_minus_3_01_db_per_side) {
  auto out = render(projectWith({audioTrack("t", "sine", 0.0)}, 1), 1);
  BOOST_TEST(test::dB(test::peakOf(out[0])) == -3.0103, boost::test_tools::tolerance(0.0003 / 3.0103));
  BOOST_TEST(test::dB(test::peakOf(out[1])) == -3.0103, boost::test_tools::tolerance(0.0003 / 3.0103));
}

BOOST_AUTO_TEST_CASE(hard_left_is_0_db_left_and_silence_right) {
  auto out = render(projectWith({audioTrack("t", "sine", -1.0)}, 1), 1);
  BOOST_TEST(std::fabs(test::dB(test::peakOf(out[0]))) < 0.001);
  BOOST_TEST(test::peakOf(out[1]) == 0.0);
  auto right = render(projectWith({audioTrack("t", "sine", 1.0)}, 1), 1);
  BOOST_TEST(test::peakOf(right[0]) == 0.0);
  BOOST_TEST(std::fabs(test::dB(test::peakOf(right[1]))) < 0.001);
}

BOOST_AUTO_TEST_CASE(pan_law_keeps_power_constant_across_positions) {
  for (double pan = -1.0; pan <= 1.0001; pan += 0.125) {
    float l, r;
    MixerStrip::panGains(pan, false, l, r);
    BOOST_TEST(static_cast<double>(l) * l + static_cast<double>(r) * r == 1.0, boost::test_tools::tolerance(1e-6));
  }
}

BOOST_AUTO_TEST_CASE(stereo_sources_are_balanced_with_unity_at_centre) {
  auto out = render(projectWith({audioTrack("t", "sine", 0.0)}, 2), 2);
  BOOST_TEST(std::fabs(test::dB(test::peakOf(out[0]))) < 0.001);
  BOOST_TEST(std::fabs(test::dB(test::peakOf(out[1]))) < 0.001);
  auto left = render(projectWith({audioTrack("t", "sine", -1.0)}, 2), 2);
  BOOST_TEST(std::fabs(test::dB(test::peakOf(left[0]))) < 0.001);
  BOOST_TEST(test::peakOf(left[1]) == 0.0);
}

BOOST_AUTO_TEST_CASE(strip_gain_applies_in_db) {
  Track t = audioTrack("t", "sine", -1.0);
  t.strip.gainDb = -12.0;
  auto out = render(projectWith({t}, 1), 1);
  BOOST_TEST(test::dB(test::peakOf(out[0])) == -12.0, boost::test_tools::tolerance(0.001 / 12));
}

BOOST_AUTO_TEST_CASE(mute_silences_a_track) {
  Track t = audioTrack("t", "sine", 0.0);
  t.strip.mute = true;
  auto out = render(projectWith({t}, 1), 1);
  BOOST_TEST(test::peakOf(out[0]) == 0.0);
  BOOST_TEST(test::peakOf(out[1]) == 0.0);
}

BOOST_AUTO_TEST_CASE(solo_in_place_silences_the_other_tracks) {
  Track a = audioTrack("a", "sine", -1.0), b = audioTrack("b", "sine", 1.0);
  a.strip.solo = true;
  auto out = render(projectWith({a, b}, 1), 1);
  BOOST_TEST(std::fabs(test::dB(test::peakOf(out[0]))) < 0.001);  // the soloed track, hard left
  BOOST_TEST(test::peakOf(out[1]) == 0.0);                         // the other one is gone
  // Both soloed: both play. A soloed track that is also muted stays silent.
  b.strip.solo = true;
  out = render(projectWith({a, b}, 1), 1);
  BOOST_TEST(test::peakOf(out[1]) > 0.99);
  b.strip.mute = true;
  out = render(projectWith({a, b}, 1), 1);
  BOOST_TEST(test::peakOf(out[1]) == 0.0);
  BOOST_TEST(test::peakOf(out[0]) > 0.99);
}

BOOST_AUTO_TEST_CASE(master_gain_applies_to_the_sum) {
  Project p = projectWith({audioTrack("a", "sine", -1.0)}, 1);
  p.master.gainDb = -6.0;
  auto out = render(p, 1);
  BOOST_TEST(test::dB(test::peakOf(out[0])) == -6.0, boost::test_tools::tolerance(0.001 / 6));
}

BOOST_AUTO_TEST_CASE(nan_parameters_fall_back_to_defaults) {
  MixerStrip s;
  s.setParam(MixerStrip::kGain, std::nan(""));
  BOOST_TEST(s.param(MixerStrip::kGain) == 0.0);
  s.setParam(MixerStrip::kPan, 5.0);
  BOOST_TEST(s.param(MixerStrip::kPan) == 1.0);
}

BOOST_AUTO_TEST_SUITE_END()
