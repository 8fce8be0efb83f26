// nn::utils against PyTorch (clip_grad_norm_ for several norms, clip_grad_value_), the flat-vector
// helpers, and nn::utils::checkpoint: the same gradients as without it (dropout included) with less peak
// memory.
#include <cmath>
#include <string>
#include <vector>

#include "nn_test_util.h"

using namespace ember;
using namespace ember::nn;

namespace {

golden::File& G() {
  static golden::File g("nn");
  return g;
}

std::vector<Tensor> clip_params() {
  std::vector<Tensor> ps;
  for (int i = 0; i < 3; ++i) {
    Tensor g = G()["clip_grad" + std::to_string(i)];
    Tensor p = zeros(g.sizes()).requires_grad_();
    p.mutable_grad() = g.clone();
    ps.push_back(p);
  }
  return ps;
}

}  // namespace

TEST(NnUtils, ClipGradNormMatchesTorch) {
  const std::vector<std::pair<double, std::string>> norms = {
      {2.0, "2"}, {1.0, "1"}, {INFINITY, "inf"}, {3.0, "3"}, {0.5, "0.5"}};
  for (const auto& [norm_type, tag] : norms)
    for (const auto& [max_norm, mtag] : {std::pair<double, std::string>{1.0, "1"}, {100.0, "100"}}) {
      std::vector<Tensor> ps = clip_params();
      Tensor total = nn::utils::clip_grad_norm_(ps, max_norm, norm_type);
      const std::string key = tag + "_" + mtag;
      EXPECT_TRUE(golden::close(total, G()["clip_total_" + key], 1e-5, 1e-6)) << key;
      for (int i = 0; i < 3; ++i)
        EXPECT_TRUE(golden::close(ps[size_t(i)].grad(), G()["clip_out_" + key + "_" + std::to_string(i)], 1e-5, 1e-6))
            << key << " " << i;
    }
}

TEST(NnUtils, ClipGradValueAndEdgeCases) {
  std::vector<Tensor> ps = clip_params();
  Tensor before = ps[0].grad();
  nn::utils::clip_grad_value_(ps, 0.5);
  EXPECT_TRUE(ps[0].grad().is_same(before));  // in place
  for (int i = 0; i < 3; ++i)
    EXPECT_TRUE(golden::close(ps[size_t(i)].grad(), G()["clipv_out_" + std::to_string(i)], 0, 0));

  ps = clip_params();
  Tensor g1 = ps[1].grad();
  g1.index_put_({0}, INFINITY);
  EXPECT_TRUE(nntest::throws_exactly<Error>([&] { nn::utils::clip_grad_norm_(ps, 1.0, 2.0, true); },
                                            nntest::text("clip_nonfinite_error")));
  EXPECT_TRUE(std::isinf(nn::utils::clip_grad_norm_(ps, 1.0).item<double>()));

  // Parameters without gradients are skipped; none at all gives a norm of 0.
  Tensor lone = zeros({2}).requires_grad_();
  EXPECT_EQ(nn::utils::clip_grad_norm_(std::vector<Tensor>{lone}, 1.0).item<double>(), 0.0);
  Tensor one = zeros({2}).requires_grad_();
  one.mutable_grad() = tensor({3.0f, 4.0f});
  EXPECT_NEAR(nn::utils::clip_grad_norm_(one, 1.0).item<double>(), 5.0, 1e-6);
  EXPECT_NEAR(one.grad().norm().item<double>(), 1.0, 1e-5);
}

TEST(NnUtils, ParametersToVectorAndBack) {
  Linear lin(3, 2);
  Tensor v = nn::utils::parameters_to_vector(lin.parameters());
  EXPECT_EQ(v.sizes(), IntArrayRef({8}));
  EXPECT_TRUE(golden::close(v.narrow(0, 0, 6), lin.weight.reshape({6})));
  EXPECT_TRUE(golden::close(v.narrow(0, 6, 2), lin.bias));
  // Differentiable: the gradient reaches the parameters.
  (v * arange(8, kFloat32)).sum().backward();
  EXPECT_TRUE(golden::close(lin.bias.grad(), tensor({6.0f, 7.0f})));

  nn::utils::vector_to_parameters(arange(8, kFloat32), lin.parameters());
  EXPECT_TRUE(golden::close(lin.weight, arange(6, kFloat32).view({2, 3})));
  EXPECT_TRUE(golden::close(lin.bias, tensor({6.0f, 7.0f})));
  EXPECT_TRUE(lin.weight.requires_grad() && lin.weight.is_leaf());
  EXPECT_TRUE(nntest::throws_with<Error>([&] { nn::utils::vector_to_parameters(zeros({7}), lin.parameters()); },
                                         "hold 8 elements"));
}

