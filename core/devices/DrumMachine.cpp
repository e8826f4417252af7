#include "devices/DrumMachine.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "dsp/Decibels.h"

namespace mixdown {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr float kSilent = 1e-5f;  // -100 dB: an envelope below this is over (and set to exact zero)
constexpr int kChunk = 64;        // samples rendered per voice at a time (renderSpan's chunk)

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
    {"ride", "Ride", 51, 2600, 0.5, -6, 0.25},
    {"cowbell", "Cowbell", 56, 380, 0.4, -9, 0},
};

// The other General MIDI drum notes a voice answers, as a GM drum machine maps them onto one kit: the
// variations of a real kit (a second crash, a ride's bell, six toms) play the nearest voice. Named ones
// get a row of their own in the step sequencer (with General MIDI's name); 35 and 40 double the kick and
// snare unnamed.
struct AlsoPlays {
  int pitch;
  DrumMachine::Voice voice;
  const char* name;  // nullptr: no row of its own
};
constexpr AlsoPlays kAlsoPlays[] = {
    {35, DrumMachine::kKick, nullptr},          // Acoustic Bass Drum
    {40, DrumMachine::kSnare, nullptr},         // Electric Snare
    {43, DrumMachine::kLowTom, "High floor tom"},
    {44, DrumMachine::kClosedHat, "Pedal hat"},  // so it chokes the open hat too
    {45, DrumMachine::kMidTom, "Low tom"},
    {48, DrumMachine::kHighTom, "High-mid tom"},
    {53, DrumMachine::kRide, "Ride bell"},
    {57, DrumMachine::kCrash, "Crash 2"},
};

