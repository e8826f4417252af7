#include "DeviceGraphs.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "devices/ParametricEq.h"
#include "dsp/Dynamics.h"
#include "imgui.h"
#include "imgui_internal.h"  // SetItemUsingMouseWheel: the wheel sets a band's Q instead of scrolling

namespace mixdown::ui {
namespace {

constexpr double kLowHz = 20.0, kHighHz = 20000.0, kEqRangeDb = 24.0;
constexpr ImU32 kGrid = IM_COL32(60, 60, 70, 255), kGridText = IM_COL32(130, 130, 145, 255);
constexpr ImU32 kCurve = IM_COL32(250, 200, 90, 255), kReduction = IM_COL32(240, 140, 40, 255);

ImU32 bandColour(int b) {
  static const ImU32 colours[ParametricEq::kBands] = {IM_COL32(240, 90, 90, 255),  IM_COL32(240, 160, 70, 255), IM_COL32(220, 220, 80, 255),
                                                       IM_COL32(110, 210, 110, 255), IM_COL32(80, 200, 220, 255), IM_COL32(100, 140, 240, 255),
                                                       IM_COL32(170, 110, 240, 255), IM_COL32(230, 110, 200, 255)};
  return colours[b % ParametricEq::kBands];
}

bool hasGain(int type) {
  return type == ParametricEq::Peak || type == ParametricEq::LowShelf || type == ParametricEq::HighShelf;
}

std::string bandParam(const char* name, int b) { return name + std::to_string(b + 1); }

void frame(ImDrawList* dl, ImVec2 a, ImVec2 b) {
  dl->AddRectFilled(a, b, IM_COL32(18, 18, 24, 255));
  dl->AddRect(a, b, kGrid);
}

}  // namespace

double paramValue(const DeviceState& d, const DeviceDescriptor& desc, const std::string& id) {
  const ParamDescriptor* p = desc.findParam(id);
  return d.value(id, p ? p->defaultValue : 0.0);
}

void drawEqGraph(const DeviceState& d, const DeviceDescriptor& desc, double sampleRate, const StudioHooks& hooks, const SetParam& set) {
  // 440 px wide, narrower (to 320) when the editor is, so the bands' columns beside it all fit (62 px each).
  const float bands = static_cast<float>(ParametricEq::kBands);
  const ImVec2 size(std::clamp(ImGui::GetContentRegionAvail().x - bands * 62.0f - (bands - 1) * 12.0f - 24.0f, 320.0f, 440.0f), 220);
  const ImVec2 a = ImGui::GetCursorScreenPos(), b(a.x + size.x, a.y + size.y);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const double nyquistView = std::min(kHighHz, 0.5 * sampleRate * 0.999);
  auto xOf = [&](double hz) { return a.x + size.x * static_cast<float>(std::log(hz / kLowHz) / std::log(kHighHz / kLowHz)); };
  auto hzAt = [&](float x) { return std::clamp(kLowHz * std::pow(kHighHz / kLowHz, (x - a.x) / size.x), kLowHz, kHighHz); };
  auto yOf = [&](double db) { return a.y + size.y * static_cast<float>(0.5 - std::clamp(db, -kEqRangeDb, kEqRangeDb) / (2 * kEqRangeDb)); };
  auto dbAt = [&](float y) { return std::clamp((0.5 - (y - a.y) / size.y) * 2 * kEqRangeDb, -kEqRangeDb, kEqRangeDb); };

  // Band handles: at (frequency, gain) for peaks and shelves, on the 0 dB line for the others.
  struct Handle {
    int band;
    ImVec2 at;
  };
  std::vector<Handle> handles;
  for (int band = 0; band < ParametricEq::kBands; ++band) {
    const int type = static_cast<int>(paramValue(d, desc, bandParam("type", band)));
    if (type == ParametricEq::Off) continue;
    const double hz = paramValue(d, desc, bandParam("freq", band));
    const double gain = hasGain(type) ? paramValue(d, desc, bandParam("gain", band)) : 0.0;
    handles.push_back({band, ImVec2(xOf(hz), yOf(gain))});
  }
  // A rectangle per handle for tests, laid out before the graph's own button so that stays the last item.
  for (const Handle& h : handles) {
    ImGui::SetCursorScreenPos(ImVec2(h.at.x - 6, h.at.y - 6));
    ImGui::Dummy(ImVec2(12, 12));
    hooks.remember("eq-band:" + std::to_string(h.band + 1));
  }
  ImGui::SetCursorScreenPos(a);
  ImGui::InvisibleButton("eq-graph", size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  ImGui::SetItemUsingMouseWheel();
  hooks.remember("eq-graph");
  const bool hovered = ImGui::IsItemHovered();
  frame(dl, a, b);
  for (double hz : {50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0}) {
    dl->AddLine(ImVec2(xOf(hz), a.y), ImVec2(xOf(hz), b.y), kGrid);
    char label[8];
    std::snprintf(label, sizeof label, hz >= 1000 ? "%.0fk" : "%.0f", hz >= 1000 ? hz / 1000 : hz);
    dl->AddText(ImVec2(xOf(hz) + 2, b.y - 14), kGridText, label);
  }
  for (double db : {-18.0, -12.0, -6.0, 0.0, 6.0, 12.0, 18.0}) {
    dl->AddLine(ImVec2(a.x, yOf(db)), ImVec2(b.x, yOf(db)), db == 0.0 ? IM_COL32(90, 90, 105, 255) : kGrid);
    char label[8];
    std::snprintf(label, sizeof label, "%+.0f", db);
    dl->AddText(ImVec2(a.x + 2, yOf(db) - 13), kGridText, label);
  }

  // The whole EQ's response from the core's own formula, one point every 2 px.
  std::vector<double> values(desc.params.size());
  for (std::size_t i = 0; i < desc.params.size(); ++i) values[i] = paramValue(d, desc, desc.params[i].id);
  dl->PushClipRect(a, b, true);
  ImVec2 prev;
  for (float x = a.x; x <= b.x; x += 2) {
    const double hz = std::min(hzAt(x), nyquistView);
    const ImVec2 p(x, yOf(ParametricEq::responseDb(values.data(), hz, sampleRate)));
    if (x > a.x) dl->AddLine(prev, p, kCurve, 2.0f);
    prev = p;
  }

  const ImVec2 mouse = ImGui::GetIO().MousePos;
  static int dragBand = -1;
  static bool dragMoved = false;
  int under = -1;
  float best = 10.0f;  // px
  for (const Handle& h : handles) {
    const float dist = std::hypot(h.at.x - mouse.x, h.at.y - mouse.y);
    if (dist < best) best = dist, under = h.band;
  }
  if (dragBand >= 0) under = dragBand;
  for (const Handle& h : handles) {
    const bool bypassed = paramValue(d, desc, bandParam("bypass", h.band)) >= 0.5;
    const float r = h.band == under ? 8.0f : 6.0f;
    if (bypassed) dl->AddCircle(h.at, r, bandColour(h.band), 12, 2.0f);
    else dl->AddCircleFilled(h.at, r, bandColour(h.band));
    char label[4];
    std::snprintf(label, sizeof label, "%d", h.band + 1);
    dl->AddText(ImVec2(h.at.x - 3, h.at.y - 22), bandColour(h.band), label);
  }
  dl->PopClipRect();

  // Mouse: drag a handle (frequency, and gain for peaks and shelves), wheel over it (Q), right-click it
  // (band off), double-click empty space (a new peak band there).
  if (hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left) && under >= 0) {
    dragBand = under;
    dragMoved = false;
  }
  if (dragBand >= 0) {
    if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
      dragBand = -1;
    } else if (ImGui::GetIO().MouseDelta.x != 0 || ImGui::GetIO().MouseDelta.y != 0) {
      if (!dragMoved) hooks.beginEdit("EQ band " + std::to_string(dragBand + 1));
      dragMoved = true;
      set(bandParam("freq", dragBand), hzAt(mouse.x));
      if (hasGain(static_cast<int>(paramValue(d, desc, bandParam("type", dragBand))))) set(bandParam("gain", dragBand), dbAt(mouse.y));
    }
  }
  if (hovered && under >= 0 && ImGui::GetIO().MouseWheel != 0.0f) {
    const ParamDescriptor* q = desc.findParam(bandParam("q", under));
    hooks.beginEdit("EQ band " + std::to_string(under + 1) + " Q");
    set(q->id, std::clamp(paramValue(d, desc, q->id) * std::pow(1.2, ImGui::GetIO().MouseWheel), q->min, q->max));
  }
  if (hovered && under >= 0 && ImGui::IsMouseClicked(ImGuiMouseButton_Right)) {
    hooks.beginEdit("EQ band " + std::to_string(under + 1) + " off");
    set(bandParam("type", under), ParametricEq::Off);
  }
  if (hovered && under < 0 && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
    for (int band = 0; band < ParametricEq::kBands; ++band) {
      if (static_cast<int>(paramValue(d, desc, bandParam("type", band))) != ParametricEq::Off) continue;
      hooks.beginEdit("Add EQ band " + std::to_string(band + 1));
      set(bandParam("type", band), ParametricEq::Peak);
      set(bandParam("freq", band), hzAt(mouse.x));
      set(bandParam("gain", band), dbAt(mouse.y));
      break;
    }
  }
  if (under >= 0) {
    const int type = static_cast<int>(paramValue(d, desc, bandParam("type", under)));
    const ParamDescriptor* typeDesc = desc.findParam(bandParam("type", under));
    char tip[96];
    std::snprintf(tip, sizeof tip, "%d %s  %.0f Hz  %+.1f dB  Q %.2f", under + 1,
                  typeDesc && type >= 0 && type < static_cast<int>(typeDesc->choices.size()) ? typeDesc->choices[static_cast<std::size_t>(type)].c_str() : "",
                  paramValue(d, desc, bandParam("freq", under)), paramValue(d, desc, bandParam("gain", under)), paramValue(d, desc, bandParam("q", under)));
    dl->AddText(ImVec2(a.x + 40, a.y + 4), IM_COL32(235, 235, 240, 255), tip);
  } else if (handles.empty()) {
    dl->AddText(ImVec2(a.x + 40, a.y + 4), kGridText, "double-click to add a band");
  }
}

