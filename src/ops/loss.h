#pragma once
// Forward computations of the fused losses (no autograd): nll_loss and ctc_loss with their backward.
#include <ember/ops/loss.h>

#include "ops/ops.h"

namespace ember::ops {

// (output, total_weight): output has target's shape for reduction none, else 0-dim.
std::tuple<Tensor, Tensor> nll_loss(const Tensor& self, const Tensor& target, const Tensor& weight, int64_t reduction,
                                    int64_t ignore_index);
Tensor nll_loss_backward(const Tensor& grad, const Tensor& self, const Tensor& target, const Tensor& weight,
                         int64_t reduction, int64_t ignore_index, const Tensor& total_weight);
// The gradient of cross_entropy (log_softmax then nll_loss) with respect to its [N, C] input, from
// log_softmax's output logp, in one kernel (see dispatch::CrossEntropyBackwardKernel).
Tensor cross_entropy_backward(const Tensor& grad, const Tensor& logp, const Tensor& target, const Tensor& weight,
                              int64_t reduction, int64_t ignore_index, const Tensor& total_weight);

// The checked, int64 form of ctc_loss's arguments, shared by forward and backward.
struct CtcInputs {
  Tensor log_probs;  // [T, N, C], contiguous
  Tensor targets;    // int64, contiguous
  std::vector<int64_t> input_lengths, target_lengths, target_offsets;
  int64_t blank = 0, max_target_length = 0;
  bool unbatched = false;
};
CtcInputs ctc_inputs(const Tensor& log_probs, const Tensor& targets, IntArrayRef input_lengths,
                     IntArrayRef target_lengths, int64_t blank);
// (neg_log_likelihood [N], log_alpha)
std::tuple<Tensor, Tensor> ctc_loss(const CtcInputs& in);
Tensor ctc_loss_backward(const Tensor& grad, const CtcInputs& in, const Tensor& neg_log_likelihood,
                         const Tensor& log_alpha, bool zero_infinity);

}  // namespace ember::ops
