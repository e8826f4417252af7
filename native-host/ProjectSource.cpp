#include "ProjectSource.h"

#include <openssl/evp.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "AudioFile.h"
#include "CliError.h"
#include "FileBytes.h"
#include "ZipArchive.h"
#include "interchange/Bundle.h"
#include "Resampler.h"
#include "ShareLinks.h"
#include "model/ProjectJson.h"
#include "share/ShareLink.h"

namespace mixdown::cli {
namespace fs = std::filesystem;

std::string inflateLimited(const std::vector<unsigned char>& data, std::size_t limit, bool raw) {
  z_stream zs{};
  if (inflateInit2(&zs, raw ? -15 : 15) != Z_OK) throw CliError("share link: cannot start decompression");
  zs.next_in = const_cast<Bytef*>(data.data());
  zs.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buf[65536];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      std::string why = zs.msg ? zs.msg : (rc == Z_BUF_ERROR ? "data is cut off" : "corrupt data");
      inflateEnd(&zs);
      throw CliError("share link: the project part is not valid compressed data (" + why + ")");
    }
    out.append(buf, sizeof(buf) - zs.avail_out);
    if (out.size() > limit) {
      inflateEnd(&zs);
      throw CliError("share link: the project is larger than " + std::to_string(limit / (1024 * 1024)) + " MB when unpacked; refused");
    }
    if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
      inflateEnd(&zs);
      throw CliError("share link: the project part is cut off (compressed data ends early)");
    }
  }
  inflateEnd(&zs);
  return out;
}

bool isBundleFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  return in.read(magic, 4) && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

namespace {
LoadedProject loadBundle(const std::string& src) {
  LoadedProject loaded;
  loaded.origin = src;
  auto archive = std::make_shared<Archive>(readZipFile(src));
  BundleRead read = readBundle(*archive, [](const ArchiveEntry& e) { return sha256OfBytes(e.bytes); });
  if (!read.ok()) throw CliError(src + ": " + read.error);
  for (const auto& w : read.warnings) std::fprintf(stderr, "mixdown: warning: %s: %s\n", src.c_str(), w.c_str());
  loaded.project = std::move(read.project);
  loaded.baseDir = fs::path(src).has_parent_path() ? fs::path(src).parent_path().string() : ".";
  loaded.bundle = std::move(archive);
  return loaded;
}
}  // namespace

LoadedProject loadProjectSource(const std::string& src) {
  LoadedProject loaded;
  std::string text;
  std::error_code ec;
  bool isFile = fs::exists(src, ec);
  if (isFile && !fs::is_directory(src, ec) && isBundleFile(src)) return loadBundle(src);
  if (!isFile && isShareLink(src)) {
    loaded.origin = "share link";
    loaded.fromLink = true;
    loaded.project = projectFromShareLink(src);  // v1 or v2 (ShareLinks.h)
    return loaded;
  } else {
    loaded.origin = src;
    if (!isFile) throw CliError(src + ": file not found");
    if (fs::is_directory(src, ec)) throw CliError(src + ": is a directory, not a project file");
    std::ifstream in(src, std::ios::binary);
    if (!in) throw CliError(src + ": cannot open for reading");
    std::ostringstream ss;
    ss << in.rdbuf();
    text = ss.str();
    loaded.baseDir = fs::path(src).has_parent_path() ? fs::path(src).parent_path().string() : ".";
  }
  ProjectLoad load = parseProject(text);
  if (!load.ok()) {
    std::string msg = loaded.origin + ": ";
    if (load.issues.size() == 1) {
      msg += load.issues[0].text();
    } else {
      msg += std::to_string(load.issues.size()) + " problems: ";
      for (std::size_t i = 0; i < load.issues.size(); ++i) msg += (i ? "; " : "") + load.issues[i].text();
    }
    throw CliError(msg);
  }
  loaded.project = std::move(load.project);
  return loaded;
}

std::string sha256OfBytes(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

std::string assetFileBytes(const LoadedProject& loaded, const Asset& a) {
  if (a.path.empty()) throw CliError(loaded.origin + ": asset \"" + a.id + "\" has no path to its audio file");
  if (loaded.bundle) {
    if (const ArchiveEntry* e = loaded.bundle->find(a.path)) return e->bytes;
  }
  const fs::path file = fs::path(loaded.baseDir) / a.path;
  try {
    return readFileBytes(file.string(), kMaxArchiveBytes);
  } catch (const CliError& e) {
    throw CliError(loaded.origin + ": asset \"" + a.id + "\": " + e.what());
  }
}

std::string sha256OfFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  char buf[65536];
  while (in) {
    in.read(buf, sizeof(buf));
    if (in.gcount() > 0) EVP_DigestUpdate(ctx, buf, static_cast<std::size_t>(in.gcount()));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

AssetLibrary loadAssets(const LoadedProject& loaded, double sampleRate, std::vector<std::string>& warnings) {
  AssetLibrary lib;
  const Project& p = loaded.project;
  for (const Asset& a : p.assets) {
    bool used = false;
    for (const Track& t : p.tracks) used = used || usesAsset(t, a.id);
    if (!used) continue;
    if (loaded.fromLink) {
      warnings.push_back("asset \"" + a.id + "\" (" + a.name + ") does not travel in a share link; what plays it is silent");
      continue;
    }
    if (a.path.empty()) throw CliError(loaded.origin + ": asset \"" + a.id + "\" has no path to its audio file");
    fs::path file = fs::path(loaded.baseDir) / a.path;
    const ArchiveEntry* entry = loaded.bundle ? loaded.bundle->find(a.path) : nullptr;
    DecodedAudio audio;
    try {
      // A bundle's audio is decoded where it is, in memory (its hash was checked when it was read).
      audio = entry ? readAudioBytes(entry->bytes, loaded.origin + ":" + a.path) : readAudioFile(file.string());
    } catch (const CliError& e) {
      throw CliError(loaded.origin + ": asset \"" + a.id + "\": " + e.what());
    }
    if (!entry && !a.sha256.empty() && sha256OfFile(file.string()) != a.sha256)
      warnings.push_back("asset \"" + a.id + "\": " + file.string() + " differs from the file that was added (sha-256 mismatch)");
    if (audio.channels.size() > 2) audio.channels.resize(2);  // first two channels; surround assets come later
    auto pcm = std::make_shared<AssetPcm>();
    pcm->id = a.id;
    pcm->sampleRate = sampleRate;
    pcm->channels = resample(audio.channels, audio.sampleRate, sampleRate);
    lib[a.id] = std::move(pcm);
  }
  return lib;
}

}  // namespace mixdown::cli
