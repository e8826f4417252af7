// Writes the fuzzers' seed corpora (nothing of them is committed: they are made from the demo songs and
// from audio this program writes). Usage: make_fuzz_seeds OUTDIR -> OUTDIR/<target>/<name>.
#include <sndfile.h>
#include <zlib.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "AudioFile.h"
#include "ProjectSource.h"
#include "ZipArchive.h"
#include "interchange/Bundle.h"
#include "interchange/Dawproject.h"
#include "model/ProjectEdit.h"
#include "model/ProjectJson.h"
#include "share/ProjectBinary.h"
#include "share/ShareLink.h"

namespace fs = std::filesystem;
using namespace mixdown;

namespace {

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& dir, const std::string& name, const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << bytes;
}

std::string payloadOf(const std::string& json) {
  uLongf len = compressBound(json.size());
  std::vector<std::uint8_t> z(len);
  compress2(z.data(), &len, reinterpret_cast<const Bytef*>(json.data()), json.size(), 9);
  z.resize(len);
  return encodeBase64Url(z);
}

// Raw deflate (share link v2), at zlib's best.
std::vector<std::uint8_t> rawDeflate(const std::vector<std::uint8_t>& data) {
  z_stream zs{};
  deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY);
  std::vector<std::uint8_t> out(deflateBound(&zs, static_cast<uLong>(data.size())));
  zs.next_in = const_cast<Bytef*>(data.data());
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

// A small song with every part a project can have: audio and instrument tracks, a bus with a send and a
// sidechain, inserts, automation, a tempo map, a content loop, a master chain.
const char* kSmallSong = R"({"format":"mixdown-project","version":2,"title":"seed","tempo":120,
  "timeSignature":{"numerator":4,"denominator":4},
  "tempoChanges":[{"beat":8,"bpm":90,"shape":"linear"},{"beat":16,"bpm":140}],
  "signatureChanges":[{"bar":3,"numerator":7,"denominator":8}],
  "loop":{"enabled":true,"start":0,"end":8},
  "assets":[{"id":"x","name":"x","sampleRate":48000,"channels":1,"frames":4800,"path":"x.wav"}],
  "tracks":[
    {"id":"keys","name":"Keys","kind":"instrument","instrument":{"type":"mixdown.polysynth","params":{"cutoff":2000}},
     "inserts":[{"type":"mixdown.eq","id":"fx1"},{"type":"mixdown.compressor","id":"fx2","sidechain":"drums"}],
     "clips":[{"start":0,"length":8,"loop":{"start":0,"end":2},"notes":[{"pitch":60,"velocity":0.8,"start":0,"length":1},
              {"pitch":64,"velocity":0.5,"start":1,"length":0.5}]}],
     "sends":[{"target":"verb","levelDb":-6,"preFader":false}],
     "automation":[{"target":"gain","points":[{"beat":0,"value":-6},{"beat":4,"value":0,"shape":"curved","tension":0.5}]},
                   {"target":"inserts[0].gain1","points":[{"beat":0,"value":0}]}],
     "strip":{"gainDb":-3,"pan":0.2,"mute":false,"solo":false},"color":"#3fa7d6"},
    {"id":"drums","name":"Drums","kind":"instrument","instrument":{"type":"mixdown.drums"},"output":"verb",
     "clips":[{"start":0,"length":4,"notes":[{"pitch":36,"velocity":1,"start":0,"length":0.25}]}]},
    {"id":"audio","name":"Audio","kind":"audio","clips":[{"start":1,"length":2,"offset":0.5,"asset":"x","gainDb":-2,"muted":true}]},
    {"id":"verb","name":"Verb","kind":"bus","inserts":[{"type":"mixdown.reverb","id":"fx1"}]}],
  "master":{"gainDb":0,"devices":[{"type":"mixdown.limiter","params":{"ceiling":-1}}],
            "delivery":{"preset":"spotify","targetLufs":-14,"ceilingDbtp":-1,"bits":24}}})";

