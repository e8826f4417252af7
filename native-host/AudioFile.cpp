#include "AudioFile.h"

#include <sndfile.h>

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

SampleFormat parseSampleFormat(const std::string& name) {
  if (name == "wav16") return SampleFormat::Pcm16;
  if (name == "wav24") return SampleFormat::Pcm24;
  if (name == "wav32f") return SampleFormat::Float32;
  throw CliError("--format " + name + ": unknown format (use wav16, wav24 or wav32f)");
}

void writeWavFile(const std::string& path, const std::vector<std::vector<float>>& channels, int sampleRate,
                  SampleFormat format) {
  namespace fs = std::filesystem;
  SF_INFO info{};
  info.samplerate = sampleRate;
  info.channels = static_cast<int>(channels.size());
  info.format = SF_FORMAT_WAV | (format == SampleFormat::Pcm16   ? SF_FORMAT_PCM_16
                                 : format == SampleFormat::Pcm24 ? SF_FORMAT_PCM_24
                                                                 : SF_FORMAT_FLOAT);
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw CliError(path + ": cannot write (folder " + dir.string() + " does not exist)");
  std::random_device rd;
  fs::path temp = dir / (".mixdown-" + std::to_string(rd()) + ".partial.wav");
  {
    SndfilePtr file(sf_open(temp.string().c_str(), SFM_WRITE, &info));
    if (!file) throw CliError(path + ": cannot write (" + std::string(sf_strerror(nullptr)) + ")");
    // Integer formats clip instead of wrapping around on overs.
    sf_command(file.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);
    const std::size_t frames = channels.empty() ? 0 : channels[0].size();
    std::vector<float> chunk(static_cast<std::size_t>(4096 * info.channels));
    for (std::size_t at = 0; at < frames; at += 4096) {
      std::size_t n = std::min<std::size_t>(4096, frames - at);
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t c = 0; c < channels.size(); ++c) chunk[i * channels.size() + c] = channels[c][at + i];
      if (sf_writef_float(file.get(), chunk.data(), static_cast<sf_count_t>(n)) != static_cast<sf_count_t>(n)) {
        std::string why = sf_strerror(file.get());
        file.reset();
        fs::remove(temp, ec);
        throw CliError(path + ": write failed (" + why + ")");
      }
    }
  }
  fs::rename(temp, target, ec);
  if (ec) {
    fs::remove(temp, ec);
    throw CliError(path + ": cannot write (" + ec.message() + ")");
  }
}

}  // namespace mixdown::cli
