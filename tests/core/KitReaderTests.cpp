// The kit readers of core/interchange on files held in memory: SFZ headers, inheritance, #define and
// #include, default_path, the opcodes read and their units; Hydrogen's drumkit.xml; and for bad files,
// messages that name the file, the line (or element) and what is wrong. (The real kits on disk are read in
// tests/native-host/KitImportTests.cpp, through the command line's files.)
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "interchange/HydrogenKit.h"
#include "interchange/Sfz.h"

using namespace mixdown;

namespace {

// Files in memory; every name in `samples` exists.
struct MemoryFiles {
  std::map<std::string, std::string> text;
  std::vector<std::string> samples;
  KitFiles files() const {
    KitFiles f;
    f.read = [this](const std::string& path, std::string& out) {
      const auto it = text.find(path);
      if (it == text.end()) return false;
      out = it->second;
      return true;
    };
    f.findSample = [this](const std::string& path) {
      return std::find(samples.begin(), samples.end(), path) != samples.end() ? path : std::string();
    };
    return f;
  }
};

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(kit_readers)

BOOST_AUTO_TEST_CASE(sfz_regions_inherit_from_group_master_and_global_and_convert_units) {
  MemoryFiles m;
  m.samples = {"kit/a.wav", "kit/sub/b c.wav", "kit/loop.wav"};
  m.text["kit/x.sfz"] = R"(// a comment
<global> volume=-6 ampeg_release=0.25
<master> pan=-50
<group> lokey=c4 hikey=e4 pitch_keycenter=d4 group=3 off_by=-2 /* a block
comment over lines */ trigger=release
<region> sample=a.wav lovel=0 hivel=63 tune=-20 transpose=2 offset=10 end=999
<control> default_path=sub\
<region> sample=b c.wav pan=25 ampeg_attack=0.01 ampeg_decay=0.5 ampeg_sustain=40 loop_mode=one_shot key=c#5
<control>
<group>
<region> sample=loop.wav loop_start=100 loop_end=199 unknown_thing=5 another=1 unknown_thing=6
<global>
<region> sample=loop.wav loop_mode=loop_sustain loopstart=4 loopend=8
)";
  const KitImport k = readSfz("kit/x.sfz", m.files());
  BOOST_TEST_REQUIRE(k.ok(), k.error);
  BOOST_TEST_REQUIRE(k.zones.size() == 4u);
  BOOST_TEST(k.name == "x");
  const SampleZone& a = k.zones[0];
  BOOST_TEST(a.asset == "kit/a.wav");
  BOOST_TEST(a.lowKey == 60);
  BOOST_TEST(a.highKey == 64);
  BOOST_TEST(a.rootKey == 62);
  BOOST_TEST(a.lowVelocity == 1);  // lovel=0 reads as 1
  BOOST_TEST(a.highVelocity == 63);
  BOOST_TEST(a.tuneCents == 180.0);
  BOOST_TEST(a.gainDb == -6.0);
  BOOST_TEST(a.pan == -0.5);
  BOOST_TEST(a.releaseMs == 250.0);
  BOOST_TEST(a.start == 10);
  BOOST_TEST(a.end == 1000);  // SFZ's end is the last frame played
  BOOST_TEST(a.group == 3);
  BOOST_TEST(a.offBy == -2);
  BOOST_TEST((a.trigger == ZoneTrigger::Release));
  const SampleZone& b = k.zones[1];
  BOOST_TEST(b.asset == "kit/sub/b c.wav");  // default_path, '\' read as '/', a name with a space
  BOOST_TEST(b.pan == 0.25);
  BOOST_TEST((b.lowKey == 73 && b.highKey == 73 && b.rootKey == 73));
  BOOST_TEST(b.attackMs == 10.0);
  BOOST_TEST(b.decayMs == 500.0);
  BOOST_TEST(b.sustain == 0.4);
  BOOST_TEST(b.oneShot);
  const SampleZone& c = k.zones[2];  // a new <control> cleared default_path, a new <group> the group's opcodes
  BOOST_TEST(c.asset == "kit/loop.wav");
  BOOST_TEST(c.lowKey == 0);
  BOOST_TEST((c.trigger == ZoneTrigger::Attack));
  BOOST_TEST(c.pan == -0.5);  // still the master's
  BOOST_TEST((c.loop == ZoneLoop::Forward && c.loopStart == 100 && c.loopEnd == 200));
  const SampleZone& d = k.zones[3];  // a new <global> cleared the master and global
  BOOST_TEST(d.pan == 0.0);
  BOOST_TEST(d.gainDb == 0.0);
  BOOST_TEST((d.loop == ZoneLoop::Forward && d.loopStart == 4 && d.loopEnd == 9));
  BOOST_TEST(k.samples.size() == 3u);
  // One warning per unknown opcode, where it first appears.
  int unknown = 0;
  for (const auto& w : k.warnings) unknown += contains(w, "\"unknown_thing\"") ? 1 : 0;
  BOOST_TEST(unknown == 1);
  bool placed = false;
  for (const auto& w : k.warnings) placed = placed || (contains(w, "kit/x.sfz:11:") && contains(w, "another"));
  BOOST_TEST(placed);
}

