// DAWproject (.dawproject: a zip holding project.xml and metadata.xml, the open exchange format Bitwig
// published; read and written by Bitwig Studio, Studio One, Cubase and others) to and from a Project.
// Archive in, Archive out (interchange/Archive.h): no file I/O, so the command line and the studio in the
// browser use the same code. Never throws (the wasm build cannot catch): problems come back as values.
//
// Read (project.xml; metadata.xml's Title when there is one):
// - Structure: every Track with a Channel. role="master" is our master (Volume as its gain, its devices as
//   the master chain); role="effect" and role="submix" (and group tracks, contentType="tracks", whose
//   children are read too) are buses; regular tracks are instrument tracks when they hold notes or an
//   instrument device, else audio tracks. role="vca" channels are skipped with a warning.
// - Channel: Volume (unit linear: gain factor, 1 = 0 dB, 0 = silence, which we keep at -144 dB; or
//   decibel), Pan (unit normalized: 0 hard left, 0.5 centre, 1 hard right, as 2 v - 1 in our -1..+1),
//   Mute, solo, destination (the channel this one feeds: the master or a bus), Sends (Volume as the
//   send's level, type pre/post; a send with Enable false is skipped with a warning).
// - Arrangement: Lanes per track (track="id"), in beats or seconds (timeUnit, inherited; beats when
//   none says), with Clips and Points. A Clip's time and duration are in its parent's unit; its
//   playStart, playStop, loopStart and loopEnd in its content's (contentTimeUnit). Notes clips become
//   MIDI clips (vel 0..1 as our velocity; a note without vel gets 0.8, the spec's silence on it); audio
//   clips (Audio directly, or inside Warps, or inside a nested Clips as Bitwig writes them) become audio
//   clips of an asset per file in the zip. Mixdown plays audio unstretched: a Warps whose beats-to-seconds
//   ratio is the song's tempo plays the same; any other plays unstretched from the same start, with a
//   warning. enable="false" clips are muted. Clip launcher scenes, markers, video, fades and clips' own
//   automation are skipped with a warning each (a count per kind, the first place named).
// - Tempo and signature: Transport's Tempo (bpm) and TimeSignature, TempoAutomation (RealPoints in bpm:
//   "hold" segments become steps, "linear" ones ramps) and TimeSignatureAutomation (a change that does
//   not fall on a bar line moves to the next bar, with a warning).
// - Automation: Points on a track's lane whose Target is a channel's Volume or Pan (the lanes "gain" in
//   dB and "pan"), a mapped device's parameter, or a parameter listed in a Mixdown device's Parameters.
//   Interpolation "linear" is our Linear shape, "hold" our Step. Other targets are skipped with a warning.
// - Devices: Equalizer, Compressor, NoiseGate and Limiter map to mixdown.eq, mixdown.compressor,
//   mixdown.gate and mixdown.limiter (units converted: see the mapping functions below). A device written
//   by Mixdown (deviceID "mixdown.<type>" with a State file "*.mixdown-device.json") is read back exactly
//   from that file; a sampler's zones play assets made of the zip's audio files its state names (a zone
//   whose file the zip lacks is left out, with a warning). Any other device or plug-in (Vst2, Vst3, Clap, AU, other built-ins) becomes a bypassed
//   mixdown.utility in its place, with a warning naming it and where it was. An instrument plug-in cannot
//   play in Mixdown: the track plays the Poly Synth (mixdown.polysynth at its defaults), with a warning
//   naming the plug-in.
// - Refused, with "<name>: project.xml:<line>:<column>: <element path>: <what is wrong>": a missing
//   project.xml, XML that does not parse (the parser's offset as line and column), a root other than
//   <Project>, a number that is not one (or is NaN, or infinite where a finite value is needed), a value
//   out of its range (a negative duration, a key past 127, a velocity past 1, a linear volume below 0), a
//   reference to an id that is not there, more than the project's limits (tracks, clips, notes, points).
//   An audio file the zip does not hold (or one outside it, external="true") leaves its clip out, with a
//   warning, as a DAW shows such a clip offline.
//
// Written: project.xml (validates against the DAWproject 1.0 schema, Project.xsd), metadata.xml (Title),
// and a State file per device (plugins/<track>-<n>.mixdown-device.json: the device as our project JSON
// has it, so Mixdown reads it back exactly; a sampler's also names the audio entry of each asset its zones
// play, and those assets are in DawprojectExport::audio as clips' are). Times in beats. Each track is a Track with a Channel (the
// master a Track with role="master"; a bus role="submix" when a track outputs to it, else role="effect");
// devices with a DAWproject built-in (mixdown.eq, .compressor, .gate, .limiter) as that element with its
// fields converted, every other device as a <Device> with our deviceID and the parameters automated in
// <Parameters>; the instrument as a <Device deviceRole="instrument">. Another DAW shows our other devices
// and our instruments as placeholders it cannot load. Audio clips are Clips in beats holding their Audio
// in seconds (contentTimeUnit="seconds": playStart and the loop in seconds of the file, the song's tempo
// map converting). The host adds the audio files (DawprojectExport::audio names each one's entry).
// Not carried, with a warning: curved automation (written linear), clip gain (an audio clip's gainDb).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "interchange/Archive.h"
#include "model/Project.h"

