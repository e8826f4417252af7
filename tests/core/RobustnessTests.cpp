// Hostile input: thousands of damaged variants of the demo project must each load with a clear
// message or load cleanly and render finite audio. Never a crash, a hang or a NaN.
#include <boost/test/unit_test.hpp>

#include <random>

#include "Projects.h"
#include "engine/OfflineRender.h"
#include "engine/Timeline.h"
#include "model/ProjectEdit.h"
#include "model/ProjectJson.h"
#include <nlohmann/json.hpp>

using namespace mixdown;

BOOST_AUTO_TEST_SUITE(robustness)

BOOST_AUTO_TEST_CASE(damaged_projects_are_refused_or_render_finite_audio) {
  // The demo with a full master chain, so damage reaches the master devices too.
  nlohmann::json base = nlohmann::json::parse(test::readText(std::string(MIXDOWN_SOURCE_DIR) + "/web/demos/first-light.json"));
  base["master"]["devices"] = nlohmann::json::array(
      {{{"type", "mixdown.multiband"}, {"params", {{"bands", 1}, {"ratio2", 4}, {"threshold2", -30}}}},
       {{"type", "mixdown.imager"}, {"params", {{"width", 1.5}, {"monoBelow", 120}}}},
       {{"type", "mixdown.limiter"}, {"bypass", false}, {"params", {{"ceiling", -1}, {"release", 50}}}}});
  const std::string demo = base.dump(1);
  const unsigned seed = std::random_device{}();
  BOOST_TEST_MESSAGE("seed " << seed);
  std::mt19937 rng(seed);
  const std::string alphabet = R"({}[]",:-0123456789.eE+ truefalsn\u0000)";
  int refused = 0, rendered = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string doc = demo;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      std::size_t at = rng() % doc.size();
      switch (rng() % 4) {
        case 0: doc[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: doc.erase(at, 1 + rng() % 8); break;
        case 2: doc.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        case 3: {  // replace a number with an extreme one
          const char* extremes[] = {"1e308", "-1e308", "0", "-0", "1e-320", "99999999999", "-1", "4294967296"};
          std::size_t n = doc.find_first_of("0123456789", at);
          if (n != std::string::npos) doc.replace(n, 1, extremes[rng() % 8]);
          break;
        }
      }
    }
    ProjectLoad load = parseProject(doc);
    BOOST_TEST_CONTEXT("seed " << seed << " variant " << i) {
      if (!load.ok()) {
        ++refused;
        for (const auto& issue : load.issues) BOOST_TEST(!issue.message.empty());
        continue;
      }
      ++rendered;
      // Render only a short window; the point is that nothing in a valid project breaks the engine.
      auto out = renderOffline(load.project, {}, 48000, 4800, 512);
      bool finite = true;
      for (const auto& ch : out)
        for (float v : ch) finite = finite && std::isfinite(v);
      BOOST_TEST(finite);
    }
  }
  BOOST_TEST_MESSAGE("refused " << refused << ", rendered " << rendered);
  BOOST_TEST(refused > 100);
  BOOST_TEST(rendered > 100);
}


// [SECTION] Named reproducers: each once crashed, hung or threw, and each is now refused with its path.
namespace {

nlohmann::json audioProject() {
  return nlohmann::json::parse(R"({"format":"mixdown-project","version":2,"tempo":120,
    "assets":[{"id":"x","sampleRate":48000,"channels":1,"frames":48000,"path":"x.wav"}],
    "tracks":[{"id":"a","kind":"audio","clips":[{"start":0,"length":4,"offset":0,"asset":"x"}]},
              {"id":"s","kind":"instrument","instrument":{"type":"mixdown.polysynth"},
               "clips":[{"start":0,"length":4,"notes":[{"pitch":60,"velocity":0.8,"start":0,"length":1}]}],
               "automation":[{"target":"gain","points":[{"beat":0,"value":0}]}]}]})");
}

// The issues of a load, one per line, for messages.
std::string issuesOf(const ProjectLoad& load) { return load.ok() ? "(loaded)" : load.errorText(); }

bool hasIssue(const ProjectLoad& load, const std::string& path, const std::string& fragment) {
  for (const auto& i : load.issues)
    if (i.path == path && i.message.find(fragment) != std::string::npos) return true;
  return false;
}

}  // namespace

BOOST_AUTO_TEST_CASE(an_audio_clip_offset_of_1e300_is_refused_with_its_path) {
  nlohmann::json j = audioProject();
  j["tracks"][0]["clips"][0]["offset"] = 1e300;
  const ProjectLoad load = parseProject(j.dump());
  BOOST_TEST(hasIssue(load, "tracks[0].clips[0].offset", "must be between 0 and 100000 beats"), issuesOf(load));
}

