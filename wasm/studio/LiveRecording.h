// Live playing and MIDI recording in the studio (LiveRecording.cpp): which tracks are armed, the track
// live notes play (the first armed instrument track, else the selected one), the Record and Capture
// buttons with their settings (overdub or replace, quantize on input), and the door through which a
// take played on the page (web/live-input.js) becomes one undo step. The page does the playing and the
// timing (the worklet's frame position, corrected for the output latency); the studio places the notes.
#pragma once

#include <string>

#include "imgui.h"

namespace mixdown::ui {

// Arming is a view setting (as the selected track is), not part of the song: no undo step.
bool trackArmed(const std::string& trackId);
void toggleArm(int trackIndex);
// The track id live notes go to now, or "" (no instrument track armed or selected).
std::string liveTargetTrack();
// The top bar's Record and Capture buttons and the recording settings (right-click Record).
void drawRecordControls();

// A track's row in the arrangement: its top and height, where lanes begin, the beat there, pixels per beat.
struct RowGeometry {
  float y, h, laneX;
  double firstBeat;
  float ppb;
};
// The take being recorded on `trackId` (if it is one of the take's tracks), on its row: a red region from
// where the take began to `nowBeat` (the playhead), with the audio input's peaks as they came.
void drawRecordingTake(const std::string& trackId, ImDrawList* dl, const RowGeometry& row, double nowBeat);

}  // namespace mixdown::ui
