// GPU workloads of issue 5's targets, timed as bench/compare_cuda.py times PyTorch: each iteration runs
// the op and waits for the device (cuda::synchronize), so both sides pay the same per-iteration wait.
// Inputs are random (zeros can run faster than real data on the tensor cores). Skips without a GPU.
#include <chrono>

#include <benchmark/benchmark.h>

#include <ember/ember.h>

using namespace ember;

namespace {

template <class F>
void timed(benchmark::State& state, F&& op) {
  if (!cuda::is_available()) {
    state.SkipWithError("no CUDA device");
    return;
  }
  for (int i = 0; i < 3; ++i) op();  // warm-up: handles, heuristics, the allocator's cache
  cuda::synchronize();
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    op();
    cuda::synchronize();
    state.SetIterationTime(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
}

Tensor gpu_rand(IntArrayRef shape, DType dt = kFloat32) { return rand(shape, TensorOptions().device(kCUDA)).to(dt); }

constexpr int64_t kBig = int64_t(256) << 20;  // 256M elements

void BM_cuda_add_256M_f32(benchmark::State& state) {
  if (!cuda::is_available()) return timed(state, [] {});
  Tensor a = gpu_rand({kBig}), b = gpu_rand({kBig});
  timed(state, [&] { benchmark::DoNotOptimize(a + b); });
  state.counters["GB/s"] = benchmark::Counter(3.0 * 4 * double(kBig) * double(state.iterations()) / 1e9,
                                              benchmark::Counter::kIsRate);
}
void BM_cuda_sum_256M_f32(benchmark::State& state) {
  if (!cuda::is_available()) return timed(state, [] {});
  Tensor a = gpu_rand({kBig});
  timed(state, [&] { benchmark::DoNotOptimize(a.sum()); });
  state.counters["GB/s"] =
      benchmark::Counter(4.0 * double(kBig) * double(state.iterations()) / 1e9, benchmark::Counter::kIsRate);
}
// The copy bandwidth the targets are measured against: a device-to-device clone (read + write).
void BM_cuda_clone_256M_f32(benchmark::State& state) {
  if (!cuda::is_available()) return timed(state, [] {});
  Tensor a = gpu_rand({kBig});
  timed(state, [&] { benchmark::DoNotOptimize(a.clone()); });
  state.counters["GB/s"] = benchmark::Counter(2.0 * 4 * double(kBig) * double(state.iterations()) / 1e9,
                                              benchmark::Counter::kIsRate);
}
void BM_cuda_mm_bf16_8192(benchmark::State& state) {
  if (!cuda::is_available()) return timed(state, [] {});
  Tensor a = gpu_rand({8192, 8192}, kBFloat16), b = gpu_rand({8192, 8192}, kBFloat16);
  timed(state, [&] { benchmark::DoNotOptimize(matmul(a, b)); });
  state.counters["TFLOP/s"] =
      benchmark::Counter(2.0 * 8192.0 * 8192 * 8192 * double(state.iterations()) / 1e12, benchmark::Counter::kIsRate);
}
void BM_cuda_mm_f32_4096(benchmark::State& state) {
  if (!cuda::is_available()) return timed(state, [] {});
  Tensor a = gpu_rand({4096, 4096}), b = gpu_rand({4096, 4096});
  timed(state, [&] { benchmark::DoNotOptimize(matmul(a, b)); });
}
// Per-op cost of a small op on the GPU: launch path plus one synchronisation.
void BM_cuda_add_1K_f32(benchmark::State& state) {
  if (!cuda::is_available()) return timed(state, [] {});
  Tensor a = gpu_rand({1024}), b = gpu_rand({1024});
  timed(state, [&] { benchmark::DoNotOptimize(a + b); });
}

}  // namespace

BENCHMARK(BM_cuda_add_256M_f32)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_cuda_sum_256M_f32)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_cuda_clone_256M_f32)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_cuda_mm_bf16_8192)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_cuda_mm_f32_4096)->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_cuda_add_1K_f32)->UseManualTime()->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
