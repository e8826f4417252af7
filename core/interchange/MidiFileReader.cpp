// Standard MIDI File reader (interchange/MidiFile.h says what is read and what is refused).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <map>
#include <set>

#include "interchange/MidiFile.h"
#include "model/ProjectJson.h"

namespace mixdown {
namespace {

constexpr int kDrumChannel = 9;  // channel 10 as people count them

std::string hex2(unsigned v) {
  char b[8];
  std::snprintf(b, sizeof b, "0x%02x", v & 0xffu);
  return b;
}

std::string number(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", v);
  return b;
}

std::string at(std::size_t offset) {
  char b[48];
  std::snprintf(b, sizeof b, "byte %zu (0x%zx)", offset, offset);
  return b;
}

// Why a status byte of 0xF1..0xFE is not a file event, for the warning.
const char* systemMessageName(unsigned status) {
  switch (status) {
    case 0xf1: return "MIDI time code";
    case 0xf2: return "song position";
    case 0xf3: return "song select";
    case 0xf6: return "tune request";
    case 0xf8: return "timing clock";
    case 0xfa: return "start";
    case 0xfb: return "continue";
    case 0xfc: return "stop";
    case 0xfe: return "active sensing";
    default: return "undefined";
  }
}

// The first refusal, "byte N (0x..): what". No exceptions: the wasm build cannot catch them.
struct Refusal {
  std::string message;
  bool fail(std::string m) {
    if (message.empty()) message = std::move(m);
    return false;
  }
};

// Bytes of one chunk, read with every length checked against what is left. Each read returns false
// (with the refusal said) when the chunk ends first.
class Cursor {
 public:
  Cursor(std::string_view bytes, std::size_t begin, std::size_t end, Refusal& refusal) : bytes_(bytes), pos_(begin), end_(end), refusal_(refusal) {}
  std::size_t pos() const { return pos_; }
  std::size_t left() const { return end_ - pos_; }
  bool done() const { return pos_ >= end_; }
  unsigned peek() const { return static_cast<unsigned char>(bytes_[pos_]); }
  bool byte(const char* what, unsigned& out) {
    if (done()) return refusal_.fail(at(pos_) + ": the track ends inside " + what);
    out = static_cast<unsigned char>(bytes_[pos_++]);
    return true;
  }
  // A variable-length quantity: 7 bits a byte, at most 4 bytes (28 bits), as the standard allows.
  bool vlq(const char* what, std::uint32_t& out) {
    const std::size_t start = pos_;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      unsigned b = 0;
      if (!byte(what, b)) return false;
      out = (out << 7) | (b & 0x7fu);
      if (!(b & 0x80u)) return true;
    }
    return refusal_.fail(at(start) + ": " + what + " is longer than 4 bytes");
  }
  bool take(std::uint32_t n, const std::string& what, std::string_view& out) {
    if (n > left()) return refusal_.fail(at(pos_) + ": " + what + " says " + std::to_string(n) + " bytes, but its track has " + std::to_string(left()) + " left");
    out = bytes_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  // A data byte (0..127) of the event with `status`.
  bool data(unsigned status, unsigned& out) {
    const std::size_t p = pos_;
    if (!byte("an event", out)) return false;
    if (out & 0x80u) return refusal_.fail(at(p) + ": byte " + hex2(out) + " where event " + hex2(status) + " needs a data byte (0..127)");
    return true;
  }

 private:
  std::string_view bytes_;
  std::size_t pos_, end_;
  Refusal& refusal_;
};

std::uint32_t be32(std::string_view b, std::size_t p) {
  return (std::uint32_t{static_cast<unsigned char>(b[p])} << 24) | (std::uint32_t{static_cast<unsigned char>(b[p + 1])} << 16) |
         (std::uint32_t{static_cast<unsigned char>(b[p + 2])} << 8) | std::uint32_t{static_cast<unsigned char>(b[p + 3])};
}
unsigned be16(std::string_view b, std::size_t p) { return (unsigned{static_cast<unsigned char>(b[p])} << 8) | static_cast<unsigned char>(b[p + 1]); }

struct TickNote {
  int pitch = 60;
  int velocity = 100;  // 1..127
  std::uint64_t start = 0, end = 0;  // ticks
};

// What one MTrk chunk holds that the project takes.
struct MidiTrack {
  std::size_t offset = 0;   // of its chunk, for messages
  std::string name;         // meta 0x03
  std::string instrument;   // meta 0x04
  std::map<int, std::vector<TickNote>> notes;  // by channel 0..15
  std::uint64_t endTick = 0;
};

struct TempoEvent {
  std::uint64_t tick = 0;
  std::uint32_t microsPerQuarter = 500000;
  std::size_t offset = 0;
};
struct SignatureEvent {
  std::uint64_t tick = 0;
  int numerator = 4, denominator = 4;
  std::size_t offset = 0;
};

class Reader {
 public:
  Reader(std::string_view bytes, const std::string& name) : bytes_(bytes), name_(name) {}

