// Audio files through libsndfile: read WAV, FLAC, OGG and MP3 (whatever the library supports) as
// float, write WAV 16/24-bit or 32-bit float. Writes go to a temporary file that is renamed into place
// only when complete, so a failed render never leaves a half-written file.
#pragma once

#include <string>
#include <vector>

namespace mixdown::cli {

struct DecodedAudio {
  double sampleRate = 0.0;
  std::vector<std::vector<float>> channels;  // deinterleaved
  std::size_t frames() const { return channels.empty() ? 0 : channels[0].size(); }
};

enum class SampleFormat { Pcm16, Pcm24, Float32 };

// Throws CliError naming the file and the problem.
DecodedAudio readAudioFile(const std::string& path);

// Parses "wav16" | "wav24" | "wav32f"; throws CliError otherwise.
SampleFormat parseSampleFormat(const std::string& name);

// Writes a WAV file a block at a time into a temporary file beside the target; commit() renames it
// into place. Destroyed without commit() (an error, an exception), it removes the temporary file.
class WavWriter {
 public:
  WavWriter(const std::string& path, int channels, int sampleRate, SampleFormat format);  // throws CliError
  ~WavWriter();
  WavWriter(const WavWriter&) = delete;
  WavWriter& operator=(const WavWriter&) = delete;
  // Appends `frames` frames from deinterleaved channel pointers. Throws CliError.
  void write(const float* const* channels, int frames);
  void commit();  // throws CliError

 private:
  std::string path_, temp_;
  int channels_;
  void* file_ = nullptr;  // SNDFILE*
  std::vector<float> interleaved_;
};

// Writes channels (equal length) as a WAV file. Throws CliError; leaves no partial file behind.
void writeWavFile(const std::string& path, const std::vector<std::vector<float>>& channels, int sampleRate,
                  SampleFormat format);

}  // namespace mixdown::cli