BOOST_AUTO_TEST_CASE(the_engine_renders_silence_not_a_crash_for_positions_validation_would_refuse) {
  // Built in memory, past validation: the engine's own conversions saturate instead of overflowing.
  nlohmann::json j = audioProject();
  Project p = parseProject(j.dump()).project;
  p.tracks[0].clips[0].offset = 1e300;
  p.tracks[1].clips[0].notes[0].start = 1e300;
  auto pcm = std::make_shared<AssetPcm>();
  pcm->id = "x";
  pcm->channels = {std::vector<float>(48000, 0.5f)};
  const auto out = renderOffline(p, {{"x", pcm}}, 48000, 4800, 512);
  BOOST_REQUIRE(out.size() == 2u);
  double peak = 0;
  for (const auto& ch : out)
    for (float v : ch) {
      BOOST_REQUIRE(std::isfinite(v));
      peak = std::max(peak, static_cast<double>(std::fabs(v)));
    }
  BOOST_TEST(peak == 0.0);  // the clip's source starts far past its end; the note far past the render
}

BOOST_AUTO_TEST_CASE(beat_to_frame_conversions_saturate_for_huge_and_nan_beats) {
  Project p;
  const Timeline constant(p, 48000);
  BOOST_TEST(constant.frameOfBeat(1e300) == std::int64_t{1} << 53);
  BOOST_TEST(constant.frameOfBeat(-1e300) == -(std::int64_t{1} << 53));
  BOOST_TEST(constant.frameOfBeat(std::nan("")) == 0);
  BOOST_TEST(constant.frameAtOrAfterBeat(1e300) == std::int64_t{1} << 53);
  BOOST_TEST(constant.framesOfSpan(0, 1e300) == std::int64_t{1} << 53);
  BOOST_TEST(constant.frameOfBeat(2.0) == 48000);  // unchanged inside the range
  p.tempoChanges = {{4.0, 60.0, TempoShape::Linear}};
  const Timeline mapped(p, 48000);
  BOOST_TEST(mapped.frameOfBeat(1e300) == std::int64_t{1} << 53);
  BOOST_TEST(mapped.framesOfSpan(1.0, 1e300) == std::int64_t{1} << 53);
  BOOST_TEST(frameOfBeat(1e300, 120, 48000) == std::int64_t{1} << 53);
}

BOOST_AUTO_TEST_CASE(every_number_the_reader_takes_has_a_range_and_a_path) {
  struct Case {
    const char* pointer;  // JSON pointer into audioProject()
    nlohmann::json value;
    const char* path;
    const char* fragment;
  };
  const Case cases[] = {
      {"/tracks/0/clips/0/offset", -1, "tracks[0].clips[0].offset", "must be between 0 and 100000"},
      {"/tracks/0/clips/0/start", 1e300, "tracks[0].clips[0].length", "clip ends after beat 100000"},
      {"/tracks/0/clips/0/length", 1e300, "tracks[0].clips[0].length", "clip ends after beat 100000"},
      {"/tracks/0/clips/0/gainDb", 1e300, "tracks[0].clips[0].gainDb", "between -144 and +24 dB"},
      {"/tracks/1/clips/0/notes/0/start", 1e300, "tracks[1].clips[0].notes[0].start", "between 0 and 100000 beats"},
      {"/tracks/1/clips/0/notes/0/length", 1e300, "tracks[1].clips[0].notes[0].length", "at most 100000 beats"},
      {"/tracks/1/clips/0/notes/0/velocity", 2, "tracks[1].clips[0].notes[0].velocity", "between 0 and 1"},
      {"/tracks/1/automation/0/points/0/beat", 1e300, "tracks[1].automation[0].points[0].beat", "between beat 0 and 100000"},
      {"/tracks/1/automation/0/points/0/value", 1e300, "tracks[1].automation[0].points[0].value", "between -144 and 24 dB"},
      {"/tracks/1/automation/0/points/0/tension", 5, "tracks[1].automation[0].points[0].tension", "between -1 and 1"},
      {"/assets/0/frames", 1000000000000000000LL, "assets[0].frames", "must be between 0 and"},
      {"/assets/0/sampleRate", 1e300, "assets[0].sampleRate", "between 8000 and 384000 Hz"},
      {"/tempo", 1e300, "tempo", "between 20 and 999 BPM"},
      {"/loop/start", 1e300, "loop.start", "between beat 0 and 100000"},
      {"/loop/end", 1e300, "loop.end", "at most beat 100000"},
      {"/tempoChanges/0/beat", 1e300, "tempoChanges[0].beat", "at most beat 100000"},
      {"/tempoChanges/0/bpm", 1e300, "tempoChanges[0].bpm", "between 20 and 999 BPM"},
      {"/tracks/1/strip/gainDb", 1e300, "tracks[1].strip.gainDb", "between -144 and +24 dB"},
      {"/tracks/1/strip/pan", 2, "tracks[1].strip.pan", "between -1 and 1"},
      {"/master/gainDb", 1e300, "master.gainDb", "between -144 and +24 dB"},
      {"/master/delivery/targetLufs", 1e300, "master.delivery.targetLufs", "between -70 and 0 LUFS"},
      {"/master/delivery/ceilingDbtp", 1e300, "master.delivery.ceilingDbtp", "between -20 and 0 dBTP"},
      {"/tracks/1/instrument/params/cutoff", 1e300, "tracks[1].instrument.params.cutoff", "must be between"},
  };
  for (const Case& c : cases) {
    nlohmann::json j = audioProject();
    j["loop"] = {{"enabled", false}, {"start", 0}, {"end", 16}};
    j["tempoChanges"] = nlohmann::json::array({{{"beat", 8}, {"bpm", 100}}});
    j["tracks"][1]["strip"] = {{"gainDb", 0}, {"pan", 0}};
    j["master"] = {{"gainDb", 0}, {"delivery", {{"targetLufs", -14}, {"ceilingDbtp", -1}}}};
    j[nlohmann::json::json_pointer(c.pointer)] = c.value;
    const ProjectLoad load = parseProject(j.dump());
    BOOST_TEST(hasIssue(load, c.path, c.fragment), c.pointer << " = " << c.value << ": " << issuesOf(load));
  }
}

