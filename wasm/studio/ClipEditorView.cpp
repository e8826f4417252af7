// The clip editor panel: which clip is open, piano roll or step sequencer, quantize (grid, strength,
// swing), scale highlighting and follow; the view itself is PianoRollView or StepSequencerView.
#include <algorithm>

#include "Commands.h"
#include "Studio.h"
#include "Widgets.h"

namespace mixdown::ui {

void drawClipEditor() {
  Studio& s = studio();
  ClipEditor& e = s.editor;
  Clip* clip = editedClip();
  Track* track = editedTrack();
  if (!clip || !track) {
    ImGui::TextDisabled("Double-click an instrument clip to edit its notes (or double-click an empty lane to make one).");
    return;
  }
  ImGui::Text("%s  -  %s", track->name.c_str(), clip->name.c_str());
  ImGui::SameLine();
  for (std::size_t i = 0; i < s.project.tracks.size(); ++i)
    if (&s.project.tracks[i] == track && ImGui::SmallButton("Instrument")) openInstrumentEditor(static_cast<int>(i));
  remember("editor:instrument");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Open the track's instrument: presets and every parameter");
  ImGui::SameLine();
  for (bool steps : {false, true}) {
    const bool active = e.steps == steps;
    ImGui::PushStyleColor(ImGuiCol_Button, active ? IM_COL32(70, 100, 160, 255) : IM_COL32(50, 50, 60, 255));
    if (ImGui::SmallButton(steps ? "Steps" : "Piano roll")) e.steps = steps;
    ImGui::PopStyleColor();
    remember(steps ? "editor:steps" : "editor:piano-roll");
    ImGui::SameLine();
  }
  if (!e.steps) {
    static float strength = 100.0f, swing = 0.0f;
    if (ImGui::SmallButton("Quantize")) quantizeSelectedNotes(s.grid.step > 0 ? s.grid : Grid{0.25, false}, strength / 100.0, swing / 100.0);
    remember("quantize");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Quantize the selected notes (all when none is selected) to the snap grid");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90);
    ImGui::SliderFloat("##strength", &strength, 0.0f, 100.0f, "strength %.0f%%");
    remember("quantize-strength");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90);
    ImGui::SliderFloat("##qswing", &swing, 0.0f, 75.0f, "swing %.0f%%");
    remember("quantize-swing");
    ImGui::SameLine();
    static const char* const roots[] = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
    static const char* const scales[] = {"No scale", "Major", "Minor", "Dorian", "Mixolydian", "Pentatonic major", "Pentatonic minor", "Blues", "Harmonic minor"};
    ImGui::SetNextItemWidth(50);
    ImGui::Combo("##root", &e.scaleRoot, roots, 12);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(120);
    ImGui::Combo("##scale", &e.scale, scales, 9);
    remember("scale");
    ImGui::SameLine();
    ImGui::Checkbox("Follow", &e.follow);
  }
  ImGui::NewLine();
  if (e.steps) drawStepSequencer(*track, *clip);
  else drawPianoRoll(*track, *clip);
}

}  // namespace mixdown::ui
