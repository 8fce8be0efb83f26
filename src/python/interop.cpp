// Tensors to and from NumPy and DLPack without copies (t.numpy(), ember.from_numpy, __array__,
// __dlpack__, ember.from_dlpack), and ember.tensor / ember.as_tensor from Python data.
//
// Sharing memory goes through nanobind's ndarray: exports wrap a tensor's buffer with an owner that
// holds its storage; imports wrap the producer's buffer with from_blob, whose deleter holds the
// imported ndarray (and so the NumPy array or the DLPack capsule's owner) until the last view of the
// storage is gone.
#include <nanobind/ndarray.h>

#include <cmath>
#include <limits>
#include <memory>
#include <utility>

#include <ember/cuda.h>

#include "python/bind.h"

namespace ember::python {

namespace {

using Imported = nb::ndarray<nb::ro>;
namespace dl = nb::dlpack;

dl::dtype dlpack_dtype(DType t) {
  auto make = [](dl::dtype_code c, size_t bits) { return dl::dtype{uint8_t(c), uint8_t(bits), 1}; };
  switch (t) {
    case kUInt8: return make(dl::dtype_code::UInt, 8);
    case kInt8: return make(dl::dtype_code::Int, 8);
    case kInt16: return make(dl::dtype_code::Int, 16);
    case kInt32: return make(dl::dtype_code::Int, 32);
    case kInt64: return make(dl::dtype_code::Int, 64);
    case kFloat16: return make(dl::dtype_code::Float, 16);
    case kFloat32: return make(dl::dtype_code::Float, 32);
    case kFloat64: return make(dl::dtype_code::Float, 64);
    case kBool: return make(dl::dtype_code::Bool, 8);
    default: return make(dl::dtype_code::Bfloat, 16);
  }
}

std::optional<DType> dtype_from_dlpack(dl::dtype d) {
  if (d.lanes != 1) return std::nullopt;
  for (int i = 0; i < kNumDTypes; ++i)
    if (dlpack_dtype(DType(i)) == d) return DType(i);
  return std::nullopt;
}

// DLPack's device of t: (kDLCPU, 0) or (kDLCUDA, index).
std::pair<int32_t, int32_t> dlpack_device(const Tensor& t) {
  if (t.is_cpu()) return {nb::device::cpu::value, 0};
  return {nb::device::cuda::value, t.device().has_index() ? int32_t(t.device().index()) : 0};
}

// An ndarray over t's elements (on t's device) whose owner keeps t's storage alive.
template <class Framework>
nb::object export_view(const Tensor& t) {
  auto* keep = new std::shared_ptr<StorageImpl>(t.storage());
  nb::capsule owner(keep, [](void* p) noexcept { delete static_cast<std::shared_ptr<StorageImpl>*>(p); });
  std::vector<size_t> shape(t.sizes().begin(), t.sizes().end());
  const auto [device_type, device_id] = dlpack_device(t);
  nb::ndarray<Framework> view(t.data_ptr(), size_t(t.dim()), shape.data(), owner, t.strides().data(),
                              dlpack_dtype(t.dtype()), device_type, device_id);
  return view.cast();
}

nb::object to_numpy(const Tensor& self, bool force) {
  Tensor t = self;
  if (force) {
    t = self.detach().cpu();
  } else {
    EMBER_CHECK(!self.requires_grad(),
                "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
    EMBER_CHECK_TYPE(self.is_cpu(), "can't convert ", self.device().str(),
                     " device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.");
  }
  EMBER_CHECK_TYPE(t.dtype() != kBFloat16, "Got unsupported ScalarType BFloat16");
  return export_view<nb::numpy>(t);
}

void release_imported(Imported* keep) {
  // Storage may die on a thread without the GIL (backward releases it) or after the interpreter is gone.
  if (!Py_IsInitialized()) return;
  nb::gil_scoped_acquire gil;
  delete keep;
}

// A tensor over an imported ndarray's memory (CPU, a dtype ember has, no negative strides). `strides`
// (in elements) replaces the import's where given: the import normalises the strides of size-1 dims,
// which torch.from_numpy keeps as NumPy has them.
Tensor wrap_imported(const Imported& a, DType dt, const std::vector<int64_t>* element_strides = nullptr) {
  size_t n = a.ndim();
  std::vector<int64_t> sizes(n), strides(n);
  for (size_t i = 0; i < n; ++i) {
    sizes[i] = int64_t(a.shape(i));
    strides[i] = element_strides ? (*element_strides)[i] : a.stride(i);
  }
  auto* keep = new Imported(a);
  return from_blob(const_cast<void*>(a.data()), sizes, strides, [keep](void*) { release_imported(keep); },
                   TensorOptions(dt));
}

// ---- NumPy ----

// NumPy's array and scalar types, once NumPy is imported; `import ember` itself does not need NumPy.
struct NumpyTypes {
  nb::handle ndarray, generic;
};

const NumpyTypes* numpy_types() {
  static NumpyTypes types;  // borrowed for the process's lifetime: NumPy is never unloaded
  if (types.ndarray) return &types;
  PyObject* numpy = PyImport_GetModule(nb::str("numpy").ptr());
  if (!numpy) {
    if (PyErr_Occurred()) throw nb::python_error();
    return nullptr;
  }
  nb::object np = nb::steal(numpy);
  types.generic = nb::object(np.attr("generic")).release();
  types.ndarray = nb::object(np.attr("ndarray")).release();
  return &types;
}

bool is_numpy_array(nb::handle o) {
  const NumpyTypes* np = numpy_types();
  return np && PyObject_TypeCheck(o.ptr(), reinterpret_cast<PyTypeObject*>(np->ndarray.ptr()));
}

// A NumPy array or scalar: it carries its own dtype, which torch.tensor keeps.
bool is_numpy_object(nb::handle o) {
  const NumpyTypes* np = numpy_types();
  return np && (PyObject_TypeCheck(o.ptr(), reinterpret_cast<PyTypeObject*>(np->ndarray.ptr())) ||
                PyObject_TypeCheck(o.ptr(), reinterpret_cast<PyTypeObject*>(np->generic.ptr())));
}

// The ember dtype of a NumPy dtype object; nullopt for the ones ember lacks (complex, uint16, object...).
std::optional<DType> dtype_from_numpy(nb::handle np_dtype) {
  std::string kind = nb::cast<std::string>(np_dtype.attr("kind"));
  auto size = nb::cast<int64_t>(np_dtype.attr("itemsize"));
  if (kind == "b") return kBool;
  if (kind == "u" && size == 1) return kUInt8;
  if (kind == "i") {
    switch (size) {
      case 1: return kInt8;
      case 2: return kInt16;
      case 4: return kInt32;
      case 8: return kInt64;
    }
  }
  if (kind == "f") {
    switch (size) {
      case 2: return kFloat16;
      case 4: return kFloat32;
      case 8: return kFloat64;
    }
  }
  return std::nullopt;
}

DType numpy_dtype_or_throw(nb::handle np_dtype) {
  if (auto t = dtype_from_numpy(np_dtype)) return *t;
  throw ember::TypeError(detail::str(
      "can't convert np.ndarray of type numpy.", nb::cast<std::string>(np_dtype.attr("type").attr("__name__")),
      ". The only supported types are: float64, float32, float16, int64, int32, int16, int8, uint8, and bool."));
}

// torch.from_numpy's checks, in its order, then the shared memory.
Tensor tensor_from_numpy(nb::handle array, bool warn_if_not_writeable) {
  if (!is_numpy_array(array))
    throw ember::TypeError(detail::str("expected np.ndarray (got ", nb::type_name(array.type()).c_str(), ")"));
  nb::object np_dtype = array.attr("dtype");
  auto itemsize = nb::cast<int64_t>(np_dtype.attr("itemsize"));
  std::vector<int64_t> strides;
  for (nb::handle s : nb::tuple(array.attr("strides"))) {
    EMBER_CHECK_VALUE(nb::cast<int64_t>(s) % itemsize == 0,
                      "given numpy array strides not a multiple of the element byte size. Copy the numpy array to "
                      "reallocate the memory.");
    strides.push_back(nb::cast<int64_t>(s) / itemsize);
  }
  for (nb::handle s : nb::tuple(array.attr("strides")))
    EMBER_CHECK_VALUE(nb::cast<int64_t>(s) >= 0,
                      "At least one stride in the given numpy array is negative, and tensors with negative strides "
                      "are not currently supported. (You can probably work around this by making a copy of your "
                      "array  with array.copy().) ");
  EMBER_CHECK_VALUE(nb::cast<bool>(np_dtype.attr("isnative")),
                    "given numpy array has byte order different from the native byte order. Conversion between "
                    "byte orders is currently not supported.");
  DType dt = numpy_dtype_or_throw(np_dtype);
  if (warn_if_not_writeable && !nb::cast<bool>(array.attr("flags").attr("writeable"))) {
    if (PyErr_WarnEx(PyExc_UserWarning,
                     "The given NumPy array is not writable, and PyTorch does not support non-writable tensors. "
                     "This means writing to this tensor will result in undefined behavior. You may want to copy "
                     "the array to protect its data or make it writable before converting it to a tensor. This "
                     "type of warning will be suppressed for the rest of this program.",
                     1) < 0)
      throw nb::python_error();
  }
  return wrap_imported(nb::cast<Imported>(array), dt, &strides);
}

// ---- DLPack ----

// torch.from_dlpack: an object's own __dlpack__() (so its errors reach the caller), or a capsule.
Tensor tensor_from_dlpack(nb::handle obj) {
  nb::object capsule = nb::borrow(obj);
  if (nb::hasattr(obj, "__dlpack__")) capsule = obj.attr("__dlpack__")();
  Imported a;
  if (!PyCapsule_CheckExact(capsule.ptr()) || !nb::try_cast(capsule, a, false))
    throw ember::TypeError(detail::str("from_dlpack: expected an object with __dlpack__ or an unused DLPack capsule, "
                                       "got ", nb::type_name(obj.type()).c_str()));
  EMBER_CHECK(a.device_type() == nb::device::cpu::value, "from_dlpack: ember has no device of DLPack type ",
              a.device_type());
  auto dt = dtype_from_dlpack(a.dtype());
  EMBER_CHECK(dt.has_value(), "Unsupported DLPack dtype (code ", int(a.dtype().code), ", ", int(a.dtype().bits),
              " bits, ", int(a.dtype().lanes), " lanes)");
  for (size_t i = 0; i < a.ndim(); ++i)
    EMBER_CHECK(a.stride(i) >= 0, "from_dlpack: tensors with negative strides are not supported");
  return wrap_imported(a, *dt);
}

// ---- ember.tensor from Python data ----

bool is_tensor(nb::handle o) { return nb::isinstance<Tensor>(o); }

// Lists, tuples and anything else with the sequence protocol nest; strings and tensors do not.
bool is_sequence(nb::handle o) {
  PyObject* p = o.ptr();
  if (PyList_Check(p) || PyTuple_Check(p)) return true;
  if (PyUnicode_Check(p) || PyBytes_Check(p) || is_tensor(o)) return false;
  return PySequence_Check(p);
}

std::vector<int64_t> compute_sizes(nb::handle data) {
  std::vector<int64_t> sizes;
  nb::object seq = nb::borrow(data);
  while (is_sequence(seq)) {
    Py_ssize_t n = PySequence_Length(seq.ptr());
    if (n < 0) throw nb::python_error();
    sizes.push_back(n);
    if (n == 0) break;
    seq = nb::steal(PySequence_GetItem(seq.ptr(), 0));
    if (!seq.is_valid()) throw nb::python_error();
    EMBER_CHECK_VALUE(!PyUnicode_Check(seq.ptr()), "too many dimensions 'str'");
  }
  return sizes;
}

// torch's infer_scalar_type: bool < int64 < the default float dtype for Python numbers, a tensor's or
// NumPy object's own dtype, promoted over all elements of a sequence.
DType infer_dtype(nb::handle o) {
  PyObject* p = o.ptr();
  if (PyFloat_CheckExact(p)) return get_default_dtype();
  if (PyBool_Check(p)) return kBool;
  if (PyLong_Check(p)) return kInt64;
  if (is_tensor(o)) return nb::inst_ptr<Tensor>(o)->dtype();
  if (PyComplex_Check(p)) throw ember::TypeError("ember has no complex dtypes; cannot make a tensor from a complex");
  if (is_numpy_object(o)) return numpy_dtype_or_throw(o.attr("dtype"));
  if (PyFloat_Check(p)) return get_default_dtype();
  if (PyUnicode_Check(p)) throw ember::TypeError("new(): invalid data type 'str'");
  if (is_sequence(o)) {
    nb::object fast = nb::steal(PySequence_Fast(p, "not a sequence"));
    if (!fast.is_valid()) throw nb::python_error();
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast.ptr());
    if (n == 0) return get_default_dtype();
    PyObject** items = PySequence_Fast_ITEMS(fast.ptr());
    DType t = infer_dtype(items[0]);
    for (Py_ssize_t i = 1; i < n; ++i) t = promote_types(t, infer_dtype(items[i]));
    return t;
  }
  throw Error(detail::str("Could not infer dtype of ", nb::type_name(o.type()).c_str()));
}

int64_t unpack_long(PyObject* p) {
  int too_big = 0;
  long long v = PyLong_AsLongLongAndOverflow(p, &too_big);
  if (too_big) throw Error("Overflow when unpacking long");
  if (v == -1 && PyErr_Occurred()) throw nb::python_error();
  return v;
}

double unpack_double(PyObject* p) {
  double d = PyFloat_AsDouble(p);
  if (d == -1.0 && PyErr_Occurred()) {
    PyErr_Clear();
    throw ember::TypeError(detail::str("must be real number, not ", Py_TYPE(p)->tp_name));
  }
  return d;
}

[[noreturn]] void overflow(DType t) {
  throw Error(detail::str("value cannot be converted to type ", dtype_name(t), " without overflow"));
}

// torch's unpackIntegral: a Python int or float stored into an integer dtype, checked for overflow as
// c10::checked_convert does (unsigned targets accept negatives down to -max, as c10 wraps them).
template <class T>
T unpack_integral(PyObject* p, DType t) {
  using L = std::numeric_limits<T>;
  if (PyFloat_Check(p)) {
    double d = PyFloat_AS_DOUBLE(p);
    if (std::isnan(d) || d < double(L::lowest()) || d > double(L::max())) overflow(t);
    // 2^63 passes the check (int64's max rounds up to it in double); PyTorch stores it as the minimum.
    if (d >= -double(L::lowest()) && L::is_signed) return L::lowest();
    return T(d);
  }
  int64_t v = unpack_long(p);
  if constexpr (std::is_unsigned_v<T>) {
    if (v > int64_t(L::max()) || (v < 0 && uint64_t(0) - uint64_t(v) > uint64_t(L::max()))) overflow(t);
  } else {
    if (v < int64_t(L::lowest()) || v > int64_t(L::max())) overflow(t);
  }
  return T(v);
}

void store_number(PyObject* p, DType t, char* out) {
  switch (t) {
    case kBool: {
      int truth = PyObject_IsTrue(p);
      if (truth < 0) throw nb::python_error();
      *reinterpret_cast<bool*>(out) = truth;
      return;
    }
    case kUInt8: *reinterpret_cast<uint8_t*>(out) = unpack_integral<uint8_t>(p, t); return;
    case kInt8: *reinterpret_cast<int8_t*>(out) = unpack_integral<int8_t>(p, t); return;
    case kInt16: *reinterpret_cast<int16_t*>(out) = unpack_integral<int16_t>(p, t); return;
    case kInt32: *reinterpret_cast<int32_t*>(out) = unpack_integral<int32_t>(p, t); return;
    case kInt64: *reinterpret_cast<int64_t*>(out) = unpack_integral<int64_t>(p, t); return;
    case kFloat16: *reinterpret_cast<Half*>(out) = Half(float(unpack_double(p))); return;
    case kBFloat16: *reinterpret_cast<BFloat16*>(out) = BFloat16(float(unpack_double(p))); return;
    case kFloat32: *reinterpret_cast<float*>(out) = float(unpack_double(p)); return;
    default: *reinterpret_cast<double*>(out) = unpack_double(p); return;
  }
}

void store_scalar(nb::handle o, DType t, char* out) {
  PyObject* p = o.ptr();
  if (PyFloat_CheckExact(p) || PyLong_CheckExact(p) || PyBool_Check(p)) return store_number(p, t, out);
  if (is_tensor(o)) {
    const Tensor& src = *nb::inst_ptr<Tensor>(o);
    EMBER_CHECK_VALUE(src.numel() == 1, "only one element tensors can be converted to Python scalars");
    return store_scalar(nb::cast(src.item()), t, out);
  }
  if (is_sequence(o)) {
    throw ember::TypeError(detail::str(is_integral(t, false) ? "'" : "must be real number, not ",
                                       nb::type_name(o.type()).c_str(),
                                       is_integral(t, false) ? "' object cannot be interpreted as an integer" : ""));
  }
  // NumPy scalars: their Python value (np.bool_ has no __index__ to read it by).
  if (is_numpy_object(o)) return store_number(o.attr("item")().ptr(), t, out);
  store_number(p, t, out);
}

void store(nb::handle o, const std::vector<int64_t>& sizes, size_t dim, DType t, char*& out) {
  if (dim == sizes.size()) {
    store_scalar(o, t, out);
    out += element_size(t);
    return;
  }
  if (!is_sequence(o)) throw ember::TypeError("not a sequence");
  nb::object fast = nb::steal(PySequence_Fast(o.ptr(), "not a sequence"));
  if (!fast.is_valid()) throw nb::python_error();
  Py_ssize_t n = PySequence_Fast_GET_SIZE(fast.ptr());
  EMBER_CHECK_VALUE(n == sizes[dim], "expected sequence of length ", sizes[dim], " at dim ", dim, " (got ", n, ")");
  PyObject** items = PySequence_Fast_ITEMS(fast.ptr());
  for (Py_ssize_t i = 0; i < n; ++i) store(items[i], sizes, dim + 1, t, out);
}

void warn_copy_construct() {
  if (PyErr_WarnEx(PyExc_UserWarning,
                   "To copy construct from a tensor, it is recommended to use sourceTensor.clone().detach() or "
                   "sourceTensor.clone().detach().requires_grad_(True), rather than torch.tensor(sourceTensor).",
                   1) < 0)
    throw nb::python_error();
}

// torch.tensor(data, dtype=None, device=None, requires_grad=False): always a copy, a leaf.
Tensor tensor_from_data(nb::handle data, std::optional<DType> dtype, std::optional<Device> device,
                        bool requires_grad) {
  Tensor r;
  if (is_tensor(data)) {
    warn_copy_construct();
    const Tensor& src = *nb::inst_ptr<Tensor>(data);
    r = src.detach().to(device.value_or(src.device()), dtype.value_or(src.dtype()), false, true);
  } else if (is_numpy_array(data)) {
    Tensor shared = tensor_from_numpy(data, false);
    r = shared.to(device.value_or(Device(kCPU)), dtype.value_or(shared.dtype()), false, true);
  } else {
    if (PyUnicode_Check(data.ptr())) throw ember::TypeError("new(): invalid data type 'str'");
    std::vector<int64_t> sizes = compute_sizes(data);
    DType t = dtype ? *dtype : infer_dtype(data);
    r = empty(sizes, TensorOptions(t));
    char* out = static_cast<char*>(r.data_ptr());
    if (r.numel() > 0) store(data, sizes, 0, t, out);
    if (device) r = r.to(*device);
  }
  if (requires_grad) {
    // torch.tensor's own wording (requires_grad_() words it differently); factories share it.
    EMBER_CHECK(r.is_floating_point(), "Only Tensors of floating point and complex dtype can require gradients");
    r.requires_grad_(true);
  }
  return r;
}

// torch.as_tensor: shares memory with a tensor or a NumPy array when dtype (and device) allow.
Tensor as_tensor(nb::handle data, std::optional<DType> dtype, std::optional<Device> device) {
  if (is_tensor(data)) {
    const Tensor& src = *nb::inst_ptr<Tensor>(data);
    return src.to(device.value_or(src.device()), dtype.value_or(src.dtype()));
  }
  if (is_numpy_array(data)) {
    Tensor shared = tensor_from_numpy(data, false);
    return shared.to(device.value_or(Device(kCPU)), dtype.value_or(shared.dtype()));
  }
  return tensor_from_data(data, dtype, device, false);
}

}  // namespace

void bind_interop(nb::module_& m, nb::class_<Tensor>& cls) {
  cls.def("numpy", &to_numpy, nb::kw_only(), "force"_a = false)
      .def(
          "__array__",
          [](const Tensor& t, nb::handle dtype, std::optional<bool> copy) {
            nb::object a = to_numpy(t, false);
            if (!dtype.is_none()) a = a.attr("astype")(dtype, "copy"_a = copy.value_or(false));
            else if (copy.value_or(false)) a = a.attr("copy")();
            return a;
          },
          // copy= is what NumPy 2 passes; the view itself is never a copy.
          "dtype"_a = nb::none(), "copy"_a = nb::none())
      // NumPy ufuncs on tensors give tensors, with PyTorch's quirk of bool results as uint8.
      .def(
          "__array_wrap__",
          [](nb::handle self, nb::handle array, nb::handle context, bool return_scalar) {
            nb::object a = nb::borrow(array);
            if (nb::cast<std::string>(a.attr("dtype").attr("kind")) == "b") a = a.attr("astype")("uint8");
            return tensor_from_numpy(a, true);
          },
          "array"_a, "context"_a = nb::none(), "return_scalar"_a = false)
      .def(
          "__dlpack__",
          [](const Tensor& t, nb::handle stream, nb::kwargs kwargs) {
            EMBER_CHECK(!t.requires_grad(), "Can't export tensors that require gradient, use tensor.detach()");
            // The consumer reads on its own stream: the work queued on ember's has to be done first.
            if (t.is_cuda()) ember::cuda::getCurrentCUDAStream().synchronize();
            nb::object view = export_view<nb::array_api>(t);
            if (!stream.is_none()) kwargs["stream"] = stream;
            return view.attr("__dlpack__")(**kwargs);
          },
          "stream"_a = nb::none(), "kwargs"_a)
      .def("__dlpack_device__", [](const Tensor& t) {
        const auto [device_type, device_id] = dlpack_device(t);
        return nb::make_tuple(device_type, device_id);
      });

  // Above NumPy's arrays, so `ndarray + tensor` calls the tensor's reflected operator, as in PyTorch.
  cls.attr("__array_priority__") = 1000;

  m.def("from_numpy", [](nb::handle a) { return tensor_from_numpy(a, true); }, "ndarray"_a.none());
  m.def("from_dlpack", &tensor_from_dlpack, "ext_tensor"_a.none());
  m.def("tensor", &tensor_from_data, "data"_a.none(), nb::kw_only(), "dtype"_a = nb::none(), "device"_a = nb::none(),
        "requires_grad"_a = false);
  m.def("as_tensor", &as_tensor, "data"_a.none(), "dtype"_a = nb::none(), "device"_a = nb::none());
}

}  // namespace ember::python
