#pragma once
// torch.nn.functional's convolution names: conv*, conv_transpose*, pad, unfold, fold.
#include <optional>
#include <string_view>

#include <ember/ops/conv.h>

namespace ember::nn::functional {

using ember::conv1d;
using ember::conv2d;
using ember::conv3d;
using ember::conv_transpose1d;
using ember::conv_transpose2d;
using ember::conv_transpose3d;

// mode: "constant", "reflect", "replicate" or "circular"; value only with "constant" (default 0).
Tensor pad(const Tensor& input, IntArrayRef pad, std::string_view mode = "constant",
           std::optional<double> value = std::nullopt);

inline Tensor unfold(const Tensor& input, IntArrayRef kernel_size, IntArrayRef dilation = 1, IntArrayRef padding = 0,
                     IntArrayRef stride = 1) {
  auto two = [](IntArrayRef v) { return v.size() == 1 ? DimVector{v[0], v[0]} : DimVector(v); };
  return im2col(input, two(kernel_size), two(dilation), two(padding), two(stride));
}
inline Tensor fold(const Tensor& input, IntArrayRef output_size, IntArrayRef kernel_size, IntArrayRef dilation = 1,
                   IntArrayRef padding = 0, IntArrayRef stride = 1) {
  auto two = [](IntArrayRef v) { return v.size() == 1 ? DimVector{v[0], v[0]} : DimVector(v); };
  return col2im(input, two(output_size), two(kernel_size), two(dilation), two(padding), two(stride));
}

}  // namespace ember::nn::functional
