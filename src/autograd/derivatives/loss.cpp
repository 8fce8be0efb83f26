// Public loss functions. nll_loss and ctc_loss record nodes whose backward is a fused kernel; the
// cross-entropy family is log_softmax (fused, max-shifted) followed by nll_loss, never a softmax then a
// log, and over class indices one node with a fused backward. binary_cross_entropy(_with_logits) record
// PyTorch's backward formulas (stable at any logit); the other losses are compositions of differentiable
// public ops, as PyTorch defines them.
#include <ember/autocast.h>
#include <cmath>
#include <limits>

#include <ember/ops/activation.h>
#include <ember/ops/factory.h>
#include <ember/ops/index.h>
#include <ember/ops/loss.h>
#include <ember/ops/pointwise.h>
#include <ember/ops/reduce.h>
#include <ember/ops/shape.h>

#include "autograd/record.h"
#include "ops/activation.h"
#include "ops/loss.h"

namespace ember {

namespace {

Tensor apply_reduction(const Tensor& loss, int64_t reduction) {
  if (reduction == Reduction::Mean) return loss.mean();
  if (reduction == Reduction::Sum) return loss.sum();
  return loss;
}

std::string torch_size(IntArrayRef s) {
  std::string r = "torch.Size([";
  for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
  return r + "])";
}

void check_reduction(int64_t reduction) {
  EMBER_CHECK_VALUE(reduction >= 0 && reduction <= 2, reduction, " is not a valid value for reduction");
}

// Weighting tensor of a class dim, shaped to broadcast against an input whose classes are `class_dim`.
Tensor class_view(const Tensor& w, int64_t ndim, int64_t class_dim) {
  std::vector<int64_t> shape(size_t(ndim), 1);
  shape[size_t(class_dim)] = w.numel();
  return w.reshape(shape);
}

// cross_entropy over class indices: log_softmax then nll_loss, recorded as one node whose backward is
// one fused kernel (ops::cross_entropy_backward) with the two backward kernels' numbers, instead of
// nll_loss's scatter into a zeroed tensor followed by log_softmax's backward. When the backward builds
// a graph for a higher derivative, it is the two ops' differentiable formulas instead.
Tensor fused_cross_entropy(const Tensor& self, const Tensor& target, const Tensor& w, int64_t reduction,
                           int64_t ignore_index) {
  const int64_t class_dim = self.dim() == 1 ? 0 : 1;
  Tensor logp = ops::softmax(self, class_dim, true);
  auto [out, total_weight] = ops::nll_loss(logp, target, w, reduction, ignore_index);
  if (autograd::any_requires_grad({&self}))
    autograd::record(
        "CrossEntropyLossBackward0", {&out}, {&self},
        [self_ = autograd::SavedVariable(self, false), logp, target, w, reduction, ignore_index, class_dim,
         total_weight](autograd::Node&, const tensor_list& g) -> tensor_list {
          const int64_t C = logp.size(class_dim);
          if (!GradMode::is_enabled()) {
            // A single sample is the batch of one.
            if (class_dim == 1) return {ops::cross_entropy_backward(g[0], logp, target, w, reduction, ignore_index,
                                                                    total_weight)};
            Tensor gi = ops::cross_entropy_backward(g[0].reshape({1}), logp.view({1, C}), target.reshape({1}), w,
                                                    reduction, ignore_index, total_weight);
            return {gi.view({C})};
          }
          const Tensor x = self_.unpack();
          const Tensor counted = target != ignore_index;
          const Tensor t = where(counted, target, 0);
          Tensor wt = (w.defined() ? w.index_select(0, t.reshape({-1})).reshape(t.sizes()) : ones_like(t, x.dtype()))
                          .masked_fill(counted.logical_not(), 0);
          Tensor s = -(reduction == Reduction::Mean ? g[0] / total_weight : g[0]) * wt;
          Tensor y = log_softmax(x, class_dim);
          Tensor g_logp = zeros_like(y).scatter(class_dim, t.unsqueeze(class_dim), s.unsqueeze(class_dim));
          return {g_logp - y.exp() * g_logp.sum({class_dim}, true)};
        });
  return out;
}

}  // namespace

Tensor nll_loss(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight, int64_t reduction,
                int64_t ignore_index) {
  EMBER_AUTOCAST("nll_loss", nll_loss, self, target, weight, reduction, ignore_index);
  check_reduction(reduction);
  Tensor w = weight ? *weight : Tensor();
  auto [out, total_weight] = ops::nll_loss(self, target, w, reduction, ignore_index);
  if (autograd::any_requires_grad({&self}))
    autograd::record("NllLossBackward0", {&out}, {&self},
                     [self_ = autograd::SavedVariable(self, false), target, w, reduction, ignore_index,
                      total_weight](autograd::Node&, const tensor_list& g) -> tensor_list {
                       Tensor gi = ops::nll_loss_backward(g[0], self_.unpack(), target, w, reduction, ignore_index,
                                                          total_weight);
                       // The gradient is linear in g and does not depend on self; its own vector-Jacobian
                       // product (for double backward) is nll_loss of the incoming gradient.
                       if (autograd::any_requires_grad({&g[0]}))
                         autograd::record("NllLossBackwardBackward0", {&gi}, {&g[0]},
                                          [target, w, reduction, ignore_index](autograd::Node&,
                                                                               const tensor_list& gg) -> tensor_list {
                                            return {nll_loss(gg[0], target, w.defined() ? std::optional<Tensor>(w)
                                                                                        : std::nullopt,
                                                             reduction, ignore_index)};
                                          });
                       return {gi};
                     });
  return out;
}

Tensor cross_entropy_loss(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight,
                          int64_t reduction, int64_t ignore_index, double label_smoothing) {
  EMBER_AUTOCAST("cross_entropy_loss", cross_entropy_loss, self, target, weight, reduction, ignore_index, label_smoothing);
  check_reduction(reduction);
  EMBER_CHECK(self.dim() >= 1, "cross_entropy: expected input with at least 1 dimension, got 0");
  const int64_t class_dim = self.dim() == 1 ? 0 : 1;
  const int64_t C = self.size(class_dim);
  if (self.sizes().equals(target.sizes())) {
    // Class probabilities.
    EMBER_CHECK(is_floating_point(target.dtype()), "Expected floating point type for target with class probabilities, got ",
                dtype_title(target.dtype()));
    EMBER_CHECK(ignore_index < 0, "ignore_index is not supported for floating point target");
    EMBER_CHECK(label_smoothing >= 0.0 && label_smoothing <= 1.0,
                "label_smoothing must be between 0.0 and 1.0. Got: ", label_smoothing);
    Tensor t = label_smoothing > 0 ? target * (1 - label_smoothing) + label_smoothing / double(C) : target;
    Tensor prod = log_softmax(self, class_dim) * t;
    if (weight) prod = prod * class_view(*weight, self.dim(), class_dim);
    if (reduction == Reduction::Mean) return -prod.sum() / double(self.numel() / std::max<int64_t>(C, 1));
    if (reduction == Reduction::Sum) return -prod.sum();
    return -prod.sum({class_dim});
  }
  if (label_smoothing <= 0 && self.dim() <= 2 && target.dtype() == kInt64 &&
      (self.dtype() == kFloat32 || self.dtype() == kFloat64) && (!weight || weight->dtype() == self.dtype()))
    return fused_cross_entropy(self, target, weight ? *weight : Tensor(), reduction, ignore_index);
  Tensor logp = log_softmax(self, class_dim);
  if (label_smoothing <= 0) return nll_loss(logp, target, weight, reduction, ignore_index);
  EMBER_CHECK(label_smoothing <= 1.0, "label_smoothing must be between 0.0 and 1.0. Got: ", label_smoothing);
  Tensor nll = nll_loss(logp, target, weight, reduction, ignore_index);
  Tensor ignore_mask = target == ignore_index;
  Tensor smooth = weight ? -(logp * class_view(*weight, self.dim(), class_dim)).sum({class_dim}) : -logp.sum({class_dim});
  smooth = smooth.masked_fill(ignore_mask, 0.0);
  Tensor ret;
  if (reduction == Reduction::Mean) {
    // Normalised by the weights of the counted targets, as nll_loss's mean (PyTorch 1.13's formula).
    ret = weight ? smooth.sum() / weight->index_select(0, target.masked_select(ignore_mask.logical_not()).flatten()).sum()
                 : smooth.sum() / ignore_mask.logical_not().sum();
  } else {
    ret = apply_reduction(smooth, reduction);
  }
  return nll * (1 - label_smoothing) + ret * (label_smoothing / double(C));
}

Tensor binary_cross_entropy(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight,
                            int64_t reduction) {
  EMBER_AUTOCAST("binary_cross_entropy", binary_cross_entropy, self, target, weight, reduction);
  check_reduction(reduction);
  EMBER_CHECK_VALUE(self.sizes().equals(target.sizes()), "Using a target size (", torch_size(target.sizes()),
                    ") that is different to the input size (", torch_size(self.sizes()),
                    ") is deprecated. Please ensure they have the same size.");
  {
    NoGradGuard no_grad;
    EMBER_CHECK(!logical_or(self < 0, self > 1).any().item<bool>(), "all elements of input should be between 0 and 1");
  }
  Tensor w = weight ? *weight : Tensor();
  Tensor loss;
  {
    NoGradGuard no_grad;
    loss = -(target * self.log().clamp_min(-100) + (1 - target) * (-self).log1p().clamp_min(-100));
    if (w.defined()) loss = loss * w;
  }
  if (autograd::any_requires_grad({&self, &target}))
    autograd::record("BinaryCrossEntropyBackward0", {&loss}, {&self, &target},
                     [x_ = autograd::SavedVariable(self, false), t_ = autograd::SavedVariable(target, false),
                      w](autograd::Node& node, const tensor_list& g) -> tensor_list {
                       Tensor x = x_.unpack(), t = t_.unpack(), gw = w.defined() ? g[0] * w : g[0];
                       tensor_list r(2);
                       // PyTorch's: (x - t) / max(x (1 - x), 1e-12), finite at x = 0 and 1.
                       if (node.should_compute_output(0)) r[0] = gw * (x - t) / ((1 - x) * x).clamp_min(1e-12);
                       if (node.should_compute_output(1))
                         r[1] = gw * ((-x).log1p().clamp_min(-100) - x.log().clamp_min(-100));
                       return r;
                     });
  return apply_reduction(loss, reduction);
}

Tensor binary_cross_entropy_with_logits(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight,
                                        const std::optional<Tensor>& pos_weight, int64_t reduction) {
  EMBER_AUTOCAST("binary_cross_entropy_with_logits", binary_cross_entropy_with_logits, self, target, weight,
                 pos_weight, reduction);
  check_reduction(reduction);
  EMBER_CHECK_VALUE(self.sizes().equals(target.sizes()), "Target size (", torch_size(target.sizes()),
                    ") must be the same as input size (", torch_size(self.sizes()), ")");
  Tensor w = weight ? *weight : Tensor(), pw = pos_weight ? *pos_weight : Tensor();
  Tensor loss;
  {
    NoGradGuard no_grad;
    // (1 - t) x + lw * log(1 + exp(-x)), with log(1 + exp(-x)) = max(-x, 0) + log1p(exp(-|x|)).
    Tensor sp = (-self).clamp_min(0) + (-self.abs()).exp().log1p();
    loss = (1 - target) * self + (pw.defined() ? ((pw - 1) * target + 1) * sp : sp);
    if (w.defined()) loss = loss * w;
  }
  if (autograd::any_requires_grad({&self, &target}))
    autograd::record("BinaryCrossEntropyWithLogitsBackward0", {&loss}, {&self, &target},
                     [x_ = autograd::SavedVariable(self, false), t_ = autograd::SavedVariable(target, false), w,
                      pw](autograd::Node& node, const tensor_list& g) -> tensor_list {
                       Tensor x = x_.unpack(), t = t_.unpack(), gw = w.defined() ? g[0] * w : g[0];
                       tensor_list r(2);
                       if (node.should_compute_output(0)) {
                         if (pw.defined()) {
                           Tensor pt = pw * t;
                           r[0] = gw * ((pt + 1 - t) * x.sigmoid() - pt);
                         } else {
                           r[0] = gw * (x.sigmoid() - t);
                         }
                       }
                       if (node.should_compute_output(1))
                         r[1] = pw.defined() ? gw * (log_sigmoid(-x) - log_sigmoid(x) * pw) : gw * -x;
                       return r;
                     });
  return apply_reduction(loss, reduction);
}

Tensor mse_loss(const Tensor& self, const Tensor& target, int64_t reduction) {
  EMBER_AUTOCAST("mse_loss", mse_loss, self, target, reduction);
  check_reduction(reduction);
  return apply_reduction((self - target).square(), reduction);
}
Tensor l1_loss(const Tensor& self, const Tensor& target, int64_t reduction) {
  EMBER_AUTOCAST("l1_loss", l1_loss, self, target, reduction);
  check_reduction(reduction);
  return apply_reduction((self - target).abs(), reduction);
}
Tensor smooth_l1_loss(const Tensor& self, const Tensor& target, int64_t reduction, double beta) {
  EMBER_AUTOCAST("smooth_l1_loss", smooth_l1_loss, self, target, reduction, beta);
  check_reduction(reduction);
  EMBER_CHECK(beta >= 0, "smooth_l1_loss does not support negative values for beta.");
  if (beta == 0) return l1_loss(self, target, reduction);
  Tensor z = (self - target).abs();
  return apply_reduction(where(z < beta, z.square() * (0.5 / beta), z - 0.5 * beta), reduction);
}
Tensor huber_loss(const Tensor& self, const Tensor& target, int64_t reduction, double delta) {
  EMBER_AUTOCAST("huber_loss", huber_loss, self, target, reduction, delta);
  check_reduction(reduction);
  EMBER_CHECK(delta > 0, "huber_loss does not support non-positive values for delta.");
  Tensor z = (self - target).abs();
  return apply_reduction(where(z < delta, z.square() * 0.5, (z - 0.5 * delta) * delta), reduction);
}
Tensor soft_margin_loss(const Tensor& self, const Tensor& target, int64_t reduction) {
  EMBER_AUTOCAST("soft_margin_loss", soft_margin_loss, self, target, reduction);
  check_reduction(reduction);
  return apply_reduction((-self * target).exp().log1p(), reduction);
}

Tensor kl_div(const Tensor& self, const Tensor& target, int64_t reduction, bool log_target) {
  EMBER_AUTOCAST("kl_div", kl_div, self, target, reduction, log_target);
  check_reduction(reduction);
  Tensor out;
  if (log_target) {
    out = target.exp() * (target - self);
  } else {
    // xlogy(t, t) - t * self: 0 where t = 0, with a finite gradient there.
    out = target * where(target > 0, target, 1).log() - target * self;
  }
  return apply_reduction(out, reduction);
}

Tensor poisson_nll_loss(const Tensor& input, const Tensor& target, bool log_input, bool full, double eps,
                        int64_t reduction) {
  EMBER_AUTOCAST("poisson_nll_loss", poisson_nll_loss, input, target, log_input, full, eps, reduction);
  check_reduction(reduction);
  Tensor loss = log_input ? input.exp() - target * input : input - target * (input + eps).log();
  if (full) {
    // Stirling's approximation of log(target!), for targets above 1.
    Tensor safe = where(target > 1, target, 1);
    Tensor stirling = safe * safe.log() - safe + (safe * (2 * M_PI)).log() * 0.5;
    loss = loss + where(target > 1, stirling, 0);
  }
  return apply_reduction(loss, reduction);
}

Tensor gaussian_nll_loss(const Tensor& input, const Tensor& target, const Tensor& var, bool full, double eps,
                         int64_t reduction) {
  check_reduction(reduction);
  Tensor v = var;
  if (!var.sizes().equals(input.sizes())) {
    std::vector<int64_t> is(input.sizes().begin(), input.sizes().end()), vs(var.sizes().begin(), var.sizes().end());
    std::vector<int64_t> is_head = is, vs_head = vs;
    if (!is_head.empty()) is_head.pop_back();
    if (!vs_head.empty()) vs_head.pop_back();
    const bool drop_last = !is.empty() && vs == is_head;
    const bool last_one = !is.empty() && vs.size() == is.size() && vs_head == is_head && vs.back() == 1;
    EMBER_CHECK_VALUE(drop_last || last_one, "var is of incorrect size");
    if (drop_last) v = var.unsqueeze(-1);
  }
  {
    NoGradGuard no_grad;
    EMBER_CHECK_VALUE(!(var < 0).any().item<bool>(), "var has negative entry/entries");
  }
  // Clamped to eps in value only; the gradient passes through as PyTorch's no_grad clamp_ does.
  Tensor clamped;
  {
    NoGradGuard no_grad;
    clamped = v.clamp_min(eps) - v;
  }
  v = v + clamped;
  Tensor loss = (v.log() + (input - target).square() / v) * 0.5;
  if (full) loss = loss + 0.5 * std::log(2 * M_PI);
  return apply_reduction(loss, reduction);
}

Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target, double margin,
                             int64_t reduction) {
  EMBER_AUTOCAST("cosine_embedding_loss", cosine_embedding_loss, input1, input2, target, margin, reduction);
  check_reduction(reduction);
  const int64_t td = target.dim();
  EMBER_CHECK(td == 0 || td == 1, "0D or 1D target tensor expected, multi-target not supported");
  if (td == 1)
    EMBER_CHECK(input1.dim() == 2 && input2.dim() == 2, "1D target tensor expects 2D input tensors, but found inputs with sizes ",
                input1.sizes(), " and ", input2.sizes(), ".");
  else
    EMBER_CHECK(input1.dim() == 1 && input2.dim() == 1, "0D target tensor expects 1D input tensors, but found inputs with sizes ",
                input1.sizes(), " and ", input2.sizes(), ".");
  constexpr double kEps = 1e-12;
  const int64_t d = input1.dim() - 1;
  Tensor prod = (input1 * input2).sum({d});
  Tensor m1 = (input1 * input1).sum({d}) + kEps, m2 = (input2 * input2).sum({d}) + kEps;
  Tensor cos = prod / (m1 * m2).sqrt();
  Tensor zeros = zeros_like(cos);
  Tensor out = where(target == 1, 1 - cos, zeros) + where(target == -1, (cos - margin).clamp_min(0), zeros);
  return apply_reduction(out, reduction);
}

Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target, double margin,
                           int64_t reduction) {
  EMBER_AUTOCAST("margin_ranking_loss", margin_ranking_loss, input1, input2, target, margin, reduction);
  check_reduction(reduction);
  return apply_reduction((-target * (input1 - input2) + margin).clamp_min(0), reduction);
}

