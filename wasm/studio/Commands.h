// Every edit the studio makes, as a named command on the model: each is exactly one undo step, named as
// Undo and Redo show it ("Undo Move clip"). The views and the keyboard shortcuts call these; the pure
// arrangement and note functions they use are in core/model/Arrange.h.
//
// Gestures that last several frames (a drag) call beginEdit(label) once when they start and change the
// project as they go; the commands here are the one-shot ones.
#pragma once

#include <string>
#include <vector>

#include "interchange/Kit.h"
#include "model/Arrange.h"
#include "model/Project.h"

namespace mixdown::ui {

// Runs `mutate` on the project as one undo step named `label`.
void command(const std::string& label, const std::function<void(Project&)>& mutate);

// Songs and tracks.
void newSong();
int addTrack(TrackKind kind, const std::string& instrumentType = "");  // returns its index
void deleteTrack(int index);
void duplicateTrack(int index);
void renameTrack(int index, const std::string& name);
void moveTrack(int from, int to);
void setTrackColour(int index, const std::string& colour);
void toggleTrackMute(int index);
void toggleTrackSolo(int index);

// Clips (the selection is studio().selectedClips).
int createClip(int track, double start, double length);  // returns the clip's index, -1 on a bus
void deleteSelectedClips();
void duplicateSelectedClips();
void splitClipAt(ClipRef clip, double beat);
void toggleSelectedClipsMute();
void toggleClipLoop(ClipRef clip);
void copySelectedClips();
void cutSelectedClips();
void pasteClips(double atBeat);
void selectAllClips();
// The selection without clips that no longer exist (after an undo, say).
void pruneSelection();

// The tempo map (Project::tempo and tempoChanges; TempoLaneView). A point's index is into tempoChanges.
// Adding keeps the points in beat order and selects the new one; a point on a beat that has one already
// replaces its BPM. Moving a point by dragging is a gesture of several frames (TempoLaneView records it).
int addTempoPoint(double beat, double bpm, TempoShape shape);  // returns its index
void deleteTempoPoint(int index);
void setTempoPointShape(int index, TempoShape shape);
void setSongTempo(double bpm);

// Audio: an asset (new to the project, or one it has) placed as a clip at `beat` on audio track `track`,
// or on a new audio track inserted at `newTrackAt` when `track` is -1. One undo step ("Add audio").
// Returns "" or what was wrong (the project's validation).
std::string addAudioClip(const Asset& asset, double beat, int track, int newTrackAt, const char* label = "Add audio");

// Audio files dropped on a sampler track (the instrument editor's zones, its mixer strip or its header):
// its zones replaced, as one undo step ("Load sample", "Load 3 samples"). One file plays across the
// keyboard around C4 (root 60, keys 0..127, gated; looped where the file's own loop says, as `info`
// read from its smpl chunk); several become pads from C1 (MIDI 36) up, one key each, one-shot, in the
// order given. The assets join the project's table when new. Returns "" or what was wrong.
struct DroppedSample {
  Asset asset;
  SampleInfo info;  // the file's own loop (the root key is not taken: a drop plays at C4, or as pads)
};
std::string loadSamplerSamples(int track, const std::vector<DroppedSample>& samples);

// A kit (an SFZ instrument or a Hydrogen drum kit, read by core/interchange from dropped files) whose
// samples became `sampleAssets` (one per kit.samples, in order): sampler track `samplerTrack` gets its
// zones in place of its own, or, with -1, a new instrument track playing a sampler named after the kit is
// inserted at `newTrackAt`; either way its editor opens on the new zones. The assets join the project's table when new. One undo step
// ("Load kit Audiophob"). Returns "" or what was wrong (and then nothing changed); `warnings` gets what
// was cut to fit the samples (core's kitZonesForAssets).
std::string loadKit(const KitImport& kit, const std::vector<Asset>& sampleAssets, int samplerTrack, int newTrackAt, std::vector<std::string>& warnings);

// Notes of the open clip (studio().editor).
void addNote(const Note& note);
void deleteSelectedNotes();
void duplicateSelectedNotes();
void transposeSelectedNotes(int semitones);
void nudgeSelectedNotes(double beats);
void quantizeSelectedNotes(const Grid& grid, double strength, double swing);

// The instrument clip being edited, or nullptr (it may have been deleted).
Clip* editedClip();
Track* editedTrack();
void openClipEditor(ClipRef clip);

}  // namespace mixdown::ui
