#include "larix/array/array.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <numeric>
#include <vector>

#include "larix/support/thread_index.hpp"

namespace larix {

std::int64_t shape_size(const Shape& shape) {
  std::int64_t n = 1;
  for (auto d : shape)
    if (__builtin_mul_overflow(n, d, &n)) checked_size(kMaxBytes, 2);  // "array is too big"
  return n;
}

std::int64_t check_shape(const Shape& shape, std::size_t itemsize) {
  check_rank(static_cast<std::int64_t>(shape.size()));
  // As NumPy: every dimension counts (a zero one too), so that strides fit as well.
  std::int64_t span = static_cast<std::int64_t>(itemsize), n = 1;
  for (auto d : shape) {
    LARIX_CHECK(d >= 0, value, "negative dimensions are not allowed");
    span = checked_size(span, std::max<std::int64_t>(d, 1));
    n *= d;
  }
  return n * static_cast<std::int64_t>(itemsize);
}

std::string bytes_str(std::int64_t nbytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double v = static_cast<double>(nbytes);
  int u = 0;
  while (v >= 1024 && u < 6) v /= 1024, ++u;
  char text[32];
  std::snprintf(text, sizeof text, u ? "%.2f %s" : "%.0f %s", v, units[u]);
  return text;
}

std::string shape_str(const Shape& shape) {
  std::string out = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i) out += ", ";
    out += std::to_string(shape[i]);
  }
  if (shape.size() == 1) out += ",";
  return out + ")";
}

Strides c_strides(const Shape& shape, std::size_t itemsize) {
  Strides strides(shape.size());
  std::int64_t stride = static_cast<std::int64_t>(itemsize);
  for (int i = static_cast<int>(shape.size()) - 1; i >= 0; --i) {
    strides[i] = stride;
    stride *= std::max<std::int64_t>(shape[i], 1);
  }
  return strides;
}

namespace {

// Freed large blocks wait here for the next allocation of the same size. A fresh block costs a
// page fault per page on first touch, where the kernel zeroes the page: for an 8 MB result that is
// as long as the loop that fills it. Iterative code allocates the same sizes again and again, and
// NumPy gets the same reuse from glibc's malloc (its mmap threshold grows to the freed size).
class BlockCache {
 public:
  static constexpr std::size_t kMinBytes = std::size_t{256} << 10;  // smaller: malloc is fine
  static constexpr std::size_t kMaxBytes = std::size_t{256} << 20;  // held at most, in all
  static constexpr std::size_t kMaxBlocks = 16;

  void* take(std::size_t size, std::size_t alignment) {
    std::lock_guard lock(mutex_);
    for (std::size_t i = blocks_.size(); i-- > 0;) {  // the most recently freed first
      if (blocks_[i].size != size || blocks_[i].alignment != alignment) continue;
      void* data = blocks_[i].data;
      blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(i));
      bytes_ -= size;
      return data;
    }
    return nullptr;
  }

  void give(void* data, std::size_t size, std::size_t alignment) {
    if (size > kMaxBytes) {
      std::free(data);
      return;
    }
    std::vector<void*> evicted;
    {
      std::lock_guard lock(mutex_);
      blocks_.push_back({data, size, alignment});
      bytes_ += size;
      while (bytes_ > kMaxBytes || blocks_.size() > kMaxBlocks) {  // the oldest go
        evicted.push_back(blocks_.front().data);
        bytes_ -= blocks_.front().size;
        blocks_.erase(blocks_.begin());
      }
    }
    for (void* p : evicted) std::free(p);
  }

 private:
  struct Block {
    void* data;
    std::size_t size, alignment;
  };
  std::mutex mutex_;
  std::vector<Block> blocks_;
  std::size_t bytes_ = 0;
};

// Never destroyed: NumPy arrays that own our buffers may be freed after static destructors ran.
BlockCache& block_cache() {
  static BlockCache* cache = new BlockCache;
  return *cache;
}