  MidiImport read() {
    MidiImport out;
    if (readFile() && build(out.project)) {
      const auto issues = validateProject(out.project);
      if (issues.empty()) {
        out.warnings = std::move(warnings_);
        for (std::string& w : out.warnings) w = name_ + ": " + w;
        return out;
      }
      refusal_.fail("the file makes an invalid project: " + issues.front().text());
    }
    out = MidiImport{};
    out.error = name_ + ": " + refusal_.message;
    return out;
  }

 private:
  void warn(const std::string& w) {
    if (warnings_.size() < 100) warnings_.push_back(w);
  }

  bool readFile() {
    if (bytes_.empty()) return refusal_.fail(at(0) + ": the file is empty (a MIDI file starts with \"MThd\")");
    if (bytes_.size() < 14 || bytes_.substr(0, 4) != "MThd")
      return refusal_.fail(at(0) + ": not a MIDI file (it does not start with the 14-byte \"MThd\" header)");
    const std::uint32_t headerLength = be32(bytes_, 4);
    if (headerLength < 6) return refusal_.fail(at(4) + ": the MThd header says " + std::to_string(headerLength) + " bytes; it holds at least 6");
    if (headerLength > bytes_.size() - 8) return refusal_.fail(at(4) + ": the MThd header says " + std::to_string(headerLength) + " bytes, more than the file holds");
    format_ = be16(bytes_, 8);
    const unsigned declaredTracks = be16(bytes_, 10);
    const unsigned division = be16(bytes_, 12);
    if (format_ > 2) return refusal_.fail(at(8) + ": format " + std::to_string(format_) + " is not a Standard MIDI File format (0, 1 or 2)");
    if (division & 0x8000u) {
      const int fps = -static_cast<int>(static_cast<std::int8_t>(division >> 8));
      return refusal_.fail(at(12) + ": the file is timed in SMPTE frames (" + std::to_string(fps) + " frames per second, " + std::to_string(division & 0xffu) +
                    " ticks per frame), which Mixdown does not read: its songs are timed in beats; save the file with ticks per quarter note (PPQ)");
    }
    if (division == 0) return refusal_.fail(at(12) + ": 0 ticks per quarter note");
    ppq_ = division;
    std::size_t pos = 8 + headerLength;
    while (pos < bytes_.size()) {
      if (bytes_.size() - pos < 8) {
        warn(at(pos) + ": " + std::to_string(bytes_.size() - pos) + " byte(s) after the last chunk (ignored)");
        break;
      }
      const std::string_view id = bytes_.substr(pos, 4);
      const std::uint32_t length = be32(bytes_, pos + 4);
      const std::size_t left = bytes_.size() - pos - 8;
      if (length > left)
        return refusal_.fail(at(pos) + ": the \"" + printable(id) + "\" chunk says it holds " + std::to_string(length) + " bytes, but the file has " +
                      std::to_string(left) + " after its header (the file is cut short or damaged)");
      if (id == "MTrk") {
        if (tracks_.size() >= kMaxTracks) return refusal_.fail(at(pos) + ": more than " + std::to_string(kMaxTracks) + " tracks (the most a song holds)");
        if (!readTrack(pos, pos + 8, pos + 8 + length)) return false;
      } else {
        warn(at(pos) + ": a \"" + printable(id) + "\" chunk (" + std::to_string(length) + " bytes) is not MIDI (skipped)");
      }
      pos += 8 + static_cast<std::size_t>(length);
    }
    if (tracks_.size() != declaredTracks)
      warn(at(10) + ": the header announces " + std::to_string(declaredTracks) + " tracks; the file has " + std::to_string(tracks_.size()));
    if (format_ == 0 && tracks_.size() > 1) warn(at(8) + ": a format 0 file with " + std::to_string(tracks_.size()) + " tracks (read as format 1)");
    return true;
  }

