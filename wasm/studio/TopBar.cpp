// The top bar: transport, position, tempo and time signature, loop, snap grid, master meter, CPU, undo
// and redo (named), Rec and Capture, the File menu (New, Demo, Open, Save, Save bundle; Export MIDI,
// DAWproject, stems), Share, and the song's title.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "Commands.h"
#include "LiveRecording.h"
#include "Studio.h"
#include "imgui_internal.h"  // TempInputIsActive: a drag widget being typed into
#include "Controls.h"
#include "Theme.h"
#include "Widgets.h"
#include "engine/Timeline.h"

namespace mixdown::ui {

namespace {

// A switch shown as a button, lit (the accent) while on; true when clicked.
bool switchButton(const char* label, bool on) {
  ImGui::PushStyleColor(ImGuiCol_Button, on ? colour::kAccent : colour::kControl);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, on ? colour::kAccentHover : colour::kControlHover);
  const bool clicked = ImGui::Button(label);
  ImGui::PopStyleColor(2);
  return clicked;
}

void drawCpu() {
  Studio& s = studio();
  // CPU: the engine's own time per render quantum against the quantum's length (the audio thread's
  // budget), averaged over the last second; red from 70 %, where a busier moment may drop out. Drawn in a
  // box of fixed width so the buttons after it never move when the figures change.
  const double percent = s.quantumMs > 0 ? 100.0 * s.loadMeanMs / s.quantumMs : 0.0;
  const ImU32 shown = percent >= 70 ? colour::kBad : percent >= 45 ? colour::kWarn : colour::kGood;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##cpu", ImVec2(92, ImGui::GetFrameHeight()));
  char text[48];
  std::snprintf(text, sizeof text, "CPU %.0f%%", percent);
  ImFont* small = fonts().small ? fonts().small : ImGui::GetFont();
  const float smallSize = ImGui::GetFontSize() * kSmallFontSize / kFontSize;
  const float textY = at.y + (ImGui::GetFrameHeight() - smallSize) * 0.5f;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddText(small, smallSize, ImVec2(at.x, textY), shown, text);  // small type: the bar fits 1024 px
  if (s.underruns > 0) {
    std::snprintf(text, sizeof text, "%ld drops", s.underruns);
    draw->AddText(small, smallSize, ImVec2(at.x + 46, textY), colour::kBad, text);
  }
  remember("cpu");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Audio engine: %.3f ms of each %.3f ms render quantum on average (worst %.3f ms)\n%s", s.loadMeanMs, s.quantumMs,
                      s.loadMaxMs, s.underruns < 0 ? "This browser does not report dropouts." : (std::to_string(s.underruns) + " dropouts (underruns) since the page opened").c_str());
}

