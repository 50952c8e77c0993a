// The nanobind extension larix._core: converts between Python objects and larix::Value, and calls
// the C++ facade with the GIL released. No logic lives here (STYLE.md).
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <optional>

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

// Keeps a Python object alive from C++ (for borrowed NumPy buffers); drops it under the GIL.
std::shared_ptr<void> hold(nb::handle obj) {
  obj.inc_ref();
  return std::shared_ptr<void>(obj.ptr(), [](void* p) {
    if (!Py_IsInitialized()) return;
    nb::gil_scoped_acquire gil;
    Py_DECREF(static_cast<PyObject*>(p));
  });
}

struct FunctionHandle {
  Value fn;
};

// NumPy's module and the types every conversion tests against, looked up once (never destroyed:
// they outlive interpreter teardown, as error_classes does).
struct NumPy {
  nb::object module = nb::module_::import_("numpy");
  nb::object ndarray = module.attr("ndarray");
  nb::object generic = module.attr("generic");
  nb::object int64 = module.attr("int64");
  nb::object float32 = module.attr("float32");
};
const NumPy& numpy() {
  static const NumPy* numpy = new NumPy();
  return *numpy;
}

// `convert`, when given, is asked for a Larix function value for an object nothing else takes
// (a kernel or a Python function passed to a kernel); it returns a Function or None.
Value to_value(nb::handle obj, const std::string& what, nb::handle convert = nb::handle());

std::optional<DType> dtype_of_numpy(const nb::dlpack::dtype& d) {
  using nb::dlpack::dtype_code;
  if (d.code == static_cast<uint8_t>(dtype_code::Bool) && d.bits == 8) return DType::bool_;
  if (d.code == static_cast<uint8_t>(dtype_code::Int) && d.bits == 64) return DType::int64;
  if (d.code == static_cast<uint8_t>(dtype_code::Float) && d.bits == 32) return DType::float32;
  if (d.code == static_cast<uint8_t>(dtype_code::Float) && d.bits == 64) return DType::float64;
  return std::nullopt;
}

// A borrowed Array over a NumPy array of one of Larix's dtypes; none for any other.
std::optional<Value> borrow_array(nb::handle arr) {
  nb::ndarray<nb::ro> view;
  if (!nb::try_cast(arr, view, /*convert=*/false)) return std::nullopt;
  const auto dtype = dtype_of_numpy(view.dtype());
  if (!dtype) return std::nullopt;
  Shape shape(view.ndim());
  Strides strides(view.ndim());
  const std::int64_t isz = static_cast<std::int64_t>(itemsize(*dtype));
  for (std::size_t i = 0; i < view.ndim(); ++i) {
    shape[i] = static_cast<std::int64_t>(view.shape(i));
    strides[i] = static_cast<std::int64_t>(view.stride(i)) * isz;
  }
  return Value(Array::borrow(const_cast<void*>(view.data()), *dtype, std::move(shape),
                             std::move(strides), hold(arr)));
}

Value array_to_value(nb::handle obj, const std::string& what) {
  // The common case first: bool, int64, float32 or float64, read in place.
  if (std::optional<Value> v = borrow_array(obj)) return std::move(*v);
  nb::object arr = nb::borrow(obj);
  const std::string kind = nb::cast<std::string>(arr.attr("dtype").attr("kind"));
  if (kind == "O" || kind == "c" || kind == "U" || kind == "S" || kind == "V" || kind == "M" ||
      kind == "m")
    user_error(ErrorKind::type, what, " has dtype ",
               nb::cast<std::string>(arr.attr("dtype").attr("name")),
               ", which Larix does not support (bool, integers, float32 and float64 are)");
  // Integer widths other than int64 (and unsigned ones) become int64: NumPy's promotion result for
  // mixed integer arithmetic, and the one integer type the kernels hold.
  if ((kind == "i" || kind == "u") && nb::cast<int>(arr.attr("dtype").attr("itemsize")) != 8)
    arr = arr.attr("astype")(numpy().int64);
  else if (kind == "u") arr = arr.attr("astype")(numpy().int64);
  else if (kind == "f" && nb::cast<int>(arr.attr("dtype").attr("itemsize")) == 2)
    arr = arr.attr("astype")(numpy().float32);
  nb::ndarray<nb::ro> view;
  if (!nb::try_cast(arr, view, /*convert=*/false))
    user_error(ErrorKind::type, what, " is an array Larix cannot read without a copy");
  if (!dtype_of_numpy(view.dtype())) user_error(ErrorKind::type, what, " has an unsupported dtype");
  return *borrow_array(arr);
}

