// tril / triu on CUDA: zeroes, in place, the elements outside the kept triangle of each matrix of a
// contiguous (batch, rows, cols) tensor. Zero is the all-zero bit pattern in every dtype (bool, integers,
// IEEE and bfloat16 floats), so one kernel per element size serves them all.
#include <cstdint>

#include <ember/tensor.h>

#include "backend/cuda/cuda_check.h"
#include "backend/cuda/stream.h"
#include "dispatch/gemm_kernel.h"
#include "dispatch/registry.h"

namespace ember::cuda {
namespace {

// tril keeps j - i <= k, triu keeps j - i >= k.
template <class Word>
__global__ void zero_outside_triangle(Word* data, int64_t total, int64_t rows, int64_t cols, int64_t k, bool upper) {
  const int64_t step = int64_t(gridDim.x) * blockDim.x;
  for (int64_t idx = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; idx < total; idx += step) {
    const int64_t j = idx % cols, i = (idx / cols) % rows;
    if (upper ? j - i < k : j - i > k) data[idx] = Word(0);
  }
}

template <class Word>
void launch(Tensor& t, int64_t rows, int64_t cols, int64_t k, bool upper) {
  constexpr int kThreads = 256;
  const int64_t total = t.numel();
  zero_outside_triangle<Word><<<blocks_for(total, kThreads), kThreads, 0, current_stream()>>>(
      static_cast<Word*>(t.data_ptr()), total, rows, cols, k, upper);
  EMBER_CUDA_CHECK_LAUNCH("triangle");
}

void triangle_kernel(Tensor& t, int64_t rows, int64_t cols, int64_t k, bool upper) {
  if (t.numel() == 0) return;
  // Nothing to zero when the kept band covers every column of every row.
  if (upper ? k <= -(rows - 1) : k >= cols - 1) return;
  switch (t.element_size()) {
    case 1:
      return launch<uint8_t>(t, rows, cols, k, upper);
    case 2:
      return launch<uint16_t>(t, rows, cols, k, upper);
    case 4:
      return launch<uint32_t>(t, rows, cols, k, upper);
    case 8:
      return launch<uint64_t>(t, rows, cols, k, upper);
    default:
      throw Error(detail::str("triangle: unsupported element size ", t.element_size()));
  }
}

}  // namespace

EMBER_REGISTER_KERNEL("triangle", ::ember::kCUDA, &triangle_kernel);

}  // namespace ember::cuda
