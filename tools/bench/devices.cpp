// What each effect costs on the audio thread: microseconds per 128-frame stereo block (one Web Audio
// render quantum) with default settings on a programme of two detuned sines, against the mixer strip
// (the peer every track pays for anyway), and as a share of the 2667 us a quantum lasts at 48 kHz.
// Usage: build/native/bin/bench_devices [seconds per device, default 2]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "devices/Registry.h"

using namespace mixdown;

namespace {

constexpr int kBlock = 128;
constexpr double kRate = 48000;

// Best of three runs of `seconds` each: microseconds per block.
double microsecondsPerBlock(const std::string& id, double seconds) {
  auto device = createDevice(id);
  device->prepare(kRate, kBlock);
  std::vector<float> inL(kBlock), inR(kBlock), outL(kBlock), outR(kBlock);
  const float* in[2] = {inL.data(), inR.data()};
  float* out[2] = {outL.data(), outR.data()};
  const ProcessContext c = ProcessContext::stereo(in, out, kBlock);
  const long blocks = static_cast<long>(seconds * kRate / kBlock);
  // The programme, made once: the timing is the device's alone.
  std::vector<float> programme(static_cast<std::size_t>(kRate));
  for (std::size_t i = 0; i < programme.size(); ++i)
    programme[i] = static_cast<float>(0.4 * std::sin(2 * M_PI * 110 * i / kRate) + 0.3 * std::sin(2 * M_PI * 1234.5 * i / kRate));
  double best = 1e30;
  volatile float sink = 0;
  for (int run = 0; run < 3; ++run) {
    std::size_t at = 0;
    const auto start = std::chrono::steady_clock::now();
    for (long b = 0; b < blocks; ++b) {
      if (at + kBlock > programme.size()) at = 0;
      std::copy_n(programme.data() + at, kBlock, inL.data());
      std::copy_n(programme.data() + at, kBlock, inR.data());
      at += kBlock;
      device->process(c);
      sink = sink + outL[0];
    }
    best = std::min(best, std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / blocks);
  }
  return best;
}

// An instrument's cost per 128-frame block, best of three runs of `seconds`: `notes` at the first frame of
// the first block and, when `every` > 0, again every `every` blocks. Stereo output (the drums pan).
double instrumentMicrosecondsPerBlock(const std::string& id, double seconds, const std::vector<NoteEvent>& notes, long every) {
  auto device = createDevice(id);
  device->prepare(kRate, kBlock);
  std::vector<float> outL(kBlock), outR(kBlock);
  float* out[2] = {outL.data(), outR.data()};
  const long blocks = static_cast<long>(seconds * kRate / kBlock);
  double best = 1e30;
  volatile float sink = 0;
  for (int run = 0; run < 3; ++run) {
    device->reset();
    const auto start = std::chrono::steady_clock::now();
    for (long b = 0; b < blocks; ++b) {
      ProcessContext c;
      c.outputs = out;
      c.outputChannels = 2;
      c.frames = kBlock;
      c.events = notes.data();
      c.eventCount = b == 0 || (every > 0 && b % every == 0) ? static_cast<int>(notes.size()) : 0;
      device->process(c);
      sink = sink + outL[0];
    }
    best = std::min(best, std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / blocks);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::max(0.1, std::atof(argv[1])) : 2.0;
  const double budget = 1e6 * kBlock / kRate;
  const double peer = microsecondsPerBlock("mixdown.strip", seconds);
  std::printf("per 128-frame stereo block at 48 kHz, best of 3; peer: mixdown.strip %.2f us\n", peer);
  std::printf("%-22s %10s %10s %12s\n", "device", "us/block", "x strip", "% of budget");
  for (const DeviceDescriptor* d : deviceDescriptors()) {
    if (d->kind != DeviceKind::Effect) continue;
    const double us = d->id == "mixdown.strip" ? peer : microsecondsPerBlock(d->id, seconds);
    std::printf("%-22s %10.2f %10.1f %11.2f%%\n", d->id.c_str(), us, us / peer, 100.0 * us / budget);
  }
  // Instruments: the drum machine with all twelve voices struck at once (again every 8 blocks, 21 ms, so
  // all twelve keep sounding; the closed hat before the open hat, so it does not choke it), against the
  // peer: one 16-voice PolySynth chord, held (default patch).
  std::vector<NoteEvent> chord, kit;
  for (int i = 0; i < 16; ++i) chord.push_back({0, NoteEvent::Type::NoteOn, static_cast<std::uint8_t>(48 + i), 0.8f});
  for (int pitch : {36, 38, 39, 37, 42, 46, 41, 47, 50, 49, 51, 56}) kit.push_back({0, NoteEvent::Type::NoteOn, static_cast<std::uint8_t>(pitch), 0.9f});
  const double synth = instrumentMicrosecondsPerBlock("mixdown.polysynth", seconds, chord, 0);
  const double drums = instrumentMicrosecondsPerBlock("mixdown.drums", seconds, kit, 8);
  std::printf("\ninstruments, per 128-frame block; peer: mixdown.polysynth, a 16-voice chord held, %.2f us\n", synth);
  std::printf("%-22s %10s %10s %12s\n", "device", "us/block", "x chord", "% of budget");
  std::printf("%-22s %10.2f %10.2f %11.2f%%\n", "mixdown.polysynth x16", synth, 1.0, 100.0 * synth / budget);
  std::printf("%-22s %10.2f %10.2f %11.2f%%\n", "mixdown.drums, all 12", drums, drums / synth, 100.0 * drums / budget);
  return 0;
}
