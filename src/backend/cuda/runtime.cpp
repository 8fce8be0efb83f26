// The CUDA backend's runtime glue: the per-thread current stream, CUDA errors as ember::Error, and the
// hooks through which core (ember/cuda.h, device placement) reaches the backend.
#include <cstring>
#include <string>

#include "backend/cuda/caching_allocator.h"
#include "backend/cuda/cuda_check.h"
#include "backend/cuda/stream.h"
#include "core/cuda_hooks.h"

namespace ember::cuda {

void throw_cuda_error(cudaError_t err, const char* op, const char* call) {
  cudaGetLastError();  // clears a sticky launch error so the next op starts clean
  throw Error(std::string(op) + ": CUDA error: " + cudaGetErrorString(err) + " (" + cudaGetErrorName(err) +
              " from " + call + ")");
}

namespace {
thread_local cudaStream_t t_stream = nullptr;
}
cudaStream_t current_stream() { return t_stream; }
void set_current_stream(cudaStream_t s) { t_stream = s; }

namespace {

// A stream or event query's answer: not ready is an answer, not an error.
bool finished(cudaError_t err, const char* op) {
  if (err == cudaErrorNotReady) {
    cudaGetLastError();
    return false;
  }
  EMBER_CUDA_CHECK(err, op);
  return true;
}

class Hooks final : public core::CudaHooks {
 public:
  int device_count() const override {
    // Asked once: without a driver or a GPU the runtime reports an error, which means "no devices".
    static const int n = [] {
      int count = 0;
      if (cudaGetDeviceCount(&count) != cudaSuccess) {
        cudaGetLastError();
        count = 0;
      }
      return count;
    }();
    return n;
  }
  int current_device() const override {
    int d = 0;
    EMBER_CUDA_CHECK(cudaGetDevice(&d), "current_device");
    return d;
  }
  void synchronize(int device) const override {
    EMBER_CHECK(device == current_device(), "synchronize: cuda:", device,
                " is not the current device (ember drives one GPU per process for now)");
    EMBER_CUDA_CHECK(cudaDeviceSynchronize(), "synchronize");
  }
  core::CudaDeviceInfo device_info(int device) const override {
    cudaDeviceProp p{};
    EMBER_CUDA_CHECK(cudaGetDeviceProperties(&p, device), "get_device_properties");
    core::CudaDeviceInfo info;
    static_assert(sizeof(info.name) == sizeof(p.name));
    std::memcpy(info.name, p.name, sizeof(info.name));
    info.name[sizeof(info.name) - 1] = 0;
    info.major = p.major;
    info.minor = p.minor;
    info.multi_processor_count = p.multiProcessorCount;
    info.total_memory = int64_t(p.totalGlobalMem);
    return info;
  }
  void mem_get_info(int64_t* free, int64_t* total) const override {
    size_t f = 0, t = 0;
    EMBER_CUDA_CHECK(cudaMemGetInfo(&f, &t), "mem_get_info");
    *free = int64_t(f);
    *total = int64_t(t);
  }
  core::CudaMemoryCounters memory(int) const override { return memory_counters(); }
  void reset_peak_memory(int) override { cuda::reset_peak_memory(); }
  void empty_cache() override {
    EMBER_CUDA_CHECK(cudaDeviceSynchronize(), "empty_cache");
    release_cached_memory();
  }
  void* current_stream() const override { return cuda::current_stream(); }
  void set_current_stream(void* stream) override { cuda::set_current_stream(static_cast<cudaStream_t>(stream)); }
  void* create_stream(int priority) override {
    int least = 0, greatest = 0;
    EMBER_CUDA_CHECK(cudaDeviceGetStreamPriorityRange(&least, &greatest), "Stream");
    // CUDA's range runs from `least` (0) down to `greatest` (more negative: higher priority).
    const int p = priority > least ? least : priority < greatest ? greatest : priority;
    cudaStream_t s = nullptr;
    EMBER_CUDA_CHECK(cudaStreamCreateWithPriority(&s, cudaStreamNonBlocking, p), "Stream");
    return s;
  }
  void synchronize_stream(void* stream) const override {
    EMBER_CUDA_CHECK(cudaStreamSynchronize(static_cast<cudaStream_t>(stream)), "Stream.synchronize");
  }
  bool query_stream(void* stream) const override {
    return finished(cudaStreamQuery(static_cast<cudaStream_t>(stream)), "Stream.query");
  }
  void* create_event(unsigned flags) override {
    cudaEvent_t e = nullptr;
    EMBER_CUDA_CHECK(cudaEventCreateWithFlags(&e, flags), "Event");
    return e;
  }
  void destroy_event(void* event) noexcept override { cudaEventDestroy(static_cast<cudaEvent_t>(event)); }
  void record_event(void* event, void* stream) override {
    EMBER_CUDA_CHECK(cudaEventRecord(static_cast<cudaEvent_t>(event), static_cast<cudaStream_t>(stream)),
                     "Event.record");
  }
  void stream_wait_event(void* stream, void* event) override {
    EMBER_CUDA_CHECK(cudaStreamWaitEvent(static_cast<cudaStream_t>(stream), static_cast<cudaEvent_t>(event), 0),
                     "Event.wait");
  }
  bool query_event(void* event) const override {
    return finished(cudaEventQuery(static_cast<cudaEvent_t>(event)), "Event.query");
  }
  void synchronize_event(void* event) const override {
    EMBER_CUDA_CHECK(cudaEventSynchronize(static_cast<cudaEvent_t>(event)), "Event.synchronize");
  }
  float elapsed_ms(void* start, void* end) const override {
    float ms = 0;
    EMBER_CUDA_CHECK(cudaEventElapsedTime(&ms, static_cast<cudaEvent_t>(start), static_cast<cudaEvent_t>(end)),
                     "Event.elapsed_time");
    return ms;
  }
  void record_stream(void* base, void* stream) override {
    cuda::record_stream(base, static_cast<cudaStream_t>(stream));
  }
};

Hooks g_hooks;
const bool g_registered = (core::set_cuda_hooks(&g_hooks), true);

}  // namespace
}  // namespace ember::cuda
