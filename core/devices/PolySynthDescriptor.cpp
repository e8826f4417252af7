// mixdown.polysynth's parameters: ids, ranges, units and defaults. The ids are stable (projects and links
// address parameters by id); every parameter added after the first release defaults to the sound from
// before it existed, so old projects render bit-identically.
#include <cmath>

#include "devices/PolySynth.h"

namespace mixdown {
namespace {

ParamDescriptor choice(const char* id, const char* name, std::vector<std::string> choices, double def) {
  auto p = makeParam(id, name, "", 0, static_cast<double>(choices.size() - 1), def, ParamScale::Choice);
  p.choices = std::move(choices);
  return p;
}

// The synced LFO's cycle lengths, in beats (a beat is a quarter note).
struct Division {
  const char* name;
  double beats;
};
constexpr Division kDivisions[] = {
    {"4 bars", 16.0}, {"2 bars", 8.0}, {"1/1", 4.0}, {"1/2", 2.0}, {"1/4", 1.0}, {"1/8", 0.5}, {"1/16", 0.25},
    {"1/32", 0.125}, {"1/2 dotted", 3.0}, {"1/4 dotted", 1.5}, {"1/8 dotted", 0.75}, {"1/16 dotted", 0.375},
    {"1/2 triplet", 4.0 / 3.0}, {"1/4 triplet", 2.0 / 3.0}, {"1/8 triplet", 1.0 / 3.0}, {"1/16 triplet", 1.0 / 6.0}};
constexpr int kDivisionCount = static_cast<int>(sizeof kDivisions / sizeof kDivisions[0]);

// Stereo exactly when unison copies are spread: more than one copy and a spread above 0.
int outputChannels(const double* v) {
  return v[PolySynth::kUnison] > 1.0 && v[PolySynth::kUnisonSpread] > 0.0 ? 2 : 1;
}

DeviceDescriptor makeDescriptor() {
  using P = PolySynth;
  DeviceDescriptor d;
  d.id = "mixdown.polysynth";
  d.name = "Poly Synth";
  d.kind = DeviceKind::Instrument;
  d.outputChannels = outputChannels;
  d.params.resize(P::kParamCount);
  const std::vector<std::string> waves = {"Sine", "Triangle", "Saw", "Square"};
  auto wave = choice("wave", "Osc 1 waveform", {"Sine", "Triangle", "Saw", "Square", "Noise"}, 2);
  d.params[P::kWave] = wave;
  d.params[P::kOctave] = makeParam("octave", "Osc 1 octave", "oct", -3, 3, 0, ParamScale::Choice);
  d.params[P::kDetune] = makeParam("detune", "Osc 1 fine tune", "ct", -100, 100, 0);
  d.params[P::kAttack] = makeParam("attack", "Attack", "ms", 0.1, 10000, 5, ParamScale::Logarithmic);
  d.params[P::kDecay] = makeParam("decay", "Decay", "ms", 1, 20000, 300, ParamScale::Logarithmic);
  d.params[P::kSustain] = makeParam("sustain", "Sustain", "", 0, 1, 0.7);
  d.params[P::kRelease] = makeParam("release", "Release", "ms", 1, 20000, 250, ParamScale::Logarithmic);
  d.params[P::kCutoff] = makeParam("cutoff", "Cutoff", "Hz", 20, 20000, 4000, ParamScale::Logarithmic, 20);
  d.params[P::kResonance] = makeParam("resonance", "Resonance", "", 0, 1, 0.2);
  d.params[P::kFilterEnv] = makeParam("filterEnv", "Filter envelope", "oct", -8, 8, 2);
  d.params[P::kFilterAttack] = makeParam("filterAttack", "Filter attack", "ms", 0.1, 10000, 5, ParamScale::Logarithmic);
  d.params[P::kFilterDecay] = makeParam("filterDecay", "Filter decay", "ms", 1, 20000, 400, ParamScale::Logarithmic);
  d.params[P::kFilterSustain] = makeParam("filterSustain", "Filter sustain", "", 0, 1, 0.3);
  d.params[P::kFilterRelease] = makeParam("filterRelease", "Filter release", "ms", 1, 20000, 300, ParamScale::Logarithmic);
  d.params[P::kVelocity] = makeParam("velocity", "Velocity sensitivity", "", 0, 1, 0.7);
  d.params[P::kPitchEnv] = makeParam("pitchEnv", "Pitch envelope", "st", -48, 48, 0);
  d.params[P::kPitchDecay] = makeParam("pitchDecay", "Pitch decay", "ms", 1, 5000, 50, ParamScale::Logarithmic);
  d.params[P::kVolume] = makeParam("volume", "Volume", "dB", -60, 12, -6, ParamScale::Linear, 20);

  // Levels are linear gains (1 = the oscillator at full scale), taken per block.
  d.params[P::kOsc1Level] = makeParam("osc1Level", "Osc 1 level", "", 0, 1, 1);
  d.params[P::kOsc2Wave] = choice("osc2Wave", "Osc 2 waveform", waves, 2);
  d.params[P::kOsc2Level] = makeParam("osc2Level", "Osc 2 level", "", 0, 1, 0);
  d.params[P::kOsc2Octave] = makeParam("osc2Octave", "Osc 2 octave", "oct", -3, 3, 0, ParamScale::Choice);
  d.params[P::kOsc2Semitones] = makeParam("osc2Semitones", "Osc 2 semitones", "st", -12, 12, 0, ParamScale::Choice);
  d.params[P::kOsc2Detune] = makeParam("osc2Detune", "Osc 2 fine tune", "ct", -100, 100, 0);
  d.params[P::kSubLevel] = makeParam("subLevel", "Sub level", "", 0, 1, 0);
  d.params[P::kSubWave] = choice("subWave", "Sub waveform", {"Sine", "Square"}, 0);
  d.params[P::kSubOctave] = makeParam("subOctave", "Sub octave", "oct", -2, -1, -1, ParamScale::Choice);
  d.params[P::kSubDetune] = makeParam("subDetune", "Sub fine tune", "ct", -100, 100, 0);
  d.params[P::kNoiseLevel] = makeParam("noiseLevel", "Noise level", "", 0, 1, 0);
  // Unison: copies of both oscillators, detuned evenly between -detune and +detune cents and panned
  // evenly between -spread and +spread (1 = hard left to hard right).
  d.params[P::kUnison] = makeParam("unison", "Unison voices", "", 1, P::kMaxUnison, 1, ParamScale::Choice);
  d.params[P::kUnisonDetune] = makeParam("unisonDetune", "Unison detune", "ct", 0, 100, 15);
  d.params[P::kUnisonSpread] = makeParam("unisonSpread", "Unison spread", "", 0, 1, 0.5);
  d.params[P::kFilterType] = choice("filterType", "Filter type", {"Low-pass", "High-pass", "Band-pass"}, 0);
  d.params[P::kFilterSlope] = choice("filterSlope", "Filter slope", {"12 dB/oct", "24 dB/oct"}, 0);
  // 1: the cutoff follows the note, an octave per octave, from C4 (MIDI 60).
  d.params[P::kKeyTrack] = makeParam("keyTrack", "Filter key tracking", "", 0, 1, 0);
  d.params[P::kLfoShape] = choice("lfoShape", "LFO shape", {"Sine", "Triangle", "Square", "Saw up", "Saw down", "Random"}, 0);
  d.params[P::kLfoRate] = makeParam("lfoRate", "LFO rate", "Hz", 0.01, 50, 2, ParamScale::Logarithmic);
  d.params[P::kLfoSync] = makeParam("lfoSync", "LFO tempo sync", "", 0, 1, 0, ParamScale::Toggle);
  std::vector<std::string> divisions;
  for (const Division& v : kDivisions) divisions.push_back(v.name);
  d.params[P::kLfoDivision] = choice("lfoDivision", "LFO sync length", divisions, 4);
  d.params[P::kLfoPitch] = makeParam("lfoPitch", "LFO to pitch", "st", -24, 24, 0);
  d.params[P::kLfoCutoff] = makeParam("lfoCutoff", "LFO to cutoff", "oct", -8, 8, 0);
  // 1: the level swings from silence (LFO at -1) to full (LFO at +1).
  d.params[P::kLfoAmp] = makeParam("lfoAmp", "LFO to amplitude", "", 0, 1, 0);
  d.params[P::kVoiceMode] = choice("voiceMode", "Voice mode", {"Poly", "Mono", "Legato"}, 0);
  // Linear in semitones, the same time whatever the interval; 0 = off.
  d.params[P::kGlide] = makeParam("glide", "Glide time", "ms", 0, 5000, 0);
  d.params[P::kBendRange] = makeParam("bendRange", "Pitch bend range", "st", 0, 24, 2);
  return d;
}

}  // namespace

const DeviceDescriptor& PolySynth::staticDescriptor() {
  static const DeviceDescriptor d = makeDescriptor();
  return d;
}

double PolySynth::beatsPerLfoCycle(int division) {
  return kDivisions[division < 0 ? 0 : division >= kDivisionCount ? kDivisionCount - 1 : division].beats;
}

}  // namespace mixdown
