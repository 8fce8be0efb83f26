// batch_norm and layer_norm without autograd: PyTorch's argument checks, the compute dtype, the
// running-stat update, and the calls into the fused kernels (src/backend/cpu/vec/norm_kernels.cpp).
#include "ops/norm.h"

#include <cmath>

#include "dispatch/norm_kernels.h"
#include "dispatch/registry.h"
#include "ops/compute_dtype.h"
#include "ops/ops.h"

namespace ember::ops {

namespace {
// A contiguous copy (or the tensor itself) in the compute dtype; undefined stays undefined.
Tensor prepared(const Tensor& t, DType ct) { return t.defined() ? contiguous(cast(t, ct)) : Tensor(); }

void check_features(const char* name, int64_t expected, const Tensor& t) {
  if (t.defined())
    EMBER_CHECK(t.numel() == expected, name, " should contain ", expected, " elements not ", t.numel());
}

// running = momentum * batch + (1 - momentum) * running, in the running tensor's dtype.
void update_running(const Tensor& running, const Tensor& batch, double momentum) {
  Tensor r = running;
  Tensor b = cast(batch, running.dtype());
  Tensor next = ops::add(ops::mul(b, wrap_scalar(b, momentum)), ops::mul(r, wrap_scalar(r, 1 - momentum)), 1);
  copy_(r, view(next, r.sizes()));
  r.bump_version();
}

template <class Sig>
Sig* norm_kernel(const char* name, const Tensor& t) {
  return dispatch::kernel<Sig>(dispatch::slot(name), t.device().type());
}
}  // namespace

std::tuple<Tensor, Tensor, Tensor> batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias,
                                              const Tensor& running_mean, const Tensor& running_var, bool training,
                                              double momentum, double eps) {
  // PyTorch reads the channel count as input.size(1), which a 1-D input lacks (it then reports 0).
  const int64_t C = input.dim() >= 2 ? input.size(1) : 0;
  check_features("running_mean", C, running_mean);
  if (!running_mean.defined() && !training) throw Error("running_mean must be defined in evaluation mode");
  check_features("running_var", C, running_var);
  if (!running_var.defined() && !training) throw Error("running_var must be defined in evaluation mode");
  check_features("weight", C, weight);
  check_features("bias", C, bias);
  EMBER_CHECK(input.dim() >= 2, "batch_norm: expected an input with at least 2 dimensions (N, C, *), but got ",
              input.dim(), "-D input");
  EMBER_CHECK(input.is_floating_point(), "\"batch_norm\" not implemented for '", dtype_title(input.dtype()), "'");
  const DType ct = float_or_double_dtype(input.dtype());
  const int64_t N = input.size(0), M = C > 0 && N > 0 ? input.numel() / (N * C) : 1;
  Tensor x = view(prepared(input, ct), {N, C, M});
  Tensor mean = empty({C}, ct, input.device()), invstd = empty({C}, ct, input.device());
  if (training) {
    if (N * M == 0) {
      fill_(mean, std::nan(""));
      fill_(invstd, std::nan(""));
    } else {
      Tensor var = running_var.defined() ? empty({C}, ct, input.device()) : Tensor();
      norm_kernel<dispatch::BatchNormStatsKernel>("batch_norm_stats", x)(x, eps, mean, invstd, var);
      if (running_mean.defined()) update_running(running_mean, mean, momentum);
      if (running_var.defined()) update_running(running_var, var, momentum);
    }
  } else {
    copy_(mean, view(cast(running_mean, ct), {C}));
    Tensor rv = cast(running_var, ct);
    copy_(invstd, view(ops::rsqrt(ops::add(rv, wrap_scalar(rv, eps), 1)), {C}));
  }
  Tensor out = empty({N, C, M}, ct, input.device());
  if (out.numel() > 0)
    norm_kernel<dispatch::BatchNormApplyKernel>("batch_norm_apply", x)(x, mean, invstd, prepared(weight, ct),
                                                                       prepared(bias, ct), out);
  return {cast(view(out, input.sizes()), input.dtype()), mean, invstd};
}

std::tuple<Tensor, Tensor, Tensor> batch_norm_backward(const Tensor& grad_out, const Tensor& input,
                                                       const Tensor& weight, const Tensor& save_mean,
                                                       const Tensor& save_invstd, bool train,
                                                       std::array<bool, 3> mask) {
  const DType ct = float_or_double_dtype(input.dtype());
  const int64_t N = input.size(0), C = input.size(1), M = C > 0 && N > 0 ? input.numel() / (N * C) : 1;
  Tensor x = view(prepared(input, ct), {N, C, M});
  Tensor dy = view(prepared(grad_out, ct), {N, C, M});
  Tensor dx = mask[0] ? empty({N, C, M}, ct, input.device()) : Tensor();
  Tensor dw = mask[1] ? empty({C}, ct, input.device()) : Tensor();
  Tensor db = mask[2] ? empty({C}, ct, input.device()) : Tensor();
  if (N * M == 0) {
    for (Tensor* t : {&dw, &db})
      if (t->defined()) fill_(*t, 0);
  } else {
    norm_kernel<dispatch::BatchNormBackwardKernel>("batch_norm_backward", x)(
        dy, x, prepared(save_mean, ct), prepared(save_invstd, ct), prepared(weight, ct), train, dx, dw, db);
  }
  if (dx.defined()) dx = cast(view(dx, input.sizes()), input.dtype());
  DType wt = weight.defined() ? weight.dtype() : input.dtype();
  if (dw.defined()) dw = cast(dw, wt);
  if (db.defined()) db = cast(db, wt);
  return {dx, dw, db};
}

