#pragma once
// torch.nn.functional.dropout.
#include <ember/ops/random.h>

namespace ember::nn::functional {

// Zeroes each element with probability p and scales the rest by 1 / (1 - p) when training; inplace
// writes the result into input.
Tensor dropout(const Tensor& input, double p = 0.5, bool training = true, bool inplace = false);

}  // namespace ember::nn::functional
