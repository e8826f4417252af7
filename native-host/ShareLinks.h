// Share links on the command line, both versions (core/share/ShareLink.h): making one from a project
// (`mixdown link`) and opening one (every command that takes a project). Compression is zlib's: raw
// deflate for v2, zlib-wrapped deflate for v1, as the studio's CompressionStream makes them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/Project.h"

namespace mixdown::cli {

// Where `mixdown link` points its links by default: the studio as tools/studio serves it.
inline constexpr const char* kDefaultStudioUrl = "http://127.0.0.1:8080/";

// Deflates `data` at zlib's best compression: raw (no header or checksum, v2) or zlib-wrapped (v1).
std::vector<std::uint8_t> deflateBytes(const std::vector<std::uint8_t>& data, bool raw);

// `base` + "#p2=" + the v2 payload (or "#p=" + the v1 payload with version 1). Any previous fragment
// of `base` is dropped.
std::string makeShareLink(const Project& project, const std::string& base, int version = 2);

// The project of a v1 or v2 link, validated. Throws CliError starting "share link: " and naming the part
// (the base64url position, the compressed data, or the field and byte offset of the decoded payload).
Project projectFromShareLink(const std::string& link);

struct LinkOptions {
  std::string project;                 // project file (or a link, to convert it)
  std::string base = kDefaultStudioUrl;
  bool v1 = false;                     // the old JSON link, for a studio that reads v1 only
  bool stats = false;                  // also print the sizes on stderr
};
// `mixdown link SONG.json`: prints the share link on stdout (assets stay behind, as in the studio).
int runLink(const LinkOptions& o);

}  // namespace mixdown::cli
