#pragma once
// torch.nn.functional's resampling names: interpolate (and the deprecated upsample*), grid_sample,
// affine_grid, pixel_shuffle/unshuffle. An empty size or scale_factor stands for Python's None.
#include <optional>
#include <string_view>

#include <ember/ops/resample.h>

namespace ember::nn::functional {

using ember::pixel_shuffle;
using ember::pixel_unshuffle;

// mode: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact, on (N, C, d1[, d2[, d3]])
// inputs. size or scale_factor: one value for every spatial dim or one per dim. Without
// recompute_scale_factor the scale factors also drive the coordinate mapping, as in PyTorch.
// antialias=true is not supported (NotImplementedError).
Tensor interpolate(const Tensor& input, IntArrayRef size = {}, ArrayRef<double> scale_factor = {},
                   std::string_view mode = "nearest", std::optional<bool> align_corners = std::nullopt,
                   std::optional<bool> recompute_scale_factor = std::nullopt, bool antialias = false);
Tensor upsample(const Tensor& input, IntArrayRef size = {}, ArrayRef<double> scale_factor = {},
                std::string_view mode = "nearest", std::optional<bool> align_corners = std::nullopt);
Tensor upsample_nearest(const Tensor& input, IntArrayRef size = {}, ArrayRef<double> scale_factor = {});
// With align_corners=true, as PyTorch's.
Tensor upsample_bilinear(const Tensor& input, IntArrayRef size = {}, ArrayRef<double> scale_factor = {});

// mode: bilinear | nearest; padding_mode: zeros | border | reflection. align_corners defaults to false.
Tensor grid_sample(const Tensor& input, const Tensor& grid, std::string_view mode = "bilinear",
                   std::string_view padding_mode = "zeros", std::optional<bool> align_corners = std::nullopt);
Tensor affine_grid(const Tensor& theta, IntArrayRef size, std::optional<bool> align_corners = std::nullopt);

}  // namespace ember::nn::functional
