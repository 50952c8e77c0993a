// Array: an n-d view (dtype, shape, byte strides, byte offset) over a shared buffer.
// A buffer is either owned (allocated by Larix) or borrowed (a NumPy array's memory, kept alive by
// `owner` and never written). Arrays are values: writing goes through `mutable_data()`, which is
// allowed only on a uniquely owned, writable buffer (copy-on-write is the caller's job:
// `unshare()`).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "larix/array/dtype.hpp"
#include "larix/support/checked.hpp"
#include "larix/support/small_vector.hpp"

namespace larix {

// Dimensions and byte strides (NumPy's): up to four without a heap allocation.
using Shape = SmallVector<std::int64_t, 4>;
using Strides = SmallVector<std::int64_t, 4>;

struct Buffer {
  void* data = nullptr;
  std::size_t nbytes = 0;
  bool writable = true;
  // Another handle of memory a second Buffer holds (Array::private_handle): its own reference
  // count, so never the only holder of the memory, whatever that count says.
  bool handle = false;
  std::shared_ptr<void> owner;  // frees the memory (owned), keeps the NumPy array alive (borrowed)
                                // or the buffer this one is a handle of
};

// The number of elements; NumPy's "array is too big" ValueError when it does not fit in int64.
std::int64_t shape_size(const Shape& shape);
// A shape an array may have: at most kMaxRank dimensions, none negative, and its span in bytes
// (every dimension counted, a zero one as 1) within int64; else a ValueError as NumPy's. Returns
// the number of bytes of its elements.
std::int64_t check_shape(const Shape& shape, std::size_t itemsize);
// "8.00 TiB" (NumPy's MemoryError message).
std::string bytes_str(std::int64_t nbytes);
// Buffers allocated for arrays so far (a debug counter, one relaxed atomic per allocation).
std::uint64_t buffers_allocated();
std::string shape_str(const Shape& shape);  // "(2, 3)" like NumPy
Strides c_strides(const Shape& shape, std::size_t itemsize);

class Array {
 public:
  Array() = default;  // no buffer: only a placeholder to assign to
  static Array empty(DType dtype, Shape shape);
  static Array zeros(DType dtype, Shape shape);
  // Borrow foreign memory: no copy; `owner` keeps it alive; never written by Larix.
  static Array borrow(void* data, DType dtype, Shape shape, Strides strides,
                      std::shared_ptr<void> owner);
  // The same over a buffer the caller made (data set, not writable; nbytes 0 when unknown).
  static Array borrow(std::shared_ptr<Buffer> buffer, DType dtype, Shape shape, Strides strides);
  template <class T>
  static Array scalar(T value) {
    Array a = empty(dtype_of<T>(), {});
    *a.mutable_data<T>() = value;
    return a;
  }
  // A 1-d array from values (for tests and literals).
  template <class T>
  static Array from_vector(const std::vector<T>& values, Shape shape = {}) {
    if (shape.empty() && values.size() != 1) shape = {static_cast<std::int64_t>(values.size())};
    Array a = empty(dtype_of<T>(), shape);
    T* out = a.mutable_data<T>();
    for (std::size_t i = 0; i < values.size(); ++i) out[i] = values[i];
    return a;
  }

  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  const Strides& strides() const { return strides_; }
  std::int64_t offset() const { return offset_; }
  int ndim() const { return static_cast<int>(shape_.size()); }
  std::int64_t size() const { return shape_size(shape_); }
  std::size_t itemsize() const { return larix::itemsize(dtype_); }
  std::int64_t dim(int axis) const;  // negative axes count from the end
  bool is_c_contiguous() const;
  bool is_borrowed() const { return !buffer_->writable; }
  const std::shared_ptr<Buffer>& buffer() const { return buffer_; }
  // Whether another Array (here or in another thread) may hold this one's memory.
  bool shares_buffer() const { return buffer_.use_count() > 1 || buffer_->handle; }
  // The same elements through a buffer handle of its own, which keeps this buffer alive: copies
  // of the result count their references on the handle, not on the buffer. A parallel loop's
  // chunks read the loop's arrays through such handles, so that threads reading one array never
  // write one shared reference count (a cache line every core would fight over). Writable when
  // this is; never uniquely owned (copy-on-write still copies).
  Array private_handle() const;

