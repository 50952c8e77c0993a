// The nanobind extension larix._core: converts between Python objects and larix::Value, and calls
// the C++ facade with the GIL released. No logic lives here (STYLE.md).
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>
#include <signal.h>
#include <structmember.h>
#include <time.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstring>
#include <optional>
#include <stdexcept>

// NumPy's C API (this is its only translation unit): arrays are read and made without a Python
// call. Built against NumPy 2 headers, which also run on NumPy 1.x.
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

#include "larix/api/larix.hpp"
#include "larix/runtime/distributed.hpp"
#include "larix/runtime/mpi.hpp"

namespace nb = nanobind;
using namespace nb::literals;

namespace larix {
namespace {

// Python exception classes by error kind, installed by larix/errors.py at import.
nb::dict& error_classes() {
  static nb::dict* classes = new nb::dict();  // never destroyed: outlives interpreter teardown
  return *classes;
}

// The holds made while a call's arguments are converted, when a call keeps them (CallHolds).
class CallHolds;
thread_local CallHolds* call_holds = nullptr;

// cout/print in a program called from Python: the line goes to Python's sys.stdout (so Jupyter,
// pytest's capture and contextlib.redirect_stdout see it, in order with Python's own prints),
// written under the GIL from the thread that printed; every call from Python runs with the GIL
// released. The C stdout when Python is finalizing or sys.stdout is gone or fails.
void python_output(std::string_view line) {
#if PY_VERSION_HEX >= 0x030D0000
  const bool finalizing = Py_IsFinalizing();
#else
  const bool finalizing = _Py_IsFinalizing();
#endif
  if (Py_IsInitialized() && !finalizing) {
    nb::gil_scoped_acquire gil;
    PyObject* out = PySys_GetObject("stdout");  // borrowed
    if (out && out != Py_None) {
      PyObject* text =
          PyUnicode_DecodeUTF8(line.data(), static_cast<Py_ssize_t>(line.size()), "replace");
      PyObject* written = text ? PyObject_CallMethod(out, "write", "O", text) : nullptr;
      Py_XDECREF(text);
      if (written) {
        Py_DECREF(written);
        return;
      }
      PyErr_Clear();
    }
  }
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
}

// The buffer of a borrowed NumPy array: keeps the array alive from C++ and drops it under the
// GIL (buffer and reference in one allocation).
struct PythonBuffer final : Buffer {
  explicit PythonBuffer(PyObject* array, void* memory) : object(array) {
    Py_INCREF(object);
    data = memory;
    nbytes = 0;  // unknown: a view into someone else's memory
    writable = false;
  }
  ~PythonBuffer() {
    if (!Py_IsInitialized()) return;
    if (PyGILState_Check()) {
      Py_DECREF(object);
      return;
    }
    nb::gil_scoped_acquire gil;
    Py_DECREF(object);
  }
  PythonBuffer(const PythonBuffer&) = delete;
  PythonBuffer& operator=(const PythonBuffer&) = delete;
  PyObject* object;
};

void keep_for_call(const std::shared_ptr<void>& held);

// Keeps a call's borrowed arguments alive until the call has returned and the GIL is back: the
// call then drops its own references without taking the GIL (which the calling thread would
// have to wait for), and the last one, here, finds it held.
// The first few in place (no allocation for a call of a few array arguments).
class CallHolds {
 public:
  CallHolds() : saved_(call_holds) { call_holds = this; }
  ~CallHolds() { call_holds = saved_; }
  CallHolds(const CallHolds&) = delete;
  CallHolds& operator=(const CallHolds&) = delete;

  void add(const std::shared_ptr<void>& held) {
    if (count_ < first_.size()) first_[count_++] = held;
    else more_.push_back(held);
  }

 private:
  std::array<std::shared_ptr<void>, 8> first_;
  std::size_t count_ = 0;
  std::vector<std::shared_ptr<void>> more_;
  CallHolds* saved_;
};

void keep_for_call(const std::shared_ptr<void>& held) { call_holds->add(held); }

struct FunctionHandle {
  Value fn;
};

// A distributed array (larix.distributed): this rank's tile and the tiling.
struct TiledHandle {
  Value v;
  const Tiled& tiled() const { return v.as_tiled(); }
};

// ---- Ctrl-C ----------------------------------------------------------------------------------
// Python's SIGINT handler only sets a flag that the main thread looks at between bytecodes: a
// call running in C++ would never see it. While a call from the main thread runs, SIGINT goes
// through on_sigint first, which counts it (larix::note_interrupt: the call stops at its next
// check_cancelled) and then runs the handler that was there (Python's, which sets its flag; the
// call's end then raises what Python's handler raises: KeyboardInterrupt by default).
struct sigaction previous_sigint;  // the handler on_sigint chains to
std::atomic<bool> sigint_hooked{false};

void on_sigint(int sig, siginfo_t* info, void* context) {
  const struct sigaction& p = previous_sigint;
  if (!(p.sa_flags & SA_SIGINFO) && p.sa_handler == SIG_IGN) return;  // ignored: no interrupt
  note_interrupt();
  if (p.sa_flags & SA_SIGINFO) p.sa_sigaction(sig, info, context);
  else if (p.sa_handler == SIG_DFL) {  // the default action: terminate, as without us
    signal(sig, SIG_DFL);
    raise(sig);
  } else p.sa_handler(sig);
}

// Called (with the GIL) before a call from the main thread: puts on_sigint in front of whatever
// handler SIGINT has now (Python's signal.signal may have replaced it since the last call).
void hook_sigint() {
  struct sigaction current {};
  if (sigaction(SIGINT, nullptr, &current) != 0) return;
  if ((current.sa_flags & SA_SIGINFO) && current.sa_sigaction == on_sigint) return;
  previous_sigint = current;
  struct sigaction ours {};
  ours.sa_sigaction = on_sigint;
  ours.sa_flags = SA_SIGINFO | SA_ONSTACK | (current.sa_flags & SA_RESTART);
  sigemptyset(&ours.sa_mask);
  sigaction(SIGINT, &ours, nullptr);
  sigint_hooked.store(true, std::memory_order_relaxed);
}

// Whether this thread is the main thread, which Python's signal handlers run on (the only
// thread a Ctrl-C reaches as KeyboardInterrupt).
bool on_main_thread() {
  static const unsigned long main_ident = [] {
    nb::object main = nb::module_::import_("threading").attr("main_thread")();
    return nb::cast<unsigned long>(main.attr("ident"));
  }();
  return PyThread_get_thread_ident() == main_ident;
}

// Whether on_sigint surely still is SIGINT's handler, without the sigaction system call that
// hook_sigint makes (~0.3 us here, a third of an empty kernel's call). Python replaces the C
// handler only through signal.signal, on the main thread, between calls; that changes what
// _signal.getsignal gives (a builtin, ~15 ns) unless the same handler object is set again (a
// save-and-restore, as Jupyter does around each cell): hence the system call also every 50 ms.
bool sigint_surely_hooked() {
  static PyObject* const getsignal = [] {
    nb::object f = nb::module_::import_("_signal").attr("getsignal");
    return f.release().ptr();  // kept for the life of the process
  }();
  static PyObject* const sigint = PyLong_FromLong(SIGINT);
  static PyObject* seen = nullptr;  // a strong reference: its address is not reused
  static std::int64_t checked_ms = 0;
  PyObject* now = PyObject_CallOneArg(getsignal, sigint);
  if (!now) {
    PyErr_Clear();
    return false;
  }
  // The coarse clock (a few ms of resolution) is plenty for 50 ms, and costs a fifth of the
  // precise one.
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  const std::int64_t time_ms = std::int64_t{ts.tv_sec} * 1000 + ts.tv_nsec / 1000000;
  const bool sure =
      now == seen && time_ms - checked_ms < 50 && sigint_hooked.load(std::memory_order_relaxed);
  Py_XDECREF(seen);
  seen = now;
  if (!sure) checked_ms = time_ms;  // hook_sigint follows
  return sure;
}

// RunOptions of a call made from Python: interruptible on the main thread.
RunOptions python_run_options(bool sync) {
  const bool interruptible = on_main_thread();
  if (interruptible && !sigint_surely_hooked()) hook_sigint();
  return {.sync = sync || Runtime::instance().settings().sync, .interruptible = interruptible};
}

void raise_python(const Error& e);

// A Python str as UTF-8; a str that has none (a lone surrogate) is a ValueError naming `what`
// (Python's UnicodeEncodeError is one too), not nanobind's RuntimeError.
std::string utf8(nb::handle str, const std::string& what) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(str.ptr(), &size);
  if (!data) {
    PyErr_Clear();
    user_error(ErrorKind::value, what,
               " is a string that cannot be encoded as UTF-8 (a lone "
               "surrogate)");
  }
  return std::string(data, static_cast<std::size_t>(size));
}

// Text for Python from Larix: invalid UTF-8 bytes (which a message may quote from a program or
// a file) become \x.. escapes instead of a decoding error.
nb::str py_text(const std::string& s) {
  PyObject* o =
      PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "backslashreplace");
  if (!o) throw nb::python_error();
  return nb::steal<nb::str>(o);
}

