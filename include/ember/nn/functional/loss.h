#pragma once
// torch.nn.functional's losses: the ops of ember/ops/loss.h with F.'s names, argument order and
// defaults, reduction as "none" / "mean" / "sum" (kl_div also "batchmean").
#include <string_view>

#include <ember/core/error.h>
#include <ember/ops/loss.h>
#include <ember/ops/pointwise.h>

namespace ember::nn::functional {

inline int64_t reduction_enum(std::string_view reduction) {
  if (reduction == "none") return Reduction::None;
  if (reduction == "mean") return Reduction::Mean;
  if (reduction == "sum") return Reduction::Sum;
  throw ValueError(std::string(reduction) + " is not a valid value for reduction");
}

inline Tensor nll_loss(const Tensor& input, const Tensor& target, const std::optional<Tensor>& weight = std::nullopt,
                       int64_t ignore_index = -100, std::string_view reduction = "mean") {
  return ember::nll_loss(input, target, weight, reduction_enum(reduction), ignore_index);
}
inline Tensor cross_entropy(const Tensor& input, const Tensor& target,
                            const std::optional<Tensor>& weight = std::nullopt, int64_t ignore_index = -100,
                            std::string_view reduction = "mean", double label_smoothing = 0.0) {
  return ember::cross_entropy_loss(input, target, weight, reduction_enum(reduction), ignore_index, label_smoothing);
}
inline Tensor binary_cross_entropy(const Tensor& input, const Tensor& target,
                                   const std::optional<Tensor>& weight = std::nullopt,
                                   std::string_view reduction = "mean") {
  return ember::binary_cross_entropy(input, target, weight, reduction_enum(reduction));
}
inline Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                               const std::optional<Tensor>& weight = std::nullopt,
                                               std::string_view reduction = "mean",
                                               const std::optional<Tensor>& pos_weight = std::nullopt) {
  return ember::binary_cross_entropy_with_logits(input, target, weight, pos_weight, reduction_enum(reduction));
}
inline Tensor mse_loss(const Tensor& input, const Tensor& target, std::string_view reduction = "mean") {
  return ember::mse_loss(input, target, reduction_enum(reduction));
}
inline Tensor l1_loss(const Tensor& input, const Tensor& target, std::string_view reduction = "mean") {
  return ember::l1_loss(input, target, reduction_enum(reduction));
}
inline Tensor smooth_l1_loss(const Tensor& input, const Tensor& target, std::string_view reduction = "mean",
                             double beta = 1.0) {
  return ember::smooth_l1_loss(input, target, reduction_enum(reduction), beta);
}
inline Tensor huber_loss(const Tensor& input, const Tensor& target, std::string_view reduction = "mean",
                         double delta = 1.0) {
  return ember::huber_loss(input, target, reduction_enum(reduction), delta);
}
inline Tensor soft_margin_loss(const Tensor& input, const Tensor& target, std::string_view reduction = "mean") {
  return ember::soft_margin_loss(input, target, reduction_enum(reduction));
}
// "batchmean" divides the summed loss by the batch size (input.size(0)); "mean" by the element count.
inline Tensor kl_div(const Tensor& input, const Tensor& target, std::string_view reduction = "mean",
                     bool log_target = false) {
  if (reduction == "batchmean") {
    Tensor s = ember::kl_div(input, target, Reduction::Sum, log_target);
    return input.dim() == 0 ? s : s / double(input.size(0));
  }
  return ember::kl_div(input, target, reduction_enum(reduction), log_target);
}
inline Tensor poisson_nll_loss(const Tensor& input, const Tensor& target, bool log_input = true, bool full = false,
                               double eps = 1e-8, std::string_view reduction = "mean") {
  return ember::poisson_nll_loss(input, target, log_input, full, eps, reduction_enum(reduction));
}
inline Tensor gaussian_nll_loss(const Tensor& input, const Tensor& target, const Tensor& var, bool full = false,
                                double eps = 1e-6, std::string_view reduction = "mean") {
  return ember::gaussian_nll_loss(input, target, var, full, eps, reduction_enum(reduction));
}
inline Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                                    double margin = 0.0, std::string_view reduction = "mean") {
  return ember::cosine_embedding_loss(input1, input2, target, margin, reduction_enum(reduction));
}
inline Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                                  double margin = 0.0, std::string_view reduction = "mean") {
  return ember::margin_ranking_loss(input1, input2, target, margin, reduction_enum(reduction));
}
inline Tensor hinge_embedding_loss(const Tensor& input, const Tensor& target, double margin = 1.0,
                                   std::string_view reduction = "mean") {
  return ember::hinge_embedding_loss(input, target, margin, reduction_enum(reduction));
}
inline Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                                  double margin = 1.0, double p = 2, double eps = 1e-6, bool swap = false,
                                  std::string_view reduction = "mean") {
  return ember::triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap, reduction_enum(reduction));
}
inline Tensor multilabel_soft_margin_loss(const Tensor& input, const Tensor& target,
                                          const std::optional<Tensor>& weight = std::nullopt,
                                          std::string_view reduction = "mean") {
  return ember::multilabel_soft_margin_loss(input, target, weight, reduction_enum(reduction));
}
inline Tensor multi_margin_loss(const Tensor& input, const Tensor& target, int64_t p = 1, double margin = 1.0,
                                const std::optional<Tensor>& weight = std::nullopt,
                                std::string_view reduction = "mean") {
  return ember::multi_margin_loss(input, target, p, margin, weight, reduction_enum(reduction));
}
inline Tensor multilabel_margin_loss(const Tensor& input, const Tensor& target, std::string_view reduction = "mean") {
  return ember::multilabel_margin_loss(input, target, reduction_enum(reduction));
}
inline Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, IntArrayRef input_lengths,
                       IntArrayRef target_lengths, int64_t blank = 0, std::string_view reduction = "mean",
                       bool zero_infinity = false) {
  return ember::ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, reduction_enum(reduction),
                         zero_infinity);
}
inline Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                       const Tensor& target_lengths, int64_t blank = 0, std::string_view reduction = "mean",
                       bool zero_infinity = false) {
  return ember::ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, reduction_enum(reduction),
                         zero_infinity);
}

}  // namespace ember::nn::functional
