#include "AudioHeader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "CliError.h"

namespace mixdown::cli {
namespace {

// At most this many chunks in a RIFF or AIFF file (a real file has a handful; libsndfile keeps a log
// of them): more is damage or an attack on the parser.
constexpr int kMaxChunks = 1000;

std::uint32_t le32(const unsigned char* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24); }
std::uint16_t le16(const unsigned char* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
std::uint64_t le64(const unsigned char* p) { return le32(p) | (static_cast<std::uint64_t>(le32(p + 4)) << 32); }
std::uint32_t be32(const unsigned char* p) { return (static_cast<std::uint32_t>(p[0]) << 24) | (p[1] << 16) | (p[2] << 8) | p[3]; }
std::uint16_t be16(const unsigned char* p) { return static_cast<std::uint16_t>((p[0] << 8) | p[1]); }

// A chunk id as text for messages: printable ASCII kept, anything else as \xNN.
std::string idText(const unsigned char* p) {
  std::string s = "'";
  for (int i = 0; i < 4; ++i) {
    if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\'') {
      s += static_cast<char>(p[i]);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", p[i]);
      s += buf;
    }
  }
  return s + "'";
}

struct Checker {
  const std::string& name;
  std::uint64_t size;
  const ByteReader& read;
  const char* what;  // "WAV", for messages
  std::uint64_t maxSamples;

  [[noreturn]] void fail(const std::string& message) const { throw CliError(name + ": not a readable " + std::string(what) + " file: " + message); }

  // Exactly n bytes at offset, or a message that the file ends there.
  std::vector<unsigned char> bytes(std::uint64_t offset, std::size_t n, const std::string& part) const {
    std::vector<unsigned char> out(n);
    if (offset > size || n > size - offset || read(offset, out.data(), n) != n)
      fail(part + " at byte " + std::to_string(offset) + " needs " + std::to_string(n) + " bytes, but the file ends at byte " +
           std::to_string(size) + " (cut off)");
    return out;
  }

