#pragma once
// Kernel signatures of the fused losses: nll_loss (the second half of cross_entropy) and ctc_loss.
#include <ember/tensor.h>

namespace ember::dispatch {

// nll_loss sees input as a contiguous [N, C, S] (S = 1 without extra dims) and target as N * S int64.
struct NllGeometry {
  int64_t N, C, S;
};
// Checks every target first (IndexError "Target t is out of bounds."), then writes output (N * S
// losses for reduction none, else one value) and total_weight (0-dim: the summed weights of the targets
// that count). weight is undefined or [C]; all tensors contiguous, input's dtype float32 or float64.
using NllLossKernel = void(const Tensor& input, const Tensor& target, const Tensor& weight, Tensor& output,
                           Tensor& total_weight, const NllGeometry& g, int64_t reduction, int64_t ignore_index);
// grad_input (zero-filled [N, C, S]) gets -weight[t] * grad at each target (divided by total_weight for
// the mean); grad is N * S values for reduction none, else one.
using NllLossBackwardKernel = void(const Tensor& grad, const Tensor& target, const Tensor& weight,
                                   const Tensor& total_weight, Tensor& grad_input, const NllGeometry& g,
                                   int64_t reduction, int64_t ignore_index);

// cross_entropy's gradient in one pass, the fusion of nll_loss's backward and log_softmax's: with
// s = -weight[t] * grad (grad / total_weight for the mean; 0 for an ignored target), row i of
// grad_input [N, C] is onehot(t) * s - exp(logp) * s, the very terms and rounding of the two kernels it
// replaces. logp is log_softmax's output [N, C]; all contiguous, float32 or float64.
using CrossEntropyBackwardKernel = void(const Tensor& grad, const Tensor& logp, const Tensor& target,
                                        const Tensor& weight, const Tensor& total_weight, Tensor& grad_input,
                                        int64_t reduction, int64_t ignore_index);

// ctc_loss over log_probs [T, N, C] (contiguous): per sample b, input_lengths[b] frames and the
// target_lengths[b] labels that start at targets + target_offsets[b] (int64). Lengths and labels are
// checked by the op before the kernel runs.
struct CtcArgs {
  const int64_t* input_lengths;
  const int64_t* target_lengths;
  const int64_t* target_offsets;
  int64_t blank;
  int64_t max_target_length;
};
// neg_log_likelihood [N]; log_alpha [N, T, 2 * max_target_length + 1], the forward variables in log space.
using CtcLossKernel = void(const Tensor& log_probs, const Tensor& targets, const CtcArgs& a, Tensor& neg_log_likelihood,
                           Tensor& log_alpha);
// PyTorch's gradient with respect to log_probs [T, N, C] for per-sample upstream grad [N]:
// exp(lp) - exp(log(sum over the label's positions of alpha * beta) + nll - lp), zero beyond a sample's
// length (and for infinite losses with zero_infinity).
using CtcLossBackwardKernel = void(const Tensor& grad, const Tensor& log_probs, const Tensor& targets, const CtcArgs& a,
                                   const Tensor& neg_log_likelihood, const Tensor& log_alpha, bool zero_infinity,
                                   Tensor& grad_log_probs);

}  // namespace ember::dispatch
