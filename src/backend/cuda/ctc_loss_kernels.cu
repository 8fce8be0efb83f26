// CUDA kernels of ctc_loss, forward and backward, with the CPU kernels' recursions (alpha forward, beta
// backward, in log space; the per-state steps are backend/common/ctc_steps.h's, shared with
// backend/cpu/loss_kernels.cpp). One block per sample walks the frames in order;
// its threads share out the states of the extended label sequence at each frame, which depend only on
// the frame before. The backward's per-class sums of alpha * beta take the states in the CPU's order (one
// thread; a class's states are added in sequence), so their rounding is the CPU's.
#include <cmath>
#include <cstdint>
#include <limits>

#include <ember/ops/factory.h>
#include <ember/tensor.h>

#include "backend/common/ctc_steps.h"
#include "backend/cuda/cuda_check.h"
#include "backend/cuda/device_buffers.h"
#include "backend/cuda/not_implemented.h"
#include "backend/cuda/stream.h"
#include "dispatch/loss_kernels.h"
#include "dispatch/registry.h"

namespace ember::cuda {
namespace {

using dispatch::CtcArgs;
using kernels::ctc_alpha_step;
using kernels::ctc_beta_step;
using kernels::ctc_label;
using kernels::ctc_log_add;

constexpr int kThreads = 256;

// Per sample: input length, target length, offset of its labels in targets (rows of `lengths` [3, N]).
struct Lengths {
  const int64_t* p;
  int64_t N;
  __device__ int64_t input(int64_t b) const { return p[b]; }
  __device__ int64_t target(int64_t b) const { return p[N + b]; }
  __device__ int64_t offset(int64_t b) const { return p[2 * N + b]; }
};

// What both launches share: log_probs' sizes, the states per sample, and CtcArgs' host arrays copied to
// the device.
struct Problem {
  int64_t Tmax, N, C, S;
  Tensor lengths;  // [3, N]: the rows of Lengths
  Problem(const Tensor& log_probs, const CtcArgs& a)
      : Tmax(log_probs.size(0)), N(log_probs.size(1)), C(log_probs.size(2)), S(2 * a.max_target_length + 1) {
    if (N == 0) return;
    Tensor host = ember::empty({3, N}, kInt64);
    int64_t* h = host.data_ptr<int64_t>();
    for (int64_t b = 0; b < N; ++b) {
      h[b] = a.input_lengths[b];
      h[N + b] = a.target_lengths[b];
      h[2 * N + b] = a.target_offsets[b];
    }
    lengths = host.to(log_probs.device());
  }
  Lengths device_lengths() const { return {lengths.data_ptr<int64_t>(), N}; }
};

template <class T>
__global__ void ctc_alpha_kernel(const T* __restrict__ lp, const int64_t* __restrict__ targets, Lengths len,
                                 int64_t Tmax, int64_t C, int64_t S, int64_t blank, T* __restrict__ la,
                                 T* __restrict__ out) {
  const int64_t b = blockIdx.x, N = len.N;
  const int64_t Tb = len.input(b), L = len.target(b), Sb = 2 * L + 1;
  const int64_t* tg = targets + len.offset(b);
  T* alpha = la + b * Tmax * S;
  const T ninf = -std::numeric_limits<T>::infinity();
  for (int64_t i = threadIdx.x; i < Tmax * S; i += blockDim.x) alpha[i] = ninf;
  __syncthreads();
  if (Tb == 0) {
    if (threadIdx.x == 0) out[b] = L == 0 ? T(0) : std::numeric_limits<T>::infinity();
    return;
  }
  auto lpt = [&](int64_t t, int64_t c) { return lp[(t * N + b) * C + c]; };
  if (threadIdx.x == 0) {
    alpha[0] = lpt(0, blank);
    if (L > 0) alpha[1] = lpt(0, tg[0]);
  }
  __syncthreads();
  for (int64_t t = 1; t < Tb; ++t) {
    for (int64_t s = threadIdx.x; s < Sb; s += blockDim.x)
      alpha[t * S + s] = ctc_alpha_step(alpha + (t - 1) * S, tg, s, blank, lp + (t * N + b) * C);
    __syncthreads();
  }
  if (threadIdx.x == 0) {
    const T* last = alpha + (Tb - 1) * S;
    out[b] = -(L > 0 ? ctc_log_add(last[Sb - 1], last[Sb - 2]) : last[0]);
  }
}

// beta: two rows of S per sample; lcab: C per sample (scratch).
template <class T>
__global__ void ctc_grad_kernel(const T* __restrict__ grad, const T* __restrict__ lp, const int64_t* __restrict__ targets,
                                Lengths len, const T* __restrict__ nll, const T* __restrict__ la, bool zero_infinity,
                                int64_t Tmax, int64_t C, int64_t S, int64_t blank, T* __restrict__ beta,
                                T* __restrict__ lcab, T* __restrict__ gi) {
  const int64_t b = blockIdx.x, N = len.N;
  const int64_t Tb = len.input(b), L = len.target(b), Sb = 2 * L + 1;
  const int64_t* tg = targets + len.offset(b);
  const T* alpha = la + b * Tmax * S;
  const T g = grad[b], loss = nll[b];
  const T ninf = -std::numeric_limits<T>::infinity();
  auto lpt = [&](int64_t t, int64_t c) { return lp[(t * N + b) * C + c]; };
  auto out = [&](int64_t t, int64_t c) -> T& { return gi[(t * N + b) * C + c]; };
  // Frames beyond the sample's length, and all of them for an infinite loss under zero_infinity, get zero.
  const bool zeroed = Tb == 0 || (zero_infinity && loss == std::numeric_limits<T>::infinity());
  for (int64_t i = threadIdx.x; i < (zeroed ? Tmax : Tmax - Tb) * C; i += blockDim.x)
    out((zeroed ? 0 : Tb) + i / C, i % C) = T(0);
  if (zeroed) return;
  T* cur = beta + b * 2 * S;
  T* next = cur + S;
  T* lc = lcab + b * C;
  for (int64_t t = Tb - 1; t >= 0; --t) {
    for (int64_t s = threadIdx.x; s < Sb; s += blockDim.x)
      cur[s] = ctc_beta_step(next, tg, s, Sb, t == Tb - 1, blank, lp + (t * N + b) * C);
    for (int64_t c = threadIdx.x; c < C; c += blockDim.x) lc[c] = ninf;
    __syncthreads();
    if (threadIdx.x == 0) {
      const T* al = alpha + t * S;
      for (int64_t s = 0; s < Sb; ++s) {
        const int64_t l = ctc_label(tg, s, blank);
        lc[l] = ctc_log_add(lc[l], al[s] + cur[s]);
      }
    }
    __syncthreads();
    for (int64_t c = threadIdx.x; c < C; c += blockDim.x) {
      const T x = lpt(t, c);
      out(t, c) = (std::exp(x) - std::exp(lc[c] + loss - x)) * g;
    }
    // The next frame overwrites lc and reads cur as `next`: every thread is done with both first.
    __syncthreads();
    T* swap = cur;
    cur = next;
    next = swap;
  }
}

void ctc_loss(const Tensor& log_probs, const Tensor& targets, const CtcArgs& a, Tensor& nll, Tensor& log_alpha) {
  float_or_double(log_probs.dtype(), "ctc_loss", [&](auto tag) {
    using T = decltype(tag);
    const Problem p(log_probs, a);
    if (p.N == 0) return;
    ctc_alpha_kernel<T><<<unsigned(p.N), kThreads, 0, current_stream()>>>(
        log_probs.data_ptr<T>(), targets.data_ptr<int64_t>(), p.device_lengths(), p.Tmax, p.C, p.S, a.blank,
        log_alpha.data_ptr<T>(), nll.data_ptr<T>());
    EMBER_CUDA_CHECK_LAUNCH("ctc_loss");
  });
}

void ctc_loss_backward(const Tensor& grad, const Tensor& log_probs, const Tensor& targets, const CtcArgs& a,
                       const Tensor& nll, const Tensor& log_alpha, bool zero_infinity, Tensor& grad_lp) {
  float_or_double(log_probs.dtype(), "ctc_loss_backward", [&](auto tag) {
    using T = decltype(tag);
    const Problem p(log_probs, a);
    if (p.N == 0) return;
    Tensor beta = device_buffer(p.N * 2 * p.S, log_probs.dtype(), log_probs);
    Tensor lcab = device_buffer(p.N * p.C, log_probs.dtype(), log_probs);
    ctc_grad_kernel<T><<<unsigned(p.N), kThreads, 0, current_stream()>>>(
        grad.data_ptr<T>(), log_probs.data_ptr<T>(), targets.data_ptr<int64_t>(), p.device_lengths(),
        nll.data_ptr<T>(), log_alpha.data_ptr<T>(), zero_infinity, p.Tmax, p.C, p.S, a.blank, beta.data_ptr<T>(),
        lcab.data_ptr<T>(), grad_lp.data_ptr<T>());
    EMBER_CUDA_CHECK_LAUNCH("ctc_loss_backward");
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("ctc_loss", ::ember::kCUDA, &ctc_loss);
EMBER_REGISTER_KERNEL("ctc_loss_backward", ::ember::kCUDA, &ctc_loss_backward);

}  // namespace ember::cuda
