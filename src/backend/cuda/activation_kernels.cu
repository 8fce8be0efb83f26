// CUDA kernels of the activation family: the pointwise activations of dispatch/activation.def (forward
// and fused backward), evaluated per element with the CPU backend's functors and ScalarMath, and the
// softmax / log_softmax kernels with their backward.
// Softmax works on rows of n elements, a row being one (outer, inner) pair of [outer, n, inner]. Each
// row is reduced by a group of threads in three passes over global memory, as the CPU does it: the max,
// the sum of exp(x - max), then the output, so the exponentials never overflow and log_softmax never
// takes the log of a probability that rounded to zero. Short contiguous rows (inner == 1) get a warp
// each; any other row gets the threads of one block column: a block covers up to 32 neighbouring
// columns j of one outer index, so every load of a warp touches consecutive addresses even though a
// row itself is strided by `inner`.
#include "backend/cuda/elementwise.cuh"
// elementwise.cuh defines EMBER_KERNEL_NS, which the functors header reads.
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "backend/common/activation_functors.h"
#include "backend/common/visit_dtype.h"
#include "backend/cuda/not_implemented.h"
#include "dispatch/activation_kernels.h"
#include "dispatch/registry.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {
namespace {

using dispatch::SoftmaxGeometry;

template <class F, class T>
struct ForwardOp {
  F f;
  __device__ T operator()(T x) const { return f.template fwd<ScalarMath>(x); }
};

template <class F, class T>
struct BackwardOp {
  F f;
  __device__ T operator()(T g, T x) const { return f.template bwd<ScalarMath>(g, x); }
};

// The iterator's operands are (out, self); the op casts float16/bfloat16 to float32 beforehand.
template <class F>
void activation_kernel(const dispatch::TensorIterator& it, const char* name, const double* params) {
  visit_dtype(it.dtype(1), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!F::template ok<T>) cuda::not_implemented(name, it.dtype(1));
    else cuda::launch_elementwise<T, T>(it, ForwardOp<F, T>{F(params)}, name);
  });
}

// The iterator's operands are (grad_in, grad, self).
template <class F>
void activation_backward_kernel(const dispatch::TensorIterator& it, const char* name, const double* params) {
  visit_dtype(it.dtype(1), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!F::template ok<T>) cuda::not_implemented(name, it.dtype(1));
    else cuda::launch_elementwise<T, T, T>(it, BackwardOp<F, T>{F(params)}, name);
  });
}

// ---- softmax ----
constexpr int kThreads = 256;
constexpr int kWarp = 32;
constexpr int kWarpsPerBlock = kThreads / kWarp;
// Contiguous rows up to this length take one warp each (at most 32 elements per lane and pass).
constexpr int64_t kMaxWarpRow = 1024;

// NaN never wins, as in the CPU's running max: a row with a NaN gets NaN through its sum instead.
template <class T>
struct MaxOp {
  __device__ T operator()(T a, T b) const { return b > a ? b : a; }
};
template <class T>
struct SumOp {
  __device__ T operator()(T a, T b) const { return a + b; }
};

// The rows a kernel walks are given to a Row functor: `row(base, stride, n, k0, dk, active, reduce)`
// handles the row whose element k sits at base + k * stride; this thread takes k = k0, k0 + dk, ...,
// and reduce(v, op) combines v over the row's threads. Every thread of the group calls reduce the same
// number of times; an inactive thread (a column past the end) adds the identity and writes nothing.
template <class T>
struct SoftmaxRow {
  const T* x;
  T* y;
  bool log_out;
  template <class Reduce>
  __device__ void operator()(int64_t base, int64_t stride, int64_t n, int64_t k0, int64_t dk, bool active,
                             const Reduce& reduce) const {
    T m = -std::numeric_limits<T>::infinity();
    if (active)
      for (int64_t k = k0; k < n; k += dk) {
        const T v = x[base + k * stride];
        m = v > m ? v : m;
      }
    m = reduce(m, MaxOp<T>{});
    T s = 0;
    if (active)
      for (int64_t k = k0; k < n; k += dk) s += std::exp(x[base + k * stride] - m);
    s = reduce(s, SumOp<T>{});
    if (!active) return;
    if (log_out) {
      // (x - max) - log(sum): subtracting the max first keeps large float32 inputs exact.
      const T lse = std::log(s);
      for (int64_t k = k0; k < n; k += dk) y[base + k * stride] = (x[base + k * stride] - m) - lse;
    } else {
      const T inv = T(1) / s;
      for (int64_t k = k0; k < n; k += dk) y[base + k * stride] = std::exp(x[base + k * stride] - m) * inv;
    }
  }
};

// softmax: gi = y * (g - sum(g * y)); log_softmax: gi = g - exp(y) * sum(g).
template <class T>
struct SoftmaxBackwardRow {
  const T* g;
  const T* y;
  T* gi;
  bool log_out;
  template <class Reduce>
  __device__ void operator()(int64_t base, int64_t stride, int64_t n, int64_t k0, int64_t dk, bool active,
                             const Reduce& reduce) const {
    T s = 0;
    if (active)
      for (int64_t k = k0; k < n; k += dk) {
        const int64_t i = base + k * stride;
        s += log_out ? g[i] : g[i] * y[i];
      }
    s = reduce(s, SumOp<T>{});
    if (!active) return;
    for (int64_t k = k0; k < n; k += dk) {
      const int64_t i = base + k * stride;
      gi[i] = log_out ? g[i] - std::exp(y[i]) * s : y[i] * (g[i] - s);
    }
  }
};

