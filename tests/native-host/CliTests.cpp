// The mixdown command line, run as a program: what a person sees for good and bad input.
#include <boost/test/unit_test.hpp>
#include <sndfile.h>
#include <sys/wait.h>
#include <zlib.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "AudioFile.h"
#include "Measure.h"
#include "Projects.h"
#include "devices/Registry.h"
#include "engine/OfflineRender.h"
#include "master/Mastering.h"
#include <nlohmann/json.hpp>
#include "share/ShareLink.h"

namespace fs = std::filesystem;
using namespace mixdown;

namespace {

struct Run {
  int exitCode = -1;
  std::string output;  // stdout + stderr
};

Run run(const std::string& args) {
  std::string cmd = std::string(MIXDOWN_BIN) + " " + args + " 2>&1";
  Run r;
  FILE* pipe = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) r.output.append(buf.data(), n);
  int status = pclose(pipe);
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  return r;
}

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("mixdown-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  static int& counter() {
    static int c = 0;
    return c;
  }
  std::string file(const std::string& name, const std::string& content) const {
    std::ofstream(path / name, std::ios::binary) << content;
    return (path / name).string();
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

std::string demoPath() { return std::string(MIXDOWN_SOURCE_DIR) + "/web/demos/first-light.json"; }

std::string shareLinkFor(const std::string& json) {
  uLongf len = compressBound(json.size());
  std::vector<std::uint8_t> z(len);
  compress2(z.data(), &len, reinterpret_cast<const Bytef*>(json.data()), json.size(), 9);
  z.resize(len);
  return "http://127.0.0.1:8080/#p=" + encodeBase64Url(z);
}

void expectFailure(const Run& r, const std::string& fragment) {
  BOOST_TEST(r.exitCode != 0);
  BOOST_TEST(r.output.find(fragment) != std::string::npos, "expected \"" << fragment << "\" in: " << r.output);
  // One line, starting with the program name.
  BOOST_TEST(r.output.rfind("mixdown: ", 0) == 0u, r.output);
  BOOST_TEST(std::count(r.output.begin(), r.output.end(), '\n') == 1, r.output);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(command_line)

BOOST_AUTO_TEST_CASE(help_lists_the_render_command) {
  Run top = run("--help");
  BOOST_TEST(top.exitCode == 0);
  BOOST_TEST(top.output.find("render") != std::string::npos);
  Run sub = run("render --help");
  BOOST_TEST(sub.exitCode == 0);
  for (const char* opt : {"--format", "--sample-rate", "--block-size", "--seconds", "-o"})
    BOOST_TEST(sub.output.find(opt) != std::string::npos, opt);
}

BOOST_AUTO_TEST_CASE(renders_the_demo_in_every_format) {
  TempDir dir;
  for (const char* fmt : {"wav16", "wav24", "wav32f", "flac16", "flac24"}) {
    std::string out = dir / (std::string(fmt) + (fmt[0] == 'f' ? ".flac" : ".wav"));
    Run r = run("render " + demoPath() + " -o " + out + " --format " + fmt + " --seconds 3 --sample-rate 44100");
    BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
    auto audio = cli::readAudioFile(out);
    BOOST_TEST(audio.sampleRate == 44100.0);
    BOOST_TEST(audio.channels.size() == 2u);
    BOOST_TEST(audio.frames() == 132300u);
    BOOST_TEST(test::peakOf(audio.channels[0]) > 0.1);
  }
}

BOOST_AUTO_TEST_CASE(the_block_size_option_does_not_change_the_audio) {
  TempDir dir;
  BOOST_REQUIRE(run("render " + demoPath() + " -o " + (dir / "a.wav") + " --seconds 4 --block-size 37").exitCode == 0);
  BOOST_REQUIRE(run("render " + demoPath() + " -o " + (dir / "b.wav") + " --seconds 4 --block-size 4096").exitCode == 0);
  BOOST_TEST(cli::readAudioFile(dir / "a.wav").channels == cli::readAudioFile(dir / "b.wav").channels);
}

BOOST_AUTO_TEST_CASE(a_share_link_renders_like_the_file) {
  TempDir dir;
  std::string link = shareLinkFor(test::readText(demoPath()));
  Run a = run("render '" + link + "' -o " + (dir / "link.wav") + " --seconds 3");
  BOOST_REQUIRE_MESSAGE(a.exitCode == 0, a.output);
  BOOST_REQUIRE(run("render " + demoPath() + " -o " + (dir / "file.wav") + " --seconds 3").exitCode == 0);
  BOOST_TEST(cli::readAudioFile(dir / "link.wav").channels == cli::readAudioFile(dir / "file.wav").channels);
}

// A version 2 project (tempo ramps, a step, a signature change) renders the same from its file and from
// its share link, and the default length follows the tempo map (end of the last clip + 2 s).
BOOST_AUTO_TEST_CASE(a_version_2_share_link_with_a_tempo_map_renders_like_the_file) {
  TempDir dir;
  nlohmann::json doc = nlohmann::json::parse(test::readText(demoPath()));
  doc["version"] = 2;
  doc["tempoChanges"] = nlohmann::json::array({{{"beat", 4}, {"bpm", 140}, {"shape", "linear"}},
                                               {{"beat", 8}, {"bpm", 90}, {"shape", "step"}}});
  doc["signatureChanges"] = nlohmann::json::array({{{"bar", 3}, {"numerator", 7}, {"denominator", 8}}});
  for (auto& track : doc["tracks"]) {  // a short song, so the whole of it renders quickly
    nlohmann::json kept = nlohmann::json::array();
    for (auto& clip : track["clips"])
      if (clip["start"].get<double>() < 12) kept.push_back(clip);
    track["clips"] = kept;
  }
  const std::string json = doc.dump();
  const std::string file = dir.file("tempo.json", json);
  Run a = run("render '" + shareLinkFor(json) + "' -o " + (dir / "link.wav"));
  BOOST_REQUIRE_MESSAGE(a.exitCode == 0, a.output);
  Run b = run("render " + file + " -o " + (dir / "file.wav"));
  BOOST_REQUIRE_MESSAGE(b.exitCode == 0, b.output);
  const auto fromLink = cli::readAudioFile(dir / "link.wav"), fromFile = cli::readAudioFile(dir / "file.wav");
  BOOST_TEST(fromLink.channels == fromFile.channels);
  ProjectLoad load = parseProject(json);
  BOOST_REQUIRE_MESSAGE(load.ok(), load.errorText());
  BOOST_TEST(static_cast<std::int64_t>(fromFile.frames()) == defaultRenderFrames(load.project, fromFile.sampleRate));
  BOOST_TEST(test::peakOf(fromFile.channels[0]) > 0.1);
}

BOOST_AUTO_TEST_CASE(an_audio_asset_is_decoded_and_resampled) {
  TempDir dir;
  // A 44.1 kHz mono sine at -6 dBFS, placed on an audio track and rendered at 48 kHz.
  std::vector<float> s(44100);
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = 0.5f * static_cast<float>(std::sin(2 * test::kPi * 441.0 * i / 44100.0));
  cli::writeAudioFile(dir / "tone.wav", {s}, 44100, cli::parseOutputFormat("wav32f"));
  std::string project = R"({"format":"mixdown-project","version":1,"tempo":120,
    "assets":[{"id":"tone","name":"Tone","sampleRate":44100,"channels":1,"frames":44100,"path":"tone.wav"}],
    "tracks":[{"id":"a","kind":"audio","clips":[{"start":0,"length":2,"asset":"tone"}],
               "strip":{"gainDb":0,"pan":-1}}]})";
  std::string pj = dir.file("song.json", project);
  Run r = run("render " + pj + " -o " + (dir / "out.wav") + " --seconds 1");
  BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
  auto out = cli::readAudioFile(dir / "out.wav");
  BOOST_TEST(out.frames() == 48000u);
  BOOST_TEST(test::dB(test::peakOf(out.channels[0], 1000, 40000)) == -6.02, boost::test_tools::tolerance(0.02 / 6.02));
  double hz = test::zeroCrossingFrequency(std::vector<float>(out.channels[0].begin(), out.channels[0].begin() + 40000), 48000, 100);
  BOOST_TEST(hz == 441.0, boost::test_tools::tolerance(0.001));
}

