// `mixdown import/export SONG.dawproject`: round trips that keep the mix (renders compared sample by
// sample), exports that validate against the DAWproject schema (xmllint), damaged files refused with
// what and where.
#include <boost/test/unit_test.hpp>
#include <sys/wait.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "AudioFile.h"
#include "Projects.h"
#include "ZipArchive.h"
#include "model/ProjectJson.h"

namespace fs = std::filesystem;
using namespace mixdown;

namespace {

struct Run {
  int exitCode = -1;
  std::string output;
};

Run shell(const std::string& cmd) {
  Run r;
  FILE* pipe = popen((cmd + " 2>&1").c_str(), "r");
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) r.output.append(buf.data(), n);
  const int status = pclose(pipe);
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  return r;
}
Run mixdownRun(const std::string& args) { return shell(std::string(MIXDOWN_BIN) + " " + args); }

struct Dir {
  fs::path path;
  Dir() {
    static int n = 0;
    path = fs::temp_directory_path() / ("mixdown-dawproject-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::create_directories(path);
  }
  ~Dir() { fs::remove_all(path); }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

const std::string kSchemaDir = std::string(MIXDOWN_SOURCE_DIR) + "/../shared/testdata/dawproject-schema";

// The largest sample difference of two renders, in dBFS (-inf when identical). Both must be as long.
double differenceDb(const std::string& a, const std::string& b) {
  const cli::DecodedAudio x = cli::readAudioFile(a), y = cli::readAudioFile(b);
  BOOST_REQUIRE_EQUAL(x.channels.size(), y.channels.size());
  BOOST_REQUIRE_EQUAL(x.frames(), y.frames());
  double peak = 0.0, level = 0.0;
  for (std::size_t c = 0; c < x.channels.size(); ++c)
    for (std::size_t i = 0; i < x.frames(); ++i) {
      peak = std::max(peak, std::fabs(static_cast<double>(x.channels[c][i]) - y.channels[c][i]));
      level = std::max(level, std::fabs(static_cast<double>(x.channels[c][i])));
    }
  BOOST_TEST(level > 0.01, "the render is silent: the comparison would prove nothing");
  return peak > 0 ? 20.0 * std::log10(peak) : -INFINITY;
}

// Every export's two XML files against the DAWproject schemas.
void expectValid(const std::string& dawproject, const Dir& dir) {
  const Archive zip = cli::readZipFile(dawproject);
  for (const char* entry : {"project.xml", "metadata.xml"}) {
    const ArchiveEntry* e = zip.find(entry);
    BOOST_REQUIRE_MESSAGE(e, entry << " missing from " << dawproject);
    const std::string file = dir / (std::string("check-") + entry);
    std::ofstream(file, std::ios::binary) << e->bytes;
    const std::string schema = kSchemaDir + (std::string(entry) == "project.xml" ? "/Project.xsd" : "/MetaData.xsd");
    const Run v = shell("xmllint --noout --schema " + schema + " " + file);
    BOOST_TEST(v.exitCode == 0, entry << " does not validate: " << v.output);
    BOOST_TEST(v.output.find("validates") != std::string::npos, v.output);
  }
}

// A song with what a mix holds: a tempo ramp and a step, a signature change, a bus fed by an output
// (submix) and a return fed by sends (pre and post), volume, pan and device automation, an audio clip
// with an offset and a loop, a muted clip, every mapped device and some that are ours alone.
Project mixProject(const std::string& assetPath, std::int64_t frames) {
  Project p = test::demoProject();
  p.title = "Mix test";
  p.tempo = 100;
  p.tempoChanges = {{16.0, 130.0, TempoShape::Linear}, {32.0, 90.0, TempoShape::Step}};
  p.signatureChanges = {{5, 3, 4}};
  Asset a;
  a.id = "loop1";
  a.name = "loop.wav";
  a.sampleRate = 44100;
  a.channels = 2;
  a.frames = frames;
  a.path = assetPath;
  p.assets.push_back(a);

  Track drums;
  drums.id = "drumloop";
  drums.name = "Drum loop";
  drums.kind = TrackKind::Audio;
  drums.output = "group";
  drums.strip = {-3.0, 0.3, false, false};
  Clip c;
  c.name = "loop";
  c.start = 2.0;
  c.length = 12.0;
  c.offset = 0.75;
  c.asset = "loop1";
  c.looped = true;
  c.loopStart = 0.5;
  c.loopEnd = 3.5;
  drums.clips.push_back(c);
  Clip muted = c;
  muted.start = 40;
  muted.length = 4;
  muted.looped = false;
  muted.muted = true;
  drums.clips.push_back(muted);
  DeviceState gate;
  gate.type = "mixdown.gate";
  gate.params = {{"threshold", -30}, {"range", 20}, {"ratio", 10}, {"attack", 1}, {"release", 80}, {"hold", 15}};
  drums.inserts.push_back(gate);
  DeviceState lim;
  lim.type = "mixdown.limiter";
  lim.params = {{"ceiling", -3}, {"gain", 4}};
  drums.inserts.push_back(lim);
  drums.sends.push_back({"reverb", -12.0, true});
  drums.automation.push_back({"pan", {{0, -0.5, AutomationShape::Linear, 0}, {24, 0.5, AutomationShape::Step, 0}, {30, 0.0, AutomationShape::Linear, 0}}});
  drums.automation.push_back({"inserts[0].threshold", {{0, -40, AutomationShape::Linear, 0}, {20, -20, AutomationShape::Curved, 0.5}, {28, -35, AutomationShape::Linear, 0}}});

  Track group;
  group.id = "group";
  group.name = "Drum group";
  group.kind = TrackKind::Bus;
  group.strip = {-1.5, -0.1, false, false};
  DeviceState chorus;
  chorus.type = "mixdown.chorus";
  group.inserts.push_back(chorus);
  group.automation.push_back({"gain", {{0, -6, AutomationShape::Linear, 0}, {12, 0, AutomationShape::Linear, 0}}});
  p.tracks.push_back(drums);
  p.tracks.push_back(group);
  p.master.devices.push_back(lim);
  return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dawproject_command_line)

BOOST_AUTO_TEST_CASE(the_demo_goes_out_and_back_with_the_same_mix) {
  Dir dir;
  const Run e = mixdownRun("export " + std::string(MIXDOWN_SOURCE_DIR) + "/web/demos/first-light.json -o " + (dir / "demo.dawproject"));
  BOOST_REQUIRE_MESSAGE(e.exitCode == 0, e.output);
  expectValid(dir / "demo.dawproject", dir);
  const Run i = mixdownRun("import " + (dir / "demo.dawproject") + " -o " + (dir / "demo.json"));
  BOOST_REQUIRE_MESSAGE(i.exitCode == 0, i.output);
  BOOST_TEST(i.output.find("7 tracks, 5 clips, 382 notes") != std::string::npos, i.output);
  BOOST_REQUIRE(mixdownRun("render " + std::string(MIXDOWN_SOURCE_DIR) + "/web/demos/first-light.json -o " + (dir / "a.wav")).exitCode == 0);
  BOOST_REQUIRE(mixdownRun("render " + (dir / "demo.json") + " -o " + (dir / "b.wav")).exitCode == 0);
  const double diff = differenceDb(dir / "a.wav", dir / "b.wav");
  BOOST_TEST_MESSAGE("first-light.json -> .dawproject -> .json: largest render difference " << diff << " dBFS");
  std::printf("dawproject round trip, first-light: largest render difference %g dBFS\n", diff);
  BOOST_TEST(diff < -100.0);
}

BOOST_AUTO_TEST_CASE(a_mix_with_buses_sends_automation_audio_and_tempo_changes_comes_back_the_same) {
  Dir dir;
  // A 3 s stereo file of decaying tone bursts, so offsets and loop points move audible edges.
  const int rate = 44100;
  std::vector<std::vector<float>> pcm(2, std::vector<float>(3 * rate));
  for (std::size_t i = 0; i < pcm[0].size(); ++i) {
    const double t = static_cast<double>(i) / rate, local = std::fmod(t, 0.25);
    pcm[0][i] = static_cast<float>(0.5 * std::sin(2 * M_PI * 220 * t) * std::exp(-local * 12));
    pcm[1][i] = static_cast<float>(0.4 * std::sin(2 * M_PI * 330 * t) * std::exp(-local * 9));
  }
  cli::writeAudioFile(dir / "loop.wav", pcm, rate, cli::OutputFormat{cli::Container::Wav, cli::SampleFormat::Float32});
  const Project p = mixProject("loop.wav", static_cast<std::int64_t>(pcm[0].size()));
  const std::vector<ProjectIssue> issues = validateProject(p);
  BOOST_REQUIRE_MESSAGE(issues.empty(), (issues.empty() ? "" : issues.front().text()));
  std::ofstream(dir / "mix.json") << writeProject(p);

  const Run e = mixdownRun("export " + (dir / "mix.json") + " -o " + (dir / "mix.dawproject"));
  BOOST_REQUIRE_MESSAGE(e.exitCode == 0, e.output);
  BOOST_TEST(e.output.find("1 audio files") != std::string::npos, e.output);
  expectValid(dir / "mix.dawproject", dir);
  const Archive zip = cli::readZipFile(dir / "mix.dawproject");
  BOOST_REQUIRE(zip.find("audio/loop.wav"));
  BOOST_TEST(zip.find("audio/loop.wav")->bytes.size() == fs::file_size(dir / "loop.wav"));

  fs::create_directories(dir.path / "back");
  const Run i = mixdownRun("import " + (dir / "mix.dawproject") + " -o " + (dir / "back/mix.json"));
  BOOST_REQUIRE_MESSAGE(i.exitCode == 0, i.output);
  BOOST_TEST(fs::exists(dir.path / "back/mix-audio/audio/loop.wav"));
  const ProjectLoad back = parseProject(test::readText(dir / "back/mix.json"));
  BOOST_REQUIRE_MESSAGE(back.ok(), back.errorText());
  const Project& q = back.project;
  BOOST_TEST(q.tempo == 100.0);
  BOOST_REQUIRE_EQUAL(q.tempoChanges.size(), 2u);
  BOOST_TEST(q.tempoChanges[0].beat == 16.0);
  BOOST_TEST((q.tempoChanges[0].shape == TempoShape::Linear));
  BOOST_TEST(q.tempoChanges[1].bpm == 90.0);
  BOOST_TEST((q.tempoChanges[1].shape == TempoShape::Step));
  BOOST_REQUIRE_EQUAL(q.signatureChanges.size(), 1u);
  BOOST_TEST(q.signatureChanges[0].bar == 5);
  BOOST_TEST(q.signatureChanges[0].numerator == 3);
  const Track* drums = nullptr;
  for (const Track& t : q.tracks)
    if (t.id == "drumloop") drums = &t;
  BOOST_REQUIRE(drums);
  BOOST_TEST(drums->output == "group");
  BOOST_REQUIRE_EQUAL(drums->clips.size(), 2u);
  BOOST_TEST(std::fabs(drums->clips[0].offset - 0.75) < 1e-9);
  BOOST_TEST(drums->clips[0].looped);
  BOOST_TEST(std::fabs(drums->clips[0].loopStart - 0.5) < 1e-9);
  BOOST_TEST(std::fabs(drums->clips[0].loopEnd - 3.5) < 1e-9);
  BOOST_TEST(drums->clips[1].muted);
  BOOST_REQUIRE_EQUAL(drums->sends.size(), 1u);
  BOOST_TEST(drums->sends[0].preFader);
  BOOST_TEST(std::fabs(drums->sends[0].levelDb + 12.0) < 1e-9);
  BOOST_TEST(std::fabs(drums->strip.pan - 0.3) < 1e-12);
  BOOST_TEST(std::fabs(drums->strip.gainDb + 3.0) < 1e-9);
  BOOST_TEST(drums->automation.size() == 2u);
  BOOST_TEST(drums->inserts[0].params.at("hold") == 15.0);  // not in DAWproject's gate: kept by our state file

  BOOST_REQUIRE(mixdownRun("render " + (dir / "mix.json") + " -o " + (dir / "a.wav")).exitCode == 0);
  BOOST_REQUIRE(mixdownRun("render " + (dir / "back/mix.json") + " -o " + (dir / "b.wav")).exitCode == 0);
  const double diff = differenceDb(dir / "a.wav", dir / "b.wav");
  std::printf("dawproject round trip, mix with buses, sends, automation, audio loop, tempo changes: largest render difference %g dBFS\n", diff);
  BOOST_TEST(diff < -100.0);
}

BOOST_AUTO_TEST_CASE(damaged_files_are_refused_with_what_and_where) {
  Dir dir;
  const auto expectFailure = [](const Run& r, const std::string& fragment) {
    BOOST_TEST(r.exitCode != 0);
    BOOST_TEST(r.output.find(fragment) != std::string::npos, "expected \"" << fragment << "\" in: " << r.output);
    BOOST_TEST(r.output.rfind("mixdown: ", 0) == 0u, r.output);
    BOOST_TEST(std::count(r.output.begin(), r.output.end(), '\n') == 1, r.output);
  };
  std::ofstream(dir / "junk.dawproject") << "PK\x03\x04 this is not really a zip";
  expectFailure(mixdownRun("import " + (dir / "junk.dawproject") + " -o " + (dir / "x.json")), "junk.dawproject");
  Archive noProject;
  noProject.add("metadata.xml", "<MetaData/>");
  cli::writeZipFile(dir / "empty.dawproject", noProject);
  expectFailure(mixdownRun("import " + (dir / "empty.dawproject") + " -o " + (dir / "x.json")), "empty.dawproject: no project.xml in the zip");
  Archive broken;
  broken.add("project.xml", "<?xml version=\"1.0\"?>\n<Project version=\"1.0\">\n  <Application name=\"x\" version=\"1\"/>\n  <Transport>\n    <Tempo unit=\"bpm\" value=\"120\"\n</Project>\n");
  cli::writeZipFile(dir / "broken.dawproject", broken);
  expectFailure(mixdownRun("import " + (dir / "broken.dawproject") + " -o " + (dir / "x.json")), "broken.dawproject: project.xml:6:");
  Archive badValue;
  badValue.add("project.xml", "<Project version=\"1.0\"><Application name=\"x\" version=\"1\"/><Transport><Tempo unit=\"bpm\" value=\"fast\"/></Transport></Project>");
  cli::writeZipFile(dir / "value.dawproject", badValue);
  expectFailure(mixdownRun("import " + (dir / "value.dawproject") + " -o " + (dir / "x.json")),
                "value.dawproject: project.xml:1:71: Project/Transport/Tempo: value=\"fast\" is not a finite number");
  BOOST_TEST(!fs::exists(dir / "x.json"));
}

BOOST_AUTO_TEST_SUITE_END()
