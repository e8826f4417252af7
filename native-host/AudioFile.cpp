#include "AudioFile.h"

#include <mpg123.h>
#include <sndfile.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>

#include "AudioHeader.h"
#include "CliError.h"

namespace mixdown::cli {
namespace {
struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

struct Mpg123Closer {
  void operator()(mpg123_handle* h) const {
    mpg123_close(h);
    mpg123_delete(h);
  }
};

// Decoded samples so far against the memory limit (AudioHeader.h), for decoders whose length is not known
// before decoding (MP3, OGG) or whose header lied.
void checkGrowth(const std::string& path, std::size_t frames, std::size_t channels, std::uint64_t maxSamples) {
  if (frames * channels > maxSamples)
    throw CliError(path + ": decodes to more than " + std::to_string(maxSamples) + " samples (" + std::to_string(maxSamples * 4 >> 20) +
                   " MiB of memory); Mixdown reads at most that from one file: split it");
}

// Frames to reserve before decoding: what the header or decoder promises, but never more than the file
// has bytes (one byte per frame or more for PCM; compressed formats grow as they decode), so a forged
// length in a tiny file cannot make a huge allocation.
std::size_t reserveFrames(std::int64_t promised, std::uint64_t fileSize, std::size_t channels, std::uint64_t maxSamples) {
  if (promised <= 0) return 0;
  std::uint64_t n = std::min<std::uint64_t>(static_cast<std::uint64_t>(promised), fileSize);
  return static_cast<std::size_t>(std::min<std::uint64_t>(n, maxSamples / channels));
}

// Damaged float files hold NaN or infinity: refused, naming where (a mix cannot hold them).
void checkFinite(const std::string& path, const DecodedAudio& out) {
  std::size_t bad = 0, firstFrame = 0, firstChannel = 0;
  for (std::size_t c = 0; c < out.channels.size(); ++c)
    for (std::size_t i = 0; i < out.channels[c].size(); ++i)
      if (!std::isfinite(out.channels[c][i])) {
        if (bad == 0 || i < firstFrame) firstFrame = i, firstChannel = c;
        ++bad;
      }
  if (bad > 0)
    throw CliError(path + ": the audio data is damaged: " + std::to_string(bad) + " samples are not numbers (NaN or infinity), the first at frame " +
                   std::to_string(firstFrame) + " of channel " + std::to_string(firstChannel + 1));
}

// MP3 through libmpg123 itself rather than through libsndfile: libsndfile turns every MP3 decode
// failure into "does not exist or is not a regular file (possibly a pipe?)" and leaves mpg123's own
// messages ("Note: Trying to resync...") on stderr, since it does not set MPG123_QUIET. Here the decoder
// is quiet and its own reason (mpg123_strerror) is the message.
// Opens the decoder's input: a file by path, or bytes in memory (readAudioBytes).
using Mp3Opener = std::function<int(mpg123_handle*)>;
using SndfileOpener = std::function<SNDFILE*(SF_INFO*)>;

DecodedAudio readMp3(const std::string& path, std::uint64_t fileSize, std::uint64_t maxSamples, const Mp3Opener& open) {
  auto fail = [&](const std::string& why) { return CliError(path + ": not a readable MP3 file: " + why); };
  int err = MPG123_OK;
  std::unique_ptr<mpg123_handle, Mpg123Closer> h(mpg123_new(nullptr, &err));
  if (!h) throw fail(std::string("cannot start the decoder (") + mpg123_plain_strerror(err) + ")");
  mpg123_param(h.get(), MPG123_ADD_FLAGS, MPG123_QUIET | MPG123_FORCE_FLOAT | MPG123_GAPLESS, 0.0);
  mpg123_param(h.get(), MPG123_REMOVE_FLAGS, MPG123_AUTO_RESAMPLE, 0.0);
  // Damage in the middle of a stream is skipped however long it is (the default gives up after 1024
  // bytes); the search is linear in the file.
  mpg123_param(h.get(), MPG123_RESYNC_LIMIT, -1, 0.0);
  mpg123_format_none(h.get());
  for (long rate : {8000L, 11025L, 12000L, 16000L, 22050L, 24000L, 32000L, 44100L, 48000L})
    mpg123_format(h.get(), rate, MPG123_MONO | MPG123_STEREO, MPG123_ENC_FLOAT_32);
  if (open(h.get()) != MPG123_OK) throw fail(mpg123_strerror(h.get()));
  long rate = 0;
  int channels = 0, encoding = 0;
  if (mpg123_getformat(h.get(), &rate, &channels, &encoding) != MPG123_OK)
    throw fail(std::string(mpg123_strerror(h.get())) + " (no MPEG audio frame found)");
  if (channels < 1 || channels > 2 || encoding != MPG123_ENC_FLOAT_32) throw fail("unexpected stream format");
  DecodedAudio out;
  out.sampleRate = static_cast<double>(rate);
  out.channels.assign(static_cast<std::size_t>(channels), {});
  const off_t length = mpg123_length(h.get());  // frames, an estimate (or negative when unknown)
  for (auto& ch : out.channels) ch.reserve(reserveFrames(length, fileSize, out.channels.size(), maxSamples));
  std::vector<float> buf(static_cast<std::size_t>(8192 * channels));
  for (;;) {
    std::size_t done = 0;
    const int rc = mpg123_read(h.get(), reinterpret_cast<unsigned char*>(buf.data()), buf.size() * sizeof(float), &done);
    const std::size_t frames = done / sizeof(float) / static_cast<std::size_t>(channels);
    for (std::size_t i = 0; i < frames; ++i)
      for (int c = 0; c < channels; ++c) out.channels[static_cast<std::size_t>(c)].push_back(buf[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)]);
    checkGrowth(path, out.frames(), out.channels.size(), maxSamples);
    if (rc == MPG123_DONE) break;
    if (rc == MPG123_NEW_FORMAT) {
      long r2 = 0;
      int c2 = 0, e2 = 0;
      mpg123_getformat(h.get(), &r2, &c2, &e2);
      if (r2 != rate || c2 != channels) throw fail("the stream changes its sample rate or channels part way through");
      continue;
    }
    if (rc != MPG123_OK) {
      char at[64];
      std::snprintf(at, sizeof at, " (after %.2f s of audio)", static_cast<double>(out.frames()) / out.sampleRate);
      throw fail(mpg123_strerror(h.get()) + std::string(out.frames() > 0 ? at : ""));
    }
  }
  if (out.frames() == 0) throw fail("no audio frames could be decoded");
  return out;
}

DecodedAudio readWithSndfile(const std::string& path, AudioContainer container, std::uint64_t fileSize, std::uint64_t maxSamples,
                             const SndfileOpener& open) {
  const std::string kind = containerName(container);
  SF_INFO info{};
  SndfilePtr file(open(&info));
  if (!file) throw CliError(path + ": not a readable " + kind + " file: " + sf_strerror(nullptr));
  if (info.channels < 1 || info.channels > kMaxAudioChannels)
    throw CliError(path + ": not a readable " + kind + " file: " + std::to_string(info.channels) + " channels (1 to " + std::to_string(kMaxAudioChannels) + " can be read)");
  if (info.samplerate < kMinAudioRate || info.samplerate > kMaxAudioRate)
    throw CliError(path + ": not a readable " + kind + " file: implausible sample rate " + std::to_string(info.samplerate) + " Hz");
  const auto channels = static_cast<std::size_t>(info.channels);
  if (info.frames > 0 && static_cast<std::uint64_t>(info.frames) > maxSamples / channels)
    checkGrowth(path, static_cast<std::size_t>(maxSamples / channels + 1), channels, maxSamples);
  DecodedAudio out;
  out.sampleRate = info.samplerate;
  out.channels.assign(channels, {});
  for (auto& ch : out.channels) ch.reserve(reserveFrames(info.frames, fileSize, channels, maxSamples));
  std::vector<float> chunk(4096 * channels);
  for (;;) {
    sf_count_t got = sf_readf_float(file.get(), chunk.data(), 4096);
    if (got <= 0) break;
    for (sf_count_t i = 0; i < got; ++i)
      for (std::size_t c = 0; c < channels; ++c) out.channels[c].push_back(chunk[static_cast<std::size_t>(i) * channels + c]);
    checkGrowth(path, out.frames(), channels, maxSamples);
  }
  if (sf_error(file.get()) != SF_ERR_NO_ERROR)
    throw CliError(path + ": the audio data is damaged (" + sf_strerror(file.get()) + ")");
  return out;
}
// The container of the file at `path`, its header checked (AudioHeader.h) before any decoder sees it;
// `size` gets its length in bytes. Throws CliError.
AudioContainer checkedContainer(const std::string& path, std::uint64_t maxSamples, std::uintmax_t& size) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw CliError(path + ": file not found");
  if (std::filesystem::is_directory(path, ec)) throw CliError(path + ": is a directory, not an audio file");
  size = std::filesystem::file_size(path, ec);
  if (ec) throw CliError(path + ": cannot read (" + ec.message() + ")");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CliError(path + ": cannot open for reading");
  const AudioContainer container = checkAudioHeader(path, size, [&](std::uint64_t offset, unsigned char* out, std::size_t n) -> std::size_t {
    in.clear();
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(reinterpret_cast<char*>(out), static_cast<std::streamsize>(n));
    return static_cast<std::size_t>(in.gcount());
  }, maxSamples);
  return container;
}

}  // namespace

