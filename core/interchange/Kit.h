// A sample kit read from another program's format (SFZ: interchange/Sfz.h; Hydrogen's drumkit.xml:
// interchange/HydrogenKit.h) as the sampler's zones. Core does no file I/O: the host passes the files in
// through KitFiles, and turns the kit's sample paths into assets (native-host/KitImport.cpp natively;
// in the browser the samples become assets like dropped audio).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "devices/SampleZone.h"
#include "model/Project.h"

namespace mixdown {

// What a sample file says of itself (a WAV's smpl chunk, as libsndfile's SFC_GET_INSTRUMENT reads it):
// the note it was recorded at and its first loop. Used where the kit does not say (SFZ's
// pitch_keycenter=sample; a region without loop points).
struct SampleInfo {
  int rootKey = -1;                          // MIDI note 0..127; -1: the file does not say
  ZoneLoop loop = ZoneLoop::Off;             // Off: no loop in the file
  std::int64_t loopStart = 0, loopEnd = 0;   // frames of the file; loopEnd exclusive (one past the last looped frame)
};

// What a kit reader asks of the host. Paths use '/' (readers turn Windows' '\' into '/').
struct KitFiles {
  // The text of a file (the kit, an SFZ #include); false when it cannot be read.
  std::function<bool(const std::string& path, std::string& text)> read;
  // The path under which a sample exists ("" when it does not). Hosts may match letter case loosely, as
  // kits made on Windows and macOS expect.
  std::function<std::string(const std::string& path)> findSample;
  // Optional: what the sample at a path findSample returned says of itself (a default SampleInfo when
  // nothing, or when the host cannot read it).
  std::function<SampleInfo(const std::string& path)> sampleInfo;
};

struct KitImport {
  std::string name;                   // the kit's name (Hydrogen's <name>; an SFZ file's name without .sfz)
  std::vector<SampleZone> zones;      // each zone's `asset` is its sample's path as findSample returned it
  std::vector<std::string> samples;   // the distinct sample paths, in order of first use
  std::vector<std::string> names;     // per zone: a name for people (Hydrogen's instrument; SFZ: the sample's file name)
  std::vector<std::string> warnings;  // what was read but not used: "kit.sfz:12: opcode \"amp_veltrack\" is not read (ignored)"
  std::string error;                  // not empty: the kit was refused, "kit.sfz:7: lokey: \"x\" is not a note number or name"
  bool ok() const { return error.empty(); }
  // Readers, once done: a refused kit keeps its message and nothing else of what was read before it.
  void dropIfRefused() {
    if (ok()) return;
    zones.clear();
    samples.clear();
    names.clear();
  }
};

// A kit's zones once its samples are assets, as every host loads a kit (`mixdown import-kit`, a kit dropped
// in the studio): each zone plays the asset its sample became, and what does not fit the sample is cut.
struct KitZones {
  std::vector<SampleZone> zones;      // `asset` is the asset's id
  std::vector<std::string> warnings;  // "Audiophob: zone 3 (Snare): end 90000 is past the sample's 44100 frames (cut there)"
  std::string error;                  // not empty: a zone cannot play its sample (it starts past the sample's end)
  bool ok() const { return error.empty(); }
};

// Any thread (pure): `assets[i]` is what `kit.samples[i]` became (its id and length in frames; a length of
// 0 is unknown: nothing is cut). Zone and loop ends past their sample's length are cut there with a
// warning each (a loop left shorter than two frames is switched off); a zone that starts at or past its
// sample's end refuses the kit (`error`, and no zones).
KitZones kitZonesForAssets(const KitImport& kit, const std::vector<Asset>& assets);

// Any thread (pure): `relative` (with '\' read as '/') against the folder of `file`; `relative` as it is
// when absolute. "." and ".." segments are resolved lexically.
std::string kitPath(const std::string& file, const std::string& relative);

}  // namespace mixdown
