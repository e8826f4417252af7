// Stems (core/engine/Stems.h): the files of a stem export sum to the mix before the master chain, with
// the mix's delay compensation, whatever the block size.
#include <boost/test/unit_test.hpp>

#include <cstdio>

#include "AllocationCounter.h"
#include "Measure.h"
#include "Projects.h"
#include "engine/Engine.h"
#include "engine/OfflineRender.h"
#include "engine/Stems.h"

using namespace mixdown;

namespace {
constexpr double kRate = 48000;
constexpr std::int64_t kFrames = 3 * 48000;

std::shared_ptr<AssetPcm> noiseAsset() {
  auto a = std::make_shared<AssetPcm>();
  a->id = "noise";
  a->sampleRate = kRate;
  std::vector<float> l(96000), r(96000);
  unsigned s = 11;
  for (std::size_t i = 0; i < l.size(); ++i) {
    s = s * 1664525u + 1013904223u;
    l[i] = static_cast<float>(0.2 * (static_cast<double>(s >> 8) / 8388608.0 - 1.0));
    r[i] = static_cast<float>(0.1 * std::sin(0.02 * static_cast<double>(i)));
  }
  a->channels = {l, r};
  return a;
}

// A song with every path a stem export must get right: an audio track through a lookahead limiter
// (latency) to the master, a synth with a post-fader send to a reverb return and a pre-fader send to a
// delay return, a drum track and a second audio track grouped into a bus that has a compressor and a
// limiter (latency on the bus path), panning and faders everywhere, the master fader at -3 dB and a
// master chain (which stems are before).
Project stemSong() {
  Project p;
  p.tempo = 120;
  Asset a;
  a.id = "noise";
  a.channels = 2;
  a.frames = 96000;
  p.assets.push_back(a);
  Track audio;
  audio.id = "vox";
  audio.name = "Lead Vox";
  audio.kind = TrackKind::Audio;
  Clip c;
  c.start = 0;
  c.length = 4;
  c.asset = "noise";
  audio.clips.push_back(c);
  audio.inserts.push_back({"mixdown.limiter", {{"ceiling", -6.0}}, false, {}});
  audio.strip = {-2.0, -0.3, false, false};
  audio.sends.push_back({"verb", -8.0, false});
  Track synth = test::synthTrack("keys", {});
  synth.name = "Keys/Pad: 1";
  Clip notes;
  notes.start = 0;
  notes.length = 4;
  for (int k = 0; k < 8; ++k) notes.notes.push_back({60 + (k % 5) * 2, 0.5 * k, 0.4, 0.8});
  synth.clips.push_back(notes);
  synth.strip = {-4.0, 0.4, false, false};
  synth.sends.push_back({"verb", -6.0, false});
  synth.sends.push_back({"echo", -10.0, true});
  Track drums;
  drums.id = "kit";
  drums.name = "Drums";
  drums.kind = TrackKind::Instrument;
  drums.instrument = DeviceState{"mixdown.drums", {}, false, {}};
  Clip beat;
  beat.start = 0;
  beat.length = 4;
  for (int k = 0; k < 8; ++k) beat.notes.push_back({k % 2 ? 38 : 36, 0.5 * k, 0.25, 0.9});
  drums.clips.push_back(beat);
  drums.output = "group";
  drums.strip = {-12.0, 0.1, false, false};
  Track audio2 = audio;
  audio2.id = "gtr";
  audio2.name = "Guitar";
  audio2.inserts.clear();
  audio2.sends.clear();
  audio2.strip = {-9.0, 0.7, false, false};
  audio2.output = "group";
  Track group;
  group.id = "group";
  group.name = "Drum Bus";
  group.kind = TrackKind::Bus;
  group.inserts.push_back({"mixdown.compressor", {{"threshold", -24.0}, {"ratio", 4.0}}, false, {}});
  group.inserts.push_back({"mixdown.limiter", {{"ceiling", -3.0}}, false, {}});
  group.strip = {-1.0, 0.0, false, false};
  Track verb;
  verb.id = "verb";
  verb.name = "Reverb";
  verb.kind = TrackKind::Bus;
  verb.inserts.push_back({"mixdown.reverb", {}, false, {}});
  Track echo;
  echo.id = "echo";
  echo.name = "Echo";
  echo.kind = TrackKind::Bus;
  echo.inserts.push_back({"mixdown.delay", {}, false, {}});
  p.tracks = {audio, synth, drums, audio2, group, verb, echo};
  p.master.gainDb = -3.0;
  p.master.devices.push_back({"mixdown.compressor", {{"threshold", -30.0}, {"ratio", 8.0}}, false, {}});
  return p;
}

struct StemRender {
  std::vector<std::array<std::vector<float>, 2>> stems;  // per project track
  std::vector<std::vector<float>> mix{2};
};

StemRender renderStems(const Project& p, int block, const std::vector<int>& splits = {}) {
  StemRender out;
  out.stems.resize(p.tracks.size());
  renderStemsTo(p, {{"noise", noiseAsset()}}, kRate, kFrames, block, splits, [&](const StemTap& tap, const float* l, const float* r, int n) {
    for (std::size_t k = 0; k < tap.stems.size(); ++k)
      for (int c = 0; c < 2; ++c) out.stems[k][static_cast<std::size_t>(c)].insert(out.stems[k][static_cast<std::size_t>(c)].end(), tap.stems[k].out[c].begin(), tap.stems[k].out[c].begin() + n);
    out.mix[0].insert(out.mix[0].end(), l, l + n);
    out.mix[1].insert(out.mix[1].end(), r, r + n);
  });
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(Stems)

BOOST_AUTO_TEST_CASE(stems_with_buses_sum_to_the_mix_before_the_master_chain) {
  const Project song = stemSong();
  const StemRender r = renderStems(song, 128);
  Project preMaster = song;
  preMaster.master.devices.clear();  // the master fader stays: the mix before the chain includes it
  const auto reference = renderOffline(preMaster, {{"noise", noiseAsset()}}, kRate, kFrames, 128);
  const auto files = stemFiles(song, true);
  int inMix = 0;
  double worst = 0, peak = 0;
  for (int c = 0; c < 2; ++c)
    for (std::size_t i = 0; i < static_cast<std::size_t>(kFrames); ++i) {
      double sum = 0;
      for (const StemFile& f : files)
        if (f.inMix) sum += r.stems[static_cast<std::size_t>(f.track)][static_cast<std::size_t>(c)][i];
      worst = std::max(worst, std::fabs(sum - reference[static_cast<std::size_t>(c)][i]));
      peak = std::max(peak, std::fabs(static_cast<double>(reference[static_cast<std::size_t>(c)][i])));
    }
  for (const StemFile& f : files) inMix += f.inMix;
  std::printf("stems: %d files sum to the pre-master mix within %.1f dBFS (peak residual; the mix peaks at %.1f dBFS)\n", inMix,
              test::dB(worst), test::dB(peak));
  BOOST_TEST(inMix == 5);  // vox, keys, the drum bus, reverb, echo
  BOOST_TEST(peak > 0.05);
  BOOST_TEST(test::dB(worst) < -120.0, "residual " << test::dB(worst) << " dBFS");
  // And the master chain is not in them: the real mix differs from their sum.
  double chainMoves = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(kFrames); ++i) chainMoves = std::max(chainMoves, std::fabs(static_cast<double>(r.mix[0][i]) - reference[0][i]));
  BOOST_TEST(chainMoves > 1e-3);
}

BOOST_AUTO_TEST_CASE(stem_files_are_named_numbered_and_placed) {
  const auto withBuses = stemFiles(stemSong(), true);
  BOOST_REQUIRE(withBuses.size() == 7u);
  BOOST_TEST(withBuses[0].path == "01 Lead Vox");
  BOOST_TEST(withBuses[1].path == "02 Keys_Pad_ 1");
  BOOST_TEST(withBuses[2].path == "inside buses/03 Drums");
  BOOST_TEST(!withBuses[2].inMix);
  BOOST_TEST(withBuses[4].path == "05 Drum Bus (bus)");
  BOOST_TEST((withBuses[4].kind == StemKind::Bus));
  BOOST_TEST(withBuses[5].path == "06 Reverb (return)");
  BOOST_TEST((withBuses[5].kind == StemKind::Return));
  const auto tracksOnly = stemFiles(stemSong(), false);
  BOOST_TEST(tracksOnly.size() == 4u);
  BOOST_TEST(tracksOnly[2].path == "03 Drums");
  BOOST_TEST(!tracksOnly[0].inMix);  // the song has buses: tracks alone do not make the mix
  Project p;
  p.tracks.resize(12);
  for (std::size_t i = 0; i < 12; ++i) p.tracks[i].id = "t" + std::to_string(i);
  p.tracks[3].name = "../..";
  const auto many = stemFiles(p, false);
  BOOST_TEST(many[3].path == "04 _");  // no path can climb out of the folder
  BOOST_TEST(many[11].path == "12 t11");
  BOOST_TEST(many[0].inMix);
}

BOOST_AUTO_TEST_CASE(a_track_inside_a_latent_bus_lines_up_with_the_bus_stem) {
  // One audio track into a bus whose only insert is a limiter far under its ceiling (exactly a delay of
  // its lookahead) at unity: the track's stem, delayed by the bus path, equals the bus's stem.
  Project p = stemSong();
  Track gtr = p.tracks[3], group = p.tracks[4];
  gtr.strip = {};
  group.strip = {};
  group.inserts = {{"mixdown.limiter", {{"ceiling", 0.0}}, false, {}}};
  p.tracks = {gtr, group};
  p.master = {};
  const StemRender r = renderStems(p, 128);
  double worst = 0;
  for (int c = 0; c < 2; ++c)
    for (std::size_t i = 0; i < static_cast<std::size_t>(kFrames); ++i)
      worst = std::max(worst, std::fabs(static_cast<double>(r.stems[0][static_cast<std::size_t>(c)][i]) - r.stems[1][static_cast<std::size_t>(c)][i]));
  BOOST_TEST(test::peakOf(r.stems[1][0]) > 0.05);
  BOOST_TEST(worst == 0.0, "track vs bus stem: " << test::dB(worst) << " dBFS");
  // The limiter's lookahead really delays the bus: the undelayed source is not aligned with it.
  BOOST_TEST(r.stems[0][0][100] == 0.0f);
}

BOOST_AUTO_TEST_CASE(stems_do_not_depend_on_the_block_size) {
  const Project song = stemSong();
  const StemRender a = renderStems(song, 128);
  const StemRender b = renderStems(song, 512, {1, 17, 300, 64, 511, 7});
  for (std::size_t k = 0; k < a.stems.size(); ++k)
    for (int c = 0; c < 2; ++c) BOOST_TEST((a.stems[k][static_cast<std::size_t>(c)] == b.stems[k][static_cast<std::size_t>(c)]), "stem " << k << " channel " << c);
  BOOST_TEST((a.mix == b.mix));
}

BOOST_AUTO_TEST_CASE(tapping_stems_allocates_nothing_on_the_audio_thread) {
  Engine engine(kRate, 256);
  engine.setProject(stemSong(), {{"noise", noiseAsset()}});
  StemTap tap;
  engine.attachStems(&tap);
  engine.play();
  std::vector<float> l(256), r(256);
  engine.process(l.data(), r.data(), 256);  // the first block adopts the plan
  test::allocationsOnAudioThread = 0;
  test::inAudioThread = true;
  for (int i = 0; i < 200; ++i) engine.process(l.data(), r.data(), 256);
  test::inAudioThread = false;
  BOOST_TEST(test::allocationsOnAudioThread == 0);
  BOOST_TEST(tap.frames == 256);
  BOOST_TEST(test::peakOf(tap.stems[0].out[0]) > 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
