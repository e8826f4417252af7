// A sample kit read from another program's format (SFZ: interchange/Sfz.h; Hydrogen's drumkit.xml:
// interchange/HydrogenKit.h) as the sampler's zones. Core does no file I/O: the host passes the files in
// through KitFiles, and turns the kit's sample paths into assets (native-host/KitImport.cpp natively;
// in the browser the samples become assets like dropped audio).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "devices/SampleZone.h"

namespace mixdown {

// What a kit reader asks of the host. Paths use '/' (readers turn Windows' '\' into '/').
struct KitFiles {
  // The text of a file (the kit, an SFZ #include); false when it cannot be read.
  std::function<bool(const std::string& path, std::string& text)> read;
  // The path under which a sample exists ("" when it does not). Hosts may match letter case loosely, as
  // kits made on Windows and macOS expect.
  std::function<std::string(const std::string& path)> findSample;
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

// Any thread (pure): `relative` (with '\' read as '/') against the folder of `file`; `relative` as it is
// when absolute. "." and ".." segments are resolved lexically.
std::string kitPath(const std::string& file, const std::string& relative);

}  // namespace mixdown
