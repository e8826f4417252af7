// Real kits on disk through the command line's files (native-host/KitImport.h): the SFZ test files of a
// real SFZ player (sfizz, read from ../shared/testdata/sfz-sfizz, never copied here) load with the regions
// they describe, and the CC0 Hydrogen kit loads with its instruments, names, samples and notes.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <string>

#include "AudioFile.h"
#include "KitImport.h"
#include "interchange/HydrogenKit.h"
#include "interchange/Sfz.h"

using namespace mixdown;

namespace {

const std::string kSfizz = std::string(MIXDOWN_SOURCE_DIR) + "/../shared/testdata/sfz-sfizz/";
const std::string kHydrogen = std::string(MIXDOWN_SOURCE_DIR) + "/../shared/testdata/drumkit-audiophob-cc0/drumkit.xml";

KitImport sfz(const std::string& name) { return readSfz(kSfizz + name, cli::nativeKitFiles()); }

// The sample paths of a kit, relative to the sfizz folder.
std::vector<std::string> samplesOf(const KitImport& k) {
  std::vector<std::string> out;
  const std::string root = std::filesystem::path(kSfizz).lexically_normal().string();
  for (const SampleZone& z : k.zones) {
    std::string p = std::filesystem::path(z.asset).lexically_normal().string();
    if (p.rfind(root, 0) == 0) p.erase(0, root.size());
    out.push_back(p);
  }
  return out;
}

bool warned(const KitImport& k, const std::string& part) {
  for (const auto& w : k.warnings)
    if (w.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(kit_files)

BOOST_AUTO_TEST_CASE(the_sfizz_test_files_load_with_the_regions_they_describe) {
  if (!std::filesystem::exists(kSfizz)) {
    BOOST_FAIL("the sfizz test files are missing at " << kSfizz);
  }
  struct Case {
    std::string file;
    std::vector<std::string> samples;
  };
  const std::vector<Case> cases = {
      {"Regions/regions_one.sfz", {"Regions/dummy.wav"}},
      {"Regions/regions_many.sfz", {"Regions/dummy.wav", "Regions/dummy.1.wav", "Regions/dummy.2.wav"}},
      {"Regions/regions_opcodes.sfz", {"Regions/dummy.wav"}},
      {"Regions/underscore_opcodes.sfz", {"Regions/dummy.wav"}},
      {"default_path.sfz",
       {"DefaultPath/SubPath1/sample1.wav", "DefaultPath/SubPath2/sample2.wav", "DefaultPath/SubPath1/sample1.wav", "DefaultPath/SubPath2/sample2.wav"}},
      {"default_path_reset.sfz", {"DefaultPath/SubPath2/sample2.wav"}},
      {"Includes/root_local.sfz", {"Includes/dummy.wav"}},
      {"Includes/root_subdir.sfz", {"Includes/dummy_subdir.wav"}},
      {"Includes/root_subdir_win.sfz", {"Includes/dummy_subdir.wav"}},
      {"Includes/multiple_includes.sfz", {"Includes/dummy.wav", "Includes/dummy2.wav"}},
      {"Includes/multiple_includes_with_comments.sfz", {"Includes/dummy.wav", "Includes/dummy2.wav"}},
      {"Includes/root_recursive.sfz", {"Includes/dummy_recursive2.wav", "Includes/dummy_recursive1.wav"}},
      {"Includes/root_loop.sfz", {"Includes/dummy_loop2.wav", "Includes/dummy_loop1.wav"}},
      {"case_insensitive.sfz", {"dummy1.wav", "Regions/dummy.wav", "Regions/dummy.wav", "Regions/dummy.wav"}},
      {"defines.sfz", {"kick.wav", "snare.wav", "closedhat.wav"}},
      {"kick.sfz", {"kick.wav"}},
      {"channels.sfz", {"mono_sample.wav", "stereo_sample.wav"}},
      {"groups_avl.sfz", {"36-CajonCenter-1.wav", "36-CajonCenter-2.wav", "36-CajonCenter-3.wav", "36-CajonCenter-4.wav", "36-CajonCenter-5.wav"}},
      {"looped_regions.sfz", {"looped_flute.wav", "looped_flute.wav", "looped_flute.wav"}},
      {"off_by.sfz", {"mono_sample.wav", "mono_sample.wav", "mono_sample.wav", "mono_sample.wav"}},
      {"basic_hierarchy.sfz", std::vector<std::string>(8, "")},
      {"SpecificBugs/win_backslashes.sfz", {"SpecificBugs/Xylo/Subfolder/closedhat.wav"}},
      {"SpecificBugs/wrong-replacements.sfz", {"mono_sample.wav", "mono_sample.wav", "mono_sample.wav"}},
  };
  for (const Case& c : cases) {
    const KitImport k = sfz(c.file);
    BOOST_TEST_REQUIRE(k.ok(), c.file << ": " << k.error);
    BOOST_TEST_MESSAGE(c.file << ": " << k.zones.size() << " zones, " << k.warnings.size() << " warnings");
    BOOST_TEST(k.zones.size() == c.samples.size(), c.file);
    if (c.file != "basic_hierarchy.sfz") BOOST_TEST(samplesOf(k) == c.samples, c.file);
  }

  // What the regions say, file by file.
  const KitImport opcodes = sfz("Regions/regions_opcodes.sfz");
  BOOST_TEST((opcodes.zones[0].lowKey == 2 && opcodes.zones[0].highKey == 14));
  const KitImport defines = sfz("defines.sfz");
  BOOST_TEST((defines.zones[0].rootKey == 36 && defines.zones[1].rootKey == 38 && defines.zones[2].rootKey == 42));
  BOOST_TEST(warned(defines, "*sine is a generator"));
  const KitImport hierarchy = sfz("basic_hierarchy.sfz");
  const int keys[8] = {60, 61, 50, 51, 40, 41, 30, 31};
  for (int i = 0; i < 8; ++i) {
    BOOST_TEST(hierarchy.zones[static_cast<std::size_t>(i)].lowKey == keys[i]);
    BOOST_TEST(hierarchy.zones[static_cast<std::size_t>(i)].pan == (i < 4 ? 0.3 : -0.1));
  }
  BOOST_TEST(warned(hierarchy, "basic_hierarchy.sfz:1: opcode \"width\" is not read"));
  BOOST_TEST(warned(hierarchy, "basic_hierarchy.sfz:6: opcode \"delay\" is not read"));
  const KitImport avl = sfz("groups_avl.sfz");
  const int lo[5] = {1, 27, 53, 78, 103}, hi[5] = {26, 52, 77, 102, 127};
  for (std::size_t i = 0; i < 5; ++i) {
    BOOST_TEST((avl.zones[i].lowVelocity == lo[i] && avl.zones[i].highVelocity == hi[i]));
    BOOST_TEST((avl.zones[i].rootKey == 36 && avl.zones[i].gainDb == 6.0));
  }
  const KitImport looped = sfz("looped_regions.sfz");
  // Region 1 says nothing of a loop: looped_flute.wav's smpl chunk loops frames 77554..186581 (inclusive).
  BOOST_TEST((looped.zones[0].loop == ZoneLoop::Forward && looped.zones[0].loopStart == 77554 && looped.zones[0].loopEnd == 186582));
  BOOST_TEST((looped.zones[0].rootKey == 60 && looped.zones[1].loop == ZoneLoop::Off));
  BOOST_TEST((looped.zones[2].loop == ZoneLoop::Forward && looped.zones[2].loopStart == 4 && looped.zones[2].loopEnd == 125));
  const KitImport offBy = sfz("off_by.sfz");
  const int groups[4] = {1, 2, 3, 3}, offs[4] = {2, 3, 3, 3};
  for (std::size_t i = 0; i < 4; ++i) {
    BOOST_TEST((offBy.zones[i].group == groups[i] && offBy.zones[i].offBy == offs[i]));
    BOOST_TEST(offBy.zones[i].releaseMs == 100.0);
  }
  const KitImport replaced = sfz("SpecificBugs/wrong-replacements.sfz");
  BOOST_TEST((replaced.zones[0].rootKey == 52 && replaced.zones[1].rootKey == 57));
  const KitImport generator = sfz("dollar_include_main.sfz");  // "$foo_include_$bar.sfz" -> dollar_include_sine.sfz
  BOOST_TEST(generator.ok());
  BOOST_TEST(generator.zones.empty());
  BOOST_TEST(warned(generator, "dollar_include_sine.sfz:1: sample *sine is a generator"));
}

BOOST_AUTO_TEST_CASE(a_wav_smpl_chunk_gives_pitch_keycenter_sample_its_root_key_and_a_region_its_loop) {
  // A 16-bit mono WAV of 1000 frames written byte by byte, with a smpl chunk: unity note 67 (G4) and one
  // loop of type `loopType` (0 forward, 1 alternating) over frames 100..299 (dwEnd inclusive, as the
  // RIFF specification counts it).
  const auto dir = std::filesystem::temp_directory_path() / ("mixdown-smpl-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto writeWav = [&](const std::string& name, std::uint32_t loopType) {
    std::string b;
    auto u32 = [&](std::uint32_t v) { for (int i = 0; i < 4; ++i) b += static_cast<char>((v >> (8 * i)) & 0xff); };
    auto u16 = [&](std::uint16_t v) { b += static_cast<char>(v & 0xff), b += static_cast<char>(v >> 8); };
    const std::uint32_t frames = 1000, smplSize = 36 + 24;
    b += "RIFF";
    u32(4 + (8 + 16) + (8 + smplSize) + (8 + 2 * frames));
    b += "WAVEfmt ";
    u32(16), u16(1), u16(1), u32(44100), u32(88200), u16(2), u16(16);
    b += "smpl";
    u32(smplSize);
    for (std::uint32_t v : {0u, 0u, 22676u, 67u, 0u, 0u, 0u, 1u, 0u}) u32(v);  // manufacturer .. sampler data
    for (std::uint32_t v : {0u, loopType, 100u, 299u, 0u, 0u}) u32(v);          // cue id, type, start, end, fraction, count
    b += "data";
    u32(2 * frames);
    for (std::uint32_t i = 0; i < frames; ++i) u16(static_cast<std::uint16_t>(static_cast<std::int16_t>(8000.0 * std::sin(0.05 * i))));
    std::ofstream(dir / name, std::ios::binary) << b;
  };
  writeWav("g4.wav", 0);
  writeWav("bounce.wav", 1);
  const SampleInfo info = cli::readSampleInfo((dir / "g4.wav").string());
  BOOST_TEST(info.rootKey == 67);
  BOOST_TEST((info.loop == ZoneLoop::Forward && info.loopStart == 100 && info.loopEnd == 300));
  std::ofstream(dir / "kit.sfz") << "<region> sample=g4.wav pitch_keycenter=sample\n<region> sample=bounce.wav lokey=70\n"
                                    "<region> sample=g4.wav loop_end=199\n";
  const KitImport k = readSfz((dir / "kit.sfz").string(), cli::nativeKitFiles());
  BOOST_TEST_REQUIRE(k.ok(), k.error);
  BOOST_TEST_REQUIRE(k.zones.size() == 3u);
  BOOST_TEST(k.zones[0].rootKey == 67);
  BOOST_TEST((k.zones[0].loop == ZoneLoop::Forward && k.zones[0].loopStart == 100 && k.zones[0].loopEnd == 300));
  BOOST_TEST((k.zones[1].rootKey == 60 && k.zones[1].loop == ZoneLoop::PingPong && k.zones[1].loopEnd == 300));
  BOOST_TEST((k.zones[2].loop == ZoneLoop::Forward && k.zones[2].loopStart == 100 && k.zones[2].loopEnd == 200));
  // A file without a smpl chunk says nothing.
  const SampleInfo none = cli::readSampleInfo(kSfizz + "kick.wav");
  BOOST_TEST((none.rootKey == -1 && none.loop == ZoneLoop::Off));
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(a_bad_sfizz_file_names_its_missing_sample_and_line) {
  const KitImport bad = sfz("Regions/regions_bad.sfz");
  BOOST_TEST(!bad.ok());
  BOOST_TEST(bad.error.find("regions_bad.sfz:2: sample \"nonexistent.wav\" not found") != std::string::npos, bad.error);
}

BOOST_AUTO_TEST_CASE(the_audiophob_hydrogen_kit_loads_its_14_instruments_on_notes_36_to_49) {
  const KitImport k = readHydrogenKit(kHydrogen, cli::nativeKitFiles());
  BOOST_TEST_REQUIRE(k.ok(), k.error);
  BOOST_TEST(k.name == "Audiophob");
  const std::vector<std::string> names = {"Kick", "Stick", "Snare Jazz", "Hand Clap", "Snare Rock", "Tom Low", "Closed HH",
                                          "Tom Mid", "Pedal HH", "Tom Hi", "Open HH", "Cowbell", "Ride Jazz", "Crash"};
  BOOST_TEST_REQUIRE(k.zones.size() == names.size());
  BOOST_TEST(k.samples.size() == 14u);
  BOOST_TEST(k.names == names, boost::test_tools::per_element());
  for (std::size_t i = 0; i < k.zones.size(); ++i) {
    BOOST_TEST(k.zones[i].rootKey == 36 + static_cast<int>(i));
    BOOST_TEST(std::filesystem::exists(k.zones[i].asset));
    BOOST_TEST(k.zones[i].oneShot);
  }
  BOOST_TEST(std::filesystem::path(k.zones[0].asset).filename() == "86335__zgump__tom-0105.wav");
  BOOST_TEST(std::filesystem::path(k.zones[13].asset).filename() == "124101__connersaw8__crash.wav");
  BOOST_TEST(std::fabs(k.zones[1].gainDb - 20 * std::log10(0.69)) < 1e-9);  // Stick: volume 0.69
}

BOOST_AUTO_TEST_SUITE_END()
