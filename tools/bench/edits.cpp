// What an edit costs on the audio thread (in the browser, the worklet's message handler runs there):
// microseconds to decode and apply one edit message to an engine playing a song, for a one-note edit, an
// insert added and removed, a fader move and a whole-song reload that changes nothing, against the peer
// every edit paid before reconciliation: building the whole song's plan from scratch.
// Usage: build/native/bin/bench_edits SONG.json [RUNS [only-notes]]  (the last two for profiling one kind)  (tools/bench/stress.mjs writes build/bench/stress-128.json)
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "engine/Engine.h"
#include "engine/RenderPlan.h"
#include "model/ProjectEdit.h"
#include "model/ProjectJson.h"

using namespace mixdown;

namespace {

using Clock = std::chrono::steady_clock;
double microsecondsSince(Clock::time_point t0) { return std::chrono::duration<double, std::micro>(Clock::now() - t0).count(); }

// Median of `runs` edits made by `mutate` (given the run's index), each decoded from its message and applied,
// with 20 quanta rendered between them so every plan is swapped in and retired as when playing.
double medianEditCost(Engine& engine, int runs, const std::function<void(Project&, int)>& mutate) {
  std::vector<double> costs;
  std::vector<float> l(128), r(128);
  for (int k = 0; k < runs; ++k) {
    Project next = engine.project();
    mutate(next, k);
    const std::string message = encodeEdits(diffProjects(engine.project(), next));
    const auto t0 = Clock::now();
    const EditsDecode decoded = decodeEdits(message);
    const auto result = engine.applyEdits(decoded.edits);
    costs.push_back(microsecondsSince(t0));
    if (!result.issues.empty()) std::fprintf(stderr, "bench_edits: refused: %s\n", result.issues.front().text().c_str());
    for (int i = 0; i < 20; ++i) engine.process(l.data(), r.data(), 128);
  }
  std::sort(costs.begin(), costs.end());
  return costs[costs.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_edits SONG.json\n");
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  ProjectLoad load = parseProject(text.str());
  if (!load.ok()) {
    std::fprintf(stderr, "bench_edits: %s: %s\n", argv[1], load.errorText().c_str());
    return 1;
  }
  const Project song = load.project;
  Engine engine(48000, 128);
  engine.setProject(song, {});
  engine.play();
  std::vector<float> l(128), r(128);
  for (int i = 0; i < 100; ++i) engine.process(l.data(), r.data(), 128);
  const int tracks = static_cast<int>(song.tracks.size());
  auto instrumentTrack = [&](const Project& p, int k) {
    for (int i = 0; i < static_cast<int>(p.tracks.size()); ++i) {
      const int t = (k + i) % static_cast<int>(p.tracks.size());
      if (p.tracks[static_cast<std::size_t>(t)].kind == TrackKind::Instrument && !p.tracks[static_cast<std::size_t>(t)].clips.empty() &&
          !p.tracks[static_cast<std::size_t>(t)].clips[0].notes.empty())
        return t;
    }
    return 0;
  };
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 21;  // (a small count for callgrind runs)
  if (argc > 3 && std::string(argv[3]) == "fader") {
    std::printf("fader %.1f us\n", medianEditCost(engine, runs, [&](Project& p, int k) { p.tracks[static_cast<std::size_t>(k % tracks)].strip.gainDb -= 0.5; }));
    return 0;
  }
  const double note = medianEditCost(engine, runs, [&](Project& p, int k) {
    p.tracks[static_cast<std::size_t>(instrumentTrack(p, k))].clips[0].notes[0].pitch ^= 1;
  });
  if (argc > 3) {
    std::printf("one note %.1f us\n", note);
    return 0;
  }
  const double add = medianEditCost(engine, runs, [&](Project& p, int k) {
    DeviceState eq;
    eq.type = "mixdown.eq";
    p.tracks[static_cast<std::size_t>(instrumentTrack(p, k))].inserts.push_back(eq);
  });
  const double remove = medianEditCost(engine, runs, [&](Project& p, int k) {
    auto& inserts = p.tracks[static_cast<std::size_t>(instrumentTrack(p, k))].inserts;
    if (!inserts.empty()) removeInsert(p.tracks[static_cast<std::size_t>(instrumentTrack(p, k))], inserts.size() - 1);
  });
  const double fader = medianEditCost(engine, runs, [&](Project& p, int k) { p.tracks[static_cast<std::size_t>(k % tracks)].strip.gainDb -= 0.5; });
  std::vector<double> reloads;
  for (int k = 0; k < 5; ++k) {
    const Project same = engine.project();
    const auto t0 = Clock::now();
    engine.setProject(same, engine.assets());
    reloads.push_back(microsecondsSince(t0));
    for (int i = 0; i < 20; ++i) engine.process(l.data(), r.data(), 128);
  }
  std::sort(reloads.begin(), reloads.end());
  std::vector<double> scratch;
  for (int k = 0; k < 5; ++k) {
    const auto t0 = Clock::now();
    auto plan = RenderPlan::build(engine.project(), engine.assets(), 48000, 128);
    scratch.push_back(microsecondsSince(t0));
  }
  std::sort(scratch.begin(), scratch.end());
  std::printf("%s: %d tracks; microseconds per edit on the audio thread (median of %d, natively)\n", argv[1], tracks, runs);
  std::printf("  one note            %8.1f us\n  insert added        %8.1f us\n  insert removed      %8.1f us\n  fader               %8.1f us\n",
              note, add, remove, fader);
  std::printf("  same song reloaded  %8.1f us\n  peer: whole plan rebuilt from scratch %8.1f us (%.0fx a one-note edit)\n", reloads[2], scratch[2],
              scratch[2] / std::max(1e-9, note));
  return 0;
}
