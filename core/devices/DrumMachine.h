// The built-in drum machine (mixdown.drums): twelve synthesized voices on General MIDI drum notes, no
// samples, so a song that uses it still fits in a share link. Each voice is one-shot (note-offs are
// ignored) and monophonic (a new hit restarts it); the closed hat (42, and the pedal hat 44) chokes the
// open hat.
//
//   kick 36 (and 35)  sine with an exponential pitch sweep, a noise click, soft saturation (tone)
//   rim 37            two tuned partials (455, 1667 Hz), clipped, through a high-pass (tone)
//   snare 38 (and 40) two tuned modes (185, 330 Hz) with a small sweep + band-limited noise (snappy)
//   clap 39           band-passed noise, four re-triggers `clap.spread` apart, then the tail
//   low/mid/high tom  41 and 43, 47 and 45, 50 and 48 (GM's floor, low and high pairs): sines (90, 130,
//                     180 Hz) with a sweep, an overtone and a strike (tone)
//   closed/open hat   42 and 44, 46: six detuned square oscillators (the 808's 205-800 Hz) and noise,
//                     mixed by `hat.color`, through a band-pass (tone) and a high-pass
//   crash 49 and 57,  the same metallic bank (the ride's a fifth higher) with more (crash) or less noise
//   ride 51 and 53
//   cowbell 56        two squares (540, 800 Hz) through a band-pass, a two-stage decay
//
// Decay (ms) is the time a voice's envelope takes to fall 60 dB; at -100 dB (5/3 of it) the voice stops,
// exactly silent. The clap's counts from its fourth clap (3 spread after the hit); the kick's saturation
// lifts its quiet tail by drive/clip(drive) (2.6 dB at the default tone, 9.5 dB at tone 1), so its output
// gets to -60 dB of its peak at (60 + that)/60 of its decay.
//
// Every voice has tune (st), decay (ms), tone (0..1), level (dB) and pan; tune, decay, tone and
// the voice-specific controls are taken at the hit (as a drum is struck), level, pan and volume glide over
// 20 ms. Velocity scales the level and darkens the tone (`velocity` sets how much).
//
// Output depends only on the events and parameters, never on the block size: each voice runs sample by
// sample from its hit, with its own noise generator restarted from a fixed seed at every hit (every render
// of a song is the same, native or wasm). The descriptor declares it stereo, so the engine gives it two
// channels (each voice panned by the mixer strip's constant-power law); given one channel, the voices unpanned.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>

#include "devices/Device.h"
#include "dsp/Smoother.h"

namespace mixdown {

class DrumMachine final : public Device {
 public:
  // In display order (the descriptor's parameters follow it, and its noteNames: the voices' own notes in
  // this order, then the other General MIDI notes they answer, by pitch).
  enum Voice { kKick, kSnare, kClap, kRim, kClosedHat, kOpenHat, kLowTom, kMidTom, kHighTom, kCrash, kRide, kCowbell, kVoiceCount };
  // The controls every voice has.
  enum Common { kTune, kDecay, kTone, kLevel, kPan, kCommonCount };

  // Any thread.
  static const DeviceDescriptor& staticDescriptor();
  // Any thread: the voice a MIDI note plays, or -1 (unmapped notes are silent).
  static int voiceForPitch(int pitch);
  // Any thread: each voice's own note (the first of the General MIDI notes it answers).
  static int pitchOf(int voice);
  // Any thread: a parameter's index in the descriptor.
  static int paramIndex(int voice, Common control);

  // Control thread.
  DrumMachine();

  // Any thread: voices currently sounding.
  int activeVoices() const { return activeVoices_.load(std::memory_order_relaxed); }
  // Audio thread: nothing sounds, the volume has settled, every parameter has been read.
  bool idle() const noexcept override { return activeVoices() == 0 && !volume_.ramping() && paramsSeen(); }

 protected:
  void onPrepare() override;
  void onReset() override;
  void onProcess(const ProcessContext& context) noexcept override;

 private:
  // The topology-preserving state-variable filter (as dsp/Svf.h) with all three outputs, float state. A
  // voice stops at -100 dB, long before its filters' states could fall into subnormals, and clears them at
  // its next hit.
  struct Filter {
    float g = 0.0f, k = 1.0f, a1 = 1.0f, a2 = 0.0f, a3 = 0.0f, ic1 = 0.0f, ic2 = 0.0f;
    void set(double hz, double q, double sampleRate);
    void clear() { ic1 = ic2 = 0.0f; }
  };

  // One voice's state: what its hit latched and what runs sample by sample. Fields unused by a voice's
  // kind stay zero.
  struct VoiceState {
    bool active = false;
    std::int64_t samples = 0;    // since the hit
    float velocityGain = 1.0f;
    std::uint32_t noise = 1;
    // Sines: two magic-circle oscillators (sin, cos) turning `angle` radians per sample (times 1 + sweep).
    float sine[2] = {}, cosine[2] = {}, angle[2] = {};
    std::uint32_t squarePhase[6] = {}, squareIncrement[6] = {};  // squares: 2^32 per cycle
    float sweep = 0.0f, sweepCoef = 0.0f;      // pitch offset (ratio - 1), decaying to 0
    float env = 0.0f, envCoef = 0.0f;          // the main amplitude
    float env2 = 0.0f, env2Coef = 0.0f;        // a second part: click, body, overtone, splash, spike
    float env3 = 0.0f, env3Coef = 0.0f;        // a third (the toms' strike)
    float mix = 0.0f, mix2 = 0.0f;             // kind-specific balances
    float drive = 1.0f, driveNorm = 1.0f;      // kick saturation
    int burst = 0;                             // clap: re-triggers done
    int burstSpacing = 1;                      // clap: samples between re-triggers
    float burstCoef = 0.0f;
    Filter f1, f2;
    LinearSmoother left, right, mono;  // the voice's gains (level and pan)
    double levelDb = 0.0, pan = 0.0;   // what they were computed from (NaN after reset: compute)
  };

  void readParams();
  void hit(int voice, float velocity);
  int renderVoice(int voice, float* out, int n);
  void renderSpan(const ProcessContext& ctx, int from, int to);
  double p(int index) const { return param(index); }

  std::array<VoiceState, kVoiceCount> voices_{};
  std::atomic<int> activeVoices_{0};
  LinearSmoother volume_;
  double volumeDb_ = 0.0;  // what volume_'s target was computed from
};

}  // namespace mixdown
