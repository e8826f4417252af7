// Delay ("mixdown.delay"): time in ms or synced to the tempo as a note value, feedback, ping-pong, a low
// cut and a high cut inside the feedback loop, dry/wet mix. The delay is a whole number of samples, so
// echoes land exactly on their sample (and exactly on the beat when synced, at any tempo that makes the
// beat a whole number of samples).
#pragma once

#include <vector>

#include "devices/Device.h"
#include "dsp/Biquad.h"

namespace mixdown {

class Delay final : public Device {
 public:
  enum Param { kSync, kTime, kNote, kFeedback, kPingPong, kLowCut, kHighCut, kMix, kParamCount };
  static constexpr double kMaxSeconds = 4.0;
  static const DeviceDescriptor& staticDescriptor();  // any thread
  Delay();                                            // control thread
  // Any thread (pure): length of a note value (the kNote choice index) in beats.
  static double noteBeats(int note);
  // Audio thread: the delay in samples for the current parameters and tempo.
  int delaySamples(double tempo) const;
  // Audio thread: the whole line has been written with zeros since the last echo, and the loop's filters
  // are silent.
  bool idle() const noexcept override {
    return quietWrites_ >= static_cast<long long>(line_[0].size()) && lowCut_[0].atRest() && lowCut_[1].atRest() &&
           highCut_[0].atRest() && highCut_[1].atRest() && paramsSeen();
  }

 protected:
  void onPrepare() override;
  void onReset() override;
  void onProcess(const ProcessContext& context) noexcept override;
  void onSkip(int frames) noexcept override;

 private:
  std::vector<float> line_[2];
  int pos_ = 0;
  long long quietWrites_ = 0;  // samples since a non-zero value was last written into a line
  Biquad lowCut_[2], highCut_[2];
  double designedLow_ = -1, designedHigh_ = -1;
};

}  // namespace mixdown
