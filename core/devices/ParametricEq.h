// Parametric EQ ("mixdown.eq"): 8 bands, each off or one of peak, low shelf, high shelf, low cut, high
// cut (12, 24 or 48 dB/octave: Butterworth cascades), notch or band-pass; frequency (Hz), gain (dB), Q and a
// per-band bypass. Coefficients follow the RBJ cookbook (dsp/RbjFilters.h). Parameter moves glide: the
// frequency (in octaves), gain and Q are smoothed and coefficients recomputed every 32 samples on a grid
// counted from reset, so the output does not depend on the block size.
#pragma once

#include <array>

#include "devices/Device.h"
#include "dsp/Biquad.h"
#include "dsp/RbjFilters.h"

namespace mixdown {

class ParametricEq final : public Device {
 public:
  static constexpr int kBands = 8;
  static constexpr int kMaxChannels = 2;
  static constexpr int kControlInterval = 32;  // samples between coefficient updates
  enum BandType { Off, Peak, LowShelf, HighShelf, LowCut12, LowCut24, LowCut48, HighCut12, HighCut24, HighCut48, Notch, BandPass, kTypeCount };
  // Per band b: type, freq, gain, q, bypass at 5 b + 0..4; then the output gain.
  static int typeParam(int b) { return 5 * b; }
  static int freqParam(int b) { return 5 * b + 1; }
  static int gainParam(int b) { return 5 * b + 2; }
  static int qParam(int b) { return 5 * b + 3; }
  static int bypassParam(int b) { return 5 * b + 4; }
  static constexpr int kOutput = 5 * kBands;

  // Any thread.
  static const DeviceDescriptor& staticDescriptor();
  // Control thread.
  ParametricEq();
  // Any thread (pure): the sections a band type uses (cascaded); at most 4.
  static int sectionsFor(int type);
  static BiquadCoefficients sectionDesign(int type, int section, double hz, double gainDb, double q, double sampleRate);
  // Any thread (pure): the magnitude response (dB) of the whole EQ for parameter values, for drawing.
  static double responseDb(const double* params, double hz, double sampleRate);
  // Audio thread: every filter state is exactly zero and every band (and the output gain) has settled
  // on what the knobs said at the last coefficient update, with no knob moved since.
  bool idle() const noexcept override { return resting_ && settled_ && paramChanges() == updatedAt_; }

 protected:
  void onPrepare() override;
  void onReset() override;
  void onProcess(const ProcessContext& context) noexcept override;
  void onSkip(int frames) noexcept override { sampleIndex_ += frames; }  // the control grid runs on

 private:
  void updateCoefficients(bool snap) noexcept;
  template <typename Lane>
  void runSections(Lane* samples, int n) noexcept;
  struct Band {
    int type = Off;
    double octave = 10, gain = 0, q = 0.707;  // smoothed: log2(Hz), dB, Q
    int count = 0;
    bool designed = false;  // the sections hold the design for (octave, gain, q): nothing to redo
    double knobHz = -1.0, knobOctave = 0.0;  // the frequency knob and its log2, computed once per move
  };
  static constexpr int kMaxSections = 4;  // per band (a 48 dB/octave cut)
  std::array<Band, kBands> bands_;
  // Per band and section: the coefficients (shared by both channels) and the state of each channel
  // (transposed direct form II, as dsp/Biquad.h computes it: the same arithmetic, laid out so the two
  // channels run side by side).
  std::array<std::array<BiquadCoefficients, kMaxSections>, kBands> coefficients_{};
  std::array<std::array<std::array<double, kMaxChannels>, kMaxSections>, kBands> s1_{}, s2_{};
  // The sections that are on, in signal order (band, section): off bands cost nothing.
  std::array<std::array<int, 2>, kBands * kMaxSections> active_{};
  int activeCount_ = 0;
  double outputGain_ = 1.0;
  double outputKnobDb_ = 0.0, outputTarget_ = 1.0;  // the output knob (dB) and its linear gain
  double glideCoef_ = 0.0;                          // per control step, set in onReset
  long long sampleIndex_ = 0;
  bool resting_ = true;          // every filter state was exactly zero at the end of the last block
  bool settled_ = true;          // the last coefficient update moved nothing
  std::uint32_t updatedAt_ = 0;  // paramChanges() when the last coefficient update read the knobs
};

}  // namespace mixdown