Tensor hinge_embedding_loss(const Tensor& self, const Tensor& target, double margin, int64_t reduction) {
  EMBER_AUTOCAST("hinge_embedding_loss", hinge_embedding_loss, self, target, margin, reduction);
  check_reduction(reduction);
  Tensor zeros = zeros_like(self);
  Tensor out = where(target != 1, (margin - self).clamp_min(0), zeros) + where(target != -1, self, zeros);
  return apply_reduction(out, reduction);
}

namespace {
Tensor pairwise_distance(const Tensor& x1, const Tensor& x2, double p, double eps) {
  const int64_t d = std::max(x1.dim(), x2.dim()) - 1;
  return norm(x1 - x2 + eps, p, {d}, false);
}
}  // namespace

Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative, double margin,
                           double p, double eps, bool swap, int64_t reduction) {
  EMBER_AUTOCAST("triplet_margin_loss", triplet_margin_loss, anchor, positive, negative, margin, p, eps, swap,
                 reduction);
  check_reduction(reduction);
  const int64_t ad = anchor.dim();
  EMBER_CHECK(ad == positive.dim() && ad == negative.dim(),
              "The anchor, positive, and negative tensors are expected to have the same number of dimensions, but "
              "got: anchor ", ad, "D, positive ", positive.dim(), "D, and negative ", negative.dim(), "D inputs");
  Tensor dp = pairwise_distance(anchor, positive, p, eps), dn = pairwise_distance(anchor, negative, p, eps);
  if (swap) dn = minimum(dn, pairwise_distance(positive, negative, p, eps));
  return apply_reduction((dp - dn + margin).clamp_min(0), reduction);
}

