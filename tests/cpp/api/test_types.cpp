// The compiler's Type and the infer_types pass (compiler/infer_types.hpp), seen through compile().
#include <doctest/doctest.h>

#include "larix/api/larix.hpp"

using namespace larix;
using larix::compiler::Type;
using larix::compiler::TypeKind;

namespace {

std::string result(const std::string& text, std::optional<std::vector<Type>> signature = {}) {
  compiler::CompileOptions options;
  options.signature = std::move(signature);
  return compiler::compile(text, options).result.str();
}

Type array(DType dtype, std::vector<std::int64_t> dims) {
  return Type{.kind = TypeKind::array, .dtype = dtype, .rank = int(dims.size()), .dims = dims};
}

}  // namespace

TEST_CASE("Type: of a value, join, str") {
  CHECK(Type::of(Value(3)).str() == "int 3");
  CHECK(Type::of(Value(3), false).str() == "int");
  CHECK(Type::of(Value(Array::zeros(DType::float32, {2, 3})), false, false).str() ==
        "float32[?, ?]");
  CHECK(join(Type::of(Value(1)), Type::of(Value(2))).str() == "int");
  CHECK(join(Type::of(Value(1)), Type::of(Value(2.0))).str() == "?");
  CHECK(join(array(DType::float64, {3}), array(DType::float64, {4})).str() == "float64[?]");
  CHECK(join(array(DType::float64, {3}), array(DType::int64, {3, 1})).str() == "?[...]");
  CHECK(join(Type::of(TypeKind::none), Type::of(Value(2.5))).str() == "float 2.5");
  CHECK(!Type{}.known());
  CHECK(array(DType::bool_, {2}).complete());
  CHECK(!array(DType::bool_, {-1}).complete());
}

TEST_CASE("infer_types: constants, variables, rules, functions") {
  CHECK(result("define(a, zeros(list(2, 3))) a + 1") == "float64[2, 3]");
  CHECK(result("define(a, ones(3, \"float32\")) dot(a, a)") == "float32[]");
  CHECK(result("define(i, 0) while(i < 3, store(i, i + 1)) i") == "int");
  CHECK(result("define(x, 0) store(x, 2.5) x") == "?");
  CHECK(result("define(f, n, if(n < 2, n, f(n - 1) + f(n - 2))) f(10)") == "int");
  CHECK(result("define(f, a, b, dot(a, b)) f",
               std::vector<Type>{array(DType::float64, {3, -1}), array(DType::float64, {-1})}) ==
        "float64[3]");
  CHECK(result("define(f, a, sum(a, 0)) f", std::vector<Type>{array(DType::int64, {-1, -1})}) ==
        "int64[?]");
  // A visible call gives the parameter its argument's type; other uses make it unknown.
  CHECK(result("define(f, a, sum(a, 0)) f(zeros(4))") == "float64[]");
  CHECK(result("define(f, a, sum(a, 0)) block(fmap(f, list(1)), f(zeros(4)))") == "?");
}

TEST_CASE("infer_types: errors it proves where they surely run first") {
  const auto error = [](const std::string& text) {
    try {
      compiler::compile(text);
    } catch (const Error& e) {
      return std::to_string(e.loc().line) + ":" + std::to_string(e.loc().col) + " " + e.message();
    }
    return std::string("none");
  };
  CHECK(error("define(a, ones(list(2, 3)))\ndot(a, ones(4))") ==
        "2:1 shapes (2,3) and (4,) not aligned: 3 (dim 1) != 4 (dim 0)");
  CHECK(error("define(a, ones(3))\nif(a, dot(a, ones(4)), 0)") == "none");
  CHECK(error("define(f, x, dot(ones(3), ones(4)))\nf") == "none");
  CHECK(error("cout(1)\ndot(ones(3), ones(4))") == "none");
}
