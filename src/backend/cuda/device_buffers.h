#pragma once
// Scratch tensors on a tensor's device, and reading a few device values back to the host.
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

#include <ember/ops/factory.h>
#include <ember/tensor.h>

#include "backend/cuda/cuda_check.h"
#include "backend/cuda/stream.h"

namespace ember::cuda {

// Host copies of a few device values; waits for the stream.
template <class T>
inline void read_back(T* host, const void* device, size_t count, const char* op) {
  cudaStream_t stream = current_stream();
  EMBER_CUDA_CHECK(cudaMemcpyAsync(host, device, count * sizeof(T), cudaMemcpyDeviceToHost, stream), op);
  EMBER_CUDA_CHECK(cudaStreamSynchronize(stream), op);
}

// n elements of dt on like's device, uninitialised.
inline Tensor device_buffer(int64_t n, DType dt, const Tensor& like) {
  return ember::empty({n}, TensorOptions(dt).device(like.device()));
}

}  // namespace ember::cuda
