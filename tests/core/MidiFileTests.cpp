// Standard MIDI Files (core/interchange/MidiFile.h): the real edge cases of ../shared/testdata/midi-jazz-soft
// (each imports with the notes its name and its text events promise, or is refused naming the file and the
// byte), files made here byte by byte for what those do not cover (running status after meta events,
// note-off pairing, tempo and signature maps, any PPQ, SMPTE, hostile lengths), and the round trip
// song -> .mid -> song.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "engine/Timeline.h"
#include "interchange/MidiFile.h"
#include "model/Arrange.h"
#include "model/ProjectJson.h"

using namespace mixdown;
namespace fs = std::filesystem;

namespace {

const fs::path kJazzSoft = fs::path(MIXDOWN_SOURCE_DIR) / "../shared/testdata/midi-jazz-soft";

std::string fileBytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

MidiImport importJazzSoft(const std::string& name) { return readMidiFile(fileBytes(kJazzSoft / name), name); }

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// A MIDI file made here: the header and each track's bytes (events without the End-of-Track, which is added).
std::string be(std::uint32_t v, int bytes) {
  std::string s;
  for (int i = bytes - 1; i >= 0; --i) s += static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}
std::string chunk(const std::string& id, const std::string& body) { return id + be(static_cast<std::uint32_t>(body.size()), 4) + body; }
std::string midiFile(int format, int division, const std::vector<std::string>& tracks, bool endOfTrack = true) {
  std::string f = chunk("MThd", be(format, 2) + be(static_cast<std::uint32_t>(tracks.size()), 2) + be(division, 2));
  for (const std::string& t : tracks) f += chunk("MTrk", t + (endOfTrack ? std::string("\x00\xff\x2f\x00", 4) : ""));
  return f;
}
std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s += static_cast<char>(x);
  return s;
}

// Every note of a track as the song sounds it, in start order (then pitch).
std::vector<SoundingNote> notesOf(const Track& t) {
  std::vector<SoundingNote> all;
  for (const Clip& c : t.clips)
    for (const SoundingNote& n : soundingNotes(c)) all.push_back(n);
  std::stable_sort(all.begin(), all.end(), [](const SoundingNote& a, const SoundingNote& b) { return a.start != b.start ? a.start < b.start : a.pitch < b.pitch; });
  return all;
}