namespace mixdown {

inline constexpr const char* kDawprojectProjectEntry = "project.xml";
inline constexpr const char* kDawprojectMetadataEntry = "metadata.xml";
inline constexpr const char* kDawprojectVersion = "1.0";

// What a host knows of an audio file in the zip from decoding it (the file's own rate, channels and
// length, its hash, the asset id it chose). Without it the reader takes the Audio element's word.
struct DawprojectAudioFacts {
  std::string assetId;   // "" = the reader names it ("audio1", ...)
  std::string sha256;
  double sampleRate = 0.0;  // 0 = unknown
  int channels = 0;
  std::int64_t frames = 0;
};

struct DawprojectImport {
  Project project;                                  // valid (validateProject finds nothing) when ok()
  std::map<std::string, std::string> audioEntries;  // asset id -> the zip entry holding its file
  std::vector<std::string> warnings;
  std::string error;                                // not empty: refused, naming file, line:column and element
  bool ok() const { return error.empty(); }
};

// Any thread (pure). `name` names the file in messages. Only project.xml, metadata.xml and device State
// files are read from `archive`; the other entries need only be listed (a host that keeps audio bytes
// elsewhere may pass them empty). `facts` is keyed by entry path.
DawprojectImport readDawproject(const Archive& archive, const std::string& name,
                                const std::map<std::string, DawprojectAudioFacts>& facts = {});

struct DawprojectExport {
  Archive archive;                                  // project.xml, metadata.xml, device states
  std::map<std::string, std::string> audio;         // asset id -> the entry the host adds its file as
  std::vector<std::string> warnings;
};

// Any thread (pure). The project should be valid; what DAWproject cannot carry is warned about.
DawprojectExport writeDawproject(const Project& project);

// The unit conversions of the mapping, exposed for tests (each exact but for rounding of the last bit).
namespace dawproject {
double gainDbOfLinear(double linear);          // 20 log10(linear); 0 -> -144 (our floor)
double linearOfGainDb(double db);              // 10^(dB / 20); -144 and below -> 0
double panOfNormalized(double normalized);     // 0..1 -> -1..+1
double normalizedOfPan(double pan);            // -1..+1 -> 0..1
// DAWproject gives compressor and gate ratios "in percent (0-100)": we read that as the share of the
// level above the threshold taken away, 100 (1 - 1/ratio): 0 % is 1:1, 50 % is 2:1, 75 % is 4:1, 100 %
// is infinity:1 (held at the device's largest ratio). A ratio given with unit "linear" is the ratio itself.
double ratioOfPercent(double percent);
double percentOfRatio(double ratio);
}  // namespace dawproject

}  // namespace mixdown
