// Hydrogen drum kits (drumkit.xml, read with pugixml) as sampler zones.
//
// Each <instrument> of <instrumentList>, in file order, plays MIDI note 36 + its position (Hydrogen's
// own default note mapping): a kit laid out as Hydrogen's GM kits are (kick, stick, snare, clap, second
// snare, low tom, closed hat, mid tom, pedal hat, high tom, open hat, ...) lands on General MIDI's drum
// notes (36 kick, 37 side stick, 38 snare, 39 clap, 40 electric snare, 41 low floor tom, 42 closed hat,
// 43 high floor tom, 44 pedal hat, 45 low tom, 46 open hat, 49 for the fourteenth: crash). More than 92
// instruments are refused (the notes would run past 127).
//
// Read per instrument: name, volume and gain (linear, multiplied), pan (pan_L/pan_R of older kits:
// pan = pan_R - pan_L; or <pan> -1..1), pitch (st), Attack, Decay, Release (frames, read at 44.1 kHz,
// Hydrogen's usual rate), Sustain (0..1), muteGroup (-1 none; instruments of one group cut each other:
// group = offBy = muteGroup + 1), isStopNote (true: the note-off stops it, gated; else one-shot).
// Per <layer> (directly in <instrument>, or in <instrumentComponent> as newer kits have them): filename
// (relative to the kit's folder), min and max (velocity 0..1: the layer plays MIDI velocities
// floor(min * 127) + 1 .. floor(max * 127), 1 at least), gain (linear) and pitch (st). Other elements
// are not read (no warning: Hydrogen's kits carry many UI settings).
// Not XML, a root other than <drumkit_info>, a number that is not one, a layer without a filename, a
// sample that does not exist: refused with a message naming the file, the line and the element.
#pragma once

#include <string>

#include "interchange/Kit.h"

namespace mixdown {

inline constexpr int kHydrogenFirstNote = 36;

// Any thread: the drumkit.xml at `path` (read through `files`).
KitImport readHydrogenKit(const std::string& path, const KitFiles& files);

}  // namespace mixdown
