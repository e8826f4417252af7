#include "DeviceRack.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "Controls.h"
#include "DeviceGraphs.h"
#include "Theme.h"
#include "devices/Registry.h"
#include "imgui.h"

namespace mixdown::ui {

bool parameterControl(const ParamDescriptor& p, double& value, const StudioHooks& hooks, float width, bool compact, const std::string& inside) {
  bool changed = false;
  ImGui::SetNextItemWidth(std::max(width, 56.0f));
  if (p.scale == ParamScale::Toggle) {
    // A switch as wide as the knobs beside it (lit while on), so a column of them is no wider than a knob.
    const bool on = value >= 0.5;
    ImGui::PushStyleColor(ImGuiCol_Button, on ? colour::kAccent : colour::kControl);
    const float label = ImGui::CalcTextSize(p.name.c_str(), nullptr, true).x + 2 * ImGui::GetStyle().FramePadding.x;
    const bool clicked = ImGui::Button(p.name.c_str(), ImVec2(std::max({width, 56.0f, label}), 0));
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s: %s (click to switch)", p.name.c_str(), on ? "on" : "off");
    if (clicked) {
      hooks.beginEdit(p.name);
      value = on ? 0.0 : 1.0;
      changed = true;
    }
    return changed;
  }
  if (p.scale == ParamScale::Choice && !p.choices.empty()) {
    const int index = std::clamp(static_cast<int>(std::lround(value)), 0, static_cast<int>(p.choices.size()) - 1);
    const std::string hidden = "##" + p.id;  // the name in the tooltip: a combo's label would widen the column
    const bool opened = ImGui::BeginCombo(hidden.c_str(), p.choices[static_cast<std::size_t>(index)].c_str());
    if (!opened && ImGui::IsItemHovered()) ImGui::SetTooltip("%s: %s", p.name.c_str(), p.choices[static_cast<std::size_t>(index)].c_str());
    if (opened) {
      for (std::size_t i = 0; i < p.choices.size(); ++i) {
        const bool picked = ImGui::Selectable(p.choices[i].c_str(), static_cast<int>(i) == index);
        hooks.remember("choice:" + p.id + ":" + std::to_string(i));
        if (picked && static_cast<int>(i) != index) {
          hooks.beginEdit(p.name);
          value = static_cast<double>(i);
          changed = true;
        }
      }
      ImGui::EndCombo();
    }
    return changed;
  }
  ControlRange range;
  range.min = p.min;
  range.max = p.max;
  range.defaultValue = p.defaultValue;
  range.logarithmic = p.scale == ParamScale::Logarithmic && p.min > 0;
  range.unit = p.unit;
  const bool unnamed = p.name.rfind("##", 0) == 0;
  if (compact) {
    // A grid's cell (the drum machine's voices x controls): a value bar, as dense as a row of text, so every
    // voice fits the editor without scrolling; its gestures are a knob's.
    const ControlEdit e = valueBar(p.id.c_str(), unnamed ? p.id : p.name, range, value, width, inside);
    if (e.began) hooks.beginEdit(e.label.empty() ? p.name : e.label);  // before the value is applied
    if (e.changed) {
      value = std::clamp(value, p.min, p.max);
      changed = true;
    }
    return changed;
  }
  // A knob (Controls.h): its name above (none for "##" names: a grid's column says it), its value and unit
  // below, the exact value in its tooltip.
  const ControlEdit e = knob(p.id.c_str(), unnamed ? std::string() : p.name, range, value, std::clamp(width, 46.0f, 84.0f));
  if (e.began) hooks.beginEdit(e.label.empty() ? p.name : e.label);  // before the value is applied
  if (e.changed) {
    value = std::clamp(value, p.min, p.max);
    changed = true;
  }
  return changed;
}

bool isKnob(const ParamDescriptor& p) { return p.scale != ParamScale::Toggle && !(p.scale == ParamScale::Choice && !p.choices.empty()); }

void ParamFlow::place(const ParamDescriptor& p) {
  if (isKnob(p)) {
    if (inRow_ > 0 && inRow_ < perRow_) ImGui::SameLine(0, 4);
    else inRow_ = 0;
    ++inRow_;
  } else {
    inRow_ = 0;
  }
}

namespace {

// "freq3" -> "3"; "" for an id without a trailing number (or all digits).
std::string bandOf(const std::string& id) {
  std::size_t k = id.size();
  while (k > 0 && std::isdigit(static_cast<unsigned char>(id[k - 1]))) --k;
  return k == 0 || k == id.size() ? std::string() : id.substr(k);
}

}  // namespace

void drawParamColumns(DeviceState& device, const DeviceDescriptor& desc, const StudioHooks& hooks, const std::string& rectPrefix,
                      const std::function<void(const std::string&, double)>& changed) {
  // Numbered parameters (an EQ's bands: type1, freq1, gain1...) make one column per number, headed
  // "Band N", with "Band N " left out of each control's name; the rest go in columns of three knobs.
  std::vector<std::pair<std::string, std::vector<const ParamDescriptor*>>> columns;
  std::vector<const ParamDescriptor*> rest;
  for (const ParamDescriptor& p : desc.params) {
    const std::string band = bandOf(p.id);
    if (band.empty()) {
      rest.push_back(&p);
      continue;
    }
    auto it = std::find_if(columns.begin(), columns.end(), [&](const auto& c) { return c.first == band; });
    if (it == columns.end()) columns.push_back({band, {&p}});
    else it->second.push_back(&p);
  }
  if (columns.size() < 2) {  // one numbered parameter is not a band
    for (auto& c : columns) rest.insert(rest.end(), c.second.begin(), c.second.end());
    columns.clear();
  }
  for (std::size_t k = 0; k < rest.size(); k += 3)
    columns.push_back({"", std::vector<const ParamDescriptor*>(rest.begin() + static_cast<std::ptrdiff_t>(k),
                                                               rest.begin() + static_cast<std::ptrdiff_t>(std::min(rest.size(), k + 3)))});
  // The columns share the width there is: knobs from 68 px down to 56, and a column that still does not
  // fit starts a new row (inside this group, so rows line up under the first column, not under the graph).
  const float avail = ImGui::GetContentRegionAvail().x, gap = 12.0f;
  const float n = static_cast<float>(std::max<std::size_t>(1, columns.size()));
  const float knobW = std::clamp((avail - gap * (n - 1)) / n, 56.0f, 68.0f);
  const float right = ImGui::GetCursorScreenPos().x + avail;
  ImGui::BeginGroup();
  bool first = true;
  float lastW = 0.0f;
  for (const auto& [band, params] : columns) {
    if (!first && ImGui::GetItemRectMax().x + gap + lastW <= right) ImGui::SameLine(0, gap);
    first = false;
    ImGui::BeginGroup();
    ImGui::PushStyleColor(ImGuiCol_Text, colour::kTextDim);
    ImGui::TextUnformatted(band.empty() ? " " : ("Band " + band).c_str());
    ImGui::PopStyleColor();
    for (const ParamDescriptor* p : params) {
      ParamDescriptor shown = *p;
      const std::string prefix = "Band " + band + " ";
      if (!band.empty() && shown.name.rfind(prefix, 0) == 0) {
        shown.name = shown.name.substr(prefix.size());
        if (!shown.name.empty()) shown.name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(shown.name[0])));
      }
      double value = device.value(p->id, p->defaultValue);
      ImGui::PushID(p->id.c_str());
      if (parameterControl(shown, value, hooks, knobW)) {
        device.params[p->id] = value;
        changed(p->id, value);
      }
      ImGui::PopID();
      hooks.remember(rectPrefix + p->id);
    }
    ImGui::EndGroup();
    lastW = ImGui::GetItemRectSize().x;
  }
  ImGui::EndGroup();
}