  static std::string printable(std::string_view id) {
    std::string s;
    for (char c : id) s += (c >= 0x20 && c < 0x7f) ? c : '?';
    return s;
  }

  bool readTrack(std::size_t chunk, std::size_t begin, std::size_t end) {
    MidiTrack t;
    t.offset = chunk;
    const std::size_t index = tracks_.size();
    // Format 2: a track starts where the one before it ended.
    const std::uint64_t origin = format_ == 2 && index > 0 ? tracks_.back().endTick : 0;
    const std::uint64_t maxTick = static_cast<std::uint64_t>(kMaxSongBeats) * ppq_;
    Cursor c(bytes_, begin, end, refusal_);
    std::uint64_t tick = origin;
    unsigned running = 0;
    std::map<int, std::deque<TickNote>> open;  // by channel * 128 + key: notes on, earliest first
    std::set<unsigned> systemWarned;
    std::size_t unmatchedOffs = 0, zeroLength = 0;
    bool ended = false;
    while (!c.done()) {
      std::uint32_t delta = 0;
      if (!c.vlq("a delta time", delta)) return false;
      tick += delta;
      const std::size_t eventAt = c.pos();
      if (tick > maxTick)
        return refusal_.fail(at(eventAt) + ": an event at beat " + std::to_string(tick / ppq_) + ", past the song's " +
                      std::to_string(static_cast<long>(kMaxSongBeats)) + " beats");
      if (c.done()) return refusal_.fail(at(eventAt) + ": the track ends after a delta time, before its event");
      unsigned status = c.peek();
      if (status < 0x80) {
        if (!running) return refusal_.fail(at(eventAt) + ": data byte " + hex2(status) + " where an event's status should be (no status before it to run on)");
        status = running;
      } else if (!c.byte("an event", status)) {
        return false;
      }
      if (status == 0xff) {
        unsigned type = 0;
        std::uint32_t length = 0;
        std::string_view data;
        if (!c.byte("a meta event", type) || !c.vlq("a meta event's length", length) || !c.take(length, "meta event " + hex2(type), data)) return false;
        if (type == 0x2f) {
          ended = true;
          break;
        }
        if (!meta(t, type, data, tick, eventAt)) return false;
      } else if (status == 0xf0 || status == 0xf7) {
        std::uint32_t length = 0;
        std::string_view data;
        if (!c.vlq("a sysex event's length", length) || !c.take(length, "a sysex event", data)) return false;
      } else if (status > 0xf0) {
        const int dataBytes = status == 0xf2 ? 2 : (status == 0xf1 || status == 0xf3) ? 1 : 0;
        for (int i = 0; i < dataBytes; ++i) {
          unsigned d = 0;
          if (!c.data(status, d)) return false;
        }
        if (systemWarned.insert(status).second)
          warn(at(eventAt) + ": status " + hex2(status) + " (" + systemMessageName(status) + ") is a live MIDI message, not a file event (skipped)");
      } else {
        running = status;
        const unsigned kind = status & 0xf0u;
        const int channel = static_cast<int>(status & 0x0fu);
        unsigned d1 = 0, d2 = 0;
        if (!c.data(status, d1) || (kind != 0xc0 && kind != 0xd0 && !c.data(status, d2))) return false;
        if (kind == 0x90 && d2 > 0) {
          open[channel * 128 + static_cast<int>(d1)].push_back({static_cast<int>(d1), static_cast<int>(d2), tick, tick});
        } else if (kind == 0x80 || kind == 0x90) {
          auto it = open.find(channel * 128 + static_cast<int>(d1));
          if (it == open.end() || it->second.empty()) {
            ++unmatchedOffs;
            continue;
          }
          TickNote n = it->second.front();
          it->second.pop_front();
          n.end = tick;
          if (n.end == n.start) {
            n.end = n.start + 1;  // the project's notes last; the shortest a file can say is a tick
            ++zeroLength;
          }
          t.notes[channel].push_back(n);
        }
      }
    }
    if (!ended) warn(at(chunk) + ": track " + std::to_string(index + 1) + " ends without an End-of-Track event");
    else if (!c.done()) warn(at(c.pos()) + ": " + std::to_string(c.left()) + " byte(s) of track " + std::to_string(index + 1) + " after its End-of-Track (ignored)");
    t.endTick = tick;
    std::size_t leftOpen = 0;
    for (auto& [key, notes] : open)
      for (TickNote n : notes) {
        n.end = std::max(tick, n.start + 1);
        t.endTick = std::max(t.endTick, n.end);
        t.notes[key / 128].push_back(n);
        ++leftOpen;
      }
    if (leftOpen) warn(at(chunk) + ": track " + std::to_string(index + 1) + ": " + std::to_string(leftOpen) + " note(s) never ended (ended at the track's end)");
    if (unmatchedOffs) warn(at(chunk) + ": track " + std::to_string(index + 1) + ": " + std::to_string(unmatchedOffs) + " note-off(s) with no note on (ignored)");
    if (zeroLength) warn(at(chunk) + ": track " + std::to_string(index + 1) + ": " + std::to_string(zeroLength) + " note(s) ended where they began (given one tick)");
    for (auto& [channel, notes] : t.notes)
      std::stable_sort(notes.begin(), notes.end(), [](const TickNote& a, const TickNote& b) { return a.start < b.start; });
    tracks_.push_back(std::move(t));
    return true;
  }

