// The list of every device Mixdown knows, so the studio, the serializer and the link codec need no
// per-device code.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "devices/Device.h"

namespace mixdown {

// Every registered device descriptor, in display order.
const std::vector<const DeviceDescriptor*>& deviceDescriptors();
// nullptr if the id is unknown.
const DeviceDescriptor* findDevice(const std::string& id);
// Control thread. nullptr if the id is unknown. The device still needs prepare().
std::unique_ptr<Device> createDevice(const std::string& id);

}  // namespace mixdown