DecodedAudio readAudioFile(const std::string& path, std::uint64_t maxSamples) {
  std::uintmax_t size = 0;
  const AudioContainer container = checkedContainer(path, maxSamples, size);
  DecodedAudio out = container == AudioContainer::Mp3
                         ? readMp3(path, size, maxSamples, [&](mpg123_handle* h) { return mpg123_open(h, path.c_str()); })
                         : readWithSndfile(path, container, size, maxSamples, [&](SF_INFO* info) { return sf_open(path.c_str(), SFM_READ, info); });
  checkFinite(path, out);
  return out;
}

namespace {
// Bytes in memory as a file for libsndfile's virtual I/O and mpg123's reader handle: no temporary file.
struct MemoryFile {
  const std::string* bytes = nullptr;
  std::int64_t pos = 0;
  std::int64_t size() const { return static_cast<std::int64_t>(bytes->size()); }
  std::int64_t seek(std::int64_t offset, int whence) {
    const std::int64_t to = whence == SEEK_SET ? offset : whence == SEEK_CUR ? pos + offset : size() + offset;
    if (to < 0) return -1;
    pos = std::min(to, size());
    return pos;
  }
  std::int64_t read(void* out, std::int64_t n) {
    const std::int64_t k = std::max<std::int64_t>(0, std::min(n, size() - pos));
    if (k > 0) std::memcpy(out, bytes->data() + pos, static_cast<std::size_t>(k));
    pos += k;
    return k;
  }
};

sf_count_t vioLength(void* user) { return static_cast<MemoryFile*>(user)->size(); }
sf_count_t vioSeek(sf_count_t offset, int whence, void* user) { return static_cast<MemoryFile*>(user)->seek(offset, whence); }
sf_count_t vioRead(void* out, sf_count_t n, void* user) { return static_cast<MemoryFile*>(user)->read(out, n); }
sf_count_t vioWrite(const void*, sf_count_t, void*) { return 0; }
sf_count_t vioTell(void* user) { return static_cast<MemoryFile*>(user)->pos; }

mpg123_ssize_t mpgRead(void* user, void* out, size_t n) { return static_cast<mpg123_ssize_t>(static_cast<MemoryFile*>(user)->read(out, static_cast<std::int64_t>(n))); }
off_t mpgSeek(void* user, off_t offset, int whence) { return static_cast<off_t>(static_cast<MemoryFile*>(user)->seek(offset, whence)); }
}  // namespace

