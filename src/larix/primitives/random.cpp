// np.random's legacy global functions (seed, rand, randn, random_sample, uniform, normal, randint,
// shuffle, permutation, choice) and Phylanx's set_seed/get_seed, drawing from one process-wide
// state whose streams equal NumPy's RandomState (MT19937) bit for bit (kernels/random.hpp).
//
// Every call makes all its draws under the state's lock. Random calls are ordered effects: the
// statements of a block and the operands of one call that draw (rand(2) + rand(2)) run in program
// order, left to right as in Python, so such a program draws NumPy's numbers. Calls that run in
// parallel on purpose (parallel_block, parallel_map, several Python threads) draw in any order.
#include "larix/kernels/random.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "larix/kernels/elementwise.hpp"
#include "larix/kernels/indexing.hpp"
#include "larix/primitives/numpy_args.hpp"

namespace larix {
namespace {

namespace rnd = kernels::random;
using numpy_args::array_arg;
using numpy_args::int_arg;
using std::int64_t;

constexpr int64_t kMaxSeed = 0xffffffffLL;

// What get_seed reports: the last seed given (the entropy seed before any), under the state lock.
Value& last_seed_unlocked() {
  static Value seed;
  return seed;
}

std::string cast_error(DType dtype, bool scalar) {
  return std::string("Cannot cast ") + (scalar ? "scalar" : "array data") + " from dtype('" +
         dtype_name(dtype) + "') to dtype('int64') according to the rule 'safe'";
}

void check_seed_range(int64_t s) {
  LARIX_CHECK(s >= 0 && s <= kMaxSeed, value, "Seed must be between 0 and 2**32 - 1");
}

// Legacy seeding: an int (or a one-element array, which NumPy squeezes to one) seeds with
// init_genrand; any other array or list of ints with init_by_array.
void apply_seed(rnd::LegacyState& state, const Value& seed) {
  if (seed.is_bool() || seed.is_int()) {
    const int64_t s = seed.as_int();
    check_seed_range(s);
    return state.seed(static_cast<std::uint32_t>(s));
  }
  LARIX_CHECK(seed.is_array() || seed.is_list() || seed.is_float(), type,
              "seed(): seed must be an int or a 1-d sequence of ints, not ", seed.type_name());
  const Array a = seed.to_array("seed");
  LARIX_CHECK(a.size() > 0, value, "Seed must be non-empty");
  LARIX_CHECK(is_integral(a.dtype()), type, cast_error(a.dtype(), a.size() == 1));
  if (a.size() == 1 && !seed.is_list()) {
    const int64_t s = a.item<int64_t>(0);
    check_seed_range(s);
    return state.seed(static_cast<std::uint32_t>(s));
  }
  LARIX_CHECK(a.ndim() == 1, value, "Seed array must be 1-d");
  std::vector<std::uint32_t> key(static_cast<std::size_t>(a.size()));
  for (int64_t i = 0; i < a.size(); ++i) {
    const int64_t s = a.item<int64_t>(i);
    check_seed_range(s);
    key[static_cast<std::size_t>(i)] = static_cast<std::uint32_t>(s);
  }
  state.seed_by_array(key);
}

Value seed_kernel(KernelArgs& args) {
  Value seed = args[0];
  if (seed.is_nil()) seed = Value(static_cast<int64_t>(std::random_device{}()));
  rnd::with_global_state([&](rnd::LegacyState& state) {
    apply_seed(state, seed);
    last_seed_unlocked() = seed;
  });
  return Value();
}

Value get_seed_kernel(KernelArgs&) {
  return rnd::with_global_state([](rnd::LegacyState& state) {
    Value& seed = last_seed_unlocked();
    if (seed.is_nil()) seed = Value(static_cast<int64_t>(state.entropy_seed()));
    return seed;
  });
}

// size=: nil (a scalar result), an int or a shape.
std::optional<Shape> parse_size(const Value& v, const char* fn) {
  if (v.is_nil()) return std::nullopt;
  return numpy_args::parse_shape(v, fn);
}

// rand(d0, d1, ...) / randn(d0, ...): each dimension an int.
std::optional<Shape> dims(KernelArgs& args) {
  if (args.size() == 0) return std::nullopt;
  Shape shape;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const int64_t d = int_arg(args[i], "a dimension");
    LARIX_CHECK(d >= 0, value, "negative dimensions are not allowed");
    shape.push_back(d);
  }
  return shape;
}

// A float result: a Python float for a scalar call, else the array.
Value float_result(const Array& a, bool scalar) {
  return scalar ? Value(a.item<double>(0)) : Value(a);
}

Value sample_of(const std::optional<Shape>& size, bool normal) {
  const Shape shape = size.value_or(Shape{});
  const Array a = rnd::with_global_state([&](rnd::LegacyState& state) {
    return normal ? rnd::standard_normal(state, shape) : rnd::random_sample(state, shape);
  });
  return float_result(a, !size);
}

Value random_sample_kernel(KernelArgs& args) {
  return sample_of(parse_size(args[0], "random_sample"), false);
}
Value standard_normal_kernel(KernelArgs& args) {
  return sample_of(parse_size(args[0], "standard_normal"), true);
}
Value rand_kernel(KernelArgs& args) { return sample_of(dims(args), false); }
Value randn_kernel(KernelArgs& args) { return sample_of(dims(args), true); }

// uniform/normal: two float parameters broadcast against size.
template <class Draw>
Value two_param(KernelArgs& args, const char* fn, const char* p0, const char* p1, Draw draw) {
  const Array a = array_arg(args[0], fn, p0), b = array_arg(args[1], fn, p1);
  const auto size = parse_size(args[2], fn);
  const Shape shape = rnd::broadcast_params({a.shape(), b.shape()}, size);
  const Array out =
      rnd::with_global_state([&](rnd::LegacyState& state) { return draw(state, a, b, shape); });
  return float_result(out, !size && a.ndim() == 0 && b.ndim() == 0);
}

Value uniform_kernel(KernelArgs& args) {
  return two_param(args, "uniform", "low", "high", rnd::uniform);
}
Value normal_kernel(KernelArgs& args) {
  return two_param(args, "normal", "loc", "scale", rnd::normal);
}

// An int result: a Python int for a call with number parameters and no size, else the array.
Value int_result(const Array& a, bool scalar) {
  return scalar ? Value(a.item<int64_t>(0)) : Value(a);
}

Value poisson_kernel(KernelArgs& args) {
  const Array lam = array_arg(args[0], "poisson", "lam");
  const auto size = parse_size(args[1], "poisson");
  const Shape shape = rnd::broadcast_params({lam.shape()}, size);
  const bool scalar = lam.ndim() == 0;
  const Array out = rnd::with_global_state(
      [&](rnd::LegacyState& state) { return rnd::poisson(state, lam, shape, scalar); });
  return int_result(out, scalar && !size);
}

Value binomial_kernel(KernelArgs& args) {
  const Array n = array_arg(args[0], "binomial", "n"), p = array_arg(args[1], "binomial", "p");
  if (is_floating(n.dtype())) {  // NumPy casts to its C long: a value beyond it overflows
    const Array f = kernels::cast(n, DType::float64).contiguous();
    for (int64_t i = 0; i < f.size(); ++i) {
      const double v = f.data<double>()[i];
      LARIX_CHECK(!std::isnan(v), value, "cannot convert float NaN to integer");
      LARIX_CHECK(v > -9223372036854775808.0 && v < 9223372036854775808.0, overflow,
                  "Python int too large to convert to C long");
    }
  }
  const auto size = parse_size(args[2], "binomial");
  const Shape shape = rnd::broadcast_params({n.shape(), p.shape()}, size);
  const bool scalar = n.ndim() == 0 && p.ndim() == 0;
  const Array out = rnd::with_global_state(
      [&](rnd::LegacyState& state) { return rnd::binomial(state, n, p, shape, scalar); });
  return int_result(out, scalar && !size);
}

Value randint_kernel(KernelArgs& args) {
  Array low = array_arg(args[0], "randint", "low");
  Array high;
  if (args[1].is_nil()) {
    high = low;
    low = Array::scalar(int64_t{0});
  } else {
    high = array_arg(args[1], "randint", "high");
  }
  const auto size = parse_size(args[2], "randint");
  const DType dtype = numpy_args::parse_dtype_arg(args[3]).value_or(DType::int64);
  const Shape shape = rnd::broadcast_params({low.shape(), high.shape()}, size);
  const Array out = rnd::with_global_state(
      [&](rnd::LegacyState& state) { return rnd::randint(state, low, high, shape, dtype); });
  if (size || low.ndim() != 0 || high.ndim() != 0) return Value(out);
  return dtype == DType::bool_ ? Value(out.item<bool>(0)) : Value(out.item<int64_t>(0));
}

Value shuffle_kernel(KernelArgs& args) {
  const Value& x = args[0];
  if (x.is_list()) {
    const List& items = x.as_list();
    const auto order = rnd::with_global_state([&](rnd::LegacyState& state) {
      return rnd::shuffle_order(state, static_cast<int64_t>(items.size()));
    });
    List out;
    out.reserve(items.size());
    for (int64_t k : order) out.push_back(items[static_cast<std::size_t>(k)]);
    return Value(std::move(out));
  }
  LARIX_CHECK(x.is_array(), type, "object of type '", x.type_name(), "' has no len()");
  const Array& a = x.as_array_ref();
  LARIX_CHECK(a.ndim() >= 1, type, "len() of unsized object");
  if (a.size() == 0) return Value(a.copy());  // NumPy returns early: no draws, even for rows of 0
  const auto order = rnd::with_global_state(
      [&](rnd::LegacyState& state) { return rnd::shuffle_order(state, a.dim(0)); });
  return Value(rnd::take_rows(a, order));
}

Value permutation_kernel(KernelArgs& args) {
  const Value& x = args[0];
  if (numpy_args::is_int_like(x)) {
    const int64_t n = std::max<int64_t>(x.as_int("x"), 0);
    const auto order = rnd::with_global_state(
        [&](rnd::LegacyState& state) { return rnd::shuffle_order(state, n); });
    return Value(Array::from_vector<int64_t>(order, {n}));
  }
  const Array a = array_arg(x, "permutation", "x");
  LARIX_CHECK(a.ndim() >= 1, index, "x must be an integer or at least 1-dimensional");
  const auto order = rnd::with_global_state(
      [&](rnd::LegacyState& state) { return rnd::shuffle_order(state, a.dim(0)); });
  return Value(rnd::take_rows(a, order));
}

// np.random.choice(a, size, replace, p): RandomState.choice's checks, in its order, then its draws
// (kernels::random::choice).
Value choice_kernel(KernelArgs& args) {
  const Array a = array_arg(args[0], "choice", "a");
  const auto size = parse_size(args[1], "choice");
  const bool replace = args[2].as_bool("replace");
  const int64_t n = size ? shape_size(*size) : 1;
  int64_t pop = 0;
  if (a.ndim() == 0) {
    LARIX_CHECK(is_integral(a.dtype()), value, "a must be 1-dimensional or an integer");
    pop = a.item<int64_t>(0);
    LARIX_CHECK(pop > 0 || (size && n == 0), value,
                "a must be greater than 0 unless no samples are taken");
  } else {
    LARIX_CHECK(a.ndim() == 1, value, "a must be 1-dimensional");
    pop = a.shape()[0];
    LARIX_CHECK(pop > 0 || (size && n == 0), value,
                "'a' cannot be empty unless no samples are taken");
  }
  std::vector<double> p;
  if (!args[3].is_nil()) {
    const Array pa = array_arg(args[3], "choice", "p");
    LARIX_CHECK(pa.ndim() > 0, type, "object of type '", args[3].type_name(), "' has no len()");
    // NumPy's tolerance: sqrt(eps) of float64, or of p's own float dtype when p is an array.
    double atol = std::sqrt(std::numeric_limits<double>::epsilon());
    if (args[3].is_array() && pa.dtype() == DType::float32)
      atol = std::max(atol, std::sqrt(double{std::numeric_limits<float>::epsilon()}));
    LARIX_CHECK(pa.ndim() == 1, value, "'p' must be 1-dimensional");
    LARIX_CHECK(pa.size() == pop, value, "'a' and 'p' must have same size");
    const Array pd = kernels::cast(pa, DType::float64).copy();
    p.assign(pd.data<double>(), pd.data<double>() + pd.size());
    double sum = p.empty() ? 0.0 : p[0], c = 0.0;  // NumPy's kahan_sum
    for (std::size_t i = 1; i < p.size(); ++i) {
      const double y = p[i] - c, t = sum + y;
      c = (t - sum) - y;
      sum = t;
    }
    LARIX_CHECK(!std::isnan(sum), value, "probabilities contain NaN");
    for (double x : p) LARIX_CHECK(!(x < 0), value, "probabilities are not non-negative");
    LARIX_CHECK(std::abs(sum - 1.0) <= atol, value, "probabilities do not sum to 1");
  }
  if (!replace) {
    LARIX_CHECK(n <= pop, value,
                "Cannot take a larger sample than population when 'replace=False'");
    if (!p.empty()) {
      const auto positive = std::count_if(p.begin(), p.end(), [](double x) { return x > 0; });
      LARIX_CHECK(positive >= n, value, "Fewer non-zero entries in p than size");
    }
  }
  const std::vector<int64_t> drawn = rnd::with_global_state(
      [&](rnd::LegacyState& state) { return rnd::choice(state, pop, n, replace, p); });
  if (!size && a.ndim() == 0) return Value(drawn[0]);  // a Python int, as NumPy's idx.item(0)
  const Array idx = Array::from_vector<int64_t>(drawn, size.value_or(Shape{}));
  if (a.ndim() == 0) return Value(idx);
  return Value(kernels::index(a, {kernels::Index::of_array(idx)}));
}

const char* const kState =
    "\n\nDraws from Larix's one global random state, whose streams equal NumPy's legacy global "
    "np.random (RandomState, MT19937) for the same seed. Calls that run one after another are "
    "reproducible; the order in which concurrently running random calls draw is not.";

const char* const kSize =
    " `size` is nil (one value: a Python float), an int or a shape such as '(2, 3).";

std::string doc(const std::string& head, const std::string& body) {
  return head + "\n\n" + body + kState;
}

}  // namespace

