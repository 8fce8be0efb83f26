#pragma once
// The convolution family's forward computations (src/ops/conv.cpp), without autograd. conv_input_grad and
// conv_weight_grad are convolution's two gradients; conv_input_grad is also conv_transpose's forward.
// Integer lists have one entry per spatial dim (the public functions expand single values).
#include <optional>

#include <ember/tensor.h>

namespace ember::ops {

// PyTorch's checks of torch.convolution's arguments against input (batched: N, C, *spatial), weight and
// bias, with its messages. `op` names the caller in the input-dims message ("conv2d").
void check_convolution(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias,
                       IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation, bool transposed,
                       IntArrayRef output_padding, int64_t groups);
// Expands a one-element list to `nd` entries and checks the length otherwise, naming `what`.
DimVector expand_param(IntArrayRef v, int64_t nd, const char* what);

// y (N, O, *out) = conv(x (N, C, *in), w (O, C/groups, *k)) + b (O, or undefined). Arguments checked.
// out_sizes, when given, keeps only the leading output positions: as the gradient of conv_transpose with
// an output_padding that added input positions no output reaches.
Tensor conv_forward(const Tensor& x, const Tensor& w, const Tensor& b, IntArrayRef stride, IntArrayRef padding,
                    IntArrayRef dilation, int64_t groups, IntArrayRef out_sizes = {});
// The gradient of conv_forward's input: x's sizes are input_sizes (N, C, *in).
Tensor conv_input_grad(const Tensor& grad_output, const Tensor& w, IntArrayRef input_sizes, IntArrayRef stride,
                       IntArrayRef padding, IntArrayRef dilation, int64_t groups);
// The gradient of conv_forward's weight, of weight_sizes (O, C/groups, *k).
Tensor conv_weight_grad(const Tensor& x, const Tensor& grad_output, IntArrayRef weight_sizes, IntArrayRef stride,
                        IntArrayRef padding, IntArrayRef dilation, int64_t groups);

// torch.nn.functional.unfold / fold on batched (N, C, H, W) / (N, C*kh*kw, L) inputs; the public
// functions add and remove the batch dim of unbatched ones. Arguments are two-element lists.
Tensor im2col(const Tensor& x, IntArrayRef kernel_size, IntArrayRef dilation, IntArrayRef padding, IntArrayRef stride);
Tensor col2im(const Tensor& columns, IntArrayRef output_size, IntArrayRef kernel_size, IntArrayRef dilation,
              IntArrayRef padding, IntArrayRef stride);

}  // namespace ember::ops