BOOST_AUTO_TEST_CASE(sfz_defines_and_includes_are_read_where_they_stand) {
  MemoryFiles m;
  m.samples = {"k/kick.wav", "k/snare.wav"};
  m.text["k/main.sfz"] = "#define $KICK 36 // comment\n#define $KICKER 40\n#define $NAME kick\n#include \"parts/$NAME.sfz\"\n<region> key=$KICKER sample=snare.wav\n#include \"main.sfz\"\n";
  m.text["k/parts/kick.sfz"] = "<region> key=$KICK sample=$NAME.wav\n";
  const KitImport k = readSfz("k/main.sfz", m.files());
  BOOST_TEST_REQUIRE(k.ok(), k.error);
  BOOST_TEST_REQUIRE(k.zones.size() == 2u);
  BOOST_TEST(k.zones[0].rootKey == 36);
  BOOST_TEST(k.zones[0].asset == "k/kick.wav");  // a sample path is relative to the top file's folder
  BOOST_TEST(k.zones[1].rootKey == 40);          // the longest name wins ($KICKER, not $KICK + "ER")
  bool loop = false;
  for (const auto& w : k.warnings) loop = loop || (contains(w, "k/main.sfz:6:") && contains(w, "already being read"));
  BOOST_TEST(loop);
}

BOOST_AUTO_TEST_CASE(bad_sfz_files_are_refused_naming_the_file_the_line_and_the_problem) {
  struct Case {
    std::string text, message;
  };
  for (const Case& c : {Case{"<region> sample=a.wav\n<region>\n  sample=missing.wav", "x.sfz:3: sample \"missing.wav\" not found"},
                        Case{"<region> sample=a.wav lokey=banana", "x.sfz:1: lokey: \"banana\" is not a note number or name"},
                        Case{"<group> volume=loud\n<region> sample=a.wav", "x.sfz:1: volume: \"loud\" is not a number"},
                        Case{"\n<region> sample=a.wav pan=300", "x.sfz:2: pan: 300 is out of range (-100 to 100)"},
                        Case{"<region> sample=a.wav loop_mode=sometimes", "x.sfz:1: loop_mode: \"sometimes\" is not"},
                        Case{"<region> sample=a.wav trigger=maybe", "x.sfz:1: trigger: \"maybe\" is not attack, release, first or legato"},
                        Case{"<region> sample=a.wav lokey=70 hikey=60", "x.sfz:1: lokey 70 is above hikey 60"},
                        Case{"#include \"nope.sfz\"", "x.sfz:1: #include \"nope.sfz\": cannot be read"},
                        Case{"<region sample=a.wav", "x.sfz:1: header \"<region sample=a.wav\" has no closing '>'"},
                        Case{"<region> sample=a.wav\njunk here", "x.sfz:2: expected a header <...> or an opcode name=value"}}) {
    MemoryFiles m;
    m.samples = {"a.wav"};
    m.text["x.sfz"] = c.text;
    const KitImport k = readSfz("x.sfz", m.files());
    BOOST_TEST(!k.ok());
    BOOST_TEST(k.zones.empty());
    BOOST_TEST(contains(k.error, c.message), "got \"" << k.error << "\", expected \"" << c.message << "\"");
  }
  // Hostile sizes stay cheap: an include read 300 times is refused at 256, a line of a million spaces
  // is read once through (the value scan is linear).
  MemoryFiles bomb;
  bomb.samples = {"a.wav"};
  for (int i = 0; i < 300; ++i) bomb.text["x.sfz"] += "#include \"y.sfz\"\n";
  bomb.text["y.sfz"] = "<region> sample=a.wav\n";
  const KitImport b = readSfz("x.sfz", bomb.files());
  BOOST_TEST(contains(b.error, "x.sfz:257: more than 256 #include read for one kit"), b.error);
  MemoryFiles wide;
  wide.samples = {"a.wav"};
  wide.text["x.sfz"] = "<region> sample=a.wav volume=-1" + std::string(1000000, ' ') + "pan=5";
  const KitImport w = readSfz("x.sfz", wide.files());
  BOOST_TEST_REQUIRE(w.ok(), w.error);
  BOOST_TEST((w.zones.size() == 1u && w.zones[0].pan == 0.05 && w.zones[0].gainDb == -1.0));
  const KitImport none = readSfz("absent.sfz", MemoryFiles{}.files());
  BOOST_TEST(none.error == "absent.sfz: cannot be read");
}

