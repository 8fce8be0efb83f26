// Shape, dtype and argument checks of the fused losses (nll_loss, ctc_loss), with PyTorch's messages,
// and the calls into their kernels. The other losses are compositions in autograd/derivatives/loss.cpp.
#include "ops/loss.h"

#include "dispatch/loss_kernels.h"
#include "dispatch/registry.h"
#include "ops/compute_dtype.h"

namespace ember::ops {

namespace {

std::string shape_str(IntArrayRef s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
  return r + "]";
}

// [N, C, S] geometry of nll_loss's input, after PyTorch's shape checks.
dispatch::NllGeometry nll_geometry(const Tensor& self, const Tensor& target, const Tensor& weight) {
  EMBER_CHECK(self.dim() >= 1, "input tensor should be 1D or 2D");
  const int64_t nd = self.dim();
  dispatch::NllGeometry g{1, self.size(nd == 1 ? 0 : 1), 1};
  if (nd == 1) {
    EMBER_CHECK(target.dim() <= 1, "0D or 1D target tensor expected, multi-target not supported");
    EMBER_CHECK(target.numel() == 1, "Expected input batch_size (1) to match target batch_size (", target.numel(), ").");
  } else if (nd == 2) {
    EMBER_CHECK(target.dim() <= 1, "0D or 1D target tensor expected, multi-target not supported");
    EMBER_CHECK_VALUE(target.dim() == 1 && self.size(0) == target.size(0), "Expected input batch_size (", self.size(0),
                      ") to match target batch_size (", target.dim() ? target.size(0) : 1, ").");
    g.N = self.size(0);
  } else {
    g.N = self.size(0);
    std::vector<int64_t> expected{self.size(0)};
    for (int64_t d = 2; d < nd; ++d) expected.push_back(self.size(d)), g.S *= self.size(d);
    EMBER_CHECK_VALUE(target.dim() >= 1 && self.size(0) == target.size(0), "Expected input batch_size (", self.size(0),
                      ") to match target batch_size (", target.dim() ? target.size(0) : 1, ").");
    EMBER_CHECK(target.sizes().equals(expected), "Expected target size ", shape_str(expected), ", got ",
                shape_str(target.sizes()));
  }
  EMBER_CHECK(target.dtype() == kInt64, "expected scalar type Long but found ", dtype_title(target.dtype()));
  if (weight.defined())
    EMBER_CHECK(weight.dim() == 1 && weight.numel() == g.C, "weight tensor should be defined either for all ", g.C,
                " classes or no classes but got weight tensor of shape: ", shape_str(weight.sizes()));
  return g;
}

}  // namespace

std::tuple<Tensor, Tensor> nll_loss(const Tensor& self, const Tensor& target, const Tensor& weight, int64_t reduction,
                                    int64_t ignore_index) {
  static auto& k = dispatch::slot("nll_loss");
  const dispatch::NllGeometry g = nll_geometry(self, target, weight);
  const DType dt = upcast_reduced(self.dtype());
  Tensor x = contiguous(cast(self, dt)), t = contiguous(target);
  Tensor w = weight.defined() ? contiguous(cast(weight, dt)) : Tensor();
  Tensor out = reduction == 0 ? empty(target.sizes(), dt, self.device()) : empty({}, dt, self.device());
  Tensor tw = empty({}, dt, self.device());
  dispatch::kernel<dispatch::NllLossKernel>(k, self.device().type())(x, t, w, out, tw, g, reduction, ignore_index);
  return {cast(out, self.dtype()), cast(tw, self.dtype())};
}

Tensor nll_loss_backward(const Tensor& grad, const Tensor& self, const Tensor& target, const Tensor& weight,
                         int64_t reduction, int64_t ignore_index, const Tensor& total_weight) {
  static auto& k = dispatch::slot("nll_loss_backward");
  const dispatch::NllGeometry g = nll_geometry(self, target, weight);
  const DType dt = upcast_reduced(self.dtype());
  Tensor gr = contiguous(cast(grad, dt)), t = contiguous(target), tw = cast(total_weight, dt);
  Tensor w = weight.defined() ? contiguous(cast(weight, dt)) : Tensor();
  Tensor gi = empty(self.sizes(), dt, self.device());
  fill_(gi, 0);
  dispatch::kernel<dispatch::NllLossBackwardKernel>(k, self.device().type())(gr, t, w, tw, gi, g, reduction,
                                                                             ignore_index);
  return cast(gi, self.dtype());
}

Tensor cross_entropy_backward(const Tensor& grad, const Tensor& logp, const Tensor& target, const Tensor& weight,
                              int64_t reduction, int64_t ignore_index, const Tensor& total_weight) {
  static auto& k = dispatch::slot("cross_entropy_backward");
  EMBER_CHECK(logp.dim() == 2 && target.dim() == 1 && target.size(0) == logp.size(0),
              "cross_entropy_backward: expected logp [N, C] and target [N], got ", shape_str(logp.sizes()), " and ",
              shape_str(target.sizes()));
  const DType dt = logp.dtype();
  Tensor gr = contiguous(cast(grad, dt)), lp = contiguous(logp), t = contiguous(target), tw = cast(total_weight, dt);
  Tensor w = weight.defined() ? contiguous(cast(weight, dt)) : Tensor();
  Tensor gi = empty(logp.sizes(), dt, logp.device());
  dispatch::kernel<dispatch::CrossEntropyBackwardKernel>(k, logp.device().type())(gr, lp, t, w, tw, gi, reduction,
                                                                                  ignore_index);
  return gi;
}

CtcInputs ctc_inputs(const Tensor& log_probs, const Tensor& targets, IntArrayRef input_lengths,
                     IntArrayRef target_lengths, int64_t blank) {
  CtcInputs in;
  EMBER_CHECK(log_probs.dim() == 3 || log_probs.dim() == 2,
              "ctc_loss: expected log_probs to be 2-D (unbatched) or 3-D, but got ", log_probs.dim(), "-D");
  EMBER_CHECK(log_probs.dtype() == kFloat32 || log_probs.dtype() == kFloat64, "\"ctc_loss_cpu\" not implemented for '",
              dtype_title(log_probs.dtype()), "'");
  EMBER_CHECK(targets.dtype() == kInt64 || targets.dtype() == kInt32,
              "ctc_loss: expected targets to be int64 or int32, but got ", dtype_title(targets.dtype()));
  in.unbatched = log_probs.dim() == 2;
  in.log_probs = contiguous(in.unbatched ? log_probs.unsqueeze(1) : log_probs);
  Tensor tg = contiguous(cast(in.unbatched ? targets.unsqueeze(0) : targets, kInt64));
  const int64_t T = in.log_probs.size(0), N = in.log_probs.size(1), C = in.log_probs.size(2);
  EMBER_CHECK(blank >= 0 && blank < C, "blank must be in label range");
  EMBER_CHECK(int64_t(input_lengths.size()) == N, "input_lengths must be of size batch_size");
  EMBER_CHECK(int64_t(target_lengths.size()) == N, "target_lengths must be of size batch_size");
  in.blank = blank;
  in.input_lengths.assign(input_lengths.begin(), input_lengths.end());
  in.target_lengths.assign(target_lengths.begin(), target_lengths.end());
  in.target_offsets.resize(size_t(N));
  const bool concatenated = tg.dim() == 1 && !in.unbatched;
  int64_t pos = 0;
  for (int64_t b = 0; b < N; ++b) {
    const int64_t il = in.input_lengths[size_t(b)], tl = in.target_lengths[size_t(b)];
    EMBER_CHECK(il >= 0 && il <= T, "Expected input_lengths to have value at most ", T, ", but got value ", il,
                " (while checking arguments for ctc_loss_cpu)");
    EMBER_CHECK(tl >= 0, "Expected target_lengths to be non-negative, but got value ", tl,
                " (while checking arguments for ctc_loss_cpu)");
    in.max_target_length = std::max(in.max_target_length, tl);
    if (concatenated) {
      in.target_offsets[size_t(b)] = pos;
      pos += tl;
    } else {
      EMBER_CHECK(tg.dim() == 2 && tg.size(0) == N, "ctc_loss: expected padded targets of shape [", N,
                  ", S], but got ", shape_str(tg.sizes()));
      EMBER_CHECK(tl <= tg.size(1), "Expected tensor to have size at least ", tl, " at dimension 1, but got size ",
                  tg.size(1), " for argument #2 'targets' (while checking arguments for ctc_loss_cpu)");
      in.target_offsets[size_t(b)] = b * tg.size(1);
    }
  }
  if (concatenated)
    EMBER_CHECK(tg.numel() >= pos, "Expected tensor to have size at least ", pos, " at dimension 0, but got size ",
                tg.numel(), " for argument #2 'targets' (while checking arguments for ctc_loss_cpu)");
  // The per-sample ranges come from host lengths, so the labels are checked on a host copy.
  Tensor host_tg = tg.cpu();
  const int64_t* t = host_tg.data_ptr<int64_t>();
  for (int64_t b = 0; b < N; ++b)
    for (int64_t i = 0; i < in.target_lengths[size_t(b)]; ++i) {
      const int64_t v = t[in.target_offsets[size_t(b)] + i];
      EMBER_CHECK_INDEX(v >= 0 && v < C && v != blank, "ctc_loss: target ", v, " is out of bounds or the blank (",
                        blank, ") for ", C, " classes");
    }
  // Targets may live on the CPU for a GPU batch, as PyTorch allows; the kernel reads them beside log_probs.
  in.targets = on_device(tg, in.log_probs.device());
  return in;
}

namespace {
dispatch::CtcArgs ctc_args(const CtcInputs& in) {
  return {in.input_lengths.data(), in.target_lengths.data(), in.target_offsets.data(), in.blank, in.max_target_length};
}
}  // namespace

std::tuple<Tensor, Tensor> ctc_loss(const CtcInputs& in) {
  static auto& k = dispatch::slot("ctc_loss");
  const int64_t T = in.log_probs.size(0), N = in.log_probs.size(1);
  Tensor nll = empty({N}, in.log_probs.dtype(), in.log_probs.device());
  Tensor la = empty({N, T, 2 * in.max_target_length + 1}, in.log_probs.dtype(), in.log_probs.device());
  dispatch::kernel<dispatch::CtcLossKernel>(k, in.log_probs.device().type())(in.log_probs, in.targets, ctc_args(in), nll,
                                                                             la);
  return {nll, la};
}

Tensor ctc_loss_backward(const Tensor& grad, const CtcInputs& in, const Tensor& neg_log_likelihood,
                         const Tensor& log_alpha, bool zero_infinity) {
  static auto& k = dispatch::slot("ctc_loss_backward");
  Tensor g = contiguous(cast(grad, in.log_probs.dtype()));
  Tensor out = empty(in.log_probs.sizes(), in.log_probs.dtype(), in.log_probs.device());
  dispatch::kernel<dispatch::CtcLossBackwardKernel>(k, in.log_probs.device().type())(
      g, in.log_probs, in.targets, ctc_args(in), neg_log_likelihood, log_alpha, zero_infinity, out);
  return out;
}

}  // namespace ember::ops
