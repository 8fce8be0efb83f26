// torch's resampling family: pixel_shuffle/unshuffle, grid_sampler and affine_grid_generator at top
// level (as torch's), and F.interpolate / grid_sample / affine_grid in ember._C._nn, whose argument checks
// PyTorch writes in Python and ember in C++ (ember.nn.functional adds only what is Python by nature:
// warnings, and the forms of size and scale_factor).
#include "python/bind.h"

namespace ember::python {

namespace F = ember::nn::functional;

void bind_nn_resample(nb::module_& m) {
  nb::module_ nn = nb::borrow<nb::module_>(m.attr("_nn"));
  m.def("pixel_shuffle", &ember::pixel_shuffle, "input"_a, "upscale_factor"_a);
  m.def("pixel_unshuffle", &ember::pixel_unshuffle, "input"_a, "downscale_factor"_a);
  m.def("grid_sampler", &ember::grid_sampler, "input"_a, "grid"_a, "interpolation_mode"_a, "padding_mode"_a,
        "align_corners"_a);
  m.def("affine_grid_generator", &ember::affine_grid_generator, "theta"_a, "size"_a, "align_corners"_a);

  // size and scale_factor: None, or one value per spatial dim (or one for all).
  nn.def(
      "interpolate",
      [](const Tensor& input, const std::optional<std::vector<int64_t>>& size,
         const std::optional<std::vector<double>>& scale_factor, std::string_view mode,
         std::optional<bool> align_corners, std::optional<bool> recompute_scale_factor, bool antialias) {
        return F::interpolate(input, size ? IntArrayRef(*size) : IntArrayRef(),
                              scale_factor ? ArrayRef<double>(*scale_factor) : ArrayRef<double>(), mode,
                              align_corners, recompute_scale_factor, antialias);
      },
      "input"_a, "size"_a = nb::none(), "scale_factor"_a = nb::none(), "mode"_a = "nearest",
      "align_corners"_a = nb::none(), "recompute_scale_factor"_a = nb::none(), "antialias"_a = false);
  nn.def("grid_sample", &F::grid_sample, "input"_a, "grid"_a, "mode"_a = "bilinear", "padding_mode"_a = "zeros",
         "align_corners"_a = nb::none());
  nn.def("affine_grid", &F::affine_grid, "theta"_a, "size"_a, "align_corners"_a = nb::none());
}

}  // namespace ember::python
