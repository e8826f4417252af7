// Zip containers through libzip (native-host/ZipArchive.h): what is written reads back byte for byte,
// already-compressed audio is stored and the rest deflated, and damaged or hostile zips are refused with
// the file and the entry named.
#include <boost/test/unit_test.hpp>

#include <string>

#include "CliError.h"
#include "ZipArchive.h"

using namespace mixdown;

namespace {

std::string refusal(const std::string& bytes) {
  try {
    cli::readZipBytes(bytes, "song.zip");
  } catch (const cli::CliError& e) {
    return e.what();
  }
  return "";
}

// A zip of one stored entry named `name` holding `content`, written byte by byte (local header, central
// directory, end record), so a test can give it a name libzip's writer would not.
std::string handMadeZip(const std::string& name, const std::string& content) {
  std::string z;
  auto u16 = [&](unsigned v) { z += char(v & 0xff); z += char((v >> 8) & 0xff); };
  auto u32 = [&](unsigned long v) { u16(v & 0xffff); u16((v >> 16) & 0xffff); };
  unsigned long crc = 0xffffffffUL;
  for (unsigned char c : content) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320UL & (0UL - (crc & 1)));
  }
  crc ^= 0xffffffffUL;
  u32(0x04034b50); u16(20); u16(0); u16(0); u16(0); u16(0); u32(crc); u32(content.size()); u32(content.size());
  u16(name.size()); u16(0); z += name; z += content;
  const std::size_t central = z.size();
  u32(0x02014b50); u16(20); u16(20); u16(0); u16(0); u16(0); u16(0); u32(crc); u32(content.size()); u32(content.size());
  u16(name.size()); u16(0); u16(0); u16(0); u16(0); u32(0); u32(0); z += name;
  const std::size_t centralSize = z.size() - central;
  u32(0x06054b50); u16(0); u16(0); u16(1); u16(1); u32(centralSize); u32(central); u16(0);
  return z;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(Zip)

BOOST_AUTO_TEST_CASE(what_is_written_reads_back_byte_for_byte) {
  Archive a;
  a.add("project.json", std::string(5000, '{') + "\"x\":1}");
  std::string binary;
  for (int i = 0; i < 70000; ++i) binary += char((i * 7919) & 0xff);
  a.add("audio/0123abcd.wav", binary);
  a.add("audio/loop.flac", "fLaC not really");
  a.add("empty.txt", "");
  const std::string bytes = cli::writeZipBytes(a);
  const Archive b = cli::readZipBytes(bytes, "song.zip");
  BOOST_REQUIRE_EQUAL(b.entries.size(), a.entries.size());
  for (std::size_t i = 0; i < a.entries.size(); ++i) {
    BOOST_TEST(b.entries[i].path == a.entries[i].path);
    BOOST_TEST(b.entries[i].bytes == a.entries[i].bytes);
  }
  // 5000 braces deflate to a few bytes: the JSON was compressed; the whole zip is smaller than its parts.
  BOOST_TEST(bytes.size() < 5000 + binary.size());
}

BOOST_AUTO_TEST_CASE(a_file_that_is_not_a_zip_is_refused_with_its_name) {
  const std::string why = refusal("this is plainly not a zip file, just text");
  BOOST_TEST(why.find("song.zip: not a readable zip file") == 0, why);
}

BOOST_AUTO_TEST_CASE(a_truncated_zip_is_refused) {
  Archive a;
  a.add("project.json", std::string(3000, 'a'));
  const std::string bytes = cli::writeZipBytes(a);
  const std::string why = refusal(bytes.substr(0, bytes.size() / 2));
  BOOST_TEST(why.find("song.zip: ") == 0, why);
}

BOOST_AUTO_TEST_CASE(a_damaged_entry_is_named) {
  std::string zip = handMadeZip("project.json", "{\"tracks\":[]}");
  zip[30 + 12 + 3] ^= 0x20;  // a byte of the content: its CRC no longer matches
  const std::string why = refusal(zip);
  BOOST_TEST(why.find("song.zip: project.json is damaged") == 0, why);
}

BOOST_AUTO_TEST_CASE(entries_that_point_outside_the_archive_are_refused) {
  BOOST_TEST(refusal(handMadeZip("../evil.sh", "x")).find("song.zip: \"../evil.sh\" points outside the archive") == 0);
  BOOST_TEST(refusal(handMadeZip("/etc/passwd", "x")).find("is an absolute path") != std::string::npos);
  BOOST_TEST(refusal(handMadeZip("audio\\a.wav", "x")).find("uses '\\'") != std::string::npos);
  BOOST_TEST(refusal(handMadeZip("a/../../b", "x")).find("points outside") != std::string::npos);
  BOOST_TEST(refusal(handMadeZip("ok/..x/fine.txt", "x")).empty());
}

BOOST_AUTO_TEST_SUITE_END()
