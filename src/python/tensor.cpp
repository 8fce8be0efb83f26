// ember.Tensor: the class, its metadata, conversions and autograd attributes. The op methods are bound
// per family in ops_*.cpp; indexing in indexing.cpp; NumPy/DLPack in interop.cpp.
#include <string>

#include "python/bind.h"

namespace ember::python {

namespace {

// Python numbers for t's elements, nested by dimension (torch.Tensor.tolist).
nb::object to_list(const Tensor& t) {
  if (t.dim() == 0) return nb::cast(t.item());
  nb::list out;
  int64_t n = t.size(0);
  for (int64_t i = 0; i < n; ++i) out.append(to_list(t.select(0, i)));
  return out;
}

// `t.data = new`: t keeps its identity and autograd state (grad, hooks, requires_grad) and takes new's
// storage, shape and dtype, as PyTorch's set_data; nn.Module._apply converts parameters in place this way.
void set_data(Tensor& t, const Tensor& new_) {
  TensorImpl* a = t.unsafeGetTensorImpl();
  const TensorImpl* b = new_.unsafeGetTensorImpl();
  a->storage = b->storage;
  a->sizes = b->sizes;
  a->strides = b->strides;
  a->storage_offset = b->storage_offset;
  a->dtype = b->dtype;
  a->refresh();
}

// torch.Tensor._make_subclass: a new Python object of the Tensor subclass `cls` (nn.Parameter) holding a
// detached alias of data, so the subclass instance shares data's storage but none of its history.
nb::object make_subclass(nb::type_object cls, const Tensor& data, bool require_grad) {
  if (!PyType_IsSubtype(reinterpret_cast<PyTypeObject*>(cls.ptr()), reinterpret_cast<PyTypeObject*>(nb::type<Tensor>().ptr())))
    throw nb::type_error("cls must be a subclass of Tensor");
  nb::object o = nb::inst_alloc(cls);
  new (nb::inst_ptr<Tensor>(o)) Tensor(data.detach());
  nb::inst_mark_ready(o);
  nb::inst_ptr<Tensor>(o)->requires_grad_(require_grad);
  return o;
}

// copy.deepcopy of a leaf tensor: new storage, the same requires_grad, a deep copy of grad and of a
// subclass's attributes (torch's Tensor.__deepcopy__); memo maps id(self) so a tensor reached twice, or
// from its own attributes, is copied once.
nb::object deepcopy(nb::handle self, nb::dict memo) {
  const Tensor& t = *nb::inst_ptr<Tensor>(self);
  EMBER_CHECK(t.is_leaf(), "Only Tensors created explicitly by the user (graph leaves) support the deepcopy protocol at the moment");
  nb::int_ key(reinterpret_cast<uintptr_t>(self.ptr()));
  if (memo.contains(key)) return memo[key];
  Tensor copy;
  {
    NoGradGuard no_grad;
    copy = t.clone();
  }
  nb::handle type = nb::handle(reinterpret_cast<PyObject*>(Py_TYPE(self.ptr())));
  nb::object r;
  if (type.is(nb::type<Tensor>())) {
    if (t.requires_grad()) copy.requires_grad_(true);
    r = nb::cast(std::move(copy));
  } else {
    // A Python subclass keeps its type and gets a deep copy of its attributes.
    r = make_subclass(nb::borrow<nb::type_object>(type), copy, t.requires_grad());
  }
  memo[key] = r;
  if (t.grad().defined()) r.attr("grad") = nb::cast(t.grad()).attr("__deepcopy__")(memo);
  if (nb::hasattr(self, "__dict__"))
    r.attr("__dict__") = nb::module_::import_("copy").attr("deepcopy")(self.attr("__dict__"), memo);
  return r;
}

}  // namespace

TensorOptions make_options(std::optional<DType> dtype, std::optional<Device> device, bool requires_grad) {
  TensorOptions o;
  if (dtype) o = o.dtype(*dtype);
  if (device) o = o.device(*device);
  return o.requires_grad(requires_grad);
}

void bind_tensor(nb::module_& m, nb::class_<Tensor>& cls) {
  // make_size builds the Python class ember.Size, which nanobind cannot name by itself.
  cls.def_prop_ro("shape", [](const Tensor& t) { return make_size(t.sizes()); },
                  nb::for_getter(nb::sig("def shape(self, /) -> Size")))
      .def("size", [](const Tensor& t) { return make_size(t.sizes()); }, nb::sig("def size(self) -> Size"))
      .def("size", [](const Tensor& t, int64_t dim) { return t.size(dim); }, "dim"_a)
      .def("stride", [](const Tensor& t) { return nb::cast(t.strides()); },
           nb::sig("def stride(self) -> tuple[int, ...]"))
      .def("stride", [](const Tensor& t, int64_t dim) { return t.stride(dim); }, "dim"_a)
      .def("dim", &Tensor::dim)
      .def("ndimension", &Tensor::dim)
      .def_prop_ro("ndim", &Tensor::dim)
      .def("numel", &Tensor::numel)
      .def("nelement", &Tensor::numel)
      .def("storage_offset", &Tensor::storage_offset)
      .def("element_size", &Tensor::element_size)
      .def_prop_ro("itemsize", &Tensor::element_size)
      .def_prop_ro("nbytes", &Tensor::nbytes)
      .def_prop_ro("dtype", &Tensor::dtype)
      .def_prop_ro("device", &Tensor::device)
      .def_prop_ro("is_cuda", &Tensor::is_cuda)
      .def_prop_ro("is_cpu", &Tensor::is_cpu)
      .def("is_contiguous", &Tensor::is_contiguous)
      .def("is_floating_point", &Tensor::is_floating_point)
      .def("data_ptr", [](const Tensor& t) { return reinterpret_cast<uintptr_t>(t.data_ptr()); })
      .def("__repr__", &Tensor::toString)
      .def("__len__",
           [](const Tensor& t) {
             EMBER_CHECK_TYPE(t.dim() > 0, "len() of a 0-d tensor");
             return t.size(0);
           })
      .def("item", [](const Tensor& t) { return t.item(); })
      // Nested lists of Python scalars (a bare scalar for a 0-d tensor); `list` as in PyTorch's stubs.
      // One copy of a GPU tensor to the host, not one per element.
      .def("tolist", [](const Tensor& t) { return to_list(t.is_cpu() ? t : t.cpu()); }, nb::sig("def tolist(self) -> list"))
      .def("__bool__",
           [](const Tensor& t) {
             EMBER_CHECK(t.numel() == 1, "Boolean value of Tensor with more than one value is ambiguous");
             return t.item().toBool();
           })
      .def("__float__", [](const Tensor& t) { return t.item().toDouble(); })
      .def("__int__", [](const Tensor& t) { return t.item().toLong(); })
      .def("__index__",
           [](const Tensor& t) {
             EMBER_CHECK_TYPE(is_integral(t.dtype(), true) && t.numel() == 1,
                              "only integer tensors of a single element can be converted to an index");
             return t.item().toLong();
           })
      .def("contiguous", [](const Tensor& t) { return t.contiguous(); })
      .def("clone", [](const Tensor& t) { return t.clone(); })
      .def("detach", &Tensor::detach)
      // In-place writes return the very Python object (a Parameter stays a Parameter), as the
      // nb::handle_t<Tensor> they got, which the stub types `-> Tensor` (a borrowed nb::object would be `object`).
      .def("zero_", [](nb::handle_t<Tensor> self) {
        nb::inst_ptr<Tensor>(self)->zero_();
        return self;
      })
      .def("fill_", [](nb::handle_t<Tensor> self, const Scalar& value) {
        nb::inst_ptr<Tensor>(self)->fill_(value);
        return self;
      }, "value"_a)
      .def("fill_", [](nb::handle_t<Tensor> self, const Tensor& value) {
        nb::inst_ptr<Tensor>(self)->fill_(value);
        return self;
      }, "value"_a)
      .def("copy_", [](nb::handle_t<Tensor> self, const Tensor& src, bool non_blocking) {
        nb::inst_ptr<Tensor>(self)->copy_(src, non_blocking);
        return self;
      }, "src"_a, "non_blocking"_a = false)
      .def_static("_make_subclass", &make_subclass, "cls"_a, "data"_a, "require_grad"_a = false)
      .def("__deepcopy__", &deepcopy, "memo"_a)
      .def("detach_", [](nb::handle_t<Tensor> self) {
        nb::inst_ptr<Tensor>(self)->detach_();
        return self;
      })
      .def("cpu", &Tensor::cpu)
      .def(
          "to",
          [](const Tensor& t, DType dtype, bool non_blocking, bool copy) { return t.to(dtype, non_blocking, copy); },
          "dtype"_a, "non_blocking"_a = false, "copy"_a = false)
      .def(
          "to",
          [](const Tensor& t, const Device& device, std::optional<DType> dtype, bool non_blocking, bool copy) {
            return dtype ? t.to(device, *dtype, non_blocking, copy) : t.to(device, non_blocking, copy);
          },
          "device"_a, "dtype"_a = nb::none(), "non_blocking"_a = false, "copy"_a = false)
      .def(
          "to", [](const Tensor& t, const Tensor& other, bool non_blocking, bool copy) {
            return t.to(other.device(), other.dtype(), non_blocking, copy);
          },
          "other"_a, "non_blocking"_a = false, "copy"_a = false)
      .def("type", [](const Tensor& t, DType dtype) { return t.to(dtype); }, "dtype"_a)
      .def("float", [](const Tensor& t) { return t.to(kFloat32); })
      .def("double", [](const Tensor& t) { return t.to(kFloat64); })
      .def("half", [](const Tensor& t) { return t.to(kFloat16); })
      .def("bfloat16", [](const Tensor& t) { return t.to(kBFloat16); })
      .def("long", [](const Tensor& t) { return t.to(kInt64); })
      .def("int", [](const Tensor& t) { return t.to(kInt32); })
      .def("short", [](const Tensor& t) { return t.to(kInt16); })
      .def("char", [](const Tensor& t) { return t.to(kInt8); })
      .def("byte", [](const Tensor& t) { return t.to(kUInt8); })
      .def("bool", [](const Tensor& t) { return t.to(kBool); })
      // autograd attributes
      .def_prop_rw(
          "requires_grad", [](const Tensor& t) { return t.requires_grad(); },
          [](Tensor& t, bool r) { t.requires_grad_(r); })
      .def(
          "requires_grad_",
          [](nb::handle_t<Tensor> self, bool r) {
            nb::inst_ptr<Tensor>(self)->requires_grad_(r);
            return self;
          },
          "requires_grad"_a = true)
      .def_prop_rw(
          "grad", [](const Tensor& t) { return wrap(t.grad()); },
          [](const Tensor& t, std::optional<Tensor> g) { t.set_grad(g ? *g : Tensor()); },
          nb::for_getter(nb::sig("def grad(self, /) -> Tensor | None")), nb::arg().none())
      .def_prop_ro("is_leaf", &Tensor::is_leaf)
      .def_prop_ro("_version", &Tensor::_version)
      .def_prop_rw("data", &Tensor::variable_data, &set_data)
      .def("retain_grad", &Tensor::retain_grad)
      .def_prop_ro("retains_grad", &Tensor::retains_grad)
      .def(
          "backward",
          [](const Tensor& t, std::optional<Tensor> gradient, std::optional<bool> retain_graph, bool create_graph,
             std::optional<std::vector<Tensor>> inputs) {
            nb::gil_scoped_release release;
            t.backward(gradient ? *gradient : Tensor(), retain_graph, create_graph,
                       inputs ? *inputs : std::vector<Tensor>{});
          },
          "gradient"_a = nb::none(), "retain_graph"_a = nb::none(), "create_graph"_a = false,
          "inputs"_a = nb::none());
}

}  // namespace ember::python
