"""Phylanx's PhySL primitives and what Larix has of each: the data of the compatibility table in
docs/primitives.md (written by scripts/gen_primitive_docs.py; tests/python/test_compat_phylanx.py
checks it against the registry).

The names are those Phylanx registers (its plugins' match data and the help text of its
primitives, STEllAR-GROUP/phylanx), one entry each. A status is one of:

* ``present``: a Larix primitive of that name or alias (the generator names it), with Phylanx's
  positional signature unless the note says how it differs;
* ``form``: a PhySL special form of Larix's compiler (not a primitive; docs/design.md);
* ``left out``: deliberately not in Larix, with the reason;
* ``not yet``: missing, with what to use meanwhile.
"""

from __future__ import annotations

PRESENT, FORM, LEFT_OUT, NOT_YET = "present", "form", "left out", "not yet"
STATUSES = (PRESENT, FORM, LEFT_OUT, NOT_YET)

_KERAS = "a Keras backend helper (Phylanx's keras_support); Larix keeps to NumPy's API"
_DISTRIBUTED = (
    "a distributed form not built yet (issue 15): all_gather_d(x), then the NumPy-style primitive"
)
_ONE_TILE_PER_RANK = "one tile per rank (MPI); tiles do not overlap"
_ITERATIVE = "an iterative solver of the BlazeIterative library; `solve` is the direct solver"
_ALGORITHM = (
    "a whole algorithm as one C++ primitive; Larix has it as a Python kernel in larix.examples"
)
_CXR = "Phylanx's list accessor (Lisp's c[ad]{1,4}r)"
_COMPARISON = "no third operand (Phylanx's numeric 0/1 result instead of bools): use astype"

