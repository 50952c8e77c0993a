// numpy.linalg's decompositions: cholesky, qr, eigh, eigvalsh, svd, lstsq, slogdet, pinv and
// matrix_rank (kernels/decompositions.hpp). Where NumPy returns a named tuple (QRResult,
// EighResult, SVDResult, SlogdetResult, lstsq's 4-tuple) the primitive returns a list.
#include "larix/kernels/decompositions.hpp"

#include <cctype>
#include <string>

#include "larix/kernels/matrix.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

using numpy_args::array_arg;
using std::int64_t;

Value list_of(const std::vector<Array>& parts) {
  List out;
  for (const Array& p : parts) out.push_back(Value(p));
  return Value(std::move(out));
}

std::optional<double> optional_double(const Value& v, const char* what) {
  if (v.is_nil()) return std::nullopt;
  return v.as_double(what);
}

Value cholesky_kernel(KernelArgs& args) {
  return Value(kernels::cholesky(array_arg(args[0], "cholesky", "a"), args[1].as_bool("upper")));
}

Value qr_kernel(KernelArgs& args) {
  const std::string& mode = args[1].as_string("mode");
  std::vector<Array> parts = kernels::qr(array_arg(args[0], "qr", "a"), mode);
  return parts.size() == 1 ? Value(parts[0]) : list_of(parts);
}

// NumPy upper-cases UPLO before it checks it.
char uplo_arg(const Value& v) {
  const std::string& s = v.as_string("UPLO");
  LARIX_CHECK(s.size() == 1 && (std::toupper(s[0]) == 'L' || std::toupper(s[0]) == 'U'), value,
              "UPLO argument must be 'L' or 'U'");
  return static_cast<char>(std::toupper(s[0]));
}

Value eigh_kernel(KernelArgs& args) {
  return list_of(kernels::eigh(array_arg(args[0], "eigh", "a"), uplo_arg(args[1]), true));
}

Value eig_kernel(KernelArgs& args) {
  return list_of(kernels::eig(array_arg(args[0], "eig", "a"), true));
}

Value eigvals_kernel(KernelArgs& args) {
  return Value(kernels::eig(array_arg(args[0], "eigvals", "a"), false)[0]);
}

Value eigvalsh_kernel(KernelArgs& args) {
  return Value(kernels::eigh(array_arg(args[0], "eigvalsh", "a"), uplo_arg(args[1]), false)[0]);
}

// hermitian=True changes NumPy's method (eigh), not the result: the SVD serves both.
Value svd_kernel(KernelArgs& args) {
  const bool compute_uv = args[2].as_bool("compute_uv");
  args[3].as_bool("hermitian");
  std::vector<Array> parts =
      kernels::svd(array_arg(args[0], "svd", "a"), args[1].as_bool("full_matrices"), compute_uv);
  return compute_uv ? list_of(parts) : Value(parts[0]);
}

Value lstsq_kernel(KernelArgs& args) {
  kernels::LstsqResult r =
      kernels::lstsq(array_arg(args[0], "lstsq", "a"), array_arg(args[1], "lstsq", "b"),
                     optional_double(args[2], "rcond"));
  return Value(List{Value(r.x), Value(r.residuals), Value(r.rank), Value(r.s)});
}

Value lu_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "lu", "m");
  LARIX_CHECK(a.ndim() == 2, value, "lu(): the operand must be a matrix (2-d), not ", a.ndim(),
              "-d");
  return list_of(kernels::lu(a));
}

Value slogdet_kernel(KernelArgs& args) {
  return list_of(kernels::slogdet(array_arg(args[0], "slogdet", "a")));
}

// NumPy 2: rcond defaults to 1e-15; rtol is the newer spelling of the same cutoff.
Value pinv_kernel(KernelArgs& args) {
  const auto rcond = optional_double(args[1], "rcond"), rtol = optional_double(args[3], "rtol");
  LARIX_CHECK(!(rcond && rtol), value, "`rtol` and `rcond` can't be both set.");
  args[2].as_bool("hermitian");
  return Value(
      kernels::pinv(array_arg(args[0], "pinv", "a"), rcond.value_or(rtol.value_or(1e-15))));
}

