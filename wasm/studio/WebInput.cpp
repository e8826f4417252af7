#include "WebInput.h"

#include <emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>

#include "imgui.h"
#include "imgui_internal.h"  // ImGuiContext::InputEventsQueue (how many events wait for a frame)

namespace mixdown::ui {
namespace {

EM_JS(void, canvas_offset, (const char* selector, double* left, double* top), {
  const c = document.querySelector(UTF8ToString(selector));
  const r = c ? c.getBoundingClientRect() : { left: 0, top: 0 };
  HEAPF64[left >> 3] = r.left;
  HEAPF64[top >> 3] = r.top;
});

EM_JS(void, set_canvas_cursor, (const char* selector, const char* cursor), {
  const c = document.querySelector(UTF8ToString(selector));
  if (c) c.style.cursor = UTF8ToString(cursor);
});

EM_JS(void, block_context_menu, (const char* selector), {
  const c = document.querySelector(UTF8ToString(selector));
  if (c) c.addEventListener('contextmenu', (e) => e.preventDefault());
});

struct InputState {
  const char* canvas = "#canvas";
  double left = 0, top = 0;       // the canvas's position on the page (CSS pixels)
  double lastFrame = 0;           // emscripten_get_now() of the last frame (ms)
  bool downOnCanvas[3] = {};      // a press began on the canvas: its release goes to ImGui wherever it is
  // Click counting (see WebInput.h): per ImGui button, the last press and the counts of the presses
  // ImGui has not consumed yet, oldest first.
  double lastPressMs[3] = {-1e9, -1e9, -1e9};
  float lastPressX[3] = {}, lastPressY[3] = {};
  int lastCount[3] = {};
  std::deque<int> pendingCounts[3];
  ImGuiMouseCursor cursor = ImGuiMouseCursor_COUNT;
};

InputState& state() {
  static InputState s;
  return s;
}

// DOM buttons 0 left, 1 middle, 2 right; ImGui's 0 left, 1 right, 2 middle.
int imguiButton(unsigned short domButton) { return domButton == 0 ? 0 : domButton == 1 ? 2 : domButton == 2 ? 1 : -1; }

void setModifiers(bool ctrl, bool shift, bool alt, bool meta) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddKeyEvent(ImGuiMod_Ctrl, ctrl || meta);  // Cmd on a Mac does what Ctrl does elsewhere
  io.AddKeyEvent(ImGuiMod_Shift, shift);
  io.AddKeyEvent(ImGuiMod_Alt, alt);
}

void addMousePos(const EmscriptenMouseEvent* e) {
  const InputState& s = state();
  ImGui::GetIO().AddMousePosEvent(static_cast<float>(e->clientX - s.left), static_cast<float>(e->clientY - s.top));
}

EM_BOOL onMouseDown(int, const EmscriptenMouseEvent* e, void*) {
  InputState& s = state();
  const int b = imguiButton(e->button);
  if (b < 0) return EM_FALSE;
  setModifiers(e->ctrlKey, e->shiftKey, e->altKey, e->metaKey);
  addMousePos(e);
  const float x = static_cast<float>(e->clientX - s.left), y = static_cast<float>(e->clientY - s.top);
  const double at = e->timestamp > 0 ? e->timestamp : emscripten_get_now();
  const bool repeated = at - s.lastPressMs[b] < kDoubleClickMs && std::hypot(x - s.lastPressX[b], y - s.lastPressY[b]) < kDoubleClickPixels;
  s.lastCount[b] = repeated ? s.lastCount[b] + 1 : 1;
  s.lastPressMs[b] = at;
  s.lastPressX[b] = x;
  s.lastPressY[b] = y;
  if (s.pendingCounts[b].size() < 64) s.pendingCounts[b].push_back(s.lastCount[b]);
  s.downOnCanvas[b] = true;
  ImGui::GetIO().AddMouseButtonEvent(b, true);
  return EM_TRUE;  // no text selection, no focus change of the page
}

EM_BOOL onMouseUp(int, const EmscriptenMouseEvent* e, void*) {
  InputState& s = state();
  const int b = imguiButton(e->button);
  if (b < 0 || !s.downOnCanvas[b]) return EM_FALSE;
  s.downOnCanvas[b] = false;
  setModifiers(e->ctrlKey, e->shiftKey, e->altKey, e->metaKey);
  addMousePos(e);
  ImGui::GetIO().AddMouseButtonEvent(b, false);
  return EM_TRUE;
}

EM_BOOL onMouseMove(int, const EmscriptenMouseEvent* e, void*) {
  addMousePos(e);
  return EM_FALSE;
}

EM_BOOL onMouseLeave(int, const EmscriptenMouseEvent*, void*) {
  const InputState& s = state();
  // While a button is held the pointer stays ImGui's (a drag may leave the canvas and come back).
  if (!s.downOnCanvas[0] && !s.downOnCanvas[1] && !s.downOnCanvas[2]) ImGui::GetIO().AddMousePosEvent(-FLT_MAX, -FLT_MAX);
  return EM_FALSE;
}

EM_BOOL onWheel(int, const EmscriptenWheelEvent* e, void*) {
  setModifiers(e->mouse.ctrlKey, e->mouse.shiftKey, e->mouse.altKey, e->mouse.metaKey);
  addMousePos(&e->mouse);
  // ImGui: +1 is one notch up (away from the user). The browser: deltaY > 0 is down, in pixels (about 100
  // a notch), lines (3 a notch) or pages.
  const double unit = e->deltaMode == DOM_DELTA_PIXEL ? 100.0 : e->deltaMode == DOM_DELTA_LINE ? 3.0 : 1.0;
  ImGui::GetIO().AddMouseWheelEvent(static_cast<float>(-e->deltaX / unit), static_cast<float>(-e->deltaY / unit));
  return EM_TRUE;  // the page itself never scrolls or zooms under the studio
}

// The key a KeyboardEvent means: letters and digits by what they type (so Ctrl+Z is Z on every layout),
// the rest by their place on the keyboard.
ImGuiKey keyOf(const EmscriptenKeyboardEvent* e) {
  const char* key = e->key;
  if (key[0] != 0 && key[1] == 0) {
    const char c = key[0];
    if (c >= 'a' && c <= 'z') return static_cast<ImGuiKey>(ImGuiKey_A + (c - 'a'));
    if (c >= 'A' && c <= 'Z') return static_cast<ImGuiKey>(ImGuiKey_A + (c - 'A'));
    if (c >= '0' && c <= '9' && std::strncmp(e->code, "Numpad", 6) != 0) return static_cast<ImGuiKey>(ImGuiKey_0 + (c - '0'));
  }
  struct Named { const char* code; ImGuiKey key; };
  static const Named table[] = {
      {"Space", ImGuiKey_Space}, {"Enter", ImGuiKey_Enter}, {"NumpadEnter", ImGuiKey_KeypadEnter}, {"Escape", ImGuiKey_Escape},
      {"Tab", ImGuiKey_Tab}, {"Backspace", ImGuiKey_Backspace}, {"Delete", ImGuiKey_Delete}, {"Insert", ImGuiKey_Insert},
      {"ArrowLeft", ImGuiKey_LeftArrow}, {"ArrowRight", ImGuiKey_RightArrow}, {"ArrowUp", ImGuiKey_UpArrow},
      {"ArrowDown", ImGuiKey_DownArrow}, {"PageUp", ImGuiKey_PageUp}, {"PageDown", ImGuiKey_PageDown}, {"Home", ImGuiKey_Home},
      {"End", ImGuiKey_End}, {"ShiftLeft", ImGuiKey_LeftShift}, {"ShiftRight", ImGuiKey_RightShift},
      {"ControlLeft", ImGuiKey_LeftCtrl}, {"ControlRight", ImGuiKey_RightCtrl}, {"AltLeft", ImGuiKey_LeftAlt},
      {"AltRight", ImGuiKey_RightAlt}, {"MetaLeft", ImGuiKey_LeftSuper}, {"MetaRight", ImGuiKey_RightSuper},
      {"Minus", ImGuiKey_Minus}, {"Equal", ImGuiKey_Equal}, {"BracketLeft", ImGuiKey_LeftBracket},
      {"BracketRight", ImGuiKey_RightBracket}, {"Backslash", ImGuiKey_Backslash}, {"Semicolon", ImGuiKey_Semicolon},
      {"Quote", ImGuiKey_Apostrophe}, {"Comma", ImGuiKey_Comma}, {"Period", ImGuiKey_Period}, {"Slash", ImGuiKey_Slash},
      {"Backquote", ImGuiKey_GraveAccent}, {"F1", ImGuiKey_F1}, {"F2", ImGuiKey_F2}, {"F3", ImGuiKey_F3}, {"F4", ImGuiKey_F4},
      {"F5", ImGuiKey_F5}, {"F6", ImGuiKey_F6}, {"F7", ImGuiKey_F7}, {"F8", ImGuiKey_F8}, {"F9", ImGuiKey_F9},
      {"F10", ImGuiKey_F10}, {"F11", ImGuiKey_F11}, {"F12", ImGuiKey_F12}, {"Numpad0", ImGuiKey_Keypad0},
      {"Numpad1", ImGuiKey_Keypad1}, {"Numpad2", ImGuiKey_Keypad2}, {"Numpad3", ImGuiKey_Keypad3}, {"Numpad4", ImGuiKey_Keypad4},
      {"Numpad5", ImGuiKey_Keypad5}, {"Numpad6", ImGuiKey_Keypad6}, {"Numpad7", ImGuiKey_Keypad7}, {"Numpad8", ImGuiKey_Keypad8},
      {"Numpad9", ImGuiKey_Keypad9}, {"NumpadDecimal", ImGuiKey_KeypadDecimal}, {"NumpadAdd", ImGuiKey_KeypadAdd},
      {"NumpadSubtract", ImGuiKey_KeypadSubtract}, {"NumpadMultiply", ImGuiKey_KeypadMultiply}, {"NumpadDivide", ImGuiKey_KeypadDivide},
  };
  for (const Named& n : table)
    if (std::strcmp(e->code, n.code) == 0) return n.key;
  return ImGuiKey_None;
}

// One Unicode character (what the key types), or 0 for names such as "Shift" or "ArrowLeft".
bool isCharacter(const char* key) {
  const auto lead = static_cast<unsigned char>(key[0]);
  const std::size_t n = std::strlen(key);
  const std::size_t width = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  return n > 0 && width == n;
}

EM_BOOL onKey(int type, const EmscriptenKeyboardEvent* e, void*) {
  ImGuiIO& io = ImGui::GetIO();
  const bool down = type == EMSCRIPTEN_EVENT_KEYDOWN;
  setModifiers(e->ctrlKey, e->shiftKey, e->altKey, e->metaKey);
  const ImGuiKey key = keyOf(e);
  if (key != ImGuiKey_None) io.AddKeyEvent(key, down);
  const bool command = e->ctrlKey || e->metaKey;
  if (down && !command && isCharacter(e->key)) io.AddInputCharactersUTF8(e->key);
  if (!down) return EM_FALSE;
  // Keep the browser's own shortcuts (reload, developer tools, zoom...) except those the studio uses,
  // and keys that would scroll the page or move the browser's focus.
  if (command) {
    const char c = static_cast<char>(e->key[0] | 0x20);
    return e->key[1] == 0 && std::strchr("zyacxvdnosl", c) != nullptr;
  }
  return key == ImGuiKey_Space || key == ImGuiKey_Tab || key == ImGuiKey_Backspace || key == ImGuiKey_LeftArrow ||
         key == ImGuiKey_RightArrow || key == ImGuiKey_UpArrow || key == ImGuiKey_DownArrow || key == ImGuiKey_PageUp ||
         key == ImGuiKey_PageDown || key == ImGuiKey_Home || key == ImGuiKey_End || (io.WantTextInput && isCharacter(e->key));
}

EM_BOOL onFocus(int type, const EmscriptenFocusEvent*, void*) {
  ImGui::GetIO().AddFocusEvent(type == EMSCRIPTEN_EVENT_FOCUS);  // on blur ImGui lets go of every key
  return EM_FALSE;
}

}  // namespace

