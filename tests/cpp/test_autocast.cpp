// Autocast on the CPU (bfloat16 by default): each policy against the same op run by hand on inputs cast
// the way PyTorch's lists say, the region's state and nesting, the parameter-cast cache and gradients
// through the casts. The CUDA lists run in test_cuda (GPU machines); tests/python/test_amp.py checks
// output dtypes and values against PyTorch's own CPU autocast.
#include <gtest/gtest.h>

#include <ember/ember.h>

#include "amp_test_util.h"

using namespace ember;
namespace ac = ember::autocast;
namespace F = ember::nn::functional;

namespace {

Tensor bf(const Tensor& t) { return t.to(kBFloat16); }

}  // namespace

TEST(Autocast, StateNestsAndRestores) {
  EXPECT_FALSE(ac::is_autocast_enabled(kCPU));
  EXPECT_FALSE(ac::is_autocast_enabled(kCUDA));
  EXPECT_EQ(ac::get_autocast_dtype(kCPU), kBFloat16);
  EXPECT_EQ(ac::get_autocast_dtype(kCUDA), kFloat16);
  EXPECT_TRUE(ac::is_autocast_cache_enabled());
  {
    ac::AutocastGuard on(kCPU, kFloat16, true, false);
    EXPECT_TRUE(ac::is_autocast_enabled(kCPU));
    EXPECT_FALSE(ac::is_autocast_enabled(kCUDA));
    EXPECT_EQ(ac::get_autocast_dtype(kCPU), kFloat16);
    EXPECT_FALSE(ac::is_autocast_cache_enabled());
    {
      ac::AutocastGuard off(kCPU, std::nullopt, false);
      EXPECT_FALSE(ac::is_autocast_enabled(kCPU));
      EXPECT_EQ(ac::get_autocast_dtype(kCPU), kFloat16);
    }
    EXPECT_TRUE(ac::is_autocast_enabled(kCPU));
  }
  EXPECT_FALSE(ac::is_autocast_enabled(kCPU));
  EXPECT_EQ(ac::get_autocast_dtype(kCPU), kBFloat16);
  EXPECT_TRUE(ac::is_autocast_cache_enabled());
  EXPECT_THROW(ac::set_autocast_dtype(kCPU, kFloat64), ValueError);
  EXPECT_THROW(ac::AutocastGuard(kCUDA, kInt32), ValueError);
  EXPECT_FALSE(ac::is_autocast_enabled(kCUDA));
}

TEST(Autocast, LowerPrecisionOpsRunInTheAutocastDtype) {
  manual_seed(0);
  Tensor a = randn({4, 5}), b = randn({5, 3}), c = randn({4, 3}), w = randn({3, 5}), bias = randn({3});
  Tensor b1 = randn({2, 4, 5}), b2 = randn({2, 5, 3}), b0 = randn({2, 4, 3});
  Tensor img = randn({2, 3, 6, 6}), k = randn({4, 3, 3, 3}), kb = randn({4});
  Tensor slope = full({1}, 0.25);
  ac::AutocastGuard guard(kCPU);
  EXPECT_TRUE(same(mm(a, b), mm(bf(a), bf(b))));
  EXPECT_TRUE(same(matmul(a, b), mm(bf(a), bf(b))));
  EXPECT_TRUE(same(addmm(c, a, b), addmm(bf(c), bf(a), bf(b))));
  EXPECT_TRUE(same(bmm(b1, b2), bmm(bf(b1), bf(b2))));
  EXPECT_TRUE(same(baddbmm(b0, b1, b2), baddbmm(bf(b0), bf(b1), bf(b2))));
  EXPECT_TRUE(same(addbmm(c, b1, b2), addbmm(bf(c), bf(b1), bf(b2))));
  EXPECT_TRUE(same(F::linear(a, w, bias), F::linear(bf(a), bf(w), bf(bias))));
  EXPECT_TRUE(same(conv2d(img, k, kb), conv2d(bf(img), bf(k), bf(kb))));
  EXPECT_TRUE(same(conv_transpose2d(img, k.transpose(0, 1)), conv_transpose2d(bf(img), bf(k.transpose(0, 1)))));
  EXPECT_TRUE(same(prelu(a, slope), prelu(bf(a), bf(slope))));
  // Inputs that are already in the autocast dtype, or mixed, end up there too.
  EXPECT_TRUE(same(mm(bf(a), b), mm(bf(a), bf(b))));
}