Value matrix_rank_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "matrix_rank", "A");
  const auto tol = optional_double(args[1], "tol"), rtol = optional_double(args[3], "rtol");
  LARIX_CHECK(!(tol && rtol), value, "`tol` and `rtol` can't be both set.");
  args[2].as_bool("hermitian");
  Array rank = kernels::matrix_rank(a, tol, rtol);
  if (a.ndim() < 2) return Value(rank.item<int64_t>());  // NumPy: a Python int here
  return Value(rank);
}

// cholesky keeps the shape; eigvalsh drops the last axis. float32 stays, the rest is float64.
TypeInfo square_rule(const std::vector<TypeInfo>& t, bool drop_last) {
  const auto a = numpy_args::array_type(t[0]);
  if (!a || a->shape.size() < 2 || a->shape.back() != a->shape[a->shape.size() - 2])
    return numpy_args::unknown_type();
  Shape shape = a->shape;
  if (drop_last) shape.pop_back();
  return numpy_args::array_result(kernels::lapack_dtype(a->dtype), shape);
}

}  // namespace

void register_decompositions(Registry& r) {
  r.add({.name = "cholesky",
         .signature = {{arg("a"), arg("upper", Value(false))}},
         .doc = "cholesky(a, upper=false)\n\nThe Cholesky factor of a symmetric positive-definite "
                "matrix (or of each in a stack (..., n, n)), as numpy.linalg.cholesky: the lower "
                "triangular L with a = L @ L.T, reading only a's lower triangle (upper=true: the "
                "upper U with a = U.T @ U, from a's upper triangle). LAPACK potrf in float64; "
                "float32 stays float32. LinAlgError \"Matrix is not positive definite\".",
         .kernel = cholesky_kernel,
         .type_rule = [](const std::vector<TypeInfo>& t) { return square_rule(t, false); }});
  r.add({.name = "qr",
         .signature = {{arg("a"), arg("mode", Value("reduced"))}},
         .doc = "qr(a, mode=\"reduced\")\n\nThe QR factorisation of a (..., m, n), as "
                "numpy.linalg.qr (LAPACK geqrf + orgqr, NumPy's signs): mode \"reduced\" gives "
                "list(q, r) with q (..., m, k), r (..., k, n), k = min(m, n); \"complete\" gives "
                "q (..., m, m), r (..., m, n); \"r\" gives r alone; \"raw\" gives list(h, tau) as "
                "NumPy. float32 stays float32, everything else gives float64.",
         .kernel = qr_kernel});
  r.add({.name = "eigh",
         .signature = {{arg("a"), arg("UPLO", Value("L"))}},
         .doc = "eigh(a, UPLO=\"L\")\n\nEigenvalues (ascending) and eigenvectors (the columns of "
                "v) of a symmetric matrix or stack (..., n, n), as numpy.linalg.eigh: "
                "list(w, v) with a @ v = v * w. Only the triangle UPLO (\"L\" or \"U\") is read. "
                "LAPACK syevd in float64; float32 stays float32.",
         .kernel = eigh_kernel});
  r.add({.name = "eig",
         .signature = {{arg("a")}},
         .doc = "eig(a)\n\nEigenvalues and right eigenvectors (the columns of v, each of unit "
                "length) of a real square matrix or stack (..., n, n), as numpy.linalg.eig: "
                "list(w, v) with a @ v = v * w. Real arrays when every eigenvalue is real, "
                "complex128 (complex64 for float32 input) otherwise. LAPACK geev in float64; "
                "LinAlgError for infs or NaNs and when it does not converge. Complex input is a "
                "TypeError (not yet).",
         .kernel = eig_kernel});
  r.add({.name = "eigvals",
         .signature = {{arg("a")}},
         .doc = "eigvals(a)\n\nThe eigenvalues of a real square matrix or stack, as "
                "numpy.linalg.eigvals (real or complex as in eig).",
         .kernel = eigvals_kernel});
  r.add({.name = "eigvalsh",
         .signature = {{arg("a"), arg("UPLO", Value("L"))}},
         .doc = "eigvalsh(a, UPLO=\"L\")\n\nThe eigenvalues (ascending) of a symmetric matrix or "
                "stack, as numpy.linalg.eigvalsh; only the triangle UPLO is read.",
         .kernel = eigvalsh_kernel,
         .type_rule = [](const std::vector<TypeInfo>& t) { return square_rule(t, true); }});
  r.add({.name = "svd",
         .signature = {{arg("a"), arg("full_matrices", Value(true)), arg("compute_uv", Value(true)),
                        arg("hermitian", Value(false))}},
         .doc = "svd(a, full_matrices=true, compute_uv=true, hermitian=false)\n\nThe singular "
                "value decomposition of a (..., m, n), as numpy.linalg.svd (LAPACK gesdd): "
                "list(u, s, vh) with a = (u * s) @ vh and s descending; u is (..., m, m) and vh "
                "(..., n, n) with full_matrices, else (..., m, k) and (..., k, n), k = min(m, n). "
                "compute_uv=false gives s alone. hermitian is accepted (the result is the same). "
                "float32 stays float32, everything else gives float64.",
         .kernel = svd_kernel});
  r.add({.name = "lstsq",
         .signature = {{arg("a"), arg("b"), arg("rcond", Value())}},
         .doc = "lstsq(a, b, rcond=nil)\n\nThe least-squares solution of a @ x = b, as "
                "numpy.linalg.lstsq (LAPACK gelsd): a (m, n), b (m,) or (m, k). Gives list(x, "
                "residuals, rank, s): residuals are the squared 2-norms of b - a @ x per column "
                "when rank == n < m, else empty; s the singular values of a. rcond=nil means "
                "eps * max(m, n) (NumPy 2). float32 when a and b are float32, else float64.",
         .kernel = lstsq_kernel});
  r.add({.name = "lu",
         .signature = {{arg("m")}},
         .doc = "lu(m)\n\nPhylanx's lu: the LU decomposition of a matrix m (r, c) with partial "
                "pivoting over its columns, as list(L, U, P) with m == L @ U @ P: L (r, k) lower "
                "triangular, U (k, c) upper triangular with ones on its diagonal, P (c, c) a "
                "permutation matrix, k = min(r, c) (Phylanx's and Blaze's convention; "
                "scipy.linalg.lu(m.T) gives the same factors transposed). LAPACK getrf in "
                "float64; float32 stays float32. A singular matrix factorises too (a zero on L's "
                "diagonal). A value that is no 2-d array is a ValueError (TypeError for a "
                "string).",
         .kernel = lu_kernel});
  r.add({.name = "slogdet",
         .signature = {{arg("a")}},
         .doc = "slogdet(a)\n\nThe sign and the natural log of the absolute value of the "
                "determinant of a square matrix or stack, as numpy.linalg.slogdet: list(sign, "
                "logabsdet); a singular matrix gives 0 and -inf. LU (getrf) in float64; float32 "
                "stays float32.",
         .kernel = slogdet_kernel});
  r.add({.name = "pinv",
         .signature = {{arg("a"), arg("rcond", Value()), arg("hermitian", Value(false)),
                        arg("rtol", Value())}},
         .doc = "pinv(a, rcond=nil, hermitian=false, rtol=nil)\n\nThe Moore-Penrose pseudo-"
                "inverse (..., n, m) of a (..., m, n) from its SVD, as numpy.linalg.pinv: "
                "singular values at most rcond * max(s) are dropped; rcond=nil means 1e-15 "
                "(rtol, when given, is used instead; NumPy's explicit rtol=None is not told "
                "apart). float32 stays float32, everything else gives float64.",
         .kernel = pinv_kernel});
  r.add({.name = "matrix_rank",
         .signature = {{arg("A"), arg("tol", Value()), arg("hermitian", Value(false)),
                        arg("rtol", Value())}},
         .doc = "matrix_rank(A, tol=nil, hermitian=false, rtol=nil)\n\nThe number of singular "
                "values of A (..., m, n) above tol, as numpy.linalg.matrix_rank: tol=nil means "
                "max(s) * max(m, n) * eps (rtol given: max(s) * rtol), eps of float32 for "
                "float32 input. An int64 array of the stack's shape (0-d for a matrix); for a "
                "0-d or 1-d A an int, 1 unless every element is 0.",
         .kernel = matrix_rank_kernel});
}

}  // namespace larix
