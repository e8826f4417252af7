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

 protected:
  void onPrepare() override;
  void onReset() override;
  void onProcess(const ProcessContext& context) noexcept override;

 private:
  void updateCoefficients(bool snap) noexcept;
  struct Band {
    int type = Off;
    double octave = 10, gain = 0, q = 0.707;  // smoothed: log2(Hz), dB, Q
    std::array<std::array<Biquad, 4>, kMaxChannels> sections;
    int count = 0;
    bool designed = false;  // the sections hold the design for (octave, gain, q): nothing to redo
  };
  std::array<Band, kBands> bands_;
  double outputGain_ = 1.0;
  long long sampleIndex_ = 0;
};

}  // namespace mixdown
