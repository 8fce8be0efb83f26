#pragma once
// The forward and backward computations of batch_norm and layer_norm (no autograd): checks with
// PyTorch's messages, the dtype rule (float32 and float64 compute in their own type, float16 and
// bfloat16 in float32 and round the output) and the kernel calls. Weight, bias and running stats may be
// undefined (None).
#include <array>
#include <tuple>

#include <ember/tensor.h>

namespace ember::ops {

// (output, save_mean, save_invstd); save_* are (C) in the compute dtype. In training the batch
// statistics are used and the running stats (when defined) updated in place:
// running = (1 - momentum) * running + momentum * batch, with the unbiased variance.
std::tuple<Tensor, Tensor, Tensor> batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias,
                                              const Tensor& running_mean, const Tensor& running_var, bool training,
                                              double momentum, double eps);
// (grad_input, grad_weight, grad_bias), each computed only where `mask` asks; train says whether
// save_mean and save_invstd are the batch's own statistics.
std::tuple<Tensor, Tensor, Tensor> batch_norm_backward(const Tensor& grad_out, const Tensor& input,
                                                       const Tensor& weight, const Tensor& save_mean,
                                                       const Tensor& save_invstd, bool train,
                                                       std::array<bool, 3> mask);

// (output, mean, rstd); mean and rstd have input's leading dims and 1 for each normalized dim.
std::tuple<Tensor, Tensor, Tensor> layer_norm(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight,
                                              const Tensor& bias, double eps);
std::tuple<Tensor, Tensor, Tensor> layer_norm_backward(const Tensor& grad_out, const Tensor& input,
                                                       IntArrayRef normalized_shape, const Tensor& mean,
                                                       const Tensor& rstd, const Tensor& weight,
                                                       std::array<bool, 3> mask);
// The checks of layer_norm's arguments, shared with rms_norm.
void check_layer_norm_shapes(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight,
                             const Tensor& bias);

}  // namespace ember::ops
