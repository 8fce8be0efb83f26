// Optimizer steps on the parameters of the Fashion-MNIST CNN (issue 4's default recipe): one Adam and
// one SGD-with-momentum step over all eight tensors, gradients already in place. bench/compare_torch.py
// times the same step in PyTorch. Extra flag: --threads=N sets ember's intra-op thread count.
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>
#include <vector>

#include <ember/ember.h>

using namespace ember;

namespace {

std::vector<Tensor> cnn_params() {
  const std::vector<std::vector<int64_t>> shapes = {{32, 1, 3, 3}, {32}, {64, 32, 3, 3}, {64},
                                                    {128, 1600},   {128}, {10, 128},     {10}};
  manual_seed(0);
  std::vector<Tensor> ps;
  for (const auto& s : shapes) {
    Tensor p = randn(s).requires_grad_();
    p.set_grad(randn(s) * 1e-2);
    ps.push_back(p);
  }
  return ps;
}

void BM_adam_step_fmnist_cnn(benchmark::State& state) {
  std::vector<Tensor> ps = cnn_params();
  optim::Adam opt(ps, 1e-3);
  for (auto _ : state) opt.step();
}
BENCHMARK(BM_adam_step_fmnist_cnn)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_sgd_momentum_step_fmnist_cnn(benchmark::State& state) {
  std::vector<Tensor> ps = cnn_params();
  optim::SGD opt(ps, 1e-2, 0.9);
  for (auto _ : state) opt.step();
}
BENCHMARK(BM_sgd_momentum_step_fmnist_cnn)->Unit(benchmark::kMicrosecond)->UseRealTime();

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
