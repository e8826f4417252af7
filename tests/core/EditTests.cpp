// Editing while playing: null tests. An edit must change what it changed and nothing else, so every
// case renders the demo song with edits made while it plays and compares, sample for sample, with a
// render that knows the end state from the start (or that had no edits at all).
#include <boost/test/unit_test.hpp>
#include <boost/test/data/test_case.hpp>

#include <functional>

#include "Projects.h"
#include "Measure.h"
#include "Signals.h"
#include "engine/Engine.h"
#include "engine/Timeline.h"
#include "model/ProjectEdit.h"

using namespace mixdown;

namespace {

constexpr double kRate = 48000;

// Renders `seconds` of `p` from the start in blocks of `block`; `at(second, engine)` is called before
// each whole second of audio is rendered (second 0 excluded), for edits made while playing.
std::vector<std::vector<float>> play(const Project& p, double seconds, int block,
                                     const std::function<void(int, Engine&)>& at = {}, const AssetLibrary& assets = {}) {
  Engine engine(kRate, block);
  engine.setMasterLoudnessEnabled(false);
  engine.setProject(p, assets);
  engine.play();
  const auto frames = static_cast<std::int64_t>(seconds * kRate);
  std::vector<std::vector<float>> out(2, std::vector<float>(static_cast<std::size_t>(frames)));
  std::int64_t done = 0;
  int second = 0;
  while (done < frames) {
    if (done >= static_cast<std::int64_t>((second + 1) * kRate)) {
      ++second;
      if (at) at(second, engine);
    }
    // Blocks never straddle a second, so edits land at the same frame at every block size.
    const std::int64_t toSecond = static_cast<std::int64_t>((second + 1) * kRate) - done;
    const int n = static_cast<int>(std::min<std::int64_t>({block, frames - done, toSecond}));
    engine.process(out[0].data() + done, out[1].data() + done, n);
    done += n;
  }
  return out;
}

std::size_t firstDifference(const std::vector<std::vector<float>>& a, const std::vector<std::vector<float>>& b) {
  for (std::size_t i = 0; i < a[0].size(); ++i)
    if (a[0][i] != b[0][i] || a[1][i] != b[1][i]) return i;
  return a[0].size();
}

void applyOrFail(Engine& e, const Project& from, const Project& to) {
  const auto result = e.applyEdits(diffProjects(from, to));
  BOOST_REQUIRE_MESSAGE(result.issues.empty(), (result.issues.empty() ? "" : result.issues.front().text()));
}

int trackOf(const Project& p, const std::string& id) {
  for (std::size_t i = 0; i < p.tracks.size(); ++i)
    if (p.tracks[i].id == id) return static_cast<int>(i);
  throw std::runtime_error("no track " + id);
}

const std::vector<int> kBlocks = {128, 17};

}  // namespace

BOOST_AUTO_TEST_SUITE(editing_while_playing)

BOOST_DATA_TEST_CASE(a_no_op_edit_once_a_second_changes_nothing, boost::unit_test::data::make(kBlocks), block) {
  const Project p = test::demoProject();
  const auto reference = play(p, 12, block);
  BOOST_REQUIRE(test::peakOf(reference[0]) > 0.1);
  // Every path a no-op can take: the same project loaded again, an empty diff, and each track sent again
  // whole (reconciled part by part against itself).
  const auto edited = play(p, 12, block, [&](int second, Engine& e) {
    if (second % 3 == 1) e.setProject(p, {});
    if (second % 3 == 2) BOOST_TEST(e.applyEdits(diffProjects(p, p)).issues.empty());
    if (second % 3 == 0) {
      std::vector<ProjectEdit> edits;
      for (const Track& t : p.tracks) {
        ProjectEdit edit;
        edit.kind = ProjectEdit::Kind::Track;
        edit.trackId = t.id;
        edit.track = t;
        edits.push_back(edit);
      }
      BOOST_TEST(e.applyEdits(edits).issues.empty());
    }
  });
  BOOST_TEST(firstDifference(edited, reference) == reference[0].size());
}

