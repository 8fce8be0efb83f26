// CUDA kernels of nll_loss, forward and backward, and cross_entropy's fused backward, with the CPU
// backend's semantics. The forward checks every target on the device before writing anything and brings
// the first bad one back to raise the CPU's IndexError (the op's one host synchronisation, as in
// PyTorch's CUDA kernel). The reduced loss and the total weight are summed in double in a fixed order:
// per-block partials, then one block that adds them, so the result does not vary between runs.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include <ember/ops/factory.h>
#include <ember/tensor.h>

#include "backend/cuda/block_sum.cuh"
#include "backend/cuda/cuda_check.h"
#include "backend/cuda/not_implemented.h"
#include "backend/cuda/stream.h"
#include "dispatch/loss_kernels.h"
#include "dispatch/registry.h"

namespace ember::cuda {
namespace {

using dispatch::NllGeometry;

constexpr int kThreads = 256;
constexpr int64_t kMaxPartials = 256;     // blocks of the reduced forward
constexpr int64_t kMinPerBlock = 2048;    // targets a block reads at least

// The input element that target i selects, in the [N, C, S] layout.
__device__ __forceinline__ int64_t selected(const NllGeometry& g, int64_t i, int64_t t) {
  return (i / g.S) * g.C * g.S + t * g.S + i % g.S;
}

__global__ void first_bad_target_kernel(const int64_t* __restrict__ target, int64_t n, int64_t C,
                                        int64_t ignore_index, long long* __restrict__ first_bad) {
  const int64_t step = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += step) {
    const int64_t t = target[i];
    if (t != ignore_index && (t < 0 || t >= C)) atomicMin(first_bad, (long long)i);
  }
}

// Raises the CPU's IndexError for the first target outside [0, C) that is not ignore_index.
void check_targets(const Tensor& target, int64_t n, int64_t C, int64_t ignore_index) {
  if (n == 0) return;
  cudaStream_t stream = current_stream();
  Tensor flag = ember::empty({1}, TensorOptions(kInt64).device(target.device()));
  auto* first_bad = static_cast<long long*>(flag.data_ptr());
  // 0x7f in every byte: a position past every real one.
  EMBER_CUDA_CHECK(cudaMemsetAsync(first_bad, 0x7f, sizeof(long long), stream), "nll_loss");
  first_bad_target_kernel<<<blocks_for(n, kThreads), kThreads, 0, stream>>>(target.data_ptr<int64_t>(), n, C,
                                                                           ignore_index, first_bad);
  EMBER_CUDA_CHECK_LAUNCH("nll_loss");
  long long bad = 0;
  EMBER_CUDA_CHECK(cudaMemcpyAsync(&bad, first_bad, sizeof(bad), cudaMemcpyDeviceToHost, stream), "nll_loss");
  EMBER_CUDA_CHECK(cudaStreamSynchronize(stream), "nll_loss");
  if (bad >= n) return;
  int64_t t = 0;
  EMBER_CUDA_CHECK(cudaMemcpyAsync(&t, target.data_ptr<int64_t>() + bad, sizeof(t), cudaMemcpyDeviceToHost, stream),
                   "nll_loss");
  EMBER_CUDA_CHECK(cudaStreamSynchronize(stream), "nll_loss");
  throw IndexError(detail::str("Target ", t, " is out of bounds."));
}

template <class T>
__global__ void nll_none_kernel(const T* __restrict__ x, const int64_t* __restrict__ target, const T* weight,
                                T* __restrict__ out, NllGeometry g, int64_t ignore_index) {
  const int64_t n = g.N * g.S, step = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += step) {
    const int64_t t = target[i];
    out[i] = t == ignore_index ? T(0) : -(weight ? weight[t] : T(1)) * x[selected(g, i, t)];
  }
}

