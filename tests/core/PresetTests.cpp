// The factory presets: every file reads, every preset sounds (finite, not silent, not clipping hard), and
// bad preset documents are refused with the file and the JSON path of what is wrong.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "devices/Registry.h"
#include "engine/OfflineRender.h"
#include "presets/Presets.h"

using namespace mixdown;

namespace {

// A song of one instrument track playing the preset: a chord held two beats then released (synths), or
// each kit voice once on eighths (drums).
Project songFor(const Preset& preset) {
  Project p;
  Track t;
  t.id = "t";
  t.name = preset.name;
  t.kind = TrackKind::Instrument;
  t.instrument = preset.device;
  Clip c;
  c.start = 0.0;
  c.length = 4.0;
  if (preset.device.type == "mixdown.drums") {
    // Every voice by its own note, and two of General MIDI's other tom notes (45 mid, 48 high).
    const int notes[] = {36, 38, 39, 42, 46, 41, 47, 45, 48, 49, 51, 56, 37, 50};
    double at = 0.0;
    for (int n : notes) c.notes.push_back(Note{n, 0.9, at, 0.25}), at += 0.5;
    c.length = at;
  } else {
    for (int n : {48, 55, 60, 64}) c.notes.push_back(Note{n, 0.8, 0.0, 2.0});
  }
  t.clips.push_back(c);
  p.tracks.push_back(t);
  return p;
}

double peakDb(const std::vector<std::vector<float>>& audio, bool& finite) {
  float peak = 0.0f;
  finite = true;
  for (const auto& ch : audio)
    for (float x : ch) {
      finite = finite && std::isfinite(x);
      peak = std::max(peak, std::fabs(x));
    }
  return 20.0 * std::log10(std::max(peak, 1e-12f));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(presets)

BOOST_AUTO_TEST_CASE(the_factory_library_reads_without_errors_and_covers_what_producers_reach_for) {
  for (const std::string& e : factoryPresetErrors()) BOOST_ERROR(e);
  const auto& presets = factoryPresets();
  BOOST_TEST_MESSAGE("factory presets: " << presets.size() << " from " << factoryPresetFiles().size() << " files");
  BOOST_TEST(presets.size() == factoryPresetFiles().size());
  BOOST_TEST(presets.size() >= 40u);
  std::set<std::string> categories, names;
  for (const Preset& p : presets) {
    categories.insert(p.category);
    BOOST_TEST(names.insert(p.category + "/" + p.name).second, "two presets named " << p.name << " in " << p.category);
    BOOST_TEST((findDevice(p.device.type) != nullptr), p.file << ": " << p.device.type);
  }
  for (const char* wanted : {"Bass", "Lead", "Pad", "Pluck", "Keys", "Drum kit"})
    BOOST_TEST(categories.count(wanted) == 1u, "no preset in category " << wanted);
  // Sorted by category, then name (the browser lists them in this order).
  BOOST_TEST(std::is_sorted(presets.begin(), presets.end(), [](const Preset& a, const Preset& b) {
    return a.category != b.category ? a.category < b.category : a.name < b.name;
  }));
}

BOOST_AUTO_TEST_CASE(every_preset_sounds_finite_and_below_full_scale) {
  const double sr = 48000.0;
  for (const Preset& preset : factoryPresets()) {
    const Project song = songFor(preset);
    const auto audio = renderOffline(song, AssetLibrary{}, sr, static_cast<std::int64_t>(3.5 * sr), 512);  // the kit's 14 hits
    bool finite = false;
    const double peak = peakDb(audio, finite);
    BOOST_TEST_MESSAGE(preset.category << " / " << preset.name << ": peak " << peak << " dBFS");
    BOOST_TEST(finite, preset.file << " renders a non-finite sample");
    // Not silent (a chord or a kit hit at the default fader reaches at least -40 dBFS), and not far over
    // full scale (the fader and the master have the rest of the headroom).
    BOOST_TEST(peak > -40.0, preset.file << " is silent: peak " << peak << " dBFS");
    BOOST_TEST(peak < 3.0, preset.file << " clips: peak " << peak << " dBFS");
  }
}

BOOST_AUTO_TEST_CASE(bad_preset_documents_are_refused_with_the_file_and_the_path) {
  const auto firstError = [](const std::string& text) {
    const PresetLoad load = parsePreset(text, "user/mine.json");
    BOOST_TEST(!load.ok(), "accepted: " << text);
    return load.ok() ? std::string() : load.errors.front();
  };
  BOOST_TEST(firstError("{ nope") == "user/mine.json: not valid JSON");
  BOOST_TEST(firstError("[1]") == "user/mine.json: a preset must be a JSON object");
  const std::string head = R"({"format":"mixdown-preset","version":1,"name":"Mine","category":"Bass",)";
  BOOST_TEST(firstError(head + R"("device":{"type":"mixdown.nothing","params":{}}})").find("user/mine.json: device.type") == 0u);
  const std::string unknownParam = firstError(head + R"("device":{"type":"mixdown.polysynth","params":{"wobble":1}}})");
  BOOST_TEST(unknownParam.find("user/mine.json: device.params") == 0u, unknownParam);
  BOOST_TEST(unknownParam.find("wobble") != std::string::npos, unknownParam);
  const std::string outOfRange = firstError(head + R"("device":{"type":"mixdown.polysynth","params":{"cutoff":1e9}}})");
  BOOST_TEST(outOfRange.find("user/mine.json: device.params.cutoff") == 0u, outOfRange);
  BOOST_TEST(firstError(R"({"format":"mixdown-project","version":1,"name":"Mine","category":"Bass","device":{}})") ==
             "user/mine.json: format: must be \"mixdown-preset\"");
  BOOST_TEST(firstError(R"({"format":1,"version":1,"name":"Mine","category":"Bass","device":{}})") ==
             "user/mine.json: format: must be \"mixdown-preset\"");
  BOOST_TEST(firstError(R"({"format":"mixdown-preset","version":1,"name":"","category":"Bass","device":{}})") ==
             "user/mine.json: name: must be a string of 1 to 100 characters");
  BOOST_TEST(firstError(std::string(100, '[') + std::string(100, ']')).find("nested too deeply") != std::string::npos);
  // An effect is a preset too: validated as an insert.
  const PresetLoad eq = parsePreset(R"({"format":"mixdown-preset","version":1,"name":"Air","category":"EQ",)"
                                    R"("device":{"type":"mixdown.eq","params":{"gain1":3}}})", "user/air.json");
  for (const std::string& e : eq.errors) BOOST_ERROR(e);
  BOOST_TEST(eq.preset.device.params.at("gain1") == 3.0);
}

BOOST_AUTO_TEST_SUITE_END()
