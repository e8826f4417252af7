// An error that reaches the person at the command line: one line saying what and where.
#pragma once

#include <stdexcept>
#include <string>

namespace mixdown::cli {

struct CliError : std::runtime_error {
  explicit CliError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace mixdown::cli
