// A device's settings from the model: the one place that turns a DeviceState into parameter values on a
// running device, for track inserts and instruments (RenderPlan, Engine's live edits) and the master chain.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "devices/Device.h"
#include "devices/Sampler.h"
#include "engine/AssetPcm.h"
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

// Control thread: the zones a sampler's `state` plays, each with its asset's audio from `assets` (a zone
// whose asset is missing stays silent: channels 0) and the scale from the asset's own frames (`table`
// gives its rate) to the engine's.
inline std::vector<Sampler::Zone> samplerZonesOf(const DeviceState& state, const AssetLibrary& assets, const std::vector<Asset>& table) {
  std::vector<Sampler::Zone> zones(state.zones.size());
  for (std::size_t i = 0; i < zones.size(); ++i) {
    Sampler::Zone& z = zones[i];
    z.spec = state.zones[i];
    const auto it = assets.find(z.spec.asset);
    if (it == assets.end() || !it->second || it->second->channels.empty()) continue;
    const AssetPcm& pcm = *it->second;
    z.owner = it->second;
    z.channels = std::min<int>(2, static_cast<int>(pcm.channels.size()));
    for (int c = 0; c < z.channels; ++c) z.data[c] = pcm.channels[static_cast<std::size_t>(c)].data();
    z.frames = pcm.frames();
    for (const Asset& a : table)
      if (a.id == z.spec.asset && a.sampleRate > 0) z.scale = pcm.sampleRate / a.sampleRate;
  }
  return zones;
}

// Control thread: whether `device` is a sampler (it then takes its zones from samplerZonesOf).
inline Sampler* asSampler(Device* device) {
  return device && device->descriptor().id == Sampler::staticDescriptor().id ? static_cast<Sampler*>(device) : nullptr;
}

}  // namespace mixdown
