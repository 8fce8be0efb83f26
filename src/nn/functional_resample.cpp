// torch.nn.functional's resampling front ends, which PyTorch writes in Python: argument checks with its
// messages, size/scale_factor handling (incl. recompute_scale_factor), and the dispatch to ATen's ops.
#include <ember/autocast.h>
#include <cmath>

#include <ember/ember.h>
#include <ember/nn/functional/pool.h>
#include <ember/nn/functional/resample.h>

namespace ember::nn::functional {

namespace {

template <class T>
std::string list(ArrayRef<T> v, const char* open = "[", const char* close = "]") {
  std::string s = open;
  for (size_t i = 0; i < v.size(); ++i) s += ember::detail::str(i ? ", " : "", v[i]);
  return s + close;
}

std::string spatial_sizes(const Tensor& input) {
  DimVector s;
  for (int64_t i = 2; i < input.dim(); ++i) s.push_back(input.size(i));
  return list(IntArrayRef(s));
}

}  // namespace

Tensor interpolate(const Tensor& input, IntArrayRef size, ArrayRef<double> scale_factor, std::string_view mode,
                   std::optional<bool> align_corners, std::optional<bool> recompute_scale_factor, bool antialias) {
  if (mode != "area") { EMBER_AUTOCAST("upsample", interpolate, input, size, scale_factor, mode, align_corners, recompute_scale_factor, antialias); }
  bool interpolating = mode == "linear" || mode == "bilinear" || mode == "bicubic" || mode == "trilinear";
  if (mode == "nearest" || mode == "area" || mode == "nearest-exact") {
    EMBER_CHECK_VALUE(!align_corners, "align_corners option can only be set with the interpolating modes: linear | "
                                      "bilinear | bicubic | trilinear");
  }
  bool corners = align_corners.value_or(false);
  int64_t dim = input.dim() - 2;
  EMBER_CHECK_VALUE(size.empty() || scale_factor.empty(), "only one of size or scale_factor should be defined");
  EMBER_CHECK_VALUE(!size.empty() || !scale_factor.empty(), "either size or scale_factor should be defined");
  DimVector output_size;
  std::vector<std::optional<double>> scales;
  if (!size.empty()) {
    EMBER_CHECK_VALUE(size.size() == 1 || int64_t(size.size()) == dim,
                      "Input and output must have the same number of spatial dimensions, but got input with spatial "
                      "dimensions of ", spatial_sizes(input), " and output size of ", list(size, "(", ")"),
                      ". Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, "
                      "...,oK) format.");
    for (int64_t i = 0; i < dim; ++i) output_size.push_back(size[size.size() == 1 ? 0 : size_t(i)]);
  } else {
    EMBER_CHECK_VALUE(scale_factor.size() == 1 || int64_t(scale_factor.size()) == dim,
                      "Input and scale_factor must have the same number of spatial dimensions, but got input with "
                      "spatial dimensions of ", spatial_sizes(input), " and scale_factor of shape ",
                      list(scale_factor, "(", ")"), ". Please provide input tensor in (N, C, d1, d2, ...,dK) format "
                      "and scale_factor in (s1, s2, ...,sK) format.");
    for (int64_t i = 0; i < dim; ++i) scales.push_back(scale_factor[scale_factor.size() == 1 ? 0 : size_t(i)]);
  }
  EMBER_CHECK_VALUE(!(recompute_scale_factor.value_or(false) && !size.empty()),
                    "recompute_scale_factor is not meaningful with an explicit size.");
  bool recompute = recompute_scale_factor.value_or(false) || (mode == "area" && output_size.empty());
  if (!scales.empty()) {
    // PyTorch floors in Python when recomputing, else ATen truncates the same product.
    for (int64_t i = 0; i < dim; ++i)
      output_size.push_back(int64_t(std::floor(double(input.size(2 + i)) * *scales[size_t(i)])));
    if (recompute) scales.clear();
  }
  if (antialias) {
    EMBER_CHECK_VALUE((mode == "bilinear" || mode == "bicubic") && input.dim() == 4,
                      "Anti-alias option is only supported for bilinear and bicubic modes");
    throw NotImplementedError("interpolate(): antialias=True is not supported by ember");
  }
  int64_t d = input.dim();
  ScalesRef sc(scales);
  if (mode == "nearest" && d >= 3 && d <= 5)
    return d == 3 ? upsample_nearest1d(input, output_size, sc)
           : d == 4 ? upsample_nearest2d(input, output_size, sc)
                    : upsample_nearest3d(input, output_size, sc);
  if (mode == "nearest-exact" && d >= 3 && d <= 5)
    return d == 3 ? _upsample_nearest_exact1d(input, output_size, sc)
           : d == 4 ? _upsample_nearest_exact2d(input, output_size, sc)
                    : _upsample_nearest_exact3d(input, output_size, sc);
  if (mode == "area" && d >= 3 && d <= 5)
    return d == 3 ? adaptive_avg_pool1d(input, output_size)
           : d == 4 ? adaptive_avg_pool2d(input, output_size)
                    : adaptive_avg_pool3d(input, output_size);
  // A bicubic input of the wrong rank gets PyTorch's general message below, the other modes a specific one.
  if (interpolating && d >= 3 && d <= 5 && !(mode == "bicubic" && d != 4)) {
    static const char* const needs[] = {"", "", "", "3D", "4D", "5D"};
    int64_t want = mode == "linear" ? 3 : mode == "bilinear" || mode == "bicubic" ? 4 : 5;
    if (d != want)
      throw NotImplementedError(ember::detail::str("Got ", d, "D input, but ", mode, " mode needs ", needs[want], " input"));
    if (mode == "linear") return upsample_linear1d(input, output_size, corners, sc);
    if (mode == "bilinear") return upsample_bilinear2d(input, output_size, corners, sc);
    if (mode == "bicubic") return upsample_bicubic2d(input, output_size, corners, sc);
    return upsample_trilinear3d(input, output_size, corners, sc);
  }
  throw NotImplementedError(ember::detail::str("Input Error: Only 3D, 4D and 5D input Tensors supported (got ", d,
                                        "D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | "
                                        "nearest-exact (got ", mode, ")"));
}

Tensor upsample(const Tensor& input, IntArrayRef size, ArrayRef<double> scale_factor, std::string_view mode,
                std::optional<bool> align_corners) {
  return interpolate(input, size, scale_factor, mode, align_corners);
}
Tensor upsample_nearest(const Tensor& input, IntArrayRef size, ArrayRef<double> scale_factor) {
  return interpolate(input, size, scale_factor, "nearest");
}
Tensor upsample_bilinear(const Tensor& input, IntArrayRef size, ArrayRef<double> scale_factor) {
  return interpolate(input, size, scale_factor, "bilinear", true);
}

Tensor grid_sample(const Tensor& input, const Tensor& grid, std::string_view mode, std::string_view padding_mode,
                   std::optional<bool> align_corners) {
  EMBER_AUTOCAST("grid_sampler", grid_sample, input, grid, mode, padding_mode, align_corners);
  EMBER_CHECK_VALUE(mode == "bilinear" || mode == "nearest" || mode == "bicubic",
                    "nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but got: '",
                    mode, "'");
  EMBER_CHECK_VALUE(padding_mode == "zeros" || padding_mode == "border" || padding_mode == "reflection",
                    "nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', but "
                    "got: '", padding_mode, "'");
  if (mode == "bicubic") throw NotImplementedError("grid_sample(): mode 'bicubic' is not supported by ember");
  int64_t pad = padding_mode == "zeros" ? 0 : padding_mode == "border" ? 1 : 2;
  return grid_sampler(input, grid, mode == "bilinear" ? 0 : 1, pad, align_corners.value_or(false));
}

Tensor affine_grid(const Tensor& theta, IntArrayRef size, std::optional<bool> align_corners) {
  // PyTorch prints torch.int64 and torch.Size([...]) here; ember names its own module, as in its reprs.
  EMBER_CHECK_VALUE(is_floating_point(theta.dtype()), "Expected theta to have floating point type, but got ember.",
                    dtype_name(theta.dtype()));
  std::string shown = list(size, "(", ")");
  std::string got = "ember.Size(" + list(theta.sizes()) + ")";
  if (size.size() == 4) {
    EMBER_CHECK_VALUE(theta.dim() == 3 && theta.size(-2) == 2 && theta.size(-1) == 3,
                      "Expected a batch of 2D affine matrices of shape Nx2x3 for size ", shown, ". Got ", got, ".");
  } else if (size.size() == 5) {
    EMBER_CHECK_VALUE(theta.dim() == 3 && theta.size(-2) == 3 && theta.size(-1) == 4,
                      "Expected a batch of 3D affine matrices of shape Nx3x4 for size ", shown, ". Got ", got, ".");
  } else {
    throw NotImplementedError(ember::detail::str("affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
                                          "respectively. Got size ", shown, "."));
  }
  for (int64_t s : size) EMBER_CHECK_VALUE(s > 0, "Expected non-zero, positive output size. Got ", shown);
  return affine_grid_generator(theta, size, align_corners.value_or(false));
}

}  // namespace ember::nn::functional
