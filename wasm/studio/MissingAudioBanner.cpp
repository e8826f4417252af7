// The banner at the top of the studio when audio of the open song is missing (a shared link carries no
// audio; a file opened without its audio; storage the browser cleared): it names the files and says how
// to bring them back. Dropping a file reconnects it by its sha-256, whatever its name (StudioApp.cpp
// studioAddAudio, boot.js decodeAudioFile).
#include <algorithm>
#include <string>

#include "Studio.h"

namespace mixdown::ui {

void drawMissingAudioBanner() {
  Studio& s = studio();
  std::string names;
  int count = 0;
  for (const Asset& a : s.project.assets) {
    if (std::find(s.missingAssets.begin(), s.missingAssets.end(), a.id) == s.missingAssets.end()) continue;
    if (count < 4) names += (count ? ", " : "") + (a.name.empty() ? a.id : a.name);
    ++count;
  }
  if (count == 0) {
    s.rects.erase("missing-audio-banner");  // widgetRects names only what is drawn
    return;
  }
  if (count > 4) names += ", and " + std::to_string(count - 4) + " more";
  const std::string text = (count == 1 ? "Missing audio: " + names + " (its clips are silent). "
                                       : "Missing audio: " + std::to_string(count) + " files (" + names + "; their clips are silent). ") +
                           "Drop the files to reconnect: anywhere on the page, matched by their contents whatever their names.";
  // As tall as the wrapped text needs (a narrow window wraps it to more lines), without a scroll bar.
  const ImVec2 pad = ImGui::GetStyle().WindowPadding;
  const float height = ImGui::CalcTextSize(text.c_str(), nullptr, false, ImGui::GetContentRegionAvail().x - 2 * pad.x).y + 2 * pad.y;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, IM_COL32(122, 78, 20, 255));
  ImGui::BeginChild("missing-audio", ImVec2(0, height), true, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::EndChild();
  ImGui::PopStyleColor();
  remember("missing-audio-banner");
}

}  // namespace mixdown::ui
