#include "devices/DrumMachine.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

#include "dsp/Decibels.h"
#include "dsp/FastTanh.h"

namespace mixdown {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr float kSilent = 1e-5f;  // -100 dB: an envelope below this is over (and set to exact zero)

// What a voice is by default: its id and name, its General MIDI note, and the defaults of its five
// common controls (tune is always 0 st). Together the defaults are a balanced modern kit.
struct VoiceSpec {
  const char* id;
  const char* name;
  int pitch;
  double decayMs, tone, levelDb, pan;
};
constexpr VoiceSpec kSpecs[DrumMachine::kVoiceCount] = {
    {"kick", "Kick", 36, 450, 0.3, -3, 0},
    {"snare", "Snare", 38, 220, 0.5, -3, 0},
    {"clap", "Clap", 39, 320, 0.5, -6, 0},
    {"rim", "Rim", 37, 45, 0.5, -8, 0},
    {"closedHat", "Closed hat", 42, 70, 0.5, -9, 0.15},
    {"openHat", "Open hat", 46, 500, 0.5, -10, 0.15},
    {"lowTom", "Low tom", 41, 650, 0.4, -6, -0.3},
    {"midTom", "Mid tom", 47, 550, 0.4, -5, 0},
    {"highTom", "High tom", 50, 450, 0.4, -6, 0.3},
    {"crash", "Crash", 49, 1800, 0.5, -12, -0.25},
    {"ride", "Ride", 51, 2600, 0.5, -10, 0.25},
    {"cowbell", "Cowbell", 56, 380, 0.4, -9, 0},
};

// Where each parameter sits in the descriptor (filled once, with it).
struct Layout {
  int common[DrumMachine::kVoiceCount][DrumMachine::kCommonCount] = {};
  int kickSweep = 0, kickSweepTime = 0, kickClick = 0, snareSnappy = 0, clapSpread = 0, hatColor = 0, velocity = 0, volume = 0;
};
Layout gLayout;

ParamDescriptor param(const std::string& id, const std::string& name, const char* unit, double min, double max, double def,
                      ParamScale scale = ParamScale::Linear, double smoothingMs = 0.0) {
  ParamDescriptor p = makeParam("", "", unit, min, max, def, scale, smoothingMs);
  p.id = id;
  p.name = name;
  return p;
}

DeviceDescriptor makeDescriptor() {
  DeviceDescriptor d;
  d.id = "mixdown.drums";
  d.name = "Drum Machine";
  d.kind = DeviceKind::Instrument;
  auto add = [&d](ParamDescriptor p) {
    d.params.push_back(std::move(p));
    return static_cast<int>(d.params.size()) - 1;
  };
  for (int v = 0; v < DrumMachine::kVoiceCount; ++v) {
    const VoiceSpec& s = kSpecs[v];
    const std::string id = s.id, name = s.name;
    d.noteNames.push_back({s.pitch, name});
    int* c = gLayout.common[v];
    c[DrumMachine::kTune] = add(param(id + ".tune", name + " tune", "st", -24, 24, 0));
    c[DrumMachine::kDecay] = add(param(id + ".decay", name + " decay", "ms", 5, 10000, s.decayMs, ParamScale::Logarithmic));
    c[DrumMachine::kTone] = add(param(id + ".tone", name + " tone", "", 0, 1, s.tone));
    c[DrumMachine::kLevel] = add(param(id + ".level", name + " level", "dB", -60, 6, s.levelDb, ParamScale::Linear, 20));
    c[DrumMachine::kPan] = add(param(id + ".pan", name + " pan", "", -1, 1, s.pan, ParamScale::Linear, 20));
    switch (v) {
      case DrumMachine::kKick:
        gLayout.kickSweep = add(param("kick.sweep", "Kick sweep", "st", 0, 48, 26));
        gLayout.kickSweepTime = add(param("kick.sweepTime", "Kick sweep time", "ms", 2, 500, 45, ParamScale::Logarithmic));
        gLayout.kickClick = add(param("kick.click", "Kick click", "", 0, 1, 0.35));
        break;
      case DrumMachine::kSnare: gLayout.snareSnappy = add(param("snare.snappy", "Snare snappy", "", 0, 1, 0.55)); break;
      case DrumMachine::kClap: gLayout.clapSpread = add(param("clap.spread", "Clap spread", "ms", 2, 30, 10, ParamScale::Logarithmic)); break;
      case DrumMachine::kOpenHat: gLayout.hatColor = add(param("hat.color", "Hat metallic colour", "", 0, 1, 0.75)); break;
      default: break;
    }
  }
  gLayout.velocity = add(param("velocity", "Velocity sensitivity", "", 0, 1, 0.75));
  gLayout.volume = add(param("volume", "Volume", "dB", -60, 12, 0, ParamScale::Linear, 20));
  return d;
}

const Layout& layout() {
  DrumMachine::staticDescriptor();  // fills gLayout
  return gLayout;
}

// The 808's six hat and cymbal oscillators (Hz): square waves at inharmonic ratios.
constexpr double kMetalHz[6] = {205.3, 304.4, 369.6, 522.7, 540.0, 800.0};

// sin(2 pi p) for a phase p in [0, 1), in plain arithmetic (the same bits in wasm and natively): folded
// to [-1/4, 1/4] cycle, then the Taylor series to the 11th power (error below 6e-8).
inline float sineOfCycle(double p) {
  double x = p < 0.5 ? p : p - 1.0;
  if (x > 0.25) x = 0.5 - x;
  else if (x < -0.25) x = -0.5 - x;
  const double t = 2.0 * kPi * x, t2 = t * t;
  return static_cast<float>(
      t * (1.0 + t2 * (-1.0 / 6 + t2 * (1.0 / 120 + t2 * (-1.0 / 5040 + t2 * (1.0 / 362880 - t2 * (1.0 / 39916800)))))));
}

// The polyBLEP correction for a step at phase 0 of a phase `t` moving `dt` per sample.
inline double blep(double t, double dt, double invDt) {
  if (t < dt) {
    t *= invDt;
    return t + t - t * t - 1.0;
  }
  if (t > 1.0 - dt) {
    t = (t - 1.0) * invDt;
    return t * t + t + t + 1.0;
  }
  return 0.0;
}

// A band-limited square (+-1) at phase p.
inline double square(double p, double dt, double invDt) {
  double q = p + 0.5;
  if (q >= 1.0) q -= 1.0;
  return (p < 0.5 ? 1.0 : -1.0) + blep(p, dt, invDt) - blep(q, dt, invDt);
}

inline void advance(double& phase, double increment) {
  phase += increment;
  if (phase >= 1.0) phase -= std::floor(phase);
}

inline float whiteNoise(std::uint32_t& seed) {
  seed = seed * 1664525u + 1013904223u;
  return static_cast<float>(static_cast<std::int32_t>(seed)) * (1.0f / 2147483648.0f);
}

// One step of a decay: below -100 dB it is exactly zero (and stays there), so it never turns subnormal.
inline void decay(float& level, float coef) {
  level *= coef;
  if (level < kSilent) level = 0.0f;
}

}  // namespace

