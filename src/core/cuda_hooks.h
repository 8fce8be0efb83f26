#pragma once
// What core needs from the CUDA backend, behind an interface: the backend (src/backend/cuda) registers
// its implementation at load time, so core and a CPU-only build never link against CUDA. The public
// functions of ember/cuda.h go through here.
#include <cstdint>

namespace ember::core {

struct CudaMemoryCounters {
  int64_t allocated = 0, peak_allocated = 0, reserved = 0, peak_reserved = 0;
};

struct CudaDeviceInfo {
  char name[256] = {};
  int major = 0, minor = 0, multi_processor_count = 0;
  int64_t total_memory = 0;
};

class CudaHooks {
 public:
  virtual ~CudaHooks() = default;
  virtual int device_count() const = 0;
  virtual int current_device() const = 0;
  virtual void synchronize(int device) const = 0;
  virtual CudaDeviceInfo device_info(int device) const = 0;
  // Free and total bytes of the current device, from the driver.
  virtual void mem_get_info(int64_t* free, int64_t* total) const = 0;
  virtual CudaMemoryCounters memory(int device) const = 0;
  virtual void reset_peak_memory(int device) = 0;
  virtual void empty_cache() = 0;
  // Streams as opaque cudaStream_t handles (nullptr: the default stream).
  virtual void* current_stream() const = 0;
  virtual void set_current_stream(void* stream) = 0;
  virtual void* create_stream(int priority) = 0;
  virtual void synchronize_stream(void* stream) const = 0;
  virtual bool query_stream(void* stream) const = 0;
  // Events as opaque cudaEvent_t handles, made with cudaEventCreateWithFlags' flags.
  virtual void* create_event(unsigned flags) = 0;
  virtual void destroy_event(void* event) noexcept = 0;
  virtual void record_event(void* event, void* stream) = 0;
  virtual void stream_wait_event(void* stream, void* event) = 0;
  virtual bool query_event(void* event) const = 0;
  virtual void synchronize_event(void* event) const = 0;
  virtual float elapsed_ms(void* start, void* end) const = 0;
  // Marks the allocation that starts at `base` as in use by `stream` until the work queued there now
  // has run (Tensor::record_stream).
  virtual void record_stream(void* base, void* stream) = 0;
};

// Null when the backend is not built in.
CudaHooks* cuda_hooks();
void set_cuda_hooks(CudaHooks* hooks);

}  // namespace ember::core
