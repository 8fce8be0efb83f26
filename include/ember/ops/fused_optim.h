#pragma once
// Fused multi-tensor optimizer steps, as torch._fused_sgd_ / _fused_adam_ / _fused_adamw_: one call
// updates a whole list of parameters and their state buffers in place, one kernel launch for the list.
// ember's optimizers (SGD, Adam, AdamW, RMSprop) use them for parameters on a GPU; they compute exactly
// what the optimizers' CPU loops compute, in the parameters' dtype and order of operations.
//
// Every tensor must be defined, contiguous and of its parameter's sizes, and all of one dtype (float32
// or float64) and one device. Each list has one tensor per parameter, except that a state list an option
// does not use is ignored and may be empty (max_exp_avg_sqs without amsgrad, grad_avgs unless centered,
// momentum buffers without momentum). Not differentiable: call them under NoGradGuard, as optimizers do.
// Only CUDA kernels exist; CPU tensors raise NotImplementedError.
#include <vector>

#include <ember/core/array_ref.h>
#include <ember/tensor.h>

namespace ember {

using TensorList = ArrayRef<Tensor>;

// torch.optim.SGD's step. With momentum != 0, momentum_buffer_list has one entry per parameter; an
// undefined entry (a parameter's first step) is replaced by a new buffer holding that step's direction.
void _fused_sgd_(TensorList params, TensorList grads, std::vector<Tensor>& momentum_buffer_list,
                 double weight_decay, double momentum, double lr, double dampening, bool nesterov, bool maximize);

// torch.optim.Adam's step. state_steps[i]: parameter i's step count, already incremented for this step
// (its bias corrections 1 - beta^step are computed in double on the host).
void _fused_adam_(TensorList params, TensorList grads, TensorList exp_avgs, TensorList exp_avg_sqs,
                  TensorList max_exp_avg_sqs, ArrayRef<double> state_steps, double lr, double beta1, double beta2,
                  double weight_decay, double eps, bool amsgrad, bool maximize);
// torch.optim.AdamW's step: as _fused_adam_ with decoupled weight decay.
void _fused_adamw_(TensorList params, TensorList grads, TensorList exp_avgs, TensorList exp_avg_sqs,
                   TensorList max_exp_avg_sqs, ArrayRef<double> state_steps, double lr, double beta1, double beta2,
                   double weight_decay, double eps, bool amsgrad, bool maximize);

// torch.optim.RMSprop's step.
void _fused_rmsprop_(TensorList params, TensorList grads, TensorList square_avgs, TensorList grad_avgs,
                     TensorList momentum_buffer_list, double lr, double alpha, double eps, double weight_decay,
                     double momentum, bool centered, bool maximize);

// GradScaler's unscale of a list of gradients in one launch: each multiplied in place by inv_scale,
// found_inf set to 1 if any held an inf or NaN. The gradients must be defined, contiguous, of one dtype
// (float32 or float64) and on the device of found_inf and inv_scale (one-element float32 tensors).
void _fused_amp_unscale_(TensorList grads, Tensor& found_inf, const Tensor& inv_scale);

}  // namespace ember