// Where a value sits among a call's arguments ("argument 2", "argument 'x'[3] key"): spelled out
// only for an error message, so that a call that converts cleanly builds no strings.
struct ArgPath {
  enum Kind { positional, keyword, item, key, value };
  Kind kind;
  std::size_t index = 0;            // positional: 1-based; item: 0-based
  nb::handle name;                  // keyword: its name
  const ArgPath* parent = nullptr;  // item, key, value: the container's path
  PyObject* container = nullptr;    // item, key, value: the container itself
  int depth = parent ? parent->depth + 1 : 0;

  std::string str() const {
    switch (kind) {
      case positional: return "argument " + std::to_string(index);
      case keyword: return "argument '" + utf8(name, "a keyword") + "'";
      case item: return parent->str() + "[" + std::to_string(index) + "]";
      case key: return parent->str() + " key";
      case value: return parent->str() + " value";
    }
    return "argument";
  }
};

// `convert`, when given, is asked for a Larix function value for an object nothing else takes
// (a kernel or a Python function passed to a kernel); it returns a Function or None.
Value to_value(nb::handle obj, const ArgPath& what, nb::handle convert = nb::handle());

// NumPy's type number for each Larix dtype, and back (64-bit integers are `long` on LP64 systems
// and `long long` on others: both are int64).
int numpy_type(DType d) {
  switch (d) {
    case DType::bool_: return NPY_BOOL;
    case DType::int64: return NPY_INT64;
    case DType::float32: return NPY_FLOAT32;
    case DType::float64: return NPY_FLOAT64;
    case DType::complex64: return NPY_COMPLEX64;
    case DType::complex128: return NPY_COMPLEX128;
    case DType::int8: return NPY_INT8;
    case DType::int16: return NPY_INT16;
    case DType::int32: return NPY_INT32;
    case DType::uint8: return NPY_UINT8;
    case DType::uint16: return NPY_UINT16;
    case DType::uint32: return NPY_UINT32;
    case DType::uint64: return NPY_UINT64;
    case DType::float16: return NPY_FLOAT16;
  }
  return NPY_NOTYPE;
}
// The Larix dtype of a NumPy array's, by kind and width (C's long and long long are both int64
// here); none for any other (object, str, datetime, structured, longdouble ...).
std::optional<DType> larix_dtype(PyArrayObject* a) {
  switch (PyArray_TYPE(a)) {  // the usual ones first, by type number alone
    case NPY_FLOAT64: return DType::float64;
    case NPY_FLOAT32: return DType::float32;
    case NPY_BOOL: return DType::bool_;
    default: break;
  }
  const auto size = static_cast<std::size_t>(PyArray_ITEMSIZE(a));
  switch (PyArray_DESCR(a)->kind) {
    case 'b': return DType::bool_;
    case 'i':
    case 'u':
      if (size == 1 || size == 2 || size == 4 || size == 8)
        return int_dtype(size, PyArray_DESCR(a)->kind == 'i');
      return std::nullopt;
    case 'f':
      if (size == 2) return DType::float16;
      if (size == 4) return DType::float32;
      if (size == 8) return DType::float64;
      return std::nullopt;
    case 'c':
      if (size == 8) return DType::complex64;
      if (size == 16) return DType::complex128;
      return std::nullopt;
    default: return std::nullopt;
  }
}

// A borrowed Array over a NumPy array of one of Larix's dtypes in native byte order and aligned;
// none for any other.
std::optional<Value> borrow_array(PyArrayObject* a) {
  const std::optional<DType> dtype = larix_dtype(a);
  if (!dtype || !PyArray_ISNOTSWAPPED(a) || !PyArray_ISALIGNED(a)) return std::nullopt;
  const int nd = PyArray_NDIM(a);
  Shape shape(PyArray_DIMS(a), PyArray_DIMS(a) + nd);
  Strides strides(PyArray_STRIDES(a), PyArray_STRIDES(a) + nd);
  auto buffer = std::make_shared<PythonBuffer>(reinterpret_cast<PyObject*>(a), PyArray_DATA(a));
  if (call_holds) keep_for_call(buffer);
  return Value(Array::borrow(std::move(buffer), *dtype, std::move(shape), std::move(strides)));
}

