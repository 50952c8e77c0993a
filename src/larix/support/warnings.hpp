// NumPy's RuntimeWarnings ("divide by zero encountered in floor_divide"): a kernel that computes
// NumPy's result where NumPy warns reports it with warn(); the call running the kernel collects the
// messages in its WarningLog (runtime/context.hpp), and the Python bindings hand them to Python's
// `warnings` module after the call. The log a kernel reports to is the one run_kernel installs on
// its thread (WarningScope): warn() must be called on the kernel's own thread, not from inside
// the parallel chunks of its loops.
#pragma once

#include <mutex>
#include <string>
#include <vector>

namespace larix {

class WarningLog {
 public:
  void add(const std::string& message);  // each distinct message once, in order of arrival
  std::vector<std::string> take();
  bool empty() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> messages_;
};

// Reports a RuntimeWarning to the log of the kernel running on this thread (none: ignored).
void warn(const std::string& message);

// Installs `log` as this thread's log for a scope; the previous one comes back when it ends.
class WarningScope {
 public:
  explicit WarningScope(WarningLog* log);
  ~WarningScope();
  WarningScope(const WarningScope&) = delete;
  WarningScope& operator=(const WarningScope&) = delete;

 private:
  WarningLog* saved_;
};

}  // namespace larix
