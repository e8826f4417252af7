#include "devices/PolySynth.h"

#include <algorithm>
#include <cmath>
#include <cstring>

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

// Per-voice control update, every kControlInterval samples of the voice's own clock.
void PolySynth::control(Voice& v) {
  double hz = v.baseHz;
  if (v.pitchEnv != 0.0f) {
    hz *= std::pow(2.0, v.pitchEnv / 12.0);
    v.pitchEnv = static_cast<float>(v.pitchEnv * std::pow(pitchDecayCoef_, kControlInterval));
    if (std::fabs(v.pitchEnv) < 1e-4f) v.pitchEnv = 0.0f;
  }
  v.increment = hz / sampleRate();
  v.table = bank_->table(wave_, bank_->tableFor(hz));
  double fc = std::pow(2.0, cutoffOctaves_.current() + filterEnvOct_ * v.filter.level());
  v.svf.setCutoff(fc, q_, sampleRate());
}

void PolySynth::renderSpan(float* out, int from, int to) {
  constexpr int kSize = WavetableBank::kTableSize;
  const bool noise = wave_ == Waveform::Noise;
  for (int i = from; i < to; ++i) {
    cutoffOctaves_.next();
    float sum = 0.0f;
    for (auto& v : voices_) {
      if (!v.active) continue;
      if (v.samples % kControlInterval == 0) control(v);
      float osc;
      if (noise) {
        v.noise = v.noise * 1664525u + 1013904223u;
        osc = static_cast<float>(static_cast<std::int32_t>(v.noise)) * (1.0f / 2147483648.0f);
      } else {
        double pos = v.phase * kSize;
        int idx = static_cast<int>(pos);
        float frac = static_cast<float>(pos - idx);
        osc = v.table[idx] + frac * (v.table[idx + 1] - v.table[idx]);
      }
      v.phase += v.increment;
      if (v.phase >= 1.0) v.phase -= std::floor(v.phase);
      float env = v.amp.next(ampShape_);
      v.filter.next(filterShape_);
      sum += v.svf.lowpass(osc) * env * v.velocityGain;
      ++v.samples;
      if (!v.amp.active()) v.active = false;
    }
    out[i] = sum * volume_.next();
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
