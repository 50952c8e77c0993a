#include "larix/kernels/einsum.hpp"

#include <algorithm>
#include <map>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/join.hpp"
#include "larix/kernels/linalg.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/kernels/reductions.hpp"

namespace larix::kernels {
namespace {

using std::int64_t;
using Labels = std::vector<int>;  // 0..51 letters, 100 + j the j-th broadcast dimension

constexpr int kEllipsis = -1;

int letter(char c) {
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= 'A' && c <= 'Z') return c - 'A';
  user_error(ErrorKind::value, "invalid subscript '", std::string(1, c),
             "' in einstein sum subscripts string, subscripts must be letters");
}

// One term ("ij", "...i"): its labels with kEllipsis where "..." stands.
Labels parse_term(const std::string& t) {
  Labels out;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '.') {
      LARIX_CHECK(t.compare(i, 3, "...") == 0, value,
                  "einstein sum subscripts string contains a '.' that is not part of an "
                  "ellipsis ('...')");
      LARIX_CHECK(std::find(out.begin(), out.end(), kEllipsis) == out.end(), value,
                  "einstein sum subscripts string contains more than one ellipsis");
      out.push_back(kEllipsis);
      i += 2;
    } else {
      out.push_back(letter(t[i]));
    }
  }
  return out;
}

// An operand with distinct labels: its array and a label per axis.
struct Term {
  Array a;
  Labels labels;
};

// Repeated labels of one operand become one axis: the diagonal (a view: strides add up).
Term diagonal(const Array& a, const Labels& labels) {
  Term t;
  Shape shape;
  Strides strides;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    auto at = std::find(t.labels.begin(), t.labels.end(), labels[i]);
    if (at == t.labels.end()) {
      t.labels.push_back(labels[i]);
      shape.push_back(a.shape()[i]);
      strides.push_back(a.strides()[i]);
    } else {
      const std::size_t k = at - t.labels.begin();
      LARIX_CHECK(shape[k] == a.shape()[i], value, "dimensions in operand for collapsing index '",
                  std::string(1, labels[i] < 26 ? 'A' + labels[i] : 'a' + labels[i] - 26),
                  "' don't match (", shape[k], " != ", a.shape()[i], ")");
      strides[k] += a.strides()[i];
    }
  }
  t.a = a.view(0, shape, strides);
  return t;
}

bool has(const Labels& l, int x) { return std::find(l.begin(), l.end(), x) != l.end(); }

// Sums the axes whose labels are not in `keep`.
Term sum_out(Term t, const Labels& keep) {
  std::vector<int> axes;
  Labels left;
  for (std::size_t i = 0; i < t.labels.size(); ++i) {
    if (has(keep, t.labels[i])) left.push_back(t.labels[i]);
    else axes.push_back(static_cast<int>(i));
  }
  if (axes.empty()) return t;
  const DType d = t.a.dtype();
  t.a = d == DType::bool_ ? reduce(ReduceOp::any, t.a, axes) : sum(t.a, axes, false, d);
  t.labels = left;
  return t;
}

// The axes of t in the order of `order` (all of t's labels), broadcast to `sizes`.
Array arrange(const Term& t, const Labels& order, const std::map<int, int64_t>& sizes) {
  std::vector<int> perm;
  Shape shape;
  for (int l : order) {
    perm.push_back(
        static_cast<int>(std::find(t.labels.begin(), t.labels.end(), l) - t.labels.begin()));
    shape.push_back(sizes.at(l));
  }
  return t.a.transpose(perm).broadcast_to(shape);
}

int64_t product(const Labels& l, const std::map<int, int64_t>& sizes) {
  int64_t p = 1;
  for (int x : l) p *= sizes.at(x);
  return p;
}