BOOST_AUTO_TEST_CASE(a_hydrogen_kit_maps_instruments_from_note_36_with_layers_and_mute_groups) {
  MemoryFiles m;
  m.samples = {"kits/k/kick.wav", "kits/k/hat-soft.wav", "kits/k/hat-hard.wav", "kits/k/open.flac"};
  m.text["kits/k/drumkit.xml"] = R"(<?xml version="1.0" encoding="UTF-8"?>
<drumkit_info xmlns="http://www.hydrogen-music.org/drumkit">
 <name>Test Kit</name>
 <instrumentList>
  <instrument><id>0</id><name>Kick</name><volume>0.5</volume><pan_L>1</pan_L><pan_R>0.5</pan_R>
   <layer><filename>kick.wav</filename><min>0</min><max>1</max><gain>1</gain><pitch>0</pitch></layer>
  </instrument>
  <instrument><id>1</id><name>Closed hat</name><muteGroup>0</muteGroup><isStopNote>true</isStopNote><Release>4410</Release>
   <instrumentComponent>
    <layer><filename>hat-soft.wav</filename><min>0</min><max>0.5</max><pitch>-2</pitch></layer>
    <layer><filename>hat-hard.wav</filename><min>0.5</min><max>1</max></layer>
   </instrumentComponent>
  </instrument>
  <instrument><id>2</id><name>Open hat</name><muteGroup>0</muteGroup>
   <layer><filename>open.flac</filename></layer>
  </instrument>
 </instrumentList>
</drumkit_info>
)";
  const KitImport k = readHydrogenKit("kits/k/drumkit.xml", m.files());
  BOOST_TEST_REQUIRE(k.ok(), k.error);
  BOOST_TEST(k.name == "Test Kit");
  BOOST_TEST_REQUIRE(k.zones.size() == 4u);
  BOOST_TEST(k.names[0] == "Kick");
  BOOST_TEST((k.zones[0].lowKey == 36 && k.zones[0].highKey == 36 && k.zones[0].rootKey == 36));
  BOOST_TEST(std::fabs(k.zones[0].gainDb - (-6.0206)) < 1e-3);
  BOOST_TEST(k.zones[0].pan == -0.5);  // pan_R - pan_L
  BOOST_TEST(k.zones[0].oneShot);
  BOOST_TEST(k.zones[0].group == 0);
  BOOST_TEST((k.zones[1].rootKey == 37 && k.zones[2].rootKey == 37 && k.zones[3].rootKey == 38));
  BOOST_TEST((k.zones[1].lowVelocity == 1 && k.zones[1].highVelocity == 63));
  BOOST_TEST((k.zones[2].lowVelocity == 64 && k.zones[2].highVelocity == 127));
  BOOST_TEST(k.zones[1].tuneCents == -200.0);
  BOOST_TEST(!k.zones[1].oneShot);  // isStopNote: gated
  BOOST_TEST(k.zones[1].releaseMs == 100.0);  // 4410 frames at 44.1 kHz
  BOOST_TEST((k.zones[1].group == 1 && k.zones[1].offBy == 1 && k.zones[3].group == 1 && k.zones[3].offBy == 1));
  BOOST_TEST(k.zones[3].asset == "kits/k/open.flac");
}

