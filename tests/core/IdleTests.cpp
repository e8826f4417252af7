// Device::idle() and Device::skip(): every device in the registry says when silence in means silence out
// with no change of state, and skipping it then is exactly the same as processing the silence.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "devices/Registry.h"
#include "devices/Sampler.h"

using namespace mixdown;

namespace {

// Settings that make each device work (reduce, ring, filter) rather than pass the signal through.
void makeItWork(Device& d) {
  const std::string& id = d.descriptor().id;
  if (id == "mixdown.limiter") d.setParam("gain", 12.0);  // 12 dB into a -1 dBTP ceiling
  if (id == "mixdown.imager") d.setParam("monoBelow", 120.0);
  if (id == "mixdown.eq") {
    d.setParam("type1", 4), d.setParam("freq1", 60.0);   // low cut 12 dB/oct
    d.setParam("type2", 1), d.setParam("gain2", 6.0);    // peak
    d.setParam("type3", 9), d.setParam("freq3", 9000.0);  // high cut 48 dB/oct
  }
  if (id == "mixdown.gate") d.setParam("threshold", -30.0);
  if (auto* sampler = dynamic_cast<Sampler*>(&d)) {  // a looped sine, released over 300 ms
    static const auto tone = [] {
      auto x = std::make_shared<std::vector<float>>(48000);
      for (std::size_t i = 0; i < x->size(); ++i) (*x)[i] = static_cast<float>(0.5 * std::sin(2 * 3.14159265358979 * 441.0 * static_cast<double>(i) / 48000));
      return x;
    }();
    Sampler::Zone z;
    z.owner = tone;
    z.data[0] = tone->data();
    z.channels = 1;
    z.frames = static_cast<std::int64_t>(tone->size());
    z.spec.loop = ZoneLoop::Forward;
    z.spec.loopStart = 4800;
    z.spec.loopEnd = 4800 + 12000;
    z.spec.releaseMs = 300;
    sampler->setZones({z});
  }
}

// A parameter to move in the middle of the silence: the first continuous one, a tenth of the way toward
// its maximum.
void moveAKnob(Device& d) {
  const auto& params = d.descriptor().params;
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (params[i].scale != ParamScale::Linear && params[i].scale != ParamScale::Logarithmic) continue;
    const double v = d.param(static_cast<int>(i));
    d.setParam(static_cast<int>(i), v + 0.1 * (params[i].max - v));
    return;
  }
}

float burst(std::size_t i, double rate, int which) {
  const double t = static_cast<double>(i) / rate;
  return static_cast<float>(which == 0 ? 0.9 * std::sin(2 * M_PI * 220 * t) + 0.3 * std::sin(2 * M_PI * 2345 * t)
                                       : 0.7 * std::sin(2 * M_PI * 97 * t) - 0.2 * std::sin(2 * M_PI * 5111 * t));
}

// The two notes the programme plays on an instrument: 60 and 67, or, for one that names its notes (a
// drum machine, silent elsewhere), its first two named notes.
int notePlayed(const DeviceDescriptor& d, int which) {
  if (d.noteNames.size() > static_cast<std::size_t>(which)) return d.noteNames[static_cast<std::size_t>(which)].pitch;
  return which ? 67 : 60;
}

// One device driven block by block: effects get stereo input, the synth note events.
struct Rig {
  std::unique_ptr<Device> device;
  bool instrument = false;
  std::vector<float> inL, inR, outL, outR;

