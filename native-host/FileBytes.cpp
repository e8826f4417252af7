#include "FileBytes.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "CliError.h"

namespace mixdown::cli {
namespace fs = std::filesystem;

std::string readFileBytes(const std::string& path, std::uintmax_t maxBytes) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw CliError(path + ": file not found");
  if (fs::is_directory(path, ec)) throw CliError(path + ": is a directory, not a file");
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) throw CliError(path + ": cannot read (" + ec.message() + ")");
  if (size > maxBytes)
    throw CliError(path + ": " + std::to_string(size) + " bytes is larger than the " + std::to_string(maxBytes) + " bytes this command reads");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw CliError(path + ": cannot open for reading");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void writeFileBytes(const std::string& path, const std::string& bytes) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary);
    out << bytes;
    if (!out) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw CliError(path + ": cannot be written");
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw CliError(path + ": cannot be written");
  }
}

}  // namespace mixdown::cli
