#include "MasteringView.h"

#include "DeviceRack.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "devices/Registry.h"
#include "imgui.h"
#include "master/Mastering.h"
#include "model/ProjectJson.h"

namespace mixdown::ui {
namespace {

constexpr std::size_t kHistory = 600;  // 60 s at 10 per second
constexpr float kPlotLow = -40.0f, kPlotHigh = 0.0f;

// The engine learns of master chain edits from the studio's edit layer (a Master edit at the end of the frame).
void sendChain(const Project&, const StudioHooks& hooks) {
  if (hooks.changed) hooks.changed();
}

void readout(const char* label, double value, const char* unit, ImU32 colour = IM_COL32(235, 235, 235, 255)) {
  ImGui::TextUnformatted(label);
  ImGui::SameLine(110);
  char text[32];
  if (std::isfinite(value)) std::snprintf(text, sizeof text, "%6.1f %s", value, unit);
  else std::snprintf(text, sizeof text, "   -- %s", unit);
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::TextUnformatted(text);
  ImGui::PopStyleColor();
}

}  // namespace

std::vector<DeviceState> defaultMasteringChain(double ceilingDbtp) {
  DeviceState multiband{"mixdown.multiband", {}, false, {}};
  // Gentle glue: 1.5:1 above -20 dB in every band.
  for (int b = 1; b <= 4; ++b) {
    multiband.params["ratio" + std::to_string(b)] = 1.5;
    multiband.params["threshold" + std::to_string(b)] = -20;
  }
  DeviceState imager{"mixdown.imager", {{"width", 1.0}, {"monoBelow", 120.0}}, false, {}};
  DeviceState limiter{"mixdown.limiter", {{"ceiling", ceilingDbtp}}, false, {}};
  return {multiband, imager, limiter};
}

void receiveLoudness(MasteringState& state, const std::string& json, bool playing) {
  const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_array()) return;
  for (std::size_t i = 0; i < state.loudness.size(); ++i)
    state.loudness[i] = i < j.size() && j[i].is_number() ? j[i].get<double>() : std::nan("");
  // The plot takes every third update (10 per second) while playing.
  if (playing && ++state.updates % 3 == 0) {
    const double s = state.loudness[1];
    state.shortTermHistory.push_back(std::isfinite(s) ? static_cast<float>(s) : kPlotLow);
    if (state.shortTermHistory.size() > kHistory) state.shortTermHistory.erase(state.shortTermHistory.begin());
  }
}