  bool meta(MidiTrack& t, unsigned type, std::string_view data, std::uint64_t tick, std::size_t offset) {
    if (type == 0x03 && t.name.empty()) t.name = text(data);
    else if (type == 0x04 && t.instrument.empty()) t.instrument = text(data);
    else if (type == 0x51) {
      if (data.size() != 3) return refusal_.fail(at(offset) + ": a set-tempo event holds " + std::to_string(data.size()) + " bytes, not 3");
      const std::uint32_t us = (std::uint32_t{static_cast<unsigned char>(data[0])} << 16) | (std::uint32_t{static_cast<unsigned char>(data[1])} << 8) |
                               static_cast<unsigned char>(data[2]);
      if (us == 0) return refusal_.fail(at(offset) + ": a set-tempo event of 0 microseconds per quarter note");
      tempos_.push_back({tick, us, offset});
    } else if (type == 0x58) {
      if (data.size() < 2) return refusal_.fail(at(offset) + ": a time-signature event holds " + std::to_string(data.size()) + " bytes, not 4");
      const int n = static_cast<unsigned char>(data[0]), power = static_cast<unsigned char>(data[1]);
      if (n < 1 || n > 64 || power > 5) {
        warn(at(offset) + ": time signature " + std::to_string(n) + "/2^" + std::to_string(power) + " is outside 1..64 / 1..32 (skipped)");
        return true;
      }
      signatures_.push_back({tick, n, 1 << power, offset});
    }
    return true;
  }

  // Meta text as the project's UTF-8 names: printable ASCII kept, anything else (Latin-1 and other
  // encodings files use) replaced, control characters dropped; at most 100 characters.
  static std::string text(std::string_view data) {
    std::string s;
    for (char ch : data) {
      const unsigned char u = static_cast<unsigned char>(ch);
      if (u >= 0x20 && u < 0x7f) s += ch;
      else if (u >= 0x80) s += '?';
      if (s.size() >= 100) break;
    }
    const auto a = s.find_first_not_of(' '), b = s.find_last_not_of(' ');
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
  }

  double beatOf(std::uint64_t tick) const { return static_cast<double>(tick) / ppq_; }

  void buildTempoMap(Project& p) {
    std::stable_sort(tempos_.begin(), tempos_.end(), [](const TempoEvent& a, const TempoEvent& b) { return a.tick < b.tick; });
    for (const TempoEvent& e : tempos_) {
      double bpm = 60e6 / e.microsPerQuarter;
      if (bpm < 20.0 || bpm > 999.0) {
        warn(at(e.offset) + ": tempo " + number(bpm) + " BPM is outside 20..999 BPM (held there)");
        bpm = std::clamp(bpm, 20.0, 999.0);
      }
      if (e.tick == 0) p.tempo = bpm;
      else if (!p.tempoChanges.empty() && p.tempoChanges.back().beat == beatOf(e.tick)) p.tempoChanges.back().bpm = bpm;  // the last at a tick wins
      else p.tempoChanges.push_back({beatOf(e.tick), bpm, TempoShape::Step});
    }
    std::stable_sort(signatures_.begin(), signatures_.end(), [](const SignatureEvent& a, const SignatureEvent& b) { return a.tick < b.tick; });
    // Walk the bars: each change starts a bar; one inside a bar waits for the next bar line.
    int bar = 1;
    double barBeat = 0.0, beatsPerBar = 4.0;
    for (const SignatureEvent& e : signatures_) {
      const double bars = (beatOf(e.tick) - barBeat) / beatsPerBar;
      double whole = std::round(bars);
      if (std::abs(bars - whole) > 1e-9) {
        whole = std::ceil(bars);
        warn(at(e.offset) + ": time signature " + std::to_string(e.numerator) + "/" + std::to_string(e.denominator) + " at beat " +
             number(beatOf(e.tick)) + " is inside a bar (it starts at the next bar, " + std::to_string(bar + static_cast<int>(whole)) + ")");
      }
      if (bar + whole > 1e6) break;  // far past the song's end (beat 100000)
      bar += static_cast<int>(whole);
      barBeat += whole * beatsPerBar;
      beatsPerBar = e.numerator * 4.0 / e.denominator;
      if (bar == 1) p.timeSignature = {e.numerator, e.denominator};
      else if (!p.signatureChanges.empty() && p.signatureChanges.back().bar == bar) p.signatureChanges.back() = {bar, e.numerator, e.denominator};
      else p.signatureChanges.push_back({bar, e.numerator, e.denominator});
    }
  }