Value array_to_value(PyArrayObject* a, const ArgPath& what) {
  // The common case first: any of Larix's dtypes, read in place.
  if (std::optional<Value> v = borrow_array(a)) return std::move(*v);
  const char kind = PyArray_DESCR(a)->kind;
  auto dtype_name = [&] {
    return nb::cast<std::string>(
        nb::handle(reinterpret_cast<PyObject*>(a)).attr("dtype").attr("name"));
  };
  if (kind != 'b' && kind != 'i' && kind != 'u' && kind != 'f' && kind != 'c')
    user_error(ErrorKind::type, what.str(), " has dtype ", dtype_name(),
               ", which Larix does not support (bool, integers, floats and complex numbers are)");
  const std::optional<DType> dtype = larix_dtype(a);
  if (!dtype)
    user_error(ErrorKind::type, what.str(), " has dtype ", dtype_name(),
               ", which Larix does not support (its widest are float64 and complex128)");
  // A byte-swapped or unaligned array is copied into a native, aligned one of its dtype.
  nb::object converted = nb::steal(PyArray_FromArray(a, PyArray_DescrFromType(numpy_type(*dtype)),
                                                     NPY_ARRAY_ALIGNED | NPY_ARRAY_FORCECAST));
  if (!converted.is_valid()) throw nb::python_error();
  std::optional<Value> v = borrow_array(reinterpret_cast<PyArrayObject*>(converted.ptr()));
  LARIX_ASSERT(v.has_value(), "a converted NumPy array is not readable in place");
  return std::move(*v);
}

// Lists, tuples and dicts nest at most kMaxValueNesting deep (as the parser nests expressions;
// a Value nested deeper could not be converted back, printed or freed without a deep native
// recursion), and one that contains itself is refused rather than followed for ever.
constexpr int kMaxValueNesting = 1000;

void check_container(PyObject* o, const ArgPath& what) {
  if (what.depth >= kMaxValueNesting)
    user_error(ErrorKind::recursion, what.str(), " nests lists, tuples or dicts more than ",
               kMaxValueNesting, " deep");
  for (const ArgPath* p = &what; p; p = p->parent)
    if (p->container == o)
      user_error(ErrorKind::value, what.str(), " is a ", Py_TYPE(o)->tp_name,
                 " that contains itself (a circular reference)");
}

Value to_value(nb::handle obj, const ArgPath& what, nb::handle convert) {
  PyObject* o = obj.ptr();
  if (PyArray_Check(o)) return array_to_value(reinterpret_cast<PyArrayObject*>(o), what);
  if (o == Py_None) return Value();
  if (PyFloat_CheckExact(o)) return Value(PyFloat_AS_DOUBLE(o));
  // A NumPy scalar is a 0-d array of its type (strong, as NumPy 2 promotes it): before the
  // checks for int and float, which numpy.float64 (a float subclass) would pass.
  if (PyArray_IsScalar(o, Generic)) {
    nb::object arr = nb::steal(PyArray_FromScalar(o, nullptr));
    if (!arr.is_valid()) throw nb::python_error();
    return array_to_value(reinterpret_cast<PyArrayObject*>(arr.ptr()), what);
  }
  if (PyBool_Check(o)) return Value(o == Py_True);
  if (PyLong_Check(o)) {
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow)
      user_error(ErrorKind::type, what.str(), " is an int that does not fit in 64 bits");
    return Value(static_cast<std::int64_t>(v));
  }
  if (PyFloat_Check(o)) return Value(PyFloat_AS_DOUBLE(o));
  if (PyComplex_Check(o)) {  // a 0-d complex128 array (strong: NumPy's Python complex is weak)
    const Py_complex c = PyComplex_AsCComplex(o);
    return Value(Array::scalar(std::complex<double>(c.real, c.imag)));
  }
  if (PyUnicode_Check(o)) return Value(utf8(obj, what.str()));
  if (PyList_Check(o) || PyTuple_Check(o)) {
    check_container(o, what);
    List items;
    std::size_t i = 0;
    for (nb::handle item : obj) {
      const ArgPath at{ArgPath::item, i++, {}, &what, o};
      items.push_back(to_value(item, at, convert));
    }
    return Value(std::move(items));
  }
  if (PyDict_Check(o)) {
    check_container(o, what);
    Dict d;
    const ArgPath key{ArgPath::key, 0, {}, &what, o}, value{ArgPath::value, 0, {}, &what, o};
    for (auto [k, v] : nb::borrow<nb::dict>(obj))
      d.items.emplace_back(to_value(k, key, convert), to_value(v, value, convert));
    return Value(std::move(d));
  }
  if (nb::isinstance<FunctionHandle>(obj)) return nb::cast<FunctionHandle&>(obj).fn;
  if (nb::isinstance<TiledHandle>(obj)) return nb::cast<TiledHandle&>(obj).v;
  if (convert.is_valid()) {
    nb::object fn = convert(obj);
    if (nb::isinstance<FunctionHandle>(fn)) return nb::cast<FunctionHandle&>(fn).fn;
  }
  user_error(ErrorKind::type, what.str(), " has type ",
             nb::cast<std::string>(obj.type().attr("__name__")),
             ", which Larix cannot take (numbers, strings, None, lists, tuples, dicts, NumPy "
             "arrays and Larix functions can)");
}

void release_buffer(PyObject* capsule) {
  delete static_cast<std::shared_ptr<Buffer>*>(PyCapsule_GetPointer(capsule, nullptr));
}

// Results up to this size go to Python as a copy (see array_to_python).
constexpr std::size_t kCopiedResultBytes = 1024;

nb::object array_to_python(const Array& result, bool shared) {
  // A result whose buffer someone else in Larix still holds (a constant of the program, a global,
  // another element of the result) is copied: writing to the NumPy array must not change them.
  const bool aliased =
      result.ndim() > 0 && !result.is_borrowed() && (shared || result.shares_buffer());
  const Array a = aliased ? result.copy() : result;
  nb::object descr =
      nb::steal(reinterpret_cast<PyObject*>(PyArray_DescrFromType(numpy_type(a.dtype()))));
  if (a.ndim() == 0) {  // a NumPy scalar, copied from the element
    nb::object scalar = nb::steal(PyArray_Scalar(
        const_cast<char*>(a.bytes()), reinterpret_cast<PyArray_Descr*>(descr.ptr()), nullptr));
    if (!scalar.is_valid()) throw nb::python_error();
    return scalar;
  }
  const SmallVector<npy_intp, 4> shape(a.shape().begin(), a.shape().end());
  const SmallVector<npy_intp, 4> strides(a.strides().begin(), a.strides().end());
  const auto nbytes = static_cast<std::size_t>(a.size()) * a.itemsize();
  if (!a.is_borrowed() && nbytes <= kCopiedResultBytes && a.is_c_contiguous()) {
    // A small result is copied into an array of NumPy's own: cheaper than the capsule below.
    nb::object out = nb::steal(
        PyArray_NewFromDescr(&PyArray_Type, reinterpret_cast<PyArray_Descr*>(descr.release().ptr()),
                             a.ndim(), shape.data(), nullptr, nullptr, 0, nullptr));
    if (!out.is_valid()) throw nb::python_error();
    if (nbytes)
      std::memcpy(PyArray_DATA(reinterpret_cast<PyArrayObject*>(out.ptr())), a.bytes(), nbytes);
    return out;
  }
  // The NumPy array points at the C++ buffer and owns it through a capsule: no copy. NumPy's
  // own memory (a borrowed argument handed back) comes back read-only.
  nb::object out = nb::steal(
      PyArray_NewFromDescr(&PyArray_Type, reinterpret_cast<PyArray_Descr*>(descr.release().ptr()),
                           a.ndim(), shape.data(), strides.data(), const_cast<char*>(a.bytes()),
                           a.is_borrowed() ? 0 : NPY_ARRAY_WRITEABLE, nullptr));
  if (!out.is_valid()) throw nb::python_error();
  auto* keep = new std::shared_ptr<Buffer>(a.buffer());
  PyObject* owner = PyCapsule_New(keep, nullptr, release_buffer);
  if (!owner) {
    delete keep;
    throw nb::python_error();
  }
  auto* arr = reinterpret_cast<PyArrayObject*>(out.ptr());
  if (PyArray_SetBaseObject(arr, owner) < 0) throw nb::python_error();  // steals owner
  PyArray_UpdateFlags(arr, NPY_ARRAY_UPDATE_ALL);
  return out;
}

