// torch.optim's optimizers against PyTorch: trajectories of a small tanh model over 50 steps (float64
// tight, float32 at float32 tolerance), state_dict entries and group options, state_dict round trips,
// param groups, None gradients, zero_grad and the argument errors with PyTorch's messages.
#include <cmath>
#include <fstream>
#include <memory>
#include <set>

#include "golden.h"
#include "thread_test_util.h"

using namespace ember;
using namespace ember::optim;

namespace {

const golden::File& gold() {
  static golden::File f("optim");
  return f;
}

std::vector<Tensor> init_params(DType dt) {
  std::vector<Tensor> ps;
  for (int i = 0; i < 5; ++i) ps.push_back(gold()["init/p" + std::to_string(i)].to(dt).requires_grad_());
  return ps;
}

Tensor loss_fn(const std::vector<Tensor>& ps, const Tensor& x, const Tensor& y) {
  Tensor h = tanh(matmul(x, ps[0]) + ps[1]);
  Tensor d = matmul(h, ps[2]) + ps[3] - y;
  return (d * d).mean();
}

std::unique_ptr<Optimizer> make(const std::string& c, const std::vector<Tensor>& all) {
  std::vector<Tensor> ps(all.begin(), all.begin() + 4);
  if (c == "sgd") return std::make_unique<SGD>(ps, 0.05);
  if (c == "sgd_momentum") return std::make_unique<SGD>(ps, 0.05, 0.9, 0.1, 0.01);
  if (c == "sgd_nesterov_max") return std::make_unique<SGD>(ps, 0.01, 0.5, 0, 0, true, true);
  if (c == "adam") return std::make_unique<Adam>(ps, 0.01);
  if (c == "adam_amsgrad_wd") return std::make_unique<Adam>(ps, 0.01, Betas{0.9, 0.999}, 1e-8, 0.1, true);
  if (c == "adam_max") return std::make_unique<Adam>(ps, 0.01, Betas{0.8, 0.99}, 1e-8, 0, false, true);
  if (c == "adamw") return std::make_unique<AdamW>(ps, 0.01);
  if (c == "adamw_amsgrad") return std::make_unique<AdamW>(ps, 0.01, Betas{0.9, 0.999}, 1e-6, 0.05, true);
  if (c == "adamax") return std::make_unique<Adamax>(ps, 0.01);
  if (c == "adamax_wd_max") return std::make_unique<Adamax>(ps, 0.01, Betas{0.9, 0.999}, 1e-8, 0.1, true);
  if (c == "nadam") return std::make_unique<NAdam>(ps, 0.01);
  if (c == "nadam_wd") return std::make_unique<NAdam>(ps, 0.01, Betas{0.9, 0.999}, 1e-8, 0.1, 0.01);
  if (c == "radam") return std::make_unique<RAdam>(ps, 0.01);
  if (c == "radam_wd") return std::make_unique<RAdam>(ps, 0.01, Betas{0.9, 0.9}, 1e-8, 0.1);
  if (c == "rmsprop") return std::make_unique<RMSprop>(ps, 0.01);
  if (c == "rmsprop_centered") return std::make_unique<RMSprop>(ps, 0.01, 0.9, 1e-8, 0.01, 0.9, true);
  if (c == "rmsprop_max") return std::make_unique<RMSprop>(ps, 0.01, 0.99, 1e-8, 0, 0.5, false, true);
  if (c == "adagrad") return std::make_unique<Adagrad>(ps, 0.1);
  if (c == "adagrad_opts") return std::make_unique<Adagrad>(ps, 0.1, 0.01, 0.01, 0.1);
  if (c == "adagrad_max") return std::make_unique<Adagrad>(ps, 0.05, 0, 0, 0, 1e-10, true);
  if (c == "adadelta") return std::make_unique<Adadelta>(ps, 1.0);
  if (c == "adadelta_opts") return std::make_unique<Adadelta>(ps, 0.5, 0.8, 1e-6, 0.01, true);
  if (c == "lbfgs") return std::make_unique<LBFGS>(ps, 0.5, 5, std::nullopt, 1e-7, 1e-9, 4);
  if (c == "lbfgs_wolfe")
    return std::make_unique<LBFGS>(ps, 1, 5, std::nullopt, 1e-7, 1e-9, 4, std::string("strong_wolfe"));
  if (c == "adam_groups")
    return std::make_unique<Adam>(
        std::vector<ParamGroup>{ParamGroup({all[0], all[1]}),
                                ParamGroup({all[2], all[3], all[4]},
                                           {{"lr", 0.02}, {"betas", std::vector<double>{0.5, 0.9}}})},
        0.01);
  throw std::runtime_error("unknown config " + c);
}

const std::vector<std::string> kConfigs = {
    "sgd",           "sgd_momentum", "sgd_nesterov_max", "adam",          "adam_amsgrad_wd", "adam_max",
    "adamw",         "adamw_amsgrad", "adamax",          "adamax_wd_max", "nadam",           "nadam_wd",
    "radam",         "radam_wd",     "rmsprop",          "rmsprop_centered", "rmsprop_max",  "adagrad",
    "adagrad_opts",  "adagrad_max",  "adadelta",         "adadelta_opts", "lbfgs",           "lbfgs_wolfe",
    "adam_groups"};

// gen_optim.py: 50 steps; LBFGS 4 (float64) and 1 (float32): beyond them torch's own result depends on
// which BLAS kernels the machine picks (measured there).
int steps_of(const std::string& c, DType dt = kFloat64) {
  if (c.rfind("lbfgs", 0) != 0) return 50;
  return dt == kFloat64 ? 4 : 1;
}

struct Training {
  std::vector<Tensor> ps;
  std::unique_ptr<Optimizer> opt;
  Tensor x, y;
  Optimizer::Closure closure() {
    return [this] {
      opt->zero_grad();
      Tensor loss = loss_fn(ps, x, y);
      loss.backward();
      return loss;
    };
  }
  void steps(int n) {
    auto c = closure();
    for (int i = 0; i < n; ++i) opt->step(c);
  }
};

Training start(const std::string& c, DType dt) {
  Training r;
  r.ps = init_params(dt);
  r.opt = make(c, r.ps);
  r.x = gold()["x"].to(dt);
  r.y = gold()["y"].to(dt);
  return r;
}

class Trajectory : public ::testing::TestWithParam<std::string> {};

TEST_P(Trajectory, Float64MatchesTorch) {
  const std::string c = GetParam();
  Training r = start(c, kFloat64);
  r.steps(steps_of(c));
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(golden::close(r.ps[size_t(i)].detach(), gold()[c + "/float64/p" + std::to_string(i)], 1e-9, 1e-11))
        << c << " p" << i;
}

TEST_P(Trajectory, Float32MatchesTorch) {
  const std::string c = GetParam();
  Training r = start(c, kFloat32);
  r.steps(steps_of(c, kFloat32));
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(golden::close(r.ps[size_t(i)].detach(), gold()[c + "/float32/p" + std::to_string(i)], 1e-5, 1e-6))
        << c << " p" << i;
}

// Every state entry and group option of torch's state_dict, with the same keys, kinds and values.
TEST_P(Trajectory, StateDictMatchesTorch) {
  const std::string c = GetParam();
  Training r = start(c, kFloat64);
  r.steps(steps_of(c));
  OptimizerStateDict sd = r.opt->state_dict();
  const std::string state_prefix = c + "/state/", group_prefix = c + "/group/";
  std::set<std::string> expected_state, expected_group;
  for (const std::string& n : gold().names()) {
    if (n.rfind(state_prefix, 0) == 0) {
      std::string rest = n.substr(state_prefix.size());
      expected_state.insert(rest.substr(0, rest.find("#list/")));
    } else if (n.rfind(group_prefix, 0) == 0) {
      expected_group.insert(n.substr(group_prefix.size()));
    }
  }
  std::set<std::string> got_state;
  for (const auto& [idx, st] : sd.state)
    for (const auto& [key, v] : st) {
      const std::string base = std::to_string(idx) + "/" + key;
      const std::string name = state_prefix + base;
      if (auto t = std::get_if<Tensor>(&v)) {
        if (!t->defined()) {
          got_state.insert(base + "#none");
          continue;
        }
        got_state.insert(base);
        EXPECT_TRUE(golden::close(*t, gold()[name], 1e-9, 1e-11)) << name;
      } else if (auto i = std::get_if<int64_t>(&v)) {
        got_state.insert(base + "#int");
        EXPECT_EQ(double(*i), gold()[name + "#int"].item<double>()) << name;
      } else if (auto d = std::get_if<double>(&v)) {
        // PyTorch's LBFGS keeps "t" as a 0-dim tensor after the line search interpolated it, and as the
        // number it was given (lr, a Python int or float) otherwise; ember keeps a double in each case.
        std::string suffix;
        for (const char* s : {"#float", "#int"})
          if (gold().has(name + s)) suffix = s;
        got_state.insert(base + suffix);
        EXPECT_NEAR(*d, gold()[name + suffix].item<double>(), 1e-9 * std::abs(*d) + 1e-12) << name;
      } else if (auto l = std::get_if<std::vector<Tensor>>(&v)) {
        got_state.insert(base);
        for (size_t j = 0; j < l->size(); ++j) {
          const std::string ln = name + "#list/" + std::to_string(j);
          ASSERT_TRUE(gold().has(ln)) << ln;
          if ((*l)[j].defined())
            EXPECT_TRUE(golden::close((*l)[j].to(kFloat64), gold()[ln].to(kFloat64), 1e-9, 1e-11)) << ln;
          else
            EXPECT_TRUE(std::isnan(gold()[ln].item<double>())) << ln << " is None in ember only";
        }
        EXPECT_FALSE(gold().has(name + "#list/" + std::to_string(l->size()))) << name << " is longer in torch";
      }
    }
  EXPECT_EQ(got_state, expected_state) << c;

  std::set<std::string> got_group;
  for (size_t g = 0; g < sd.param_groups.size(); ++g)
    for (const auto& [key, v] : sd.param_groups[g]) {
      if (std::holds_alternative<std::string>(v)) continue;
      const std::string base = std::to_string(g) + "/" + key;
      got_group.insert(base);
      Tensor e = gold()[group_prefix + base];
      if (auto ids = std::get_if<std::vector<int64_t>>(&v)) {
        EXPECT_EQ(*ids, std::vector<int64_t>(e.data_ptr<int64_t>(), e.data_ptr<int64_t>() + e.numel())) << base;
      } else if (auto t = std::get_if<std::vector<double>>(&v)) {
        EXPECT_TRUE(golden::close(tensor(*t, kFloat64), e)) << base;
      } else if (std::holds_alternative<std::monostate>(v)) {
        EXPECT_TRUE(std::isnan(e.item<double>())) << base << " is None in ember only";
      } else {
        EXPECT_EQ(to_double(v), e.item<double>()) << base;
      }
    }
  EXPECT_EQ(got_group, expected_group) << c;
}

// Saving after half the steps and loading into a fresh optimizer continues exactly as without the stop.
TEST_P(Trajectory, StateDictRoundTripResumesIdentically) {
  const std::string c = GetParam();
  const int n = steps_of(c);
  Training ref = start(c, kFloat64);
  ref.steps(n);
  Training a = start(c, kFloat64);
  a.steps(n / 2);
  OptimizerStateDict sd = a.opt->state_dict();
  Training b = start(c, kFloat64);
  for (size_t i = 0; i < b.ps.size(); ++i) {
    NoGradGuard g;
    b.ps[i].copy_(a.ps[i]);
  }
  b.opt->load_state_dict(sd);
  a.steps(n - n / 2);  // the saved dict is a deep copy: stepping `a` must not move `b`'s state
  b.steps(n - n / 2);
  for (size_t i = 0; i < b.ps.size(); ++i) {
    const Tensor& got = b.ps[i];
    EXPECT_TRUE(golden::close(got.detach(), ref.ps[i].detach(), 0, 0)) << c << " p" << i;
  }
}

INSTANTIATE_TEST_SUITE_P(Optim, Trajectory, ::testing::ValuesIn(kConfigs),
                         [](const auto& info) { return info.param; });

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const ValueError& e) {
    return e.what();
  }
  return "no ValueError";
}

