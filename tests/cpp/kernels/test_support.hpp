// Helpers shared by the kernel tests: an array's elements as a vector, and the error a call throws.
#pragma once

#include <doctest/doctest.h>

#include <vector>

#include "larix/array/array.hpp"

namespace larix::test {

template <class T>
std::vector<T> items(const Array& a) {
  std::vector<T> out;
  for (std::int64_t i = 0; i < a.size(); ++i) out.push_back(a.item<T>(i));
  return out;
}

template <class F>
Error error_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  FAIL("no error");
  return Error(ErrorKind::internal, "");
}

}  // namespace larix::test