// partial[b] = this block's sum of weight * input at the targets, partial[blocks + b] its summed weights.
template <class T>
__global__ void nll_partials_kernel(const T* __restrict__ x, const int64_t* __restrict__ target, const T* weight,
                                    NllGeometry g, int64_t ignore_index, double* __restrict__ partial) {
  __shared__ double scratch[2 * kWarp];
  const int64_t n = g.N * g.S, step = int64_t(gridDim.x) * blockDim.x;
  double v[2] = {0.0, 0.0};
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += step) {
    const int64_t t = target[i];
    if (t == ignore_index) continue;
    const double w = weight ? double(weight[t]) : 1.0;
    v[0] += w * double(x[selected(g, i, t)]);
    v[1] += w;
  }
  block_sum(v, scratch);
  if (threadIdx.x != 0) return;
  partial[blockIdx.x] = v[0];
  partial[gridDim.x + blockIdx.x] = v[1];
}

template <class T>
__global__ void nll_finish_kernel(const double* __restrict__ partial, int64_t blocks, bool mean, T* __restrict__ out,
                                  T* __restrict__ total_weight) {
  __shared__ double scratch[2 * kWarp];
  double v[2] = {0.0, 0.0};
  for (int64_t b = threadIdx.x; b < blocks; b += blockDim.x) {
    v[0] += partial[b];
    v[1] += partial[blocks + b];
  }
  block_sum(v, scratch);
  if (threadIdx.x != 0) return;
  // 0 - sum, not -sum: no counted target gives +0, as the CPU's running subtraction does.
  const double loss = 0.0 - v[0];
  *total_weight = T(v[1]);
  *out = T(mean ? loss / v[1] : loss);
}

template <class T>
void nll_loss_typed(const Tensor& input, const Tensor& target, const Tensor& weight, Tensor& output,
                    Tensor& total_weight, const NllGeometry& g, int64_t reduction, int64_t ignore_index) {
  cudaStream_t stream = current_stream();
  const int64_t n = g.N * g.S;
  const T* w = weight.defined() ? weight.data_ptr<T>() : nullptr;
  if (reduction == 0) {
    EMBER_CUDA_CHECK(cudaMemsetAsync(total_weight.data_ptr(), 0, sizeof(T), stream), "nll_loss");
    if (n == 0) return;
    nll_none_kernel<T><<<blocks_for(n, kThreads), kThreads, 0, stream>>>(
        input.data_ptr<T>(), target.data_ptr<int64_t>(), w, output.data_ptr<T>(), g, ignore_index);
    EMBER_CUDA_CHECK_LAUNCH("nll_loss");
    return;
  }
  const int64_t blocks = std::clamp<int64_t>((n + kMinPerBlock - 1) / kMinPerBlock, 1, kMaxPartials);
  Tensor partial = ember::empty({2 * blocks}, TensorOptions(kFloat64).device(input.device()));
  nll_partials_kernel<T><<<unsigned(blocks), kThreads, 0, stream>>>(input.data_ptr<T>(), target.data_ptr<int64_t>(),
                                                                    w, g, ignore_index, partial.data_ptr<double>());
  EMBER_CUDA_CHECK_LAUNCH("nll_loss");
  nll_finish_kernel<T><<<1, kThreads, 0, stream>>>(partial.data_ptr<double>(), blocks, reduction == 1,
                                                   output.data_ptr<T>(), total_weight.data_ptr<T>());
  EMBER_CUDA_CHECK_LAUNCH("nll_loss");
}

void nll_loss(const Tensor& input, const Tensor& target, const Tensor& weight, Tensor& output, Tensor& total_weight,
              const NllGeometry& g, int64_t reduction, int64_t ignore_index) {
  check_targets(target, g.N * g.S, g.C, ignore_index);
  float_or_double(input.dtype(), "nll_loss_forward", [&](auto t) {
    nll_loss_typed<decltype(t)>(input, target, weight, output, total_weight, g, reduction, ignore_index);
  });
}

