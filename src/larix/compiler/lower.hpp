// Lowering: IR -> the execution tree (immutable nodes, shared by every call of the program).
#pragma once

#include "larix/compiler/ir.hpp"

namespace larix::compiler {

NodePtr lower(const Ir& ir);

}  // namespace larix::compiler
