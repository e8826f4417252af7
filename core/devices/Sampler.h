// The sampler (mixdown.sampler): plays zones of recorded audio (devices/SampleZone.h) over key and
// velocity ranges, 32 voices, each zone with its start and end, loop (off, forward with an optional
// cross-fade, ping-pong), tune, gain, pan, amplitude ADSR, one-shot or gated, choke group (group/off_by)
// and trigger (attack, release, first, legato). Always stereo: a mono sample is panned by the
// constant-power law (-3.01 dB per side at the centre, as the mixer strip pans a mono track), a stereo
// sample balanced.
//
// Interpolation: a Kaiser-windowed sinc (kHalfWidth = 16 zero crossings each side, 32 taps, beta 9,
// cut-off 0.45 of the output's sample rate), read from a table of kTablePoints points per sample with
// linear interpolation between them. Why this kernel: linear or cubic interpolation leaves images only
// 30-60 dB down, a sample played an octave up must keep its aliases 80 dB down, and a windowed sinc is the
// kernel whose stopband the window sets (Kaiser's beta 9: about -90 dB) while its length sets the
// transition (32 taps: from 0.35 to 0.55 of the rate), so what aliases lands above 0.45 fs. Played above
// its recorded pitch (ratio r > 1) the kernel is stretched by r (its cut-off follows the output's Nyquist
// frequency; 32 r taps), up to r = kMaxStretch (two octaves up); above that aliases rise. Table points
// are interpolated linearly: at 1024 points per sample the error stays near -100 dB.
//
// Zones and their audio come from the engine (setZones) before the device plays; a sampler with other
// zones is a new device (the engine replaces it, fading the old one's voices out). Output depends only on
// the events, parameters and zones, never on the block size; it is plain IEEE arithmetic (the kernel
// table is built once, in double, rounded to float), so wasm and native builds render the same bits.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "devices/Device.h"
#include "devices/SampleZone.h"
#include "dsp/Envelope.h"
#include "dsp/Smoother.h"

namespace mixdown {

class Sampler final : public Device {
 public:
  static constexpr int kVoices = 32;
  static constexpr int kHalfWidth = 16;      // zero crossings of the kernel on each side (32 taps unstretched)
  static constexpr int kTablePoints = 1024;  // kernel table points per sample of distance
  static constexpr double kMaxStretch = 4.0; // the kernel widens with the pitch ratio up to this
  static constexpr double kChokeMs = 5.0;    // a choked voice fades out over this (ms)

  enum Param { kVolume, kVelocity, kTune, kBendRange, kParamCount };
  // Pitch bend (NoteEvent::PitchBend) glides over this (ms), so a 7-bit wheel's steps never click. The
  // sampler has no mod-wheel target (it ignores NoteEvent::ModWheel).
  static constexpr double kBendMs = 5.0;

  // A zone as the sampler plays it: the model's values and the asset's decoded audio at the engine's rate.
  struct Zone {
    SampleZone spec;
    std::shared_ptr<const void> owner;  // keeps the audio alive (the engine's AssetPcm)
    const float* data[2] = {nullptr, nullptr};
    int channels = 0;                   // 0: the asset is missing (the zone is silent)
    std::int64_t frames = 0;
    double scale = 1.0;                 // engine frames per asset frame (spec positions are asset frames)
    bool operator==(const Zone& o) const {
      return spec == o.spec && owner == o.owner && data[0] == o.data[0] && data[1] == o.data[1] && channels == o.channels &&
             frames == o.frames && scale == o.scale;
    }
  };

  // Any thread.
  static const DeviceDescriptor& staticDescriptor();
  // Control thread.
  Sampler();

  // Control thread, before the device is handed to the audio thread (after prepare() or before it).
  void setZones(std::vector<Zone> zones);
  // Control thread: the zones it plays.
  const std::vector<Zone>& zones() const { return zones_; }

  // Any thread: voices currently sounding.
  int activeVoices() const { return activeVoices_.load(std::memory_order_relaxed); }
  // Audio thread: nothing sounds, the volume has settled, every parameter has been read.
  bool idle() const noexcept override { return activeVoices() == 0 && !volume_.ramping() && paramsSeen(); }

 protected:
  void onPrepare() override;
  void onReset() override;
  void onProcess(const ProcessContext& context) noexcept override;

 private:
  // A zone's values at the engine's rate, derived once from its spec.
  struct Playable {
    std::int64_t start = 0, end = 0, loopStart = 0, loopEnd = 0, crossfade = 0;
    double rootKey = 60.0;  // with the zone's tune folded in (fractional key)
    float left = 1.0f, right = 1.0f;  // gain with pan
    AdsrShape shape;
    bool loops = false;
  };
  struct Voice {
    bool active = false;
    int zone = -1;
    std::uint8_t pitch = 0;
    bool gated = true;        // released by its key's note-off
    bool wrapped = false;     // has looped at least once
    int direction = 1;        // ping-pong: +1 forward, -1 backward
    double position = 0.0;    // engine frames into the asset
    double step = 1.0;        // frames per output sample
    float gain = 1.0f;        // velocity
    AdsrEnvelope env;
    int chokeLeft = 0;        // samples of the choke fade left (0: not choked)
    std::uint64_t age = 0;    // start order, for stealing
  };

  void derive();
  void noteOn(int pitch, float velocity, bool release) noexcept;
  void startVoice(int zone, int pitch, float velocity) noexcept;
  // `rate`: the pitch bend's playback-rate factor per frame, or null while the wheel rests (factor 1).
  void renderVoice(Voice& v, float* left, float* right, const float* rate, int frames) noexcept;
  void readFrame(const Zone& z, const Playable& p, const Voice& v, std::int64_t index, double frac, double stretch, float& left,
                 float& right) const noexcept;

  std::vector<Zone> zones_;
  std::vector<Playable> playable_;
  std::vector<float> scratch_;  // maxBlock: the right channel when given one output
  std::array<Voice, kVoices> voices_{};
  std::array<float, 128> keyVelocity_{};  // the velocity each held key was struck with (release triggers)
  std::array<bool, 128> keyHeld_{};
  int heldKeys_ = 0;
  std::uint64_t started_ = 0;
  std::atomic<int> activeVoices_{0};
  LinearSmoother volume_;
  LinearSmoother bend_;       // -1..1 of kBendRange
  std::vector<float> rate_;   // maxBlock: 2^(bend semitones / 12) per frame
  int chokeSamples_ = 240;
};

}  // namespace mixdown