// x and y contracted over their common labels that `keep` does not hold.
Term contract(Term x, Term y, const Labels& keep, const std::map<int, int64_t>& sizes) {
  Labels keep_x = keep, keep_y = keep;
  keep_x.insert(keep_x.end(), y.labels.begin(), y.labels.end());
  keep_y.insert(keep_y.end(), x.labels.begin(), x.labels.end());
  x = sum_out(std::move(x), keep_x);
  y = sum_out(std::move(y), keep_y);
  Labels batch, free_x, free_y, inner;
  for (int l : x.labels) {
    if (has(y.labels, l)) (has(keep, l) ? batch : inner).push_back(l);
    else free_x.push_back(l);
  }
  for (int l : y.labels)
    if (!has(x.labels, l)) free_y.push_back(l);
  Labels ox = batch, oy = batch;
  ox.insert(ox.end(), free_x.begin(), free_x.end());
  ox.insert(ox.end(), inner.begin(), inner.end());
  oy.insert(oy.end(), inner.begin(), inner.end());
  oy.insert(oy.end(), free_y.begin(), free_y.end());
  const int64_t B = product(batch, sizes), M = product(free_x, sizes), K = product(inner, sizes),
                N = product(free_y, sizes);
  const Array ax = arrange(x, ox, sizes).copy().reshape({B, M, K});
  const Array ay = arrange(y, oy, sizes).copy().reshape({B, K, N});
  Array out;
  if (K == 1) {
    // Nothing to sum: an element-wise (outer) product, broadcast over the batch.
    out = binary(BinaryOp::multiply, ax, ay.reshape({B, 1, N}));
  } else if (M == 1 && N == 1) {
    // A batch of inner products ("ij,ij->i"): multiply, then sum each row.
    const Array p = binary(BinaryOp::multiply, ax.reshape({B, K}), ay.reshape({B, K}));
    out = (p.dtype() == DType::bool_ ? reduce(ReduceOp::any, p, std::vector<int>{1})
                                     : sum(p, std::vector<int>{1}, false, p.dtype()))
              .reshape({B, 1, 1});
  } else {
    // Matrix products, one per batch element (BLAS for floats).
    std::vector<Array> parts;
    for (int64_t b = 0; b < B; ++b) {
      const Array xb = ax.view(b * ax.strides()[0], {M, K}, {ax.strides()[1], ax.strides()[2]});
      const Array yb = ay.view(b * ay.strides()[0], {K, N}, {ay.strides()[1], ay.strides()[2]});
      parts.push_back(dot(xb, yb));
    }
    out = B > 0 ? stack(parts, 0) : Array::zeros(ax.dtype(), {B, M, N});
  }
  Term r;
  r.labels = batch;
  r.labels.insert(r.labels.end(), free_x.begin(), free_x.end());
  r.labels.insert(r.labels.end(), free_y.begin(), free_y.end());
  Shape shape;
  for (int l : r.labels) shape.push_back(sizes.at(l));
  r.a = out.reshape(shape);
  return r;
}

}  // namespace

