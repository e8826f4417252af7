// Live playing and MIDI recording (see LiveRecording.h). The page's web/live-input.js asks liveState()
// where keys and MIDI go, and hands each finished take to recordTake(), which converts the audio clock's
// frames to beats with the song's timeline, squares the span to whole bars and places the notes
// (core/model/Recording.h) as one undo step ("Record MIDI", "Capture MIDI").
#include "LiveRecording.h"

#include <emscripten/bind.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "Commands.h"
#include "Studio.h"
#include "Widgets.h"
#include "engine/Timeline.h"
#include "model/Recording.h"

namespace mixdown::ui {

namespace {

using nlohmann::json;

struct LiveState {
  std::set<std::string> armed;  // track ids
  bool recording = false;       // the page records (lit Record button)
  bool waiting = false;         // Record pressed, the count-in runs
  int captured = 0;             // notes in the page's capture ring (Capture is enabled when > 0)
  RecordMode mode = RecordMode::Overdub;
  int quantize = 0;             // index into kQuantize
  // The take running, as the arrangement shows it: the tracks it records on, from which frame of the
  // song's timeline (at `takeRate`), and the audio input's peaks (frame, linear peak) as they came.
  std::vector<std::string> takeTracks;
  double takeFromFrame = 0, takeRate = 48000;
  std::vector<std::pair<double, float>> takePeaks;
};
LiveState live;
constexpr std::size_t kMaxTakePeaks = 1 << 20;  // 9.7 hours of statuses at 30 a second

struct QuantizeChoice {
  const char* name;
  double beats;
};
constexpr QuantizeChoice kQuantize[] = {{"Off", 0.0}, {"1/4", 1.0}, {"1/8", 0.5}, {"1/16", 0.25}, {"1/32", 0.125}};

bool isInstrument(int i) {
  const Studio& s = studio();
  return i >= 0 && i < static_cast<int>(s.project.tracks.size()) && s.project.tracks[static_cast<std::size_t>(i)].kind == TrackKind::Instrument;
}

bool isAudio(int i) {
  const Studio& s = studio();
  return i >= 0 && i < static_cast<int>(s.project.tracks.size()) && s.project.tracks[static_cast<std::size_t>(i)].kind == TrackKind::Audio;
}

// The first armed track of `kind`, or "".
std::string firstArmed(TrackKind kind) {
  for (const Track& t : studio().project.tracks)
    if (t.kind == kind && trackArmed(t.id)) return t.id;
  return {};
}

int trackIndexOf(const std::string& id) {
  const auto& tracks = studio().project.tracks;
  for (std::size_t i = 0; i < tracks.size(); ++i)
    if (tracks[i].id == id) return static_cast<int>(i);
  return -1;
}

}  // namespace

bool trackArmed(const std::string& trackId) { return live.armed.count(trackId) > 0; }

void toggleArm(int trackIndex) {
  if (!isInstrument(trackIndex) && !isAudio(trackIndex)) return;
  const std::string& id = studio().project.tracks[static_cast<std::size_t>(trackIndex)].id;
  if (!live.armed.erase(id)) live.armed.insert(id);
}

std::string liveTargetTrack() {
  const Studio& s = studio();
  if (std::string armed = firstArmed(TrackKind::Instrument); !armed.empty()) return armed;
  return isInstrument(s.selectedTrack) ? s.project.tracks[static_cast<std::size_t>(s.selectedTrack)].id : std::string();
}

void drawRecordControls() {
  const bool lit = live.recording || live.waiting;
  ImGui::PushStyleColor(ImGuiCol_Button, lit ? IM_COL32(200, 50, 50, 255) : IM_COL32(90, 45, 45, 255));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, lit ? IM_COL32(225, 70, 70, 255) : IM_COL32(130, 55, 55, 255));
  if (ImGui::Button(live.waiting ? "Rec..." : "Rec")) post({{"type", "record"}});
  ImGui::PopStyleColor(2);
  remember("record");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", lit ? "Stop recording (R)"
                                : "Record on the armed tracks (MIDI and audio), else MIDI on the selected one (R; right-click: settings)");
  if (ImGui::IsItemClicked(1)) ImGui::OpenPopup("record-settings");
  if (ImGui::BeginPopup("record-settings")) {
    ImGui::TextUnformatted("Where clips are");
    int mode = live.mode == RecordMode::Replace ? 1 : 0;
    if (ImGui::RadioButton("Overdub (add the notes)", &mode, 0)) live.mode = RecordMode::Overdub;
    remember("record-mode:overdub");
    if (ImGui::RadioButton("Replace (notes under the take go)", &mode, 1)) live.mode = RecordMode::Replace;
    remember("record-mode:replace");
    ImGui::Separator();
    ImGui::TextUnformatted("Quantize on input");
    for (int q = 0; q < static_cast<int>(std::size(kQuantize)); ++q) {
      if (ImGui::RadioButton(kQuantize[q].name, &live.quantize, q)) {}
      remember(std::string("record-quantize:") + kQuantize[q].name);
      if (q + 1 < static_cast<int>(std::size(kQuantize))) ImGui::SameLine();
    }
    ImGui::TextDisabled("Count-in: right-click the metronome");
    ImGui::EndPopup();
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(live.captured == 0 || live.recording);
  if (ImGui::Button("Capture")) post({{"type", "capture"}});
  ImGui::EndDisabled();
  remember("capture");
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Make a clip of the notes played in the last minute while not recording (Shift+R)");
}

