// A Project as a DAWproject (see Dawproject.h for what is written and how).
#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include <pugixml.hpp>

#include "devices/Registry.h"
#include "engine/Timeline.h"
#include "interchange/Dawproject.h"
#include "interchange/DawprojectShared.h"
#include "model/ProjectJsonParts.h"

namespace mixdown {
namespace dawproject {

double gainDbOfLinear(double linear) {
  if (!(linear > 0.0)) return -144.0;
  return std::max(-144.0, 20.0 * std::log10(linear));
}
double linearOfGainDb(double db) { return db <= -144.0 ? 0.0 : std::pow(10.0, db / 20.0); }
double panOfNormalized(double normalized) { return normalized * 2.0 - 1.0; }
double normalizedOfPan(double pan) { return (pan + 1.0) * 0.5; }
double ratioOfPercent(double percent) { return percent >= 100.0 ? INFINITY : 100.0 / (100.0 - percent); }
double percentOfRatio(double ratio) { return 100.0 * (1.0 - 1.0 / ratio); }

}  // namespace dawproject

namespace {
using namespace dawproject;

// Our EQ band types (ParametricEq's enum order) as DAWproject's; "" for Off.
const char* eqBandTypeOf(int type) {
  switch (type) {
    case 1: return "bell";
    case 2: return "lowShelf";
    case 3: return "highShelf";
    case 4: case 5: case 6: return "highPass";  // our low cuts: 12, 24, 48 dB/octave
    case 7: case 8: case 9: return "lowPass";
    case 10: return "notch";
    case 11: return "bandPass";
    default: return "";
  }
}

class Writer {
 public:
  explicit Writer(const Project& p) : p_(p), timeline_(p, 48000.0) {}

  DawprojectExport run() {
    pugi::xml_node decl = doc_.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "UTF-8";
    decl.append_attribute("standalone") = "yes";
    pugi::xml_node root = doc_.append_child("Project");
    root.append_attribute("version") = kDawprojectVersion;
    pugi::xml_node app = root.append_child("Application");
    app.append_attribute("name") = "Mixdown";
    app.append_attribute("version") = "1.0";

    pugi::xml_node transport = root.append_child("Transport");
    pugi::xml_node tempo = transport.append_child("Tempo");
    realParam(tempo, "bpm", p_.tempo, "Tempo", 20, 999);
    tempoId_ = idOf(tempo);
    pugi::xml_node sig = transport.append_child("TimeSignature");
    sig.append_attribute("denominator") = p_.timeSignature.denominator;
    sig.append_attribute("numerator") = p_.timeSignature.numerator;
    signatureId_ = idOf(sig);

    // Channel ids first: destinations and sends refer to channels written later.
    for (const Track& t : p_.tracks) channelIds_[t.id] = nextId();
    masterChannelId_ = nextId();

    pugi::xml_node structure = root.append_child("Structure");
    for (std::size_t i = 0; i < p_.tracks.size(); ++i) writeTrack(structure, i);
    writeMaster(structure);

    pugi::xml_node arrangement = root.append_child("Arrangement");
    idOf(arrangement);
    pugi::xml_node lanes = arrangement.append_child("Lanes");
    lanes.append_attribute("timeUnit") = "beats";
    idOf(lanes);
    for (std::size_t i = 0; i < p_.tracks.size(); ++i) writeTrackLanes(lanes, i);
    writeTempoAutomation(arrangement);
    writeSignatureAutomation(arrangement);
    root.append_child("Scenes");
    extras_["loop"] = {{"enabled", p_.loop.enabled}, {"startBeat", p_.loop.startBeat}, {"endBeat", p_.loop.endBeat}};
    out_.archive.add(kExtrasEntry, extras_.dump(2) + "\n");

    std::ostringstream xml;
    doc_.save(xml, "  ", pugi::format_default, pugi::encoding_utf8);
    out_.archive.add(kDawprojectProjectEntry, xml.str());

    pugi::xml_document meta;
    pugi::xml_node md = meta.append_child(pugi::node_declaration);
    md.append_attribute("version") = "1.0";
    md.append_attribute("encoding") = "UTF-8";
    md.append_attribute("standalone") = "yes";
    meta.append_child("MetaData").append_child("Title").text() = p_.title.c_str();
    std::ostringstream metaXml;
    meta.save(metaXml, "  ", pugi::format_default, pugi::encoding_utf8);
    out_.archive.add(kDawprojectMetadataEntry, metaXml.str());
    return std::move(out_);
  }

