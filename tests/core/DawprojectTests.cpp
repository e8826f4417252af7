// DAWproject (core/interchange/Dawproject.h): a file in the shape Bitwig Studio writes (the format's
// README example) imports with its notes, tempo and mix; each built-in device maps with exact numbers both
// ways; plug-ins become placeholders with a warning naming them and where; bad values are refused with
// line:column, element path and what is wrong.
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <string>

#include "engine/Timeline.h"
#include "interchange/Dawproject.h"
#include "model/ProjectJson.h"

using namespace mixdown;

namespace {

Archive archiveOf(const std::string& projectXml) {
  Archive a;
  a.add("project.xml", projectXml);
  return a;
}

bool anyWarning(const DawprojectImport& in, const std::string& fragment) {
  for (const std::string& w : in.warnings)
    if (w.find(fragment) != std::string::npos) return true;
  return false;
}

std::string allWarnings(const DawprojectImport& in) {
  std::string s;
  for (const std::string& w : in.warnings) s += w + "\n";
  return s;
}

// project.xml as Bitwig Studio 5.0 writes it (the DAWproject README's example, abridged to its notes).
const char* kBitwigShaped = R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Project version="1.0">
  <Application name="Bitwig Studio" version="5.0"/>
  <Transport>
    <Tempo max="666.000000" min="20.000000" unit="bpm" value="149.000000" id="id0" name="Tempo"/>
    <TimeSignature denominator="4" numerator="4" id="id1"/>
  </Transport>
  <Structure>
    <Track contentType="notes" loaded="true" id="id2" name="Bass" color="#a2eabf">
      <Channel audioChannels="2" destination="id15" role="regular" solo="false" id="id3">
        <Devices>
          <ClapPlugin deviceID="org.surge-synth-team.surge-xt" deviceName="Surge XT" deviceRole="instrument" loaded="true" id="id7" name="Surge XT">
            <Parameters/>
            <Enabled value="true" id="id8" name="On/Off"/>
            <State path="plugins/d19b1f6e-bbb6-42fe-a6c9-54b41d97a05d.clap-preset"/>
          </ClapPlugin>
        </Devices>
        <Mute value="false" id="id6" name="Mute"/>
        <Pan max="1.000000" min="0.000000" unit="normalized" value="0.500000" id="id5" name="Pan"/>
        <Volume max="2.000000" min="0.000000" unit="linear" value="0.659140" id="id4" name="Volume"/>
      </Channel>
    </Track>
    <Track contentType="audio" loaded="true" id="id9" name="Drumloop" color="#b53bba">
      <Channel audioChannels="2" destination="id15" role="regular" solo="false" id="id10">
        <Mute value="false" id="id13" name="Mute"/>
        <Pan max="1.000000" min="0.000000" unit="normalized" value="0.500000" id="id12" name="Pan"/>
        <Volume max="2.000000" min="0.000000" unit="linear" value="0.177125" id="id11" name="Volume"/>
      </Channel>
    </Track>
    <Track contentType="audio notes" loaded="true" id="id14" name="Master">
      <Channel audioChannels="2" role="master" solo="false" id="id15">
        <Mute value="false" id="id18" name="Mute"/>
        <Pan max="1.000000" min="0.000000" unit="normalized" value="0.500000" id="id17" name="Pan"/>
        <Volume max="2.000000" min="0.000000" unit="linear" value="1.000000" id="id16" name="Volume"/>
      </Channel>
    </Track>
  </Structure>
  <Arrangement id="id19">
    <Lanes timeUnit="beats" id="id20">
      <Lanes track="id2" id="id21">
        <Clips id="id22">
          <Clip time="0.0" duration="8.0" playStart="0.0">
            <Notes id="id23">
              <Note time="0.000000" duration="0.250000" channel="0" key="65" vel="0.787402" rel="0.787402"/>
              <Note time="1.000000" duration="0.250000" channel="0" key="65" vel="0.787402" rel="0.787402"/>
              <Note time="4.000000" duration="0.250000" channel="0" key="65" vel="0.787402" rel="0.787402"/>
              <Note time="5.000000" duration="0.250000" channel="0" key="65" vel="0.787402" rel="0.787402"/>
              <Note time="0.500000" duration="0.250000" channel="0" key="64" vel="0.787402" rel="0.787402"/>
              <Note time="4.500000" duration="0.250000" channel="0" key="64" vel="0.787402" rel="0.787402"/>
              <Note time="1.500000" duration="2.500000" channel="0" key="53" vel="0.787402" rel="0.787402"/>
              <Note time="5.500000" duration="0.250000" channel="0" key="53" vel="0.787402" rel="0.787402"/>
              <Note time="6.000000" duration="2.000000" channel="0" key="53" vel="0.787402" rel="0.787402"/>
            </Notes>
          </Clip>
        </Clips>
      </Lanes>
      <Lanes track="id9" id="id24">
        <Clips id="id25">
          <Clip time="0.0" duration="8.00003433227539" playStart="0.0" loopStart="0.0" loopEnd="8.00003433227539" fadeTimeUnit="beats" fadeInTime="0.0" fadeOutTime="0.0" name="Drumfunk3 170bpm">
            <Clips id="id26">
              <Clip time="0.0" duration="8.00003433227539" contentTimeUnit="beats" playStart="0.0" fadeTimeUnit="beats" fadeInTime="0.0" fadeOutTime="0.0">
                <Warps contentTimeUnit="seconds" timeUnit="beats" id="id28">
                  <Audio algorithm="stretch" channels="2" duration="2.823541666666667" sampleRate="48000" id="id27">
                    <File path="audio/Drumfunk3 170bpm.wav"/>
                  </Audio>
                  <Warp time="0.0" contentTime="0.0"/>
                  <Warp time="8.00003433227539" contentTime="2.823541666666667"/>
                </Warps>
              </Clip>
            </Clips>
          </Clip>
        </Clips>
      </Lanes>
      <Lanes track="id14" id="id29">
        <Clips id="id30"/>
      </Lanes>
    </Lanes>
  </Arrangement>
  <Scenes/>
</Project>
)";

