#pragma once
// Resampling, as ATen's upsample_* / pixel_shuffle / grid_sampler / affine_grid_generator (the
// torch.nn.functional forms — interpolate, grid_sample, affine_grid — are in
// ember/nn/functional/resample.h). Inputs are (N, C, spatial...). output_size is given per spatial
// dim; `scales` (one per dim, or empty) are the user's scale factors, which PyTorch uses for the
// coordinate mapping in place of in/out when present. Coordinates follow PyTorch: with
// align_corners the corner pixels' centres line up, without it their outer edges do. Differentiable
// in the input (grid_sampler also in grid, affine_grid_generator in theta), twice.
#include <optional>

#include <ember/tensor.h>

namespace ember {

using ScalesRef = ArrayRef<std::optional<double>>;

// Nearest: source = min(floor(dst * in / out), in - 1).
Tensor upsample_nearest1d(const Tensor& self, IntArrayRef output_size, ScalesRef scales = {});
Tensor upsample_nearest2d(const Tensor& self, IntArrayRef output_size, ScalesRef scales = {});
Tensor upsample_nearest3d(const Tensor& self, IntArrayRef output_size, ScalesRef scales = {});
// Nearest-exact: source = min(floor((dst + 0.5) * in / out), in - 1).
Tensor _upsample_nearest_exact1d(const Tensor& self, IntArrayRef output_size, ScalesRef scales = {});
Tensor _upsample_nearest_exact2d(const Tensor& self, IntArrayRef output_size, ScalesRef scales = {});
Tensor _upsample_nearest_exact3d(const Tensor& self, IntArrayRef output_size, ScalesRef scales = {});
Tensor upsample_linear1d(const Tensor& self, IntArrayRef output_size, bool align_corners, ScalesRef scales = {});
Tensor upsample_bilinear2d(const Tensor& self, IntArrayRef output_size, bool align_corners, ScalesRef scales = {});
Tensor upsample_trilinear3d(const Tensor& self, IntArrayRef output_size, bool align_corners, ScalesRef scales = {});
// Cubic convolution (A = -0.75) over 4x4 neighbours, reads clamped to the border.
Tensor upsample_bicubic2d(const Tensor& self, IntArrayRef output_size, bool align_corners, ScalesRef scales = {});

// (*, C * r * r, H, W) -> (*, C, H * r, W * r) and back.
Tensor pixel_shuffle(const Tensor& self, int64_t upscale_factor);
Tensor pixel_unshuffle(const Tensor& self, int64_t downscale_factor);

// Samples input (N, C, H, W) at grid (N, Ho, Wo, 2) of (x, y) in [-1, 1] (or (N, C, D, H, W) at
// (N, Do, Ho, Wo, 3)). interpolation_mode 0 bilinear, 1 nearest; padding_mode 0 zeros, 1 border,
// 2 reflection — ATen's numbering.
Tensor grid_sampler(const Tensor& input, const Tensor& grid, int64_t interpolation_mode, int64_t padding_mode,
                    bool align_corners);
// The sampling grid of the affine maps theta (N, 2, 3) for size (N, C, H, W), or (N, 3, 4) for
// (N, C, D, H, W): grid = [x, y, (z,) 1] @ theta^T over the normalised output coordinates.
Tensor affine_grid_generator(const Tensor& theta, IntArrayRef size, bool align_corners);

}  // namespace ember
