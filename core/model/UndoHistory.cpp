#include "model/UndoHistory.h"

#include <utility>

namespace mixdown {

void UndoHistory::record(const std::string& label, const Project& before) {
  undo_.push_back({label, before});
  if (undo_.size() > limit_) undo_.pop_front();
  redo_.clear();
}

bool UndoHistory::undo(Project& current) {
  if (undo_.empty()) return false;
  Entry e = std::move(undo_.back());
  undo_.pop_back();
  redo_.push_back({e.label, current});
  current = std::move(e.project);
  return true;
}

bool UndoHistory::redo(Project& current) {
  if (redo_.empty()) return false;
  Entry e = std::move(redo_.back());
  redo_.pop_back();
  undo_.push_back({e.label, current});
  current = std::move(e.project);
  return true;
}

void UndoHistory::clear() {
  undo_.clear();
  redo_.clear();
}

}  // namespace mixdown
