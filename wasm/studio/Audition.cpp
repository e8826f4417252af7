// Auditioning: live notes on a track's instrument while a note is drawn, moved or resized in the piano
// roll, or a key of its keyboard is held. They go to the engine as {"type":"liveNote"} messages (the
// worklet hands them to the audio thread through the engine's lock-free ring, Engine::liveNote), never
// as edits: nothing of the song changes and nothing is recorded for undo.
#include <string>

#include "Studio.h"

namespace mixdown::ui {

namespace {

constexpr double kMinSeconds = 0.18;  // a quick click still sounds this long

struct Held {
  std::string track;
  int pitch = -1;        // -1: nothing held
  double since = 0.0;    // ImGui time of the note-on (s)
  bool releasing = false;
};
Held held;

void send(const std::string& track, int pitch, double velocity) {
  post({{"type", "liveNote"}, {"track", track}, {"pitch", pitch}, {"velocity", velocity}});
}

}  // namespace

void auditionHold(const std::string& trackId, int pitch, double velocity) {
  if (held.pitch == pitch && held.track == trackId && !held.releasing) return;
  if (held.pitch >= 0) send(held.track, held.pitch, 0.0);
  send(trackId, pitch, velocity);
  held = {trackId, pitch, ImGui::GetTime(), false};
}

void auditionRelease() {
  if (held.pitch >= 0) held.releasing = true;
}

void updateAudition() {
  if (held.pitch >= 0 && !ImGui::IsMouseDown(0)) held.releasing = true;  // the view that held it may be gone
  if (held.pitch >= 0 && held.releasing && ImGui::GetTime() - held.since >= kMinSeconds) {
    send(held.track, held.pitch, 0.0);
    held = Held{};
  }
}

}  // namespace mixdown::ui