void drawRecordingTake(const std::string& trackId, ImDrawList* dl, const RowGeometry& row, double nowBeat) {
  if (std::find(live.takeTracks.begin(), live.takeTracks.end(), trackId) == live.takeTracks.end()) return;
  const Timeline timeline(studio().project, live.takeRate);
  const auto xOf = [&](double beat) { return row.laneX + static_cast<float>((beat - row.firstBeat) * row.ppb); };
  const double from = timeline.beatOfFrame(live.takeFromFrame);
  const float x0 = xOf(from), x1 = std::max(x0 + 2.0f, xOf(std::max(from, nowBeat)));
  const float top = row.y + 2, bottom = row.y + row.h - 2;
  dl->AddRectFilled(ImVec2(x0, top), ImVec2(x1, bottom), IM_COL32(190, 40, 45, 70), 3.0f);
  dl->AddRect(ImVec2(x0, top), ImVec2(x1, bottom), IM_COL32(235, 70, 70, 220), 3.0f);
  // The input's peaks, mirrored about the row's middle as a waveform is.
  const float mid = (top + bottom) / 2 + 6, half = (bottom - top) / 2 - 8;
  for (const auto& [frame, peak] : live.takePeaks) {
    const float x = xOf(timeline.beatOfFrame(std::max(0.0, frame)));
    if (x < x0 || x > x1) continue;
    const float h = std::max(0.5f, peak * half);
    dl->AddLine(ImVec2(x, mid - h), ImVec2(x, mid + h), IM_COL32(255, 150, 150, 200), 2.0f);
  }
  dl->AddText(ImVec2(x0 + 5, top + 2), IM_COL32(255, 210, 210, 255), "Recording");
  studio().rects["recording-take:" + trackId] = {x0, top, x1 - x0, bottom - top};
}

