// Standard MIDI File writer (interchange/MidiFile.h says what is written and why 960 PPQ).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "engine/Timeline.h"
#include "interchange/MidiFile.h"
#include "model/Arrange.h"

namespace mixdown {
namespace {

constexpr int kDrumChannel = 9;
constexpr double kRampStep = 0.25;  // beats: a tempo ramp is written as a step every sixteenth note

struct Event {
  std::uint64_t tick = 0;
  int order = 0;  // at the same tick: tempo and meta first, then note-offs, then note-ons
  std::string bytes;  // status and data (a meta event whole)
};

std::string number(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%g", v);
  return b;
}

std::uint64_t tickOf(double beat) { return static_cast<std::uint64_t>(std::llround(std::max(0.0, beat) * kMidiExportPpq)); }

void putVlq(std::string& out, std::uint64_t v) {
  v = std::min<std::uint64_t>(v, 0x0fffffff);  // 4 bytes at most (a song's 100000 beats are 96e6 ticks: far inside)
  char b[4];
  int n = 0;
  b[n++] = static_cast<char>(v & 0x7f);
  while (v >>= 7) b[n++] = static_cast<char>(0x80 | (v & 0x7f));
  while (n) out += b[--n];
}

void put32(std::string& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out += static_cast<char>((v >> s) & 0xff);
}

std::string meta(unsigned type, const std::string& data) {
  std::string e = {static_cast<char>(0xff), static_cast<char>(type)};
  putVlq(e, data.size());
  return e + data;
}

std::string tempoMeta(double bpm) {
  const auto us = static_cast<std::uint32_t>(std::clamp(std::llround(60e6 / bpm), 1LL, 0xffffffLL));
  return meta(0x51, {static_cast<char>(us >> 16), static_cast<char>((us >> 8) & 0xff), static_cast<char>(us & 0xff)});
}

std::string signatureMeta(int numerator, int denominator) {
  int power = 0;
  while ((1 << power) < denominator && power < 5) ++power;
  // MIDI clocks (24 a quarter note) per metronome click: one click per beat of the signature's unit.
  const char clocks = static_cast<char>(std::max(1, 96 / denominator));
  return meta(0x58, {static_cast<char>(numerator), static_cast<char>(power), clocks, 8});
}

// One MTrk chunk: the events in time order (stable within a tick by `order`), running status, and the
// End-of-Track at `endTick` (or at the last event, if later).
std::string trackChunk(std::vector<Event> events, std::uint64_t endTick) {
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.tick != b.tick ? a.tick < b.tick : a.order < b.order; });
  std::string body;
  std::uint64_t now = 0;
  char running = 0;
  for (const Event& e : events) {
    putVlq(body, e.tick - now);
    now = e.tick;
    const char status = e.bytes[0];
    const bool channel = (static_cast<unsigned char>(status) & 0xf0) != 0xf0;
    body += channel && status == running ? e.bytes.substr(1) : e.bytes;
    running = channel ? status : 0;  // we restart running status after meta events (readers differ there)
  }
  putVlq(body, std::max(endTick, now) - now);
  body += meta(0x2f, "");
  std::string chunk = "MTrk";
  put32(chunk, static_cast<std::uint32_t>(body.size()));
  return chunk + body;
}

std::string metaText(const std::string& s) { return s.substr(0, 127); }

}  // namespace

MidiExport writeMidiFile(const Project& project) {
  MidiExport out;
  const Timeline timeline(project, 48000.0);
  std::vector<std::string> chunks;
  // Track 0: title, signature and tempo map.
  std::vector<Event> conductor;
  conductor.push_back({0, 0, meta(0x03, metaText(project.title))});
  conductor.push_back({0, 1, signatureMeta(project.timeSignature.numerator, project.timeSignature.denominator)});
  conductor.push_back({0, 1, tempoMeta(project.tempo)});
  for (const SignatureChange& c : project.signatureChanges)
    conductor.push_back({tickOf(timeline.barStartBeat(c.bar)), 1, signatureMeta(c.numerator, c.denominator)});
  double lastBeat = 0.0, lastBpm = project.tempo;
  for (const TempoPoint& pt : project.tempoChanges) {
    if (pt.shape == TempoShape::Linear && pt.beat > lastBeat && pt.bpm != lastBpm) {
      out.warnings.push_back("the tempo ramp to " + number(pt.bpm) + " BPM at beat " + number(pt.beat) +
                             " is written as a step every sixteenth note (MIDI files have no ramps)");
      for (double b = lastBeat; b + 1e-9 < pt.beat; b += kRampStep) {
        const double mid = std::min(pt.beat, b + kRampStep * 0.5);
        conductor.push_back({tickOf(b), 1, tempoMeta(lastBpm + (pt.bpm - lastBpm) * (mid - lastBeat) / (pt.beat - lastBeat))});
      }
    }
    conductor.push_back({tickOf(pt.beat), 1, tempoMeta(pt.bpm)});
    lastBeat = pt.beat;
    lastBpm = pt.bpm;
  }
  std::uint64_t endTick = 0;
  int nextChannel = 0;
  for (const Track& t : project.tracks) {
    if (t.kind != TrackKind::Instrument || !t.instrument) {
      if (!t.clips.empty()) out.warnings.push_back("track \"" + t.name + "\" is an audio track (MIDI files carry notes only: left out)");
      continue;
    }
    const bool drums = t.instrument->type == "mixdown.drums";
    int channel = kDrumChannel;
    if (!drums) {
      channel = nextChannel;
      nextChannel = (nextChannel + 1) % 16;
      if (nextChannel == kDrumChannel) nextChannel = kDrumChannel + 1;
    }
    std::vector<Event> events;
    events.push_back({0, 0, meta(0x03, metaText(t.name))});
    for (const Clip& c : t.clips)
      for (const SoundingNote& n : soundingNotes(c)) {
        const std::uint64_t on = tickOf(n.start), off = std::max(on + 1, tickOf(n.start + n.length));
        const char vel = static_cast<char>(std::clamp(static_cast<int>(std::lround(n.velocity * 127.0)), 1, 127));
        const char key = static_cast<char>(std::clamp(n.pitch, 0, 127));
        events.push_back({on, 3, {static_cast<char>(0x90 | channel), key, vel}});
        events.push_back({off, 2, {static_cast<char>(0x80 | channel), key, 64}});
        endTick = std::max(endTick, off);
        ++out.notes;
      }
    chunks.push_back(trackChunk(std::move(events), 0));
  }
  // The conductor track lasts the whole song (its End-of-Track at the last note's end): players that
  // stop at the first track's end play every note.
  std::string file = "MThd";
  put32(file, 6);
  const std::size_t tracks = chunks.size() + 1;
  file += {0, 1, static_cast<char>((tracks >> 8) & 0xff), static_cast<char>(tracks & 0xff)};
  file += {static_cast<char>(kMidiExportPpq >> 8), static_cast<char>(kMidiExportPpq & 0xff)};
  out.bytes = file + trackChunk(std::move(conductor), endTick);
  for (const std::string& c : chunks) out.bytes += c;
  return out;
}

}  // namespace mixdown
