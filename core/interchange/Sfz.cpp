#include "interchange/Sfz.h"

#include "model/Project.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

namespace mixdown {
namespace {

constexpr int kMaxIncludeDepth = 16;
constexpr int kMaxIncludes = 256;     // files read by #include in one kit (an include may be read more than once)
constexpr std::size_t kMaxDefines = 1024;  // each $ is tried against every name
constexpr double kFrames = static_cast<double>(kMaxAssetFrames);  // positions past the longest asset are refused

// An opcode's value where it was written (so a bad value is reported where it is).
struct Opcode {
  std::string value;
  std::string file;
  int line = 0;
};
using Opcodes = std::map<std::string, Opcode>;

std::string trim(const std::string& s) {
  std::size_t a = 0, b = s.size();
  while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
  return s.substr(a, b - a);
}

bool isNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }

std::string fileName(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A MIDI note from a number or a name (c4 = 60, c#4 = 61, db4 = 61, C-1 = 0); false if neither.
bool parseNote(const std::string& text, double& out) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() && *end == '\0') {
    out = v;
    return true;
  }
  if (text.empty()) return false;
  static const int kSemitones[7] = {9, 11, 0, 2, 4, 5, 7};  // a b c d e f g
  const char letter = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  if (letter < 'a' || letter > 'g') return false;
  int note = kSemitones[letter - 'a'];
  std::size_t i = 1;
  if (i < text.size() && text[i] == '#') note += 1, ++i;
  else if (i < text.size() && (text[i] == 'b' || text[i] == 'B') && i + 1 < text.size()) note -= 1, ++i;
  const std::string octave = text.substr(i);
  const long oct = std::strtol(octave.c_str(), &end, 10);
  if (octave.empty() || *end != '\0') return false;
  out = static_cast<double>(12 * (oct + 1) + note);
  return true;
}

class SfzReader {
 public:
  SfzReader(const std::string& root, const KitFiles& files, KitImport& out) : root_(root), files_(files), out_(out) {}

  void run() {
    std::string text;
    if (!files_.read || !files_.read(root_, text)) return fail(root_, 0, "cannot be read");
    readText(root_, text, 0);
    finishRegion();
    if (!failed_ && out_.zones.empty()) out_.warnings.push_back(root_ + ": no region with a sample");
  }

 private:
  void fail(const std::string& file, int line, const std::string& message) {
    if (failed_) return;
    failed_ = true;
    out_.error = file + (line > 0 ? ":" + std::to_string(line) : "") + ": " + message;
  }
  void warn(const std::string& file, int line, const std::string& message) {
    out_.warnings.push_back(file + ":" + std::to_string(line) + ": " + message);
  }
  // One warning per name, at its first appearance.
  void notRead(const std::string& what, const std::string& file, int line) {
    if (unread_.insert(what).second) warn(file, line, what + " is not read (ignored)");
  }

  // $NAME -> its value, the longest defined name first.
  std::string substitute(const std::string& s) const {
    if (defines_.empty() || s.find('$') == std::string::npos) return s;
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
      if (s[i] == '$') {
        const std::pair<std::string, std::string>* best = nullptr;
        for (const auto& d : defines_)
          if (s.compare(i, d.first.size(), d.first) == 0 && (!best || d.first.size() > best->first.size())) best = &d;
        if (best) {
          out += best->second;
          i += best->first.size();
          continue;
        }
      }
      out += s[i++];
    }
    return out;
  }

