// Undo and redo for the Project: every edit is a named command recorded as the document before and
// after it. Projects are plain values (decoded audio lives outside), so a snapshot is small.
#pragma once

#include <cstddef>
#include <deque>
#include <string>

#include "model/Project.h"

namespace mixdown {

class UndoHistory {
 public:
  explicit UndoHistory(std::size_t limit = 200) : limit_(limit) {}

  // Records that `before` became the current document through the edit named `label`.
  // Clears the redo list.
  void record(const std::string& label, const Project& before);
  bool canUndo() const { return !undo_.empty(); }
  bool canRedo() const { return !redo_.empty(); }
  const std::string& undoLabel() const { return undo_.back().label; }
  const std::string& redoLabel() const { return redo_.back().label; }
  // Replaces `current` with the previous (next) document; returns false if there is none.
  bool undo(Project& current);
  bool redo(Project& current);
  void clear();

 private:
  struct Entry {
    std::string label;
    Project project;
  };
  std::size_t limit_;
  std::deque<Entry> undo_, redo_;
};

}  // namespace mixdown
