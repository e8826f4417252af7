// Arrangement and note commands (model/Arrange.h): every edit that should not change what sounds keeps
// every note's sounding time (compared through soundingNotes before and after, to 1e-9 beats).
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "model/Arrange.h"

using namespace mixdown;

namespace {

constexpr double kTolerance = 1e-9;  // beats

std::vector<SoundingNote> sorted(std::vector<SoundingNote> v) {
  std::stable_sort(v.begin(), v.end(), [](const SoundingNote& a, const SoundingNote& b) {
    if (std::abs(a.start - b.start) > kTolerance) return a.start < b.start;
    return a.pitch < b.pitch;
  });
  return v;
}

std::string text(const std::vector<SoundingNote>& v) {
  std::ostringstream s;
  s.precision(17);
  for (const auto& n : v) s << "\n  " << n.pitch << " @" << n.start << " +" << n.length;
  return s.str();
}

// Same notes, starts and lengths within kTolerance; returns the largest difference seen (beats).
double expectSameNotes(const std::vector<SoundingNote>& got, const std::vector<SoundingNote>& want) {
  const auto a = sorted(got), b = sorted(want);
  BOOST_REQUIRE_MESSAGE(a.size() == b.size(), "got " << a.size() << " notes:" << text(a) << "\nwanted " << b.size() << ":" << text(b));
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    BOOST_TEST_CONTEXT("note " << i << text({a[i]}) << " vs" << text({b[i]})) {
      BOOST_TEST(a[i].pitch == b[i].pitch);
      BOOST_TEST(a[i].velocity == b[i].velocity);
      BOOST_TEST(std::abs(a[i].start - b[i].start) <= kTolerance);
      BOOST_TEST(std::abs(a[i].length - b[i].length) <= kTolerance);
    }
    worst = std::max({worst, std::abs(a[i].start - b[i].start), std::abs(a[i].length - b[i].length)});
  }
  return worst;
}

std::vector<SoundingNote> soundingNotesOf(const Track& t) {
  std::vector<SoundingNote> all;
  for (const Clip& c : t.clips) {
    auto n = soundingNotes(c);
    all.insert(all.end(), n.begin(), n.end());
  }
  return all;
}

// A 2-bar pattern at song beat 3 that plays from content beat 0.5 and loops content [1, 3), with notes
// before, inside and after the loop, and one held past the loop's end.
Clip loopedClip() {
  Clip c;
  c.name = "riff";
  c.start = 3.0;
  c.length = 10.25;
  c.offset = 0.5;
  c.notes = {{60, 0.9, 0.5, 0.25}, {62, 0.8, 1.0, 0.5}, {64, 0.7, 1.75, 0.25}, {65, 0.6, 2.5, 1.0}, {67, 0.5, 3.25, 0.5}};
  setClipLoop(c, 1.0, 3.0);
  return c;
}

