#pragma once
// The stream that ember's CUDA kernels run on. Each thread has a current stream (the device's default
// stream until set otherwise), as in PyTorch; all kernels and copies of one op go to it, so the ops of
// one thread run in order without host synchronisation.
#include <cuda_runtime.h>

namespace ember::cuda {

cudaStream_t current_stream();
void set_current_stream(cudaStream_t s);

// Launch geometry for `n` independent elements with `threads` per block, capped so that a grid-stride
// loop covers the rest.
inline unsigned blocks_for(long long n, int threads) {
  long long b = (n + threads - 1) / threads;
  if (b < 1) b = 1;
  return unsigned(b > 65535LL * 16 ? 65535LL * 16 : b);
}

// The grid-stride loop over [0, n) that goes with blocks_for, for use inside a __global__ function.
#define EMBER_GRID_LOOP(i, n)                                                                               \
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x, step_ = int64_t(gridDim.x) * blockDim.x; \
       i < (n); i += step_)

}  // namespace ember::cuda
