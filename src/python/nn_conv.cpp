// torch's convolution family: linear and bilinear, conv*/conv_transpose* (also at top level, as
// torch.conv2d), convolution, constant_pad_nd, and the ops under F.pad / F.unfold / F.fold in ember._C._nn.
#include "python/bind.h"
#include "python/nn_args.h"

namespace ember::python {

namespace {

namespace F = ember::nn::functional;

// conv1d/2d/3d: padding is a size (int or tuple) or the string "same" / "valid"; both forms are one
// Python function, as torch's overloads.
template <Tensor (*Conv)(const Tensor&, const Tensor&, const OptTensor&, IntArrayRef, IntArrayRef, IntArrayRef,
                         int64_t)>
void def_conv(nb::module_& m, const char* name) {
  m.def(name, Conv, "input"_a, "weight"_a, "bias"_a = nb::none(), "stride"_a = 1, "padding"_a = 0, "dilation"_a = 1,
        "groups"_a = 1);
  m.def(
      name,
      [](const Tensor& input, const Tensor& weight, const OptTensor& bias, IntArrayRef stride,
         std::string_view padding, IntArrayRef dilation, int64_t groups) {
        return _convolution_mode(input, weight, bias, stride, padding, dilation, groups);
      },
      "input"_a, "weight"_a, "bias"_a = nb::none(), "stride"_a = 1, "padding"_a = "valid", "dilation"_a = 1,
      "groups"_a = 1);
}

template <Tensor (*ConvT)(const Tensor&, const Tensor&, const OptTensor&, IntArrayRef, IntArrayRef, IntArrayRef,
                          int64_t, IntArrayRef)>
void def_conv_transpose(nb::module_& m, const char* name) {
  m.def(name, ConvT, "input"_a, "weight"_a, "bias"_a = nb::none(), "stride"_a = 1, "padding"_a = 0,
        "output_padding"_a = 0, "groups"_a = 1, "dilation"_a = 1);
}

}  // namespace

void bind_nn_conv(nb::module_& m) {
  nb::module_ nn = nb::borrow<nb::module_>(m.attr("_nn"));
  def_conv<&ember::conv1d>(m, "conv1d");
  def_conv<&ember::conv2d>(m, "conv2d");
  def_conv<&ember::conv3d>(m, "conv3d");
  def_conv_transpose<&ember::conv_transpose1d>(m, "conv_transpose1d");
  def_conv_transpose<&ember::conv_transpose2d>(m, "conv_transpose2d");
  def_conv_transpose<&ember::conv_transpose3d>(m, "conv_transpose3d");
  m.def("convolution", &ember::convolution, "input"_a, "weight"_a, "bias"_a.none(), "stride"_a, "padding"_a,
        "dilation"_a, "transposed"_a, "output_padding"_a, "groups"_a);
  m.def("constant_pad_nd", &ember::constant_pad_nd, "input"_a, "pad"_a, "value"_a = 0);
  m.def(
      "bilinear",
      [](const Tensor& input1, const Tensor& input2, const Tensor& weight, const Tensor* bias) {
        return F::bilinear(input1, input2, weight, bias ? *bias : Tensor());
      },
      "input1"_a, "input2"_a, "weight"_a, "bias"_a.none() = nb::none());

  nn.def(
      "linear",
      // bias as a pointer (None: nullptr): with std::optional<Tensor> here GCC 12 warns of a
      // maybe-uninitialized read inside nanobind's argument tuple, a false positive.
      [](const Tensor& input, const Tensor& weight, const Tensor* bias) {
        return F::linear(input, weight, bias ? *bias : Tensor());
      },
      "input"_a, "weight"_a, "bias"_a.none() = nb::none());
  nn.def("pad", &F::pad, "input"_a, "pad"_a, "mode"_a = "constant", "value"_a = nb::none());
  nn.def("im2col", &ember::im2col, "input"_a, "kernel_size"_a, "dilation"_a, "padding"_a, "stride"_a);
  nn.def("col2im", &ember::col2im, "input"_a, "output_size"_a, "kernel_size"_a, "dilation"_a, "padding"_a,
         "stride"_a);
  // F.unfold / F.fold: torch's Python front ends (an int stands for the same value in both dims).
  nn.def("unfold", &F::unfold, "input"_a, "kernel_size"_a, "dilation"_a = 1, "padding"_a = 0, "stride"_a = 1);
  nn.def("fold", &F::fold, "input"_a, "output_size"_a, "kernel_size"_a, "dilation"_a = 1, "padding"_a = 0,
         "stride"_a = 1);
}

}  // namespace ember::python