namespace {

// 16 Linear+Tanh layers with dropout, run plain or checkpointed in segments of 4 layers.
struct Deep : Module {
  explicit Deep(int64_t width) {
    for (int i = 0; i < 16; ++i) {
      layers->append(std::make_shared<Linear>(width, width));
      layers->append(std::make_shared<Tanh>());
      if (i % 4 == 1) layers->append(std::make_shared<Dropout>(0.2));
    }
    register_module("layers", layers);
  }
  Tensor run(const Tensor& x, bool use_checkpoint) {
    Tensor h = x;
    const int64_t n = int64_t(layers->size()), seg = (n + 3) / 4;
    for (int64_t start = 0; start < n; start += seg) {
      auto segment = [this, start, seg, n](const Tensor& in) {
        Tensor t = in;
        for (int64_t i = start; i < std::min(start + seg, n); ++i) t = (*(*layers)[i])(t);
        return t;
      };
      h = use_checkpoint ? ember::utils::checkpoint(segment, h) : segment(h);
    }
    return h;
  }
  std::shared_ptr<Sequential> layers = std::make_shared<Sequential>();
};

struct RunResult {
  tensor_list grads;
  Tensor x_grad;
  int64_t peak_bytes;
};

RunResult run_once(Deep& net, const Tensor& input, bool use_checkpoint) {
  net.zero_grad();
  Tensor x = input.detach().requires_grad_();
  manual_seed(123);
  const int64_t base = memory_stats().allocated_bytes;
  reset_peak_memory_stats();
  net.run(x, use_checkpoint).square().sum().backward();
  RunResult r;
  r.peak_bytes = memory_stats().peak_allocated_bytes - base;
  for (const Tensor& p : net.parameters()) r.grads.push_back(p.grad());
  r.x_grad = x.grad();
  return r;
}

}  // namespace

TEST(NnUtils, CheckpointSameGradientsLessMemory) {
  manual_seed(0);
  // Activations (2048 x 128) outweigh the weights (128 x 128), as in the use checkpointing is for.
  Deep net(128);
  Tensor x = randn({2048, 128});
  RunResult plain = run_once(net, x, false);
  RunResult ckpt = run_once(net, x, true);
  ASSERT_EQ(plain.grads.size(), ckpt.grads.size());
  // The recomputation replays the same ops with the same dropout masks: identical gradients.
  for (size_t i = 0; i < plain.grads.size(); ++i) EXPECT_TRUE(golden::close(ckpt.grads[i], plain.grads[i], 0, 0)) << i;
  EXPECT_TRUE(golden::close(ckpt.x_grad, plain.x_grad, 0, 0));
  std::printf("peak memory over forward+backward: plain %.2f MiB, checkpointed %.2f MiB\n",
              double(plain.peak_bytes) / (1 << 20), double(ckpt.peak_bytes) / (1 << 20));
  EXPECT_LT(double(ckpt.peak_bytes), 0.6 * double(plain.peak_bytes));
}

TEST(NnUtils, CheckpointListsAndErrors) {
  Tensor a = randn({3}, kFloat64).requires_grad_(), b = randn({3}, kFloat64).requires_grad_();
  auto fn = [](const Tensor& p, const Tensor& q) { return tensor_list{p * q, (p + q).sin()}; };
  tensor_list out = ember::utils::checkpoint(fn, a, b);
  ASSERT_EQ(out.size(), 2u);
  (out[0].sum() + out[1].sum() * 2).backward();
  EXPECT_TRUE(golden::close(a.grad(), b + 2 * (a + b).cos(), 1e-12, 1e-12));
  EXPECT_TRUE(golden::close(b.grad(), a + 2 * (a + b).cos(), 1e-12, 1e-12));
  EXPECT_TRUE(autograd::gradcheck(
      [](const tensor_list& t) {
        return ember::utils::checkpoint([](const tensor_list& in) { return tensor_list{(in[0] * in[1]).tanh()}; }, t);
      },
      {randn({4}, kFloat64).requires_grad_(), randn({4}, kFloat64).requires_grad_()}));
  // Forward records nothing inside fn; a second backward without retain_graph is PyTorch's error.
  Tensor y = ember::utils::checkpoint([](const Tensor& p) { return p.exp(); }, a);
  EXPECT_EQ(y.grad_fn()->name(), "CheckpointFunctionBackward");
  y.sum().backward();
  EXPECT_TRUE(nntest::throws_with<Error>([&] { y.sum().backward(); }, "backward through the graph a second time"));
}
