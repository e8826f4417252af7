// Placing a recorded take (core/model/Recording.h): a new clip where the track has none, overdub and
// replace onto the clips it was played over, quantize on input, and refusals that leave the song alone.
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "Projects.h"
#include "model/Recording.h"

using namespace mixdown;

namespace {

Project oneSynthTrack() {
  Project p;
  p.tracks.push_back(test::synthTrack("keys", {}));
  return p;
}

Take takeOf(std::vector<RecordedNote> notes, double from, double to, RecordMode mode = RecordMode::Overdub, double quantize = 0) {
  Take t;
  t.notes = std::move(notes);
  t.from = from;
  t.to = to;
  t.mode = mode;
  t.quantize = quantize;
  return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(recording)

BOOST_AUTO_TEST_CASE(a_take_on_an_empty_track_becomes_one_clip_of_its_bars_with_the_notes_where_they_were_played) {
  Project p = oneSynthTrack();
  BOOST_REQUIRE_EQUAL(placeTake(p, 0, takeOf({{60, 0.5, 4.25, 5.0}, {64, 1.0, 6.5, 9.75}}, 4.0, 12.0)), "");
  const auto& clips = p.tracks[0].clips;
  BOOST_REQUIRE_EQUAL(clips.size(), 1u);
  BOOST_TEST(clips[0].start == 4.0);
  BOOST_TEST(clips[0].length == 8.0);
  BOOST_REQUIRE_EQUAL(clips[0].notes.size(), 2u);
  BOOST_TEST(clips[0].notes[0].start == 0.25);
  BOOST_TEST(clips[0].notes[0].length == 0.75);
  BOOST_TEST(clips[0].notes[0].velocity == 0.5);
  BOOST_TEST(clips[0].notes[1].start == 2.5);
  BOOST_TEST(clips[0].notes[1].length == 3.25);
  BOOST_TEST(clips[0].name == "Recording");
}

BOOST_AUTO_TEST_CASE(overdub_adds_to_the_clip_played_over_and_replace_removes_its_notes_under_the_take_first) {
  for (const RecordMode mode : {RecordMode::Overdub, RecordMode::Replace}) {
    Project p = oneSynthTrack();
    Clip c;
    c.start = 8.0;
    c.length = 8.0;
    c.offset = 0.0;
    c.notes = {{48, 0.8, 0.0, 1.0}, {50, 0.8, 5.0, 1.0}};  // at song beats 8 and 13
    p.tracks[0].clips = {c};
    // Played over beats 12..16 (the clip's second bar): one note at 12.5.
    BOOST_REQUIRE_EQUAL(placeTake(p, 0, takeOf({{67, 0.7, 12.5, 13.5}}, 12.0, 16.0, mode)), "");
    const auto& clips = p.tracks[0].clips;
    BOOST_REQUIRE_EQUAL(clips.size(), 1u);  // no new clip
    const auto& notes = clips[0].notes;
    BOOST_TEST_INFO((mode == RecordMode::Replace ? "replace" : "overdub"));
    BOOST_TEST(notes.size() == (mode == RecordMode::Replace ? 2u : 3u));  // replace: the note at 13 went, the one at 8 stayed
    BOOST_TEST(notes.front().pitch == 48);
    BOOST_TEST(notes.back().pitch == 67);
    BOOST_TEST(notes.back().start == 4.5);
  }
}

BOOST_AUTO_TEST_CASE(notes_beside_a_clip_go_to_a_new_clip_that_stops_where_the_next_begins) {
  Project p = oneSynthTrack();
  Clip c;
  c.start = 8.0;
  c.length = 4.0;
  p.tracks[0].clips = {c};
  BOOST_REQUIRE_EQUAL(placeTake(p, 0, takeOf({{60, 0.8, 1.0, 2.0}, {62, 0.8, 9.0, 10.0}}, 0.0, 12.0)), "");
  const auto& clips = p.tracks[0].clips;
  BOOST_REQUIRE_EQUAL(clips.size(), 2u);
  BOOST_TEST(clips[0].notes.size() == 1u);  // the one at 9 joined the clip at 8
  BOOST_TEST(clips[1].start == 0.0);
  BOOST_TEST(clips[1].length == 8.0);       // not over the clip at 8
  BOOST_TEST(clips[1].notes.size() == 1u);
}

BOOST_AUTO_TEST_CASE(quantize_on_input_moves_starts_to_the_grid_and_keeps_lengths) {
  Project p = oneSynthTrack();
  BOOST_REQUIRE_EQUAL(placeTake(p, 0, takeOf({{60, 0.8, 0.13, 0.4}, {62, 0.8, 1.9, 2.3}}, 0.0, 4.0, RecordMode::Overdub, 0.25)), "");
  const auto& n = p.tracks[0].clips.at(0).notes;
  BOOST_TEST(n[0].start == 0.25);
  BOOST_TEST(std::abs(n[0].length - 0.27) < 1e-12);
  BOOST_TEST(n[1].start == 2.0);
}

BOOST_AUTO_TEST_CASE(bad_takes_are_refused_and_leave_the_song_as_it_was) {
  Project p = oneSynthTrack();
  Track audio;
  audio.id = "vox";
  audio.kind = TrackKind::Audio;
  p.tracks.push_back(audio);
  const Project before = p;
  BOOST_TEST(placeTake(p, 1, takeOf({{60, 0.8, 0, 1}}, 0, 4)).find("not an instrument track") != std::string::npos);
  BOOST_TEST(placeTake(p, 5, takeOf({{60, 0.8, 0, 1}}, 0, 4)) == "no such track");
  BOOST_TEST(placeTake(p, 0, takeOf({}, 0, 4)) == "nothing was played");
  BOOST_TEST(!placeTake(p, 0, takeOf({{60, 0.8, 0, 1}}, 4, 4)).empty());
  BOOST_TEST(!placeTake(p, 0, takeOf({{200, 0.8, 0, 1}}, 0, 4)).empty());
  BOOST_TEST(!placeTake(p, 0, takeOf({{60, 0.8, std::nan(""), 1}}, 0, 4)).empty());
  BOOST_TEST((p == before));
}

BOOST_AUTO_TEST_SUITE_END()