void check_layer_norm_shapes(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight,
                             const Tensor& bias) {
  const int64_t nd = int64_t(normalized_shape.size());
  EMBER_CHECK(nd >= 1, "Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
                       "element, but got normalized_shape = ", normalized_shape);
  EMBER_CHECK(!weight.defined() || weight.sizes().equals(normalized_shape),
              "Expected weight to be of same shape as normalized_shape, but got weight of shape ", weight.sizes(),
              " and normalized_shape = ", normalized_shape);
  EMBER_CHECK(!bias.defined() || bias.sizes().equals(normalized_shape),
              "Expected bias to be of same shape as normalized_shape, but got bias of shape ", bias.sizes(),
              " and normalized_shape = ", normalized_shape);
  bool ok = input.dim() >= nd;
  for (int64_t i = 0; ok && i < nd; ++i) ok = input.size(input.dim() - nd + i) == normalized_shape[size_t(i)];
  EMBER_CHECK(ok, "Given normalized_shape=", normalized_shape, ", expected input with shape [*",
              [&] {
                std::string s;
                for (int64_t v : normalized_shape) s += ", " + std::to_string(v);
                return s;
              }(),
              "], but got input of size", input.sizes());
}

namespace {
// (rows, row length) of a layer_norm input, and the shape of its mean and rstd.
struct RowSplit {
  int64_t R = 1, D = 1;
  DimVector stat_shape;
  RowSplit(const Tensor& input, IntArrayRef normalized_shape) {
    const int64_t lead = input.dim() - int64_t(normalized_shape.size());
    for (int64_t i = 0; i < input.dim(); ++i) {
      (i < lead ? R : D) *= input.size(i);
      stat_shape.push_back(i < lead ? input.size(i) : 1);
    }
  }
};
}  // namespace

std::tuple<Tensor, Tensor, Tensor> layer_norm(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight,
                                              const Tensor& bias, double eps) {
  check_layer_norm_shapes(input, normalized_shape, weight, bias);
  EMBER_CHECK(input.is_floating_point(), "\"LayerNormKernelImpl\" not implemented for '",
              dtype_title(input.dtype()), "'");
  const DType ct = float_or_double_dtype(input.dtype());
  RowSplit s(input, normalized_shape);
  Tensor x = view(prepared(input, ct), {s.R, s.D});
  Tensor out = empty({s.R, s.D}, ct, input.device());
  Tensor mean = empty({s.R}, ct, input.device()), rstd = empty({s.R}, ct, input.device());
  if (s.R > 0)
    norm_kernel<dispatch::LayerNormKernel>("layer_norm", x)(x, prepared(weight, ct), prepared(bias, ct), eps, out,
                                                            mean, rstd);
  return {cast(view(out, input.sizes()), input.dtype()), view(mean, s.stat_shape), view(rstd, s.stat_shape)};
}

std::tuple<Tensor, Tensor, Tensor> layer_norm_backward(const Tensor& grad_out, const Tensor& input,
                                                       IntArrayRef normalized_shape, const Tensor& mean,
                                                       const Tensor& rstd, const Tensor& weight,
                                                       std::array<bool, 3> mask) {
  const DType ct = float_or_double_dtype(input.dtype());
  RowSplit s(input, normalized_shape);
  Tensor x = view(prepared(input, ct), {s.R, s.D});
  Tensor dy = view(prepared(grad_out, ct), {s.R, s.D});
  Tensor dx = mask[0] ? empty({s.R, s.D}, ct, input.device()) : Tensor();
  Tensor dw = mask[1] && weight.defined() ? empty({s.D}, ct, input.device()) : Tensor();
  Tensor db = mask[2] ? empty({s.D}, ct, input.device()) : Tensor();
  norm_kernel<dispatch::LayerNormBackwardKernel>("layer_norm_backward", x)(
      dy, x, view(prepared(mean, ct), {s.R}), view(prepared(rstd, ct), {s.R}), prepared(weight, ct), dx, dw, db);
  if (dx.defined()) dx = cast(view(dx, input.sizes()), input.dtype());
  DType wt = weight.defined() ? weight.dtype() : input.dtype();
  if (dw.defined()) dw = cast(view(dw, normalized_shape), wt);
  if (db.defined()) db = cast(view(db, normalized_shape), wt);
  return {dx, dw, db};
}

}  // namespace ember::ops