void DrumMachine::Filter::set(double hz, double q, double sampleRate) {
  const double fc = std::clamp(hz, 10.0, 0.45 * sampleRate);
  const double gd = std::tan(kPi * fc / sampleRate);
  const double kd = 1.0 / std::max(q, 0.1);
  const double a1d = 1.0 / (1.0 + gd * (gd + kd));
  g = static_cast<float>(gd);
  k = static_cast<float>(kd);
  a1 = static_cast<float>(a1d);
  a2 = static_cast<float>(gd * a1d);
  a3 = static_cast<float>(gd * gd * a1d);
}

namespace {
// The filter's three outputs for one input sample; the band-pass is normalised to 0 dB at its centre.
struct FilterOut {
  float low, band, high;
};
template <typename F>
inline FilterOut tick(F& f, float x) {
  const float v3 = x - f.ic2;
  const float v1 = f.a1 * f.ic1 + f.a2 * v3;
  const float v2 = f.ic2 + f.a2 * f.ic1 + f.a3 * v3;
  f.ic1 = 2.0f * v1 - f.ic1;
  f.ic2 = 2.0f * v2 - f.ic2;
  return {v2, f.k * v1, x - f.k * v1 - v2};
}
}  // namespace

const DeviceDescriptor& DrumMachine::staticDescriptor() {
  static const DeviceDescriptor d = makeDescriptor();
  return d;
}

