// mixdown.polysynth: parameters per block, voice allocation (poly, mono, legato), glide, the LFO, the
// per-voice control step and the original voice loop. The layered voice loop (oscillator 2, sub, noise,
// unison, stereo, high- and band-pass, 24 dB) is in PolySynthLayeredVoice.cpp; the parameters in
// PolySynthDescriptor.cpp.
#include "devices/PolySynth.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "dsp/Decibels.h"
#include "dsp/ExpLog.h"

namespace mixdown {

PolySynth::PolySynth() : Device(staticDescriptor()) {}

void PolySynth::onPrepare() {
  bank_ = WavetableBank::forSampleRate(sampleRate());
  volume_.prepare(sampleRate(), 20.0);
  cutoffOctaves_.prepare(sampleRate(), 20.0);
  bend_.prepare(sampleRate(), kWheelMs);
  mod_.prepare(sampleRate(), kWheelMs);
}

void PolySynth::onReset() {
  for (auto& v : voices_) {
    v.active = false;
    v.amp.reset();
    v.filter.reset();
    v.svf.reset();
  }
  noteCounter_ = 0;
  heldCount_ = 0;
  lastSemitones_ = -1.0;
  activeVoices_.store(0, std::memory_order_relaxed);
  readParams(120.0, 1);
  volume_.snap(dbToGain(param(kVolume)));
  cutoffOctaves_.snap(static_cast<float>(std::log2(param(kCutoff))));
  bend_.snap(0.0f);
  mod_.snap(0.0f);
  vibratoPhase_ = 0.0;
}

bool PolySynth::followsTempo() const noexcept {
  return param(kLfoSync) != 0.0 && (param(kLfoPitch) != 0.0 || param(kLfoCutoff) != 0.0 || param(kLfoAmp) != 0.0);
}

void PolySynth::readParams(double tempo, int outputChannels) {
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
  filterShape_ = AdsrShape::make(sr, param(kFilterAttack), param(kFilterDecay), param(kFilterSustain), param(kFilterRelease))
                     .perStep(kControlInterval);
  volume_.setTarget(dbToGain(param(kVolume)));

  // The newer controls. Their ratios use exp2Fast (plain arithmetic: the same bits in wasm and natively).
  osc1Level_ = static_cast<float>(param(kOsc1Level));
  osc2Level_ = static_cast<float>(param(kOsc2Level));
  subLevel_ = static_cast<float>(param(kSubLevel));
  noiseLevel_ = static_cast<float>(param(kNoiseLevel));
  wave2_ = static_cast<Waveform>(static_cast<int>(param(kOsc2Wave)));
  subWave_ = param(kSubWave) != 0.0 ? Waveform::Square : Waveform::Sine;
  unison_ = std::clamp(static_cast<int>(param(kUnison)), 1, kMaxUnison);
  const double spread = param(kUnisonSpread);
  stereo_ = outputChannels >= 2 && unison_ > 1 && spread > 0.0;  // the descriptor's rule, given two channels
  filterType_ = static_cast<FilterType>(static_cast<int>(param(kFilterType)));
  slope24_ = param(kFilterSlope) != 0.0;
  keyTrack_ = param(kKeyTrack);
  layered_ = osc1Level_ != 1.0f || osc2Level_ != 0.0f || subLevel_ != 0.0f || noiseLevel_ != 0.0f || unison_ > 1 ||
             filterType_ != FilterType::LowPass || slope24_ || param(kLfoAmp) != 0.0;
  const double key[] = {param(kOsc2Octave), param(kOsc2Semitones), param(kOsc2Detune), param(kSubOctave), param(kSubDetune),
                        static_cast<double>(unison_), param(kUnisonDetune), static_cast<double>(wave_), static_cast<double>(wave2_),
                        static_cast<double>(subWave_), static_cast<double>(filterType_), slope24_ ? 1.0 : 0.0,
                        stereo_ ? 1.0 : 0.0, layered_ ? 1.0 : 0.0};
  static_assert(sizeof key == sizeof layerKey_);
  if (std::memcmp(key, layerKey_, sizeof key) != 0) {
    std::memcpy(layerKey_, key, sizeof key);
    ++layerEpoch_;  // every voice recomputes its increments, tables and filters at its next step
    osc2Ratio_ = exp2Fast(key[0] + key[1] / 12.0 + key[2] / 1200.0);
    subRatio_ = exp2Fast(key[3] + key[4] / 1200.0);
    unisonTop_ = 1.0;
    for (int u = 0; u < unison_; ++u) {
      // Evenly from -detune to +detune cents.
      const double cents = unison_ == 1 ? 0.0 : param(kUnisonDetune) * (2.0 * u / (unison_ - 1) - 1.0);
      unisonRatio_[u] = exp2Fast(cents / 1200.0);
      unisonTop_ = std::max(unisonTop_, unisonRatio_[u]);
    }
  }
  if (layered_) {
    // Each copy's gains: 1/sqrt(copies) keeps the level of uncorrelated copies; in stereo, constant-power
    // pans evenly from -spread to +spread (cos and sin of (pan + 1) pi/4, as the mixer strip pans), so the
    // centre is -3.01 dB per side, as loud as a mono synth through a centred strip.
    const float norm = static_cast<float>(1.0 / std::sqrt(static_cast<double>(unison_)));
    for (int u = 0; u < unison_; ++u) {
      if (!stereo_) {
        unisonLeft_[u] = norm;
        continue;
      }
      const double pan = spread * (2.0 * u / (unison_ - 1) - 1.0);
      const double turns = (pan + 1.0) / 8.0;  // (pan + 1) pi/4 radians
      unisonLeft_[u] = norm * static_cast<float>(sineOfTurns(turns + 0.25));
      unisonRight_[u] = norm * static_cast<float>(sineOfTurns(turns));
    }
    centreLeft_ = stereo_ ? static_cast<float>(sineOfTurns(0.125)) : 1.0f;
    centreRight_ = centreLeft_;
  }
  lfoShape_ = static_cast<LfoShape>(static_cast<int>(param(kLfoShape)));
  const double lfoHz = param(kLfoSync) != 0.0 ? std::clamp(tempo, 1.0, 1000.0) / 60.0 / beatsPerLfoCycle(static_cast<int>(param(kLfoDivision)))
                                              : param(kLfoRate);
  lfoStep_ = lfoHz * kControlInterval / sr;
  lfoPitch_ = param(kLfoPitch);
  lfoCutoff_ = param(kLfoCutoff);
  lfoAmp_ = param(kLfoAmp);
  lfoOn_ = lfoPitch_ != 0.0 || lfoCutoff_ != 0.0 || lfoAmp_ != 0.0;
  voiceMode_ = static_cast<VoiceMode>(static_cast<int>(param(kVoiceMode)));
  glideSamples_ = param(kGlide) * 0.001 * sr;
}

double PolySynth::currentSemitones(const Voice& v) const { return v.pitch + v.glideNow; }

// A voice's note (and, with glide, where it slides from: `fromSemitones` < 0 means nowhere).
void PolySynth::retune(Voice& v, int pitch, double fromSemitones, bool glide) {
  v.pitch = pitch;
  v.baseHz = 440.0 * std::pow(2.0, (pitch - 69) / 12.0) * pitchRatio_;
  v.keyOctaves = keyTrack_ * (pitch - 60) / 12.0;
  v.glideStep = 0;
  if (glide && glideSamples_ > 0.0 && fromSemitones >= 0.0 && fromSemitones != pitch) {
    v.glideFrom = fromSemitones - pitch;
    v.glideSteps = std::max(1, static_cast<int>(std::lround(glideSamples_ / kControlInterval)));
  } else {
    v.glideFrom = 0.0;
    v.glideSteps = 0;
  }
  v.glideNow = v.glideFrom;
}

void PolySynth::startVoice(Voice& v, int pitch, float velocity) {
  v.active = true;
  v.pitch = pitch;
  v.velocityGain = static_cast<float>(1.0 - velocitySens_ + velocitySens_ * velocity);
  v.age = ++noteCounter_;
  v.samples = 0;
  v.phase = 0;
  v.layeredLast = false;
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
  // The newer controls' state: unison copies start at spread phases (golden-ratio steps, so no two
  // copies start together and the chorus does not open with a click of coinciding saw edges).
  v.keyOctaves = keyTrack_ * (pitch - 60) / 12.0;
  v.glideFrom = v.glideNow = 0.0;
  v.glideSteps = v.glideStep = 0;
  v.lfoPhase = 0.0;
  v.lfoSeed = static_cast<std::uint32_t>(v.age * 40503u) | 1u;
  v.lfoHeld = lfoRandom(v.lfoSeed);
  v.ampLfoFrom = v.ampLfoTo = static_cast<float>(1.0 - lfoAmp_ * (1.0 - lfoValue(lfoShape_, 0.0, v.lfoHeld)) * 0.5);
  v.controlEpoch = 0;
  for (int u = 0; u < kMaxUnison; ++u) {
    const double start = u * 0.6180339887498949;
    v.unisonPhase[u] = start - std::floor(start);
    v.osc2Phase[u] = v.unisonPhase[u];
  }
  v.subPhase = 0.0;
  v.svfRight.reset();
  v.svf2.reset();
  v.svf2Right.reset();
}

void PolySynth::noteOn(int pitch, float velocity) {
  if (voiceMode_ != VoiceMode::Poly) {
    // One voice: the newest note sounds; the held notes wait beneath it.
    const bool legatoNote = heldCount_ > 0;
    for (int i = 0; i < heldCount_; ++i)
      if (held_[static_cast<std::size_t>(i)] == pitch) {
        std::copy(held_.begin() + i + 1, held_.begin() + heldCount_, held_.begin() + i);
        --heldCount_;
        break;
      }
    if (heldCount_ == kVoices) {  // full: the oldest is forgotten
      std::copy(held_.begin() + 1, held_.end(), held_.begin());
      --heldCount_;
    }
    held_[static_cast<std::size_t>(heldCount_++)] = static_cast<std::uint8_t>(pitch);
    Voice& v = voices_[0];
    const double from = v.active ? currentSemitones(v) : lastSemitones_;
    lastSemitones_ = pitch;
    if (voiceMode_ == VoiceMode::Legato && legatoNote && v.active && !v.amp.releasing()) {
      retune(v, pitch, from, true);  // slides there; the envelopes go on
      v.samples = 0;                 // a control step at once: the new pitch on this sample
      return;
    }
    if (v.active) {
      // Mono: the envelopes restart from where they are (no click); the pitch slides in mono mode only.
      retune(v, pitch, from, voiceMode_ == VoiceMode::Mono);
      v.velocityGain = static_cast<float>(1.0 - velocitySens_ + velocitySens_ * velocity);
      v.age = ++noteCounter_;
      v.samples = 0;
      v.pitchEnv = static_cast<float>(pitchEnvSt_);
      v.lfoPhase = 0.0;
      v.amp.noteOn();
      v.filter.noteOn();
      return;
    }
    startVoice(v, pitch, velocity);
    retune(v, pitch, from, voiceMode_ == VoiceMode::Mono);
    return;
  }
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
  if (glideSamples_ > 0.0) retune(*pick, pitch, lastSemitones_, true);  // poly glide: from the last note played
  lastSemitones_ = pitch;
}

void PolySynth::noteOff(int pitch) {
  if (voiceMode_ != VoiceMode::Poly && heldCount_ > 0) {
    for (int i = 0; i < heldCount_; ++i)
      if (held_[static_cast<std::size_t>(i)] == pitch) {
        std::copy(held_.begin() + i + 1, held_.begin() + heldCount_, held_.begin() + i);
        --heldCount_;
        break;
      }
    Voice& v = voices_[0];
    if (v.active && v.pitch == pitch && !v.amp.releasing()) {
      if (heldCount_ > 0) {  // back to the newest note still held, sliding, the envelopes going on
        const int back = held_[static_cast<std::size_t>(heldCount_ - 1)];
        retune(v, back, currentSemitones(v), true);
        v.samples = 0;
        lastSemitones_ = back;
      } else {
        v.amp.noteOff();
        v.filter.noteOff();
      }
      return;
    }
  }
  for (auto& v : voices_)
    if (v.active && v.pitch == pitch && !v.amp.releasing()) {
      v.amp.noteOff();
      v.filter.noteOff();
    }
}

void PolySynth::allNotesOff() {
  heldCount_ = 0;
  for (auto& v : voices_)
    if (v.active) {
      v.amp.noteOff();
      v.filter.noteOff();
    }
}

// Per-voice control update, every kControlInterval samples of the voice's own clock. `cutoffOctaves` is
// the cutoff knob's glide (log2 Hz) at this sample. The modulators (pitch envelope, glide, LFO) step
// here; then the table, the increment and the filter are only recomputed when what they depend on moved
// (steady notes and sustained envelopes cost no pow/log/tan).
void PolySynth::control(Voice& v, float cutoffOctaves, float wheelSemitones) {
  double hz = v.baseHz;
  if (v.pitchEnv != 0.0f) {
    hz *= exp2Fast(v.pitchEnv / 12.0);
    v.pitchEnv = static_cast<float>(v.pitchEnv * pitchDecayStep_);
    if (std::fabs(v.pitchEnv) < 1e-4f) v.pitchEnv = 0.0f;
  }
  double semitones = 0.0, lfoOctaves = 0.0;
  if (v.glideSteps > 0 && v.glideStep <= v.glideSteps) {  // linear in semitones: the target (0) on step glideSteps
    v.glideNow = v.glideFrom * (v.glideSteps - v.glideStep) / v.glideSteps;
    ++v.glideStep;
    semitones = v.glideNow;
  }
  if (lfoOn_) {
    const double value = lfoValue(lfoShape_, v.lfoPhase, v.lfoHeld);
    v.lfoPhase += lfoStep_;
    if (v.lfoPhase >= 1.0) {
      v.lfoPhase -= std::floor(v.lfoPhase);
      v.lfoHeld = lfoRandom(v.lfoSeed);
    }
    semitones += lfoPitch_ * value;
    lfoOctaves = lfoCutoff_ * value;
    // The amplitude glides through this step to the LFO's value at the next one (no steps in the level).
    v.ampLfoFrom = v.ampLfoTo;
    v.ampLfoTo = lfoAmp_ != 0.0 ? static_cast<float>(1.0 - lfoAmp_ * (1.0 - lfoValue(lfoShape_, v.lfoPhase, v.lfoHeld)) * 0.5) : 1.0f;
  } else if (layered_) {
    v.ampLfoFrom = v.ampLfoTo;  // an amplitude LFO just turned off glides back to unity
    v.ampLfoTo = 1.0f;
  }
  semitones += wheelSemitones;  // exactly 0 while the wheels rest: the same bits as before they existed
  if (semitones != 0.0) hz *= exp2Fast(semitones / 12.0);
  double octaves = cutoffOctaves + filterEnvOct_ * v.filter.level();
  v.filter.next(filterShape_);  // one step of the filter envelope per control step (filterShape_ is per step)
  if (v.keyOctaves != 0.0) octaves += v.keyOctaves;
  if (lfoOctaves != 0.0) octaves += lfoOctaves;
  const bool stale = layered_ && v.controlEpoch != layerEpoch_;
  if (hz != v.controlHz || stale) {
    v.controlHz = hz;
    v.increment = turnsToPhase(hz / sampleRate());
    v.tableIndex = bank_->tableFor(hz);
    if (layered_) controlLayers(v, hz);
  }
  v.table = bank_->table(wave_, v.tableIndex);
  if (octaves != v.controlOctaves || q_ != v.controlQ || stale) {
    v.controlOctaves = octaves;
    v.controlQ = q_;
    v.svf.setCutoff(exp2Fast(octaves), q_, sampleRate());
    if (layered_) layerFilters(v, octaves);
  }
  if (layered_) v.controlEpoch = layerEpoch_;
}

// One voice over `n` samples, added into `sum` (the voices are added in voice order, sample by sample,
// as one loop over the voices per sample would add them). The state lives in locals for the run.
void PolySynth::renderVoice(Voice& v, float* sum, const float* cutoffOctaves, const float* wheelSemitones, int n) {
  constexpr int kFractionBits = 32 - 11;  // a 2^11-sample table
  static_assert(WavetableBank::kTableSize == 1 << (32 - kFractionBits));
  constexpr std::uint32_t kFractionMask = (1u << kFractionBits) - 1;
  const bool noise = wave_ == Waveform::Noise;
  if (v.layeredLast) {  // the layered loop ran this voice last: its oscillator 1 goes on from where it is
    v.phase = turnsToPhase(v.unisonPhase[0]);
    v.layeredLast = false;
  }
  for (int k = 0; k < n && v.active;) {
    if (v.samples % kControlInterval == 0) control(v, cutoffOctaves[k], wheelSemitones[k]);
    const int run = std::min(n - k, kControlInterval - static_cast<int>(v.samples % kControlInterval));
    const float* table = v.table;
    const std::uint32_t increment = v.increment;
    const float velocityGain = v.velocityGain;
    std::uint32_t phase = v.phase;
    std::uint32_t seed = v.noise;
    AdsrEnvelope amp = v.amp;
    StateVariableFilter svf = v.svf;
    int done = 0;
    while (done < run) {
      float osc;
      if (noise) {
        seed = seed * 1664525u + 1013904223u;
        osc = static_cast<float>(static_cast<std::int32_t>(seed)) * (1.0f / 2147483648.0f);
      } else {
        // The top bits of the phase index the table, the rest interpolate (exact in a float: 21 bits).
        const auto idx = static_cast<int>(phase >> kFractionBits);
        const float frac = static_cast<float>(static_cast<std::int32_t>(phase & kFractionMask)) * (1.0f / (1u << kFractionBits));
        osc = table[idx] + frac * (table[idx + 1] - table[idx]);
      }
      phase += increment;  // wraps at a whole cycle by itself
      const float env = amp.next(ampShape_);
      sum[k + done] += svf.lowpass(osc) * env * velocityGain;
      ++done;
      if (!amp.active()) {
        v.active = false;
        break;
      }
    }
    v.phase = phase;
    v.noise = seed;
    v.amp = amp;
    v.svf = svf;
    v.samples += done;
    k += done;
  }
}

void PolySynth::renderSpan(float* outL, float* outR, int from, int to) {
  // Chunks of up to kChunk samples: the cutoff glide per sample, then each voice, then the volume.
  constexpr int kChunk = 64;
  float cutoff[kChunk], sum[kChunk], sumR[kChunk], wheel[kChunk];
  const double bendRange = param(kBendRange);
  const double vibratoStep = kModVibratoHz / sampleRate();  // turns per sample
  for (int at = from; at < to; at += kChunk) {
    const int n = std::min(kChunk, to - at);
    for (int k = 0; k < n; ++k) {
      cutoffOctaves_.next();
      cutoff[k] = cutoffOctaves_.current();
      sum[k] = 0.0f;
      // The wheels, per sample (voices read them at their own control steps, so the block size never shows).
      const float bend = bend_.next(), mod = mod_.next();
      double semitones = bend * bendRange;
      if (mod != 0.0f) {
        semitones += mod * kModVibratoSemitones * sineOfTurns(vibratoPhase_);
        vibratoPhase_ += vibratoStep;
        vibratoPhase_ -= std::floor(vibratoPhase_);
      } else {
        vibratoPhase_ = 0.0;
      }
      wheel[k] = static_cast<float>(semitones);
    }
    if (outR) std::fill_n(sumR, n, 0.0f);
    for (auto& v : voices_) {
      if (!v.active) continue;
      if (layered_) renderLayeredVoice(v, sum, outR ? sumR : nullptr, cutoff, wheel, n);
      else renderVoice(v, sum, cutoff, wheel, n);
    }
    if (!outR) {
      for (int k = 0; k < n; ++k) outL[at + k] = sum[k] * volume_.next();
      continue;
    }
    for (int k = 0; k < n; ++k) {
      const float g = volume_.next();
      outL[at + k] = sum[k] * g;
      outR[at + k] = sumR[k] * g;
    }
  }
}

void PolySynth::onProcess(const ProcessContext& ctx) noexcept {
  readParams(ctx.tempo, ctx.outputChannels);
  float* out = ctx.outputs[0];
  float* outR = stereo_ ? ctx.outputs[1] : nullptr;
  int pos = 0;
  for (int e = 0; e <= ctx.eventCount; ++e) {
    int until = e < ctx.eventCount ? std::clamp(ctx.events[e].frame, pos, ctx.frames) : ctx.frames;
    renderSpan(out, outR, pos, until);
    pos = until;
    if (e == ctx.eventCount) break;
    const NoteEvent& ev = ctx.events[e];
    switch (ev.type) {
      case NoteEvent::Type::NoteOn: noteOn(ev.pitch, ev.velocity); break;
      case NoteEvent::Type::NoteOff: noteOff(ev.pitch); break;
      case NoteEvent::Type::AllNotesOff: allNotesOff(); break;
      case NoteEvent::Type::PitchBend: bend_.setTarget(std::clamp(ev.velocity, -1.0f, 1.0f)); break;
      case NoteEvent::Type::ModWheel: mod_.setTarget(std::clamp(ev.velocity, 0.0f, 1.0f)); break;
    }
  }
  for (int c = stereo_ ? 2 : 1; c < ctx.outputChannels; ++c)
    std::memcpy(ctx.outputs[c], out, sizeof(float) * static_cast<size_t>(ctx.frames));
  int n = 0;
  for (auto& v : voices_) n += v.active ? 1 : 0;
  activeVoices_.store(n, std::memory_order_relaxed);
}

}  // namespace mixdown