BOOST_DATA_TEST_CASE(an_edit_of_a_late_note_at_3_s_gives_the_edited_song, boost::unit_test::data::make(kBlocks), block) {
  const Project p = test::demoProject();
  Project changed = p;
  // The lead's notes after 8 s: one moved up a fifth, one louder, one new.
  Track& lead = changed.tracks[static_cast<std::size_t>(trackOf(p, "lead"))];
  const double lateBeat = 8.0 * p.tempo / 60.0;
  int edits = 0;
  for (Clip& c : lead.clips)
    for (Note& n : c.notes)
      if (c.start + n.start - c.offset > lateBeat && edits < 2) {
        if (edits++ == 0) n.pitch += 7;
        else n.velocity = 1.0;
      }
  BOOST_REQUIRE_EQUAL(edits, 2);
  lead.clips[0].notes.push_back({72, 0.9, lateBeat + 1.5, 0.5});
  const auto reference = play(changed, 14, block);
  const auto edited = play(p, 14, block, [&](int second, Engine& e) {
    if (second == 3) applyOrFail(e, p, changed);
  });
  BOOST_TEST(firstDifference(edited, reference) == reference[0].size());
}

BOOST_DATA_TEST_CASE(editing_one_track_leaves_every_other_track_bit_identical, boost::unit_test::data::make(kBlocks), block) {
  // The lead is muted (its sends are post-fader), so whatever is done to it must leave the master exactly
  // as it was: no other track's tail, envelope or note may restart.
  Project p = test::demoProject();
  const int lead = trackOf(p, "lead");
  p.tracks[static_cast<std::size_t>(lead)].strip.mute = true;
  const auto reference = play(p, 12, block);
  Project now = p;
  const auto edited = play(p, 12, block, [&](int second, Engine& e) {
    if (second < 2 || second > 10) return;
    Project next = now;
    Track& t = next.tracks[static_cast<std::size_t>(trackOf(next, "lead"))];
    switch (second) {
      case 2: t.inserts.push_back({"mixdown.reverb", {{"mix", 50.0}}, false, {}, ""}); break;   // an insert added
      case 3: swapInserts(t, 0, 2); break;                                                    // moved
      case 4: t.clips[0].notes.erase(t.clips[0].notes.begin(), t.clips[0].notes.begin() + 3); break;  // notes removed
      case 5: t.inserts[1].bypass = true; break;                                              // bypassed
      case 6: removeInsert(t, 0); break;                                                      // removed
      case 7: t.instrument->params["wave"] = 2; break;                                        // a parameter
      case 8: t.sends.clear(); break;                                                         // a route
      case 9: {                                                                               // a muted track added
        Track extra = t;
        extra.id = "lead2";
        next.tracks.insert(next.tracks.begin() + 2, extra);
        break;
      }
      case 10: next.tracks.erase(next.tracks.begin() + trackOf(next, "lead")); break;         // the lead removed
      default: return;
    }
    applyOrFail(e, now, next);
    now = next;
  });
  BOOST_TEST(firstDifference(edited, reference) == reference[0].size());
}

BOOST_DATA_TEST_CASE(clip_loop_mute_and_colour_edits_leave_the_other_tracks_bit_identical, boost::unit_test::data::make(kBlocks), block) {
  // The lead is muted at its strip: looping and muting its clip while playing must leave the master as it
  // was (every other track reused, not rebuilt). A colour is no sound at all: recolouring a track that
  // plays (the bass) changes nothing either.
  Project p = test::demoProject();
  p.tracks[static_cast<std::size_t>(trackOf(p, "lead"))].strip.mute = true;
  const auto reference = play(p, 8, block);
  Project now = p;
  const auto edited = play(p, 8, block, [&](int second, Engine& e) {
    Project next = now;
    Clip& lead = next.tracks[static_cast<std::size_t>(trackOf(next, "lead"))].clips[0];
    switch (second) {
      case 2: lead.looped = true, lead.loopStart = 0.0, lead.loopEnd = 2.0; break;
      case 3: lead.muted = true; break;
      case 4: next.tracks[static_cast<std::size_t>(trackOf(next, "bass"))].color = "#3fa7d6"; break;
      case 5: lead.muted = false, lead.looped = false, lead.loopStart = lead.loopEnd = 0.0; break;
      default: return;
    }
    const auto result = e.applyEdits(diffProjects(now, next));
    BOOST_REQUIRE(result.issues.empty());
    now = next;
  });
  BOOST_TEST(firstDifference(edited, reference) == reference[0].size());
}

