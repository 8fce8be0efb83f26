// The CUDA backend's runtime glue: the per-thread current stream, CUDA errors as ember::Error, and the
// hooks through which core (ember/cuda.h, device placement) reaches the backend.
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
  core::CudaMemoryCounters memory(int) const override { return memory_counters(); }
  void reset_peak_memory(int) override { cuda::reset_peak_memory(); }
  void empty_cache() override {
    EMBER_CUDA_CHECK(cudaDeviceSynchronize(), "empty_cache");
    release_cached_memory();
  }
};

Hooks g_hooks;
const bool g_registered = (core::set_cuda_hooks(&g_hooks), true);

}  // namespace
}  // namespace ember::cuda