void register_random(Registry& r) {
  const Value nil;
  auto add = [&r](PrimitiveInfo info) {
    info.pure = false;
    info.effect = true;  // reads and advances the global state: runs in program order
    r.add(std::move(info));
  };
  add({.name = "set_seed",
       .aliases = {"seed"},
       .signature = {{arg("seed", nil)}},
       .doc = doc("set_seed(seed=nil)",
                  "Seeds the global random state, as numpy.random.seed: an int in [0, 2**32) "
                  "seeds with MT19937's init_genrand, a list or 1-d array of such ints with "
                  "init_by_array (a one-element array counts as its element, as in NumPy), nil "
                  "with a seed from the operating system's entropy. Resets the cached second "
                  "normal value. Returns nil. ValueError for a seed out of range, an empty or "
                  "non-1-d array; TypeError for a float or another non-integer seed."),
       .kernel = seed_kernel});
  add({.name = "get_seed",
       .signature = {},
       .doc = doc("get_seed()",
                  "The seed last given to set_seed (as given: an int or a list/array), as "
                  "Phylanx's get_seed. Before any set_seed, the 32-bit seed the process's state "
                  "was seeded with from the operating system's entropy."),
       .kernel = get_seed_kernel});
  add({.name = "random_sample",
       .aliases = {"random", "ranf", "sample"},
       .signature = {{arg("size", nil)}},
       .doc = doc("random_sample(size=nil)",
                  std::string("Uniform floats in [0, 1), as numpy.random.random_sample (and its "
                              "aliases numpy.random.random, ranf, sample): each is "
                              "((a >> 5) * 2**26 + (b >> 6)) / 2**53 of two 32-bit draws a, b.") +
                      kSize +
                      " Phylanx's random(shape, distribution) is not kept: `random` is NumPy's "
                      "np.random.random; other distributions have their own primitives."),
       .kernel = random_sample_kernel});
  add({.name = "rand",
       .signature = {.variadic = true},
       .doc = doc("rand(d0, d1, ...)",
                  "An array of shape (d0, d1, ...) of uniform floats in [0, 1), as "
                  "numpy.random.rand (random_sample with the dimensions as arguments); rand() is "
                  "one Python float. TypeError for a non-integer dimension, ValueError for a "
                  "negative one."),
       .kernel = rand_kernel});
  add({.name = "randn",
       .signature = {.variadic = true},
       .doc = doc("randn(d0, d1, ...)",
                  "An array of shape (d0, d1, ...) of standard normal floats, as "
                  "numpy.random.randn: NumPy's legacy polar Box-Muller method, which makes two "
                  "values from each accepted pair of uniforms and returns the cached second one "
                  "on the next draw (set_seed drops it). randn() is one Python float."),
       .kernel = randn_kernel});
  add({.name = "standard_normal",
       .signature = {{arg("size", nil)}},
       .doc = doc("standard_normal(size=nil)",
                  std::string("Standard normal floats, as numpy.random.standard_normal (the same "
                              "draws as randn).") +
                      kSize),
       .kernel = standard_normal_kernel});
  add({.name = "uniform",
       .signature = {{arg("low", Value(0.0)), arg("high", Value(1.0)), arg("size", nil)}},
       .doc = doc("uniform(low=0.0, high=1.0, size=nil)",
                  std::string("Uniform floats in [low, high), as numpy.random.uniform: "
                              "low + (high - low) * random_sample. low and high may be arrays "
                              "that broadcast (with size, to exactly size); without size the "
                              "result has their broadcast shape (a Python float when both are "
                              "scalars).") +
                      kSize +
                      " OverflowError when high - low is not finite; high < low is allowed, as "
                      "in NumPy."),
       .kernel = uniform_kernel});
  add({.name = "normal",
       .signature = {{arg("loc", Value(0.0)), arg("scale", Value(1.0)), arg("size", nil)}},
       .doc = doc("normal(loc=0.0, scale=1.0, size=nil)",
                  std::string("Normal floats, as numpy.random.normal: loc + scale * a standard "
                              "normal draw (the legacy Box-Muller method of randn). loc and scale "
                              "broadcast as in uniform.") +
                      kSize + " ValueError \"scale < 0\" for a negative scale."),
       .kernel = normal_kernel});
  add({.name = "poisson",
       .signature = {{arg("lam", Value(1.0)), arg("size", nil)}},
       .doc = doc("poisson(lam=1.0, size=nil)",
                  std::string("Poisson counts (int64), as numpy.random.poisson, draw for draw: "
                              "0 for lam 0, the multiplication of uniforms below 10, Hoermann's "
                              "transformed rejection (PTRS) from 10. lam may be an array (with "
                              "size, broadcast to exactly size); a Python int when lam is a "
                              "number and size is nil.") +
                      kSize +
                      " ValueError for a negative or NaN lam, or one above 2**63 less ten "
                      "standard deviations (\"lam value too large\"), before any draw."),
       .kernel = poisson_kernel});
  add({.name = "binomial",
       .signature = {{arg("n"), arg("p"), arg("size", nil)}},
       .doc = doc("binomial(n, p, size=nil)",
                  std::string("Binomial counts (int64), as numpy.random.binomial, draw for draw: "
                              "inversion while min(p, 1 - p) * n <= 30, else the BTPE algorithm "
                              "of Kachitvichyanukul and Schmeiser; n is cast to int64 (a float "
                              "truncated). n and p broadcast as in uniform; a Python int when "
                              "both are numbers and size is nil.") +
                      kSize +
                      " ValueError for p outside [0, 1] or NaN (checked first) and for n < 0, "
                      "before any draw."),
       .kernel = binomial_kernel});
  add({.name = "randint",
       .signature = {{arg("low"), arg("high", nil), arg("size", nil),
                      arg("dtype", Value("int64"))}},
       .doc = doc("randint(low, high=nil, size=nil, dtype=\"int64\")",
                  "Integers in [low, high) (in [0, low) without high), as numpy.random.randint: "
                  "legacy masked rejection sampling (draw, keep the bits of the smallest mask "
                  "covering high - low - 1, retry while too large) on 32-bit draws when the range "
                  "fits in 32 bits and on 64-bit draws (two 32-bit draws, high half first) "
                  "otherwise. dtype \"int64\" or \"bool\" (bools take their bits one at a time "
                  "from 32-bit draws, as NumPy). low and high may be arrays that broadcast; float "
                  "bounds are truncated. A scalar call gives a Python int (bool). ValueError "
                  "\"low >= high\" (\"high <= 0\" when low is 0) for an empty range, and for "
                  "bounds outside dtype; TypeError for another dtype. Bounds are int64: "
                  "high = 2**63, which NumPy allows, cannot be written."),
       .kernel = randint_kernel});
  add({.name = "shuffle",
       .signature = {{arg("x")}},
       .doc = doc("shuffle(x)",
                  "x with its items along axis 0 in random order, as numpy.random.shuffle, but "
                  "returned (PhySL values are immutable; x itself is unchanged). It makes exactly "
                  "the draws of NumPy's in-place legacy Fisher-Yates shuffle: for i from len(x)-1 "
                  "down to 1, j uniform in [0, i] by masked rejection of 32-bit draws "
                  "(random_interval), swap items i and j; nothing is drawn for an array without "
                  "elements. A list gives a shuffled list. TypeError for a scalar or a 0-d "
                  "array."),
       .kernel = shuffle_kernel});
  add({.name = "choice",
       .signature = {{arg("a"), arg("size", nil), arg("replace", Value(true)), arg("p", nil)}},
       .doc = doc("choice(a, size=nil, replace=true, p=nil)",
                  std::string("A random sample of the 1-d array a (or of arange(a) when a is an "
                              "int), as numpy.random.choice, with NumPy's legacy draws: without "
                              "p, randint(0, len) with replacement and the first items of "
                              "permutation(len) without; with p (probabilities, one per item), "
                              "random_sample searched in p's normalised cumulative sum, and "
                              "without replacement NumPy's rounds that redraw until the items "
                              "are distinct. `size` is nil (one value), an int or a shape such as "
                              "'(2, 3).") +
                      " A scalar call gives a Python int for an int a, a 0-d array of a's dtype "
                      "for an array a. ValueError, in NumPy's order, for a float or empty a, a "
                      "2-d a, p of another length, not 1-d, with NaN, a negative entry or a sum "
                      "off 1 by more than sqrt(eps), a sample larger than the population or "
                      "than p's non-zero entries without replacement; TypeError for a 0-d p."),
       .kernel = choice_kernel});
  add({.name = "permutation",
       .signature = {{arg("x")}},
       .doc = doc("permutation(x)",
                  "A shuffled copy of x along axis 0 (an array or list), or of arange(x) when x is "
                  "an int, as numpy.random.permutation (the draws of shuffle). IndexError for a "
                  "float or a 0-d float array."),
       .kernel = permutation_kernel});
}

}  // namespace larix
