// Padding, Upsample, PixelShuffle/Unshuffle, Fold/Unfold modules over their functional forms.
#include <ember/nn/functional/conv.h>
#include <ember/nn/functional/resample.h>
#include <ember/nn/modules/fold.h>
#include <ember/nn/modules/padding.h>
#include <ember/nn/modules/upsampling.h>

#include "nn/repr_util.h"

namespace ember::nn {

namespace {
}  // namespace

_PadNd::_PadNd(int64_t nd, IntArrayRef padding_, std::string mode, double value)
    : padding(padding_.size() == 1 ? DimVector(2 * nd, padding_[0]) : DimVector(padding_)),
      mode(std::move(mode)),
      value(value) {
  EMBER_CHECK(int64_t(padding.size()) == 2 * nd, "padding must have 1 or ", 2 * nd, " values, got ",
              padding_.size());
}

Tensor _PadNd::forward(const Tensor& input) {
  if (mode == "zeros") return functional::pad(input, padding, "constant", 0.0);
  if (mode == "constant") return functional::pad(input, padding, "constant", value);
  return functional::pad(input, padding, mode);
}

std::string _PadNd::extra_repr() const {
  if (mode == "constant") return "padding=" + py_repr(padding) + ", value=" + py_repr(value);
  return py_repr(padding);
}

Upsample::Upsample(IntArrayRef size, ArrayRef<double> scale_factor, std::string mode,
                   std::optional<bool> align_corners, std::optional<bool> recompute_scale_factor)
    : size(size),
      scale_factor(scale_factor.begin(), scale_factor.end()),
      mode(std::move(mode)),
      align_corners(align_corners),
      recompute_scale_factor(recompute_scale_factor) {}

Tensor Upsample::forward(const Tensor& input) {
  return functional::interpolate(input, size, scale_factor, mode, align_corners, recompute_scale_factor);
}

std::string Upsample::extra_repr() const {
  std::string s;
  if (!scale_factor.empty()) {
    if (scale_factor.size() == 1) {
      s = "scale_factor=" + py_repr(scale_factor[0]);
    } else {
      s = "scale_factor=(";
      for (size_t i = 0; i < scale_factor.size(); ++i) s += (i ? ", " : "") + py_repr(scale_factor[i]);
      s += ")";
    }
  } else {
    s = "size=" + (size.empty() ? std::string("None") : py_repr_as_given(size));
  }
  return s + ", mode=" + mode;
}

Tensor PixelShuffle::forward(const Tensor& input) { return functional::pixel_shuffle(input, upscale_factor); }
Tensor PixelUnshuffle::forward(const Tensor& input) { return functional::pixel_unshuffle(input, downscale_factor); }

Tensor Fold::forward(const Tensor& input) {
  return functional::fold(input, output_size, kernel_size, dilation, padding, stride);
}
std::string Fold::extra_repr() const {
  return "output_size=" + py_repr_as_given(output_size) + ", kernel_size=" + py_repr_as_given(kernel_size) +
         ", dilation=" + py_repr_as_given(dilation) + ", padding=" + py_repr_as_given(padding) + ", stride=" + py_repr_as_given(stride);
}

Tensor Unfold::forward(const Tensor& input) { return functional::unfold(input, kernel_size, dilation, padding, stride); }
std::string Unfold::extra_repr() const {
  return "kernel_size=" + py_repr_as_given(kernel_size) + ", dilation=" + py_repr_as_given(dilation) +
         ", padding=" + py_repr_as_given(padding) + ", stride=" + py_repr_as_given(stride);
}

}  // namespace ember::nn