BOOST_AUTO_TEST_CASE(bad_input_fails_with_one_line_naming_file_and_problem) {
  TempDir dir;
  std::string out = dir / "out.wav";
  expectFailure(run("render /nonexistent/song.json -o " + out), "/nonexistent/song.json: file not found");
  std::string malformed = dir.file("bad.json", "{\n \"format\": \"mixdown-project\",\n \"tempo\": 120,,\n}");
  expectFailure(run("render " + malformed + " -o " + out), "bad.json: not valid JSON at line 3");
  std::string invalid = dir.file("invalid.json", R"({"format":"mixdown-project","version":1,"tempo":120,
     "tracks":[{"id":"a","kind":"instrument","instrument":{"type":"mixdown.polysynth"},"clips":[{"start":-1,"length":4}]}]})");
  expectFailure(run("render " + invalid + " -o " + out), "invalid.json: tracks[0].clips[0].start: must be >= 0");
  std::string future = dir.file("future.json", R"({"format":"mixdown-project","version":9,"tracks":[]})");
  expectFailure(run("render " + future + " -o " + out), "newer Mixdown");
  std::string missingAsset = dir.file("missing.json", R"({"format":"mixdown-project","version":1,"tempo":120,
    "assets":[{"id":"x","sampleRate":48000,"channels":1,"frames":10,"path":"gone.wav"}],
    "tracks":[{"id":"a","kind":"audio","clips":[{"start":0,"length":2,"asset":"x"}]}]})");
  expectFailure(run("render " + missingAsset + " -o " + out), "asset \"x\":");
  expectFailure(run("render " + missingAsset + " -o " + out), "gone.wav: file not found");
  dir.file("corrupt.wav", "RIFF\x10\x00\x00\x00WAVEjunkjunkjunkjunk");
  std::string corrupt = dir.file("corrupt.json", R"({"format":"mixdown-project","version":1,"tempo":120,
    "assets":[{"id":"x","sampleRate":48000,"channels":1,"frames":10,"path":"corrupt.wav"}],
    "tracks":[{"id":"a","kind":"audio","clips":[{"start":0,"length":2,"asset":"x"}]}]})");
  expectFailure(run("render " + corrupt + " -o " + out), "corrupt.wav: not a readable WAV file: only 5 bytes (cut off)");
  expectFailure(run("render " + demoPath() + " -o " + out + " --format mp3"), "--format mp3: unknown format");
  expectFailure(run("render " + demoPath() + " -o " + out + " --sample-rate 5"), "--sample-rate 5: must be between");
  expectFailure(run("render " + demoPath() + " -o " + out + " --seconds -3"), "--seconds: must be greater than 0");
  expectFailure(run("render " + demoPath() + " -o /nonexistent-dir/x.wav --seconds 1"), "does not exist");
  expectFailure(run("render 'http://x/#p=%%%'"  " -o " + out), "share link: payload has a character that is not base64url");
  expectFailure(run("render 'http://x/#p=AAAAAAAA' -o " + out), "share link: the project part is not valid compressed data");
  std::string truncated = shareLinkFor(test::readText(demoPath()));
  truncated.resize(truncated.size() - 40);
  expectFailure(run("render '" + truncated + "' -o " + out), "share link:");
  BOOST_TEST(!fs::exists(out));  // nothing half-written
  for (const auto& e : fs::directory_iterator(dir.path)) BOOST_TEST(e.path().string().find(".partial") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_song_too_long_to_render_whole_is_refused_before_any_work) {
  TempDir dir;
  // Valid, but its last clip ends at beat 99990 at 20 BPM: 83 hours.
  std::string p = dir.file("long.json", R"({"format":"mixdown-project","version":1,"tempo":20,
    "tracks":[{"id":"a","kind":"instrument","instrument":{"type":"mixdown.polysynth"},
               "clips":[{"start":99980,"length":10,"notes":[]}]}]})");
  expectFailure(run("render " + p + " -o " + (dir / "x.wav")), "hours long");
  BOOST_TEST(!fs::exists(dir / "x.wav"));
  // A part of it renders fine.
  Run part = run("render " + p + " -o " + (dir / "x.wav") + " --seconds 0.5");
  BOOST_TEST(part.exitCode == 0, part.output);
}

BOOST_AUTO_TEST_CASE(a_decompression_bomb_link_is_refused) {
  std::string huge(40 * 1024 * 1024, ' ');
  Run r = run("render '" + shareLinkFor(huge) + "' -o /tmp/never.wav");
  expectFailure(r, "larger than 16 MB when unpacked");
}


