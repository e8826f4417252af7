// The drum machine (mixdown.drums): every voice on its General MIDI note, its decay, the kick's sweep,
// the toms' tuning, the hat choke, panning, block-size independence, finite output, no allocation, idle().
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <cstring>
#include <iomanip>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "AllocationCounter.h"
#include "DeviceRender.h"
#include "Measure.h"
#include "devices/DrumMachine.h"
#include "devices/Registry.h"

using namespace mixdown;

namespace {

constexpr double kRate = 48000;

// A note-on at an absolute frame.
struct Hit {
  std::int64_t frame;
  int pitch;
  float velocity = 1.0f;
};

using Stereo = test::StereoRender;

// Renders `frames` frames in blocks of `block` (or, with block 0, random sizes 1..512 from `seed`), the
// hits at their frames (sorted by frame).
Stereo render(DrumMachine& drums, const std::vector<Hit>& hits, std::size_t frames, int block = 128, unsigned seed = 1,
              int channels = 2) {
  std::vector<test::TimedEvent> timed;
  for (const Hit& h : hits) timed.push_back({h.frame, {0, NoteEvent::Type::NoteOn, static_cast<std::uint8_t>(h.pitch), h.velocity}});
  return test::renderDevice(drums, timed, frames, {block, seed, channels});
}

double peakDb(const Stereo& s, std::size_t from = 0) { return test::dB(std::max(test::peakOf(s.left, from), test::peakOf(s.right, from))); }

// The frame after the last sample at or above `level` in either channel (0 if none).
std::size_t lastAbove(const Stereo& s, double level) {
  std::size_t last = 0;
  for (std::size_t i = 0; i < s.left.size(); ++i)
    if (std::fabs(s.left[i]) >= level || std::fabs(s.right[i]) >= level) last = i + 1;
  return last;
}

double energy(const std::vector<float>& x, std::size_t from, std::size_t to) {
  double e = 0;
  for (std::size_t i = from; i < std::min(to, x.size()); ++i) e += static_cast<double>(x[i]) * x[i];
  return e;
}

// Upward zero crossings (frames, interpolated) in [from, to).
std::vector<double> upwardCrossings(const std::vector<float>& x, std::size_t from, std::size_t to) {
  std::vector<double> t;
  for (std::size_t i = std::max<std::size_t>(from, 1); i < std::min(to, x.size()); ++i)
    if (x[i - 1] < 0.0f && x[i] >= 0.0f) t.push_back(static_cast<double>(i - 1) + x[i - 1] / (x[i - 1] - x[i]));
  return t;
}

// Mean frequency (Hz) of the upward crossings in [from, to).
double frequencyBetween(const std::vector<float>& x, double rate, std::size_t from, std::size_t to) {
  const auto t = upwardCrossings(x, from, to);
  return t.size() < 2 ? 0.0 : rate * static_cast<double>(t.size() - 1) / (t.back() - t.front());
}

// The frequency (Hz) of a settled tone in [from, to): the slope of a least-squares line through its
// upward crossings' interpolated times against their count, so no single crossing's error counts for more
// than its share (for a decaying sine at 25-100 Hz the crossings err by far less than 0.001 sample).
double settledFrequency(const std::vector<float>& x, double rate, std::size_t from, std::size_t to) {
  const auto t = upwardCrossings(x, from, to);
  if (t.size() < 3) return 0.0;
  const double n = static_cast<double>(t.size()), meanK = (n - 1.0) / 2.0;
  double meanT = 0.0;
  for (double v : t) meanT += v / n;
  double num = 0.0, den = 0.0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    num += (static_cast<double>(k) - meanK) * (t[k] - meanT);
    den += (static_cast<double>(k) - meanK) * (static_cast<double>(k) - meanK);
  }
  return rate / (num / den);  // the period is the slope (frames per crossing)
}

double decayMs(const DrumMachine& d, int voice) { return d.param(DrumMachine::paramIndex(voice, DrumMachine::kDecay)); }

// A voice's name, as its parameters carry it ("Low tom" of "Low tom tune").
std::string nameOf(int voice) {
  const std::string& tune = DrumMachine::staticDescriptor().params[static_cast<std::size_t>(DrumMachine::paramIndex(voice, DrumMachine::kTune))].name;
  return tune.substr(0, tune.size() - std::string(" tune").size());
}

