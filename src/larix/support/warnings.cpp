#include "larix/support/warnings.hpp"

#include <algorithm>
#include <utility>

namespace larix {
namespace {
thread_local WarningLog* current_log = nullptr;
}  // namespace

void WarningLog::add(const std::string& message) {
  std::lock_guard lock(mutex_);
  if (std::find(messages_.begin(), messages_.end(), message) == messages_.end())
    messages_.push_back(message);
}

std::vector<std::string> WarningLog::take() {
  std::lock_guard lock(mutex_);
  return std::exchange(messages_, {});
}

bool WarningLog::empty() const {
  std::lock_guard lock(mutex_);
  return messages_.empty();
}

void warn(const std::string& message) {
  if (current_log) current_log->add(message);
}

WarningScope::WarningScope(WarningLog* log) : saved_(current_log) { current_log = log; }
WarningScope::~WarningScope() { current_log = saved_; }

}  // namespace larix
