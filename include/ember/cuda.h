#pragma once
// The CUDA runtime as torch::cuda and torch.cuda expose it. Everything here also works in a build
// without the CUDA backend or on a machine without a GPU: is_available() is false and device_count() 0
// there, the memory counters read 0, and synchronize() raises, as PyTorch's do.
#include <cstdint>

namespace ember::cuda {

bool is_available();
int device_count();
// Waits for all work queued on the device (-1: the current one).
void synchronize(int device = -1);

// The caching allocator's counters in bytes (torch.cuda.memory_allocated and friends). Allocated bytes
// are those of live tensors; reserved bytes are what the allocator holds from the driver, cached blocks
// included; empty_cache() returns the unused cached blocks to the driver.
int64_t memory_allocated(int device = -1);
int64_t max_memory_allocated(int device = -1);
int64_t memory_reserved(int device = -1);
int64_t max_memory_reserved(int device = -1);
void reset_peak_memory_stats(int device = -1);
void empty_cache();

// torch.backends.cuda.matmul.allow_tf32: float32 matrix products may use TF32 tensor cores (off by
// default, as in PyTorch since 1.12).
bool allow_tf32();
void set_allow_tf32(bool allow);

}  // namespace ember::cuda
