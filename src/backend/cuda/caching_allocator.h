#pragma once
// The CUDA caching allocator, after PyTorch's: device memory is taken from the driver in segments and
// handed out as blocks; a freed block goes back to a pool and is reused by a later request on the same
// stream, split when it is larger than needed and merged with free neighbours when it comes back. So
// a training step that frees and reallocates the same sizes calls cudaMalloc only in its first step.
#include <cstddef>
#include <cstdint>

#include <cuda_runtime.h>

#include "core/cuda_hooks.h"

namespace ember::cuda {

void* cached_alloc(size_t nbytes, cudaStream_t stream);
void cached_free(void* p);
// The block starting at `p` is used by `stream` too; when freed it is reused only after the work queued
// on that stream by then has run.
void record_stream(void* p, cudaStream_t stream);
core::CudaMemoryCounters memory_counters();
void reset_peak_memory();
// Returns every unused cached segment to the driver.
void release_cached_memory();

}  // namespace ember::cuda
