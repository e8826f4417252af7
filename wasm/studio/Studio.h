// The studio's state and the few things every view uses: the project, the undo history, what is
// selected, the view settings, and the way an edit reaches the engine. Views live in files of their
// own (TopBar, ArrangementView, PianoRollView, StepSequencerView, MixerView, MasteringView, DeviceRack)
// and change the project through the named commands of Commands.h or, for a gesture that lasts several
// frames (a drag), beginEdit() at its start and projectChanged() as it goes.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "DeviceRack.h"
#include "MasteringView.h"
#include "imgui.h"
#include "model/Arrange.h"
#include "model/Project.h"
#include "presets/Presets.h"
#include "model/UndoHistory.h"
#include "nlohmann/json.hpp"

namespace mixdown::ui {

// The lower panel's views.
enum class LowerView { Mixer, Mastering, Editor };

// What the editor panel shows: the piano roll or the step sequencer of one clip.
struct ClipEditor {
  ClipRef clip;                    // {-1, -1}: none open
  bool steps = false;              // the step sequencer instead of the piano roll
  std::vector<int> selectedNotes;  // indices into the clip's notes
  double lastLength = 0.25;        // a new note takes the last length and velocity drawn or edited
  double lastVelocity = 0.8;
  float pixelsPerBeat = 80.0f;
  float scrollBeats = 0.0f;
  float topPitch = 84.0f;          // the pitch at the top of the roll
  int scaleRoot = 0;               // 0 = C
  int scale = 0;                   // index into kScales (0: none)
  bool follow = true;              // the view follows the playhead while playing
  bool focused = false;            // the last click was in the editor: editing keys act on its notes
  bool centre = true;              // the next frame centres the roll on the clip's notes (or around C4)
  int stepCount = 16;              // step sequencer: pattern length and resolution (beats per step)
  double stepBeats = 0.25;
  double swing = 0.0;              // 0..0.75 of a step, for every second step
};

// The instrument editor's preset browser (InstrumentEditorView.cpp).
struct PresetBrowser {
  std::vector<Preset> user;  // the user's own, kept in the browser's storage (file "user:<name>")
  std::string category = "All";
  char search[64] = {};
  char saveName[64] = {};
  std::string loaded;        // the name of the preset loaded last (highlighted; the default name to save as)
  bool auditionPending = false;
};

struct Studio {
  Project project;
  UndoHistory history;
  bool playing = false;
  double positionFrames = 0;
  double sampleRate = 48000;
  std::vector<float> peaks;           // [masterL, masterR, t0L, t0R, ...], linear, decaying
  std::vector<float> reductions;      // kMaxInserts per track: gain reduction in dB (decaying), -1: not playing
  std::string error;                  // shown in a banner until dismissed
  std::string notice;                 // short-lived information (share link copied...)
  double noticeUntil = 0;
  float bottomInset = 0;              // px of the canvas's bottom the page's own panels cover (notices go above)
  float typedTempo = 0;               // BPM typed into the tempo field, applied on Enter (0: none)
  std::map<std::string, std::array<float, 4>> rects;  // widget rectangles for tests: x, y, w, h
  std::vector<std::string> missingAssets;  // assets the engine has no audio for (reported by the engine)
  MasteringState mastering;
  RackSelection rack;                      // the insert whose editor is open
  int instrumentTrack = -1;                // the track whose instrument editor is open, -1: none
  int samplerZone = -1;                    // the sampler editor's selected zone (index into the zones), -1: none
  // Where dropped audio loads a sampler, as drawn this frame (a sampler track's strip and header, its
  // editor window): x, y, w, h and the track. Later entries are drawn over earlier ones.
  std::vector<std::pair<std::array<float, 4>, int>> samplerDropTargets;
  PresetBrowser presets;
  std::vector<std::pair<std::string, std::function<void(Project&)>>> pendingEdits;  // see tryEdit
  Project sent;             // the project as the engine has it (what the edits sent so far describe)
  bool engineDirty = false;  // the project changed since the last syncEngine()
  bool unsaved = false;      // edited since it was opened, saved or made new
  // The engine's load, from its status: mean and worst time per render quantum (ms), the quantum (ms),
  // and the audio context's underruns since the page started (-1: the browser does not say).
  double loadMeanMs = 0, loadMaxMs = 0, quantumMs = 128.0 / 48.0;
  long underruns = -1;
  std::map<std::string, std::string> automationShown;  // track id -> the target of the lane drawn over its row
  LowerView lower = LowerView::Mixer;
  float arrangementHeight = 0.0f;  // set by dragging the split above the mixer; 0: automatic (the mixer's faders fit)
  float mixerWants = 0.0f;         // the height the mixer's strips asked for in the last frame (CSS px)
  // The metronome (the live output only: never in renders or exports) and the count-in before playing.
  bool metronome = false;
  float metronomeDb = -6.0f;
  int countInBars = 0;
  int countInBeat = 0, countInBeats = 0;  // the engine's count-in: the beat sounding (1-based; 0: none) of how many

