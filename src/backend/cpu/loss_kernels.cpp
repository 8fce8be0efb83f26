// CPU kernels of the fused losses: nll_loss forward and backward (cross_entropy's second half), and
// ctc_loss with the alpha (forward) and beta (backward) recursions in log space.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "backend/common/ctc_steps.h"
#include "backend/common/visit_dtype.h"
#include "core/parallel.h"
#include "dispatch/loss_kernels.h"
#include "dispatch/registry.h"

namespace ember::kernels {
namespace {

using dispatch::CtcArgs;
using dispatch::NllGeometry;

template <class T>
void float_only(DType t, const char* name, const T& body) {
  if (t == kFloat32) body(float{});
  else if (t == kFloat64) body(double{});
  else throw Error(detail::str("\"", name, "_cpu\" not implemented for '", dtype_title(t), "'"));
}

void check_targets(const int64_t* t, int64_t n, int64_t C, int64_t ignore_index) {
  for (int64_t i = 0; i < n; ++i)
    if (t[i] != ignore_index && (t[i] < 0 || t[i] >= C)) throw IndexError(detail::str("Target ", t[i], " is out of bounds."));
}

void nll_loss_kernel(const Tensor& input, const Tensor& target, const Tensor& weight, Tensor& output,
                     Tensor& total_weight, const NllGeometry& g, int64_t reduction, int64_t ignore_index) {
  const int64_t* t = target.data_ptr<int64_t>();
  const int64_t M = g.N * g.S;
  check_targets(t, M, g.C, ignore_index);
  float_only(input.dtype(), "nll_loss_forward", [&](auto tag) {
    using T = decltype(tag);
    const T* x = input.data_ptr<T>();
    const T* w = weight.defined() ? weight.data_ptr<T>() : nullptr;
    auto at = [&](int64_t i) { return x[(i / g.S) * g.C * g.S + t[i] * g.S + i % g.S]; };
    if (reduction == 0) {
      T* out = output.data_ptr<T>();
      core::parallel_for(0, M, 32768, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) out[i] = t[i] == ignore_index ? T(0) : -(w ? w[t[i]] : T(1)) * at(i);
      });
      *total_weight.data_ptr<T>() = T(0);
      return;
    }
    double sum = 0, tw = 0;
    for (int64_t i = 0; i < M; ++i) {
      if (t[i] == ignore_index) continue;
      const double wi = w ? double(w[t[i]]) : 1.0;
      sum -= wi * double(at(i));
      tw += wi;
    }
    *total_weight.data_ptr<T>() = T(tw);
    *output.data_ptr<T>() = T(reduction == 1 ? sum / tw : sum);
  });
}

void nll_loss_backward_kernel(const Tensor& grad, const Tensor& target, const Tensor& weight,
                              const Tensor& total_weight, Tensor& grad_input, const NllGeometry& g, int64_t reduction,
                              int64_t ignore_index) {
  const int64_t* t = target.data_ptr<int64_t>();
  const int64_t M = g.N * g.S;
  float_only(grad_input.dtype(), "nll_loss_backward", [&](auto tag) {
    using T = decltype(tag);
    const T* gp = grad.data_ptr<T>();
    const T* w = weight.defined() ? weight.data_ptr<T>() : nullptr;
    T* gi = grad_input.data_ptr<T>();
    const T scale = reduction == 1 ? gp[0] / *total_weight.data_ptr<T>() : gp[0];
    core::parallel_for(0, M, 32768, [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) {
        if (t[i] == ignore_index) continue;
        const T gi_i = reduction == 0 ? gp[i] : scale;
        gi[(i / g.S) * g.C * g.S + t[i] * g.S + i % g.S] = -(w ? w[t[i]] : T(1)) * gi_i;
      }
    });
  });
}

