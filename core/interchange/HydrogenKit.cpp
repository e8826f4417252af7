#include "interchange/HydrogenKit.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include <pugixml.hpp>

namespace mixdown {
namespace {

// "line N" of a byte offset in `text` (1-based).
int lineOf(const std::string& text, std::ptrdiff_t offset) {
  if (offset < 0) return 0;
  const auto end = text.begin() + std::min<std::ptrdiff_t>(offset, static_cast<std::ptrdiff_t>(text.size()));
  return 1 + static_cast<int>(std::count(text.begin(), end, '\n'));
}

class KitReader {
 public:
  KitReader(const std::string& path, const std::string& text, KitImport& out) : path_(path), text_(text), out_(out) {}

  std::string where(const pugi::xml_node& node) const {
    const int line = lineOf(text_, node.offset_debug());
    return path_ + (line > 0 ? ":" + std::to_string(line) : "");
  }
  bool fail(const pugi::xml_node& node, const std::string& what) {
    if (out_.error.empty()) out_.error = where(node) + ": " + what;
    return false;
  }
  // The number in child element `name` of `parent`, or `fallback` when there is none; false (refused)
  // when it is there and is not a number within [lo, hi].
  bool number(const pugi::xml_node& parent, const char* name, const std::string& owner, double lo, double hi, double fallback, double& out) {
    const pugi::xml_node node = parent.child(name);
    out = fallback;
    if (!node) return true;
    const std::string text = node.text().get();
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0' || !std::isfinite(v))
      return fail(node, owner + " <" + name + ">: \"" + text.substr(0, 40) + "\" is not a number");
    if (v < lo || v > hi)
      return fail(node, owner + " <" + name + ">: " + text + " is out of range (" + std::to_string(lo) + " to " + std::to_string(hi) + ")");
    out = v;
    return true;
  }

