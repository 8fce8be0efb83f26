// CUDA kernels of batch_norm and layer_norm, forward and backward, float32/float64, with the CPU
// backend's formulas. Every statistic is summed in double (per thread, then in a fixed tree across the
// threads and blocks that share it), and the variance takes a second pass over the data with the mean
// of the first, as on the CPU. No atomics: a given shape always sums in the same order.
//
// batch_norm's per-channel sums run as partial sums per (channel, split) followed by a small kernel
// that adds each channel's splits in order; the split count depends only on the shape. An (N, C) input
// (M == 1) is read across channels (a warp reads 32 neighbouring channels of one row), larger M along
// each channel's runs of M. The elementwise passes recover the channel of a flat index by 32-bit
// multiply-shift division when the tensor has fewer than 2^31 elements.
//
// layer_norm gives each row to a warp (rows up to kWarpRowMax long) or to a block; the weight and bias
// gradients are column sums over rows, done like batch_norm's (N, C) case.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include <ember/ops/factory.h>
#include <ember/tensor.h>

#include "backend/cuda/block_sum.cuh"
#include "backend/cuda/cuda_check.h"
#include "backend/cuda/not_implemented.h"
#include "backend/cuda/offset_calc.cuh"
#include "backend/cuda/stream.h"
#include "dispatch/norm_kernels.h"
#include "dispatch/registry.h"