  Rig(const std::string& id, double rate, int maxBlock) : device(createDevice(id)) {
    instrument = device->descriptor().kind == DeviceKind::Instrument;
    makeItWork(*device);
    device->prepare(rate, maxBlock);
    for (auto* v : {&inL, &inR, &outL, &outR}) v->assign(static_cast<std::size_t>(maxBlock), 0.0f);
  }
  // Processes (or, when `skipping`, the block is silent and the device idle, skips) n frames; the input
  // is `signal` (null: silence) and the note events `events`. Returns whether it skipped.
  bool run(int n, const float* signal, const std::vector<NoteEvent>& events, bool skipping) {
    const bool silent = signal == nullptr && events.empty();
    if (skipping && silent && device->idle()) {
      device->skip(n);
      std::fill_n(outL.begin(), n, 0.0f);
      std::fill_n(outR.begin(), n, 0.0f);
      return true;
    }
    // Left and right differ (a side signal for the imager), both from the same programme.
    for (int i = 0; i < n; ++i) {
      inL[static_cast<std::size_t>(i)] = signal ? signal[i] : 0.0f;
      inR[static_cast<std::size_t>(i)] = signal ? -0.5f * signal[i] : 0.0f;
    }
    const float* in[2] = {inL.data(), inR.data()};
    float* out[2] = {outL.data(), outR.data()};
    ProcessContext c = ProcessContext::stereo(in, out, n);
    if (instrument) {
      c.inputs = nullptr;
      c.inputChannels = 0;
      c.events = events.data();
      c.eventCount = static_cast<int>(events.size());
    }
    device->process(c);
    return false;
  }
};

// The programme of the skip test, in sections: a burst (notes for the synth), silence long enough for
// every tail, a knob moved in the silence, more silence, another burst, silence.
struct Section {
  double seconds;
  int which;  // -1: silence; 0, 1: burst (or a note) number
  bool moveKnob;
};
const std::vector<Section> kProgramme = {{0.25, 0, false}, {30.0, -1, false}, {0.0, -1, true}, {2.0, -1, false}, {0.5, 1, false}, {1.0, -1, false}};

}  // namespace

BOOST_AUTO_TEST_SUITE(idle)

BOOST_AUTO_TEST_CASE(every_device_falls_idle_after_a_burst_and_long_silence_and_not_while_its_tail_rings) {
  constexpr double kRate = 48000;
  constexpr int kBlock = 128;
  for (const DeviceDescriptor* desc : deviceDescriptors()) {
    Rig rig(desc->id, kRate, kBlock);
    // The burst: a note of 0.1 s for the synth, a quarter second of two sines for the effects.
    std::vector<float> signal(kBlock);
    for (std::size_t at = 0; at < static_cast<std::size_t>(kRate / 4); at += kBlock) {
      std::vector<NoteEvent> events;
      const auto note = static_cast<std::uint8_t>(notePlayed(*desc, 0));
      if (rig.instrument && at == 0) events.push_back({0, NoteEvent::Type::NoteOn, note, 0.9f});
      if (rig.instrument && at == 4800 / kBlock * kBlock) events.push_back({0, NoteEvent::Type::NoteOff, note, 0.0f});
      for (int i = 0; i < kBlock; ++i) signal[static_cast<std::size_t>(i)] = burst(at + static_cast<std::size_t>(i), kRate, 0);
      rig.run(kBlock, rig.instrument ? nullptr : signal.data(), events, false);
    }
    // No state of its own but its ramps (strip, utility): nothing rings. Everything else rings on.
    const bool stateless = desc->id == "mixdown.strip" || desc->id == "mixdown.utility";
    BOOST_TEST(rig.device->idle() == stateless, desc->id << ": idle() right after the burst");
    double idleAfter = -1;
    bool claimedIdleButSounded = false;
    for (long block = 0; block < static_cast<long>(60 * kRate / kBlock); ++block) {
      const bool wasIdle = rig.device->idle();
      if (wasIdle && idleAfter < 0) idleAfter = block * kBlock / kRate;
      rig.run(kBlock, nullptr, {}, false);
      if (wasIdle)
        for (int i = 0; i < kBlock; ++i) claimedIdleButSounded = claimedIdleButSounded || rig.outL[static_cast<std::size_t>(i)] != 0.0f || rig.outR[static_cast<std::size_t>(i)] != 0.0f;
      if (wasIdle && block * kBlock / kRate > idleAfter + 1.0) break;  // a second of idle blocks checked
    }
    BOOST_TEST_MESSAGE(desc->id << ": idle " << idleAfter << " s into the silence");
    BOOST_TEST(idleAfter >= 0.0, desc->id << ": never idle in 60 s of silence");
    BOOST_TEST(!claimedIdleButSounded, desc->id << ": said idle, then output a non-zero sample from silence");
    rig.device->setParam(0, rig.device->param(0) == desc->params[0].max ? desc->params[0].min : desc->params[0].max);
    BOOST_TEST(!rig.device->idle(), desc->id << ": idle() with a parameter change it has not processed yet");
  }
}