// grad_input is zero-filled by the op; each counted target gets -weight[t] times its gradient (the
// one upstream value, divided by the total weight for the mean).
template <class T>
__global__ void nll_backward_kernel(const T* __restrict__ grad, const int64_t* __restrict__ target, const T* weight,
                                    const T* __restrict__ total_weight, T* __restrict__ grad_input, NllGeometry g,
                                    int64_t reduction, int64_t ignore_index) {
  const int64_t n = g.N * g.S, step = int64_t(gridDim.x) * blockDim.x;
  const T scale = reduction == 0 ? T(0) : reduction == 1 ? grad[0] / *total_weight : grad[0];
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += step) {
    const int64_t t = target[i];
    // The forward checked the targets; the range test keeps a changed target from writing out of
    // bounds.
    if (t == ignore_index || t < 0 || t >= g.C) continue;
    grad_input[selected(g, i, t)] = -(weight ? weight[t] : T(1)) * (reduction == 0 ? grad[i] : scale);
  }
}

void nll_loss_backward(const Tensor& grad, const Tensor& target, const Tensor& weight, const Tensor& total_weight,
                       Tensor& grad_input, const NllGeometry& g, int64_t reduction, int64_t ignore_index) {
  float_or_double(grad_input.dtype(), "nll_loss_backward", [&](auto tag) {
    using T = decltype(tag);
    const int64_t n = g.N * g.S;
    if (n == 0) return;
    nll_backward_kernel<T><<<blocks_for(n, kThreads), kThreads, 0, current_stream()>>>(
        grad.data_ptr<T>(), target.data_ptr<int64_t>(), weight.defined() ? weight.data_ptr<T>() : nullptr,
        total_weight.data_ptr<T>(), grad_input.data_ptr<T>(), g, reduction, ignore_index);
    EMBER_CUDA_CHECK_LAUNCH("nll_loss_backward");
  });
}

// One thread per element of grad_input [N, C] (see dispatch::CrossEntropyBackwardKernel).
template <class T>
__global__ void cross_entropy_backward_kernel(const T* __restrict__ grad, const T* __restrict__ logp,
                                              const int64_t* __restrict__ target, const T* __restrict__ weight,
                                              const T* __restrict__ total_weight, T* __restrict__ grad_input,
                                              int64_t N, int64_t C, int64_t reduction, int64_t ignore_index) {
  const T scale = reduction == 1 ? grad[0] / *total_weight : grad[0];
  EMBER_GRID_LOOP(i, N * C) {
    const int64_t r = i / C, c = i % C, t = target[r];
    const bool counted = t != ignore_index && t >= 0 && t < C;
    const T s = counted ? -(weight ? weight[t] : T(1)) * (reduction == 0 ? grad[r] : scale) : T(0);
    // s is also its row's sum (adding the row's zeros turns -0 into +0, as the unfused sum does).
    const T sum = T(0) + s;
    grad_input[i] = (counted && c == t ? s : T(0)) - std::exp(logp[i]) * sum;
  }
}

void cross_entropy_backward(const Tensor& grad, const Tensor& logp, const Tensor& target, const Tensor& weight,
                            const Tensor& total_weight, Tensor& grad_input, int64_t reduction, int64_t ignore_index) {
  float_or_double(logp.dtype(), "cross_entropy_backward", [&](auto tag) {
    using T = decltype(tag);
    const int64_t N = logp.size(0), C = logp.size(1);
    if (N * C == 0) return;
    cross_entropy_backward_kernel<T><<<blocks_for(N * C, kThreads), kThreads, 0, current_stream()>>>(
        grad.data_ptr<T>(), logp.data_ptr<T>(), target.data_ptr<int64_t>(),
        weight.defined() ? weight.data_ptr<T>() : nullptr, total_weight.data_ptr<T>(), grad_input.data_ptr<T>(), N, C,
        reduction, ignore_index);
    EMBER_CUDA_CHECK_LAUNCH("cross_entropy_backward");
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("cross_entropy_backward", ::ember::kCUDA, &cross_entropy_backward);
EMBER_REGISTER_KERNEL("nll_loss", ::ember::kCUDA, &nll_loss);
EMBER_REGISTER_KERNEL("nll_loss_backward", ::ember::kCUDA, &nll_loss_backward);

}  // namespace ember::cuda
