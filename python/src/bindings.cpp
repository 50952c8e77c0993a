// The nanobind extension larix._core: converts between Python objects and larix::Value, and calls
// the C++ facade with the GIL released. No logic lives here (STYLE.md).
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <optional>
#include <stdexcept>

// NumPy's C API (this is its only translation unit): arrays are read and made without a Python
// call. Built against NumPy 2 headers, which also run on NumPy 1.x.
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

#include "larix/api/larix.hpp"

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
thread_local std::vector<std::shared_ptr<void>>* call_holds = nullptr;

// Keeps a Python object alive from C++ (for borrowed NumPy buffers); drops it under the GIL.
std::shared_ptr<void> hold(nb::handle obj) {
  obj.inc_ref();
  std::shared_ptr<void> held(obj.ptr(), [](void* p) {
    if (!Py_IsInitialized()) return;
    if (PyGILState_Check()) {
      Py_DECREF(static_cast<PyObject*>(p));
      return;
    }
    nb::gil_scoped_acquire gil;
    Py_DECREF(static_cast<PyObject*>(p));
  });
  if (call_holds) call_holds->push_back(held);
  return held;
}

// Keeps a call's borrowed arguments alive until the call has returned and the GIL is back: the
// call then drops its own references without taking the GIL (which the calling thread would
// have to wait for), and the last one, here, finds it held.
class CallHolds {
 public:
  CallHolds() : saved_(call_holds) { call_holds = &holds_; }
  ~CallHolds() {
    call_holds = saved_;
    holds_.clear();
  }
  CallHolds(const CallHolds&) = delete;
  CallHolds& operator=(const CallHolds&) = delete;

 private:
  std::vector<std::shared_ptr<void>> holds_;
  std::vector<std::shared_ptr<void>>* saved_;
};

struct FunctionHandle {
  Value fn;
};

void raise_python(const Error& e);

// Where a value sits among a call's arguments ("argument 2", "argument 'x'[3] key"): spelled out
// only for an error message, so that a call that converts cleanly builds no strings.
struct ArgPath {
  enum Kind { positional, keyword, item, key, value };
  Kind kind;
  std::size_t index = 0;            // positional: 1-based; item: 0-based
  nb::handle name;                  // keyword: its name
  const ArgPath* parent = nullptr;  // item, key, value: the container's path