DecodedAudio readAudioBytes(const std::string& bytes, const std::string& name, std::uint64_t maxSamples) {
  MemoryFile memory{&bytes, 0};
  const AudioContainer container = checkAudioHeader(name, bytes.size(), [&](std::uint64_t offset, unsigned char* out, std::size_t n) -> std::size_t {
    if (offset >= bytes.size()) return 0;
    const std::size_t k = std::min<std::size_t>(n, bytes.size() - static_cast<std::size_t>(offset));
    std::memcpy(out, bytes.data() + offset, k);
    return k;
  }, maxSamples);
  DecodedAudio out;
  if (container == AudioContainer::Mp3) {
    out = readMp3(name, bytes.size(), maxSamples, [&](mpg123_handle* h) {
      if (mpg123_replace_reader_handle(h, mpgRead, mpgSeek, nullptr) != MPG123_OK) return static_cast<int>(MPG123_ERR);
      return mpg123_open_handle(h, &memory);
    });
  } else {
    SF_VIRTUAL_IO io{vioLength, vioSeek, vioRead, vioWrite, vioTell};
    out = readWithSndfile(name, container, bytes.size(), maxSamples, [&](SF_INFO* info) { return sf_open_virtual(&io, SFM_READ, info, &memory); });
  }
  checkFinite(name, out);
  return out;
}

