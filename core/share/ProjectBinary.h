// Share link v2's payload: the project as compact binary (field tags, varints, parameters only where a
// device's default does not already say it, notes delta-coded on a tick grid), which the host then deflates
// (raw deflate) and base64url-encodes behind "#p2=". Every value comes back bit for bit: decoding what
// encodeProjectBinary wrote gives a Project equal (operator==) to the one encoded. The format, tag by
// tag, is in core/share/README.md. Pure functions: no I/O, no exceptions, any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "model/Project.h"
#include "model/ProjectJson.h"

namespace mixdown {

// The payload's first byte: which revision of the binary layout follows (a link's "#p2=" says it is v2;
// this byte lets a later revision change the layout and lets a reader tell a v1 payload pasted behind
// "#p2=" from a damaged one).
inline constexpr std::uint8_t kProjectBinaryVersion = 2;

// The most model memory (bytes, estimated from the structs and strings it creates) a payload may make the
// decoder build: a payload of a few bytes must not ask for gigabytes (100,000 notes cost about 4 MB, so a
// real song stays far below). Counts are also held to the model's own limits (model/Project.h) before any
// allocation, and the inflated payload to kMaxSharedProjectBytes (share/ShareLink.h).
inline constexpr std::size_t kMaxLinkModelBytes = 64 * 1024 * 1024;

// The project as v2 payload bytes (not yet deflated). Assets travel as their table entries (id,
// description, hash), never their audio, as in v1.
std::vector<std::uint8_t> encodeProjectBinary(const Project& project);

// Decodes a v2 payload (after inflating) and validates the project as parseProject does. A damaged or
// hostile payload gives one issue naming the part (its path, e.g. "tracks[2].clips[0].notes.starts", and
// the field's tag) and the byte offset in the payload; an intact one that is not a valid song gives the
// validator's issues. Never throws; counts and lengths are checked before anything is allocated, and the
// decoder's depth is the format's (a handful of nested messages), whatever the bytes say.
ProjectLoad decodeProjectBinary(const std::uint8_t* data, std::size_t size);
inline ProjectLoad decodeProjectBinary(const std::vector<std::uint8_t>& bytes) {
  return decodeProjectBinary(bytes.data(), bytes.size());
}

}  // namespace mixdown