  bool build(Project& p) {
    p.title = name_;
    if (p.title.size() > 4 && (p.title.ends_with(".mid") || p.title.ends_with(".MID"))) p.title.resize(p.title.size() - 4);
    if (format_ != 2 && !tracks_.empty() && !tracks_.front().name.empty()) p.title = tracks_.front().name;
    buildTempoMap(p);
    for (std::size_t i = 0; i < tracks_.size(); ++i) {
      const MidiTrack& mt = tracks_[i];
      for (const auto& [channel, notes] : mt.notes) {
        if (notes.empty()) continue;
        if (p.tracks.size() >= kMaxTracks)
          return refusal_.fail(at(mt.offset) + ": more than " + std::to_string(kMaxTracks) + " tracks and channels play notes (the most a song holds)");
        Track t;
        t.id = "midi" + std::to_string(p.tracks.size() + 1);
        std::string name = !mt.name.empty() ? mt.name : !mt.instrument.empty() ? mt.instrument : channel == kDrumChannel ? "Drums" : "Track " + std::to_string(i + 1);
        if (mt.notes.size() > 1) name += " (ch " + std::to_string(channel + 1) + ")";
        t.name = name;
        t.kind = TrackKind::Instrument;
        DeviceState d;
        d.type = channel == kDrumChannel ? "mixdown.drums" : "mixdown.polysynth";
        t.instrument = d;
        std::uint64_t endTick = mt.endTick;
        for (const TickNote& n : notes) endTick = std::max(endTick, n.end);
        const double songEnd = std::min(kMaxSongBeats, std::ceil(beatOf(endTick) - 1e-9));
        // One clip, or one per kMaxNotesPerClip notes, each from a whole beat to where the next begins.
        for (std::size_t from = 0; from < notes.size(); from += kMaxNotesPerClip) {
          const std::size_t to = std::min(notes.size(), from + kMaxNotesPerClip);
          Clip clip;
          clip.name = t.name;
          clip.start = from == 0 ? 0.0 : std::floor(beatOf(notes[from].start));
          const double end = to < notes.size() ? std::floor(beatOf(notes[to].start)) : songEnd;
          clip.length = std::max(1.0, end - clip.start);
          if (clip.start + clip.length > kMaxSongBeats) clip.length = kMaxSongBeats - clip.start;
          clip.notes.reserve(to - from);
          for (std::size_t k = from; k < to; ++k) {
            const TickNote& n = notes[k];
            clip.notes.push_back({n.pitch, n.velocity / 127.0, beatOf(n.start) - clip.start, beatOf(n.end - n.start)});
          }
          t.clips.push_back(std::move(clip));
        }
        p.tracks.push_back(std::move(t));
      }
    }
    return true;
  }

  std::string_view bytes_;
  std::string name_;
  unsigned format_ = 1;
  std::uint32_t ppq_ = 480;
  std::vector<MidiTrack> tracks_;
  std::vector<TempoEvent> tempos_;
  std::vector<SignatureEvent> signatures_;
  std::vector<std::string> warnings_;
  Refusal refusal_;
};

}  // namespace

MidiImport readMidiFile(std::string_view bytes, const std::string& name) { return Reader(bytes, name).read(); }

}  // namespace mixdown