void drawInsertList(Track& track, int trackIndex, RackSelection& selection, const StudioHooks& hooks,
                    const std::function<void()>& structural) {
  ImGui::PushID("inserts");
  ImGui::PushID(trackIndex);  // every track's rack has its own ids (and its own "+ Effect" popup)
  for (std::size_t k = 0; k < track.inserts.size(); ++k) {
    const DeviceState& d = track.inserts[k];
    const DeviceDescriptor* desc = findDevice(d.type);
    ImGui::PushID(static_cast<int>(k));
    const bool selected = selection.track == trackIndex && selection.insert == static_cast<int>(k);
    ImGui::PushStyleColor(ImGuiCol_Button, selected ? colour::kAccent : colour::kControl);
    ImGui::PushStyleColor(ImGuiCol_Text, d.bypass ? colour::kTextDisabled : colour::kText);
    const std::string name = desc ? desc->name : d.type;
    if (nameButton("##insert", d.bypass ? name + " (off)" : name, kStripWidth)) selection = {trackIndex, static_cast<int>(k)};
    ImGui::PopStyleColor(2);
    if (desc && desc->gainReductionMeter && hooks.insertReduction) drawReductionBar(hooks.insertReduction(trackIndex, static_cast<int>(k)));
    hooks.remember("insert:" + std::to_string(trackIndex) + ":" + std::to_string(k));
    ImGui::PopID();
  }
  ImGui::SetNextItemWidth(kStripWidth);
  if (ImGui::BeginCombo("##add", "+ Effect", ImGuiComboFlags_NoArrowButton)) {
    for (const DeviceDescriptor* desc : deviceDescriptors()) {
      if (desc->kind != DeviceKind::Effect || desc->id == "mixdown.strip") continue;
      const bool picked = ImGui::Selectable(desc->name.c_str());
      hooks.remember("add-insert-item:" + desc->id);
      if (picked && track.inserts.size() < kMaxInserts) {
        hooks.beginEdit("Add " + desc->name);
        track.inserts.push_back({desc->id, {}, false, {}});
        selection = {trackIndex, static_cast<int>(track.inserts.size()) - 1};
        structural();
      }
    }
    ImGui::EndCombo();
  }
  hooks.remember("add-insert:" + std::to_string(trackIndex));
  ImGui::PopID();
  ImGui::PopID();
}

