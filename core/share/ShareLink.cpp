#include "share/ShareLink.h"

namespace mixdown {
namespace {
const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int valueOf(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-' || c == '+') return 62;  // accept standard base64 too
  if (c == '_' || c == '/') return 63;
  return -1;
}
}  // namespace

std::string encodeBase64Url(const std::vector<std::uint8_t>& bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    std::uint32_t v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    std::uint32_t v = bytes[i] << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (i + 2 == bytes.size()) {
    std::uint32_t v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

bool decodeBase64Url(const std::string& text, std::vector<std::uint8_t>& out, std::string& error) {
  out.clear();
  std::size_t n = text.size();
  while (n > 0 && text[n - 1] == '=') --n;
  if (n % 4 == 1) {
    error = "payload has an impossible length (" + std::to_string(text.size()) + " characters): the link is cut off";
    return false;
  }
  out.reserve(n * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  for (std::size_t i = 0; i < n; ++i) {
    int v = valueOf(text[i]);
    if (v < 0) {
      error = "payload has a character that is not base64url at position " + std::to_string(i + 1);
      return false;
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xff));
    }
  }
  return true;
}

bool isShareLink(const std::string& text) {
  return text.rfind("mixdown:", 0) == 0 || text.find(kShareKeyV1) != std::string::npos || text.find(kShareKeyV2) != std::string::npos;
}

bool sharePayload(const std::string& url, std::string& payload, std::string& error, int* version) {
  if (url.size() > kMaxShareLinkChars) {
    error = "link is too long (" + std::to_string(url.size()) + " characters; the limit is " +
            std::to_string(kMaxShareLinkChars) + ")";
    return false;
  }
  // ("#p2=" does not contain "#p=", so neither key is mistaken for the other.)
  const std::size_t at2 = url.find(kShareKeyV2), at1 = url.find(kShareKeyV1);
  std::size_t start;
  int v = 1;
  if (at2 != std::string::npos && (at1 == std::string::npos || at2 < at1)) {
    start = at2 + 4;
    v = 2;
  } else if (at1 != std::string::npos) {
    start = at1 + 3;
  } else if (url.rfind("mixdown:", 0) == 0) {
    start = 8;
  } else {
    error = "link has no project part (expected \"#p2=\" or \"#p=\" followed by the project)";
    return false;
  }
  if (version) *version = v;
  std::size_t end = url.find('&', start);
  payload = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (payload.empty()) {
    error = std::string("link's project part \"") + (v == 2 ? kShareKeyV2 : kShareKeyV1) + "\" is empty";
    return false;
  }
  return true;
}

}  // namespace mixdown
