#include "Archive.h"

#include <algorithm>

namespace mixdown {

std::string archivePathProblem(const std::string& path) {
  if (path.empty()) return "an entry has an empty name";
  if (path.size() > 1024) return "an entry's name is longer than 1024 characters";
  if (path.front() == '/') return "\"" + path + "\" is an absolute path";
  for (unsigned char c : path) {
    if (c < 0x20 || c == 0x7f) return "an entry's name holds a control character";
    if (c == '\\') return "\"" + path + "\" uses '\\' (zip paths use '/')";
  }
  if (path.size() >= 2 && path[1] == ':') return "\"" + path + "\" names a drive";
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    if (path.compare(start, end - start, "..") == 0 && end - start == 2) return "\"" + path + "\" points outside the archive (\"..\")";
    start = end + 1;
  }
  return "";
}

}  // namespace mixdown
