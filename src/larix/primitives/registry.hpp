// The primitive registry: every primitive Larix knows, by PhySL name and by alias.
// Adding a primitive touches three places: its own .cpp (which defines register_<file>(Registry&)),
// one sorted line in registrations.inc, and one row in the NumPy-reference test table.
#pragma once

#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "larix/runtime/primitive.hpp"

namespace larix {

class Registry {
 public:
  // The registry with every primitive of registrations.inc (built on first use).
  static const Registry& instance();

  const PrimitiveInfo* find(std::string_view name) const;
  const std::vector<std::unique_ptr<PrimitiveInfo>>& all() const { return primitives_; }

  // Adds a primitive; a name or alias that is already taken is an internal error.
  PrimitiveInfo& add(PrimitiveInfo info);

 private:
  std::vector<std::unique_ptr<PrimitiveInfo>> primitives_;
  std::unordered_map<std::string, const PrimitiveInfo*> by_name_;
};

// Small helpers that keep primitive definitions short.
inline Param arg(std::string name) { return Param{std::move(name), std::nullopt}; }
inline Param arg(std::string name, Value default_value) {
  return Param{std::move(name), std::move(default_value)};
}

}  // namespace larix