  std::string str() const {
    switch (kind) {
      case positional: return "argument " + std::to_string(index);
      case keyword: return "argument '" + nb::cast<std::string>(name) + "'";
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
  }
  return NPY_NOTYPE;
}
std::optional<DType> larix_dtype(PyArrayObject* a) {
  switch (PyArray_TYPE(a)) {
    case NPY_BOOL: return DType::bool_;
    case NPY_LONG:
    case NPY_LONGLONG:
      if (PyArray_ITEMSIZE(a) == 8) return DType::int64;
      return std::nullopt;
    case NPY_FLOAT32: return DType::float32;
    case NPY_FLOAT64: return DType::float64;
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
  return Value(Array::borrow(PyArray_DATA(a), *dtype, std::move(shape), std::move(strides),
                             hold(nb::handle(reinterpret_cast<PyObject*>(a)))));
}

Value array_to_value(PyArrayObject* a, const ArgPath& what) {
  // The common case first: bool, int64, float32 or float64, read in place.
  if (std::optional<Value> v = borrow_array(a)) return std::move(*v);
  const char kind = PyArray_DESCR(a)->kind;
  const auto size = PyArray_ITEMSIZE(a);
  auto dtype_name = [&] {
    return nb::cast<std::string>(
        nb::handle(reinterpret_cast<PyObject*>(a)).attr("dtype").attr("name"));
  };
  if (kind != 'b' && kind != 'i' && kind != 'u' && kind != 'f')
    user_error(ErrorKind::type, what.str(), " has dtype ", dtype_name(),
               ", which Larix does not support (bool, integers, float32 and float64 are)");
  if (kind == 'f' && size > 8) user_error(ErrorKind::type, what.str(), " has an unsupported dtype");
  // Integer widths other than int64 (and unsigned ones) become int64: NumPy's promotion result for
  // mixed integer arithmetic, and the one integer type the kernels hold; float16 becomes float32.
  // Byte-swapped or unaligned arrays of Larix's dtypes are copied into native, aligned ones.
  int target = NPY_BOOL;
  if (kind == 'i' || kind == 'u') target = NPY_INT64;
  if (kind == 'f') target = size == 8 ? NPY_FLOAT64 : NPY_FLOAT32;
  nb::object converted = nb::steal(
      PyArray_FromArray(a, PyArray_DescrFromType(target), NPY_ARRAY_ALIGNED | NPY_ARRAY_FORCECAST));
  if (!converted.is_valid()) throw nb::python_error();
  std::optional<Value> v = borrow_array(reinterpret_cast<PyArrayObject*>(converted.ptr()));
  LARIX_ASSERT(v.has_value(), "a converted NumPy array is not readable in place");
  return std::move(*v);
}

Value to_value(nb::handle obj, const ArgPath& what, nb::handle convert) {
  PyObject* o = obj.ptr();
  if (PyArray_Check(o)) return array_to_value(reinterpret_cast<PyArrayObject*>(o), what);
  if (o == Py_None) return Value();
  if (PyBool_Check(o)) return Value(o == Py_True);
  if (PyLong_Check(o)) {
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow)
      user_error(ErrorKind::type, what.str(), " is an int that does not fit in 64 bits");
    return Value(static_cast<std::int64_t>(v));
  }
  if (PyFloat_Check(o)) return Value(PyFloat_AS_DOUBLE(o));
  if (PyUnicode_Check(o)) return Value(nb::cast<std::string>(obj));
  if (PyList_Check(o) || PyTuple_Check(o)) {
    List items;
    std::size_t i = 0;
    for (nb::handle item : obj) {
      const ArgPath at{ArgPath::item, i++, {}, &what};
      items.push_back(to_value(item, at, convert));
    }
    return Value(std::move(items));
  }
  if (PyDict_Check(o)) {
    Dict d;
    const ArgPath key{ArgPath::key, 0, {}, &what}, value{ArgPath::value, 0, {}, &what};
    for (auto [k, v] : nb::borrow<nb::dict>(obj))
      d.items.emplace_back(to_value(k, key, convert), to_value(v, value, convert));
    return Value(std::move(d));
  }
  if (nb::isinstance<FunctionHandle>(obj)) return nb::cast<FunctionHandle&>(obj).fn;
  if (PyArray_IsScalar(o, Generic)) {  // a NumPy scalar: a 0-d array, strong type
    nb::object arr = nb::steal(PyArray_FromScalar(o, nullptr));
    if (!arr.is_valid()) throw nb::python_error();
    return array_to_value(reinterpret_cast<PyArrayObject*>(arr.ptr()), what);
  }
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

nb::object array_to_python(const Array& a) {
  nb::object descr =
      nb::steal(reinterpret_cast<PyObject*>(PyArray_DescrFromType(numpy_type(a.dtype()))));
  if (a.ndim() == 0) {  // a NumPy scalar, copied from the element
    nb::object scalar = nb::steal(PyArray_Scalar(
        const_cast<char*>(a.bytes()), reinterpret_cast<PyArray_Descr*>(descr.ptr()), nullptr));
    if (!scalar.is_valid()) throw nb::python_error();
    return scalar;
  }
  // The NumPy array points at the C++ buffer and owns it through a capsule: no copy. NumPy's
  // own memory (a borrowed argument handed back) comes back read-only.
  std::vector<npy_intp> shape(a.shape().begin(), a.shape().end());
  std::vector<npy_intp> strides(a.strides().begin(), a.strides().end());
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

nb::object from_value(const Value& v) {
  switch (v.kind()) {
    case ValueKind::nil:
    case ValueKind::unbound: return nb::none();
    case ValueKind::boolean: return nb::bool_(v.as_bool());
    case ValueKind::integer: return nb::int_(v.as_int());
    case ValueKind::floating: return nb::float_(v.as_double());
    case ValueKind::string: return nb::str(v.as_string().c_str(), v.as_string().size());
    case ValueKind::array: return array_to_python(v.as_array_ref());
    case ValueKind::list: {
      nb::list out;
      for (const Value& item : v.as_list()) out.append(from_value(item));
      return out;
    }
    case ValueKind::dict: {
      nb::dict out;
      for (const auto& [k, val] : v.as_dict().items) out[from_value(k)] = from_value(val);
      return out;
    }
    case ValueKind::function: return nb::cast(FunctionHandle{v});
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
    call.keywords.emplace_back(nb::cast<std::string>(k),
                               to_value(v, ArgPath{ArgPath::keyword, 0, k}, convert));
  return call;
}

// The Python exception for a C++ exception of a call (nanobind's mapping of the standard ones).
void set_python_error(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    raise_python(e);
  } catch (nb::python_error& e) {
    e.restore();
  } catch (const std::bad_alloc&) {
    PyErr_NoMemory();
  } catch (const std::out_of_range& e) {
    PyErr_SetString(PyExc_IndexError, e.what());
  } catch (const std::overflow_error& e) {
    PyErr_SetString(PyExc_OverflowError, e.what());
  } catch (const std::domain_error& e) {
    PyErr_SetString(PyExc_ValueError, e.what());
  } catch (const std::invalid_argument& e) {
    PyErr_SetString(PyExc_ValueError, e.what());
  } catch (const std::length_error& e) {
    PyErr_SetString(PyExc_ValueError, e.what());
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
          nb::cast<std::string>(name),
          to_value(args[nargs + j], ArgPath{ArgPath::keyword, 0, name}, convert));
    }
    Value result;
    std::vector<std::string> warnings;
    try {
      nb::gil_scoped_release release;
      result = p.call(std::move(call),
                      {.sync = sync || Runtime::instance().settings().sync, .warnings = &warnings});
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

// tp_call of _core.FastCall, the base of larix.Kernel and larix.Program: their call without
// Python code on the way. The instance's `_fast` attribute is (program, convert, sync,
// returns_tuple, guards, profile_state) while the kernel is built and not profiled (a Program's
// always): the call runs here when the guards (function, code, function, code, ...) hold, no
// profile is collecting (profile_state.on), and no keyword is given. Anything else goes to the
// instance's `_slow_call(*args, **kwargs)`; an error of the fast path goes to its
// `_raise_from(error)`, which raises it at the user's line.
PyObject* kernel_call(PyObject* self, PyObject* args, PyObject* kwargs) {
  static PyObject* const fast_name = PyUnicode_InternFromString("_fast");
  static PyObject* const on_name = PyUnicode_InternFromString("on");
  nb::object fast = nb::steal(PyObject_GetAttr(self, fast_name));
  if (!fast.is_valid()) return nullptr;
  bool quick = PyTuple_Check(fast.ptr()) && PyTuple_GET_SIZE(fast.ptr()) == 6 &&
               (!kwargs || PyDict_GET_SIZE(kwargs) == 0);
  const Program* p = nullptr;
  if (quick) {
    PyObject* const* f = &PyTuple_GET_ITEM(fast.ptr(), 0);
    nb::object on = nb::steal(PyObject_GetAttr(f[5], on_name));
    if (!on.is_valid()) return nullptr;
    quick = on.ptr() == Py_False && PyTuple_Check(f[4]) && guards_hold(f[4]) &&
            nb::try_cast<const Program*>(nb::handle(f[0]), p) && p;
  }
  if (!quick) {
    nb::object slow = nb::steal(PyObject_GetAttrString(self, "_slow_call"));
    if (!slow.is_valid()) return nullptr;
    return PyObject_Call(slow.ptr(), args, kwargs);
  }
  PyObject* const* f = &PyTuple_GET_ITEM(fast.ptr(), 0);
  const nb::handle convert = f[1] == Py_None ? nb::handle() : nb::handle(f[1]);
  PyObject* result = run_program(*p, convert, f[2] == Py_True, &PyTuple_GET_ITEM(args, 0),
                                 PyTuple_GET_SIZE(args), nullptr);
  if (!result) {
    PyObject *type, *value, *traceback;
    PyErr_Fetch(&type, &value, &traceback);
    PyErr_NormalizeException(&type, &value, &traceback);
    if (traceback) PyException_SetTraceback(value, traceback);
    nb::object error = nb::steal(value);
    Py_XDECREF(type);
    Py_XDECREF(traceback);
    nb::object raise = nb::steal(PyObject_GetAttrString(self, "_raise_from"));
    if (!raise.is_valid()) return nullptr;
    return PyObject_CallFunctionObjArgs(raise.ptr(), error.ptr(), args, nullptr);
  }
  if (f[3] == Py_True && PyList_Check(result)) {  // a function that returns a tuple
    PyObject* tuple = PyList_AsTuple(result);
    Py_DECREF(result);
    return tuple;
  }
  return result;
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
  try {
    nb::gil_scoped_release release;
    result = call_profiled(p, std::move(call), profile, trace, sync, &warnings);
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
    stack.append(nb::make_tuple(entry.function, entry.call_site.file_name(), entry.call_site.line,
                                entry.call_site.col));
  nb::dict info;
  info["kind"] = kind;
  info["message"] = e.message();
  info["file"] = e.loc().known() ? nb::object(nb::cast(e.loc().file_name())) : nb::none();
  info["line"] = e.loc().line;
  info["column"] = e.loc().col;
  info["source_line"] = e.source_line();
  info["physl_stack"] = stack;
  info["formatted"] = std::string(e.what());
  nb::object instance = cls.attr("_from_core")(info);
  PyErr_SetObject(cls.ptr(), instance.ptr());
}

}  // namespace
}  // namespace larix

NB_MODULE(_core, m) {
  using namespace larix;
  m.doc() = "Larix's C++ core (conversion only; see the larix package for the API)";
  if (_import_array() < 0) throw nb::python_error();
  static PyMethodDef call_def = {"call", reinterpret_cast<PyCFunction>(call_fast),
                                 METH_FASTCALL | METH_KEYWORDS,
                                 "call(program, convert, sync, *args, **kwargs): calls a program"};
  m.attr("call") = nb::steal(PyCFunction_NewEx(&call_def, nullptr, m.ptr()));
  static PyType_Slot kernel_slots[] = {
      {Py_tp_call, reinterpret_cast<void*>(kernel_call)},
      {Py_tp_doc,
       const_cast<char*>(
           "The base of larix.Kernel and larix.Program: their call (python/src/bindings.cpp)")},
      {0, nullptr}};
  static PyType_Spec kernel_spec = {"larix._core.FastCall", sizeof(PyObject), 0,
                                    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, kernel_slots};
  m.attr("FastCall") = nb::steal(PyType_FromSpec(&kernel_spec));

  nb::register_exception_translator([](const std::exception_ptr& p, void*) {
    try {
      std::rethrow_exception(p);
    } catch (const Error& e) {
      raise_python(e);
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
               nb::gil_scoped_release release;
               result = call_function(f.fn, std::move(call), {.warnings = &warnings});
             }
             if (!emit_warnings(warnings)) throw nb::python_error();
             return from_value(result);
           })
      .def("__repr__", [](const FunctionHandle& f) { return f.fn.repr(); });

  nb::class_<Program>(m, "Program")
      .def(nb::new_([](const std::string& text, const std::string& source_name,
                       const std::string& origin_file, bool optimize, bool parallel_loops) {
             compiler::CompileOptions options;
             options.source_name = source_name;
             options.origin_file = origin_file;
             options.optimize = optimize;
             options.parallel_loops = parallel_loops;
             return Program::compile(text, options);
           }),
           "text"_a, "source_name"_a = "<string>", "origin_file"_a = "", "optimize"_a = true,
           "parallel_loops"_a = true)
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
  m.def("sync_default", [] { return Runtime::instance().settings().sync; });
}
