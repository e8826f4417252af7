// Insert chains on tracks and delay compensation: an insert changes a track exactly as the device does on
// its own, latent inserts keep every track sample-aligned (a null test), and live parameter edits reach the
// playing plan.
#include <boost/test/unit_test.hpp>

#include "Measure.h"
#include "Projects.h"
#include "devices/ParametricEq.h"
#include "engine/Engine.h"
#include "engine/OfflineRender.h"

using namespace mixdown;

namespace {
constexpr double kRate = 48000;

std::shared_ptr<AssetPcm> noiseAsset(const std::string& id, std::size_t frames) {
  auto a = std::make_shared<AssetPcm>();
  a->id = id;
  a->sampleRate = kRate;
  std::vector<float> l(frames), r(frames);
  unsigned s = 7;
  for (std::size_t i = 0; i < frames; ++i) {
    s = s * 1664525u + 1013904223u;
    l[i] = static_cast<float>(0.1 * (static_cast<double>(s >> 8) / 8388608.0 - 1.0));
    r[i] = static_cast<float>(0.05 * std::sin(0.03 * static_cast<double>(i)));
  }
  a->channels = {l, r};
  return a;
}

Track audioTrack(const std::string& id) {
  Track t;
  t.id = id;
  t.kind = TrackKind::Audio;
  Clip c;
  c.start = 0;
  c.length = 4;  // beats = 2 s at 120 BPM
  c.asset = "noise";
  t.clips.push_back(c);
  return t;
}

Project songOf(std::vector<Track> tracks) {
  Project p;
  p.tempo = 120;
  Asset a;
  a.id = "noise";
  a.channels = 2;
  a.frames = 96000;
  p.assets.push_back(a);
  p.tracks = std::move(tracks);
  return p;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(Routing)

BOOST_AUTO_TEST_CASE(an_insert_changes_the_track_exactly_as_the_device_alone) {
  AssetLibrary assets{{"noise", noiseAsset("noise", 96000)}};
  Track dry = audioTrack("t");
  Track eqd = dry;
  DeviceState eq{"mixdown.eq", {{"type2", ParametricEq::Peak}, {"freq2", 2500}, {"gain2", 9}, {"q2", 1.2}, {"type1", ParametricEq::LowCut24}, {"freq1", 200}}, false};
  eqd.inserts.push_back(eq);
  const auto plain = renderOffline(songOf({dry}), assets, kRate, 96000, 128);
  const auto through = renderOffline(songOf({eqd}), assets, kRate, 96000, 128);
  // The same EQ run by hand over the dry track (its strip is unity at centre for a stereo source).
  ParametricEq alone;
  for (const auto& [id, v] : eq.params) alone.setParam(id, v);
  alone.prepare(kRate, 128);
  std::vector<float> l = plain[0], r = plain[1];
  for (std::size_t at = 0; at < l.size(); at += 128) {
    const float* in[2] = {l.data() + at, r.data() + at};
    float* out[2] = {l.data() + at, r.data() + at};
    ProcessContext c;
    c.inputs = in, c.inputChannels = 2, c.outputs = out, c.outputChannels = 2, c.frames = 128;
    alone.process(c);
  }
  double worst = 0;
  for (std::size_t i = 0; i < l.size(); ++i) worst = std::max({worst, std::fabs(static_cast<double>(through[0][i]) - l[i]), std::fabs(static_cast<double>(through[1][i]) - r[i])});
  BOOST_TEST(worst < 1e-6, "insert vs device alone: " << worst);
  BOOST_TEST(test::peakOf(through[0]) > 0.01);
}

BOOST_AUTO_TEST_CASE(delay_compensation_keeps_a_latent_path_aligned_null_test) {
  // Track A through a limiter (latency 160 samples, far under its ceiling: exactly a delay); track B the
  // same audio polarity-inverted with no latency. Compensated, they cancel to silence.
  AssetLibrary assets{{"noise", noiseAsset("noise", 96000)}};
  Track a = audioTrack("a"), b = audioTrack("b");
  a.inserts.push_back({"mixdown.limiter", {{"ceiling", 0.0}}, false});
  b.inserts.push_back({"mixdown.utility", {{"invertLeft", 1}, {"invertRight", 1}}, false});
  for (int block : {128, 37}) {
    const auto out = renderOffline(songOf({a, b}), assets, kRate, 96000, block);
    BOOST_TEST(test::peakOf(out[0]) == 0.0, "block " << block << ": residual " << test::dB(test::peakOf(out[0])) << " dBFS");
    BOOST_TEST(test::peakOf(out[1]) == 0.0);
  }
  // And it is the compensation that does it: track A alone is the audio, 160 samples late.
  const auto alone = renderOffline(songOf({a}), assets, kRate, 4000, 128);
  const auto src = renderOffline(songOf({audioTrack("x")}), assets, kRate, 4000, 128);
  BOOST_TEST(alone[0][1000] == src[0][1000 - 160]);
  // A bypassed latent insert is left out, and so is its latency.
  a.inserts[0].bypass = true;
  const auto bypassed = renderOffline(songOf({a, b}), assets, kRate, 4000, 128);
  BOOST_TEST(test::peakOf(bypassed[0]) == 0.0);
}

BOOST_AUTO_TEST_CASE(a_live_insert_edit_reaches_the_playing_plan) {
  AssetLibrary assets{{"noise", noiseAsset("noise", 96000)}};
  Track t = audioTrack("t");
  t.inserts.push_back({"mixdown.utility", {}, false});
  Engine engine(kRate, 128);
  engine.setProject(songOf({t}), assets);
  engine.play();
  std::vector<float> l(128), r(128);
  for (int i = 0; i < 40; ++i) engine.process(l.data(), r.data(), 128);
  const double before = test::peakOf(l);
  BOOST_TEST(engine.setInsertParam(0, 0, "gain", -60));  // -60 dB: off
  BOOST_TEST(!engine.setInsertParam(0, 3, "gain", 0));   // no such insert
  for (int i = 0; i < 40; ++i) engine.process(l.data(), r.data(), 128);
  BOOST_TEST(before > 0.01);
  BOOST_TEST(test::peakOf(l) == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
