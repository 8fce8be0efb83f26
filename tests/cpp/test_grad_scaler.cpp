// GradScaler on CPU tensors (torch.amp.GradScaler("cpu")) and its two ops, against hand-derived values:
// the scale's backoff and growth, skipped steps, exact unscaling (powers of two), the misuse errors with
// PyTorch's messages, state_dict, and a disabled scaler (CUDA requested on a machine without a GPU).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <ember/ember.h>

#include "error_test_util.h"

using namespace ember;
using ember::amp::GradScaler;
using ember::amp::GradScalerOptions;

namespace {

GradScalerOptions interval(int64_t n) {
  GradScalerOptions o;
  o.growth_interval = n;
  return o;
}

// A loss whose gradient for w is known: sum(w * x) -> d/dw = x.
Tensor linear_loss(const Tensor& w, const Tensor& x) { return (w * x).sum(); }

}  // namespace

TEST(AmpOps, NonFiniteCheckAndUnscale) {
  Tensor g1 = tensor({2.0f, 4.0f}), g2 = tensor({8.0, -16.0}), found = zeros({1});
  Tensor inv = full({1}, 0.25);
  _amp_foreach_non_finite_check_and_unscale_({g1, g2}, found, inv);
  EXPECT_TRUE(equal(g1, tensor({0.5f, 1.0f})));
  EXPECT_TRUE(equal(g2, tensor({2.0, -4.0})));
  EXPECT_EQ(found.item<float>(), 0.0f);
  Tensor g3 = tensor({1.0f, std::numeric_limits<float>::infinity()}), g4 = tensor({std::nanf(""), 4.0f});
  _amp_foreach_non_finite_check_and_unscale_({g3}, found, inv);
  EXPECT_EQ(found.item<float>(), 1.0f);
  EXPECT_EQ(g3[0].item<float>(), 0.25f);  // every gradient is still multiplied
  found.zero_();
  _amp_foreach_non_finite_check_and_unscale_({g4}, found, inv);
  EXPECT_EQ(found.item<float>(), 1.0f);
  Tensor bad = zeros({1}, kFloat64);
  EXPECT_THROW(_amp_foreach_non_finite_check_and_unscale_({g1}, bad, inv), Error);
}

TEST(AmpOps, UpdateScale) {
  Tensor scale = full({}, 1024.0), tracker = zeros({}, kInt32), clean = zeros({1}), inf = ones({1});
  _amp_update_scale_(scale, tracker, clean, 2.0, 0.5, 3);
  EXPECT_EQ(scale.item<float>(), 1024.0f);
  EXPECT_EQ(tracker.item<int32_t>(), 1);
  _amp_update_scale_(scale, tracker, clean, 2.0, 0.5, 3);
  _amp_update_scale_(scale, tracker, clean, 2.0, 0.5, 3);  // third clean step: grow, reset
  EXPECT_EQ(scale.item<float>(), 2048.0f);
  EXPECT_EQ(tracker.item<int32_t>(), 0);
  _amp_update_scale_(scale, tracker, clean, 2.0, 0.5, 3);
  _amp_update_scale_(scale, tracker, inf, 2.0, 0.5, 3);  // inf: back off, reset the count
  EXPECT_EQ(scale.item<float>(), 1024.0f);
  EXPECT_EQ(tracker.item<int32_t>(), 0);
  // Growth that would overflow float32 leaves the scale and still resets the count.
  Tensor big = full({}, 3e38), t1 = full({}, 0, kInt32);
  _amp_update_scale_(big, t1, clean, 2.0, 0.5, 1);
  EXPECT_EQ(big.item<float>(), 3e38f);
  EXPECT_EQ(t1.item<int32_t>(), 0);
  // The product is rounded once from double, as PyTorch's kernel does: 3 * 1.1 in double, then float.
  Tensor odd = full({}, 3.0), t2 = full({}, 0, kInt32);
  _amp_update_scale_(odd, t2, clean, 1.1, 0.5, 1);
  EXPECT_EQ(odd.item<float>(), float(3.0 * 1.1));
  EXPECT_THROW(_amp_update_scale_(odd, scale, clean, 2.0, 0.5, 1), Error);  // tracker must be int32
}

TEST(GradScaler, ScalesUnscalesAndStepsExactly) {
  // Scaling by 2^16 and back is exact, so the scaled run's parameters equal a plain run's bit for bit.
  Tensor x = tensor({0.5f, -1.5f, 3.0f});
  Tensor w = tensor({1.0f, 2.0f, 3.0f}).requires_grad_(), w_ref = w.detach().clone().requires_grad_();
  optim::SGD opt({w}, 0.1), opt_ref({w_ref}, 0.1);
  GradScaler scaler(kCPU);
  EXPECT_TRUE(scaler.is_enabled());
  EXPECT_EQ(scaler.get_scale(), 65536.0);
  for (int step = 0; step < 3; ++step) {
    opt.zero_grad();
    Tensor scaled = scaler.scale(linear_loss(w, x));
    EXPECT_EQ(scaled.item<float>(), linear_loss(w, x).item<float>() * 65536.0f);
    scaled.backward();
    EXPECT_TRUE(equal(w.grad(), x * 65536.0f));
    scaler.step(opt);
    scaler.update();
    opt_ref.zero_grad();
    linear_loss(w_ref, x).backward();
    opt_ref.step();
    EXPECT_TRUE(equal(w, w_ref)) << "step " << step;
  }
  EXPECT_EQ(scaler.get_scale(), 65536.0);  // 3 clean steps of 2000 before growth
}

