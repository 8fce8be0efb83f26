#pragma once
// The generic loop of the CUDA pointwise kernels: out[i] = op(in_1[i], ..., in_n[i]) over a
// dispatch::TensorIterator, where `op` takes and returns the operands' storage types. Each (op, dtypes)
// gets two kernels. The contiguous one serves a single row whose operands are contiguous or broadcast
// scalars, with 16-byte vector loads and stores when the other operands are aligned for them. The
// strided one finds byte offsets with 32-bit index math; an iteration whose element count or byte
// offsets overflow int32 is split along its widest dimension until the pieces fit, so no 64-bit variant
// is compiled.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <utility>

// The functors compiled here get their own inline namespace (see backend/common/pointwise_functors.h).
#ifndef EMBER_KERNEL_NS
#define EMBER_KERNEL_NS cuda_kernels
#endif

#include "backend/cuda/cuda_check.h"
#include "backend/cuda/offset_calc.cuh"
#include "backend/cuda/stream.h"
#include "dispatch/tensor_iterator.h"

namespace ember::cuda {
// Internal linkage: each .cu file owns the kernels it instantiates, so no kernel template is shared
// between translation units that each carry their own device code.
namespace {

constexpr int kElementwiseThreads = 256;

template <int N>
struct Ptrs {
  char* p[N];
};

template <class T, int V>
struct alignas(sizeof(T) * V) AlignedVec {
  T v[V];
};

// Elements per vector step: the widest operand moves 16 bytes, narrower ones move less.
template <class O, class... I>
constexpr int vec_width() {
  size_t m = sizeof(O);
  ((m = sizeof(I) > m ? sizeof(I) : m), ...);
  return int(16 / m);
}

template <class T, int V>
__device__ AlignedVec<T, V> load_vec(const char* p, bool scalar, int64_t chunk) {
  if (!scalar) return reinterpret_cast<const AlignedVec<T, V>*>(p)[chunk];
  AlignedVec<T, V> r;
  const T s = *reinterpret_cast<const T*>(p);
#pragma unroll
  for (int j = 0; j < V; ++j) r.v[j] = s;
  return r;
}

template <class O, int V, class Op, class... I>
__device__ AlignedVec<O, V> apply_vec(const Op& op, const AlignedVec<I, V>&... in) {
  AlignedVec<O, V> r;
#pragma unroll
  for (int j = 0; j < V; ++j) r.v[j] = op(in.v[j]...);
  return r;
}

// Bit k of `scalars` marks input k as a broadcast scalar. Vector steps cover [0, vec_end), a multiple of
// the vector width (0 when the pointers are not aligned for vector access); single elements cover the
// rest, where a scalar input steps by 0 (arithmetically, not through a branch). The loops are kept
// rolled: unrolled, and cloned by the compiler for each combination of scalar flags, they multiplied
// the code (and compile time) of every kernel.
template <class Op, class O, class... I, size_t... K>
__device__ void contiguous_loop(const Op& op, const Ptrs<1 + sizeof...(I)>& ptrs, unsigned scalars, int64_t n,
                                int64_t vec_end, std::index_sequence<K...>) {
  constexpr int V = vec_width<O, I...>();
  const int64_t start = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  const int64_t step = int64_t(gridDim.x) * blockDim.x;
  auto* out_vec = reinterpret_cast<AlignedVec<O, V>*>(ptrs.p[0]);
#pragma unroll 1
  for (int64_t c = start; c < vec_end / V; c += step)
    out_vec[c] = apply_vec<O, V>(op, load_vec<I, V>(ptrs.p[K + 1], (scalars >> K) & 1u, c)...);
  O* out = reinterpret_cast<O*>(ptrs.p[0]);
#pragma unroll 1
  for (int64_t i = vec_end + start; i < n; i += step)
    out[i] = op(reinterpret_cast<const I*>(ptrs.p[K + 1])[i * int64_t((~scalars >> K) & 1u)]...);
}

template <class Op, class O, class... I>
__global__ void __launch_bounds__(kElementwiseThreads)
    contiguous_kernel(Op op, Ptrs<1 + sizeof...(I)> ptrs, unsigned scalars, int64_t n, int64_t vec_end) {
  contiguous_loop<Op, O, I...>(op, ptrs, scalars, n, vec_end, std::index_sequence_for<I...>{});
}

template <class Op, class O, class... I, size_t... K>
__device__ void strided_loop(const Op& op, const Ptrs<1 + sizeof...(I)>& ptrs,
                             const OffsetCalculator<1 + sizeof...(I)>& calc, uint32_t n, std::index_sequence<K...>) {
  // n < 2^31 and the grid is below 2^28 threads, so the index cannot wrap.
  const uint32_t step = gridDim.x * blockDim.x;
#pragma unroll 1
  for (uint32_t i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += step) {
    const Offsets<1 + sizeof...(I)> o = calc.get(i);
    *reinterpret_cast<O*>(ptrs.p[0] + o.v[0]) = op(*reinterpret_cast<const I*>(ptrs.p[K + 1] + o.v[K + 1])...);
  }
}

template <class Op, class O, class... I>
__global__ void __launch_bounds__(kElementwiseThreads)
    strided_kernel(Op op, Ptrs<1 + sizeof...(I)> ptrs, __grid_constant__ const OffsetCalculator<1 + sizeof...(I)> calc,
                   uint32_t n) {
  strided_loop<Op, O, I...>(op, ptrs, calc, n, std::index_sequence_for<I...>{});
}

// A strided iteration on the host: sizes innermost first, byte strides per dimension and operand.
template <int N>
struct StridedGeometry {
  int ndim = 0;
  int64_t sizes[kMaxElementwiseDims] = {};
  int64_t strides[kMaxElementwiseDims][N] = {};
  char* data[N] = {};

