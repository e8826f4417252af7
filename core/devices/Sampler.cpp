#include "devices/Sampler.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "dsp/Decibels.h"
#include "dsp/ExpLog.h"

namespace mixdown {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kCutoff = 0.45;  // of the output's sample rate: the kernel's -6 dB point
constexpr double kBeta = 9.0;     // Kaiser window: stopband about -90 dB

// The modified Bessel function of the first kind, order 0, by its power series (plain arithmetic: every
// build computes the same bits). Converges for the arguments a Kaiser window takes (0..beta).
double besselI0(double x) {
  double sum = 1.0, term = 1.0;
  const double q = x * x / 4.0;
  for (int k = 1; k < 64; ++k) {
    term *= q / (static_cast<double>(k) * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

// The kernel as a function of distance t >= 0 (samples): 2 fc sinc(2 fc t) times the Kaiser window over
// [-kHalfWidth, kHalfWidth], sampled kTablePoints times per sample, zero past the window (and padded, so
// reading index k + 1 is always safe for the distances a voice asks for).
struct KernelTable {
  static constexpr int kSize = (Sampler::kHalfWidth + 3) * Sampler::kTablePoints;
  float h[kSize + 1] = {};
  KernelTable() {
    const double i0beta = besselI0(kBeta);
    const int last = Sampler::kHalfWidth * Sampler::kTablePoints;
    for (int k = 0; k <= last; ++k) {
      const double t = static_cast<double>(k) / Sampler::kTablePoints;
      const double u = t / Sampler::kHalfWidth;
      const double window = besselI0(kBeta * std::sqrt(std::max(0.0, 1.0 - u * u))) / i0beta;
      const double a = 2.0 * kPi * kCutoff * t;
      const double sinc = k == 0 ? 1.0 : std::sin(a) / a;
      h[k] = static_cast<float>(2.0 * kCutoff * sinc * window);
    }
  }
};

const KernelTable& kernel() {
  static const KernelTable table;
  return table;
}

// How one key relates to a zone's velocity: the MIDI velocity of a note's 0..1 velocity.
int midiVelocity(float velocity) {
  return std::clamp(static_cast<int>(velocity * 127.0f + 0.5f), 1, 127);
}

}  // namespace

const DeviceDescriptor& Sampler::staticDescriptor() {
  static const DeviceDescriptor d = [] {
    DeviceDescriptor desc;
    desc.id = "mixdown.sampler";
    desc.name = "Sampler";
    desc.kind = DeviceKind::Instrument;
    // Always stereo: zones have their own pan and may be stereo samples; the strip balances the pair.
    desc.outputChannels = [](const double*) { return 2; };
    desc.params = {
        makeParam("volume", "Volume", "dB", -60, 12, 0, ParamScale::Linear, 20),
        // 1: the gain follows velocity squared (SFZ's amp_veltrack 100 %, -12 dB at half velocity); 0: none.
        makeParam("velocity", "Velocity sensitivity", "", 0, 1, 1),
        makeParam("tune", "Tune", "ct", -1200, 1200, 0),  // taken at note-on
        makeParam("bendRange", "Pitch bend range", "st", 0, 24, 2),  // a full wheel, either way
    };
    return desc;
  }();
  return d;
}

Sampler::Sampler() : Device(staticDescriptor()) { kernel(); }

void Sampler::setZones(std::vector<Zone> zones) {
  zones_ = std::move(zones);
  derive();
}

void Sampler::derive() {
  const double rate = sampleRate();
  chokeSamples_ = std::max(1, static_cast<int>(kChokeMs * 0.001 * rate + 0.5));
  playable_.assign(zones_.size(), Playable{});
  for (std::size_t i = 0; i < zones_.size(); ++i) {
    const Zone& z = zones_[i];
    const SampleZone& s = z.spec;
    Playable& p = playable_[i];
    auto at = [&](std::int64_t assetFrame) {
      return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::llround(static_cast<double>(assetFrame) * z.scale)), 0, z.frames);
    };
    p.end = s.end > 0 ? at(s.end) : z.frames;
    p.start = std::min(at(s.start), p.end);
    p.loopStart = std::min(at(s.loopStart), p.end);
    p.loopEnd = std::min(at(s.loopEnd), p.end);
    p.loops = s.loop != ZoneLoop::Off && !s.oneShot && p.loopEnd > p.loopStart + 1;
    p.crossfade = p.loops && s.loop == ZoneLoop::Forward
                      ? std::clamp<std::int64_t>(at(s.crossfade), 0, std::min(p.loopStart, p.loopEnd - p.loopStart))
                      : 0;
    p.rootKey = s.rootKey - s.tuneCents / 100.0;
    const float gain = dbToGain(s.gainDb);
    const double pan = std::clamp(s.pan, -1.0, 1.0);
    if (z.channels >= 2) {  // balance, unity at the centre
      p.left = gain * (pan <= 0.0 ? 1.0f : static_cast<float>(std::cos(pan * kPi / 2.0)));
      p.right = gain * (pan >= 0.0 ? 1.0f : static_cast<float>(std::cos(-pan * kPi / 2.0)));
    } else {  // constant power
      const double theta = (pan + 1.0) * kPi / 4.0;
      p.left = gain * static_cast<float>(std::cos(theta));
      p.right = gain * static_cast<float>(std::sin(theta));
    }
    p.shape = AdsrShape::make(rate, s.attackMs, s.decayMs, s.sustain, s.releaseMs);
  }
}

void Sampler::onPrepare() {
  derive();
  volume_.prepare(sampleRate(), 20.0);
  scratch_.assign(static_cast<std::size_t>(std::max(1, maxBlock())), 0.0f);
  rate_.assign(static_cast<std::size_t>(std::max(1, maxBlock())), 1.0f);
  bend_.prepare(sampleRate(), kBendMs);
}

void Sampler::onReset() {
  for (Voice& v : voices_) v = Voice{};
  keyHeld_.fill(false);
  keyVelocity_.fill(0.0f);
  heldKeys_ = 0;
  volume_.snap(dbToGain(param(kVolume)));
  bend_.snap(0.0f);
  activeVoices_.store(0, std::memory_order_relaxed);
}

void Sampler::startVoice(int zone, int pitch, float velocity) noexcept {
  const Zone& z = zones_[static_cast<std::size_t>(zone)];
  const Playable& p = playable_[static_cast<std::size_t>(zone)];
  if (z.channels == 0 || p.start >= p.end) return;
  // A free voice, else the oldest: released voices before held ones.
  Voice* slot = nullptr;
  for (Voice& v : voices_)
    if (!v.active) {
      slot = &v;
      break;
    }
  if (!slot)
    for (Voice& v : voices_)
      if (!slot || (v.env.releasing() && !slot->env.releasing()) || (v.env.releasing() == slot->env.releasing() && v.age < slot->age)) slot = &v;
  Voice& v = *slot;
  v = Voice{};
  v.active = true;
  v.zone = zone;
  v.pitch = static_cast<std::uint8_t>(pitch);
  v.gated = !z.spec.oneShot && z.spec.trigger != ZoneTrigger::Release;
  v.position = static_cast<double>(p.start);
  // Semitones from the root (with the zone's and the device's tune), as a ratio without a library call.
  v.step = exp2Fast((pitch - p.rootKey + param(kTune) / 100.0) / 12.0);
  const float sensitivity = static_cast<float>(param(kVelocity));
  v.gain = 1.0f - sensitivity + sensitivity * velocity * velocity;
  v.env.noteOn();
  v.age = ++started_;
}

void Sampler::noteOn(int pitch, float velocity, bool release) noexcept {
  const int vel = midiVelocity(velocity);
  const bool othersHeld = heldKeys_ - (keyHeld_[static_cast<std::size_t>(pitch)] ? 1 : 0) > 0;
  auto plays = [&](const SampleZone& s) {
    if (pitch < s.lowKey || pitch > s.highKey || vel < s.lowVelocity || vel > s.highVelocity) return false;
    switch (s.trigger) {
      case ZoneTrigger::Attack: return !release;
      case ZoneTrigger::Release: return release;
      case ZoneTrigger::First: return !release && !othersHeld;
      case ZoneTrigger::Legato: return !release && othersHeld;
    }
    return false;
  };
  // Choke first (every group this note starts), so zones started together do not cut each other.
  for (const Zone& z : zones_) {
    if (z.spec.group == 0 || !plays(z.spec)) continue;
    for (Voice& v : voices_)
      if (v.active && v.chokeLeft == 0 && zones_[static_cast<std::size_t>(v.zone)].spec.offBy == z.spec.group) v.chokeLeft = chokeSamples_;
  }
  for (std::size_t i = 0; i < zones_.size(); ++i)
    if (plays(zones_[i].spec)) startVoice(static_cast<int>(i), pitch, velocity);
}

// The zone's audio at `index` + `frac` (0 <= frac < 1), both channels (`right` the left's copy for a mono
// zone): the kernel stretched by `stretch` (>= 1) over the taps around it, each weight computed once for
// both. Taps outside the audio read zero; in a loop without a cross-fade they read what the loop plays
// there (past its end, its start again; mirrored for ping-pong), so the seam is interpolated as one
// continuous signal.
void Sampler::readFrame(const Zone& z, const Playable& p, const Voice& v, std::int64_t index, double frac, double stretch, float& left,
                        float& right) const noexcept {
  const float* data = z.data[0];
  const float* data1 = z.channels >= 2 ? z.data[1] : nullptr;
  const float* h = kernel().h;
  const int half = static_cast<int>(std::ceil(kHalfWidth * stretch));
  const double advance = kTablePoints / stretch;
  const std::int64_t first = index - half + 1, last = index + half;
  const bool wraps = p.loops && p.crossfade == 0;
  const std::int64_t validLo = wraps && v.wrapped ? p.loopStart : 0, validHi = wraps ? p.loopEnd : z.frames;
  double x = (static_cast<double>(1 - half) - frac) * advance;
  float acc = 0.0f, acc1 = 0.0f;
  if (first >= validLo && last < validHi) {
    const float* s = data + first;
    if (data1) {
      const float* s1 = data1 + first;
      for (int j = 0; j < 2 * half; ++j, x += advance) {
        const double ax = std::fabs(x);
        const int k = static_cast<int>(ax);
        const float w = h[k] + static_cast<float>(ax - k) * (h[k + 1] - h[k]);
        acc += w * s[j];
        acc1 += w * s1[j];
      }
    } else {
      for (int j = 0; j < 2 * half; ++j, x += advance) {
        const double ax = std::fabs(x);
        const int k = static_cast<int>(ax);
        acc += (h[k] + static_cast<float>(ax - k) * (h[k + 1] - h[k])) * s[j];
      }
      acc1 = acc;
    }
  } else {
    const bool pingPong = z.spec.loop == ZoneLoop::PingPong;
    const std::int64_t ls = p.loopStart, le = p.loopEnd, length = le - ls, top = le - 1;
    for (std::int64_t i = first; i <= last; ++i, x += advance) {
      std::int64_t at = i;
      if (wraps && pingPong) {
        for (int bounce = 0; bounce < 4 && (at > top || (v.wrapped && at < ls)); ++bounce) at = at > top ? 2 * top - at : 2 * ls - at;
      } else if (wraps) {
        if (at >= le) at = ls + (at - le) % length;
        else if (v.wrapped && at < ls) at = le - 1 - (ls - 1 - at) % length;
      }
      if (at < 0 || at >= z.frames) continue;
      const double ax = std::fabs(x);
      const int k = static_cast<int>(ax);
      const float w = h[k] + static_cast<float>(ax - k) * (h[k + 1] - h[k]);
      acc += w * data[at];
      acc1 += w * (data1 ? data1[at] : data[at]);
    }
  }
  const float scale = static_cast<float>(1.0 / stretch);
  left = acc * scale;
  right = acc1 * scale;
}

void Sampler::renderVoice(Voice& v, float* left, float* right, const float* rate, int frames) noexcept {
  const Zone& z = zones_[static_cast<std::size_t>(v.zone)];
  const Playable& p = playable_[static_cast<std::size_t>(v.zone)];
  // The kernel's stretch follows the bent pitch sample by sample (so the block size never shows).
  const double unbent = std::clamp(v.step, 1.0, kMaxStretch);
  const std::int64_t length = p.loopEnd - p.loopStart;
  for (int n = 0; n < frames; ++n) {
    float e = v.env.next(p.shape);
    if (!v.env.active()) {
      v.active = false;
      return;
    }
    if (v.chokeLeft > 0) {
      e *= static_cast<float>(v.chokeLeft) / static_cast<float>(chokeSamples_);
      if (--v.chokeLeft == 0) {
        v.active = false;
        return;
      }
    }
    const double stretch = rate ? std::clamp(v.step * rate[n], 1.0, kMaxStretch) : unbent;
    const double whole = std::floor(v.position);
    const auto index = static_cast<std::int64_t>(whole);
    const double frac = v.position - whole;
    float a, b;
    readFrame(z, p, v, index, frac, stretch, a, b);
    if (p.crossfade > 0 && index >= p.loopEnd - p.crossfade) {
      // The loop's last `crossfade` frames blend into the ones before its start, so the jump back lands
      // where the blend already is: w rises linearly from 0 to 1 at the loop's end.
      const float w = static_cast<float>((v.position - static_cast<double>(p.loopEnd - p.crossfade)) / static_cast<double>(p.crossfade));
      float a2, b2;
      readFrame(z, p, v, index - length, frac, stretch, a2, b2);
      a += w * (a2 - a);
      b += w * (b2 - b);
    }
    const float g = e * v.gain;
    left[n] += g * p.left * a;
    right[n] += g * p.right * b;
    // Advance, looping or ending.
    if (p.loops && z.spec.loop == ZoneLoop::PingPong) {
      const double top = static_cast<double>(p.loopEnd - 1), bottom = static_cast<double>(p.loopStart);
      v.position += v.direction * (rate ? v.step * rate[n] : v.step);
      for (int bounce = 0; bounce < 8; ++bounce) {
        if (v.direction > 0 && v.position > top) {
          v.position = 2.0 * top - v.position;
          v.direction = -1;
          v.wrapped = true;
        } else if (v.direction < 0 && v.position < bottom) {
          v.position = 2.0 * bottom - v.position;
          v.direction = 1;
        } else {
          break;
        }
      }
      v.position = std::clamp(v.position, std::min(bottom, static_cast<double>(p.start)), top);
    } else {
      v.position += rate ? v.step * rate[n] : v.step;
      if (p.loops && v.position >= static_cast<double>(p.loopEnd)) {
        const double span = static_cast<double>(length);
        v.position -= span * std::floor((v.position - static_cast<double>(p.loopEnd)) / span + 1.0);
        v.wrapped = true;
      } else if (!p.loops && v.position >= static_cast<double>(p.end)) {
        v.active = false;
        return;
      }
    }
  }
}

void Sampler::onProcess(const ProcessContext& ctx) noexcept {
  const int frames = ctx.frames;
  float* left = ctx.outputs[0];
  float* right = ctx.outputChannels > 1 ? ctx.outputs[1] : nullptr;
  std::memset(left, 0, sizeof(float) * static_cast<std::size_t>(frames));
  // Given one channel, the right half is summed into it below (after the voices wrote the left).
  float* mixRight = right ? right : scratch_.data();
  std::memset(mixRight, 0, sizeof(float) * static_cast<std::size_t>(frames));
  volume_.setTarget(dbToGain(param(kVolume)));

  // Events at this frame, then the voices up to the next event (a call of 0 frames takes its events: the
  // engine restarts held notes that way).
  int at = 0, e = 0;
  do {
    for (; e < ctx.eventCount && (ctx.events[e].frame <= at || frames == 0); ++e) {
      const NoteEvent& ev = ctx.events[e];
      const int pitch = std::min<int>(ev.pitch, 127);
      const auto key = static_cast<std::size_t>(pitch);
      if (ev.type == NoteEvent::Type::NoteOn) {
        noteOn(pitch, ev.velocity, false);
        if (!keyHeld_[key]) ++heldKeys_;
        keyHeld_[key] = true;
        keyVelocity_[key] = ev.velocity;
      } else if (ev.type == NoteEvent::Type::NoteOff) {
        for (Voice& v : voices_)
          if (v.active && v.gated && v.pitch == pitch) v.env.noteOff();
        if (keyHeld_[key]) {
          keyHeld_[key] = false;
          --heldKeys_;
          noteOn(pitch, keyVelocity_[key], true);
        }
      } else if (ev.type == NoteEvent::Type::PitchBend) {
        bend_.setTarget(std::clamp(ev.velocity, -1.0f, 1.0f));
      } else if (ev.type == NoteEvent::Type::AllNotesOff) {
        for (Voice& v : voices_) v.env.noteOff();
        keyHeld_.fill(false);
        heldKeys_ = 0;
      }
    }
    if (frames == 0) break;
    const int until = e < ctx.eventCount ? std::clamp(ctx.events[e].frame, at + 1, frames) : frames;
    // The bend's rate per frame, only while the wheel is off centre or gliding (else exactly 1: the
    // same bits as a sampler without a wheel).
    const float* rate = nullptr;
    if (bend_.ramping() || bend_.current() != 0.0f) {
      const double range = param(kBendRange);
      for (int n = at; n < until; ++n) rate_[static_cast<std::size_t>(n)] = static_cast<float>(exp2Fast(bend_.next() * range / 12.0));
      rate = rate_.data() + at;
    }
    for (Voice& v : voices_)
      if (v.active) renderVoice(v, left + at, mixRight + at, rate, until - at);
    at = until;
  } while (at < frames);
  int active = 0;
  for (const Voice& v : voices_) active += v.active ? 1 : 0;
  activeVoices_.store(active, std::memory_order_relaxed);
  for (int n = 0; n < frames; ++n) {
    const float g = volume_.next();
    left[n] *= g;
    mixRight[n] *= g;
  }
  if (!right)
    for (int n = 0; n < frames; ++n) left[n] = 0.5f * (left[n] + mixRight[n]);
}

}  // namespace mixdown