// The C major scale from C4 (60, "C5" in the files' own naming) as jazz-soft's tests play it: a quarter
// note each.
void expectCMajorScale(const MidiImport& m, const std::string& file) {
  BOOST_TEST_REQUIRE(m.ok(), file << ": " << m.error);
  BOOST_TEST_REQUIRE(m.project.tracks.size() == 1u, file);
  const auto notes = notesOf(m.project.tracks[0]);
  const int scale[] = {60, 62, 64, 65, 67, 69, 71, 72};
  BOOST_TEST_REQUIRE(notes.size() == 8u, file);
  for (std::size_t i = 0; i < 8; ++i) {
    BOOST_TEST(notes[i].pitch == scale[i], file << " note " << i);
    BOOST_TEST(notes[i].length == 1.0, file << " note " << i);
    if (i > 0) BOOST_TEST(notes[i].start - notes[i - 1].start == 1.0, file << " note " << i);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(midi_files)

BOOST_AUTO_TEST_CASE(every_jazz_soft_file_imports_a_valid_song_or_is_refused_naming_file_and_byte) {
  int imported = 0, refused = 0;
  for (const auto& e : fs::directory_iterator(kJazzSoft)) {
    if (e.path().extension() != ".mid") continue;
    const std::string name = e.path().filename().string();
    const MidiImport m = importJazzSoft(name);
    if (m.ok()) {
      ++imported;
      BOOST_TEST(validateProject(m.project).empty(), name);
      // What a project file holds reads back the same.
      const ProjectLoad back = parseProject(writeProject(m.project));
      BOOST_TEST(back.ok(), name << ": " << back.errorText());
    } else {
      ++refused;
      BOOST_TEST_MESSAGE(m.error);
      BOOST_TEST(m.error.rfind(name + ": byte ", 0) == 0u, m.error);
      BOOST_TEST(m.project.tracks.empty());
    }
  }
  BOOST_TEST_MESSAGE(imported << " files imported, " << refused << " refused");
  BOOST_TEST(imported == 69);
  BOOST_TEST(refused == 3);
}

BOOST_AUTO_TEST_CASE(the_files_that_promise_a_c_major_scale_give_one) {
  for (const std::string name : {"test-c-major-scale.mid", "test-corrupt-file-extra-byte.mid", "test-non-midi-track.mid", "test-running-status-metaevent.mid",
                                 "test-running-status-sysex.mid", "test-vlq-2-byte.mid", "test-vlq-3-byte.mid", "test-vlq-4-byte.mid",
                                 "test-illegal-message-all.mid", "test-illegal-message-f1-xx.mid", "test-illegal-message-f2-xx-xx.mid",
                                 "test-illegal-message-f3-xx.mid", "test-illegal-message-f4.mid", "test-illegal-message-f5.mid", "test-illegal-message-f6.mid",
                                 "test-illegal-message-f8.mid", "test-illegal-message-f9.mid", "test-illegal-message-fa.mid", "test-illegal-message-fb.mid",
                                 "test-illegal-message-fc.mid", "test-illegal-message-fd.mid", "test-illegal-message-fe.mid", "test-smpte-offset.mid"})
    expectCMajorScale(importJazzSoft(name), name);
}

BOOST_AUTO_TEST_CASE(what_is_skipped_is_said_with_its_byte) {
  const MidiImport junk = importJazzSoft("test-non-midi-track.mid");
  BOOST_TEST_REQUIRE(junk.warnings.size() == 1u);
  BOOST_TEST(junk.warnings[0] == "test-non-midi-track.mid: byte 14 (0xe): a \"Junk\" chunk (27 bytes) is not MIDI (skipped)");
  const MidiImport extra = importJazzSoft("test-corrupt-file-extra-byte.mid");
  BOOST_TEST_REQUIRE(extra.warnings.size() == 1u);
  BOOST_TEST(contains(extra.warnings[0], "byte 275 (0x113): 1 byte(s) after the last chunk"));
  const MidiImport f2 = importJazzSoft("test-illegal-message-f2-xx-xx.mid");
  BOOST_TEST_REQUIRE(f2.warnings.size() == 1u);
  BOOST_TEST(contains(f2.warnings[0], "byte 221 (0xdd): status 0xf2 (song position)"));
  BOOST_TEST(importJazzSoft("test-illegal-message-all.mid").warnings.size() == 13u);
}

BOOST_AUTO_TEST_CASE(broken_files_are_refused_with_the_byte_and_what_is_wrong) {
  BOOST_TEST(importJazzSoft("test-empty-file.mid").error == "test-empty-file.mid: byte 0 (0x0): the file is empty (a MIDI file starts with \"MThd\")");
  BOOST_TEST(importJazzSoft("test-not-a-midi-file.mid").error ==
             "test-not-a-midi-file.mid: byte 0 (0x0): not a MIDI file (it does not start with the 14-byte \"MThd\" header)");
  BOOST_TEST(importJazzSoft("test-corrupt-file-missing-byte.mid").error ==
             "test-corrupt-file-missing-byte.mid: byte 14 (0xe): the \"MTrk\" chunk says it holds 246 bytes, but the file has 245 after its header "
             "(the file is cut short or damaged)");
}

BOOST_AUTO_TEST_CASE(format_1_tracks_play_together_and_format_2_tracks_one_after_another) {
  for (const char* name : {"test-2-tracks-type-1.mid", "test-2-tracks-type-0.mid"}) {
    const MidiImport m = importJazzSoft(name);
    BOOST_TEST_REQUIRE(m.project.tracks.size() == 2u, name);
    BOOST_TEST(notesOf(m.project.tracks[0]).front().start == notesOf(m.project.tracks[1]).front().start, name);
    BOOST_TEST(m.project.tracks[1].name == "Track 2");
  }
  const MidiImport m = importJazzSoft("test-2-tracks-type-2.mid");
  BOOST_TEST_REQUIRE(m.project.tracks.size() == 2u);
  const auto first = notesOf(m.project.tracks[0]), second = notesOf(m.project.tracks[1]);
  BOOST_TEST(first.size() == 8u);
  BOOST_TEST(second.size() == 8u);
  // The second sequence starts after the first one's End-of-Track (beat 9) and its own one-beat rest.
  BOOST_TEST(first.back().start + first.back().length == 9.0);
  BOOST_TEST(second.front().start == 10.0);
  BOOST_TEST(second.front().pitch == 61);  // C#: the second scale is a semitone up
}

BOOST_AUTO_TEST_CASE(one_track_per_midi_track_and_channel_named_from_the_track) {
  for (int k = 0; k < 4; ++k) {
    const std::string name = "test-multichannel-chords-" + std::to_string(k) + ".mid";
    const MidiImport m = importJazzSoft(name);
    BOOST_TEST_REQUIRE(m.project.tracks.size() == 3u, name);
    // Eight chords: each of the three tracks has a note on each of the eight beats.
    std::vector<std::vector<SoundingNote>> notes;
    for (const Track& t : m.project.tracks) notes.push_back(notesOf(t));
    for (const auto& n : notes) BOOST_TEST_REQUIRE(n.size() == 8u, name);
    for (int i = 0; i < 8; ++i) BOOST_TEST((notes[0][i].start == notes[1][i].start && notes[1][i].start == notes[2][i].start), name << " chord " << i);
  }
  const MidiImport zero = importJazzSoft("test-multichannel-chords-0.mid");
  BOOST_TEST(zero.project.tracks[1].name == "Multi-channel chords Test 0 (ch 2)");
  BOOST_TEST(zero.project.title == "Multi-channel chords Test 0");
}

BOOST_AUTO_TEST_CASE(channel_10_plays_the_drum_machine_on_general_midi_notes) {
  const MidiImport m = importJazzSoft("test-all-gm-percussion.mid");
  BOOST_TEST_REQUIRE(m.project.tracks.size() == 1u);
  BOOST_TEST(m.project.tracks[0].instrument->type == "mixdown.drums");
  const auto notes = notesOf(m.project.tracks[0]);
  BOOST_TEST(std::any_of(notes.begin(), notes.end(), [](const SoundingNote& n) { return n.pitch == 36; }));  // Bass Drum 1
  BOOST_TEST(std::any_of(notes.begin(), notes.end(), [](const SoundingNote& n) { return n.pitch == 38; }));  // Acoustic Snare
  // Bank select's test plays channel 1 and channel 10 in turn: a synth track and a drum track.
  const MidiImport bank = importJazzSoft("test-control-00-20-bank-select.mid");
  BOOST_TEST_REQUIRE(bank.project.tracks.size() == 2u);
  BOOST_TEST(bank.project.tracks[0].instrument->type == "mixdown.polysynth");
  BOOST_TEST(bank.project.tracks[1].instrument->type == "mixdown.drums");
}

BOOST_AUTO_TEST_CASE(velocities_come_in_as_fractions_of_127) {
  const MidiImport m = importJazzSoft("test-note-on-velocity.mid");
  BOOST_TEST_REQUIRE(m.project.tracks.size() == 1u);
  const auto notes = notesOf(m.project.tracks[0]);
  const int expected[] = {1, 16, 32, 48, 64, 80, 96, 112, 127};
  BOOST_TEST_REQUIRE(notes.size() == 9u);
  for (int i = 0; i < 9; ++i) BOOST_TEST(notes[i].velocity == expected[i] / 127.0);
}

BOOST_AUTO_TEST_CASE(the_end_of_track_sets_the_clip_length) {
  // C4 for a beat, then a half note of silence before the End-of-Track.
  const MidiImport m = importJazzSoft("test-track-length.mid");
  BOOST_TEST_REQUIRE(m.project.tracks.size() == 1u);
  BOOST_TEST(m.project.tracks[0].clips.at(0).length == 3.0);
  BOOST_TEST(m.project.tracks[0].name == "Track length test");
}

BOOST_AUTO_TEST_CASE(running_status_carries_across_meta_and_sysex_events) {
  // 0x90 once, then notes by running status, a text meta event and a sysex between them.
  const std::string t = bytes({0x00, 0x90, 60, 100, 0x60, 60, 0, 0x00, 0xff, 0x01, 0x01, 'x', 0x00, 62, 90, 0x60, 62, 0, 0x00, 0xf0, 0x02, 0x7e, 0xf7,
                               0x00, 64, 80, 0x60, 64, 0});
  const MidiImport m = readMidiFile(midiFile(0, 96, {t}), "rs.mid");
  BOOST_TEST_REQUIRE(m.ok(), m.error);
  const auto notes = notesOf(m.project.tracks.at(0));
  BOOST_TEST_REQUIRE(notes.size() == 3u);
  BOOST_TEST(notes[1].pitch == 62);
  BOOST_TEST(notes[1].velocity == 90 / 127.0);
  BOOST_TEST(notes[2].start == 2.0);
}

BOOST_AUTO_TEST_CASE(a_note_off_ends_the_earliest_open_note_of_its_key_and_channel) {
  // Two C4s overlap on channel 1 (on at 0 and at 1 beat), an E4 on channel 2 in between; offs at 2 (0x80)
  // and 3 beats (0x90 velocity 0): the first off ends the first C4 (2 beats long), the second the second.
  const std::string t = bytes({0x00, 0x90, 60, 100, 0x00, 0x91, 60, 50, 0x60, 0x90, 60, 70, 0x60, 0x80, 60, 64, 0x00, 0x81, 60, 0, 0x60, 0x90, 60, 0});
  const MidiImport m = readMidiFile(midiFile(1, 96, {t}), "pairs.mid");
  BOOST_TEST_REQUIRE(m.ok(), m.error);
  BOOST_TEST_REQUIRE(m.project.tracks.size() == 2u);
  const auto ch1 = notesOf(m.project.tracks[0]);
  BOOST_TEST_REQUIRE(ch1.size() == 2u);
  BOOST_TEST(ch1[0].start == 0.0);
  BOOST_TEST(ch1[0].length == 2.0);
  BOOST_TEST(ch1[0].velocity == 100 / 127.0);
  BOOST_TEST(ch1[1].start == 1.0);
  BOOST_TEST(ch1[1].length == 2.0);
  BOOST_TEST(notesOf(m.project.tracks[1]).at(0).length == 2.0);  // channel 2's note ends on its own off
}

BOOST_AUTO_TEST_CASE(tempo_and_signature_changes_become_the_tempo_map_at_any_ppq) {
  // PPQ 7 (odd on purpose). Conductor: 100 BPM and 3/4 at 0; 150 BPM at beat 6 (bar 3); 6/8 at beat 6;
  // 7/8 at beat 7 (inside the first 6/8 bar: moves to the next bar line, beat 9, bar 4).
  const std::string conductor = bytes({0x00, 0xff, 0x51, 0x03, 0x09, 0x27, 0xc0,  // 600000 us: 100 BPM
                                       0x00, 0xff, 0x58, 0x04, 3, 2, 24, 8,
                                       42, 0xff, 0x51, 0x03, 0x06, 0x1a, 0x80,  // 400000 us: 150 BPM at tick 42 = beat 6
                                       0x00, 0xff, 0x58, 0x04, 6, 3, 36, 8,
                                       7, 0xff, 0x58, 0x04, 7, 3, 36, 8});
  // One note at beat 8, a beat long.
  const std::string notes = bytes({56, 0x90, 67, 100, 7, 0x80, 67, 0});
  const MidiImport m = readMidiFile(midiFile(1, 7, {conductor, notes}), "tempo.mid");
  BOOST_TEST_REQUIRE(m.ok(), m.error);
  const Project& p = m.project;
  BOOST_TEST(p.tempo == 100.0);
  BOOST_TEST_REQUIRE(p.tempoChanges.size() == 1u);
  BOOST_TEST(p.tempoChanges[0].beat == 6.0);
  BOOST_TEST(p.tempoChanges[0].bpm == 150.0);
  BOOST_TEST((p.timeSignature == TimeSignature{3, 4}));
  BOOST_TEST_REQUIRE(p.signatureChanges.size() == 2u);
  BOOST_TEST((p.signatureChanges[0] == SignatureChange{3, 6, 8}));
  BOOST_TEST((p.signatureChanges[1] == SignatureChange{4, 7, 8}));
  BOOST_TEST_REQUIRE(m.warnings.size() == 1u);
  BOOST_TEST((contains(m.warnings[0], "time signature 7/8 at beat 7") && contains(m.warnings[0], "inside a bar")), m.warnings[0]);
  // The note lands on the right second: 6 beats at 100 BPM (3.6 s) and 2 at 150 (0.8 s).
  const Timeline timeline(p, 48000.0);
  const auto n = notesOf(p.tracks.at(0));
  BOOST_TEST(n.at(0).start == 8.0);
  BOOST_TEST(std::abs(timeline.secondsOfBeat(n[0].start) - 4.4) < 1e-12);
}

BOOST_AUTO_TEST_CASE(smpte_time_and_hostile_bytes_are_refused_with_their_byte) {
  // SMPTE: -25 frames per second, 40 ticks per frame.
  const MidiImport smpte = readMidiFile(midiFile(0, 0xe728, {""}), "smpte.mid");
  BOOST_TEST(smpte.error == "smpte.mid: byte 12 (0xc): the file is timed in SMPTE frames (25 frames per second, 40 ticks per frame), which Mixdown "
                            "does not read: its songs are timed in beats; save the file with ticks per quarter note (PPQ)");
  // A chunk claiming 4 GB: refused at once, nothing allocated for it.
  const std::string header = chunk("MThd", be(1, 2) + be(1, 2) + be(96, 2));
  const MidiImport huge = readMidiFile(header + "MTrk" + be(0xffffffff, 4) + bytes({0, 0x90, 60, 100}), "huge.mid");
  BOOST_TEST(contains(huge.error, "huge.mid: byte 14 (0xe): the \"MTrk\" chunk says it holds 4294967295 bytes"), huge.error);
  // A meta event whose length passes its track's end.
  const MidiImport meta = readMidiFile(midiFile(1, 96, {bytes({0, 0xff, 0x01, 0x8f, 0xff, 0xff, 0x7f})}, false), "meta.mid");
  BOOST_TEST(contains(meta.error, "meta.mid: byte 29 (0x1d): meta event 0x01 says 33554431 bytes, but its track has 0 left"), meta.error);
  // A delta time of five bytes.
  const MidiImport vlq = readMidiFile(midiFile(1, 96, {bytes({0x81, 0x81, 0x81, 0x81, 0x01, 0x90, 60, 100})}), "vlq.mid");
  BOOST_TEST(vlq.error == "vlq.mid: byte 22 (0x16): a delta time is longer than 4 bytes");
  // Data with nothing to run on.
  const MidiImport data = readMidiFile(midiFile(1, 96, {bytes({0x00, 60, 100})}), "data.mid");
  BOOST_TEST(data.error == "data.mid: byte 23 (0x17): data byte 0x3c where an event's status should be (no status before it to run on)");
  // An event cut off by the end of its track.
  const MidiImport cut = readMidiFile(midiFile(1, 96, {bytes({0x00, 0x90, 60})}, false), "cut.mid");
  BOOST_TEST(cut.error == "cut.mid: byte 25 (0x19): the track ends inside an event");
  // A delta time with no event after it (found by fuzz_midi: the reader looked one byte past the file).
  const MidiImport bare = readMidiFile(midiFile(1, 96, {bytes({0x00, 0x90, 60, 100, 0x10})}, false), "bare.mid");
  BOOST_TEST(bare.error == "bare.mid: byte 27 (0x1b): the track ends after a delta time, before its event");
  // Past beat 100000: 0x0fffffff ticks at 1 PPQ.
  const MidiImport late = readMidiFile(midiFile(1, 1, {bytes({0xff, 0xff, 0xff, 0x7f, 0x90, 60, 100})}), "late.mid");
  BOOST_TEST(contains(late.error, "late.mid: byte 26 (0x1a): an event at beat 268435455, past the song's 100000 beats"), late.error);
}

BOOST_AUTO_TEST_CASE(a_song_survives_the_round_trip_through_a_midi_file) {
  Project song;
  song.title = "Round trip";
  song.tempo = 97.5;
  song.timeSignature = {3, 4};
  song.tempoChanges = {{12.0, 140.0, TempoShape::Step}, {30.5, 61.25, TempoShape::Step}};
  song.signatureChanges = {{3, 7, 8}, {5, 4, 4}};
  std::mt19937 rng(20261202);
  auto uniform = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); };
  for (int k = 0; k < 4; ++k) {
    Track t;
    t.id = "t" + std::to_string(k);
    t.name = k == 3 ? "Beat" : "Part " + std::to_string(k);
    t.instrument = DeviceState{};
    t.instrument->type = k == 3 ? "mixdown.drums" : "mixdown.polysynth";
    for (int c = 0; c < 3; ++c) {
      Clip clip;
      clip.start = c * 16.0 + k;
      clip.length = 12.0;
      clip.offset = c == 1 ? 2.0 : 0.0;
      if (c == 2) setClipLoop(clip, 0.0, 4.0);  // a loop: its notes repeat three times
      // Distinct keys within a clip: a MIDI file cannot tell apart two notes of one key where one starts
      // and ends inside the other (MidiFile.h); everything else is random.
      std::vector<int> keys(128);
      for (int i = 0; i < 128; ++i) keys[i] = i;
      std::shuffle(keys.begin(), keys.end(), rng);
      for (int n = 0; n < 40; ++n) clip.notes.push_back({keys[n], uniform(0.0, 1.0), uniform(0.0, 11.0), uniform(0.01, 3.0)});
      t.clips.push_back(clip);
    }
    song.tracks.push_back(t);
  }
  Track audio;
  audio.id = "vocal";
  audio.name = "Vocal";
  audio.kind = TrackKind::Audio;
  song.tracks.push_back(audio);
  BOOST_TEST_REQUIRE(validateProject(song).empty());

  const MidiExport file = writeMidiFile(song);
  const MidiImport back = readMidiFile(file.bytes, "round.mid");
  BOOST_TEST_REQUIRE(back.ok(), back.error);
  BOOST_TEST(back.warnings.empty());
  BOOST_TEST(back.project.title == "Round trip");
  // Tempo: MIDI stores whole microseconds per quarter note, within 0.0002 BPM of these.
  BOOST_TEST(std::abs(back.project.tempo - 97.5) < 1e-3);
  BOOST_TEST_REQUIRE(back.project.tempoChanges.size() == 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    BOOST_TEST(back.project.tempoChanges[i].beat == song.tempoChanges[i].beat);
    BOOST_TEST(std::abs(back.project.tempoChanges[i].bpm - song.tempoChanges[i].bpm) < 1e-3);
  }
  BOOST_TEST((back.project.timeSignature == song.timeSignature));
  BOOST_TEST((back.project.signatureChanges == song.signatureChanges));
  BOOST_TEST_REQUIRE(back.project.tracks.size() == 4u);  // the audio track has no notes for a MIDI file
  const double tick = 1.0 / kMidiExportPpq;
  std::size_t compared = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    const Track& t = back.project.tracks[k];
    BOOST_TEST(t.name == song.tracks[k].name);
    BOOST_TEST(t.instrument->type == song.tracks[k].instrument->type);
    auto want = notesOf(song.tracks[k]), got = notesOf(t);
    BOOST_TEST_REQUIRE(got.size() == want.size(), t.name);
    // Starts within a tick reorder notes that close to each other: match by the nearest same-pitch note.
    for (const SoundingNote& w : want) {
      const auto it = std::find_if(got.begin(), got.end(), [&](const SoundingNote& g) {
        return g.pitch == w.pitch && std::abs(g.start - w.start) <= tick && std::abs(g.length - w.length) <= tick &&
               std::abs(g.velocity - w.velocity) <= 1.0 / 127;
      });
      BOOST_TEST((it != got.end()), t.name << ": note " << w.pitch << " at " << w.start << " (" << w.length << " beats, velocity " << w.velocity << ") lost");
      if (it != got.end()) {
        got.erase(it);
        ++compared;
      }
    }
  }
  std::size_t sounding = 0;
  for (std::size_t k = 0; k < 4; ++k) sounding += notesOf(song.tracks[k]).size();
  BOOST_TEST(compared == sounding);
  BOOST_TEST(file.notes == sounding);
  // The file's facts: format 1, 960 PPQ, a conductor track and four note tracks, each ending in End-of-Track.
  BOOST_TEST(file.bytes.substr(8, 6) == bytes({0, 1, 0, 5, 0x03, 0xc0}));
  BOOST_TEST(file.warnings.empty());
}