BOOST_AUTO_TEST_CASE(bad_hydrogen_kits_are_refused_naming_the_file_the_line_and_the_element) {
  const std::string head = "<?xml version=\"1.0\"?>\n<drumkit_info>\n <instrumentList>\n";
  struct Case {
    std::string text, message;
  };
  for (const Case& c : {Case{"this is not xml", "k.xml:1: not XML ("},
                        Case{"<?xml version=\"1.0\"?>\n<drumkit_info>\n <name>x</name>\n <instrumentList>\n  <instrument>\n</drumkit_info>",
                             "k.xml:6: not XML ("},
                        Case{"<?xml version=\"1.0\"?>\n<song><name>x</name></song>", "k.xml:2: the root element is <song>, not <drumkit_info>"},
                        Case{head + "  <instrument><name>Kick</name>\n   <volume>loud</volume>\n  </instrument>\n </instrumentList>\n</drumkit_info>",
                             "k.xml:5: <instrument> 1 (Kick) <volume>: \"loud\" is not a number"},
                        Case{head + "  <instrument><name>Kick</name>\n   <layer><min>0</min></layer>\n  </instrument>\n </instrumentList>\n</drumkit_info>",
                             "k.xml:5: <instrument> 1 (Kick) <layer> 1: <filename> is missing"},
                        Case{head + "  <instrument><name>Kick</name>\n   <layer>\n    <filename>gone.wav</filename></layer>\n  </instrument>\n </instrumentList>\n</drumkit_info>",
                             "k.xml:6: <instrument> 1 (Kick) <layer> 1 <filename>: sample \"gone.wav\" not found"},
                        Case{head + "  <instrument><name>Kick</name>\n   <layer><filename>a.wav</filename><max>2</max></layer>\n  </instrument>\n </instrumentList>\n</drumkit_info>",
                             "k.xml:5: <instrument> 1 (Kick) <layer> 1 <max>: 2 is out of range"}}) {
    MemoryFiles m;
    m.samples = {"a.wav"};
    m.text["k.xml"] = c.text;
    const KitImport k = readHydrogenKit("k.xml", m.files());
    BOOST_TEST(!k.ok());
    BOOST_TEST(contains(k.error, c.message), "got \"" << k.error << "\", expected \"" << c.message << "\"");
  }
}

BOOST_AUTO_TEST_CASE(sfz_takes_the_root_key_and_loop_the_sample_file_gives_where_the_region_does_not) {
  MemoryFiles m;
  m.samples = {"k/loop.wav", "k/plain.wav", "k/bounce.wav"};
  // What the host reads from each file (natively: the WAV's smpl chunk through libsndfile).
  std::map<std::string, SampleInfo> info;
  info["k/loop.wav"] = {67, ZoneLoop::Forward, 1000, 5000};
  info["k/bounce.wav"] = {-1, ZoneLoop::PingPong, 10, 90};
  int asked = 0;
  KitFiles files = m.files();
  files.sampleInfo = [&](const std::string& path) {
    ++asked;
    const auto it = info.find(path);
    return it == info.end() ? SampleInfo{} : it->second;
  };
  m.text["k/x.sfz"] = R"(<group> pitch_keycenter=sample
<region> sample=loop.wav
<region> sample=loop.wav loop_mode=no_loop
<region> sample=loop.wav loop_start=2000
<region> sample=loop.wav loop_mode=one_shot
<region> sample=plain.wav
<region> sample=bounce.wav
<region> sample=loop.wav loop_start=10 loop_end=19 pitch_keycenter=c5
)";
  const KitImport k = readSfz("k/x.sfz", files);
  BOOST_TEST_REQUIRE(k.ok(), k.error);
  BOOST_TEST_REQUIRE(k.zones.size() == 7u);
  const auto& z = k.zones;
  BOOST_TEST((z[0].rootKey == 67 && z[0].loop == ZoneLoop::Forward && z[0].loopStart == 1000 && z[0].loopEnd == 5000));
  BOOST_TEST((z[1].rootKey == 67 && z[1].loop == ZoneLoop::Off));  // loop_mode=no_loop: the file's loop is not used
  BOOST_TEST((z[2].loop == ZoneLoop::Forward && z[2].loopStart == 2000 && z[2].loopEnd == 5000));  // one point moved
  BOOST_TEST((z[3].loop == ZoneLoop::Off && z[3].oneShot));
  BOOST_TEST((z[4].rootKey == 60 && z[4].loop == ZoneLoop::Off));  // the file says nothing: 60, with a warning
  BOOST_TEST(std::any_of(k.warnings.begin(), k.warnings.end(), [](const std::string& w) {
    return contains(w, "k/x.sfz:1:") && contains(w, "plain.wav names no root key (60 used)");
  }));
  BOOST_TEST((z[5].rootKey == 60 && z[5].loop == ZoneLoop::PingPong && z[5].loopStart == 10 && z[5].loopEnd == 90));
  BOOST_TEST((z[6].rootKey == 72 && z[6].loop == ZoneLoop::Forward && z[6].loopStart == 10 && z[6].loopEnd == 20));  // the region's own
  BOOST_TEST(asked == 3, "each sample's file is asked once");
}