  const char* bytes() const { return static_cast<const char*>(buffer_->data) + offset_; }
  template <class T>
  const T* data() const {
    LARIX_ASSERT(dtype_of<T>() == dtype_, "array is ", dtype_name(dtype_));
    return reinterpret_cast<const T*>(bytes());
  }
  // Writable access: only on a buffer this Array alone holds (see unshare()).
  char* mutable_bytes();
  template <class T>
  T* mutable_data() {
    LARIX_ASSERT(dtype_of<T>() == dtype_, "array is ", dtype_name(dtype_));
    return reinterpret_cast<T*>(mutable_bytes());
  }
  // True when writing in place cannot be observed by anyone else.
  bool uniquely_owned() const;
  // Make this Array the only holder of a writable, C-contiguous buffer (copies when needed).
  void unshare();

  // The element at a flat C-order index, converted to T (any rank, any strides).
  template <class T>
  T item(std::int64_t flat_index = 0) const;
  double item_as_double(std::int64_t flat_index = 0) const;

  Array copy() const;        // C-contiguous, owned
  Array contiguous() const;  // *this if already C-contiguous, else copy()
  // Always a new owned array unless dtype matches (then *this); complex to real is
  // complex_unsupported's TypeError (kernels::cast_discarding_imaginary keeps the real part).
  Array astype(DType dtype) const;
  Array reshape(const Shape& shape) const;  // -1 allowed once; a view when contiguous
  Array view(std::int64_t byte_offset, Shape shape, Strides strides) const;
  // The same bytes read as another dtype of the same size (ndarray.view(dtype)): a view.
  Array view_as(DType dtype) const;
  Array transpose() const;                              // reverse axes (a view)
  Array transpose(const std::vector<int>& axes) const;  // permute axes (a view)
  Array broadcast_to(const Shape& shape) const;         // a view with 0 strides

 private:
  std::shared_ptr<Buffer> buffer_;
  DType dtype_ = DType::float64;
  Shape shape_;
  Strides strides_;
  std::int64_t offset_ = 0;
};

// A number as a 0-d array without an allocation: the array points into this object, which
// must outlive it and every copy of it. For an operand that a kernel reads and does not keep
// (kernels::binary returns a new array): `a + 1` then allocates only its result. Read-only.
class ScalarOperand {
 public:
  ScalarOperand() = default;
  ScalarOperand(const ScalarOperand&) = delete;
  ScalarOperand& operator=(const ScalarOperand&) = delete;

  template <class T>
  const Array& set(T value) {
    static_assert(sizeof(T) <= sizeof(bytes_));
    std::memcpy(bytes_, &value, sizeof(T));
    buffer_.data = bytes_;
    buffer_.nbytes = sizeof(T);
    buffer_.writable = false;
    // No control block: nothing counts references to (or frees) this stack object.
    array_ = Array::borrow(std::shared_ptr<Buffer>(std::shared_ptr<Buffer>(), &buffer_),
                           dtype_of<T>(), {}, {});
    return array_;
  }

 private:
  Buffer buffer_;
  alignas(8) unsigned char bytes_[8] = {};
  Array array_;
};

// Walks the elements of an n-d strided array in C order and calls f(byte_offset) for each.
// (Kernels use faster paths for contiguous data; this is the general fallback.)
template <class F>
void for_each_offset(const Shape& shape, const Strides& strides, F&& f) {
  const int nd = static_cast<int>(shape.size());
  if (shape_size(shape) == 0) return;
  if (nd == 0) {
    f(std::int64_t{0});
    return;
  }
  std::vector<std::int64_t> index(nd, 0);
  std::int64_t offset = 0;
  const std::int64_t inner = shape[nd - 1];
  const std::int64_t inner_stride = strides[nd - 1];
  while (true) {
    for (std::int64_t i = 0; i < inner; ++i) f(offset + i * inner_stride);
    int axis = nd - 2;
    while (axis >= 0) {
      offset += strides[axis];
      if (++index[axis] < shape[axis]) break;
      offset -= strides[axis] * shape[axis];
      index[axis] = 0;
      --axis;
    }
    if (axis < 0) return;
  }
}

template <class T>
T Array::item(std::int64_t flat_index) const {
  LARIX_ASSERT(flat_index >= 0 && flat_index < size(), "item index out of range");
  std::int64_t offset = 0;
  for (int axis = ndim() - 1; axis >= 0; --axis) {
    const std::int64_t i = flat_index % shape_[axis];
    flat_index /= shape_[axis];
    offset += i * strides_[axis];
  }
  return visit_storage_dtype(dtype_, [&](auto tag) -> T {
    using S = typename decltype(tag)::type;
    const S v = *reinterpret_cast<const S*>(bytes() + offset);
    if constexpr (is_complex_v<S> && !is_complex_v<T>) complex_unsupported();  // a real is needed
    else if constexpr (std::is_same_v<S, Half> || is_complex_v<T>) return convert_element<S, T>(v);
    else return static_cast<T>(v);
  });
}

}  // namespace larix