 private:
  const std::string& path_;
  const std::string& text_;
  KitImport& out_;
};

}  // namespace

KitImport readHydrogenKit(const std::string& path, const KitFiles& files) {
  KitImport out;
  std::string text;
  if (!files.read || !files.read(path, text)) {
    out.error = path + ": cannot be read";
    return out;
  }
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(text.data(), text.size());
  if (!parsed) {
    out.error = path + ":" + std::to_string(lineOf(text, parsed.offset)) + ": not XML (" + parsed.description() + ")";
    return out;
  }
  KitReader r(path, text, out);
  const pugi::xml_node root = doc.document_element();
  if (!root) {
    out.error = path + ":1: not XML (no element in it)";
    return out;
  }
  if (std::strcmp(root.name(), "drumkit_info") != 0) {
    r.fail(root, std::string("the root element is <") + root.name() + ">, not <drumkit_info>: not a Hydrogen drum kit");
    return out;
  }
  out.name = root.child("name").text().get();
  if (out.name.empty()) out.name = "Hydrogen kit";
  const pugi::xml_node list = root.child("instrumentList");
  if (!list) {
    r.fail(root, "<drumkit_info> has no <instrumentList>");
    return out;
  }
  int index = 0;
  for (pugi::xml_node inst = list.child("instrument"); inst && out.ok(); inst = inst.next_sibling("instrument"), ++index) {
    std::string name = inst.child("name").text().get();
    if (name.empty()) name = "Instrument " + std::to_string(index + 1);
    const std::string owner = "<instrument> " + std::to_string(index + 1) + " (" + name + ")";
    const int note = kHydrogenFirstNote + index;
    if (note > 127) {
      r.fail(inst, owner + ": more than " + std::to_string(128 - kHydrogenFirstNote) + " instruments (notes from " +
                       std::to_string(kHydrogenFirstNote) + " would pass 127)");
      break;
    }
    double volume = 1, gain = 1, panL = 1, panR = 1, pan = 0, pitch = 0, attack = 0, decay = 0, sustain = 1, release = 1000, mute = -1;
    if (!r.number(inst, "volume", owner, 0, 16, 1, volume) || !r.number(inst, "gain", owner, 0, 16, 1, gain) ||
        !r.number(inst, "pan_L", owner, 0, 1, 1, panL) || !r.number(inst, "pan_R", owner, 0, 1, 1, panR) ||
        !r.number(inst, "pitch", owner, -48, 48, 0, pitch) || !r.number(inst, "Attack", owner, 0, 1e9, 0, attack) ||
        !r.number(inst, "Decay", owner, 0, 1e9, 0, decay) || !r.number(inst, "Sustain", owner, 0, 1, 1, sustain) ||
        !r.number(inst, "Release", owner, 0, 1e9, 1000, release) || !r.number(inst, "muteGroup", owner, -1, 1 << 20, -1, mute))
      break;
    if (inst.child("pan")) {
      if (!r.number(inst, "pan", owner, -1, 1, 0, pan)) break;
    } else {
      pan = panR - panL;
    }
    const bool stopNote = std::strcmp(inst.child("isStopNote").text().get(), "true") == 0;
    // Layers: in the instrument, or in its components (newer kits).
    std::vector<pugi::xml_node> layers;
    for (pugi::xml_node l = inst.child("layer"); l; l = l.next_sibling("layer")) layers.push_back(l);
    for (pugi::xml_node c = inst.child("instrumentComponent"); c; c = c.next_sibling("instrumentComponent"))
      for (pugi::xml_node l = c.child("layer"); l; l = l.next_sibling("layer")) layers.push_back(l);
    if (layers.empty()) out.warnings.push_back(r.where(inst) + ": " + owner + " has no <layer> (no sound)");
    for (std::size_t k = 0; k < layers.size() && out.ok(); ++k) {
      const pugi::xml_node layer = layers[k];
      const std::string lowner = owner + " <layer> " + std::to_string(k + 1);
      const pugi::xml_node file = layer.child("filename");
      std::string sample = file.text().get();
      if (sample.empty()) {
        r.fail(layer, lowner + ": <filename> is missing");
        break;
      }
      double lo = 0, hi = 1, layerGain = 1, layerPitch = 0;
      if (!r.number(layer, "min", lowner, 0, 1, 0, lo) || !r.number(layer, "max", lowner, 0, 1, 1, hi) ||
          !r.number(layer, "gain", lowner, 0, 16, 1, layerGain) || !r.number(layer, "pitch", lowner, -48, 48, 0, layerPitch))
        break;
      const std::string wanted = kitPath(path, sample);
      const std::string found = files.findSample ? files.findSample(wanted) : wanted;
      if (found.empty()) {
        r.fail(file, lowner + " <filename>: sample \"" + sample + "\" not found (no file " + wanted + ")");
        break;
      }
      if (out.zones.size() >= kMaxZones) {
        r.fail(layer, lowner + ": more than " + std::to_string(kMaxZones) + " layers in the kit (the sampler's limit)");
        break;
      }
      SampleZone z;
      z.asset = found;
      z.rootKey = z.lowKey = z.highKey = note;
      z.lowVelocity = std::clamp(static_cast<int>(std::floor(lo * 127.0)) + 1, 1, 127);
      z.highVelocity = std::clamp(static_cast<int>(std::floor(hi * 127.0)), z.lowVelocity, 127);
      const double level = volume * gain * layerGain;
      z.gainDb = level > 0 ? std::clamp(20.0 * std::log10(level), -144.0, 24.0) : -144.0;
      z.pan = std::clamp(pan, -1.0, 1.0);
      z.tuneCents = std::clamp(100.0 * (pitch + layerPitch), -4800.0, 4800.0);
      constexpr double kFramesPerMs = 44.1;
      z.attackMs = std::min(60000.0, attack / kFramesPerMs);
      z.decayMs = std::min(60000.0, decay / kFramesPerMs);
      z.sustain = sustain;
      z.releaseMs = std::min(60000.0, release / kFramesPerMs);
      z.oneShot = !stopNote;
      if (mute >= 0) z.group = z.offBy = static_cast<int>(mute) + 1;
      if (std::find(out.samples.begin(), out.samples.end(), found) == out.samples.end()) out.samples.push_back(found);
      out.zones.push_back(z);
      out.names.push_back(name);
    }
  }
  out.dropIfRefused();
  return out;
}

}  // namespace mixdown
