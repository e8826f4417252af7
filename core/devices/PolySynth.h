// The built-in polyphonic synthesizer (mixdown.polysynth): 16 voices. Each voice has two band-limited
// wavetable oscillators (sine, triangle, saw, square; oscillator 1 may be noise instead), a sub
// oscillator one or two octaves down and a noise source, each with its own level; unison of up to 8
// detuned copies of both oscillators spread across the stereo field; a low-, high- or band-pass
// state-variable filter at 12 or 24 dB/oct with its own ADSR, envelope amount and key tracking; an
// amplitude ADSR; a pitch envelope (for drums); an LFO (free in Hz or synced to the tempo) to pitch,
// cutoff and amplitude; glide, in poly, mono or legato voice modes; velocity.
//
// Mono unless unison spreads voices across the stereo field (descriptor's outputChannels): the mixer
// strip then pans the synth. A patch that uses none of the newer controls (oscillator 2, sub, noise,
// unison, high- and band-pass, 24 dB, LFO, glide, key tracking at their defaults) renders through the
// original voice loop, bit for bit as before they existed, and costs what it cost.
//
// Output depends only on the events and parameters, never on how the timeline is cut into blocks:
// every voice runs sample by sample and recomputes its filter and pitch every kControlInterval of its
// own samples, counted from its note-on (the LFO and glide move on that grid too).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>

#include "devices/Device.h"
#include "dsp/Envelope.h"
#include "dsp/Lfo.h"
#include "dsp/Smoother.h"
#include "dsp/Svf.h"
#include "dsp/WavetableBank.h"

namespace mixdown {

class PolySynth final : public Device {
 public:
  static constexpr int kVoices = 16;
  static constexpr int kControlInterval = 32;  // samples between filter/pitch updates of a voice
  static constexpr int kMaxUnison = 8;
  // Live controllers (NoteEvent::PitchBend and ModWheel). The wheels glide over kWheelMs so a stepped
  // 7-bit wheel or a jump never clicks; the mod wheel adds vibrato to every voice, in phase (as a
  // keyboard's wheel into one LFO does): a sine of kModVibratoHz, up to +-kModVibratoSemitones at full wheel.
  static constexpr double kWheelMs = 5.0;
  static constexpr double kModVibratoHz = 5.5;
  static constexpr double kModVibratoSemitones = 0.5;

  // Parameter indices (the descriptor's order). Ids are stable; indices are this build's only.
  enum Param {
    kWave, kOctave, kDetune, kAttack, kDecay, kSustain, kRelease,
    kCutoff, kResonance, kFilterEnv, kFilterAttack, kFilterDecay, kFilterSustain, kFilterRelease,
    kVelocity, kPitchEnv, kPitchDecay, kVolume,
    // Added with the second oscillator; each defaults to the sound from before it existed.
    kOsc1Level, kOsc2Wave, kOsc2Level, kOsc2Octave, kOsc2Semitones, kOsc2Detune,
    kSubLevel, kSubWave, kSubOctave, kSubDetune, kNoiseLevel,
    kUnison, kUnisonDetune, kUnisonSpread,
    kFilterType, kFilterSlope, kKeyTrack,
    kLfoShape, kLfoRate, kLfoSync, kLfoDivision, kLfoPitch, kLfoCutoff, kLfoAmp,
    kVoiceMode, kGlide,
    // Added with live playing: how far a full pitch-bend wheel moves every voice (semitones).
    kBendRange,
    kParamCount
  };
  enum class FilterType { LowPass, HighPass, BandPass };
  enum class VoiceMode {
    Poly,   // every note its own voice; with glide, a new note slides from the last note played
    Mono,   // one voice, last note wins; every note restarts the envelopes; with glide, every note slides
    Legato  // one voice; a note played while another is held slides there without restarting the envelopes
  };

  // Any thread.
  static const DeviceDescriptor& staticDescriptor();
  // Any thread: the length of one LFO cycle (beats) for a division index of kLfoDivision.
  static double beatsPerLfoCycle(int division);
  // Control thread.
  PolySynth();