int DrumMachine::voiceForPitch(int pitch) {
  if (pitch == 35) return kKick;   // Acoustic Bass Drum
  if (pitch == 40) return kSnare;  // Electric Snare
  for (int v = 0; v < kVoiceCount; ++v)
    if (kSpecs[v].pitch == pitch) return v;
  return -1;
}

int DrumMachine::pitchOf(int voice) { return voice >= 0 && voice < kVoiceCount ? kSpecs[voice].pitch : -1; }

int DrumMachine::paramIndex(int voice, Common control) { return layout().common[voice][control]; }

DrumMachine::DrumMachine() : Device(staticDescriptor()) {}

void DrumMachine::onPrepare() {
  for (auto& v : voices_) {
    v.left.prepare(sampleRate(), 20.0);
    v.right.prepare(sampleRate(), 20.0);
    v.mono.prepare(sampleRate(), 20.0);
  }
  volume_.prepare(sampleRate(), 20.0);
}

void DrumMachine::onReset() {
  for (auto& v : voices_) {
    v.active = false;
    v.f1.clear();
    v.f2.clear();
  }
  readParams();
  volume_.snap(dbToGain(p(layout().volume)));
  activeVoices_.store(0, std::memory_order_relaxed);
}

// Level and pan become each voice's left, right and mono gains: glided while it sounds, set at once while
// it is silent (nothing to hear, and a hit then starts at the new values).
void DrumMachine::readParams() {
  const Layout& l = layout();
  for (int i = 0; i < kVoiceCount; ++i) {
    VoiceState& v = voices_[static_cast<std::size_t>(i)];
    const float gain = dbToGain(p(l.common[i][kLevel]));
    // The mixer strip's law for a mono source: cos/sin of (pan + 1) pi/4, -3 dB each side at the centre.
    const double theta = (std::clamp(p(l.common[i][kPan]), -1.0, 1.0) + 1.0) * kPi / 4.0;
    float left = static_cast<float>(std::cos(theta)), right = static_cast<float>(std::sin(theta));
    if (left < 1e-7f) left = 0.0f;  // cos(pi/2) is 6e-17: hard right is silence on the left
    if (right < 1e-7f) right = 0.0f;
    if (v.active) {
      v.left.setTarget(gain * left);
      v.right.setTarget(gain * right);
      v.mono.setTarget(gain);
    } else {
      v.left.snap(gain * left);
      v.right.snap(gain * right);
      v.mono.snap(gain);
    }
  }
  volume_.setTarget(dbToGain(p(l.volume)));
}