// The step sequencer's name of a voice's own note where General MIDI's differs from the voice's (the
// toms: 41, 47 and 50 are GM's low floor, low-mid and high tom; 45 is its "Low tom").
const char* noteNameOf(int voice, const char* voiceName) {
  if (voice == DrumMachine::kLowTom) return "Low floor tom";
  if (voice == DrumMachine::kMidTom) return "Low-mid tom";
  return voiceName;
}

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
  // Always stereo: every voice has its own pan (constant power, -3.01 dB per side at the centre, as the
  // mixer strip pans a mono track), and the track's strip balances the pair.
  d.outputChannels = [](const double*) { return 2; };
  auto add = [&d](ParamDescriptor p) {
    d.params.push_back(std::move(p));
    return static_cast<int>(d.params.size()) - 1;
  };
  for (int v = 0; v < DrumMachine::kVoiceCount; ++v) {
    const VoiceSpec& s = kSpecs[v];
    const std::string id = s.id, name = s.name;
    d.noteNames.push_back({s.pitch, noteNameOf(v, s.name)});
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
  for (const AlsoPlays& a : kAlsoPlays)
    if (a.name) d.noteNames.push_back({a.pitch, a.name});
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

// One step of a magic-circle oscillator (s, c) with step e: s starts at 0, c at 1, and s is a sine from
// its zero crossing. Two products a sample, no table and no library call; the orbit stays closed whatever
// e does sample to sample (the map preserves area; stable for e < 2), so sweeps cost nothing extra. With
// e = 2 sin(pi f / fs) it turns exactly 2 pi f / fs a sample; its amplitude is 1 within e^2 / 8.
inline void turn(float& s, float& c, float e) {
  s += e * c;
  c -= e * s;
}

// Four lanes (GCC and Clang vector extensions, as dsp/Lanes.h): SSE2 natively, simd128 in wasm, each lane
// plain IEEE arithmetic, so every build computes the same bits.
typedef std::uint32_t U32x4 __attribute__((vector_size(16)));
typedef std::int32_t I32x4 __attribute__((vector_size(16)));
typedef float F32x4 __attribute__((vector_size(16)));

inline I32x4 asSigned(U32x4 v) {
  I32x4 r;
  std::memcpy(&r, &v, sizeof r);  // the same bits, as signed lanes (SSE2 compares and converts those)
  return r;
}

// Adds `gain` times a band-limited square (+-1) to out[0, count) (count a multiple of 4), four samples at
// a time. The phase is 32-bit (2^32 a cycle), starts at `phase` and advances `increment` (below a quarter
// cycle) per sample, so sample k's value depends on k alone: exactly the same however blocks and chunks
// fall, and the samples past the ones used cost nothing but time. Both edges of a square sit at zero of
// the doubled phase, so one distance finds the nearer edge; within a sample of it the polyBLEP residual
// -s (1 - t)^2 (t: that distance in samples) rounds the step, rising or falling, before or after alike.

void addSquare(float* out, int count, std::uint32_t phase, std::uint32_t increment, float gain) {
  const U32x4 step = {0u, increment, 2u * increment, 3u * increment};
  U32x4 ph = phase + step;
  const std::uint32_t advance4 = 4u * increment;
  const float inv = 1.0f / static_cast<float>(increment);
  for (int k = 0; k < count; k += 4) {
    const I32x4 p = asSigned(ph);
    const F32x4 s = 1.0f + 2.0f * __builtin_convertvector(p >> 31, F32x4);  // +1, then -1 from half a cycle
    // The doubled phase as signed: past an edge (> 0) or before the next (< 0); halved, its magnitude
    // cannot overflow.
    const I32x4 half = (p << 1) >> 1;
    const I32x4 sign = half >> 31;
    const F32x4 t = __builtin_convertvector((half ^ sign) - sign, F32x4) * inv;  // samples from the edge
    F32x4 w = 1.0f - t;
    I32x4 bits;
    std::memcpy(&bits, &w, sizeof w);
    bits &= (w > 0.0f);  // all ones where inside a sample of the edge
    std::memcpy(&w, &bits, sizeof w);
    F32x4 o;
    std::memcpy(&o, out + k, sizeof o);
    o += gain * (s - s * w * w);
    std::memcpy(out + k, &o, sizeof o);
    ph += advance4;
  }
}

// White noise (+-1): the linear congruential generator x' = a x + c, a sample per step. fillNoise runs
// four lanes that each stride four steps (x'''' = a^4 x + c4), which is the very same integer sequence,
// so sample k of a hit is always the k-th value after its seed, however the blocks fall.
constexpr std::uint32_t kLcgA = 1664525u, kLcgC = 1013904223u;
constexpr std::uint32_t kLcgA2 = kLcgA * kLcgA, kLcgA3 = kLcgA2 * kLcgA, kLcgA4 = kLcgA3 * kLcgA;
constexpr std::uint32_t kLcgC2 = kLcgA * kLcgC + kLcgC, kLcgC3 = kLcgA * kLcgC2 + kLcgC, kLcgC4 = kLcgA * kLcgC3 + kLcgC;

// Fills out[0, count) (count a multiple of 4, n <= count) with the next values after `seed`, and leaves
// `seed` at the n-th (the generator's state after n samples).
void fillNoise(float* out, int count, int n, std::uint32_t& seed) {
  const std::uint32_t x = seed;
  U32x4 lanes = {kLcgA * x + kLcgC, kLcgA2 * x + kLcgC2, kLcgA3 * x + kLcgC3, kLcgA4 * x + kLcgC4};
  for (int k = 0; k < count; k += 4) {
    const F32x4 v = __builtin_convertvector(asSigned(lanes), F32x4) * (1.0f / 2147483648.0f);
    std::memcpy(out + k, &v, sizeof v);
    if (n - 1 >= k && n - 1 < k + 4) seed = lanes[n - 1 - k];
    lanes = kLcgA4 * lanes + kLcgC4;
  }
}

// A soft clipper close to tanh (a Pade form, exactly +-1 from |x| = 3 on): one division, no library call.
inline float softClip(float x) {
  if (x >= 3.0f) return 1.0f;
  if (x <= -3.0f) return -1.0f;
  const float x2 = x * x;
  return x * (27.0f + x2) / (27.0f + 9.0f * x2);
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
  for (int v = 0; v < kVoiceCount; ++v)
    if (kSpecs[v].pitch == pitch) return v;
  for (const AlsoPlays& a : kAlsoPlays)
    if (a.pitch == pitch) return a.voice;
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
    v.levelDb = v.pan = std::numeric_limits<double>::quiet_NaN();  // NaN equals nothing: readParams computes
  }
  volumeDb_ = p(layout().volume);
  volume_.snap(dbToGain(volumeDb_));
  readParams();
  activeVoices_.store(0, std::memory_order_relaxed);
}

