#include "engine/OfflineRender.h"

#include <algorithm>

#include "engine/Engine.h"
#include "engine/Timeline.h"

namespace mixdown {

std::int64_t defaultRenderFrames(const Project& project, double sampleRate) {
  return frameOfBeat(project.endBeat(), project.tempo, sampleRate) +
         static_cast<std::int64_t>(kDefaultTailSeconds * sampleRate);
}

std::vector<std::vector<float>> renderOffline(const Project& project, const AssetLibrary& assets, double sampleRate,
                                              std::int64_t frames, int blockSize, const std::vector<int>& blockSizes,
                                              const std::function<void(double)>& progress) {
  int maxBlock = blockSize;
  for (int b : blockSizes) maxBlock = std::max(maxBlock, b);
  Project linear = project;
  linear.loop.enabled = false;
  Engine engine(sampleRate, std::max(1, maxBlock));
  engine.setProject(linear, assets);
  engine.play();
  std::vector<std::vector<float>> out(2, std::vector<float>(static_cast<std::size_t>(std::max<std::int64_t>(0, frames))));
  std::int64_t done = 0;
  std::size_t split = 0;
  std::int64_t nextReport = 0;
  while (done < frames) {
    int n = blockSizes.empty() ? blockSize : blockSizes[split++ % blockSizes.size()];
    n = static_cast<int>(std::min<std::int64_t>(std::max(1, n), frames - done));
    engine.process(out[0].data() + done, out[1].data() + done, n);
    done += n;
    if (progress && done >= nextReport) {
      progress(static_cast<double>(done) / static_cast<double>(frames));
      nextReport = done + static_cast<std::int64_t>(sampleRate / 4);
    }
  }
  if (progress) progress(1.0);
  return out;
}

}  // namespace mixdown
