// The built-in polyphonic synthesizer: 16 voices, band-limited wavetable oscillator (sine, triangle,
// saw, square) or noise, amplitude ADSR, resonant low-pass (state-variable) with its own ADSR and
// envelope amount, pitch envelope (for drums), velocity. Mono output; the mixer strip pans it.
//
// Output depends only on the events and parameters, never on how the timeline is cut into blocks:
// every voice runs sample by sample and recomputes its filter and pitch every kControlInterval of its
// own samples, counted from its note-on.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "devices/Device.h"
#include "dsp/Envelope.h"
#include "dsp/Smoother.h"
#include "dsp/Svf.h"
#include "dsp/WavetableBank.h"

namespace mixdown {

class PolySynth final : public Device {
 public:
  static constexpr int kVoices = 16;
  static constexpr int kControlInterval = 32;  // samples between filter/pitch updates of a voice

  enum Param {
    kWave, kOctave, kDetune, kAttack, kDecay, kSustain, kRelease,
    kCutoff, kResonance, kFilterEnv, kFilterAttack, kFilterDecay, kFilterSustain, kFilterRelease,
    kVelocity, kPitchEnv, kPitchDecay, kVolume, kParamCount
  };

  // Any thread.
  static const DeviceDescriptor& staticDescriptor();
  // Control thread.
  PolySynth();

  // Any thread: voices currently sounding.
  int activeVoices() const { return activeVoices_.load(std::memory_order_relaxed); }
  // Audio thread: no voice sounds and the volume and cutoff glides have settled.
  bool idle() const noexcept override {
    return activeVoices() == 0 && !volume_.ramping() && !cutoffOctaves_.ramping() && paramsSeen();
  }

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
    double phase = 0.0;            // 0..1
    double increment = 0.0;        // cycles per sample
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
  };

  void noteOn(int pitch, float velocity);
  void noteOff(int pitch);
  void allNotesOff();
  void startVoice(Voice& v, int pitch, float velocity);
  void control(Voice& v, float cutoffOctaves);
  void renderVoice(Voice& v, float* sum, const float* cutoffOctaves, int n);
  void renderSpan(float* out, int from, int to);
  void readParams();
  AdsrShape ampShape_, filterShape_;  // shared by all voices, set per block

  std::shared_ptr<const WavetableBank> bank_;
  std::array<Voice, kVoices> voices_{};
  std::uint64_t noteCounter_ = 0;
  std::atomic<int> activeVoices_{0};

  // Parameter values read at the start of each block (audio thread).
  Waveform wave_ = Waveform::Saw;
  double pitchRatio_ = 1.0;
  double q_ = 0.7, filterEnvOct_ = 0.0, velocitySens_ = 0.7;
  double pitchEnvSt_ = 0.0, pitchDecayCoef_ = 0.0;
  double pitchDecayStep_ = 1.0;  // pitchDecayCoef_ ^ kControlInterval: the pitch envelope per control step
  LinearSmoother volume_;
  LinearSmoother cutoffOctaves_;  // log2(cutoff in Hz)
};

}  // namespace mixdown
