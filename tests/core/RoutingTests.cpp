// Insert chains on tracks and delay compensation: an insert changes a track exactly as the device does on
// its own, latent inserts keep every track sample-aligned (a null test), and live parameter edits reach the
// playing plan.
#include <boost/test/unit_test.hpp>

#include "Measure.h"
#include "Projects.h"
#include "devices/ParametricEq.h"
#include "engine/Engine.h"
#include "engine/OfflineRender.h"
#include "model/ProjectJson.h"

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
  DeviceState eq{"mixdown.eq", {{"type2", ParametricEq::Peak}, {"freq2", 2500}, {"gain2", 9}, {"q2", 1.2}, {"type1", ParametricEq::LowCut24}, {"freq1", 200}}, false, {}};
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
    alone.process(ProcessContext::stereo(in, out, 128));
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
  a.inserts.push_back({"mixdown.limiter", {{"ceiling", 0.0}}, false, {}});
  b.inserts.push_back({"mixdown.utility", {{"invertLeft", 1}, {"invertRight", 1}}, false, {}});
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
  t.inserts.push_back({"mixdown.utility", {}, false, {}});
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

namespace {
Track busTrack(const std::string& id) {
  Track t;
  t.id = id;
  t.kind = TrackKind::Bus;
  return t;
}
double worstDifference(const std::vector<std::vector<float>>& a, const std::vector<std::vector<float>>& b, float scaleB = 1.0f) {
  double worst = 0;
  for (int c = 0; c < 2; ++c)
    for (std::size_t i = 0; i < a[c].size(); ++i) worst = std::max(worst, std::fabs(static_cast<double>(a[c][i]) - scaleB * b[c][i]));
  return worst;
}
}  // namespace

BOOST_AUTO_TEST_CASE(groups_sends_and_returns_sum_as_expected) {
  AssetLibrary assets{{"noise", noiseAsset("noise", 96000)}};
  const auto direct = renderOffline(songOf({audioTrack("a")}), assets, kRate, 48000, 128);
  // Through a group bus at unity: the same audio.
  Track a = audioTrack("a");
  a.output = "group";
  BOOST_TEST(worstDifference(renderOffline(songOf({a, busTrack("group")}), assets, kRate, 48000, 128), direct) < 1e-7);
  // Plus a post-fader send at -6.02 dB to a return: 1.5 times the audio.
  Track b = audioTrack("a");
  b.sends.push_back({"return", 20 * std::log10(0.5), false});
  BOOST_TEST(worstDifference(renderOffline(songOf({b, busTrack("return")}), assets, kRate, 48000, 128), direct, 1.5f) < 1e-6);
  // A pre-fader send keeps sending with the fader down: only the return's half is heard.
  Track c = b;
  c.sends[0].preFader = true;
  c.strip.gainDb = -144;
  BOOST_TEST(worstDifference(renderOffline(songOf({c, busTrack("return")}), assets, kRate, 48000, 128), direct, 0.5f) < 1e-6);
  // The bus's own fader and mute act on everything it carries.
  Track g = busTrack("group");
  g.strip.mute = true;
  BOOST_TEST(test::peakOf(renderOffline(songOf({a, g}), assets, kRate, 48000, 128)[0]) == 0.0);
}

BOOST_AUTO_TEST_CASE(routing_cycles_and_bad_targets_are_refused_clearly) {
  Project p = songOf({audioTrack("a"), busTrack("b"), busTrack("c")});
  p.tracks[0].output = "b";
  p.tracks[1].output = "c";
  p.tracks[2].sends.push_back({"b", 0, false});
  auto issues = validateProject(p);
  BOOST_REQUIRE(!issues.empty());
  BOOST_TEST(issues[0].text() == "tracks[2].sends[0].target: routing cycle: \"b\" -> \"c\" -> \"b\"", issues[0].text());
  // A sidechain can close a loop too: b's compressor keyed by c, which b feeds.
  Project q = songOf({audioTrack("a"), busTrack("b"), busTrack("c")});
  q.tracks[1].output = "c";
  q.tracks[1].inserts.push_back({"mixdown.compressor", {{"sidechain", 1}}, false, "c"});
  issues = validateProject(q);
  BOOST_REQUIRE(!issues.empty());
  BOOST_TEST(issues[0].text().find("routing cycle") != std::string::npos, issues[0].text());
  // Outputs name buses; a track is not a bus.
  Project r = songOf({audioTrack("a"), audioTrack("x")});
  r.tracks[0].output = "x";
  r.tracks[1].sends.push_back({"nowhere", 0, false});
  issues = validateProject(r);
  BOOST_REQUIRE_EQUAL(issues.size(), 2u);
  BOOST_TEST(issues[0].text() == "tracks[0].output: \"x\" is not a bus (only buses take other tracks' audio)");
  BOOST_TEST(issues[1].text() == "tracks[1].sends[0].target: no track \"nowhere\" to send to");
}