// A one-track project holding `devices` (XML) on an audio track.
std::string withDevices(const std::string& devices) {
  return R"(<Project version="1.0"><Application name="Test" version="1"/><Structure>
<Track contentType="audio" id="t1" name="Gtr"><Channel id="c1" role="regular" destination="m"><Devices>)" +
         devices + R"(</Devices></Channel></Track>
<Track id="t2" name="Master"><Channel id="m" role="master"/></Track></Structure></Project>)";
}

const DeviceState& insertOf(const DawprojectImport& in, std::size_t k) { return in.project.tracks.at(0).inserts.at(k); }

}  // namespace

BOOST_AUTO_TEST_SUITE(dawproject)

BOOST_AUTO_TEST_CASE(unit_conversions_are_exact_where_they_can_be) {
  using namespace mixdown::dawproject;
  BOOST_TEST(gainDbOfLinear(1.0) == 0.0);
  BOOST_TEST(std::fabs(gainDbOfLinear(0.5) - (-6.020599913279624)) < 1e-12);
  BOOST_TEST(gainDbOfLinear(0.0) == -144.0);
  BOOST_TEST(std::fabs(linearOfGainDb(-6.020599913279624) - 0.5) < 1e-15);
  BOOST_TEST(linearOfGainDb(-144.0) == 0.0);
  BOOST_TEST(panOfNormalized(0.5) == 0.0);
  BOOST_TEST(panOfNormalized(0.0) == -1.0);
  BOOST_TEST(panOfNormalized(0.875) == 0.75);
  BOOST_TEST(normalizedOfPan(-0.5) == 0.25);
  BOOST_TEST(ratioOfPercent(0.0) == 1.0);
  BOOST_TEST(ratioOfPercent(50.0) == 2.0);
  BOOST_TEST(ratioOfPercent(75.0) == 4.0);
  BOOST_TEST(std::isinf(ratioOfPercent(100.0)));
  BOOST_TEST(percentOfRatio(4.0) == 75.0);
  BOOST_TEST(percentOfRatio(20.0) == 95.0);
  for (double r : {1.0, 1.5, 2.0, 3.0, 4.0, 7.3, 20.0}) BOOST_TEST(std::fabs(ratioOfPercent(percentOfRatio(r)) - r) < 1e-12 * r);
}

