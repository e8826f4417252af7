#include "AudioFile.h"

#include <sndfile.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>

#include "CliError.h"

namespace mixdown::cli {
namespace {
struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;
}  // namespace

DecodedAudio readAudioFile(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw CliError(path + ": file not found");
  if (std::filesystem::is_directory(path, ec)) throw CliError(path + ": is a directory, not an audio file");
  SF_INFO info{};
  SndfilePtr file(sf_open(path.c_str(), SFM_READ, &info));
  if (!file) throw CliError(path + ": cannot read audio (" + sf_strerror(nullptr) + ")");
  if (info.channels < 1 || info.channels > 64) throw CliError(path + ": unsupported channel count " + std::to_string(info.channels));
  if (info.samplerate < 1000 || info.samplerate > 768000)
    throw CliError(path + ": implausible sample rate " + std::to_string(info.samplerate) + " Hz");
  DecodedAudio out;
  out.sampleRate = info.samplerate;
  out.channels.assign(static_cast<std::size_t>(info.channels), {});
  std::vector<float> chunk(static_cast<std::size_t>(4096 * info.channels));
  for (;;) {
    sf_count_t got = sf_readf_float(file.get(), chunk.data(), 4096);
    if (got <= 0) break;
    for (sf_count_t i = 0; i < got; ++i)
      for (int c = 0; c < info.channels; ++c)
        out.channels[static_cast<std::size_t>(c)].push_back(chunk[static_cast<std::size_t>(i * info.channels + c)]);
  }
  if (sf_error(file.get()) != SF_ERR_NO_ERROR)
    throw CliError(path + ": audio data is damaged (" + sf_strerror(file.get()) + ")");
  for (auto& ch : out.channels)
    for (float& s : ch)
      if (!std::isfinite(s)) s = 0.0f;  // a float file with NaN/Inf must not poison the mix
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