TEST(GradScaler, SkipsStepsWithInfOrNanAndBacksOff) {
  Tensor w = tensor({1.0f, 2.0f}).requires_grad_(), w_ref = w.detach().clone().requires_grad_();
  optim::SGD opt({w}, 0.1), opt_ref({w_ref}, 0.1);
  GradScaler scaler(kCPU, interval(2));
  Tensor before = w.detach().clone();
  opt.zero_grad();
  scaler.scale(linear_loss(w, tensor({1.0f, std::numeric_limits<float>::infinity()}))).backward();
  scaler.step(opt);
  scaler.update();
  EXPECT_TRUE(equal(w, before));  // skipped
  EXPECT_EQ(scaler.get_scale(), 32768.0);
  // Two clean steps grow the scale back; the unscaled gradients update w as plain SGD would.
  for (int i = 0; i < 2; ++i) {
    opt.zero_grad();
    scaler.scale(linear_loss(w, tensor({1.0f, 1.0f}))).backward();
    scaler.unscale_(opt);
    EXPECT_TRUE(equal(w.grad(), tensor({1.0f, 1.0f})));
    scaler.step(opt);
    scaler.update();
    opt_ref.zero_grad();
    linear_loss(w_ref, tensor({1.0f, 1.0f})).backward();
    opt_ref.step();
  }
  EXPECT_TRUE(equal(w, w_ref));
  EXPECT_FALSE(equal(w, before));
  EXPECT_EQ(scaler.get_scale(), 65536.0);
}

TEST(GradScaler, MisuseRaisesPyTorchsErrors) {
  Tensor w = tensor({1.0f}).requires_grad_();
  optim::SGD opt({w}, 0.1);
  GradScaler scaler(kCPU);
  EXPECT_THROW(scaler.unscale_(opt), Error);  // before scale(): no scale yet
  scaler.scale(linear_loss(w, tensor({1.0f}))).backward();
  EXPECT_EQ(error_of([&] { scaler.update(); }), "No inf checks were recorded prior to update.");
  scaler.unscale_(opt);
  EXPECT_EQ(error_of([&] { scaler.unscale_(opt); }),
            "unscale_() has already been called on this optimizer since the last update().");
  scaler.step(opt);
  EXPECT_EQ(error_of([&] { scaler.step(opt); }), "step() has already been called since the last update().");
  EXPECT_EQ(error_of([&] { scaler.unscale_(opt); }), "unscale_() is being called after step().");
  scaler.update();
  Tensor h = tensor({1.0f}).to(kFloat16).requires_grad_();
  optim::SGD opt_h({h}, 0.1);
  scaler.scale(h.sum()).backward();
  EXPECT_THROW(scaler.unscale_(opt_h), ValueError);
  GradScalerOptions bad;
  bad.growth_factor = 0.9;
  EXPECT_THROW(GradScaler(kCPU, bad), ValueError);
}

TEST(GradScaler, NewScaleAndStateDict) {
  Tensor w = tensor({1.0f}).requires_grad_();
  optim::SGD opt({w}, 0.1);
  GradScaler scaler(kCPU, interval(5));
  for (int i = 0; i < 3; ++i) {
    opt.zero_grad();
    scaler.scale(linear_loss(w, tensor({1.0f}))).backward();
    scaler.step(opt);
    scaler.update();
  }
  amp::GradScalerState st = scaler.state_dict();
  EXPECT_EQ(st.scale, 65536.0);
  EXPECT_EQ(st.growth_tracker, 3);
  EXPECT_EQ(st.growth_interval, 5);
  GradScaler restored(kCPU);
  restored.load_state_dict(st);
  EXPECT_EQ(restored.get_scale(), 65536.0);
  EXPECT_EQ(restored.get_growth_interval(), 5);
  EXPECT_EQ(restored.state_dict().growth_tracker, 3);
  scaler.update(128.0);
  EXPECT_EQ(scaler.get_scale(), 128.0);
  scaler.update(full({1}, 256.0));
  EXPECT_EQ(scaler.get_scale(), 256.0);
}

TEST(GradScaler, CudaScalerWithoutAGpuIsDisabled) {
  if (cuda::is_available()) GTEST_SKIP() << "a GPU is present; the disabled path is for machines without one";
  GradScaler scaler(kCUDA);
  EXPECT_FALSE(scaler.is_enabled());
  EXPECT_EQ(scaler.get_scale(), 1.0);
  Tensor w = tensor({1.0f}).requires_grad_();
  optim::SGD opt({w}, 0.5);
  Tensor loss = linear_loss(w, tensor({2.0f}));
  EXPECT_TRUE(scaler.scale(loss).is_same(loss));
  loss.backward();
  scaler.step(opt);  // a plain step
  scaler.update();
  EXPECT_EQ(w.item<float>(), 0.0f);
}
