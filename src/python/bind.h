#pragma once
// Shared pieces of the Python bindings: the conversions between Python objects and ember's C++ types
// (numbers -> Scalar, ints and sequences -> IntArrayRef, ember.dtype objects -> DType) and the
// registration functions each binding file defines. Bindings are thin: every behaviour lives in the C++
// core, these files only translate arguments and results.
#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <ember/ember.h>

namespace nb = nanobind;
using namespace nb::literals;

namespace ember::python {

// ember.dtype: one immutable object per DType, created at import (ember.float32 is ember.float32).
struct PyDType {
  DType value;
};
nb::handle dtype_object(DType t);
// ember.Size (a tuple subclass, as torch.Size) from sizes.
nb::object make_size(IntArrayRef sizes);
// A Tensor result as a Python object; an undefined Tensor becomes None (grad, grad of an unused input).
inline nb::object wrap(Tensor t) {
  if (!t.defined()) return nb::none();
  return nb::cast(std::move(t));
}
// A (values, indices) result as the ember.return_types named tuple `type` (sort, max(dim), topk ...).
inline nb::object values_indices(nb::handle type, std::tuple<Tensor, Tensor> r) {
  return type(std::move(std::get<0>(r)), std::move(std::get<1>(r)));
}
// Sizes given either as varargs (t.view(2, 3)) or as one sequence (t.view((2, 3))), as PyTorch takes them.
std::vector<int64_t> sizes_from_args(const nb::args& args, const char* op);
// Tensors given either as varargs (ember.atleast_1d(a, b)) or as one list or tuple (ember.meshgrid([a, b])).
std::vector<Tensor> tensors_from_args(const nb::args& args, const char* op);

// Factory options from the keyword arguments every PyTorch factory takes.
TensorOptions make_options(std::optional<DType> dtype, std::optional<Device> device, bool requires_grad);

// Registration, one function per binding file (called in this order by module.cpp).
void bind_errors(nb::module_& m);
void bind_dtype_device(nb::module_& m);
void bind_tensor(nb::module_& m, nb::class_<Tensor>& cls);
void bind_factories(nb::module_& m);
void bind_interop(nb::module_& m, nb::class_<Tensor>& cls);
void bind_random(nb::module_& m, nb::class_<Tensor>& cls);
void bind_pointwise(nb::module_& m, nb::class_<Tensor>& cls);
void bind_reduce(nb::module_& m, nb::class_<Tensor>& cls);
void bind_shape(nb::module_& m, nb::class_<Tensor>& cls);
void bind_linalg(nb::module_& m, nb::class_<Tensor>& cls);
void bind_index_ops(nb::module_& m, nb::class_<Tensor>& cls);
void bind_sort(nb::module_& m, nb::class_<Tensor>& cls);
void bind_indexing(nb::module_& m, nb::class_<Tensor>& cls);
void bind_autograd(nb::module_& m, nb::class_<Tensor>& cls);
void bind_nn_init(nb::module_& m);   // into _C._nn, after bind_index_ops made it
void bind_nn_utils(nb::module_& m);
void bind_nn_conv(nb::module_& m);
void bind_nn_pool(nb::module_& m);
void bind_nn_resample(nb::module_& m);
void bind_nn_dropout(nb::module_& m);
void bind_nn_activation(nb::module_& m, nb::class_<Tensor>& cls);
void bind_nn_norm(nb::module_& m, nb::class_<Tensor>& cls);
void bind_nn_loss(nb::module_& m);
void bind_optim(nb::module_& m);
void bind_amp(nb::module_& m);
void bind_data(nb::module_& m);
void bind_io(nb::module_& m);
void bind_tensorboard(nb::module_& m);
void bind_progress(nb::module_& m);
void bind_cuda(nb::module_& m, nb::class_<Tensor>& cls);
// tp_traverse/tp_clear for Tensor (autograd.cpp), given when the class is created.
PyType_Slot* tensor_gc_slots();

}  // namespace ember::python

