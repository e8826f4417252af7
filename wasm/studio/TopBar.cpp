// The top bar: transport, position, tempo and time signature, loop, snap grid, master meter, CPU, undo
// and redo (named), and the song's file commands (New, Demo, Open, Save and its menu: Save bundle, Export
// stems; Export MIDI, Export DAWproject, Share).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "Commands.h"
#include "LiveRecording.h"
#include "Studio.h"
#include "imgui_internal.h"  // TempInputIsActive: a drag widget being typed into
#include "Widgets.h"
#include "engine/Timeline.h"

namespace mixdown::ui {

namespace {

float wrapHeight = 0.0f;  // px the file buttons' second row took in the last frame (0: one row)

void drawCpu() {
  Studio& s = studio();
  // CPU: the engine's own time per render quantum against the quantum's length (the audio thread's
  // budget), averaged over the last second; red from 70 %, where a busier moment may drop out. Drawn in a
  // box of fixed width so the buttons after it never move when the figures change.
  const double percent = s.quantumMs > 0 ? 100.0 * s.loadMeanMs / s.quantumMs : 0.0;
  const ImU32 colour = percent >= 70 ? IM_COL32(242, 90, 77, 255) : percent >= 45 ? IM_COL32(242, 204, 77, 255) : IM_COL32(140, 217, 153, 255);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##cpu", ImVec2(150, ImGui::GetFrameHeight()));
  char text[48];
  std::snprintf(text, sizeof text, "CPU %3.0f%%", percent);
  const float textY = at.y + (ImGui::GetFrameHeight() - ImGui::GetTextLineHeight()) * 0.5f;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddText(ImVec2(at.x, textY), colour, text);
  if (s.underruns > 0) {
    std::snprintf(text, sizeof text, "%ld dropouts", s.underruns);
    draw->AddText(ImVec2(at.x + 62, textY), IM_COL32(242, 90, 77, 255), text);
  }
  remember("cpu");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Audio engine: %.3f ms of each %.3f ms render quantum on average (worst %.3f ms)\n%s", s.loadMeanMs, s.quantumMs,
                      s.loadMaxMs, s.underruns < 0 ? "This browser does not report dropouts." : (std::to_string(s.underruns) + " dropouts (underruns) since the page opened").c_str());
}

void drawTempoAndSignature() {
  Studio& s = studio();
  ImGui::SetNextItemWidth(80);
  float tempo = static_cast<float>(s.project.tempo);
  const bool tempoChanged = ImGui::DragFloat("BPM", &tempo, 0.25f, 20.0f, 999.0f, "%.2f");
  remember("tempo");
  if (ImGui::IsItemActivated()) beginEdit("Change tempo");  // before the value is applied
  // Dragged, the tempo follows the hand. Typed (after a double click), it changes once, when confirmed,
  // not at every key: the "1" of "120" would play the song at 20 BPM meanwhile. Enter confirms (the field
  // hands back the text), so does a click elsewhere (what was typed is kept here); Escape reverts.
  if (ImGui::TempInputIsActive(ImGui::GetItemID())) {
    if (tempoChanged) s.typedTempo = tempo;
  } else {
    const bool confirmed = s.typedTempo > 0 && ImGui::IsItemDeactivated() && !ImGui::IsKeyPressed(ImGuiKey_Escape);
    if (tempoChanged || confirmed) {
      // The playhead stays on its bar: the engine moves its position to where the same beat falls on the
      // new tempo map (Engine, at the plan switch), playing or not.
      s.project.tempo = std::clamp(static_cast<double>(tempoChanged ? tempo : s.typedTempo), 20.0, 999.0);
      projectChanged();
    }
    s.typedTempo = 0;
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(34);
  int num = s.project.timeSignature.numerator;
  if (ImGui::InputInt("##sig-num", &num, 0, 0)) {
    num = std::clamp(num, 1, 32);
    if (num != s.project.timeSignature.numerator) command("Time signature", [&](Project& p) { p.timeSignature.numerator = num; });
  }
  remember("signature-numerator");
  ImGui::SameLine(0, 2);
  ImGui::TextUnformatted("/");
  ImGui::SameLine(0, 2);
  ImGui::SetNextItemWidth(40);
  static const int denominators[] = {2, 4, 8, 16};
  const std::string den = std::to_string(s.project.timeSignature.denominator);
  if (ImGui::BeginCombo("##sig-den", den.c_str(), ImGuiComboFlags_NoArrowButton)) {
    for (int d : denominators) {
      if (ImGui::Selectable(std::to_string(d).c_str(), d == s.project.timeSignature.denominator) && d != s.project.timeSignature.denominator)
        command("Time signature", [&](Project& p) { p.timeSignature.denominator = d; });
      remember("signature-denominator-item:" + std::to_string(d));
    }
    ImGui::EndCombo();
  }
  remember("signature-denominator");
}

void drawGridChoice() {
  Studio& s = studio();
  struct Choice { const char* label; double step; };
  static const Choice choices[] = {{"Off", 0.0}, {"Bar", -1.0}, {"1/2", 2.0}, {"1/4", 1.0}, {"1/8", 0.5}, {"1/16", 0.25}, {"1/32", 0.125}};
  const double barBeats = s.project.timeSignature.numerator * 4.0 / s.project.timeSignature.denominator;
  std::string current = "Off";
  for (const Choice& c : choices)
    if ((c.step < 0 && std::abs(s.grid.step - barBeats) < 1e-9) || (c.step >= 0 && std::abs(s.grid.step - c.step) < 1e-9)) current = c.label;
  if (s.grid.triplet && s.grid.step > 0) current += "T";
  ImGui::SetNextItemWidth(70);
  if (ImGui::BeginCombo("Snap", current.c_str())) {
    for (const Choice& c : choices) {
      if (ImGui::Selectable(c.label, current == c.label)) s.grid.step = c.step < 0 ? barBeats : c.step;
      remember(std::string("snap-item:") + c.label);
    }
    ImGui::Separator();
    ImGui::Checkbox("Triplets", &s.grid.triplet);
    ImGui::EndCombo();
  }
  remember("snap");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Snap grid for clips and notes (hold Alt while dragging to place freely)");
}

// The metronome switch; right-click for its level and the count-in. The engine clicks on the exact
// beat samples of the live output (accented downbeats), never in renders or exports.
void drawMetronome() {
  Studio& s = studio();
  auto send = [&] { post({{"type", "metronome"}, {"on", s.metronome}, {"levelDb", s.metronomeDb}, {"countInBars", s.countInBars}}); };
  if (ImGui::Checkbox("Click", &s.metronome)) send();
  remember("metronome");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Metronome (right-click: level and count-in)");
  if (ImGui::IsItemClicked(1)) ImGui::OpenPopup("metronome-menu");
  if (ImGui::BeginPopup("metronome-menu")) {
    ImGui::SetNextItemWidth(140);
    if (ImGui::SliderFloat("Level", &s.metronomeDb, -40.0f, 0.0f, "%.0f dB")) send();
    static const char* const counts[] = {"No count-in", "Count in 1 bar", "Count in 2 bars"};
    ImGui::SetNextItemWidth(140);
    if (ImGui::Combo("##count-in", &s.countInBars, counts, 3)) send();
    remember("count-in");
    ImGui::EndPopup();
  }
}

}  // namespace

float topBarWrapHeight() { return wrapHeight; }

void drawTopBar() {
  Studio& s = studio();
  const bool running = s.playing || s.countInBeat > 0;  // a count-in is stopped like the song
  if (ImGui::Button(running ? "Stop" : "Play", ImVec2(64, 0))) post({{"type", running ? "stop" : "play"}});
  remember("play");
  ImGui::SameLine();
  if (ImGui::Button("|<")) post({{"type", "seek"}, {"beat", 0.0}});
  remember("rewind");
  ImGui::SameLine();
  drawRecordControls();
  ImGui::SameLine();
  const BarPosition at = Timeline(s.project, s.sampleRate).positionOf(beatsNow());  // bar.beat in the bar's own beat unit
  const double seconds = s.positionFrames / s.sampleRate;
  // The position's box keeps its width, so nothing after it moves while the figures (or the count-in) change.
  const float boxX = ImGui::GetCursorPosX(), boxW = ImGui::CalcTextSize("999.00.00  00:00.000").x;
  if (s.countInBeat > 0) {  // the count-in runs: its beat, in the place of the position
    ImGui::TextColored(ImVec4(1.0f, 0.72f, 0.3f, 1.0f), "Count-in %d/%d", s.countInBeat, s.countInBeats);
  } else {
    ImGui::Text("%3d.%05.2f  %02d:%06.3f", at.bar, at.beatInBar, static_cast<int>(seconds / 60), std::fmod(seconds, 60.0));
  }
  remember("position");
  ImGui::SameLine(boxX + boxW + ImGui::GetStyle().ItemSpacing.x);
  drawTempoAndSignature();
  ImGui::SameLine();
  bool loop = s.project.loop.enabled;
  if (ImGui::Checkbox("Loop", &loop)) command(loop ? "Loop on" : "Loop off", [&](Project& p) { p.loop.enabled = loop; });
  remember("loop");
  ImGui::SameLine();
  drawMetronome();
  ImGui::SameLine();
  drawGridChoice();
  ImGui::SameLine();
  ImGui::BeginGroup();
  meter("##master_meter_l", peakOf(0), ImVec2(60, 5));
  meter("##master_meter_r", peakOf(1), ImVec2(60, 5));
  ImGui::EndGroup();
  remember("master-meter");
  ImGui::SameLine();
  drawCpu();
  ImGui::SameLine();
  ImGui::BeginDisabled(!s.history.canUndo());
  if (ImGui::Button("Undo") && s.history.canUndo()) undoRedo(false);
  ImGui::EndDisabled();
  remember("undo");
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled) && s.history.canUndo()) ImGui::SetTooltip("Undo %s (Ctrl+Z)", s.history.undoLabel().c_str());
  ImGui::SameLine();
  ImGui::BeginDisabled(!s.history.canRedo());
  if (ImGui::Button("Redo") && s.history.canRedo()) undoRedo(true);
  ImGui::EndDisabled();
  remember("redo");
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled) && s.history.canRedo()) ImGui::SetTooltip("Redo %s (Ctrl+Shift+Z)", s.history.redoLabel().c_str());
  ImGui::SameLine();
  if (ImGui::Button("New")) {
    if (s.unsaved && !s.project.tracks.empty()) ImGui::OpenPopup("confirm-new");
    else newSong();
  }
  remember("new");
  if (s.confirmNew) {
    ImGui::OpenPopup("confirm-new");
    s.confirmNew = false;
  }
  if (ImGui::BeginPopupModal("confirm-new", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoTitleBar)) {
    ImGui::TextUnformatted("Start a new song? The current one has unsaved changes\n(New can be undone with Ctrl+Z).");
    if (ImGui::Button("New song")) {
      newSong();
      ImGui::CloseCurrentPopup();
    }
    remember("confirm-new-yes");
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
    remember("confirm-new-cancel");
    ImGui::EndPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Demo")) post({{"type", "demo"}});
  remember("demo");
  ImGui::SameLine();
  if (ImGui::Button("Open")) post({{"type", "open"}});
  remember("open");
  ImGui::SameLine();
  if (ImGui::Button("Save")) {
    post({{"type", "save"}});
    s.unsaved = false;
  }
  remember("save");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Download the song as a .json project (its audio files stay where they are)");
  // The other ways to keep the song, in a small menu beside Save (the bar is full at 1280 px).
  ImGui::SameLine(0, 2);
  if (ImGui::ArrowButton("save-more", ImGuiDir_Down)) ImGui::OpenPopup("save-menu");
  remember("save-more");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Save bundle (the song with its audio), Export stems");
  if (ImGui::BeginPopup("save-menu")) {
    if (ImGui::Selectable("Save bundle (.mixdown)")) {
      post({{"type", "saveBundle"}});
      s.unsaved = false;
    }
    remember("save-bundle");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Download the song with its audio as one file; open it here or render it with mixdown");
    if (ImGui::Selectable("Export stems (.zip)")) post({{"type", "exportStems"}});
    remember("export-stems");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("A 24-bit WAV per track, bus and return, before the master chain; the top-level files sum to the mix");
    ImGui::EndPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Export MIDI")) post({{"type", "exportMidi"}});
  remember("export-midi");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Download the song's notes, tempo map and signatures as a Standard MIDI File (.mid)");
  // The buttons from here on start a new row when the window is too narrow for them (at 1280 px the
  // transport row is full), instead of running off its right edge.
  wrapHeight = 0.0f;
  const auto nextButton = [](const char* label) {
    const float w = ImGui::CalcTextSize(label).x + 2 * ImGui::GetStyle().FramePadding.x;
    ImGui::SameLine();
    if (wrapHeight == 0.0f && ImGui::GetCursorPosX() + w > ImGui::GetWindowContentRegionMax().x) {
      ImGui::NewLine();
      wrapHeight = ImGui::GetFrameHeightWithSpacing();
    }
  };
  nextButton("Export DAWproject");
  if (ImGui::Button("Export DAWproject")) post({{"type", "exportDawproject"}});
  remember("export-dawproject");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Download the whole song with its audio as a DAWproject (.dawproject) for Bitwig Studio, Studio One, Cubase and others");
  nextButton("Share");
  if (ImGui::Button("Share")) post({{"type", "share"}});
  remember("share");
  nextButton("?");
  if (ImGui::Button("?")) s.showShortcuts = true;
  remember("shortcuts");
  if (!s.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, IM_COL32(120, 30, 30, 255));
    ImGui::BeginChild("error", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 2.2f), true);
    ImGui::TextWrapped("%s", s.error.c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton("Dismiss")) s.error.clear();
    ImGui::EndChild();
    ImGui::PopStyleColor();
    remember("error");
  } else if (!s.notice.empty() && ImGui::GetTime() < s.noticeUntil) {
    ImGui::TextColored(ImVec4(0.6f, 0.9f, 0.6f, 1), "%s", s.notice.c_str());
  }
}

}  // namespace mixdown::ui