TEST(Autocast, IneligibleInputsAreLeftAlone) {
  manual_seed(1);
  Tensor a = randn({3, 3}, kFloat64), i = randint(0, 5, {3, 3});
  ac::AutocastGuard guard(kCPU);
  EXPECT_EQ(mm(a, a).dtype(), kFloat64);  // float64 is never autocast
  EXPECT_EQ(mm(i, i).dtype(), kInt64);
  // The CUDA lists do not apply to CPU tensors, and CPU autocast leaves exp and sum alone, as PyTorch's.
  Tensor h = randn({3, 3}).to(kBFloat16);
  EXPECT_EQ(exp(h).dtype(), kBFloat16);
  EXPECT_EQ(h.sum().dtype(), kBFloat16);
  EXPECT_EQ(softmax(h, 0).dtype(), kBFloat16);
}

TEST(Autocast, Fp32OpsRunInFloat32) {
  manual_seed(2);
  Tensor x = randn({4, 5}).to(kBFloat16), y = randn({4, 5}).to(kBFloat16);
  Tensor p = sigmoid(randn({4, 5})).to(kBFloat16), t = rand({4, 5}).to(kBFloat16);
  Tensor logits = randn({4, 5}).to(kBFloat16), target = tensor({0L, 3L, 4L, 1L});
  Tensor vol = randn({1, 2, 4, 4, 4}).to(kBFloat16), seq = randn({1, 2, 5}).to(kBFloat16);
  auto f = [](const Tensor& v) { return v.to(kFloat32); };
  ac::AutocastGuard guard(kCPU);
  EXPECT_TRUE(same(F::mse_loss(x, y), F::mse_loss(f(x), f(y))));
  EXPECT_TRUE(same(F::l1_loss(x, y), F::l1_loss(f(x), f(y))));
  EXPECT_TRUE(same(F::smooth_l1_loss(x, y), F::smooth_l1_loss(f(x), f(y))));
  EXPECT_TRUE(same(F::binary_cross_entropy(p, t), F::binary_cross_entropy(f(p), f(t))));
  EXPECT_TRUE(same(F::binary_cross_entropy_with_logits(x, t), F::binary_cross_entropy_with_logits(f(x), f(t))));
  EXPECT_TRUE(same(F::cross_entropy(logits, target), F::cross_entropy(f(logits), target)));
  EXPECT_TRUE(same(F::nll_loss(logits, target), F::nll_loss(f(logits), target)));
  EXPECT_TRUE(same(F::kl_div(x, y), F::kl_div(f(x), f(y))));
  EXPECT_TRUE(same(prod(x), prod(f(x))));
  EXPECT_TRUE(same(trace(x), trace(f(x))));
  EXPECT_TRUE(same(avg_pool3d(vol, {2, 2, 2}), avg_pool3d(f(vol), {2, 2, 2})));
  EXPECT_TRUE(same(max_pool3d(vol, {2, 2, 2}), max_pool3d(f(vol), {2, 2, 2})));
  EXPECT_TRUE(same(F::pad(seq, {1, 2}, "reflect"), F::pad(f(seq), {1, 2}, "reflect")));
  EXPECT_TRUE(same(F::pad(seq, {1, 2}, "replicate"), F::pad(f(seq), {1, 2}, "replicate")));
  EXPECT_EQ(F::pad(seq, {1, 2}).dtype(), kBFloat16);  // constant padding is not listed
  // An explicit dtype is honoured as given.
  EXPECT_EQ(prod(x, kFloat64).dtype(), kFloat64);
}

TEST(Autocast, PromoteOpsTakeTheWidestFloatingInput) {
  Tensor a = ones({2, 3}), h = ones({2, 3}).to(kBFloat16), d = ones({2, 3}, kFloat64);
  ac::AutocastGuard guard(kCPU);
  EXPECT_EQ(cat({a, h}).dtype(), kFloat32);
  EXPECT_EQ(cat({h, h}).dtype(), kBFloat16);
  EXPECT_EQ(stack({h, a}).dtype(), kFloat32);
  // float64 is ignored when picking the type and never cast; cat then promotes as it always does.
  EXPECT_EQ(cat({h, d}).dtype(), kFloat64);
  Tensor idx = tensor({1L, 0L});
  EXPECT_TRUE(same(index_copy(h, 0, idx, a), index_copy(a, 0, idx, a)));
}

