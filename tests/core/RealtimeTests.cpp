// The audio thread never allocates: every operator new in this test binary is counted while a
// thread-local flag says "inside process()".
#include <boost/test/unit_test.hpp>

#include <cfenv>
#include <cstdlib>
#include <new>

#include "AllocationCounter.h"
#include "Projects.h"
#include "engine/Engine.h"
#include "model/ProjectEdit.h"

#include <functional>

namespace mixdown::test {  // declared in AllocationCounter.h, for the other suites' no-allocation tests
thread_local bool inAudioThread = false;
thread_local long allocationsOnAudioThread = 0;
}  // namespace mixdown::test
using mixdown::test::allocationsOnAudioThread;
using mixdown::test::inAudioThread;

// Our operator new is malloc, so free is its match (GCC cannot see that through the replacement).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
// Every form is replaced, the nothrow ones too (std::stable_sort's temporary buffer is one): replacing
// only some leaves the others to the library or a sanitizer's allocator, whose blocks our operator delete
// would free() (seen under AddressSanitizer: alloc-dealloc-mismatch in soundingNotes' stable_sort).
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  if (inAudioThread) ++allocationsOnAudioThread;
  return std::malloc(size ? size : 1);
}
void* operator new(std::size_t size) {
  if (void* p = operator new(size, std::nothrow)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

using namespace mixdown;

BOOST_AUTO_TEST_SUITE(realtime)

BOOST_AUTO_TEST_CASE(process_never_allocates_through_play_seek_loop_edits_and_plan_swaps) {
  Project p = test::demoProject();
  // The full mastering chain on the master, so its devices, the loudness meter and chain swaps are covered.
  for (const char* type : {"mixdown.multiband", "mixdown.imager", "mixdown.limiter"}) p.master.devices.push_back({type, {}, false, {}});
  Engine engine(48000, 128);
  engine.setProject(p, {});
  std::vector<float> l(128), r(128);
  auto render = [&](int blocks) {
    inAudioThread = true;
    for (int i = 0; i < blocks; ++i) engine.process(l.data(), r.data(), 128);
    inAudioThread = false;
  };
  // Sanity: the counter works.
  inAudioThread = true;
  delete new int(3);
  inAudioThread = false;
  BOOST_REQUIRE_EQUAL(allocationsOnAudioThread, 1);
  allocationsOnAudioThread = 0;

  engine.play();
  render(2000);                       // 5.3 s, every track playing
  engine.seek(48000 * 20);
  render(500);
  engine.setLoop(true, 48000 * 2, 48000 * 3);
  render(1000);                       // several loop wraps
  engine.setTrackStrip(1, -6.0, 0.5, false, true);
  render(200);
  p.tracks[2].strip.gainDb = -20;     // a structural edit: a new plan, crossfaded in
  engine.setProject(p, {});
  render(200);
  p.master.devices[2].params["ceiling"] = -3;  // same chain shape: parameters only
  p.master.devices[0].bypass = true;
  engine.setProject(p, {});
  render(200);
  p.master.devices.erase(p.master.devices.begin() + 1);  // new shape: a new chain handed over
  engine.setProject(p, {});
  render(200);
  // Every kind of edit while playing: the swap, the adoption of the old plan's state, fades, note-offs
  // for removed notes and new routes all happen inside process().
  Project now = engine.project();
  auto edit = [&](const std::function<void(Project&)>& mutate) {
    Project next = now;
    mutate(next);
    const auto result = engine.applyEdits(diffProjects(now, next));
    BOOST_REQUIRE_MESSAGE(result.issues.empty(), (result.issues.empty() ? "" : result.issues.front().text()));
    now = next;
    render(50);
  };
  engine.seek(48000 * 4);
  engine.setLoop(false, 0, 1);
  render(100);
  edit([](Project& q) { q.tracks[0].inserts.push_back({"mixdown.reverb", {}, false, {}, ""}); });
  edit([](Project& q) { swapInserts(q.tracks[0], 0, 1); });
  edit([](Project& q) { q.tracks[0].inserts[1].bypass = true; });
  edit([](Project& q) { removeInsert(q.tracks[0], 0); });
  edit([](Project& q) { q.tracks[1].clips[0].notes.clear(); });
  edit([](Project& q) { q.tracks[2].clips[0].notes[3].pitch += 12; });
  edit([](Project& q) { q.tracks[3].instrument->params["wave"] = 1; });
  edit([](Project& q) { q.tracks[3].strip.pan = -0.5; });
  edit([](Project& q) { q.tracks[4].sends.clear(); });
  edit([](Project& q) {
    Track copy = q.tracks[4];
    copy.id = "copy";
    q.tracks.insert(q.tracks.begin(), copy);
  });
  edit([](Project& q) { std::swap(q.tracks[0], q.tracks[3]); });
  edit([](Project& q) { std::erase_if(q.tracks, [](const Track& t) { return t.id == "copy"; }); });
  edit([](Project& q) { q.tempo = 100; });
  edit([](Project& q) { q.master.gainDb = -3; });
  engine.resetMasterLoudness();
  render(200);  // 0.53 s: a full momentary window
  BOOST_TEST(std::isfinite(engine.masterLoudness().momentary));
  engine.stop();
  render(400);                        // release tails
  BOOST_TEST(allocationsOnAudioThread == 0);
}

// The tempo map's lookups (binary searches over prepared segments) allocate nothing either.
BOOST_AUTO_TEST_CASE(a_tempo_map_and_signature_changes_allocate_nothing_while_playing) {
  Project p = test::demoProject();
  p.tempoChanges = {{4, 140, TempoShape::Linear}, {8, 90, TempoShape::Step}, {12, 100, TempoShape::Linear}};
  p.signatureChanges = {{3, 7, 8}};
  p.loop = {true, 6, 14};  // wraps inside the ramps
  Engine engine(48000, 128);
  engine.setProject(p, {});
  engine.play();
  std::vector<float> l(128), r(128);
  allocationsOnAudioThread = 0;
  inAudioThread = true;
  for (int i = 0; i < 3000; ++i) engine.process(l.data(), r.data(), 128);  // 8 s: several loop wraps
  inAudioThread = false;
  BOOST_TEST(allocationsOnAudioThread == 0);
}

// The metronome and the count-in: clicks scheduled and rendered from prepared tables and fixed voices.
BOOST_AUTO_TEST_CASE(the_metronome_and_count_in_allocate_nothing) {
  Project p = test::demoProject();
  p.tempoChanges = {{6, 150, TempoShape::Linear}};
  p.signatureChanges = {{3, 7, 8}};
  p.loop = {true, 4, 12};
  Engine engine(48000, 128);
  engine.setProject(p, {});
  engine.setMetronome(true, -6.0);
  std::vector<float> l(128), r(128);
  allocationsOnAudioThread = 0;
  inAudioThread = true;
  engine.play(2);  // (any thread: atomics only)
  for (int i = 0; i < 4000; ++i) engine.process(l.data(), r.data(), 128);  // count-in, then loop wraps
  engine.stop();
  engine.setCountIn(1);
  engine.play();
  for (int i = 0; i < 1000; ++i) engine.process(l.data(), r.data(), 128);
  inAudioThread = false;
  BOOST_TEST(allocationsOnAudioThread == 0);
}

// Browsers run the worklet without flush-to-zero, where every operation on a subnormal number costs ~100x.
// The whole engine (demo song, full master chain, meters) plays past the song's end and is stopped; once
// the tails have died no operation underflows (flush-to-zero off, as in WebAssembly).
BOOST_AUTO_TEST_CASE(silence_after_the_song_never_underflows) {
  Project p = test::demoProject();
  for (const char* type : {"mixdown.multiband", "mixdown.imager", "mixdown.limiter"}) p.master.devices.push_back({type, {}, false, {}});
  Engine engine(48000, 128);
  engine.setFlushToZero(false);  // as in the browser
  engine.setProject(p, {});
  std::vector<float> l(128), r(128);
  auto render = [&](double seconds) {
    for (int i = 0; i < static_cast<int>(seconds * 48000 / 128); ++i) engine.process(l.data(), r.data(), 128);
  };
  BOOST_REQUIRE(engine.endFrame() > 48000 * 10);
  engine.seek(engine.endFrame() - 48000 * 8);
  engine.play();
  render(8 + 30);  // the last 8 s of the song, then 30 s for tails
  std::feclearexcept(FE_ALL_EXCEPT);
  render(10);
  BOOST_TEST(!std::fetestexcept(FE_UNDERFLOW), "playing past the end: subnormal numbers");
  engine.seek(48000 * 20);
  render(4);
  engine.stop();
  render(30);
  std::feclearexcept(FE_ALL_EXCEPT);
  render(10);
  BOOST_TEST(!std::fetestexcept(FE_UNDERFLOW), "stopped: subnormal numbers");
  BOOST_TEST(l.back() == 0.0f);
}

BOOST_AUTO_TEST_SUITE_END()
