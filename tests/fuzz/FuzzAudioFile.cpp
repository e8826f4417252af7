// libFuzzer target: the audio file reader (header checks, then libsndfile or libmpg123). The input is
// written to a file, as the command line reads files; the name's extension comes from the first byte so
// the extension-based choices (an MP3 without a tag) are reached too. Refusals are CliErrors naming the
// file; what is read is finite and within the limits.
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "AudioFile.h"
#include "AudioHeader.h"
#include "CliError.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const char* kExt[] = {".wav", ".aiff", ".au", ".flac", ".ogg", ".mp3"};
  static const std::string dir = [] {
    const char* shm = "/dev/shm";
    return std::string(access(shm, W_OK) == 0 ? shm : "/tmp");
  }();
  const std::string path = dir + "/mixdown-fuzz-" + std::to_string(getpid()) + (size > 0 ? kExt[data[0] % 6] : ".wav");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    // 16 Mi samples (64 MiB): a compression bomb (FLAC's constant subframes) is refused well inside the
    // fuzzer's memory limit; the limit's own check is what is exercised.
    const mixdown::cli::DecodedAudio a = mixdown::cli::readAudioFile(path, 1u << 24);
    if (a.channels.empty() || a.channels.size() > mixdown::cli::kMaxAudioChannels) std::abort();
    for (const auto& ch : a.channels) {
      if (ch.size() != a.frames()) std::abort();
      for (float v : ch)
        if (!std::isfinite(v)) std::abort();
    }
  } catch (const mixdown::cli::CliError& e) {
    if (std::string(e.what()).rfind(path, 0) != 0) std::abort();  // names the file
  }
  std::remove(path.c_str());
  return 0;
}
