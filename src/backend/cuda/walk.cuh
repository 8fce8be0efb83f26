#pragma once
// A row-major walk over a shape with the element strides of N tensors along it, passed to a kernel by
// value: element `linear` of the walk is at offset off[k] in tensor k. 64-bit index math, for the index
// and sort families, whose tensors are walked once per element.
#include <cstdint>

#include <ember/core/array_ref.h>
#include <ember/core/error.h>

namespace ember::cuda {

constexpr int kMaxWalkDims = 25;

template <int N>
struct Walk {
  int nd = 0;
  int64_t sizes[kMaxWalkDims];
  int64_t strides[kMaxWalkDims][N];

  __device__ void offsets(int64_t linear, int64_t (&off)[N]) const {
#pragma unroll
    for (int k = 0; k < N; ++k) off[k] = 0;
    for (int d = nd - 1; d >= 0; --d) {
      const int64_t c = linear % sizes[d];
      linear /= sizes[d];
#pragma unroll
      for (int k = 0; k < N; ++k) off[k] += c * strides[d][k];
    }
  }
};

template <int N>
Walk<N> make_walk(IntArrayRef sizes, const IntArrayRef (&strides)[N], const char* op) {
  EMBER_CHECK(sizes.size() <= size_t(kMaxWalkDims), op, ": CUDA kernels walk at most ", kMaxWalkDims,
              " dims, got ", sizes.size());
  Walk<N> w;
  w.nd = int(sizes.size());
  for (int d = 0; d < w.nd; ++d) {
    w.sizes[d] = sizes[size_t(d)];
    for (int k = 0; k < N; ++k) w.strides[d][k] = strides[k][size_t(d)];
  }
  return w;
}

}  // namespace ember::cuda