Tensor multilabel_soft_margin_loss(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight,
                                   int64_t reduction) {
  check_reduction(reduction);
  Tensor loss = -(target * log_sigmoid(self) + (1 - target) * log_sigmoid(-self));
  if (weight) loss = loss * *weight;
  const int64_t class_dim = self.dim() - 1;
  loss = loss.sum({class_dim}) / double(self.size(class_dim));
  return apply_reduction(loss, reduction);
}

Tensor multi_margin_loss(const Tensor& self, const Tensor& target, int64_t p, double margin,
                         const std::optional<Tensor>& weight, int64_t reduction) {
  EMBER_AUTOCAST("multi_margin_loss", multi_margin_loss, self, target, p, margin, weight, reduction);
  check_reduction(reduction);
  EMBER_CHECK_VALUE(p == 1 || p == 2, "only p == 1 and p == 2 supported");
  EMBER_CHECK((self.dim() <= 2 && self.numel() > 0) || (self.dim() != 0 && self.numel() == 0),
              "Expected non-empty vector or matrix with optional 0-dim batch size, but got: ", self.sizes());
  Tensor x = self.dim() <= 1 ? self.reshape({1, -1}) : self;
  Tensor t = target.reshape({-1});
  const int64_t C = x.size(1);
  EMBER_CHECK(t.numel() == x.size(0), "inconsistent target size, expected ", x.size(0), " but got ", target.sizes());
  {
    NoGradGuard no_grad;
    EMBER_CHECK(!logical_or(t < 0, t >= C).any().item<bool>(), "target out of range");
  }
  Tensor ti = t.unsqueeze(1);
  Tensor z = (x - x.gather(1, ti) + margin).clamp_min(0);
  if (p == 2) z = z * z;
  if (weight) z = z * weight->index_select(0, t).unsqueeze(1);
  z = where(arange(C, TensorOptions().dtype(kInt64).device(x.device())).unsqueeze(0) == ti, 0, z);
  Tensor loss = z.sum({1}) / double(C);
  if (self.dim() <= 1) loss = loss.reshape({});
  return apply_reduction(loss, reduction);
}

