// __make_array(elements...): an array literal whose elements are not all constants, [a, b].
#include "larix/primitives/registry.hpp"

namespace larix {

void register_literals(Registry& r) {
  r.add({.name = "__make_array",
         .signature = {{}, true},
         .doc = "__make_array(x0, x1, ...)\n\nThe array of the elements (nested lists are rows), "
                "as numpy.array([x0, x1, ...]); what an array literal [x0, x1] with non-constant "
                "elements compiles to.",
         .kernel = [](KernelArgs& a) {
           return Value(Value(List(a.all().begin(), a.all().end())).to_array("an array literal"));
         }});
}

}  // namespace larix
