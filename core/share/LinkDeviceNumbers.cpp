#include "share/LinkDeviceNumbers.h"

#include <cstring>

namespace mixdown {

// Revision 2 (2026-12-03): the registry's devices and parameters as they were then, in its order.
// Append only (see the header). Appended since: bendRange (polysynth, sampler; the live-input work).
const std::vector<LinkDeviceNumbers>& linkDeviceNumbers() {
  static const std::vector<LinkDeviceNumbers> list = {
    {"mixdown.polysynth",
     {"wave", "octave", "detune", "attack", "decay", "sustain", "release", "cutoff", "resonance", "filterEnv",
      "filterAttack", "filterDecay", "filterSustain", "filterRelease", "velocity", "pitchEnv", "pitchDecay", "volume",
      "osc1Level", "osc2Wave", "osc2Level", "osc2Octave", "osc2Semitones", "osc2Detune", "subLevel", "subWave",
      "subOctave", "subDetune", "noiseLevel", "unison", "unisonDetune", "unisonSpread", "filterType", "filterSlope",
      "keyTrack", "lfoShape", "lfoRate", "lfoSync", "lfoDivision", "lfoPitch", "lfoCutoff", "lfoAmp", "voiceMode",
      "glide", "bendRange"}},
    {"mixdown.drums",
     {"kick.tune", "kick.decay", "kick.tone", "kick.level", "kick.pan", "kick.sweep", "kick.sweepTime", "kick.click",
      "snare.tune", "snare.decay", "snare.tone", "snare.level", "snare.pan", "snare.snappy", "clap.tune",
      "clap.decay", "clap.tone", "clap.level", "clap.pan", "clap.spread", "rim.tune", "rim.decay", "rim.tone",
      "rim.level", "rim.pan", "closedHat.tune", "closedHat.decay", "closedHat.tone", "closedHat.level",
      "closedHat.pan", "openHat.tune", "openHat.decay", "openHat.tone", "openHat.level", "openHat.pan", "hat.color",
      "lowTom.tune", "lowTom.decay", "lowTom.tone", "lowTom.level", "lowTom.pan", "midTom.tune", "midTom.decay",
      "midTom.tone", "midTom.level", "midTom.pan", "highTom.tune", "highTom.decay", "highTom.tone", "highTom.level",
      "highTom.pan", "crash.tune", "crash.decay", "crash.tone", "crash.level", "crash.pan", "ride.tune", "ride.decay",
      "ride.tone", "ride.level", "ride.pan", "cowbell.tune", "cowbell.decay", "cowbell.tone", "cowbell.level",
      "cowbell.pan", "velocity", "volume"}},
    {"mixdown.sampler",
     {"volume", "velocity", "tune", "bendRange"}},
    {"mixdown.strip",
     {"gain", "pan", "mute", "solo"}},
    {"mixdown.eq",
     {"type1", "freq1", "gain1", "q1", "bypass1", "type2", "freq2", "gain2", "q2", "bypass2", "type3", "freq3",
      "gain3", "q3", "bypass3", "type4", "freq4", "gain4", "q4", "bypass4", "type5", "freq5", "gain5", "q5",
      "bypass5", "type6", "freq6", "gain6", "q6", "bypass6", "type7", "freq7", "gain7", "q7", "bypass7", "type8",
      "freq8", "gain8", "q8", "bypass8", "output"}},
    {"mixdown.compressor",
     {"threshold", "ratio", "knee", "attack", "release", "makeup", "detection", "sidechain", "sidechainHighPass",
      "mix"}},
    {"mixdown.gate",
     {"threshold", "range", "ratio", "attack", "hold", "release", "hysteresis"}},
    {"mixdown.saturation",
     {"drive", "curve", "tone", "mix", "output"}},
    {"mixdown.delay",
     {"sync", "time", "note", "feedback", "pingPong", "lowCut", "highCut", "mix"}},
    {"mixdown.reverb",
     {"preDelay", "size", "decay", "damping", "width", "mix"}},
    {"mixdown.chorus",
     {"rate", "depth", "delay", "feedback", "width", "mix"}},
    {"mixdown.utility",
     {"gain", "width", "invertLeft", "invertRight", "mono"}},
    {"mixdown.multiband",
     {"bands", "crossover1", "crossover2", "crossover3", "attack", "release", "knee", "threshold1", "ratio1", "gain1",
      "threshold2", "ratio2", "gain2", "threshold3", "ratio3", "gain3", "threshold4", "ratio4", "gain4"}},
    {"mixdown.imager",
     {"width", "monoBelow"}},
    {"mixdown.limiter",
     {"ceiling", "release", "autoRelease", "gain", "lookahead"}},

  };
  return list;
}

int linkDeviceNumber(const std::string& type) {
  const auto& list = linkDeviceNumbers();
  for (std::size_t i = 0; i < list.size(); ++i)
    if (type == list[i].type) return static_cast<int>(i);
  return -1;
}

int linkParamNumber(int device, const std::string& paramId) {
  const auto& list = linkDeviceNumbers();
  if (device < 0 || static_cast<std::size_t>(device) >= list.size()) return -1;
  const auto& params = list[static_cast<std::size_t>(device)].params;
  for (std::size_t i = 0; i < params.size(); ++i)
    if (paramId == params[i]) return static_cast<int>(i);
  return -1;
}

}  // namespace mixdown