// For each sample: the hinge 1 - x[j] + x[i] summed over every label j before the first negative entry
// of the target row (a repeated label counts again, as PyTorch's loop does) and every class i that is
// not a label, divided by the class count.
Tensor multilabel_margin_loss(const Tensor& self, const Tensor& target, int64_t reduction) {
  EMBER_AUTOCAST("multilabel_margin_loss", multilabel_margin_loss, self, target, reduction);
  check_reduction(reduction);
  EMBER_CHECK((self.dim() <= 2 && self.numel() > 0) || (self.dim() != 0 && self.numel() == 0),
              "Expected non-empty vector or matrix with optional 0-dim batch size, but got: ", self.sizes());
  EMBER_CHECK(target.sizes() == self.sizes(), "inconsistent size ", target.sizes(), " for argument #2 'target'");
  EMBER_CHECK(target.dtype() == kInt64, "expected scalar type Long but found ", dtype_title(target.dtype()));
  Tensor x = self.dim() <= 1 ? self.reshape({1, -1}) : self;
  Tensor t = target.reshape(x.sizes());
  const int64_t C = x.size(1);
  Tensor counts;
  {
    NoGradGuard no_grad;
    // Every entry, labels or not, is in [-1, C), as PyTorch checks.
    EMBER_CHECK(!logical_or(t < -1, t >= C).any().item<bool>(), "argument #2 'target' is out of range");
    Tensor labels = cumprod((t >= 0).to(kInt64), 1);
    counts = zeros(x.sizes(), TensorOptions().dtype(kInt64).device(x.device())).scatter_add(1, t * labels, labels);
  }
  Tensor z = (x.unsqueeze(1) - x.unsqueeze(2) + 1.0).clamp_min(0);  // z[n, j, i] = 1 - x[j] + x[i]
  Tensor pairs = counts.unsqueeze(2).to(x.dtype()) * (counts == 0).unsqueeze(1).to(x.dtype());
  Tensor loss = (z * pairs).sum({1, 2}) / double(C);
  if (self.dim() <= 1) loss = loss.reshape({});
  return apply_reduction(loss, reduction);
}

