// The device contract shared by every instrument and effect.
//
// Life of a device (enforced here, not by each device):
//   construct (control thread) -> prepare(sampleRate, maxBlock) (control thread, allocates)
//   -> process(...) blocks (audio thread, never allocates, locks or throws) -> reset() whenever the
//   transport jumps. Parameters are set from any thread through atomics and smoothed by the device.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mixdown {

enum class DeviceKind { Instrument, Effect };

// How a parameter's knob maps to its value.
enum class ParamScale {
  Linear,       // value moves evenly with the knob
  Logarithmic,  // frequencies and times: equal knob travel, equal ratio (min must be > 0)
  Choice,       // an integer index into `choices`
  Toggle        // 0 or 1
};

struct ParamDescriptor {
  std::string id;      // stable; never renamed once shipped
  std::string name;    // for people
  std::string unit;    // "dB", "Hz", "ms", "st", "oct", "ct", "" ...
  double min = 0.0;
  double max = 1.0;
  double defaultValue = 0.0;
  ParamScale scale = ParamScale::Linear;
  double smoothingMs = 0.0;          // ramp time for changes (0: applied at the next block)
  std::vector<std::string> choices;  // Choice parameters only
  bool needsPrepare = false;         // takes effect only in prepare() (e.g. it sets the latency)
};

// Builds a parameter descriptor in one line (device descriptor tables use it).
ParamDescriptor makeParam(const char* id, const char* name, const char* unit, double min, double max, double def,
                          ParamScale scale = ParamScale::Linear, double smoothingMs = 0.0);

// A note an instrument gives a name (a drum machine's voices), so a step sequencer can label its rows.
struct NamedNote {
  int pitch;         // MIDI note
  std::string name;  // for people: "Kick", "Closed hat"
};

// An instrument's output channel count (1 or 2) for a set of parameter values, `values[i]` being the value
// of `params[i]`. A pure function of the values: the engine evaluates it when it builds a track's plan
// (control thread) and gives the instrument that many channels until the next build, so an edit that
// changes the result rebuilds the track while one that does not stays a live parameter edit.
using OutputChannelsRule = int (*)(const double* values);

struct DeviceDescriptor {
  std::string id;    // stable type id, e.g. "mixdown.polysynth"
  std::string name;
  DeviceKind kind = DeviceKind::Effect;
  std::vector<ParamDescriptor> params;
  bool gainReductionMeter = false;  // dynamics: takeGainReductionDb() reads something worth showing
  std::vector<NamedNote> noteNames;  // instruments whose notes are distinct sounds, in display order; else empty
  // Instruments: how many channels they render (see OutputChannelsRule); null: always mono, panned by the
  // mixer strip's constant-power law. A stereo instrument's strip balances instead (unity at centre), so a
  // stereo instrument pans its own centre to -3.01 dB per side to sound as loud as a mono one.
  OutputChannelsRule outputChannels = nullptr;

  const ParamDescriptor* findParam(const std::string& paramId) const;
  int paramIndex(const std::string& paramId) const;  // -1 if unknown
  // Any thread: outputChannels for `values` (one per parameter, in order), clamped to 1..2; 1 when null.
  int channelsFor(const double* values) const;
};

// A note event inside a block; `frame` counts from the block's first frame. Two controllers travel the
// same way (live playing: a MIDI keyboard's wheels); for them `pitch` is unused and `velocity` holds the
// value: PitchBend -1..+1 of the instrument's bend range (0 is centre), ModWheel 0..1. Instruments that
// take neither ignore them.
struct NoteEvent {
  enum class Type : std::uint8_t { NoteOn, NoteOff, AllNotesOff, PitchBend, ModWheel };
  std::int32_t frame = 0;
  Type type = Type::NoteOn;
  std::uint8_t pitch = 0;
  float velocity = 0.0f;
};

// What one process() call sees. Buffers hold `frames` samples each and are prepared by the caller.
// Any thread, lock-free: raises `a` to `v` when `v` is larger (meters that hold the deepest value until
// they are read).
inline void raiseTo(std::atomic<float>& a, float v) noexcept {
  float previous = a.load(std::memory_order_relaxed);
  while (v > previous && !a.compare_exchange_weak(previous, v, std::memory_order_relaxed)) {
  }
}

struct ProcessContext {
  const float* const* inputs = nullptr;  // may be null for instruments
  int inputChannels = 0;
  float* const* outputs = nullptr;
  int outputChannels = 0;
  int frames = 0;
  const NoteEvent* events = nullptr;  // sorted by frame
  int eventCount = 0;
  const float* const* sidechain = nullptr;  // another track's signal for dynamics (may be null)
  int sidechainChannels = 0;
  double tempo = 120.0;  // BPM, for tempo-synced effects

