#pragma once
// Byte offsets of every operand of a strided elementwise kernel from one linear index, with 32-bit
// index math: kernels only see iterations whose element count and byte offsets fit in int32 (the
// launcher splits larger ones), so the per-dimension divisions are a multiply-high and a shift. The
// calculator is a plain struct passed by value as a __grid_constant__ kernel parameter, so the loop over
// dimensions indexes it where it lies (no per-thread copy) and need not be unrolled 25 times.
#include <cstdint>

#include <ember/core/error.h>

namespace ember::cuda {

constexpr int kMaxElementwiseDims = 25;

// Division by a divisor fixed at launch (Granlund and Montgomery, "Division by invariant integers
// using multiplication", 1994), exact for divisor in [1, INT32_MAX] and dividend in [0, INT32_MAX].
struct IntDivider {
  uint32_t divisor = 1, magic = 1, shift = 0;
  IntDivider() = default;
  explicit IntDivider(uint32_t d) : divisor(d) {
    while (shift < 32 && (uint64_t(1) << shift) < d) ++shift;
    magic = uint32_t(((uint64_t(1) << 32) * ((uint64_t(1) << shift) - d)) / d + 1);
  }
  __device__ uint32_t div(uint32_t n) const { return (__umulhi(n, magic) + n) >> shift; }
};

template <int N>
struct Offsets {
  int32_t v[N];
};

// sizes innermost first; strides[d][k] is operand k's byte stride along dimension d.
template <int N>
struct OffsetCalculator {
  int ndim = 0;
  IntDivider sizes[kMaxElementwiseDims];
  int32_t strides[kMaxElementwiseDims][N];

  __device__ Offsets<N> get(uint32_t linear) const {
    Offsets<N> o;
#pragma unroll
    for (int k = 0; k < N; ++k) o.v[k] = 0;
    // The outermost index needs no division: what is left of `linear` is it.
    for (int d = 0; d < ndim - 1; ++d) {
      const uint32_t q = sizes[d].div(linear);
      const int32_t r = int32_t(linear - q * sizes[d].divisor);
      linear = q;
#pragma unroll
      for (int k = 0; k < N; ++k) o.v[k] += r * strides[d][k];
    }
#pragma unroll
    for (int k = 0; k < N; ++k) o.v[k] += int32_t(linear) * strides[ndim - 1][k];
    return o;
  }
};

}  // namespace ember::cuda