BOOST_AUTO_TEST_CASE(a_file_in_the_shape_bitwig_writes_imports_with_its_notes_tempo_and_mix) {
  Archive a = archiveOf(kBitwigShaped);
  a.add("audio/Drumfunk3 170bpm.wav", "");  // listed; the reader does not decode audio
  const DawprojectImport in = readDawproject(a, "Bitwig.dawproject");
  BOOST_REQUIRE_MESSAGE(in.ok(), in.error);
  const Project& p = in.project;
  BOOST_TEST(p.tempo == 149.0);
  BOOST_TEST(p.tempoChanges.empty());
  BOOST_TEST(p.timeSignature.numerator == 4);
  BOOST_REQUIRE_EQUAL(p.tracks.size(), 2u);
  const Track& bass = p.tracks[0];
  BOOST_TEST(bass.name == "Bass");
  BOOST_TEST((bass.kind == TrackKind::Instrument));
  BOOST_TEST(bass.color == "#a2eabf");
  BOOST_REQUIRE(bass.instrument);
  BOOST_TEST(bass.instrument->type == "mixdown.polysynth");
  BOOST_TEST(anyWarning(in, "the instrument \"Surge XT\" (ClapPlugin org.surge-synth-team.surge-xt) cannot play in Mixdown: the track plays the Poly Synth instead"),
             allWarnings(in));
  BOOST_TEST(anyWarning(in, "project.xml:12:12: Project/Structure/Track[1]/Channel/Devices/ClapPlugin"), allWarnings(in));
  BOOST_TEST(std::fabs(bass.strip.gainDb - 20 * std::log10(0.65914)) < 1e-12);
  BOOST_TEST(bass.strip.pan == 0.0);
  BOOST_TEST(bass.output == kMasterOutput);
  BOOST_REQUIRE_EQUAL(bass.clips.size(), 1u);
  const Clip& c = bass.clips[0];
  BOOST_TEST(c.start == 0.0);
  BOOST_TEST(c.length == 8.0);
  BOOST_TEST(c.offset == 0.0);
  BOOST_REQUIRE_EQUAL(c.notes.size(), 9u);
  BOOST_TEST(c.notes[0].pitch == 65);
  BOOST_TEST(c.notes[0].velocity == 0.787402);
  BOOST_TEST(c.notes[6].pitch == 53);
  BOOST_TEST(c.notes[6].start == 1.5);
  BOOST_TEST(c.notes[6].length == 2.5);
  // The audio clip: Bitwig's two levels of clips flattened; 8 beats at 149 BPM are 3.221 s, the file's
  // 2.8235 s are warped onto them (a 170 BPM loop at 149): read unstretched, with a warning.
  const Track& loop = p.tracks[1];
  BOOST_TEST((loop.kind == TrackKind::Audio));
  BOOST_TEST(std::fabs(loop.strip.gainDb - 20 * std::log10(0.177125)) < 1e-12);
  BOOST_REQUIRE_EQUAL(loop.clips.size(), 1u);
  BOOST_TEST(loop.clips[0].start == 0.0);
  BOOST_TEST(std::fabs(loop.clips[0].length - 8.00003433227539) < 1e-12);
  BOOST_TEST(std::fabs(loop.clips[0].offset) < 1e-12);
  BOOST_TEST(loop.clips[0].name == "Drumfunk3 170bpm");
  BOOST_REQUIRE_EQUAL(p.assets.size(), 1u);
  BOOST_TEST(p.assets[0].frames == std::llround(2.823541666666667 * 48000));
  BOOST_TEST(in.audioEntries.at(p.assets[0].id) == "audio/Drumfunk3 170bpm.wav");
  BOOST_TEST(anyWarning(in, "Mixdown plays it unstretched from the same start"), allWarnings(in));
  BOOST_TEST(validateProject(p).empty());
}