  int64_t numel() const {
    int64_t n = 1;
    for (int d = 0; d < ndim; ++d) n *= sizes[d];
    return n;
  }
  bool fits_int32() const {
    constexpr int64_t kMax = INT32_MAX;
    if (numel() > kMax) return false;
    for (int k = 0; k < N; ++k) {
      int64_t extent = 0;
      for (int d = 0; d < ndim; ++d) extent += (sizes[d] - 1) * std::llabs(strides[d][k]);
      if (extent > kMax) return false;
    }
    return true;
  }
  // The dimension with the largest byte extent in any operand (the largest size where every stride is 0).
  int widest_dim() const {
    int best = 0;
    int64_t best_extent = -1;
    for (int d = 0; d < ndim; ++d) {
      int64_t stride = 1;
      for (int k = 0; k < N; ++k) stride = std::max<int64_t>(stride, std::llabs(strides[d][k]));
      const int64_t extent = (sizes[d] - 1) * stride;
      if (extent > best_extent) {
        best_extent = extent;
        best = d;
      }
    }
    return best;
  }
};

template <class O, class... I, class Op>
void launch_strided(const Op& op, const StridedGeometry<1 + sizeof...(I)>& g, const char* name) {
  constexpr int N = 1 + sizeof...(I);
  if (!g.fits_int32()) {
    // Halving the widest dimension terminates: a piece whose sizes are all 1 has offsets 0.
    const int d = g.widest_dim();
    StridedGeometry<N> lo = g, hi = g;
    lo.sizes[d] = g.sizes[d] / 2;
    hi.sizes[d] = g.sizes[d] - lo.sizes[d];
    for (int k = 0; k < N; ++k) hi.data[k] += lo.sizes[d] * g.strides[d][k];
    launch_strided<O, I...>(op, lo, name);
    launch_strided<O, I...>(op, hi, name);
    return;
  }
  OffsetCalculator<N> calc{};
  calc.ndim = g.ndim;
  for (int d = 0; d < g.ndim; ++d) {
    calc.sizes[d] = IntDivider(uint32_t(g.sizes[d]));
    for (int k = 0; k < N; ++k) calc.strides[d][k] = int32_t(g.strides[d][k]);
  }
  Ptrs<N> ptrs;
  for (int k = 0; k < N; ++k) ptrs.p[k] = g.data[k];
  const int64_t n = g.numel();
  strided_kernel<Op, O, I...><<<blocks_for(n, kElementwiseThreads), kElementwiseThreads, 0, current_stream()>>>(
      op, ptrs, calc, uint32_t(n));
  EMBER_CUDA_CHECK_LAUNCH(name);
}

// Runs out = op(inputs...) over `it`, whose operand 0 is the output (type O) and operands 1.. the inputs
// (types I...). `name` names the op in errors.
template <class O, class... I, class Op>
void launch_elementwise(const dispatch::TensorIterator& it, const Op& op, const char* name) {
  constexpr int N = 1 + sizeof...(I);
  const int64_t n = it.numel();
  if (n == 0) return;
  constexpr int64_t elem[N] = {int64_t(sizeof(O)), int64_t(sizeof(I))...};
  const int nd = it.ndim();
  Ptrs<N> ptrs;
  for (int k = 0; k < N; ++k) ptrs.p[k] = it.data(k);

  if (nd <= 1) {
    // A single element (0-dim or n == 1) is contiguous whatever its strides.
    bool contiguous = true;
    unsigned scalars = 0;
    for (int k = 0; k < N && nd == 1 && n > 1; ++k) {
      const int64_t s = it.strides(k)[0];
      if (s == elem[k]) continue;
      if (k > 0 && s == 0) scalars |= 1u << (k - 1);
      else contiguous = false;
    }
    if (contiguous) {
      constexpr int V = vec_width<O, I...>();
      bool aligned = true;
      for (int k = 0; k < N; ++k)
        if (k == 0 || !((scalars >> (k - 1)) & 1u))
          aligned = aligned && reinterpret_cast<uintptr_t>(ptrs.p[k]) % uintptr_t(V * elem[k]) == 0;
      const int64_t vec_end = aligned ? n - n % V : 0;
      const int64_t work = vec_end / V + (n - vec_end);
      contiguous_kernel<Op, O, I...><<<blocks_for(work, kElementwiseThreads), kElementwiseThreads, 0,
                                      current_stream()>>>(op, ptrs, scalars, n, vec_end);
      EMBER_CUDA_CHECK_LAUNCH(name);
      return;
    }
  }

  EMBER_CHECK(nd <= kMaxElementwiseDims, "\"", name, "\" on CUDA supports at most ", kMaxElementwiseDims,
              " dimensions after merging contiguous ones, got ", nd);
  StridedGeometry<N> g;
  g.ndim = nd;
  for (int d = 0; d < nd; ++d) {
    g.sizes[d] = it.shape()[d];
    for (int k = 0; k < N; ++k) g.strides[d][k] = it.strides(k)[d];
  }
  for (int k = 0; k < N; ++k) g.data[k] = ptrs.p[k];
  launch_strided<O, I...>(op, g, name);
}

}  // namespace
}  // namespace ember::cuda
