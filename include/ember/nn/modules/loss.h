#pragma once
// Loss modules: PyTorch's constructor arguments without the deprecated size_average/reduce, reduction
// "none" / "mean" / "sum" (KLDivLoss also "batchmean"). A class weight (and BCEWithLogitsLoss's
// pos_weight) is a buffer named as in PyTorch, so it appears in state_dict when given. Losses take two or
// more inputs, so each declares forward(...) and an operator() that runs the module hooks.
#include <optional>
#include <string>
#include <string_view>

#include <ember/nn/module.h>

namespace ember::nn {

class _Loss : public Module {
 public:
  explicit _Loss(std::string_view reduction) : reduction(reduction) {}
  std::string reduction;

 protected:
  // forward_inputs under the module hooks.
  Tensor call(tensor_list inputs);
  virtual Tensor forward_inputs(const tensor_list& inputs) = 0;
};

// A loss holding a class weight buffer ("weight"; absent from state_dict when not given).
class _WeightedLoss : public _Loss {
 public:
  Tensor& weight;

 protected:
  _WeightedLoss(const std::optional<Tensor>& weight, std::string_view reduction)
      : _Loss(reduction), weight(register_buffer("weight", weight.value_or(Tensor()))) {}
  std::optional<Tensor> weight_opt() const { return weight.defined() ? std::optional<Tensor>(weight) : std::nullopt; }
};

#define EMBER_LOSS_CALL2(Name)                                                                             \
  Tensor forward(const Tensor& input, const Tensor& target);                                               \
  Tensor operator()(const Tensor& input, const Tensor& target) { return call({input, target}); }           \
                                                                                                           \
 protected:                                                                                                \
  Tensor forward_inputs(const tensor_list& in) override;                                                   \
                                                                                                           \
 public:
#define EMBER_LOSS_CALL3(Name, A, B, C)                                                                    \
  Tensor forward(const Tensor& A, const Tensor& B, const Tensor& C);                                       \
  Tensor operator()(const Tensor& A, const Tensor& B, const Tensor& C) { return call({A, B, C}); }         \
                                                                                                           \
 protected:                                                                                                \
  Tensor forward_inputs(const tensor_list& in) override;                                                   \
                                                                                                           \
 public:

class L1Loss : public _Loss {
 public:
  explicit L1Loss(std::string_view reduction = "mean") : _Loss(reduction) {}
  EMBER_LOSS_CALL2(L1Loss)
};

class MSELoss : public _Loss {
 public:
  explicit MSELoss(std::string_view reduction = "mean") : _Loss(reduction) {}
  EMBER_LOSS_CALL2(MSELoss)
};

class SmoothL1Loss : public _Loss {
 public:
  explicit SmoothL1Loss(std::string_view reduction = "mean", double beta = 1.0) : _Loss(reduction), beta(beta) {}
  EMBER_LOSS_CALL2(SmoothL1Loss)
  double beta;
};

class HuberLoss : public _Loss {
 public:
  explicit HuberLoss(std::string_view reduction = "mean", double delta = 1.0) : _Loss(reduction), delta(delta) {}
  EMBER_LOSS_CALL2(HuberLoss)
  double delta;
};

class SoftMarginLoss : public _Loss {
 public:
  explicit SoftMarginLoss(std::string_view reduction = "mean") : _Loss(reduction) {}
  EMBER_LOSS_CALL2(SoftMarginLoss)
};

class KLDivLoss : public _Loss {
 public:
  explicit KLDivLoss(std::string_view reduction = "mean", bool log_target = false)
      : _Loss(reduction), log_target(log_target) {}
  EMBER_LOSS_CALL2(KLDivLoss)
  bool log_target;
};

class PoissonNLLLoss : public _Loss {
 public:
  explicit PoissonNLLLoss(bool log_input = true, bool full = false, double eps = 1e-8,
                          std::string_view reduction = "mean")
      : _Loss(reduction), log_input(log_input), full(full), eps(eps) {}
  EMBER_LOSS_CALL2(PoissonNLLLoss)
  bool log_input;
  bool full;
  double eps;
};

class GaussianNLLLoss : public _Loss {
 public:
  explicit GaussianNLLLoss(bool full = false, double eps = 1e-6, std::string_view reduction = "mean")
      : _Loss(reduction), full(full), eps(eps) {}
  EMBER_LOSS_CALL3(GaussianNLLLoss, input, target, var)
  bool full;
  double eps;
};

class HingeEmbeddingLoss : public _Loss {
 public:
  explicit HingeEmbeddingLoss(double margin = 1.0, std::string_view reduction = "mean")
      : _Loss(reduction), margin(margin) {}
  EMBER_LOSS_CALL2(HingeEmbeddingLoss)
  double margin;
};

class CosineEmbeddingLoss : public _Loss {
 public:
  explicit CosineEmbeddingLoss(double margin = 0.0, std::string_view reduction = "mean")
      : _Loss(reduction), margin(margin) {}
  EMBER_LOSS_CALL3(CosineEmbeddingLoss, input1, input2, target)
  double margin;
};

class MarginRankingLoss : public _Loss {
 public:
  explicit MarginRankingLoss(double margin = 0.0, std::string_view reduction = "mean")
      : _Loss(reduction), margin(margin) {}
  EMBER_LOSS_CALL3(MarginRankingLoss, input1, input2, target)
  double margin;
};

class TripletMarginLoss : public _Loss {
 public:
  explicit TripletMarginLoss(double margin = 1.0, double p = 2.0, double eps = 1e-6, bool swap = false,
                             std::string_view reduction = "mean")
      : _Loss(reduction), margin(margin), p(p), eps(eps), swap(swap) {}
  EMBER_LOSS_CALL3(TripletMarginLoss, anchor, positive, negative)
  double margin;
  double p;
  double eps;
  bool swap;
};

class NLLLoss : public _WeightedLoss {
 public:
  explicit NLLLoss(const std::optional<Tensor>& weight = std::nullopt, int64_t ignore_index = -100,
                   std::string_view reduction = "mean")
      : _WeightedLoss(weight, reduction), ignore_index(ignore_index) {}
  EMBER_LOSS_CALL2(NLLLoss)
  int64_t ignore_index;
};

// target: class indices (int64) or class probabilities (same shape as input); computed fused from logits.
class CrossEntropyLoss : public _WeightedLoss {
 public:
  explicit CrossEntropyLoss(const std::optional<Tensor>& weight = std::nullopt, int64_t ignore_index = -100,
                            std::string_view reduction = "mean", double label_smoothing = 0.0)
      : _WeightedLoss(weight, reduction), ignore_index(ignore_index), label_smoothing(label_smoothing) {}
  EMBER_LOSS_CALL2(CrossEntropyLoss)
  int64_t ignore_index;
  double label_smoothing;
};

class BCELoss : public _WeightedLoss {
 public:
  explicit BCELoss(const std::optional<Tensor>& weight = std::nullopt, std::string_view reduction = "mean")
      : _WeightedLoss(weight, reduction) {}
  EMBER_LOSS_CALL2(BCELoss)
};

class BCEWithLogitsLoss : public _Loss {
 public:
  explicit BCEWithLogitsLoss(const std::optional<Tensor>& weight = std::nullopt, std::string_view reduction = "mean",
                             const std::optional<Tensor>& pos_weight = std::nullopt)
      : _Loss(reduction),
        weight(register_buffer("weight", weight.value_or(Tensor()))),
        pos_weight(register_buffer("pos_weight", pos_weight.value_or(Tensor()))) {}
  EMBER_LOSS_CALL2(BCEWithLogitsLoss)
  Tensor& weight;
  Tensor& pos_weight;
};

class MultiLabelSoftMarginLoss : public _WeightedLoss {
 public:
  explicit MultiLabelSoftMarginLoss(const std::optional<Tensor>& weight = std::nullopt,
                                    std::string_view reduction = "mean")
      : _WeightedLoss(weight, reduction) {}
  EMBER_LOSS_CALL2(MultiLabelSoftMarginLoss)
};

class MultiMarginLoss : public _WeightedLoss {
 public:
  explicit MultiMarginLoss(int64_t p = 1, double margin = 1.0, const std::optional<Tensor>& weight = std::nullopt,
                           std::string_view reduction = "mean")
      : _WeightedLoss(weight, reduction), p(p), margin(margin) {}
  EMBER_LOSS_CALL2(MultiMarginLoss)
  int64_t p;
  double margin;
};

// forward(log_probs (T, N, C), targets, input_lengths, target_lengths), the lengths as int64 tensors.
class CTCLoss : public _Loss {
 public:
  explicit CTCLoss(int64_t blank = 0, std::string_view reduction = "mean", bool zero_infinity = false)
      : _Loss(reduction), blank(blank), zero_infinity(zero_infinity) {}
  Tensor forward(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                 const Tensor& target_lengths);
  Tensor operator()(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                    const Tensor& target_lengths) {
    return call({log_probs, targets, input_lengths, target_lengths});
  }
  int64_t blank;
  bool zero_infinity;

 protected:
  Tensor forward_inputs(const tensor_list& in) override;
};

#undef EMBER_LOSS_CALL2
#undef EMBER_LOSS_CALL3

}  // namespace ember::nn
