// The mixer strip of a track: gain, constant-power pan (-3.01 dB per side at centre), mute and
// solo-in-place. Mono input is panned with sin/cos gains; stereo input is balanced (centre leaves both
// channels at unity, turning toward one side lowers the other along the same cosine curve).
// Gain, pan and the mute/solo gate are smoothed, so toggling mute does not click.
#pragma once

#include "devices/Device.h"
#include "dsp/Smoother.h"

namespace mixdown {

class MixerStrip final : public Device {
 public:
  enum Param { kGain, kPan, kMute, kSolo, kParamCount };
  // Any thread.
  static const DeviceDescriptor& staticDescriptor();
  // Control thread.
  MixerStrip();

  // Audio thread: whether any strip in the mix is soloed (solo-in-place silences the others).
  void setSoloActive(bool anySolo) { soloActive_ = anySolo; }
  // Control thread, before prepare(): 1 (mono source, panned) or 2 (stereo source, balanced).
  void setInputChannels(int channels) { stereoInput_ = channels >= 2; }
  // Control thread: all four mixer settings at once (the model's strip -> the device).
  void setSettings(double gainDb, double pan, bool mute, bool solo) {
    setParam(kGain, gainDb);
    setParam(kPan, pan);
    setParam(kMute, mute ? 1.0 : 0.0);
    setParam(kSolo, solo ? 1.0 : 0.0);
  }
  // Any thread.
  bool soloed() const { return param(kSolo) >= 0.5; }

  // Audio thread, before process(): per-sample automation for the next call only (either may be null):
  // gain in dB and pan, one value per frame. The values apply exactly on their samples (the automation
  // curve is the smoothing); mute and solo still ramp.
  void setAutomation(const float* gainDb, const float* pan) {
    autoGainDb_ = gainDb;
    autoPan_ = pan;
  }

  // Audio thread: the gain, pan and mute/solo ramps have settled (its output is its input times gains).
  bool idle() const noexcept override {
    return !left_.ramping() && !right_.ramping() && !gate_.ramping() && soloActive_ == processedSolo_ && paramsSeen();
  }

  // Any thread (pure): left/right gains of the pan law for a pan position in [-1, 1].
  static void panGains(double pan, bool stereoInput, float& left, float& right);

 protected:
  void onPrepare() override;
  void onReset() override;
  void onProcess(const ProcessContext& context) noexcept override;
  // Automation set for a block that was skipped applies to that block only, as in process().
  void onSkip(int) noexcept override { autoGainDb_ = autoPan_ = nullptr; }

 private:
  // Left/right gains the strip is heading for: pan law x fader x mute/solo gate.
  void targetGains(float& left, float& right) const;
  bool soloActive_ = false;
  bool processedSolo_ = false;  // soloActive_ as the last process() or reset() saw it
  bool stereoInput_ = false;
  LinearSmoother left_, right_;
  LinearSmoother gate_;  // mute/solo in automation mode
  const float* autoGainDb_ = nullptr;
  const float* autoPan_ = nullptr;
};

}  // namespace mixdown
