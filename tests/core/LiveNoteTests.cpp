// Live notes (Engine::liveNote: auditioning in the piano roll, later keyboards and MIDI) reach a track's
// instrument through the engine's lock-free ring whether the transport runs or not, never allocate on the
// audio thread, and leave the song alone; a new tempo map keeps the playhead on its beat; the count-in
// reports the beat it is on.
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "AllocationCounter.h"
#include "Projects.h"
#include "engine/Engine.h"
#include "engine/Timeline.h"

using namespace mixdown;
using mixdown::test::allocationsOnAudioThread;
using mixdown::test::inAudioThread;

namespace {

constexpr double kRate = 48000;

Project synthSong() {
  Project p;
  p.tempo = 120;
  p.tracks.push_back(test::synthTrack("keys", {{"release", 20.0}}));
  return p;
}

// The largest |sample| of `frames` frames rendered now (in 128-frame blocks), counting allocations.
float renderPeak(Engine& e, int frames) {
  std::vector<float> l(128), r(128);
  float peak = 0.0f;
  for (int done = 0; done < frames; done += 128) {
    inAudioThread = true;
    e.process(l.data(), r.data(), 128);
    inAudioThread = false;
    for (int i = 0; i < 128; ++i) peak = std::max({peak, std::abs(l[static_cast<std::size_t>(i)]), std::abs(r[static_cast<std::size_t>(i)])});
  }
  return peak;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(live_notes)

BOOST_AUTO_TEST_CASE(a_live_note_sounds_while_stopped_and_ends_at_its_note_off_without_allocating) {
  Engine e(kRate, 128);
  e.setProject(synthSong(), {});
  BOOST_TEST(renderPeak(e, 4800) == 0.0f);  // nothing plays: exact silence
  allocationsOnAudioThread = 0;
  BOOST_REQUIRE(e.liveNote("keys", 69, 0.8));
  const float on = renderPeak(e, 9600);
  BOOST_REQUIRE(e.liveNote("keys", 69, 0.0));
  renderPeak(e, 48000);  // the 20 ms release, and more
  const float after = renderPeak(e, 4800);
  BOOST_TEST_MESSAGE("live A4: peak " << 20 * std::log10(on) << " dBFS while held, " << after << " after its note-off");
  BOOST_TEST(on > 0.05f);
  BOOST_TEST(after == 0.0f);
  BOOST_TEST(!e.playing());
  BOOST_TEST(e.position() == 0);  // the song did not move
  BOOST_TEST(allocationsOnAudioThread == 0);
}

BOOST_AUTO_TEST_CASE(live_notes_for_unknown_tracks_or_a_full_ring_are_refused) {
  Engine e(kRate, 128);
  e.setProject(synthSong(), {});
  BOOST_TEST(!e.liveNote("nope", 60, 0.8));
  BOOST_TEST(!e.liveNote("keys", 128, 0.8));
  BOOST_TEST(!e.liveNote(std::string(60, 'x'), 60, 0.8));
  int taken = 0;
  while (taken < 1000 && e.liveNote("keys", 60, 0.5)) ++taken;
  BOOST_TEST(taken == 256);  // the ring's slots; the audio thread frees them at its next block
  renderPeak(e, 128);
  BOOST_TEST(e.liveNote("keys", 60, 0.0));
}

BOOST_AUTO_TEST_CASE(a_new_tempo_keeps_the_playhead_on_its_beat_stopped_and_playing) {
  for (const bool playing : {false, true}) {
    Engine e(kRate, 128);
    Project p = synthSong();
    e.setProject(p, {});
    e.seek(Timeline(p, kRate).frameOfBeat(6.0));  // bar 2, beat 3 at 120 BPM: frame 144000
    if (playing) e.play();
    renderPeak(e, 128);
    const double before = Timeline(p, kRate).beatOfFrame(static_cast<double>(e.position()));
    p.tempo = 90;
    p.tempoChanges.push_back({2.0, 60.0, TempoShape::Step});
    e.setProject(p, {});
    renderPeak(e, 128);
    const Timeline now(p, kRate);
    const double after = now.beatOfFrame(static_cast<double>(e.position()));
    const double expected = before + (playing ? now.beatOfFrame(static_cast<double>(now.frameOfBeat(before) + 128)) - before : 0.0);
    BOOST_TEST_MESSAGE((playing ? "playing" : "stopped") << ": beat " << before << " before the tempo change, " << after << " after");
    BOOST_TEST(std::abs(after - expected) < 1e-4);
  }
}

BOOST_AUTO_TEST_CASE(the_count_in_reports_its_beat) {
  Engine e(kRate, 128);
  e.setProject(synthSong(), {});
  e.setMetronome(true, -6.0);
  e.play(1);
  renderPeak(e, 128);
  BOOST_TEST(e.countingIn());
  BOOST_TEST(e.countInBeats() == 4);
  BOOST_TEST(e.countInBeat() == 1);
  renderPeak(e, 24000);  // half a second later: the second beat
  BOOST_TEST(e.countInBeat() == 2);
  renderPeak(e, 96000);
  BOOST_TEST(!e.countingIn());
  BOOST_TEST(e.countInBeat() == 0);
  BOOST_TEST(e.playing());
}

BOOST_AUTO_TEST_SUITE_END()
