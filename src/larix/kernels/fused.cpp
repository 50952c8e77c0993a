#include "larix/kernels/fused.hpp"

#include <oneapi/tbb/parallel_invoke.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>

#include "larix/kernels/parallel.hpp"
#include "larix/kernels/reduce.hpp"
#include "larix/support/tsan.hpp"

namespace larix::kernels::fused {

namespace {

using std::int64_t;

// Elements per block: every register of a block (8 KiB each) stays in the first-level caches.
constexpr int64_t kBlock = 1024;

// Where a register's values for the current block are: one value for all, or kBlock of them.
struct Reg {
  const double* p = nullptr;
  bool scalar = false;
};

// A chunk's working memory: each register's values for one block of up to `width` elements
// (uninitialised: every value is written before it is read), and the registers' places.
struct Scratch {
  Scratch(std::size_t registers, int64_t width)
      : width(width),
        values(new double[registers * static_cast<std::size_t>(width)]),
        regs(registers) {}
  double* values_of(std::size_t r) const { return values.get() + r * width; }
  int64_t width;
  std::unique_ptr<double[]> values;
  std::vector<Reg> regs;
};

// An input array broadcast to the program's shape, read block by block.
class Source {
 public:
  Source(const Array& a, const Shape& shape) {
    if (a.dtype() == DType::float64 && a.is_c_contiguous() && a.shape() == shape) {
      direct_ = a.data<double>();  // read in place (the caller keeps `a` alive)
      return;
    }
    view_ = a.broadcast_to(shape);
    tail_.assign(shape.size(), 1);
    for (int k = view_.ndim() - 2; k >= 0; --k) tail_[k] = tail_[k + 1] * shape[k + 1];
  }

  // The values of flat indices [start, start + n), in `buffer` unless they can be read in place.
  const double* read(int64_t start, int64_t n, double* buffer) const {
    if (direct_) return direct_ + start;
    visit_dtype(view_.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      gather<T>(start, n, buffer);
    });
    return buffer;
  }

 private:
  // Walks the flat range along the last axis in runs, carrying into the outer axes.
  template <class T>
  void gather(int64_t start, int64_t n, double* out) const {
    const int nd = view_.ndim();
    const Shape& shape = view_.shape();
    const auto& strides = view_.strides();
    std::vector<int64_t> index(static_cast<std::size_t>(nd));
    int64_t offset = 0;
    for (int k = 0; k < nd; ++k) {
      index[k] = start / tail_[k] % shape[k];
      offset += index[k] * strides[k];
    }
    const int64_t len = shape[nd - 1], stride = strides[nd - 1];
    for (int64_t done = 0; done < n;) {
      const int64_t run = std::min(n - done, len - index[nd - 1]);
      const char* p = view_.bytes() + offset;
      for (int64_t i = 0; i < run; ++i)
        out[done + i] = static_cast<double>(*reinterpret_cast<const T*>(p + i * stride));
      done += run;
      index[nd - 1] += run;
      offset += run * stride;
      for (int k = nd - 1; k > 0 && index[k] == shape[k]; --k) {
        offset += strides[k - 1] - shape[k] * strides[k];
        index[k] = 0;
        ++index[k - 1];
      }
    }
  }

  const double* direct_ = nullptr;  // the values in C order, when the input is them already
  Array view_;                      // else the input broadcast to the shape,
  std::vector<int64_t> tail_;       // and the elements per step along each axis (C order)
};

// A program bound to its inputs: which registers hold one value, and the arrays to read.
class Bound {
 public:
  Bound(const Program& program, std::span<const Input> inputs, const Shape& shape, StepTimes times)
      : program_(program), regs_(program.inputs + program.steps.size()), times_(times) {
    const int nin = program.inputs;
    sources_.resize(static_cast<std::size_t>(nin));
    values_.assign(regs_, 0.0);  // never resized: registers point into it
    std::vector<Reg> one_value(regs_);
    for (std::size_t r = 0; r < regs_; ++r) one_value[r] = {&values_[r], true};
    for (int i = 0; i < nin; ++i) {
      const Input& in = inputs[static_cast<std::size_t>(i)];
      const bool one = !in.array || in.array->size() == 1;
      scalar_.push_back(one);
      if (one) values_[i] = in.array ? in.array->item_as_double() : in.value;
      else sources_[i].emplace(*in.array, shape);
    }
    // A step of operands that each hold one value holds one value: computed once, here.
    for (std::size_t s = 0; s < program.steps.size(); ++s) {
      const Step& st = program.steps[s];
      const std::size_t r = nin + s;
      bool one = scalar_[st.a];
      if (st.kind != Step::Kind::unary) one = one && scalar_[st.b];
      if (st.kind == Step::Kind::where) one = one && scalar_[st.c];
      scalar_.push_back(one);
      if (one) run_step(st, 1, one_value, &values_[r], /*alone=*/true);
    }
  }

  std::size_t registers() const { return regs_; }
  bool result_is_scalar() const { return scalar_.back(); }
  double result_value() const { return values_.back(); }

