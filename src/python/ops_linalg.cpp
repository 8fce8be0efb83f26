// Linear algebra (matmul and the @ operator, mm, bmm, addmm, einsum, tensordot, tril/triu, ...).
#include "python/bind.h"

namespace ember::python {

namespace {

// One of tensordot's dim lists: an int or a sequence of ints, as torch.tensordot unpacks `dims`.
std::vector<int64_t> dim_list(nb::handle h) {
  std::vector<int64_t> dims;
  int64_t d = 0;
  if (nb::try_cast(h, d)) return {d};
  if (!nb::try_cast(h, dims))
    throw ember::TypeError(
        detail::str("tensordot(): dims must be an int or a pair of int lists, got ", nb::type_name(h.type()).c_str()));
  return dims;
}

}  // namespace

void bind_linalg(nb::module_& m, nb::class_<Tensor>& cls) {
  cls.def("matmul", &Tensor::matmul, "other"_a)
      .def("__matmul__", &Tensor::matmul, nb::is_operator())
      .def(
          "__rmatmul__", [](const Tensor& self, const Tensor& other) { return other.matmul(self); }, nb::is_operator())
      .def("mm", &Tensor::mm, "mat2"_a)
      .def("bmm", &Tensor::bmm, "mat2"_a)
      .def("mv", &Tensor::mv, "vec"_a)
      .def("dot", &Tensor::dot, "tensor"_a)
      .def("vdot", &Tensor::vdot, "other"_a)
      .def("outer", &Tensor::outer, "vec2"_a)
      .def("ger", &Tensor::ger, "vec2"_a)
      .def("addmm", &Tensor::addmm, "mat1"_a, "mat2"_a, nb::kw_only(), "beta"_a = 1, "alpha"_a = 1)
      .def("addmv", &Tensor::addmv, "mat"_a, "vec"_a, nb::kw_only(), "beta"_a = 1, "alpha"_a = 1)
      .def("baddbmm", &Tensor::baddbmm, "batch1"_a, "batch2"_a, nb::kw_only(), "beta"_a = 1, "alpha"_a = 1)
      .def("addbmm", &Tensor::addbmm, "batch1"_a, "batch2"_a, nb::kw_only(), "beta"_a = 1, "alpha"_a = 1)
      .def("addr", &Tensor::addr, "vec1"_a, "vec2"_a, nb::kw_only(), "beta"_a = 1, "alpha"_a = 1)
      .def("kron", &Tensor::kron, "other"_a)
      .def("inner", &Tensor::inner, "other"_a)
      .def("cross", &Tensor::cross, "other"_a, "dim"_a = nb::none())
      .def("trace", &Tensor::trace)
      .def("tril", &Tensor::tril, "diagonal"_a = 0)
      .def("triu", &Tensor::triu, "diagonal"_a = 0)
      .def(
          "tril_",
          [](nb::handle_t<Tensor> self, int64_t diagonal) {
            nb::inst_ptr<Tensor>(self)->tril_(diagonal);
            return self;
          },
          "diagonal"_a = 0)
      .def(
          "triu_",
          [](nb::handle_t<Tensor> self, int64_t diagonal) {
            nb::inst_ptr<Tensor>(self)->triu_(diagonal);
            return self;
          },
          "diagonal"_a = 0);

  m.def("matmul", &matmul, "input"_a, "other"_a);
  m.def("mm", &mm, "input"_a, "mat2"_a);
  m.def("bmm", &bmm, "input"_a, "mat2"_a);
  m.def("mv", &mv, "input"_a, "vec"_a);
  m.def("dot", &dot, "input"_a, "tensor"_a);
  m.def("vdot", &vdot, "input"_a, "other"_a);
  m.def("outer", &outer, "input"_a, "vec2"_a);
  m.def("ger", &ger, "input"_a, "vec2"_a);
  m.def("addmm", &addmm, "input"_a, "mat1"_a, "mat2"_a, nb::kw_only(), "beta"_a = 1, "alpha"_a = 1);
  m.def("_addmm_activation", &_addmm_activation, "input"_a, "mat1"_a, "mat2"_a, nb::kw_only(), "beta"_a = 1,
        "alpha"_a = 1, "use_gelu"_a = false);
  m.def("addmv", &addmv, "input"_a, "mat"_a, "vec"_a, nb::kw_only(), "beta"_a = 1, "alpha"_a = 1);
  m.def("baddbmm", &baddbmm, "input"_a, "batch1"_a, "batch2"_a, nb::kw_only(), "beta"_a = 1, "alpha"_a = 1);
  m.def("addbmm", &addbmm, "input"_a, "batch1"_a, "batch2"_a, nb::kw_only(), "beta"_a = 1, "alpha"_a = 1);
  m.def("addr", &addr, "input"_a, "vec1"_a, "vec2"_a, nb::kw_only(), "beta"_a = 1, "alpha"_a = 1);
  m.def("kron", &kron, "input"_a, "other"_a);
  m.def("inner", &inner, "input"_a, "other"_a);
  m.def("cross", &cross, "input"_a, "other"_a, "dim"_a = nb::none());
  m.def("trace", &trace, "input"_a);
  m.def("tril", &tril, "input"_a, "diagonal"_a = 0);
  m.def("triu", &triu, "input"_a, "diagonal"_a = 0);
  // einsum('ij,jk->ik', a, b) and einsum('ij,jk->ik', [a, b]).
  m.def(
      "einsum",
      [](std::string_view equation, const std::vector<Tensor>& operands) { return einsum(equation, operands); },
      "equation"_a, "operands"_a);
  m.def(
      "einsum",
      [](std::string_view equation, nb::args operands) {
        return einsum(equation, tensors_from_args(operands, "einsum"));
      },
      "equation"_a, "operands"_a);
  m.def(
      "tensordot", [](const Tensor& a, const Tensor& b, int64_t dims) { return tensordot(a, b, dims); }, "a"_a, "b"_a,
      "dims"_a = 2);
  m.def(
      "tensordot",
      [](const Tensor& a, const Tensor& b, std::tuple<nb::handle, nb::handle> dims) {
        return tensordot(a, b, dim_list(std::get<0>(dims)), dim_list(std::get<1>(dims)));
      },
      "a"_a, "b"_a, "dims"_a);
}

}  // namespace ember::python
