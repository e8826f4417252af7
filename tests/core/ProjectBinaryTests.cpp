// Share link v2's binary project (core/share/ProjectBinary.h): every value comes back bit for bit, the
// demo's payload is small, and damaged or hostile payloads are refused with the part and the byte named.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "Projects.h"
#include "devices/Registry.h"
#include "engine/OfflineRender.h"
#include "interchange/MidiFile.h"
#include "model/ProjectJson.h"
#include "share/BinaryWire.h"
#include "share/LinkDeviceNumbers.h"
#include "share/ProjectBinary.h"

using namespace mixdown;

namespace {

using Bytes = std::vector<std::uint8_t>;

// Every field the format has, away from its default, including numbers no decimal grid holds.
Project everyFieldProject() {
  Project p = test::demoProject();
  p.title = "Ünïcode title — ♫";
  p.tempo = 97.123456789;
  p.timeSignature = {7, 8};
  p.tempoChanges = {{8, 90, TempoShape::Step}, {16.125, 151.5, TempoShape::Linear}, {M_PI * 10, 60.0 + 1.0 / 3.0, TempoShape::Step}};
  p.signatureChanges = {{3, 4, 4}, {5, 5, 16}};
  p.loop = {true, 4.25, 60};
  p.assets = {{"a1", "kick.wav", std::string(64, 'a'), 44100, 1, 22050, "audio/kick.wav"},
              {"a2", "loop.flac", "", 96000, 2, 960000, "loop.flac"},
              {"a3", "odd.wav", "", 48000, 2, 48000, ""}};
  p.assets[0].sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  Track sampler = test::synthTrack("sampler", {{"volume", -3.5}});
  sampler.instrument->type = "mixdown.sampler";
  sampler.instrument->params = {{"volume", -3.5}};
  SampleZone z;
  z.asset = "a1";
  z.rootKey = 48, z.lowKey = 40, z.highKey = 52, z.lowVelocity = 10, z.highVelocity = 100;
  z.start = 10, z.end = 20000, z.loop = ZoneLoop::Forward, z.loopStart = 1000, z.loopEnd = 15000, z.crossfade = 500;
  z.tuneCents = -12.5, z.gainDb = -6.02, z.pan = 1.0 / 7.0, z.attackMs = 1.5, z.decayMs = 80, z.sustain = 0.5, z.releaseMs = 250;
  z.group = -3, z.offBy = 2, z.trigger = ZoneTrigger::Legato;
  SampleZone oneShot;
  oneShot.asset = "a2";
  oneShot.oneShot = true;
  oneShot.loop = ZoneLoop::Off;
  oneShot.trigger = ZoneTrigger::Release;
  sampler.instrument->zones = {z, oneShot};
  sampler.color = "#3FA7D6";  // upper case travels as text
  Clip hits;
  hits.name = "hits";
  hits.start = 2;
  hits.length = 8;
  hits.notes = {{48, 100 / 127.0, 0, 0.25}, {50, 64 / 127.0, 0.5, 0.25}, {44, 1.0, 1.0, 0.125}};
  sampler.clips.push_back(hits);
  p.tracks.push_back(sampler);
  Track audio;
  audio.id = "loop";
  audio.name = "Loop";
  audio.kind = TrackKind::Audio;
  Clip c;
  c.name = "loop";
  c.asset = "a2";
  c.start = 1.0 / 3.0;
  c.length = 7.9;
  c.offset = 0.5;
  c.gainDb = -0.1;
  c.muted = true;
  c.looped = true;
  c.loopStart = 0.25;
  c.loopEnd = 2.0 + 1e-9;
  audio.clips.push_back(c);
  audio.strip = {-144.0, -1.0, true, true};
  audio.output = "reverb";
  audio.color = "#e4572e";
  p.tracks.push_back(audio);
  // Off-grid notes and velocities (no tick grid, no velocity scale), negative pitch steps, chords.
  Track& lead = p.tracks[4];
  lead.clips[0].notes.push_back({127, 0.123456789, 31.0 / 3.0, 1e-3});
  lead.clips[0].notes.push_back({0, 0.0, 31.0 / 3.0, M_PI});
  lead.clips[0].looped = true;
  lead.clips[0].loopStart = 0;
  lead.clips[0].loopEnd = 16;
  lead.sends[0].preFader = true;
  lead.sends[0].levelDb = -9.87654321;
  lead.inserts[0].bypass = true;
  lead.inserts[1].id = "custom-id";
  lead.inserts[0].params["gain2"] = -0.0;  // negative zero is not zero, bit for bit
  lead.automation.push_back({"pan", {{0, -1, AutomationShape::Step, 0}, {4.5, 0.3333, AutomationShape::Curved, 0.75}, {8, 1, AutomationShape::Linear, 0}}});
  p.tracks[2].instrument->bypass = true;      // the instrument's bypass, sidechain and id do not reach JSON,
  p.tracks[2].instrument->sidechain = "kick";  // but they are Project values: the binary keeps them
  p.master.gainDb = -2.5;
  DeviceState limiter;
  limiter.type = "mixdown.limiter";
  limiter.params = {};
  p.master.devices.push_back(limiter);
  p.master.delivery = {"custom", -9.5, -0.3, 16};
  return p;
}

// A project the MIDI reader makes from the demo written as a Standard MIDI File: velocities are n / 127,
// positions ticks of 960 per beat, one clip per track and channel.
Project midiProject() {
  const MidiExport midi = writeMidiFile(test::demoProject());
  MidiImport back = readMidiFile(midi.bytes, "demo.mid");
  if (!back.ok()) throw std::runtime_error(back.error);
  return back.project;
}

std::vector<std::vector<float>> render(const Project& p, double seconds) {
  return renderOffline(p, {}, 48000, static_cast<std::int64_t>(seconds * 48000), 512);
}

bool bitIdentical(const std::vector<std::vector<float>>& a, const std::vector<std::vector<float>>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t c = 0; c < a.size(); ++c)
    if (a[c].size() != b[c].size() || std::memcmp(a[c].data(), b[c].data(), a[c].size() * sizeof(float)) != 0) return false;
  return true;
}

