// Losses as torch.nn.functional has them, in ember._C._nn, and the ATen forms PyTorch exports at top
// level (torch.kl_div, torch.ctc_loss ...). The deprecated size_average / reduce arguments of the F.
// forms keep their positions so positional calls bind as in PyTorch; given, they override `reduction`
// with PyTorch's warning, as its legacy_get_string does.
#include <string>

#include "python/bind.h"
#include "python/nn_args.h"

namespace ember::python {

namespace {

namespace F = ember::nn::functional;
using OptBool = std::optional<bool>;

void warn(PyObject* category, const std::string& message) {
  if (PyErr_WarnEx(category, message.c_str(), 1) < 0) throw nb::python_error();
}

// torch.nn._reduction.legacy_get_string: size_average and reduce (None meaning True) choose the reduction.
std::string reduction_of(OptBool size_average, OptBool reduce, std::string_view reduction) {
  if (!size_average && !reduce) return std::string(reduction);
  bool s = size_average.value_or(true), r = reduce.value_or(true);
  std::string ret = s && r ? "mean" : r ? "sum" : "none";
  warn(PyExc_UserWarning, "size_average and reduce args will be deprecated, please use reduction='" + ret + "' instead.");
  return ret;
}

}  // namespace

void bind_nn_loss(nb::module_& m) {
  nb::module_ nn = nb::borrow<nb::module_>(m.attr("_nn"));

  nn.def(
      "cross_entropy",
      [](const Tensor& input, const Tensor& target, const OptTensor& weight, OptBool size_average,
         int64_t ignore_index, OptBool reduce, std::string_view reduction, double label_smoothing) {
        return F::cross_entropy(input, target, weight, ignore_index, reduction_of(size_average, reduce, reduction),
                                label_smoothing);
      },
      "input"_a, "target"_a, "weight"_a = nb::none(), "size_average"_a = nb::none(), "ignore_index"_a = -100,
      "reduce"_a = nb::none(), "reduction"_a = "mean", "label_smoothing"_a = 0.0);
  nn.def(
      "nll_loss",
      [](const Tensor& input, const Tensor& target, const OptTensor& weight, OptBool size_average,
         int64_t ignore_index, OptBool reduce, std::string_view reduction) {
        return F::nll_loss(input, target, weight, ignore_index, reduction_of(size_average, reduce, reduction));
      },
      "input"_a, "target"_a, "weight"_a = nb::none(), "size_average"_a = nb::none(), "ignore_index"_a = -100,
      "reduce"_a = nb::none(), "reduction"_a = "mean");
  nn.def(
      "binary_cross_entropy",
      [](const Tensor& input, const Tensor& target, const OptTensor& weight, OptBool size_average, OptBool reduce,
         std::string_view reduction) {
        return F::binary_cross_entropy(input, target, weight, reduction_of(size_average, reduce, reduction));
      },
      "input"_a, "target"_a, "weight"_a = nb::none(), "size_average"_a = nb::none(), "reduce"_a = nb::none(),
      "reduction"_a = "mean");
  nn.def(
      "binary_cross_entropy_with_logits",
      [](const Tensor& input, const Tensor& target, const OptTensor& weight, OptBool size_average, OptBool reduce,
         std::string_view reduction, const OptTensor& pos_weight) {
        return F::binary_cross_entropy_with_logits(input, target, weight, reduction_of(size_average, reduce, reduction),
                                                   pos_weight);
      },
      "input"_a, "target"_a, "weight"_a = nb::none(), "size_average"_a = nb::none(), "reduce"_a = nb::none(),
      "reduction"_a = "mean", "pos_weight"_a = nb::none());

  // (input, target, size_average, reduce, reduction) losses.
#define EMBER_PY_PAIR_LOSS(name)                                                                                   \
  nn.def(                                                                                                          \
      #name,                                                                                                       \
      [](const Tensor& input, const Tensor& target, OptBool size_average, OptBool reduce, std::string_view reduction) { \
        return F::name(input, target, reduction_of(size_average, reduce, reduction));                              \
      },                                                                                                           \
      "input"_a, "target"_a, "size_average"_a = nb::none(), "reduce"_a = nb::none(), "reduction"_a = "mean");
  EMBER_PY_PAIR_LOSS(mse_loss)
  EMBER_PY_PAIR_LOSS(l1_loss)
  EMBER_PY_PAIR_LOSS(soft_margin_loss)
  EMBER_PY_PAIR_LOSS(multilabel_margin_loss)
#undef EMBER_PY_PAIR_LOSS
  nn.def(
      "smooth_l1_loss",
      [](const Tensor& input, const Tensor& target, OptBool size_average, OptBool reduce, std::string_view reduction,
         double beta) { return F::smooth_l1_loss(input, target, reduction_of(size_average, reduce, reduction), beta); },
      "input"_a, "target"_a, "size_average"_a = nb::none(), "reduce"_a = nb::none(), "reduction"_a = "mean",
      "beta"_a = 1.0);
  nn.def("huber_loss", &F::huber_loss, "input"_a, "target"_a, "reduction"_a = "mean", "delta"_a = 1.0);
  nn.def(
      "kl_div",
      [](const Tensor& input, const Tensor& target, OptBool size_average, OptBool reduce, std::string_view reduction,
         bool log_target) {
        std::string r = reduction_of(size_average, reduce, reduction);
        if (r == "mean")
          warn(PyExc_UserWarning,
               "reduction: 'mean' divides the total loss by both the batch size and the support size."
               "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
               "'mean' will be changed to behave the same as 'batchmean' in the next major release.");
        return F::kl_div(input, target, r, log_target);
      },
      "input"_a, "target"_a, "size_average"_a = nb::none(), "reduce"_a = nb::none(), "reduction"_a = "mean",
      "log_target"_a = false);
  nn.def(
      "poisson_nll_loss",
      [](const Tensor& input, const Tensor& target, bool log_input, bool full, OptBool size_average, double eps,
         OptBool reduce, std::string_view reduction) {
        return F::poisson_nll_loss(input, target, log_input, full, eps, reduction_of(size_average, reduce, reduction));
      },
      "input"_a, "target"_a, "log_input"_a = true, "full"_a = false, "size_average"_a = nb::none(), "eps"_a = 1e-8,
      "reduce"_a = nb::none(), "reduction"_a = "mean");
  nn.def("gaussian_nll_loss", &F::gaussian_nll_loss, "input"_a, "target"_a, "var"_a, "full"_a = false, "eps"_a = 1e-6,
         "reduction"_a = "mean");

  // (input1, input2, target, margin, size_average, reduce, reduction) losses.
#define EMBER_PY_MARGIN_LOSS(name)                                                                            \
  nn.def(                                                                                                     \
      #name,                                                                                                  \
      [](const Tensor& input1, const Tensor& input2, const Tensor& target, double margin, OptBool size_average, \
         OptBool reduce, std::string_view reduction) {                                                        \
        return F::name(input1, input2, target, margin, reduction_of(size_average, reduce, reduction));        \
      },                                                                                                      \
      "input1"_a, "input2"_a, "target"_a, "margin"_a = 0.0, "size_average"_a = nb::none(), "reduce"_a = nb::none(), \
      "reduction"_a = "mean");
  EMBER_PY_MARGIN_LOSS(cosine_embedding_loss)
  EMBER_PY_MARGIN_LOSS(margin_ranking_loss)
#undef EMBER_PY_MARGIN_LOSS
  nn.def(
      "hinge_embedding_loss",
      [](const Tensor& input, const Tensor& target, double margin, OptBool size_average, OptBool reduce,
         std::string_view reduction) {
        return F::hinge_embedding_loss(input, target, margin, reduction_of(size_average, reduce, reduction));
      },
      "input"_a, "target"_a, "margin"_a = 1.0, "size_average"_a = nb::none(), "reduce"_a = nb::none(),
      "reduction"_a = "mean");
  nn.def(
      "triplet_margin_loss",
      [](const Tensor& anchor, const Tensor& positive, const Tensor& negative, double margin, double p, double eps,
         bool swap, OptBool size_average, OptBool reduce, std::string_view reduction) {
        return F::triplet_margin_loss(anchor, positive, negative, margin, p, eps, swap,
                                      reduction_of(size_average, reduce, reduction));
      },
      "anchor"_a, "positive"_a, "negative"_a, "margin"_a = 1.0, "p"_a = 2.0, "eps"_a = 1e-6, "swap"_a = false,
      "size_average"_a = nb::none(), "reduce"_a = nb::none(), "reduction"_a = "mean");
  nn.def(
      "multilabel_soft_margin_loss",
      [](const Tensor& input, const Tensor& target, const OptTensor& weight, OptBool size_average, OptBool reduce,
         std::string_view reduction) {
        return F::multilabel_soft_margin_loss(input, target, weight, reduction_of(size_average, reduce, reduction));
      },
      "input"_a, "target"_a, "weight"_a = nb::none(), "size_average"_a = nb::none(), "reduce"_a = nb::none(),
      "reduction"_a = "mean");
  nn.def(
      "multi_margin_loss",
      [](const Tensor& input, const Tensor& target, int64_t p, double margin, const OptTensor& weight,
         OptBool size_average, OptBool reduce, std::string_view reduction) {
        return F::multi_margin_loss(input, target, p, margin, weight, reduction_of(size_average, reduce, reduction));
      },
      "input"_a, "target"_a, "p"_a = 1, "margin"_a = 1.0, "weight"_a = nb::none(), "size_average"_a = nb::none(),
      "reduce"_a = nb::none(), "reduction"_a = "mean");
  // Lengths as tensors first (what a data pipeline produces), then as ints or sequences of ints.
  nn.def(
      "ctc_loss",
      [](const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths, const Tensor& target_lengths,
         int64_t blank, std::string_view reduction, bool zero_infinity) {
        return F::ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity);
      },
      "log_probs"_a, "targets"_a, "input_lengths"_a, "target_lengths"_a, "blank"_a = 0, "reduction"_a = "mean",
      "zero_infinity"_a = false);
  nn.def(
      "ctc_loss",
      [](const Tensor& log_probs, const Tensor& targets, IntArrayRef input_lengths, IntArrayRef target_lengths,
         int64_t blank, std::string_view reduction, bool zero_infinity) {
        return F::ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity);
      },
      "log_probs"_a, "targets"_a, "input_lengths"_a, "target_lengths"_a, "blank"_a = 0, "reduction"_a = "mean",
      "zero_infinity"_a = false);

  // torch.<loss>: the ATen forms PyTorch also exports at top level, reduction as an int (0 none, 1 mean,
  // 2 sum).
  m.def("binary_cross_entropy_with_logits", &ember::binary_cross_entropy_with_logits, "input"_a, "target"_a,
        "weight"_a = nb::none(), "pos_weight"_a = nb::none(), "reduction"_a = int64_t(Reduction::Mean));
  m.def("kl_div", &ember::kl_div, "input"_a, "target"_a, "reduction"_a = int64_t(Reduction::Mean), nb::kw_only(),
        "log_target"_a = false);
  m.def("poisson_nll_loss", &ember::poisson_nll_loss, "input"_a, "target"_a, "log_input"_a, "full"_a, "eps"_a,
        "reduction"_a);
  m.def("cosine_embedding_loss", &ember::cosine_embedding_loss, "input1"_a, "input2"_a, "target"_a, "margin"_a = 0.0,
        "reduction"_a = int64_t(Reduction::Mean));
  m.def("margin_ranking_loss", &ember::margin_ranking_loss, "input1"_a, "input2"_a, "target"_a, "margin"_a = 0.0,
        "reduction"_a = int64_t(Reduction::Mean));
  m.def("triplet_margin_loss", &ember::triplet_margin_loss, "anchor"_a, "positive"_a, "negative"_a, "margin"_a = 1.0,
        "p"_a = 2.0, "eps"_a = 1e-6, "swap"_a = false, "reduction"_a = int64_t(Reduction::Mean));
  m.def("hinge_embedding_loss", &ember::hinge_embedding_loss, "input"_a, "target"_a, "margin"_a = 1.0,
        "reduction"_a = int64_t(Reduction::Mean));
  m.def(
      "ctc_loss",
      [](const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths, const Tensor& target_lengths,
         int64_t blank, int64_t reduction, bool zero_infinity) {
        return ember::ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity);
      },
      "log_probs"_a, "targets"_a, "input_lengths"_a, "target_lengths"_a, "blank"_a = 0,
      "reduction"_a = int64_t(Reduction::Mean), "zero_infinity"_a = false);
  m.def(
      "ctc_loss",
      [](const Tensor& log_probs, const Tensor& targets, IntArrayRef input_lengths, IntArrayRef target_lengths,
         int64_t blank, int64_t reduction, bool zero_infinity) {
        return ember::ctc_loss(log_probs, targets, input_lengths, target_lengths, blank, reduction, zero_infinity);
      },
      "log_probs"_a, "targets"_a, "input_lengths"_a, "target_lengths"_a, "blank"_a = 0,
      "reduction"_a = int64_t(Reduction::Mean), "zero_infinity"_a = false);
}

}  // namespace ember::python