Track instrumentTrack(std::vector<Clip> clips) {
  Track t;
  t.id = "keys";
  t.kind = TrackKind::Instrument;
  t.clips = std::move(clips);
  return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(arrange)

BOOST_AUTO_TEST_CASE(a_looped_clip_repeats_its_loop_and_cuts_notes_at_the_loop_end) {
  const Clip c = loopedClip();
  BOOST_TEST(contentBeat(c, 0.0) == 0.5);
  BOOST_TEST(contentBeat(c, 2.0) == 2.5);
  BOOST_TEST(contentBeat(c, 2.5) == 1.0);   // offset + p reaches the loop's end: back to its start
  BOOST_TEST(contentBeat(c, 4.75) == 1.25);
  BOOST_TEST(contentBeat(c, 6.5) == 1.0);
  // Song beats: first run [3, 5.5) plays content 0.5..3; repeats of [1, 3) start at 5.5, 7.5, 9.5, 11.5
  // (the last cut at the clip's end, 13.25). Note 65 (2.5 + 1.0) is cut at the loop's end: 0.5 beats.
  // Note 67 (content 3.25) is after the loop: never heard.
  std::vector<SoundingNote> want = {{60, 0.9, 3.0, 0.25}, {62, 0.8, 3.5, 0.5}, {64, 0.7, 4.25, 0.25}, {65, 0.6, 5.0, 0.5}};
  for (double base : {5.5, 7.5, 9.5, 11.5}) {
    want.push_back({62, 0.8, base, 0.5});
    want.push_back({64, 0.7, base + 0.75, 0.25});
    if (base + 1.5 < 13.25) want.push_back({65, 0.6, base + 1.5, std::min(0.5, 13.25 - (base + 1.5))});
  }
  const auto got = soundingNotes(c);
  expectSameNotes(got, want);
  BOOST_TEST(std::is_sorted(got.begin(), got.end(), [](const SoundingNote& a, const SoundingNote& b) { return a.start < b.start; }));
  // Segments meet exactly (no gap for the engine's frames) and end at the clip's end.
  const auto segs = clipSegments(c);
  BOOST_REQUIRE_EQUAL(segs.size(), 5u);
  for (std::size_t i = 1; i < segs.size(); ++i) BOOST_TEST(segs[i].start == segs[i - 1].end);
  BOOST_TEST(segs.back().end == c.start + c.length);
  Clip muted = c;
  muted.muted = true;
  BOOST_TEST(soundingNotes(muted).empty());
  Clip off = c;
  setClipLoop(off, 2.0, 2.0);  // an empty loop turns it off
  BOOST_TEST(!off.looped);
  BOOST_TEST(soundingNotes(off).size() == 5u);  // content 0.5..10.75: every note once (67 too)
}

BOOST_AUTO_TEST_CASE(split_keeps_every_note_sounding_where_it_did) {
  Clip plain = loopedClip();
  setClipLoop(plain, 0, 0);
  for (const Clip& original : {loopedClip(), plain}) {
    // Split points between notes (a note held across a split point is cut there: checked below).
    for (double at : {3.4, 4.5, 5.5, 6.25, 8.0, 9.3, 12.0}) {
      Track t = instrumentTrack({original});
      const auto before = soundingNotesOf(t);
      bool crosses = false;
      for (const auto& n : before) crosses = crosses || (n.start < at && n.start + n.length > at);
      if (crosses) continue;
      const int right = splitClip(t, 0, at);
      BOOST_TEST_CONTEXT((original.looped ? "looped" : "plain") << " clip split at " << at) {
        BOOST_REQUIRE_EQUAL(right, 1);
        BOOST_REQUIRE_EQUAL(t.clips.size(), 2u);
        BOOST_TEST(t.clips[0].start + t.clips[0].length == at);
        BOOST_TEST(t.clips[1].start == at);
        BOOST_TEST(t.clips[1].start + t.clips[1].length == original.start + original.length);
        BOOST_TEST((t.clips[1].notes == original.notes));
        BOOST_TEST(t.clips[1].looped == original.looped);
        const double worst = expectSameNotes(soundingNotesOf(t), before);
        BOOST_TEST_MESSAGE("split at " << at << (original.looped ? " (looped)" : " (plain)") << ": " << before.size()
                                       << " notes, largest difference " << worst << " beats");
      }
    }
  }
  // A note held across the split keeps its start; it is cut at the split (the right clip starts after it).
  Track t = instrumentTrack({loopedClip()});
  BOOST_REQUIRE_EQUAL(splitClip(t, 0, 3.6), 1);  // inside note 62 (3.5 .. 4.0)
  auto after = sorted(soundingNotesOf(t));
  BOOST_TEST(after[1].pitch == 62);
  BOOST_TEST(after[1].start == 3.5);
  BOOST_TEST(std::abs(after[1].length - 0.1) <= kTolerance);
  BOOST_TEST(splitClip(t, 0, 3.0) == -1);  // at an edge: not inside
  BOOST_TEST(splitClip(t, 0, 2.0) == -1);
}

BOOST_AUTO_TEST_CASE(resizing_keeps_the_content_in_place_and_a_looped_clip_repeats_into_new_length) {
  const Clip original = loopedClip();
  const auto before = soundingNotes(original);
  auto startingFrom = [&](double from, double to) {
    std::vector<SoundingNote> v;
    for (auto n : before)
      if (n.start >= from - kTolerance && n.start < to) {
        n.length = std::min(n.length, to - n.start);
        v.push_back(n);
      }
    return v;
  };
  // Shrinking from the left: what remains sounds where it did.
  Clip shorter = original;
  resizeClipStart(shorter, 6.0);
  BOOST_TEST(shorter.start == 6.0);
  BOOST_TEST(shorter.start + shorter.length == original.start + original.length);
  double worst = expectSameNotes(soundingNotes(shorter), startingFrom(6.0, 13.25));
  // Growing a looped clip to the left past its offset: the loop continues backwards, the rest stays.
  Clip wider = original;
  wider.offset = 1.5;  // the left edge inside the loop
  const auto widerBefore = soundingNotes(wider);
  resizeClipStart(wider, 0.0);
  BOOST_TEST(wider.start == 0.0);
  BOOST_TEST(wider.offset >= wider.loopStart);
  BOOST_TEST(wider.offset < wider.loopEnd);
  std::vector<SoundingNote> kept;
  for (const auto& n : soundingNotes(wider))
    if (n.start >= 3.0 - kTolerance) kept.push_back(n);
  worst = std::max(worst, expectSameNotes(kept, widerBefore));
  // An unlooped clip stops at its content's start (offset 0).
  Clip plain = original;
  setClipLoop(plain, 0, 0);
  resizeClipStart(plain, 0.0);
  BOOST_TEST(plain.start == 2.5);
  BOOST_TEST(plain.offset == 0.0);
  // The right edge: shorter cuts, longer repeats the loop (from the same sounding times on).
  Clip cut = original;
  resizeClipEnd(cut, 9.0);
  worst = std::max(worst, expectSameNotes(soundingNotes(cut), startingFrom(3.0, 9.0)));
  Clip longer = original;
  resizeClipEnd(longer, 21.25);
  BOOST_TEST(longer.length == 18.25);
  std::vector<SoundingNote> firstPart;
  for (const auto& n : soundingNotes(longer))
    if (n.start < 13.25) firstPart.push_back(n);
  firstPart.back().length = std::min(firstPart.back().length, 13.25 - firstPart.back().start);
  worst = std::max(worst, expectSameNotes(firstPart, before));
  BOOST_TEST(soundingNotes(longer).size() == before.size() + 12);  // four more repeats of three notes
  Clip tiny = original;
  resizeClipEnd(tiny, 1.0);  // before its start: the minimum length
  BOOST_TEST(tiny.length == 1.0 / 64);
  BOOST_TEST_MESSAGE("resize: largest sounding-time difference " << worst << " beats");
}

BOOST_AUTO_TEST_CASE(quantize_moves_by_its_strength_toward_the_swung_grid) {
  const Grid sixteenth{0.25, false};
  // (Binary fractions, so "exactly halfway" is exact in doubles.)
  std::vector<Note> notes = {{60, 0.8, 0.125 - 1.0 / 32, 0.5}, {62, 0.8, 0.5625, 0.5}, {64, 0.8, 1.1875, 0.25}};
  quantizeNotes(notes, {}, sixteenth, 0.5, 0.0);
  BOOST_TEST(notes[0].start == 0.046875);   // halfway from 0.09375 to 0
  BOOST_TEST(notes[1].start == 0.53125);    // halfway from 0.5625 to 0.5
  BOOST_TEST(notes[2].start == 1.21875);    // halfway from 1.1875 to 1.25
  BOOST_TEST(notes[0].length == 0.5);       // lengths kept
  // Only the chosen notes move, each keeping its index.
  std::vector<Note> some = {{60, 0.8, 0.125, 0.5}, {62, 0.8, 0.625, 0.5}};
  quantizeNotes(some, {1, 1, 7}, sixteenth, 1.0, 0.0);
  BOOST_TEST(some[0].start == 0.125);
  BOOST_TEST(some[1].start == 0.5);
  // Swing 0.5 delays every odd sixteenth (0.25, 0.75, ...) by half a step: lines 0, 0.375, 0.5, 0.875, 1.
  std::vector<Note> swung;
  for (double s : {0.0, 0.25, 0.3, 0.5, 0.75, 0.8, 1.0, 1.25}) swung.push_back({60, 0.8, s, 0.1});
  quantizeNotes(swung, {}, sixteenth, 1.0, 0.5);
  const std::vector<double> want = {0.0, 0.375, 0.375, 0.5, 0.875, 0.875, 1.0, 1.375};
  for (std::size_t i = 0; i < want.size(); ++i) BOOST_TEST(swung[i].start == want[i], "note " << i << ": " << swung[i].start << " != " << want[i]);
  // With swing, strength 0.5 goes halfway to the swung line.
  std::vector<Note> half = {{60, 0.8, 0.25, 0.1}};
  quantizeNotes(half, {}, sixteenth, 0.5, 0.5);
  BOOST_TEST(half[0].start == 0.3125);
  // Triplet eighths: a step of 1/3 beat.
  BOOST_TEST(std::abs(snap(0.30, Grid{0.5, true}) - 1.0 / 3) < 1e-15);
  BOOST_TEST(snap(0.30, Grid{0.25, false}) == 0.25);
  BOOST_TEST(snap(0.30, Grid{0.0, false}) == 0.30);  // grid off
}

BOOST_AUTO_TEST_CASE(move_refuses_a_track_of_another_kind_and_duplicate_lands_right_after) {
  Project p;
  Track keys = instrumentTrack({loopedClip()});
  Track keys2 = instrumentTrack({});
  keys2.id = "keys2";
  Track audio;
  audio.id = "drums";
  audio.kind = TrackKind::Audio;
  Clip loop;
  loop.start = 2;
  loop.length = 4;
  loop.asset = "a1";
  audio.clips = {loop};
  Track bus;
  bus.id = "verb";
  bus.kind = TrackKind::Bus;
  p.tracks = {keys, keys2, audio, bus};
  const Project before = p;
  BOOST_TEST((moveClip(p, {0, 0}, 1.0, 2) == ClipRef{0, 0}));  // instrument clip to an audio track
  BOOST_TEST((moveClip(p, {2, 0}, 1.0, 0) == ClipRef{2, 0}));  // audio clip to an instrument track
  BOOST_TEST((moveClip(p, {0, 0}, 1.0, 3) == ClipRef{0, 0}));  // buses take no clips
  BOOST_TEST((p == before));                                   // a refused move changes nothing
  BOOST_TEST((moveClip(p, {0, 0}, -10.0, 1) == ClipRef{1, 0}));
  BOOST_TEST(p.tracks[0].clips.empty());
  BOOST_TEST(p.tracks[1].clips[0].start == 0.0);  // never before beat 0
  BOOST_TEST((moveClip(p, {2, 0}, 1.5, -1) == ClipRef{2, 0}));
  BOOST_TEST(p.tracks[2].clips[0].start == 3.5);

  // Duplicate: the selection covers [0, 10.25) (keys2) and [3.5, 7.5) (drums): copies start 10.25 later.
  const auto copies = duplicateClips(p, {{1, 0}, {2, 0}, {5, 0}});
  BOOST_REQUIRE_EQUAL(copies.size(), 2u);
  BOOST_TEST((copies[0] == ClipRef{1, 1}));
  BOOST_TEST((copies[1] == ClipRef{2, 1}));
  BOOST_TEST(p.tracks[1].clips[1].start == 10.25);
  BOOST_TEST(p.tracks[2].clips[1].start == 3.5 + 10.25);
  Clip same = p.tracks[1].clips[1];
  same.start = p.tracks[1].clips[0].start;
  BOOST_TEST((same == p.tracks[1].clips[0]));
  // One clip: the copy starts where it ends.
  const auto one = duplicateClips(p, {{2, 0}});
  BOOST_TEST(p.tracks[2].clips[static_cast<std::size_t>(one[0].clip)].start == 7.5);
}

BOOST_AUTO_TEST_SUITE_END()