namespace {

// {target, recordTarget, audioTarget, armed: [ids], textInput, mode, quantize}: what the page needs at
// each key or MIDI message. target: where live notes go; recordTarget: where Record records MIDI (the
// armed instrument track; with no track armed at all, the selected instrument track); audioTarget: the
// armed audio track Record records the audio input on ("" for none).
std::string studioLiveState() {
  json armed = json::array();
  for (const auto& id : live.armed) armed.push_back(id);
  const std::string audio = firstArmed(TrackKind::Audio);
  const std::string midi = firstArmed(TrackKind::Instrument);
  const bool anyArmed = !audio.empty() || !midi.empty();
  return json{{"target", liveTargetTrack()}, {"recordTarget", anyArmed ? midi : liveTargetTrack()}, {"audioTarget", audio}, {"armed", armed},
              {"textInput", ImGui::GetIO().WantTextInput}, {"mode", live.mode == RecordMode::Replace ? "replace" : "overdub"},
              {"quantize", kQuantize[live.quantize].beats}}
      .dump();
}

// An audio take from the page (web/audio-input.js): {track, sampleRate (the transport's), startFrame (on
// the song's timeline, latency-corrected, >= 0), asset: {id, name, sha256, sampleRate, channels, frames}}
// placed as a clip at the beat of startFrame on the track (a new audio track when it is gone), one undo
// step ("Record audio"). Returns {error} or {error: "", clip: {track, start, length, asset}}.
std::string placeAudioTake(const json& j);

std::string studioRecordAudioTake(const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  try {
    return placeAudioTake(j);
  } catch (const json::exception&) {  // a field of the wrong type: the page's own message, so a bug of ours
    return json{{"error", "the take's description has a field of the wrong type"}}.dump();
  }
}

std::string placeAudioTake(const json& j) {
  Studio& s = studio();
  auto fail = [](const std::string& why) { return json{{"error", why}}.dump(); };
  if (!j.is_object() || !j.contains("asset") || !j["asset"].is_object()) return fail("the take is not a JSON object with an asset");
  const double rate = j.value("sampleRate", 0.0);
  if (!(rate >= 8000 && rate <= 768000)) return fail("the take's sample rate is not a rate");
  const json& a = j["asset"];
  Asset asset;
  asset.id = a.value("id", std::string());
  asset.name = a.value("name", std::string("Take"));
  asset.sha256 = a.value("sha256", std::string());
  asset.sampleRate = a.value("sampleRate", rate);
  asset.channels = a.value("channels", 1);
  asset.frames = a.value("frames", std::int64_t{0});
  asset.path = a.value("path", asset.name);
  if (asset.id.empty() || asset.frames <= 0) return fail("the take has no audio");
  if (const Asset* known = s.project.findAsset(asset.id)) asset = *known;
  const double start = j.value("startFrame", 0.0);
  if (!std::isfinite(start)) return fail("the take's start is not a number");
  const double beat = Timeline(s.project, rate).beatOfFrame(std::max(0.0, start));
  int track = trackIndexOf(j.value("track", std::string()));
  if (!isAudio(track)) track = -1;
  const std::string problem = addAudioClip(asset, beat, track, static_cast<int>(s.project.tracks.size()), "Record audio");
  if (!problem.empty()) return fail(problem);
  if (s.selectedClips.size() != 1) return fail("the take was not placed");
  const ClipRef ref = s.selectedClips.front();
  const Track& t = s.project.tracks[static_cast<std::size_t>(ref.track)];
  const Clip& c = t.clips[static_cast<std::size_t>(ref.clip)];
  return json{{"error", ""}, {"clip", {{"track", t.id}, {"start", c.start}, {"length", c.length}, {"asset", c.asset}}}}.dump();
}

void studioSetRecording(bool recording, bool waiting, int captured) {
  live.recording = recording;
  live.waiting = waiting;
  live.captured = captured;
}

// {tracks: [ids], fromFrame, sampleRate}: the take recording on those tracks from that frame (the
// arrangement draws it growing to the playhead); no tracks: none.
void studioSetTakeTracks(const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  live.takeTracks.clear();
  live.takePeaks.clear();
  if (!j.is_object() || !j.contains("tracks") || !j["tracks"].is_array()) return;
  for (const auto& id : j["tracks"])
    if (id.is_string()) live.takeTracks.push_back(id.get<std::string>());
  const auto number = [&](const char* key, double fallback) {
    return j.contains(key) && j[key].is_number() && std::isfinite(j[key].get<double>()) ? j[key].get<double>() : fallback;
  };
  live.takeFromFrame = std::max(0.0, number("fromFrame", 0.0));
  live.takeRate = std::clamp(number("sampleRate", 48000.0), 8000.0, 768000.0);
}

// The audio input's peak (linear) over the status period ending at `frame` of the song's timeline.
void studioAddTakePeak(double frame, double peak) {
  if (live.takeTracks.empty() || live.takePeaks.size() >= kMaxTakePeaks || !std::isfinite(frame) || !std::isfinite(peak)) return;
  live.takePeaks.emplace_back(frame, static_cast<float>(std::clamp(peak, 0.0, 1.0)));
}

void studioSetArm(const std::string& trackId, bool on) {
  const int i = trackIndexOf(trackId);
  if (i >= 0 && trackArmed(trackId) != on) toggleArm(i);
}

// A take from the page: {track, kind: "record" | "capture", sampleRate, fromFrame, toFrame,
// alignToBar (capture while stopped: the first note starts its bar), notes: [{pitch, velocity,
// startFrame, endFrame}]}, frames on the song's timeline (the transport's, latency-corrected). Returns
// {error} or {error: "", clip: {track, start, length, notes}} of what was placed.
std::string studioRecordTake(const std::string& text) {
  Studio& s = studio();
  const json j = json::parse(text, nullptr, false);
  auto fail = [](const std::string& why) { return json{{"error", why}}.dump(); };
  if (!j.is_object() || !j.contains("notes") || !j["notes"].is_array()) return fail("the take is not a JSON object with notes");
  const int track = trackIndexOf(j.value("track", std::string()));
  if (track < 0) return fail("the take's track is not in the song");
  const double rate = j.value("sampleRate", 0.0);
  if (!(rate >= 8000 && rate <= 768000)) return fail("the take's sample rate is not a rate");
  const Timeline timeline(s.project, rate);
  const bool capture = j.value("kind", std::string()) == "capture";
  Take take;
  take.mode = live.mode;
  take.quantize = kQuantize[live.quantize].beats;
  take.clipName = capture ? "Capture" : "Recording";
  for (const json& n : j["notes"]) {
    if (!n.is_object()) return fail("a note of the take is not an object");
    RecordedNote r;
    r.pitch = n.value("pitch", -1);
    r.velocity = n.value("velocity", 0.8);
    r.start = timeline.beatOfFrame(std::max(0.0, n.value("startFrame", 0.0)));
    r.end = timeline.beatOfFrame(std::max(0.0, n.value("endFrame", 0.0)));
    take.notes.push_back(r);
  }
  if (take.notes.empty()) return fail("nothing was played");
  std::sort(take.notes.begin(), take.notes.end(), [](const RecordedNote& a, const RecordedNote& b) { return a.start < b.start; });
  if (j.value("alignToBar", false)) {  // captured while stopped: the phrase starts the playhead's bar
    const double shift = timeline.barStartBeat(timeline.barOfBeat(take.notes.front().start)) - take.notes.front().start;
    for (RecordedNote& n : take.notes) {
      n.start += shift;
      n.end += shift;
    }
  }
  double from = timeline.beatOfFrame(std::max(0.0, j.value("fromFrame", 0.0)));
  double to = timeline.beatOfFrame(std::max(0.0, j.value("toFrame", 0.0)));
  for (const RecordedNote& n : take.notes) {
    from = std::min(from, n.start);
    to = std::max(to, n.end);
  }
  // Whole bars around the take: from the start of the bar it began in to the end of the bar it ended in.
  take.from = timeline.barStartBeat(timeline.barOfBeat(from));
  const int lastBar = timeline.barOfBeat(std::max(from, to - 1e-9));
  take.to = timeline.barStartBeat(lastBar + 1);
  Project trial = s.project;
  const std::string problem = placeTake(trial, track, take);
  if (!problem.empty()) return fail(problem);
  const std::size_t clipsBefore = s.project.tracks[static_cast<std::size_t>(track)].clips.size();
  command(capture ? "Capture MIDI" : "Record MIDI", [&](Project& p) { placeTake(p, track, take); });
  const Track& t = s.project.tracks[static_cast<std::size_t>(track)];
  const bool added = t.clips.size() > clipsBefore;
  // The clip the take's first note went to: the new one, or the one it was overdubbed onto.
  const Clip* clip = added ? &t.clips.back() : nullptr;
  if (!clip)
    for (const Clip& c : t.clips)
      if (take.notes.front().start >= c.start && take.notes.front().start < c.start + c.length) clip = &c;
  json notes = json::array();
  if (clip)
    for (const Note& n : clip->notes) notes.push_back({{"pitch", n.pitch}, {"velocity", n.velocity}, {"start", n.start}, {"length", n.length}});
  return json{{"error", ""}, {"newClip", added}, {"clip", clip ? json{{"track", t.id}, {"start", clip->start}, {"length", clip->length}, {"notes", notes}} : json()}}
      .dump();
}

}  // namespace

}  // namespace mixdown::ui

EMSCRIPTEN_BINDINGS(mixdown_live) {
  emscripten::function("liveState", &mixdown::ui::studioLiveState);
  emscripten::function("setRecording", &mixdown::ui::studioSetRecording);
  emscripten::function("setArm", &mixdown::ui::studioSetArm);
  emscripten::function("recordTake", &mixdown::ui::studioRecordTake);
  emscripten::function("recordAudioTake", &mixdown::ui::studioRecordAudioTake);
  emscripten::function("setTakeTracks", &mixdown::ui::studioSetTakeTracks);
  emscripten::function("addTakePeak", &mixdown::ui::studioAddTakePeak);
}
