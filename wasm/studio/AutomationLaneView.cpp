#include "AutomationLaneView.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "devices/Registry.h"
#include "imgui.h"

namespace mixdown::ui {
namespace {

// How a lane's values map to its height: range, scale, unit, and whether values are whole steps.
struct LaneScale {
  double lo = 0.0, hi = 1.0;
  bool logarithmic = false, integer = false;
  std::string unit;
  double toFraction(double v) const {  // 0 at the bottom, 1 at the top
    v = std::clamp(v, lo, hi);
    return logarithmic ? std::log(v / lo) / std::log(hi / lo) : (v - lo) / (hi - lo);
  }
  double fromFraction(double f) const {
    f = std::clamp(f, 0.0, 1.0);
    const double v = logarithmic ? lo * std::pow(hi / lo, f) : lo + f * (hi - lo);
    return integer ? std::round(v) : v;
  }
};

const ParamDescriptor* insertParam(const Track& track, const std::string& target, std::size_t* insert = nullptr) {
  std::size_t k = 0;
  std::string id;
  if (!parseInsertTarget(target, k, id) || k >= track.inserts.size()) return nullptr;
  const DeviceDescriptor* d = findDevice(track.inserts[k].type);
  if (insert) *insert = k;
  return d ? d->findParam(id) : nullptr;
}

bool scaleOf(const Track& track, const std::string& target, LaneScale& scale) {
  if (target == "gain") {
    scale = {-60.0, 6.0, false, false, "dB"};
    return true;
  }
  if (target == "pan") {
    scale = {-1.0, 1.0, false, false, ""};
    return true;
  }
  const ParamDescriptor* p = insertParam(track, target);
  if (!p) return false;
  const bool whole = p->scale == ParamScale::Choice || p->scale == ParamScale::Toggle;
  scale = {p->min, p->max, p->scale == ParamScale::Logarithmic && p->min > 0.0, whole, p->unit};
  return true;
}

AutomationLane* findLane(Track& t, const std::string& target) {
  for (auto& lane : t.automation)
    if (lane.target == target) return &lane;
  return nullptr;
}

}  // namespace

std::vector<LaneTarget> laneTargets(const Track& track) {
  std::vector<LaneTarget> out{{"gain", "Gain", -1, "Gain"}, {"pan", "Pan", -1, "Pan"}};
  for (std::size_t k = 0; k < track.inserts.size(); ++k)
    if (const DeviceDescriptor* d = findDevice(track.inserts[k].type))
      for (const ParamDescriptor& p : d->params)
        out.push_back({insertTarget(k, p.id), laneLabel(track, insertTarget(k, p.id)), static_cast<int>(k), p.name});
  return out;
}

std::string laneLabel(const Track& track, const std::string& target) {
  if (target == "gain") return "Gain";
  if (target == "pan") return "Pan";
  std::size_t k = 0;
  const ParamDescriptor* p = insertParam(track, target, &k);
  if (!p) return "";
  const DeviceDescriptor* d = findDevice(track.inserts[k].type);
  return std::to_string(k + 1) + " " + d->name + ": " + p->name;
}

void drawLane(Track& track, int trackIndex, const std::string& target, const LaneGeometry& g, const StudioHooks& hooks,
              const std::function<void()>& changed) {
  LaneScale scale;
  if (!scaleOf(track, target, scale)) return;  // the device went away; the studio drops the view
  const bool choice = scale.integer;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  auto yOf = [&](double v) { return g.top + g.height * static_cast<float>(1.0 - scale.toFraction(v)); };
  auto xOf = [&](double beat) { return g.timelineX + static_cast<float>(beat) * g.pixelsPerBeat; };
  auto valueAt = [&](float y) { return scale.fromFraction(1.0 - (y - g.top) / g.height); };
  auto beatAt = [&](float x) { return std::max(0.0, std::round((x - g.timelineX) / g.pixelsPerBeat * 4.0) / 4.0); };

  ImGui::SetCursorScreenPos(ImVec2(g.timelineX, g.top));
  ImGui::InvisibleButton("lane", ImVec2(g.width, g.height), ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  hooks.remember("lane:" + std::to_string(trackIndex));
  const bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();
  dl->AddRectFilled(ImVec2(g.timelineX, g.top), ImVec2(g.timelineX + g.width, g.top + g.height), IM_COL32(20, 40, 30, 120));

  AutomationLane* lane = findLane(track, target);
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  int under = -1;  // the point under the mouse (within 7 px), if any
  if (lane)
    for (std::size_t k = 0; k < lane->points.size(); ++k)
      if (std::fabs(xOf(lane->points[k].beat) - mouse.x) < 7 && std::fabs(yOf(lane->points[k].value) - mouse.y) < 7) under = static_cast<int>(k);

  // One drag at a time across all lanes.
  static int dragging = -1, dragTrack = -1;
  static bool dragMoved = false;
  if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left) && under < 0) {
    hooks.beginEdit("Add automation point");
    if (!lane) {
      track.automation.push_back({target, {}});
      lane = &track.automation.back();
    }
    // Switches and choices move in steps; continuous values glide.
    const AutomationPoint p{beatAt(mouse.x), valueAt(mouse.y), choice ? AutomationShape::Step : AutomationShape::Linear, 0.0};
    auto at = std::upper_bound(lane->points.begin(), lane->points.end(), p.beat, [](double b, const AutomationPoint& q) { return b < q.beat; });
    lane->points.insert(at, p);
    changed();
  } else if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Right) && under >= 0) {
    hooks.beginEdit("Delete automation point");
    lane->points.erase(lane->points.begin() + under);
    if (lane->points.empty()) track.automation.erase(track.automation.begin() + (lane - track.automation.data()));
    lane = findLane(track, target);
    under = -1;
    changed();
  } else if (active && ImGui::IsMouseClicked(ImGuiMouseButton_Left) && under >= 0) {
    dragging = under;
    dragTrack = trackIndex;
    dragMoved = false;
  }
  if (dragging >= 0 && dragTrack == trackIndex && lane && static_cast<std::size_t>(dragging) < lane->points.size()) {
    if (ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
      if (ImGui::GetIO().MouseDelta.x != 0 || ImGui::GetIO().MouseDelta.y != 0) {
        if (!dragMoved) hooks.beginEdit("Move automation point");
        dragMoved = true;
        const auto d = static_cast<std::size_t>(dragging);
        auto& p = lane->points[d];
        const double lo = d > 0 ? lane->points[d - 1].beat : 0.0;
        const double hi = d + 1 < lane->points.size() ? lane->points[d + 1].beat : 1e9;
        p.beat = std::clamp(beatAt(mouse.x), lo, hi);
        p.value = valueAt(mouse.y);
        under = dragging;
      }
    } else {
      if (dragMoved) changed();
      dragging = dragTrack = -1;
    }
  }
  const ImU32 line = IM_COL32(120, 230, 150, 255);
  char text[96];
  if (lane && !lane->points.empty()) {
    // The curve, sampled every 2 px through the model's own evaluation so linear, curved and step
    // segments look as they sound; flat before the first point and after the last.
    ImVec2 prev(g.timelineX, yOf(automationValue(lane->points, 0.0)));
    for (float x = g.timelineX + 2; x <= g.timelineX + g.width; x += 2) {
      const ImVec2 at(x, yOf(automationValue(lane->points, (x - g.timelineX) / g.pixelsPerBeat)));
      dl->AddLine(prev, at, line, 2.0f);
      prev = at;
    }
    for (std::size_t k = 0; k < lane->points.size(); ++k)
      dl->AddCircleFilled(ImVec2(xOf(lane->points[k].beat), yOf(lane->points[k].value)), static_cast<int>(k) == under ? 6.0f : 4.0f, line);
    if (under >= 0) {
      const auto& p = lane->points[static_cast<std::size_t>(under)];
      std::snprintf(text, sizeof text, "%.2f %s @ beat %.2f", p.value, scale.unit.c_str(), p.beat);
      dl->AddText(ImVec2(mouse.x + 8, mouse.y - 16), IM_COL32(230, 255, 235, 255), text);
    }
  }
  std::snprintf(text, sizeof text, "%s%s", laneLabel(track, target).c_str(),
                lane && !lane->points.empty() ? "" : " automation: double-click to add a point");
  // Bottom right of the row, on a backing of its own: clip names sit top left, so the two never meet.
  const ImVec2 extent = ImGui::CalcTextSize(text);
  const ImVec2 at(std::max(g.timelineX + 6, g.timelineX + g.width - extent.x - 8), g.top + g.height - extent.y - 4);
  dl->AddRectFilled(ImVec2(at.x - 4, at.y - 1), ImVec2(at.x + extent.x + 4, at.y + extent.y + 1), IM_COL32(0x15, 0x17, 0x1c, 210), 3.0f);
  dl->AddText(at, IM_COL32(160, 220, 175, 255), text);
}

}  // namespace mixdown::ui