  void readText(const std::string& file, std::string text, int depth) {
    // Block comments become spaces (their newlines stay, so lines keep their numbers).
    for (std::size_t at = text.find("/*"); at != std::string::npos; at = text.find("/*", at)) {
      const std::size_t end = text.find("*/", at + 2);
      const std::size_t stop = end == std::string::npos ? text.size() : end + 2;
      for (std::size_t i = at; i < stop; ++i)
        if (text[i] != '\n') text[i] = ' ';
      at = stop;
    }
    int lineNo = 0;
    std::size_t start = 0;
    while (start <= text.size() && !failed_) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string line = text.substr(start, end - start);
      start = end + 1;
      ++lineNo;
      if (const auto c = line.find("//"); c != std::string::npos) line.erase(c);
      line = trim(line);
      if (line.empty()) continue;
      if (line.rfind("#define", 0) == 0) {
        define(file, lineNo, line.substr(7));
      } else if (line.rfind("#include", 0) == 0) {
        include(file, lineNo, substitute(trim(line.substr(8))), depth);
      } else {
        parseLine(file, lineNo, substitute(line));
      }
      if (end == text.size()) break;
    }
  }

  void define(const std::string& file, int line, const std::string& rest) {
    const std::string body = trim(rest);
    std::size_t n = 0;
    while (n < body.size() && !std::isspace(static_cast<unsigned char>(body[n]))) ++n;
    const std::string name = body.substr(0, n), value = trim(body.substr(n));
    if (name.size() < 2 || name[0] != '$') return fail(file, line, "#define needs a $NAME and a value (got \"" + body.substr(0, 60) + "\")");
    for (auto& d : defines_)
      if (d.first == name) {
        d.second = value;
        return;
      }
    if (defines_.size() >= kMaxDefines) return fail(file, line, "more than " + std::to_string(kMaxDefines) + " #define");
    defines_.emplace_back(name, value);
  }

  void include(const std::string& file, int line, const std::string& spec, int depth) {
    if (spec.size() < 2 || spec.front() != '"' || spec.back() != '"')
      return fail(file, line, "#include needs a file name in double quotes (got " + spec.substr(0, 60) + ")");
    const std::string path = kitPath(root_, spec.substr(1, spec.size() - 2));
    if (std::find(chain_.begin(), chain_.end(), path) != chain_.end() || path == root_) {
      warn(file, line, "#include \"" + path + "\" is already being read (skipped: it would include itself)");
      return;
    }
    if (depth + 1 > kMaxIncludeDepth) return fail(file, line, "#include nested more than " + std::to_string(kMaxIncludeDepth) + " deep");
    if (++includes_ > kMaxIncludes) return fail(file, line, "more than " + std::to_string(kMaxIncludes) + " #include read for one kit");
    std::string text;
    if (!files_.read(path, text)) return fail(file, line, "#include \"" + path + "\": cannot be read");
    chain_.push_back(path);
    readText(path, text, depth + 1);
    chain_.pop_back();
  }

  void parseLine(const std::string& file, int line, const std::string& s) {
    std::size_t i = 0;
    while (i < s.size() && !failed_) {
      while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
      if (i >= s.size()) break;
      if (s[i] == '<') {
        const std::size_t close = s.find('>', i);
        if (close == std::string::npos) return fail(file, line, "header \"" + s.substr(i, 40) + "\" has no closing '>'");
        header(s.substr(i + 1, close - i - 1), file, line);
        i = close + 1;
        continue;
      }
      const std::size_t eq = s.find('=', i);
      std::size_t nameEnd = i;
      while (nameEnd < s.size() && isNameChar(s[nameEnd])) ++nameEnd;
      if (eq == std::string::npos || nameEnd != eq || nameEnd == i)
        return fail(file, line, "expected a header <...> or an opcode name=value (got \"" + s.substr(i, 40) + "\")");
      // The value runs to the next opcode (whitespace, a name, '=') or header; it may hold spaces.
      std::size_t v = eq + 1, stop = s.size();
      for (std::size_t k = v; k < s.size(); ++k) {
        if (s[k] == '<') {
          stop = k;
          break;
        }
        if (std::isspace(static_cast<unsigned char>(s[k]))) {
          std::size_t n = k;
          while (n < s.size() && std::isspace(static_cast<unsigned char>(s[n]))) ++n;
          std::size_t m = n;
          while (m < s.size() && isNameChar(s[m])) ++m;
          if (m > n && m < s.size() && s[m] == '=') {
            stop = k;
            break;
          }
          k = std::max(n, m) - 1;  // on past what was looked at: the scan stays linear in the line
        }
      }
      opcode(s.substr(i, eq - i), trim(s.substr(v, stop - v)), file, line);
      i = stop;
    }
  }

  void header(const std::string& name, const std::string& file, int line) {
    finishRegion();
    if (name == "region") {
      level_ = Level::Region;
      inRegion_ = true;
      regionFile_ = file;
      regionLine_ = line;
    } else if (name == "group") {
      level_ = Level::Group;
      group_.clear();
    } else if (name == "master") {
      level_ = Level::Master;
      master_.clear();
      group_.clear();
    } else if (name == "global") {
      level_ = Level::Global;
      global_.clear();
      master_.clear();
      group_.clear();
    } else if (name == "control") {
      level_ = Level::Control;
      defaultPath_.clear();
    } else {
      level_ = Level::Other;
      notRead("header <" + name + ">", file, line);
    }
  }

  void opcode(const std::string& name, const std::string& value, const std::string& file, int line) {
    if (level_ == Level::Other) return;
    if (level_ == Level::Control) {
      if (name == "default_path") {
        defaultPath_ = value;
        std::replace(defaultPath_.begin(), defaultPath_.end(), '\\', '/');
      } else {
        notRead("opcode \"" + name + "\"", file, line);
      }
      return;
    }
    static const std::set<std::string> kRead = {
        "sample", "lokey", "hikey", "key", "pitch_keycenter", "lovel", "hivel", "tune", "transpose", "volume", "pan",
        "loop_mode", "loopmode", "loop_start", "loopstart", "loop_end", "loopend", "offset", "end", "ampeg_attack",
        "ampeg_decay", "ampeg_sustain", "ampeg_release", "group", "off_by", "trigger"};
    if (!kRead.count(name)) return notRead("opcode \"" + name + "\"", file, line);
    std::string key = name == "loopmode" ? "loop_mode" : name == "loopstart" ? "loop_start" : name == "loopend" ? "loop_end" : name;
    Opcodes* at = level_ == Level::Region ? &region_ : level_ == Level::Group ? &group_ : level_ == Level::Master ? &master_ : &global_;
    (*at)[key] = {value, file, line};
  }

  // A number of an opcode within [lo, hi]; false (and the kit refused) if it is not one.
  bool number(const Opcode& o, const std::string& name, double lo, double hi, double& out, bool note = false) {
    double v = 0;
    char* end = nullptr;
    const bool ok = note ? parseNote(o.value, v) : (v = std::strtod(o.value.c_str(), &end), end != o.value.c_str() && *end == '\0');
    if (!ok || !std::isfinite(v)) {
      fail(o.file, o.line, name + ": \"" + o.value.substr(0, 40) + "\" is not " + (note ? "a note number or name" : "a number"));
      return false;
    }
    if (v < lo || v > hi) {
      auto f = [](double x) {
        std::string t = std::to_string(x);
        t.erase(t.find_last_not_of('0') + 1);
        if (!t.empty() && t.back() == '.') t.pop_back();
        return t;
      };
      fail(o.file, o.line, name + ": " + o.value + " is out of range (" + f(lo) + " to " + f(hi) + ")");
      return false;
    }
    out = v;
    return true;
  }

  void finishRegion() {
    if (!inRegion_ || failed_) {
      inRegion_ = false;
      region_.clear();
      return;
    }
    inRegion_ = false;
    Opcodes all = global_;
    for (const Opcodes* level : {&master_, &group_, &region_}) {
      // key= sets the range and the centre: it overrides what a level above said of them.
      if (level->count("key"))
        for (const char* k : {"lokey", "hikey", "pitch_keycenter"})
          if (!level->count(k)) all.erase(k);
      for (const auto& [k, v] : *level) all[k] = v;
    }
    region_.clear();
    const auto sample = all.find("sample");
    if (sample == all.end()) return warn(regionFile_, regionLine_, "region without a sample (skipped)");
    std::string name = sample->second.value;
    std::replace(name.begin(), name.end(), '\\', '/');
    if (!name.empty() && name[0] == '*') return warn(sample->second.file, sample->second.line, "sample " + name + " is a generator, not a sample (region skipped)");
    const std::string wanted = kitPath(root_, defaultPath_ + name);
    const std::string found = files_.findSample ? files_.findSample(wanted) : wanted;
    if (found.empty()) return fail(sample->second.file, sample->second.line, "sample \"" + defaultPath_ + name + "\" not found (no file " + wanted + ")");

    SampleZone z;
    z.asset = found;
    double v = 0;
    auto get = [&](const char* key, double lo, double hi, double& out, bool note = false) {
      const auto it = all.find(key);
      return it != all.end() && number(it->second, key, lo, hi, out, note);
    };
    if (get("key", 0, 127, v, true)) z.lowKey = z.highKey = z.rootKey = static_cast<int>(std::lround(v));
    if (get("lokey", 0, 127, v, true)) z.lowKey = static_cast<int>(std::lround(v));
    if (get("hikey", 0, 127, v, true)) z.highKey = static_cast<int>(std::lround(v));
    if (const auto it = all.find("pitch_keycenter"); it != all.end() && it->second.value == "sample") {
      const int root = infoOf(found).rootKey;
      if (root >= 0 && root <= 127) z.rootKey = root;
      else warn(it->second.file, it->second.line, "pitch_keycenter=sample: " + fileName(found) + " names no root key (60 used)");
    } else if (get("pitch_keycenter", 0, 127, v, true)) {
      z.rootKey = static_cast<int>(std::lround(v));
    }
    if (get("lovel", 0, 127, v)) z.lowVelocity = std::max(1, static_cast<int>(std::lround(v)));
    if (get("hivel", 0, 127, v)) z.highVelocity = static_cast<int>(std::lround(v));
    double tune = 0, transpose = 0;
    get("tune", -9600, 9600, tune);
    get("transpose", -127, 127, transpose);
    z.tuneCents = tune + 100.0 * std::round(transpose);
    if (get("volume", -144, 24, v)) z.gainDb = v;
    if (get("pan", -100, 100, v)) z.pan = v / 100.0;
    if (get("offset", 0, kFrames, v)) z.start = static_cast<std::int64_t>(v);
    if (const auto it = all.find("end"); it != all.end()) {
      if (!number(it->second, "end", -1, kFrames - 1, v)) return;
      if (v <= 0) return warn(it->second.file, it->second.line, "end=" + it->second.value + " plays nothing (region skipped)");
      z.end = static_cast<std::int64_t>(v) + 1;  // SFZ's end is the last frame played
    }
    // Loop points the region does not give come from the sample's own loop (a WAV's smpl chunk), as
    // SFZ players do; so does the mode: a sample with a loop loops unless loop_mode says otherwise.
    const bool startGiven = all.count("loop_start"), endGiven = all.count("loop_end");
    const auto modeGiven = all.find("loop_mode");
    const bool mayLoop = modeGiven == all.end() || modeGiven->second.value == "loop_continuous" || modeGiven->second.value == "loop_sustain";
    SampleInfo own;
    if (mayLoop && !(startGiven && endGiven)) own = infoOf(found);
    const bool fileLoop = own.loop != ZoneLoop::Off && own.loopEnd > own.loopStart;
    if (fileLoop) z.loopStart = own.loopStart, z.loopEnd = own.loopEnd;
    if (get("loop_start", 0, kFrames, v)) z.loopStart = static_cast<std::int64_t>(v);
    if (get("loop_end", 0, kFrames - 1, v)) z.loopEnd = static_cast<std::int64_t>(v) + 1;  // inclusive in SFZ
    std::string mode = startGiven || endGiven || fileLoop ? "loop_continuous" : "no_loop";
    if (modeGiven != all.end()) {
      mode = modeGiven->second.value;
      if (mode != "no_loop" && mode != "one_shot" && mode != "loop_continuous" && mode != "loop_sustain")
        return fail(modeGiven->second.file, modeGiven->second.line,
                    "loop_mode: \"" + mode.substr(0, 40) + "\" is not no_loop, one_shot, loop_continuous or loop_sustain");
    }
    if (mode == "one_shot") z.oneShot = true;
    if (z.end > 0 && z.loopEnd > z.end) {
      warn(regionFile_, regionLine_, "loop_end is past end (the loop ends there)");
      z.loopEnd = z.end;
    }
    if (mode == "loop_continuous" || mode == "loop_sustain") {
      // The file's ping-pong loop stays one unless the region moves its points.
      if (z.loopEnd > z.loopStart + 1) z.loop = fileLoop && !startGiven && !endGiven ? own.loop : ZoneLoop::Forward;
      else warn(regionFile_, regionLine_, "loop_mode=" + mode + " without loop_start and loop_end, and " + fileName(found) + " has no loop (not looped)");
    }
    if (get("ampeg_attack", 0, 100, v)) z.attackMs = v * 1000.0;
    if (get("ampeg_decay", 0, 100, v)) z.decayMs = v * 1000.0;
    if (get("ampeg_sustain", 0, 100, v)) z.sustain = v / 100.0;
    if (get("ampeg_release", 0, 100, v)) z.releaseMs = v * 1000.0;
    if (get("group", -(1 << 30), 1 << 30, v)) z.group = static_cast<int>(v);
    if (get("off_by", -(1 << 30), 1 << 30, v)) z.offBy = static_cast<int>(v);
    if (const auto it = all.find("trigger"); it != all.end()) {
      const std::string& t = it->second.value;
      if (t == "attack") z.trigger = ZoneTrigger::Attack;
      else if (t == "release") z.trigger = ZoneTrigger::Release;
      else if (t == "first") z.trigger = ZoneTrigger::First;
      else if (t == "legato") z.trigger = ZoneTrigger::Legato;
      else return fail(it->second.file, it->second.line, "trigger: \"" + t.substr(0, 40) + "\" is not attack, release, first or legato");
    }
    if (failed_) return;
    if (z.lowKey > z.highKey) return fail(regionFile_, regionLine_, "lokey " + std::to_string(z.lowKey) + " is above hikey " + std::to_string(z.highKey));
    if (z.lowVelocity > z.highVelocity)
      return fail(regionFile_, regionLine_, "lovel " + std::to_string(z.lowVelocity) + " is above hivel " + std::to_string(z.highVelocity));
    if (std::fabs(z.tuneCents) > 4800) return fail(regionFile_, regionLine_, "tune and transpose together are more than 48 semitones");
    if (z.end > 0 && z.start >= z.end) return fail(regionFile_, regionLine_, "offset is at or after end");
    if (out_.zones.size() >= kMaxZones) return fail(regionFile_, regionLine_, "more than " + std::to_string(kMaxZones) + " regions (the sampler's limit)");
    if (std::find(out_.samples.begin(), out_.samples.end(), found) == out_.samples.end()) out_.samples.push_back(found);
    out_.zones.push_back(z);
    out_.names.push_back(fileName(found));
  }

  // What a sample says of itself, asked of the host once per sample.
  const SampleInfo& infoOf(const std::string& sample) {
    const auto known = sampleInfo_.find(sample);
    if (known != sampleInfo_.end()) return known->second;
    return sampleInfo_[sample] = files_.sampleInfo ? files_.sampleInfo(sample) : SampleInfo{};
  }

  enum class Level { None, Control, Global, Master, Group, Region, Other };
  std::string root_;
  const KitFiles& files_;
  KitImport& out_;
  std::vector<std::pair<std::string, std::string>> defines_;
  std::vector<std::string> chain_;
  int includes_ = 0;
  std::set<std::string> unread_;
  Level level_ = Level::None;
  Opcodes global_, master_, group_, region_;
  bool inRegion_ = false;
  std::string regionFile_;
  int regionLine_ = 0;
  std::string defaultPath_;
  std::map<std::string, SampleInfo> sampleInfo_;
  bool failed_ = false;
};

}  // namespace

KitImport readSfz(const std::string& path, const KitFiles& files) {
  KitImport out;
  out.name = fileName(path);
  if (out.name.size() > 4 && out.name.compare(out.name.size() - 4, 4, ".sfz") == 0) out.name.resize(out.name.size() - 4);
  SfzReader(path, files, out).run();
  out.dropIfRefused();
  return out;
}

}  // namespace mixdown
