// Reverb ("mixdown.reverb"): an 8-line feedback delay network with a Householder feedback matrix (lossless,
// dense), per-line gains set so every path decays by 60 dB in the decay time (RT60), a one-pole damping
// low-pass in each line (high frequencies die sooner; the decay time holds at low frequencies), pre-delay,
// size (scales the line lengths), stereo width of the wet signal and dry/wet mix. Values under 1e-20 are
// flushed in the lines, so a tail fades to exact zero with no denormals even without FTZ.
#pragma once

#include <array>
#include <vector>

#include "devices/Device.h"
#include "dsp/Smoother.h"

namespace mixdown {

class Reverb final : public Device {
 public:
  enum Param { kPreDelay, kSize, kDecay, kDamping, kWidth, kMix, kParamCount };
  static constexpr int kLines = 8;
  static const DeviceDescriptor& staticDescriptor();  // any thread
  Reverb();                                           // control thread
  // Audio thread: every line and the pre-delay have been written with zeros all round, the damping
  // filters are silent and the mix and width ramps have settled.
  bool idle() const noexcept override {
    return quietWrites_ >= quietNeeded_ && filtersQuiet_ && !mix_.ramping() && !width_.ramping() && paramsSeen();
  }

 protected:
  void onPrepare() override;
  void onReset() override;
  void onProcess(const ProcessContext& context) noexcept override;
  void onSkip(int frames) noexcept override;

 private:
  void configure() noexcept;
  std::array<std::vector<float>, kLines> lines_;
  std::array<int, kLines> length_{}, pos_{};
  std::array<float, kLines> gain_{}, damp_{}, filterState_{};
  std::vector<float> preDelay_;
  int preDelayPos_ = 0, preDelaySamples_ = 0;
  double configured_[4] = {-1, -1, -1, -1};  // size, decay, damping, pre-delay the lines are set for
  LinearSmoother mix_, width_;
  long long quietWrites_ = 0, quietNeeded_ = 0;  // samples of zero writes so far, and the longest ring
  bool filtersQuiet_ = true;                     // every damping filter state was zero after the last block
};

}  // namespace mixdown
