// The fused multi-tensor optimizer steps (ember/ops/fused_optim.h): argument checks, the per-tensor
// scalars that depend on step counts (computed in double on the host, exactly as src/optim's CPU loops
// compute them), and one kernel call per list. Not differentiable, so the public functions live here.
#include <ember/ops/fused_optim.h>

#include <cmath>

#include "dispatch/optim_kernels.h"
#include "dispatch/registry.h"
#include "ops/ops.h"

namespace ember {

namespace {

// Every tensor of `list` is defined, contiguous, of its parameter's sizes and of params[0]'s dtype and
// device; an unused list (`used` false) is not looked at.
void check_list(const char* op, const char* name, TensorList list, TensorList params, bool used = true) {
  if (!used) return;
  EMBER_CHECK(list.size() == params.size(), op, ": expected ", params.size(), " tensors in ", name, ", got ",
              list.size());
  const Tensor& p0 = params[0];
  for (size_t i = 0; i < list.size(); ++i) {
    const Tensor& t = list[i];
    EMBER_CHECK(t.defined(), op, ": ", name, "[", i, "] is undefined");
    EMBER_CHECK(t.device() == p0.device(), op, ": expected all tensors on ", p0.device(), ", but ", name, "[", i,
                "] is on ", t.device());
    EMBER_CHECK(t.dtype() == p0.dtype(), op, ": expected all tensors of dtype ", p0.dtype(), ", but ", name, "[",
                i, "] is ", t.dtype());
    EMBER_CHECK(t.is_contiguous(), op, ": ", name, "[", i, "] is not contiguous");
    EMBER_CHECK(t.sizes().equals(params[i].sizes()), op, ": ", name, "[", i, "] has sizes ", t.sizes(),
                " but params[", i, "] has sizes ", params[i].sizes());
  }
}

// params and grads, and that the lists hold float32 or float64; false when there is nothing to do.
bool check_params(const char* op, TensorList params, TensorList grads) {
  if (params.empty()) {
    EMBER_CHECK(grads.empty(), op, ": expected 0 tensors in grads, got ", grads.size());
    return false;
  }
  EMBER_CHECK(params[0].defined(), op, ": params[0] is undefined");
  const DType dt = params[0].dtype();
  EMBER_CHECK(dt == kFloat32 || dt == kFloat64, op, ": parameters must be float32 or float64, got ", dt);
  check_list(op, "params", params, params);
  check_list(op, "grads", grads, params);
  return true;
}

void bump_versions(TensorList list, bool used = true) {
  if (!used) return;
  for (const Tensor& t : list) t.bump_version();
}

template <class Sig>
Sig* optim_kernel(const char* name, const Tensor& t) {
  return dispatch::kernel<Sig>(dispatch::slot(name), t.device().type());
}

void fused_adam(const char* op, TensorList params, TensorList grads, TensorList exp_avgs, TensorList exp_avg_sqs,
                TensorList max_exp_avg_sqs, ArrayRef<double> state_steps, const dispatch::FusedAdamOptions& o) {
  if (!check_params(op, params, grads)) return;
  check_list(op, "exp_avgs", exp_avgs, params);
  check_list(op, "exp_avg_sqs", exp_avg_sqs, params);
  check_list(op, "max_exp_avg_sqs", max_exp_avg_sqs, params, o.amsgrad);
  EMBER_CHECK(state_steps.size() == params.size(), op, ": expected ", params.size(), " values in state_steps, got ",
              state_steps.size());
  // src/optim/adam.cpp's factors, term for term.
  std::vector<double> step_sizes(params.size()), bc2_sqrts(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    const double step = state_steps[i];
    const double bc1 = 1 - std::pow(o.beta1, step), bc2 = 1 - std::pow(o.beta2, step);
    step_sizes[i] = o.lr / bc1;
    bc2_sqrts[i] = std::sqrt(bc2);
  }
  optim_kernel<dispatch::FusedAdamKernel>("_fused_adam_", params[0])(
      params, grads, exp_avgs, exp_avg_sqs, o.amsgrad ? max_exp_avg_sqs : TensorList(), step_sizes, bc2_sqrts, o);
  bump_versions(params);
  bump_versions(exp_avgs);
  bump_versions(exp_avg_sqs);
  bump_versions(max_exp_avg_sqs, o.amsgrad);
}

}  // namespace

void _fused_sgd_(TensorList params, TensorList grads, std::vector<Tensor>& momentum_buffer_list, double weight_decay,
                 double momentum, double lr, double dampening, bool nesterov, bool maximize) {
  const char* op = "_fused_sgd_";
  if (!check_params(op, params, grads)) return;
  const bool use_buffers = momentum != 0;
  std::vector<uint8_t> first;
  std::vector<Tensor> buffers;
  if (use_buffers) {
    EMBER_CHECK(momentum_buffer_list.size() == params.size(), op, ": expected ", params.size(),
                " tensors in momentum_buffer_list, got ", momentum_buffer_list.size());
    // The new buffers are checked with the others and enter the caller's list only after the step.
    for (size_t i = 0; i < params.size(); ++i) {
      const bool fresh = !momentum_buffer_list[i].defined();
      first.push_back(uint8_t(fresh));
      buffers.push_back(fresh ? ops::empty(params[i].sizes(), params[i].dtype(), params[i].device())
                              : momentum_buffer_list[i]);
    }
    check_list(op, "momentum_buffer_list", buffers, params);
  }
  const dispatch::FusedSGDOptions o{lr, momentum, dampening, weight_decay, nesterov, maximize};
  optim_kernel<dispatch::FusedSGDKernel>(op, params[0])(params, grads, buffers, first, o);
  bump_versions(params);
  bump_versions(buffers);
  if (use_buffers) momentum_buffer_list = std::move(buffers);
}

void _fused_adam_(TensorList params, TensorList grads, TensorList exp_avgs, TensorList exp_avg_sqs,
                  TensorList max_exp_avg_sqs, ArrayRef<double> state_steps, double lr, double beta1, double beta2,
                  double weight_decay, double eps, bool amsgrad, bool maximize) {
  fused_adam("_fused_adam_", params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps,
             {lr, beta1, beta2, weight_decay, eps, amsgrad, maximize, false});
}

void _fused_adamw_(TensorList params, TensorList grads, TensorList exp_avgs, TensorList exp_avg_sqs,
                   TensorList max_exp_avg_sqs, ArrayRef<double> state_steps, double lr, double beta1, double beta2,
                   double weight_decay, double eps, bool amsgrad, bool maximize) {
  fused_adam("_fused_adamw_", params, grads, exp_avgs, exp_avg_sqs, max_exp_avg_sqs, state_steps,
             {lr, beta1, beta2, weight_decay, eps, amsgrad, maximize, true});
}

void _fused_rmsprop_(TensorList params, TensorList grads, TensorList square_avgs, TensorList grad_avgs,
                     TensorList momentum_buffer_list, double lr, double alpha, double eps, double weight_decay,
                     double momentum, bool centered, bool maximize) {
  const char* op = "_fused_rmsprop_";
  if (!check_params(op, params, grads)) return;
  const bool use_buffers = momentum > 0;
  check_list(op, "square_avgs", square_avgs, params);
  check_list(op, "grad_avgs", grad_avgs, params, centered);
  check_list(op, "momentum_buffer_list", momentum_buffer_list, params, use_buffers);
  const dispatch::FusedRMSpropOptions o{lr, alpha, eps, weight_decay, momentum, centered, maximize};
  optim_kernel<dispatch::FusedRMSpropKernel>(op, params[0])(params, grads, square_avgs,
                                                             centered ? grad_avgs : TensorList(),
                                                             use_buffers ? momentum_buffer_list : TensorList(), o);
  bump_versions(params);
  bump_versions(square_avgs);
  bump_versions(grad_avgs, centered);
  bump_versions(momentum_buffer_list, use_buffers);
}

void _fused_amp_unscale_(TensorList grads, Tensor& found_inf, const Tensor& inv_scale) {
  const char* op = "_fused_amp_unscale_";
  if (grads.empty()) return;
  EMBER_CHECK(grads[0].defined(), op, ": grads[0] is undefined");
  const DType dt = grads[0].dtype();
  EMBER_CHECK(dt == kFloat32 || dt == kFloat64, op, ": gradients must be float32 or float64, got ", dt);
  check_list(op, "grads", grads, grads);
  for (const Tensor* t : {static_cast<const Tensor*>(&found_inf), &inv_scale}) {
    EMBER_CHECK(t->defined() && t->numel() == 1 && t->dtype() == kFloat32, op,
                ": found_inf and inv_scale must be one-element float32 tensors");
    EMBER_CHECK(t->device() == grads[0].device(), op, ": expected found_inf and inv_scale on ", grads[0].device(),
                ", got ", t->device());
  }
  optim_kernel<dispatch::AmpUnscaleKernel>("_fused_amp_unscale_", grads[0])(grads, found_inf, inv_scale);
  bump_versions(grads);
  found_inf.bump_version();
}

}  // namespace ember
