// einsum(subscripts, *operands): Einstein summation (kernels/einsum.hpp).
#include "larix/kernels/einsum.hpp"

#include "larix/primitives/numpy_args.hpp"

namespace larix {

void register_einsum(Registry& r) {
  r.add({.name = "einsum",
         .signature = {.params = {arg("subscripts")}, .variadic = true},
         .doc = "einsum(subscripts, *operands)\n\nEinstein summation, as numpy.einsum: "
                "\"ij,jk->ik\" multiplies matrices, \"ij->ji\" transposes, \"ii->i\" takes the "
                "diagonal and \"ii\" the trace, \"i,i\" is the inner product, \"...ij,...jk\" "
                "batches with broadcasting; without \"->\" the output holds the labels that occur "
                "once, sorted (capitals first), after the broadcast dimensions. Operands are "
                "contracted pairwise from the left, each contraction a batch of matrix products "
                "(BLAS for floats), in the operands' promoted dtype (bools: or of ands); the sum "
                "order differs from NumPy's, within its tolerance. A bad subscript, labels whose "
                "sizes disagree, or operands that do not match the subscripts are a ValueError. "
                "optimize= and out= are not supported.",
         .kernel = [](KernelArgs& args) {
           LARIX_CHECK(args[0].is_string(), type,
                       "einsum(): subscripts must be a string (the operand form is not "
                       "supported)");
           std::vector<Array> operands;
           for (std::size_t i = 1; i < args.size(); ++i)
             operands.push_back(numpy_args::array_arg(args[i], "einsum", "operand"));
           return Value(kernels::einsum(args[0].as_string(), operands));
         }});
}

}  // namespace larix