namespace {
std::vector<int64_t> to_lengths(const Tensor& t, const char* name) {
  EMBER_CHECK(t.dim() <= 1 && !is_floating_point(t.dtype()) && t.dtype() != kBool, "ctc_loss: ", name,
              " must be a 1-D integer tensor");
  Tensor c = t.to(kInt64).cpu().contiguous().reshape({-1});
  return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}
}  // namespace

Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, IntArrayRef input_lengths, IntArrayRef target_lengths,
                int64_t blank, int64_t reduction, bool zero_infinity) {
  check_reduction(reduction);
  ops::CtcInputs in = ops::ctc_inputs(log_probs, targets, input_lengths, target_lengths, blank);
  auto [nll, log_alpha] = ops::ctc_loss(in);
  if (autograd::any_requires_grad({&log_probs})) {
    DimVector shape(log_probs.sizes());
    autograd::record("CtcLossBackward0", {&nll}, {&log_probs},
                     [in, nll_ = nll.detach(), log_alpha, zero_infinity, shape,
                      lp_ = autograd::SavedVariable(log_probs, false)](autograd::Node&,
                                                                       const tensor_list& g) -> tensor_list {
                       Tensor gi = ops::ctc_loss_backward(g[0], in, nll_, log_alpha, zero_infinity).reshape(shape);
                       // As in PyTorch, the fused gradient has no derivative of its own.
                       Tensor lp = lp_.unpack();
                       if (autograd::any_requires_grad({&g[0], &lp}))
                         autograd::record("CtcLossBackwardBackward0", {&gi}, {&g[0], &lp},
                                          [](autograd::Node&, const tensor_list&) -> tensor_list {
                                            throw NotImplementedError(
                                                "the derivative for '_ctc_loss_backward' is not implemented.");
                                          });
                       return {gi};
                     });
  }
  Tensor loss = zero_infinity ? where(nll == std::numeric_limits<double>::infinity(), 0, nll) : nll;
  if (reduction == Reduction::Mean) {
    std::vector<double> lengths;
    for (int64_t l : in.target_lengths) lengths.push_back(double(std::max<int64_t>(l, 1)));
    Tensor tl = tensor(lengths, TensorOptions().dtype(loss.dtype()).device(loss.device()));
    return (loss / tl).mean();
  }
  if (reduction == Reduction::Sum) return loss.sum();
  return in.unbatched ? loss.reshape({}) : loss;
}

Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                const Tensor& target_lengths, int64_t blank, int64_t reduction, bool zero_infinity) {
  std::vector<int64_t> il = to_lengths(input_lengths, "input_lengths"), tl = to_lengths(target_lengths, "target_lengths");
  return ctc_loss(log_probs, targets, il, tl, blank, reduction, zero_infinity);
}

}  // namespace ember
