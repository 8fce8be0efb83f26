// Public batch_norm, layer_norm, group_norm and instance_norm. batch_norm and layer_norm run fused
// kernels forward and backward; when the backward itself is recorded (create_graph), it is written
// with public ops from the input instead, so double backward works.
#include <ember/autocast.h>
#include <ember/ops/norm.h>
#include <ember/ops/reduce.h>
#include <ember/ops/shape.h>

#include "autograd/record.h"
#include "ops/norm.h"
#include "ops/ops.h"

namespace ember {

namespace {
using autograd::SavedVariable;

// Sizes with C at dim 1 and 1 elsewhere, to broadcast a per-channel vector over (N, C, *).
DimVector channel_shape(const Tensor& x) {
  DimVector s(size_t(x.dim()), 1);
  s[1] = x.size(1);
  return s;
}

DimVector reduce_all_but_channel(const Tensor& x) {
  DimVector d;
  for (int64_t i = 0; i < x.dim(); ++i)
    if (i != 1) d.push_back(i);
  return d;
}

// dx given g = dy * weight, the normalised input xhat and its inverse std, for normalisation over
// `dims`: invstd * (g - mean(g) - xhat * mean(g * xhat)).
Tensor normalized_input_grad(const Tensor& g, const Tensor& xhat, const Tensor& invstd, IntArrayRef dims) {
  return invstd * (g - g.mean(dims, true) - xhat * (g * xhat).mean(dims, true));
}

// batch_norm's backward in public ops (differentiable again). In training the statistics are
// recomputed from x so their dependence on x is part of the graph.
tensor_list batch_norm_backward_graph(const Tensor& dy, const Tensor& x, const Tensor& weight,
                                      const Tensor& save_mean, const Tensor& save_invstd, bool train, double eps,
                                      std::array<bool, 3> mask) {
  DimVector cs = channel_shape(x), dims = reduce_all_but_channel(x);
  Tensor mean, invstd;
  if (train) {
    mean = x.mean(dims, true);
    invstd = rsqrt(((x - mean) * (x - mean)).mean(dims, true) + eps);
  } else {
    mean = save_mean.to(x.dtype()).view(cs);
    invstd = save_invstd.to(x.dtype()).view(cs);
  }
  Tensor xhat = (x - mean) * invstd;
  Tensor w = weight.defined() ? weight.view(cs) : Tensor();
  Tensor g = w.defined() ? dy * w : dy;
  tensor_list r(3);
  if (mask[0]) r[0] = train ? normalized_input_grad(g, xhat, invstd, dims) : g * invstd;
  if (mask[1]) r[1] = (dy * xhat).sum(dims);
  if (mask[2]) r[2] = dy.sum(dims);
  return r;
}

tensor_list layer_norm_backward_graph(const Tensor& dy, const Tensor& x, IntArrayRef normalized_shape,
                                      const Tensor& weight, double eps, std::array<bool, 3> mask) {
  DimVector dims, lead;
  const int64_t lead_dims = x.dim() - int64_t(normalized_shape.size());
  for (int64_t i = 0; i < x.dim(); ++i) (i < lead_dims ? lead : dims).push_back(i);
  Tensor mean = x.mean(dims, true);
  Tensor invstd = rsqrt(((x - mean) * (x - mean)).mean(dims, true) + eps);
  Tensor xhat = (x - mean) * invstd;
  Tensor g = weight.defined() ? dy * weight : dy;
  tensor_list r(3);
  if (mask[0]) r[0] = normalized_input_grad(g, xhat, invstd, dims);
  if (mask[1] && weight.defined()) r[1] = lead.empty() ? dy * xhat : (dy * xhat).sum(lead);
  if (mask[2]) r[2] = lead.empty() ? dy : dy.sum(lead);
  return r;
}

std::array<bool, 3> wanted(const autograd::Node& node) {
  return {node.should_compute_output(0), node.should_compute_output(1), node.should_compute_output(2)};
}
}  // namespace

Tensor batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                  const Tensor& running_var, bool training, double momentum, double eps) {
  auto [out, save_mean, save_invstd] =
      ops::batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps);
  if (autograd::any_requires_grad({&input, &weight, &bias})) {
    autograd::record("NativeBatchNormBackward0", {&out}, {&input, &weight, &bias},
                     [input_ = SavedVariable(input, false), weight_ = SavedVariable(weight, false), save_mean,
                      save_invstd, training, eps](autograd::Node& node, const tensor_list& g) -> tensor_list {
                       Tensor x = input_.unpack(), w = weight_.unpack();
                       std::array<bool, 3> mask = wanted(node);
                       if (GradMode::is_enabled())
                         return batch_norm_backward_graph(g[0], x, w, save_mean, save_invstd, training, eps, mask);
                       auto [dx, dw, db] =
                           ops::batch_norm_backward(g[0], x, w, save_mean, save_invstd, training, mask);
                       return {dx, dw, db};
                     });
  }
  return out;
}

