// Renders an instrument (a Device taking note events) block by block as the engine would: events at
// absolute frames, delivered in the block they fall in at their offset there, process() run as on the
// audio thread (its allocations counted in test::allocationsOnAudioThread). Blocks of a fixed size, or
// random sizes 1..512 from a seed, for tests of block-size independence.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "AllocationCounter.h"
#include "devices/Device.h"

namespace mixdown::test {

// An event at an absolute frame (its own `frame` is set per block).
struct TimedEvent {
  std::int64_t frame = 0;
  NoteEvent event;
};

struct DeviceRenderOptions {
  int block = 128;      // frames a block; 0: random sizes 1..512 from `seed`
  unsigned seed = 1;
  int channels = 2;     // output channels given to process() (with 1, the right stays silent)
  double tempo = 120.0;
};

struct StereoRender {
  std::vector<float> left, right;
};

// `events` sorted by frame.
inline StereoRender renderDevice(Device& device, const std::vector<TimedEvent>& events, std::size_t frames,
                                 const DeviceRenderOptions& o = {}) {
  StereoRender out{std::vector<float>(frames), std::vector<float>(frames)};
  std::mt19937 random(o.seed);
  std::vector<NoteEvent> block;
  block.reserve(events.size());
  std::size_t next = 0;
  for (std::size_t at = 0; at < frames;) {
    const std::size_t size = o.block > 0 ? static_cast<std::size_t>(o.block) : random() % 512 + 1;
    const int n = static_cast<int>(std::min(size, frames - at));
    block.clear();
    while (next < events.size() && events[next].frame < static_cast<std::int64_t>(at) + n) {
      NoteEvent e = events[next].event;
      e.frame = static_cast<std::int32_t>(events[next++].frame - static_cast<std::int64_t>(at));
      block.push_back(e);
    }
    float* outs[2] = {out.left.data() + at, out.right.data() + at};
    ProcessContext c;
    c.outputs = outs;
    c.outputChannels = o.channels;
    c.frames = n;
    c.events = block.data();
    c.eventCount = static_cast<int>(block.size());
    c.tempo = o.tempo;
    inAudioThread = true;
    device.process(c);
    inAudioThread = false;
    at += static_cast<std::size_t>(n);
  }
  return out;
}

}  // namespace mixdown::test