// The allocation count, kept per thread: one counter every thread incremented would be a cache
// line all cores fight over on every allocation. Threads share a shard only beyond kShards.
struct alignas(64) AllocationShard {
  std::atomic<std::uint64_t> count{0};
};
constexpr std::size_t kShards = 64;
AllocationShard allocation_shards[kShards];

void count_allocation() {
  allocation_shards[thread_index() % kShards].count.fetch_add(1, std::memory_order_relaxed);
}

// A small array's elements live in its Buffer, and the Buffer in its shared_ptr's control block:
// one allocation instead of three (the elements, the Buffer, the deleter's control block). Kernels
// assume no alignment beyond the element's (NumPy's own arrays give no more).
template <std::size_t N>
struct InlineBuffer final : Buffer {
  InlineBuffer() { data = storage; }
  InlineBuffer(const InlineBuffer&) = delete;
  InlineBuffer& operator=(const InlineBuffer&) = delete;
  alignas(16) unsigned char storage[N];
};

template <std::size_t N>
std::shared_ptr<Buffer> inline_buffer(std::size_t nbytes) {
  auto buffer = std::make_shared<InlineBuffer<N>>();
  buffer->nbytes = nbytes;
  return buffer;
}

// A medium array's elements come from malloc, with malloc's own alignment (16), which every kernel
// is content with; aligned_alloc takes a slower path in glibc, and its free more so. The Buffer,
// which frees them, is in its shared_ptr's control block.
struct MallocBuffer final : Buffer {
  explicit MallocBuffer(void* memory, std::size_t size) {
    data = memory;
    nbytes = size;
  }
  ~MallocBuffer() { std::free(data); }
  MallocBuffer(const MallocBuffer&) = delete;
  MallocBuffer& operator=(const MallocBuffer&) = delete;
};

std::shared_ptr<Buffer> malloc_buffer(std::size_t nbytes) {
  void* data = std::malloc(std::max<std::size_t>(nbytes, 1));
  if (!data) throw std::bad_alloc();
  try {
    return std::make_shared<MallocBuffer>(data, nbytes);
  } catch (...) {
    std::free(data);
    throw;
  }
}

std::shared_ptr<Buffer> allocate(std::size_t nbytes) {
  count_allocation();
  if (nbytes <= 64) return inline_buffer<64>(nbytes);
  if (nbytes <= 256) return inline_buffer<256>(nbytes);
  if (nbytes <= 1024) return inline_buffer<1024>(nbytes);
  // Large arrays: 64-byte alignment, huge pages (aligned to and advised as) from 4 MiB, as NumPy
  // does, which saves most of the page faults of touching fresh memory. Cached sizes are rounded
  // to 64 KiB so that nearby sizes share blocks.
  constexpr std::size_t kHuge = std::size_t{2} << 20;
  const bool cached = nbytes >= BlockCache::kMinBytes;
  const std::size_t alignment = nbytes >= 2 * kHuge ? kHuge : 64;
  const std::size_t granule = cached ? std::max<std::size_t>(alignment, 64 << 10) : alignment;
  const std::size_t rounded =
      std::max<std::size_t>(granule, (nbytes + granule - 1) / granule * granule);
  if (!cached) return malloc_buffer(nbytes);
  void* data = block_cache().take(rounded, alignment);
  if (!data) {
    data = std::aligned_alloc(alignment, rounded);
    if (!data) throw std::bad_alloc();
    if (alignment == kHuge) madvise(data, rounded, MADV_HUGEPAGE);
  }
  auto buffer = std::make_shared<Buffer>();
  buffer->data = data;
  buffer->nbytes = nbytes;
  buffer->writable = true;
  buffer->owner = std::shared_ptr<void>(
      data, [rounded, alignment](void* p) { block_cache().give(p, rounded, alignment); });
  return buffer;
}
}  // namespace

Array Array::empty(DType dtype, Shape shape) {
  const std::int64_t nbytes = check_shape(shape, larix::itemsize(dtype));
  CompileTimeBudget::check(nbytes);
  Array a;
  a.dtype_ = dtype;
  a.strides_ = c_strides(shape, larix::itemsize(dtype));
  try {
    a.buffer_ = allocate(static_cast<std::size_t>(nbytes));
  } catch (const std::bad_alloc&) {
    user_error(ErrorKind::memory, "Unable to allocate ", bytes_str(nbytes),
               " for an array with shape ", shape_str(shape), " and data type ", dtype_name(dtype));
  }
  a.shape_ = std::move(shape);
  return a;
}