// ---- ctc (the per-state steps are backend/common/ctc_steps.h's) ----
void ctc_loss_kernel(const Tensor& log_probs, const Tensor& targets, const CtcArgs& a, Tensor& nll, Tensor& log_alpha) {
  float_only(log_probs.dtype(), "ctc_loss", [&](auto tag) {
    using T = decltype(tag);
    const int64_t Tmax = log_probs.size(0), N = log_probs.size(1), C = log_probs.size(2);
    const int64_t S = 2 * a.max_target_length + 1;
    const T* lp = log_probs.data_ptr<T>();
    const int64_t* tgt = targets.data_ptr<int64_t>();
    T* la = log_alpha.data_ptr<T>();
    T* out = nll.data_ptr<T>();
    const T ninf = -std::numeric_limits<T>::infinity();
    // One sample's recursion is T * S steps; small batches stay on one thread.
    core::parallel_for(0, N, std::max<int64_t>(1, 65536 / std::max<int64_t>(Tmax * S, 1)), [&](int64_t b0, int64_t b1) {
      for (int64_t b = b0; b < b1; ++b) {
        const int64_t Tb = a.input_lengths[b], L = a.target_lengths[b], Sb = 2 * L + 1;
        const int64_t* tg = tgt + a.target_offsets[b];
        T* alpha = la + b * Tmax * S;
        for (int64_t i = 0; i < Tmax * S; ++i) alpha[i] = ninf;
        if (Tb == 0) {
          out[b] = L == 0 ? T(0) : std::numeric_limits<T>::infinity();
          continue;
        }
        auto lpt = [&](int64_t t, int64_t c) { return lp[(t * N + b) * C + c]; };
        alpha[0] = lpt(0, a.blank);
        if (L > 0) alpha[1] = lpt(0, tg[0]);
        for (int64_t t = 1; t < Tb; ++t)
          for (int64_t s = 0; s < Sb; ++s)
            alpha[t * S + s] = ctc_alpha_step(alpha + (t - 1) * S, tg, s, a.blank, lp + (t * N + b) * C);
        const T* last = alpha + (Tb - 1) * S;
        out[b] = -(L > 0 ? ctc_log_add(last[Sb - 1], last[Sb - 2]) : last[0]);
      }
    });
  });
}

void ctc_loss_backward_kernel(const Tensor& grad, const Tensor& log_probs, const Tensor& targets, const CtcArgs& a,
                              const Tensor& nll, const Tensor& log_alpha, bool zero_infinity, Tensor& grad_lp) {
  float_only(log_probs.dtype(), "ctc_loss_backward", [&](auto tag) {
    using T = decltype(tag);
    const int64_t Tmax = log_probs.size(0), N = log_probs.size(1), C = log_probs.size(2);
    const int64_t S = 2 * a.max_target_length + 1;
    const T* lp = log_probs.data_ptr<T>();
    const int64_t* tgt = targets.data_ptr<int64_t>();
    const T* la = log_alpha.data_ptr<T>();
    const T* nl = nll.data_ptr<T>();
    const T* gp = grad.data_ptr<T>();
    T* gi = grad_lp.data_ptr<T>();
    const T ninf = -std::numeric_limits<T>::infinity();
    core::parallel_for(0, N, std::max<int64_t>(1, 65536 / std::max<int64_t>(Tmax * S, 1)), [&](int64_t b0, int64_t b1) {
      std::vector<T> beta(static_cast<size_t>(2 * S)), lcab(static_cast<size_t>(C));
      for (int64_t b = b0; b < b1; ++b) {
        const int64_t Tb = a.input_lengths[b], L = a.target_lengths[b], Sb = 2 * L + 1;
        const int64_t* tg = tgt + a.target_offsets[b];
        const T* alpha = la + b * Tmax * S;
        const T g = gp[b], loss = nl[b];
        auto lpt = [&](int64_t t, int64_t c) { return lp[(t * N + b) * C + c]; };
        auto out = [&](int64_t t, int64_t c) -> T& { return gi[(t * N + b) * C + c]; };
        // Frames beyond the sample's length, and an infinite loss under zero_infinity, get zero.
        for (int64_t t = Tb; t < Tmax; ++t)
          for (int64_t c = 0; c < C; ++c) out(t, c) = 0;
        if (Tb == 0) continue;
        if (zero_infinity && loss == std::numeric_limits<T>::infinity()) {
          for (int64_t t = 0; t < Tb; ++t)
            for (int64_t c = 0; c < C; ++c) out(t, c) = 0;
          continue;
        }
        // beta over two rows (t and t + 1), walked from the last frame down.
        T* cur = beta.data();
        T* next = beta.data() + S;
        for (int64_t t = Tb - 1; t >= 0; --t) {
          for (int64_t s = 0; s < Sb; ++s)
            cur[s] = ctc_beta_step(next, tg, s, Sb, t == Tb - 1, a.blank, lp + (t * N + b) * C);
          for (int64_t c = 0; c < C; ++c) lcab[size_t(c)] = ninf;
          const T* al = alpha + t * S;
          for (int64_t s = 0; s < Sb; ++s) {
            const int64_t l = ctc_label(tg, s, a.blank);
            lcab[size_t(l)] = ctc_log_add(lcab[size_t(l)], al[s] + cur[s]);
          }
          for (int64_t c = 0; c < C; ++c) {
            const T x = lpt(t, c);
            out(t, c) = (std::exp(x) - std::exp(lcab[size_t(c)] + loss - x)) * g;
          }
          std::swap(cur, next);
        }
      }
    });
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("nll_loss", kCPU, &nll_loss_kernel);
EMBER_REGISTER_KERNEL("nll_loss_backward", kCPU, &nll_loss_backward_kernel);
EMBER_REGISTER_KERNEL("ctc_loss", kCPU, &ctc_loss_kernel);
EMBER_REGISTER_KERNEL("ctc_loss_backward", kCPU, &ctc_loss_backward_kernel);

}  // namespace ember::kernels
