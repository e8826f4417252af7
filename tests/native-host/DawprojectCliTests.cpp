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

// A sampler track (zones on an audio file, a MIDI clip playing them) keeps its zones and its audio: the
// file travels in the zip, the zones come back equal, the song renders the same.
BOOST_AUTO_TEST_CASE(a_sampler_with_zones_on_an_audio_file_comes_back_the_same) {
  Dir dir;
  // 1 s mono, 44.1 kHz: a decaying 440 Hz tone (recorded at A4, key 69).
  const int rate = 44100;
  std::vector<std::vector<float>> pcm(1, std::vector<float>(rate));
  for (std::size_t i = 0; i < pcm[0].size(); ++i) {
    const double t = static_cast<double>(i) / rate;
    pcm[0][i] = static_cast<float>(0.6 * std::sin(2 * M_PI * 440 * t) * std::exp(-t * 3));
  }
  cli::writeAudioFile(dir / "tone.wav", pcm, rate, cli::OutputFormat{cli::Container::Wav, cli::SampleFormat::Float32});
  Project p;
  p.title = "Sampler test";
  p.tempo = 120;
  p.assets.push_back({"tone", "tone.wav", "", static_cast<double>(rate), 1, rate, "tone.wav"});
  Track keys;
  keys.id = "keys";
  keys.name = "Sampled keys";
  keys.kind = TrackKind::Instrument;
  DeviceState sampler{"mixdown.sampler", {{"volume", -3.0}}};
  SampleZone low;
  low.asset = "tone";
  low.rootKey = 69;
  low.lowKey = 0;
  low.highKey = 64;
  low.releaseMs = 50;
  SampleZone high = low;
  high.lowKey = 65;
  high.highKey = 127;
  high.start = 441;
  high.loop = ZoneLoop::Forward;
  high.loopStart = 4410;
  high.loopEnd = 30000;
  high.crossfade = 441;
  high.tuneCents = 7;
  high.pan = -0.4;
  high.attackMs = 5;
  sampler.zones = {low, high};
  keys.instrument = sampler;
  Clip c;
  c.name = "phrase";
  c.length = 8;
  c.notes = {{57, 0.8, 0.0, 1.0}, {69, 0.6, 1.0, 0.5}, {76, 1.0, 2.0, 3.0}, {60, 0.4, 4.0, 2.0}};
  keys.clips.push_back(c);
  p.tracks.push_back(keys);
  const std::vector<ProjectIssue> issues = validateProject(p);
  BOOST_REQUIRE_MESSAGE(issues.empty(), (issues.empty() ? "" : issues.front().text()));
  std::ofstream(dir / "sampler.json") << writeProject(p);

  const Run e = mixdownRun("export " + (dir / "sampler.json") + " -o " + (dir / "sampler.dawproject"));
  BOOST_REQUIRE_MESSAGE(e.exitCode == 0, e.output);
  BOOST_TEST(e.output.find("1 audio files") != std::string::npos, e.output);
  expectValid(dir / "sampler.dawproject", dir);
  const Archive zip = cli::readZipFile(dir / "sampler.dawproject");
  BOOST_REQUIRE(zip.find("audio/tone.wav"));
  BOOST_TEST(zip.find("audio/tone.wav")->bytes.size() == fs::file_size(dir / "tone.wav"));

  fs::create_directories(dir.path / "back");
  const Run i = mixdownRun("import " + (dir / "sampler.dawproject") + " -o " + (dir / "back/sampler.json"));
  BOOST_REQUIRE_MESSAGE(i.exitCode == 0, i.output);
  BOOST_TEST(i.output.find(", 0 warnings") != std::string::npos, i.output);
  BOOST_TEST(fs::exists(dir.path / "back/sampler-audio/audio/tone.wav"));
  const ProjectLoad back = parseProject(test::readText(dir / "back/sampler.json"));
  BOOST_REQUIRE_MESSAGE(back.ok(), back.errorText());
  const Project& q = back.project;
  BOOST_REQUIRE_EQUAL(q.tracks.size(), 1u);
  BOOST_REQUIRE(q.tracks[0].instrument);
  const DeviceState& s = *q.tracks[0].instrument;
  BOOST_TEST(s.type == "mixdown.sampler");
  BOOST_TEST((s.params == sampler.params));
  BOOST_REQUIRE_EQUAL(s.zones.size(), 2u);
  const Asset* a = q.findAsset(s.zones[0].asset);
  BOOST_REQUIRE(a);
  BOOST_TEST(a->frames == rate);
  BOOST_TEST(a->channels == 1);
  BOOST_TEST(a->sampleRate == rate);
  for (std::size_t k = 0; k < 2; ++k) {
    SampleZone z = s.zones[k];
    BOOST_TEST(z.asset == a->id);
    z.asset = "tone";  // the importer names its assets
    BOOST_TEST((z == sampler.zones[k]), "zone " << k);
  }
  BOOST_TEST((q.tracks[0].clips == keys.clips));

  BOOST_REQUIRE(mixdownRun("render " + (dir / "sampler.json") + " -o " + (dir / "a.wav")).exitCode == 0);
  BOOST_REQUIRE(mixdownRun("render " + (dir / "back/sampler.json") + " -o " + (dir / "b.wav")).exitCode == 0);
  const double diff = differenceDb(dir / "a.wav", dir / "b.wav");
  std::printf("dawproject round trip, sampler with zones on an audio file: largest render difference %g dBFS\n", diff);
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