  void checkChannels(std::uint64_t channels, const std::string& field) const {
    if (channels < 1 || channels > static_cast<std::uint64_t>(kMaxAudioChannels))
      fail(field + " says " + std::to_string(channels) + " channels (1 to " + std::to_string(kMaxAudioChannels) + " can be read)");
  }
  void checkRate(double rate, const std::string& field) const {
    if (!(rate >= kMinAudioRate && rate <= kMaxAudioRate))
      fail(field + " says a sample rate of " + rateText(rate) + " Hz (" + std::to_string(kMinAudioRate) + " to " + std::to_string(kMaxAudioRate) +
           " Hz can be read)");
  }
  // A rate as the file states it: whole hertz, or in powers of ten beyond what an integer holds (an AIFF
  // rate is an 80-bit float: up to about 1e4932).
  static std::string rateText(double rate) {
    if (!std::isfinite(rate)) return "(not a number)";
    if (std::fabs(rate) < 1e15) return std::to_string(static_cast<long long>(rate));
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", rate);
    return text;
  }
  void checkSamples(std::uint64_t frames, std::uint64_t channels, const std::string& field) const {
    if (channels > 0 && frames > maxSamples / channels)
      fail(field + " promises " + std::to_string(frames) + " frames of " + std::to_string(channels) + " channels, more than the " +
           std::to_string(maxSamples) + " samples (" + std::to_string(maxSamples * 4 >> 20) + " MiB decoded) Mixdown reads from one file: split it");
  }
  // A chunk whose declared size runs past the end of what holds it.
  [[noreturn]] void overrun(const std::string& chunk, std::uint64_t at, std::uint64_t declared, std::uint64_t available,
                            const char* container) const {
    fail("the " + chunk + " chunk at byte " + std::to_string(at) + " declares " + std::to_string(declared) + " bytes, but " +
         container + " has only " + std::to_string(available) + " after its header (damaged" +
         (std::strcmp(container, "the file") == 0 ? std::string(" or cut off; `sox --ignore-length` can rewrite a cut-off file)") : std::string(")")));
  }
};

// Whether the 4 bytes at `at` could be a RIFF chunk id (letters, digits and spaces, as every registered
// id is; false past the end).
bool looksLikeChunkId(const Checker& c, std::uint64_t at) {
  if (at + 8 > c.size) return false;
  const auto id = c.bytes(at, 4, "a chunk id");
  return std::all_of(id.begin(), id.end(), [](unsigned char ch) { return ch == ' ' || std::isalnum(ch); });
}

// Sub-chunks of a RIFF LIST chunk (INFO strings, adtl labels and notes): each must lie inside the list.
void checkRiffList(const Checker& c, std::uint64_t at, std::uint64_t size, bool bigEndian) {
  if (size < 4) c.fail("the LIST chunk at byte " + std::to_string(at) + " is " + std::to_string(size) + " bytes, too short for its type");
  const auto body = c.bytes(at + 8, static_cast<std::size_t>(size), "the LIST chunk");
  const std::string list = "LIST " + idText(body.data());
  std::size_t pos = 4;
  int count = 0;
  while (pos + 8 <= body.size()) {
    const std::uint32_t sub = bigEndian ? be32(&body[pos + 4]) : le32(&body[pos + 4]);
    if (++count > kMaxChunks) c.fail("the " + list + " chunk at byte " + std::to_string(at) + " holds more than " + std::to_string(kMaxChunks) + " entries");
    if (sub > body.size() - pos - 8)
      c.overrun(idText(&body[pos]) + " entry of the " + list, at + 8 + pos, sub, body.size() - pos - 8, "its LIST chunk");
    pos += 8 + sub + (sub & 1);
  }
}

AudioContainer checkRiff(const Checker& c, const unsigned char* head) {
  const bool rf64 = std::memcmp(head, "RF64", 4) == 0 || std::memcmp(head, "BW64", 4) == 0;
  const bool bigEndian = std::memcmp(head, "RIFX", 4) == 0;
  auto u32 = [&](const unsigned char* p) { return bigEndian ? be32(p) : le32(p); };
  auto u16 = [&](const unsigned char* p) { return bigEndian ? be16(p) : le16(p); };
  if (std::memcmp(head + 8, "WAVE", 4) != 0)
    c.fail("a RIFF file of type " + idText(head + 8) + ", not 'WAVE' audio");
  std::uint64_t pos = 12, dataSize64 = 0;
  bool haveFmt = false, haveData = false;
  std::uint64_t channels = 0, blockAlign = 0;
  int count = 0;
  while (pos + 8 <= c.size) {
    const auto h = c.bytes(pos, 8, "a chunk header");
    const std::string id = idText(h.data());
    std::uint64_t size = u32(&h[4]);
    if (++count > kMaxChunks) c.fail("more than " + std::to_string(kMaxChunks) + " chunks (damaged)");
    const bool isData = std::memcmp(h.data(), "data", 4) == 0;
    if (rf64 && size == 0xffffffffu && isData) size = dataSize64;  // RF64: the real size is in ds64
    const std::uint64_t available = c.size - pos - 8;
    if (size > available) {
      // A streamed WAV (written before its length was known) says 0xffffffff: the data runs to the end.
      if (isData && size == 0xffffffffu) size = available;
      else c.overrun(id, pos, size, available, "the file");
    }
    if (std::memcmp(h.data(), "ds64", 4) == 0) {
      if (size < 24) c.fail("the ds64 chunk at byte " + std::to_string(pos) + " is " + std::to_string(size) + " bytes (at least 24)");
      const auto b = c.bytes(pos + 8, 24, "the ds64 chunk");
      dataSize64 = le64(&b[8]);
    } else if (std::memcmp(h.data(), "fmt ", 4) == 0) {
      if (size < 16) c.fail("the fmt chunk at byte " + std::to_string(pos) + " is " + std::to_string(size) + " bytes (at least 16)");
      const auto b = c.bytes(pos + 8, 16, "the fmt chunk");
      channels = u16(&b[2]);
      c.checkChannels(channels, "the fmt chunk");
      c.checkRate(u32(&b[4]), "the fmt chunk");
      blockAlign = u16(&b[12]);
      const unsigned bits = u16(&b[14]);
      if (bits > 64) c.fail("the fmt chunk says " + std::to_string(bits) + " bits per sample (at most 64)");
      haveFmt = true;
    } else if (std::memcmp(h.data(), "LIST", 4) == 0) {
      checkRiffList(c, pos, size, bigEndian);
    } else if (std::memcmp(h.data(), "cue ", 4) == 0 && size >= 4) {
      const auto b = c.bytes(pos + 8, 4, "the cue chunk");
      if (u32(b.data()) > (size - 4) / 24)
        c.fail("the cue chunk at byte " + std::to_string(pos) + " lists " + std::to_string(u32(b.data())) + " cue points in " + std::to_string(size) + " bytes");
    } else if (std::memcmp(h.data(), "smpl", 4) == 0 && size >= 36) {
      const auto b = c.bytes(pos + 8, 36, "the smpl chunk");
      if (u32(&b[28]) > (size - 36) / 24)
        c.fail("the smpl chunk at byte " + std::to_string(pos) + " lists " + std::to_string(u32(&b[28])) + " loops in " + std::to_string(size) + " bytes");
    } else if (isData) {
      if (!haveFmt) c.fail("the data chunk at byte " + std::to_string(pos) + " comes before any fmt chunk");
      if (blockAlign > 0) c.checkSamples(size / blockAlign, channels, "the data chunk");
      haveData = true;
    }
    if (size > c.size - pos - 8 - (size & 1)) break;  // the last chunk (an odd one may lack its pad byte)
    // An odd-sized chunk is followed by a pad byte; some writers leave it out (seen in the samples of a
    // Hydrogen kit: an odd data chunk, then 'smpl' one byte early). Where the padded position holds no
    // chunk id and the unpadded one does, the chunk after starts there (as libsndfile reads it).
    if ((size & 1) && !looksLikeChunkId(c, pos + 8 + size + 1) && looksLikeChunkId(c, pos + 8 + size)) --pos;
    pos += 8 + size + (size & 1);
  }
  if (!haveFmt) c.fail("no fmt chunk (the part that says how the samples are stored)");
  if (!haveData) c.fail("no data chunk (no audio in it)");
  return AudioContainer::Wav;
}

// An IEEE 754 80-bit extended float (AIFF's sample rate), big-endian.
double extended80(const unsigned char* p) {
  const int exponent = ((p[0] & 0x7f) << 8) | p[1];
  std::uint64_t mantissa = 0;
  for (int i = 0; i < 8; ++i) mantissa = (mantissa << 8) | p[2 + i];
  if (exponent == 0 && mantissa == 0) return 0.0;
  if (exponent == 0x7fff) return NAN;
  const double v = std::ldexp(static_cast<double>(mantissa), exponent - 16383 - 63);
  return (p[0] & 0x80) ? -v : v;
}

AudioContainer checkAiff(const Checker& c, const unsigned char* head) {
  if (std::memcmp(head + 8, "AIFF", 4) != 0 && std::memcmp(head + 8, "AIFC", 4) != 0)
    c.fail("an IFF file of type " + idText(head + 8) + ", not 'AIFF' or 'AIFC' audio");
  std::uint64_t pos = 12;
  bool haveComm = false, haveSound = false;
  int count = 0;
  while (pos + 8 <= c.size) {
    const auto h = c.bytes(pos, 8, "a chunk header");
    const std::string id = idText(h.data());
    const std::uint64_t size = be32(&h[4]);
    if (++count > kMaxChunks) c.fail("more than " + std::to_string(kMaxChunks) + " chunks (damaged)");
    const std::uint64_t available = c.size - pos - 8;
    if (size > available) c.overrun(id, pos, size, available, "the file");
    if (std::memcmp(h.data(), "COMM", 4) == 0) {
      if (size < 18) c.fail("the COMM chunk at byte " + std::to_string(pos) + " is " + std::to_string(size) + " bytes (at least 18)");
      const auto b = c.bytes(pos + 8, 18, "the COMM chunk");
      const std::uint64_t channels = be16(b.data());
      c.checkChannels(channels, "the COMM chunk");
      const unsigned bits = be16(&b[6]);
      if (bits < 1 || bits > 64) c.fail("the COMM chunk says " + std::to_string(bits) + " bits per sample (1 to 64)");
      c.checkRate(extended80(&b[8]), "the COMM chunk");
      c.checkSamples(be32(&b[2]), channels, "the COMM chunk");
      haveComm = true;
    } else if (std::memcmp(h.data(), "SSND", 4) == 0) {
      if (size < 8) c.fail("the SSND chunk at byte " + std::to_string(pos) + " is " + std::to_string(size) + " bytes (at least 8)");
      const auto b = c.bytes(pos + 8, 8, "the SSND chunk");
      if (be32(b.data()) > size - 8)
        c.fail("the SSND chunk at byte " + std::to_string(pos) + " says its samples start " + std::to_string(be32(b.data())) +
               " bytes in, past its end (" + std::to_string(size - 8) + ")");
      haveSound = true;
    } else if ((std::memcmp(h.data(), "MARK", 4) == 0 || std::memcmp(h.data(), "COMT", 4) == 0) && size >= 2) {
      // Both start with a count of entries of at least 8 bytes each.
      const auto b = c.bytes(pos + 8, 2, "the " + id + " chunk");
      if (be16(b.data()) > (size - 2) / 8)
        c.fail("the " + id + " chunk at byte " + std::to_string(pos) + " lists " + std::to_string(be16(b.data())) + " entries in " + std::to_string(size) + " bytes");
    }
    if (size > c.size - pos - 8 - (size & 1)) break;
    pos += 8 + size + (size & 1);
  }
  if (!haveComm) c.fail("no COMM chunk (the part that says how the samples are stored)");
  if (!haveSound) c.fail("no SSND chunk (no audio in it)");
  return AudioContainer::Aiff;
}

AudioContainer checkAu(const Checker& c, const unsigned char* head) {
  const bool little = std::memcmp(head, "dns.", 4) == 0;
  const auto b = c.bytes(0, 24, "the header");
  auto u32 = [&](const unsigned char* p) { return little ? le32(p) : be32(p); };
  const std::uint64_t offset = u32(&b[4]), dataSize = u32(&b[8]), encoding = u32(&b[12]), rate = u32(&b[16]), channels = u32(&b[20]);
  if (offset < 24 || offset > c.size)
    c.fail("the header says the samples start at byte " + std::to_string(offset) + " (24 to the file's " + std::to_string(c.size) + " bytes)");
  if (dataSize != 0xffffffffu && dataSize > c.size - offset)
    c.overrun("audio data", offset, dataSize, c.size - offset, "the file");
  c.checkChannels(channels, "the header");
  c.checkRate(static_cast<double>(rate), "the header");
  static const std::uint32_t known[] = {1, 2, 3, 4, 5, 6, 7, 23, 24, 25, 26, 27};
  bool ok = false;
  for (std::uint32_t k : known) ok = ok || encoding == k;
  if (!ok) c.fail("the header names sample encoding " + std::to_string(encoding) + ", which is not one of the AU encodings that can be read");
  const std::uint64_t bytesPerFrame = channels * (encoding == 2 ? 1 : encoding == 3 ? 2 : encoding == 4 ? 3 : encoding == 7 ? 8 : encoding >= 5 && encoding <= 6 ? 4 : 1);
  c.checkSamples((dataSize == 0xffffffffu ? c.size - offset : dataSize) / bytesPerFrame, channels, "the header");
  return AudioContainer::Au;
}

AudioContainer checkFlac(const Checker& c, std::uint64_t start) {
  std::uint64_t pos = start + 4;
  for (int count = 0;; ++count) {
    if (count > kMaxChunks) c.fail("more than " + std::to_string(kMaxChunks) + " metadata blocks (damaged)");
    const auto h = c.bytes(pos, 4, "a metadata block header");
    const bool last = h[0] & 0x80;
    const int type = h[0] & 0x7f;
    const std::uint64_t size = (static_cast<std::uint64_t>(h[1]) << 16) | (h[2] << 8) | h[3];
    if (size > c.size - pos - 4) c.overrun("metadata block (type " + std::to_string(type) + ")", pos, size, c.size - pos - 4, "the file");
    if (type == 0) {  // STREAMINFO
      if (size < 34) c.fail("the STREAMINFO block is " + std::to_string(size) + " bytes (34)");
      const auto b = c.bytes(pos + 4, 18, "the STREAMINFO block");
      const std::uint32_t rate = (static_cast<std::uint32_t>(b[10]) << 12) | (b[11] << 4) | (b[12] >> 4);
      const std::uint64_t channels = ((b[12] >> 1) & 7) + 1;
      const std::uint64_t frames = (static_cast<std::uint64_t>(b[13] & 0x0f) << 32) | be32(&b[14]);
      c.checkRate(rate, "the STREAMINFO block");
      c.checkSamples(frames, channels, "the STREAMINFO block");
    } else if (count == 0) {
      c.fail("the first metadata block is of type " + std::to_string(type) + ", not STREAMINFO");
    }
    pos += 4 + size;
    if (last) break;
  }
  return AudioContainer::Flac;
}

bool endsWithMp3(const std::string& name) {
  if (name.size() < 4) return false;
  std::string ext = name.substr(name.size() - 4);
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return ext == ".mp3" || ext == ".mp2";
}

}  // namespace