 private:
  struct TrackIds {
    std::string track, volume, pan;
    std::map<std::size_t, std::map<std::string, std::string>> insertParams;  // insert -> param -> xml id
  };

  std::string nextId() { return "id" + std::to_string(++ids_); }
  std::string idOf(pugi::xml_node n) {
    const std::string id = nextId();
    n.append_attribute("id") = id.c_str();
    return id;
  }
  void realParam(pugi::xml_node n, const char* unit, double value, const char* name = nullptr, double lo = NAN, double hi = NAN) {
    if (!std::isnan(hi)) n.append_attribute("max") = numberText(hi).c_str();
    if (!std::isnan(lo)) n.append_attribute("min") = numberText(lo).c_str();
    n.append_attribute("unit") = unit;
    n.append_attribute("value") = numberText(value).c_str();
    if (name) n.append_attribute("name") = name;
  }
  std::string realChild(pugi::xml_node parent, const char* element, const char* unit, double value, double lo = NAN, double hi = NAN) {
    pugi::xml_node n = parent.append_child(element);
    realParam(n, unit, value, element, lo, hi);
    return idOf(n);
  }
  void boolChild(pugi::xml_node parent, const char* element, bool value, const char* name) {
    pugi::xml_node n = parent.append_child(element);
    n.append_attribute("value") = value;
    n.append_attribute("name") = name;
    idOf(n);
  }

