// Audio files through libsndfile: read WAV, FLAC, OGG and MP3 (whatever the library supports) as
// float; write WAV 16/24-bit or 32-bit float and FLAC 16/24-bit. Integer formats are dithered (TPDF by
// default) to exact integer steps written as integers, so no library scaling touches them. Writes go to a
// temporary file that is renamed into place only when complete: a failed write never leaves a partial file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "AudioHeader.h"
#include "interchange/Kit.h"
#include "master/Dither.h"

namespace mixdown::cli {

struct DecodedAudio {
  double sampleRate = 0.0;
  std::vector<std::vector<float>> channels;  // deinterleaved
  std::size_t frames() const { return channels.empty() ? 0 : channels[0].size(); }
};

enum class SampleFormat { Pcm16, Pcm24, Float32 };
enum class Container { Wav, Flac };

struct OutputFormat {
  Container container = Container::Wav;
  SampleFormat sample = SampleFormat::Float32;
  int bits() const { return sample == SampleFormat::Pcm16 ? 16 : sample == SampleFormat::Pcm24 ? 24 : 32; }
};

// Throws CliError naming the file and the problem: its header is checked first (AudioHeader.h), MP3 is
// decoded by libmpg123, the rest by libsndfile; at most `maxSamples` samples (frames x channels) are
// decoded (kMaxDecodedSamples, 4 GiB, unless a caller such as the fuzzer asks for less).
DecodedAudio readAudioFile(const std::string& path, std::uint64_t maxSamples = kMaxDecodedSamples);

// readAudioFile of a file held in memory (an entry of a bundle), decoded where it is: libsndfile's
// virtual I/O and mpg123's reader handle, no temporary file. `name` is for messages and the extension.
DecodedAudio readAudioBytes(const std::string& bytes, const std::string& name, std::uint64_t maxSamples = kMaxDecodedSamples);

// What the file says of itself (a WAV's or AIFF's instrument chunk, through libsndfile's
// SFC_GET_INSTRUMENT): its root key and first loop (a backward loop reads as forward; a loop end past the
// last frame is cut there). Empty for other formats and for files without one; never throws (a damaged
// file is refused when it is decoded).
SampleInfo readSampleInfo(const std::string& path);

// Parses "wav16" | "wav24" | "wav32f" | "flac16" | "flac24"; throws CliError otherwise.
OutputFormat parseOutputFormat(const std::string& name);
// Parses "tpdf" | "shaped" | "none"; throws CliError otherwise.
DitherShape parseDitherShape(const std::string& name);

// Writes an audio file a block at a time into a temporary file beside the target; commit() renames it
// into place. Destroyed without commit() (an error, an exception), it removes the temporary file.
class AudioWriter {
 public:
  AudioWriter(const std::string& path, int channels, int sampleRate, OutputFormat format,
              DitherShape dither = DitherShape::Tpdf);  // throws CliError
  ~AudioWriter();
  AudioWriter(const AudioWriter&) = delete;
  AudioWriter& operator=(const AudioWriter&) = delete;
  // Appends `frames` frames from deinterleaved channel pointers. Throws CliError.
  void write(const float* const* channels, int frames);
  void commit();  // throws CliError

 private:
  std::string path_, temp_;
  int channels_;
  OutputFormat format_;
  void* file_ = nullptr;  // SNDFILE*
  std::vector<float> interleaved_;
  std::vector<int> interleavedInt_;
  std::vector<std::vector<float>> scratch_;
  Dither dither_;
};

// Writes channels (equal length) as an audio file. Throws CliError; leaves no partial file behind.
void writeAudioFile(const std::string& path, const std::vector<std::vector<float>>& channels, int sampleRate,
                    OutputFormat format, DitherShape dither = DitherShape::Tpdf);

}  // namespace mixdown::cli
