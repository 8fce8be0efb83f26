#pragma once
// Kernel signatures of the fused optimizer updates (src/ops/fused_optim.cpp): one call updates every
// tensor of the lists in place, in the parameters' dtype, term by term in the order of the CPU loops
// in src/optim. The lists hold one tensor per parameter, all contiguous, of one dtype (float32 or
// float64), on one device, each with its parameter's sizes; the list of a state an option leaves
// unused (max_exp_avg_sqs without amsgrad, ...) is empty. Scalars that depend on a parameter's step
// count come per tensor, computed on the host.
#include <cstdint>

#include <ember/tensor.h>

namespace ember::dispatch {

struct FusedSGDOptions {
  double lr, momentum, dampening, weight_decay;
  bool nesterov, maximize;
};

struct FusedAdamOptions {
  double lr, beta1, beta2, weight_decay, eps;
  bool amsgrad, maximize;
  bool decoupled;  // AdamW: the parameter shrinks by lr * weight_decay instead of the gradient growing
};

struct FusedRMSpropOptions {
  double lr, alpha, eps, weight_decay, momentum;
  bool centered, maximize;
};

// momentum_buffers: empty when momentum == 0. first[i] != 0: buffer i is new (written, never read), so
// this step stores the update direction itself in it, as torch.optim.SGD's first step does.
using FusedSGDKernel = void(ArrayRef<Tensor> params, ArrayRef<Tensor> grads, ArrayRef<Tensor> momentum_buffers,
                            ArrayRef<uint8_t> first, const FusedSGDOptions& o);
// step_sizes[i] = lr / (1 - beta1^step_i), bias_correction2_sqrts[i] = sqrt(1 - beta2^step_i).
using FusedAdamKernel = void(ArrayRef<Tensor> params, ArrayRef<Tensor> grads, ArrayRef<Tensor> exp_avgs,
                             ArrayRef<Tensor> exp_avg_sqs, ArrayRef<Tensor> max_exp_avg_sqs,
                             ArrayRef<double> step_sizes, ArrayRef<double> bias_correction2_sqrts,
                             const FusedAdamOptions& o);
// grad_avgs: empty unless centered; momentum_buffers: empty unless momentum > 0.
using FusedRMSpropKernel = void(ArrayRef<Tensor> params, ArrayRef<Tensor> grads, ArrayRef<Tensor> square_avgs,
                                ArrayRef<Tensor> grad_avgs, ArrayRef<Tensor> momentum_buffers,
                                const FusedRMSpropOptions& o);

// GradScaler's unscale (torch._amp_foreach_non_finite_check_and_unscale_): every gradient (contiguous,
// one dtype, float32 or float64) multiplied in place by *inv_scale, and found_inf set to 1 where one
// held an inf or NaN before. found_inf and inv_scale are one-element float32 tensors on the gradients'
// device, read and written there.
using AmpUnscaleKernel = void(ArrayRef<Tensor> grads, const Tensor& found_inf, const Tensor& inv_scale);

}  // namespace ember::dispatch
