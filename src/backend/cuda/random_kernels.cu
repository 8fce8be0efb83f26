// CUDA kernels of the random ops. They give the CPU kernels' numbers (backend/cpu/random_kernels.cpp)
// for the same seed: element i maps the Philox words of counter (i, offset) to its value with the
// CPU's arithmetic, written with __dmul_rn / __dadd_rn where nvcc would otherwise fuse a multiply and
// an add into one FMA, which rounds once instead of twice. Uniform, integer and Bernoulli draws,
// randperm and multinomial with replacement are therefore bitwise equal to the CPU's. Normal and
// exponential draws pass through the device log, log1p and cos, which are within an ulp or two of
// glibc's, so a float64 sample can differ from the CPU's in its last bits and a float32 or narrower
// one, rarely, by one ulp.
#include <cub/device/device_radix_sort.cuh>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include <ember/ops/factory.h>
#include <ember/tensor.h>

#include "backend/common/random_bits.h"
#include "backend/common/visit_dtype.h"
#include "backend/cuda/cuda_check.h"
#include "backend/cuda/stream.h"
#include "core/philox.h"
#include "dispatch/random_kernels.h"
#include "dispatch/registry.h"
#include "dispatch/sort_kernels.h"

namespace ember::cuda {
namespace {

using core::PhiloxBlock;
using kernels::type_tag;
using kernels::visit_dtype;
using kernels::mantissa_digits;
using kernels::uniform53;

constexpr int kThreads = 256;

template <class T>
constexpr bool is_float_v = std::is_floating_point_v<T> || std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>;

template <class T, class Draw>
__global__ void __launch_bounds__(kThreads) fill_kernel(T* out, int64_t n, PhiloxInputs in, Draw draw) {
  const int64_t step = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += step)
    out[i] = draw(core::philox_draw(in.seed, in.offset, uint64_t(i)), i);
}

template <class T, class Draw>
void fill(const Tensor& out, PhiloxInputs in, const Draw& draw, const char* name) {
  const int64_t n = out.numel();
  if (n == 0) return;
  fill_kernel<T><<<blocks_for(n, kThreads), kThreads, 0, current_stream()>>>(static_cast<T*>(out.data_ptr()), n, in,
                                                                               draw);
  EMBER_CUDA_CHECK_LAUNCH(name);
}

// Uniform in [a, a + width): width is the CPU's (b - a), computed once on the host in double.
template <class T>
struct UniformDraw {
  double a, width;
  __device__ T operator()(const PhiloxBlock& w, int64_t) const {
    constexpr int digits = mantissa_digits<T>();
    double u;
    if constexpr (digits > 32) u = uniform53(w[0], w[1]);
    else u = double(w[0] >> (32 - digits)) * (1.0 / double(uint64_t(1) << digits));
    return T(__dadd_rn(__dmul_rn(u, width), a));
  }
};

// Box-Muller over two 53-bit uniforms; 1 - u keeps the log's argument in (0, 1].
template <class T>
struct NormalDraw {
  double mean, stddev;
  __device__ T operator()(const PhiloxBlock& w, int64_t) const {
    const double r = sqrt(-2.0 * log(1.0 - uniform53(w[0], w[1])));
    const double c = cos(__dmul_rn(2.0 * M_PI, uniform53(w[2], w[3])));
    return T(__dadd_rn(mean, __dmul_rn(__dmul_rn(stddev, r), c)));
  }
};

template <class T>
struct ExponentialDraw {
  double rate;
  __device__ T operator()(const PhiloxBlock& w, int64_t) const {
    return T(rate == 0 ? INFINITY : -log1p(-uniform53(w[0], w[1])) / rate);
  }
};

void random_float_kernel(const Tensor& out, PhiloxInputs in, dispatch::RandomDist dist, double a, double b) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    // As on the CPU, the op admits only floating outputs; the other dtypes never reach this kernel.
    if constexpr (is_float_v<T>) {
      switch (dist) {
        case dispatch::RandomDist::Uniform:
          fill<T>(out, in, UniformDraw<T>{a, b - a}, "uniform_");
          break;
        case dispatch::RandomDist::Normal:
          fill<T>(out, in, NormalDraw<T>{a, b}, "normal_");
          break;
        case dispatch::RandomDist::Exponential:
          fill<T>(out, in, ExponentialDraw<T>{a}, "exponential_");
          break;
      }
    }
  });
}