ProjectLoad roundTrip(const Project& p) { return decodeProjectBinary(encodeProjectBinary(p)); }

// Bytes of a hand-made payload: the revision byte, then fields.
struct Payload {
  Bytes b{kProjectBinaryVersion};
  Payload& varint(std::uint32_t field, std::uint64_t v) { wire::putKey(b, field, wire::kVarint); wire::putVarint(b, v); return *this; }
  Payload& number(std::uint32_t field, double v) { wire::putKey(b, field, wire::kNumber); wire::putNumber(b, v); return *this; }
  Payload& bytes(std::uint32_t field, const Bytes& m) {
    wire::putKey(b, field, wire::kBytes);
    wire::putVarint(b, m.size());
    b.insert(b.end(), m.begin(), m.end());
    return *this;
  }
  Payload& string(const std::string& s) { return bytes(1, Bytes(s.begin(), s.end())); }
  Bytes body() const { return Bytes(b.begin() + 1, b.end()); }  // as a nested message
};

std::string decodeError(const Bytes& payload) {
  const ProjectLoad load = decodeProjectBinary(payload);
  return load.ok() ? std::string("(accepted)") : load.errorText();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(project_binary)

BOOST_AUTO_TEST_CASE(numbers_come_back_bit_for_bit_and_decimals_are_short) {
  const double values[] = {0, 1, -1, 0.707, 0.85, 2.4, -14, 20000, 1e-6, 123456.789012, 1.0 / 3.0, M_PI, -0.0, 0.1 + 0.2,
                           1e300, -1e-300, 5e-324, 9007199254740992.0, 9007199254740994.0, 100 / 127.0,
                           std::numeric_limits<double>::max(), std::numeric_limits<double>::min()};
  for (double v : values) {
    Bytes b;
    wire::putNumber(b, v);
    std::size_t pos = 0;
    double back = 0;
    BOOST_TEST((wire::getNumber(b.data(), pos, b.size(), back) == wire::NumberRead::Value));
    BOOST_TEST(pos == b.size());
    BOOST_TEST(wire::sameBits(back, v), v << " came back as " << back);
  }
  auto size = [](double v) { Bytes b; wire::putNumber(b, v); return b.size(); };
  BOOST_TEST(size(1) == 1u);
  BOOST_TEST(size(0.707) == 2u);   // 707 / 10^3
  BOOST_TEST(size(-4) == 1u);
  BOOST_TEST(size(-14) == 2u);
  BOOST_TEST(size(20000) == 3u);
  BOOST_TEST(size(1.0 / 3.0) == 9u);  // the header and the double
  BOOST_TEST(size(-0.0) == 9u);
}

BOOST_AUTO_TEST_CASE(the_demo_comes_back_equal_in_every_value_and_renders_bit_identical) {
  const Project demo = test::demoProject();
  const Bytes payload = encodeProjectBinary(demo);
  const ProjectLoad back = decodeProjectBinary(payload);
  BOOST_REQUIRE_MESSAGE(back.ok(), back.errorText());
  BOOST_TEST((back.project == demo));
  BOOST_TEST(writeProject(back.project) == writeProject(demo));
  const std::string json = writeProject(demo, -1);
  std::printf("share link v2: the demo's binary payload is %zu bytes before deflate (its compact JSON %zu bytes)\n", payload.size(), json.size());
  BOOST_TEST(payload.size() < json.size() / 8);
  BOOST_TEST(bitIdentical(render(back.project, 6.0), render(demo, 6.0)));
}

BOOST_AUTO_TEST_CASE(every_field_and_off_grid_numbers_come_back_equal) {
  for (const Project& p : {everyFieldProject(), midiProject(), Project{}}) {
    const ProjectLoad load = roundTrip(p);
    BOOST_REQUIRE_MESSAGE(validateProject(p).empty(), "the test project is valid");
    BOOST_REQUIRE_MESSAGE(load.ok(), load.errorText());
    BOOST_TEST((load.project == p));
    BOOST_TEST(writeProject(load.project) == writeProject(p));
  }
  const Project p = everyFieldProject();
  const Project back = roundTrip(p).project;
  BOOST_TEST(std::signbit(back.tracks[4].inserts[0].params.at("gain2")));
  BOOST_TEST(back.tracks[4].inserts[1].id == "custom-id");
  BOOST_TEST(back.tracks[2].instrument->sidechain == "kick");
  BOOST_TEST(back.tracks[7].color == "#3FA7D6");
  BOOST_TEST(back.assets[0].sha256 == p.assets[0].sha256);
  // A hash that is not 64 lowercase hex digits travels as text (the validator then refuses it, as from JSON).
  Project odd = p;
  odd.assets[2].sha256 = "Not-A-Hash";
  const ProjectLoad oddBack = roundTrip(odd);
  BOOST_TEST(oddBack.errorText() == "assets[2].sha256: must be 64 lowercase hexadecimal digits");
  BOOST_TEST((oddBack.project == odd));
  BOOST_TEST(bitIdentical(render(back, 3.0), render(p, 3.0)));
}

// The projects the other tests build: synth tracks with parameters set in code, and clips of every shape.
BOOST_AUTO_TEST_CASE(projects_built_in_code_come_back_equal) {
  Project p;
  p.tracks.push_back(test::synthTrack("a", {{"cutoff", 1234.5}, {"resonance", 0.3}}));
  p.tracks.push_back(test::synthTrack("b", {}));
  p.tracks[0].clips.push_back({"c", 0, 4, 0, "", 0, {{60, 0.8, 0, 1}, {64, 0.8, 0, 1}, {67, 0.8, 0, 1}}});
  p.tracks[1].clips.push_back({"d", 1, 2, 0.5, "", 0, {{72, 0.5, 0.25, 0.5}}});
  const ProjectLoad load = roundTrip(p);
  BOOST_REQUIRE_MESSAGE(load.ok(), load.errorText());
  BOOST_TEST((load.project == p));
}

// Parameters at the device's default cost one byte of value (they stay in the project, so its JSON is
// unchanged); parameters left out stay left out. A parameter with a number (share/LinkDeviceNumbers.h)
// costs no string: the device's parameters field is its key, length, bitmap length, bitmap and values.
BOOST_AUTO_TEST_CASE(parameters_at_their_default_are_kept_but_cost_one_byte) {
  const double cutoff = findDevice("mixdown.polysynth")->findParam("cutoff")->defaultValue;
  Project p;
  p.tracks.push_back(test::synthTrack("a", {{"cutoff", cutoff}}));
  const std::size_t withParam = encodeProjectBinary(p).size();
  p.tracks[0].instrument->params.clear();
  const std::size_t without = encodeProjectBinary(p).size();
  // key, length, bitmap length, a one-byte bitmap ("cutoff" is number 7 of the poly synth), the default escape.
  BOOST_TEST(withParam - without == 5u);
  p.tracks[0].instrument->params = {{"cutoff", cutoff}};
  const ProjectLoad back = roundTrip(p);
  BOOST_REQUIRE(back.ok());
  BOOST_TEST(back.project.tracks[0].instrument->params.size() == 1u);
  BOOST_TEST(back.project.tracks[0].instrument->params.at("cutoff") == cutoff);
  // Not at its default, the value is written: 2 bytes more for 1234.5 (12345 / 10).
  p.tracks[0].instrument->params = {{"cutoff", 1234.5}};
  BOOST_TEST(encodeProjectBinary(p).size() - without == 5u + 2u);
}

// A later revision's fields are skipped by their wire type, wherever they are.
BOOST_AUTO_TEST_CASE(unknown_fields_are_skipped_by_their_length) {
  Payload t;
  t.varint(1, 0).varint(3, 2).varint(99, 12345).bytes(100, {9, 9, 9, 9}).number(101, 2.5);  // a bus
  Payload p;
  p.string("t1").bytes(200, {0xff, 0xff}).bytes(12, t.body()).number(300, 1.5).varint(400, 1);
  const ProjectLoad load = decodeProjectBinary(p.b);
  BOOST_REQUIRE_MESSAGE(load.ok(), load.errorText());
  BOOST_TEST(load.project.tracks.size() == 1u);
  BOOST_TEST(load.project.tracks[0].id == "t1");
}

BOOST_AUTO_TEST_CASE(hostile_payloads_are_refused_with_the_part_and_byte_named) {
  BOOST_TEST(decodeError({}) == "the payload is empty (at byte 0 of the decoded payload)");
  BOOST_TEST(decodeError({3, 0}).find("revision is 3; this build reads revision 2") != std::string::npos);
  BOOST_TEST(decodeError({0x78, 0xda, 1}).find("a v1 payload (deflated JSON) behind \"#p2=\"") != std::string::npos);
  // A count beyond the model's limit, before anything is allocated.
  {
    Payload notes;
    notes.varint(1, 4000000);
    Payload clip;
    clip.bytes(11, notes.body());
    Payload track;
    track.varint(1, 0).bytes(6, clip.body());
    Payload p;
    p.string("t").bytes(12, track.body());
    BOOST_TEST(decodeError(p.b) == "tracks[0].clips[0].notes.count: 4000000 notes (at most 100000) (at byte 12 of the decoded payload)");
  }
  // A column shorter than its count.
  {
    Payload notes;
    notes.varint(1, 3).varint(2, 4).bytes(3, {0, 4});
    Payload clip;
    clip.bytes(11, notes.body());
    Payload track;
    track.varint(1, 0).bytes(6, clip.body());
    Payload p;
    p.string("t").bytes(12, track.body());
    BOOST_TEST(decodeError(p.b) == "tracks[0].clips[0].notes.starts: ends after 2 of 3 notes (tag 3) (at byte 20 of the decoded payload)");
  }
  // Many notes from few bytes (no columns: every note the default) until the memory budget says no.
  {
    Payload notes;
    notes.varint(1, 100000);
    Payload clip;
    clip.bytes(11, notes.body());
    Payload track;
    track.varint(1, 0);
    for (int i = 0; i < 100; ++i) track.bytes(6, clip.body());
    Payload p;
    p.string("t").bytes(12, track.body());
    const std::string error = decodeError(p.b);
    BOOST_TEST(error.find("the project would take more than 64 MB of memory; refused (at byte") != std::string::npos, error);
    BOOST_TEST(p.b.size() < 1000u);
  }
  // Lengths past the end, tags naming strings that are not there, wire types no revision has.
  {
    Payload p;
    p.string("t");
    p.b.push_back((12 << 3) | 2);
    p.b.push_back(100);  // says 100 bytes, 0 follow
    BOOST_TEST(decodeError(p.b) == "tracks: tag 12 says it holds 100 bytes but only 0 are left: the link is cut off or damaged (at byte 4 of the decoded payload)");
  }
  {
    Payload p;
    p.varint(2, 5);  // title = string 5, no table
    BOOST_TEST(decodeError(p.b) == "title: names string 5 but the string table has 0 so far (its entries come first) (at byte 1 of the decoded payload)");
  }
  {
    Payload p;
    p.b.push_back((9 << 3) | 5);
    BOOST_TEST(decodeError(p.b) == "loop.start: tag 9 has wire type 5, which no revision defines (it cannot be skipped) (at byte 1 of the decoded payload)");
  }
  {
    Payload p;
    p.string("ok").bytes(1, {0xc3, 0x28});  // an invalid UTF-8 sequence
    BOOST_TEST(decodeError(p.b) == "strings[1]: is not valid UTF-8 (at byte 7 of the decoded payload)");
  }
  {
    Payload p;
    wire::putKey(p.b, 3, wire::kNumber);
    p.b.push_back(7);
    for (int i = 0; i < 6; ++i) p.b.push_back(0);
    p.b.push_back(0xf8), p.b.push_back(0x7f);  // a NaN
    BOOST_TEST(decodeError(p.b) == "tempo: tag 3: the number is not finite (NaN or infinity) (at byte 1 of the decoded payload)");
  }
  {
    Payload p;
    p.varint(8, 2);  // loop.enabled must be 0 or 1
    BOOST_TEST(decodeError(p.b) == "loop.enabled: must be 0 or 1 (got 2, tag 8) (at byte 1 of the decoded payload)");
  }
  {
    Payload p;
    p.bytes(3, {1});  // tempo as bytes
    BOOST_TEST(decodeError(p.b) == "tempo: is bytes (tag 3); it must be a number (at byte 1 of the decoded payload)");
  }
  // A well-formed payload of an invalid song gets the validator's issues, with their paths.
  {
    Payload p;
    p.number(3, 5);
    BOOST_TEST(decodeError(p.b) == "tempo: must be between 20 and 999 BPM (got 5)");
  }
}

// Every prefix of the demo's payload is refused cleanly or is a valid song (a cut between tracks is one).
BOOST_AUTO_TEST_CASE(every_cut_of_the_payload_is_refused_or_valid) {
  const Bytes payload = encodeProjectBinary(test::demoProject());
  std::size_t refused = 0;
  for (std::size_t n = 0; n < payload.size(); ++n) {
    const ProjectLoad load = decodeProjectBinary(payload.data(), n);
    if (!load.ok()) {
      ++refused;
      BOOST_TEST(!load.errorText().empty());
    } else {
      BOOST_TEST(validateProject(load.project).empty());
    }
  }
  BOOST_TEST(refused > payload.size() / 2);
}

// 1,000 seeded random mutations of the demo's payload (bytes flipped, set, inserted, removed, runs cut
// out or doubled): each is refused with a message or opens a song that passes the validator and
// renders finite for a quarter of a second.
BOOST_AUTO_TEST_CASE(random_mutations_are_refused_or_open_a_valid_song) {
  const Bytes payload = encodeProjectBinary(test::demoProject());
  const char* given = std::getenv("MIXDOWN_MUTATION_SEED");
  const unsigned seed = given ? static_cast<unsigned>(std::stoul(given)) : 20261203u;
  std::printf("share link v2 payload mutations: seed %u (MIXDOWN_MUTATION_SEED=N runs another)\n", seed);
  std::mt19937 rng(seed);
  std::size_t refused = 0, opened = 0;
  for (int i = 0; i < 1000; ++i) {
    Bytes m = payload;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !m.empty(); ++e) {
      const std::size_t at = rng() % m.size();
      switch (rng() % 6) {
        case 0: m[at] ^= static_cast<std::uint8_t>(1u << (rng() % 8)); break;
        case 1: m[at] = static_cast<std::uint8_t>(rng()); break;
        case 2: m.insert(m.begin() + static_cast<long>(at), static_cast<std::uint8_t>(rng())); break;
        case 3: m.erase(m.begin() + static_cast<long>(at)); break;
        case 4: m.erase(m.begin() + static_cast<long>(at), m.begin() + static_cast<long>(std::min(m.size(), at + 1 + rng() % 16))); break;
        case 5: {
          const std::size_t len = std::min(m.size() - at, static_cast<std::size_t>(1 + rng() % 16));
          const Bytes run(m.begin() + static_cast<long>(at), m.begin() + static_cast<long>(at + len));
          m.insert(m.begin() + static_cast<long>(at), run.begin(), run.end());
          break;
        }
      }
    }
    const ProjectLoad load = decodeProjectBinary(m);
    if (!load.ok()) {
      ++refused;
      BOOST_TEST(!load.errorText().empty());
      continue;
    }
    ++opened;
    BOOST_TEST(validateProject(load.project).empty());
    const auto audio = renderOffline(load.project, {}, 48000, 12000, 512);
    bool finite = true;
    for (const auto& ch : audio)
      for (float s : ch) finite = finite && std::isfinite(s);
    BOOST_TEST(finite, "mutation " << i << " renders non-finite audio");
  }
  std::printf("share link v2 payload mutations: %zu refused, %zu opened as valid songs\n", refused, opened);
  BOOST_TEST(refused + opened == 1000u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(link_device_numbers)

// A device or parameter added to the registry needs a number at the end of its list (LinkDeviceNumbers.cpp);
// without one it still travels, by its id, at a cost.
BOOST_AUTO_TEST_CASE(every_registered_device_and_parameter_has_a_link_number) {
  for (const DeviceDescriptor* d : deviceDescriptors()) {
    const int device = linkDeviceNumber(d->id);
    BOOST_TEST(device >= 0, d->id << " has no link number: append it to core/share/LinkDeviceNumbers.cpp");
    for (const ParamDescriptor& p : d->params)
      BOOST_TEST(linkParamNumber(device, p.id) >= 0, d->id << "." << p.id << " has no link number: append it to its device's list");
  }
}

// The numbers revision 2 shipped never change (links made with them must open in every later build):
// the lists as they were, by their lengths and an FNV-1a digest of their ids, are a prefix of today's.
BOOST_AUTO_TEST_CASE(the_numbers_shipped_in_revision_2_are_unchanged) {
  const std::size_t shipped[] = {44, 68, 3, 4, 41, 10, 7, 5, 8, 6, 6, 5, 19, 2, 5};
  const auto& list = linkDeviceNumbers();
  BOOST_REQUIRE(list.size() >= std::size(shipped));
  std::uint64_t digest = 1469598103934665603ull;
  auto mix = [&](const char* s) {
    for (; *s; ++s) digest = (digest ^ static_cast<unsigned char>(*s)) * 1099511628211ull;
    digest = (digest ^ 0xff) * 1099511628211ull;  // a separator no id contains
  };
  for (std::size_t d = 0; d < std::size(shipped); ++d) {
    BOOST_REQUIRE(list[d].params.size() >= shipped[d]);
    mix(list[d].type);
    for (std::size_t k = 0; k < shipped[d]; ++k) mix(list[d].params[k]);
  }
  BOOST_TEST(digest == 0xe2bf394bbfaad733ull, "a shipped link number changed: restore it and append instead");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(project_binary_defaults)

// A field a link leaves out reads as the model's default (core/share/README.md lists them): a default
// changed in model/Project.h would change what every old link means. Change the format (a constant of its
// own for the old value), not just this test.
BOOST_AUTO_TEST_CASE(the_model_defaults_the_format_reads_are_unchanged) {
  const Project p;
  BOOST_TEST(p.title == "Untitled");
  BOOST_TEST(p.tempo == 120.0);
  BOOST_TEST((p.timeSignature == TimeSignature{4, 4}));
  BOOST_TEST((p.loop == LoopRegion{false, 0.0, 16.0}));
  BOOST_TEST(p.master.gainDb == 0.0);
  BOOST_TEST((p.master.delivery == DeliveryState{"spotify", -14.0, -1.0, 24}));
  BOOST_TEST((TempoPoint{} == TempoPoint{1.0, 120.0, TempoShape::Step}));
  BOOST_TEST((SignatureChange{} == SignatureChange{2, 4, 4}));
  const Asset a;
  BOOST_TEST((a.sampleRate == 48000.0 && a.channels == 2 && a.frames == 0 && a.id.empty() && a.path.empty()));
  const Track t;
  BOOST_TEST((t.kind == TrackKind::Instrument && t.output == "master" && t.color.empty()));
  BOOST_TEST((t.strip == StripState{0.0, 0.0, false, false}));
  BOOST_TEST((SendState{} == SendState{"", 0.0, false}));
  const Clip c;
  BOOST_TEST((c.start == 0.0 && c.length == 4.0 && c.offset == 0.0 && c.gainDb == 0.0 && !c.muted && !c.looped &&
              c.loopStart == 0.0 && c.loopEnd == 0.0 && c.name.empty() && c.asset.empty()));
  BOOST_TEST((Note{} == Note{60, 0.8, 0.0, 1.0}));
  BOOST_TEST((AutomationPoint{} == AutomationPoint{0.0, 0.0, AutomationShape::Linear, 0.0}));
  const SampleZone z;
  BOOST_TEST((z.rootKey == 60 && z.lowKey == 0 && z.highKey == 127 && z.lowVelocity == 1 && z.highVelocity == 127));
  BOOST_TEST((z.start == 0 && z.end == 0 && z.loop == ZoneLoop::Off && z.loopStart == 0 && z.loopEnd == 0 && z.crossfade == 0));
  BOOST_TEST((z.tuneCents == 0.0 && z.gainDb == 0.0 && z.pan == 0.0 && z.attackMs == 0.0 && z.decayMs == 0.0 && z.sustain == 1.0 &&
              z.releaseMs == 5.0 && !z.oneShot && z.group == 0 && z.offBy == 0 && z.trigger == ZoneTrigger::Attack));
  const DeviceState d;
  BOOST_TEST((d.type.empty() && !d.bypass && d.sidechain.empty() && d.id.empty()));
}

BOOST_AUTO_TEST_SUITE_END()
