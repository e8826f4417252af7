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

// Writes channels (equal length) as a WAV file. Throws CliError; leaves no partial file behind.
void writeWavFile(const std::string& path, const std::vector<std::vector<float>>& channels, int sampleRate,
                  SampleFormat format);

}  // namespace mixdown::cli
