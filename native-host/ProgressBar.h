// A progress bar on stderr for work that takes more than a moment: silent for the first half second,
// then redrawn in place at most ten times a second. Only when stderr is a terminal: redrawn-in-place
// text in a log or a pipe is noise (and would break "one line per error" for scripts).
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace mixdown::cli {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label) : label_(std::move(label)), start_(Clock::now()), terminal_(isatty(STDERR_FILENO) == 1) {}
  ~ProgressBar() { finish(); }

  void update(double fraction) {
    if (!terminal_) return;
    auto now = Clock::now();
    if (now - start_ < std::chrono::milliseconds(500) && !(shown_ && fraction >= 1.0)) return;
    if (shown_ && now - last_ < std::chrono::milliseconds(100) && fraction < 1.0) return;
    last_ = now;
    shown_ = true;
    const int width = 40;
    int filled = static_cast<int>(fraction * width + 0.5);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.append(static_cast<std::size_t>(width - filled), '-');
    std::fprintf(stderr, "\r%s [%s] %3d%%", label_.c_str(), bar.c_str(), static_cast<int>(fraction * 100 + 0.5));
    std::fflush(stderr);
  }
  void finish() {
    if (shown_ && !finished_) std::fprintf(stderr, "\n");
    finished_ = true;
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::string label_;
  Clock::time_point start_, last_;
  bool terminal_;
  bool shown_ = false, finished_ = false;
};

}  // namespace mixdown::cli