// Audio thread: strikes a voice (restarting it if it sounds), latching its tune, decay, tone and
// voice-specific controls. A few exp/pow/tan per hit, none per sample.
void DrumMachine::hit(int voice, float velocity) {
  const Layout& l = layout();
  const double sr = sampleRate();
  auto coef = [sr](double ms) { return static_cast<float>(std::exp(-6.907755278982137 / std::max(1.0, ms * 0.001 * sr))); };
  const int* c = l.common[voice];
  const double ratio = std::pow(2.0, p(c[kTune]) / 12.0);
  const double decayMs = p(c[kDecay]);
  const double tone = std::clamp(p(c[kTone]), 0.0, 1.0);
  const double sens = std::clamp(p(l.velocity), 0.0, 1.0);
  const double vel = std::clamp(static_cast<double>(velocity), 0.0, 1.0);
  // A softer hit is quieter and up to half an octave darker (the filters of the tone control move).
  const double bright = std::pow(2.0, -0.5 * sens * (1.0 - vel));

  if (voice == kClosedHat) {  // the closed hat chokes the open hat: -60 dB in 3 ms
    VoiceState& open = voices_[kOpenHat];
    if (open.active) open.envCoef = open.env2Coef = coef(3.0);
  }

  VoiceState& v = voices_[static_cast<std::size_t>(voice)];
  v.active = true;
  v.samples = 0;
  v.velocityGain = static_cast<float>(1.0 - sens + sens * vel);
  v.noise = 0x9E3779B9u * static_cast<std::uint32_t>(voice + 1) | 1u;  // the same noise at every hit
  for (int i = 0; i < 6; ++i) v.phase[i] = v.increment[i] = 0.0;
  v.sweep = v.sweepCoef = 0.0f;
  v.env = 1.0f;
  v.envCoef = coef(decayMs);
  v.env2 = v.env2Coef = 0.0f;
  v.env3 = v.env3Coef = 0.0f;
  v.mix = v.mix2 = 0.0f;
  v.drive = v.driveNorm = 1.0f;
  v.burst = 0;
  v.f1.clear();
  v.f2.clear();
  auto setMetal = [&](double scale) {
    for (int i = 0; i < 6; ++i) v.increment[i] = kMetalHz[i] * scale * ratio / sr;
  };

  switch (voice) {
    case kKick: {
      v.increment[0] = 50.0 * ratio / sr;
      v.sweep = static_cast<float>(std::pow(2.0, p(l.kickSweep) / 12.0) - 1.0);
      v.sweepCoef = coef(p(l.kickSweepTime));
      v.env2 = static_cast<float>(std::clamp(p(l.kickClick), 0.0, 1.0));  // the click, -60 dB in 8 ms
      v.env2Coef = coef(8.0);
      v.drive = static_cast<float>(0.3 + 6.0 * tone);  // tone: tanh saturation, normalised to full scale
      v.driveNorm = static_cast<float>(1.0 / std::tanh(v.drive));
      v.f1.set(3200.0 * bright, 0.8, sr);
      break;
    }
    case kSnare: {
      v.increment[0] = 185.0 * ratio / sr;
      v.increment[1] = 330.0 * ratio / sr;
      v.sweep = static_cast<float>(std::pow(2.0, 3.0 / 12.0) - 1.0);  // the heads' drop of 3 st in 20 ms
      v.sweepCoef = coef(20.0);
      v.env2 = 1.0f;  // the body rings for 60% of the noise's decay
      v.env2Coef = coef(0.6 * decayMs);
      v.mix = static_cast<float>(std::clamp(p(l.snareSnappy), 0.0, 1.0));
      v.f1.set(700.0, 0.7, sr);                                        // the noise's high-pass
      v.f2.set(2000.0 * std::pow(2.0, 3.0 * tone) * bright, 0.7, sr);  // and its low-pass: 2-16 kHz
      break;
    }
    case kClap: {
      v.burstSpacing = std::max(1, static_cast<int>(std::lround(p(l.clapSpread) * 0.001 * sr)));
      v.burstCoef = coef(3.0 * p(l.clapSpread));  // each re-trigger falls 20 dB before the next
      v.env2Coef = v.envCoef;                      // the tail, after the fourth
      v.envCoef = v.burstCoef;
      v.f1.set(500.0 * std::pow(6.0, tone) * bright, 1.4, sr);  // 0.5-3 kHz
      v.f2.set(250.0, 0.7, sr);
      break;
    }
    case kRim: {
      v.increment[0] = 455.0 * ratio / sr;
      v.increment[1] = 1667.0 * ratio / sr;
      v.env2 = 1.0f;  // a noise tick, -60 dB in 3 ms
      v.env2Coef = coef(3.0);
      v.f1.set(150.0 * std::pow(2.0, 4.0 * tone) * bright, 0.7, sr);  // high-pass 150-2400 Hz
      break;
    }
    case kLowTom:
    case kMidTom:
    case kHighTom: {
      const double hz = voice == kLowTom ? 90.0 : voice == kMidTom ? 130.0 : 180.0;
      v.increment[0] = hz * ratio / sr;
      v.increment[1] = 1.593 * hz * ratio / sr;  // a membrane's (1,1) mode
      v.sweep = static_cast<float>(std::pow(2.0, 5.0 / 12.0) - 1.0);  // 5 st down, settled in 120 ms
      v.sweepCoef = coef(120.0);
      v.env2 = 1.0f;
      v.env2Coef = coef(0.35 * decayMs);
      v.env3 = 1.0f;  // the stick's strike, -60 dB in 12 ms
      v.env3Coef = coef(12.0);
      v.mix = static_cast<float>(0.45 * tone);  // overtone and strike grow with the tone
      v.mix2 = static_cast<float>(0.1 + 0.4 * tone);
      v.f1.set(2500.0 * bright, 0.7, sr);
      break;
    }
    case kClosedHat:
    case kOpenHat: {
      setMetal(1.0);
      v.mix = static_cast<float>(std::clamp(p(l.hatColor), 0.0, 1.0));
      const double centre = 4000.0 * std::pow(2.0, 1.8 * tone) * bright;  // 4-14 kHz
      v.f1.set(centre, 1.2, sr);
      v.f2.set(0.6 * centre, 0.7, sr);
      break;
    }
    case kCrash: {
      setMetal(1.0);
      v.mix = 0.4f;  // metal against noise
      v.env2 = 1.0f;  // the first splash, -60 dB in 150 ms, over the long wash
      v.env2Coef = coef(150.0);
      const double centre = 3500.0 * std::pow(2.0, 1.6 * tone) * bright;
      v.f1.set(centre, 0.8, sr);
      v.f2.set(0.5 * centre, 0.7, sr);
      break;
    }
    case kRide: {
      setMetal(1.5);  // a fifth above the hats: the ping
      v.mix = 0.85f;
      v.env2 = 1.0f;  // the stick's tick
      v.env2Coef = coef(35.0);
      const double centre = 5000.0 * std::pow(2.0, 1.2 * tone) * bright;
      v.f1.set(centre, 2.0, sr);
      v.f2.set(0.5 * centre, 0.7, sr);
      break;
    }
    case kCowbell: {
      v.increment[0] = 540.0 * ratio / sr;
      v.increment[1] = 800.0 * ratio / sr;
      v.env2 = 1.0f;  // the strike's spike, -60 dB in 25 ms, over the ring
      v.env2Coef = coef(25.0);
      v.f1.set(500.0 * std::pow(2.0, 2.5 * tone) * bright, 1.6, sr);  // 0.5-2.8 kHz
      break;
    }
    default: break;
  }
}