BOOST_DATA_TEST_CASE(moving_an_insert_keeps_its_state, boost::unit_test::data::make(kBlocks), block) {
  // A short note into a long reverb; at 1 s, while the tail rings, the reverb moves below a unity
  // utility (an exact pass-through). A restarted reverb would cut its tail: the output must not change.
  Project p;
  p.tempo = 120;
  Track t = test::synthTrack("keys", {{"wave", 1}});
  Clip c;
  c.start = 0;
  c.length = 4;
  c.notes.push_back({60, 0.9, 0.0, 0.25});
  t.clips.push_back(c);
  t.inserts.push_back({"mixdown.reverb", {{"decay", 6.0}, {"mix", 100.0}}, false, {}, ""});
  t.inserts.push_back({"mixdown.utility", {}, false, {}, ""});
  p.tracks.push_back(t);
  const auto reference = play(p, 3, block);
  BOOST_REQUIRE(test::peakOf(reference[0], static_cast<std::size_t>(1.5 * kRate), reference[0].size()) > 1e-3);  // the tail rings past 1 s
  Project moved = p;
  assignDeviceIds(moved.tracks[0]);
  Project from = moved;
  swapInserts(moved.tracks[0], 0, 1);
  const auto edited = play(p, 3, block, [&](int second, Engine& e) {
    if (second == 1) applyOrFail(e, from, moved);
  });
  BOOST_TEST(firstDifference(edited, reference) == reference[0].size());
}

BOOST_AUTO_TEST_CASE(a_note_removed_while_it_sounds_is_released) {
  Project p;
  Track t = test::synthTrack("keys", {{"wave", 0}, {"release", 5}});
  Clip c;
  c.length = 16;
  c.notes.push_back({60, 0.9, 0.0, 8.0});  // held for 4 s at 120 BPM
  t.clips.push_back(c);
  p.tracks.push_back(t);
  Project without = p;
  without.tracks[0].clips[0].notes.clear();
  const auto edited = play(p, 3, 128, [&](int second, Engine& e) {
    if (second == 1) applyOrFail(e, p, without);
  });
  BOOST_TEST(test::peakOf(edited[0], 0, static_cast<std::size_t>(kRate)) > 0.1);
  // Released at 1 s: silent once its 5 ms release is over.
  BOOST_TEST(test::peakOf(edited[0], static_cast<std::size_t>(1.1 * kRate), edited[0].size()) == 0.0);
}

// A clip edit that changes nothing else switches the playing track's schedule (or regions) without a
// new plan (Engine::switchClips); what plays must still be exactly the edited song.
BOOST_DATA_TEST_CASE(clip_edits_switch_the_playing_track_without_a_new_plan, boost::unit_test::data::make(kBlocks), block) {
  const Project p = test::demoProject();
  Project changed = p;
  Track& lead = changed.tracks[static_cast<std::size_t>(trackOf(p, "lead"))];
  lead.clips[0].notes.push_back({74, 0.8, 8.0 * p.tempo / 60.0 + 0.5, 1.0});
  Project twice = changed;  // a second edit before the audio thread has taken the first
  Track& bass = twice.tracks[static_cast<std::size_t>(trackOf(p, "bass"))];
  const double late = 10.0 * p.tempo / 60.0;  // beats: the first note after 10 s moves a quarter beat later
  bool moved = false;
  for (Clip& c : bass.clips)
    for (Note& n : c.notes)
      if (!moved && c.start + n.start - c.offset > late) n.start += 0.25, moved = true;
  BOOST_REQUIRE(moved);
  const auto reference = play(twice, 12, block);
  int switched = 0;
  const auto edited = play(p, 12, block, [&](int second, Engine& e) {
    if (second != 3) return;
    auto a = e.applyEdits(diffProjects(p, changed));
    auto b = e.applyEdits(diffProjects(changed, twice));
    BOOST_REQUIRE(a.issues.empty() && b.issues.empty());
    switched = (!a.newPlan) + (!b.newPlan);
    e.setProject(twice, {});  // then a new plan (compared track by track), handed over behind the switches
  });
  BOOST_TEST(switched == 2);
  BOOST_TEST(firstDifference(edited, reference) == reference[0].size());
}

BOOST_DATA_TEST_CASE(an_audio_clip_moved_while_playing_plays_from_its_new_place, boost::unit_test::data::make(kBlocks), block) {
  Project p;
  p.assets.push_back({"ramp", "ramp.wav", "", kRate, 1, 96000, "ramp.wav"});
  Track t;
  t.id = "audio";
  t.kind = TrackKind::Audio;
  Clip c;
  c.start = 1.0;
  c.length = 6.0;
  c.asset = "ramp";
  t.clips.push_back(c);
  p.tracks.push_back(t);
  BOOST_REQUIRE(validateProject(p).empty());
  auto pcm = std::make_shared<AssetPcm>();
  pcm->id = "ramp";
  pcm->channels.assign(1, std::vector<float>(96000));
  for (std::size_t i = 0; i < pcm->channels[0].size(); ++i) pcm->channels[0][i] = static_cast<float>(i % 997 + 1) / 2048.0f;
  const AssetLibrary assets{{"ramp", pcm}};
  Project moved = p;
  moved.tracks[0].clips[0].start = 3.5;  // from 0.5 s to 1.75 s, moved at 1 s (before it sounded there)
  const auto reference = play(moved, 5, block, {}, assets);
  bool newPlan = true;
  const auto edited = play(p, 5, block, [&](int second, Engine& e) {
    if (second != 1) return;
    auto r = e.applyEdits(diffProjects(p, moved));
    BOOST_REQUIRE(r.issues.empty());
    newPlan = r.newPlan;
  }, assets);
  BOOST_TEST(!newPlan);
  // Up to 1 s the first placement played; from there on, the moved clip (silent until 1.75 s).
  const auto fromEdit = static_cast<std::size_t>(kRate);
  BOOST_TEST(test::peakOf(edited[0], 0, fromEdit) > 0.1);
  std::size_t differ = 0;
  for (std::size_t i = fromEdit; i < reference[0].size(); ++i) differ += edited[0][i] != reference[0][i];
  BOOST_TEST(differ == 0u);
}

