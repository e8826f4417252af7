#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <set>

#include "Projects.h"
#include "model/ProjectJson.h"
#include "model/UndoHistory.h"

using namespace mixdown;
using nlohmann::json;

namespace {

json demoJson() { return json::parse(test::readText(std::string(MIXDOWN_SOURCE_DIR) + "/web/demos/first-light.json")); }

// Loads `doc` and returns the issues as "path: message" lines.
std::vector<std::string> issuesOf(const json& doc) {
  std::vector<std::string> out;
  for (const auto& i : parseProject(doc.dump()).issues) out.push_back(i.text());
  return out;
}

void expectIssue(const json& doc, const std::string& expected) {
  auto issues = issuesOf(doc);
  const bool found = std::find(issues.begin(), issues.end(), expected) != issues.end();
  std::string got;
  for (const auto& i : issues) got += "\n  " + i;
  BOOST_TEST(found, "expected issue \"" << expected << "\", got:" << (got.empty() ? " none" : got));
}

json withAudioTrack() {
  json doc = demoJson();
  doc["assets"] = json::array({{{"id", "a1"}, {"name", "Loop"}, {"sha256", std::string(64, 'a')}, {"sampleRate", 44100},
                                {"channels", 2}, {"frames", 1000}, {"path", "loop.wav"}}});
  doc["tracks"].push_back({{"id", "aud"}, {"name", "Audio"}, {"kind", "audio"},
                           {"clips", json::array({{{"name", "c"}, {"start", 0}, {"length", 4}, {"offset", 0}, {"asset", "a1"}, {"gainDb", 0}}})},
                           {"strip", {{"gainDb", 0}, {"pan", 0}, {"mute", false}, {"solo", false}}}});
  return doc;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(model)

BOOST_AUTO_TEST_CASE(demo_round_trips_through_json_unchanged) {
  ProjectLoad first = parseProject(withAudioTrack().dump());
  BOOST_REQUIRE_MESSAGE(first.ok(), first.errorText());
  std::string written = writeProject(first.project);
  ProjectLoad second = parseProject(written);
  BOOST_REQUIRE_MESSAGE(second.ok(), second.errorText());
  BOOST_TEST(writeProject(second.project) == written);
  BOOST_TEST(second.project.tracks.size() == 8u);
  BOOST_TEST(second.project.tempo == 112.0);
  BOOST_TEST(second.project.assets.at(0).sha256 == std::string(64, 'a'));
  BOOST_TEST(second.project.tracks.at(2).instrument->params.at("cutoff") == 220.0);
  BOOST_TEST(second.project.tracks.at(4).clips.at(0).notes.size() == first.project.tracks.at(4).clips.at(0).notes.size());
}

BOOST_AUTO_TEST_CASE(master_chain_round_trips_and_is_validated) {
  json doc = demoJson();
  doc["master"]["devices"] = json::array({{{"type", "mixdown.multiband"}, {"bypass", true}, {"params", {{"ratio2", 3.0}}}},
                                           {{"type", "mixdown.limiter"}, {"params", {{"ceiling", -1.5}}}}});
  ProjectLoad load = parseProject(doc.dump());
  BOOST_REQUIRE_MESSAGE(load.ok(), load.errorText());
  BOOST_REQUIRE_EQUAL(load.project.master.devices.size(), 2u);
  BOOST_TEST(load.project.master.devices[0].bypass);
  BOOST_TEST(!load.project.master.devices[1].bypass);
  BOOST_TEST(load.project.master.devices[1].params.at("ceiling") == -1.5);
  ProjectLoad again = parseProject(writeProject(load.project));
  BOOST_TEST(writeProject(again.project) == writeProject(load.project));
  json bad = doc;
  bad["master"]["devices"][1]["params"]["ceiling"] = 3.0;
  expectIssue(bad, "master.devices[1].params.ceiling: must be between -20 and 0 dBTP (got 3)");
  bad = doc;
  bad["master"]["devices"][0]["type"] = "mixdown.polysynth";
  expectIssue(bad, "master.devices[0].type: \"mixdown.polysynth\" is not an effect");
  bad = doc;
  bad["master"]["devices"][0]["type"] = "acme.exciter";
  expectIssue(bad, "master.devices[0].type: unknown device \"acme.exciter\"");
  bad = doc;
  bad["master"]["devices"][0]["bypass"] = "yes";
  BOOST_TEST(!parseProject(bad.dump()).ok());
  // The delivery (destination, target, word length) travels with the project.
  json withDelivery = doc;
  withDelivery["master"]["delivery"] = {{"preset", "apple-music"}, {"targetLufs", -16}, {"ceilingDbtp", -1}, {"bits", 16}};
  ProjectLoad d = parseProject(withDelivery.dump());
  BOOST_REQUIRE_MESSAGE(d.ok(), d.errorText());
  BOOST_TEST(d.project.master.delivery.preset == "apple-music");
  BOOST_TEST(d.project.master.delivery.bits == 16);
  BOOST_TEST(parseProject(writeProject(d.project)).project.master.delivery.targetLufs == -16.0);
  withDelivery["master"]["delivery"]["bits"] = 12;
  expectIssue(withDelivery, "master.delivery.bits: must be 16 or 24 (got 12)");
  withDelivery["master"]["delivery"]["bits"] = 24;
  withDelivery["master"]["delivery"]["targetLufs"] = 5;
  expectIssue(withDelivery, "master.delivery.targetLufs: must be between -70 and 0 LUFS (got 5)");
}

BOOST_AUTO_TEST_CASE(track_inserts_round_trip_and_are_validated) {
  json doc = demoJson();
  doc["tracks"][1]["inserts"] = json::array({{{"type", "mixdown.eq"}, {"params", {{"gain2", 3.0}}}}, {{"type", "mixdown.compressor"}, {"bypass", true}}});
  ProjectLoad load = parseProject(doc.dump());
  BOOST_REQUIRE_MESSAGE(load.ok(), load.errorText());
  BOOST_REQUIRE_EQUAL(load.project.tracks[1].inserts.size(), 2u);
  BOOST_TEST(load.project.tracks[1].inserts[1].bypass);
  BOOST_TEST(writeProject(parseProject(writeProject(load.project)).project) == writeProject(load.project));
  json bad = doc;
  bad["tracks"][1]["inserts"][0]["params"]["gain2"] = 99;
  expectIssue(bad, "tracks[1].inserts[0].params.gain2: must be between -24 and 24 dB (got 99)");
  bad = doc;
  bad["tracks"][1]["inserts"][1]["type"] = "mixdown.polysynth";
  expectIssue(bad, "tracks[1].inserts[1].type: \"mixdown.polysynth\" is not an effect");
}

BOOST_AUTO_TEST_CASE(syntax_errors_name_line_and_column) {
  auto issues = parseProject("{\n  \"format\": \"mixdown-project\",\n  \"version\": 1,,\n}").issues;
  BOOST_REQUIRE_EQUAL(issues.size(), 1u);
  BOOST_TEST(issues[0].message.find("not valid JSON at line 3") == 0, issues[0].message);
}

BOOST_AUTO_TEST_CASE(future_versions_are_refused_clearly) {
  json doc = demoJson();
  doc["version"] = 7;
  auto issues = issuesOf(doc);
  BOOST_REQUIRE_EQUAL(issues.size(), 1u);
  BOOST_TEST(issues[0].find("version: this project was saved by a newer Mixdown (format version 7)") == 0, issues[0]);
}

BOOST_AUTO_TEST_CASE(wrong_format_is_refused) {
  json doc = demoJson();
  doc["format"] = "ableton";
  expectIssue(doc, "format: must be \"mixdown-project\" (got \"ableton\")");
}

BOOST_AUTO_TEST_CASE(every_validation_message_names_its_json_path) {
  struct Case {
    std::function<void(json&)> edit;
    std::string expected;
  };
  std::vector<Case> cases = {
      {[](json& d) { d.erase("tempo"); }, "tempo: is required"},
      {[](json& d) { d["tempo"] = "fast"; }, "tempo: must be a number"},
      {[](json& d) { d["tempo"] = 5; }, "tempo: must be between 20 and 999 BPM (got 5)"},
      {[](json& d) { d["timeSignature"]["numerator"] = 0; }, "timeSignature.numerator: must be between 1 and 64"},
      {[](json& d) { d["timeSignature"]["denominator"] = 3; }, "timeSignature.denominator: must be 1, 2, 4, 8, 16 or 32"},
      {[](json& d) { d["loop"]["start"] = -1; }, "loop.start: must be between beat 0 and 100000 (got -1)"},
      {[](json& d) { d["loop"]["end"] = 0; }, "loop.end: must be greater than loop.start"},
      {[](json& d) { d["loop"]["enabled"] = 1; }, "loop.enabled: must be true or false"},
      {[](json& d) { d["master"]["gainDb"] = 40; }, "master.gainDb: must be between -144 and +24 dB"},
      {[](json& d) { d["tracks"] = 3; }, "tracks: must be an array"},
      {[](json& d) { d.erase("tracks"); }, "tracks: is required"},
      {[](json& d) { d["tracks"][2] = 5; }, "tracks[2]: must be an object"},
      {[](json& d) { d["tracks"][2]["clips"][0]["start"] = -1; }, "tracks[2].clips[0].start: must be >= 0"},
      {[](json& d) { d["tracks"][2]["clips"][0]["length"] = 0; }, "tracks[2].clips[0].length: must be > 0"},
      {[](json& d) { d["tracks"][2]["clips"][0]["offset"] = -2; }, "tracks[2].clips[0].offset: must be between 0 and 100000 beats into the source (got -2)"},
      {[](json& d) { d["tracks"][2]["clips"][0].erase("start"); }, "tracks[2].clips[0].start: is required"},
      {[](json& d) { d["tracks"][1]["id"] = "kick"; }, "tracks[1].id: duplicate track id \"kick\""},
      {[](json& d) { d["tracks"][1]["id"] = ""; }, "tracks[1].id: must not be empty"},
      {[](json& d) { d["tracks"][1]["kind"] = "video"; }, "tracks[1].kind: must be \"audio\", \"instrument\" or \"bus\" (got \"video\")"},
      {[](json& d) { d["tracks"][0]["strip"]["pan"] = 2; }, "tracks[0].strip.pan: must be between -1 and 1"},
      {[](json& d) { d["tracks"][0]["strip"]["gainDb"] = 30; }, "tracks[0].strip.gainDb: must be between -144 and +24 dB"},
      {[](json& d) { d["tracks"][0]["strip"]["mute"] = "yes"; }, "tracks[0].strip.mute: must be true or false"},
      {[](json& d) { d["tracks"][0].erase("instrument"); }, "tracks[0].instrument: is required on an instrument track"},
      {[](json& d) { d["tracks"][0]["instrument"]["type"] = "acme.organ"; }, "tracks[0].instrument.type: unknown device \"acme.organ\""},
      {[](json& d) { d["tracks"][0]["instrument"]["type"] = "mixdown.strip"; }, "tracks[0].instrument.type: \"mixdown.strip\" is not an instrument"},
      {[](json& d) { d["tracks"][0]["instrument"]["params"]["wobble"] = 1; }, "tracks[0].instrument.params.wobble: unknown parameter of \"mixdown.polysynth\""},
      {[](json& d) { d["tracks"][0]["instrument"]["params"]["cutoff"] = 5; }, "tracks[0].instrument.params.cutoff: must be between 20 and 20000 Hz (got 5)"},
      {[](json& d) { d["tracks"][0]["instrument"]["params"]["cutoff"] = "x"; }, "tracks[0].instrument.params.cutoff: must be a number"},
      {[](json& d) { d["tracks"][0]["clips"][0]["notes"][3]["pitch"] = 128; }, "tracks[0].clips[0].notes[3].pitch: must be between 0 and 127"},
      {[](json& d) { d["tracks"][0]["clips"][0]["notes"][3]["pitch"] = 60.5; }, "tracks[0].clips[0].notes[3].pitch: must be an integer"},
      {[](json& d) { d["tracks"][0]["clips"][0]["notes"][3]["velocity"] = 1.5; }, "tracks[0].clips[0].notes[3].velocity: must be between 0 and 1"},
      {[](json& d) { d["tracks"][0]["clips"][0]["notes"][3]["length"] = 0; }, "tracks[0].clips[0].notes[3].length: must be > 0 and at most 100000 beats (got 0)"},
      {[](json& d) { d["tracks"][0]["clips"][0]["notes"][3]["start"] = -0.5; }, "tracks[0].clips[0].notes[3].start: must be between 0 and 100000 beats (got -0.5)"},
      {[](json& d) { d["tracks"][0]["clips"][0]["asset"] = "a1"; }, "tracks[0].clips[0].asset: an instrument track's clip plays notes, not an asset"},
      {[](json& d) { d["tracks"][7]["clips"][0]["asset"] = "nope"; }, "tracks[7].clips[0].asset: names an asset \"nope\" that is not in the assets table"},
      {[](json& d) { d["tracks"][7]["clips"][0].erase("asset"); }, "tracks[7].clips[0].asset: is required on an audio track's clip"},
      {[](json& d) { d["tracks"][7]["instrument"] = {{"type", "mixdown.polysynth"}}; }, "tracks[7].instrument: an audio track has no instrument"},
      {[](json& d) { d["assets"][0]["channels"] = 6; }, "assets[0].channels: must be 1 or 2"},
      {[](json& d) { d["assets"][0]["sampleRate"] = 100; }, "assets[0].sampleRate: must be between 8000 and 384000 Hz"},
      {[](json& d) { d["assets"][0]["frames"] = -1; }, "assets[0].frames: must be between 0 and 33177600000 (24 hours at 384 kHz; got -1)"},
      {[](json& d) { d["assets"][0]["sha256"] = "xyz"; }, "assets[0].sha256: must be 64 lowercase hexadecimal digits"},
      {[](json& d) { d["assets"].push_back(d["assets"][0]); }, "assets[1].id: duplicate asset id \"a1\""},
      {[](json& d) { d["assets"][0].erase("frames"); }, "assets[0].frames: is required"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    BOOST_TEST_CONTEXT("case " << i << ": " << cases[i].expected) {
      json doc = withAudioTrack();
      cases[i].edit(doc);
      expectIssue(doc, cases[i].expected);
    }
  }
}

// A version 1 file (the demo is one) loads as before: no tempo or signature changes; it is written back as
// version 2 with nothing else new in it.
BOOST_AUTO_TEST_CASE(version_1_projects_load_unchanged_and_are_written_as_version_2) {
  json doc = demoJson();
  BOOST_REQUIRE(doc["version"] == 1);
  ProjectLoad load = parseProject(doc.dump());
  BOOST_REQUIRE_MESSAGE(load.ok(), load.errorText());
  BOOST_TEST(load.project.tempoChanges.empty());
  BOOST_TEST(load.project.signatureChanges.empty());
  json written = json::parse(writeProject(load.project));
  BOOST_TEST(written["version"] == 2);
  BOOST_TEST(!written.contains("tempoChanges"));
  BOOST_TEST(!written.contains("signatureChanges"));
  std::set<std::string> keys;
  for (auto it = written.begin(); it != written.end(); ++it) keys.insert(it.key());
  BOOST_TEST((keys == std::set<std::string>{"format", "version", "title", "tempo", "timeSignature", "loop", "assets", "tracks", "master"}));
  // A version 1 file that carries version 2 fields was edited by hand: refused, saying what to do.
  doc["tempoChanges"] = json::array({{{"beat", 8}, {"bpm", 90}}});
  expectIssue(doc, "tempoChanges: is a format version 2 field; this file says \"version\": 1 (set it to 2)");
}

BOOST_AUTO_TEST_CASE(version_2_tempo_map_and_signatures_round_trip) {
  json doc = demoJson();
  doc["version"] = 2;
  doc["tempoChanges"] = json::array({{{"beat", 8}, {"bpm", 90}, {"shape", "step"}},
                                     {{"beat", 16.5}, {"bpm", 150.25}, {"shape", "linear"}},
                                     {{"beat", 40}, {"bpm", 60}}});  // shape defaults to step
  doc["signatureChanges"] = json::array({{{"bar", 3}, {"numerator", 7}, {"denominator", 8}}, {{"bar", 9}, {"numerator", 3}, {"denominator", 4}}});
  ProjectLoad first = parseProject(doc.dump());
  BOOST_REQUIRE_MESSAGE(first.ok(), first.errorText());
  const std::vector<TempoPoint> points = {{8, 90, TempoShape::Step}, {16.5, 150.25, TempoShape::Linear}, {40, 60, TempoShape::Step}};
  const std::vector<SignatureChange> signatures = {{3, 7, 8}, {9, 3, 4}};
  BOOST_TEST((first.project.tempoChanges == points));
  BOOST_TEST((first.project.signatureChanges == signatures));
  const std::string written = writeProject(first.project);
  ProjectLoad second = parseProject(written);
  BOOST_REQUIRE_MESSAGE(second.ok(), second.errorText());
  BOOST_TEST((second.project.tempoChanges == points));
  BOOST_TEST((second.project.signatureChanges == signatures));
  BOOST_TEST(second.project.tempo == 112.0);
  BOOST_TEST((second.project.timeSignature == TimeSignature{4, 4}));
  BOOST_TEST(writeProject(second.project) == written);
  BOOST_TEST(json::parse(written)["version"] == 2);
}

BOOST_AUTO_TEST_CASE(tempo_map_and_signature_problems_name_their_json_path) {
  auto v2 = [](std::function<void(json&)> edit) {
    json d = demoJson();
    d["version"] = 2;
    d["tempoChanges"] = json::array({{{"beat", 8}, {"bpm", 90}, {"shape", "step"}}, {{"beat", 16}, {"bpm", 150}, {"shape", "linear"}}});
    d["signatureChanges"] = json::array({{{"bar", 3}, {"numerator", 7}, {"denominator", 8}}, {{"bar", 5}, {"numerator", 3}, {"denominator", 4}}});
    edit(d);
    return d;
  };
  const std::vector<std::pair<std::function<void(json&)>, std::string>> cases = {
      {[](json& d) { d["tempoChanges"][1]["beat"] = 8; }, "tempoChanges[1].beat: must be after the previous point (beat 8; got 8)"},
      {[](json& d) { d["tempoChanges"][1]["beat"] = 2; }, "tempoChanges[1].beat: must be after the previous point (beat 8; got 2)"},
      {[](json& d) { d["tempoChanges"][0]["beat"] = -1; }, "tempoChanges[0].beat: must be > 0 (got -1; the tempo at beat 0 is \"tempo\")"},
      {[](json& d) { d["tempoChanges"][0]["beat"] = 0; }, "tempoChanges[0].beat: must be > 0 (got 0; the tempo at beat 0 is \"tempo\")"},
      {[](json& d) { d["tempoChanges"][0]["beat"] = "soon"; }, "tempoChanges[0].beat: must be a number"},
      {[](json& d) { d["tempoChanges"][0].erase("bpm"); }, "tempoChanges[0].bpm: is required"},
      {[](json& d) { d["tempoChanges"][1]["bpm"] = 1000; }, "tempoChanges[1].bpm: must be between 20 and 999 BPM (got 1000)"},
      {[](json& d) { d["tempoChanges"][1]["bpm"] = 19.5; }, "tempoChanges[1].bpm: must be between 20 and 999 BPM (got 19.5)"},
      {[](json& d) { d["tempoChanges"][1]["shape"] = "curved"; }, "tempoChanges[1].shape: must be \"step\" or \"linear\" (got \"curved\")"},
      {[](json& d) { d["tempoChanges"][1] = 3; }, "tempoChanges[1]: must be an object"},
      {[](json& d) { d["tempoChanges"] = 3; }, "tempoChanges: must be an array"},
      {[](json& d) { d["signatureChanges"][0]["bar"] = 1; }, "signatureChanges[0].bar: must be between 2 and 1000000 (got 1; bar 1's signature is \"timeSignature\")"},
      {[](json& d) { d["signatureChanges"][0]["bar"] = 2.5; }, "signatureChanges[0].bar: must be an integer"},
      {[](json& d) { d["signatureChanges"][1]["bar"] = 3; }, "signatureChanges[1].bar: must be after the previous change (bar 3; got 3)"},
      {[](json& d) { d["signatureChanges"][1]["numerator"] = 65; }, "signatureChanges[1].numerator: must be between 1 and 64"},
      {[](json& d) { d["signatureChanges"][1]["denominator"] = 6; }, "signatureChanges[1].denominator: must be 1, 2, 4, 8, 16 or 32"},
      {[](json& d) { d["signatureChanges"][0].erase("numerator"); }, "signatureChanges[0].numerator: is required"},
  };
  BOOST_REQUIRE(issuesOf(v2([](json&) {})).empty());
  for (const auto& [edit, expected] : cases) {
    BOOST_TEST_CONTEXT(expected) { expectIssue(v2(edit), expected); }
  }
  // Built in memory, a non-finite beat is caught too (JSON cannot carry one).
  Project p = test::demoProject();
  p.tempoChanges = {{std::nan(""), 90, TempoShape::Step}};
  const auto issues = validateProject(p);
  BOOST_REQUIRE_EQUAL(issues.size(), 1u);
  BOOST_TEST(issues[0].text() == "tempoChanges[0].beat: must be finite");
}

BOOST_AUTO_TEST_CASE(several_problems_are_all_reported) {
  json doc = demoJson();
  doc["tempo"] = 0;
  doc["tracks"][1]["clips"][0]["start"] = -4;
  doc["tracks"][3]["strip"]["pan"] = -7;
  BOOST_TEST(issuesOf(doc).size() == 3u);
}

BOOST_AUTO_TEST_CASE(non_object_documents_are_refused) {
  BOOST_TEST(parseProject("[1,2,3]").issues.at(0).message == "the document must be a JSON object");
  BOOST_TEST(parseProject("").issues.at(0).message.find("not valid JSON") == 0);
}

BOOST_AUTO_TEST_CASE(undo_and_redo_restore_each_document) {
  Project p = test::demoProject();
  UndoHistory history;
  history.record("Change tempo", p);
  p.tempo = 90;
  history.record("Mute kick", p);
  p.tracks[0].strip.mute = true;
  BOOST_TEST(history.undoLabel() == "Mute kick");
  BOOST_TEST(history.undo(p));
  BOOST_TEST(!p.tracks[0].strip.mute);
  BOOST_TEST(p.tempo == 90.0);
  BOOST_TEST(history.undo(p));
  BOOST_TEST(p.tempo == 112.0);
  BOOST_TEST(!history.undo(p));
  BOOST_TEST(history.redo(p));
  BOOST_TEST(p.tempo == 90.0);
  history.record("Solo", p);
  BOOST_TEST(!history.canRedo());
}

// Clip mute, content loop and track colour (format version 2, written only when set): a file without
// them reads and writes exactly as before; with them they round-trip; bad values name their JSON path.
BOOST_AUTO_TEST_CASE(clip_mute_loop_and_track_colour_round_trip_and_are_validated) {
  const json plain = json::parse(writeProject(parseProject(withAudioTrack().dump()).project));
  for (const auto& t : plain["tracks"]) {
    BOOST_TEST(!t.contains("color"));
    for (const auto& c : t["clips"]) BOOST_TEST((!c.contains("muted") && !c.contains("loop")));
  }
  json doc = withAudioTrack();
  doc["tracks"][3]["color"] = "#3fa7d6";
  doc["tracks"][3]["clips"][0]["muted"] = true;
  doc["tracks"][3]["clips"][0]["loop"] = {{"start", 0.5}, {"end", 2.25}};
  doc["tracks"][7]["clips"][0]["loop"] = {{"start", 0}, {"end", 1}};
  ProjectLoad first = parseProject(doc.dump());
  BOOST_REQUIRE_MESSAGE(first.ok(), first.errorText());
  const Clip& c = first.project.tracks[3].clips[0];
  BOOST_TEST(c.muted);
  BOOST_TEST(c.looped);
  BOOST_TEST(c.loopStart == 0.5);
  BOOST_TEST(c.loopEnd == 2.25);
  BOOST_TEST(first.project.tracks[3].color == "#3fa7d6");
  BOOST_TEST(first.project.tracks[7].clips[0].looped);
  BOOST_TEST(!first.project.tracks[2].clips[0].muted);
  BOOST_TEST(!first.project.tracks[2].clips[0].looped);
  const std::string written = writeProject(first.project);
  const json wj = json::parse(written);
  BOOST_TEST(wj["version"] == 2);
  BOOST_TEST(wj["tracks"][3]["clips"][0]["muted"] == true);
  BOOST_TEST((wj["tracks"][3]["clips"][0]["loop"] == json{{"start", 0.5}, {"end", 2.25}}));
  BOOST_TEST(wj["tracks"][3]["color"] == "#3fa7d6");
  ProjectLoad second = parseProject(written);
  BOOST_REQUIRE_MESSAGE(second.ok(), second.errorText());
  BOOST_TEST((second.project == first.project));
  BOOST_TEST(writeProject(second.project) == written);

  auto with = [&](const std::function<void(json&)>& change) {
    json d = doc;
    change(d);
    return d;
  };
  expectIssue(with([](json& d) { d["tracks"][3]["clips"][0]["loop"] = {{"start", 2}, {"end", 2}}; }),
              "tracks[3].clips[0].loop.end: must be greater than loop.start (got 2 <= 2)");
  expectIssue(with([](json& d) { d["tracks"][3]["clips"][0]["loop"] = {{"start", -1}, {"end", 2}}; }),
              "tracks[3].clips[0].loop.start: must be >= 0 (content beats; got -1)");
  expectIssue(with([](json& d) { d["tracks"][3]["clips"][0]["loop"] = {{"start", 0}, {"end", 200000}}; }),
              "tracks[3].clips[0].loop.end: must be at most content beat 100000 (got 200000)");
  expectIssue(with([](json& d) { d["tracks"][3]["clips"][0]["loop"] = {{"start", 0}, {"end", 0.001}}; }),
              "tracks[3].clips[0].loop.end: the loop must last at least 1/64 beat (got 0.001 beats)");
  expectIssue(with([](json& d) { d["tracks"][3]["clips"][0]["loop"] = {{"start", 0}}; }), "tracks[3].clips[0].loop.end: is required");
  expectIssue(with([](json& d) { d["tracks"][3]["clips"][0]["loop"] = {{"start", 0}, {"end", "4"}}; }), "tracks[3].clips[0].loop.end: must be a number");
  expectIssue(with([](json& d) { d["tracks"][3]["clips"][0]["loop"] = 4; }), "tracks[3].clips[0].loop: must be an object");
  expectIssue(with([](json& d) { d["tracks"][3]["clips"][0]["muted"] = 1; }), "tracks[3].clips[0].muted: must be true or false");
  expectIssue(with([](json& d) { d["tracks"][3]["color"] = "red"; }),
              "tracks[3].color: must be \"#\" and six hexadecimal digits, like \"#3fa7d6\" (got \"red\"), or absent");
  expectIssue(with([](json& d) { d["tracks"][3]["color"] = "#12345g"; }),
              "tracks[3].color: must be \"#\" and six hexadecimal digits, like \"#3fa7d6\" (got \"#12345g\"), or absent");
  expectIssue(with([](json& d) { d["tracks"][3]["color"] = 0x3fa7d6; }), "tracks[3].color: must be a string");
  BOOST_TEST(issuesOf(with([](json& d) { d["tracks"][3]["color"] = "#ABCdef"; })).empty());
}

BOOST_AUTO_TEST_SUITE_END()
