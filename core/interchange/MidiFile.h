// Standard MIDI Files (SMF, .mid) read into a Project and written from one. Bytes in, bytes out: no file
// I/O, so the command line and the studio in the browser use the same code.
//
// Read: formats 0, 1 and 2 (format 2's tracks are independent sequences, played one after another: each
// starts where the one before it ends, its End-of-Track); any PPQ (ticks per quarter note; a beat is a
// quarter note in the project too, so beat = tick / PPQ exactly); running status, also across meta and
// sysex events (which the standard says cancel it, but real files rely on it); note-off as 0x8n or as 0x9n
// with velocity 0, paired with the earliest note still open on that key and channel of that track; the
// set-tempo meta events (from any track) into the project's tempo map as steps (the start tempo from one at
// tick 0) and time-signature meta events into the signature changes (a change that does not fall on a bar
// line moves to the next bar, with a warning); chunks other than MThd and MTrk skipped by their length.
// One instrument track per MIDI track and channel that plays notes, named from the track's name (meta
// 0x03, else its instrument name 0x04; "(ch N)" added where a MIDI track plays several channels); channel
// 10 plays the drum machine (mixdown.drums, which answers General MIDI drum notes as they are), every other
// channel the poly synth (mixdown.polysynth). A track's notes (velocity 1..127 as 1/127..1) go into one clip
// from beat 0 to the track's end (its End-of-Track, or its last note's end, rounded up to a whole beat);
// more notes than a clip holds start further clips.
// Skipped with a warning: system common and real-time messages (0xF1..0xFE but 0xFF: not file events, but
// their lengths are known), notes still open at the end of their track (ended there), note-offs without a
// note, bytes after the last chunk, a track after its End-of-Track. Ignored silently: controllers, program
// changes, pitch bend, aftertouch, sysex, and the other meta events.
// Refused with "<name>: byte <offset>: <what is wrong>": not a MIDI file, SMPTE time division (frames per
// second; Mixdown's time is musical), a chunk longer than what is left of the file, a delta time longer than
// 4 bytes, a data byte with no status to run on, an event cut off by its chunk's end, a song past the
// project's limits (beat 100000, 1000 tracks). Never throws; memory grows with the file's size only (every
// length is checked against the bytes that remain before anything is allocated for it).
//
// Written: format 1 at 960 PPQ (it divides into halves, thirds, quarters, fifths, sixths, eighths, and
// sixteenths and their triplets, so every position on the studio's grids, triplets included, is a whole
// tick; it is the resolution DAWs commonly write, and a tick at 300 BPM is 0.2 ms, far below what anyone
// hears). Track 0 holds the title, the tempo map and the signature changes; then one track per instrument
// track with notes (its name, its notes as the song sounds them: clip edges, offsets and loops applied;
// muted clips left out), the drum machine's on channel 10, others on channels 1..16 but 10 in turn. Every
// track ends with an End-of-Track event. A tempo ramp (TempoShape::Linear) is written as a step every
// sixteenth note at the ramp's tempo in the middle of the step (MIDI has no ramps), with a warning. Audio
// tracks and buses are left out with a warning. Two notes of one key on one track where the second starts
// and ends inside the first come back with their ends swapped (a reader pairs a note-off with the earliest
// open note of its key, as this one does): the key sounds over the same span, but the lengths differ.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/Project.h"

namespace mixdown {

inline constexpr int kMidiExportPpq = 960;

struct MidiImport {
  Project project;                    // valid (validateProject finds nothing) when ok()
  std::vector<std::string> warnings;  // "song.mid: byte 215 (0xd7): status 0xf1 (MIDI time code) is not a file event (skipped)"
  std::string error;                  // not empty: refused, "song.mid: byte 18 (0x12): ..."
  bool ok() const { return error.empty(); }
};

// Any thread (pure). `name` names the file in messages (e.g. its file name); the project's title is the
// first track's name in formats 0 and 1, else `name` without ".mid".
MidiImport readMidiFile(std::string_view bytes, const std::string& name);

struct MidiExport {
  std::string bytes;                  // the .mid file
  std::size_t notes = 0;              // notes written (as the song sounds them: loops repeat theirs)
  std::vector<std::string> warnings;  // what the file cannot carry: audio tracks, tempo ramps as steps
};

// Any thread (pure). The project need not be valid; what cannot be written is left out with a warning.
MidiExport writeMidiFile(const Project& project);

}  // namespace mixdown