BOOST_AUTO_TEST_CASE(an_insert_added_while_playing_fades_in_without_a_click) {
  Project p;
  Track t = test::synthTrack("keys", {{"wave", 0}});
  Clip c;
  c.length = 16;
  c.notes.push_back({60, 0.7, 0.0, 8.0});
  t.clips.push_back(c);
  p.tracks.push_back(t);
  Project louder = p;
  louder.tracks[0].inserts.push_back({"mixdown.utility", {{"gain", 6.0}}, false, {}, ""});
  const auto out = play(p, 2, 128, [&](int second, Engine& e) {
    if (second == 1) applyOrFail(e, p, louder);
  });
  double maxStep = 0;
  for (std::size_t i = 2000; i < out[0].size(); ++i) maxStep = std::max(maxStep, std::fabs(double(out[0][i]) - out[0][i - 1]));
  const double sineStep = 2 * test::kPi * 261.63 / kRate * test::peakOf(out[0], out[0].size() - 4800, out[0].size());
  BOOST_TEST(maxStep < sineStep * 1.05);  // the gain arrives over 256 samples, never as a step
  BOOST_TEST(test::peakOf(out[0], out[0].size() - 4800, out[0].size()) > 1.9 * test::peakOf(out[0], 20000, 40000));
}

BOOST_AUTO_TEST_CASE(edits_that_do_not_validate_change_nothing) {
  const Project p = test::demoProject();
  Engine e(kRate, 128);
  e.setProject(p, {});
  Project bad = p;
  bad.tracks[0].output = "lead";          // not a bus
  bad.tracks[1].clips[0].notes[0].pitch = 200;
  const auto result = e.applyEdits(diffProjects(p, bad));
  BOOST_REQUIRE(!result.issues.empty());
  BOOST_TEST((e.project() == p));
  // Hostile messages are refused with paths, never thrown.
  for (const char* text : {"", "[]", "{\"edits\":5}", "{\"edits\":[{\"edit\":\"clip\",\"track\":\"kick\",\"index\":99,\"value\":{}}]}",
                           "{\"edits\":[{\"edit\":\"params\",\"track\":\"kick\",\"device\":\"fx1\",\"value\":{\"gain\":1e999}}]}",
                           "{\"edits\":[{\"edit\":\"nonsense\"}]}"}) {
    const EditsDecode d = decodeEdits(text);
    if (d.ok()) BOOST_TEST(!e.applyEdits(d.edits).issues.empty());
    else BOOST_TEST(!d.issues.front().text().empty());
  }
  BOOST_TEST((e.project() == p));
}