// Audio thread: renders up to `n` samples of a sounding voice into `out` (replacing); returns how many
// (fewer when it falls silent, then it is no longer active). Everything runs in locals for the span.
int DrumMachine::renderVoice(int voice, float* out, int n) {
  VoiceState& v = voices_[static_cast<std::size_t>(voice)];
  const float vg = v.velocityGain;
  float env = v.env, env2 = v.env2, env3 = v.env3, sweep = v.sweep;
  const float envCoef = v.envCoef, env2Coef = v.env2Coef, env3Coef = v.env3Coef, sweepCoef = v.sweepCoef;
  std::uint32_t seed = v.noise;
  int k = 0;
  bool done = false;
  auto stepSweep = [&] {
    sweep *= sweepCoef;
    if (sweep < 1e-7f) sweep = 0.0f;
  };
  switch (voice) {
    case kKick: {
      const float drive = v.drive, norm = v.driveNorm;
      // Saturation lifts quiet signals by up to drive/tanh(drive): the body ends when even that is -100 dB.
      const float end = kSilent * std::tanh(drive) / drive;
      double ph = v.phase[0];
      const double inc = v.increment[0];
      for (; k < n; ++k) {
        const float body = static_cast<float>(fastTanh(drive * sineOfCycle(ph) * env)) * norm;
        const float click = tick(v.f1, whiteNoise(seed)).band * env2 * 2.0f;
        out[k] = (body + click) * vg;
        advance(ph, inc * (1.0 + sweep));
        stepSweep();
        env *= envCoef;
        if (env < end) env = 0.0f;
        decay(env2, env2Coef);
        if (env == 0.0f && env2 == 0.0f) {
          ++k;
          done = true;
          break;
        }
      }
      v.phase[0] = ph;
      break;
    }
    case kSnare: {
      const float snappy = v.mix;
      for (; k < n; ++k) {
        const float body = 0.65f * sineOfCycle(v.phase[0]) + 0.35f * sineOfCycle(v.phase[1]);
        const float noise = tick(v.f2, tick(v.f1, whiteNoise(seed)).high).low;
        out[k] = ((1.0f - snappy) * body * env2 + snappy * 1.8f * noise * env) * vg;
        advance(v.phase[0], v.increment[0] * (1.0 + sweep));
        advance(v.phase[1], v.increment[1] * (1.0 + sweep));
        stepSweep();
        decay(env, envCoef);
        decay(env2, env2Coef);
        if (env == 0.0f && env2 == 0.0f) {
          ++k;
          done = true;
          break;
        }
      }
      break;
    }
    case kClap: {
      float coefNow = v.envCoef;
      for (; k < n; ++k) {
        const std::int64_t t = v.samples + k;
        if (v.burst < 3 && t == static_cast<std::int64_t>(v.burst + 1) * v.burstSpacing) {
          ++v.burst;
          env = 1.0f;
          if (v.burst == 3) coefNow = v.env2Coef;  // the fourth clap carries the tail
        }
        const float x = tick(v.f2, tick(v.f1, whiteNoise(seed)).band).high;
        out[k] = x * env * 2.6f * vg;
        decay(env, coefNow);
        if (env == 0.0f && v.burst == 3) {
          ++k;
          done = true;
          break;
        }
      }
      v.envCoef = coefNow;
      break;
    }
    case kRim: {
      for (; k < n; ++k) {
        const float tones = static_cast<float>(fastTanh(2.0 * (0.6f * sineOfCycle(v.phase[0]) + 0.5f * sineOfCycle(v.phase[1]))));
        const float x = tones * env + 0.3f * whiteNoise(seed) * env2;
        out[k] = tick(v.f1, x).high * vg;
        advance(v.phase[0], v.increment[0]);
        advance(v.phase[1], v.increment[1]);
        decay(env, envCoef);
        decay(env2, env2Coef);
        if (env == 0.0f && env2 == 0.0f) {
          ++k;
          done = true;
          break;
        }
      }
      break;
    }
    case kLowTom:
    case kMidTom:
    case kHighTom: {
      const float overtone = v.mix, strike = v.mix2;
      for (; k < n; ++k) {
        const float x = sineOfCycle(v.phase[0]) * env + overtone * sineOfCycle(v.phase[1]) * env2 +
                        strike * tick(v.f1, whiteNoise(seed)).low * env3;
        out[k] = x * vg;
        advance(v.phase[0], v.increment[0] * (1.0 + sweep));
        advance(v.phase[1], v.increment[1] * (1.0 + sweep));
        stepSweep();
        decay(env, envCoef);
        decay(env2, env2Coef);
        decay(env3, env3Coef);
        if (env == 0.0f && env2 == 0.0f && env3 == 0.0f) {
          ++k;
          done = true;
          break;
        }
      }
      break;
    }
    case kClosedHat:
    case kOpenHat:
    case kCrash:
    case kRide: {
      // The metallic bank against noise, through the band-pass and the high-pass; crash and ride add their
      // first splash (env2) to the long wash (env).
      const float metal = v.mix, noiseMix = 1.0f - v.mix;
      const bool cymbal = voice == kCrash || voice == kRide;
      const float washGain = voice == kCrash ? 0.6f : voice == kRide ? 0.7f : 1.0f;
      const float splashGain = voice == kCrash ? 0.5f : voice == kRide ? 0.45f : 0.0f;
      const float makeup = cymbal ? 2.2f : 2.6f;
      double dt[6], invDt[6];
      for (int i = 0; i < 6; ++i) {
        dt[i] = v.increment[i];
        invDt[i] = 1.0 / dt[i];
      }
      for (; k < n; ++k) {
        double bank = 0.0;
        for (int i = 0; i < 6; ++i) {
          bank += square(v.phase[i], dt[i], invDt[i]);
          advance(v.phase[i], dt[i]);
        }
        const float x = metal * static_cast<float>(bank * (1.0 / 6.0)) + noiseMix * whiteNoise(seed);
        const float y = tick(v.f2, tick(v.f1, x).band).high;
        out[k] = y * (washGain * env + splashGain * env2) * makeup * vg;
        decay(env, envCoef);
        decay(env2, env2Coef);
        if (env == 0.0f && env2 == 0.0f) {
          ++k;
          done = true;
          break;
        }
      }
      break;
    }
    case kCowbell: {
      const double dt0 = v.increment[0], dt1 = v.increment[1], inv0 = 1.0 / dt0, inv1 = 1.0 / dt1;
      for (; k < n; ++k) {
        const float x = static_cast<float>(0.5 * (square(v.phase[0], dt0, inv0) + square(v.phase[1], dt1, inv1)));
        out[k] = tick(v.f1, x).band * (0.45f * env + 0.55f * env2) * 1.4f * vg;
        advance(v.phase[0], dt0);
        advance(v.phase[1], dt1);
        decay(env, envCoef);
        decay(env2, env2Coef);
        if (env == 0.0f && env2 == 0.0f) {
          ++k;
          done = true;
          break;
        }
      }
      break;
    }
    default: done = true; break;
  }
  v.env = env;
  v.env2 = env2;
  v.env3 = env3;
  v.sweep = sweep;
  v.noise = seed;
  v.samples += k;
  if (done) v.active = false;
  return k;
}