# name -> (status, note): the note says how Larix differs, or why it is left out.
PRIMITIVES: dict[str, tuple[str, str]] = {
    # ---- operators (the Python frontend's infix operators) ----
    "__add": (PRESENT, ""),
    "__and": (PRESENT, ""),
    "__div": (PRESENT, "true division (7 / 2 is 3.5), as Python and NumPy; Phylanx divided ints"),
    "__eq": (PRESENT, _COMPARISON),
    "__ge": (PRESENT, _COMPARISON),
    "__gt": (PRESENT, _COMPARISON),
    "__le": (PRESENT, _COMPARISON),
    "__len": (PRESENT, ""),
    "__lt": (PRESENT, _COMPARISON),
    "__minus": (PRESENT, ""),
    "__mod": (PRESENT, "Python's remainder (the divisor's sign), as numpy.remainder"),
    "__mul": (PRESENT, ""),
    "__ne": (PRESENT, _COMPARISON),
    "__not": (PRESENT, ""),
    "__or": (PRESENT, ""),
    "__sub": (PRESENT, ""),
    "__xor": (PRESENT, ""),
    "__name": (LEFT_OUT, "introspection of Phylanx's primitive objects; Larix values have none"),
    "__type": (LEFT_OUT, "the index of a value in Phylanx's C++ variant; no meaning in Larix"),
    # ---- special forms and control ----
    "define": (FORM, ""),
    "lambda": (FORM, ""),
    "block": (FORM, ""),
    "parallel_block": (FORM, ""),
    "store": (FORM, ""),
    "if": (PRESENT, ""),
    "while": (PRESENT, ""),
    "for": (PRESENT, ""),
    "for_each": (PRESENT, ""),
    "parallel_for_each": (PRESENT, "the calls run as parallel tasks (in chunks); nil after all"),
    "fmap": (PRESENT, ""),
    "parallel_map": (PRESENT, ""),
    "filter": (PRESENT, ""),
    "fold_left": (PRESENT, ""),
    "fold_right": (PRESENT, ""),
    "apply": (PRESENT, ""),
    "async": (PRESENT, ""),
    "assert": (PRESENT, "an optional second operand, the message"),
    "range": (PRESENT, ""),
    "sleep": (PRESENT, "milliseconds, as a task of its own; ordered with output; Ctrl-C stops it"),
    "enable_tracing": (LEFT_OUT, "Phylanx's trace of evaluations; Larix's profiler instead"),
    "annotate": (PRESENT, "checked and returned unchanged: values do not keep annotations yet"),
    "annotate_d": (
        PRESENT,
        "with a tile annotation, this rank's tile of a distributed array (the name is not kept); "
        + _ONE_TILE_PER_RANK,
    ),
    # ---- output, strings, files ----
    "cout": (PRESENT, ""),
    "debug": (PRESENT, ""),
    "format": (PRESENT, ""),
    "string": (PRESENT, "one operand (Phylanx concatenated several): use format"),
    "file_read": (LEFT_OUT, "Phylanx's own serialisation format; Larix reads .npy with load"),
    "file_write": (LEFT_OUT, "Phylanx's own serialisation format; Larix writes .npy with save"),
    "file_read_csv": (PRESENT, ""),
    "file_write_csv": (PRESENT, ""),
    # ---- lists and dicts ----
    "list": (PRESENT, ""),
    "make_list": (PRESENT, ""),
    "append": (PRESENT, ""),
    "prepend": (PRESENT, ""),
    "len": (PRESENT, ""),
    "slice": (PRESENT, ""),
    "tuple_slice": (PRESENT, ""),
    "dict": (PRESENT, ""),
    "dict_keys": (PRESENT, ""),
    "delete": (PRESENT, "returns a new list or dict (values are immutable)"),
    **{
        name: (PRESENT, _CXR)
        for name in (
            "car cdr caar cadr cdar cddr caaar caadr cadar caddr cdaar cdadr cddar cdddr "
            "caaaar caaadr caadar caaddr cadaar cadadr caddar cadddr "
            "cdaaar cdaadr cdadar cdaddr cddaar cddadr cdddar cddddr"
        ).split()
    },
    # ---- creation ----
    "arange": (PRESENT, ""),
    "linspace": (PRESENT, "NumPy's keywords endpoint and dtype too"),
    "constant": (PRESENT, ""),
    "constant_like": (PRESENT, ""),
    "full": (PRESENT, ""),
    "full_like": (
        PRESENT,
        "NumPy's order full_like(a, fill_value, dtype) (Phylanx's help gives both orders)",
    ),
    "identity": (PRESENT, "dtype defaults to float64, as Phylanx's 'float'"),
    "eye": (PRESENT, ""),
    "diag": (PRESENT, ""),
    "linearmatrix": (PRESENT, ""),
    "random": (
        PRESENT,
        "NumPy's random.random(size); Phylanx's distribution operand is not supported: "
        "normal, uniform, randint, ... are primitives",
    ),
    "set_seed": (PRESENT, ""),
    "get_seed": (PRESENT, ""),
    "shuffle": (PRESENT, ""),
    "fromfunction": (PRESENT, ""),
    "indices": (PRESENT, ""),
    # ---- shapes ----
    "shape": (PRESENT, ""),
    "size": (PRESENT, ""),
    "ndim": (PRESENT, ""),
    "reshape": (PRESENT, ""),
    "flatten": (PRESENT, ""),
    "transpose": (PRESENT, ""),
    "expand_dims": (PRESENT, ""),
    "squeeze": (PRESENT, ""),
    "concatenate": (PRESENT, ""),
    "stack": (PRESENT, ""),
    "hstack": (PRESENT, "one operand, a list of arrays (NumPy's), not Phylanx's *args"),
    "vstack": (PRESENT, "one operand, a list of arrays (NumPy's), not Phylanx's *args"),
    "dstack": (PRESENT, "one operand, a list of arrays (NumPy's), not Phylanx's *args"),
    "hsplit": (PRESENT, ""),
    "vsplit": (PRESENT, ""),
    "tile": (PRESENT, ""),
    "repeat": (PRESENT, ""),
    "pad": (PRESENT, ""),
    "flip": (PRESENT, ""),
    "fliplr": (PRESENT, ""),
    "flipud": (PRESENT, ""),
    "insert": (PRESENT, "numpy.insert's results (obj: an int or a sequence of ints)"),
    "slice_row": (PRESENT, ""),
    "slice_column": (PRESENT, ""),
    "slice_page": (PRESENT, ""),
    "astype": (PRESENT, ""),
    "triu": (PRESENT, ""),
    "tril": (PRESENT, ""),
    # ---- element-wise ----
    "absolute": (PRESENT, ""),
    "floor": (PRESENT, ""),
    "ceil": (PRESENT, ""),
    "trunc": (PRESENT, ""),
    "rint": (PRESENT, ""),
    "conj": (PRESENT, ""),
    "real": (PRESENT, ""),
    "imag": (PRESENT, ""),
    **{
        name: (PRESENT, "")
        for name in (
            "sqrt invsqrt cbrt invcbrt exp exp2 exp10 log log2 log10 sin cos tan sinh cosh tanh "
            "arcsin arccos arctan arcsinh arccosh arctanh erf erfc square sign"
        ).split()
    },
    "normalize": (PRESENT, "vectors only, as Phylanx's; float32 stays float32"),
    "isnan": (PRESENT, ""),
    "isinf": (PRESENT, ""),
    "isneginf": (PRESENT, ""),
    "isposinf": (PRESENT, ""),
    "isfinite": (PRESENT, ""),
    "power": (PRESENT, ""),
    "maximum": (PRESENT, "two operands (Phylanx's took more): nest the calls"),
    "minimum": (PRESENT, "two operands (Phylanx's took more): nest the calls"),
    "clip": (PRESENT, ""),
    "where": (PRESENT, ""),
    "logical_and": (PRESENT, ""),
    "logical_or": (PRESENT, ""),
    "logical_xor": (PRESENT, ""),
    "logical_not": (PRESENT, ""),
    "relu": (PRESENT, "one operand: Phylanx's alpha, max_value and threshold are not supported"),
    "sigmoid": (PRESENT, ""),
    "softmax": (PRESENT, ""),
    # ---- reductions and statistics ----
    "sum": (PRESENT, "no initial: the fourth operand is dtype"),
    "prod": (PRESENT, "no initial: the fourth operand is dtype"),
    "mean": (PRESENT, ""),
    "var": (PRESENT, ""),
    "std": (PRESENT, ""),
    "amax": (PRESENT, ""),
    "amin": (PRESENT, ""),
    "all": (PRESENT, "no initial"),
    "any": (PRESENT, "no initial"),
    "argmax": (PRESENT, ""),
    "argmin": (PRESENT, ""),
    "cumsum": (PRESENT, ""),
    "cumprod": (PRESENT, ""),
    "count_nonzero": (PRESENT, ""),
    "logsumexp": (PRESENT, ""),
    "nonzero": (PRESENT, ""),
    "argsort": (PRESENT, ""),
    "sort": (PRESENT, ""),
    "unique": (PRESENT, ""),
    "gradient": (
        PRESENT,
        "as numpy.gradient with unit spacing (an n-d array without axis: a list)",
    ),
    # ---- linear algebra ----
    "dot": (PRESENT, ""),
    "outer": (PRESENT, ""),
    "cross": (PRESENT, ""),
    "tensordot": (PRESENT, ""),
    "trace": (PRESENT, ""),
    "determinant": (PRESENT, ""),
    "inverse": (PRESENT, ""),
    "invGJE": (PRESENT, "the same inverse, by LU instead of Gauss-Jordan"),
    "norm": (PRESENT, ""),
    "lu": (PRESENT, "list(L, U, P) with m == L @ U @ P, as Phylanx's (Blaze's column pivoting)"),
    "linear_solver_lu": (PRESENT, ""),
    "linear_solver_ldlt": (LEFT_OUT, "a LAPACK LDL^T variant with an uplo operand; use solve"),
    "linear_solver_cholesky": (LEFT_OUT, "a LAPACK Cholesky variant with uplo; cholesky, solve"),
    **{
        "iterative_solver_" + name: (LEFT_OUT, _ITERATIVE)
        for name in (
            "conjugate_gradient bicgstab bicgstab_lu bicgstab_rq bicgstab_qr bicgstab_cholesky "
            "cg_jacobi cg_ssor cg_incompleteCholesky cg_symmetric_gauss_seidel lanczos arnoldi "
            "gmres"
        ).split()
    },
    # ---- algorithms ----
    "als": (LEFT_OUT, _ALGORITHM),
    "kmeans": (LEFT_OUT, _ALGORITHM),
    "lra": (LEFT_OUT, _ALGORITHM),
    # ---- Keras helpers ----
    **{
        name: (LEFT_OUT, _KERAS)
        for name in (
            "avg_pool2d avg_pool3d batch_dot batch_normalization bias_add binary_crossentropy "
            "categorical_crossentropy conv1d conv2d conv2d_transpose ctc_decode elu hard_sigmoid "
            "l2_normalize max_pool2d max_pool3d one_hot resize_images separable_conv1d softplus "
            "softsign spatial_2d_padding switch"
        ).split()
    },
    # ---- distributed ----
    "all_gather_d": (PRESENT, ""),
    "constant_d": (PRESENT, "'sym' tiling cuts rows; " + _ONE_TILE_PER_RANK),
    "dot_d": (PRESENT, "dot's alias: dot takes distributed operands (row or column tiles)"),
    "transpose_d": (PRESENT, "transpose's alias: the tiles are transposed, nothing moves"),
    "random_d": (PRESENT, "'sym' tiling cuts rows; each rank draws from its own random state"),
    "retile_d": (
        PRESENT,
        "also takes an axis or a tiling type; the new tiles must not overlap ("
        + _ONE_TILE_PER_RANK
        + ")",
    ),
    **{
        name: (NOT_YET, _DISTRIBUTED)
        for name in (
            "argmax_d argmin_d cannon_product_d conv1d_d diag_d identity_d inverse_d shape_d"
        ).split()
    },
    "find_all_localities": (NOT_YET, "range(num_localities())"),
    "locality": (PRESENT, "find_here's alias: this process's MPI rank"),
    "num_localities": (PRESENT, "the number of MPI ranks (1 without MPI)"),
}
