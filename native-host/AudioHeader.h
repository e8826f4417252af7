// The first look at an audio file, before any decoder library sees it: which container it is, and
// whether its header can be believed. libsndfile trusts chunk sizes and header fields (a 177-byte WAV
// whose LIST chunk is full of 0xff sizes keeps its sf_open busy for minutes; a damaged AU header
// overflows its arithmetic), so every chunk and sub-chunk size of RIFF/RF64 (WAV), AIFF/AIFC and AU is
// checked against the bytes that are really there, and the header fields (channels, sample rate, bits,
// the frames they promise) against what Mixdown decodes, before the library is called.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace mixdown::cli {

enum class AudioContainer { Wav, Aiff, Au, Flac, Ogg, Mp3 };

const char* containerName(AudioContainer c);  // "WAV", "AIFF", ...

// Decoded audio is held as 32-bit floats: at most this many samples (frames x channels) are decoded from
// one file, 4 GiB of memory (3.1 hours of stereo at 48 kHz). A header promising more is refused.
inline constexpr std::uint64_t kMaxDecodedSamples = 1ull << 30;
inline constexpr int kMaxAudioChannels = 64;
inline constexpr int kMinAudioRate = 1000, kMaxAudioRate = 768000;  // Hz

// Reads `n` bytes at `offset` into `out`; returns how many it read (fewer at the end of the file).
using ByteReader = std::function<std::size_t(std::uint64_t offset, unsigned char* out, std::size_t n)>;

// Identifies the container and checks its header. `fileSize` is the file's length in bytes and `name`
// its path (for the extension: an MP3 without an ID3 tag may start with anything). Throws CliError
// "<name>: ..." naming the chunk (and its byte offset) or the field that is wrong and what it holds.
// `maxSamples` is the decode limit (kMaxDecodedSamples unless a caller, such as the fuzzer, wants less).
AudioContainer checkAudioHeader(const std::string& name, std::uint64_t fileSize, const ByteReader& read,
                                std::uint64_t maxSamples = kMaxDecodedSamples);

}  // namespace mixdown::cli