namespace {
std::string trackLabel(const Track& t) { return t.name.empty() ? t.id : t.name; }
}  // namespace

void drawRouting(const Project& project, int trackIndex, const StudioHooks& hooks, const TryEdit& tryEdit) {
  const Track& track = project.tracks[static_cast<std::size_t>(trackIndex)];
  ImGui::PushID("routing");
  ImGui::PushID(trackIndex);
  // Output.
  std::string current = "Master";
  for (const Track& t : project.tracks)
    if (t.id == track.output) current = trackLabel(t);
  const float outputW = kStripWidth - 30.0f;  // "+S" (add a send) beside it
  ImGui::SetNextItemWidth(outputW);
  const bool outputOpen = ImGui::BeginCombo("##out", current.c_str(), ImGuiComboFlags_NoArrowButton);
  if (!outputOpen && ImGui::IsItemHovered()) ImGui::SetTooltip("Output: %s (click to route it elsewhere)", current.c_str());
  if (outputOpen) {
    auto option = [&](const std::string& label, const std::string& id, const std::string& rect) {
      const bool picked = ImGui::Selectable(label.c_str(), track.output == id);
      hooks.remember(rect);
      if (picked && track.output != id)
        tryEdit("Output to " + label, [=](Project& p) { p.tracks[static_cast<std::size_t>(trackIndex)].output = id; });
    };
    option("Master", kMasterOutput, "output-item:" + std::to_string(trackIndex) + ":master");
    for (const Track& t : project.tracks)
      if (t.kind == TrackKind::Bus && t.id != track.id) option(trackLabel(t), t.id, "output-item:" + std::to_string(trackIndex) + ":" + t.id);
    ImGui::EndCombo();
  }
  hooks.remember("output:" + std::to_string(trackIndex));
  ImGui::SameLine(0, 4);
  ImGui::SetNextItemWidth(kStripWidth - outputW - 4);
  if (ImGui::BeginCombo("##send-add", "+S", ImGuiComboFlags_NoArrowButton)) {
    for (const Track& t : project.tracks) {
      if (t.kind != TrackKind::Bus || t.id == track.id) continue;
      const bool picked = ImGui::Selectable(trackLabel(t).c_str());
      hooks.remember("send-item:" + std::to_string(trackIndex) + ":" + t.id);
      const std::string target = t.id;
      if (picked) tryEdit("Send to " + trackLabel(t), [=](Project& p) { p.tracks[static_cast<std::size_t>(trackIndex)].sends.push_back({target, -12.0, false}); });
    }
    ImGui::EndCombo();
  }
  hooks.remember("add-send:" + std::to_string(trackIndex));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Add a send to a bus");
  // Sends: a level slider each (dB), right-click toggles pre/post, x removes.
  for (std::size_t k = 0; k < track.sends.size(); ++k) {
    const SendState& send = track.sends[k];
    ImGui::PushID(static_cast<int>(k));
    double level = send.levelDb;
    std::string busName = send.target;
    for (const Track& t : project.tracks)
      if (t.id == send.target) busName = trackLabel(t);
    const ControlEdit e = levelBar("##send", busName, level, kStripWidth - 22.0f, send.preFader);
    if (e.changed) {
      const double db = level;
      tryEdit(e.label, [=](Project& p) { p.tracks[static_cast<std::size_t>(trackIndex)].sends[k].levelDb = db; });
    }
    hooks.remember("send:" + std::to_string(trackIndex) + ":" + std::to_string(k));
    const bool pre = send.preFader;
    if (ImGui::IsItemClicked(ImGuiMouseButton_Right))
      tryEdit(pre ? "Send after the fader" : "Send before the fader",
              [=](Project& p) { p.tracks[static_cast<std::size_t>(trackIndex)].sends[k].preFader = !pre; });
    ImGui::SameLine(0, 2);
    if (ImGui::SmallButton("x")) {
      tryEdit("Remove send", [=](Project& p) { auto& v = p.tracks[static_cast<std::size_t>(trackIndex)].sends; v.erase(v.begin() + static_cast<std::ptrdiff_t>(k)); });
      ImGui::PopID();
      break;
    }
    ImGui::PopID();
  }
  ImGui::PopID();
  ImGui::PopID();
}