TEST(Autocast, OpsMadeOfOtherOpsAreCastOnce) {
  manual_seed(3);
  Tensor a = randn({4, 5}), b = randn({5, 3});
  ac::AutocastGuard guard(kCPU);
  {
    // What an autocast op runs inside itself is left alone (PyTorch excludes the autocast key there).
    ac::detail::Suspend suspend(kCPU);
    EXPECT_EQ(mm(a, b).dtype(), kFloat32);
    EXPECT_TRUE(ac::is_autocast_enabled(kCPU));
  }
  EXPECT_EQ(mm(a, b).dtype(), kBFloat16);
}

TEST(Autocast, ParameterCastsAreCachedWithinARegion) {
  manual_seed(4);
  Tensor w = randn({5, 3}).requires_grad_(), x = randn({4, 5});
  // The node of the one input that requires grad: the cast of w (or of the tensor made from it).
  auto cast_node = [](const Tensor& y) {
    std::shared_ptr<autograd::Node> found;
    for (const auto& e : y.grad_fn()->next_edges)
      if (e.is_valid()) found = e.function;
    return found;
  };
  Tensor y1, y2, y3;
  {
    ac::AutocastGuard guard(kCPU);
    y1 = mm(x, w);
    y2 = mm(x * 2, w);
    EXPECT_EQ(cast_node(y1), cast_node(y2));
    EXPECT_EQ(cast_node(y1)->name(), "ToCopyBackward0");
  }
  {
    ac::AutocastGuard guard(kCPU);
    y3 = mm(x, w);
  }
  EXPECT_NE(cast_node(y1), cast_node(y3));  // the outermost exit cleared the cache
  {
    ac::AutocastGuard guard(kCPU, std::nullopt, true, false);
    EXPECT_NE(cast_node(mm(x, w)), cast_node(mm(x, w)));
  }
  // A non-leaf or a tensor without grad is cast each time.
  {
    ac::AutocastGuard guard(kCPU);
    Tensor nonleaf = w * 1;
    EXPECT_NE(cast_node(mm(x, nonleaf)), cast_node(mm(x, nonleaf)));
  }
}

TEST(Autocast, GradientsReachFloat32ParametersThroughTheCasts) {
  manual_seed(5);
  Tensor w = randn({5, 3}).requires_grad_(), bias = randn({3}).requires_grad_(), x = randn({4, 5});
  Tensor target = randn({4, 3});
  Tensor loss;
  {
    ac::AutocastGuard guard(kCPU);
    Tensor y = F::linear(x, w.t(), bias);
    EXPECT_EQ(y.dtype(), kBFloat16);
    loss = F::mse_loss(y, target);
    EXPECT_EQ(loss.dtype(), kFloat32);
  }
  loss.backward();
  // The same graph built by hand with explicit casts.
  Tensor wh = w.detach().clone().requires_grad_(), bh = bias.detach().clone().requires_grad_();
  Tensor yh = F::linear(bf(x), bf(wh.t()), bf(bh));
  F::mse_loss(yh.to(kFloat32), target).backward();
  ASSERT_EQ(w.grad().dtype(), kFloat32);
  ASSERT_EQ(bias.grad().dtype(), kFloat32);
  EXPECT_TRUE(same(w.grad(), wh.grad()));
  EXPECT_TRUE(same(bias.grad(), bh.grad()));
}

TEST(Autocast, PolicyTablesFollowPyTorch) {
  using P = ac::CastPolicy;
  EXPECT_EQ(ac::policy_of(kCUDA, "mm"), P::kLowerPrecision);
  EXPECT_EQ(ac::policy_of(kCUDA, "exp"), P::kFp32);
  EXPECT_EQ(ac::policy_of(kCUDA, "softmax"), P::kFp32);
  EXPECT_EQ(ac::policy_of(kCUDA, "addcmul"), P::kPromote);
  EXPECT_EQ(ac::policy_of(kCUDA, "binary_cross_entropy"), P::kBanned);
  EXPECT_EQ(ac::policy_of(kCUDA, "cat"), std::nullopt);
  EXPECT_EQ(ac::policy_of(kCPU, "binary_cross_entropy"), P::kFp32);
  EXPECT_EQ(ac::policy_of(kCPU, "cat"), P::kPromote);
  EXPECT_EQ(ac::policy_of(kCPU, "exp"), std::nullopt);
  EXPECT_EQ(ac::policy_of(kCPU, "relu"), std::nullopt);
}
