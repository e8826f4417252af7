#include "ShareLinks.h"

#include <zlib.h>

#include <cstdio>

#include "CliError.h"
#include "ProjectSource.h"
#include "model/ProjectJson.h"
#include "share/ProjectBinary.h"
#include "share/ShareLink.h"

namespace mixdown::cli {
namespace {

std::string issuesText(const std::vector<ProjectIssue>& issues) {
  if (issues.size() == 1) return issues[0].text();
  std::string msg = std::to_string(issues.size()) + " problems: ";
  for (std::size_t i = 0; i < issues.size(); ++i) msg += (i ? "; " : "") + issues[i].text();
  return msg;
}

}  // namespace

std::vector<std::uint8_t> deflateBytes(const std::vector<std::uint8_t>& data, bool raw) {
  z_stream zs{};
  // windowBits -15: raw deflate (what CompressionStream('deflate-raw') reads); 15: the zlib wrapper.
  if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, raw ? -15 : 15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    throw CliError("share link: cannot start compression");
  std::vector<std::uint8_t> out(deflateBound(&zs, static_cast<uLong>(data.size())));
  zs.next_in = const_cast<Bytef*>(data.data());
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw CliError("share link: compression failed");
  return out;
}

std::string makeShareLink(const Project& project, const std::string& base, int version) {
  const std::string page = base.substr(0, base.find('#'));
  if (version == 1) {
    const std::string json = writeProject(project, -1);
    return page + kShareKeyV1 + encodeBase64Url(deflateBytes(std::vector<std::uint8_t>(json.begin(), json.end()), false));
  }
  return page + kShareKeyV2 + encodeBase64Url(deflateBytes(encodeProjectBinary(project), true));
}

Project projectFromShareLink(const std::string& link) {
  std::string payload, error;
  int version = 1;
  if (!sharePayload(link, payload, error, &version)) throw CliError("share link: " + error);
  std::vector<std::uint8_t> bytes;
  if (!decodeBase64Url(payload, bytes, error)) throw CliError("share link: " + error);
  const std::string inflated = inflateLimited(bytes, kMaxSharedProjectBytes, version == 2);
  ProjectLoad load = version == 2 ? decodeProjectBinary(reinterpret_cast<const std::uint8_t*>(inflated.data()), inflated.size())
                                  : parseProject(inflated);
  if (!load.ok()) throw CliError("share link: " + issuesText(load.issues));
  return std::move(load.project);
}

int runLink(const LinkOptions& o) {
  const LoadedProject loaded = loadProjectSource(o.project);
  const std::string link = makeShareLink(loaded.project, o.base, o.v1 ? 1 : 2);
  std::printf("%s\n", link.c_str());
  if (o.stats) {
    const std::size_t binary = encodeProjectBinary(loaded.project).size(), json = writeProject(loaded.project, -1).size();
    std::fprintf(stderr, "mixdown: %zu characters (v%d); the project is %zu bytes as JSON, %zu as v2 binary before deflate\n",
                 link.size(), o.v1 ? 1 : 2, json, binary);
  }
  for (const Asset& a : loaded.project.assets) {
    bool used = false;
    for (const Track& t : loaded.project.tracks) used = used || usesAsset(t, a.id);
    if (used)
      std::fprintf(stderr, "mixdown: note: asset \"%s\" (%s) does not travel in the link; what plays it is silent until its audio is added\n",
                 a.id.c_str(), a.name.c_str());
  }
  return 0;
}

}  // namespace mixdown::cli