  // An effect's context for a stereo block: two inputs, two outputs (which may be the inputs), no events.
  static ProcessContext stereo(const float* const* in, float* const* out, int frames) {
    ProcessContext c;
    c.inputs = in;
    c.inputChannels = 2;
    c.outputs = out;
    c.outputChannels = 2;
    c.frames = frames;
    return c;
  }
};

class Device {
 public:
  explicit Device(const DeviceDescriptor& descriptor);
  virtual ~Device() = default;
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  // Any thread.
  const DeviceDescriptor& descriptor() const { return descriptor_; }

  // Control thread. Allocates everything process() will need; then resets.
  void prepare(double sampleRate, int maxBlock);
  // Audio thread (or control thread while not playing). Clears state; smoothers jump to their targets.
  void reset();
  // Audio thread. Never allocates, locks or throws. If the device produces a non-finite sample its
  // output is muted and it is reset, so one broken device cannot break the mix.
  void process(const ProcessContext& context) noexcept;

  // Audio thread, between process() calls. True when, given silent input (a sidechain included) and no
  // note events, this device's output is exactly zero and its state does not change: its signal state
  // (filter states, envelopes, delay and reverb lines) is exactly zero and nothing it smooths or glides
  // is still moving. The caller may then call skip(frames) instead of process() and write zeros itself;
  // what follows is bit-identical to having processed the silence (zeros may differ in sign only).
  // False after any parameter change the device has not processed yet. Cheap: flags kept in onProcess().
  virtual bool idle() const noexcept { return false; }
  // Audio thread: in place of process() for a block of `frames` while idle(): advances only the clocks a
  // silent device still keeps (an LFO's phase, a control grid counted from reset), so processing resumes
  // exactly where it would have been.
  void skip(int frames) noexcept { onSkip(frames); }

  // Any thread. Values outside the range (or NaN) are clamped to the range (NaN -> default).
  void setParam(int index, double value);
  bool setParam(const std::string& id, double value);
  // Any thread.
  double param(int index) const { return values_[static_cast<size_t>(index)].load(std::memory_order_relaxed); }
  // Control thread (reads every parameter): the channels this instrument renders with its current values
  // (DeviceDescriptor::outputChannels; 1 for a device without a rule).
  int outputChannels() const;
  // Audio thread, between process() calls: whether the output follows ProcessContext::tempo (a tempo-synced
  // LFO), so the engine must cut its blocks on the tempo grid when the tempo moves. False by default.
  virtual bool followsTempo() const noexcept { return false; }
  // Any thread: processing delay in samples, for delay compensation.
  int latency() const { return latency_.load(std::memory_order_relaxed); }

  // Any thread after prepare() (set there, then constant).
  double sampleRate() const { return sampleRate_; }
  int maxBlock() const { return maxBlock_; }
  // Any thread: how many times this device was muted for producing a non-finite sample.
  int faults() const { return faults_.load(std::memory_order_relaxed); }
  // Any thread: the deepest gain reduction (dB, >= 0) applied since the last call (0 for devices that do
  // not reduce gain; descriptor().gainReductionMeter says which do).
  double takeGainReductionDb() { return deepestReduction_.exchange(0.0f); }

 protected:
  virtual void onPrepare() = 0;
  virtual void onReset() = 0;
  virtual void onProcess(const ProcessContext& context) noexcept = 0;
  virtual void onSkip(int frames) noexcept { (void)frames; }  // see skip(); most devices keep no clock
  void setLatency(int samples) { latency_.store(samples, std::memory_order_relaxed); }
  // Any thread: counts parameter changes (a value that actually moved), for idle().
  std::uint32_t paramChanges() const noexcept { return paramChanges_.load(std::memory_order_acquire); }
  // Audio thread, for idle(): no parameter moved since the last process() (or reset()) began, so the
  // device has read every value it now holds.
  bool paramsSeen() const noexcept { return paramChanges() == seenChanges_; }
  // Audio thread: the deepest gain reduction (dB, >= 0) of the block just processed, for the meter.
  void reportGainReduction(float db) noexcept { raiseTo(deepestReduction_, db); }

 private:
  const DeviceDescriptor& descriptor_;
  std::unique_ptr<std::atomic<double>[]> values_;
  std::atomic<int> latency_{0};
  std::atomic<int> faults_{0};
  std::atomic<float> deepestReduction_{0.0f};
  std::atomic<std::uint32_t> paramChanges_{0};
  std::uint32_t seenChanges_ = 0;  // paramChanges_ when the last process() or reset() began
  double sampleRate_ = 48000.0;
  int maxBlock_ = 0;
};

}  // namespace mixdown