BOOST_AUTO_TEST_CASE(a_chain_of_30000_buses_is_refused_with_the_limits_named) {
  // The 1.4 MB reproducer's shape: bus i routes into bus i + 1.
  const int n = 30000;
  std::string doc = R"({"format":"mixdown-project","version":2,"tempo":120,"tracks":[)";
  for (int i = 0; i < n; ++i) {
    doc += (i ? "," : "") + std::string(R"({"id":"b)") + std::to_string(i) + R"(","kind":"bus")";
    if (i + 1 < n) doc += R"(,"output":"b)" + std::to_string(i + 1) + "\"";
    doc += "}";
  }
  doc += "]}";
  const ProjectLoad load = parseProject(doc);
  BOOST_TEST(hasIssue(load, "tracks", "at most 1000 tracks (got 30000)"), issuesOf(load));
  BOOST_TEST(load.issues.size() <= kMaxReportedIssues + 1);
  // The routing check alone, on the whole chain in memory: an explicit stack, no recursion.
  Project p;
  for (int i = 0; i < n; ++i) {
    Track t;
    t.id = "b" + std::to_string(i);
    t.kind = TrackKind::Bus;
    if (i + 1 < n) t.output = "b" + std::to_string(i + 1);
    p.tracks.push_back(t);
  }
  const auto issues = validateRouting(p);
  BOOST_REQUIRE(issues.size() == 1u);
  BOOST_TEST(issues[0].path == "tracks[0]");
  BOOST_TEST(issues[0].message.find("starts a chain of 29999 routes") != std::string::npos, issues[0].message);
}

BOOST_AUTO_TEST_CASE(a_bus_chain_longer_than_128_is_refused_and_128_loads) {
  auto chain = [](int buses) {
    std::string doc = R"({"format":"mixdown-project","version":2,"tempo":120,"tracks":[)";
    doc += R"({"id":"src","kind":"instrument","instrument":{"type":"mixdown.polysynth"},"output":"b0"})";
    for (int i = 0; i < buses; ++i) {
      doc += std::string(R"(,{"id":"b)") + std::to_string(i) + R"(","kind":"bus")";
      if (i + 1 < buses) doc += R"(,"output":"b)" + std::to_string(i + 1) + "\"";
      doc += "}";
    }
    return parseProject(doc + "]}");
  };
  const ProjectLoad ok = chain(128);  // src -> b0 -> ... -> b127: 128 routes
  BOOST_TEST(ok.ok(), issuesOf(ok));
  const ProjectLoad tooLong = chain(129);
  BOOST_TEST(hasIssue(tooLong, "tracks[0]", "starts a chain of 129 routes (\"src\" into a bus into a bus ...); at most 128"), issuesOf(tooLong));
}

BOOST_AUTO_TEST_CASE(json_nested_deeper_than_64_is_refused_before_parsing) {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  const ProjectLoad load = parseProject(R"({"format":"mixdown-project","version":2,"title":)" + deep + "}");
  BOOST_REQUIRE(load.issues.size() == 1u);
  BOOST_TEST(load.issues[0].message.find("nested more than 64 arrays and objects deep at line 1, column 112") != std::string::npos,
             load.issues[0].message);
  const EditsDecode edits = decodeEdits(R"({"edits":[{"edit":"song","value":)" + deep + "}]}");
  BOOST_REQUIRE(edits.issues.size() == 1u);
  BOOST_TEST(edits.issues[0].message.find("nested more than 64") != std::string::npos, edits.issues[0].message);
  // Brackets inside strings do not count.
  BOOST_TEST(jsonTooDeepAt("{\"a\":\"" + std::string(1000, '[') + "\"}") == std::string::npos);
  BOOST_TEST(jsonTooDeepAt("[\"\\\"[\"]") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_edit_whose_kind_is_not_a_string_is_refused_with_its_path) {
  const EditsDecode d = decodeEdits(R"({"edits":[{"edit":5},{"edit":"strip","track":"a","value":{"gainDb":"loud"}}]})");
  BOOST_REQUIRE(d.issues.size() == 2u);
  BOOST_TEST(d.issues[0].path == "edits[0].edit");
  BOOST_TEST(d.issues[0].message.find("must be a string naming the edit") != std::string::npos);
  BOOST_TEST(d.issues[1].path == "edits[1].value.gainDb");
  BOOST_TEST(d.issues[1].message == "must be a number");
}

BOOST_AUTO_TEST_SUITE_END()
