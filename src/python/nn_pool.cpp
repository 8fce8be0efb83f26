// torch's pooling family: the forms torch has at top level (torch.max_pool2d, torch.avg_pool1d,
// torch.adaptive_max_pool1d ...) and those under ember._C._nn (torch._C._nn's, plus F's max_unpool and
// lp_pool, which PyTorch composes in Python and ember in C++). stride=None (or empty) means stride =
// kernel_size; *_with_indices and adaptive_max_pool return (output, indices) tuples, as PyTorch's.
#include "python/nn_args.h"

namespace ember::python {

namespace {

namespace F = ember::nn::functional;

using MaxPool = Tensor (*)(const Tensor&, IntArrayRef, IntArrayRef, IntArrayRef, IntArrayRef, bool);
using MaxPoolWithIndices = std::tuple<Tensor, Tensor> (*)(const Tensor&, IntArrayRef, IntArrayRef, IntArrayRef,
                                                          IntArrayRef, bool);
using MaxUnpool = Tensor (*)(const Tensor&, const Tensor&, IntArrayRef, IntArrayRef, IntArrayRef, IntArrayRef);
using LpPool = Tensor (*)(const Tensor&, double, IntArrayRef, IntArrayRef, bool);

template <class Result, Result (*Op)(const Tensor&, IntArrayRef, IntArrayRef, IntArrayRef, IntArrayRef, bool)>
void def_max_pool(nb::module_& m, const char* name) {
  m.def(
      name,
      [](const Tensor& input, IntArrayRef kernel_size, const SizesOrNone& stride, IntArrayRef padding,
         IntArrayRef dilation, bool ceil_mode) { return Op(input, kernel_size, stride, padding, dilation, ceil_mode); },
      "input"_a, "kernel_size"_a, "stride"_a.none() = IntArrayRef(), "padding"_a = 0, "dilation"_a = 1,
      "ceil_mode"_a = false);
}

template <Tensor (*Op)(const Tensor&, IntArrayRef, IntArrayRef, IntArrayRef, bool, bool, std::optional<int64_t>)>
void def_avg_pool(nb::module_& m, const char* name) {
  m.def(
      name,
      [](const Tensor& input, IntArrayRef kernel_size, const SizesOrNone& stride, IntArrayRef padding, bool ceil_mode,
         bool count_include_pad, std::optional<int64_t> divisor_override) {
        return Op(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override);
      },
      "input"_a, "kernel_size"_a, "stride"_a = nb::none(), "padding"_a = 0, "ceil_mode"_a = false,
      "count_include_pad"_a = true, "divisor_override"_a = nb::none());
}

// F's signature (kernel_size, stride, padding, output_size), not torch._C._nn's (output_size only): the
// default output size and its checks are in C++.
template <MaxUnpool Op>
void def_max_unpool(nb::module_& m, const char* name) {
  m.def(
      name,
      [](const Tensor& input, const Tensor& indices, IntArrayRef kernel_size, const SizesOrNone& stride,
         IntArrayRef padding, const SizesOrNone& output_size) {
        return Op(input, indices, kernel_size, stride, padding, output_size);
      },
      "input"_a, "indices"_a, "kernel_size"_a, "stride"_a = nb::none(), "padding"_a = 0,
      "output_size"_a = nb::none());
}

template <LpPool Op>
void def_lp_pool(nb::module_& m, const char* name) {
  m.def(
      name,
      [](const Tensor& input, double norm_type, IntArrayRef kernel_size, const SizesOrNone& stride, bool ceil_mode) {
        return Op(input, norm_type, kernel_size, stride, ceil_mode);
      },
      "input"_a, "norm_type"_a, "kernel_size"_a, "stride"_a = nb::none(), "ceil_mode"_a = false);
}

}  // namespace

void bind_nn_pool(nb::module_& m) {
  nb::module_ nn = nb::borrow<nb::module_>(m.attr("_nn"));
  def_max_pool<Tensor, &ember::max_pool1d>(m, "max_pool1d");
  def_max_pool<Tensor, &ember::max_pool2d>(m, "max_pool2d");
  def_max_pool<Tensor, &ember::max_pool3d>(m, "max_pool3d");
  def_max_pool<std::tuple<Tensor, Tensor>, &ember::max_pool1d_with_indices>(m, "max_pool1d_with_indices");
  m.def(
      "avg_pool1d",
      [](const Tensor& input, IntArrayRef kernel_size, const SizesOrNone& stride, IntArrayRef padding, bool ceil_mode,
         bool count_include_pad) {
        return ember::avg_pool1d(input, kernel_size, stride, padding, ceil_mode, count_include_pad);
      },
      "input"_a, "kernel_size"_a, "stride"_a = nb::none(), "padding"_a = 0, "ceil_mode"_a = false,
      "count_include_pad"_a = true);
  m.def("adaptive_avg_pool1d", &ember::adaptive_avg_pool1d, "input"_a, "output_size"_a);
  m.def("adaptive_max_pool1d", &ember::adaptive_max_pool1d, "input"_a, "output_size"_a);

  def_max_pool<std::tuple<Tensor, Tensor>, &ember::max_pool2d_with_indices>(nn, "max_pool2d_with_indices");
  def_max_pool<std::tuple<Tensor, Tensor>, &ember::max_pool3d_with_indices>(nn, "max_pool3d_with_indices");
  def_avg_pool<&ember::avg_pool2d>(nn, "avg_pool2d");
  def_avg_pool<&ember::avg_pool3d>(nn, "avg_pool3d");
  nn.def("adaptive_avg_pool2d", &ember::adaptive_avg_pool2d, "input"_a, "output_size"_a);
  nn.def("adaptive_avg_pool3d", &ember::adaptive_avg_pool3d, "input"_a, "output_size"_a);
  nn.def("adaptive_max_pool2d", &ember::adaptive_max_pool2d, "input"_a, "output_size"_a);
  nn.def("adaptive_max_pool3d", &ember::adaptive_max_pool3d, "input"_a, "output_size"_a);
  def_max_unpool<&F::max_unpool1d>(nn, "max_unpool1d");
  def_max_unpool<&F::max_unpool2d>(nn, "max_unpool2d");
  def_max_unpool<&F::max_unpool3d>(nn, "max_unpool3d");
  def_lp_pool<&F::lp_pool1d>(nn, "lp_pool1d");
  def_lp_pool<&F::lp_pool2d>(nn, "lp_pool2d");
}

}  // namespace ember::python