namespace ember::cuda {
namespace {

constexpr int kThreads = 256;
constexpr int kColX = 32, kColY = 8;      // column-sum blocks: 32 columns by 8 row lanes
constexpr int kTargetBlocks = 512;        // partial-sum blocks to aim for, enough to fill a large GPU
constexpr int64_t kMinPerRowBlock = 4096;  // elements a channel block reads at least before splitting
constexpr int64_t kMinPerColBlock = 128;   // rows a column block reads at least before splitting
constexpr int64_t kWarpRowMax = 1024;      // longest layer_norm row given to one warp

template <class T>
const T* ptr_or_null(const Tensor& t) {
  return t.defined() ? t.data_ptr<T>() : nullptr;
}
template <class T>
T* out_or_null(const Tensor& t) {
  return t.defined() ? t.data_ptr<T>() : nullptr;
}

Tensor doubles(int64_t n, Device device) { return ember::empty({n}, TensorOptions(kFloat64).device(device)); }

// ---------------------------------------------------------------------------------------------------
// Partial sums of two doubles per (column, split). An Op is copied per thread, told its column by
// load(c), then fed every element of the column in its split by add(flat index, row, v).
// partial is [2][splits][cols].

// The column's elements sit at row * cols + col: a block covers 32 columns with 8 lanes over the rows.
template <class Op>
__global__ void column_partials(Op op, int64_t rows, int64_t cols, int64_t chunk, double* __restrict__ partial) {
  __shared__ double lanes[2][kColY][kColX];
  const int64_t col = int64_t(blockIdx.x) * kColX + threadIdx.x;
  const int64_t r0 = int64_t(blockIdx.y) * chunk, r1 = r0 + chunk < rows ? r0 + chunk : rows;
  double v[2] = {0.0, 0.0};
  if (col < cols) {
    Op o = op;
    o.load(col);
    for (int64_t r = r0 + threadIdx.y; r < r1; r += kColY) o.add(r * cols + col, r, v);
  }
  lanes[0][threadIdx.y][threadIdx.x] = v[0];
  lanes[1][threadIdx.y][threadIdx.x] = v[1];
  __syncthreads();
  if (threadIdx.y != 0 || col >= cols) return;
  const int64_t splits = gridDim.y;
  for (int k = 0; k < 2; ++k) {
    double s = 0;
    for (int y = 0; y < kColY; ++y) s += lanes[k][y][threadIdx.x];
    partial[(k * splits + blockIdx.y) * cols + col] = s;
  }
}

// Channel c of x (N, C, M) (M > 1): one block per (channel, split) walks the channel's N * M elements
// as (n, m) pairs, stepping kThreads at a time without dividing (step = step_n * M + step_m).
template <class Op>
__global__ void channel_partials(Op op, int64_t N, int64_t C, int64_t M, int64_t chunk, int64_t step_n,
                                 int64_t step_m, double* __restrict__ partial) {
  __shared__ double scratch[2 * kWarp];
  const int64_t c = blockIdx.x, total = N * M;
  const int64_t j0 = int64_t(blockIdx.y) * chunk, j1 = j0 + chunk < total ? j0 + chunk : total;
  double v[2] = {0.0, 0.0};
  Op o = op;
  o.load(c);
  int64_t j = j0 + threadIdx.x, n = j / M, m = j % M;
  for (; j < j1; j += kThreads) {
    o.add((n * C + c) * M + m, n, v);
    n += step_n;
    m += step_m;
    if (m >= M) m -= M, ++n;
  }
  block_sum(v, scratch);
  if (threadIdx.x != 0) return;
  const int64_t splits = gridDim.y;
  partial[blockIdx.y * C + c] = v[0];
  partial[(splits + blockIdx.y) * C + c] = v[1];
}

// Each column's splits added in order; fin(c, sum0, sum1) writes the results.
template <class Fin>
__global__ void finish_columns(const double* __restrict__ partial, int64_t splits, int64_t cols, Fin fin) {
  const int64_t step = int64_t(gridDim.x) * blockDim.x;
  for (int64_t c = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; c < cols; c += step) {
    double a = 0, b = 0;
    for (int64_t s = 0; s < splits; ++s) {
      a += partial[s * cols + c];
      b += partial[(splits + s) * cols + c];
    }
    fin(c, a, b);
  }
}

// The per-channel sums of x viewed as (N, C, M), written as partials; returns the split count (the
// partials of one split are `cols` apart).
template <class Op>
int64_t channel_sums(const Op& op, int64_t N, int64_t C, int64_t M, Tensor& partial, Device device,
                     const char* name) {
  cudaStream_t stream = current_stream();
  if (M == 1) {
    const int64_t col_blocks = (C + kColX - 1) / kColX;
    const int64_t splits = std::max<int64_t>(
        1, std::min<int64_t>((kTargetBlocks + col_blocks - 1) / col_blocks, N / kMinPerColBlock));
    const int64_t chunk = (N + splits - 1) / splits;
    partial = doubles(2 * splits * C, device);
    column_partials<<<dim3(unsigned(col_blocks), unsigned(splits)), dim3(kColX, kColY), 0, stream>>>(
        op, N, C, chunk, partial.data_ptr<double>());
    EMBER_CUDA_CHECK_LAUNCH(name);
    return splits;
  }
  const int64_t total = N * M;
  const int64_t splits =
      std::max<int64_t>(1, std::min<int64_t>((kTargetBlocks + C - 1) / C, total / kMinPerRowBlock));
  const int64_t chunk = (total + splits - 1) / splits;
  partial = doubles(2 * splits * C, device);
  channel_partials<<<dim3(unsigned(C), unsigned(splits)), kThreads, 0, stream>>>(
      op, N, C, M, chunk, kThreads / M, kThreads % M, partial.data_ptr<double>());
  EMBER_CUDA_CHECK_LAUNCH(name);
  return splits;
}

template <class Fin>
void finish(const Tensor& partial, int64_t splits, int64_t cols, const Fin& fin, const char* name) {
  finish_columns<<<blocks_for(cols, kThreads), kThreads, 0, current_stream()>>>(
      partial.defined() ? partial.data_ptr<double>() : nullptr, splits, cols, fin);
  EMBER_CUDA_CHECK_LAUNCH(name);
}

// ---------------------------------------------------------------------------------------------------
// Elementwise passes over (N, C, M) that need each element's channel.

template <bool Narrow>
struct ChannelOf;
template <>
struct ChannelOf<true> {
  IntDivider m, c;
  ChannelOf(int64_t M, int64_t C) : m(uint32_t(M)), c(uint32_t(C)) {}
  __device__ int64_t operator()(int64_t i) const {
    const uint32_t q = m.div(uint32_t(i));
    return int64_t(q - c.div(q) * c.divisor);
  }
};
template <>
struct ChannelOf<false> {
  int64_t m, c;
  ChannelOf(int64_t M, int64_t C) : m(M), c(C) {}
  __device__ int64_t operator()(int64_t i) const { return (i / m) % c; }
};

template <class F, bool Narrow>
__global__ void channel_map(int64_t total, ChannelOf<Narrow> channel, F f) {
  const int64_t step = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < total; i += step) f(i, channel(i));
}

template <class F>
void for_each_element(int64_t N, int64_t C, int64_t M, const F& f, const char* name) {
  const int64_t total = N * C * M;
  const unsigned blocks = blocks_for(total, kThreads);
  if (total <= int64_t(std::numeric_limits<int32_t>::max()))
    channel_map<<<blocks, kThreads, 0, current_stream()>>>(total, ChannelOf<true>(M, C), f);
  else
    channel_map<<<blocks, kThreads, 0, current_stream()>>>(total, ChannelOf<false>(M, C), f);
  EMBER_CUDA_CHECK_LAUNCH(name);
}

// ---------------------------------------------------------------------------------------------------
// batch_norm

template <class T>
struct SumOp {
  const T* x;
  __device__ void load(int64_t) {}
  __device__ void add(int64_t i, int64_t, double (&v)[2]) const { v[0] += double(x[i]); }
};

template <class T>
struct SquaredDeviationOp {
  const T* x;
  const double* mean;
  double mu = 0;
  __device__ void load(int64_t c) { mu = mean[c]; }
  __device__ void add(int64_t i, int64_t, double (&v)[2]) const {
    const double d = double(x[i]) - mu;
    v[0] += d * d;
  }
};

struct MeanFin {
  double* mean;
  double count;
  __device__ void operator()(int64_t c, double s, double) const { mean[c] = s / count; }
};

template <class T>
struct StatsFin {
  const double* mu;
  T *mean, *invstd, *var;
  double count, eps;
  __device__ void operator()(int64_t c, double ss, double) const {
    mean[c] = T(mu[c]);
    invstd[c] = T(1.0 / sqrt(ss / count + eps));
    // One value gives an unbiased variance of 0 / 0, as in PyTorch.
    if (var) var[c] = T(ss / (count - 1));
  }
};

template <class T>
void batch_norm_stats_typed(const Tensor& x, double eps, const Tensor& mean, const Tensor& invstd,
                            const Tensor& var) {
  const int64_t N = x.size(0), C = x.size(1), M = x.size(2);
  const char* name = "batch_norm_stats";
  const double count = double(N * M);
  Tensor mu = doubles(C, x.device()), partial;
  int64_t splits = channel_sums(SumOp<T>{x.data_ptr<T>()}, N, C, M, partial, x.device(), name);
  finish(partial, splits, C, MeanFin{mu.data_ptr<double>(), count}, name);
  splits = channel_sums(SquaredDeviationOp<T>{x.data_ptr<T>(), mu.data_ptr<double>()}, N, C, M, partial, x.device(),
                        name);
  finish(partial, splits, C,
         StatsFin<T>{mu.data_ptr<double>(), mean.data_ptr<T>(), invstd.data_ptr<T>(), out_or_null<T>(var), count, eps},
         name);
}

// scale = invstd * weight and shift = bias - mean * scale, per channel, computed in double and rounded
// to T as on the CPU.
template <class T>
__global__ void scale_shift_kernel(const T* __restrict__ mean, const T* __restrict__ invstd, const T* weight,
                                   const T* bias, T* __restrict__ scale, T* __restrict__ shift, int64_t C) {
  const int64_t step = int64_t(gridDim.x) * blockDim.x;
  for (int64_t c = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; c < C; c += step) {
    const double sc = double(invstd[c]) * (weight ? double(weight[c]) : 1.0);
    scale[c] = T(sc);
    shift[c] = T((bias ? double(bias[c]) : 0.0) - double(mean[c]) * sc);
  }
}

template <class T>
struct ApplyOp {
  const T *x, *scale, *shift;
  T* out;
  __device__ void operator()(int64_t i, int64_t c) const { out[i] = x[i] * __ldg(scale + c) + __ldg(shift + c); }
};

template <class T>
void batch_norm_apply_typed(const Tensor& x, const Tensor& mean, const Tensor& invstd, const Tensor& weight,
                            const Tensor& bias, const Tensor& out) {
  const int64_t N = x.size(0), C = x.size(1), M = x.size(2);
  const char* name = "batch_norm_apply";
  Tensor coef = ember::empty({2 * C}, TensorOptions(x.dtype()).device(x.device()));
  T* scale = coef.data_ptr<T>();
  scale_shift_kernel<T><<<blocks_for(C, kThreads), kThreads, 0, current_stream()>>>(
      mean.data_ptr<T>(), invstd.data_ptr<T>(), ptr_or_null<T>(weight), ptr_or_null<T>(bias), scale, scale + C, C);
  EMBER_CUDA_CHECK_LAUNCH(name);
  for_each_element(N, C, M, ApplyOp<T>{x.data_ptr<T>(), scale, scale + C, out.data_ptr<T>()}, name);
}

// sum(dy) and sum(dy * (x - mean)) per channel.
template <class T>
struct GradSumsOp {
  const T *dy, *x, *mean;
  double mu = 0;
  __device__ void load(int64_t c) { mu = double(mean[c]); }
  __device__ void add(int64_t i, int64_t, double (&v)[2]) const {
    const double g = double(dy[i]);
    v[0] += g;
    v[1] += g * (double(x[i]) - mu);
  }
};

// The weight and bias gradients, and the coefficients of dx = (dy - g0 - (x - mean) * k) * a:
// coef is [a | k | g0], C each.
template <class T>
struct BackwardFin {
  const T *invstd, *weight;
  T *dweight, *dbias, *coef;
  int64_t C;
  double count;
  bool train;
  __device__ void operator()(int64_t c, double s_dy, double s_dot) const {
    const double inv = double(invstd[c]), w = weight ? double(weight[c]) : 1.0;
    if (dweight) dweight[c] = T(s_dot * inv);
    if (dbias) dbias[c] = T(s_dy);
    if (!coef) return;
    coef[c] = T(inv * w);
    coef[C + c] = train ? T(s_dot * inv * inv / count) : T(0);
    coef[2 * C + c] = train ? T(s_dy / count) : T(0);
  }
};

template <class T>
struct DxOp {
  const T *dy, *x, *mean, *coef;
  T* dx;
  int64_t C;
  __device__ void operator()(int64_t i, int64_t c) const {
    const T a = __ldg(coef + c), k = __ldg(coef + C + c), g0 = __ldg(coef + 2 * C + c);
    dx[i] = (dy[i] - g0 - (x[i] - __ldg(mean + c)) * k) * a;
  }
};

template <class T>
void batch_norm_backward_typed(const Tensor& dy, const Tensor& x, const Tensor& mean, const Tensor& invstd,
                               const Tensor& weight, bool train, const Tensor& dx, const Tensor& dweight,
                               const Tensor& dbias) {
  const int64_t N = x.size(0), C = x.size(1), M = x.size(2);
  const char* name = "batch_norm_backward";
  Tensor partial, coef;
  int64_t splits = 0;
  // Without training or parameter gradients the sums are not needed: dx = dy * invstd * weight.
  if (train || dweight.defined() || dbias.defined())
    splits = channel_sums(GradSumsOp<T>{dy.data_ptr<T>(), x.data_ptr<T>(), mean.data_ptr<T>()}, N, C, M, partial,
                          x.device(), name);
  if (dx.defined()) coef = ember::empty({3 * C}, TensorOptions(x.dtype()).device(x.device()));
  finish(partial, splits, C,
         BackwardFin<T>{invstd.data_ptr<T>(), ptr_or_null<T>(weight), out_or_null<T>(dweight), out_or_null<T>(dbias),
                        out_or_null<T>(coef), C, double(N * M), train},
         name);
  if (dx.defined())
    for_each_element(N, C, M,
                     DxOp<T>{dy.data_ptr<T>(), x.data_ptr<T>(), mean.data_ptr<T>(), coef.data_ptr<T>(),
                             dx.data_ptr<T>(), C},
                     name);
}

// ---------------------------------------------------------------------------------------------------
// layer_norm: a row per warp (Block false) or per block (Block true). Every thread of a group walks
// the same rows, so the group's sums are uniform control flow.

template <bool Block>
struct RowGroup {
  int64_t lane, size, first, stride;
  __device__ RowGroup() {
    if constexpr (Block) {
      lane = threadIdx.x, size = blockDim.x, first = blockIdx.x, stride = gridDim.x;
    } else {
      const int64_t per_block = blockDim.x / kWarp;
      lane = threadIdx.x % kWarp, size = kWarp;
      first = int64_t(blockIdx.x) * per_block + threadIdx.x / kWarp, stride = int64_t(gridDim.x) * per_block;
    }
  }
  template <int K>
  __device__ void sum(double (&v)[K], double* scratch) const {
    if constexpr (Block) block_sum(v, scratch);
    else warp_sum(v);
  }
};

template <class T, bool Block>
__global__ void layer_norm_kernel(const T* __restrict__ x, const T* __restrict__ weight, const T* __restrict__ bias,
                                  double eps, T* __restrict__ out, T* __restrict__ mean, T* __restrict__ rstd,
                                  int64_t R, int64_t D) {
  __shared__ double scratch[kWarp];
  const RowGroup<Block> g;
  for (int64_t r = g.first; r < R; r += g.stride) {
    const T* xi = x + r * D;
    T* yo = out + r * D;
    double s[1] = {0.0};
    for (int64_t i = g.lane; i < D; i += g.size) s[0] += double(xi[i]);
    g.sum(s, scratch);
    const double mu = D > 0 ? s[0] / double(D) : 0.0;
    double q[1] = {0.0};
    for (int64_t i = g.lane; i < D; i += g.size) {
      const double d = double(xi[i]) - mu;
      q[0] += d * d;
    }
    g.sum(q, scratch);
    const double inv = 1.0 / sqrt(q[0] / double(D) + eps);
    if (g.lane == 0) mean[r] = T(mu), rstd[r] = T(inv);
    const T m = T(mu), sv = T(inv);
    if (weight && bias) {
      for (int64_t i = g.lane; i < D; i += g.size) yo[i] = (xi[i] - m) * sv * weight[i] + bias[i];
    } else if (weight) {
      for (int64_t i = g.lane; i < D; i += g.size) yo[i] = (xi[i] - m) * sv * weight[i];
    } else {
      for (int64_t i = g.lane; i < D; i += g.size) yo[i] = (xi[i] - m) * sv + (bias ? bias[i] : T(0));
    }
  }
}

// Launches kernel<Block> over R rows of length D.
template <class Launch>
void over_rows(int64_t R, int64_t D, const Launch& launch) {
  if (D <= kWarpRowMax)
    launch(std::false_type{}, blocks_for(R, kThreads / kWarp));
  else
    launch(std::true_type{}, blocks_for(R, 1));
}

template <class T>
void layer_norm_typed(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, const Tensor& out,
                      const Tensor& mean, const Tensor& rstd) {
  const int64_t R = x.size(0), D = x.size(1);
  over_rows(R, D, [&](auto block, unsigned blocks) {
    layer_norm_kernel<T, decltype(block)::value><<<blocks, kThreads, 0, current_stream()>>>(
        x.data_ptr<T>(), ptr_or_null<T>(weight), ptr_or_null<T>(bias), eps, out.data_ptr<T>(), mean.data_ptr<T>(),
        rstd.data_ptr<T>(), R, D);
    EMBER_CUDA_CHECK_LAUNCH("layer_norm");
  });
}

// dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) with g = dy * weight and xhat = (x - mean) * rstd.
template <class T, bool Block>
__global__ void layer_norm_dx_kernel(const T* __restrict__ dy, const T* __restrict__ x, const T* __restrict__ mean,
                                     const T* __restrict__ rstd, const T* __restrict__ weight, T* __restrict__ dx,
                                     int64_t R, int64_t D) {
  __shared__ double scratch[2 * kWarp];
  const RowGroup<Block> g;
  for (int64_t r = g.first; r < R; r += g.stride) {
    const T *gi = dy + r * D, *xi = x + r * D;
    const T m = mean[r], s = rstd[r];
    double v[2] = {0.0, 0.0};
    for (int64_t i = g.lane; i < D; i += g.size) {
      const T gw = weight ? gi[i] * weight[i] : gi[i];
      v[0] += double(gw);
      v[1] += double(gw) * double((xi[i] - m) * s);
    }
    g.sum(v, scratch);
    const T ga = T(v[0] / double(D)), gb = T(v[1] / double(D));
    T* o = dx + r * D;
    for (int64_t i = g.lane; i < D; i += g.size) {
      const T gw = weight ? gi[i] * weight[i] : gi[i];
      o[i] = s * (gw - ga - (xi[i] - m) * s * gb);
    }
  }
}

// Column i of the weight and bias gradients: sum over rows of dy * xhat and of dy.
template <class T>
struct ParamGradOp {
  const T *dy, *x, *mean, *rstd;
  __device__ void load(int64_t) {}
  __device__ void add(int64_t i, int64_t r, double (&v)[2]) const {
    const T d = dy[i];
    v[0] += double(d) * double((x[i] - __ldg(mean + r)) * __ldg(rstd + r));
    v[1] += double(d);
  }
};

template <class T>
struct ParamFin {
  T *dweight, *dbias;
  __device__ void operator()(int64_t i, double sw, double sb) const {
    if (dweight) dweight[i] = T(sw);
    if (dbias) dbias[i] = T(sb);
  }
};

template <class T>
void layer_norm_backward_typed(const Tensor& dy, const Tensor& x, const Tensor& mean, const Tensor& rstd,
                               const Tensor& weight, const Tensor& dx, const Tensor& dweight, const Tensor& dbias) {
  const int64_t R = x.size(0), D = x.size(1);
  const char* name = "layer_norm_backward";
  if (D == 0) return;
  if (dx.defined() && R > 0)
    over_rows(R, D, [&](auto block, unsigned blocks) {
      layer_norm_dx_kernel<T, decltype(block)::value><<<blocks, kThreads, 0, current_stream()>>>(
          dy.data_ptr<T>(), x.data_ptr<T>(), mean.data_ptr<T>(), rstd.data_ptr<T>(), ptr_or_null<T>(weight),
          dx.data_ptr<T>(), R, D);
      EMBER_CUDA_CHECK_LAUNCH(name);
    });
  if (!dweight.defined() && !dbias.defined()) return;
  Tensor partial;
  int64_t splits = 0;
  if (R > 0) {
    const int64_t col_blocks = (D + kColX - 1) / kColX;
    splits = std::max<int64_t>(
        1, std::min<int64_t>((kTargetBlocks + col_blocks - 1) / col_blocks, R / kMinPerColBlock));
    const int64_t chunk = (R + splits - 1) / splits;
    partial = doubles(2 * splits * D, x.device());
    column_partials<<<dim3(unsigned(col_blocks), unsigned(splits)), dim3(kColX, kColY), 0, current_stream()>>>(
        ParamGradOp<T>{dy.data_ptr<T>(), x.data_ptr<T>(), mean.data_ptr<T>(), rstd.data_ptr<T>()}, R, D, chunk,
        partial.data_ptr<double>());
    EMBER_CUDA_CHECK_LAUNCH(name);
  }
  finish(partial, splits, D, ParamFin<T>{out_or_null<T>(dweight), out_or_null<T>(dbias)}, name);
}

// ---------------------------------------------------------------------------------------------------
// Entry points: the ops pass float32 or float64 only.

void batch_norm_stats(const Tensor& x, double eps, const Tensor& mean, const Tensor& invstd, const Tensor& var) {
  float_or_double(x.dtype(), "batch_norm_stats", [&](auto t) {
    if (x.size(1) > 0) batch_norm_stats_typed<decltype(t)>(x, eps, mean, invstd, var);
  });
}

void batch_norm_apply(const Tensor& x, const Tensor& mean, const Tensor& invstd, const Tensor& weight,
                      const Tensor& bias, const Tensor& out) {
  float_or_double(x.dtype(), "batch_norm_apply", [&](auto t) {
    if (x.numel() > 0) batch_norm_apply_typed<decltype(t)>(x, mean, invstd, weight, bias, out);
  });
}

void batch_norm_backward(const Tensor& dy, const Tensor& x, const Tensor& mean, const Tensor& invstd,
                         const Tensor& weight, bool train, const Tensor& dx, const Tensor& dweight,
                         const Tensor& dbias) {
  float_or_double(x.dtype(), "batch_norm_backward", [&](auto t) {
    if (x.size(1) > 0) batch_norm_backward_typed<decltype(t)>(dy, x, mean, invstd, weight, train, dx, dweight, dbias);
  });
}

void layer_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, const Tensor& out,
                const Tensor& mean, const Tensor& rstd) {
  float_or_double(x.dtype(), "layer_norm", [&](auto t) {
    if (x.size(0) > 0) layer_norm_typed<decltype(t)>(x, weight, bias, eps, out, mean, rstd);
  });
}

void layer_norm_backward(const Tensor& dy, const Tensor& x, const Tensor& mean, const Tensor& rstd,
                         const Tensor& weight, const Tensor& dx, const Tensor& dweight, const Tensor& dbias) {
  float_or_double(x.dtype(), "layer_norm_backward", [&](auto t) {
    layer_norm_backward_typed<decltype(t)>(dy, x, mean, rstd, weight, dx, dweight, dbias);
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("batch_norm_stats", ::ember::kCUDA, &batch_norm_stats);
EMBER_REGISTER_KERNEL("batch_norm_apply", ::ember::kCUDA, &batch_norm_apply);
EMBER_REGISTER_KERNEL("batch_norm_backward", ::ember::kCUDA, &batch_norm_backward);
EMBER_REGISTER_KERNEL("layer_norm", ::ember::kCUDA, &layer_norm);
EMBER_REGISTER_KERNEL("layer_norm_backward", ::ember::kCUDA, &layer_norm_backward);

}  // namespace ember::cuda
