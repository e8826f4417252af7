#include "engine/MasterChain.h"

#include <algorithm>
#include <cstring>

#include "devices/Registry.h"
#include "engine/DeviceSettings.h"

namespace mixdown {

MasterChain::MasterChain(const std::vector<DeviceState>& devices) {
  for (const DeviceState& d : devices) {
    std::unique_ptr<Device> device = createDevice(d.type);
    if (!device || device->descriptor().kind != DeviceKind::Effect) continue;
    types_.push_back(d.type);
    devices_.push_back(std::move(device));
  }
  bypass_.reset(new std::atomic<bool>[devices_.size()]);
  for (std::size_t i = 0; i < devices_.size(); ++i) bypass_[i].store(false);
  apply(devices);
}

void MasterChain::prepare(double sampleRate, int maxBlock) {
  for (auto& d : devices_) d->prepare(sampleRate, maxBlock);
  scratchL_.assign(static_cast<std::size_t>(maxBlock), 0.0f);
  scratchR_.assign(static_cast<std::size_t>(maxBlock), 0.0f);
}

bool MasterChain::sameShape(const std::vector<DeviceState>& devices) const {
  std::size_t k = 0;
  for (const DeviceState& d : devices) {
    if (!findDevice(d.type)) continue;
    if (k >= types_.size() || types_[k] != d.type) return false;
    // A parameter that only prepare() reads (the limiter's look-ahead) needs a new chain to change.
    if (!takesAsEdit(*devices_[k], d)) return false;
    ++k;
  }
  return k == types_.size();
}

void MasterChain::apply(const std::vector<DeviceState>& devices) {
  std::size_t k = 0;
  for (const DeviceState& d : devices) {
    if (k >= devices_.size()) break;
    if (types_[k] != d.type) continue;
    applySettings(*devices_[k], d);
    bypass_[k].store(d.bypass, std::memory_order_relaxed);
    ++k;
  }
}

void MasterChain::process(float* left, float* right, int frames) noexcept {
  const int maxBlock = static_cast<int>(scratchL_.size());
  for (int done = 0; done < frames;) {
    const int n = std::min(frames - done, maxBlock);
    for (std::size_t i = 0; i < devices_.size(); ++i) {
      if (bypass_[i].load(std::memory_order_relaxed)) continue;
      std::memcpy(scratchL_.data(), left + done, sizeof(float) * static_cast<std::size_t>(n));
      std::memcpy(scratchR_.data(), right + done, sizeof(float) * static_cast<std::size_t>(n));
      const float* in[2] = {scratchL_.data(), scratchR_.data()};
      float* out[2] = {left + done, right + done};
      devices_[i]->process(ProcessContext::stereo(in, out, n));
    }
    done += n;
  }
}

void MasterChain::reset() noexcept {
  for (auto& d : devices_) d->reset();
}

int MasterChain::latency() const {
  int total = 0;
  for (std::size_t i = 0; i < devices_.size(); ++i)
    if (!bypass_[i].load(std::memory_order_relaxed)) total += devices_[i]->latency();
  return total;
}

}  // namespace mixdown