  // Any thread: voices currently sounding.
  int activeVoices() const { return activeVoices_.load(std::memory_order_relaxed); }
  // Audio thread: no voice sounds and the volume and cutoff glides have settled.
  bool idle() const noexcept override {
    return activeVoices() == 0 && !volume_.ramping() && !cutoffOctaves_.ramping() && paramsSeen();
  }
  // Audio thread, between process() calls: the LFO is synced to the tempo and modulates something.
  bool followsTempo() const noexcept override;

 protected:
  void onPrepare() override;
  void onReset() override;
  void onProcess(const ProcessContext& context) noexcept override;

 private:
  struct Voice {
    bool active = false;
    int pitch = 0;
    float velocityGain = 1.0f;
    std::uint64_t age = 0;         // note-on order, for stealing
    std::int64_t samples = 0;      // samples since note-on
    // The original loop's oscillator: turns in 32-bit fixed point (2^32 is a cycle), so the phase wraps by
    // itself and indexes its table without a float-to-int conversion (a range-checked one in wasm).
    std::uint32_t phase = 0;
    std::uint32_t increment = 0;   // per sample, the same fixed point (a frequency's error under 6e-6 Hz)
    bool layeredLast = false;      // the layered loop (unisonPhase[0]) ran last, not the original loop (phase)
    double baseHz = 440.0;
    const float* table = nullptr;
    int tableIndex = 0;
    // What control() last computed from (the increment and table for a pitch in Hz, the filter for a
    // cutoff in octaves and a Q): it recomputes only when they move.
    double controlHz = 0.0, controlOctaves = 0.0, controlQ = 0.0;  // set to NaN at note-on
    std::uint32_t noise = 1;
    float pitchEnv = 0.0f;         // semitones, decays toward 0
    AdsrEnvelope amp, filter;
    StateVariableFilter svf;
    // The newer controls' state (untouched by the original voice loop).
    double keyOctaves = 0.0;       // key tracking's cutoff offset (octaves) for this note
    double glideFrom = 0.0;        // semitones from the target where the glide started
    int glideSteps = 0, glideStep = 0;  // control steps the glide takes, and taken
    double glideNow = 0.0;         // the glide's offset (semitones) at the last control step
    double lfoPhase = 0.0;         // turns, 0 at note-on
    double lfoHeld = 0.0;          // the Random shape's value for this cycle
    std::uint32_t lfoSeed = 1;
    float ampLfoFrom = 1.0f, ampLfoTo = 1.0f;  // the amplitude LFO's gain at the last two control steps
    std::uint32_t controlEpoch = 0;  // layerEpoch_ when the layered increments were last computed
    double unisonPhase[kMaxUnison] = {}, unisonIncrement[kMaxUnison] = {};  // oscillator 1 (copy 0 = phase)
    double osc2Phase[kMaxUnison] = {}, osc2Increment[kMaxUnison] = {};
    double subPhase = 0.0, subIncrement = 0.0;
    const float* table1 = nullptr;  // oscillator 1's table for the highest unison copy
    const float* table2 = nullptr;
    const float* tableSub = nullptr;
    StateVariableFilter svfRight, svf2, svf2Right;  // the right channel's, and the 24 dB second stages
  };

