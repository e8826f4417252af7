// The instrument editor: a window for one instrument track (opened from its mixer strip or the clip
// editor) with a preset browser and every parameter with its unit. The browser lists the factory presets
// (core/presets) and the user's own (kept in the browser's storage, exported and imported as files) for
// the track's instrument, by category and a search; a click loads one (one undo step, "Load preset Acid
// Bass") and auditions it. The drum machine's parameters are a grid, a row per voice and a column per
// control; the poly synth's are in sections (oscillators, filter, amplifier, pitch and voices, LFO); the
// sampler's over its zones (SamplerEditorView.cpp); any other instrument's in columns.
#include <algorithm>
#include <cctype>
#include <map>

#include "Commands.h"
#include "Controls.h"
#include "Theme.h"
#include "DeviceRack.h"
#include "Studio.h"
#include "devices/Registry.h"
#include "presets/Presets.h"

namespace mixdown::ui {

namespace {

// "closedHat" -> "Closed hat" (the drum machine's voice ids as row labels).
std::string words(const std::string& id) {
  std::string out;
  for (char c : id) {
    if (std::isupper(static_cast<unsigned char>(c)) && !out.empty()) out += ' ', c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out += out.empty() ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// One parameter's control (the stored value set and the engine told when it moves), remembered for tests.
void instrumentParam(DeviceState& device, const ParamDescriptor& p, const std::string& rect, float width = 120.0f, bool compact = false,
                     const std::string& inside = {}) {
  double value = device.value(p.id, p.defaultValue);
  if (parameterControl(p, value, studioHooks(), width, compact, inside)) device.params[p.id] = value, projectChanged();
  remember(rect);
}

// The poly synth's sections, by parameter id.
const char* synthSection(const std::string& id) {
  static const std::map<std::string, const char*> named = {
      {"wave", "Oscillators"}, {"octave", "Oscillators"}, {"detune", "Oscillators"}, {"cutoff", "Filter"},
      {"resonance", "Filter"}, {"keyTrack", "Filter"}, {"attack", "Amplifier"}, {"decay", "Amplifier"},
      {"sustain", "Amplifier"}, {"release", "Amplifier"}, {"velocity", "Amplifier"}, {"volume", "Amplifier"},
      {"pitchEnv", "Pitch and voices"}, {"pitchDecay", "Pitch and voices"}, {"voiceMode", "Pitch and voices"},
      {"glide", "Pitch and voices"}};
  if (const auto it = named.find(id); it != named.end()) return it->second;
  for (const auto& [prefix, section] : {std::pair{"osc", "Oscillators"}, {"sub", "Oscillators"}, {"noise", "Oscillators"},
                                        {"unison", "Oscillators"}, {"filter", "Filter"}, {"lfo", "LFO"}})
    if (id.rfind(prefix, 0) == 0) return section;
  return "More";
}

void paramsInSections(DeviceState& device, const DeviceDescriptor& desc) {
  const char* order[] = {"Oscillators", "Filter", "Amplifier", "Pitch and voices", "LFO", "More"};
  bool first = true;
  for (const char* section : order) {
    bool any = false;
    for (const ParamDescriptor& p : desc.params) any = any || synthSection(p.id) == std::string(section);
    if (!any) continue;
    // Pitch and voices under the amplifier, More under the LFO: four columns fit a 1024 px window.
    const bool stacked = !first && (section == std::string("Pitch and voices") || section == std::string("More"));
    if (stacked) {
      ImGui::Spacing();
    } else {
      if (!first) ImGui::EndGroup(), ImGui::SameLine(0, 24);
      ImGui::BeginGroup();
    }
    first = false;
    ImGui::TextDisabled("%s", section);
    ParamFlow flow(4);
    for (const ParamDescriptor& p : desc.params) {
      if (synthSection(p.id) != std::string(section)) continue;
      flow.place(p);
      instrumentParam(device, p, "instrument-param:" + p.id, 64.0f);
    }
  }
  if (!first) ImGui::EndGroup();
}

// "kick.tune" -> voice "kick", control "tune"; parameters without a dot are the instrument's own. Controls
// two or more voices have are the grid's columns; a voice's own (the kick's sweep, the snare's snappy...)
// sit in its row's last column, each bar named inside, so the grid is as wide as its common controls.
void paramsAsGrid(DeviceState& device, const DeviceDescriptor& desc) {
  std::vector<std::string> voices, controls;
  std::map<std::string, int> voicesWith;  // control -> how many voices have it
  for (const ParamDescriptor& p : desc.params) {
    const auto dot = p.id.find('.');
    if (dot == std::string::npos) continue;
    const std::string voice = p.id.substr(0, dot), control = p.id.substr(dot + 1);
    if (std::find(voices.begin(), voices.end(), voice) == voices.end()) voices.push_back(voice);
    if (std::find(controls.begin(), controls.end(), control) == controls.end()) controls.push_back(control);
    ++voicesWith[control];
  }
  std::vector<std::string> shared, own;
  for (const std::string& c : controls) (voicesWith[c] >= 2 ? shared : own).push_back(c);
  if (ImGui::BeginTable("voices", static_cast<int>(shared.size()) + 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn("Voice");
    std::vector<std::string> headers;
    for (const std::string& c : shared) headers.push_back(words(c));
    for (const std::string& h : headers) ImGui::TableSetupColumn(h.c_str());
    ImGui::TableSetupColumn("Its own");
    ImGui::TableHeadersRow();
    for (const std::string& voice : voices) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(words(voice).c_str());
      for (const std::string& control : shared) {
        ImGui::TableNextColumn();
        const ParamDescriptor* p = desc.findParam(voice + "." + control);
        if (!p) continue;
        ImGui::PushID(p->id.c_str());
        // A value bar (no name drawn: the column says what it is; its tooltip and undo steps name it whole).
        instrumentParam(device, *p, "instrument-param:" + p->id, 70.0f, true);
        ImGui::PopID();
      }
      ImGui::TableNextColumn();
      bool first = true;
      for (const std::string& control : own) {
        const ParamDescriptor* p = desc.findParam(voice + "." + control);
        if (!p) continue;
        if (!first) ImGui::SameLine(0, 4);
        first = false;
        ImGui::PushID(p->id.c_str());
        instrumentParam(device, *p, "instrument-param:" + p->id, 96.0f, true, words(control));
        ImGui::PopID();
      }
    }
    ImGui::EndTable();
  }
  for (const ParamDescriptor& p : desc.params) {
    if (p.id.find('.') != std::string::npos) continue;
    instrumentParam(device, p, "instrument-param:" + p.id);
    ImGui::SameLine(0, 24);
  }
  ImGui::NewLine();
}

// The preset browser, left of the parameters.
void presetBrowser(int trackIndex, Track& track) {
  Studio& s = studio();
  PresetBrowser& b = s.presets;
  const std::string type = track.instrument->type;
  std::vector<const Preset*> all;  // the user's own first (they are what one looks for), then the factory's
  for (const Preset& p : b.user)
    if (p.device.type == type) all.push_back(&p);
  for (const Preset& p : factoryPresets())
    if (p.device.type == type) all.push_back(&p);
  std::vector<std::string> categories = {"All"};
  for (const Preset* p : all)
    if (std::find(categories.begin(), categories.end(), p->category) == categories.end()) categories.push_back(p->category);
  if (std::find(categories.begin(), categories.end(), b.category) == categories.end()) b.category = "All";
  ImGui::BeginGroup();
  ImGui::SetNextItemWidth(190);
  if (ImGui::BeginCombo("##category", b.category.c_str())) {
    for (const std::string& c : categories) {
      if (ImGui::Selectable(c.c_str(), c == b.category)) b.category = c;
      remember("preset-category:" + c);
    }
    ImGui::EndCombo();
  }
  remember("preset-category");
  ImGui::SetNextItemWidth(190);
  ImGui::InputTextWithHint("##search", "Search presets", b.search, sizeof b.search);
  remember("preset-search");
  const std::string needle = lower(b.search);
  // The rows drawn this frame only (the rectangles for tests would otherwise keep rows filtered away).
  for (auto it = s.rects.begin(); it != s.rects.end();) it = it->first.rfind("preset:", 0) == 0 ? s.rects.erase(it) : std::next(it);
  ImGui::BeginChild("preset-list", ImVec2(190, 170), true);
  for (const Preset* p : all) {
    if (b.category != "All" && p->category != b.category) continue;
    if (!needle.empty() && lower(p->name).find(needle) == std::string::npos && lower(p->category).find(needle) == std::string::npos) continue;
    const bool user = p->file.rfind("user:", 0) == 0;
    const std::string label = p->name + (user ? "  (yours)" : "") + "##" + p->file;
    if (ImGui::Selectable(label.c_str(), b.loaded == p->name)) {
      const std::map<std::string, double> params = p->device.params;
      command("Load preset " + p->name, [=](Project& project) { project.tracks[static_cast<std::size_t>(trackIndex)].instrument->params = params; });
      b.loaded = p->name;
      b.auditionPending = true;  // next frame: the engine has the preset by then (edits go at the frame's end)
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s: %s", p->category.c_str(), p->name.c_str());
    remember("preset:" + p->name);
  }
  if (all.empty()) ImGui::TextDisabled("No presets yet:\nSave... keeps yours.");
  ImGui::EndChild();
  // Audition: a held button plays the preset's home note (C4; a kick on the drum machine).
  const int home = type == "mixdown.drums" ? 36 : 60;
  ImGui::Button("Audition", ImVec2(92, 0));
  remember("preset-audition");
  if (ImGui::IsItemActive()) auditionHold(track.id, home, 0.8);
  if (b.auditionPending) {
    auditionHold(track.id, home, 0.8);
    auditionRelease();
    b.auditionPending = false;
  }
  ImGui::SameLine(0, 6);
  if (ImGui::Button("Save...", ImVec2(92, 0))) {
    std::snprintf(b.saveName, sizeof b.saveName, "%s", b.loaded.empty() ? "My preset" : (b.loaded + " (mine)").c_str());
    ImGui::OpenPopup("save-preset");
  }
  remember("preset-save");
  if (ImGui::BeginPopup("save-preset")) {
    ImGui::SetNextItemWidth(200);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    const bool enter = ImGui::InputText("Name", b.saveName, sizeof b.saveName, ImGuiInputTextFlags_EnterReturnsTrue);
    remember("preset-save-name");
    if ((ImGui::Button("Save") || enter) && b.saveName[0] != '\0') {
      saveUserPreset(b.saveName, *track.instrument);
      b.loaded = b.saveName;
      ImGui::CloseCurrentPopup();
    }
    remember("preset-save-ok");
    ImGui::EndPopup();
  }
  if (ImGui::Button("Export", ImVec2(92, 0))) exportPreset(b.loaded.empty() ? track.name : b.loaded, *track.instrument);
  remember("preset-export");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Download the instrument's settings as a preset file");
  ImGui::SameLine(0, 6);
  if (ImGui::Button("Import", ImVec2(92, 0))) post({{"type", "importPreset"}});
  remember("preset-import");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Open a preset file (or drop one on the page)");
  ImGui::EndGroup();
}

// A preset document for a device (the format parsePreset reads).
nlohmann::json presetDocument(const std::string& name, const std::string& category, const DeviceState& device) {
  return {{"format", "mixdown-preset"}, {"version", 1}, {"name", name}, {"category", category},
          {"device", {{"type", device.type}, {"params", device.params}}}};
}

// The user's presets to the page, which keeps them in the browser's storage.
void storeUserPresets() {
  nlohmann::json all = nlohmann::json::array();
  for (const Preset& p : studio().presets.user) all.push_back(presetDocument(p.name, p.category, p.device));
  post({{"type", "savePresets"}, {"text", all.dump()}});
}

// Adds (or replaces, by name and device) a user preset.
void addUserPreset(Preset preset) {
  auto& user = studio().presets.user;
  preset.file = "user:" + preset.name;
  const auto same = std::find_if(user.begin(), user.end(), [&](const Preset& p) { return p.name == preset.name && p.device.type == preset.device.type; });
  if (same != user.end()) *same = std::move(preset);
  else user.push_back(std::move(preset));
}

}  // namespace

void saveUserPreset(const std::string& name, const DeviceState& device) {
  Preset p;
  p.name = name;
  p.category = "Yours";
  p.device.type = device.type;
  p.device.params = device.params;
  addUserPreset(std::move(p));
  storeUserPresets();
  showNotice("Saved the preset \"" + name + "\" in this browser.");
}

void exportPreset(const std::string& name, const DeviceState& device) {
  post({{"type", "exportPreset"}, {"name", name}, {"text", presetDocument(name, "Yours", device).dump(2)}});
}

std::string importPreset(const std::string& text, const std::string& file) {
  PresetLoad load = parsePreset(text, file);
  if (!load.ok()) return load.errors.front();
  load.preset.category = load.preset.category.empty() ? "Yours" : load.preset.category;
  const std::string name = load.preset.name;
  addUserPreset(std::move(load.preset));
  storeUserPresets();
  showNotice("Imported the preset \"" + name + "\" (in the preset list of its instrument).");
  return "";
}

void setUserPresets(const std::string& text) {
  auto& user = studio().presets.user;
  user.clear();
  const nlohmann::json all = nlohmann::json::parse(text, nullptr, false);
  if (!all.is_array()) return;
  for (const nlohmann::json& doc : all) {  // one damaged entry is skipped, the rest kept
    PresetLoad load = parsePreset(doc.dump(), "user presets");
    if (load.ok()) addUserPreset(std::move(load.preset));
  }
}

void openInstrumentEditor(int trackIndex) { studio().instrumentTrack = trackIndex; }

void drawInstrumentEditor() {
  Studio& s = studio();
  const int ti = s.instrumentTrack;
  if (ti < 0 || static_cast<std::size_t>(ti) >= s.project.tracks.size() || !s.project.tracks[static_cast<std::size_t>(ti)].instrument) {
    s.instrumentTrack = -1;
    return;
  }
  Track& track = s.project.tracks[static_cast<std::size_t>(ti)];
  DeviceState& device = *track.instrument;
  const DeviceDescriptor* desc = findDevice(device.type);
  if (!desc) return;
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  // The sampler's editor is a window of its own size (its zone map, waveform and zone parameters are
  // taller than a synth's sections).
  const bool sampler = device.type == "mixdown.sampler";
  ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.98f), ImGuiCond_Appearing, ImVec2(0.5f, 1.0f));
  ImGui::SetNextWindowSize(ImVec2(std::min(display.x - 20, 1240.0f), sampler ? std::min(display.y * 0.8f, 560.0f) : std::min(display.y * 0.62f, 470.0f)),
                           ImGuiCond_Appearing);
  ImGui::SetNextWindowBgAlpha(1.0f);
  bool open = true;
  const std::string title = desc->name + " on " + (track.name.empty() ? track.id : track.name) + (sampler ? "###sampler-editor" : "###instrument-editor");
  ImGui::PushStyleColor(ImGuiCol_WindowBg, colour::kPanelRaised);
  const bool shown = ImGui::Begin(title.c_str(), &open, ImGuiWindowFlags_HorizontalScrollbar | ImGuiWindowFlags_NoCollapse);
  ImGui::PopStyleColor();
  keepWindowOnScreen();
  if (shown) {
    {  // the window itself (remember() takes the last item, which here is the title bar, outside the contents' clip)
      const ImVec2 at = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
      studio().rects["instrument-editor"] = {at.x, at.y, size.x, size.y};
    }
    samplerDropTarget(ti, true);
    presetBrowser(ti, track);
    ImGui::SameLine(0, 20);
    ImGui::BeginGroup();
    if (device.type == "mixdown.polysynth") {
      paramsInSections(device, *desc);
    } else if (device.type == "mixdown.drums") {
      paramsAsGrid(device, *desc);
    } else if (sampler) {  // its own parameters in a row over the zones
      for (const ParamDescriptor& p : desc->params) {
        instrumentParam(device, p, "instrument-param:" + p.id, 110.0f);
        ImGui::SameLine(0, 24);
      }
      ImGui::NewLine();
      drawSamplerZones(ti);
    } else {
      drawParamColumns(device, *desc, studioHooks(), "instrument-param:", [](const std::string&, double) { projectChanged(); });
    }
    ImGui::EndGroup();
  }
  ImGui::End();
  if (!open) s.instrumentTrack = -1;
}

}  // namespace mixdown::ui
