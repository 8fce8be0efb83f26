// ember/cuda.h: forwards to the CUDA backend's hooks when it is built in.
#include <atomic>

#include <ember/core/error.h>
#include <ember/cuda.h>

#include "core/cuda_hooks.h"

namespace ember {
namespace core {
namespace {
CudaHooks* g_hooks = nullptr;
}
CudaHooks* cuda_hooks() { return g_hooks; }
void set_cuda_hooks(CudaHooks* hooks) { g_hooks = hooks; }
}  // namespace core

namespace cuda {
namespace {
std::atomic<bool> g_allow_tf32{false};

core::CudaMemoryCounters counters(int device) {
  core::CudaHooks* h = core::cuda_hooks();
  if (!h || h->device_count() == 0) return {};
  return h->memory(device < 0 ? h->current_device() : device);
}
}  // namespace

int device_count() {
  core::CudaHooks* h = core::cuda_hooks();
  return h ? h->device_count() : 0;
}
bool is_available() { return device_count() > 0; }

void synchronize(int device) {
  core::CudaHooks* h = core::cuda_hooks();
  EMBER_CHECK(h, "Torch not compiled with CUDA enabled (ember was built without its CUDA backend)");
  EMBER_CHECK(h->device_count() > 0, "synchronize: no CUDA GPUs are available");
  h->synchronize(device < 0 ? h->current_device() : device);
}

int64_t memory_allocated(int device) { return counters(device).allocated; }
int64_t max_memory_allocated(int device) { return counters(device).peak_allocated; }
int64_t memory_reserved(int device) { return counters(device).reserved; }
int64_t max_memory_reserved(int device) { return counters(device).peak_reserved; }

void reset_peak_memory_stats(int device) {
  core::CudaHooks* h = core::cuda_hooks();
  if (h && h->device_count() > 0) h->reset_peak_memory(device < 0 ? h->current_device() : device);
}
void empty_cache() {
  core::CudaHooks* h = core::cuda_hooks();
  if (h && h->device_count() > 0) h->empty_cache();
}

bool allow_tf32() { return g_allow_tf32.load(std::memory_order_relaxed); }
void set_allow_tf32(bool allow) { g_allow_tf32.store(allow, std::memory_order_relaxed); }

}  // namespace cuda
}  // namespace ember