// A dict key as Python can hash it: a tuple key came in as a list (Values have no tuples), so a
// list goes back as a tuple (its lists too).
nb::object as_key(nb::object key) {
  if (!PyList_Check(key.ptr())) return key;
  nb::list items;
  for (nb::handle item : key) items.append(as_key(nb::borrow(item)));
  return nb::tuple(items);
}

// `shared`: an enclosing list or dict of the result is held by someone else too. `depth`: how
// deep in lists and dicts (kMaxValueNesting at most, as on the way in).
nb::object from_value(const Value& v, bool shared = false, int depth = 0) {
  shared = shared || v.use_count() > 1;
  if ((v.is_list() || v.is_dict()) && depth >= kMaxValueNesting)
    user_error(ErrorKind::recursion, "the result nests lists or dicts more than ", kMaxValueNesting,
               " deep");
  switch (v.kind()) {
    case ValueKind::nil:
    case ValueKind::unbound: return nb::none();
    case ValueKind::boolean: return nb::bool_(v.as_bool());
    case ValueKind::integer: return nb::int_(v.as_int());
    case ValueKind::floating: return nb::float_(v.as_double());
    case ValueKind::string: {
      const std::string& s = v.as_string();
      PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), nullptr);
      if (!o) {  // bytes cut inside a character: a ValueError (UnicodeDecodeError is one)
        PyErr_Clear();
        user_error(ErrorKind::value, "a string result is not valid UTF-8: ", v.repr());
      }
      return nb::steal(o);
    }
    case ValueKind::array: return array_to_python(v.as_array_ref(), shared);
    case ValueKind::list: {
      nb::list out;
      for (const Value& item : v.as_list()) out.append(from_value(item, shared, depth + 1));
      return out;
    }
    case ValueKind::dict: {
      nb::dict out;
      for (const auto& [k, val] : v.as_dict().items)
        out[as_key(from_value(k, shared, depth + 1))] = from_value(val, shared, depth + 1);
      return out;
    }
    case ValueKind::function: return nb::cast(FunctionHandle{v});
    case ValueKind::tiled: return nb::cast(TiledHandle{v});
  }
  return nb::none();
}

CallArgs to_call_args(nb::args args, nb::kwargs kwargs, nb::handle convert = nb::handle()) {
  CallArgs call;
  call.positional.reserve(args.size());
  std::size_t i = 0;
  for (nb::handle a : args)
    call.positional.push_back(to_value(a, ArgPath{ArgPath::positional, ++i}, convert));
  for (auto [k, v] : kwargs)
    call.keywords.emplace_back(utf8(k, "a keyword"),
                               to_value(v, ArgPath{ArgPath::keyword, 0, k}, convert));
  return call;
}

// The Python exception for a C++ exception of a call (nanobind's mapping of the standard ones).
void set_python_error(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::interrupted) {
      // Python's own handler runs now (KeyboardInterrupt, or what the user installed).
      if (PyErr_CheckSignals() == 0) PyErr_SetNone(PyExc_KeyboardInterrupt);
      return;
    }
    raise_python(e);
  } catch (nb::python_error& e) {
    e.restore();
  } catch (const std::bad_alloc&) {
    raise_python(Error(ErrorKind::memory, "out of memory"));
  } catch (const std::out_of_range& e) {
    PyErr_SetString(PyExc_IndexError, e.what());
  } catch (const std::overflow_error& e) {
    PyErr_SetString(PyExc_OverflowError, e.what());
  } catch (const std::domain_error& e) {
    PyErr_SetString(PyExc_ValueError, e.what());
  } catch (const std::invalid_argument& e) {
    PyErr_SetString(PyExc_ValueError, e.what());
  } catch (const std::length_error&) {  // a std::vector asked for more than it can hold
    raise_python(Error(ErrorKind::memory, "out of memory"));
  } catch (const std::range_error& e) {
    PyErr_SetString(PyExc_ValueError, e.what());
  } catch (const std::exception& e) {
    PyErr_SetString(PyExc_RuntimeError, e.what());
  } catch (...) {
    PyErr_SetString(PyExc_RuntimeError, "unknown C++ exception");
  }
}

// Hands a call's RuntimeWarnings to Python's warnings module (at the caller's line); false, with
// the Python error set, when a warnings filter turned one into an error.
// "divide by zero" warnings follow NumPy's error state (np.errstate / np.seterr at the call):
// ignored, raised as FloatingPointError, or warned.
bool emit_warnings(const std::vector<std::string>& warnings) {
  if (warnings.empty()) return true;
  try {
    for (const std::string& w : warnings) {
      if (w.rfind("divide by zero", 0) == 0) {
        const auto mode =
            nb::cast<std::string>(nb::module_::import_("numpy").attr("geterr")()["divide"]);
        if (mode == "ignore") continue;
        if (mode == "raise") {
          PyErr_SetString(PyExc_FloatingPointError, w.c_str());
          return false;
        }
      }
      if (PyErr_WarnEx(PyExc_RuntimeWarning, w.c_str(), 1) < 0) return false;
    }
  } catch (nb::python_error& e) {
    e.restore();
    return false;
  }
  return true;
}