Value to_value(nb::handle obj, const std::string& what, nb::handle convert) {
  if (obj.is_none()) return Value();
  if (PyBool_Check(obj.ptr())) return Value(obj.ptr() == Py_True);
  if (PyLong_Check(obj.ptr())) {
    int overflow = 0;
    const long long v = PyLong_AsLongLongAndOverflow(obj.ptr(), &overflow);
    if (overflow) user_error(ErrorKind::type, what, " is an int that does not fit in 64 bits");
    return Value(static_cast<std::int64_t>(v));
  }
  if (PyFloat_Check(obj.ptr())) return Value(PyFloat_AS_DOUBLE(obj.ptr()));
  if (PyUnicode_Check(obj.ptr())) return Value(nb::cast<std::string>(obj));
  if (PyList_Check(obj.ptr()) || PyTuple_Check(obj.ptr())) {
    List items;
    std::size_t i = 0;
    for (nb::handle item : obj)
      items.push_back(to_value(item, what + "[" + std::to_string(i++) + "]", convert));
    return Value(std::move(items));
  }
  if (PyDict_Check(obj.ptr())) {
    Dict d;
    for (auto [k, v] : nb::borrow<nb::dict>(obj))
      d.items.emplace_back(to_value(k, what + " key", convert),
                           to_value(v, what + " value", convert));
    return Value(std::move(d));
  }
  if (nb::isinstance<FunctionHandle>(obj)) return nb::cast<FunctionHandle&>(obj).fn;
  if (nb::isinstance(obj, numpy().ndarray)) return array_to_value(obj, what);
  if (nb::isinstance(obj, numpy().generic))  // a NumPy scalar: a 0-d array, strong type
    return array_to_value(numpy().module.attr("asarray")(obj), what);
  if (convert.is_valid()) {
    nb::object fn = convert(obj);
    if (nb::isinstance<FunctionHandle>(fn)) return nb::cast<FunctionHandle&>(fn).fn;
  }
  user_error(ErrorKind::type, what, " has type ",
             nb::cast<std::string>(obj.type().attr("__name__")),
             ", which Larix cannot take (numbers, strings, None, lists, tuples, dicts, NumPy "
             "arrays and Larix functions can)");
}

nb::object array_to_python(const Array& a) {
  // The NumPy array points at the C++ buffer and owns it through a capsule: no copy.
  auto* keep = new std::shared_ptr<Buffer>(a.buffer());
  nb::capsule owner(keep,
                    [](void* p) noexcept { delete static_cast<std::shared_ptr<Buffer>*>(p); });
  std::vector<std::size_t> shape(a.shape().begin(), a.shape().end());
  std::vector<std::int64_t> strides(a.ndim());
  for (int i = 0; i < a.ndim(); ++i)
    strides[i] = a.strides()[i] / static_cast<std::int64_t>(a.itemsize());
  nb::dlpack::dtype dt;
  switch (a.dtype()) {
    case DType::bool_: dt = nb::dtype<bool>(); break;
    case DType::int64: dt = nb::dtype<std::int64_t>(); break;
    case DType::float32: dt = nb::dtype<float>(); break;
    case DType::float64: dt = nb::dtype<double>(); break;
  }
  nb::ndarray<nb::numpy> arr(const_cast<char*>(a.bytes()), static_cast<std::size_t>(a.ndim()),
                             shape.data(), owner, strides.data(), dt);
  nb::object out = arr.cast();
  if (a.is_borrowed()) out.attr("setflags")("write"_a = false);  // NumPy's own memory: read-only
  if (a.ndim() == 0) return out[nb::tuple()];                    // a NumPy scalar
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
  for (nb::handle a : args) {
    ++i;
    call.positional.push_back(to_value(a, "argument " + std::to_string(i), convert));
  }
  for (auto [k, v] : kwargs) {
    const std::string name = nb::cast<std::string>(k);
    call.keywords.emplace_back(name, to_value(v, "argument '" + name + "'", convert));
  }
  return call;
}

// Calls a program with Python arguments, the GIL released while it runs.
nb::object call_program(const Program& p, nb::args args, nb::kwargs kwargs, bool sync,
                        nb::handle convert = nb::handle()) {
  CallArgs call = to_call_args(args, kwargs, convert);
  Value result;
  {
    nb::gil_scoped_release release;
    result = p.call(std::move(call), {.sync = sync});
  }
  return from_value(result);
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
  {
    nb::gil_scoped_release release;
    result = call_profiled(p, std::move(call), profile, trace, sync);
  }
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
             {
               nb::gil_scoped_release release;
               result = call_function(f.fn, std::move(call));
             }
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
      .def("__call__",
           [](const Program& p, nb::args args, nb::kwargs kwargs) {
             return call_program(p, args, kwargs, Runtime::instance().settings().sync);
           })
      .def("call_sync", [](const Program& p, nb::args args,
                           nb::kwargs kwargs) { return call_program(p, args, kwargs, true); })
      // A kernel's call: `convert` turns kernels and Python functions among the arguments into
      // Larix functions; `sync` asks for the reference executor (as LARIX_SYNC does).
      .def("call_converting",
           [](const Program& p, nb::handle convert, bool sync, nb::args args, nb::kwargs kwargs) {
             return call_program(p, args, kwargs, sync || Runtime::instance().settings().sync,
                                 convert);
           })
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