void installWebInput(const char* canvasSelector) {
  InputState& s = state();
  s.canvas = canvasSelector;
  s.lastFrame = emscripten_get_now();
  ImGuiIO& io = ImGui::GetIO();
  io.BackendPlatformName = "mixdown_web";
  io.ConfigInputTrickleEventQueue = true;
  // ImGui's own counting is replaced by applyClickCounts(); its interval only matters for the frame a
  // press is consumed in.
  io.MouseDoubleClickTime = static_cast<float>(kDoubleClickMs / 1000.0);
  io.MouseDoubleClickMaxDist = kDoubleClickPixels;
  emscripten_set_mousedown_callback(canvasSelector, nullptr, EM_TRUE, onMouseDown);
  emscripten_set_mouseleave_callback(canvasSelector, nullptr, EM_TRUE, onMouseLeave);
  emscripten_set_wheel_callback(canvasSelector, nullptr, EM_TRUE, onWheel);
  emscripten_set_mouseup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, onMouseUp);
  emscripten_set_mousemove_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, onMouseMove);
  emscripten_set_keydown_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, onKey);
  emscripten_set_keyup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, onKey);
  emscripten_set_focus_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, onFocus);
  emscripten_set_blur_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, onFocus);
  block_context_menu(canvasSelector);
}