// Runs a program with the arguments of a vectorcall (`nargs` positional ones in args[0..nargs),
// then one per name in `kwnames`), the GIL released while it runs; the result as a new reference,
// or null with a Python error set. `convert` (or an invalid handle) turns kernels and Python
// functions among the arguments into Larix functions.
PyObject* run_program(const Program& p, nb::handle convert, bool sync, PyObject* const* args,
                      Py_ssize_t nargs, PyObject* kwnames) {
  try {
    CallHolds holds;
    CallArgs call;
    call.positional.reserve(static_cast<std::size_t>(nargs));
    for (Py_ssize_t i = 0; i < nargs; ++i)
      call.positional.push_back(to_value(
          args[i], ArgPath{ArgPath::positional, static_cast<std::size_t>(i + 1)}, convert));
    const Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t j = 0; j < nkw; ++j) {
      const nb::handle name(PyTuple_GET_ITEM(kwnames, j));
      call.keywords.emplace_back(
          utf8(name, "a keyword"),
          to_value(args[nargs + j], ArgPath{ArgPath::keyword, 0, name}, convert));
    }
    Value result;
    std::vector<std::string> warnings;
    try {
      RunOptions options = python_run_options(sync);
      options.warnings = &warnings;
      nb::gil_scoped_release release;
      result = p.call(std::move(call), options);
    } catch (...) {
      if (!emit_warnings(warnings)) return nullptr;
      throw;
    }
    if (!emit_warnings(warnings)) return nullptr;
    return from_value(result).release().ptr();
  } catch (...) {
    set_python_error(std::current_exception());
    return nullptr;
  }
}

// larix._core.call(program, convert, sync, *args, **kwargs): a compiled program's call. A
// METH_FASTCALL function: the arguments arrive as a C array, without the tuple and dict a bound
// method would build for every call. `convert` may be None; `sync` asks for the reference
// executor (as LARIX_SYNC does).
PyObject* call_fast(PyObject*, PyObject* const* args, Py_ssize_t nargs, PyObject* kwnames) {
  if (nargs < 3) {
    PyErr_SetString(PyExc_TypeError, "call(program, convert, sync, *args, **kwargs)");
    return nullptr;
  }
  const Program* p = nullptr;
  if (!nb::try_cast<const Program*>(nb::handle(args[0]), p) || !p) {
    PyErr_SetString(PyExc_TypeError, "call(): the first argument must be a _core.Program");
    return nullptr;
  }
  const nb::handle convert = args[1] == Py_None ? nb::handle() : nb::handle(args[1]);
  return run_program(*p, convert, args[2] == Py_True, args + 3, nargs - 3, kwnames);
}

// Whether every (function, code) pair of `guards` still holds: the functions a kernel was
// translated from have not been redefined.
bool guards_hold(PyObject* guards) {
  const Py_ssize_t n = PyTuple_GET_SIZE(guards);
  for (Py_ssize_t i = 0; i + 1 < n; i += 2)
    if (PyFunction_GET_CODE(PyTuple_GET_ITEM(guards, i)) != PyTuple_GET_ITEM(guards, i + 1))
      return false;
  return true;
}

// Whether a profile may be collecting (a larix.profile() session or LARIX_PROFILE): set by
// larix.profile's _State.update through _core._set_profiling; a fast call reads it instead of
// a Python attribute.
std::atomic<bool> profiling_on{false};

// An instance of _core.FastCall, the base of larix.Kernel and larix.Program. Its `_fast` is
// None or the tuple (program, convert, sync, returns_tuple, guards, min_args, max_args), taken
// apart here once when it is set, so that a call reads C fields, not Python attributes.
struct FastCallObject {
  PyObject ob_base;           // PyObject_HEAD
  vectorcallfunc vectorcall;  // kernel_vectorcall, once `_fast` was first set (else tp_call)
  PyObject* fast;             // the tuple (a strong reference), or null for None
  const Program* program;
  PyObject* convert;  // borrowed from `fast`; null for None
  PyObject* guards;   // borrowed from `fast`: a tuple (function, code, function, code, ...)
  Py_ssize_t min_args, max_args;
  bool sync, returns_tuple;
};

PyObject* fastcall_get_fast(PyObject* self, void*) {
  PyObject* fast = reinterpret_cast<FastCallObject*>(self)->fast;
  if (!fast) fast = Py_None;
  Py_INCREF(fast);  // (Py_NewRef is Python 3.10's)
  return fast;
}

PyObject* kernel_vectorcall(PyObject* self, PyObject* const* args, std::size_t nargsf,
                            PyObject* kwnames);
PyObject* kernel_call(PyObject* self, PyObject* args, PyObject* kwargs);

// Calls of the instance go through kernel_vectorcall: Python passes the arguments as a C array
// and builds no tuple. The type says so with Py_TPFLAGS_HAVE_VECTORCALL, which Python before
// 3.12 does not pass on to subclasses made by a class statement (larix.Kernel, larix.Program):
// their instances set it on their type here, unless the subclass defines its own __call__.
void use_vectorcall(FastCallObject* k) {
  k->vectorcall = kernel_vectorcall;
  PyTypeObject* type = Py_TYPE(&k->ob_base);
  if (!(type->tp_flags & Py_TPFLAGS_HAVE_VECTORCALL) && type->tp_call == kernel_call &&
      type->tp_vectorcall_offset == static_cast<Py_ssize_t>(offsetof(FastCallObject, vectorcall)))
    type->tp_flags |= Py_TPFLAGS_HAVE_VECTORCALL;
}

int fastcall_set_fast(PyObject* self, PyObject* value, void*) {
  auto* k = reinterpret_cast<FastCallObject*>(self);
  if (value) use_vectorcall(k);  // (null: the instance is being cleared)
  FastCallObject parts{};
  if (value && value != Py_None) {
    PyObject* const* f = PyTuple_Check(value) && PyTuple_GET_SIZE(value) == 7
                             ? &PyTuple_GET_ITEM(value, 0)
                             : nullptr;
    const Program* program = nullptr;
    if (!f || !nb::try_cast<const Program*>(nb::handle(f[0]), program) || !program ||
        !PyBool_Check(f[2]) || !PyBool_Check(f[3]) || !PyTuple_Check(f[4]) || !PyLong_Check(f[5]) ||
        !PyLong_Check(f[6])) {
      PyErr_SetString(PyExc_TypeError,
                      "_fast is None or (program, convert, sync, returns_tuple, guards, "
                      "min_args, max_args)");
      return -1;
    }
    for (Py_ssize_t i = 0; i + 1 < PyTuple_GET_SIZE(f[4]); i += 2)
      if (!PyFunction_Check(PyTuple_GET_ITEM(f[4], i))) {
        PyErr_SetString(PyExc_TypeError, "_fast's guards are (function, code, ...) pairs");
        return -1;
      }
    Py_INCREF(value);
    parts.fast = value;
    parts.program = program;
    parts.convert = f[1] == Py_None ? nullptr : f[1];
    parts.guards = f[4];
    parts.sync = f[2] == Py_True;
    parts.returns_tuple = f[3] == Py_True;
    parts.min_args = PyLong_AsSsize_t(f[5]);
    parts.max_args = PyLong_AsSsize_t(f[6]);
    if (PyErr_Occurred()) {  // a count beyond Py_ssize_t
      Py_DECREF(parts.fast);
      return -1;
    }
  }
  PyObject* old = k->fast;
  k->fast = parts.fast;
  k->program = parts.program;
  k->convert = parts.convert;
  k->guards = parts.guards;
  k->min_args = parts.min_args;
  k->max_args = parts.max_args;
  k->sync = parts.sync;
  k->returns_tuple = parts.returns_tuple;
  Py_XDECREF(old);
  return 0;
}