  // "track-<our id>" when our id is a valid XML name tail (letters, digits, - _ .), else a fresh one.
  std::string xmlTrackId(const std::string& ours) {
    const bool plain = !ours.empty() && std::all_of(ours.begin(), ours.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
    const std::string id = std::string(kTrackIdPrefix) + ours;
    if (plain && usedXmlIds_.insert(id).second) return id;
    return nextId();
  }

  static std::string safeName(const std::string& s) {
    std::string out;
    for (char c : s) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return out.empty() ? "track" : out;
  }

  // One device: the DAWproject built-in when there is one, else <Device>; its state as our JSON beside.
  // `automated`: our parameter ids that automation lanes drive (listed in <Parameters> with ids, which
  // `paramIds` receives).
  void writeDevice(pugi::xml_node devices, const DeviceState& d, bool instrument, const std::string& owner, int n,
                   const std::set<std::string>& automated, std::map<std::string, std::string>& paramIds) {
    const DeviceDescriptor* desc = findDevice(d.type);
    const std::string name = desc ? desc->name : d.type;
    const char* element = d.type == "mixdown.eq" ? "Equalizer" : d.type == "mixdown.compressor" ? "Compressor"
                        : d.type == "mixdown.gate" ? "NoiseGate" : d.type == "mixdown.limiter" ? "Limiter" : "Device";
    pugi::xml_node e = devices.append_child(element);
    e.append_attribute("deviceID") = d.type.c_str();
    e.append_attribute("deviceName") = name.c_str();
    e.append_attribute("deviceRole") = instrument ? "instrument" : "audioFX";
    e.append_attribute("deviceVendor") = kVendor;
    idOf(e);
    e.append_attribute("name") = name.c_str();
    const auto v = [&](const char* id) {
      const ParamDescriptor* pd = desc ? desc->findParam(id) : nullptr;
      return d.value(id, pd ? pd->defaultValue : 0.0);
    };
    if (!automated.empty() && desc) {
      pugi::xml_node params = e.append_child("Parameters");
      for (const std::string& id : automated) {
        const ParamDescriptor* pd = desc->findParam(id);
        if (!pd) continue;
        const UnitMapping u = unitOf(pd->unit);
        pugi::xml_node rp = params.append_child("RealParameter");
        realParam(rp, u.unit, v(id.c_str()) * u.scale, nullptr, pd->min * u.scale, pd->max * u.scale);
        paramIds[id] = idOf(rp);
        rp.append_attribute("name") = id.c_str();
      }
    }
    boolChild(e, "Enabled", !d.bypass, "On/Off");
    // The exact state, as our project JSON writes a device (an instrument with its sampler zones).
    Track holder;
    if (instrument) holder.instrument = d;
    else holder.inserts.push_back(d);
    nlohmann::json state = writeTrackJson(holder)[instrument ? "instrument" : "inserts"];
    if (!instrument) state = state[0];
    if (!d.zones.empty()) state[kZoneFilesKey] = zoneFiles(d, owner);
    const std::string statePath = "plugins/" + safeName(owner) + "-" + std::to_string(n) + kStateSuffix;
    out_.archive.add(statePath, state.dump(2) + "\n");
    e.append_child("State").append_attribute("path") = statePath.c_str();

    if (d.type == "mixdown.eq") {
      for (int b = 0; b < 8; ++b) {
        const std::string k = std::to_string(b + 1);
        const char* type = eqBandTypeOf(static_cast<int>(v(("type" + k).c_str())));
        if (!*type) continue;
        pugi::xml_node band = e.append_child("Band");
        band.append_attribute("type") = type;
        band.append_attribute("order") = b;
        realChild(band, "Freq", "hertz", v(("freq" + k).c_str()), 20, 20000);
        realChild(band, "Gain", "decibel", v(("gain" + k).c_str()), -24, 24);
        realChild(band, "Q", "linear", v(("q" + k).c_str()), 0.1, 18);
        boolChild(band, "Enabled", v(("bypass" + k).c_str()) < 0.5, "Enabled");
      }
      realChild(e, "InputGain", "decibel", 0.0);
      realChild(e, "OutputGain", "decibel", v("output"), -24, 24);
    } else if (d.type == "mixdown.compressor") {
      realChild(e, "Attack", "seconds", v("attack") / 1000.0);
      boolChild(e, "AutoMakeup", false, "Auto makeup");
      realChild(e, "InputGain", "decibel", 0.0);
      realChild(e, "OutputGain", "decibel", v("makeup"));
      realChild(e, "Ratio", "percent", percentOfRatio(v("ratio")), 0, 100);
      realChild(e, "Release", "seconds", v("release") / 1000.0);
      realChild(e, "Threshold", "decibel", v("threshold"));
    } else if (d.type == "mixdown.gate") {
      realChild(e, "Attack", "seconds", v("attack") / 1000.0);
      realChild(e, "Range", "decibel", -v("range"));
      realChild(e, "Ratio", "percent", percentOfRatio(v("ratio")), 0, 100);
      realChild(e, "Release", "seconds", v("release") / 1000.0);
      realChild(e, "Threshold", "decibel", v("threshold"));
    } else if (d.type == "mixdown.limiter") {
      realChild(e, "Attack", "seconds", v("lookahead") / 1000.0);
      realChild(e, "InputGain", "decibel", v("gain"));
      realChild(e, "OutputGain", "decibel", 0.0);
      realChild(e, "Release", "seconds", v("release") / 1000.0);
      realChild(e, "Threshold", "decibel", v("ceiling"));
    }
  }

  // The zip entry of each asset a sampler's zones play (added to the export's audio, as a clip's asset
  // is) with what the asset table says of it, keyed by asset id: kZoneFilesKey's object.
  nlohmann::json zoneFiles(const DeviceState& d, const std::string& owner) {
    nlohmann::json files = nlohmann::json::object();
    for (const SampleZone& z : d.zones) {
      if (files.contains(z.asset)) continue;
      const Asset* a = p_.findAsset(z.asset);
      if (!a) {
        out_.warnings.push_back("track \"" + owner + "\": a sampler zone plays asset \"" + z.asset + "\", which is not in the song; written without its audio");
        continue;
      }
      files[z.asset] = {{"file", audioEntry(*a)}, {"sampleRate", a->sampleRate}, {"channels", a->channels}, {"frames", a->frames}};
    }
    return files;
  }

  // The parameters each insert's automation lanes drive: insert index -> our parameter ids.
  static std::map<std::size_t, std::set<std::string>> automatedParams(const Track& t) {
    std::map<std::size_t, std::set<std::string>> out;
    for (const AutomationLane& lane : t.automation) {
      std::size_t k = 0;
      std::string param;
      if (parseInsertTarget(lane.target, k, param)) out[k].insert(param);
    }
    return out;
  }

  void writeChannelBody(pugi::xml_node channel, const std::string& owner, const std::optional<DeviceState>& instrument,
                        const std::vector<DeviceState>& inserts, const std::map<std::size_t, std::set<std::string>>& automated,
                        const StripState& strip, const std::vector<SendState>* sends, TrackIds& ids) {
    if (instrument || !inserts.empty()) {
      pugi::xml_node devices = channel.append_child("Devices");
      int n = 0;
      std::map<std::string, std::string> none;
      if (instrument) writeDevice(devices, *instrument, true, owner, ++n, {}, none);
      for (std::size_t k = 0; k < inserts.size(); ++k) {
        const auto it = automated.find(k);
        writeDevice(devices, inserts[k], false, owner, ++n, it == automated.end() ? std::set<std::string>{} : it->second, ids.insertParams[k]);
      }
    }
    boolChild(channel, "Mute", strip.mute, "Mute");
    pugi::xml_node pan = channel.append_child("Pan");
    realParam(pan, "normalized", normalizedOfPan(strip.pan), "Pan", 0, 1);
    ids.pan = idOf(pan);
    if (sends && !sends->empty()) {
      pugi::xml_node list = channel.append_child("Sends");
      for (const SendState& s : *sends) {
        pugi::xml_node send = list.append_child("Send");
        const auto dest = channelIds_.find(s.target);
        if (dest != channelIds_.end()) send.append_attribute("destination") = dest->second.c_str();
        send.append_attribute("type") = s.preFader ? "pre" : "post";
        idOf(send);
        pugi::xml_node vol = send.append_child("Volume");
        realParam(vol, "linear", linearOfGainDb(s.levelDb), "Send", 0, linearOfGainDb(12.0));
        idOf(vol);
      }
    }
    pugi::xml_node vol = channel.append_child("Volume");
    realParam(vol, "linear", linearOfGainDb(strip.gainDb), "Volume", 0, linearOfGainDb(24.0));
    ids.volume = idOf(vol);
  }

  void writeTrack(pugi::xml_node structure, std::size_t i) {
    const Track& t = p_.tracks[i];
    pugi::xml_node track = structure.append_child("Track");
    const bool fedByOutput = std::any_of(p_.tracks.begin(), p_.tracks.end(), [&](const Track& o) { return o.output == t.id; });
    track.append_attribute("contentType") = t.kind == TrackKind::Instrument ? "notes" : "audio";
    track.append_attribute("loaded") = true;
    TrackIds& ids = trackIds_[t.id];
    ids.track = xmlTrackId(t.id);
    track.append_attribute("id") = ids.track.c_str();
    track.append_attribute("name") = t.name.c_str();
    if (t.color.size() == 7) track.append_attribute("color") = t.color.c_str();
    pugi::xml_node channel = track.append_child("Channel");
    channel.append_attribute("audioChannels") = 2;
    const std::string dest = t.output == kMasterOutput || !channelIds_.count(t.output) ? masterChannelId_ : channelIds_[t.output];
    channel.append_attribute("destination") = dest.c_str();
    channel.append_attribute("role") = t.kind != TrackKind::Bus ? "regular" : fedByOutput ? "submix" : "effect";
    channel.append_attribute("solo") = t.strip.solo;
    channel.append_attribute("id") = channelIds_[t.id].c_str();
    channel.append_attribute("name") = t.name.c_str();
    writeChannelBody(channel, t.id, t.kind == TrackKind::Instrument ? t.instrument : std::nullopt, t.inserts, automatedParams(t), t.strip,
                     &t.sends, ids);
    for (const SendState& s : t.sends)
      if (!channelIds_.count(s.target)) out_.warnings.push_back("track \"" + t.name + "\": send to \"" + s.target + "\", which is not a bus of the song, left out");
  }

  void writeMaster(pugi::xml_node structure) {
    pugi::xml_node track = structure.append_child("Track");
    track.append_attribute("contentType") = "audio notes";
    track.append_attribute("loaded") = true;
    idOf(track);
    track.append_attribute("name") = "Master";
    pugi::xml_node channel = track.append_child("Channel");
    channel.append_attribute("audioChannels") = 2;
    channel.append_attribute("role") = "master";
    channel.append_attribute("solo") = false;
    channel.append_attribute("id") = masterChannelId_.c_str();
    channel.append_attribute("name") = "Master";
    StripState strip;
    strip.gainDb = p_.master.gainDb;
    TrackIds ids;
    writeChannelBody(channel, "master", std::nullopt, p_.master.devices, {}, strip, nullptr, ids);
  }

  void writeClip(pugi::xml_node clips, const Track& t, const Clip& c) {
    pugi::xml_node clip = clips.append_child("Clip");
    clip.append_attribute("time") = numberText(c.start).c_str();
    clip.append_attribute("duration") = numberText(c.length).c_str();
    if (t.kind == TrackKind::Instrument) {
      clip.append_attribute("contentTimeUnit") = "beats";
      clip.append_attribute("playStart") = numberText(c.offset).c_str();
      if (c.looped) {
        clip.append_attribute("loopStart") = numberText(c.loopStart).c_str();
        clip.append_attribute("loopEnd") = numberText(c.loopEnd).c_str();
      } else {
        clip.append_attribute("playStop") = numberText(c.offset + c.length).c_str();
      }
    } else {
      // Unstretched audio: content in seconds of the file, counted from the song beat where the file's
      // first frame would sound (start - offset), through the song's tempo map.
      const double origin = c.start - c.offset;
      const double t0 = timeline_.secondsOfBeat(origin);
      const auto sec = [&](double beat) { return timeline_.secondsOfBeat(beat) - t0; };
      clip.append_attribute("contentTimeUnit") = "seconds";
      clip.append_attribute("playStart") = numberText(sec(c.start)).c_str();
      if (c.looped) {
        clip.append_attribute("loopStart") = numberText(sec(origin + c.loopStart)).c_str();
        clip.append_attribute("loopEnd") = numberText(sec(origin + c.loopEnd)).c_str();
        if (timeline_.hasTempoChanges() && timeline_.tempoAt(origin) != timeline_.tempoAt(c.start + c.length))
          out_.warnings.push_back("track \"" + t.name + "\", clip \"" + c.name + "\": the tempo changes under a looped audio clip; its loop is written in seconds at its first pass");
      } else {
        clip.append_attribute("playStop") = numberText(sec(c.start + c.length)).c_str();
      }
      if (c.gainDb != 0.0)
        out_.warnings.push_back("track \"" + t.name + "\", clip \"" + c.name + "\": clip gain (" + numberText(c.gainDb) + " dB) has no place in DAWproject; left out");
    }
    if (c.muted) clip.append_attribute("enable") = false;
    if (!c.name.empty()) clip.append_attribute("name") = c.name.c_str();
    if (t.kind == TrackKind::Instrument) {
      pugi::xml_node notes = clip.append_child("Notes");
      idOf(notes);
      for (const Note& n : c.notes) {
        pugi::xml_node note = notes.append_child("Note");
        note.append_attribute("time") = numberText(n.start).c_str();
        note.append_attribute("duration") = numberText(n.length).c_str();
        note.append_attribute("channel") = 0;
        note.append_attribute("key") = n.pitch;
        note.append_attribute("vel") = numberText(n.velocity).c_str();
        note.append_attribute("rel") = numberText(n.velocity).c_str();
      }
    } else if (const Asset* a = p_.findAsset(c.asset)) {
      pugi::xml_node audio = clip.append_child("Audio");
      audio.append_attribute("channels") = a->channels;
      audio.append_attribute("sampleRate") = static_cast<long long>(std::llround(a->sampleRate));
      audio.append_attribute("duration") = numberText(a->sampleRate > 0 ? static_cast<double>(a->frames) / a->sampleRate : 0.0).c_str();
      audio.append_attribute("timeUnit") = "seconds";
      idOf(audio);
      audio.append_child("File").append_attribute("path") = audioEntry(*a).c_str();
    } else {
      out_.warnings.push_back("track \"" + t.name + "\", clip \"" + c.name + "\": its asset \"" + c.asset + "\" is not in the song; the clip is written empty");
      pugi::xml_node notes = clip.append_child("Notes");
      idOf(notes);
    }
  }

  // The zip entry of an asset's file: audio/<its file name>, made unique.
  std::string audioEntry(const Asset& a) {
    const auto known = out_.audio.find(a.id);
    if (known != out_.audio.end()) return known->second;
    std::string base = a.path.empty() ? a.name : a.path;
    const auto slash = base.find_last_of("/\\");
    if (slash != std::string::npos) base = base.substr(slash + 1);
    std::string clean;
    for (char ch : base) clean += (static_cast<unsigned char>(ch) < 0x20 || ch == ':' || ch == '\\') ? '_' : ch;
    if (clean.empty() || clean == "." || clean == "..") clean = a.id + ".wav";
    std::string path = "audio/" + clean;
    for (int n = 2; usedEntries_.count(path); ++n) {
      const auto dot = clean.find_last_of('.');
      path = "audio/" + (dot == std::string::npos ? clean + "-" + std::to_string(n) : clean.substr(0, dot) + "-" + std::to_string(n) + clean.substr(dot));
    }
    usedEntries_.insert(path);
    out_.audio[a.id] = path;
    return path;
  }

  void writePoints(pugi::xml_node parent, const char* element, const std::string& target, const char* unit,
                   const std::vector<AutomationPoint>& points, double (*convert)(double), double scale, const std::string& what) {
    pugi::xml_node pts = parent.append_child(element);
    const std::string pointsId = idOf(pts);
    pts.append_attribute("unit") = unit;
    pts.append_child("Target").append_attribute("parameter") = target.c_str();
    bool curved = false;
    for (const AutomationPoint& ap : points) {
      pugi::xml_node rp = pts.append_child("RealPoint");
      rp.append_attribute("time") = numberText(ap.beat).c_str();
      rp.append_attribute("value") = numberText(convert ? convert(ap.value) : ap.value * scale).c_str();
      rp.append_attribute("interpolation") = ap.shape == AutomationShape::Step ? "hold" : "linear";
      if (ap.shape == AutomationShape::Curved) {
        curved = true;
        extras_["curves"][pointsId].push_back(nlohmann::json::array({ap.beat, ap.tension}));
      }
    }
    if (curved) out_.warnings.push_back(what + ": curved automation segments are written linear for other DAWs (DAWproject has hold and linear only; Mixdown reads the curves back)");
  }

  void writeTrackLanes(pugi::xml_node lanes, std::size_t i) {
    const Track& t = p_.tracks[i];
    const TrackIds& ids = trackIds_[t.id];
    pugi::xml_node lane = lanes.append_child("Lanes");
    lane.append_attribute("track") = ids.track.c_str();
    idOf(lane);
    if (t.kind != TrackKind::Bus) {
      pugi::xml_node clips = lane.append_child("Clips");
      idOf(clips);
      for (const Clip& c : t.clips) writeClip(clips, t, c);
    }
    for (const AutomationLane& a : t.automation) {
      const std::string what = "track \"" + t.name + "\", automation of " + a.target;
      std::size_t k = 0;
      std::string param;
      if (a.target == "gain") {
        writePoints(lane, "Points", ids.volume, "linear", a.points, &linearOfGainDb, 1.0, what);
      } else if (a.target == "pan") {
        writePoints(lane, "Points", ids.pan, "normalized", a.points, &normalizedOfPan, 1.0, what);
      } else if (parseInsertTarget(a.target, k, param) && ids.insertParams.count(k) && ids.insertParams.at(k).count(param)) {
        const DeviceDescriptor* desc = findDevice(t.inserts[k].type);
        const ParamDescriptor* pd = desc ? desc->findParam(param) : nullptr;
        const UnitMapping u = unitOf(pd ? pd->unit : "");
        writePoints(lane, "Points", ids.insertParams.at(k).at(param), u.unit, a.points, nullptr, u.scale, what);
      } else {
        out_.warnings.push_back(what + ": no DAWproject parameter to drive; left out");
      }
    }
  }

  void writeTempoAutomation(pugi::xml_node arrangement) {
    if (p_.tempoChanges.empty()) return;
    pugi::xml_node pts = arrangement.append_child("TempoAutomation");
    idOf(pts);
    pts.append_attribute("unit") = "bpm";
    pts.append_child("Target").append_attribute("parameter") = tempoId_.c_str();
    // DAWproject's interpolation belongs to the segment a point starts; ours to the one a point ends.
    const auto point = [&](double beat, double bpm, bool rampAfter) {
      pugi::xml_node rp = pts.append_child("RealPoint");
      rp.append_attribute("time") = numberText(beat).c_str();
      rp.append_attribute("value") = numberText(bpm).c_str();
      rp.append_attribute("interpolation") = rampAfter ? "linear" : "hold";
    };
    const auto& ch = p_.tempoChanges;
    point(0.0, p_.tempo, ch[0].shape == TempoShape::Linear);
    for (std::size_t k = 0; k < ch.size(); ++k) point(ch[k].beat, ch[k].bpm, k + 1 < ch.size() && ch[k + 1].shape == TempoShape::Linear);
  }

  void writeSignatureAutomation(pugi::xml_node arrangement) {
    if (p_.signatureChanges.empty()) return;
    pugi::xml_node pts = arrangement.append_child("TimeSignatureAutomation");
    idOf(pts);
    pts.append_child("Target").append_attribute("parameter") = signatureId_.c_str();
    const auto point = [&](double beat, int num, int den) {
      pugi::xml_node tp = pts.append_child("TimeSignaturePoint");
      tp.append_attribute("time") = numberText(beat).c_str();
      tp.append_attribute("numerator") = num;
      tp.append_attribute("denominator") = den;
    };
    point(0.0, p_.timeSignature.numerator, p_.timeSignature.denominator);
    for (const SignatureChange& s : p_.signatureChanges) point(timeline_.barStartBeat(s.bar), s.numerator, s.denominator);
  }

  const Project& p_;
  Timeline timeline_;
  pugi::xml_document doc_;
  DawprojectExport out_;
  int ids_ = 0;
  std::string tempoId_, signatureId_, masterChannelId_;
  std::map<std::string, std::string> channelIds_;  // our track id -> its Channel's xml id
  std::map<std::string, TrackIds> trackIds_;
  std::set<std::string> usedEntries_;
  std::set<std::string> usedXmlIds_;
  nlohmann::json extras_ = nlohmann::json::object();
};

}  // namespace

DawprojectExport writeDawproject(const Project& project) { return Writer(project).run(); }

}  // namespace mixdown