void DrumMachine::renderSpan(const ProcessContext& ctx, int from, int to) {
  constexpr int kChunk = 64;
  const bool stereo = ctx.outputChannels >= 2;
  float voice[kChunk], left[kChunk], right[kChunk];
  for (int at = from; at < to; at += kChunk) {
    const int n = std::min(kChunk, to - at);
    std::fill_n(left, n, 0.0f);
    std::fill_n(right, n, 0.0f);
    for (int i = 0; i < kVoiceCount; ++i) {
      VoiceState& v = voices_[static_cast<std::size_t>(i)];
      if (!v.active) continue;
      const int m = renderVoice(i, voice, n);
      if (stereo) {
        for (int k = 0; k < m; ++k) {
          left[k] += voice[k] * v.left.next();
          right[k] += voice[k] * v.right.next();
        }
      } else {
        for (int k = 0; k < m; ++k) left[k] += voice[k] * v.mono.next();
      }
      if (!v.active) {  // fell silent: its gains take their targets at once (see readParams)
        v.left.snap(v.left.target());
        v.right.snap(v.right.target());
        v.mono.snap(v.mono.target());
      }
    }
    float* outL = ctx.outputs[0] + at;
    if (stereo) {
      float* outR = ctx.outputs[1] + at;
      for (int k = 0; k < n; ++k) {
        const float g = volume_.next();
        outL[k] = left[k] * g;
        outR[k] = right[k] * g;
      }
    } else {
      for (int k = 0; k < n; ++k) outL[k] = left[k] * volume_.next();
    }
  }
}

void DrumMachine::onProcess(const ProcessContext& ctx) noexcept {
  readParams();
  int pos = 0;
  for (int e = 0; e <= ctx.eventCount; ++e) {
    const int until = e < ctx.eventCount ? std::clamp(ctx.events[e].frame, pos, ctx.frames) : ctx.frames;
    if (ctx.outputChannels > 0) renderSpan(ctx, pos, until);
    pos = until;
    if (e == ctx.eventCount) break;
    const NoteEvent& ev = ctx.events[e];
    // One-shots: note-offs (and all-notes-off) let the voices ring out, as a drum does.
    if (ev.type == NoteEvent::Type::NoteOn && ev.velocity > 0.0f) {
      const int voice = voiceForPitch(ev.pitch);
      if (voice >= 0) hit(voice, ev.velocity);
    }
  }
  for (int c = 2; c < ctx.outputChannels; ++c) std::memset(ctx.outputs[c], 0, sizeof(float) * static_cast<std::size_t>(ctx.frames));
  int n = 0;
  for (const auto& v : voices_) n += v.active ? 1 : 0;
  activeVoices_.store(n, std::memory_order_relaxed);
}

}  // namespace mixdown
