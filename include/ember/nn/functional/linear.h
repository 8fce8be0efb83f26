#pragma once
// torch.nn.functional.linear and bilinear.
#include <ember/tensor.h>

namespace ember::nn::functional {

// input @ weight.T + bias; input (*, in_features), weight (out_features, in_features), bias (out_features).
Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias = {});
// y[..., o] = sum_ij input1[..., i] weight[o, i, j] input2[..., j] + bias[o].
Tensor bilinear(const Tensor& input1, const Tensor& input2, const Tensor& weight, const Tensor& bias = {});

}  // namespace ember::nn::functional