BOOST_AUTO_TEST_CASE(the_equalizer_maps_band_types_frequencies_gains_and_q) {
  const DawprojectImport in = readDawproject(archiveOf(withDevices(R"(
<Equalizer deviceName="EQ+" deviceRole="audioFX">
  <Band type="highPass" order="0"><Freq unit="hertz" value="80"/><Q unit="linear" value="0.707"/></Band>
  <Band type="lowShelf" order="1"><Freq unit="hertz" value="150"/><Gain unit="decibel" value="-2.5"/><Q unit="linear" value="0.8"/></Band>
  <Band type="bell" order="2"><Freq unit="hertz" value="1234.5"/><Gain unit="decibel" value="3.25"/><Q unit="linear" value="2.5"/><Enabled value="false"/></Band>
  <Band type="highShelf" order="3"><Freq unit="hertz" value="9000"/><Gain unit="decibel" value="1.5"/></Band>
  <Band type="notch" order="4"><Freq unit="hertz" value="60"/><Q unit="linear" value="12"/></Band>
  <Band type="bandPass" order="5"><Freq unit="hertz" value="700"/></Band>
  <Band type="lowPass" order="6"><Freq unit="hertz" value="15000"/></Band>
  <InputGain unit="decibel" value="-1"/><OutputGain unit="decibel" value="4"/>
</Equalizer>)")), "eq.dawproject");
  BOOST_REQUIRE_MESSAGE(in.ok(), in.error);
  const DeviceState& eq = insertOf(in, 0);
  BOOST_TEST(eq.type == "mixdown.eq");
  const auto v = [&](const char* id) { return eq.params.at(id); };
  BOOST_TEST(v("type1") == 4.0);  // low cut 12 dB/octave
  BOOST_TEST(v("freq1") == 80.0);
  BOOST_TEST(v("q1") == 0.707);
  BOOST_TEST(v("type2") == 2.0);  // low shelf
  BOOST_TEST(v("gain2") == -2.5);
  BOOST_TEST(v("type3") == 1.0);  // peak
  BOOST_TEST(v("freq3") == 1234.5);
  BOOST_TEST(v("gain3") == 3.25);
  BOOST_TEST(v("q3") == 2.5);
  BOOST_TEST(v("bypass3") == 1.0);
  BOOST_TEST(v("bypass4") == 0.0);
  BOOST_TEST(v("type4") == 3.0);
  BOOST_TEST(v("type5") == 10.0);
  BOOST_TEST(v("q5") == 12.0);
  BOOST_TEST(v("type6") == 11.0);
  BOOST_TEST(v("type7") == 7.0);  // high cut 12 dB/octave
  BOOST_TEST(v("freq7") == 15000.0);
  BOOST_TEST(v("output") == 3.0);  // -1 dB in + 4 dB out: a linear EQ's gains add
  BOOST_TEST(!eq.bypass);
}

BOOST_AUTO_TEST_CASE(compressor_gate_and_limiter_map_with_their_units_converted) {
  const DawprojectImport in = readDawproject(archiveOf(withDevices(R"(
<Compressor deviceName="Comp" deviceRole="audioFX">
  <Attack unit="seconds" value="0.012"/><AutoMakeup value="false"/><InputGain unit="decibel" value="3"/>
  <OutputGain unit="decibel" value="2"/><Ratio unit="percent" value="75"/><Release unit="seconds" value="0.25"/>
  <Threshold unit="decibel" value="-20"/>
</Compressor>
<NoiseGate deviceName="Gate" deviceRole="audioFX">
  <Attack unit="seconds" value="0.0005"/><Range unit="decibel" value="-30"/><Ratio unit="percent" value="50"/>
  <Release unit="seconds" value="0.15"/><Threshold unit="decibel" value="-45"/>
</NoiseGate>
<NoiseGate deviceName="Gate 2" deviceRole="audioFX"><Range unit="decibel" value="-inf"/><Enabled value="false"/></NoiseGate>
<Limiter deviceName="Limiter" deviceRole="audioFX">
  <Attack unit="seconds" value="0.005"/><InputGain unit="decibel" value="6"/><OutputGain unit="decibel" value="0"/>
  <Release unit="seconds" value="0.08"/><Threshold unit="decibel" value="-1.5"/>
</Limiter>
<Compressor deviceName="Ratio as a ratio" deviceRole="audioFX"><Ratio unit="linear" value="3"/></Compressor>)")), "dyn.dawproject");
  BOOST_REQUIRE_MESSAGE(in.ok(), in.error);
  const DeviceState& comp = insertOf(in, 0);
  BOOST_TEST(comp.type == "mixdown.compressor");
  BOOST_TEST(comp.params.at("threshold") == -23.0);  // -20 dB with 3 dB of input gain before it
  BOOST_TEST(comp.params.at("makeup") == 5.0);       // the 3 dB back, plus 2 dB of output gain
  BOOST_TEST(comp.params.at("ratio") == 4.0);        // 75 %
  BOOST_TEST(comp.params.at("attack") == 12.0);      // ms
  BOOST_TEST(comp.params.at("release") == 250.0);
  const DeviceState& gate = insertOf(in, 1);
  BOOST_TEST(gate.type == "mixdown.gate");
  BOOST_TEST(gate.params.at("threshold") == -45.0);
  BOOST_TEST(gate.params.at("range") == 30.0);
  BOOST_TEST(gate.params.at("ratio") == 2.0);
  BOOST_TEST(gate.params.at("attack") == 0.5);
  BOOST_TEST(gate.params.at("release") == 150.0);
  BOOST_TEST(insertOf(in, 2).params.at("range") == 80.0);  // -inf: as deep as ours goes
  BOOST_TEST(insertOf(in, 2).bypass);
  const DeviceState& lim = insertOf(in, 3);
  BOOST_TEST(lim.type == "mixdown.limiter");
  BOOST_TEST(lim.params.at("ceiling") == -1.5);
  BOOST_TEST(lim.params.at("gain") == 6.0);
  BOOST_TEST(lim.params.at("lookahead") == 5.0);
  BOOST_TEST(lim.params.at("release") == 80.0);
  BOOST_TEST(lim.params.at("autoRelease") == 0.0);
  BOOST_TEST(insertOf(in, 4).params.at("ratio") == 3.0);
}

BOOST_AUTO_TEST_CASE(mapped_devices_written_are_read_back_by_their_builtin_fields_alone) {
  // What another DAW sees: our export without our state files still maps to the same settings.
  Project p;
  Track t;
  t.id = "gtr";
  t.name = "Gtr";
  t.kind = TrackKind::Audio;
  DeviceState eq{"mixdown.eq", {{"type1", 1}, {"freq1", 2500}, {"gain1", -4.5}, {"q1", 3}, {"type2", 4}, {"freq2", 90}, {"type3", 3}, {"freq3", 8000}, {"gain3", 2}, {"bypass3", 1}, {"output", -2}}};
  DeviceState comp{"mixdown.compressor", {{"threshold", -24}, {"ratio", 6}, {"attack", 3}, {"release", 120}, {"makeup", 4}}};
  DeviceState gate{"mixdown.gate", {{"threshold", -50}, {"range", 25}, {"ratio", 8}, {"attack", 2}, {"release", 300}}};
  DeviceState lim{"mixdown.limiter", {{"ceiling", -2}, {"release", 50}, {"gain", 3}, {"lookahead", 4}, {"autoRelease", 0}}};
  t.inserts = {eq, comp, gate, lim};
  p.tracks.push_back(t);
  DawprojectExport out = writeDawproject(p);
  Archive foreign;
  for (const ArchiveEntry& e : out.archive.entries)
    if (e.path.find(".mixdown-device.json") == std::string::npos) foreign.add(e.path, e.bytes);
  const DawprojectImport in = readDawproject(foreign, "foreign.dawproject");
  BOOST_REQUIRE_MESSAGE(in.ok(), in.error);
  const std::vector<DeviceState>& back = in.project.tracks.at(0).inserts;
  BOOST_REQUIRE_EQUAL(back.size(), 4u);
  for (std::size_t k = 0; k < 4; ++k) {
    BOOST_TEST(back[k].type == t.inserts[k].type);
    for (const auto& [id, value] : t.inserts[k].params)
      BOOST_TEST(std::fabs(back[k].params.at(id) - value) <= 1e-12 * std::max(1.0, std::fabs(value)), t.inserts[k].type << " " << id);
  }
  // And with the state files, exactly (parameters DAWproject has no field for included).
  DeviceState comp2 = comp;
  comp2.params["knee"] = 9;
  comp2.params["mix"] = 60;
  p.tracks[0].inserts = {comp2};
  const DawprojectImport exact = readDawproject(writeDawproject(p).archive, "ours.dawproject");
  BOOST_REQUIRE(exact.ok());
  BOOST_TEST((exact.project.tracks[0].inserts[0].params == comp2.params));
}

BOOST_AUTO_TEST_CASE(plugins_become_bypassed_placeholders_named_with_where_they_were) {
  const DawprojectImport in = readDawproject(archiveOf(withDevices(R"(
<Vst3Plugin deviceID="72C4DB717A4D459AB97E51745D84B39D" deviceName="Pro-Q 3" deviceRole="audioFX" deviceVendor="FabFilter"><State path="plugins/x.vstpreset"/></Vst3Plugin>
<Compressor deviceName="Comp" deviceRole="audioFX"><Threshold unit="decibel" value="-10"/></Compressor>)")), "plug.dawproject");
  BOOST_REQUIRE_MESSAGE(in.ok(), in.error);
  BOOST_REQUIRE_EQUAL(in.project.tracks[0].inserts.size(), 2u);
  BOOST_TEST(insertOf(in, 0).type == "mixdown.utility");
  BOOST_TEST(insertOf(in, 0).bypass);
  BOOST_TEST(insertOf(in, 1).type == "mixdown.compressor");
  BOOST_TEST(anyWarning(in, "plug.dawproject: project.xml:3:2: Project/Structure/Track[1]/Channel/Devices/Vst3Plugin: \"Pro-Q 3\" (Vst3Plugin 72C4DB717A4D459AB97E51745D84B39D) cannot run in Mixdown: kept as a bypassed Utility in its place"),
             allWarnings(in));
}

BOOST_AUTO_TEST_CASE(time_in_seconds_and_tempo_automation_are_read_onto_beats) {
  const DawprojectImport in = readDawproject(archiveOf(R"(<Project version="1.0"><Application name="T" version="1"/>
<Transport><Tempo unit="bpm" value="120" id="tempo"/><TimeSignature numerator="4" denominator="4" id="sig"/></Transport>
<Structure><Track contentType="notes" id="t" name="Keys"><Channel id="c" role="regular"/></Track></Structure>
<Arrangement><Lanes timeUnit="seconds"><Lanes track="t"><Clips>
  <Clip time="1.0" duration="2.0" contentTimeUnit="beats" playStart="0"><Notes><Note time="0" duration="1" channel="0" key="60" vel="0.5"/><Note time="2" duration="1" channel="0" key="62"/></Notes></Clip>
</Clips></Lanes></Lanes>
<TempoAutomation timeUnit="beats"><Target parameter="tempo"/><RealPoint time="0" value="120" interpolation="hold"/><RealPoint time="8" value="90" interpolation="linear"/><RealPoint time="16" value="150" interpolation="hold"/></TempoAutomation>
<TimeSignatureAutomation><Target parameter="sig"/><TimeSignaturePoint time="0" numerator="4" denominator="4"/><TimeSignaturePoint time="8" numerator="7" denominator="8"/><TimeSignaturePoint time="12" numerator="4" denominator="4"/></TimeSignatureAutomation>
</Arrangement></Project>)"), "seconds.dawproject");
  BOOST_REQUIRE_MESSAGE(in.ok(), in.error);
  const Project& p = in.project;
  BOOST_REQUIRE_EQUAL(p.tempoChanges.size(), 2u);
  BOOST_TEST(p.tempoChanges[0].beat == 8.0);
  BOOST_TEST(p.tempoChanges[0].bpm == 90.0);
  BOOST_TEST((p.tempoChanges[0].shape == TempoShape::Step));   // the segment before it held
  BOOST_TEST(p.tempoChanges[1].beat == 16.0);
  BOOST_TEST((p.tempoChanges[1].shape == TempoShape::Linear)); // the segment before it ramped
  BOOST_REQUIRE_EQUAL(p.signatureChanges.size(), 2u);
  BOOST_TEST(p.signatureChanges[0].bar == 3);
  BOOST_TEST(p.signatureChanges[0].numerator == 7);
  BOOST_TEST(p.signatureChanges[1].bar == 5);  // 12 beats: bar 3 (beat 8) + 3.5 -> not on a line, next bar
  BOOST_TEST(anyWarning(in, "does not fall on a bar line"), allWarnings(in));
  // 1 s at 120 BPM is beat 2; 2 s long: beats 2..6.
  const Clip& c = p.tracks.at(0).clips.at(0);
  BOOST_TEST(std::fabs(c.start - 2.0) < 1e-12);
  BOOST_TEST(std::fabs(c.length - 4.0) < 1e-12);
  BOOST_TEST(c.notes[0].velocity == 0.5);
  BOOST_TEST(c.notes[1].velocity == 0.8);  // no vel given
  BOOST_TEST(c.notes[1].start == 2.0);
}

BOOST_AUTO_TEST_CASE(bad_values_are_refused_with_line_column_element_and_what) {
  const auto refused = [](const std::string& xml, const std::string& fragment) {
    const DawprojectImport in = readDawproject(archiveOf(xml), "bad.dawproject");
    BOOST_TEST(!in.ok());
    BOOST_TEST(in.error.find(fragment) != std::string::npos, "expected \"" << fragment << "\" in: " << in.error);
    BOOST_TEST(in.project.tracks.empty());
  };
  const std::string head = R"(<Project version="1.0"><Application name="T" version="1"/><Structure><Track contentType="notes" id="t" name="K"><Channel id="c" role="regular"/></Track></Structure>
<Arrangement><Lanes><Lanes track="t"><Clips><Clip time="0" duration="4"><Notes>
)";
  const std::string tail = "\n</Notes></Clip></Clips></Lanes></Lanes></Arrangement></Project>";
  refused(head + R"(<Note time="0" duration="1" channel="0" key="60" vel="nan"/>)" + tail,
          "bad.dawproject: project.xml:3:2: Project/Arrangement/Lanes/Lanes/Clips/Clip/Notes/Note: vel=\"nan\" is not a finite number");
  refused(head + R"(<Note time="0" duration="1" channel="0" key="60" vel="1.5"/>)" + tail, "vel=\"1.5\" is out of range (0 to 1)");
  refused(head + R"(<Note time="0" duration="1" channel="0" key="128"/>)" + tail, "key=\"128\" is out of range (0 to 127)");
  refused(head + R"(<Note time="0" duration="-1" channel="0" key="60"/>)" + tail, "duration=\"-1\" is out of range");
  refused(head + R"(<Note time="x" duration="1" channel="0" key="60"/>)" + tail, "time=\"x\" is not a finite number");
  refused(head + R"(<Note time="0" duration="1" channel="0"/>)" + tail, "Note: the attribute key is missing");
  refused(head + R"(<Note time="0" duration="1" channel="0" key="60"><Note>)" + tail, "bad.dawproject: project.xml:4:");
  refused(R"(<Project version="1.0"><Application name="T" version="1"/><Structure><Track id="t"><Channel id="c"><Volume unit="linear" value="-0.5"/></Channel></Track></Structure></Project>)",
          "Project/Structure/Track/Channel/Volume: a linear volume of -0.5 (below 0)");
  refused(R"(<Project version="1.0"><Application name="T" version="1"/><Structure><Track id="t"><Channel id="c" destination="nowhere"/></Track></Structure></Project>)",
          "destination=\"nowhere\" names no channel of the file");
  const DawprojectImport gone = readDawproject(archiveOf(R"(<Project version="1.0"><Application name="T" version="1"/><Structure><Track contentType="audio" id="t"><Channel id="c"/></Track></Structure>
<Arrangement><Lanes><Lanes track="t"><Clips><Clip time="0" duration="4"><Audio channels="2" sampleRate="48000" duration="2"><File path="audio/gone.wav"/></Audio></Clip></Clips></Lanes></Lanes></Arrangement></Project>)"), "gone.dawproject");
  BOOST_TEST(gone.ok());
  BOOST_TEST(gone.project.tracks.at(0).clips.empty());
  BOOST_TEST(anyWarning(gone, "the audio file \"audio/gone.wav\" is not in the zip: its clip is skipped"), allWarnings(gone));
  refused(R"(<Song/>)", "bad.dawproject: project.xml:1:2: Song: the root element is <Song>, not <Project>");
  const DawprojectImport none = readDawproject(Archive{}, "none.dawproject");
  BOOST_TEST(none.error == "none.dawproject: no project.xml in the zip: not a DAWproject file");
}

BOOST_AUTO_TEST_CASE(every_export_is_read_back_as_the_same_project) {
  Project p;
  p.title = "Round";
  p.tempo = 97.5;
  p.tempoChanges = {{8.0, 140.0, TempoShape::Step}, {24.0, 70.0, TempoShape::Linear}};
  p.signatureChanges = {{3, 6, 8}};
  Track keys;
  keys.id = "keys";
  keys.name = "Keys";
  keys.kind = TrackKind::Instrument;
  keys.instrument = DeviceState{"mixdown.polysynth", {{"cutoff", 1234.5}, {"attack", 7}}};
  Clip c;
  c.name = "riff";
  c.start = 4;
  c.length = 10;
  c.offset = 1.25;
  c.looped = true;
  c.loopStart = 1;
  c.loopEnd = 3;
  c.notes = {{60, 0.3, 1.0, 0.5}, {67, 1.0 / 3.0, 2.5, 0.25}};
  keys.clips.push_back(c);
  keys.strip = {-7.25, -0.4, true, true};
  keys.automation.push_back({"gain", {{0, -20, AutomationShape::Linear, 0}, {6, -3, AutomationShape::Curved, -0.25}, {12, -10, AutomationShape::Step, 0}}});
  p.tracks.push_back(keys);
  const DawprojectExport out = writeDawproject(p);
  const DawprojectImport in = readDawproject(out.archive, "round.dawproject");
  BOOST_REQUIRE_MESSAGE(in.ok(), in.error);
  const Project& q = in.project;
  BOOST_TEST(q.title == "Round");
  BOOST_TEST((q.tempoChanges == p.tempoChanges));
  BOOST_TEST((q.signatureChanges == p.signatureChanges));
  BOOST_REQUIRE_EQUAL(q.tracks.size(), 1u);
  const Track& k = q.tracks[0];
  BOOST_TEST(k.id == "keys");
  BOOST_TEST((k.clips == keys.clips));
  BOOST_TEST((k.instrument == keys.instrument));
  BOOST_TEST(k.strip.mute);
  BOOST_TEST(k.strip.solo);
  BOOST_TEST(std::fabs(k.strip.gainDb + 7.25) < 1e-12);
  BOOST_TEST(std::fabs(k.strip.pan + 0.4) < 1e-15);
  BOOST_REQUIRE_EQUAL(k.automation.size(), 1u);
  BOOST_TEST((k.automation[0].points[1].shape == AutomationShape::Curved));
  BOOST_TEST(k.automation[0].points[1].tension == -0.25);
  for (std::size_t i = 0; i < 3; ++i) BOOST_TEST(std::fabs(k.automation[0].points[i].value - keys.automation[0].points[i].value) < 1e-12);
}

// A sampler (mixdown.sampler) goes out with its zones and the audio they play: its state file holds the
// zones, each zone's asset is an audio entry of the export (shared with a clip of the same file), and the
// read-back zones equal the written ones field by field, on assets of the same rate, channels and length.
BOOST_AUTO_TEST_CASE(a_sampler_goes_out_and_back_with_its_zones_and_their_audio) {
  Project p;
  p.assets.push_back({"kick", "kick.wav", "", 44100.0, 1, 22050, "samples/kick.wav"});
  p.assets.push_back({"pad", "pad.wav", "", 48000.0, 2, 96000, "samples/pad.wav"});
  Track drums;
  drums.id = "drums";
  drums.name = "Drums";
  drums.kind = TrackKind::Instrument;
  DeviceState sampler{"mixdown.sampler", {{"volume", -2.5}, {"tune", 15}}};
  SampleZone kick;
  kick.asset = "kick";
  kick.rootKey = kick.lowKey = kick.highKey = 36;
  kick.highVelocity = 100;
  kick.end = 20000;
  kick.gainDb = -1.5;
  kick.oneShot = true;
  kick.group = 2;
  SampleZone pad;
  pad.asset = "pad";
  pad.lowKey = 48;
  pad.highKey = 72;
  pad.start = 100;
  pad.loop = ZoneLoop::Forward;
  pad.loopStart = 4800;
  pad.loopEnd = 90000;
  pad.crossfade = 480;
  pad.tuneCents = -12.5;
  pad.pan = 0.25;
  pad.attackMs = 30;
  pad.releaseMs = 400;
  pad.sustain = 0.7;
  pad.trigger = ZoneTrigger::First;
  SampleZone padHigh = pad;
  padHigh.lowKey = 73;
  padHigh.highKey = 96;
  padHigh.offBy = 2;
  sampler.zones = {kick, pad, padHigh};
  drums.instrument = sampler;
  Clip c;
  c.name = "beat";
  c.length = 4;
  c.notes = {{36, 0.9, 0.0, 0.5}, {60, 0.6, 1.0, 2.0}, {80, 0.5, 2.0, 1.0}};
  drums.clips.push_back(c);
  p.tracks.push_back(drums);
  Track audio;
  audio.id = "padtrack";
  audio.name = "Pad audio";
  audio.kind = TrackKind::Audio;
  Clip ac;
  ac.name = "pad";
  ac.length = 4;
  ac.asset = "pad";
  audio.clips.push_back(ac);
  p.tracks.push_back(audio);
  const std::vector<ProjectIssue> issues = validateProject(p);
  BOOST_REQUIRE_MESSAGE(issues.empty(), (issues.empty() ? "" : issues.front().text()));

  DawprojectExport out = writeDawproject(p);
  BOOST_REQUIRE_EQUAL(out.audio.size(), 2u);  // each file once, the pad's for its zones and its clip
  BOOST_TEST(out.audio.at("kick") == "audio/kick.wav");
  BOOST_TEST(out.audio.at("pad") == "audio/pad.wav");
  for (const auto& [id, entry] : out.audio) out.archive.add(entry, "");  // as a host adds the files
  const DawprojectImport in = readDawproject(out.archive, "sampler.dawproject");
  BOOST_REQUIRE_MESSAGE(in.ok(), in.error);
  BOOST_TEST(in.warnings.empty(), allWarnings(in));
  const Project& q = in.project;
  BOOST_TEST(validateProject(q).empty());
  BOOST_REQUIRE_EQUAL(q.assets.size(), 2u);
  BOOST_REQUIRE_EQUAL(q.tracks.size(), 2u);
  BOOST_REQUIRE(q.tracks[0].instrument);
  const DeviceState& back = *q.tracks[0].instrument;
  BOOST_TEST(back.type == "mixdown.sampler");
  BOOST_TEST((back.params == sampler.params));
  BOOST_REQUIRE_EQUAL(back.zones.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const Asset* a = q.findAsset(back.zones[i].asset);
    const Asset* was = p.findAsset(sampler.zones[i].asset);
    BOOST_REQUIRE(a);
    BOOST_TEST(a->sampleRate == was->sampleRate);
    BOOST_TEST(a->channels == was->channels);
    BOOST_TEST(a->frames == was->frames);
    BOOST_TEST(in.audioEntries.at(a->id) == out.audio.at(was->id));
    SampleZone z = back.zones[i];
    z.asset = sampler.zones[i].asset;  // the reader names assets itself
    BOOST_TEST((z == sampler.zones[i]), "zone " << i);
  }
  BOOST_TEST(back.zones[1].asset == back.zones[2].asset);
  BOOST_TEST(q.tracks[1].clips.at(0).asset == back.zones[1].asset);  // one asset for the file, clip and zones
  BOOST_TEST((q.tracks[0].clips == drums.clips));

  // Without the kick's file the kick's zone is left out, with a warning; the pad's stay.
  Archive lost;
  for (const ArchiveEntry& e : out.archive.entries)
    if (e.path != "audio/kick.wav") lost.add(e.path, e.bytes);
  const DawprojectImport partial = readDawproject(lost, "sampler.dawproject");
  BOOST_REQUIRE_MESSAGE(partial.ok(), partial.error);
  BOOST_REQUIRE(partial.project.tracks.at(0).instrument);
  BOOST_TEST(partial.project.tracks[0].instrument->zones.size() == 2u);
  BOOST_TEST(anyWarning(partial, "1 sampler zone(s) play audio that is not in the zip (the first asset \"kick\"): left out"), allWarnings(partial));
  BOOST_TEST(validateProject(partial.project).empty());
}

BOOST_AUTO_TEST_SUITE_END()
