#include "interchange/Kit.h"

#include <algorithm>
#include <vector>

namespace mixdown {

std::string kitPath(const std::string& file, const std::string& relative) {
  std::string rel = relative;
  std::replace(rel.begin(), rel.end(), '\\', '/');
  std::string joined;
  if (!rel.empty() && rel[0] == '/') {
    joined = rel;
  } else {
    const auto slash = file.find_last_of('/');
    joined = (slash == std::string::npos ? std::string() : file.substr(0, slash + 1)) + rel;
  }
  // Resolve "." and ".." lexically (a ".." above the start is kept).
  const bool absolute = !joined.empty() && joined[0] == '/';
  std::vector<std::string> parts;
  std::size_t at = 0;
  while (at <= joined.size()) {
    std::size_t next = joined.find('/', at);
    if (next == std::string::npos) next = joined.size();
    const std::string part = joined.substr(at, next - at);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") parts.pop_back();
      else if (!absolute) parts.push_back(part);
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    at = next + 1;
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out;
}

}  // namespace mixdown