  void noteOn(int pitch, float velocity);
  void noteOff(int pitch);
  void allNotesOff();
  void startVoice(Voice& v, int pitch, float velocity);
  void retune(Voice& v, int pitch, double fromSemitones, bool glide);
  // `wheelSemitones`: the pitch bend and mod-wheel vibrato at this sample (0 when both rest).
  void control(Voice& v, float cutoffOctaves, float wheelSemitones);
  void controlLayers(Voice& v, double hz);
  void layerFilters(Voice& v, double octaves);
  void renderVoice(Voice& v, float* sum, const float* cutoffOctaves, const float* wheelSemitones, int n);
  void renderLayeredVoice(Voice& v, float* sumL, float* sumR, const float* cutoffOctaves, const float* wheelSemitones, int n);
  void renderSpan(float* outL, float* outR, int from, int to);
  void readParams(double tempo, int outputChannels);
  double currentSemitones(const Voice& v) const;  // the pitch a voice sounds now (MIDI semitones)
  // Turns in [0, 1) (a phase, or cycles per sample under Nyquist) to the voices' 32-bit fixed point and back.
  static constexpr double kPhaseScale = 4294967296.0;  // 2^32: one cycle
  static std::uint32_t turnsToPhase(double turns) {
    return static_cast<std::uint32_t>(std::min(turns * kPhaseScale + 0.5, kPhaseScale - 1.0));
  }
  static double phaseToTurns(std::uint32_t phase) { return phase * (1.0 / kPhaseScale); }
  // Shared by all voices, set per block; the filter's is per control step (AdsrShape::perStep).
  AdsrShape ampShape_, filterShape_;

  std::shared_ptr<const WavetableBank> bank_;
  std::array<Voice, kVoices> voices_{};
  std::uint64_t noteCounter_ = 0;
  std::atomic<int> activeVoices_{0};
  // Mono and legato: the held notes, oldest first (the newest sounds; releasing it returns to the one before).
  std::array<std::uint8_t, kVoices> held_{};
  int heldCount_ = 0;
  double lastSemitones_ = -1.0;  // the pitch (MIDI semitones) of the last note played, -1 before any

  // Parameter values read at the start of each block (audio thread).
  Waveform wave_ = Waveform::Saw;
  double pitchRatio_ = 1.0;
  double q_ = 0.7, filterEnvOct_ = 0.0, velocitySens_ = 0.7;
  double pitchEnvSt_ = 0.0, pitchDecayCoef_ = 0.0;
  double pitchDecayStep_ = 1.0;  // pitchDecayCoef_ ^ kControlInterval: the pitch envelope per control step
  LinearSmoother volume_;
  LinearSmoother cutoffOctaves_;  // log2(cutoff in Hz)
  // The wheels: bend -1..1 of kBendRange, mod 0..1, each gliding; the vibrato's phase (turns) runs only
  // while the mod wheel is up and restarts at 0 when it is back at rest.
  LinearSmoother bend_, mod_;
  double vibratoPhase_ = 0.0;

  // The newer controls, read per block.
  bool layered_ = false;  // anything the original voice loop does not do: renderLayeredVoice
  bool stereo_ = false;   // unison spread over two output channels
  float osc1Level_ = 1.0f, osc2Level_ = 0.0f, subLevel_ = 0.0f, noiseLevel_ = 0.0f;
  Waveform wave2_ = Waveform::Saw, subWave_ = Waveform::Sine;
  double osc2Ratio_ = 1.0, subRatio_ = 0.5;  // against oscillator 1
  int unison_ = 1;
  double unisonRatio_[kMaxUnison] = {1.0}, unisonTop_ = 1.0;  // each copy's pitch ratio, and the highest
  float unisonLeft_[kMaxUnison] = {}, unisonRight_[kMaxUnison] = {};  // each copy's gains
  float centreLeft_ = 1.0f, centreRight_ = 1.0f;  // the sub's and the noise's (the centre)
  std::uint32_t layerEpoch_ = 1;  // bumped when a ratio above moves, so voices recompute increments
  double layerKey_[14] = {};       // what the ratios were computed from
  FilterType filterType_ = FilterType::LowPass;
  bool slope24_ = false;
  double keyTrack_ = 0.0;
  LfoShape lfoShape_ = LfoShape::Sine;
  double lfoStep_ = 0.0;  // LFO turns per control step
  double lfoPitch_ = 0.0, lfoCutoff_ = 0.0, lfoAmp_ = 0.0;
  bool lfoOn_ = false;
  VoiceMode voiceMode_ = VoiceMode::Poly;
  double glideSamples_ = 0.0;
};

}  // namespace mixdown