int fastcall_traverse(PyObject* self, visitproc visit, void* arg) {
  Py_VISIT(Py_TYPE(self));  // a heap type's instances visit it
  Py_VISIT(reinterpret_cast<FastCallObject*>(self)->fast);
  return 0;
}

int fastcall_clear(PyObject* self) { return fastcall_set_fast(self, nullptr, nullptr); }

void fastcall_dealloc(PyObject* self) {
  PyTypeObject* type = Py_TYPE(self);
  PyObject_GC_UnTrack(self);
  fastcall_clear(self);
  type->tp_free(self);
  Py_DECREF(type);
}

// The call of a _core.FastCall (its vectorcall): a call without Python code on the way. It runs
// here while `_fast` is set (a kernel built and not profiled; a Program always), the guards hold,
// no profile is collecting, no keyword is given and the number of arguments is within
// [min_args, max_args]. Anything else goes to the instance's `_slow_call(*args, **kwargs)`; an
// error of the fast path goes to its `_raise_from(error, args)`, which raises it at the user's
// line.
PyObject* kernel_vectorcall(PyObject* self, PyObject* const* args, std::size_t nargsf,
                            PyObject* kwnames) {
  auto* k = reinterpret_cast<FastCallObject*>(self);
  const Py_ssize_t n = PyVectorcall_NARGS(nargsf);
  if (!k->fast || profiling_on.load(std::memory_order_relaxed) ||
      (kwnames && PyTuple_GET_SIZE(kwnames) != 0) || n < k->min_args || n > k->max_args ||
      !guards_hold(k->guards)) {
    nb::object slow = nb::steal(PyObject_GetAttrString(self, "_slow_call"));
    if (!slow.is_valid()) return nullptr;
    return PyObject_Vectorcall(slow.ptr(), args, static_cast<std::size_t>(n), kwnames);
  }
  // The tuple keeps the program alive while the call runs: another thread may set `_fast`
  // while this one has released the GIL.
  const nb::object hold = nb::borrow(k->fast);
  const bool returns_tuple = k->returns_tuple;
  PyObject* result = run_program(*k->program, nb::handle(k->convert), k->sync, args, n, nullptr);
  if (!result) {
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    if (traceback) PyException_SetTraceback(value, traceback);
    nb::object error = nb::steal(value);
    Py_XDECREF(type);
    Py_XDECREF(traceback);
    nb::object arg_tuple = nb::steal(PyTuple_New(n));
    if (!arg_tuple.is_valid()) return nullptr;
    for (Py_ssize_t i = 0; i < n; ++i) {
      Py_INCREF(args[i]);
      PyTuple_SET_ITEM(arg_tuple.ptr(), i, args[i]);
    }
    nb::object raise = nb::steal(PyObject_GetAttrString(self, "_raise_from"));
    if (!raise.is_valid()) return nullptr;
    return PyObject_CallFunctionObjArgs(raise.ptr(), error.ptr(), arg_tuple.ptr(), nullptr);
  }
  if (returns_tuple && PyList_Check(result)) {  // a function that returns a tuple
    PyObject* tuple = PyList_AsTuple(result);
    Py_DECREF(result);
    return tuple;
  }
  return result;
}

// tp_call of _core.FastCall: Python's calls use kernel_vectorcall (use_vectorcall); this serves
// the rest (PyObject_Call with a tuple, an instance whose `_fast` was never set).
PyObject* kernel_call(PyObject* self, PyObject* args, PyObject* kwargs) {
  if (kwargs && PyDict_GET_SIZE(kwargs) != 0) {
    nb::object slow = nb::steal(PyObject_GetAttrString(self, "_slow_call"));
    if (!slow.is_valid()) return nullptr;
    return PyObject_Call(slow.ptr(), args, kwargs);
  }
  return kernel_vectorcall(self, &PyTuple_GET_ITEM(args, 0),
                           static_cast<std::size_t>(PyTuple_GET_SIZE(args)), nullptr);
}

// A ProgramProfile as Python data: node records as dicts, events as (node, start, duration,
// thread).
nb::dict profile_to_python(const ProgramProfile& p) {
  nb::list nodes;
  for (const NodeProfile& n : p.nodes) {
    nb::dict d;
    d["id"] = n.id;
    d["parent"] = n.parent;
    d["name"] = n.name;
    d["detail"] = n.detail;
    d["file"] = n.file;
    d["line"] = n.line;
    d["column"] = n.column;
    d["physl_line"] = n.physl_line;
    d["physl_column"] = n.physl_column;
    d["trivial"] = n.trivial;
    d["count"] = n.count;
    d["inclusive_ns"] = n.inclusive_ns;
    d["exclusive_ns"] = n.exclusive_ns;
    d["inline"] = n.inline_runs;
    d["spawned"] = n.spawned_runs;
    d["bytes_sent"] = n.bytes_sent;
    d["bytes_received"] = n.bytes_received;
    d["wait_ns"] = n.wait_ns;
    nodes.append(d);
  }
  nb::list events;
  for (const TraceEvent& e : p.events)
    events.append(nb::make_tuple(e.node_id, e.start_ns, e.duration_ns, e.thread));
  nb::dict out;
  out["name"] = p.source_name;
  out["physl"] = p.physl;
  out["threads"] = p.threads;
  out["wall_ns"] = p.wall_ns;
  out["epoch_ns"] = p.epoch_ns;
  out["nodes"] = nodes;
  out["events"] = events;
  return out;
}

nb::tuple call_profiled_python(const Program& p, bool trace, bool sync, nb::args args,
                               nb::kwargs kwargs) {
  CallArgs call = to_call_args(args, kwargs);
  ProgramProfile profile;
  Value result;
  std::vector<std::string> warnings;
  RunOptions options = python_run_options(sync);  // (hooks SIGINT: under the GIL)
  options.warnings = &warnings;
  try {
    nb::gil_scoped_release release;
    result = call_profiled(p, std::move(call), profile, trace, options);
  } catch (...) {
    if (!emit_warnings(warnings)) throw nb::python_error();
    throw;
  }
  if (!emit_warnings(warnings)) throw nb::python_error();
  return nb::make_tuple(from_value(result), profile_to_python(profile));
}

