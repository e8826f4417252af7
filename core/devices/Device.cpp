#include "devices/Device.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace mixdown {

ParamDescriptor makeParam(const char* id, const char* name, const char* unit, double min, double max, double def,
                          ParamScale scale, double smoothingMs) {
  ParamDescriptor p;
  p.id = id;
  p.name = name;
  p.unit = unit;
  p.min = min;
  p.max = max;
  p.defaultValue = def;
  p.scale = scale;
  p.smoothingMs = smoothingMs;
  return p;
}

const ParamDescriptor* DeviceDescriptor::findParam(const std::string& paramId) const {
  int i = paramIndex(paramId);
  return i < 0 ? nullptr : &params[static_cast<size_t>(i)];
}

int DeviceDescriptor::paramIndex(const std::string& paramId) const {
  for (size_t i = 0; i < params.size(); ++i)
    if (params[i].id == paramId) return static_cast<int>(i);
  return -1;
}

int DeviceDescriptor::channelsFor(const double* values) const {
  if (!outputChannels) return 1;
  return std::clamp(outputChannels(values), 1, 2);
}

int Device::outputChannels() const {
  std::vector<double> values(descriptor_.params.size());
  for (size_t i = 0; i < values.size(); ++i) values[i] = param(static_cast<int>(i));
  return descriptor_.channelsFor(values.data());
}

Device::Device(const DeviceDescriptor& descriptor)
    : descriptor_(descriptor), values_(new std::atomic<double>[descriptor.params.size()]) {
  for (size_t i = 0; i < descriptor.params.size(); ++i) values_[i].store(descriptor.params[i].defaultValue);
}

void Device::prepare(double sampleRate, int maxBlock) {
  sampleRate_ = sampleRate;
  maxBlock_ = maxBlock;
  onPrepare();
  reset();
}

void Device::reset() {
  seenChanges_ = paramChanges();
  onReset();
}

namespace {
// Whether every sample is finite: an all-ones exponent is Inf or NaN. Four samples at a time in vector
// lanes (GCC 12 does not vectorise this loop at -O2 by itself), no branch per sample: this check runs on
// every device's every output sample.
bool allFinite(const float* x, int frames) noexcept {
  typedef std::uint32_t Bits4 __attribute__((vector_size(16)));
  const Bits4 exponent = {0x7f800000u, 0x7f800000u, 0x7f800000u, 0x7f800000u};
  Bits4 bad = {0, 0, 0, 0};
  int i = 0;
  for (; i + 4 <= frames; i += 4) {
    Bits4 bits;
    std::memcpy(&bits, x + i, sizeof bits);
    bad |= (bits & exponent) == exponent;  // all ones in a lane whose sample is not finite
  }
  std::uint32_t any = bad[0] | bad[1] | bad[2] | bad[3];
  for (; i < frames; ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, x + i, sizeof bits);
    any |= (bits & 0x7f800000u) == 0x7f800000u ? 1u : 0u;
  }
  return any == 0;
}
}  // namespace

void Device::process(const ProcessContext& context) noexcept {
  seenChanges_ = paramChanges();
  onProcess(context);
  bool finite = true;
  for (int c = 0; c < context.outputChannels && finite; ++c) finite = allFinite(context.outputs[c], context.frames);
  if (!finite) {
    faults_.fetch_add(1, std::memory_order_relaxed);
    for (int c = 0; c < context.outputChannels; ++c)
      std::memset(context.outputs[c], 0, sizeof(float) * static_cast<size_t>(context.frames));
    onReset();
  }
}

void Device::setParam(int index, double value) {
  if (index < 0 || static_cast<size_t>(index) >= descriptor_.params.size()) return;
  const ParamDescriptor& p = descriptor_.params[static_cast<size_t>(index)];
  if (std::isnan(value)) value = p.defaultValue;
  value = std::clamp(value, p.min, p.max);
  if (p.scale == ParamScale::Choice || p.scale == ParamScale::Toggle) value = std::round(value);
  if (values_[static_cast<size_t>(index)].exchange(value, std::memory_order_relaxed) != value)
    paramChanges_.fetch_add(1, std::memory_order_release);
}

bool Device::setParam(const std::string& id, double value) {
  int i = descriptor_.paramIndex(id);
  if (i < 0) return false;
  setParam(i, value);
  return true;
}

}  // namespace mixdown
