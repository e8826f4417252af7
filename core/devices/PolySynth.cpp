#include "devices/PolySynth.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "dsp/Decibels.h"

namespace mixdown {
namespace {

DeviceDescriptor makeDescriptor() {
  DeviceDescriptor d;
  d.id = "mixdown.polysynth";
  d.name = "Poly Synth";
  d.kind = DeviceKind::Instrument;
  d.params.resize(PolySynth::kParamCount);
  auto wave = makeParam("wave", "Waveform", "", 0, 4, 2, ParamScale::Choice);
  wave.choices = {"Sine", "Triangle", "Saw", "Square", "Noise"};
  d.params[PolySynth::kWave] = wave;
  d.params[PolySynth::kOctave] = makeParam("octave", "Octave", "oct", -3, 3, 0, ParamScale::Choice);
  d.params[PolySynth::kDetune] = makeParam("detune", "Fine tune", "ct", -100, 100, 0);
  d.params[PolySynth::kAttack] = makeParam("attack", "Attack", "ms", 0.1, 10000, 5, ParamScale::Logarithmic);
  d.params[PolySynth::kDecay] = makeParam("decay", "Decay", "ms", 1, 20000, 300, ParamScale::Logarithmic);
  d.params[PolySynth::kSustain] = makeParam("sustain", "Sustain", "", 0, 1, 0.7);
  d.params[PolySynth::kRelease] = makeParam("release", "Release", "ms", 1, 20000, 250, ParamScale::Logarithmic);
  d.params[PolySynth::kCutoff] = makeParam("cutoff", "Cutoff", "Hz", 20, 20000, 4000, ParamScale::Logarithmic, 20);
  d.params[PolySynth::kResonance] = makeParam("resonance", "Resonance", "", 0, 1, 0.2);
  d.params[PolySynth::kFilterEnv] = makeParam("filterEnv", "Filter envelope", "oct", -8, 8, 2);
  d.params[PolySynth::kFilterAttack] = makeParam("filterAttack", "Filter attack", "ms", 0.1, 10000, 5, ParamScale::Logarithmic);
  d.params[PolySynth::kFilterDecay] = makeParam("filterDecay", "Filter decay", "ms", 1, 20000, 400, ParamScale::Logarithmic);
  d.params[PolySynth::kFilterSustain] = makeParam("filterSustain", "Filter sustain", "", 0, 1, 0.3);
  d.params[PolySynth::kFilterRelease] = makeParam("filterRelease", "Filter release", "ms", 1, 20000, 300, ParamScale::Logarithmic);
  d.params[PolySynth::kVelocity] = makeParam("velocity", "Velocity sensitivity", "", 0, 1, 0.7);
  d.params[PolySynth::kPitchEnv] = makeParam("pitchEnv", "Pitch envelope", "st", -48, 48, 0);
  d.params[PolySynth::kPitchDecay] = makeParam("pitchDecay", "Pitch decay", "ms", 1, 5000, 50, ParamScale::Logarithmic);
  d.params[PolySynth::kVolume] = makeParam("volume", "Volume", "dB", -60, 12, -6, ParamScale::Linear, 20);
  return d;
}

}  // namespace

const DeviceDescriptor& PolySynth::staticDescriptor() {
  static const DeviceDescriptor d = makeDescriptor();
  return d;
}

PolySynth::PolySynth() : Device(staticDescriptor()) {}

void PolySynth::onPrepare() {
  bank_ = WavetableBank::forSampleRate(sampleRate());
  volume_.prepare(sampleRate(), 20.0);
  cutoffOctaves_.prepare(sampleRate(), 20.0);
}

void PolySynth::onReset() {
  for (auto& v : voices_) {
    v.active = false;
    v.amp.reset();
    v.filter.reset();
    v.svf.reset();
  }
  noteCounter_ = 0;
  activeVoices_.store(0, std::memory_order_relaxed);
  readParams();
  volume_.snap(dbToGain(param(kVolume)));
  cutoffOctaves_.snap(static_cast<float>(std::log2(param(kCutoff))));
}

void PolySynth::readParams() {
  wave_ = static_cast<Waveform>(static_cast<int>(param(kWave)));
  pitchRatio_ = std::pow(2.0, param(kOctave) + param(kDetune) / 1200.0);
  // Cutoff glides in octaves (log2 Hz) over 20 ms, so a moving knob or automation never steps.
  cutoffOctaves_.setTarget(static_cast<float>(std::log2(param(kCutoff))));
  q_ = 0.5 * std::pow(40.0, param(kResonance));  // 0.5 .. 20
  filterEnvOct_ = param(kFilterEnv);
  velocitySens_ = param(kVelocity);
  pitchEnvSt_ = param(kPitchEnv);
  pitchDecayCoef_ = std::exp(-6.907755278982137 / std::max(1.0, param(kPitchDecay) * 0.001 * sampleRate()));
  pitchDecayStep_ = std::pow(pitchDecayCoef_, kControlInterval);
  const double sr = sampleRate();
  ampShape_ = AdsrShape::make(sr, param(kAttack), param(kDecay), param(kSustain), param(kRelease));
  filterShape_ = AdsrShape::make(sr, param(kFilterAttack), param(kFilterDecay), param(kFilterSustain), param(kFilterRelease));
  volume_.setTarget(dbToGain(param(kVolume)));
}

void PolySynth::startVoice(Voice& v, int pitch, float velocity) {
  v.active = true;
  v.pitch = pitch;
  v.velocityGain = static_cast<float>(1.0 - velocitySens_ + velocitySens_ * velocity);
  v.age = ++noteCounter_;
  v.samples = 0;
  v.phase = 0.0;
  v.baseHz = 440.0 * std::pow(2.0, (pitch - 69) / 12.0) * pitchRatio_;
  // Deterministic noise seed per note: the same song always sounds the same.
  v.noise = static_cast<std::uint32_t>(v.age * 2654435761u) | 1u;
  v.pitchEnv = static_cast<float>(pitchEnvSt_);
  // NaN equals nothing: the first control() computes everything.
  v.controlHz = v.controlOctaves = v.controlQ = std::numeric_limits<double>::quiet_NaN();
  v.amp.reset();
  v.filter.reset();
  v.svf.reset();
  v.amp.noteOn();
  v.filter.noteOn();
}

void PolySynth::noteOn(int pitch, float velocity) {
  // Free voice first; else the quietest releasing voice; else the oldest.
  Voice* pick = nullptr;
  for (auto& v : voices_)
    if (!v.active) {
      pick = &v;
      break;
    }
  if (!pick) {
    for (auto& v : voices_)
      if (v.amp.releasing() && (!pick || v.amp.level() < pick->amp.level())) pick = &v;
  }
  if (!pick) {
    for (auto& v : voices_)
      if (!pick || v.age < pick->age) pick = &v;
  }
  startVoice(*pick, pitch, velocity);
}

void PolySynth::noteOff(int pitch) {
  for (auto& v : voices_)
    if (v.active && v.pitch == pitch && !v.amp.releasing()) {
      v.amp.noteOff();
      v.filter.noteOff();
    }
}

void PolySynth::allNotesOff() {
  for (auto& v : voices_)
    if (v.active) {
      v.amp.noteOff();
      v.filter.noteOff();
    }
}

// Per-voice control update, every kControlInterval samples of the voice's own clock. `cutoffOctaves` is
// the cutoff knob's glide (log2 Hz) at this sample. The table, the increment and the filter are only
// recomputed when what they depend on moved (steady notes and sustained envelopes cost no pow/log/tan).
void PolySynth::control(Voice& v, float cutoffOctaves) {
  double hz = v.baseHz;
  if (v.pitchEnv != 0.0f) {
    hz *= std::pow(2.0, v.pitchEnv / 12.0);
    v.pitchEnv = static_cast<float>(v.pitchEnv * pitchDecayStep_);
    if (std::fabs(v.pitchEnv) < 1e-4f) v.pitchEnv = 0.0f;
  }
  if (hz != v.controlHz) {
    v.controlHz = hz;
    v.increment = hz / sampleRate();
    v.tableIndex = bank_->tableFor(hz);
  }
  v.table = bank_->table(wave_, v.tableIndex);
  const double octaves = cutoffOctaves + filterEnvOct_ * v.filter.level();
  if (octaves != v.controlOctaves || q_ != v.controlQ) {
    v.controlOctaves = octaves;
    v.controlQ = q_;
    v.svf.setCutoff(std::pow(2.0, octaves), q_, sampleRate());
  }
}

// One voice over `n` samples, added into `sum` (the voices are added in voice order, sample by sample,
// as one loop over the voices per sample would add them). The state lives in locals for the run.
void PolySynth::renderVoice(Voice& v, float* sum, const float* cutoffOctaves, int n) {
  constexpr int kSize = WavetableBank::kTableSize;
  const bool noise = wave_ == Waveform::Noise;
  for (int k = 0; k < n && v.active;) {
    if (v.samples % kControlInterval == 0) control(v, cutoffOctaves[k]);
    const int run = std::min(n - k, kControlInterval - static_cast<int>(v.samples % kControlInterval));
    const float* table = v.table;
    const double increment = v.increment;
    const float velocityGain = v.velocityGain;
    double phase = v.phase;
    std::uint32_t seed = v.noise;
    AdsrEnvelope amp = v.amp, filter = v.filter;
    StateVariableFilter svf = v.svf;
    // The filter envelope is read only by control(), at the start of a run: it is stepped once per run
    // (advance(): the same steps as next() per sample, without the dispatch in this loop).
    int done = 0;
    while (done < run) {
      float osc;
      if (noise) {
        seed = seed * 1664525u + 1013904223u;
        osc = static_cast<float>(static_cast<std::int32_t>(seed)) * (1.0f / 2147483648.0f);
      } else {
        const double pos = phase * kSize;
        const int idx = static_cast<int>(pos);
        const float frac = static_cast<float>(pos - idx);
        osc = table[idx] + frac * (table[idx + 1] - table[idx]);
      }
      phase += increment;
      if (phase >= 1.0) phase -= std::floor(phase);
      const float env = amp.next(ampShape_);
      sum[k + done] += svf.lowpass(osc) * env * velocityGain;
      ++done;
      if (!amp.active()) {
        v.active = false;
        break;
      }
    }
    filter.advance(filterShape_, done);
    v.phase = phase;
    v.noise = seed;
    v.amp = amp;
    v.filter = filter;
    v.svf = svf;
    v.samples += done;
    k += done;
  }
}

void PolySynth::renderSpan(float* out, int from, int to) {
  // Chunks of up to kChunk samples: the cutoff glide per sample, then each voice, then the volume.
  constexpr int kChunk = 64;
  float cutoff[kChunk], sum[kChunk];
  for (int at = from; at < to; at += kChunk) {
    const int n = std::min(kChunk, to - at);
    for (int k = 0; k < n; ++k) {
      cutoffOctaves_.next();
      cutoff[k] = cutoffOctaves_.current();
      sum[k] = 0.0f;
    }
    for (auto& v : voices_)
      if (v.active) renderVoice(v, sum, cutoff, n);
    for (int k = 0; k < n; ++k) out[at + k] = sum[k] * volume_.next();
  }
}

void PolySynth::onProcess(const ProcessContext& ctx) noexcept {
  readParams();
  float* out = ctx.outputs[0];
  int pos = 0;
  for (int e = 0; e <= ctx.eventCount; ++e) {
    int until = e < ctx.eventCount ? std::clamp(ctx.events[e].frame, pos, ctx.frames) : ctx.frames;
    renderSpan(out, pos, until);
    pos = until;
    if (e == ctx.eventCount) break;
    const NoteEvent& ev = ctx.events[e];
    switch (ev.type) {
      case NoteEvent::Type::NoteOn: noteOn(ev.pitch, ev.velocity); break;
      case NoteEvent::Type::NoteOff: noteOff(ev.pitch); break;
      case NoteEvent::Type::AllNotesOff: allNotesOff(); break;
    }
  }
  for (int c = 1; c < ctx.outputChannels; ++c) std::memcpy(ctx.outputs[c], out, sizeof(float) * static_cast<size_t>(ctx.frames));
  int n = 0;
  for (auto& v : voices_) n += v.active ? 1 : 0;
  activeVoices_.store(n, std::memory_order_relaxed);
}

}  // namespace mixdown
