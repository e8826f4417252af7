#include "devices/Registry.h"

#include "devices/MixerStrip.h"
#include "devices/Chorus.h"
#include "devices/Compressor.h"
#include "devices/Delay.h"
#include "devices/DrumMachine.h"
#include "devices/Gate.h"
#include "devices/MultibandCompressor.h"
#include "devices/ParametricEq.h"
#include "devices/PolySynth.h"
#include "devices/Reverb.h"
#include "devices/Sampler.h"
#include "devices/Saturation.h"
#include "devices/StereoImager.h"
#include "devices/Utility.h"
#include "master/TruePeakLimiter.h"

namespace mixdown {
namespace {

struct Entry {
  const DeviceDescriptor* (*descriptor)();
  std::unique_ptr<Device> (*create)();
};

template <typename T>
Entry entry() {
  return {[]() { return &T::staticDescriptor(); }, []() -> std::unique_ptr<Device> { return std::make_unique<T>(); }};
}

const std::vector<Entry>& entries() {
  static const std::vector<Entry> list = {entry<PolySynth>(),  entry<DrumMachine>(),  entry<Sampler>(),         entry<MixerStrip>(),          entry<ParametricEq>(), entry<Compressor>(),
                                           entry<Gate>(),       entry<Saturation>(),          entry<Delay>(),        entry<Reverb>(),
                                           entry<Chorus>(),     entry<Utility>(),             entry<MultibandCompressor>(),
                                           entry<StereoImager>(), entry<TruePeakLimiter>()};
  return list;
}

}  // namespace

const std::vector<const DeviceDescriptor*>& deviceDescriptors() {
  static const std::vector<const DeviceDescriptor*> list = [] {
    std::vector<const DeviceDescriptor*> out;
    for (const auto& e : entries()) out.push_back(e.descriptor());
    return out;
  }();
  return list;
}

const DeviceDescriptor* findDevice(const std::string& id) {
  for (const auto* d : deviceDescriptors())
    if (d->id == id) return d;
  return nullptr;
}

std::unique_ptr<Device> createDevice(const std::string& id) {
  for (const auto& e : entries())
    if (e.descriptor()->id == id) return e.create();
  return nullptr;
}

}  // namespace mixdown