Array Array::zeros(DType dtype, Shape shape) {
  Array a = empty(dtype, std::move(shape));
  std::memset(a.buffer_->data, 0, a.buffer_->nbytes);
  return a;
}

Array Array::borrow(void* data, DType dtype, Shape shape, Strides strides,
                    std::shared_ptr<void> owner) {
  auto buffer = std::make_shared<Buffer>();
  buffer->data = data;
  buffer->nbytes = 0;  // unknown: a view into someone else's memory
  buffer->writable = false;
  buffer->owner = std::move(owner);
  return borrow(std::move(buffer), dtype, std::move(shape), std::move(strides));
}

Array Array::borrow(std::shared_ptr<Buffer> buffer, DType dtype, Shape shape, Strides strides) {
  LARIX_ASSERT(!buffer->writable, "a borrowed buffer is never written");
  Array a;
  a.buffer_ = std::move(buffer);
  a.dtype_ = dtype;
  check_rank(static_cast<std::int64_t>(shape.size()));
  a.shape_ = std::move(shape);
  a.strides_ = std::move(strides);
  return a;
}

std::int64_t Array::dim(int axis) const {
  const int nd = ndim();
  const int a = axis < 0 ? axis + nd : axis;
  LARIX_CHECK(a >= 0 && a < nd, axis, "axis ", axis, " is out of bounds for array of dimension ",
              nd);
  return shape_[a];
}

bool Array::is_c_contiguous() const {
  std::int64_t expected = static_cast<std::int64_t>(itemsize());
  for (int i = ndim() - 1; i >= 0; --i) {
    if (shape_[i] != 1 && strides_[i] != expected) return false;
    expected *= shape_[i];
  }
  return true;
}

char* Array::mutable_bytes() {
  LARIX_ASSERT(buffer_->writable, "write to a borrowed (read-only) buffer");
  return static_cast<char*>(buffer_->data) + offset_;
}

bool Array::uniquely_owned() const { return buffer_->writable && !shares_buffer(); }

Array Array::private_handle() const {
  auto handle = std::make_shared<Buffer>(*buffer_);
  handle->handle = true;
  handle->owner = buffer_;
  Array a = *this;
  a.buffer_ = std::move(handle);
  return a;
}

void Array::unshare() {
  if (!uniquely_owned() || !is_c_contiguous()) *this = copy();
}

double Array::item_as_double(std::int64_t flat_index) const { return item<double>(flat_index); }

Array Array::copy() const {
  Array out = empty(dtype_, shape_);
  const std::size_t isz = itemsize();
  char* dst = static_cast<char*>(out.buffer_->data);
  if (is_c_contiguous()) {
    if (size() > 0) std::memcpy(dst, bytes(), static_cast<std::size_t>(size()) * isz);
    return out;
  }
  const char* src = bytes();
  for_each_offset(shape_, strides_, [&](std::int64_t off) {
    std::memcpy(dst, src + off, isz);
    dst += isz;
  });
  return out;
}

Array Array::contiguous() const { return is_c_contiguous() ? *this : copy(); }

Array Array::astype(DType dtype) const {
  if (dtype == dtype_) return *this;
  if (is_complex(dtype_) && !is_complex(dtype)) complex_unsupported();  // no silent real part
  Array out = empty(dtype, shape_);
  visit_storage_dtype(dtype_, [&](auto src_tag) {
    using S = typename decltype(src_tag)::type;
    visit_storage_dtype(dtype, [&](auto dst_tag) {
      using D = typename decltype(dst_tag)::type;
      D* dst = static_cast<D*>(out.buffer_->data);
      const char* src = bytes();
      for_each_offset(shape_, strides_, [&](std::int64_t off) {
        *dst++ = convert_element<S, D>(*reinterpret_cast<const S*>(src + off));
      });
    });
  });
  return out;
}