BOOST_AUTO_TEST_CASE(diffs_are_small_and_round_trip_through_the_message_codec) {
  const Project p = test::demoProject();
  auto check = [&](const Project& to, ProjectEdit::Kind expectFirst, std::size_t expectCount) {
    const auto edits = diffProjects(p, to);
    BOOST_TEST_CONTEXT("expecting kind " << static_cast<int>(expectFirst)) BOOST_REQUIRE_EQUAL(edits.size(), expectCount);
    if (expectCount) BOOST_TEST(static_cast<int>(edits[0].kind) == static_cast<int>(expectFirst));
    const EditsDecode decoded = decodeEdits(encodeEdits(edits));
    BOOST_REQUIRE(decoded.ok());
    Project applied = p;
    const auto issues = applyEdits(applied, decoded.edits);
    BOOST_REQUIRE_MESSAGE(issues.empty(), (issues.empty() ? "" : issues.front().text()));
    BOOST_TEST((applied == to));
  };
  check(p, ProjectEdit::Kind::Whole, 0);
  Project fader = p;
  fader.tracks[2].strip.gainDb = -3;
  check(fader, ProjectEdit::Kind::Strip, 1);
  Project knob = p;
  knob.tracks[1].inserts[0].params["gain2"] = 4;
  check(knob, ProjectEdit::Kind::DeviceParams, 1);
  Project note = p;
  note.tracks[3].clips[0].notes[2].pitch += 1;
  check(note, ProjectEdit::Kind::Notes, 1);
  Project added = p;
  added.tracks[3].clips[0].notes.insert(added.tracks[3].clips[0].notes.begin() + 5, Note{70, 0.5, 1.25, 0.25});
  check(added, ProjectEdit::Kind::Notes, 1);
  Project deleted = p;
  deleted.tracks[3].clips[0].notes.erase(deleted.tracks[3].clips[0].notes.begin());
  check(deleted, ProjectEdit::Kind::Notes, 1);
  Project clipMoved = p;
  clipMoved.tracks[3].clips[0].start += 4;
  check(clipMoved, ProjectEdit::Kind::Clip, 1);
  Project insertAdded = p;
  insertAdded.tracks[3].inserts.push_back({"mixdown.chorus", {}, false, {}, ""});
  assignDeviceIds(insertAdded.tracks[3]);  // as the studio does before it diffs
  check(insertAdded, ProjectEdit::Kind::Track, 1);
  BOOST_TEST(!diffProjects(p, insertAdded)[0].withClips);  // the clips did not change: they stay home
  Project bypass = p;
  bypass.tracks[0].inserts[1].bypass = true;
  check(bypass, ProjectEdit::Kind::Track, 1);
  Project moved = p;
  std::swap(moved.tracks[0], moved.tracks[4]);
  check(moved, ProjectEdit::Kind::MoveTrack, 2);
  Project removed = p;
  removed.tracks.erase(removed.tracks.begin() + 1);
  check(removed, ProjectEdit::Kind::RemoveTrack, 1);
  Project trackAdded = p;
  Track extra = trackAdded.tracks[0];
  extra.id = "kick2";
  trackAdded.tracks.insert(trackAdded.tracks.begin() + 3, extra);
  check(trackAdded, ProjectEdit::Kind::AddTrack, 1);
  Project tempo = p;
  tempo.tempo = 100;
  tempo.loop = {true, 4, 8};
  check(tempo, ProjectEdit::Kind::Song, 1);
  Project master = p;
  master.master.gainDb = -5.5;
  check(master, ProjectEdit::Kind::Master, 1);
  Project other;
  check(other, ProjectEdit::Kind::Whole, 1);
  Project clipMuted = p;
  clipMuted.tracks[3].clips[0].muted = true;
  check(clipMuted, ProjectEdit::Kind::Clip, 1);
  Project clipLooped = p;
  clipLooped.tracks[4].clips[0].looped = true;
  clipLooped.tracks[4].clips[0].loopStart = 0.5;
  clipLooped.tracks[4].clips[0].loopEnd = 2.5;
  check(clipLooped, ProjectEdit::Kind::Clip, 1);
  Project unlooped = clipLooped;  // and back: the loop's removal travels too
  unlooped.tracks[4].clips[0] = p.tracks[4].clips[0];
  {
    const auto edits = diffProjects(clipLooped, unlooped);
    BOOST_REQUIRE_EQUAL(edits.size(), 1u);
    const EditsDecode decoded = decodeEdits(encodeEdits(edits));
    BOOST_REQUIRE(decoded.ok());
    Project applied = clipLooped;
    BOOST_REQUIRE(applyEdits(applied, decoded.edits).empty());
    BOOST_TEST((applied == unlooped));
  }
  Project coloured = p;
  coloured.tracks[2].color = "#3fa7d6";
  check(coloured, ProjectEdit::Kind::Track, 1);
  BOOST_TEST(!diffProjects(p, coloured)[0].withClips);  // a colour is a setting: the clips stay home
  Project badColour = p;  // refused by the edit's validation, with its path
  badColour.tracks[2].color = "blue";
  {
    Project applied = p;
    const auto issues = applyEdits(applied, decodeEdits(encodeEdits(diffProjects(p, badColour))).edits);
    BOOST_REQUIRE_EQUAL(issues.size(), 1u);
    BOOST_TEST(issues[0].path == "tracks[2].color");
    BOOST_TEST((applied == p));
  }
  // A one-note edit of the demo is a few hundred bytes, not the song.
  BOOST_TEST(encodeEdits(diffProjects(p, note)).size() < writeProject(p, -1).size() / 10);
}

BOOST_AUTO_TEST_SUITE_END()
