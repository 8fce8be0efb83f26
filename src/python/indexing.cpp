// __getitem__ / __setitem__ with PyTorch's basic and advanced indexing, __iter__ and __contains__. A key
// is read as PyTorch's python_variable_indexing.cpp reads it (the same order of checks, the same
// sequence-as-tuple heuristic) into a list of TensorIndex for Tensor::index / Tensor::index_put_, which
// implement the indexing rules themselves.
#include <algorithm>
#include <cstring>

#include "python/bind.h"

namespace ember::python {

namespace {

using indexing::Slice;
using indexing::TensorIndex;

PyTypeObject* tensor_type = nullptr;

bool is_tensor(PyObject* o) { return PyObject_TypeCheck(o, tensor_type); }
const Tensor& tensor_of(PyObject* o) { return *nb::inst_ptr<Tensor>(nb::handle(o)); }

// A Python int, not a bool (PyTorch's THPUtils_checkLong; NumPy integers go through __index__ later).
bool is_int(PyObject* o) { return PyLong_Check(o) && !PyBool_Check(o); }

int64_t unpack_int(PyObject* o) {
  int overflow = 0;
  long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
  if (overflow) throw Error("Overflow when unpacking long");
  if (v == -1 && PyErr_Occurred()) throw nb::python_error();
  return v;
}

// Through __index__ (NumPy integers, 0-dim integer tensors), or nullopt when `o` has none.
std::optional<int64_t> as_index(PyObject* o) {
  PyObject* i = PyNumber_Index(o);
  if (!i) {
    PyErr_Clear();
    return std::nullopt;
  }
  nb::object owner = nb::steal(i);
  return unpack_int(i);
}

bool is_numpy_bool(PyObject* o) {
  const char* n = Py_TYPE(o)->tp_name;
  return std::strcmp(n, "numpy.bool_") == 0 || std::strcmp(n, "numpy.bool") == 0;
}

Slice to_slice(PyObject* o) {
  Py_ssize_t start, stop, step;
  if (PySlice_Unpack(o, &start, &stop, &step) < 0) throw nb::python_error();
  return Slice(start, stop, step);
}

// ---- nested sequences of numbers as tensors ----

// Numbers read from nested sequences in row-major order, with the shape torch.tensor gives them.
struct SequenceData {
  DimVector shape;
  std::vector<int64_t> ints;    // bools and ints, until the first float
  std::vector<double> floats;   // every value, once a float has been seen
  bool all_bool = true;
};

// The shape follows the first element down, as torch.tensor's compute_sizes does.
DimVector sequence_shape(PyObject* o) {
  DimVector shape;
  nb::object cur = nb::borrow(o);
  while (PySequence_Check(cur.ptr()) && !PyUnicode_Check(cur.ptr()) && !PyBytes_Check(cur.ptr()) &&
         !is_tensor(cur.ptr())) {
    Py_ssize_t n = PySequence_Size(cur.ptr());
    if (n < 0) throw nb::python_error();
    shape.push_back(n);
    if (n == 0) break;
    PyObject* first = PySequence_GetItem(cur.ptr(), 0);
    if (!first) throw nb::python_error();
    cur = nb::steal(first);
  }
  return shape;
}

void add_number(SequenceData& d, PyObject* o) {
  Scalar s;
  if (PyBool_Check(o) || is_numpy_bool(o)) {
    s = Scalar(PyObject_IsTrue(o) == 1);
  } else if (is_int(o)) {
    s = Scalar(unpack_int(o));
  } else if (PyFloat_Check(o)) {
    s = Scalar(PyFloat_AS_DOUBLE(o));
  } else if (is_tensor(o) && tensor_of(o).dim() == 0) {
    s = tensor_of(o).item();
  } else if (auto i = as_index(o)) {
    s = Scalar(*i);
  } else if (Py_TYPE(o)->tp_as_number && Py_TYPE(o)->tp_as_number->nb_float) {
    double v = PyFloat_AsDouble(o);
    if (v == -1.0 && PyErr_Occurred()) throw nb::python_error();
    s = Scalar(v);
  } else {
    throw TypeError(detail::str("new(): invalid data type '", Py_TYPE(o)->tp_name, "'"));
  }
  d.all_bool = d.all_bool && s.isBoolean();
  if (s.isFloatingPoint() && d.floats.empty()) d.floats.assign(d.ints.begin(), d.ints.end());
  if (!d.floats.empty() || s.isFloatingPoint()) d.floats.push_back(s.toDouble());
  else d.ints.push_back(s.toLong());
}

void read_sequence(SequenceData& d, PyObject* o, size_t dim) {
  if (dim == d.shape.size()) {
    add_number(d, o);
    return;
  }
  if (!PySequence_Check(o) || PyUnicode_Check(o) || PyBytes_Check(o) || is_tensor(o))
    throw TypeError("not a sequence");
  nb::object seq = nb::steal(PySequence_Fast(o, "not a sequence"));
  if (!seq.is_valid()) throw nb::python_error();
  Py_ssize_t n = PySequence_Fast_GET_SIZE(seq.ptr());
  if (n != d.shape[dim])
    throw ValueError(detail::str("expected sequence of length ", d.shape[dim], " at dim ", dim, " (got ", n, ")"));
  PyObject** items = PySequence_Fast_ITEMS(seq.ptr());
  for (Py_ssize_t i = 0; i < n; ++i) read_sequence(d, items[i], dim + 1);
}

// A nested sequence as a tensor: bool when every element is a bool, int64 when all are integers,
// float64 otherwise (the caller casts).
Tensor sequence_to_tensor(PyObject* o) {
  SequenceData d;
  d.shape = sequence_shape(o);
  read_sequence(d, o, 0);
  if (!d.floats.empty()) {
    Tensor t = empty(d.shape, TensorOptions(kFloat64));
    std::copy(d.floats.begin(), d.floats.end(), static_cast<double*>(t.data_ptr()));
    return t;
  }
  Tensor t = empty(d.shape, TensorOptions(d.all_bool && !d.ints.empty() ? kBool : kInt64));
  if (t.dtype() == kBool) std::copy(d.ints.begin(), d.ints.end(), static_cast<bool*>(t.data_ptr()));
  else std::copy(d.ints.begin(), d.ints.end(), static_cast<int64_t*>(t.data_ptr()));
  return t;
}

// ---- keys ----

// One entry of a key, in the order PyTorch's applySlicing checks them. A sequence is an index tensor:
// bool when it holds only bools (a mask), int64 otherwise (floats truncated, as PyTorch's
// indexing_tensor_from_data does).
TensorIndex to_index(PyObject* o) {
  if (is_int(o)) return TensorIndex(unpack_int(o));
  if (PySlice_Check(o)) return TensorIndex(to_slice(o));
  if (o == Py_Ellipsis) return TensorIndex(indexing::Ellipsis);
  if (o == Py_None) return TensorIndex(indexing::None);
  if (PyBool_Check(o)) return TensorIndex(o == Py_True);
  if (is_tensor(o)) return TensorIndex(tensor_of(o));
  if (PySequence_Check(o)) {
    Tensor t = sequence_to_tensor(o);
    return TensorIndex(t.dtype() == kBool ? t : t.to(kInt64));
  }
  if (auto i = as_index(o)) return TensorIndex(*i);
  throw IndexError(detail::str("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
                               "valid indices (got ", Py_TYPE(o)->tp_name, ")"));
}

// NumPy's heuristic, kept by PyTorch: a short non-tuple sequence holding a tensor, a sequence, a slice,
// None or Ellipsis is a tuple of indices (x[[0, [1, 2]]] is x[0, [1, 2]]); otherwise it is one index.
bool treat_sequence_as_tuple(PyObject* o) {
  if (PyTuple_Check(o)) return true;
  if (is_tensor(o) || !PySequence_Check(o)) return false;
  Py_ssize_t n = PySequence_Size(o);
  if (n < 0) {
    PyErr_Clear();
    return false;
  }
  if (n >= 32) return false;
  for (Py_ssize_t i = 0; i < n; ++i) {
    nb::object item = nb::steal(PySequence_GetItem(o, i));
    if (!item.is_valid()) {
      PyErr_Clear();
      return false;
    }
    PyObject* p = item.ptr();
    if (is_tensor(p) || PySequence_Check(p) || PySlice_Check(p) || p == Py_Ellipsis || p == Py_None) return true;
  }
  return false;
}

// The key as an index list; `one` holds a single-entry key so the common cases allocate nothing.
ArrayRef<TensorIndex> key_indices(PyObject* key, std::optional<TensorIndex>& one, std::vector<TensorIndex>& many) {
  if (!treat_sequence_as_tuple(key)) {
    one.emplace(to_index(key));
    return ArrayRef<TensorIndex>(&*one, 1);
  }
  nb::object tup = PyTuple_Check(key) ? nb::borrow(key) : nb::steal(PySequence_Tuple(key));
  if (!tup.is_valid()) throw nb::python_error();
  Py_ssize_t n = PyTuple_GET_SIZE(tup.ptr());
  if (n == 0) {
    one.emplace(indexing::Ellipsis);  // x[()] is x[...]
    return ArrayRef<TensorIndex>(&*one, 1);
  }
  many.reserve(size_t(n) + 1);
  for (Py_ssize_t i = 0; i < n; ++i) many.push_back(to_index(PyTuple_GET_ITEM(tup.ptr(), i)));
  // A one-entry tuple takes PyTorch's general path, not the single-index shortcuts Tensor::index takes for a
  // one-entry list (x[(0,)] on a 0-dim tensor is "too many indices"; x[(True,)] = v is advanced indexing).
  // A trailing Ellipsis keeps the list general and changes nothing else.
  if (n == 1) many.emplace_back(indexing::Ellipsis);
  return many;
}

Tensor getitem(const Tensor& self, nb::handle key) {
  PyObject* k = key.ptr();
  if (is_int(k)) return self[unpack_int(k)];
  std::optional<TensorIndex> one;
  std::vector<TensorIndex> many;
  return self.index(key_indices(k, one, many));
}

// ---- __setitem__ values ----

std::string tensor_type_name(DType t) { return detail::str("ember.", dtype_title(t), "Tensor"); }

// The value of x[key] = value, as PyTorch's valueToTensor reads it: a tensor, or a Python number in
// x's dtype. Lists and tuples of numbers are accepted too (PyTorch raises TypeError), in x's dtype.
struct Value {
  Tensor tensor;
  std::optional<Scalar> number;
};

Value to_value(const Tensor& self, PyObject* v) {
  if (is_tensor(v)) return {tensor_of(v), std::nullopt};
  if (PyBool_Check(v)) return {Tensor(), Scalar(int64_t(v == Py_True))};
  if (is_int(v)) return {Tensor(), Scalar(unpack_int(v))};
  if (PyFloat_Check(v)) return {Tensor(), Scalar(PyFloat_AS_DOUBLE(v))};
  if (PyComplex_Check(v) && PyComplex_ImagAsDouble(v) == 0.0) return {Tensor(), Scalar(PyComplex_RealAsDouble(v))};
  if (PyList_Check(v) || PyTuple_Check(v)) return {sequence_to_tensor(v).to(self.dtype()), std::nullopt};
  if (!is_numpy_bool(v) && !PyComplex_Check(v))
    if (auto i = as_index(v)) return {Tensor(), Scalar(*i)};
  throw TypeError(detail::str("can't assign a ", Py_TYPE(v)->tp_name, " to a ", tensor_type_name(self.dtype())));
}

void setitem(Tensor& self, nb::handle key, nb::handle value) {
  Value v = to_value(self, value.ptr());
  PyObject* k = key.ptr();
  if (k == Py_False) return;  // PyTorch writes nothing and checks nothing more
  std::optional<TensorIndex> one;
  std::vector<TensorIndex> many;
  ArrayRef<TensorIndex> indices = is_int(k) ? ArrayRef<TensorIndex>(&one.emplace(unpack_int(k)), 1)
                                            : key_indices(k, one, many);
  if (v.number) self.index_put_(indices, *v.number);
  else self.index_put_(indices, v.tensor);
}

bool contains(const Tensor& self, nb::handle element) {
  PyObject* e = element.ptr();
  if (is_tensor(e)) return eq(tensor_of(e), self).any().item<bool>();
  Scalar s;
  if (nb::try_cast<Scalar>(element, s)) return eq(self, s).any().item<bool>();
  throw Error(detail::str("Tensor.__contains__ only supports Tensor or scalar, but you passed in a ",
                          nb::str(nb::handle((PyObject*)Py_TYPE(e))).c_str(), "."));
}

}  // namespace

void bind_indexing(nb::module_& m, nb::class_<Tensor>& cls) {
  tensor_type = (PyTypeObject*)cls.ptr();
  cls.def("__getitem__", &getitem, nb::arg("indices").none())
      .def("__setitem__", &setitem, nb::arg("indices").none(), nb::arg("values").none())
      .def(
          "__delitem__", [](const Tensor&, nb::handle) { throw TypeError("Tensor does not support deleting items"); },
          nb::arg("indices").none())
      .def("__iter__",
           [](const Tensor& t) {
             EMBER_CHECK_TYPE(t.dim() > 0, "iteration over a 0-d tensor");
             return nb::iter(nb::cast(t.unbind(0)));
           })
      .def("__contains__", &contains, nb::arg("element").none());
}

}  // namespace ember::python
