// Loss modules over the functional losses.
#include <ember/nn/functional/loss.h>
#include <ember/nn/modules/loss.h>

namespace ember::nn {

Tensor _Loss::call(tensor_list inputs) {
  if (!has_hooks()) return forward_inputs(inputs);
  const size_t n = inputs.size();
  return call_with_hooks(std::move(inputs), [this, n](const tensor_list& in) {
           EMBER_CHECK(in.size() == n, name(), ".forward takes ", n, " inputs but a forward pre-hook gave ", in.size());
           return tensor_list{forward_inputs(in)};
         })
      .at(0);
}

#define EMBER_LOSS2(Name, expr)                                                                            \
  Tensor Name::forward(const Tensor& input, const Tensor& target) { return expr; }                         \
  Tensor Name::forward_inputs(const tensor_list& in) { return forward(in.at(0), in.at(1)); }
#define EMBER_LOSS3(Name, A, B, C, expr)                                                                   \
  Tensor Name::forward(const Tensor& A, const Tensor& B, const Tensor& C) { return expr; }                 \
  Tensor Name::forward_inputs(const tensor_list& in) { return forward(in.at(0), in.at(1), in.at(2)); }

namespace F = functional;
EMBER_LOSS2(L1Loss, F::l1_loss(input, target, reduction))
EMBER_LOSS2(MSELoss, F::mse_loss(input, target, reduction))
EMBER_LOSS2(SmoothL1Loss, F::smooth_l1_loss(input, target, reduction, beta))
EMBER_LOSS2(HuberLoss, F::huber_loss(input, target, reduction, delta))
EMBER_LOSS2(SoftMarginLoss, F::soft_margin_loss(input, target, reduction))
EMBER_LOSS2(KLDivLoss, F::kl_div(input, target, reduction, log_target))
EMBER_LOSS2(PoissonNLLLoss, F::poisson_nll_loss(input, target, log_input, full, eps, reduction))
EMBER_LOSS3(GaussianNLLLoss, input, target, var, F::gaussian_nll_loss(input, target, var, full, eps, reduction))
EMBER_LOSS2(HingeEmbeddingLoss, F::hinge_embedding_loss(input, target, margin, reduction))
EMBER_LOSS3(CosineEmbeddingLoss, input1, input2, target,
            F::cosine_embedding_loss(input1, input2, target, margin, reduction))
EMBER_LOSS3(MarginRankingLoss, input1, input2, target, F::margin_ranking_loss(input1, input2, target, margin, reduction))
EMBER_LOSS3(TripletMarginLoss, anchor, positive, negative,
            F::triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap, reduction))
EMBER_LOSS2(NLLLoss, F::nll_loss(input, target, weight_opt(), ignore_index, reduction))
EMBER_LOSS2(CrossEntropyLoss, F::cross_entropy(input, target, weight_opt(), ignore_index, reduction, label_smoothing))
EMBER_LOSS2(BCELoss, F::binary_cross_entropy(input, target, weight_opt(), reduction))
EMBER_LOSS2(BCEWithLogitsLoss,
            F::binary_cross_entropy_with_logits(input, target,
                                                weight.defined() ? std::optional<Tensor>(weight) : std::nullopt,
                                                reduction,
                                                pos_weight.defined() ? std::optional<Tensor>(pos_weight) : std::nullopt))
EMBER_LOSS2(MultiLabelSoftMarginLoss, F::multilabel_soft_margin_loss(input, target, weight_opt(), reduction))
EMBER_LOSS2(MultiMarginLoss, F::multi_margin_loss(input, target, p, margin, weight_opt(), reduction))
#undef EMBER_LOSS2
#undef EMBER_LOSS3

Tensor CTCLoss::forward(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                        const Tensor& target_lengths) {
  return F::ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity);
}
Tensor CTCLoss::forward_inputs(const tensor_list& in) { return forward(in.at(0), in.at(1), in.at(2), in.at(3)); }

}  // namespace ember::nn