bool allFinite(const Stereo& s) {
  for (std::size_t i = 0; i < s.left.size(); ++i)
    if (!std::isfinite(s.left[i]) || !std::isfinite(s.right[i])) return false;
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(drums)

BOOST_AUTO_TEST_CASE(the_drum_machine_is_a_registered_instrument_with_its_notes_named_kick_first) {
  const DeviceDescriptor* d = findDevice("mixdown.drums");
  BOOST_REQUIRE(d);
  BOOST_TEST((d->kind == DeviceKind::Instrument));
  // The voices' own notes in voice order, then the six other General MIDI notes they answer.
  BOOST_REQUIRE_EQUAL(d->noteNames.size(), static_cast<std::size_t>(DrumMachine::kVoiceCount) + 6u);
  BOOST_TEST(d->noteNames[0].pitch == 36);
  BOOST_TEST(d->noteNames[0].name == "Kick");
  std::set<int> pitches;
  std::set<std::string> names;
  for (std::size_t i = 0; i < d->noteNames.size(); ++i) {
    const NamedNote& n = d->noteNames[i];
    BOOST_TEST(pitches.insert(n.pitch).second, "two rows for note " << n.pitch);
    BOOST_TEST(names.insert(n.name).second, "two rows named " << n.name);
    BOOST_TEST(DrumMachine::voiceForPitch(n.pitch) >= 0, n.name);
    if (i < static_cast<std::size_t>(DrumMachine::kVoiceCount)) {
      const int v = static_cast<int>(i);
      BOOST_TEST(DrumMachine::voiceForPitch(n.pitch) == v, n.name);
      BOOST_TEST(DrumMachine::pitchOf(v) == n.pitch, n.name);
    }
  }
  // General MIDI's names (as the step sequencer shows them) for every named note.
  const std::map<int, std::string> gm = {{36, "Kick"}, {37, "Rim"}, {38, "Snare"}, {39, "Clap"}, {41, "Low floor tom"},
                                         {42, "Closed hat"}, {43, "High floor tom"}, {44, "Pedal hat"}, {45, "Low tom"},
                                         {46, "Open hat"}, {47, "Low-mid tom"}, {48, "High-mid tom"}, {49, "Crash"},
                                         {50, "High tom"}, {51, "Ride"}, {53, "Ride bell"}, {56, "Cowbell"}, {57, "Crash 2"}};
  std::map<int, std::string> named;
  for (const NamedNote& n : d->noteNames) named[n.pitch] = n.name;
  BOOST_TEST((named == gm));
  for (const char* id : {"kick.tune", "kick.decay", "kick.tone", "kick.level", "kick.pan", "kick.sweep", "kick.sweepTime", "kick.click",
                         "snare.snappy", "hat.color", "clap.spread", "openHat.decay", "cowbell.pan", "velocity", "volume"})
    BOOST_TEST(d->findParam(id) != nullptr, id);
  // Every other device names no notes.
  for (const DeviceDescriptor* other : deviceDescriptors())
    if (other != d) BOOST_TEST(other->noteNames.empty(), other->id);
}

BOOST_AUTO_TEST_CASE(general_midi_notes_play_the_voices_a_gm_drum_machine_maps_them_to) {
  // 35/36 kick, 38/40 snare, 41/43 low (floor) tom, 45/47 mid tom, 48/50 high tom, 42/44 closed (pedal)
  // hat, 49/57 crash, 51/53 ride; the rest (37 rim, 39 clap, 46 open hat, 56 cowbell) one note each.
  using D = DrumMachine;
  const std::map<int, int> expected = {{35, D::kKick}, {36, D::kKick}, {37, D::kRim}, {38, D::kSnare}, {39, D::kClap},
                                       {40, D::kSnare}, {41, D::kLowTom}, {42, D::kClosedHat}, {43, D::kLowTom},
                                       {44, D::kClosedHat}, {45, D::kMidTom}, {46, D::kOpenHat}, {47, D::kMidTom},
                                       {48, D::kHighTom}, {49, D::kCrash}, {50, D::kHighTom}, {51, D::kRide},
                                       {53, D::kRide}, {56, D::kCowbell}, {57, D::kCrash}};
  for (int pitch = 0; pitch < 128; ++pitch) {
    const auto it = expected.find(pitch);
    BOOST_TEST(DrumMachine::voiceForPitch(pitch) == (it == expected.end() ? -1 : it->second), "note " << pitch);
  }
  // A second note of a voice sounds exactly as the voice's own note (the same samples, both channels).
  for (const auto& [pitch, voice] : expected) {
    auto play = [](int note) {
      DrumMachine d;
      d.prepare(kRate, 128);
      return render(d, {{101, note}}, 48000);
    };
    const Stereo own = play(DrumMachine::pitchOf(voice)), other = play(pitch);
    BOOST_TEST_CONTEXT("note " << pitch << " against " << nameOf(voice) << "'s " << DrumMachine::pitchOf(voice)) {
      BOOST_TEST(peakDb(other) > -30.0);
      BOOST_TEST(std::memcmp(own.left.data(), other.left.data(), own.left.size() * sizeof(float)) == 0);
      BOOST_TEST(std::memcmp(own.right.data(), other.right.data(), own.right.size() * sizeof(float)) == 0);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_voice_falls_60_db_below_its_peak_by_its_decay_and_silent_at_five_thirds_of_it) {
  // Decay is the time (ms) a voice's envelope takes to fall 60 dB; at -100 dB (5/3 of it) the voice
  // stops: exact zeros, and it is free. On the output, with two stated exceptions: the clap's counts from
  // its fourth clap (3 clap.spread after the hit), and the kick's saturation lifts its quiet tail by
  // drive/clip(drive), L dB, so it gets there at (60 + L)/60 and (100 + L)/60 of its decay. Measured on
  // sample peaks, which scatter by a dB or so in noise and beating partials: the last sample at -60 dB of
  // the peak comes within 5 % of that time (and not before 0.8 of it: the voice rings for its decay), the
  // last non-zero sample within 1 ms and 0.2 % of its stop (a decay's float coefficient is within half an
  // ulp of 1 - 2.8e-5 at 2.6 s and 96 kHz: its rate within 0.11 %).
  for (double rate : {44100.0, 48000.0, 96000.0}) {
    for (int voice = 0; voice < DrumMachine::kVoiceCount; ++voice) {
      for (bool shortDecay : {false, true}) {
        DrumMachine d;
        if (shortDecay) d.setParam(DrumMachine::paramIndex(voice, DrumMachine::kDecay), 100.0);
        d.prepare(rate, 512);
        const double decay = decayMs(d, voice);
        double startMs = 0.0, lift = 1.0;  // where the decay starts (ms), and its stretch
        if (voice == DrumMachine::kClap) startMs = 3.0 * d.param(d.descriptor().paramIndex("clap.spread"));
        if (voice == DrumMachine::kKick) {
          const double drive = 0.3 + 2.7 * d.param(DrumMachine::paramIndex(voice, DrumMachine::kTone));
          const double clip = drive * (27.0 + drive * drive) / (27.0 + 9.0 * drive * drive);  // the kick's soft clipper
          lift = test::dB(drive / clip);
        }
        const double at60 = startMs + decay * (60.0 + (voice == DrumMachine::kKick ? lift : 0.0)) / 60.0;
        const double stop = startMs + decay * (100.0 + (voice == DrumMachine::kKick ? lift : 0.0)) / 60.0;
        const Stereo s = render(d, {{0, DrumMachine::pitchOf(voice)}}, static_cast<std::size_t>((stop + 200.0) * 0.001 * rate));
        const double peak = std::max(test::peakOf(s.left), test::peakOf(s.right));
        const double below60 = 1000.0 * static_cast<double>(lastAbove(s, peak * 1e-3)) / rate;
        const double silent = 1000.0 * static_cast<double>(lastAbove(s, std::numeric_limits<float>::denorm_min())) / rate;
        if (rate == 48000)
          BOOST_TEST_MESSAGE(nameOf(voice) << ", decay " << decay << " ms: peak " << test::dB(peak) << " dBFS, 60 dB below it from "
                                           << below60 << " ms (" << below60 / at60 << " x the " << at60 << " ms due), silent from " << silent
                                           << " ms (due " << stop << ")");
        BOOST_TEST_CONTEXT(nameOf(voice) << ", decay " << decay << " ms, at " << rate << " Hz") {
          BOOST_TEST(test::dB(peak) > -30.0);
          BOOST_TEST(test::dB(peak) < 0.0);
          BOOST_TEST(below60 <= 1.05 * at60);
          BOOST_TEST(below60 >= 0.8 * at60);
          BOOST_TEST(std::fabs(silent - stop) <= 1.0 + 0.002 * stop);
          BOOST_TEST(d.activeVoices() == 0);
          BOOST_TEST(d.idle());
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(every_mapped_note_starts_on_its_own_frame_and_not_before) {
  // A hit at an odd frame: 24001 is frame 65 of a 128-frame block (and of wherever random blocks fall).
  // The first non-zero sample, in either channel, is the hit's own frame: nothing leaks before it (the
  // previous block is untouched) and nothing starts a sample late (a square from its edge, a filter's
  // delay). At the default settings: a kick without click or a snare without snappy starts on a sine's
  // zero, so its first sample is 0 by design.
  for (double rate : {44100.0, 48000.0, 96000.0}) {
    for (int block : {128, 1, 0}) {
      for (int pitch = 0; pitch < 128; ++pitch) {
        const int voice = DrumMachine::voiceForPitch(pitch);
        if (voice < 0) continue;
        DrumMachine d;
        d.prepare(rate, 512);
        const std::int64_t at = 24001;
        const Stereo s = render(d, {{at, pitch}}, 24001 + 4800, block, static_cast<unsigned>(pitch));
        std::size_t first = s.left.size();
        for (std::size_t i = 0; i < s.left.size() && first == s.left.size(); ++i)
          if (s.left[i] != 0.0f || s.right[i] != 0.0f) first = i;
        if (rate == 48000 && block == 128)
          BOOST_TEST_MESSAGE("note " << pitch << " (" << nameOf(voice) << ") hit at frame " << at << ": first non-zero sample at frame "
                                     << first << " (" << std::max(std::fabs(s.left[first]), std::fabs(s.right[first])) << ")");
        BOOST_TEST(first == static_cast<std::size_t>(at), "note " << pitch << " at " << rate << " Hz, block " << block << ": first at " << first);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(unmapped_notes_are_silent) {
  DrumMachine d;
  d.prepare(kRate, 128);
  std::vector<Hit> hits;
  for (int pitch = 0; pitch < 128; ++pitch)
    if (DrumMachine::voiceForPitch(pitch) < 0) hits.push_back({static_cast<std::int64_t>(hits.size()) * 100, pitch});
  BOOST_TEST(hits.size() == 128u - 20u);
  const Stereo s = render(d, hits, 48000);
  BOOST_TEST(test::peakOf(s.left) == 0.0);
  BOOST_TEST(test::peakOf(s.right) == 0.0);
  BOOST_TEST(d.idle());
}

BOOST_AUTO_TEST_CASE(the_kick_sweeps_down_to_its_tuned_pitch) {
  // Period by period (upward zero crossings): no period of the first 200 ms is shorter than the one
  // before, the first is far shorter than the settled one. Settled (200-650 ms: the sweep's residue is
  // 10^-13 at the default 45 ms, 0.6 cent falling to 10^-5 cent at 150 ms, the same ratio at every tune),
  // the kick is within 1 % of 50 Hz times the tune, and tune N st moves it N st from tune 0 within 1 cent
  // (the test), measured by a least-squares line through every upward crossing's interpolated time.
  for (double sweepMs : {45.0, 150.0}) {
    double at0 = 0.0;
    for (double tune : {0.0, -12.0, -5.0, 7.0, 12.0}) {
      DrumMachine d;
      d.setParam("kick.click", 0.0);  // the click's noise would add zero crossings
      d.setParam("kick.tune", tune);
      d.setParam("kick.sweepTime", sweepMs);
      d.prepare(kRate, 128);
      const Stereo s = render(d, {{0, 36}}, 31200);
      auto early = upwardCrossings(s.left, 0, 9600);
      early.insert(early.begin(), 0.0);  // the sine starts rising from zero at the hit
      BOOST_REQUIRE(early.size() >= 4);
      std::ostringstream periods;
      bool lengthening = true;
      for (std::size_t i = 1; i < early.size(); ++i) {
        if (i < 5) periods << " " << kRate / (early[i] - early[i - 1]);
        if (i >= 2 && early[i] - early[i - 1] < 0.999 * (early[i - 1] - early[i - 2])) lengthening = false;  // never shorter (0.1 %: once settled)
      }
      const double firstHz = kRate / (early[1] - early[0]);
      const double lateHz = settledFrequency(s.left, kRate, 9600, 31200);  // 200-650 ms
      if (tune == 0.0) at0 = lateHz;
      const double cents = 1200.0 * std::log2(lateHz / at0) - 100.0 * tune;
      const double tunedHz = 50.0 * std::pow(2.0, tune / 12.0);
      BOOST_TEST_MESSAGE("kick tuned " << tune << " st (" << tunedHz << " Hz), sweep time " << sweepMs << " ms: first periods (Hz)"
                                       << periods.str() << "; 200-650 ms " << std::setprecision(9) << lateHz << " Hz, "
                                       << std::setprecision(3) << cents << " cent off " << tune << " st from tune 0" << std::setprecision(6));
      BOOST_TEST_CONTEXT("tune " << tune << " st, sweep time " << sweepMs << " ms") {
        BOOST_TEST(lengthening);
        BOOST_TEST(firstHz > 1.2 * lateHz);
        BOOST_TEST(lateHz == tunedHz, boost::test_tools::tolerance(0.01));
        BOOST_TEST(std::fabs(cents) < 1.0);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(tune_plus_12_doubles_a_toms_frequency) {
  for (int voice : {DrumMachine::kLowTom, DrumMachine::kMidTom, DrumMachine::kHighTom}) {
    auto measure = [voice](double tune) {
      DrumMachine d;
      d.setParam(DrumMachine::paramIndex(voice, DrumMachine::kTune), tune);
      d.prepare(kRate, 128);
      const Stereo s = render(d, {{0, DrumMachine::pitchOf(voice)}}, 24000);
      return frequencyBetween(s.left, kRate, 9600, 19200);  // 200-400 ms: the sweep has settled
    };
    const double at0 = measure(0), at12 = measure(12);
    BOOST_TEST_MESSAGE(nameOf(voice) << ": " << at0 << " Hz, tuned +12 st " << at12 << " Hz, ratio " << at12 / at0);
    BOOST_TEST(at12 / at0 == 2.0, boost::test_tools::tolerance(0.02));
  }
}

BOOST_AUTO_TEST_CASE(the_closed_hat_chokes_the_open_hat) {
  // The open hat alone on the left, the closed hat alone on the right: the left channel is the open hat.
  // The pedal hat (44) is the closed hat's voice, so it chokes too.
  for (int closed : {42, 44}) {
    auto openHat = [closed](bool closedHit) {
      DrumMachine d;
      d.setParam("openHat.pan", -1.0);
      d.setParam("closedHat.pan", 1.0);
      d.prepare(kRate, 128);
      std::vector<Hit> hits = {{0, 46}};
      if (closedHit) hits.push_back({4800, closed});  // 100 ms later
      return render(d, hits, 48000).left;
    };
    const auto choked = openHat(true), ringing = openHat(false);
    BOOST_TEST(std::memcmp(choked.data(), ringing.data(), 4800 * sizeof(float)) == 0);  // the same until the choke
    // From 5 ms after the closed hit (the choke's fade: -60 dB in 3 ms).
    const double after = energy(choked, 4800 + 240, choked.size()), without = energy(ringing, 4800 + 240, ringing.size());
    const double db = test::dB(std::sqrt(after / without));
    const double fade = test::dB(std::sqrt(energy(choked, 4800, choked.size()) / energy(ringing, 4800, ringing.size())));
    BOOST_TEST_MESSAGE("open hat after note " << closed << ": from +5 ms " << (after == 0 ? "exact silence" : std::to_string(db) + " dB")
                       << ", from the hit (its 3 ms fade included) " << fade << " dB, against its ringing without the choke");
    BOOST_TEST(db < -40.0, "note " << closed);
  }
}

BOOST_AUTO_TEST_CASE(pan_hard_left_puts_a_voice_only_in_the_left_channel) {
  for (int voice = 0; voice < DrumMachine::kVoiceCount; ++voice) {
    for (double pan : {-1.0, 1.0}) {
      DrumMachine d;
      d.setParam(DrumMachine::paramIndex(voice, DrumMachine::kPan), pan);
      d.prepare(kRate, 128);
      const Stereo s = render(d, {{0, DrumMachine::pitchOf(voice)}}, 24000);
      const auto& loud = pan < 0 ? s.left : s.right;
      const auto& quiet = pan < 0 ? s.right : s.left;
      BOOST_TEST_CONTEXT(nameOf(voice) << " panned " << pan) {
        BOOST_TEST(test::dB(test::peakOf(loud)) > -30.0);
        BOOST_TEST(test::peakOf(quiet) == 0.0);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(renders_at_block_sizes_128_17_1_and_random_splits_are_bit_identical) {
  // A busy bar and a half: every voice, soft and hard hits, flams, re-triggers and chokes, at odd frames.
  std::vector<Hit> hits;
  std::mt19937 random(7);
  for (int step = 0; step < 24; ++step) {
    const std::int64_t frame = step * 6001 + step % 3;
    for (int voice = 0; voice < DrumMachine::kVoiceCount; ++voice)
      if ((step + voice) % 3 == 0 || voice == DrumMachine::kClosedHat)
        hits.push_back({frame + static_cast<std::int64_t>(random() % 700), DrumMachine::pitchOf(voice), 0.2f + 0.8f * static_cast<float>(random() % 100) / 100.0f});
  }
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.frame < b.frame; });
  const std::size_t frames = 48000 * 4;
  auto with = [&](int block, unsigned seed = 1) {
    DrumMachine d;
    d.prepare(kRate, 512);
    return render(d, hits, frames, block, seed);
  };
  const Stereo reference = with(128);
  BOOST_TEST(peakDb(reference) > -12.0);
  for (int block : {17, 1, 512, 0}) {
    const Stereo s = with(block, 99);
    BOOST_TEST(std::memcmp(s.left.data(), reference.left.data(), frames * sizeof(float)) == 0, "left, block " << block);
    BOOST_TEST(std::memcmp(s.right.data(), reference.right.data(), frames * sizeof(float)) == 0, "right, block " << block);
  }
  // And after reset() the same again.
  DrumMachine d;
  d.prepare(kRate, 512);
  render(d, hits, 48000);
  d.reset();
  const Stereo again = render(d, hits, frames, 128);
  BOOST_TEST(std::memcmp(again.left.data(), reference.left.data(), frames * sizeof(float)) == 0);
}

BOOST_AUTO_TEST_CASE(one_output_channel_gets_every_voice_unpanned) {
  DrumMachine stereo, mono;
  for (auto* d : {&stereo, &mono}) {
    d->setParam("snare.pan", 0.0);
    d->prepare(kRate, 128);
  }
  const Stereo s = render(stereo, {{0, 38}}, 12000), m = render(mono, {{0, 38}}, 12000, 128, 1, 1);
  double worst = 0;
  for (std::size_t i = 0; i < s.left.size(); ++i) worst = std::max(worst, std::fabs(m.left[i] * std::cos(test::kPi / 4) - s.left[i]));
  BOOST_TEST(worst < 1e-6);  // the centre's -3 dB per side, and nothing else
  BOOST_TEST(test::peakOf(m.left) > 0.1);
}

BOOST_AUTO_TEST_CASE(velocity_scales_the_level) {
  auto peak = [](float velocity) {
    DrumMachine d;
    d.setParam("snare.snappy", 0.0);  // the tuned body alone: no filter for the velocity to darken
    d.prepare(kRate, 128);
    return test::peakOf(render(d, {{0, 38, velocity}}, 12000).left);
  };
  const double ratio = peak(0.5f) / peak(1.0f);
  BOOST_TEST_MESSAGE("snare body at velocity 0.5: " << test::dB(ratio) << " dB against velocity 1");
  BOOST_TEST(ratio == 1.0 - 0.75 + 0.75 * 0.5, boost::test_tools::tolerance(0.001));  // sensitivity 0.75
}

BOOST_AUTO_TEST_CASE(output_is_finite_for_extreme_and_nan_parameters) {
  const DeviceDescriptor& desc = DrumMachine::staticDescriptor();
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  std::vector<Hit> hits;
  for (int round = 0; round < 4; ++round)
    for (int voice = 0; voice < DrumMachine::kVoiceCount; ++voice)
      hits.push_back({round * 12000 + voice * 37, DrumMachine::pitchOf(voice), round == 3 ? 1e-6f : 1.0f});
  for (double rate : {44100.0, 96000.0}) {
    for (int setting = 0; setting < 5; ++setting) {
      DrumMachine d;
      for (std::size_t i = 0; i < desc.params.size(); ++i) {
        const auto& p = desc.params[i];
        const double values[5] = {p.min, p.max, nan, i % 2 ? p.max : p.min, i % 2 ? inf : -inf};
        d.setParam(static_cast<int>(i), values[setting]);
      }
      d.prepare(rate, 512);
      const Stereo s = render(d, hits, static_cast<std::size_t>(rate * 2), 0, static_cast<unsigned>(setting));
      BOOST_TEST_CONTEXT("setting " << setting << " at " << rate << " Hz") {
        BOOST_TEST(allFinite(s));
        BOOST_TEST(d.faults() == 0);
        BOOST_TEST_MESSAGE("setting " << setting << " at " << rate << " Hz: peak " << peakDb(s) << " dBFS");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(process_never_allocates) {
  DrumMachine d;
  d.prepare(kRate, 128);
  std::vector<Hit> hits;
  for (int round = 0; round < 8; ++round)
    for (int voice = 0; voice < DrumMachine::kVoiceCount; ++voice) hits.push_back({round * 6000 + voice * 11, DrumMachine::pitchOf(voice), 0.9f});
  Stereo out{std::vector<float>(128), std::vector<float>(128)};
  std::vector<NoteEvent> events;
  events.reserve(hits.size());
  std::size_t next = 0;
  test::allocationsOnAudioThread = 0;
  for (std::int64_t at = 0; at < 48000 * 3; at += 128) {
    events.clear();
    while (next < hits.size() && hits[next].frame < at + 128)
      events.push_back({static_cast<std::int32_t>(hits[next].frame - at), NoteEvent::Type::NoteOn, static_cast<std::uint8_t>(hits[next].pitch), 0.9f}), ++next;
    if (at == 48000) d.setParam("crash.level", -3.0), d.setParam("hat.color", 0.2);
    float* outs[2] = {out.left.data(), out.right.data()};
    ProcessContext c;
    c.outputs = outs;
    c.outputChannels = 2;
    c.frames = 128;
    c.events = events.data();
    c.eventCount = static_cast<int>(events.size());
    test::inAudioThread = true;
    d.process(c);
    test::inAudioThread = false;
  }
  BOOST_TEST(test::allocationsOnAudioThread == 0);
}

BOOST_AUTO_TEST_CASE(idle_is_true_exactly_when_nothing_sounds) {
  DrumMachine d;
  d.prepare(kRate, 128);
  BOOST_TEST(d.idle());
  Stereo s = render(d, {{0, 49}}, 128);
  BOOST_TEST(!d.idle());
  BOOST_TEST(d.activeVoices() == 1);
  s = render(d, {}, static_cast<std::size_t>(kRate * 2 * decayMs(d, DrumMachine::kCrash) / 1000.0));
  BOOST_TEST(d.idle());
  BOOST_TEST(d.activeVoices() == 0);
  d.setParam("kick.level", -10.0);
  BOOST_TEST(!d.idle());  // a change it has not read yet
  s = render(d, {}, 128);
  BOOST_TEST(d.idle());
  BOOST_TEST(test::peakOf(s.left) == 0.0);
  d.setParam("volume", -10.0);  // the volume glides (20 ms) even in silence
  s = render(d, {}, 128);
  BOOST_TEST(!d.idle());
  s = render(d, {}, 2048);
  BOOST_TEST(d.idle());
}

BOOST_AUTO_TEST_SUITE_END()
