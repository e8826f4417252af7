// Project bundles (core/interchange/Bundle.h through native-host's libzip and OpenSSL) and stems on the
// command line: a bundle carries a song and its audio whole and renders exactly as the song with its
// files; damaged, incomplete or tampered bundles are refused naming the entry; `render --stems` writes
// files that sum to the mix before the master chain.
#include <boost/test/unit_test.hpp>
#include <sys/wait.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "AudioFile.h"
#include "CliError.h"
#include "Measure.h"
#include "Projects.h"
#include "ProjectSource.h"
#include "ZipArchive.h"
#include "interchange/Bundle.h"
#include "model/ProjectJson.h"

namespace fs = std::filesystem;
using namespace mixdown;

namespace {

struct Ran {
  int exitCode = -1;
  std::string output;
};

Ran runMixdown(const std::string& args) {
  const std::string cmd = std::string(MIXDOWN_BIN) + " " + args + " 2>&1";
  Ran r;
  FILE* pipe = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) r.output.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  return r;
}

struct Folder {
  fs::path path;
  Folder() {
    static int n = 0;
    path = fs::temp_directory_path() / ("mixdown-bundle-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::create_directories(path);
  }
  ~Folder() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

std::string q(const std::string& path) { return "'" + path + "'"; }

const Sha256Of kSha = [](const ArchiveEntry& e) { return cli::sha256OfBytes(e.bytes); };

// A song with audio (a 44.1 kHz WAV through a lookahead limiter, a 48 kHz FLAC grouped into a bus with
// a compressor), a synth with a send to a reverb return, and a master chain; its files in `dir`.
std::string writeSong(const Folder& dir) {
  std::vector<float> l(44100), r(44100), m(96000);
  for (std::size_t i = 0; i < l.size(); ++i) {
    l[i] = static_cast<float>(0.4 * std::sin(2 * test::kPi * 110 * i / 44100.0) * std::exp(-i / 9000.0));
    r[i] = static_cast<float>(0.3 * std::sin(2 * test::kPi * 165 * i / 44100.0) * std::exp(-i / 7000.0));
  }
  for (std::size_t i = 0; i < m.size(); ++i) m[i] = static_cast<float>(0.25 * std::sin(2 * test::kPi * 330 * i / 48000.0));
  cli::writeAudioFile(dir / "hit.wav", {l, r}, 44100, cli::parseOutputFormat("wav24"), DitherShape::None);
  cli::writeAudioFile(dir / "tone.flac", {m}, 48000, cli::parseOutputFormat("flac24"), DitherShape::None);
  Project p;
  p.title = "Bundle Song";
  p.assets.push_back({"hit", "hit.wav", cli::sha256OfFile(dir / "hit.wav"), 44100, 2, 44100, "hit.wav"});
  p.assets.push_back({"tone", "tone.flac", cli::sha256OfFile(dir / "tone.flac"), 48000, 1, 96000, "tone.flac"});
  Track hit;
  hit.id = "hit";
  hit.name = "Hit";
  hit.kind = TrackKind::Audio;
  for (double at : {0.0, 2.0, 4.0}) {
    Clip c;
    c.start = at;
    c.length = 2;
    c.asset = "hit";
    hit.clips.push_back(c);
  }
  hit.inserts.push_back({"mixdown.limiter", {{"ceiling", -6.0}}, false, {}});
  hit.sends.push_back({"verb", -9.0, false});
  Track tone = hit;
  tone.id = "tone";
  tone.name = "Tone";
  tone.clips = {};
  Clip c;
  c.start = 1;
  c.length = 4;
  c.asset = "tone";
  tone.clips.push_back(c);
  tone.inserts.clear();
  tone.sends.clear();
  tone.output = "bus";
  tone.strip.pan = -0.5;
  Track keys = test::synthTrack("keys", {});
  keys.name = "Keys";
  Clip n;
  n.start = 0;
  n.length = 6;
  for (int k = 0; k < 6; ++k) n.notes.push_back({57 + 3 * k, 0.7, 1.0 * k, 0.8});
  keys.clips.push_back(n);
  keys.sends.push_back({"verb", -6.0, true});
  keys.strip.gainDb = -6;
  Track bus;
  bus.id = "bus";
  bus.name = "Group";
  bus.kind = TrackKind::Bus;
  bus.inserts.push_back({"mixdown.compressor", {{"threshold", -20.0}}, false, {}});
  Track verb;
  verb.id = "verb";
  verb.name = "Room";
  verb.kind = TrackKind::Bus;
  verb.inserts.push_back({"mixdown.reverb", {}, false, {}});
  p.tracks = {hit, tone, keys, bus, verb};
  p.master.gainDb = -2;
  p.master.devices.push_back({"mixdown.compressor", {{"threshold", -24.0}, {"ratio", 6.0}}, false, {}});
  const std::string path = dir / "song.json";
  std::ofstream(path) << writeProject(p);
  return path;
}

std::string readBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string refusal(const Archive& a) { return readBundle(a, kSha).error; }

}  // namespace

BOOST_AUTO_TEST_SUITE(bundles)

BOOST_AUTO_TEST_CASE(a_bundle_round_trips_the_project_and_its_audio) {
  Folder dir;
  const Project song = parseProject(readBytes(writeSong(dir))).project;
  std::vector<BundleFile> files;
  for (const Asset& a : song.assets) files.push_back({a.id, readBytes(dir / a.path), a.sha256});
  std::string error;
  const Archive written = writeBundle(song, files, error);
  BOOST_REQUIRE_MESSAGE(error.empty(), error);
  const Archive back = cli::readZipBytes(cli::writeZipBytes(written), "song.mixdown");
  const BundleRead read = readBundle(back, kSha);
  BOOST_REQUIRE_MESSAGE(read.ok(), read.error);
  BOOST_TEST(read.warnings.empty());
  // The same song, its assets now naming their entries by hash.
  Project expected = song;
  for (Asset& a : expected.assets) a.path = "audio/" + a.sha256 + (a.id == "hit" ? ".wav" : ".flac");
  BOOST_TEST((read.project == expected));
  BOOST_REQUIRE(read.audio.size() == 2u);
  for (const BundleAudio& a : read.audio) {
    const Asset* asset = read.project.findAsset(a.assetId);
    BOOST_TEST(back.find(a.entry)->bytes == readBytes(dir / song.findAsset(a.assetId)->path), a.entry);
    BOOST_TEST(a.entry == asset->path);
  }
  // And the audio decodes from memory exactly as from the file.
  BOOST_TEST(cli::readAudioBytes(back.find(read.audio[0].entry)->bytes, "hit.wav").channels == cli::readAudioFile(dir / "hit.wav").channels);
  BOOST_TEST(cli::readAudioBytes(back.find(read.audio[1].entry)->bytes, "tone.flac").channels == cli::readAudioFile(dir / "tone.flac").channels);
}

BOOST_AUTO_TEST_CASE(incomplete_tampered_or_invalid_bundles_are_refused_naming_the_entry) {
  Folder dir;
  const Project song = parseProject(readBytes(writeSong(dir))).project;
  std::vector<BundleFile> files;
  for (const Asset& a : song.assets) files.push_back({a.id, readBytes(dir / a.path), a.sha256});
  std::string error;
  const Archive good = writeBundle(song, files, error);
  const std::string hitEntry = "audio/" + song.findAsset("hit")->sha256 + ".wav";

  Archive missing = good;
  std::erase_if(missing.entries, [&](const ArchiveEntry& e) { return e.path == hitEntry; });
  BOOST_TEST(refusal(missing) == "project.json: assets[0] (\"hit\"): its audio \"" + hitEntry + "\" is not in the bundle");

  Archive tampered = good;
  for (auto& e : tampered.entries)
    if (e.path == hitEntry) e.bytes[200] ^= 1;
  const std::string why = refusal(tampered);
  BOOST_TEST(why.rfind(hitEntry + ": SHA-256 ", 0) == 0u, why);
  BOOST_TEST(why.find("that project.json: assets[0] (\"hit\") names: the file was damaged or replaced") != std::string::npos, why);

  Archive badJson = good;
  badJson.entries[0].bytes.replace(badJson.entries[0].bytes.find("\"tempo\": 120.0"), 14, "\"tempo\": -5");
  BOOST_TEST(refusal(badJson).rfind("project.json: tempo", 0) == 0u, refusal(badJson));
  Archive notJson = good;
  notJson.entries[0].bytes.resize(40);
  BOOST_TEST(refusal(notJson).rfind("project.json: ", 0) == 0u, refusal(notJson));

  Archive noProject = good;
  noProject.entries.erase(noProject.entries.begin());
  BOOST_TEST(refusal(noProject).rfind("project.json: missing", 0) == 0u);

  Archive noHash = good;
  const std::string sha = song.findAsset("tone")->sha256;
  noHash.entries[0].bytes.replace(noHash.entries[0].bytes.find("\"sha256\": \"" + sha + "\""), 76, "\"sha256\": \"\"");
  BOOST_TEST(refusal(noHash) == "project.json: assets[1] (\"tone\").sha256: missing: a bundle's assets carry the SHA-256 of their file", refusal(noHash));

  // Entries that are not the song's are ignored, each named.
  Archive junk = good;
  junk.add("__MACOSX/._project.json", "x");
  junk.add("cover.png", "png");
  const BundleRead read = readBundle(junk, kSha);
  BOOST_TEST(read.ok(), read.error);
  BOOST_REQUIRE(read.warnings.size() == 2u);
  BOOST_TEST(read.warnings[0] == "__MACOSX/._project.json: not part of the song; ignored");

  // A writer without a played asset's file makes nothing.
  const Archive none = writeBundle(song, {files[1]}, error);
  BOOST_TEST(none.entries.empty());
  BOOST_TEST(error == "asset \"hit\" (hit.wav): its audio file is missing, and a track plays it");
}

BOOST_AUTO_TEST_CASE(a_rendered_bundle_is_bit_identical_to_the_song_with_its_files) {
  Folder dir;
  const std::string song = writeSong(dir);
  const Ran b = runMixdown("bundle " + q(song) + " -o " + q(dir / "song.mixdown"));
  BOOST_REQUIRE_MESSAGE(b.exitCode == 0, b.output);
  BOOST_TEST(b.output.find("project.json and 2 audio files") != std::string::npos, b.output);
  // Moved away from the audio files, it still renders: it holds them.
  fs::create_directories(dir.path / "elsewhere");
  fs::rename(dir / "song.mixdown", dir / "elsewhere/song.mixdown");
  BOOST_REQUIRE(runMixdown("render " + q(song) + " -o " + q(dir / "json.wav") + " --seconds 7").exitCode == 0);
  const Ran r = runMixdown("render " + q(dir / "elsewhere/song.mixdown") + " -o " + q(dir / "bundle.wav") + " --seconds 7");
  BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
  // Bit-identical samples (the files' bytes differ only in the PEAK chunk's time stamp, in seconds).
  BOOST_TEST(cli::readAudioFile(dir / "json.wav").channels == cli::readAudioFile(dir / "bundle.wav").channels);
  BOOST_TEST(test::peakOf(cli::readAudioFile(dir / "bundle.wav").channels[0]) > 0.05);
  // Every command that reads a project reads a bundle: analyze, master, export (MIDI, DAWproject), album.
  const std::string bundle = q(dir / "elsewhere/song.mixdown");
  const Ran an = runMixdown("analyze " + bundle + " --json");
  BOOST_TEST(an.exitCode == 0, an.output);
  BOOST_TEST(an.output.find("integratedLufs") != std::string::npos);
  BOOST_TEST(runMixdown("master " + bundle + " -o " + q(dir / "m.wav")).exitCode == 0);
  BOOST_TEST(runMixdown("export " + bundle + " -o " + q(dir / "s.mid")).exitCode == 0);
  // DAWproject from a bundle: its audio comes from the bundle's own entries (the files are not beside it),
  // and the song comes back with both audio files.
  const Ran dp = runMixdown("export " + bundle + " -o " + q(dir / "s.dawproject"));
  BOOST_TEST(dp.exitCode == 0, dp.output);
  BOOST_TEST(dp.output.find("2 audio files") != std::string::npos, dp.output);
  const Ran back = runMixdown("import " + q(dir / "s.dawproject") + " -o " + q(dir / "back/song.json"));
  BOOST_TEST(back.exitCode == 0, back.output);
  BOOST_TEST(runMixdown("render " + q(dir / "back/song.json") + " -o " + q(dir / "back.wav") + " --seconds 7").exitCode == 0);
  std::ofstream(dir / "album.json") << R"({"title":"A","songs":[{"source":"elsewhere/song.mixdown"}]})";
  const Ran al = runMixdown("album " + q(dir / "album.json") + " -o " + q(dir / "album"));
  BOOST_TEST(al.exitCode == 0, al.output);
  // A bundle of a bundle is the same bundle.
  BOOST_REQUIRE(runMixdown("bundle " + bundle + " -o " + q(dir / "again.mixdown")).exitCode == 0);
  const Archive one = cli::readZipFile(dir / "elsewhere/song.mixdown"), two = cli::readZipFile(dir / "again.mixdown");
  BOOST_REQUIRE(one.entries.size() == two.entries.size());
  for (std::size_t i = 0; i < one.entries.size(); ++i) BOOST_TEST((one.entries[i].path == two.entries[i].path && one.entries[i].bytes == two.entries[i].bytes));
}

BOOST_AUTO_TEST_CASE(damaged_bundles_are_refused_on_the_command_line_with_the_entry) {
  Folder dir;
  const std::string song = writeSong(dir);
  BOOST_REQUIRE(runMixdown("bundle " + q(song) + " -o " + q(dir / "song.mixdown")).exitCode == 0);
  std::string bytes = readBytes(dir / "song.mixdown");
  std::ofstream(dir / "cut.mixdown", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  const Ran cut = runMixdown("render " + q(dir / "cut.mixdown") + " -o " + q(dir / "x.wav"));
  BOOST_TEST(cut.exitCode == 1);
  BOOST_TEST(cut.output.rfind("mixdown: " + dir / "cut.mixdown" + ": ", 0) == 0u, cut.output);
  BOOST_TEST(!fs::exists(dir / "x.wav"));
  // A bundle whose FLAC was swapped for another file (one bit changed, the zip itself intact).
  Archive a = cli::readZipFile(dir / "song.mixdown");
  for (auto& e : a.entries)
    if (e.path.ends_with(".flac")) e.bytes[500] ^= 0x40;
  cli::writeZipFile(dir / "swapped.mixdown", a);
  const Ran swapped = runMixdown("render " + q(dir / "swapped.mixdown") + " -o " + q(dir / "x.wav"));
  BOOST_TEST(swapped.exitCode == 1);
  BOOST_TEST(swapped.output.find("the file was damaged or replaced") != std::string::npos, swapped.output);
  BOOST_TEST(runMixdown("bundle 'http://x/#p=abc' -o " + q(dir / "l.mixdown")).exitCode == 1);
}

BOOST_AUTO_TEST_CASE(stems_on_the_command_line_sum_to_the_mix_before_the_master_chain) {
  Folder dir;
  const std::string song = writeSong(dir);
  BOOST_REQUIRE(runMixdown("bundle " + q(song) + " -o " + q(dir / "song.mixdown")).exitCode == 0);
  const Ran s = runMixdown("render " + q(dir / "song.mixdown") + " --stems " + q(dir / "stems") + " --stems-buses --format wav32f --seconds 7 -o " +
                           q(dir / "mix.wav"));
  BOOST_REQUIRE_MESSAGE(s.exitCode == 0, s.output);
  for (const char* f : {"01 Hit.wav", "inside buses/02 Tone.wav", "03 Keys.wav", "04 Group (bus).wav", "05 Room (return).wav"})
    BOOST_TEST(fs::exists(dir.path / "stems" / f), f);
  // The reference: the same song without its master chain (the master fader stays).
  Project pre = parseProject(readBytes(song)).project;
  pre.master.devices.clear();
  std::ofstream(dir / "pre.json") << writeProject(pre);
  BOOST_REQUIRE(runMixdown("render " + q(dir / "pre.json") + " -o " + q(dir / "pre.wav") + " --seconds 7").exitCode == 0);
  const auto reference = cli::readAudioFile(dir / "pre.wav");
  std::vector<std::vector<double>> sum(2, std::vector<double>(reference.frames(), 0.0));
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir.path / "stems")) {
    if (!e.is_regular_file()) continue;
    const auto stem = cli::readAudioFile(e.path().string());
    BOOST_REQUIRE(stem.frames() == reference.frames());
    for (int c = 0; c < 2; ++c)
      for (std::size_t i = 0; i < stem.frames(); ++i) sum[static_cast<std::size_t>(c)][i] += stem.channels[static_cast<std::size_t>(c)][i];
    ++files;
  }
  double worst = 0;
  for (int c = 0; c < 2; ++c)
    for (std::size_t i = 0; i < reference.frames(); ++i)
      worst = std::max(worst, std::fabs(sum[static_cast<std::size_t>(c)][i] - reference.channels[static_cast<std::size_t>(c)][i]));
  std::printf("mixdown render --stems: %d top-level stems sum to the pre-master mix within %.1f dBFS (peak residual)\n", files, test::dB(worst));
  BOOST_TEST(files == 4);
  BOOST_TEST(test::dB(worst) < -120.0);
  // The mix written beside them is the real one (through the master chain) and the default render's.
  BOOST_REQUIRE(runMixdown("render " + q(song) + " -o " + q(dir / "plain.wav") + " --format wav32f --seconds 7").exitCode == 0);
  BOOST_TEST(cli::readAudioFile(dir / "mix.wav").channels == cli::readAudioFile(dir / "plain.wav").channels);
  // Tracks only, in the default format (32-bit float, so stems sum exactly): one per track, named after it.
  const Ran t = runMixdown("render " + q(song) + " --stems " + q(dir / "tracks") + " --seconds 2");
  BOOST_REQUIRE_MESSAGE(t.exitCode == 0, t.output);
  BOOST_TEST(t.output.find("pass --stems-buses for stems that sum to the mix") != std::string::npos, t.output);
  int n = 0;
  for (const auto& e : fs::directory_iterator(dir.path / "tracks")) n += e.is_regular_file();
  BOOST_TEST(n == 3);
  BOOST_TEST(cli::readAudioFile(dir / "tracks/02 Tone.wav").frames() == 96000u);
  const std::string header = readBytes(dir / "tracks/02 Tone.wav").substr(0, 36);
  BOOST_TEST((header.size() == 36 && static_cast<unsigned char>(header[34]) == 32), "the default stem is 32-bit");
}

BOOST_AUTO_TEST_SUITE_END()
