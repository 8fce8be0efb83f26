#pragma once
// Kernel signatures of the convolution family (src/ops/conv.cpp). One geometry describes a
// convolution with 1 to 3 spatial dims; the same three kernels serve conv and conv_transpose (whose
// forward is conv's input gradient) and im2col/col2im serve F.unfold/F.fold. Every tensor handed to
// these kernels is contiguous, float32 or float64, and allocated by the op.
#include <ember/tensor.h>

namespace ember::dispatch {

struct ConvGeometry {
  int64_t batch = 0, in_channels = 0, out_channels = 0, groups = 1;
  int nd = 2;  // spatial dims
  int64_t in[3] = {1, 1, 1}, out[3] = {1, 1, 1}, kernel[3] = {1, 1, 1};
  int64_t stride[3] = {1, 1, 1}, padding[3] = {0, 0, 0}, dilation[3] = {1, 1, 1};
  int64_t in_size() const { return in[0] * in[1] * in[2]; }
  int64_t out_size() const { return out[0] * out[1] * out[2]; }
  int64_t kernel_size() const { return kernel[0] * kernel[1] * kernel[2]; }
};

// out (N, O, *out) = conv(input (N, C, *in), weight (O, C/g, *k)) + bias (O) when bias is defined.
using ConvForwardKernel = void(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& out,
                               const ConvGeometry& g);
// grad_input (N, C, *in) from grad_output (N, O, *out) and weight; grad_input is overwritten.
using ConvBackwardInputKernel = void(const Tensor& grad_output, const Tensor& weight, const Tensor& grad_input,
                                     const ConvGeometry& g);
// grad_weight (O, C/g, *k) from input and grad_output, overwritten.
using ConvBackwardWeightKernel = void(const Tensor& input, const Tensor& grad_output, const Tensor& grad_weight,
                                      const ConvGeometry& g);
// im2col: columns (N, C * prod(k), prod(out)) from input (N, C, *in), zeros where the window leaves
// the padded input; col2im sums columns back into input (overwritten). groups is 1, out_channels unused.
using Im2colKernel = void(const Tensor& input, const Tensor& columns, const ConvGeometry& g);
using Col2imKernel = void(const Tensor& columns, const Tensor& input, const ConvGeometry& g);

}  // namespace ember::dispatch
