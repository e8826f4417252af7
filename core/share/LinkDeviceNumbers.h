// Permanent numbers for device types and their parameters in share link v2 (share/ProjectBinary.h): a
// link names a device by its number here and sets its parameters with a bitmap over the device's list,
// instead of spelling every id ("mixdown.compressor", "threshold", ...), which was half of a link.
//
// The lists are APPEND-ONLY: a number, once shipped, names the same stable id forever (links made today
// must open in every later build). A new device goes at the end of the device list, a new parameter at
// the end of its device's list; nothing is removed, reordered or renamed (parameter ids never are,
// core/devices/Device.h). The display order of a descriptor plays no part. A device or parameter without
// a number still travels, by its id string, so forgetting to add one costs bytes, never a song; a test
// (tests/core/ProjectBinaryTests.cpp) fails until every registered one has a number, and another until
// the numbers shipped in revision 2 are unchanged.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace mixdown {

struct LinkDeviceNumbers {
  const char* type;                 // a stable device type id
  std::vector<const char*> params;  // its parameter ids; a parameter's number is its position here
};

// Every numbered device; a device's number is its position.
const std::vector<LinkDeviceNumbers>& linkDeviceNumbers();

// The number of device `type`, or -1.
int linkDeviceNumber(const std::string& type);
// The number of parameter `paramId` of device number `device`, or -1.
int linkParamNumber(int device, const std::string& paramId);

}  // namespace mixdown