  // The result's values for flat indices [start, start + n) (n <= kBlock) written to `out`;
  // `scratch` has registers() registers of at least n values.
  void block(int64_t start, int64_t n, Scratch& scratch, double* out) const {
    std::vector<Reg>& reg = scratch.regs;
    for (int i = 0; i < program_.inputs; ++i) {
      if (scalar_[i]) reg[i] = {&values_[i], true};
      else reg[i] = {sources_[i]->read(start, n, scratch.values_of(i)), false};
    }
    for (std::size_t s = 0; s < program_.steps.size(); ++s) {
      const std::size_t r = program_.inputs + s;
      if (scalar_[r]) {
        reg[r] = {&values_[r], true};
        continue;
      }
      double* dst = r + 1 == regs_ ? out : scratch.values_of(r);
      if (times_.empty()) {
        run_step(program_.steps[s], n, reg, dst);
      } else {
        const auto t0 = std::chrono::steady_clock::now();
        run_step(program_.steps[s], n, reg, dst);
        const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
            std::chrono::steady_clock::now() - t0);
        times_[s].fetch_add(ns.count(), std::memory_order_relaxed);
      }
      reg[r] = {dst, false};
    }
    if (scalar_.back()) std::fill(out, out + n, values_.back());
  }

 private:
  // One step over n elements of registers `reg` into dst (`alone`: one value, not a block's).
  static void run_step(const Step& st, int64_t n, const std::vector<Reg>& reg, double* dst,
                       bool alone = false) {
    const Reg& a = reg[st.a];
    switch (st.kind) {
      case Step::Kind::binary:
        binary_f64(st.binary, a.p, a.scalar, reg[st.b].p, reg[st.b].scalar, dst, n);
        return;
      case Step::Kind::unary: unary_f64(st.unary, a.p, dst, n, alone); return;
      case Step::Kind::where: {
        const Reg& x = reg[st.b];
        const Reg& y = reg[st.c];
        if (a.scalar) {  // all of x or all of y
          const Reg& from = *a.p != 0 ? x : y;
          if (from.scalar) std::fill(dst, dst + n, *from.p);
          else std::copy(from.p, from.p + n, dst);
        } else if (x.scalar && y.scalar) {  // where(c, 1.0, 0.0): a select the compiler vectorises
          const double vx = *x.p, vy = *y.p;
          for (int64_t i = 0; i < n; ++i) dst[i] = a.p[i] != 0 ? vx : vy;
        } else {
          const int64_t sx = x.scalar ? 0 : 1, sy = y.scalar ? 0 : 1;
          for (int64_t i = 0; i < n; ++i) dst[i] = a.p[i] != 0 ? x.p[i * sx] : y.p[i * sy];
        }
        return;
      }
    }
  }
  const Program& program_;
  std::size_t regs_;
  std::vector<std::optional<Source>> sources_;  // the inputs that hold more than one value
  std::vector<bool> scalar_;
  std::vector<double> values_;
  StepTimes times_;
};

// pairwise_sum's tree over [start, start + n) of the program's values: the same splits, its top
// levels as parallel tasks (as sum() runs them), the leaves evaluated block by block.
double sum_range(const Bound& b, int64_t start, int64_t n) {
  if (n <= kBlock) {
    Scratch scratch(b.registers() + 1, n);  // and the block's values, last
    double* values = scratch.values_of(b.registers());
    b.block(start, n, scratch, values);
    return pairwise_sum(values, n);
  }
  int64_t n2 = n / 2;
  n2 -= n2 % 8;
  if (n < 2 * kDefaultGrain) return sum_range(b, start, n2) + sum_range(b, start + n2, n - n2);
  double x = 0, y = 0;
  tsan_release(&x);
  tbb::parallel_invoke(
      [&] {
        tsan_acquire(&x);
        x = sum_range(b, start, n2);
        tsan_release(&y);
      },
      [&] {
        tsan_acquire(&x);
        y = sum_range(b, start + n2, n - n2);
        tsan_release(&y);
      });
  tsan_acquire(&y);
  return x + y;
}

}  // namespace

Array evaluate(const Program& program, std::span<const Input> inputs, const Shape& shape,
               DType result, StepTimes times) {
  const Bound bound(program, inputs, shape, times);
  Array out = Array::empty(result, shape);
  const int64_t total = out.size();
  if (result == DType::float64) {
    double* dst = total ? out.mutable_data<double>() : nullptr;
    parallel_for_chunks(total, [&](int64_t begin, int64_t end) {
      Scratch scratch(bound.registers(), std::min(kBlock, end - begin));
      for (int64_t s = begin; s < end; s += kBlock)
        bound.block(s, std::min(kBlock, end - s), scratch, dst + s);
    });
  } else {
    LARIX_ASSERT(result == DType::bool_, "fused result of dtype ", dtype_name(result));
    bool* dst = total ? out.mutable_data<bool>() : nullptr;
    parallel_for_chunks(total, [&](int64_t begin, int64_t end) {
      Scratch scratch(bound.registers() + 1, std::min(kBlock, end - begin));
      double* values = scratch.values_of(bound.registers());
      for (int64_t s = begin; s < end; s += kBlock) {
        const int64_t n = std::min(kBlock, end - s);
        bound.block(s, n, scratch, values);
        for (int64_t i = 0; i < n; ++i) dst[s + i] = values[i] != 0;
      }
    });
  }
  return out;
}

double sum(const Program& program, std::span<const Input> inputs, const Shape& shape,
           StepTimes times) {
  const Bound bound(program, inputs, shape, times);
  const int64_t total = shape_size(shape);
  if (total == 0) return 0.0;
  return 0.0 + sum_range(bound, 0, total);  // as sum(): 0 + the run's pairwise sum
}

}  // namespace larix::kernels::fused
