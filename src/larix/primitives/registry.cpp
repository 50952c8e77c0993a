#include "larix/primitives/registry.hpp"

namespace larix {

#define LARIX_REGISTER(file) void register_##file(Registry&);
#include "larix/primitives/registrations.inc"
#undef LARIX_REGISTER

const Registry& Registry::instance() {
  static const Registry registry = [] {
    Registry r;
#define LARIX_REGISTER(file) register_##file(r);
#include "larix/primitives/registrations.inc"
#undef LARIX_REGISTER
    return r;
  }();
  return registry;
}

const PrimitiveInfo* Registry::find(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? nullptr : it->second;
}

PrimitiveInfo& Registry::add(PrimitiveInfo info) {
  auto owned = std::make_unique<PrimitiveInfo>(std::move(info));
  PrimitiveInfo* p = owned.get();
  LARIX_ASSERT(p->kind == PrimitiveKind::control ? bool(p->build) : bool(p->kernel), "primitive ",
               p->name, " has no implementation");
  LARIX_ASSERT(by_name_.emplace(p->name, p).second, "primitive registered twice: ", p->name);
  for (const auto& alias : p->aliases)
    LARIX_ASSERT(by_name_.emplace(alias, p).second, "primitive alias registered twice: ", alias);
  primitives_.push_back(std::move(owned));
  return *p;
}

}  // namespace larix
