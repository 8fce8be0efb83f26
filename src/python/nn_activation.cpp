// Activations and the softmax family: torch.nn.functional's forms (with `inplace`) in ember._C._nn, the
// ones PyTorch also has at top level (torch.selu, torch.softmax, torch.threshold_ ...) in ember, and the
// Tensor methods PyTorch has (softmax, log_softmax, prelu, hardshrink). F.softmax/log_softmax/softmin
// are Python functions in ember/nn/functional.py because their implicit-dim warning needs a stack level.
#include "python/bind.h"

namespace ember::python {

namespace {

namespace F = ember::nn::functional;
using TensorObj = nb::typed<nb::object, Tensor>;

Tensor& self_of(nb::handle_t<Tensor> h) { return *nb::inst_ptr<Tensor>(h); }

// An F.<op>(input, ..., inplace) result: with inplace the op writes input and the same Python object
// comes back (F.relu(x, inplace=True) is x), as in PyTorch.
template <class Fn>
TensorObj inplace_or_new(nb::handle_t<Tensor> input, bool inplace, Fn fn) {
  Tensor r = fn(self_of(input));
  if (inplace) return TensorObj(nb::borrow(input));
  return TensorObj(nb::cast(std::move(r)));
}

// A torch-level in-place op (torch.selu_(x)): writes x and returns the same object.
template <class Fn>
TensorObj in_place(nb::handle_t<Tensor> input, Fn fn) {
  fn(self_of(input));
  return TensorObj(nb::borrow(input));
}

}  // namespace

void bind_nn_activation(nb::module_& m, nb::class_<Tensor>& cls) {
  nb::module_ nn = nb::borrow<nb::module_>(m.attr("_nn"));

  // torch.nn.functional's spellings.
  nn.def(
      "relu",
      [](nb::handle_t<Tensor> input, bool inplace) {
        return inplace_or_new(input, inplace, [&](Tensor& t) { return F::relu(t, inplace); });
      },
      "input"_a, "inplace"_a = false);
  nn.def(
      "relu6",
      [](nb::handle_t<Tensor> input, bool inplace) {
        return inplace_or_new(input, inplace, [&](Tensor& t) { return F::relu6(t, inplace); });
      },
      "input"_a, "inplace"_a = false);
  nn.def(
      "leaky_relu",
      [](nb::handle_t<Tensor> input, double negative_slope, bool inplace) {
        return inplace_or_new(input, inplace, [&](Tensor& t) { return F::leaky_relu(t, negative_slope, inplace); });
      },
      "input"_a, "negative_slope"_a = 0.01, "inplace"_a = false);
  nn.def(
      "leaky_relu_",
      [](nb::handle_t<Tensor> input, double negative_slope) {
        return in_place(input, [&](Tensor& t) { F::leaky_relu_(t, negative_slope); });
      },
      "input"_a, "negative_slope"_a = 0.01);
  nn.def(
      "rrelu",
      [](nb::handle_t<Tensor> input, double lower, double upper, bool training, bool inplace) {
        return inplace_or_new(input, inplace, [&](Tensor& t) { return F::rrelu(t, lower, upper, training, inplace); });
      },
      "input"_a, "lower"_a = 1.0 / 8, "upper"_a = 1.0 / 3, "training"_a = false, "inplace"_a = false);
  nn.def(
      "elu",
      [](nb::handle_t<Tensor> input, double alpha, bool inplace) {
        return inplace_or_new(input, inplace, [&](Tensor& t) { return F::elu(t, alpha, inplace); });
      },
      "input"_a, "alpha"_a = 1.0, "inplace"_a = false);
  nn.def(
      "elu_", [](nb::handle_t<Tensor> input, double alpha) { return in_place(input, [&](Tensor& t) { F::elu_(t, alpha); }); },
      "input"_a, "alpha"_a = 1.0);
  nn.def(
      "selu",
      [](nb::handle_t<Tensor> input, bool inplace) {
        return inplace_or_new(input, inplace, [&](Tensor& t) { return F::selu(t, inplace); });
      },
      "input"_a, "inplace"_a = false);
  nn.def(
      "celu",
      [](nb::handle_t<Tensor> input, double alpha, bool inplace) {
        return inplace_or_new(input, inplace, [&](Tensor& t) { return F::celu(t, alpha, inplace); });
      },
      "input"_a, "alpha"_a = 1.0, "inplace"_a = false);
  nn.def("gelu", &F::gelu, "input"_a, "approximate"_a = "none");
  nn.def(
      "silu",
      [](nb::handle_t<Tensor> input, bool inplace) {
        return inplace_or_new(input, inplace, [&](Tensor& t) { return F::silu(t, inplace); });
      },
      "input"_a, "inplace"_a = false);
  nn.def(
      "mish",
      [](nb::handle_t<Tensor> input, bool inplace) {
        return inplace_or_new(input, inplace, [&](Tensor& t) { return F::mish(t, inplace); });
      },
      "input"_a, "inplace"_a = false);
  nn.def(
      "hardtanh",
      [](nb::handle_t<Tensor> input, double min_val, double max_val, bool inplace) {
        return inplace_or_new(input, inplace, [&](Tensor& t) { return F::hardtanh(t, min_val, max_val, inplace); });
      },
      "input"_a, "min_val"_a = -1.0, "max_val"_a = 1.0, "inplace"_a = false);
  nn.def(
      "hardtanh_",
      [](nb::handle_t<Tensor> input, double min_val, double max_val) {
        return in_place(input, [&](Tensor& t) { F::hardtanh_(t, min_val, max_val); });
      },
      "input"_a, "min_val"_a = -1.0, "max_val"_a = 1.0);
  nn.def(
      "hardsigmoid",
      [](nb::handle_t<Tensor> input, bool inplace) {
        return inplace_or_new(input, inplace, [&](Tensor& t) { return F::hardsigmoid(t, inplace); });
      },
      "input"_a, "inplace"_a = false);
  nn.def(
      "hardswish",
      [](nb::handle_t<Tensor> input, bool inplace) {
        return inplace_or_new(input, inplace, [&](Tensor& t) { return F::hardswish(t, inplace); });
      },
      "input"_a, "inplace"_a = false);
  nn.def(
      "threshold",
      [](nb::handle_t<Tensor> input, double threshold, double value, bool inplace) {
        return inplace_or_new(input, inplace, [&](Tensor& t) { return F::threshold(t, threshold, value, inplace); });
      },
      "input"_a, "threshold"_a, "value"_a, "inplace"_a = false);
  nn.def("softplus", &F::softplus, "input"_a, "beta"_a = 1.0, "threshold"_a = 20.0);
  nn.def("softsign", &F::softsign, "input"_a);
  nn.def("softshrink", &F::softshrink, "input"_a, "lambd"_a = 0.5);
  nn.def("tanhshrink", &F::tanhshrink, "input"_a);
  nn.def("logsigmoid", &F::logsigmoid, "input"_a);
  nn.def("glu", &F::glu, "input"_a, "dim"_a = -1);
  nn.def("softmin", &F::softmin, "input"_a, "dim"_a, "dtype"_a = nb::none());

  // torch.<op>: the forms PyTorch also exports at top level, with its ATen signatures.
  m.def("softmax", &ember::softmax, "input"_a, "dim"_a, "dtype"_a = nb::none());
  m.def("log_softmax", &ember::log_softmax, "input"_a, "dim"_a, "dtype"_a = nb::none());
  m.def("relu_", [](nb::handle_t<Tensor> input) { return in_place(input, [](Tensor& t) { t.relu_(); }); }, "input"_a);
  m.def("prelu", &ember::prelu, "input"_a, "weight"_a);
  m.def("rrelu", &ember::rrelu, "input"_a, "lower"_a = 1.0 / 8, "upper"_a = 1.0 / 3, "training"_a = false,
        "generator"_a = nb::none());
  m.def(
      "rrelu_",
      [](nb::handle_t<Tensor> input, double lower, double upper, bool training, std::optional<Generator> generator) {
        return in_place(input, [&](Tensor& t) { ember::rrelu_(t, lower, upper, training, generator); });
      },
      "input"_a, "lower"_a = 1.0 / 8, "upper"_a = 1.0 / 3, "training"_a = false, "generator"_a = nb::none());
  m.def("selu", &ember::selu, "input"_a);
  m.def("selu_", [](nb::handle_t<Tensor> input) { return in_place(input, [](Tensor& t) { ember::selu_(t); }); }, "input"_a);
  m.def("celu", &ember::celu, "input"_a, "alpha"_a = 1.0);
  m.def(
      "celu_",
      [](nb::handle_t<Tensor> input, double alpha) { return in_place(input, [&](Tensor& t) { ember::celu_(t, alpha); }); },
      "input"_a, "alpha"_a = 1.0);
  m.def("threshold", &ember::threshold, "input"_a, "threshold"_a, "value"_a);
  m.def(
      "threshold_",
      [](nb::handle_t<Tensor> input, double threshold, double value) {
        return in_place(input, [&](Tensor& t) { ember::threshold_(t, threshold, value); });
      },
      "input"_a, "threshold"_a, "value"_a);
  m.def("hardshrink", &ember::hardshrink, "input"_a, "lambd"_a = 0.5);

  cls.def("softmax", [](const Tensor& self, int64_t dim, std::optional<DType> dtype) { return ember::softmax(self, dim, dtype); },
          "dim"_a, "dtype"_a = nb::none())
      .def(
          "log_softmax",
          [](const Tensor& self, int64_t dim, std::optional<DType> dtype) { return ember::log_softmax(self, dim, dtype); },
          "dim"_a, "dtype"_a = nb::none())
      .def("prelu", [](const Tensor& self, const Tensor& weight) { return ember::prelu(self, weight); }, "weight"_a)
      .def("hardshrink", [](const Tensor& self, double lambd) { return ember::hardshrink(self, lambd); }, "lambd"_a = 0.5);
}

}  // namespace ember::python