// Level and pan become each voice's left, right and mono gains: glided while it sounds, set at once while
// it is silent (nothing to hear, and a hit then starts at the new values).
void DrumMachine::readParams() {
  const Layout& l = layout();
  for (int i = 0; i < kVoiceCount; ++i) {
    VoiceState& v = voices_[static_cast<std::size_t>(i)];
    const double levelDb = p(l.common[i][kLevel]), pan = p(l.common[i][kPan]);
    if (levelDb == v.levelDb && pan == v.pan) continue;  // the targets stand (no pow, cos, sin per block)
    v.levelDb = levelDb;
    v.pan = pan;
    const float gain = dbToGain(levelDb);
    // The mixer strip's law for a mono source: cos/sin of (pan + 1) pi/4, -3 dB each side at the centre.
    const double theta = (std::clamp(pan, -1.0, 1.0) + 1.0) * kPi / 4.0;
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
  if (p(l.volume) != volumeDb_) {
    volumeDb_ = p(l.volume);
    volume_.setTarget(dbToGain(volumeDb_));
  }
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
  for (int i = 0; i < 2; ++i) {
    v.sine[i] = v.angle[i] = 0.0f;
    v.cosine[i] = 1.0f;
  }
  // A magic circle's step for a sine at `hz` (at most a fifth of a cycle; see turn()).
  auto angleOf = [sr](double hz) { return static_cast<float>(2.0 * std::sin(kPi * std::min(hz / sr, 0.2))); };
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
  // A square's phase increment (2^32 a cycle), at most 0.2 cycles per sample (see addSquare()).
  auto squareIncrement = [sr](double hz) { return static_cast<std::uint32_t>(std::lround(std::min(hz / sr, 0.2) * 4294967296.0)); };
  for (int i = 0; i < 6; ++i) v.squarePhase[i] = v.squareIncrement[i] = 0u;
  auto setMetal = [&](double scale) {
    for (int i = 0; i < 6; ++i) v.squareIncrement[i] = squareIncrement(kMetalHz[i] * scale * ratio);
  };

  switch (voice) {
    case kKick: {
      v.angle[0] = angleOf(50.0 * ratio);
      v.sweep = static_cast<float>(std::pow(2.0, p(l.kickSweep) / 12.0) - 1.0);
      v.sweepCoef = coef(p(l.kickSweepTime));
      v.env2 = static_cast<float>(std::clamp(p(l.kickClick), 0.0, 1.0));  // the click, -60 dB in 8 ms
      v.env2Coef = coef(8.0);
      v.drive = static_cast<float>(0.3 + 2.7 * tone);  // tone: soft saturation, normalised to full scale
      v.driveNorm = 1.0f / softClip(v.drive);
      v.f1.set(3200.0 * bright, 0.8, sr);
      break;
    }
    case kSnare: {
      v.angle[0] = angleOf(185.0 * ratio);
      v.angle[1] = angleOf(330.0 * ratio);
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
      break;
    }
    case kRim: {
      v.angle[0] = angleOf(455.0 * ratio);
      v.angle[1] = angleOf(1667.0 * ratio);
      v.env2 = 1.0f;  // a noise tick, -60 dB in 3 ms
      v.env2Coef = coef(3.0);
      v.f1.set(150.0 * std::pow(2.0, 4.0 * tone) * bright, 0.7, sr);  // high-pass 150-2400 Hz
      break;
    }
    case kLowTom:
    case kMidTom:
    case kHighTom: {
      const double hz = voice == kLowTom ? 90.0 : voice == kMidTom ? 130.0 : 180.0;
      v.angle[0] = angleOf(hz * ratio);
      v.angle[1] = angleOf(1.593 * hz * ratio);  // a membrane's (1,1) mode
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
      v.env2 = 1.0f;  // the first splash, -60 dB in 150 ms (or the decay, if shorter), over the long wash
      v.env2Coef = coef(std::min(150.0, decayMs));
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
      v.squareIncrement[0] = squareIncrement(540.0 * ratio);
      v.squareIncrement[1] = squareIncrement(800.0 * ratio);
      // Each square starts one sample past its rising edge, at +1: from phase 0 its first sample is the
      // polyBLEP's midpoint of that edge, exactly 0, and the bell would sound a sample after its note.
      for (int i = 0; i < 2; ++i) v.squarePhase[i] = v.squareIncrement[i];
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
  // Filters and oscillators in locals: through `v` they would be reloaded after every store to `out`.
  Filter f1 = v.f1, f2 = v.f2;
  float s0 = v.sine[0], c0 = v.cosine[0], s1 = v.sine[1], c1 = v.cosine[1];
  const float e0 = v.angle[0], e1 = v.angle[1];
  // A swept step, bounded where the magic circle stays a circle (extreme tune and sweep only).
  auto swept = [&sweep](float e) { return std::min(e * (1.0f + sweep), 1.0f); };
  // This span's noise, made four samples at a time (none once a voice's noisy part is over: the kick's
  // click, the rim's tick, the toms' strike; the cowbell has none).
  alignas(16) float noise[kChunk];
  const int count = (n + 3) & ~3;
  const bool noisy = voice == kKick || voice == kRim ? env2 != 0.0f : voice == kLowTom || voice == kMidTom || voice == kHighTom ? env3 != 0.0f : voice != kCowbell;
  if (noisy) fillNoise(noise, count, n, seed);
  int k = 0;
  bool done = false;
  auto stepSweep = [&] {
    sweep *= sweepCoef;
    if (sweep < 1e-7f) sweep = 0.0f;
  };
  switch (voice) {
    case kKick: {
      const float drive = v.drive, norm = v.driveNorm;
      // Saturation lifts quiet signals by drive/softClip(drive): the body ends when even that is -100 dB.
      const float end = kSilent / (drive * norm);
      for (; k < n; ++k) {
        const float body = softClip(drive * s0 * env) * norm;
        const float click = env2 != 0.0f ? tick(f1, noise[k]).band * env2 * 2.0f : 0.0f;  // 14 ms, then none
        out[k] = (body + click) * vg;
        turn(s0, c0, swept(e0));
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
      break;
    }
    case kSnare: {
      const float snappy = v.mix;
      for (; k < n; ++k) {
        const float body = 0.65f * s0 + 0.35f * s1;
        const float hiss = tick(f2, tick(f1, noise[k]).high).low;
        out[k] = ((1.0f - snappy) * body * env2 + snappy * 1.8f * hiss * env) * vg;
        turn(s0, c0, swept(e0));
        turn(s1, c1, swept(e1));
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
        const float x = tick(f1, noise[k]).band;
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
        const float tones = softClip(2.0f * (0.6f * s0 + 0.5f * s1));
        const float x = tones * env + (env2 != 0.0f ? 0.3f * noise[k] * env2 : 0.0f);
        out[k] = tick(f1, x).high * vg;
        turn(s0, c0, e0);
        turn(s1, c1, e1);
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
        float x = s0 * env + overtone * s1 * env2;
        if (env3 != 0.0f) x += strike * tick(f1, noise[k]).low * env3;  // the strike's 20 ms
        out[k] = x * vg;
        turn(s0, c0, swept(e0));
        turn(s1, c1, swept(e1));
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
      alignas(16) float bank[kChunk];
      std::fill_n(bank, count, 0.0f);
      for (int i = 0; i < 6; ++i) {
        addSquare(bank, count, v.squarePhase[i], v.squareIncrement[i], metal * (1.0f / 6.0f));
        v.squarePhase[i] += static_cast<std::uint32_t>(n) * v.squareIncrement[i];
      }
      for (; k < n; ++k) {
        const float x = bank[k] + noiseMix * noise[k];
        const float y = tick(f2, tick(f1, x).band).high;
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
      alignas(16) float bell[kChunk];
      std::fill_n(bell, count, 0.0f);
      for (int i = 0; i < 2; ++i) {
        addSquare(bell, count, v.squarePhase[i], v.squareIncrement[i], 0.5f);
        v.squarePhase[i] += static_cast<std::uint32_t>(n) * v.squareIncrement[i];
      }
      for (; k < n; ++k) {
        out[k] = tick(f1, bell[k]).band * (0.45f * env + 0.55f * env2) * 1.4f * vg;
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
  v.f1 = f1;
  v.f2 = f2;
  v.sine[0] = s0;
  v.cosine[0] = c0;
  v.sine[1] = s1;
  v.cosine[1] = c1;
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
  const bool stereo = ctx.outputChannels >= 2;
  alignas(16) float voice[kChunk], left[kChunk], right[kChunk];
  for (int at = from; at < to; at += kChunk) {
    const int n = std::min(kChunk, to - at);
    std::fill_n(left, n, 0.0f);
    std::fill_n(right, n, 0.0f);
    for (int i = 0; i < kVoiceCount; ++i) {
      VoiceState& v = voices_[static_cast<std::size_t>(i)];
      if (!v.active) continue;
      const int m = renderVoice(i, voice, n);
      // Settled gains (the usual case) as constants: the same products as next() would give.
      if (stereo && !v.left.ramping() && !v.right.ramping()) {
        const float gl = v.left.current(), gr = v.right.current();
        const int whole = m & ~3;
        for (int k = 0; k < whole; k += 4) {  // four at a time: the same products and sums per sample
          F32x4 x, l, r;
          std::memcpy(&x, voice + k, sizeof x);
          std::memcpy(&l, left + k, sizeof l);
          std::memcpy(&r, right + k, sizeof r);
          l += x * gl;
          r += x * gr;
          std::memcpy(left + k, &l, sizeof l);
          std::memcpy(right + k, &r, sizeof r);
        }
        for (int k = whole; k < m; ++k) {
          left[k] += voice[k] * gl;
          right[k] += voice[k] * gr;
        }
      } else if (stereo) {
        for (int k = 0; k < m; ++k) {
          left[k] += voice[k] * v.left.next();
          right[k] += voice[k] * v.right.next();
        }
      } else if (!v.mono.ramping()) {
        const float g = v.mono.current();
        for (int k = 0; k < m; ++k) left[k] += voice[k] * g;
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
    float* outR = stereo ? ctx.outputs[1] + at : nullptr;
    if (!volume_.ramping()) {
      const float g = volume_.current();
      for (int k = 0; k < n; ++k) outL[k] = left[k] * g;
      if (stereo)
        for (int k = 0; k < n; ++k) outR[k] = right[k] * g;
    } else if (stereo) {
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
