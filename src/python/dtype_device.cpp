// ember.dtype objects (ember.float32 ...) and ember.device, with PyTorch's reprs and attributes.
#include <array>
#include <string>

#include "python/bind.h"

namespace ember::python {

namespace {
// Borrowed: the module's attributes own these objects, so they are freed with the module at exit.
std::array<nb::handle, kNumDTypes> g_dtypes;
nb::handle g_size_type;
}  // namespace

nb::handle dtype_object(DType t) { return g_dtypes[size_t(t)]; }

nb::object make_size(IntArrayRef sizes) {
  PyObject* t = PyTuple_New(Py_ssize_t(sizes.size()));
  for (size_t i = 0; i < sizes.size(); ++i) PyTuple_SET_ITEM(t, Py_ssize_t(i), PyLong_FromLongLong(sizes[i]));
  return g_size_type(nb::steal(t));
}

std::vector<int64_t> sizes_from_args(const nb::args& args, const char* op) {
  std::vector<int64_t> out;
  nb::handle items = args;
  if (args.size() == 1 && !PyIndex_Check(args[0].ptr())) {
    items = args[0];
    if (!PyTuple_Check(items.ptr()) && !PyList_Check(items.ptr()))
      throw ember::TypeError(detail::str(op, "(): argument 'size' must be tuple of ints, not ",
                                         nb::type_name(items.type()).c_str()));
  }
  for (nb::handle h : items) {
    if (!PyIndex_Check(h.ptr()) || PyBool_Check(h.ptr()))
      throw ember::TypeError(detail::str(op, "(): argument 'size' must be tuple of ints, but found element of type ",
                                         nb::type_name(h.type()).c_str()));
    out.push_back(nb::cast<int64_t>(h));
  }
  return out;
}

void bind_dtype_device(nb::module_& m) {
  nb::class_<PyDType>(m, "dtype")
      .def("__repr__", [](const PyDType& d) { return "ember." + std::string(dtype_name(d.value)); })
      .def_prop_ro("is_floating_point", [](const PyDType& d) { return is_floating_point(d.value); })
      .def_prop_ro("is_signed", [](const PyDType& d) { return d.value != kUInt8 && d.value != kBool; })
      .def_prop_ro("itemsize", [](const PyDType& d) { return element_size(d.value); })
      .def("__reduce__", [](const PyDType& d) { return "ember." + std::string(dtype_name(d.value)); });
  for (int i = 0; i < kNumDTypes; ++i) {
    DType t = DType(i);
    std::string name(dtype_name(t));
    m.attr(name.c_str()) = nb::cast(PyDType{t});
    g_dtypes[size_t(i)] = nb::object(m.attr(name.c_str()));
  }
  // PyTorch's aliases.
  m.attr("float") = dtype_object(kFloat32);
  m.attr("double") = dtype_object(kFloat64);
  m.attr("half") = dtype_object(kFloat16);
  m.attr("long") = dtype_object(kInt64);
  m.attr("int") = dtype_object(kInt32);
  m.attr("short") = dtype_object(kInt16);
  m.attr("uint8") = dtype_object(kUInt8);
  m.attr("bool") = dtype_object(kBool);

  nb::class_<Device>(m, "device")
      .def(nb::init_implicit<const std::string&>(), "type"_a)
      .def("__init__",
           [](Device* d, const std::string& type, int index) {
             Device parsed(type);
             new (d) Device(parsed.type(), index);
           },
           "type"_a, "index"_a)
      .def_prop_ro("type", [](const Device& d) { return d.is_cpu() ? "cpu" : "cuda"; })
      .def_prop_ro("index", [](const Device& d) -> std::optional<int> {
        if (!d.has_index()) return std::nullopt;
        return d.index();
      })
      // Any object compares (unequal unless a device), as in PyTorch: `device("cpu") == "cpu"` is False.
      .def(
          "__eq__",
          [](const Device& a, nb::handle b) { return nb::isinstance<Device>(b) && a == nb::cast<Device>(b); },
          "other"_a)
      .def("__hash__", [](const Device& d) { return std::hash<std::string>()(d.str()); })
      .def("__str__", &Device::str)
      .def("__repr__", [](const Device& d) {
        if (!d.has_index()) return "device(type='" + std::string(d.is_cpu() ? "cpu" : "cuda") + "')";
        return "device(type='" + std::string(d.is_cpu() ? "cpu" : "cuda") + "', index=" + std::to_string(d.index()) + ")";
      });

  m.attr("Size") = nb::module_::import_("ember._size").attr("Size");
  g_size_type = nb::object(m.attr("Size"));
}

}  // namespace ember::python