SampleInfo readSampleInfo(const std::string& path) {
  SampleInfo out;
  std::uintmax_t size = 0;
  try {
    const AudioContainer container = checkedContainer(path, kMaxDecodedSamples, size);
    if (container != AudioContainer::Wav && container != AudioContainer::Aiff) return out;
  } catch (const CliError&) {
    return out;  // decoding it later says what is wrong
  }
  SF_INFO info{};
  SndfilePtr file(sf_open(path.c_str(), SFM_READ, &info));
  SF_INSTRUMENT inst{};
  if (!file || sf_command(file.get(), SFC_GET_INSTRUMENT, &inst, sizeof inst) != SF_TRUE) return out;
  // libsndfile keeps the smpl chunk's MIDI unity note in a `char` (signed here, so a note above 127 reads
  // negative); as an int, the range check means the same on every platform.
  const int basenote = inst.basenote;
  if (basenote >= 0 && basenote <= 127) out.rootKey = basenote;
  if (inst.loop_count > 0 && (inst.loops[0].mode == SF_LOOP_FORWARD || inst.loops[0].mode == SF_LOOP_ALTERNATING || inst.loops[0].mode == SF_LOOP_BACKWARD)) {
    out.loopStart = inst.loops[0].start;
    out.loopEnd = std::min<std::int64_t>(inst.loops[0].end, info.frames);  // libsndfile's end is exclusive; some writers overshoot by one
    if (out.loopEnd > out.loopStart + 1) out.loop = inst.loops[0].mode == SF_LOOP_ALTERNATING ? ZoneLoop::PingPong : ZoneLoop::Forward;
  }
  return out;
}

OutputFormat parseOutputFormat(const std::string& name) {
  if (name == "wav16") return {Container::Wav, SampleFormat::Pcm16};
  if (name == "wav24") return {Container::Wav, SampleFormat::Pcm24};
  if (name == "wav32f") return {Container::Wav, SampleFormat::Float32};
  if (name == "flac16") return {Container::Flac, SampleFormat::Pcm16};
  if (name == "flac24") return {Container::Flac, SampleFormat::Pcm24};
  throw CliError("--format " + name + ": unknown format (use wav16, wav24, wav32f, flac16 or flac24)");
}

DitherShape parseDitherShape(const std::string& name) {
  if (name == "tpdf") return DitherShape::Tpdf;
  if (name == "shaped") return DitherShape::NoiseShaped;
  if (name == "none") return DitherShape::None;
  throw CliError("--dither " + name + ": unknown dither (use tpdf, shaped or none)");
}