BOOST_AUTO_TEST_CASE(a_track_ducks_under_another_through_its_sidechain) {
  // The "kick" (a 1 kHz tone at -6 dBFS) keys the bass's compressor (threshold -30, 4:1): the bass
  // (220 Hz at -12 dBFS) comes out 18 dB down; without the key it is untouched.
  auto tone = [](const std::string& id, double hz, double amp) {
    auto a = std::make_shared<AssetPcm>();
    a->id = id;
    a->sampleRate = kRate;
    std::vector<float> x(96000);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(amp * std::sin(2 * test::kPi * hz * i / kRate));
    a->channels = {x, x};
    return a;
  };
  AssetLibrary assets{{"kick", tone("kick", 1000, 0.5)}, {"bass", tone("bass", 220, 0.25)}};
  Track kick = audioTrack("kick"), bass = audioTrack("bass");
  kick.clips[0].asset = "kick";
  bass.clips[0].asset = "bass";
  Project p = songOf({bass, kick});  // the bass comes first in the list: the order of rendering is the engine's business
  Asset k = p.assets[0];
  k.id = "kick";
  p.assets.push_back(k);
  p.assets[0].id = "bass";
  DeviceState comp{"mixdown.compressor", {{"threshold", -30}, {"ratio", 4}, {"knee", 0}, {"attack", 1}, {"release", 300}, {"sidechain", 1}}, false, "kick"};
  p.tracks[0].inserts.push_back(comp);
  BOOST_REQUIRE(validateProject(p).empty());
  const auto out = renderOffline(p, assets, kRate, 96000, 128);
  const double ducked = test::levelAt(out[0], 48000, 32768, kRate, 220) - test::dB(0.25);
  BOOST_TEST(std::fabs(ducked + 18.0) < 0.3, "bass ducked by " << ducked << " dB");
  p.tracks[0].inserts[0].sidechain = "";  // keyed by itself: -12 dBFS is 18 dB over, 4:1 -> 13.5 dB down
  const double self = test::levelAt(renderOffline(p, assets, kRate, 96000, 128)[0], 48000, 32768, kRate, 220) - test::dB(0.25);
  BOOST_TEST(std::fabs(self + 13.5) < 0.3, "self-keyed: " << self << " dB");
}