// One warp per contiguous row.
template <class T, class Row>
__global__ void __launch_bounds__(kThreads) warp_rows_kernel(Row row, int64_t rows, int64_t n) {
  const int lane = int(threadIdx.x) % kWarp;
  const auto reduce = [](T v, auto op) {
#pragma unroll
    for (int off = kWarp / 2; off > 0; off >>= 1) v = op(v, __shfl_xor_sync(0xffffffffu, v, off));
    return v;
  };
  const int64_t step = int64_t(gridDim.x) * kWarpsPerBlock;
  for (int64_t r = int64_t(blockIdx.x) * kWarpsPerBlock + threadIdx.x / kWarp; r < rows; r += step)
    row(r * n, 1, n, lane, kWarp, true, reduce);
}

// A block takes `bx` neighbouring columns (bx a power of two up to 32) of one outer index: thread
// (tx, ty) = (tid % bx, tid / bx) reads column tx at k = ty, ty + by, ... with by = kThreads / bx.
template <class T, class Row>
__global__ void __launch_bounds__(kThreads)
    column_rows_kernel(Row row, int64_t outer, int64_t n, int64_t inner, int bx) {
  // One partial per (warp, column): kWarpsPerBlock * bx <= kThreads values.
  __shared__ T partial[kThreads];
  const int tid = int(threadIdx.x), tx = tid % bx, ty = tid / bx, by = kThreads / bx;
  const int warp = tid / kWarp, lane = tid % kWarp;
  const auto reduce = [&](T v, auto op) {
    // Within a warp the lanes holding one column differ by multiples of bx.
    for (int off = kWarp / 2; off >= bx; off >>= 1) v = op(v, __shfl_xor_sync(0xffffffffu, v, off));
    __syncthreads();  // the previous reduction's reads of `partial` are done
    if (lane < bx) partial[warp * bx + lane] = v;
    __syncthreads();
    T r = partial[tx];
    for (int w = 1; w < kWarpsPerBlock; ++w) r = op(r, partial[w * bx + tx]);
    return r;
  };
  const int64_t tiles = (inner + bx - 1) / bx;
  for (int64_t t = blockIdx.x; t < outer * tiles; t += gridDim.x) {
    const int64_t o = t / tiles, j = (t % tiles) * bx + tx;
    row(o * n * inner + j, inner, n, ty, by, j < inner, reduce);
  }
}

template <class T, class Row>
void launch_rows(const Row& row, const SoftmaxGeometry& g, const char* name) {
  if (g.outer == 0 || g.n == 0 || g.inner == 0) return;
  const cudaStream_t stream = cuda::current_stream();
  if (g.inner == 1 && g.n <= kMaxWarpRow) {
    warp_rows_kernel<T><<<cuda::blocks_for(g.outer, kWarpsPerBlock), kThreads, 0, stream>>>(row, g.outer, g.n);
  } else {
    int bx = 1;
    while (bx < kWarp && bx < g.inner) bx *= 2;
    const int64_t tasks = g.outer * ((g.inner + bx - 1) / bx);
    column_rows_kernel<T><<<cuda::blocks_for(tasks, 1), kThreads, 0, stream>>>(row, g.outer, g.n, g.inner, bx);
  }
  EMBER_CUDA_CHECK_LAUNCH(name);
}

void softmax_kernel(const Tensor& in, Tensor& out, const SoftmaxGeometry& g, bool log) {
  const char* name = log ? "log_softmax" : "softmax";
  visit_dtype(in.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<T, float> && !std::is_same_v<T, double>) cuda::not_implemented(name, in.dtype());
    else launch_rows<T>(SoftmaxRow<T>{in.data_ptr<T>(), out.data_ptr<T>(), log}, g, name);
  });
}

void softmax_backward_kernel(const Tensor& grad, const Tensor& out, Tensor& grad_in, const SoftmaxGeometry& g,
                             bool log) {
  const char* name = log ? "log_softmax_backward_data" : "softmax_backward_data";
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<T, float> && !std::is_same_v<T, double>) {
      cuda::not_implemented(name, out.dtype());
    } else {
      launch_rows<T>(SoftmaxBackwardRow<T>{grad.data_ptr<T>(), out.data_ptr<T>(), grad_in.data_ptr<T>(), log}, g,
                     name);
    }
  });
}

}  // namespace

#define EMBER_ACTIVATION(name, F)                                            \
  EMBER_REGISTER_KERNEL(#name, ::ember::kCUDA, &activation_kernel<F>);       \
  EMBER_REGISTER_KERNEL(#name "_backward", ::ember::kCUDA, &activation_backward_kernel<F>);
#include "dispatch/activation.def"

EMBER_REGISTER_KERNEL("softmax", ::ember::kCUDA, &softmax_kernel);
EMBER_REGISTER_KERNEL("softmax_backward", ::ember::kCUDA, &softmax_backward_kernel);

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
