// Autocast's CUDA lists and GradScaler on the GPU, against the same computation cast by hand (autocast)
// and against the CPU scaler (GradScaler). Skips with a message on machines without a GPU.
#include <gtest/gtest.h>

#include <limits>

#include <ember/ember.h>

#include "amp_test_util.h"
#include "cuda_test_util.h"

using namespace ember;
namespace ac = ember::autocast;
namespace F = ember::nn::functional;

namespace {

Tensor half(const Tensor& t) { return t.to(kFloat16); }
Tensor f32(const Tensor& t) { return t.to(kFloat32); }

}  // namespace

TEST(CudaAutocast, ListsOfTheCudaBackend) {
  REQUIRE_GPU();
  manual_seed(0);
  Tensor a = randn({8, 16}).to(kGpu), b = randn({16, 4}).to(kGpu), c = randn({8, 4}).to(kGpu);
  Tensor img = randn({2, 3, 8, 8}).to(kGpu), k = randn({4, 3, 3, 3}).to(kGpu);
  Tensor h = randn({8, 16}).to(kGpu).to(kFloat16);
  ac::AutocastGuard guard(kCUDA);
  // lower precision (float16 by default on CUDA)
  EXPECT_TRUE(same(mm(a, b), mm(half(a), half(b))));
  EXPECT_TRUE(same(addmm(c, a, b), addmm(half(c), half(a), half(b))));
  EXPECT_TRUE(same(conv2d(img, k), conv2d(half(img), half(k))));
  // float32, including the ops with an optional dtype and the pointwise fp32 list
  EXPECT_TRUE(same(h.sum(), f32(h).sum()));
  EXPECT_TRUE(same(softmax(h, 1), softmax(f32(h), 1)));
  EXPECT_TRUE(same(log_softmax(h, 1), log_softmax(f32(h), 1)));
  EXPECT_TRUE(same(exp(h), exp(f32(h))));
  EXPECT_TRUE(same(h.pow(2), f32(h).pow(2)));
  EXPECT_TRUE(same(F::layer_norm(h, {16}), F::layer_norm(f32(h), {16})));
  EXPECT_EQ(h.sum(kFloat16).dtype(), kFloat16);  // an explicit dtype wins
  // promote
  EXPECT_TRUE(same(addcmul(a, h, h), addcmul(a, f32(h), f32(h))));
  EXPECT_TRUE(same(addcmul(h, h, h), addcmul(h, h, h)));
  // not listed on CUDA: cat promotes as usual; relu keeps float16
  EXPECT_EQ(cat({h, h}).dtype(), kFloat16);
  EXPECT_EQ(relu(h).dtype(), kFloat16);
  // banned
  Tensor p = sigmoid(a), t = rand({8, 16}).to(kGpu);
  EXPECT_THROW(F::binary_cross_entropy(p, t), Error);
  // CPU tensors are left to CPU autocast, which is off here
  EXPECT_EQ(mm(a.cpu(), b.cpu()).dtype(), kFloat32);
}

TEST(CudaAutocast, BFloat16AndGradientsToFloat32Parameters) {
  REQUIRE_GPU();
  manual_seed(1);
  Tensor w = randn({16, 4}).to(kGpu).requires_grad_(), x = randn({8, 16}).to(kGpu);
  Tensor target = randn({8, 4}).to(kGpu);
  Tensor loss;
  {
    ac::AutocastGuard guard(kCUDA, kBFloat16);
    Tensor y = mm(x, w);
    EXPECT_EQ(y.dtype(), kBFloat16);
    loss = F::mse_loss(y, target);
    EXPECT_EQ(loss.dtype(), kFloat32);
  }
  loss.backward();
  Tensor wh = w.detach().clone().requires_grad_();
  F::mse_loss(f32(mm(x.to(kBFloat16), wh.to(kBFloat16))), target).backward();
  EXPECT_EQ(w.grad().dtype(), kFloat32);
  EXPECT_TRUE(same(w.grad(), wh.grad()));
}

TEST(CudaGradScaler, MatchesTheCpuScalerStepForStep) {
  REQUIRE_GPU();
  Tensor x = tensor({0.5f, -1.5f, 3.0f});
  Tensor wg = tensor({1.0f, 2.0f, 3.0f}).to(kGpu).requires_grad_();
  Tensor wc = tensor({1.0f, 2.0f, 3.0f}).requires_grad_();
  optim::SGD og({wg}, 0.1), oc({wc}, 0.1);
  amp::GradScalerOptions o;
  o.growth_interval = 2;
  amp::GradScaler sg(kCUDA, o), sc(kCPU, o);
  const float inf = std::numeric_limits<float>::infinity();
  for (int step = 0; step < 5; ++step) {
    Tensor xs = step == 1 ? tensor({0.5f, inf, 3.0f}) : x;
    og.zero_grad();
    oc.zero_grad();
    sg.scale((wg * xs.to(kGpu)).sum()).backward();
    sc.scale((wc * xs).sum()).backward();
    sg.step(og);
    sc.step(oc);
    sg.update();
    sc.update();
    EXPECT_TRUE(equal(wg.cpu(), wc)) << "step " << step;
    EXPECT_EQ(sg.get_scale(), sc.get_scale()) << "step " << step;
  }
  EXPECT_EQ(sg.get_scale(), 65536.0);  // backed off at step 1, grown back at step 3
}

TEST(CudaGradScaler, FusedUnscaleMatchesTheCpuOpByOp) {
  REQUIRE_GPU();
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  // Finite gradients of both fused dtypes, sizes around the launch's chunk and pack bounds, a strided and
  // a float16 one (op by op on the GPU too), and an empty one.
  auto make = [](bool with_inf, float bad) {
    std::vector<Tensor> g{randn({65536 * 2 + 3}), randn({7}).to(kFloat64), randn({5, 6}).t(), randn({9}).to(kFloat16),
                          empty({0})};
    if (with_inf) g[0].narrow(0, 100, 1).fill_(bad);
    return g;
  };
  for (auto [with_inf, bad] : {std::pair{false, 0.0f}, std::pair{true, inf}, std::pair{true, nan}}) {
    manual_seed(7);
    std::vector<Tensor> cpu = make(with_inf, bad), gpu;
    for (const Tensor& g : cpu) gpu.push_back(g.to(kGpu));
    // The GPU copies of the strided gradient keep its layout, so it takes the op-by-op path there too.
    gpu[2] = cpu[2].t().contiguous().to(kGpu).t();
    Tensor fc = zeros({1}), fg = zeros({1}, TensorOptions().device(kGpu));
    const Tensor ic = full({1}, 1.0f / 1024), ig = ic.to(kGpu);
    _amp_foreach_non_finite_check_and_unscale_(cpu, fc, ic);
    _amp_foreach_non_finite_check_and_unscale_(gpu, fg, ig);
    EXPECT_EQ(fg.item<float>(), fc.item<float>());
    EXPECT_EQ(fc.item<float>(), with_inf ? 1.0f : 0.0f);
    for (size_t i = 0; i < cpu.size(); ++i)
      EXPECT_TRUE(equal(isnan(gpu[i].cpu()), isnan(cpu[i])) &&
                  equal(nan_to_num(gpu[i].cpu(), 0, inf, -inf), nan_to_num(cpu[i], 0, inf, -inf)))
          << "gradient " << i;
  }
}
