// A device's settings from the model: the one place that turns a DeviceState into parameter values on a
// running device, for track inserts and instruments (RenderPlan, Engine's live edits) and the master chain.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "devices/Device.h"
#include "model/Project.h"

namespace mixdown {

// Any thread: every parameter of `device` from `state` (missing ones take their defaults).
inline void applySettings(Device& device, const DeviceState& state) {
  const auto& params = device.descriptor().params;
  for (std::size_t p = 0; p < params.size(); ++p) device.setParam(static_cast<int>(p), state.value(params[p].id, params[p].defaultValue));
}

// Any thread: whether `device` can take `state` as parameter edits: same type, and every parameter that only
// prepare() reads (a look-ahead, an oversampling factor) unchanged.
inline bool takesAsEdit(const Device& device, const DeviceState& state) {
  if (device.descriptor().id != state.type) return false;
  const auto& params = device.descriptor().params;
  for (std::size_t p = 0; p < params.size(); ++p)
    if (params[p].needsPrepare && state.value(params[p].id, params[p].defaultValue) != device.param(static_cast<int>(p))) return false;
  return true;
}

// Control thread (allocates): the channels an instrument of `state`'s type renders with `state`'s values
// (DeviceDescriptor::outputChannels); 1 when `descriptor` has no rule.
inline int outputChannelsOf(const DeviceDescriptor& descriptor, const DeviceState& state) {
  if (!descriptor.outputChannels) return 1;
  std::vector<double> values(descriptor.params.size());
  for (std::size_t p = 0; p < values.size(); ++p) {
    const ParamDescriptor& d = descriptor.params[p];
    double v = state.value(d.id, d.defaultValue);
    v = std::isnan(v) ? d.defaultValue : std::clamp(v, d.min, d.max);  // as Device::setParam takes it
    if (d.scale == ParamScale::Choice || d.scale == ParamScale::Toggle) v = std::round(v);
    values[p] = v;
  }
  return descriptor.channelsFor(values.data());
}

// Any thread: the parameters of `state` that take effect while playing; a changed prepare-time parameter is
// left as it was (the device must be replaced for it). Returns false when there was one.
inline bool applyLiveSettings(Device& device, const DeviceState& state) {
  bool live = true;
  const auto& params = device.descriptor().params;
  for (std::size_t p = 0; p < params.size(); ++p) {
    const double v = state.value(params[p].id, params[p].defaultValue);
    if (params[p].needsPrepare && v != device.param(static_cast<int>(p))) live = false;
    else device.setParam(static_cast<int>(p), v);
  }
  return live;
}

}  // namespace mixdown