void drawMasteringView(Project& project, MasteringState& state, const StudioHooks& hooks) {
  const auto& presets = deliveryPresets();
  const auto& L = state.loudness;
  DeliveryState& delivery = project.master.delivery;
  // Readouts.
  ImGui::BeginGroup();
  const ImU32 ok = IM_COL32(110, 220, 130, 255), warn = IM_COL32(240, 90, 70, 255), plain = IM_COL32(235, 235, 235, 255);
  readout("Momentary", L[0], "LUFS");
  readout("Short-term", L[1], "LUFS");
  const bool onTarget = std::isfinite(L[2]) && std::fabs(L[2] - delivery.targetLufs) <= 1.0;
  readout("Integrated", L[2], "LUFS", std::isfinite(L[2]) ? (onTarget ? ok : plain) : plain);
  hooks.remember("loudness-integrated");
  readout("Range", L[3], "LU");
  readout("True peak", L[4], "dBTP", std::isfinite(L[4]) && L[4] > delivery.ceilingDbtp ? warn : plain);
  readout("Max momentary", L[5], "LUFS");
  readout("Max short-term", L[6], "LUFS");
  readout("Limiter", std::isfinite(L[8]) && L[8] > 0 ? -L[8] : 0.0, "dB");
  // Correlation: a bar from -1 (out of phase, red) through 0 to +1 (mono).
  ImGui::TextUnformatted("Correlation");
  ImGui::SameLine(110);
  {
    const double c = std::isfinite(L[9]) ? L[9] : 0.0;
    const ImVec2 at = ImGui::GetCursorScreenPos(), size(110, 10);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(at, ImVec2(at.x + size.x, at.y + size.y), IM_COL32(30, 30, 34, 255));
    const float mid = at.x + size.x / 2, x = mid + static_cast<float>(c) * size.x / 2;
    dl->AddRectFilled(ImVec2(std::min(mid, x), at.y), ImVec2(std::max(mid, x), at.y + size.y), c < 0 ? IM_COL32(230, 80, 60, 255) : IM_COL32(90, 190, 120, 255));
    ImGui::Dummy(size);
    ImGui::SameLine();
    ImGui::Text("%+.2f", c);
    hooks.remember("correlation");
  }
  if (ImGui::Button("Reset meter")) {
    state.shortTermHistory.clear();
    hooks.post({{"type", "resetLoudness"}});
  }
  hooks.remember("loudness-reset");
  ImGui::EndGroup();
  ImGui::SameLine(0, 20);

  // Loudness over time (short-term, last minute) with the target.
  ImGui::BeginGroup();
  ImGui::TextUnformatted("Short-term loudness, last 60 s");
  const ImVec2 plotSize(320, 150);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::PlotLines("##loudness", state.shortTermHistory.empty() ? nullptr : state.shortTermHistory.data(),
                   static_cast<int>(state.shortTermHistory.size()), 0, nullptr, kPlotLow, kPlotHigh, plotSize);
  hooks.remember("loudness-plot");
  const float yTarget = origin.y + plotSize.y * (kPlotHigh - static_cast<float>(delivery.targetLufs)) / (kPlotHigh - kPlotLow);
  ImGui::GetWindowDrawList()->AddLine(ImVec2(origin.x, yTarget), ImVec2(origin.x + plotSize.x, yTarget), IM_COL32(240, 180, 60, 200));
  ImGui::Text("target %.1f LUFS (orange line)", delivery.targetLufs);
  ImGui::EndGroup();
  ImGui::SameLine(0, 20);

  // Destination, export and the chain.
  ImGui::BeginGroup();
  ImGui::SetNextItemWidth(220);
  const DeliveryPreset* current = findDeliveryPreset(delivery.preset);
  if (ImGui::BeginCombo("Destination", current ? current->name : "Custom")) {
    for (const DeliveryPreset& preset : presets) {
      char label[96];
      std::snprintf(label, sizeof label, "%s  (%.0f LUFS, %.1f dBTP)", preset.name, preset.targetLufs, preset.ceilingDbtp);
      if (ImGui::Selectable(label, &preset == current) && &preset != current) {
        hooks.beginEdit(std::string("Destination: ") + preset.name);
        delivery.preset = preset.id;
        delivery.targetLufs = preset.targetLufs;
        delivery.ceilingDbtp = preset.ceilingDbtp;
        // The limiter follows the destination's ceiling (part of the same edit).
        for (DeviceState& d : project.master.devices)
          if (d.type == "mixdown.limiter") d.params["ceiling"] = preset.ceilingDbtp;
        sendChain(project, hooks);
      }
    }
    ImGui::EndCombo();
  }
  hooks.remember("preset");
  ImGui::Text("Target %.1f LUFS, ceiling %.1f dBTP", delivery.targetLufs, delivery.ceilingDbtp);
  for (int bits : {16, 24}) {
    if (ImGui::RadioButton(bits == 16 ? "16-bit" : "24-bit", delivery.bits == bits) && delivery.bits != bits) {
      hooks.beginEdit(bits == 16 ? "Export 16-bit" : "Export 24-bit");
      delivery.bits = bits;
    }
    ImGui::SameLine();
  }
  if (ImGui::Button("Export master")) {
    hooks.post({{"type", "exportMaster"}, {"targetLufs", delivery.targetLufs}, {"ceilingDbtp", delivery.ceilingDbtp}, {"bits", delivery.bits}});
  }
  hooks.remember("export-master");
  ImGui::Separator();
  if (project.master.devices.empty()) {
    if (ImGui::Button("Add mastering chain")) {
      hooks.beginEdit("Add mastering chain");
      project.master.devices = defaultMasteringChain(delivery.ceilingDbtp);
      sendChain(project, hooks);
    }
    hooks.remember("add-chain");
  }
  ImGui::EndGroup();

  // The chain's devices, side by side.
  for (std::size_t k = 0; k < project.master.devices.size(); ++k) {
    DeviceState& d = project.master.devices[k];
    const DeviceDescriptor* desc = findDevice(d.type);
    if (!desc) continue;
    ImGui::PushID(static_cast<int>(k));
    ImGui::BeginChild("device", ImVec2(std::min(420.0f, ImGui::GetContentRegionAvail().x), 0), true);
    ImGui::TextUnformatted(desc->name.c_str());
    ImGui::SameLine();
    bool on = !d.bypass;
    if (ImGui::Checkbox("On", &on)) {
      hooks.beginEdit(on ? "Enable " + desc->name : "Bypass " + desc->name);
      d.bypass = !on;
      sendChain(project, hooks);
    }
    hooks.remember("master-device-on:" + std::to_string(k));
    ImGui::SameLine();
    bool removed = false;
    if (ImGui::SmallButton("Remove")) {
      hooks.beginEdit("Remove " + desc->name);
      removed = true;
    }
    ParamFlow flow(3);
    for (const ParamDescriptor& p : desc->params) {
      double value = d.value(p.id, p.defaultValue);
      flow.place(p);
      if (parameterControl(p, value, hooks)) {
        d.params[p.id] = value;
        sendChain(project, hooks);
      }
      hooks.remember("master-param:" + std::to_string(k) + ":" + p.id);
    }
    ImGui::EndChild();
    ImGui::PopID();
    if (removed) {
      project.master.devices.erase(project.master.devices.begin() + static_cast<std::ptrdiff_t>(k));
      sendChain(project, hooks);
      break;
    }
    ImGui::SameLine();
  }
  ImGui::NewLine();
}

}  // namespace mixdown::ui