void drawTempoAndSignature() {
  Studio& s = studio();
  ImGui::SetNextItemWidth(92);
  float tempo = static_cast<float>(s.project.tempo);
  const bool tempoChanged = ImGui::DragFloat("##tempo", &tempo, 0.25f, 20.0f, 999.0f, "%.2f BPM");
  if (ImGui::IsItemHovered() && !ImGui::IsItemActive()) ImGui::SetTooltip("Tempo: drag, or double-click and type (Enter applies)");
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
  ImGui::SetNextItemWidth(78);
  if (ImGui::BeginCombo("##snap", ("Snap " + current).c_str())) {
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
  if (switchButton("Click", s.metronome)) {
    s.metronome = !s.metronome;
    send();
  }
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

void drawTopBar() {
  Studio& s = studio();
  // Controls a little closer than elsewhere, so the whole bar fits a 1024 px window.
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(4.0f, ImGui::GetStyle().ItemSpacing.y));
  const bool running = s.playing || s.countInBeat > 0;  // a count-in is stopped like the song
  if (ImGui::Button(running ? "Stop" : "Play", ImVec2(54, 0))) post({{"type", running ? "stop" : "play"}});
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
  const float boxX = ImGui::GetCursorPosX(), boxW = ImGui::CalcTextSize("999.00.00 00:00.000").x;
  if (s.countInBeat > 0) {  // the count-in runs: its beat, in the place of the position
    ImGui::TextColored(ImVec4(1.0f, 0.72f, 0.3f, 1.0f), "Count-in %d/%d", s.countInBeat, s.countInBeats);
  } else {
    ImGui::Text("%3d.%05.2f %02d:%06.3f", at.bar, at.beatInBar, static_cast<int>(seconds / 60), std::fmod(seconds, 60.0));
  }
  remember("position");
  ImGui::SameLine(boxX + boxW + ImGui::GetStyle().ItemSpacing.x);
  drawTempoAndSignature();
  ImGui::SameLine();
  const bool loop = !s.project.loop.enabled;
  if (switchButton("Loop", s.project.loop.enabled)) command(loop ? "Loop on" : "Loop off", [&](Project& p) { p.loop.enabled = loop; });
  remember("loop");
  ImGui::SameLine();
  drawMetronome();
  ImGui::SameLine();
  drawGridChoice();
  ImGui::SameLine();
  ImGui::BeginGroup();
  meter("##master_meter_l", peakOf(0), ImVec2(36, 5));
  meter("##master_meter_r", peakOf(1), ImVec2(36, 5));
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
  // The song's file commands in one menu, so the bar fits a 1024 px window.
  if (ImGui::Button("File")) ImGui::OpenPopup("file-menu");
  remember("file");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("New, Demo, Open, Save and the exports");
  if (ImGui::BeginPopup("file-menu")) {
    auto item = [](const char* label, const char* rect, const char* hint) {
      const bool picked = ImGui::Selectable(label, false, 0, ImVec2(200, 0));
      remember(rect);
      if (hint && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", hint);
      return picked;
    };
    if (item("New song", "new", "An empty song (Ctrl+N); undoable")) {
      if (s.unsaved && !s.project.tracks.empty()) s.confirmNew = true;
      else newSong();
    }
    if (item("Demo song", "demo", "Open the demo song First Light; undoable")) post({{"type", "demo"}});
    if (item("Open...", "open", "Open a project file (.json); you can also drop it on the page")) post({{"type", "open"}});
    if (item("Save", "save", "Download the project as a .mixdown.json file")) {
      post({{"type", "save"}});
      s.unsaved = false;
    }
    if (item("Save bundle (.mixdown)", "save-bundle", "Download the song with its audio as one file; open it here or render it with mixdown")) {
      post({{"type", "saveBundle"}});
      s.unsaved = false;
    }
    ImGui::Separator();
    if (item("Export MIDI", "export-midi", "Download the song's notes, tempo map and signatures as a Standard MIDI File (.mid)"))
      post({{"type", "exportMidi"}});
    if (item("Export DAWproject", "export-dawproject",
             "Download the whole song with its audio as a DAWproject (.dawproject) for Bitwig Studio, Studio One, Cubase and others"))
      post({{"type", "exportDawproject"}});
    if (item("Export stems (.zip)", "export-stems", "A 32-bit float WAV per track, bus and return, before the master chain; the top-level files sum to the mix"))
      post({{"type", "exportStems"}});
    ImGui::EndPopup();
  }
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
  if (ImGui::Button("Share")) post({{"type", "share"}});
  remember("share");
  ImGui::SameLine();
  if (ImGui::Button("?")) s.showShortcuts = true;
  remember("shortcuts");
  // The song's title in what is left of the bar (whole on hover).
  const float room = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x - ImGui::GetItemRectMax().x - 14.0f;  // left on this line
  if (room > 40) {
    ImGui::SameLine(0, 14);
    ImGui::PushFont(fonts().semibold);
    fittedText(s.project.title.empty() ? std::string("Untitled") : s.project.title, ImGui::GetContentRegionAvail().x, colour::kTextDim);
    ImGui::PopFont();
  }
  // Errors and notices are toasts over the layout (Controls.h drawToasts), so nothing here moves.
  ImGui::PopStyleVar();
}

}  // namespace mixdown::ui
