#pragma once
// CUDA errors become ember::Error naming the op that hit them. Kernel launches are checked right after
// the launch (a bad configuration); faults inside a kernel surface at the next synchronising call,
// which names its own op.
#include <cuda_runtime.h>

#include <ember/core/error.h>

namespace ember::cuda {

[[noreturn]] void throw_cuda_error(cudaError_t err, const char* op, const char* call);

}  // namespace ember::cuda

#define EMBER_CUDA_CHECK(expr, op)                                                        \
  do {                                                                                    \
    cudaError_t ember_cuda_err_ = (expr);                                                 \
    if (ember_cuda_err_ != cudaSuccess) ::ember::cuda::throw_cuda_error(ember_cuda_err_, op, #expr); \
  } while (0)
// After a <<<...>>> launch.
#define EMBER_CUDA_CHECK_LAUNCH(op) EMBER_CUDA_CHECK(cudaGetLastError(), op)
