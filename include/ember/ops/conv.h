#pragma once
// Convolutions (torch.conv1d/2d/3d, conv_transpose1d/2d/3d, torch.convolution), padding
// (torch.constant_pad_nd) and im2col/col2im (torch._C._nn.im2col/col2im, under F.unfold/F.fold). Integer
// lists take one value per spatial dim or a single value for all; padding also takes "same" or "valid".
// Inputs are batched (N, C, *spatial) or unbatched (C, *spatial).
#include <optional>
#include <string_view>
#include <type_traits>

#include <ember/tensor.h>

namespace ember {

namespace detail {
// Selects the padding="same"/"valid" overloads for strings only, so that a literal 0 stays a padding size.
template <class S>
using if_padding_string =
    std::enable_if_t<std::is_convertible_v<const S&, std::string_view> && !std::is_arithmetic_v<S>, int>;
}  // namespace detail

// conv1d/2d/3d with padding "same" or "valid" (the spatial dims follow from weight).
Tensor _convolution_mode(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias,
                         IntArrayRef stride, std::string_view padding, IntArrayRef dilation, int64_t groups);

Tensor conv1d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias = std::nullopt,
              IntArrayRef stride = 1, IntArrayRef padding = 0, IntArrayRef dilation = 1, int64_t groups = 1);
template <class S, detail::if_padding_string<S> = 0>
Tensor conv1d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias, IntArrayRef stride,
              const S& padding, IntArrayRef dilation = 1, int64_t groups = 1) {
  return _convolution_mode(input, weight, bias, stride, padding, dilation, groups);
}
Tensor conv2d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias = std::nullopt,
              IntArrayRef stride = 1, IntArrayRef padding = 0, IntArrayRef dilation = 1, int64_t groups = 1);
template <class S, detail::if_padding_string<S> = 0>
Tensor conv2d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias, IntArrayRef stride,
              const S& padding, IntArrayRef dilation = 1, int64_t groups = 1) {
  return _convolution_mode(input, weight, bias, stride, padding, dilation, groups);
}
Tensor conv3d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias = std::nullopt,
              IntArrayRef stride = 1, IntArrayRef padding = 0, IntArrayRef dilation = 1, int64_t groups = 1);
template <class S, detail::if_padding_string<S> = 0>
Tensor conv3d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias, IntArrayRef stride,
              const S& padding, IntArrayRef dilation = 1, int64_t groups = 1) {
  return _convolution_mode(input, weight, bias, stride, padding, dilation, groups);
}

// weight is (in_channels, out_channels / groups, *kernel_size).
Tensor conv_transpose1d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias = std::nullopt,
                        IntArrayRef stride = 1, IntArrayRef padding = 0, IntArrayRef output_padding = 0,
                        int64_t groups = 1, IntArrayRef dilation = 1);
Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias = std::nullopt,
                        IntArrayRef stride = 1, IntArrayRef padding = 0, IntArrayRef output_padding = 0,
                        int64_t groups = 1, IntArrayRef dilation = 1);
Tensor conv_transpose3d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias = std::nullopt,
                        IntArrayRef stride = 1, IntArrayRef padding = 0, IntArrayRef output_padding = 0,
                        int64_t groups = 1, IntArrayRef dilation = 1);

// The general form behind all of the above: batched input, one list entry per spatial dim.
Tensor convolution(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias, IntArrayRef stride,
                   IntArrayRef padding, IntArrayRef dilation, bool transposed, IntArrayRef output_padding,
                   int64_t groups);

// Pads the last len(pad)/2 dims with `value`: (left, right) of the last dim first; negative entries crop.
Tensor constant_pad_nd(const Tensor& self, IntArrayRef pad, const Scalar& value = 0);

// (N, C, H, W) -> (N, C * kh * kw, L) sliding blocks, and the sum of blocks back (unbatched inputs too).
Tensor im2col(const Tensor& self, IntArrayRef kernel_size, IntArrayRef dilation, IntArrayRef padding,
              IntArrayRef stride);
Tensor col2im(const Tensor& self, IntArrayRef output_size, IntArrayRef kernel_size, IntArrayRef dilation,
              IntArrayRef padding, IntArrayRef stride);

}  // namespace ember
