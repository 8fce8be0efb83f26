// GEMM throughput (GFLOP/s counter) of ember::mm in float32 and float64, square sizes, plus transposed
// operands and a batched matmul (8 matrices times one, folded into one mm as PyTorch does).
#include <benchmark/benchmark.h>

#include <ember/ember.h>

namespace {

ember::Tensor filled(ember::IntArrayRef shape, ember::DType dt) {
  return ember::ones(shape, ember::TensorOptions(dt)) * 0.5;
}

void report(benchmark::State& state, double flops_per_iter) {
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops_per_iter * double(state.iterations()) / 1e9, benchmark::Counter::kIsRate);
}

template <ember::DType DT>
void BM_mm(benchmark::State& state) {
  const int64_t n = state.range(0);
  ember::Tensor a = filled({n, n}, DT), b = filled({n, n}, DT);
  for (auto _ : state) benchmark::DoNotOptimize(ember::mm(a, b));
  report(state, 2.0 * double(n) * double(n) * double(n));
}

void BM_mm_transposed_f32(benchmark::State& state) {
  const int64_t n = state.range(0);
  ember::Tensor a = filled({n, n}, ember::kFloat32), b = filled({n, n}, ember::kFloat32);
  for (auto _ : state) benchmark::DoNotOptimize(ember::mm(a.t(), b.t()));
  report(state, 2.0 * double(n) * double(n) * double(n));
}

void BM_matmul_batched_f32(benchmark::State& state) {
  const int64_t n = state.range(0);
  ember::Tensor a = filled({n, n}, ember::kFloat32);
  ember::Tensor c = filled({8, n, n}, ember::kFloat32);
  for (auto _ : state) benchmark::DoNotOptimize(ember::matmul(c, a));
  report(state, 8 * 2.0 * double(n) * double(n) * double(n));
}

// Many small products: each is below OpenBLAS's own threading threshold.
void BM_bmm_small_f32(benchmark::State& state) {
  const int64_t batch = state.range(0), n = state.range(1);
  ember::Tensor a = filled({batch, n, n}, ember::kFloat32), b = filled({batch, n, n}, ember::kFloat32);
  for (auto _ : state) benchmark::DoNotOptimize(ember::bmm(a, b));
  report(state, double(batch) * 2.0 * double(n) * double(n) * double(n));
}

}  // namespace

BENCHMARK(BM_mm<ember::kFloat32>)->Name("mm_f32")->Arg(256)->Arg(512)->Arg(1024)->Arg(2048)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_mm<ember::kFloat64>)->Name("mm_f64")->Arg(256)->Arg(512)->Arg(1024)->Arg(2048)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_mm_transposed_f32)->Arg(1024)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_bmm_small_f32)->Args({512, 16})->Args({256, 32})->Args({64, 64})->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_matmul_batched_f32)->Arg(256)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