const char* containerName(AudioContainer c) {
  switch (c) {
    case AudioContainer::Wav: return "WAV";
    case AudioContainer::Aiff: return "AIFF";
    case AudioContainer::Au: return "AU";
    case AudioContainer::Flac: return "FLAC";
    case AudioContainer::Ogg: return "OGG";
    case AudioContainer::Mp3: return "MP3";
  }
  return "audio";
}

AudioContainer checkAudioHeader(const std::string& name, std::uint64_t fileSize, const ByteReader& read, std::uint64_t maxSamples) {
  unsigned char head[12] = {};
  const std::size_t got = read(0, head, sizeof head);
  if (got == 0) throw CliError(name + ": the file is empty (0 bytes): no audio in it");
  auto is = [&](const char* magic) { return got >= 4 && std::memcmp(head, magic, 4) == 0; };
  if (is("RIFF") || is("RIFX") || is("RF64") || is("BW64")) {
    if (got < 12) throw CliError(name + ": not a readable WAV file: only " + std::to_string(got) + " bytes (cut off)");
    return checkRiff({name, fileSize, read, "WAV", maxSamples}, head);
  }
  if (is("FORM")) {
    if (got < 12) throw CliError(name + ": not a readable AIFF file: only " + std::to_string(got) + " bytes (cut off)");
    return checkAiff({name, fileSize, read, "AIFF", maxSamples}, head);
  }
  if (is(".snd") || is("dns.")) return checkAu({name, fileSize, read, "AU", maxSamples}, head);
  if (is("fLaC")) return checkFlac({name, fileSize, read, "FLAC", maxSamples}, 0);
  if (is("OggS")) return AudioContainer::Ogg;
  if (got >= 3 && std::memcmp(head, "ID3", 3) == 0) {
    // An ID3v2 tag (10 bytes of header, a 28-bit size in 7-bit bytes) before FLAC or MPEG audio.
    if (got < 10) throw CliError(name + ": not a readable MP3 file: its ID3 tag is cut off");
    const std::uint64_t tag = 10 + ((head[6] & 0x7f) << 21 | (head[7] & 0x7f) << 14 | (head[8] & 0x7f) << 7 | (head[9] & 0x7f));
    unsigned char after[4] = {};
    if (tag < fileSize && read(tag, after, 4) == 4 && std::memcmp(after, "fLaC", 4) == 0)
      return checkFlac({name, fileSize, read, "FLAC", maxSamples}, tag);
    return AudioContainer::Mp3;
  }
  if (got >= 2 && head[0] == 0xff && (head[1] & 0xe0) == 0xe0 && (head[1] & 0x06) != 0) return AudioContainer::Mp3;  // MPEG frame sync
  if (endsWithMp3(name)) return AudioContainer::Mp3;
  std::string start;
  for (std::size_t i = 0; i < 4 && i < got; ++i) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%s%02x", i ? " " : "", head[i]);
    start += buf;
  }
  throw CliError(name + ": not a WAV, AIFF, AU, FLAC, OGG or MP3 file (it starts with bytes " + start + "); convert it to one of those");
}

}  // namespace mixdown::cli