void drawInsertEditor(Project& project, RackSelection& selection, const StudioHooks& hooks, const std::function<void()>& structural,
                      const std::function<void(int, int, const std::string&, double)>& paramChanged, const TryEdit& tryEdit) {
  if (selection.track < 0 || static_cast<std::size_t>(selection.track) >= project.tracks.size()) return;
  Track& track = project.tracks[static_cast<std::size_t>(selection.track)];
  if (selection.insert < 0 || static_cast<std::size_t>(selection.insert) >= track.inserts.size()) return;
  const auto k = static_cast<std::size_t>(selection.insert);
  DeviceState& d = track.inserts[k];
  const DeviceDescriptor* desc = findDevice(d.type);
  if (!desc) return;
  // A window of its own over the lower half of the studio, so no control is ever clipped by the mixer.
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.98f), ImGuiCond_Appearing, ImVec2(0.5f, 1.0f));
  ImGui::SetNextWindowSize(ImVec2(std::min(display.x - 20, 1100.0f), std::min(display.y * 0.5f, 330.0f)), ImGuiCond_Appearing);
  bool open = true;
  const std::string title = desc->name + " on " + (track.name.empty() ? track.id : track.name) + "###device-editor";
  ImGui::SetNextWindowBgAlpha(1.0f);  // opaque: the mixer never shows through an editor
  ImGui::PushStyleColor(ImGuiCol_WindowBg, colour::kPanelRaised);
  const bool shown = ImGui::Begin(title.c_str(), &open, ImGuiWindowFlags_HorizontalScrollbar | ImGuiWindowFlags_NoCollapse);
  ImGui::PopStyleColor();
  keepWindowOnScreen();
  if (!shown) {
    ImGui::End();
    if (!open) selection = {};
    return;
  }
  if (!open) selection = {};
  bool on = !d.bypass;
  if (ImGui::Checkbox("On", &on)) {
    hooks.beginEdit(on ? "Enable " + desc->name : "Bypass " + desc->name);
    d.bypass = !on;
    structural();
  }
  hooks.remember("insert-on");
  ImGui::SameLine();
  if (ImGui::SmallButton("Move up") && k > 0) {
    hooks.beginEdit("Move " + desc->name);
    swapInserts(track, k, k - 1);  // automation lanes follow the device
    selection.insert -= 1;
    structural();
    ImGui::End();
    return;
  }
  ImGui::SameLine();
  if (ImGui::SmallButton("Move down") && k + 1 < track.inserts.size()) {
    hooks.beginEdit("Move " + desc->name);
    swapInserts(track, k, k + 1);
    selection.insert += 1;
    structural();
    ImGui::End();
    return;
  }
  ImGui::SameLine();
  if (ImGui::SmallButton("Remove")) {
    hooks.beginEdit("Remove " + desc->name);
    removeInsert(track, k);  // and its automation lanes
    selection = {};
    structural();
    ImGui::End();
    return;
  }
  hooks.remember("insert-remove");
  // Dynamics with an external sidechain: which track keys it.
  if (desc->findParam("sidechain")) {
    std::string keyLabel = "(its own input)";
    for (const Track& t : project.tracks)
      if (t.id == d.sidechain) keyLabel = trackLabel(t);
    ImGui::SetNextItemWidth(160);
    if (ImGui::BeginCombo("Sidechain from", keyLabel.c_str())) {
      const int ti = selection.track, ii = selection.insert;
      auto option = [&](const std::string& label, const std::string& id) {
        const bool picked = ImGui::Selectable(label.c_str(), d.sidechain == id);
        hooks.remember("sidechain-item:" + (id.empty() ? std::string("self") : id));
        if (picked && d.sidechain != id)
          tryEdit("Sidechain from " + label, [=](Project& p) {
            DeviceState& target = p.tracks[static_cast<std::size_t>(ti)].inserts[static_cast<std::size_t>(ii)];
            target.sidechain = id;
            target.params["sidechain"] = id.empty() ? 0.0 : 1.0;
          });
      };
      option("(its own input)", "");
      for (std::size_t i = 0; i < project.tracks.size(); ++i)
        if (static_cast<int>(i) != selection.track) option(trackLabel(project.tracks[i]), project.tracks[i].id);
      ImGui::EndCombo();
    }
    hooks.remember("sidechain");
  }
  // The EQ's response and the compressor's transfer curve, left of the parameters.
  if (desc->id == "mixdown.eq" || desc->id == "mixdown.compressor") {
    const int ti = selection.track, ii = selection.insert;
    ImGui::BeginGroup();
    if (desc->id == "mixdown.eq") {
      drawEqGraph(d, *desc, hooks.sampleRate ? hooks.sampleRate() : 48000.0, hooks, [&](const std::string& id, double value) {
        d.params[id] = value;
        paramChanged(ti, ii, id, value);
      });
    } else {
      drawCompressorGraph(d, *desc, hooks.insertReduction ? hooks.insertReduction(ti, ii) : -1.0);
    }
    ImGui::EndGroup();
    ImGui::SameLine(0, 16);
  }
  const int ti = selection.track, ii = selection.insert;
  drawParamColumns(d, *desc, hooks, "insert-param:", [&](const std::string& id, double value) { paramChanged(ti, ii, id, value); });
  ImGui::End();
}

}  // namespace mixdown::ui