Array Array::reshape(const Shape& requested) const {
  Shape shape = requested;
  int unknown = -1;
  std::int64_t known = 1;
  for (int i = 0; i < static_cast<int>(shape.size()); ++i) {
    if (shape[i] == -1) {
      LARIX_CHECK(unknown < 0, value, "can only specify one unknown dimension");
      unknown = i;
    } else {
      LARIX_CHECK(shape[i] >= 0, value, "negative dimensions are not allowed");
      known = checked_size(known, shape[i]);
    }
  }
  if (unknown >= 0) {
    LARIX_CHECK(known != 0 && size() % known == 0, value, "cannot reshape array of size ", size(),
                " into shape ", shape_str(requested));
    shape[unknown] = size() / known;
  }
  check_shape(shape, itemsize());
  LARIX_CHECK(shape_size(shape) == size(), value, "cannot reshape array of size ", size(),
              " into shape ", shape_str(requested));
  Array base = contiguous();
  base.strides_ = c_strides(shape, itemsize());
  base.shape_ = std::move(shape);
  return base;
}

Array Array::view(std::int64_t byte_offset, Shape shape, Strides strides) const {
  check_rank(static_cast<std::int64_t>(shape.size()));
  Array a = *this;
  a.offset_ = offset_ + byte_offset;
  a.shape_ = std::move(shape);
  a.strides_ = std::move(strides);
  return a;
}

Array Array::view_as(DType dtype) const {
  LARIX_CHECK(larix::itemsize(dtype) == itemsize(), value, "a view as ", dtype_name(dtype),
              " needs a dtype of the same size in Larix (", dtype_name(dtype_), " has ", itemsize(),
              " bytes, ", dtype_name(dtype), " ", larix::itemsize(dtype),
              "); NumPy's view with another size (which changes the last axis) is not supported");
  LARIX_CHECK(dtype != DType::bool_ || dtype_ == DType::bool_, type, "a view of ",
              dtype_name(dtype_),
              " as bool is not supported in Larix (a bool holds 0 or 1; use "
              "astype(bool) or != 0)");
  Array a = *this;
  a.dtype_ = dtype;
  return a;
}

Array Array::transpose() const {
  std::vector<int> axes(ndim());
  std::iota(axes.rbegin(), axes.rend(), 0);
  return transpose(axes);
}

Array Array::transpose(const std::vector<int>& axes) const {
  LARIX_CHECK(static_cast<int>(axes.size()) == ndim(), value, "axes don't match array");
  Array a = *this;
  std::vector<bool> seen(ndim(), false);
  for (int i = 0; i < ndim(); ++i) {
    int ax = axes[i] < 0 ? axes[i] + ndim() : axes[i];
    LARIX_CHECK(ax >= 0 && ax < ndim(), axis, "axis ", axes[i],
                " is out of bounds for array of dimension ", ndim());
    LARIX_CHECK(!seen[ax], value, "repeated axis in transpose");
    seen[ax] = true;
    a.shape_[i] = shape_[ax];
    a.strides_[i] = strides_[ax];
  }
  return a;
}

Array Array::broadcast_to(const Shape& shape) const {
  const int nd = static_cast<int>(shape.size());
  LARIX_CHECK(nd >= ndim(), value, "cannot broadcast a shape ", shape_str(shape_), " to ",
              shape_str(shape));
  check_shape(shape, itemsize());
  Array a = *this;
  a.shape_ = shape;
  a.strides_.assign(nd, 0);
  for (int i = 0; i < ndim(); ++i) {
    const int j = nd - ndim() + i;
    if (shape_[i] == shape[j]) a.strides_[j] = strides_[i];
    else
      LARIX_CHECK(shape_[i] == 1, value, "operands could not be broadcast together with shapes ",
                  shape_str(shape_), " ", shape_str(shape));
  }
  return a;
}

std::uint64_t buffers_allocated() {
  std::uint64_t total = 0;
  for (const AllocationShard& shard : allocation_shards)
    total += shard.count.load(std::memory_order_relaxed);
  return total;
}

}  // namespace larix
