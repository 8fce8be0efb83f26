#pragma once
// Forward computations of the pooling family without autograd (the public ops in
// src/autograd/derivatives/pool.cpp wrap these). `nd` is the number of spatial dims (1, 2 or 3); the
// input is (N, C, spatial...) or, without batch, (C, spatial...). float16/bfloat16 compute in float32.
#include <optional>
#include <tuple>

#include <ember/tensor.h>

namespace ember::ops {

// (output, indices): indices are int64 offsets within each (spatial...) plane, as PyTorch's.
std::tuple<Tensor, Tensor> max_pool(const Tensor& self, int nd, IntArrayRef kernel_size, IntArrayRef stride,
                                    IntArrayRef padding, IntArrayRef dilation, bool ceil_mode);
std::tuple<Tensor, Tensor> adaptive_max_pool(const Tensor& self, int nd, IntArrayRef output_size);
// Gradient of either max pool: zeros of input_sizes with grad added at the indices.
Tensor max_pool_backward(const Tensor& grad, const Tensor& indices, IntArrayRef input_sizes, int nd);
// Zeros of (..., output_size) with self written at indices.
Tensor max_unpool(const Tensor& self, const Tensor& indices, IntArrayRef output_size, int nd);

Tensor avg_pool(const Tensor& self, int nd, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding,
                bool ceil_mode, bool count_include_pad, std::optional<int64_t> divisor_override);
Tensor avg_pool_backward(const Tensor& grad, IntArrayRef input_sizes, int nd, IntArrayRef kernel_size,
                         IntArrayRef stride, IntArrayRef padding, bool ceil_mode, bool count_include_pad,
                         std::optional<int64_t> divisor_override);
Tensor adaptive_avg_pool(const Tensor& self, int nd, IntArrayRef output_size);
Tensor adaptive_avg_pool_backward(const Tensor& grad, IntArrayRef input_sizes, int nd);

}  // namespace ember::ops