AudioWriter::AudioWriter(const std::string& path, int channels, int sampleRate, OutputFormat format, DitherShape dither)
    : path_(path), channels_(channels), format_(format) {
  namespace fs = std::filesystem;
  SF_INFO info{};
  info.samplerate = sampleRate;
  info.channels = channels;
  info.format = (format.container == Container::Flac ? SF_FORMAT_FLAC : SF_FORMAT_WAV) |
                (format.sample == SampleFormat::Pcm16   ? SF_FORMAT_PCM_16
                 : format.sample == SampleFormat::Pcm24 ? SF_FORMAT_PCM_24
                                                        : SF_FORMAT_FLOAT);
  if (!sf_format_check(&info))
    throw CliError(path + ": this format cannot hold " + std::to_string(channels) + " channels at " + std::to_string(sampleRate) + " Hz");
  if (format.sample != SampleFormat::Float32) {
    dither_.prepare(channels, format.bits(), dither);
    scratch_.assign(static_cast<std::size_t>(channels), {});
  }
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw CliError(path + ": cannot write (folder " + dir.string() + " does not exist)");
  std::random_device rd;
  temp_ = (dir / (".mixdown-" + std::to_string(rd()) + ".partial")).string();
  SNDFILE* f = sf_open(temp_.c_str(), SFM_WRITE, &info);
  if (!f) throw CliError(path + ": cannot write (" + std::string(sf_strerror(nullptr)) + ")");
  // Integer formats clip instead of wrapping around on overs.
  sf_command(f, SFC_SET_CLIPPING, nullptr, SF_TRUE);
  file_ = f;
}

AudioWriter::~AudioWriter() {
  if (file_) {
    sf_close(static_cast<SNDFILE*>(file_));
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
  }
}

void AudioWriter::write(const float* const* channels, int frames) {
  const auto total = static_cast<std::size_t>(frames * channels_);
  if (format_.sample == SampleFormat::Float32) {
    interleaved_.resize(total);
    for (int i = 0; i < frames; ++i)
      for (int c = 0; c < channels_; ++c) interleaved_[static_cast<std::size_t>(i * channels_ + c)] = channels[c][i];
    if (sf_writef_float(static_cast<SNDFILE*>(file_), interleaved_.data(), frames) != frames)
      throw CliError(path_ + ": write failed (" + sf_strerror(static_cast<SNDFILE*>(file_)) + ")");
    return;
  }
  // Dither to integer steps, then hand libsndfile left-justified 32-bit integers (exact for 16 and 24 bit).
  std::vector<float*> ptr(static_cast<std::size_t>(channels_));
  for (int c = 0; c < channels_; ++c) {
    auto& buf = scratch_[static_cast<std::size_t>(c)];
    buf.assign(channels[c], channels[c] + frames);
    for (float& v : buf)
      if (!std::isfinite(v)) v = 0.0f;
    ptr[static_cast<std::size_t>(c)] = buf.data();
  }
  dither_.process(ptr.data(), frames);
  const int shift = 32 - format_.bits();
  interleavedInt_.resize(total);
  for (int i = 0; i < frames; ++i)
    for (int c = 0; c < channels_; ++c)
      interleavedInt_[static_cast<std::size_t>(i * channels_ + c)] =
          static_cast<int>(static_cast<unsigned>(dither_.toInteger(ptr[static_cast<std::size_t>(c)][i])) << shift);
  if (sf_writef_int(static_cast<SNDFILE*>(file_), interleavedInt_.data(), frames) != frames)
    throw CliError(path_ + ": write failed (" + sf_strerror(static_cast<SNDFILE*>(file_)) + ")");
}

void AudioWriter::commit() {
  int rc = sf_close(static_cast<SNDFILE*>(file_));
  file_ = nullptr;
  std::error_code ec;
  if (rc != 0) {
    std::filesystem::remove(temp_, ec);
    throw CliError(path_ + ": write failed while finishing the file");
  }
  std::filesystem::rename(temp_, path_, ec);
  if (ec) {
    std::filesystem::remove(temp_, ec);
    throw CliError(path_ + ": cannot write (" + ec.message() + ")");
  }
}

void writeAudioFile(const std::string& path, const std::vector<std::vector<float>>& channels, int sampleRate,
                    OutputFormat format, DitherShape dither) {
  AudioWriter writer(path, static_cast<int>(channels.size()), sampleRate, format, dither);
  const std::size_t frames = channels.empty() ? 0 : channels[0].size();
  std::vector<const float*> ptrs(channels.size());
  for (std::size_t at = 0; at < frames; at += 4096) {
    int n = static_cast<int>(std::min<std::size_t>(4096, frames - at));
    for (std::size_t c = 0; c < channels.size(); ++c) ptrs[c] = channels[c].data() + at;
    writer.write(ptrs.data(), n);
  }
  writer.commit();
}

}  // namespace mixdown::cli