void raise_python(const Error& e) {
  nb::dict& classes = error_classes();
  const char* kind = error_kind_name(e.kind());
  nb::object cls =
      classes.contains(kind) ? nb::borrow(classes[kind]) : nb::borrow(PyExc_RuntimeError);
  nb::list stack;
  for (const auto& entry : e.stack())
    stack.append(nb::make_tuple(py_text(entry.function), py_text(entry.call_site.file_name()),
                                entry.call_site.line, entry.call_site.col));
  nb::dict info;
  info["kind"] = kind;
  info["message"] = py_text(e.message());
  info["file"] = e.loc().known() ? nb::object(py_text(e.loc().file_name())) : nb::none();
  info["line"] = e.loc().line;
  info["column"] = e.loc().col;
  info["source_line"] = py_text(e.source_line());
  info["physl_stack"] = stack;
  info["formatted"] = py_text(e.what());
  nb::object instance = cls.attr("_from_core")(info);
  PyErr_SetObject(cls.ptr(), instance.ptr());
}

// The types of a call's arguments (compiler::CompileOptions::signature): kind, dtype and rank
// (and each length with `dims`); an argument that does not convert is of unknown type.
std::vector<compiler::Type> signature_types(nb::handle args, bool dims) {
  std::vector<compiler::Type> out;
  std::size_t i = 0;
  for (nb::handle a : args) {
    try {
      out.push_back(
          compiler::Type::of(to_value(a, ArgPath{ArgPath::positional, ++i}), false, dims));
    } catch (const Error&) {
      out.push_back(compiler::Type{});
    }
  }
  return out;
}

// (kind, dtype or None, rank or None, lengths with None where unknown, str): a Type for Python.
nb::tuple type_tuple(const compiler::Type& t) {
  static const char* kinds[] = {"none",   "unknown", "nil",  "bool",     "int",  "float",
                                "string", "list",    "dict", "function", "array"};
  nb::object dtype = t.dtype ? nb::object(nb::str(dtype_name(*t.dtype))) : nb::none();
  nb::object rank = t.rank >= 0 ? nb::object(nb::int_(t.rank)) : nb::none();
  nb::list dims;
  for (std::int64_t d : t.dims) dims.append(d >= 0 ? nb::object(nb::int_(d)) : nb::none());
  return nb::make_tuple(kinds[static_cast<int>(t.kind)], dtype, rank, nb::tuple(dims), t.str());
}

}  // namespace
}  // namespace larix

