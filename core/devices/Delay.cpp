#include "devices/Delay.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "dsp/RbjFilters.h"

namespace mixdown {
namespace {

// Note values for sync, as beats (a quarter note is one beat).
constexpr double kNoteBeats[] = {0.125, 1.0 / 6, 0.25, 0.375, 1.0 / 3, 0.5, 0.75, 2.0 / 3, 1.0, 1.5, 2.0, 4.0};

DeviceDescriptor makeDescriptor() {
  DeviceDescriptor d;
  d.id = "mixdown.delay";
  d.name = "Delay";
  d.kind = DeviceKind::Effect;
  ParamDescriptor note = makeParam("note", "Note value", "", 0, 11, 6, ParamScale::Choice);
  note.choices = {"1/32", "1/16T", "1/16", "1/16D", "1/8T", "1/8", "1/8D", "1/4T", "1/4", "1/4D", "1/2", "1/1"};
  d.params = {makeParam("sync", "Sync to tempo", "", 0, 1, 1, ParamScale::Toggle),
              makeParam("time", "Time", "ms", 1, 2000, 375, ParamScale::Logarithmic),
              note,
              makeParam("feedback", "Feedback", "%", 0, 95, 35),
              makeParam("pingPong", "Ping-pong", "", 0, 1, 0, ParamScale::Toggle),
              makeParam("lowCut", "Low cut", "Hz", 0, 2000, 100),        // 0: off
              makeParam("highCut", "High cut", "Hz", 1000, 22000, 8000),  // 22000: off
              makeParam("mix", "Mix", "%", 0, 100, 30, ParamScale::Linear, 20)};
  return d;
}

}  // namespace

const DeviceDescriptor& Delay::staticDescriptor() {
  static const DeviceDescriptor d = makeDescriptor();
  return d;
}

Delay::Delay() : Device(staticDescriptor()) {}

double Delay::noteBeats(int note) { return kNoteBeats[std::clamp(note, 0, 11)]; }

int Delay::delaySamples(double tempo) const {
  const double seconds = param(kSync) >= 0.5 ? noteBeats(static_cast<int>(param(kNote))) * 60.0 / std::max(1.0, tempo) : param(kTime) * 0.001;
  const int maxSamples = static_cast<int>(line_[0].size()) - 1;
  return std::clamp(static_cast<int>(std::lround(seconds * sampleRate())), 1, std::max(1, maxSamples));
}

void Delay::onPrepare() {
  const auto n = static_cast<std::size_t>(kMaxSeconds * sampleRate()) + 2;
  for (auto& l : line_) l.assign(n, 0.0f);
}

void Delay::onReset() {
  for (auto& l : line_) std::fill(l.begin(), l.end(), 0.0f);
  pos_ = 0;
  quietWrites_ = static_cast<long long>(line_[0].size());  // cleared lines
  for (int c = 0; c < 2; ++c) {
    lowCut_[c].reset();
    highCut_[c].reset();
  }
  designedLow_ = designedHigh_ = -1;
}

void Delay::onProcess(const ProcessContext& context) noexcept {
  const double sr = sampleRate();
  const double lowHz = param(kLowCut), highHz = param(kHighCut);
  if (lowHz != designedLow_) {
    for (auto& f : lowCut_) f.setCoefficients(rbjDesign(RbjShape::HighPass, std::max(lowHz, 1.0), 0, 0.7071, sr));
    designedLow_ = lowHz;
  }
  if (highHz != designedHigh_) {
    for (auto& f : highCut_) f.setCoefficients(rbjDesign(RbjShape::LowPass, highHz, 0, 0.7071, sr));
    designedHigh_ = highHz;
  }
  const bool useLow = lowHz >= 10.0, useHigh = highHz < 21999.0 && highHz < 0.49 * sr;
  const int delay = delaySamples(context.tempo);
  const float feedback = static_cast<float>(param(kFeedback) / 100.0), mix = static_cast<float>(param(kMix) / 100.0);
  const bool pingPong = param(kPingPong) >= 0.5;
  const int size = static_cast<int>(line_[0].size());
  const bool stereo = context.inputChannels >= 2 && context.outputChannels >= 2;
  for (int i = 0; i < context.frames; ++i) {
    const int read = (pos_ - delay + size) % size;
    float wet[2] = {line_[0][static_cast<std::size_t>(read)], line_[1][static_cast<std::size_t>(read)]};
    const float inL = context.inputs[0][i], inR = stereo ? context.inputs[1][i] : inL;
    // What goes into the lines: the input plus the filtered echoes. Ping-pong feeds the sum of both
    // inputs into the left line and crosses the echoes over, so they alternate left, right, left...
    float loop[2] = {wet[0], wet[1]};
    for (int c = 0; c < 2; ++c) {
      double v = loop[c];
      if (useLow) v = lowCut_[c].process(v);
      if (useHigh) v = highCut_[c].process(v);
      // The tail ends in exact zeros once an echo is 200 dB down (never subnormal, never endless).
      loop[c] = std::fabs(v) < 1e-10 ? 0.0f : static_cast<float>(v);
    }
    const float write0 = pingPong ? 0.5f * (inL + inR) + feedback * loop[1] : inL + feedback * loop[0];
    const float write1 = pingPong ? feedback * loop[0] : inR + feedback * loop[1];
    line_[0][static_cast<std::size_t>(pos_)] = write0;
    line_[1][static_cast<std::size_t>(pos_)] = write1;
    quietWrites_ = write0 == 0.0f && write1 == 0.0f ? quietWrites_ + 1 : 0;
    pos_ = (pos_ + 1) % size;
    context.outputs[0][i] = inL * (1.0f - mix) + wet[0] * mix;
    if (context.outputChannels >= 2) context.outputs[1][i] = inR * (1.0f - mix) + wet[1] * mix;
  }
  for (int c = 0; c < 2; ++c) {
    lowCut_[c].flushTiny();
    highCut_[c].flushTiny();
  }
  for (int c = 2; c < context.outputChannels; ++c) std::memset(context.outputs[c], 0, sizeof(float) * static_cast<std::size_t>(context.frames));
}

// Silent lines: only the write position moves (as process() would move it), so the echoes of what comes
// next land where they would have.
void Delay::onSkip(int frames) noexcept {
  const int size = static_cast<int>(line_[0].size());
  pos_ = static_cast<int>((pos_ + static_cast<long long>(frames)) % size);
  quietWrites_ += frames;
}

}  // namespace mixdown
