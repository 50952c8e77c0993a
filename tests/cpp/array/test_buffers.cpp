// Buffers: who may write an array in place, private handles of a buffer (what a parallel loop's
// chunks read through), and the allocation counter when several threads allocate.
#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "larix/array/array.hpp"

using namespace larix;

TEST_CASE("a private handle shares the elements and is never the memory's only holder") {
  Array a = Array::from_vector<double>({1, 2, 3});
  REQUIRE(a.uniquely_owned());
  Array h = a.private_handle();
  CHECK(h.bytes() == a.bytes());
  CHECK(h.buffer() != a.buffer());
  CHECK(h.shares_buffer());
  CHECK_FALSE(h.uniquely_owned());
  CHECK_FALSE(a.uniquely_owned());  // its handle holds it
  CHECK_FALSE(h.is_borrowed());

  SUBCASE("the handle alone keeps the memory alive, and is still not its only holder") {
    a = Array();
    CHECK(h.buffer().use_count() == 1);
    CHECK_FALSE(h.uniquely_owned());
    CHECK(h.item<double>(2) == 3.0);
    Array copy = h;
    copy.unshare();  // copy-on-write copies
    CHECK(copy.bytes() != h.bytes());
    CHECK(copy.uniquely_owned());
  }
  SUBCASE("writing through a handle writes the array (a parallel loop's owned rows)") {
    h.mutable_data<double>()[1] = 20.0;
    CHECK(a.item<double>(1) == 20.0);
  }
  SUBCASE("a handle of a handle, and views of one, are handles too") {
    Array hh = h.private_handle();
    h = Array();
    a = Array();
    CHECK_FALSE(hh.uniquely_owned());
    CHECK(hh.item<double>(0) == 1.0);
    const Array v = hh.view(8, {2}, {8});
    CHECK(v.shares_buffer());
    CHECK(v.item<double>(1) == 3.0);
  }
}

TEST_CASE("a private handle of a borrowed array stays read-only") {
  std::vector<double> memory{1, 2};
  const Array b = Array::borrow(memory.data(), DType::float64, {2}, {8}, nullptr);
  const Array h = b.private_handle();
  CHECK(h.is_borrowed());
  CHECK_FALSE(h.uniquely_owned());
  CHECK(h.item<double>(1) == 2.0);
}

TEST_CASE("allocations on several threads are all counted") {
  const std::uint64_t before = buffers_allocated();
  constexpr int kThreads = 4, kEach = 1000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([] {
      for (int i = 0; i < kEach; ++i) (void)Array::empty(DType::float64, {i % 300});
    });
  for (std::thread& t : threads) t.join();
  CHECK(buffers_allocated() - before == kThreads * kEach);
}

TEST_CASE("a scalar operand is a read-only 0-d array over the object, without an allocation") {
  const std::uint64_t before = buffers_allocated();
  ScalarOperand storage;
  const Array& x = storage.set(2.5);
  CHECK(buffers_allocated() == before);
  CHECK(x.ndim() == 0);
  CHECK(x.dtype() == DType::float64);
  CHECK(x.item<double>() == 2.5);
  CHECK(x.is_borrowed());
  CHECK_FALSE(x.uniquely_owned());  // never written in place
  Array copy = x;
  copy.unshare();  // a copy that wants to write gets memory of its own
  CHECK(copy.bytes() != x.bytes());
  CHECK(copy.item<double>() == 2.5);
  const Array& i = storage.set(std::int64_t{-7});  // set again: another dtype
  CHECK(i.dtype() == DType::int64);
  CHECK(i.item<std::int64_t>() == -7);
  CHECK(storage.set(true).item<bool>());
}