void beginInputFrame() {
  InputState& s = state();
  const double now = emscripten_get_now();
  ImGui::GetIO().DeltaTime = static_cast<float>(std::clamp((now - s.lastFrame) / 1000.0, 1e-4, 1.0));
  s.lastFrame = now;
  canvas_offset(s.canvas, &s.left, &s.top);
}

void applyClickCounts() {
  InputState& s = state();
  ImGuiIO& io = ImGui::GetIO();
  for (int b = 0; b < 3; ++b) {
    if (!io.MouseClicked[b] || s.pendingCounts[b].empty()) continue;
    const int count = s.pendingCounts[b].front();
    s.pendingCounts[b].pop_front();
    io.MouseClickedCount[b] = static_cast<ImU16>(count);
    io.MouseClickedLastCount[b] = static_cast<ImU16>(count);
    io.MouseDoubleClicked[b] = count == 2;
  }
  // Every queued event consumed: no press can still be waiting for its count.
  if (pendingInputEvents() == 0)
    for (auto& counts : s.pendingCounts) counts.clear();
  static const char* const cursors[ImGuiMouseCursor_COUNT] = {"default", "text", "move", "ns-resize", "ew-resize", "nesw-resize",
                                                              "nwse-resize", "pointer", "not-allowed"};
  const ImGuiMouseCursor cursor = ImGui::GetMouseCursor();
  if (cursor != s.cursor && cursor >= 0 && cursor < ImGuiMouseCursor_COUNT) {
    s.cursor = cursor;
    set_canvas_cursor(s.canvas, cursors[cursor]);
  }
}

int pendingInputEvents() { return GImGui ? GImGui->InputEventsQueue.Size : 0; }

}  // namespace mixdown::ui