BOOST_AUTO_TEST_CASE(kit_paths_join_and_resolve_dot_segments) {
  BOOST_TEST(kitPath("a/b/kit.sfz", "..\\samples\\x.wav") == "a/samples/x.wav");
  BOOST_TEST(kitPath("kit.sfz", "./x.wav") == "x.wav");
  BOOST_TEST(kitPath("/k/kit.sfz", "/abs/x.wav") == "/abs/x.wav");
  BOOST_TEST(kitPath("k/kit.sfz", "../../x.wav") == "../x.wav");
}

BOOST_AUTO_TEST_CASE(kit_zones_play_their_assets_cut_to_fit_or_refuse_a_start_past_the_end) {
  MemoryFiles m;
  m.samples = {"k/a.wav", "k/b.wav"};
  m.text["k/x.sfz"] = R"(<region> sample=a.wav key=60 end=2000 loop_start=10 loop_end=1999
<region> sample=b.wav key=62 loop_start=0 loop_end=49
<region> sample=a.wav key=64 offset=100
)";
  const KitImport kit = readSfz("k/x.sfz", m.files());
  BOOST_REQUIRE(kit.ok());
  BOOST_REQUIRE_EQUAL(kit.samples.size(), 2u);
  Asset a, b;
  a.id = "sample1";
  a.frames = 1000;  // shorter than zone 1's end and loop
  b.id = "sample2";
  b.frames = 100;
  KitZones z = kitZonesForAssets(kit, {a, b});
  BOOST_REQUIRE(z.ok());
  BOOST_REQUIRE_EQUAL(z.zones.size(), 3u);
  BOOST_TEST(z.zones[0].asset == "sample1");
  BOOST_TEST(z.zones[1].asset == "sample2");
  BOOST_TEST(z.zones[0].end == 0);        // to the sample's end: 2001 was past its 1000 frames
  BOOST_TEST(z.zones[0].loopEnd == 1000);  // the loop cut there too, still a loop
  BOOST_TEST((z.zones[0].loop == ZoneLoop::Forward));
  BOOST_TEST(z.zones[1].loopEnd == 50);    // fits: unchanged
  BOOST_TEST(z.zones[2].start == 100);
  BOOST_REQUIRE_EQUAL(z.warnings.size(), 2u);
  BOOST_TEST(z.warnings[0] == "x: zone 1 (a.wav): end 2001 is past the sample's 1000 frames (cut there)");
  BOOST_TEST(contains(z.warnings[1], "x: zone 1 (a.wav): loop 10..2000 does not fit the sample's 1000 frames"));
  // Unknown lengths cut nothing.
  a.frames = b.frames = 0;
  z = kitZonesForAssets(kit, {a, b});
  BOOST_TEST((z.ok() && z.warnings.empty() && z.zones[0].end == 2001));
  // A zone that starts past its sample's end: refused, no zones.
  a.frames = 100;
  b.frames = 100;
  z = kitZonesForAssets(kit, {a, b});
  BOOST_TEST(!z.ok());
  BOOST_TEST(z.zones.empty());
  BOOST_TEST(z.error == "x: zone 3 (a.wav): offset 100 is past the sample's 100 frames");
  // Fewer assets than samples: refused.
  BOOST_TEST(!kitZonesForAssets(kit, {a}).ok());
}

BOOST_AUTO_TEST_SUITE_END()