Tensor layer_norm(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight, const Tensor& bias,
                  double eps) {
  EMBER_AUTOCAST("layer_norm", layer_norm, input, normalized_shape, weight, bias, eps);
  auto [out, mean, rstd] = ops::layer_norm(input, normalized_shape, weight, bias, eps);
  if (autograd::any_requires_grad({&input, &weight, &bias})) {
    autograd::record("NativeLayerNormBackward0", {&out}, {&input, &weight, &bias},
                     [input_ = SavedVariable(input, false), weight_ = SavedVariable(weight, false), mean, rstd,
                      shape = DimVector(normalized_shape), eps](autograd::Node& node,
                                                                const tensor_list& g) -> tensor_list {
                       Tensor x = input_.unpack(), w = weight_.unpack();
                       std::array<bool, 3> mask = wanted(node);
                       if (GradMode::is_enabled()) return layer_norm_backward_graph(g[0], x, shape, w, eps, mask);
                       auto [dx, dw, db] = ops::layer_norm_backward(g[0], x, shape, mean, rstd, w, mask);
                       return {dx, dw, db};
                     });
  }
  return out;
}

Tensor group_norm(const Tensor& input, int64_t num_groups, const Tensor& weight, const Tensor& bias, double eps) {
  EMBER_AUTOCAST("group_norm", group_norm, input, num_groups, weight, bias, eps);
  EMBER_CHECK_INDEX(input.dim() >= 2, "Dimension out of range (expected to be in range of [", -std::max<int64_t>(1, input.dim()),
                    ", ", std::max<int64_t>(1, input.dim()) - 1, "], but got 1)");
  const int64_t N = input.size(0), C = input.size(1);
  EMBER_CHECK(num_groups > 0 && C % num_groups == 0,
              "Expected number of channels in input to be divisible by num_groups, but got input of shape ",
              input.sizes(), " and num_groups=", num_groups);
  EMBER_CHECK(!weight.defined() || (weight.dim() == 1 && weight.numel() == C),
              "Expected weight to be a vector of size equal to the number of channels in input, but got weight of "
              "shape ", weight.sizes(), " and input of shape ", input.sizes());
  EMBER_CHECK(!bias.defined() || (bias.dim() == 1 && bias.numel() == C),
              "Expected bias to be a vector of size equal to the number of channels in input, but got bias of "
              "shape ", bias.sizes(), " and input of shape ", input.sizes());
  EMBER_CHECK(input.is_floating_point(), "\"GroupNormKernelImpl\" not implemented for '",
              dtype_title(input.dtype()), "'");
  // Each (sample, group) is one row normalised by layer_norm's kernel; the affine part is per channel.
  const int64_t D = N * C == 0 ? 0 : input.numel() / (N * num_groups);
  Tensor rows = input.reshape({N * num_groups, D});
  Tensor y = layer_norm(rows, {D}, {}, {}, eps).view(input.sizes());
  DimVector cs = channel_shape(input);
  if (weight.defined()) y = y * weight.view(cs);
  if (bias.defined()) y = y + bias.view(cs);
  return y;
}

Tensor instance_norm(const Tensor& input, const Tensor& weight, const Tensor& bias, const Tensor& running_mean,
                     const Tensor& running_var, bool use_input_stats, double momentum, double eps) {
  EMBER_CHECK(use_input_stats || (running_mean.defined() && running_var.defined()),
              "Expected running_mean and running_var to be defined when use_input_stats is false");
  EMBER_CHECK_INDEX(input.dim() >= 2, "Dimension out of range (expected to be in range of [", -std::max<int64_t>(1, input.dim()),
                    ", ", std::max<int64_t>(1, input.dim()) - 1, "], but got 1)");
  // As PyTorch: batch_norm over (1, N * C, *) with the per-channel tensors repeated N times.
  const int64_t N = input.size(0), C = input.size(1);
  DimVector shape(input.sizes());
  shape[0] = 1;
  shape[1] = N * C;
  auto repeated = [N](const Tensor& t) { return t.defined() ? t.repeat({N}) : Tensor(); };
  Tensor rm = repeated(running_mean), rv = repeated(running_var);
  Tensor out = batch_norm(input.contiguous().view(shape), repeated(weight), repeated(bias), rm, rv, use_input_stats,
                          momentum, eps);
  out = out.view(input.sizes());
  NoGradGuard no_grad;
  if (running_mean.defined()) Tensor(running_mean).copy_(rm.view({N, C}).mean({0}));
  if (running_var.defined()) Tensor(running_var).copy_(rv.view({N, C}).mean({0}));
  return out;
}

}  // namespace ember
