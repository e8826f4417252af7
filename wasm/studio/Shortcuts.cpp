// The keyboard shortcuts, and the "?" window that lists them. Keys act on what was last clicked: the
// clip editor's notes, or the arrangement's clips and selected track.
#include <algorithm>

#include "Commands.h"
#include "Studio.h"
#include "Widgets.h"

namespace mixdown::ui {

namespace {

struct Shortcut {
  const char* keys;
  const char* what;
};
const Shortcut kShortcuts[] = {
    {"Space", "Play / stop"},
    {"Enter", "Return to the start"},
    {"Ctrl+Z / Ctrl+Shift+Z", "Undo / redo (the buttons' tooltips say what)"},
    {"Ctrl+C / Ctrl+X / Ctrl+V", "Copy / cut / paste clips (pasted at the playhead, on the selected track)"},
    {"Ctrl+D", "Duplicate the selected clips or notes (placed after themselves)"},
    {"Ctrl+E", "Split the clip under the pointer at the pointer"},
    {"Delete / Backspace", "Delete the selected clips, notes or tempo point"},
    {"Ctrl+A", "Select every clip (or every note in the clip editor)"},
    {"0", "Mute / unmute the selected clips"},
    {"M / S", "Mute / solo the selected track"},
    {"L", "Loop on / off"},
    {"Escape", "Close the open device editors (effect and instrument)"},
    {"Up / Down", "Notes: a semitone (Shift: an octave)"},
    {"Left / Right", "Notes: a grid step"},
    {"Ctrl+N / Ctrl+O / Ctrl+S", "New song / open / save"},
    {"Alt while dragging", "Place without the snap grid"},
    {"Wheel / Shift+wheel / Ctrl+wheel", "Scroll / scroll in time / zoom around the pointer"},
    {"` (Backquote)", "Keyboard piano on / off (the Keys button of the strip at the bottom)"},
    {"A W S E D F T G Y H U J K O L P ;", "Piano on: C4 .. E5 on the armed (else selected) instrument track"},
    {"Z / X, C / V", "Piano on: octave down / up, velocity down / up (steps of 20)"},
    {"R / Shift+R", "Record MIDI on / off / capture the last minute played"},
    {"?", "This list"},
};

bool typed(char c) {
  const ImGuiIO& io = ImGui::GetIO();
  for (ImWchar w : io.InputQueueCharacters)
    if (w == static_cast<ImWchar>(c)) return true;
  return false;
}

}  // namespace

void handleShortcuts() {
  Studio& s = studio();
  ImGuiIO& io = ImGui::GetIO();
  // A click anywhere outside the clip editor gives the keys back to the arrangement.
  if (ImGui::IsMouseClicked(0) && s.editor.focused && !(s.lower == LowerView::Editor && io.MousePos.y > s.rects["tab:clip"][1])) s.editor.focused = false;
  if (io.WantTextInput) return;
  auto pressed = [](ImGuiKey k) { return ImGui::IsKeyPressed(k, false); };
  const bool ctrl = io.KeyCtrl, shift = io.KeyShift;
  const bool notes = s.editor.focused && s.lower == LowerView::Editor && editedClip();
  if (ctrl && pressed(ImGuiKey_Z)) undoRedo(shift);
  if (ctrl && pressed(ImGuiKey_Y)) undoRedo(true);
  if (!ctrl && pressed(ImGuiKey_Space)) post({{"type", s.playing || s.countInBeat > 0 ? "stop" : "play"}});
  if (!ctrl && (pressed(ImGuiKey_Enter) || pressed(ImGuiKey_KeypadEnter))) post({{"type", "seek"}, {"beat", 0.0}});
  // Escape closes the device editors, unless a menu or popup has it (that closes first).
  if (pressed(ImGuiKey_Escape) && !ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) {
    s.instrumentTrack = -1;
    s.rack = {};
  }
  if (ctrl && pressed(ImGuiKey_N)) {
    if (s.unsaved && !s.project.tracks.empty()) s.confirmNew = true;
    else newSong();
  }
  if (ctrl && pressed(ImGuiKey_O)) post({{"type", "open"}});
  if (ctrl && pressed(ImGuiKey_S)) {
    post({{"type", "save"}});
    s.unsaved = false;
  }
  if (typed('?')) s.showShortcuts = !s.showShortcuts;
  if (notes) {
    if (ctrl && pressed(ImGuiKey_A)) {
      s.editor.selectedNotes.clear();
      for (std::size_t i = 0; i < editedClip()->notes.size(); ++i) s.editor.selectedNotes.push_back(static_cast<int>(i));
    }
    if (ctrl && pressed(ImGuiKey_D)) duplicateSelectedNotes();
    if (pressed(ImGuiKey_Delete) || pressed(ImGuiKey_Backspace)) deleteSelectedNotes();
    if (ImGui::IsKeyPressed(ImGuiKey_UpArrow)) transposeSelectedNotes(shift ? 12 : 1);
    if (ImGui::IsKeyPressed(ImGuiKey_DownArrow)) transposeSelectedNotes(shift ? -12 : -1);
    const double step = s.grid.beats() > 0 ? s.grid.beats() : 0.25;
    if (ImGui::IsKeyPressed(ImGuiKey_RightArrow)) nudgeSelectedNotes(step);
    if (ImGui::IsKeyPressed(ImGuiKey_LeftArrow)) nudgeSelectedNotes(-step);
  } else {
    if (ctrl && pressed(ImGuiKey_A)) selectAllClips();
    if (ctrl && pressed(ImGuiKey_D)) duplicateSelectedClips();
    if (ctrl && pressed(ImGuiKey_C)) copySelectedClips();
    if (ctrl && pressed(ImGuiKey_X)) cutSelectedClips();
    if (ctrl && pressed(ImGuiKey_V)) pasteClips(snap(beatsNow(), s.grid));
    if (ctrl && pressed(ImGuiKey_E)) s.splitAtPointer = true;  // the arrangement knows what is under the pointer
    if (pressed(ImGuiKey_Delete) || pressed(ImGuiKey_Backspace)) {
      if (s.selectedTempoPoint >= 0) deleteTempoPoint(s.selectedTempoPoint);  // the tempo lane's point clicked last
      else deleteSelectedClips();
    }
    if (!ctrl && pressed(ImGuiKey_0)) toggleSelectedClipsMute();
    if (!ctrl && pressed(ImGuiKey_M)) toggleTrackMute(s.selectedTrack);
    if (!ctrl && pressed(ImGuiKey_S)) toggleTrackSolo(s.selectedTrack);
  }
  if (!ctrl && pressed(ImGuiKey_L)) command(s.project.loop.enabled ? "Loop off" : "Loop on", [](Project& p) { p.loop.enabled = !p.loop.enabled; });
}

void drawShortcuts() {
  Studio& s = studio();
  if (!s.showShortcuts) return;
  ImGui::SetNextWindowPos(ImVec2(ImGui::GetIO().DisplaySize.x * 0.5f, ImGui::GetIO().DisplaySize.y * 0.5f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowBgAlpha(1.0f);
  if (ImGui::Begin("Keyboard shortcuts", &s.showShortcuts, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse)) {
    if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg)) {
      for (const Shortcut& k : kShortcuts) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(k.keys);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(k.what);
      }
      ImGui::EndTable();
    }
  }
  remember("shortcuts-window");
  ImGui::End();
}

}  // namespace mixdown::ui