  // Arrangement view.
  float pixelsPerBeat = 24.0f;
  float scrollBeats = 0.0f;      // the beat at the timeline's left edge
  float scrollY = 0.0f;          // pixels of track rows scrolled away at the top
  Grid grid{1.0, false};         // snap grid (step 0: off); Alt bypasses it while dragging
  int selectedTrack = -1;
  int revealTrack = -1;          // scroll the arrangement so this track's row is in view (a new track)
  int revealStrip = -1;          // scroll the mixer so this track's strip is in view (a new track)
  std::vector<ClipRef> selectedClips;
  bool showTempoLane = false;    // the tempo lane under the ruler ("Tempo" in the corner; songs with tempo changes open with it)
  int selectedTempoPoint = -1;   // index into project.tempoChanges (Delete removes it), -1: none
  std::vector<std::pair<int, Clip>> clipboard;  // copied clips: track offset from the first, the clip (start relative)
  ClipEditor editor;
  bool showShortcuts = false;
  bool confirmNew = false;       // Ctrl+N with unsaved changes: the top bar asks
  bool splitAtPointer = false;   // Ctrl+E: the arrangement splits the clip under the pointer
  int renamingTrack = -1;
  char renameBuffer[64] = {};
};

Studio& studio();

// The last item's rectangle, under `name`, for tests (window.mixdown.widgetRects).
void remember(const std::string& name);
// The project changed: at the end of the frame the engine gets what changed (syncEngine).
void projectChanged();
// Records the document before an edit named `label` so it can be undone (and marks it changed).
void beginEdit(const std::string& label);
// A message to the page (web/boot.js), which forwards engine messages to the worklet.
void post(const nlohmann::json& message);
// Edits that may be refused (routing cycles, bad targets): applied after the frame is drawn.
bool tryEdit(const std::string& label, const std::function<void(Project&)>& mutate);
void applyPendingEdits();
void syncEngine();
void undoRedo(bool redo);
const StudioHooks& studioHooks();
void showNotice(const std::string& text);
// Another song in place of the current one, as one undo step named `label` (StudioApp.cpp).
void openSong(Project project, const char* label);

// The song position of the playhead, in beats.
double beatsNow();
// Peak and RMS meters from the engine: index 0/1 master, 2 + 2 * track (+1) a track's left/right.
float peakOf(int index);
float rmsOf(int index);
double insertReduction(int track, int insert);

// Where a file dropped at (x, y) (CSS pixels of the canvas) goes in the arrangement: the track under the
// pointer (-1: none there, or not an audio track: a new audio track at `newTrackAt`) and the beat under it,
// on the snap grid (0 when dropped outside the lanes).
struct DropPlace {
  int track = -1;
  int newTrackAt = 0;
  double beat = 0.0;
};
DropPlace arrangementDropPlace(float x, float y);

// Auditioning (Audition.cpp): a live note on a track's instrument, straight to the engine, not an edit.
// auditionHold sounds `pitch` (releasing the one held before, if another); auditionRelease lets it go
// (after at least a short moment, so a quick click is heard). updateAudition runs once a frame.
void auditionHold(const std::string& trackId, int pitch, double velocity);
void auditionRelease();
void updateAudition();
// The instrument editor (InstrumentEditorView.cpp) and the user's presets: saved in the browser (the page
// keeps them: {"type":"savePresets"}), exported as a file ({"type":"exportPreset"}), imported from one
// (importPreset returns "" or what is wrong, with the file's name); setUserPresets takes what the page kept.
void openInstrumentEditor(int trackIndex);
// The sampler's zone map, waveform and zone parameters (SamplerEditorView.cpp), inside the instrument editor.
void drawSamplerZones(int trackIndex);
// The last item (or the current window, `window`) takes audio dropped on it for the sampler of track
// `trackIndex` (nothing when that track plays no sampler); samplerDropTrack finds the target at (x, y),
// -1 when none is there.
void samplerDropTarget(int trackIndex, bool window = false);
int samplerDropTrack(float x, float y);
void drawInstrumentEditor();
void saveUserPreset(const std::string& name, const DeviceState& device);
void exportPreset(const std::string& name, const DeviceState& device);
std::string importPreset(const std::string& text, const std::string& file);
void setUserPresets(const std::string& text);

// The views.
void drawTopBar();
void drawMissingAudioBanner();  // MissingAudioBanner.cpp: at the top, when audio of the song is missing
void drawArrangement(float height);
void drawMixer();
void drawMastering();
void drawClipEditor();
void drawLowerPanel();
void drawPianoRoll(Track& track, Clip& clip);
void drawStepSequencer(Track& track, Clip& clip);
void drawShortcuts();
void handleShortcuts();

}  // namespace mixdown::ui
