// np.einsum: Einstein summation over subscripts such as "ij,jk->ik".
#pragma once

#include <string>
#include <vector>

#include "larix/array/array.hpp"

namespace larix::kernels {

// np.einsum(subscripts, *operands): explicit ("ij,jk->ik") or implicit output ("ij,jk": the
// labels that occur once, sorted, after the broadcast dimensions), repeated labels in one operand
// (a diagonal: "ii->i", "ii" the trace), "..." for broadcast dimensions. Operands are contracted
// pairwise from the left; each contraction is a batch of matrix products through dot() (BLAS
// for floats). Computed in the operands' promoted dtype (bools: or of ands). A bad subscript, a
// label whose sizes disagree (other than 1, which broadcasts) or an output label no input has is a
// ValueError.
Array einsum(const std::string& subscripts, const std::vector<Array>& operands);

}  // namespace larix::kernels
