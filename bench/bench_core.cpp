// Core benchmarks: per-op overhead, a tiny training step, memory-bound pointwise ops and a full
// reduction. bench/compare_torch.py runs the same workloads in PyTorch and prints both side by side.
// Extra flag: --threads=N sets ember's intra-op thread count (default: ember's default).
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>

#include <ember/ember.h>

using namespace ember;

namespace {

constexpr int64_t k16M = int64_t(1) << 24;

void BM_add_1elem(benchmark::State& state) {
  Tensor a = ones({1}), b = ones({1});
  for (auto _ : state) benchmark::DoNotOptimize(a + b);
}
BENCHMARK(BM_add_1elem);

void BM_add_1elem_requires_grad(benchmark::State& state) {
  Tensor a = ones({1}, requires_grad()), b = ones({1});
  for (auto _ : state) benchmark::DoNotOptimize(a + b);
}
BENCHMARK(BM_add_1elem_requires_grad);

// One step of a tiny model: forward, backward, and zeroing the gradient, as a training loop does.
void BM_tiny_fwd_bwd_16x16(benchmark::State& state) {
  Tensor x = ones({16, 16}, requires_grad());
  for (auto _ : state) {
    (x * x).sum().backward();
    x.mutable_grad().zero_();
  }
}
BENCHMARK(BM_tiny_fwd_bwd_16x16);

// ramp values keep exp finite and sums meaningful; the exact values do not matter for timing.
Tensor big_input(double scale) { return arange(0, k16M, 1, kFloat32) * (scale / double(k16M)); }

void BM_add_16M_f32(benchmark::State& state) {
  Tensor a = big_input(1.0), b = big_input(2.0);
  for (auto _ : state) benchmark::DoNotOptimize(a + b);
  state.SetBytesProcessed(state.iterations() * k16M * 3 * 4);
}
BENCHMARK(BM_add_16M_f32)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_mul_16M_f32(benchmark::State& state) {
  Tensor a = big_input(1.0), b = big_input(2.0);
  for (auto _ : state) benchmark::DoNotOptimize(a * b);
  state.SetBytesProcessed(state.iterations() * k16M * 3 * 4);
}
BENCHMARK(BM_mul_16M_f32)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_exp_16M_f32(benchmark::State& state) {
  Tensor a = big_input(1.0);
  for (auto _ : state) benchmark::DoNotOptimize(a.exp());
  state.SetBytesProcessed(state.iterations() * k16M * 2 * 4);
}
BENCHMARK(BM_exp_16M_f32)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_sum_16M_f32(benchmark::State& state) {
  Tensor a = big_input(1.0);
  for (auto _ : state) benchmark::DoNotOptimize(a.sum());
  state.SetBytesProcessed(state.iterations() * k16M * 4);
}
BENCHMARK(BM_sum_16M_f32)->Unit(benchmark::kMillisecond)->UseRealTime();

// Square matmul, the GEMM targets (GFLOP/s = 2 n^3 / time).
template <int64_t N, DType T>
void BM_mm(benchmark::State& state) {
  Tensor a = ones({N, N}, T), b = ones({N, N}, T);
  for (auto _ : state) benchmark::DoNotOptimize(a.mm(b));
  state.counters["GFLOPs"] = benchmark::Counter(2.0 * N * N * N, benchmark::Counter::kIsIterationInvariantRate,
                                                benchmark::Counter::OneK::kIs1000);
}
void BM_mm_f32_1024(benchmark::State& s) { BM_mm<1024, kFloat32>(s); }
void BM_mm_f32_2048(benchmark::State& s) { BM_mm<2048, kFloat32>(s); }
void BM_mm_f64_1024(benchmark::State& s) { BM_mm<1024, kFloat64>(s); }
BENCHMARK(BM_mm_f32_1024)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_mm_f32_2048)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_mm_f64_1024)->Unit(benchmark::kMillisecond)->UseRealTime();

// Memory must stay flat over many training steps: the live bytes after the loop equal those before it
// (counters alloc_before / alloc_after, in bytes).
void BM_memory_100k_fwd_bwd(benchmark::State& state) {
  Tensor x = ones({16, 16}, requires_grad());
  (x * x).sum().backward();  // creates x.grad, which then lives through the loop
  int64_t before = memory_stats().allocated_bytes;
  for (auto _ : state) {
    (x * x).sum().backward();
    x.mutable_grad().zero_();
  }
  int64_t after = memory_stats().allocated_bytes;
  state.counters["alloc_before"] = double(before);
  state.counters["alloc_after"] = double(after);
}
BENCHMARK(BM_memory_100k_fwd_bwd)->Iterations(100000);

}  // namespace

int main(int argc, char** argv) {
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--threads=", 10) == 0) set_num_threads(std::stoi(argv[i] + 10));
    else argv[kept++] = argv[i];
  }
  argc = kept;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("ember_threads", std::to_string(get_num_threads()));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