BOOST_AUTO_TEST_CASE(delay_compensation_through_a_bus_null_test) {
  // Track a reaches the master through a bus carrying a limiter (160 samples); track b, the same audio
  // inverted, goes straight there. The direct path is delayed to match: silence.
  AssetLibrary assets{{"noise", noiseAsset("noise", 96000)}};
  Track a = audioTrack("a"), b = audioTrack("b"), bus = busTrack("bus");
  a.output = "bus";
  bus.inserts.push_back({"mixdown.limiter", {{"ceiling", 0.0}}, false, ""});
  b.inserts.push_back({"mixdown.utility", {{"invertLeft", 1}, {"invertRight", 1}}, false, ""});
  const auto out = renderOffline(songOf({a, bus, b}), assets, kRate, 96000, 100);
  BOOST_TEST(test::peakOf(out[0]) == 0.0, "residual " << test::dB(test::peakOf(out[0])) << " dBFS");
  BOOST_TEST(test::peakOf(out[1]) == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(Meters)

BOOST_AUTO_TEST_CASE(rms_and_correlation_read_what_they_should) {
  constexpr int n = 3 * 48000;  // ten time constants of the 300 ms averages: settled
  std::vector<float> sine(n), inverted(n), other(n);
  unsigned s = 1;
  for (int i = 0; i < n; ++i) {
    sine[static_cast<std::size_t>(i)] = static_cast<float>(0.5 * std::sin(2 * test::kPi * 997 * i / 48000.0));
    inverted[static_cast<std::size_t>(i)] = -sine[static_cast<std::size_t>(i)];
    s = s * 1664525u + 1013904223u;
    other[static_cast<std::size_t>(i)] = static_cast<float>(static_cast<double>(s >> 8) / 8388608.0 - 1.0);
  }
  PeakMeter m;
  m.prepare(48000);
  m.add(sine.data(), other.data(), n);
  float l = 0, r = 0;
  m.rms(l, r);
  BOOST_TEST(std::fabs(test::dB(l) - test::dB(0.5 / std::sqrt(2.0))) < 0.1, "sine RMS " << test::dB(l) << " dBFS");
  BOOST_TEST(std::fabs(test::dB(r) - test::dB(1.0 / std::sqrt(3.0))) < 0.2, "uniform noise RMS " << test::dB(r) << " dBFS");
  auto correlation = [](const std::vector<float>& a, const std::vector<float>& b) {
    CorrelationMeter c;
    c.prepare(48000);
    c.add(a.data(), b.data(), static_cast<int>(a.size()));
    return c.value();
  };
  BOOST_TEST(correlation(sine, sine) > 0.999f);
  BOOST_TEST(correlation(sine, inverted) < -0.999f);
  BOOST_TEST(std::fabs(correlation(sine, other)) < 0.1f);
  std::vector<float> silence(n, 0.0f);
  BOOST_TEST(correlation(silence, silence) == 0.0f);
}

BOOST_AUTO_TEST_CASE(dynamics_inserts_meter_their_gain_reduction) {
  // DC at 0.5 (-6.02 dBFS) into a compressor at -30 dB, 4:1, hard knee: 23.98 dB over, 17.99 dB reduced.
  auto dc = std::make_shared<AssetPcm>();
  dc->id = "noise";
  dc->sampleRate = kRate;
  dc->channels.assign(2, std::vector<float>(96000, 0.5f));
  AssetLibrary assets{{"noise", dc}};
  Track t = audioTrack("t");
  t.inserts.push_back({"mixdown.compressor", {{"threshold", -30}, {"ratio", 4}, {"knee", 0}, {"attack", 1}}, false, {}});
  t.inserts.push_back({"mixdown.gate", {}, true, {}});  // bypassed: not playing
  t.inserts.push_back({"mixdown.eq", {}, false, {}});
  t.inserts.push_back({"mixdown.gate", {{"threshold", -40}, {"range", 40}}, false, {}});  // open: the compressed DC (-24 dBFS) is above
  Engine engine(kRate, 128);
  engine.setProject(songOf({t}), assets);
  engine.play();
  std::vector<float> l(128), r(128);
  for (int i = 0; i < 375; ++i) engine.process(l.data(), r.data(), 128);  // 1 s
  for (int k = 0; k < 4; ++k) (void)engine.takeInsertReduction(0, k);  // attacks over: read after a settled second
  for (int i = 0; i < 375; ++i) engine.process(l.data(), r.data(), 128);
  const double expected = (20.0 * std::log10(0.5) + 30.0) * (1.0 - 1.0 / 4.0);  // 23.98 dB over, 17.99 dB off
  const double gr = engine.takeInsertReduction(0, 0);
  BOOST_TEST_MESSAGE("compressor gain reduction " << gr << " dB, static curve " << expected << " dB");
  BOOST_TEST(std::fabs(gr - expected) < 0.05);
  BOOST_TEST(engine.takeInsertReduction(0, 0) == 0.0);    // taken: nothing since
  BOOST_TEST(engine.takeInsertReduction(0, 1) == -1.0);   // bypassed
  BOOST_TEST(engine.takeInsertReduction(0, 2) == 0.0);    // an EQ reduces nothing
  BOOST_TEST(engine.takeInsertReduction(0, 3) == 0.0);    // an open gate neither
  BOOST_TEST(engine.takeInsertReduction(0, 9) == -1.0);   // no such insert
  BOOST_TEST(engine.takeInsertReduction(4, 0) == -1.0);   // no such track
  // A closed gate reports its range.
  t.inserts[3].params["threshold"] = -3;
  engine.setProject(songOf({t}), assets);
  for (int i = 0; i < 375; ++i) engine.process(l.data(), r.data(), 128);
  const double gate = engine.takeInsertReduction(0, 3);
  BOOST_TEST_MESSAGE("closed gate: " << gate << " dB");
  BOOST_TEST(std::fabs(gate - 40.0) < 0.01);
}

BOOST_AUTO_TEST_SUITE_END()
