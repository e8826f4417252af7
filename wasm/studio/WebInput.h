// The studio's input from the page: mouse, wheel, keyboard and focus events of the browser, fed to ImGui's
// input queue (ImGui 1.87+) in the order they happened, each with its own position. Nothing is sampled
// once a frame, so a press and release inside one slow frame, or a drag made while the page was busy,
// reach the widgets whole (ImGui trickles them over the following frames).
//
// Double clicks are counted here from the events' own timestamps and positions (as the desktop does:
// two presses of one button within kDoubleClickMs and kDoubleClickPixels), not from frame times, so a
// double click a person made is a double click at 5 frames a second too, and two clicks a second apart
// never are, however slow the frames. After ImGui::NewFrame(), applyClickCounts() writes the counts into
// io.MouseClickedCount for the presses ImGui consumed that frame.
#pragma once

namespace mixdown::ui {

constexpr double kDoubleClickMs = 500.0;     // the desktop's usual interval (Windows and GNOME: 400-500 ms)
constexpr float kDoubleClickPixels = 6.0f;   // CSS pixels between the two presses

// Listens on the page (the canvas for presses and the wheel, the window for moves, releases, keys and
// focus, so a drag that leaves the canvas goes on). `canvasSelector` is a CSS selector ("#canvas").
void installWebInput(const char* canvasSelector);

// Once a frame, before ImGui::NewFrame(): the frame's time step and the canvas's position on the page.
void beginInputFrame();
// Once a frame, right after ImGui::NewFrame(): the click counts of this frame's presses; the canvas's
// mouse cursor follows ImGui's.
void applyClickCounts();

// Input events not yet consumed by a frame (ImGui's queue): 0 when every gesture so far has reached the
// widgets. Tests wait on this instead of on the clock.
int pendingInputEvents();

}  // namespace mixdown::ui
