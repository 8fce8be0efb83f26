// ember/cuda.h: forwards to the CUDA backend's hooks when it is built in.
#include <atomic>
#include <mutex>
#include <vector>

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

namespace {
// The hooks of a machine where CUDA work can run, or the error PyTorch gives where it cannot.
core::CudaHooks& usable_hooks(const char* op) {
  core::CudaHooks* h = core::cuda_hooks();
  EMBER_CHECK(h, "Torch not compiled with CUDA enabled (ember was built without its CUDA backend)");
  EMBER_CHECK(h->device_count() > 0, op, ": no CUDA GPUs are available");
  return *h;
}
}  // namespace

void synchronize(int device) {
  core::CudaHooks& h = usable_hooks("synchronize");
  h.synchronize(device < 0 ? h.current_device() : device);
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


void CUDAStream::synchronize() const { usable_hooks("synchronize").synchronize_stream(handle_); }
bool CUDAStream::query() const { return usable_hooks("query").query_stream(handle_); }

CUDAStream getStreamFromPool(bool isHighPriority) {
  constexpr int kPoolSize = 32;
  core::CudaHooks& h = usable_hooks("getStreamFromPool");
  static std::mutex mutex;
  static std::vector<void*> pools[2];
  static int next[2] = {0, 0};
  std::lock_guard<std::mutex> lock(mutex);
  std::vector<void*>& pool = pools[isHighPriority];
  int& at = next[isHighPriority];
  if (int(pool.size()) < kPoolSize) pool.push_back(h.create_stream(isHighPriority ? -1 : 0));
  void* s = pool[size_t(at)];
  at = (at + 1) % kPoolSize;
  return CUDAStream(s);
}
CUDAStream getDefaultCUDAStream() {
  usable_hooks("getDefaultCUDAStream");
  return CUDAStream(nullptr);
}
CUDAStream getCurrentCUDAStream() { return CUDAStream(usable_hooks("getCurrentCUDAStream").current_stream()); }
void setCurrentCUDAStream(const CUDAStream& stream) {
  usable_hooks("setCurrentCUDAStream").set_current_stream(stream.stream());
}

bool allow_tf32() { return g_allow_tf32.load(std::memory_order_relaxed); }
void set_allow_tf32(bool allow) { g_allow_tf32.store(allow, std::memory_order_relaxed); }

}  // namespace cuda
}  // namespace ember
