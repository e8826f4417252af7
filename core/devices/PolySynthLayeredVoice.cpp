// mixdown.polysynth's layered voice loop: oscillator 1 and 2 (each in up to 8 unison copies), the sub and
// the noise, mixed per copy into one or two channels (stereo unison), through the low-, high- or band-pass
// at 12 or 24 dB/oct (one filter per channel), the amplitude envelope and the amplitude LFO. Only patches
// that use one of these take this loop; the rest keep the original one (PolySynth.cpp), bit for bit.
#include <algorithm>
#include <cmath>

#include "devices/PolySynth.h"
#include "dsp/ExpLog.h"

namespace mixdown {
namespace {

// The table read between its samples (the original loop's arithmetic), phase in [0, 1).
inline float readTable(const float* table, double phase) {
  const double pos = phase * WavetableBank::kTableSize;
  const int idx = static_cast<int>(pos);
  const float frac = static_cast<float>(pos - idx);
  return table[idx] + frac * (table[idx + 1] - table[idx]);
}

inline void wrap(double& phase) {
  if (phase >= 1.0) phase -= std::floor(phase);
}

// The output mix of StateVariableFilter::mixed() for a filter type, given the stage's damping (1/q).
struct FilterMix {
  float x, v1, v2;
};
inline FilterMix mixFor(PolySynth::FilterType type, float damping) {
  switch (type) {
    case PolySynth::FilterType::HighPass: return {1.0f, -damping, -1.0f};
    case PolySynth::FilterType::BandPass: return {0.0f, damping, 0.0f};
    case PolySynth::FilterType::LowPass: break;
  }
  return {0.0f, 0.0f, 1.0f};
}

}  // namespace

// What a voice's layers need for a pitch of `hz` (oscillator 1's): each copy's increment, and the tables
// for the highest copy of each oscillator (no copy's harmonics cross Nyquist).
void PolySynth::controlLayers(Voice& v, double hz) {
  const double sr = sampleRate();
  for (int u = 0; u < unison_; ++u) {
    v.unisonIncrement[u] = hz * unisonRatio_[u] / sr;
    v.osc2Increment[u] = hz * osc2Ratio_ * unisonRatio_[u] / sr;
  }
  v.subIncrement = hz * subRatio_ / sr;
  v.table1 = bank_->table(wave_, bank_->tableFor(hz * unisonTop_));
  v.table2 = bank_->table(wave2_, bank_->tableFor(hz * osc2Ratio_ * unisonTop_));
  v.tableSub = bank_->table(subWave_, bank_->tableFor(hz * subRatio_));
}

void PolySynth::layerFilters(Voice& v, double octaves) {
  // The 24 dB second stage: Butterworth (Q 1/sqrt 2) for low- and high-pass, so at a Butterworth
  // resonance the pair is -6.02 dB at the cutoff; the band-pass's second stage has the same Q as the
  // first (0 dB at the centre, skirts twice as steep).
  if (slope24_) v.svf2.setCutoff(exp2Fast(octaves), filterType_ == FilterType::BandPass ? q_ : 0.7071067811865476, sampleRate());
  v.svfRight.copyCoefficients(v.svf);
  v.svf2Right.copyCoefficients(v.svf2);
}

void PolySynth::renderLayeredVoice(Voice& v, float* sumL, float* sumR, const float* cutoffOctaves, const float* wheelSemitones, int n) {
  const bool stereo = sumR != nullptr;
  const bool osc1 = wave_ != Waveform::Noise && osc1Level_ != 0.0f;
  const bool osc2 = osc2Level_ != 0.0f, sub = subLevel_ != 0.0f;
  const float noiseGain = noiseLevel_ + (wave_ == Waveform::Noise ? osc1Level_ : 0.0f);  // oscillator 1 as noise adds here
  const int copies = unison_;
  for (int k = 0; k < n && v.active;) {
    if (v.samples % kControlInterval == 0) {
      control(v, cutoffOctaves[k], wheelSemitones[k]);
    } else if (v.controlEpoch != layerEpoch_) {  // the layers changed between two control steps (an edit)
      controlLayers(v, v.controlHz);
      layerFilters(v, v.controlOctaves);
      v.controlEpoch = layerEpoch_;
    }
    const int offset = static_cast<int>(v.samples % kControlInterval);
    const int run = std::min(n - k, kControlInterval - offset);
    double ph1[kMaxUnison], inc1[kMaxUnison], ph2[kMaxUnison], inc2[kMaxUnison];
    float gl[kMaxUnison], gr[kMaxUnison];
    if (!v.layeredLast) {  // copy 0 is the original loop's oscillator: a switch between the loops keeps its phase
      v.unisonPhase[0] = phaseToTurns(v.phase);
      v.layeredLast = true;
    }
    for (int u = 0; u < copies; ++u) {
      ph1[u] = v.unisonPhase[u];
      inc1[u] = v.unisonIncrement[u];
      ph2[u] = v.osc2Phase[u];
      inc2[u] = v.osc2Increment[u];
      gl[u] = unisonLeft_[u];
      gr[u] = unisonRight_[u];
    }
    double phSub = v.subPhase;
    const double incSub = v.subIncrement;
    const float *t1 = v.table1, *t2 = v.table2, *ts = v.tableSub;
    const float l1 = osc1Level_, l2 = osc2Level_, ls = subLevel_, cl = centreLeft_, cr = centreRight_;
    std::uint32_t seed = v.noise;
    AdsrEnvelope amp = v.amp;
    StateVariableFilter fl = v.svf, fr = v.svfRight, fl2 = v.svf2, fr2 = v.svf2Right;
    const FilterMix m1 = mixFor(filterType_, fl.damping()), m2 = mixFor(filterType_, fl2.damping());
    const bool second = slope24_;
    // The amplitude LFO's gain, linear across the control interval (1 when it is off).
    const float ampFrom = v.ampLfoFrom, ampSlope = (v.ampLfoTo - v.ampLfoFrom) * (1.0f / kControlInterval);
    const float velocityGain = v.velocityGain;
    int done = 0;
    while (done < run) {
      float left = 0.0f, right = 0.0f;
      for (int u = 0; u < copies; ++u) {
        float x = 0.0f;
        if (osc1) {
          x = l1 * readTable(t1, ph1[u]);
          ph1[u] += inc1[u];
          wrap(ph1[u]);
        }
        if (osc2) {
          x += l2 * readTable(t2, ph2[u]);
          ph2[u] += inc2[u];
          wrap(ph2[u]);
        }
        left += x * gl[u];
        if (stereo) right += x * gr[u];
      }
      float centre = 0.0f;
      if (sub) {
        centre = ls * readTable(ts, phSub);
        phSub += incSub;
        wrap(phSub);
      }
      if (noiseGain != 0.0f) {
        seed = seed * 1664525u + 1013904223u;
        centre += noiseGain * static_cast<float>(static_cast<std::int32_t>(seed)) * (1.0f / 2147483648.0f);
      }
      left += centre * cl;
      float yl = fl.mixed(left, m1.x, m1.v1, m1.v2);
      if (second) yl = fl2.mixed(yl, m2.x, m2.v1, m2.v2);
      const float gain = amp.next(ampShape_) * velocityGain * (ampFrom + ampSlope * static_cast<float>(offset + done));
      sumL[k + done] += yl * gain;
      if (stereo) {
        right += centre * cr;
        float yr = fr.mixed(right, m1.x, m1.v1, m1.v2);
        if (second) yr = fr2.mixed(yr, m2.x, m2.v1, m2.v2);
        sumR[k + done] += yr * gain;
      }
      ++done;
      if (!amp.active()) {
        v.active = false;
        break;
      }
    }
    for (int u = 0; u < copies; ++u) {
      v.unisonPhase[u] = ph1[u];
      v.osc2Phase[u] = ph2[u];
    }
    v.subPhase = phSub;
    v.noise = seed;
    v.amp = amp;
    // Silent layers (every level at 0) feed the filters exact zeros: their states never go subnormal.
    fl.flushTiny();
    fr.flushTiny();
    fl2.flushTiny();
    fr2.flushTiny();
    v.svf = fl;
    v.svfRight = fr;
    v.svf2 = fl2;
    v.svf2Right = fr2;
    v.samples += done;
    k += done;
  }
}

}  // namespace mixdown
