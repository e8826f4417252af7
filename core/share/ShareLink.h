// The share-link payload: a project (assets' audio excluded, their table entries kept), in one of two
// versions told apart by the fragment's key:
//   v1  "#p="  + base64url of the zlib-wrapped deflate of the project JSON (the studio's links until 2026-12)
//   v2  "#p2=" + base64url of the raw deflate of the binary project (share/ProjectBinary.h), a third of v1's length
// A new key rather than a version byte inside "#p=": a v1 payload starts with compressed bytes, so a byte
// there could only be told from v1 by inflating it first, and a studio that knows only v1 would call a v2
// link damaged; with its own key every link says what it is before a byte is decoded, v1 links keep their
// exact meaning, and an older studio ignores a "#p2=" link rather than misreading it.
// Compression itself is the host's (zlib natively, CompressionStream in the browser); this file holds the
// parts both share: finding the payload in a URL and base64url.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mixdown {

inline constexpr std::size_t kMaxShareLinkChars = 4 * 1024 * 1024;        // longer links are refused
inline constexpr std::size_t kMaxSharedProjectBytes = 16 * 1024 * 1024;   // inflated payload limit (v1 JSON, v2 binary)

// The fragment keys of the two versions.
inline constexpr const char* kShareKeyV1 = "#p=";
inline constexpr const char* kShareKeyV2 = "#p2=";

std::string encodeBase64Url(const std::vector<std::uint8_t>& bytes);

// Decodes base64url (padding optional). On failure returns false and says what and where in `error`.
bool decodeBase64Url(const std::string& text, std::vector<std::uint8_t>& out, std::string& error);

// True if `text` looks like a share link (has a "#p=" or "#p2=" fragment or starts with "mixdown:").
bool isShareLink(const std::string& text);

// The base64url payload of a share link: the part after "#p2=" or "#p=" (up to the next '&'), and which
// version that is (1 or 2; "mixdown:" + payload is a v1 payload). Returns false with an explanation when
// the link has no payload or is too long.
bool sharePayload(const std::string& url, std::string& payload, std::string& error, int* version = nullptr);

}  // namespace mixdown
