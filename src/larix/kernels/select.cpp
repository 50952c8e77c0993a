#include "larix/kernels/select.hpp"

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/strided.hpp"

namespace larix::kernels {

Shape broadcast_shapes(const Shape& a, const Shape& b, const Shape& c) {
  const std::size_t nd = std::max({a.size(), b.size(), c.size()});
  Shape out(nd);
  for (std::size_t i = 0; i < nd; ++i) {
    std::int64_t d = 1;
    bool ok = true;
    for (const Shape* s : {&a, &b, &c}) {
      const std::int64_t k = i < nd - s->size() ? 1 : (*s)[i - (nd - s->size())];
      if (k == 1) continue;
      ok = ok && (d == 1 || d == k);
      d = k;
    }
    LARIX_CHECK(ok, value, "operands could not be broadcast together with shapes ",
                numpy_shape_str(a), " ", numpy_shape_str(b), " ", numpy_shape_str(c));
    out[i] = d;
  }
  return out;
}

Array where(const Array& cond, const Array& x, const Array& y, DType dtype) {
  const Shape shape = broadcast_shapes(cond.shape(), x.shape(), y.shape());
  const Array c = cast(cond, DType::bool_).broadcast_to(shape);
  const Array a = cast(x, dtype).broadcast_to(shape), b = cast(y, dtype).broadcast_to(shape);
  Array out = Array::empty(dtype, shape);
  visit_any_dtype(dtype, [&](auto tag) {  // a selection: complex values too
    using T = typename decltype(tag)::type;
    auto loop =
        detail::make_loop<4>(shape, {&out.strides(), &c.strides(), &a.strides(), &b.strides()},
                             {out.mutable_bytes(), const_cast<char*>(c.bytes()),
                              const_cast<char*>(a.bytes()), const_cast<char*>(b.bytes())});
    detail::run_loop(loop, [](const std::array<char*, 4>& p, const std::array<std::int64_t, 4>& s,
                              std::int64_t n) {
      for (std::int64_t i = 0; i < n; ++i)
        *reinterpret_cast<T*>(p[0] + i * s[0]) = detail::at<bool>(p[1], i * s[1])
                                                     ? detail::at<T>(p[2], i * s[2])
                                                     : detail::at<T>(p[3], i * s[3]);
    });
  });
  return out;
}

}  // namespace larix::kernels