// from + (64 random bits mod range), range 0 standing for 2^64; the sum wraps like the CPU's.
template <class T>
struct IntDraw {
  int64_t from;
  uint64_t range;
  __device__ T operator()(const PhiloxBlock& w, int64_t) const {
    const uint64_t r = (uint64_t(w[0]) << 32) | w[1];
    const int64_t v = int64_t(uint64_t(from) + (range == 0 ? r : r % range));
    if constexpr (std::is_same_v<T, bool>) return v != 0;
    else if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) return T(float(v));
    else return T(v);
  }
};

void random_int_kernel(const Tensor& out, PhiloxInputs in, int64_t from, uint64_t range) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    fill<T>(out, in, IntDraw<T>{from, range}, "random_");
  });
}

// p: device float64, one value (scalar) or one per element.
template <class T>
struct BernoulliDraw {
  const double* p;
  bool scalar;
  __device__ T operator()(const PhiloxBlock& w, int64_t i) const {
    const bool hit = uniform53(w[0], w[1]) < p[scalar ? 0 : i];
    if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) return T(hit ? 1.0f : 0.0f);
    else return T(hit);
  }
};

void bernoulli_kernel(const Tensor& out, PhiloxInputs in, const Tensor& p) {
  const double* pp = static_cast<const double*>(p.data_ptr());
  const bool scalar = p.numel() == 1;
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    fill<T>(out, in, BernoulliDraw<T>{pp, scalar}, "bernoulli_");
  });
}

// The CPU's randperm keys (the first 64 bits of element i's words) beside the indices 0..n-1.
__global__ void __launch_bounds__(kThreads)
    randperm_keys_kernel(uint64_t* key, int64_t* index, int64_t n, PhiloxInputs in) {
  const int64_t step = int64_t(gridDim.x) * blockDim.x;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += step) {
    const PhiloxBlock w = core::philox_draw(in.seed, in.offset, uint64_t(i));
    key[i] = (uint64_t(w[0]) << 32) | w[1];
    index[i] = i;
  }
}

void randperm_kernel(const Tensor& out, PhiloxInputs in) {
  // The CPU stable-sorts the indices by i.i.d. 64-bit keys; a radix sort is stable too, so ties keep
  // index order and the permutation is the CPU's.
  const int64_t n = out.numel();
  if (n == 0) return;
  const cudaStream_t stream = current_stream();
  const TensorOptions words = TensorOptions(kInt64).device(out.device());
  Tensor keys = ember::empty({2, n}, words), spare = ember::empty({n}, words);
  auto* k0 = static_cast<uint64_t*>(keys.data_ptr());
  auto* result = static_cast<int64_t*>(out.data_ptr());
  randperm_keys_kernel<<<blocks_for(n, kThreads), kThreads, 0, stream>>>(k0, result, n, in);
  EMBER_CUDA_CHECK_LAUNCH("randperm");

  cub::DoubleBuffer<uint64_t> key_buf(k0, k0 + n);
  cub::DoubleBuffer<int64_t> index_buf(result, static_cast<int64_t*>(spare.data_ptr()));
  size_t temp_bytes = 0;
  EMBER_CUDA_CHECK(cub::DeviceRadixSort::SortPairs(nullptr, temp_bytes, key_buf, index_buf, n, 0, 64, stream),
                   "randperm");
  Tensor temp = ember::empty({int64_t(temp_bytes)}, TensorOptions(kUInt8).device(out.device()));
  EMBER_CUDA_CHECK(
      cub::DeviceRadixSort::SortPairs(temp.data_ptr(), temp_bytes, key_buf, index_buf, n, 0, 64, stream),
      "randperm");
  if (index_buf.Current() != result)
    EMBER_CUDA_CHECK(cudaMemcpyAsync(result, index_buf.Current(), size_t(n) * sizeof(int64_t),
                                     cudaMemcpyDeviceToDevice, stream),
                     "randperm");
}

// ---- multinomial ----
// With replacement: each row's running sums, added in order as the CPU's partial_sum, and its last
// category with weight (a draw that rounds up to the total goes there).
__global__ void multinomial_cdf_kernel(const double* probs, double* cdf, int64_t* last, int64_t rows, int64_t cats) {
  EMBER_GRID_LOOP(r, rows) {
    double sum = 0;
    int64_t with_weight = 0;
    for (int64_t c = 0; c < cats; ++c) {
      const double w = probs[r * cats + c];
      sum = __dadd_rn(sum, w);
      cdf[r * cats + c] = sum;
      if (w != 0) with_weight = c;
    }
    last[r] = with_weight;
  }
}