BOOST_AUTO_TEST_CASE(master_reaches_the_target_for_each_preset) {
  TempDir dir;
  const std::string song = dir / "song.wav";
  BOOST_REQUIRE(run("render " + demoPath() + " -o " + song + " --seconds 20").exitCode == 0);
  for (const auto& preset : deliveryPresets()) {
    for (const char* fmt : {"wav16", "flac24"}) {
      const std::string out = dir / (std::string(preset.id) + "." + (fmt[0] == 'f' ? "flac" : "wav"));
      Run r = run("master " + song + " -o " + out + " --preset " + preset.id + " --format " + fmt + " --json");
      BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
      // Measured independently of the command's own report: the file as written.
      auto audio = cli::readAudioFile(out);
      const LoudnessReport after = analyzeLoudness(audio.channels, audio.sampleRate);
      BOOST_TEST_CONTEXT(preset.id << " " << fmt << ": " << after.integrated << " LUFS, " << after.truePeak << " dBTP") {
        BOOST_TEST(std::fabs(after.integrated - preset.targetLufs) <= 0.1);
        BOOST_TEST(after.truePeak <= preset.ceilingDbtp + 1e-3);
        BOOST_TEST(r.output.find("\"targetLufs\"") != std::string::npos);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(master_takes_a_project_and_prints_before_and_after) {
  TempDir dir;
  Run r = run("master " + demoPath() + " -o " + (dir / "m.wav") + " --target -16 --ceiling -1.5");
  BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
  for (const char* row : {"integrated", "loudness range", "true peak", "max momentary", "max short-term", "before", "after"})
    BOOST_TEST(r.output.find(row) != std::string::npos, row);
  auto audio = cli::readAudioFile(dir / "m.wav");
  const LoudnessReport after = analyzeLoudness(audio.channels, audio.sampleRate);
  BOOST_TEST(std::fabs(after.integrated + 16.0) <= 0.1, after.integrated);
  BOOST_TEST(after.truePeak <= -1.5 + 1e-3, after.truePeak);
  // analyze agrees with what master reports and with the core meter.
  Run a = run("analyze " + (dir / "m.wav") + " --json");
  BOOST_REQUIRE_MESSAGE(a.exitCode == 0, a.output);
  const auto j = nlohmann::json::parse(a.output);
  BOOST_TEST(std::fabs(j[0]["integratedLufs"].get<double>() - after.integrated) <= 0.01);
}


BOOST_AUTO_TEST_CASE(master_of_a_project_uses_its_own_destination) {
  TempDir dir;
  auto doc = nlohmann::json::parse(test::readText(demoPath()));
  doc["master"]["delivery"] = {{"preset", "apple-music"}, {"targetLufs", -16}, {"ceilingDbtp", -1}, {"bits", 16}};
  const std::string project = dir.file("song.json", doc.dump());
  Run r = run("master " + project + " -o " + (dir / "m.wav") + " --json");
  BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
  const auto j = nlohmann::json::parse(r.output.substr(r.output.find('{')));
  BOOST_TEST(j["preset"] == "apple-music");
  BOOST_TEST(j["format"] == "wav16");
  BOOST_TEST(std::fabs(j["after"]["integratedLufs"].get<double>() + 16) <= 0.1);
  // Options still win over the project's destination.
  Run o = run("master " + project + " -o " + (dir / "n.wav") + " --preset ebu-r128 --json");
  BOOST_REQUIRE_MESSAGE(o.exitCode == 0, o.output);
  BOOST_TEST(std::fabs(nlohmann::json::parse(o.output.substr(o.output.find('{')))["after"]["integratedLufs"].get<double>() + 23) <= 0.1);
}

BOOST_AUTO_TEST_CASE(master_and_analyze_refuse_bad_input_clearly) {
  TempDir dir;
  cli::writeAudioFile(dir / "silence.wav", {std::vector<float>(48000, 0.0f), std::vector<float>(48000, 0.0f)}, 48000,
                      cli::parseOutputFormat("wav32f"));
  expectFailure(run("master " + (dir / "silence.wav") + " -o " + (dir / "o.wav")), "silent");
  BOOST_TEST(!fs::exists(dir / "o.wav"));
  const std::string junk = dir.file("junk.wav", "RIFF....WAVEnot really audio");
  expectFailure(run("master " + junk + " -o " + (dir / "o.wav")), "junk.wav: not a readable WAV file");
  expectFailure(run("analyze " + junk), "junk.wav: not a readable WAV file");
  expectFailure(run("analyze " + (dir / "missing.flac")), "missing.flac: file not found");
  const std::string tone = dir / "tone.wav";
  BOOST_REQUIRE(run("render " + demoPath() + " -o " + tone + " --seconds 5").exitCode == 0);
  expectFailure(run("master " + tone + " -o " + (dir / "o.wav") + " --target 3"), "--target");
  expectFailure(run("master " + tone + " -o " + (dir / "o.wav") + " --ceiling -30"), "--ceiling");
  expectFailure(run("master " + tone + " -o " + (dir / "o.wav") + " --preset radio-gaga"), "unknown preset");
  expectFailure(run("master " + tone + " -o " + (dir / "o.wav") + " --format mp3"), "unknown format");
  // A target the limiter cannot reach under the ceiling.
  expectFailure(run("master " + tone + " -o " + (dir / "o.wav") + " --target -1 --ceiling -6"), "cannot reach -1.0 LUFS");
  BOOST_TEST(!fs::exists(dir / "o.wav"));
}


namespace {
std::vector<float> noise(std::size_t n, double rms, unsigned seed) {
  std::vector<float> x(n);
  unsigned state = seed;
  for (auto& v : x) {
    state = state * 1664525u + 1013904223u;
    v = static_cast<float>(rms * 1.732 * (static_cast<double>(state >> 8) / 8388608.0 - 1.0));
  }
  return x;
}
}  // namespace

BOOST_AUTO_TEST_CASE(album_cuts_songs_at_exact_samples_and_normalises_them) {
  TempDir dir;
  // Three songs: 6 s of noise at 44.1 kHz (resampled), 5 s quieter at 48 kHz, 4 s mono.
  cli::writeAudioFile(dir / "a.wav", {noise(264600, 0.1, 1), noise(264600, 0.1, 2)}, 44100, cli::parseOutputFormat("wav32f"));
  cli::writeAudioFile(dir / "b.wav", {noise(240000, 0.02, 3), noise(240000, 0.02, 4)}, 48000, cli::parseOutputFormat("wav32f"));
  cli::writeAudioFile(dir / "c.wav", {noise(192000, 0.05, 5)}, 48000, cli::parseOutputFormat("wav32f"));
  auto albumJson = [&](const char* mode) {
    return nlohmann::json{{"title", "Test Album"}, {"loudness", mode}, {"targetLufs", -16}, {"ceilingDbtp", -1}, {"format", "wav24"},
                          {"songs", {{{"source", "a.wav"}, {"title", "Alpha"}, {"fadeIn", 0.5}},
                                     {{"source", "b.wav"}, {"title", "Beta"}, {"gap", 1.5}, {"fadeOut", 1.0}},
                                     {{"source", "c.wav"}, {"title", "Gamma"}, {"crossfade", 1.0}, {"fadeIn", 1.0}}}}}
        .dump();
  };
  dir.file("track.json", albumJson("track"));
  Run r = run("album " + (dir / "track.json") + " -o " + (dir / "out") + " --json");
  BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
  const auto report = nlohmann::json::parse(r.output.substr(r.output.find('{')));
  auto album = cli::readAudioFile(dir / "out/Test Album.wav");
  // The song files joined end to end are the album file, sample for sample.
  std::vector<std::vector<float>> joined(2);
  std::vector<long long> starts;
  for (const auto& song : report["songs"]) {
    starts.push_back(song["startSample"].get<long long>());
    BOOST_TEST(starts.back() == static_cast<long long>(joined[0].size()), song["title"] << " starts where the previous file ends");
    BOOST_TEST(starts.back() % 640 == 0, "start on a CUE frame (640 samples at 48 kHz)");
    auto part = cli::readAudioFile(dir / ("out/" + song["file"].get<std::string>()));
    for (int c = 0; c < 2; ++c) joined[c].insert(joined[c].end(), part.channels[c].begin(), part.channels[c].end());
  }
  BOOST_TEST((joined == album.channels));
  // Beta comes 1.5 s (rounded up to a CUE frame) after Alpha's 6 s; Gamma overlaps Beta's last second.
  BOOST_TEST(starts[1] - 288000 >= 72000);
  BOOST_TEST(starts[1] - 288000 < 72000 + 640);
  BOOST_TEST(starts[2] <= starts[1] + 240000 - 48000);
  BOOST_TEST(starts[2] > starts[1] + 240000 - 48000 - 640);
  // The CUE sheet names the same starts (mm:ss:ff, 75 frames a second).
  std::ifstream cueFile(dir / "out/Test Album.cue");
  std::string cue((std::istreambuf_iterator<char>(cueFile)), std::istreambuf_iterator<char>());
  for (long long s : starts) {
    const long long f = s / 640;
    char index[32];
    std::snprintf(index, sizeof index, "INDEX 01 %02lld:%02lld:%02lld", f / 4500, f / 75 % 60, f % 75);
    BOOST_TEST(cue.find(index) != std::string::npos, index << " in " << cue);
  }
  // Track mode: each song on target, measured over its own samples in the album (Beta's last second also
  // holds Gamma's fade-in, hence the wider tolerance there).
  BOOST_TEST(std::fabs(report["songs"][0]["integratedLufs"].get<double>() + 16) <= 0.1, report["songs"][0]);
  BOOST_TEST(std::fabs(report["songs"][1]["integratedLufs"].get<double>() + 16) <= 0.3, report["songs"][1]);
  const LoudnessReport whole = analyzeLoudness(album.channels, album.sampleRate);
  BOOST_TEST(whole.truePeak <= -1.0 + 1e-3, whole.truePeak);

  // Album mode: one gain for all, so Beta stays as much quieter than Delta as it was, and the album as a
  // whole reaches the target. (Both at 48 kHz: resampling white noise trims its top band, which the
  // K-weighting counts, so a 44.1 kHz song would not compare like for like.)
  cli::writeAudioFile(dir / "d.wav", {noise(288000, 0.1, 6), noise(288000, 0.1, 7)}, 48000, cli::parseOutputFormat("wav32f"));
  dir.file("album.json", nlohmann::json{{"title", "Pair"}, {"loudness", "album"}, {"targetLufs", -16}, {"ceilingDbtp", -1},
                                        {"songs", {{{"source", "d.wav"}}, {{"source", "b.wav"}, {"gap", 1.0}}}}}
                             .dump());
  Run a = run("album " + (dir / "album.json") + " -o " + (dir / "out2") + " --json");
  BOOST_REQUIRE_MESSAGE(a.exitCode == 0, a.output);
  const auto ar = nlohmann::json::parse(a.output.substr(a.output.find('{')));
  auto inA = cli::readAudioFile(dir / "d.wav"), inB = cli::readAudioFile(dir / "b.wav");
  const double before = analyzeLoudness(inA.channels, inA.sampleRate).integrated - analyzeLoudness(inB.channels, inB.sampleRate).integrated;
  const double spread = ar["songs"][0]["integratedLufs"].get<double>() - ar["songs"][1]["integratedLufs"].get<double>();
  BOOST_TEST(std::fabs(spread - before) < 0.2, "Delta - Beta = " << spread << " LU in the album, " << before << " LU before");
  BOOST_TEST(std::fabs(ar["integratedLufs"].get<double>() + 16) <= 0.1, ar["integratedLufs"]);
}

BOOST_AUTO_TEST_CASE(album_refuses_bad_descriptions_clearly) {
  TempDir dir;
  const std::string a = dir.file("a.json", R"({"songs": [{"source": "missing.wav"}]})");
  expectFailure(run("album " + a + " -o " + (dir / "o")), "missing.wav: file not found");
  const std::string b = dir.file("b.json", R"({"loudness": "loud", "songs": [{"source": "x.wav"}]})");
  expectFailure(run("album " + b + " -o " + (dir / "o")), "b.json.loudness: must be \"track\" or \"album\"");
  const std::string c = dir.file("c.json", R"({"songs": []})");
  expectFailure(run("album " + c + " -o " + (dir / "o")), "c.json.songs: must be a non-empty list");
  const std::string d = dir.file("d.json", "not json");
  expectFailure(run("album " + d + " -o " + (dir / "o")), "d.json: not a valid album description");
  nlohmann::json many = {{"songs", nlohmann::json::array()}};
  for (int i = 0; i < 100; ++i) many["songs"].push_back({{"source", "x.wav"}});
  const std::string e = dir.file("e.json", many.dump());
  expectFailure(run("album " + e + " -o " + (dir / "o")), "e.json.songs: 100 songs; an album holds at most 99");
}


BOOST_AUTO_TEST_CASE(analyze_reads_ogg_and_mp3) {
  TempDir dir;
  // A 997 Hz stereo sine at -20 dBFS for 3 s reads -20 LUFS; lossy coding moves it by a little.
  std::vector<float> inter(3 * 48000 * 2);
  for (std::size_t i = 0; i < inter.size() / 2; ++i)
    inter[2 * i] = inter[2 * i + 1] = static_cast<float>(0.1 * std::sin(2 * test::kPi * 997 * static_cast<double>(i) / 48000));
  for (auto [name, format] : {std::pair{"tone.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS}, std::pair{"tone.mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III}}) {
    SF_INFO info{};
    info.samplerate = 48000;
    info.channels = 2;
    info.format = format;
    SNDFILE* f = sf_open((dir / name).c_str(), SFM_WRITE, &info);
    BOOST_REQUIRE_MESSAGE(f, name << ": " << sf_strerror(nullptr));
    sf_writef_float(f, inter.data(), static_cast<sf_count_t>(inter.size() / 2));
    sf_close(f);
    Run r = run("analyze " + (dir / name) + " --json");
    BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
    const double lufs = nlohmann::json::parse(r.output)[0]["integratedLufs"].get<double>();
    BOOST_TEST(std::fabs(lufs + 20.0) < 0.3, name << ": " << lufs << " LUFS");
  }
}


BOOST_AUTO_TEST_CASE(presets_lists_the_factory_library_by_category) {
  Run text = run("presets");
  BOOST_REQUIRE_EQUAL(text.exitCode, 0);
  for (const char* line : {"Bass\n", "Drum kit\n", "    Acid Bass ", "    808 Kit ", "\n44 presets\n"})
    BOOST_TEST(text.output.find(line) != std::string::npos, line);
  Run j = run("presets --json");
  BOOST_REQUIRE_EQUAL(j.exitCode, 0);
  const auto list = nlohmann::json::parse(j.output);
  BOOST_TEST(list.size() == 44u);
  for (const auto& p : list) {
    BOOST_TEST((findDevice(p["device"]["type"].get<std::string>()) != nullptr));
    BOOST_TEST(!p["name"].get<std::string>().empty());
    BOOST_TEST(p["device"]["params"].is_object());
  }
}

BOOST_AUTO_TEST_CASE(devices_lists_every_device_with_its_parameters) {
  Run text = run("devices");
  BOOST_REQUIRE_EQUAL(text.exitCode, 0);
  for (const char* id : {"mixdown.polysynth", "mixdown.eq", "mixdown.compressor", "mixdown.gate", "mixdown.saturation", "mixdown.delay",
                         "mixdown.reverb", "mixdown.chorus", "mixdown.utility", "mixdown.multiband", "mixdown.imager", "mixdown.limiter"})
    BOOST_TEST(text.output.find(id) != std::string::npos, id);
  Run j = run("devices --json");
  BOOST_REQUIRE_EQUAL(j.exitCode, 0);
  const auto list = nlohmann::json::parse(j.output);
  BOOST_TEST(list.size() == deviceDescriptors().size());
  for (const auto& d : list) {
    const DeviceDescriptor* desc = findDevice(d["id"].get<std::string>());
    BOOST_REQUIRE(desc);
    BOOST_TEST(d["params"].size() == desc->params.size());
    for (std::size_t i = 0; i < desc->params.size(); ++i) {
      BOOST_TEST(d["params"][i]["id"] == desc->params[i].id);
      BOOST_TEST(d["params"][i]["default"].get<double>() == desc->params[i].defaultValue);
      BOOST_TEST(d["params"][i]["min"].get<double>() <= d["params"][i]["default"].get<double>());
      BOOST_TEST(d["params"][i]["default"].get<double>() <= d["params"][i]["max"].get<double>());
    }
  }
}

BOOST_AUTO_TEST_CASE(usage_errors_exit_2) {
  Run r = run("render");
  BOOST_TEST(r.exitCode == 2);
  BOOST_TEST(r.output.find("mixdown: ") == 0u);
  BOOST_TEST(run("frobnicate").exitCode == 2);
}

// [SECTION] Hostile files: each gets one true line naming the file and the part that is wrong.
namespace {
std::string le16(unsigned v) { return {static_cast<char>(v & 0xff), static_cast<char>((v >> 8) & 0xff)}; }
std::string le32(std::uint32_t v) { return le16(v & 0xffff) + le16(v >> 16); }
std::string be16(unsigned v) { return {static_cast<char>((v >> 8) & 0xff), static_cast<char>(v & 0xff)}; }
std::string be32(std::uint32_t v) { return be16(v >> 16) + be16(v & 0xffff); }
// A PCM fmt chunk: tag 1, `channels`, `rate`, 16 bits.
std::string fmtChunk(unsigned channels, std::uint32_t rate) {
  return "fmt " + le32(16) + le16(1) + le16(channels) + le32(rate) + le32(rate * channels * 2) + le16(channels * 2) + le16(16);
}
std::string riff(const std::string& body) { return "RIFF" + le32(static_cast<std::uint32_t>(4 + body.size())) + "WAVE" + body; }
std::string projectUsing(const std::string& file) {
  return R"({"format":"mixdown-project","version":2,"tempo":120,
    "assets":[{"id":"x","sampleRate":48000,"channels":1,"frames":10,"path":")" + file + R"("}],
    "tracks":[{"id":"a","kind":"audio","clips":[{"start":0,"length":2,"asset":"x"}]}]})";
}
// An MP3 of a 3 s 997 Hz sine, written by libsndfile (LAME).
void writeMp3(const std::string& path) {
  std::vector<float> inter(3 * 48000 * 2);
  for (std::size_t i = 0; i < inter.size() / 2; ++i)
    inter[2 * i] = inter[2 * i + 1] = static_cast<float>(0.1 * std::sin(2 * test::kPi * 997 * static_cast<double>(i) / 48000));
  SF_INFO info{};
  info.samplerate = 48000;
  info.channels = 2;
  info.format = SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  BOOST_REQUIRE_MESSAGE(f, path << ": " << sf_strerror(nullptr));
  sf_writef_float(f, inter.data(), static_cast<sf_count_t>(inter.size() / 2));
  sf_close(f);
}
}  // namespace

BOOST_AUTO_TEST_CASE(a_177_byte_wav_whose_list_chunk_is_full_of_0xff_sizes_is_refused_naming_the_chunk) {
  TempDir dir;
  // fmt, then a LIST chunk whose INFO entries all say 0xffffffff bytes (libsndfile's sf_open spun on this
  // for over 120 s).
  std::string wav = riff(fmtChunk(1, 48000) + "LIST" + le32(133) + "INFO" + std::string(129, '\xff'));
  BOOST_REQUIRE(wav.size() == 177u);
  const std::string f = dir.file("list.wav", wav);
  expectFailure(run("analyze " + f),
                "list.wav: not a readable WAV file: the '\\xff\\xff\\xff\\xff' entry of the LIST 'INFO' chunk at byte 48 declares 4294967295 bytes, "
                "but its LIST chunk has only 121 after its header");
  // The same with the LIST chunk's own size damaged.
  const std::string g = dir.file("list2.wav", riff(fmtChunk(1, 48000) + "LIST" + std::string(137, '\xff')));
  expectFailure(run("analyze " + g), "list2.wav: not a readable WAV file: the 'LIST' chunk at byte 36 declares 4294967295 bytes, but the file has only 133");
}

BOOST_AUTO_TEST_CASE(damaged_audio_files_get_one_true_line_each_and_no_output) {
  TempDir dir;
  const std::string pcm(200, '\0');
  struct Case {
    std::string name, content, fragment;
  };
  std::vector<Case> cases = {
      {"truncated.wav", riff(fmtChunk(1, 48000) + "data" + le32(96000) + pcm),
       "truncated.wav: not a readable WAV file: the 'data' chunk at byte 36 declares 96000 bytes, but the file has only 200 after its header (damaged or cut off"},
      {"zero-channels.wav", riff(fmtChunk(0, 48000) + "data" + le32(200) + pcm), "zero-channels.wav: not a readable WAV file: the fmt chunk says 0 channels"},
      {"many-channels.wav", riff(fmtChunk(300, 48000) + "data" + le32(200) + pcm), "the fmt chunk says 300 channels (1 to 64 can be read)"},
      {"rate.wav", riff(fmtChunk(1, 5) + "data" + le32(200) + pcm), "rate.wav: not a readable WAV file: the fmt chunk says a sample rate of 5 Hz"},
      {"no-data.wav", riff(fmtChunk(1, 48000)), "no-data.wav: not a readable WAV file: no data chunk"},
      {"data-first.wav", riff("data" + le32(200) + pcm + fmtChunk(1, 48000)), "the data chunk at byte 12 comes before any fmt chunk"},
      {"avi.wav", "RIFF" + le32(4) + "AVI ", "avi.wav: not a readable WAV file: a RIFF file of type 'AVI ', not 'WAVE' audio"},
      {"cue.wav", riff(fmtChunk(1, 48000) + "cue " + le32(4) + le32(0x10000000) + "data" + le32(200) + pcm), "the cue chunk at byte 36 lists 268435456 cue points in 4 bytes"},
      {"huge.aiff",
       "FORM" + be32(4 + 26 + 16 + 8) + "AIFF" + "COMM" + be32(18) + be16(64) + be32(0xffffffffu) + be16(16) + std::string("\x40\x0e\xac\x44\0\0\0\0\0\0", 10) +
           "SSND" + be32(16) + be32(0) + be32(0) + std::string(8, '\0'),
       "huge.aiff: not a readable AIFF file: the COMM chunk promises 4294967295 frames of 64 channels, more than the 1073741824 samples (4096 MiB decoded)"},
      // Found by fuzz_audio_file: a rate past what a 64-bit integer holds (2^256 Hz) was converted to one
      // for this message (undefined behaviour).
      {"rate.aiff",
       "FORM" + be32(4 + 26 + 16) + "AIFF" + "COMM" + be32(18) + be16(1) + be32(4) + be16(16) + std::string("\x40\xff\x80\0\0\0\0\0\0\0", 10) +
           "SSND" + be32(8) + be32(0) + be32(0),
       "rate.aiff: not a readable AIFF file: the COMM chunk says a sample rate of 1.16e+77 Hz (1000 to 768000 Hz can be read)"},
      {"ssnd.aiff",
       "FORM" + be32(4 + 26 + 16) + "AIFF" + "COMM" + be32(18) + be16(1) + be32(4) + be16(16) + std::string("\x40\x0e\xbb\x80\0\0\0\0\0\0", 10) +
           "SSND" + be32(8) + be32(1000) + be32(0),
       "ssnd.aiff: not a readable AIFF file: the SSND chunk at byte 38 says its samples start 1000 bytes in, past its end (0)"},
      {"offset.au", ".snd" + be32(1000000) + be32(100) + be32(3) + be32(48000) + be32(1) + pcm,
       "offset.au: not a readable AU file: the header says the samples start at byte 1000000 (24 to the file's 224 bytes)"},
      {"channels.au", ".snd" + be32(24) + be32(200) + be32(3) + be32(48000) + be32(0x7fffffff) + pcm, "channels.au: not a readable AU file: the header says 2147483647 channels"},
      {"overflow.au", ".snd" + be32(24) + be32(0x7ffffff0) + be32(3) + be32(48000) + be32(2) + pcm, "overflow.au: not a readable AU file: the audio data chunk at byte 24 declares 2147483632 bytes"},
      {"rate0.flac", "fLaC" + std::string("\x80\0\0\x22", 4) + std::string(34, '\0'), "rate0.flac: not a readable FLAC file: the STREAMINFO block says a sample rate of 0 Hz"},
      {"empty.wav", "", "empty.wav: the file is empty (0 bytes): no audio in it"},
      {"notes.txt", "hello world, not audio", "notes.txt: not a WAV, AIFF, AU, FLAC, OGG or MP3 file (it starts with bytes 68 65 6c 6c); convert it"},
      {"garbage.mp3", std::string(5000, '\x5a'), "garbage.mp3: not a readable MP3 file: "},
  };
  for (const Case& c : cases) {
    const std::string f = dir.file(c.name, c.content);
    BOOST_TEST_CONTEXT(c.name) {
      const Run analyze = run("analyze " + f);
      expectFailure(analyze, c.fragment);
      BOOST_TEST(analyze.output.find("possibly a pipe") == std::string::npos, analyze.output);
      const std::string project = dir.file(c.name + ".json", projectUsing(c.name));
      expectFailure(run("render " + project + " -o " + (dir / "out.wav")), c.fragment);
      BOOST_TEST(!fs::exists(dir / "out.wav"));
    }
  }
  // NaN and infinity in a float WAV: counted and located.
  std::vector<float> tone(4800, 0.25f);
  tone[10] = std::nanf("");
  tone[20] = INFINITY;
  cli::writeAudioFile(dir / "nan.wav", {tone}, 48000, cli::parseOutputFormat("wav32f"));
  expectFailure(run("analyze " + (dir / "nan.wav")), "nan.wav: the audio data is damaged: 2 samples are not numbers (NaN or infinity), the first at frame 10 of channel 1");
}

BOOST_AUTO_TEST_CASE(a_damaged_mp3_says_why_and_the_decoder_stays_quiet) {
  TempDir dir;
  writeMp3(dir / "tone.mp3");
  std::string bytes = test::readText(dir / "tone.mp3");
  BOOST_REQUIRE_MESSAGE(bytes.size() > 8000u, bytes.size());
  // Garbage in the middle: the decoder resyncs (mpg123 used to print "Note: Trying to resync..." here).
  std::string damaged = bytes;
  for (std::size_t i = bytes.size() / 3; i < bytes.size() / 3 + 1500; ++i) damaged[i] = static_cast<char>(i * 7 % 251);
  const std::string f = dir.file("damaged.mp3", damaged);
  const Run r = run("analyze " + f + " --json");
  BOOST_REQUIRE_MESSAGE(r.exitCode == 0, r.output);
  BOOST_TEST(r.output.find("Note:") == std::string::npos, r.output);
  BOOST_TEST(r.output.find("resync") == std::string::npos, r.output);
  BOOST_TEST(nlohmann::json::parse(r.output)[0]["seconds"].get<double>() > 2.0);
  // Only a tag and no audio frames: refused with the decoder's own reason.
  const std::string tagOnly = dir.file("tag.mp3", std::string("ID3\x03\0\0\0\0\0\x0a", 10) + std::string(10, '\0') + std::string(3000, '\0'));
  const Run t = run("analyze " + tagOnly);
  expectFailure(t, "tag.mp3: not a readable MP3 file: ");
  BOOST_TEST(t.output.find("possibly a pipe") == std::string::npos, t.output);
}

BOOST_AUTO_TEST_CASE(album_errors_name_the_json_path_and_what_was_expected) {
  TempDir dir;
  struct Case {
    const char* json;
    const char* fragment;
  };
  const Case cases[] = {
      {R"({"loudness":1,"songs":[{"source":"x.wav"}]})", "a.json.loudness: must be \"track\" or \"album\" (got 1)"},
      {R"({"title":["x"],"songs":[{"source":"x.wav"}]})", "a.json.title: must be a string (got a list)"},
      {R"({"format":7,"songs":[{"source":"x.wav"}]})", "a.json.format: must be wav16, wav24, wav32f, flac16 or flac24 (got 7)"},
      {R"({"format":"mp3","songs":[{"source":"x.wav"}]})", "a.json.format: must be wav16, wav24, wav32f, flac16 or flac24 (got \"mp3\")"},
      {R"({"preset":null,"songs":[{"source":"x.wav"}]})", "a.json.preset: must be the name of a delivery preset (got null)"},
      {R"({"sampleRate":"high","songs":[{"source":"x.wav"}]})", "a.json.sampleRate: must be a number of Hz from 8000 to 384000 (got a string)"},
      {R"({"songs":{"source":"x.wav"}})", "a.json.songs: must be a non-empty list of songs (got an object)"},
      {R"({"songs":[5]})", "a.json.songs[0]: must be an object with a \"source\" (got 5)"},
      {R"({"songs":[{"source":"x.wav","title":3}]})", "a.json.songs[0].title: must be a string (got 3)"},
      {R"({"songs":[{"source":"x.wav"},{"source":"y.wav","gap":"long"}]})", "a.json.songs[1].gap: must be a number of seconds from 0 to 600 (got a string)"},
      {R"({"songs":[{"source":"x.wav","crossfade":1e300}]})", "a.json.songs[0].crossfade: must be a number of seconds from 0 to 60 (got 1e+300)"},
      {R"({"songs":[{"source":true}]})", "a.json.songs[0].source: required: the path of a project or audio file (got true)"},
  };
  for (const Case& c : cases) {
    const std::string a = dir.file("a.json", c.json);
    BOOST_TEST_CONTEXT(c.json) {
      const Run r = run("album " + a + " -o " + (dir / "o"));
      expectFailure(r, c.fragment);
      BOOST_TEST(r.output.find("json.exception") == std::string::npos, r.output);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(import_kit)

BOOST_AUTO_TEST_CASE(a_hydrogen_kit_becomes_a_sampler_track_that_render_plays) {
  TempDir dir;
  const std::string kit = std::string(MIXDOWN_SOURCE_DIR) + "/../shared/testdata/drumkit-audiophob-cc0/drumkit.xml";
  const Run r = run("import-kit " + kit + " -o " + dir / "kit.json --audition");
  BOOST_TEST_REQUIRE(r.exitCode == 0, r.output);
  BOOST_TEST(r.output.find("track \"sampler\" (Audiophob), 14 zones, 14 samples") != std::string::npos, r.output);
  std::ifstream in(dir / "kit.json");
  const auto project = nlohmann::json::parse(in);
  BOOST_TEST(project["assets"].size() == 14u);
  BOOST_TEST(project["assets"][0]["sampleRate"].get<double>() > 0);
  // Paths relative to the project's folder, so the project can move with its kit.
  BOOST_TEST(project["assets"][0]["path"].get<std::string>().rfind("../", 0) == 0u);
  const auto& track = project["tracks"][0];
  BOOST_TEST(track["instrument"]["type"] == "mixdown.sampler");
  BOOST_TEST(track["instrument"]["zones"].size() == 14u);
  BOOST_TEST(track["clips"][0]["notes"].size() == 14u);
  // Rendered at 48 kHz (the samples are 44.1 and 48 kHz): every one of the 14 beats sounds (120 BPM:
  // a hit each 0.5 s).
  const Run render = run("render " + dir / "kit.json -o " + dir / "kit.wav --seconds 7.5");
  BOOST_TEST_REQUIRE(render.exitCode == 0, render.output);
  const auto audio = cli::readAudioFile(dir / "kit.wav");
  for (int beat = 0; beat < 14; ++beat) {
    const auto from = static_cast<std::size_t>(beat * 24000), to = from + 12000;
    const double peak = test::dB(test::peakOf(audio.channels[0], from, to));
    BOOST_TEST_MESSAGE("beat " << beat << " (" << track["instrument"]["zones"][beat]["asset"] << "): peak " << peak << " dBFS");
    BOOST_TEST(peak > -40.0, "beat " << beat << " is silent");
  }
}

BOOST_AUTO_TEST_CASE(an_sfz_joins_an_existing_project_beside_its_tracks) {
  TempDir dir;
  fs::create_directories(dir.path / "songs");
  const std::string sfz = std::string(MIXDOWN_SOURCE_DIR) + "/../shared/testdata/sfz-sfizz/groups_avl.sfz";
  const Run r = run("import-kit " + sfz + " --project " + demoPath() + " -o " + dir / "songs/demo-cajon.json");
  BOOST_TEST_REQUIRE(r.exitCode == 0, r.output);
  std::ifstream in(dir / "songs/demo-cajon.json");
  const auto project = nlohmann::json::parse(in);
  std::ifstream demoIn(demoPath());
  const auto demo = nlohmann::json::parse(demoIn);
  BOOST_TEST(project["tracks"].size() == demo["tracks"].size() + 1);
  const auto& zones = project["tracks"].back()["instrument"]["zones"];
  BOOST_TEST(zones.size() == 5u);
  BOOST_TEST(zones[2]["lowVelocity"] == 53);
  BOOST_TEST(zones[2]["highVelocity"] == 77);
  const Run render = run("render " + dir / "songs/demo-cajon.json -o " + dir / "out.wav --seconds 1");
  BOOST_TEST(render.exitCode == 0, render.output);
}

BOOST_AUTO_TEST_CASE(bad_kits_get_one_line_naming_the_file_and_the_line_or_element) {
  TempDir dir;
  const std::string sfizz = std::string(MIXDOWN_SOURCE_DIR) + "/../shared/testdata/sfz-sfizz/";
  expectFailure(run("import-kit " + sfizz + "Regions/regions_bad.sfz -o " + dir / "x.json"),
                "regions_bad.sfz:2: sample \"nonexistent.wav\" not found");
  expectFailure(run("import-kit " + dir.file("bad.sfz", "<region> sample=x.wav\n<region> lokey=zz") + " -o " + dir / "x.json"),
                "bad.sfz:1: sample \"x.wav\" not found");
  dir.file("a.wav", "");
  expectFailure(run("import-kit " + dir.file("drumkit.xml", "<?xml version=\"1.0\"?>\n<drumkit_info><instrumentList>\n<instrument>\n</drumkit_info>") +
                    " -o " + dir / "x.json"),
                "drumkit.xml:4: not XML (");
  expectFailure(run("import-kit " + dir.file("song.xml", "<?xml version=\"1.0\"?>\n<song/>") + " -o " + dir / "x.json"),
                "song.xml:2: the root element is <song>, not <drumkit_info>");
  expectFailure(run("import-kit " + dir / "nope.sfz -o " + dir / "x.json"), "nope.sfz: no such file");
  BOOST_TEST(!fs::exists(dir / "x.json"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(midi_files)

BOOST_AUTO_TEST_CASE(import_makes_a_project_render_plays_and_export_writes_it_back) {
  TempDir dir;
  const std::string mid = std::string(MIXDOWN_SOURCE_DIR) + "/../shared/testdata/midi-jazz-soft/test-multichannel-chords-1.mid";
  const Run r = run("import " + mid + " -o " + dir / "chords.json");
  BOOST_TEST_REQUIRE(r.exitCode == 0, r.output);
  BOOST_TEST(r.output == dir / "chords.json" + ": 3 tracks, 24 notes, 120 BPM (0 tempo changes), 4/4 (0 signature changes)\n");
  std::ifstream in(dir / "chords.json");
  const auto project = nlohmann::json::parse(in);
  BOOST_TEST(project["tracks"].size() == 3u);
  BOOST_TEST(project["tracks"][0]["instrument"]["type"] == "mixdown.polysynth");
  BOOST_TEST(project["tracks"][0]["clips"][0]["notes"].size() == 8u);
  const Run render = run("render " + dir / "chords.json -o " + dir / "chords.wav --seconds 1");
  BOOST_TEST_REQUIRE(render.exitCode == 0, render.output);
  BOOST_TEST(test::dB(test::peakOf(cli::readAudioFile(dir / "chords.wav").channels[0], 0, 48000)) > -40.0);
  // Back to a MIDI file, and in again: the same notes.
  const Run out = run("export " + dir / "chords.json -o " + dir / "chords.mid");
  BOOST_TEST_REQUIRE(out.exitCode == 0, out.output);
  // Without -o the project goes beside the file (chords.mid -> chords.json), never over one that is there.
  const Run beside = run("import " + dir / "chords.mid");
  BOOST_TEST(beside.exitCode == 1);
  BOOST_TEST(beside.output.find("chords.json: exists; give -o FILE") != std::string::npos, beside.output);
  std::filesystem::remove(dir / "chords.json");
  const Run fresh = run("import " + dir / "chords.mid");
  BOOST_TEST(fresh.exitCode == 0, fresh.output);
  BOOST_TEST(std::filesystem::exists(dir / "chords.json"));
  BOOST_TEST(out.output.find("chords.mid: 24 notes") != std::string::npos, out.output);
  const Run again = run("import " + dir / "chords.mid -o " + dir / "again.json");
  BOOST_TEST_REQUIRE(again.exitCode == 0, again.output);
  std::ifstream againIn(dir / "again.json");
  const auto back = nlohmann::json::parse(againIn);
  BOOST_TEST(back["tracks"].size() == 3u);
  BOOST_TEST(back["tracks"][2]["clips"][0]["notes"] == project["tracks"][2]["clips"][0]["notes"]);
}

BOOST_AUTO_TEST_CASE(a_broken_midi_file_gets_one_line_naming_the_file_and_the_byte) {
  TempDir dir;
  const std::string jazz = std::string(MIXDOWN_SOURCE_DIR) + "/../shared/testdata/midi-jazz-soft/";
  expectFailure(run("import " + jazz + "test-corrupt-file-missing-byte.mid -o " + dir / "x.json"),
                "test-corrupt-file-missing-byte.mid: byte 14 (0xe): the \"MTrk\" chunk says it holds 246 bytes");
  expectFailure(run("import " + jazz + "test-not-a-midi-file.mid -o " + dir / "x.json"), "test-not-a-midi-file.mid: byte 0 (0x0): not a MIDI file");
  expectFailure(run("import " + dir / "nope.mid -o " + dir / "x.json"), "nope.mid: file not found");
  expectFailure(run("import " + demoPath() + " -o " + dir / "x.json"), "first-light.json: import reads Standard MIDI Files");
  expectFailure(run("export " + demoPath() + " -o " + dir / "x.wav"), "x.wav: export writes Standard MIDI Files");
  BOOST_TEST(!fs::exists(dir / "x.json"));
  BOOST_TEST(!fs::exists(dir / "x.wav"));
  // Warnings name the byte too, and the import goes on.
  const Run junk = run("import " + jazz + "test-non-midi-track.mid -o " + dir / "junk.json");
  BOOST_TEST(junk.exitCode == 0, junk.output);
  BOOST_TEST(junk.output.find("mixdown: warning: " + jazz + "test-non-midi-track.mid: byte 14 (0xe): a \"Junk\" chunk (27 bytes) is not MIDI (skipped)") !=
                 std::string::npos,
             junk.output);
}

BOOST_AUTO_TEST_SUITE_END()
