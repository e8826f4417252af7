// The master chain: the project's master effects (multiband, imager, limiter...) in signal order, after
// the master gain. It lives outside the RenderPlan so that edits which rebuild the plan do not restart the
// limiter's look-ahead or the compressors' envelopes: when the chain keeps its shape (same device types in
// the same order) the engine only sets parameters on it; a new chain is built only when the shape changes.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "devices/Device.h"
#include "model/Project.h"

namespace mixdown {

class MasterChain {
 public:
  // Control thread: creates the devices (unknown types are skipped: projects are validated before).
  explicit MasterChain(const std::vector<DeviceState>& devices);
  // Control thread: allocates.
  void prepare(double sampleRate, int maxBlock);
  // Control thread: whether `devices` has the same types in the same order (then apply() is enough).
  bool sameShape(const std::vector<DeviceState>& devices) const;
  // Any thread: parameter values (missing ones go back to their defaults) and bypass switches.
  void apply(const std::vector<DeviceState>& devices);
  // Audio thread: processes the stereo master in place. Bypassed devices pass the signal untouched.
  void process(float* left, float* right, int frames) noexcept;
  // Audio thread: clears every device's state (transport jumps).
  void reset() noexcept;
  // Any thread: total latency of the devices that are not bypassed (samples).
  int latency() const;
  std::size_t size() const { return devices_.size(); }
  Device& device(std::size_t i) { return *devices_[i]; }
  bool bypassed(std::size_t i) const { return bypass_[i].load(std::memory_order_relaxed); }

 private:
  std::vector<std::string> types_;
  std::vector<std::unique_ptr<Device>> devices_;
  std::unique_ptr<std::atomic<bool>[]> bypass_;
  std::vector<float> scratchL_, scratchR_;
};

}  // namespace mixdown