BOOST_AUTO_TEST_CASE(a_tempo_ramp_is_written_as_sixteenth_note_steps_landing_within_a_millisecond) {
  Project song;
  song.tempo = 90.0;
  song.tempoChanges = {{8.0, 150.0, TempoShape::Linear}};
  Track t;
  t.id = "lead";
  t.name = "Lead";
  t.instrument = DeviceState{};
  t.instrument->type = "mixdown.polysynth";
  Clip c;
  c.length = 16.0;
  for (int b = 0; b < 16; ++b) c.notes.push_back({60 + b, 0.8, static_cast<double>(b), 0.5});
  t.clips.push_back(c);
  song.tracks.push_back(t);
  const MidiExport file = writeMidiFile(song);
  BOOST_TEST_REQUIRE(file.warnings.size() == 1u);
  BOOST_TEST(contains(file.warnings[0], "written as a step every sixteenth note"));
  const MidiImport back = readMidiFile(file.bytes, "ramp.mid");
  BOOST_TEST_REQUIRE(back.ok(), back.error);
  BOOST_TEST(back.project.tempoChanges.size() == 32u);  // 31 steps after the start and the ramp's end
  const Timeline before(song, 48000.0), after(back.project, 48000.0);
  for (int b = 0; b <= 16; ++b) BOOST_TEST(std::abs(before.secondsOfBeat(b) - after.secondsOfBeat(b)) < 1e-3, "beat " << b);
}

BOOST_AUTO_TEST_SUITE_END()
