#include "Theme.h"

#include <cstdio>

namespace mixdown::ui {

Fonts& fonts() {
  static Fonts f;
  return f;
}

std::string hexOf(ImU32 c) {
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", static_cast<unsigned>(c >> IM_COL32_R_SHIFT) & 0xff,
                static_cast<unsigned>(c >> IM_COL32_G_SHIFT) & 0xff, static_cast<unsigned>(c >> IM_COL32_B_SHIFT) & 0xff);
  return text;
}

void applyTheme() {
  using namespace colour;
  ImGuiStyle& st = ImGui::GetStyle();
  st = ImGuiStyle();
  st.WindowPadding = ImVec2(kPadding, kPadding);
  st.FramePadding = ImVec2(7.0f, 3.0f);
  st.ItemSpacing = ImVec2(kSpacing, kSpacing - 1.0f);
  st.ItemInnerSpacing = ImVec2(5.0f, 4.0f);
  st.CellPadding = ImVec2(4.0f, 2.0f);
  st.ScrollbarSize = 12.0f;
  st.GrabMinSize = 10.0f;
  st.WindowRounding = 6.0f;
  st.ChildRounding = kRounding;
  st.FrameRounding = kRounding;
  st.PopupRounding = kRounding;
  st.ScrollbarRounding = 6.0f;
  st.GrabRounding = 3.0f;
  st.TabRounding = kRounding;
  st.WindowBorderSize = 1.0f;
  st.ChildBorderSize = 1.0f;
  st.PopupBorderSize = 1.0f;
  st.FrameBorderSize = 0.0f;
  st.WindowTitleAlign = ImVec2(0.0f, 0.5f);
  auto set = [&](ImGuiCol slot, ImU32 c) { st.Colors[slot] = ImGui::ColorConvertU32ToFloat4(c); };
  auto setAlpha = [&](ImGuiCol slot, ImU32 c, float alpha) {
    ImVec4 v = ImGui::ColorConvertU32ToFloat4(c);
    v.w = alpha;
    st.Colors[slot] = v;
  };
  set(ImGuiCol_Text, kText);
  set(ImGuiCol_TextDisabled, kTextDisabled);
  set(ImGuiCol_WindowBg, kBackground);
  set(ImGuiCol_ChildBg, kPanel);
  set(ImGuiCol_PopupBg, kPanelRaised);  // opaque: an editor or menu never shows the view through it
  set(ImGuiCol_Border, kBorder);
  setAlpha(ImGuiCol_BorderShadow, kBackground, 0.0f);
  set(ImGuiCol_FrameBg, kControl);
  set(ImGuiCol_FrameBgHovered, kControlHover);
  set(ImGuiCol_FrameBgActive, kControlActive);
  set(ImGuiCol_TitleBg, kPanelRaised);
  set(ImGuiCol_TitleBgActive, kControl);
  set(ImGuiCol_TitleBgCollapsed, kPanelRaised);
  set(ImGuiCol_MenuBarBg, kPanelRaised);
  set(ImGuiCol_ScrollbarBg, kPanel);
  set(ImGuiCol_ScrollbarGrab, kControlHover);
  set(ImGuiCol_ScrollbarGrabHovered, kControlActive);
  set(ImGuiCol_ScrollbarGrabActive, kAccent);
  set(ImGuiCol_CheckMark, kAccentBright);
  set(ImGuiCol_SliderGrab, kAccentBright);
  set(ImGuiCol_SliderGrabActive, kAccentHover);
  set(ImGuiCol_Button, kControl);
  set(ImGuiCol_ButtonHovered, kControlHover);
  set(ImGuiCol_ButtonActive, kControlActive);
  set(ImGuiCol_Header, kControl);
  set(ImGuiCol_HeaderHovered, kControlHover);
  set(ImGuiCol_HeaderActive, kAccent);
  set(ImGuiCol_Separator, kBorder);
  set(ImGuiCol_SeparatorHovered, kAccentBright);
  set(ImGuiCol_SeparatorActive, kAccentHover);
  set(ImGuiCol_ResizeGrip, kControl);
  set(ImGuiCol_ResizeGripHovered, kControlHover);
  set(ImGuiCol_ResizeGripActive, kAccent);
  set(ImGuiCol_Tab, kControl);
  set(ImGuiCol_TabHovered, kControlHover);
  set(ImGuiCol_TabActive, kAccent);
  set(ImGuiCol_TabUnfocused, kControl);
  set(ImGuiCol_TabUnfocusedActive, kControlActive);
  set(ImGuiCol_PlotLines, kAccentBright);
  set(ImGuiCol_PlotHistogram, kAccentBright);
  set(ImGuiCol_TableHeaderBg, kPanelRaised);
  set(ImGuiCol_TableBorderStrong, kBorder);
  set(ImGuiCol_TableBorderLight, kBorder);
  setAlpha(ImGuiCol_TextSelectedBg, kAccent, 0.6f);
  set(ImGuiCol_DragDropTarget, kWarn);
  set(ImGuiCol_NavHighlight, kAccentBright);
  setAlpha(ImGuiCol_ModalWindowDimBg, kBackground, 0.7f);
}

std::vector<ColourPair> textColourPairs() {
  using namespace colour;
  return {
      {"text on background", hexOf(kText), hexOf(kBackground)},
      {"text on panel", hexOf(kText), hexOf(kPanel)},
      {"text on raised panel", hexOf(kText), hexOf(kPanelRaised)},
      {"text on control", hexOf(kText), hexOf(kControl)},
      {"text on hovered control", hexOf(kText), hexOf(kControlHover)},
      {"text on pressed control", hexOf(kText), hexOf(kControlActive)},
      {"label on background", hexOf(kTextDim), hexOf(kBackground)},
      {"label on panel", hexOf(kTextDim), hexOf(kPanel)},
      {"label on raised panel", hexOf(kTextDim), hexOf(kPanelRaised)},
      {"label on control", hexOf(kTextDim), hexOf(kControl)},
      {"white on accent", "#ffffff", hexOf(kAccent)},
      {"white on hovered accent", "#ffffff", hexOf(kAccentHover)},
      {"white on record", "#ffffff", hexOf(kRecord)},
      {"dark text on mute", hexOf(kTextOnLight), hexOf(kMute)},
      {"dark text on solo", hexOf(kTextOnLight), hexOf(kSolo)},
      {"good on panel", hexOf(kGood), hexOf(kPanel)},
      {"warning on panel", hexOf(kWarn), hexOf(kPanel)},
      {"problem on panel", hexOf(kBad), hexOf(kPanel)},
      {"problem on background", hexOf(kBad), hexOf(kBackground)},
      {"text on error panel", hexOf(kText), hexOf(kErrorPanel)},
  };
}

}  // namespace mixdown::ui