void drawCompressorGraph(const DeviceState& d, const DeviceDescriptor& desc, double reductionDb) {
  const float side = 220, barW = 16, gap = 8;
  const ImVec2 a = ImGui::GetCursorScreenPos(), b(a.x + side, a.y + side);
  ImGui::Dummy(ImVec2(side + gap + barW + 40, side));
  ImDrawList* dl = ImGui::GetWindowDrawList();
  constexpr double lo = -60.0, hi = 6.0;  // dB, both axes
  auto xOf = [&](double db) { return a.x + side * static_cast<float>((std::clamp(db, lo, hi) - lo) / (hi - lo)); };
  auto yOf = [&](double db) { return b.y - side * static_cast<float>((std::clamp(db, lo, hi) - lo) / (hi - lo)); };
  frame(dl, a, b);
  for (double db = -48; db <= 0; db += 12) {
    dl->AddLine(ImVec2(xOf(db), a.y), ImVec2(xOf(db), b.y), kGrid);
    dl->AddLine(ImVec2(a.x, yOf(db)), ImVec2(b.x, yOf(db)), kGrid);
    char label[8];
    std::snprintf(label, sizeof label, "%.0f", db);
    dl->AddText(ImVec2(xOf(db) + 2, b.y - 14), kGridText, label);
  }
  const double threshold = paramValue(d, desc, "threshold"), ratio = paramValue(d, desc, "ratio");
  const double knee = paramValue(d, desc, "knee"), makeup = paramValue(d, desc, "makeup");
  dl->PushClipRect(a, b, true);
  dl->AddLine(ImVec2(xOf(lo), yOf(lo)), ImVec2(xOf(hi), yOf(hi)), IM_COL32(80, 80, 95, 255));  // unity
  dl->AddLine(ImVec2(xOf(threshold), a.y), ImVec2(xOf(threshold), b.y), IM_COL32(120, 120, 160, 255));
  ImVec2 prev;
  for (int i = 0; i <= 132; ++i) {
    const double in = lo + (hi - lo) * i / 132.0;
    const ImVec2 p(xOf(in), yOf(compressorCurve(in, threshold, ratio, knee) + makeup));
    if (i > 0) dl->AddLine(prev, p, kCurve, 2.0f);
    prev = p;
  }
  // The operating point: the input level whose static reduction equals the metered one (the reduction
  // grows with the level, so bisection finds it).
  if (reductionDb > 0.05) {
    double x0 = threshold - knee / 2, x1 = 40.0;
    for (int it = 0; it < 40; ++it) {
      const double mid = 0.5 * (x0 + x1);
      (mid - compressorCurve(mid, threshold, ratio, knee) < reductionDb ? x0 : x1) = mid;
    }
    dl->AddCircleFilled(ImVec2(xOf(x0), yOf(compressorCurve(x0, threshold, ratio, knee) + makeup)), 5.0f, kReduction);
  }
  dl->PopClipRect();
  // Gain reduction meter: 0 at the top, 24 dB at the bottom.
  const ImVec2 ma(b.x + gap, a.y), mb(b.x + gap + barW, b.y);
  frame(dl, ma, mb);
  const double shown = std::clamp(reductionDb, 0.0, 24.0);
  if (reductionDb > 0.0) dl->AddRectFilled(ma, ImVec2(mb.x, ma.y + side * static_cast<float>(shown / 24.0)), kReduction);
  char text[24];
  if (reductionDb < 0.0) std::snprintf(text, sizeof text, "GR\n-");
  else std::snprintf(text, sizeof text, "GR\n%.1f", reductionDb);
  dl->AddText(ImVec2(mb.x + 4, a.y), IM_COL32(230, 200, 160, 255), text);
}

void drawReductionBar(double reductionDb) {
  if (reductionDb <= 0.0) return;
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  const float w = (b.x - a.x) * static_cast<float>(std::clamp(reductionDb, 0.0, 24.0) / 24.0);
  ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(b.x - w, b.y - 3), ImVec2(b.x, b.y), kReduction);
}

}  // namespace mixdown::ui
