#include "engine/OfflineRender.h"

#include <algorithm>

#include "engine/Engine.h"
#include "engine/Timeline.h"

namespace mixdown {

std::int64_t defaultRenderFrames(const Project& project, double sampleRate) {
  return Timeline(project, sampleRate).frameOfBeat(project.endBeat()) +
         static_cast<std::int64_t>(kDefaultTailSeconds * sampleRate);
}

void renderOfflineTo(const Project& project, const AssetLibrary& assets, double sampleRate, std::int64_t frames,
                     int blockSize, const std::vector<int>& blockSizes, const RenderSink& sink,
                     const std::function<void(double)>& progress, StemTap* stems) {
  int maxBlock = std::max(1, blockSize);
  for (int b : blockSizes) maxBlock = std::max(maxBlock, b);
  Project linear = project;
  linear.loop.enabled = false;
  Engine engine(sampleRate, maxBlock);
  engine.setMasterLoudnessEnabled(false);  // nobody reads it here; it would cost a quarter of the time
  engine.setProject(linear, assets);
  if (stems) engine.attachStems(stems);
  engine.play();
  std::vector<float> left(static_cast<std::size_t>(maxBlock)), right(static_cast<std::size_t>(maxBlock));
  std::int64_t done = 0, nextReport = 0;
  std::size_t split = 0;
  while (done < frames) {
    int n = blockSizes.empty() ? blockSize : blockSizes[split++ % blockSizes.size()];
    n = static_cast<int>(std::min<std::int64_t>(std::max(1, n), frames - done));
    engine.process(left.data(), right.data(), n);
    sink(left.data(), right.data(), n);
    done += n;
    if (progress && done >= nextReport) {
      progress(static_cast<double>(done) / static_cast<double>(frames));
      nextReport = done + static_cast<std::int64_t>(sampleRate / 4);
    }
  }
  if (stems) engine.attachStems(nullptr);
  if (progress) progress(1.0);
}

std::vector<std::vector<float>> renderOffline(const Project& project, const AssetLibrary& assets, double sampleRate,
                                              std::int64_t frames, int blockSize, const std::vector<int>& blockSizes,
                                              const std::function<void(double)>& progress) {
  std::vector<std::vector<float>> out(2);
  out[0].reserve(static_cast<std::size_t>(std::max<std::int64_t>(0, frames)));
  out[1].reserve(out[0].capacity());
  renderOfflineTo(project, assets, sampleRate, frames, blockSize, blockSizes,
                  [&](const float* l, const float* r, int n) {
                    out[0].insert(out[0].end(), l, l + n);
                    out[1].insert(out[1].end(), r, r + n);
                  },
                  progress);
  return out;
}

}  // namespace mixdown
