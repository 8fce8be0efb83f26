// Normalisation-family ops composed of public ops, so their derivatives (and double backward) come
// from the ops they are made of: rms_norm, the distances, and the feature and alpha dropouts.
#include <ember/autocast.h>
#include <cfloat>
#include <cmath>
#include <vector>

#include <ember/ops/factory.h>
#include <ember/ops/index.h>
#include <ember/ops/norm.h>
#include <ember/ops/pointwise.h>
#include <ember/ops/reduce.h>

#include "ops/norm.h"

namespace ember {

Tensor rms_norm(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight, std::optional<double> eps) {
  ops::check_layer_norm_shapes(input, normalized_shape, weight, Tensor());
  EMBER_CHECK(input.is_floating_point(), "\"rms_norm\" not implemented for '", dtype_title(input.dtype()), "'");
  // As torch.rms_norm: computed in float32 for the reduced floats, weight applied, then rounded.
  const DType ct = input.dtype() == kFloat64 ? kFloat64 : kFloat32;
  const double e = eps ? *eps : (ct == kFloat64 ? DBL_EPSILON : double(FLT_EPSILON));
  DimVector dims;
  for (int64_t i = input.dim() - int64_t(normalized_shape.size()); i < input.dim(); ++i) dims.push_back(i);
  Tensor x = input.to(ct);
  Tensor y = x * rsqrt((x * x).mean(dims, true) + e);
  if (weight.defined()) y = y * weight;
  return y.to(input.dtype());
}

Tensor cosine_similarity(const Tensor& x1, const Tensor& x2, int64_t dim, double eps) {
  EMBER_AUTOCAST("cosine_similarity", cosine_similarity, x1, x2, dim, eps);
  DType ct = result_type(x1, x2);
  EMBER_CHECK(is_floating_point(ct), "expected common dtype to be floating point, yet common dtype is ",
              dtype_title(ct));
  Tensor a = x1.to(ct), b = x2.to(ct);
  Tensor prod = a * b;  // broadcasts, with PyTorch's message on a mismatch
  a = a.expand(prod.sizes());
  b = b.expand(prod.sizes());
  // <x1, x2> / (max(||x1||, eps) * max(||x2||, eps)): each norm clamped on its own, as PyTorch does
  // since 1.12, so one short vector does not hide behind a long one.
  Tensor n1 = clamp_min(sqrt((a * a).sum({dim}, true)), eps);
  Tensor n2 = clamp_min(sqrt((b * b).sum({dim}, true)), eps);
  return prod.sum({dim}) / (n1 * n2).squeeze(dim);
}

Tensor pairwise_distance(const Tensor& x1, const Tensor& x2, double p, double eps, bool keepdim) {
  const int64_t out_dim = std::max(x1.dim(), x2.dim());
  return (x1 - x2 + eps).norm(Scalar(p), {out_dim - 1}, keepdim);
}

Tensor pdist(const Tensor& input, double p) {
  EMBER_AUTOCAST("pdist", pdist, input, p);
  EMBER_CHECK(input.dim() == 2, "pdist only supports 2D tensors, got: ", input.dim(), "D");
  EMBER_CHECK(input.is_floating_point(), "pdist only supports floating-point dtypes");
  EMBER_CHECK(p >= 0, "pdist only supports non-negative p values");
  const int64_t n = input.size(0);
  std::vector<int64_t> rows, cols;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = i + 1; j < n; ++j) {
      rows.push_back(i);
      cols.push_back(j);
    }
  const TensorOptions on_input = TensorOptions(kInt64).device(input.device());
  Tensor ri = tensor(rows, on_input), ci = tensor(cols, on_input);
  return (input.index_select(0, ri) - input.index_select(0, ci)).norm(Scalar(p), {1});
}

namespace {
// SELU's scale * alpha: where alpha dropout sends dropped values before its affine correction.
constexpr double kSeluAlpha = 1.7580993408473766;

// PyTorch's _dropout_impl: a Bernoulli(1 - p) mask (one value per channel for the feature forms),
// then input * mask / (1 - p), or the alpha form's a * (input * mask + alpha' * (mask - 1)) + alpha' a p.
// With `inplace`, input is multiplied (and shifted) in place, as torch.feature_dropout_ and friends.
Tensor dropout_impl(Tensor input, double p, bool train, bool feature, bool alpha, std::optional<Generator> gen,
                    bool inplace) {
  EMBER_CHECK_VALUE(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got ", p);
  if (p == 0 || !train || input.numel() == 0) return input;
  if (p == 1) return inplace ? input.mul_(zeros({}, input.options())) : input * zeros({}, input.options());
  DimVector shape(input.sizes());
  if (feature) {
    EMBER_CHECK(input.dim() >= 2, "Feature dropout requires at least 2 dimensions in the input");
    for (size_t i = 2; i < shape.size(); ++i) shape[i] = 1;
  }
  Tensor noise = empty(shape, input.options());
  noise.bernoulli_(1 - p, gen);
  if (!alpha) return inplace ? input.mul_(noise / (1 - p)) : input * (noise / (1 - p));
  const double a = 1.0 / std::sqrt((kSeluAlpha * kSeluAlpha * p + 1) * (1 - p));
  Tensor b = (noise - 1) * (kSeluAlpha * a) + kSeluAlpha * a * p;
  return inplace ? input.mul_(noise * a).add_(b) : input * (noise * a) + b;
}
}  // namespace

Tensor feature_dropout(const Tensor& input, double p, bool train, std::optional<Generator> gen) {
  return dropout_impl(input, p, train, true, false, gen, false);
}
Tensor alpha_dropout(const Tensor& input, double p, bool train, std::optional<Generator> gen) {
  return dropout_impl(input, p, train, false, true, gen, false);
}
Tensor feature_alpha_dropout(const Tensor& input, double p, bool train, std::optional<Generator> gen) {
  return dropout_impl(input, p, train, true, true, gen, false);
}
Tensor& feature_dropout_(Tensor& self, double p, bool train, std::optional<Generator> gen) {
  dropout_impl(self, p, train, true, false, gen, true);
  return self;
}
Tensor& alpha_dropout_(Tensor& self, double p, bool train, std::optional<Generator> gen) {
  dropout_impl(self, p, train, false, true, gen, true);
  return self;
}
Tensor& feature_alpha_dropout_(Tensor& self, double p, bool train, std::optional<Generator> gen) {
  dropout_impl(self, p, train, true, true, gen, true);
  return self;
}

}  // namespace ember