void writeAudio(const fs::path& dir, const std::string& name, int format, int channels, int rate) {
  fs::create_directories(dir);
  SF_INFO info{};
  info.samplerate = rate;
  info.channels = channels;
  info.format = format;
  SNDFILE* f = sf_open((dir / name).string().c_str(), SFM_WRITE, &info);
  if (!f) {
    std::fprintf(stderr, "make_fuzz_seeds: %s: %s\n", name.c_str(), sf_strerror(nullptr));
    return;
  }
  const int frames = rate / 20;  // 50 ms: seeds stay small
  std::vector<float> x(static_cast<std::size_t>(frames * channels));
  for (int i = 0; i < frames; ++i)
    for (int c = 0; c < channels; ++c) x[static_cast<std::size_t>(i * channels + c)] = static_cast<float>(0.3 * std::sin(0.05 * i * (c + 1)));
  sf_writef_float(f, x.data(), frames);
  sf_close(f);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: make_fuzz_seeds OUTDIR\n");
    return 2;
  }
  const fs::path out = argv[1];
  const fs::path demos = fs::path(MIXDOWN_SOURCE_DIR) / "web" / "demos";

  std::vector<std::pair<std::string, std::string>> songs = {{"small", kSmallSong}};
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(demos, ec))
    if (e.path().extension() == ".json") songs.push_back({e.path().stem().string(), readText(e.path())});
  for (const auto& [name, text] : songs) {
    write(out / "project", name + ".json", text);
    // (The first byte picks the form: see FuzzShareLink.cpp.)
    write(out / "share_link", name + ".txt", "0" + payloadOf(text));
    const ProjectLoad song = parseProject(text);
    if (!song.ok()) continue;
    const std::vector<std::uint8_t> binary = encodeProjectBinary(song.project);
    write(out / "share_link", name + "-v2.txt", "1" + encodeBase64Url(rawDeflate(binary)));
    write(out / "share_link", name + "-v2.bin", "2" + std::string(binary.begin(), binary.end()));
  }

  // Edit messages as the studio sends them: the small song changed in one place each.
  const ProjectLoad base = parseProject(kSmallSong);
  if (!base.ok()) {
    std::fprintf(stderr, "make_fuzz_seeds: the small song does not load: %s\n", base.errorText().c_str());
    return 1;
  }
  auto edited = [&](const char* name, auto&& change) {
    Project p = base.project;
    change(p);
    write(out / "edits", std::string(name) + ".json", encodeEdits(diffProjects(base.project, p)));
  };
  edited("strip", [](Project& p) { p.tracks[0].strip.gainDb = -10; });
  edited("params", [](Project& p) { p.tracks[0].inserts[0].params["gain1"] = 3; });
  edited("notes", [](Project& p) { p.tracks[0].clips[0].notes[1].pitch = 67; });
  edited("clip", [](Project& p) { p.tracks[2].clips[0].start = 3; });
  edited("track", [](Project& p) { p.tracks[1].sends.push_back({"verb", -3, true}); });
  edited("add", [](Project& p) {
    Track t = p.tracks[1];
    t.id = "drums2";
    p.tracks.push_back(t);
  });
  edited("remove", [](Project& p) { p.tracks.erase(p.tracks.begin() + 2); });
  edited("move", [](Project& p) { std::swap(p.tracks[0], p.tracks[1]); });
  edited("master", [](Project& p) { p.master.gainDb = -2; });
  edited("song", [](Project& p) { p.tempo = 100; });
  {
    ProjectEdit whole;
    whole.kind = ProjectEdit::Kind::Whole;
    whole.project = base.project;
    write(out / "edits", "whole.json", encodeEdits({whole}));
  }

  write(out / "album", "track.json", R"({"title":"Night","loudness":"track","preset":"spotify","format":"wav24",
    "songs":[{"source":"one.json","title":"One","fadeIn":0.5},{"source":"two.wav","gap":2.0,"fadeOut":3}]})");
  write(out / "album", "album.json", R"({"loudness":"album","targetLufs":-16,"ceilingDbtp":-1,"sampleRate":44100,
    "songs":[{"source":"a.flac","crossfade":4,"fadeIn":4},{"source":"http://x/#p=abc"}]})");

  const fs::path audio = out / "audio_file";
  writeAudio(audio, "pcm16.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16, 2, 48000);
  writeAudio(audio, "pcm24.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_24, 1, 44100);
  writeAudio(audio, "float.wav", SF_FORMAT_WAV | SF_FORMAT_FLOAT, 2, 48000);
  writeAudio(audio, "rf64.wav", SF_FORMAT_RF64 | SF_FORMAT_PCM_16, 1, 8000);
  writeAudio(audio, "pcm16.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 2, 44100);
  writeAudio(audio, "ulaw.au", SF_FORMAT_AU | SF_FORMAT_ULAW, 1, 8000);
  writeAudio(audio, "pcm16.au", SF_FORMAT_AU | SF_FORMAT_PCM_16, 2, 22050);
  writeAudio(audio, "pcm16.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 2, 48000);
  writeAudio(audio, "vorbis.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 2, 48000);
  writeAudio(audio, "layer3.mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 2, 48000);
  // Kits: the first byte picks the reader (even: SFZ, odd: Hydrogen).
  write(out / "kit", "kit.sfz", "\x00#define $K 36\n<control> default_path=s/\n<global> volume=-3\n<group> lokey=c4 hikey=c5 group=1 off_by=2\n"
                                "<region> sample=a.wav lovel=1 hivel=64 loop_mode=loop_continuous loop_start=10 loop_end=99 offset=2 end=200\n"
                                "<region> key=$K sample=b.wav trigger=release ampeg_attack=0.1 ampeg_sustain=50 pan=-20 tune=5 transpose=-1\n#include \"x.sfz\"\n");
  write(out / "kit", "drumkit.xml", "\x01<?xml version=\"1.0\"?><drumkit_info><name>K</name><instrumentList><instrument><name>Kick</name>"
                                    "<volume>0.8</volume><muteGroup>1</muteGroup><layer><filename>k.wav</filename><min>0</min><max>0.5</max></layer>"
                                    "</instrument></instrumentList></drumkit_info>");
  // Bundles: the small song with a short WAV on an audio track; the same with an extra entry; one whose
  // audio entry is missing (refused); one whose audio was replaced (refused by its hash).
  {
    Project p = base.project;
    std::vector<float> tone(64);
    for (std::size_t i = 0; i < tone.size(); ++i) tone[i] = static_cast<float>(0.5 * std::sin(0.3 * static_cast<double>(i)));
    const fs::path wav = out / "bundle-tone.wav";
    cli::writeAudioFile(wav.string(), {tone}, 8000, cli::parseOutputFormat("wav16"), DitherShape::None);
    const std::string wavBytes = readText(wav);
    fs::remove(wav);
    p.assets.push_back({"tone", "tone.wav", cli::sha256OfBytes(wavBytes), 8000, 1, 64, "tone.wav"});
    Track t;
    t.id = "tone";
    t.kind = TrackKind::Audio;
    Clip c;
    c.length = 1;
    c.asset = "tone";
    t.clips.push_back(c);
    p.tracks.push_back(t);
    std::string error;
    std::vector<BundleFile> files;  // the tone for every asset of the song (the small song's own too)
    for (const Asset& a : p.assets) files.push_back({a.id, wavBytes, cli::sha256OfBytes(wavBytes)});
    Archive bundle = writeBundle(p, files, error);
    if (!error.empty()) {
      std::fprintf(stderr, "make_fuzz_seeds: the seed bundle: %s\n", error.c_str());
      return 1;
    }
    write(out / "bundle", "song.mixdown", cli::writeZipBytes(bundle));
    Archive junk = bundle;
    junk.add("__MACOSX/._x", "junk");
    write(out / "bundle", "junk.mixdown", cli::writeZipBytes(junk));
    Archive missing = bundle;
    missing.entries.pop_back();
    write(out / "bundle", "missing.mixdown", cli::writeZipBytes(missing));
    Archive swapped = bundle;
    swapped.entries.back().bytes[60] ^= 1;
    write(out / "bundle", "swapped.mixdown", cli::writeZipBytes(swapped));
  }
  // DAWproject: every song through our writer (zip bytes for fuzz_dawproject, project.xml for
  // fuzz_dawproject_xml), with an audio clip's file entry where the song has assets.
  std::size_t dawprojects = 0;
  for (const auto& [name, text] : songs) {
    const ProjectLoad load = parseProject(text);
    if (!load.ok()) continue;
    DawprojectExport dp = writeDawproject(load.project);
    for (const auto& [id, entry] : dp.audio) dp.archive.add(entry, "");
    write(out / "dawproject", name + ".dawproject", cli::writeZipBytes(dp.archive));
    write(out / "dawproject_xml", name + ".xml", dp.archive.find(kDawprojectProjectEntry)->bytes);
    ++dawprojects;
  }
  // The shape Bitwig writes: nested clips, warps, a plug-in instrument, a send to an effect channel.
  const std::string bitwig = R"(<?xml version="1.0" encoding="UTF-8"?><Project version="1.0"><Application name="Bitwig Studio" version="5.0"/>
<Transport><Tempo unit="bpm" value="149" id="id0"/><TimeSignature denominator="4" numerator="4" id="id1"/></Transport>
<Structure><Track contentType="notes" id="id2" name="Bass"><Channel destination="id15" role="regular" id="id3"><Devices>
<ClapPlugin deviceID="org.surge" deviceName="Surge XT" deviceRole="instrument" id="id7"><Enabled value="true"/></ClapPlugin></Devices>
<Pan unit="normalized" value="0.5" id="id5"/><Sends><Send destination="id11" type="post"><Volume unit="linear" value="0.5"/></Send></Sends><Volume unit="linear" value="0.65" id="id4"/></Channel></Track>
<Track contentType="audio" id="id9" name="FX"><Channel destination="id15" role="effect" id="id11"><Volume unit="linear" value="1"/></Channel></Track>
<Track contentType="audio" id="id12" name="Loop"><Channel destination="id15" role="regular" id="id13"/></Track>
<Track contentType="audio notes" id="id14" name="Master"><Channel role="master" id="id15"><Volume unit="linear" value="1"/></Channel></Track></Structure>
<Arrangement><Lanes timeUnit="beats"><Lanes track="id2"><Clips><Clip time="0" duration="8" playStart="0"><Notes>
<Note time="0" duration="0.25" channel="0" key="65" vel="0.78"/><Note time="1.5" duration="2.5" channel="0" key="53" vel="0.78"/></Notes></Clip></Clips>
<Points><Target parameter="id4"/><RealPoint time="0" value="0.2" interpolation="linear"/><RealPoint time="8" value="1" interpolation="hold"/></Points></Lanes>
<Lanes track="id12"><Clips><Clip time="0" duration="8" loopStart="0" loopEnd="8"><Clips><Clip time="0" duration="8" contentTimeUnit="beats" playStart="0">
<Warps contentTimeUnit="seconds" timeUnit="beats"><Audio channels="2" duration="2.8" sampleRate="48000"><File path="audio/a.wav"/></Audio>
<Warp time="0" contentTime="0"/><Warp time="8" contentTime="2.8"/></Warps></Clip></Clips></Clip></Clips></Lanes></Lanes>
<TempoAutomation><Target parameter="id0"/><RealPoint time="0" value="149" interpolation="linear"/><RealPoint time="16" value="120"/></TempoAutomation></Arrangement></Project>)";
  write(out / "dawproject_xml", "bitwig-shaped.xml", bitwig);
  Archive bitwigZip;
  bitwigZip.add("project.xml", bitwig);
  bitwigZip.add("audio/a.wav", "");
  write(out / "dawproject", "bitwig-shaped.dawproject", cli::writeZipBytes(bitwigZip));
  std::printf("make_fuzz_seeds: wrote %zu songs, 11 edit messages, 2 albums, 10 audio files, 2 kits, 4 bundles and %zu DAWprojects under %s\n",
              songs.size(), dawprojects + 1, out.string().c_str());
  return 0;
}
