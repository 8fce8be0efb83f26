// torch's pooling family: the forms torch has at top level (torch.max_pool2d, torch.avg_pool1d,
// torch.adaptive_max_pool1d ...) and those under ember._C._nn (torch._C._nn's, plus F's max_unpool and
// lp_pool, which PyTorch composes in Python and ember in C++). An empty stride means stride = kernel_size;
// *_with_indices and adaptive_max_pool return (output, indices) tuples, as PyTorch's.
#include "python/nn_args.h"

namespace ember::python {

namespace F = ember::nn::functional;

void bind_nn_pool(nb::module_& m) {
  nb::module_ nn = nb::borrow<nb::module_>(m.attr("_nn"));
  m.def("max_pool1d", &ember::max_pool1d, "input"_a, "kernel_size"_a, "stride"_a = IntArrayRef(), "padding"_a = 0,
        "dilation"_a = 1, "ceil_mode"_a = false);
  m.def("max_pool2d", &ember::max_pool2d, "input"_a, "kernel_size"_a, "stride"_a = IntArrayRef(), "padding"_a = 0,
        "dilation"_a = 1, "ceil_mode"_a = false);
  m.def("max_pool3d", &ember::max_pool3d, "input"_a, "kernel_size"_a, "stride"_a = IntArrayRef(), "padding"_a = 0,
        "dilation"_a = 1, "ceil_mode"_a = false);
  m.def("max_pool1d_with_indices", &ember::max_pool1d_with_indices, "input"_a, "kernel_size"_a,
        "stride"_a = IntArrayRef(), "padding"_a = 0, "dilation"_a = 1, "ceil_mode"_a = false);
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

  nn.def("max_pool2d_with_indices", &ember::max_pool2d_with_indices, "input"_a, "kernel_size"_a,
         "stride"_a = IntArrayRef(), "padding"_a = 0, "dilation"_a = 1, "ceil_mode"_a = false);
  nn.def("max_pool3d_with_indices", &ember::max_pool3d_with_indices, "input"_a, "kernel_size"_a,
         "stride"_a = IntArrayRef(), "padding"_a = 0, "dilation"_a = 1, "ceil_mode"_a = false);
  nn.def(
      "avg_pool2d",
      [](const Tensor& input, IntArrayRef kernel_size, const SizesOrNone& stride, IntArrayRef padding, bool ceil_mode,
         bool count_include_pad, std::optional<int64_t> divisor_override) {
        return ember::avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override);
      },
      "input"_a, "kernel_size"_a, "stride"_a = nb::none(), "padding"_a = 0, "ceil_mode"_a = false,
      "count_include_pad"_a = true, "divisor_override"_a = nb::none());
  nn.def(
      "avg_pool3d",
      [](const Tensor& input, IntArrayRef kernel_size, const SizesOrNone& stride, IntArrayRef padding, bool ceil_mode,
         bool count_include_pad, std::optional<int64_t> divisor_override) {
        return ember::avg_pool3d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override);
      },
      "input"_a, "kernel_size"_a, "stride"_a = nb::none(), "padding"_a = 0, "ceil_mode"_a = false,
      "count_include_pad"_a = true, "divisor_override"_a = nb::none());
  nn.def("adaptive_avg_pool2d", &ember::adaptive_avg_pool2d, "input"_a, "output_size"_a);
  nn.def("adaptive_avg_pool3d", &ember::adaptive_avg_pool3d, "input"_a, "output_size"_a);
  nn.def("adaptive_max_pool2d", &ember::adaptive_max_pool2d, "input"_a, "output_size"_a);
  nn.def("adaptive_max_pool3d", &ember::adaptive_max_pool3d, "input"_a, "output_size"_a);
  // F's signatures (kernel_size, stride, padding, output_size), not torch._C._nn's (output_size only):
  // the default output size and its checks are in C++. An empty output_size stands for None.
  nn.def("max_unpool1d", &F::max_unpool1d, "input"_a, "indices"_a, "kernel_size"_a, "stride"_a = IntArrayRef(),
         "padding"_a = 0, "output_size"_a = IntArrayRef());
  nn.def("max_unpool2d", &F::max_unpool2d, "input"_a, "indices"_a, "kernel_size"_a, "stride"_a = IntArrayRef(),
         "padding"_a = 0, "output_size"_a = IntArrayRef());
  nn.def("max_unpool3d", &F::max_unpool3d, "input"_a, "indices"_a, "kernel_size"_a, "stride"_a = IntArrayRef(),
         "padding"_a = 0, "output_size"_a = IntArrayRef());
  nn.def("lp_pool1d", &F::lp_pool1d, "input"_a, "norm_type"_a, "kernel_size"_a, "stride"_a = IntArrayRef(),
         "ceil_mode"_a = false);
  nn.def("lp_pool2d", &F::lp_pool2d, "input"_a, "norm_type"_a, "kernel_size"_a, "stride"_a = IntArrayRef(),
         "ceil_mode"_a = false);
}

}  // namespace ember::python