TEST(OptimErrors, PyTorchMessages) {
  Tensor w = ones({2}).requires_grad_();
  Tensor v = ones({2}).requires_grad_();
  EXPECT_EQ(error_of([&] { SGD({w}, -0.1); }), "Invalid learning rate: -0.1");
  EXPECT_EQ(error_of([&] { SGD({w}, 0.1, -1); }), "Invalid momentum value: -1.0");
  EXPECT_EQ(error_of([&] { SGD({w}, 0.1, 0, 0, -1e-5); }), "Invalid weight_decay value: -1e-05");
  EXPECT_EQ(error_of([&] { SGD({w}, 0.1, 0, 0, 0, true); }), "Nesterov momentum requires a momentum and zero dampening");
  EXPECT_EQ(error_of([&] { Adam({w}, -1e-3); }), "Invalid learning rate: -0.001");
  EXPECT_EQ(error_of([&] { Adam({w}, 1e-3, Betas{1.0, 0.999}); }), "Invalid beta parameter at index 0: 1.0");
  EXPECT_EQ(error_of([&] { AdamW({w}, 1e-3, Betas{0.9, -0.5}); }), "Invalid beta parameter at index 1: -0.5");
  EXPECT_EQ(error_of([&] { Adam({w}, 1e-3, Betas{0.9, 0.999}, -1.0); }), "Invalid epsilon value: -1.0");
  EXPECT_EQ(error_of([&] { NAdam({w}, 1e-3, Betas{0.9, 0.999}, 1e-8, 0, -0.1); }), "Invalid momentum_decay value: -0.1");
  EXPECT_EQ(error_of([&] { RMSprop({w}, 0.01, -0.5); }), "Invalid alpha value: -0.5");
  EXPECT_EQ(error_of([&] { Adagrad({w}, 0.01, -1.0); }), "Invalid lr_decay value: -1.0");
  EXPECT_EQ(error_of([&] { Adagrad({w}, 0.01, 0, 0, -1.0); }), "Invalid initial_accumulator_value value: -1.0");
  EXPECT_EQ(error_of([&] { Adadelta({w}, 1.0, 1.5); }), "Invalid rho value: 1.5");
  EXPECT_EQ(error_of([&] { SGD(std::vector<Tensor>{}, 0.1); }), "optimizer got an empty parameter list");
  EXPECT_EQ(error_of([&] { SGD(std::vector<ParamGroup>{ParamGroup({w, v}), ParamGroup({v})}, 0.1); }),
            "some parameters appear in more than one parameter group");
  EXPECT_EQ(error_of([&] { SGD({w * 2}, 0.1); }), "can't optimize a non-leaf Tensor");
  EXPECT_EQ(error_of([&] { LBFGS(std::vector<ParamGroup>{ParamGroup({w}), ParamGroup({v})}); }),
            "LBFGS doesn't support per-parameter options (parameter groups)");
  SGD opt({w}, 0.1);
  EXPECT_EQ(error_of([&] { opt.add_param_group(ParamGroup({w})); }),
            "some parameters appear in more than one parameter group");
  OptimizerStateDict sd = opt.state_dict();
  sd.param_groups.push_back(sd.param_groups[0]);
  EXPECT_EQ(error_of([&] { opt.load_state_dict(sd); }), "loaded state dict has a different number of parameter groups");
  sd = opt.state_dict();
  sd.param_groups[0]["params"] = std::vector<int64_t>{0, 1};
  EXPECT_EQ(error_of([&] { opt.load_state_dict(sd); }),
            "loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
}

TEST(Optim, ZeroGradAndNoneGradients) {
  Tensor w = tensor(std::vector<double>{1.0, 2.0}, kFloat32).requires_grad_();
  Tensor u = tensor(std::vector<double>{3.0}, kFloat32).requires_grad_();
  SGD opt({w, u}, 0.5, 0.9);
  (w * w).sum().backward();
  opt.step();
  // u had no gradient: unchanged and without state, as in PyTorch.
  EXPECT_EQ(u.item<float>(), 3.0f);
  EXPECT_FALSE(opt.has_state(u));
  EXPECT_FLOAT_EQ(w.data_ptr<float>()[0], 1.0f - 0.5f * 2.0f);
  opt.zero_grad(false);
  ASSERT_TRUE(w.grad().defined());
  EXPECT_EQ(w.grad().abs().sum().item<float>(), 0.0f);
  opt.zero_grad();
  EXPECT_FALSE(w.grad().defined());
}

TEST(Optim, StepReturnsTheClosuresLoss) {
  Tensor w = tensor(std::vector<double>{1.0, -2.0}, kFloat64).requires_grad_();
  RMSprop opt({w}, 0.01);
  int calls = 0;
  Tensor loss = opt.step([&] {
    ++calls;
    opt.zero_grad();
    Tensor l = (w * w).sum();
    l.backward();
    return l;
  });
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(loss.item<double>(), 5.0);  // evaluated before the update
  EXPECT_FALSE(opt.step().defined());    // no closure, no loss
}

// Chunks of one tensor run on several threads: the result must not depend on the thread count.
TEST(Optim, ResultIndependentOfThreadCount) {
  auto run = [](int threads) {
    ThreadCount t(threads);
    manual_seed(3);
    Tensor w = randn({300, 500}).requires_grad_();
    Tensor g = randn({300, 500});
    Adam opt({w}, 0.01, Betas{0.9, 0.999}, 1e-8, 0.1, true);
    for (int i = 0; i < 3; ++i) {
      w.set_grad(g * double(i + 1));
      opt.step();
    }
    return w.detach().clone();
  };
  Tensor one = run(1), two = run(2);
  EXPECT_TRUE(golden::close(one, two, 0, 0));
}

TEST(Optim, NonContiguousParameterIsUpdatedInPlace) {
  Tensor base = zeros({3, 2}, kFloat64);
  Tensor p = base.t().contiguous().t().requires_grad_();  // a leaf with transposed strides
  ASSERT_FALSE(p.is_contiguous());
  Adam opt({p}, 0.1);
  (p * tensor(std::vector<double>{1, 2, 3, 4, 5, 6}, kFloat64).view({3, 2})).sum().backward();
  opt.step();
  // Adam's first step moves every element by -lr * sign(grad) (up to eps).
  EXPECT_FALSE(p.is_contiguous());
  EXPECT_TRUE(golden::close(p.detach(), full({3, 2}, -0.1, kFloat64), 1e-7, 0));
}

TEST(Optim, ReprListsGroupOptionsSorted) {
  Tensor w = ones({1}).requires_grad_();
  Adam opt({w});
  EXPECT_EQ(opt.repr(),
            "Adam (\nParameter Group 0\n    amsgrad: False\n    betas: (0.9, 0.999)\n    capturable: False\n"
            "    differentiable: False\n    eps: 1e-08\n    foreach: None\n    fused: False\n    lr: 0.001\n"
            "    maximize: False\n    weight_decay: 0.0\n)");
}

}  // namespace