Array einsum(const std::string& subscripts_in, const std::vector<Array>& operands) {
  std::string s;
  for (char c : subscripts_in)
    if (c != ' ') s += c;
  LARIX_CHECK(!operands.empty(), value, "No input operands");
  const auto arrow = s.find("->");
  const std::string inputs = s.substr(0, arrow);
  std::vector<std::string> terms;
  for (std::size_t start = 0;;) {
    const auto comma = inputs.find(',', start);
    terms.push_back(inputs.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  LARIX_CHECK(terms.size() == operands.size(), value,
              terms.size() > operands.size() ? "fewer operands provided to einstein sum function "
                                               "than specified in the subscripts string"
                                             : "more operands provided to einstein sum function "
                                               "than specified in the subscripts string");
  // Labels per operand, "..." expanded to broadcast labels aligned on the right.
  std::vector<Labels> labels;
  int broadcast_dims = 0;
  for (std::size_t k = 0; k < terms.size(); ++k) {
    const Labels t = parse_term(terms[k]);
    const int nd = operands[k].ndim();
    const bool ell = has(t, kEllipsis);
    const int named = static_cast<int>(t.size()) - (ell ? 1 : 0);
    LARIX_CHECK(ell ? nd >= named : nd == named, value,
                "operand has more dimensions than "
                "subscripts given in einstein sum, but no '...' ellipsis provided to broadcast "
                "the extra dimensions.");
    if (!ell)
      LARIX_CHECK(nd == named, value,
                  "einstein sum subscripts string contains too many "
                  "subscripts for operand ",
                  k);
    broadcast_dims = std::max(broadcast_dims, nd - named);
  }
  for (std::size_t k = 0; k < terms.size(); ++k) {
    const Labels t = parse_term(terms[k]);
    const int nd = operands[k].ndim();
    const int named = static_cast<int>(t.size()) - (has(t, kEllipsis) ? 1 : 0);
    Labels l;
    for (int x : t) {
      if (x != kEllipsis) {
        l.push_back(x);
        continue;
      }
      for (int j = broadcast_dims - (nd - named); j < broadcast_dims; ++j) l.push_back(100 + j);
    }
    labels.push_back(l);
  }
  // The output's labels.
  Labels out;
  if (arrow != std::string::npos) {
    for (int x : parse_term(s.substr(arrow + 2))) {
      if (x == kEllipsis) {
        for (int j = 0; j < broadcast_dims; ++j) out.push_back(100 + j);
        continue;
      }
      LARIX_CHECK(!has(out, x), value,
                  "einstein sum subscripts string includes output subscript "
                  "'",
                  std::string(1, x < 26 ? 'A' + x : 'a' + x - 26), "' multiple times");
      bool found = false;
      for (const Labels& l : labels) found = found || has(l, x);
      LARIX_CHECK(found, value, "einstein sum subscripts string included output subscript '",
                  std::string(1, x < 26 ? 'A' + x : 'a' + x - 26),
                  "' which never appeared in an input");
      out.push_back(x);
    }
    const Labels parsed = parse_term(s.substr(arrow + 2));
    if (!has(parsed, kEllipsis))
      for (int j = 0; j < broadcast_dims; ++j)
        LARIX_CHECK(false, value,
                    "output has more dimensions than subscripts given in einstein "
                    "sum, but no '...' ellipsis provided to broadcast the extra dimensions.");
  } else {
    for (int j = 0; j < broadcast_dims; ++j) out.push_back(100 + j);
    std::map<int, int> count;
    for (const Labels& l : labels)
      for (int x : l) ++count[x];
    for (const auto& [x, n] : count)
      if (x < 100 && n == 1) out.push_back(x);
  }
  // Sizes: each label one size (a broadcast dimension of size 1 stretches).
  std::map<int, int64_t> sizes;
  for (std::size_t k = 0; k < labels.size(); ++k) {
    for (std::size_t i = 0; i < labels[k].size(); ++i) {
      const int x = labels[k][i];
      const int64_t n = operands[k].shape()[i];
      auto [it, fresh] = sizes.emplace(x, n);
      if (fresh || it->second == n) continue;
      LARIX_CHECK(it->second == 1 || n == 1, value,
                  "operands could not be broadcast together with remapped shapes");
      it->second = std::max(it->second, n);
    }
  }
  DType dtype = operands[0].dtype();
  for (const Array& a : operands) dtype = promote(dtype, a.dtype());
  std::vector<Term> terms_left;
  for (std::size_t k = 0; k < operands.size(); ++k)
    terms_left.push_back(diagonal(cast(operands[k], dtype), labels[k]));
  Term acc = terms_left[0];
  for (std::size_t k = 1; k < terms_left.size(); ++k) {
    Labels keep = out;
    for (std::size_t j = k + 1; j < terms_left.size(); ++j)
      keep.insert(keep.end(), terms_left[j].labels.begin(), terms_left[j].labels.end());
    acc = contract(std::move(acc), terms_left[k], keep, sizes);
  }
  acc = sum_out(std::move(acc), out);
  return arrange(acc, out, sizes).copy();
}

}  // namespace larix::kernels