// Sample i = (row r, draw s) takes counter i, as on the CPU: the first category whose running sum
// exceeds u * total.
__global__ void multinomial_draw_kernel(const double* cdf, const int64_t* last, int64_t cats, int64_t draws,
                                        int64_t total, PhiloxInputs in, int64_t* out) {
  EMBER_GRID_LOOP(i, total) {
    const int64_t r = i / draws;
    const double* row = cdf + r * cats;
    const PhiloxBlock w = core::philox_draw(in.seed, in.offset, uint64_t(i));
    const double x = __dmul_rn(uniform53(w[0], w[1]), row[cats - 1]);
    int64_t lo = 0, hi = cats;
    while (lo < hi) {
      const int64_t mid = lo + (hi - lo) / 2;
      if (row[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    out[i] = lo < last[r] ? lo : last[r];
  }
}

// Without replacement, the CPU's exponential race: key = weight / Exp(1) draw of counter (r * cats + c),
// and the categories with the largest keys, ties in category order. The device log1p is within an ulp of
// glibc's, so keys equal to the CPU's in all but their last bits order the categories the same way
// unless two of them are that close.
__global__ void multinomial_keys_kernel(const double* probs, int64_t total, PhiloxInputs in, double* keys) {
  EMBER_GRID_LOOP(i, total) {
    const PhiloxBlock w = core::philox_draw(in.seed, in.offset, uint64_t(i));
    const double expo = fmax(-log1p(-uniform53(w[0], w[1])), DBL_MIN);
    keys[i] = probs[i] / expo;
  }
}

void multinomial_kernel(const Tensor& probs, const Tensor& out, PhiloxInputs in, bool replacement) {
  const int64_t rows = probs.size(0), cats = probs.size(1), draws = out.size(1);
  const cudaStream_t stream = current_stream();
  const double* p = probs.data_ptr<double>();
  if (replacement) {
    Tensor cdf = ember::empty({rows, cats}, TensorOptions(kFloat64).device(out.device()));
    Tensor last = ember::empty({rows}, TensorOptions(kInt64).device(out.device()));
    multinomial_cdf_kernel<<<blocks_for(rows, kThreads), kThreads, 0, stream>>>(
        p, cdf.data_ptr<double>(), last.data_ptr<int64_t>(), rows, cats);
    EMBER_CUDA_CHECK_LAUNCH("multinomial");
    multinomial_draw_kernel<<<blocks_for(out.numel(), kThreads), kThreads, 0, stream>>>(
        cdf.data_ptr<double>(), last.data_ptr<int64_t>(), cats, draws, out.numel(), in, out.data_ptr<int64_t>());
    EMBER_CUDA_CHECK_LAUNCH("multinomial");
    return;
  }
  Tensor keys = ember::empty({rows, cats}, TensorOptions(kFloat64).device(out.device()));
  multinomial_keys_kernel<<<blocks_for(probs.numel(), kThreads), kThreads, 0, stream>>>(p, probs.numel(), in,
                                                                                         keys.data_ptr<double>());
  EMBER_CUDA_CHECK_LAUNCH("multinomial");
  // topk's largest-first order keeps equal keys in position order, the CPU's tie rule.
  Tensor top = ember::empty({rows, draws}, TensorOptions(kFloat64).device(out.device()));
  static auto& k = dispatch::slot("topk");
  dispatch::kernel<dispatch::TopkKernel>(k, kCUDA)(keys, top, out, 1, draws, true);
}

}  // namespace

EMBER_REGISTER_KERNEL("random_float", ::ember::kCUDA, &random_float_kernel);
EMBER_REGISTER_KERNEL("random_int", ::ember::kCUDA, &random_int_kernel);
EMBER_REGISTER_KERNEL("bernoulli", ::ember::kCUDA, &bernoulli_kernel);
EMBER_REGISTER_KERNEL("randperm", ::ember::kCUDA, &randperm_kernel);
EMBER_REGISTER_KERNEL("multinomial", ::ember::kCUDA, &multinomial_kernel);

}  // namespace ember::cuda
