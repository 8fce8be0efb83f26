// The convolutions of the Fashion-MNIST CNN (../shared/anchors/fmnist_cnn.py, batch 64), forward and
// forward + backward as a training step runs them: the first layer (1 -> 32 channels on 28x28) computes
// weight and bias gradients only, since its input needs none; the second (32 -> 64 on 13x13) all three.
// bench/compare_conv.py runs these next to the same work in PyTorch.
#include <benchmark/benchmark.h>

#include <ember/ember.h>

namespace {

struct Layer {
  int64_t in, out, size;
};
constexpr Layer kLayers[] = {{1, 32, 28}, {32, 64, 13}};

void BM_conv2d_forward(benchmark::State& state) {
  const Layer l = kLayers[state.range(0)];
  ember::manual_seed(0);
  ember::Tensor x = ember::randn({64, l.in, l.size, l.size}), w = ember::randn({l.out, l.in, 3, 3}),
                b = ember::randn({l.out});
  for (auto _ : state) benchmark::DoNotOptimize(ember::conv2d(x, w, b));
}

void BM_conv2d_train(benchmark::State& state) {
  const Layer l = kLayers[state.range(0)];
  ember::manual_seed(0);
  ember::Tensor x = ember::randn({64, l.in, l.size, l.size}).requires_grad_(l.in > 1);
  ember::Tensor w = ember::randn({l.out, l.in, 3, 3}).requires_grad_(), b = ember::randn({l.out}).requires_grad_();
  ember::Tensor g = ember::randn({64, l.out, l.size - 2, l.size - 2});
  for (auto _ : state) {
    ember::conv2d(x, w, b).backward(g);
    w.mutable_grad() = ember::Tensor();
    b.mutable_grad() = ember::Tensor();
    if (l.in > 1) x.mutable_grad() = ember::Tensor();
  }
}

}  // namespace

// CPU time of the whole process (all threads), which compare_conv.py sets against PyTorch's on a shared
// machine where wall time mostly measures the other processes' load.
BENCHMARK(BM_conv2d_forward)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
BENCHMARK(BM_conv2d_train)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
BENCHMARK_MAIN();
