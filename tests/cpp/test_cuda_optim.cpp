// The fused CUDA optimizer steps (SGD, Adam, AdamW, RMSprop; ember/ops/fused_optim.h) against the CPU
// loops: the same parameters on the CPU and, with the same layout, on the GPU get the same gradients for
// five steps; then parameters and every state entry must agree (float64 to 1e-12, float32 to 1e-6).
// The parameters cover a chunk boundary with a ragged tail, a 0-dim and an empty tensor, a transposed
// (non-contiguous) one, one whose data is not 16-byte aligned, one that gets its first gradient a step
// late (its own step count, a new momentum buffer while the others have one) and one that never gets
// a gradient. Without a GPU the GPU tests skip; the argument checks of the fused ops run anyway.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <ember/cuda.h>
#include <ember/ember.h>

#include "cuda_test_util.h"
#include "error_test_util.h"
#include <ember/ops/fused_optim.h>

using namespace ember;
using namespace ember::optim;

namespace {

// Each parameter on the CPU and its GPU twin with the same sizes, strides and alignment.
struct Params {
  std::vector<Tensor> cpu, gpu;
  void add(const Tensor& c, const Tensor& g) {
    cpu.push_back(c);
    gpu.push_back(g);
  }
};

constexpr size_t kLate = 0;  // gets its first gradient on the second step
constexpr int kSteps = 5;

Params make_params(DType dt) {
  manual_seed(7);
  const TensorOptions o(dt);
  Params ps;
  // 70001: two chunks of the kernel's table, the second with a tail shorter than a 16-byte pack.
  const std::vector<std::vector<int64_t>> shapes = {{3, 5}, {}, {0}, {70001}};
  for (const std::vector<int64_t>& shape : shapes) {
    Tensor c = randn(shape, o);
    ps.add(c.clone().requires_grad_(), c.cuda().requires_grad_());
  }
  Tensor base = randn({33, 64}, o);
  ps.add(base.t(), base.cuda().t());
  Tensor flat = randn({1001}, o);
  ps.add(flat.narrow(0, 1, 1000), flat.cuda().narrow(0, 1, 1000));
  Tensor idle = randn({4}, o);  // never gets a gradient
  ps.add(idle.clone(), idle.cuda());
  return ps;
}

// The gradients of one step, the same on both devices.
void set_grads(Params& ps, int step) {
  for (size_t i = 0; i + 1 < ps.cpu.size(); ++i) {
    if (i == kLate && step == 0) continue;
    Tensor g = randn(ps.cpu[i].sizes(), TensorOptions(ps.cpu[i].dtype()));
    ps.cpu[i].set_grad(g);
    ps.gpu[i].set_grad(g.cuda());
  }
}

void expect_close(const Tensor& gpu, const Tensor& cpu, const std::string& what) {
  ASSERT_TRUE(gpu.is_cuda()) << what;
  const Tensor g = gpu.cpu();
  ASSERT_EQ(g.dtype(), cpu.dtype()) << what;
  ASSERT_EQ(g.sizes(), cpu.sizes()) << what;
  if (cpu.numel() == 0) return;
  const double tol = cpu.dtype() == kFloat64 ? 1e-12 : 1e-6;
  const Tensor gd = g.to(kFloat64), cd = cpu.to(kFloat64);
  EXPECT_TRUE(allclose(gd, cd, tol, tol))
      << what << ": max abs diff " << (gd - cd).abs().max().item<double>();
}

void expect_same_state(Optimizer& cpu_opt, Optimizer& gpu_opt, const Params& ps, const std::string& name) {
  for (size_t i = 0; i < ps.cpu.size(); ++i) {
    const std::string at = name + " param " + std::to_string(i);
    expect_close(ps.gpu[i].detach(), ps.cpu[i].detach(), at);
    ASSERT_EQ(gpu_opt.has_state(ps.gpu[i]), cpu_opt.has_state(ps.cpu[i])) << at;
    if (!cpu_opt.has_state(ps.cpu[i])) continue;
    const ParamState& cs = cpu_opt.state(ps.cpu[i]);
    const ParamState& gs = gpu_opt.state(ps.gpu[i]);
    ASSERT_EQ(gs.size(), cs.size()) << at;
    for (const auto& [key, cv] : cs) {
      auto it = gs.find(key);
      ASSERT_NE(it, gs.end()) << at << " state " << key;
      const StateValue& gv = it->second;
      ASSERT_EQ(gv.index(), cv.index()) << at << " state " << key;
      if (auto ct = std::get_if<Tensor>(&cv)) {
        const Tensor& gt = std::get<Tensor>(gv);
        ASSERT_EQ(gt.defined(), ct->defined()) << at << " state " << key;
        if (!ct->defined()) continue;
        if (key == "step") {
          // PyTorch keeps the step count on the CPU for non-capturable optimizers.
          EXPECT_TRUE(gt.is_cpu()) << at;
          EXPECT_TRUE(equal(gt, *ct)) << at << " step " << gt << " vs " << *ct;
        } else {
          expect_close(gt, *ct, at + " state " + key);
        }
      } else if (auto ci = std::get_if<int64_t>(&cv)) {
        EXPECT_EQ(std::get<int64_t>(gv), *ci) << at << " state " << key;
      }
    }
  }
}

using Make = std::function<std::unique_ptr<Optimizer>(const std::vector<Tensor>&)>;

// Two groups, the second with its own learning rate (and betas for the Adams).
std::vector<ParamGroup> two_groups(const std::vector<Tensor>& ps, Options second) {
  return {ParamGroup(std::vector<Tensor>(ps.begin(), ps.begin() + 3)),
          ParamGroup(std::vector<Tensor>(ps.begin() + 3, ps.end()), std::move(second))};
}

// An optimizer of type O over the given parameters with the constructor's remaining arguments `a`.
template <class O, class... A>
Make make(A... a) {
  return [=](const std::vector<Tensor>& ps) -> std::unique_ptr<Optimizer> { return std::make_unique<O>(ps, a...); };
}

Make config(const std::string& c) {
  // SGD(params, lr, momentum, dampening, weight_decay, nesterov, maximize)
  if (c == "sgd") return make<SGD>(0.1);
  if (c == "sgd_momentum") return make<SGD>(0.1, 0.9);
  if (c == "sgd_dampening_wd") return make<SGD>(0.1, 0.9, 0.3, 0.01);
  if (c == "sgd_nesterov") return make<SGD>(0.05, 0.9, 0.0, 0.01, true);
  if (c == "sgd_nesterov_max") return make<SGD>(0.05, 0.5, 0.0, 0.1, true, true);
  if (c == "sgd_wd_max") return make<SGD>(0.1, 0.0, 0.0, 0.1, false, true);
  if (c == "sgd_groups")
    return [](auto& ps) { return std::make_unique<SGD>(two_groups(ps, {{"lr", 0.02}}), 0.1, 0.9); };
  // Adam/AdamW(params, lr, betas, eps, weight_decay, amsgrad, maximize)
  if (c == "adam") return make<Adam>(0.01);
  if (c == "adam_amsgrad") return make<Adam>(0.01, Betas{0.9, 0.999}, 1e-8, 0.0, true);
  if (c == "adam_wd") return make<Adam>(0.01, Betas{0.9, 0.99}, 1e-8, 0.1);
  if (c == "adam_max") return make<Adam>(0.01, Betas{0.8, 0.99}, 1e-8, 0.0, false, true);
  if (c == "adam_amsgrad_wd_max") return make<Adam>(0.02, Betas{0.9, 0.999}, 1e-6, 0.05, true, true);
  if (c == "adam_groups")
    return [](auto& ps) {
      return std::make_unique<Adam>(two_groups(ps, {{"lr", 0.02}, {"betas", std::vector<double>{0.5, 0.9}}}), 0.01);
    };
  if (c == "adamw") return make<AdamW>(0.01);
  if (c == "adamw_no_wd") return make<AdamW>(0.01, Betas{0.9, 0.999}, 1e-8, 0.0);
  if (c == "adamw_amsgrad") return make<AdamW>(0.01, Betas{0.9, 0.999}, 1e-6, 0.05, true);
  if (c == "adamw_amsgrad_max") return make<AdamW>(0.01, Betas{0.9, 0.99}, 1e-8, 0.1, true, true);
  // RMSprop(params, lr, alpha, eps, weight_decay, momentum, centered, maximize)
  if (c == "rmsprop") return make<RMSprop>(0.01);
  if (c == "rmsprop_alpha_eps") return make<RMSprop>(0.01, 0.9, 1e-6);
  if (c == "rmsprop_momentum") return make<RMSprop>(0.01, 0.99, 1e-8, 0.0, 0.9);
  if (c == "rmsprop_centered") return make<RMSprop>(0.01, 0.99, 1e-8, 0.0, 0.0, true);
  if (c == "rmsprop_centered_momentum_wd") return make<RMSprop>(0.01, 0.9, 1e-8, 0.01, 0.9, true);
  if (c == "rmsprop_wd_max") return make<RMSprop>(0.01, 0.99, 1e-8, 0.1, 0.5, false, true);
  throw std::runtime_error("unknown config " + c);
}

const std::vector<std::string> kConfigs = {
    "sgd",          "sgd_momentum",      "sgd_dampening_wd", "sgd_nesterov",      "sgd_nesterov_max",
    "sgd_wd_max",   "sgd_groups",        "adam",             "adam_amsgrad",      "adam_wd",
    "adam_max",     "adam_amsgrad_wd_max", "adam_groups",    "adamw",             "adamw_no_wd",
    "adamw_amsgrad", "adamw_amsgrad_max", "rmsprop",         "rmsprop_alpha_eps", "rmsprop_momentum",
    "rmsprop_centered", "rmsprop_centered_momentum_wd", "rmsprop_wd_max"};

void run_and_compare(const std::string& c, DType dt) {
  Params ps = make_params(dt);
  const Make build = config(c);
  std::unique_ptr<Optimizer> cpu_opt = build(ps.cpu), gpu_opt = build(ps.gpu);
  for (int s = 0; s < kSteps; ++s) {
    set_grads(ps, s);
    cpu_opt->step();
    gpu_opt->step();
  }
  expect_same_state(*cpu_opt, *gpu_opt, ps, c + " " + std::string(dtype_name(dt)));
}

class CudaOptim : public ::testing::TestWithParam<std::string> {};

TEST_P(CudaOptim, Float64MatchesCpu) {
  REQUIRE_GPU();
  run_and_compare(GetParam(), kFloat64);
}

TEST_P(CudaOptim, Float32MatchesCpu) {
  REQUIRE_GPU();
  run_and_compare(GetParam(), kFloat32);
}

// After two steps the state goes through state_dict into a fresh optimizer on the same GPU parameters,
// which takes three more: the result must be the CPU's five uninterrupted steps.
TEST_P(CudaOptim, StateDictRoundTrip) {
  REQUIRE_GPU();
  const std::string c = GetParam();
  Params ps = make_params(kFloat64);
  const Make build = config(c);
  std::unique_ptr<Optimizer> cpu_opt = build(ps.cpu), gpu_opt = build(ps.gpu);
  for (int s = 0; s < kSteps; ++s) {
    if (s == 2) {
      const OptimizerStateDict sd = gpu_opt->state_dict();
      gpu_opt = build(ps.gpu);
      gpu_opt->load_state_dict(sd);
    }
    set_grads(ps, s);
    cpu_opt->step();
    gpu_opt->step();
  }
  expect_same_state(*cpu_opt, *gpu_opt, ps, c + " after load_state_dict");
}

INSTANTIATE_TEST_SUITE_P(Configs, CudaOptim, ::testing::ValuesIn(kConfigs),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// float32 and float64 parameters in one group: one launch per dtype, each in its own arithmetic.
TEST(CudaOptimGroups, MixedDtypes) {
  REQUIRE_GPU();
  for (const std::string c : {"sgd_dampening_wd", "adam_amsgrad_wd_max", "adamw", "rmsprop_centered_momentum_wd"}) {
    Params p32 = make_params(kFloat32), p64 = make_params(kFloat64);
    Params ps;
    for (size_t i = 0; i < p32.cpu.size(); ++i) {
      ps.add(p32.cpu[i], p32.gpu[i]);
      ps.add(p64.cpu[i], p64.gpu[i]);
    }
    const Make build = config(c);
    std::unique_ptr<Optimizer> cpu_opt = build(ps.cpu), gpu_opt = build(ps.gpu);
    for (int s = 0; s < kSteps; ++s) {
      set_grads(p32, s);
      set_grads(p64, s);
      cpu_opt->step();
      gpu_opt->step();
    }
    expect_same_state(*cpu_opt, *gpu_opt, ps, c + " mixed dtypes");
  }
}

TEST(CudaOptimErrors, MixedDevicesInOneGroup) {
  REQUIRE_GPU();
  Tensor a = randn({3}).requires_grad_(), b = randn({3}).cuda().requires_grad_();
  a.set_grad(ones({3}));
  b.set_grad(ones({3}).cuda());
  const Tensor a0 = a.detach().clone();
  for (const std::string c : {"sgd_momentum", "adam", "rmsprop"}) {
    std::unique_ptr<Optimizer> opt = config(c)({a, b});
    const std::string e = error_of([&] { opt->step(); });
    EXPECT_NE(e.find("the parameters of a group must be on one device"), std::string::npos) << c << ": " << e;
    EXPECT_NE(e.find("cpu"), std::string::npos) << e;
    EXPECT_NE(e.find("cuda"), std::string::npos) << e;
    EXPECT_TRUE(equal(a.detach(), a0)) << c;
    EXPECT_FALSE(opt->has_state(a)) << c;
  }
}

TEST(CudaOptimErrors, GradientOnAnotherDevice) {
  REQUIRE_GPU();
  Tensor p = randn({3}).cuda().requires_grad_();
  p.set_grad(ones({3}));
  SGD opt({p}, 0.1);
  const std::string e = error_of([&] { opt.step(); });
  EXPECT_NE(e.find("SGD: gradient on cpu does not match parameter on cuda"), std::string::npos) << e;
}

TEST(CudaOptimErrors, OptimizersWithoutCudaStepRefuseGpuParameters) {
  REQUIRE_GPU();
  Tensor p = randn({3}).cuda().requires_grad_();
  p.set_grad(ones({3}).cuda());
  EXPECT_NE(error_of([&] { Adagrad opt({p}); }).find("Adagrad: only CPU parameters are supported"), std::string::npos);
  Adamax opt({p});
  EXPECT_NE(error_of([&] { opt.step(); }).find("Adamax: only CPU parameters are supported"), std::string::npos);
}

// The argument checks run before any kernel, so they hold on a machine without a GPU too.
TEST(FusedOptimOps, ArgumentChecks) {
  Tensor p = zeros({2, 3}), g = zeros({2, 3}), m = zeros({2, 3}), v = zeros({2, 3});
  auto adam = [&](std::vector<Tensor> ps, std::vector<Tensor> gs, std::vector<Tensor> ms, std::vector<Tensor> vs,
                  std::vector<double> steps) {
    return error_of([&] { _fused_adam_(ps, gs, ms, vs, {}, steps, 0.1, 0.9, 0.999, 0, 1e-8, false, false); });
  };
  EXPECT_NE(adam({p}, {g, g}, {m}, {v}, {1}).find("_fused_adam_: expected 1 tensors in grads, got 2"),
            std::string::npos);
  EXPECT_NE(adam({p}, {g}, {m}, {v}, {}).find("_fused_adam_: expected 1 values in state_steps, got 0"),
            std::string::npos);
  EXPECT_NE(adam({p}, {g}, {zeros({3, 2})}, {v}, {1})
                .find("_fused_adam_: exp_avgs[0] has sizes [3, 2] but params[0] has sizes [2, 3]"),
            std::string::npos);
  EXPECT_NE(adam({p}, {g}, {zeros({3, 2}).t()}, {v}, {1}).find("_fused_adam_: exp_avgs[0] is not contiguous"),
            std::string::npos);
  EXPECT_NE(adam({p}, {g}, {m}, {zeros({2, 3}, TensorOptions(kFloat64))}, {1})
                .find("_fused_adam_: expected all tensors of dtype ember.float32, but exp_avg_sqs[0] is ember.float64"),
            std::string::npos);
  EXPECT_NE(adam({p}, {Tensor()}, {m}, {v}, {1}).find("_fused_adam_: grads[0] is undefined"), std::string::npos);
  const Tensor i = zeros({2, 3}, TensorOptions(kInt64));
  EXPECT_NE(adam({i}, {i}, {i}, {i}, {1}).find("_fused_adam_: parameters must be float32 or float64, got ember.int64"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              _fused_adamw_({p}, {g}, {m}, {v}, {}, {1}, 0.1, 0.9, 0.999, 0, 1e-8, true, false);
            }).find("_fused_adamw_: expected 1 tensors in max_exp_avg_sqs, got 0"),
            std::string::npos);
  // Valid CPU lists reach the registry, which has only CUDA kernels.
  EXPECT_NE(adam({p}, {g}, {m}, {v}, {1}).find("Could not run '_fused_adam_' with arguments from the 'CPU' backend"),
            std::string::npos);
  std::vector<Tensor> bufs(1);
  EXPECT_NE(error_of([&] { _fused_sgd_({p}, {g}, bufs, 0, 0.9, 0.1, 0, false, false); })
                .find("Could not run '_fused_sgd_' with arguments from the 'CPU' backend"),
            std::string::npos);
  EXPECT_FALSE(bufs[0].defined());  // a failed step leaves the caller's list as it was
  std::vector<Tensor> few;
  EXPECT_NE(error_of([&] { _fused_sgd_({p}, {g}, few, 0, 0.9, 0.1, 0, false, false); })
                .find("_fused_sgd_: expected 1 tensors in momentum_buffer_list, got 0"),
            std::string::npos);
  EXPECT_NE(error_of([&] { _fused_rmsprop_({p}, {g}, {m}, {}, {}, 0.01, 0.99, 1e-8, 0, 0, true, false); })
                .find("_fused_rmsprop_: expected 1 tensors in grad_avgs, got 0"),
            std::string::npos);
  // Empty lists are a no-op.
  EXPECT_EQ(error_of([&] { _fused_adam_({}, {}, {}, {}, {}, {}, 0.1, 0.9, 0.999, 0, 1e-8, false, false); }), "");
  Tensor found = zeros({1}), inv = ones({1});
  auto unscale = [&](std::vector<Tensor> gs, Tensor& f, const Tensor& s) {
    return error_of([&] { _fused_amp_unscale_(gs, f, s); });
  };
  EXPECT_EQ(unscale({}, found, inv), "");
  EXPECT_NE(unscale({g, g.to(kFloat64)}, found, inv)
                .find("_fused_amp_unscale_: expected all tensors of dtype ember.float32, but grads[1] is ember.float64"),
            std::string::npos);
  EXPECT_NE(unscale({g.to(kFloat16)}, found, inv).find("gradients must be float32 or float64, got ember.float16"),
            std::string::npos);
  Tensor found64 = zeros({1}, kFloat64);
  EXPECT_NE(unscale({g}, found64, inv).find("found_inf and inv_scale must be one-element float32 tensors"),
            std::string::npos);
  EXPECT_NE(unscale({g}, found, inv).find("Could not run '_fused_amp_unscale_' with arguments from the 'CPU' backend"),
            std::string::npos);
  EXPECT_TRUE(equal(found, zeros({1})));
}

}  // namespace