namespace nanobind::detail {

// A Python bool, int or float (or a NumPy scalar / anything with __index__ or __float__ when implicit
// conversion is allowed) as a Scalar tagged with its kind, so type promotion treats it as PyTorch does.
template <>
struct type_caster<ember::Scalar> {
  NB_TYPE_CASTER(ember::Scalar, const_name("bool | int | float"))
  bool from_python(handle src, uint8_t flags, cleanup_list*) noexcept {
    PyObject* o = src.ptr();
    if (PyBool_Check(o)) {
      value = ember::Scalar(o == Py_True);
      return true;
    }
    if (PyFloat_CheckExact(o)) {
      value = ember::Scalar(PyFloat_AS_DOUBLE(o));
      return true;
    }
    if (PyLong_Check(o)) {
      int overflow = 0;
      long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
      if (overflow || (v == -1 && PyErr_Occurred())) {
        PyErr_Clear();
        return false;
      }
      value = ember::Scalar(int64_t(v));
      return true;
    }
    if (PyFloat_Check(o)) {
      value = ember::Scalar(PyFloat_AsDouble(o));
      return true;
    }
    if (!(flags & uint8_t(cast_flags::convert))) return false;
    // NumPy scalars and other numbers: integers through __index__, the rest through __float__.
    if (PyObject_HasAttrString(o, "dtype") && PyObject_HasAttrString(o, "item") && !PyObject_HasAttrString(o, "shape"))
      return false;
    if (PyIndex_Check(o)) {
      long long v = PyLong_AsLongLong(o);
      if (v == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return false;
      }
      value = ember::Scalar(int64_t(v));
      return true;
    }
    if (Py_TYPE(o)->tp_as_number && Py_TYPE(o)->tp_as_number->nb_float) {
      double d = PyFloat_AsDouble(o);
      if (d == -1.0 && PyErr_Occurred()) {
        PyErr_Clear();
        return false;
      }
      value = ember::Scalar(d);
      return true;
    }
    return false;
  }
  static handle from_cpp(const ember::Scalar& s, rv_policy, cleanup_list*) noexcept {
    if (s.isBoolean()) return PyBool_FromLong(s.toBool());
    if (s.isFloatingPoint()) return PyFloat_FromDouble(s.toDouble());
    return PyLong_FromLongLong(s.toLong());
  }
};

// An int or a sequence of ints (tuple, list, ember.Size) as IntArrayRef; the caster owns the storage for
// the duration of the call.
template <>
struct type_caster<ember::IntArrayRef> {
  std::vector<int64_t> storage;
  NB_TYPE_CASTER(ember::IntArrayRef, const_name("int | Sequence[int]"))
  bool from_python(handle src, uint8_t, cleanup_list*) noexcept {
    PyObject* o = src.ptr();
    storage.clear();
    if (PyLong_Check(o) && !PyBool_Check(o)) {
      long long v = PyLong_AsLongLong(o);
      if (v == -1 && PyErr_Occurred()) {
        PyErr_Clear();
        return false;
      }
      storage.push_back(v);
    } else if (PyTuple_Check(o) || PyList_Check(o)) {
      Py_ssize_t n = PySequence_Fast_GET_SIZE(o);
      PyObject** items = PySequence_Fast_ITEMS(o);
      storage.reserve(size_t(n));
      for (Py_ssize_t i = 0; i < n; ++i) {
        if (!PyIndex_Check(items[i]) || PyBool_Check(items[i])) return false;
        long long v = PyLong_AsLongLong(items[i]);
        if (v == -1 && PyErr_Occurred()) {
          PyErr_Clear();
          return false;
        }
        storage.push_back(v);
      }
    } else {
      return false;
    }
    value = ember::IntArrayRef(storage);
    return true;
  }
  static handle from_cpp(ember::IntArrayRef a, rv_policy, cleanup_list*) noexcept {
    PyObject* t = PyTuple_New(Py_ssize_t(a.size()));
    for (size_t i = 0; i < a.size(); ++i) PyTuple_SET_ITEM(t, Py_ssize_t(i), PyLong_FromLongLong(a[i]));
    return t;
  }
};

// ember.float32 and friends; Python's float, int and bool types also name dtypes (float64, int64, bool),
// as in PyTorch.
template <>
struct type_caster<ember::DType> {
  NB_TYPE_CASTER(ember::DType, const_name("ember.dtype"))
  bool from_python(handle src, uint8_t, cleanup_list*) noexcept {
    ember::python::PyDType* p = nullptr;
    if (nb::try_cast<ember::python::PyDType*>(src, p) && p) {
      value = p->value;
      return true;
    }
    PyObject* o = src.ptr();
    if (o == (PyObject*)&PyFloat_Type) value = ember::kFloat64;
    else if (o == (PyObject*)&PyLong_Type) value = ember::kInt64;
    else if (o == (PyObject*)&PyBool_Type) value = ember::kBool;
    else return false;
    return true;
  }
  static handle from_cpp(ember::DType t, rv_policy, cleanup_list*) noexcept {
    return ember::python::dtype_object(t).inc_ref();
  }
};

// A list or tuple of Tensors (torch.cat's `tensors`). A Tensor is itself a sequence of its rows but never
// converts to a tensor list, as in PyTorch: ember.cat(t) is a TypeError, not a cat of t's rows.
template <>
struct type_caster<std::vector<ember::Tensor>> {
  NB_TYPE_CASTER(std::vector<ember::Tensor>, const_name("Sequence[Tensor]"))
  bool from_python(handle src, uint32_t flags, cleanup_list* cleanup) noexcept {
    PyObject* o = src.ptr();
    if (!PyTuple_Check(o) && !PyList_Check(o)) return false;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(o);
    PyObject** items = PySequence_Fast_ITEMS(o);
    value.clear();
    value.reserve(size_t(n));
    for (Py_ssize_t i = 0; i < n; ++i) {
      make_caster<ember::Tensor> c;
      if (!c.from_python(items[i], flags_for_local_caster<ember::Tensor>(flags), cleanup)) return false;
      value.push_back(c.operator cast_t<ember::Tensor>());
    }
    return true;
  }
  static handle from_cpp(const std::vector<ember::Tensor>& v, rv_policy policy, cleanup_list* cleanup) noexcept {
    PyObject* list = PyList_New(Py_ssize_t(v.size()));
    for (size_t i = 0; i < v.size(); ++i) {
      handle h = make_caster<ember::Tensor>::from_cpp(v[i], rv_policy::copy, cleanup);
      if (!h.is_valid()) {
        Py_DECREF(list);
        return handle();
      }
      PyList_SET_ITEM(list, Py_ssize_t(i), h.ptr());
    }
    return list;
  }
};

}  // namespace nanobind::detail
