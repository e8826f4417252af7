#include "ZipArchive.h"

#include <zip.h>

#include <cctype>
#include <memory>

#include "CliError.h"
#include "FileBytes.h"

namespace mixdown::cli {
namespace {

std::string libzipMessage(zip_error_t* error) {
  const char* text = zip_error_strerror(error);
  return text ? text : "unknown zip error";
}

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

bool storedAsIs(const std::string& path) {
  static const char* const kCompressed[] = {".flac", ".mp3", ".ogg", ".opus", ".zip", ".m4a"};
  for (const char* ext : kCompressed) {
    const std::string e = ext;
    if (path.size() >= e.size()) {
      bool same = true;
      for (std::size_t i = 0; i < e.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(path[path.size() - e.size() + i])) != e[i]) same = false;
      if (same) return true;
    }
  }
  return false;
}

}  // namespace

Archive readZipBytes(const std::string& bytes, const std::string& name) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!source) {
    const std::string why = libzipMessage(&error);
    zip_error_fini(&error);
    throw CliError(name + ": cannot be read as a zip (" + why + ")");
  }
  std::unique_ptr<zip_t, ZipCloser> zip(zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error));
  if (!zip) {
    const std::string why = libzipMessage(&error);
    zip_source_free(source);
    zip_error_fini(&error);
    throw CliError(name + ": not a readable zip file (" + why + ")");
  }
  zip_error_fini(&error);

  const zip_int64_t count = zip_get_num_entries(zip.get(), 0);
  if (count < 0) throw CliError(name + ": not a readable zip file (no central directory)");
  if (static_cast<std::uint64_t>(count) > kMaxArchiveEntries)
    throw CliError(name + ": holds " + std::to_string(count) + " entries, more than the " + std::to_string(kMaxArchiveEntries) + " read");

  Archive archive;
  std::size_t total = 0;
  std::string buffer(64 * 1024, '\0');
  for (zip_int64_t i = 0; i < count; ++i) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(zip.get(), static_cast<zip_uint64_t>(i), 0, &stat) != 0 || !(stat.valid & ZIP_STAT_NAME) || !stat.name)
      throw CliError(name + ": entry " + std::to_string(i) + " cannot be read (" + libzipMessage(zip_get_error(zip.get())) + ")");
    const std::string path = stat.name;
    if (!path.empty() && path.back() == '/') continue;  // a folder
    if (const std::string problem = archivePathProblem(path); !problem.empty())
      throw CliError(name + ": " + problem);
    std::unique_ptr<zip_file_t, ZipFileCloser> file(zip_fopen_index(zip.get(), static_cast<zip_uint64_t>(i), 0));
    if (!file) throw CliError(name + ": " + path + " cannot be opened (" + libzipMessage(zip_get_error(zip.get())) + ")");
    std::string content;
    if ((stat.valid & ZIP_STAT_SIZE) && stat.size <= kMaxArchiveBytes - total) content.reserve(static_cast<std::size_t>(stat.size));
    for (;;) {
      const zip_int64_t got = zip_fread(file.get(), buffer.data(), buffer.size());
      if (got < 0) throw CliError(name + ": " + path + " is damaged (" + libzipMessage(zip_file_get_error(file.get())) + ")");
      if (got == 0) break;
      total += static_cast<std::size_t>(got);
      if (total > kMaxArchiveBytes)
        throw CliError(name + ": inflates to more than " + std::to_string(kMaxArchiveBytes >> 20) + " MiB (at " + path + ")");
      content.append(buffer.data(), static_cast<std::size_t>(got));
    }
    if (archive.find(path)) throw CliError(name + ": holds \"" + path + "\" twice");
    archive.add(path, std::move(content));
  }
  return archive;
}

Archive readZipFile(const std::string& path) { return readZipBytes(readFileBytes(path, kMaxArchiveBytes), path); }

namespace {
void zipProgress(zip_t*, double fraction, void* user) { (*static_cast<const std::function<void(double)>*>(user))(fraction); }
}  // namespace

std::string writeZipBytes(const Archive& archive, const std::function<void(double)>& progress) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* target = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (!target) throw CliError("cannot make a zip in memory (" + libzipMessage(&error) + ")");
  zip_source_keep(target);  // zip_close would free it; its bytes are read after
  zip_t* zip = zip_open_from_source(target, ZIP_TRUNCATE, &error);
  if (!zip) {
    const std::string why = libzipMessage(&error);
    zip_source_free(target);
    throw CliError("cannot make a zip in memory (" + why + ")");
  }
  zip_error_fini(&error);
  auto fail = [&](const std::string& what) {
    const std::string why = libzipMessage(zip_get_error(zip));
    zip_discard(zip);
    zip_source_free(target);
    throw CliError(what + " (" + why + ")");
  };
  for (const auto& entry : archive.entries) {
    // The archive outlives zip_close, so the sources may point at its bytes.
    zip_source_t* data = zip_source_buffer(zip, entry.bytes.data(), entry.bytes.size(), 0);
    if (!data) fail("cannot add " + entry.path + " to a zip");
    const zip_int64_t index = zip_file_add(zip, entry.path.c_str(), data, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (index < 0) {
      zip_source_free(data);
      fail("cannot add " + entry.path + " to a zip");
    }
    if (zip_set_file_compression(zip, static_cast<zip_uint64_t>(index), storedAsIs(entry.path) ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0) != 0)
      fail("cannot set the compression of " + entry.path);
  }
  if (progress) zip_register_progress_callback_with_state(zip, 0.01, zipProgress, nullptr, const_cast<std::function<void(double)>*>(&progress));
  if (zip_close(zip) != 0) fail("cannot write a zip");

  std::string bytes;
  if (zip_source_open(target) != 0 || zip_source_seek(target, 0, SEEK_END) != 0) {
    zip_source_free(target);
    throw CliError("cannot read back a zip made in memory");
  }
  const zip_int64_t size = zip_source_tell(target);
  zip_source_seek(target, 0, SEEK_SET);
  bytes.resize(size > 0 ? static_cast<std::size_t>(size) : 0);
  const zip_int64_t got = bytes.empty() ? 0 : zip_source_read(target, bytes.data(), bytes.size());
  zip_source_close(target);
  zip_source_free(target);
  if (got != size) throw CliError("cannot read back a zip made in memory");
  return bytes;
}

void writeZipFile(const std::string& path, const Archive& archive, const std::function<void(double)>& progress) {
  writeFileBytes(path, writeZipBytes(archive, progress));
}

}  // namespace mixdown::cli
