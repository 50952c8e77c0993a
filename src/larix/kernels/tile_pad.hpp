// Gathering along axes: every output element is an element of the input picked by one index map
// per axis. np.tile, np.repeat and np.pad (modes edge, reflect, symmetric, wrap) are such maps;
// np.pad's constant mode fills the border and copies the input into the middle.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "larix/array/array.hpp"

namespace larix::kernels {

using AxisMap = std::vector<std::int64_t>;

// out[i0, i1, ...] = a[maps[0][i0], maps[1][i1], ...]; out has shape (maps[k].size()) and a's
// dtype, C-contiguous. One map per axis of `a`, entries in [0, a.shape[k]). Parallel over rows.
Array gather_axes(const Array& a, const std::vector<AxisMap>& maps);

// np.tile(a, reps): a repeated reps[k] times along axis k. When reps is shorter than a.ndim it is
// padded with leading 1s; when longer, `a` gets leading axes of length 1. ValueError "negative
// dimensions are not allowed" for a negative rep.
Array tile(const Array& a, const std::vector<std::int64_t>& reps);

// np.repeat(a, repeats, axis): each element along `axis` (already normalised) repeated
// repeats[i] times; `repeats` has one entry (used for every element) or a.shape[axis] entries.
// ValueError "repeats may not contain negative values." / NumPy's broadcast message.
Array repeat(const Array& a, const std::vector<std::int64_t>& repeats, int axis);

enum class PadMode { constant, edge, reflect, symmetric, wrap };
// ValueError "mode 'x' is not supported" for an unknown name.
PadMode pad_mode(const std::string& name);

// np.pad(a, pad_width, mode, constant_values) with pad_width already broadcast to (before, after)
// per axis (non-negative) and, for the constant mode, `values` of shape (ndim, 2): one (before,
// after) pair per axis, any dtype, cast to a's (NumPy fills the corners with the last axis'
// values). The non-constant modes extend periodically past the input's length (reflect: period
// 2(n-1), symmetric: 2n, wrap: n); padding an empty axis with them is a ValueError, as in NumPy.
Array pad(const Array& a, const std::vector<std::array<std::int64_t, 2>>& widths, PadMode mode,
          const Array& values = Array());

}  // namespace larix::kernels
