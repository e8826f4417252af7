// SFZ instruments (the text format of sforzando, sfizz, LinuxSampler...) as sampler zones.
//
// Read: the headers <control>, <global>, <master>, <group>, <region> (a region inherits its group's,
// master's and global's opcodes, the nearest winning; a new <global> clears the master and group, a
// new <master> the group; a new <control> sets default_path again from nothing); #define $NAME value
// (substituted everywhere after it, the longest name first) and #include "file" (relative to the top
// file's folder; an include already being read is skipped with a warning; at most 16 deep); line
// comments // and block comments /* */.
//
// Opcodes read (units as SFZ has them, converted to SampleZone's):
//   sample (with default_path before it; generators such as *sine are not samples: the region is skipped
//   with a warning), lokey, hikey, key (also sets pitch_keycenter), pitch_keycenter (MIDI numbers or
//   names: c4 = 60, c#4, db4; "sample": the sample file's own root key, KitFiles::sampleInfo, 60 with a
//   warning when it names none), lovel, hivel (a lovel of 0 reads as 1), tune (ct), transpose (st; added to
//   tune), volume (dB), pan (-100..100), loop_mode (no_loop, one_shot, loop_continuous, loop_sustain; the
//   sampler loops through the release in both loop modes), loop_start and loop_end (frames; loop_end is
//   the last frame looped, inclusive; given without loop_mode they loop continuously; loopstart, loopend
//   and loopmode are read as the same; a point the region does not give is the sample file's own loop
//   (KitFiles::sampleInfo: a WAV's smpl chunk), and a sample with a loop loops continuously unless
//   loop_mode says no_loop or one_shot, ping-pong when the file's loop is one and the region moves no point), offset and end (frames; end inclusive, -1 or 0 skips the region),
//   ampeg_attack, ampeg_decay, ampeg_release (s), ampeg_sustain (%), group, off_by, trigger (attack,
//   release, first, legato).
//   default_path in <control>.
// Every other opcode (and header) is skipped with one warning per name naming the file and line where
// it first appears. A value that is not a number where one is needed, or out of its range, a sample file
// that does not exist, an #include that cannot be read: the kit is refused with a message naming the file,
// the line and what was wrong.
#pragma once

#include <string>

#include "interchange/Kit.h"

namespace mixdown {

// Any thread: the SFZ file at `path` (read through `files`).
KitImport readSfz(const std::string& path, const KitFiles& files);

}  // namespace mixdown
