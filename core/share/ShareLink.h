// The share-link payload: a project (assets excluded, their ids kept) as `#p=` + base64url of the
// zlib-deflated JSON. Compression itself is the host's (zlib natively, CompressionStream in the
// browser); this file holds the parts both share: finding the payload in a URL and base64url.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mixdown {

inline constexpr std::size_t kMaxShareLinkChars = 4 * 1024 * 1024;        // longer links are refused
inline constexpr std::size_t kMaxSharedProjectBytes = 16 * 1024 * 1024;   // inflated JSON limit

std::string encodeBase64Url(const std::vector<std::uint8_t>& bytes);

// Decodes base64url (padding optional). On failure returns false and says what and where in `error`.
bool decodeBase64Url(const std::string& text, std::vector<std::uint8_t>& out, std::string& error);

// True if `text` looks like a share link (has a "#p=" fragment or starts with "mixdown:").
bool isShareLink(const std::string& text);

// The base64url payload of a share link: the part after "#p=" (up to the next '&'). Returns false
// with an explanation when the link has no payload or is too long.
bool sharePayload(const std::string& url, std::string& payload, std::string& error);

}  // namespace mixdown
