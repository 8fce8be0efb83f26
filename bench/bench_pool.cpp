// Max pooling 2x2 on the Fashion-MNIST CNN's feature maps (batch 64), forward and forward+backward,
// which run every training step. bench/compare_torch.py runs the same workloads in PyTorch.
// Extra flag: --threads=N sets ember's intra-op thread count (default: ember's default).
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>

#include <ember/ember.h>

using namespace ember;

namespace {

void BM_max_pool2d(benchmark::State& state, std::vector<int64_t> shape) {
  Tensor x = randn(shape);
  for (auto _ : state) benchmark::DoNotOptimize(max_pool2d_with_indices(x, 2));
}
void BM_max_pool2d_fwd_bwd(benchmark::State& state, std::vector<int64_t> shape) {
  Tensor x = randn(shape).requires_grad_(true);
  Tensor g = randn(max_pool2d(x.detach(), 2).sizes());
  for (auto _ : state) benchmark::DoNotOptimize(autograd::grad({max_pool2d(x, 2)}, {x}, {g}));
}
BENCHMARK_CAPTURE(BM_max_pool2d, 64x32x26x26, {64, 32, 26, 26})->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_max_pool2d, 64x64x11x11, {64, 64, 11, 11})->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_max_pool2d_fwd_bwd, 64x32x26x26, {64, 32, 26, 26})->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_max_pool2d_fwd_bwd, 64x64x11x11, {64, 64, 11, 11})->Unit(benchmark::kMicrosecond)->UseRealTime();

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
