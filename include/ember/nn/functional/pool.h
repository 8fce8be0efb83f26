#pragma once
// torch.nn.functional's pooling names. Where PyTorch's functional returns values or (values, indices)
// depending on return_indices, C++ has two functions, as libtorch: max_pool2d and
// max_pool2d_with_indices, adaptive_max_pool2d and adaptive_max_pool2d_with_indices.
#include <optional>
#include <tuple>

#include <ember/ops/pool.h>

namespace ember::nn::functional {

using ember::adaptive_avg_pool1d;
using ember::adaptive_avg_pool2d;
using ember::adaptive_avg_pool3d;
using ember::avg_pool1d;
using ember::avg_pool2d;
using ember::avg_pool3d;
using ember::max_pool1d;
using ember::max_pool1d_with_indices;
using ember::max_pool2d;
using ember::max_pool2d_with_indices;
using ember::max_pool3d;
using ember::max_pool3d_with_indices;

inline Tensor adaptive_max_pool1d(const Tensor& input, IntArrayRef output_size) {
  return std::get<0>(ember::adaptive_max_pool1d(input, output_size));
}
inline Tensor adaptive_max_pool2d(const Tensor& input, IntArrayRef output_size) {
  return std::get<0>(ember::adaptive_max_pool2d(input, output_size));
}
inline Tensor adaptive_max_pool3d(const Tensor& input, IntArrayRef output_size) {
  return std::get<0>(ember::adaptive_max_pool3d(input, output_size));
}
inline std::tuple<Tensor, Tensor> adaptive_max_pool1d_with_indices(const Tensor& input, IntArrayRef output_size) {
  return ember::adaptive_max_pool1d(input, output_size);
}
inline std::tuple<Tensor, Tensor> adaptive_max_pool2d_with_indices(const Tensor& input, IntArrayRef output_size) {
  return ember::adaptive_max_pool2d(input, output_size);
}
inline std::tuple<Tensor, Tensor> adaptive_max_pool3d_with_indices(const Tensor& input, IntArrayRef output_size) {
  return ember::adaptive_max_pool3d(input, output_size);
}

// output_size (the last nd sizes; empty: (in - 1) * stride - 2 * padding + kernel_size per dim) must lie
// within stride of that default, as in PyTorch.
Tensor max_unpool1d(const Tensor& input, const Tensor& indices, IntArrayRef kernel_size, IntArrayRef stride = {},
                    IntArrayRef padding = 0, IntArrayRef output_size = {});
Tensor max_unpool2d(const Tensor& input, const Tensor& indices, IntArrayRef kernel_size, IntArrayRef stride = {},
                    IntArrayRef padding = 0, IntArrayRef output_size = {});
Tensor max_unpool3d(const Tensor& input, const Tensor& indices, IntArrayRef kernel_size, IntArrayRef stride = {},
                    IntArrayRef padding = 0, IntArrayRef output_size = {});

// (sum over the window of x^p)^(1/p), as PyTorch computes it: an average pool of x^p times the window size.
Tensor lp_pool1d(const Tensor& input, double norm_type, IntArrayRef kernel_size, IntArrayRef stride = {},
                 bool ceil_mode = false);
Tensor lp_pool2d(const Tensor& input, double norm_type, IntArrayRef kernel_size, IntArrayRef stride = {},
                 bool ceil_mode = false);

}  // namespace ember::nn::functional