NB_MODULE(_core, m) {
  using namespace larix;
  m.doc() = "Larix's C++ core (conversion only; see the larix package for the API)";
  if (_import_array() < 0) throw nb::python_error();
  Runtime::instance().settings().output = python_output;
  static PyMethodDef call_def = {"call", reinterpret_cast<PyCFunction>(call_fast),
                                 METH_FASTCALL | METH_KEYWORDS,
                                 "call(program, convert, sync, *args, **kwargs): calls a program"};
  // The third argument is the function's __module__: the module's name, as CPython's own.
  nb::object module_name = nb::steal(PyModule_GetNameObject(m.ptr()));
  m.attr("call") = nb::steal(PyCFunction_NewEx(&call_def, nullptr, module_name.ptr()));
  static PyGetSetDef kernel_getset[] = {
      {"_fast", fastcall_get_fast, fastcall_set_fast,
       "None, or (program, convert, sync, returns_tuple, guards, min_args, max_args): the call "
       "without Python code",
       nullptr},
      {nullptr, nullptr, nullptr, nullptr, nullptr}};
  static PyMemberDef kernel_members[] = {
      {"__vectorcalloffset__", T_PYSSIZET, offsetof(FastCallObject, vectorcall), READONLY, nullptr},
      {nullptr, 0, 0, 0, nullptr}};
  static PyType_Slot kernel_slots[] = {
      {Py_tp_call, reinterpret_cast<void*>(kernel_call)},
      {Py_tp_members, kernel_members},
      {Py_tp_getset, kernel_getset},
      {Py_tp_traverse, reinterpret_cast<void*>(fastcall_traverse)},
      {Py_tp_clear, reinterpret_cast<void*>(fastcall_clear)},
      {Py_tp_dealloc, reinterpret_cast<void*>(fastcall_dealloc)},
      {Py_tp_doc,
       const_cast<char*>(
           "The base of larix.Kernel and larix.Program: their call (python/src/bindings.cpp)")},
      {0, nullptr}};
  static PyType_Spec kernel_spec = {
      "larix._core.FastCall", sizeof(FastCallObject), 0,
      Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL,
      kernel_slots};
  m.attr("FastCall") = nb::steal(PyType_FromSpec(&kernel_spec));
  m.def("_set_profiling", [](bool on) { profiling_on.store(on, std::memory_order_relaxed); });

  // Larix's errors, out of memory and a vector's length_error get Larix's classes everywhere
  // (nanobind's own mapping of the rest stays).
  nb::register_exception_translator([](const std::exception_ptr& p, void*) {
    try {
      std::rethrow_exception(p);
    } catch (const Error&) {
      set_python_error(p);
    } catch (const std::bad_alloc&) {
      set_python_error(p);
    } catch (const std::length_error&) {
      set_python_error(p);
    }
  });

  m.def("_set_error_classes", [](nb::dict classes) {
    error_classes().clear();
    for (auto [k, v] : classes) error_classes()[k] = v;
  });

  nb::class_<FunctionHandle>(m, "Function", "A Larix function value (a PhySL closure or primitive)")
      .def("__call__",
           [](const FunctionHandle& f, nb::args args, nb::kwargs kwargs) {
             CallArgs call = to_call_args(args, kwargs);
             Value result;
             std::vector<std::string> warnings;
             {
               RunOptions options = python_run_options(false);
               options.warnings = &warnings;
               nb::gil_scoped_release release;
               result = call_function(f.fn, std::move(call), options);
             }
             if (!emit_warnings(warnings)) throw nb::python_error();
             return from_value(result);
           })
      .def("__repr__", [](const FunctionHandle& f) { return f.fn.repr(); });

  nb::class_<Program>(m, "Program")
      .def(nb::new_([](const std::string& text, const std::string& source_name,
                       const std::string& origin_file, bool optimize, bool parallel_loops,
                       nb::object signature, bool signature_dims, bool specialize) {
             compiler::CompileOptions options;
             options.source_name = source_name;
             options.origin_file = origin_file;
             options.optimize = optimize;
             options.parallel_loops = parallel_loops;
             if (!signature.is_none())
               options.signature = signature_types(signature, signature_dims);
             options.specialize = specialize;
             return Program::compile(text, options);
           }),
           "text"_a, "source_name"_a = "<string>", "origin_file"_a = "", "optimize"_a = true,
           "parallel_loops"_a = true, "signature"_a = nb::none(), "signature_dims"_a = false,
           "specialize"_a = false)
      .def_prop_ro("specializations",
                   [](const Program& p) {
                     nb::list out;
                     for (const auto& [signature, result] : p.specializations())
                       out.append(nb::make_tuple(signature, type_tuple(result)));
                     return out;
                   })
      .def_prop_ro("result_type", [](const Program& p) { return type_tuple(p.compiled().result); })
      .def("call_profiled",
           [](const Program& p, bool trace, nb::args args, nb::kwargs kwargs) {
             return call_profiled_python(p, trace, Runtime::instance().settings().sync, args,
                                         kwargs);
           })
      .def("call_profiled_sync",
           [](const Program& p, bool trace, nb::args args, nb::kwargs kwargs) {
             return call_profiled_python(p, trace, true, args, kwargs);
           })
      .def_prop_ro("physl", &Program::physl)
      .def_prop_ro("source_name", &Program::source_name)
      .def_prop_ro("node_count", [](const Program& p) { return p.compiled().nodes.size(); })
      .def_prop_ro(
          "loops",
          [](const Program& p) {
            // per for loop: (file, line, column, parallel, why, file, line, column
            // of what stands in the way)
            nb::list out;
            for (const compiler::LoopReport& r : p.compiled().loops)
              out.append(nb::make_tuple(r.loc.file_name(), r.loc.line, r.loc.col, r.parallel, r.why,
                                        r.where.file_name(), r.where.line, r.where.col));
            return out;
          })
      .def("dump_tree", &Program::dump_tree);

  m.def("init", &larix::init, "threads"_a = 0);
  m.def("threads", &larix::threads);
  m.def("_blas_threads_at_last_call", &larix::blas_threads_at_last_call);
  m.def("_array_allocations", &larix::array_allocations);
  m.def("primitive_doc", &primitive_doc);
  m.def("format_physl", &format_physl, "text"_a, "source_name"_a = "<string>");
  m.def("primitives", [] {
    nb::list out;
    for (const auto& p : Registry::instance().all()) {
      nb::dict d;
      d["name"] = p->name;
      d["aliases"] = p->aliases;
      d["signature"] = p->name + p->signature.text();
      d["doc"] = p->doc;
      d["control"] = p->kind == PrimitiveKind::control;
      out.append(d);
    }
    return out;
  });
  m.def("pass_names", [] { return compiler::pass_names(); });

  // ---- distributed arrays (larix/distributed.py) ----
  // Handles as mpi4py reports them: unsigned (MPICH's int handles come sign-extended).
  m.def("_mpi_init", [](const std::string& library, std::uint64_t comm, std::uint64_t byte_type,
                        int rank, int size, std::int64_t tag_ub) {
    mpi::init({.library = library,
               .comm = static_cast<std::intptr_t>(comm),
               .byte_type = static_cast<std::intptr_t>(byte_type),
               .rank = rank,
               .size = size,
               .tag_ub = tag_ub});
  });
  m.def("_mpi_shutdown", [] {
    nb::gil_scoped_release release;
    mpi::shutdown();
  });
  m.def("_mpi_active", &mpi::active);
  m.def("_mpi_counters", [] {
    const mpi::Counters& c = mpi::counters();
    nb::dict d;
    d["bytes_sent"] = c.bytes_sent.load();
    d["bytes_received"] = c.bytes_received.load();
    d["messages"] = c.messages.load();
    d["wait_ns"] = c.wait_ns.load();
    return d;
  });
  m.def("_tiled",
        [](nb::handle local, std::vector<std::int64_t> global,
           std::vector<std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>>> boxes,
           std::uint64_t split_axes) {
          LARIX_CHECK(PyArray_Check(local.ptr()), type, "a tile must be a NumPy array");
          Value tile = to_value(local, ArgPath{ArgPath::positional, 1});
          auto tiling = std::make_shared<Tiling>();
          tiling->global = Shape(global.begin(), global.end());
          for (auto& [lo, hi] : boxes)
            tiling->boxes.push_back({Shape(lo.begin(), lo.end()), Shape(hi.begin(), hi.end())});
          tiling->rank = mpi::rank();
          tiling->split_axes = split_axes;
          LARIX_CHECK(static_cast<int>(tiling->boxes.size()) == mpi::size(), value, "a tiling of ",
                      tiling->boxes.size(), " tiles for ", mpi::size(), " ranks");
          tiling->check();
          const Array& a = tile.as_array_ref();
          LARIX_CHECK(a.shape() == tiling->mine().extents(), value, "rank ", tiling->rank,
                      "'s tile has shape ", shape_str(a.shape()), ", its box ",
                      shape_str(tiling->mine().extents()));
          return TiledHandle{Value(Tiled{a, std::move(tiling)})};
        });
  nb::class_<TiledHandle>(m, "DistributedArray",
                          "A distributed array: this rank's tile of an array cut over the MPI "
                          "ranks (larix.distributed)")
      .def_prop_ro(
          "local", [](const TiledHandle& h) { return array_to_python(h.tiled().local, true); },
          "This rank's tile (a NumPy array; read-only where it is the memory Larix "
          "was given)")
      .def_prop_ro("shape",
                   [](const TiledHandle& h) {
                     nb::list out;
                     for (std::int64_t n : h.tiled().tiling->global) out.append(n);
                     return nb::tuple(out);
                   })
      .def_prop_ro("ndim", [](const TiledHandle& h) { return h.tiled().tiling->ndim(); })
      .def_prop_ro(
          "dtype",
          [](const TiledHandle& h) {
            return nb::module_::import_("numpy").attr("dtype")(dtype_name(h.tiled().dtype()));
          })
      .def_prop_ro("tiling", [](const TiledHandle& h) { return h.tiled().tiling->kind(); })
      .def_prop_ro("split_axes", [](const TiledHandle& h) { return h.tiled().tiling->split_axes; })
      .def_prop_ro(
          "boxes",
          [](const TiledHandle& h) {
            nb::list out;
            for (const Box& b : h.tiled().tiling->boxes) {
              nb::list lo, hi;
              for (std::int64_t v : b.lo) lo.append(v);
              for (std::int64_t v : b.hi) hi.append(v);
              out.append(nb::make_tuple(nb::tuple(lo), nb::tuple(hi)));
            }
            return out;
          },
          "Every rank's tile as (start, stop) index tuples in the global array")
      .def("_all_gather",
           [](const TiledHandle& h, const std::string& key) {
             Array whole;
             {
               nb::gil_scoped_release release;
               whole = gather_tiles(h.tiled(), collective_key(key.c_str(), SourceLoc{}));
             }
             return array_to_python(whole, false);
           })
      .def("__repr__", [](const TiledHandle& h) {
        return "<larix.distributed array " + std::string(dtype_name(h.tiled().dtype())) + " " +
               h.tiled().tiling->describe() + ">";
      });
  m.def("sync_default", [] { return Runtime::instance().settings().sync; });
}