BOOST_AUTO_TEST_CASE(skipping_a_device_while_idle_is_bit_identical_to_processing_it) {
  // Two copies of each device on the same programme, in the same random block sizes (1, 17, 128, 512 or
  // anything up to 512): one always processes, the other skips every silent block while it is idle.
  for (const double rate : {44100.0, 48000.0, 96000.0}) {
    for (const DeviceDescriptor* desc : deviceDescriptors()) {
      constexpr int kMaxBlock = 512;
      Rig always(desc->id, rate, kMaxBlock), skipping(desc->id, rate, kMaxBlock);
      const unsigned seed = static_cast<unsigned>(rate) + static_cast<unsigned>(desc->id.size());
      std::mt19937 random(seed);
      long skipped = 0, blocks = 0, differing = 0;
      std::size_t frame = 0;
      std::vector<float> signal(kMaxBlock);
      for (const Section& s : kProgramme) {
        if (s.moveKnob) {
          moveAKnob(*always.device);
          moveAKnob(*skipping.device);
          BOOST_TEST(!skipping.device->idle(), desc->id << ": idle() right after a knob moved");
        }
        const auto length = static_cast<std::size_t>(s.seconds * rate);
        bool noteOn = true;
        for (std::size_t at = 0; at < length;) {
          const int sizes[] = {1, 17, 128, 512, static_cast<int>(random() % kMaxBlock) + 1};
          const int n = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(sizes[random() % 5]), length - at));
          std::vector<NoteEvent> events;
          const float* input = nullptr;
          if (s.which >= 0) {
            if (always.instrument) {
              const auto note = static_cast<std::uint8_t>(notePlayed(*desc, s.which));
              if (noteOn) events.push_back({0, NoteEvent::Type::NoteOn, note, 0.8f});
              const auto off = static_cast<std::size_t>(0.1 * rate);
              if (at <= off && off < at + static_cast<std::size_t>(n)) events.push_back({static_cast<std::int32_t>(off - at), NoteEvent::Type::NoteOff, note, 0.0f});
              noteOn = false;
            } else {
              for (int i = 0; i < n; ++i) signal[static_cast<std::size_t>(i)] = burst(frame + static_cast<std::size_t>(i), rate, s.which);
              input = signal.data();
            }
          }
          always.run(n, input, events, false);
          skipped += skipping.run(n, input, events, true) ? 1 : 0;
          ++blocks;
          for (int i = 0; i < n; ++i) {
            const auto u = static_cast<std::size_t>(i);
            // Values, not bits: a skipped block's zeros are +0 where processing may give -0.
            if (always.outL[u] != skipping.outL[u] || always.outR[u] != skipping.outR[u]) ++differing;
          }
          at += static_cast<std::size_t>(n);
          frame += static_cast<std::size_t>(n);
        }
      }
      BOOST_TEST_MESSAGE(desc->id << " at " << rate << " Hz: skipped " << skipped << " of " << blocks << " blocks");
      BOOST_TEST(differing == 0, desc->id << " at " << rate << " Hz: " << differing << " samples differ when idle blocks are skipped");
      BOOST_TEST(skipped > blocks / 4, desc->id << " at " << rate << " Hz: skipped only " << skipped << " of " << blocks << " blocks");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
