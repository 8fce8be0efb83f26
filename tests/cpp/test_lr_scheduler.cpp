// torch.optim.lr_scheduler against PyTorch: every scheduler's lr (and momentum) sequence over 30 steps on
// an optimizer with two groups, its state_dict after 10 steps, a save/load round trip that resumes
// identically, and the argument errors with PyTorch's messages.
#include <cmath>
#include <fstream>
#include <memory>

#include "golden.h"

using namespace ember;
using namespace ember::optim;

namespace {

const golden::File& gold() {
  static golden::File f("lr_scheduler");
  return f;
}

constexpr int kSteps = 30;
constexpr int kStateDictAt = 10;

// The optimizer, its schedulers (children first) and the one that is stepped.
struct Scheduled {
  std::vector<Tensor> params;
  std::unique_ptr<Optimizer> opt;
  std::vector<std::unique_ptr<LRScheduler>> children;
  std::unique_ptr<LRScheduler> sched;
  std::unique_ptr<ReduceLROnPlateau> plateau;

  void step(int i) {
    opt->step();
    if (plateau)
      plateau->step(gold()["metrics"].data_ptr<double>()[i]);
    else
      sched->step();
  }
  std::vector<double> last_lr() const { return plateau ? plateau->get_last_lr() : sched->get_last_lr(); }
};

Scheduled build(const std::string& name) {
  Scheduled s;
  s.params = {zeros({2}).requires_grad_(), zeros({3}).requires_grad_()};
  std::vector<ParamGroup> groups{ParamGroup({s.params[0]}), ParamGroup({s.params[1]}, {{"lr", 0.05}})};
  if (name == "onecycle_linear_three_phase")
    s.opt = std::make_unique<Adam>(groups, 0.1);
  else
    s.opt = std::make_unique<SGD>(groups, 0.1, 0.9);
  Optimizer& o = *s.opt;
  auto child = [&](LRScheduler* c) {
    s.children.emplace_back(c);
    return c;
  };
  if (name == "lambda")
    s.sched = std::make_unique<LambdaLR>(o, [](int64_t e) { return std::pow(0.95, double(e)); });
  else if (name == "lambda_per_group")
    s.sched = std::make_unique<LambdaLR>(
        o, std::vector<LambdaLR::Lambda>{[](int64_t e) { return std::pow(0.9, double(e)); },
                                         [](int64_t e) { return 1.0 / double(e + 1); }});
  else if (name == "multiplicative")
    s.sched = std::make_unique<MultiplicativeLR>(o, [](int64_t) { return 0.9; });
  else if (name == "step")
    s.sched = std::make_unique<StepLR>(o, 7, 0.5);
  else if (name == "multistep")
    s.sched = std::make_unique<MultiStepLR>(o, std::vector<int64_t>{3, 8, 8, 20}, 0.3);
  else if (name == "constant")
    s.sched = std::make_unique<ConstantLR>(o, 0.25, 6);
  else if (name == "linear")
    s.sched = std::make_unique<LinearLR>(o, 0.2, 0.9, 12);
  else if (name == "exponential")
    s.sched = std::make_unique<ExponentialLR>(o, 0.9);
  else if (name == "polynomial")
    s.sched = std::make_unique<PolynomialLR>(o, 20, 2.0);
  else if (name == "cosine")
    s.sched = std::make_unique<CosineAnnealingLR>(o, 10, 0.001);
  else if (name == "warm_restarts")
    s.sched = std::make_unique<CosineAnnealingWarmRestarts>(o, 5, 2, 0.01);
  else if (name == "cyclic_triangular")
    s.sched = std::make_unique<CyclicLR>(o, std::vector<double>{0.01}, std::vector<double>{0.1}, 4);
  else if (name == "cyclic_triangular2")
    s.sched = std::make_unique<CyclicLR>(o, std::vector<double>{0.01, 0.02}, std::vector<double>{0.1, 0.2}, 3, 5,
                                         "triangular2", 1.0, nullptr, "cycle", true, std::vector<double>{0.7},
                                         std::vector<double>{0.9, 0.95});
  else if (name == "cyclic_exp_range")
    s.sched = std::make_unique<CyclicLR>(o, std::vector<double>{0.01}, std::vector<double>{0.1}, 4, std::nullopt,
                                         "exp_range", 0.9, nullptr, "cycle", false);
  else if (name == "onecycle_cos")
    s.sched = std::make_unique<OneCycleLR>(o, std::vector<double>{0.5}, kSteps + 1);
  else if (name == "onecycle_linear_three_phase")
    s.sched = std::make_unique<OneCycleLR>(o, std::vector<double>{0.5, 0.3}, kSteps + 1, std::nullopt, std::nullopt,
                                           0.25, "linear", true, std::vector<double>{0.85},
                                           std::vector<double>{0.95}, 25.0, 1e4, true);
  else if (name == "sequential")
    s.sched = std::make_unique<SequentialLR>(
        o, std::vector<LRScheduler*>{child(new ConstantLR(o, 0.1, 2)), child(new ExponentialLR(o, 0.9))},
        std::vector<int64_t>{5});
  else if (name == "sequential3")
    s.sched = std::make_unique<SequentialLR>(
        o,
        std::vector<LRScheduler*>{child(new LinearLR(o, 0.5, 1.0, 4)), child(new StepLR(o, 3, 0.5)),
                                  child(new CosineAnnealingLR(o, 8))},
        std::vector<int64_t>{5, 15});
  else if (name == "chained")
    s.sched = std::make_unique<ChainedScheduler>(
        std::vector<LRScheduler*>{child(new ConstantLR(o, 0.1, 2)), child(new ExponentialLR(o, 0.9))});
  else if (name == "plateau_min")
    s.plateau = std::make_unique<ReduceLROnPlateau>(o, "min", 0.5, 2, 0.01, "rel", 1, std::vector<double>{0.01, 0.02});
  else if (name == "plateau_max_abs")
    s.plateau = std::make_unique<ReduceLROnPlateau>(o, "max", 0.3, 1, 0.1, "abs", 0, std::vector<double>{0}, 1e-3);
  else
    throw std::runtime_error("unknown scheduler " + name);
  return s;
}

const std::vector<std::string> kNames = {
    "lambda",           "lambda_per_group", "multiplicative",     "step",
    "multistep",        "constant",         "linear",             "exponential",
    "polynomial",       "cosine",           "warm_restarts",      "cyclic_triangular",
    "cyclic_triangular2", "cyclic_exp_range", "onecycle_cos",     "onecycle_linear_three_phase",
    "sequential",       "sequential3",      "chained",            "plateau_min",
    "plateau_max_abs"};

double momentum_of(const ParamGroup& g) { return g.has("betas") ? g.numbers("betas")[0] : g.number("momentum"); }

// Compares the groups' lr, get_last_lr() and (where cycled) momentum with row `row` of the golden tables.
void expect_row(const Scheduled& s, const std::string& name, int64_t row) {
  Tensor lr = gold()[name + "/lr"], last = gold()[name + "/last_lr"];
  const bool has_m = gold().has(name + "/momentum");
  Tensor mom = has_m ? gold()[name + "/momentum"] : Tensor();
  const auto& groups = s.opt->param_groups();
  std::vector<double> got_last = s.last_lr();
  ASSERT_EQ(got_last.size(), groups.size());
  for (size_t g = 0; g < groups.size(); ++g) {
    const int64_t k = row * 2 + int64_t(g);
    EXPECT_NEAR(groups[g].lr(), lr.data_ptr<double>()[k], 1e-15 + 1e-12 * std::abs(lr.data_ptr<double>()[k]))
        << name << " step " << row << " group " << g;
    EXPECT_NEAR(got_last[g], last.data_ptr<double>()[k], 1e-15 + 1e-12 * std::abs(last.data_ptr<double>()[k]))
        << name << " get_last_lr step " << row << " group " << g;
    if (has_m) {
      EXPECT_NEAR(momentum_of(groups[g]), mom.data_ptr<double>()[k], 1e-13) << name << " momentum step " << row;
    }
  }
}

SchedulerStateDict state_of(const Scheduled& s) { return s.plateau ? s.plateau->state_dict() : s.sched->state_dict(); }

// Every numeric entry of PyTorch's state_dict is in ours with the same value.
void expect_state_dict(const SchedulerStateDict& sd, const std::string& prefix) {
  for (const std::string& n : gold().names()) {
    if (n.rfind(prefix + "/", 0) != 0) continue;
    std::string key = n.substr(prefix.size() + 1);
    if (key.rfind("_schedulers/", 0) == 0) continue;
    auto it = sd.values.find(key);
    ASSERT_NE(it, sd.values.end()) << n << " missing";
    Tensor e = gold()[n];
    if (auto v = std::get_if<std::vector<double>>(&it->second)) {
      EXPECT_TRUE(golden::close(tensor(*v, kFloat64), e, 1e-12, 1e-15)) << n;
    } else if (auto v = std::get_if<std::vector<int64_t>>(&it->second)) {
      EXPECT_TRUE(golden::close(tensor(*v, kInt64).to(kFloat64), e)) << n;
    } else {
      const double x = to_double(it->second, key), y = e.item<double>();
      if (std::isinf(y))
        EXPECT_EQ(x, y) << n;
      else
        EXPECT_NEAR(x, y, 1e-12 * std::abs(y) + 1e-15) << n;
    }
  }
  for (size_t i = 0; i < sd.schedulers.size(); ++i)
    expect_state_dict(sd.schedulers[i], prefix + "/_schedulers/" + std::to_string(i));
}

class Schedule : public ::testing::TestWithParam<std::string> {};

TEST_P(Schedule, SequenceMatchesTorch) {
  const std::string name = GetParam();
  Scheduled s = build(name);
  expect_row(s, name, 0);
  for (int i = 0; i < kSteps; ++i) {
    s.step(i);
    expect_row(s, name, i + 1);
    if (i + 1 == kStateDictAt) expect_state_dict(state_of(s), name + "/sd");
  }
}

TEST_P(Schedule, StateDictRoundTripResumes) {
  const std::string name = GetParam();
  Scheduled a = build(name);
  for (int i = 0; i < kStateDictAt; ++i) a.step(i);
  OptimizerStateDict osd = a.opt->state_dict();
  SchedulerStateDict ssd = state_of(a);
  Scheduled b = build(name);
  b.opt->load_state_dict(osd);
  if (b.plateau)
    b.plateau->load_state_dict(ssd);
  else
    b.sched->load_state_dict(ssd);
  for (int i = kStateDictAt; i < kSteps; ++i) {
    b.step(i);
    expect_row(b, name, i + 1);
  }
}

INSTANTIATE_TEST_SUITE_P(LRScheduler, Schedule, ::testing::ValuesIn(kNames),
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

TEST(LRSchedulerErrors, PyTorchMessages) {
  Tensor w = zeros({1}).requires_grad_();
  SGD opt({w}, 0.1, 0.9);
  Adagrad no_momentum({zeros({1}).requires_grad_()});
  EXPECT_EQ(error_of([&] { ConstantLR(opt, 1.5); }), "Constant multiplicative factor expected to be between 0 and 1.");
  EXPECT_EQ(error_of([&] { LinearLR(opt, -0.1); }), "Starting multiplicative factor expected to be between 0 and 1.");
  EXPECT_EQ(error_of([&] { LinearLR(opt, 0.5, 1.5); }), "Ending multiplicative factor expected to be between 0 and 1.");
  EXPECT_EQ(error_of([&] { CosineAnnealingWarmRestarts(opt, 0); }), "Expected positive integer T_0, but got 0");
  EXPECT_EQ(error_of([&] { CosineAnnealingWarmRestarts(opt, 5, 0); }), "Expected integer T_mult >= 1, but got 0");
  EXPECT_EQ(error_of([&] { CyclicLR(opt, {0.1}, {1.0}, 10, std::nullopt, "sawtooth"); }),
            "mode is invalid and scale_fn is None");
  EXPECT_EQ(error_of([&] { CyclicLR(no_momentum, {0.1}, {1.0}); }),
            "optimizer must support momentum with `cycle_momentum` option enabled");
  EXPECT_EQ(error_of([&] { CyclicLR(opt, {0.1, 0.2, 0.3}, {1.0}); }), "expected 1 values for base_lr, got 3");
  EXPECT_EQ(error_of([&] { OneCycleLR(opt, {1.0}); }),
            "You must define either total_steps OR (epochs AND steps_per_epoch)");
  EXPECT_EQ(error_of([&] { OneCycleLR(opt, {1.0}, 0); }), "Expected positive integer total_steps, but got 0");
  EXPECT_EQ(error_of([&] { OneCycleLR(opt, {1.0}, 10, std::nullopt, std::nullopt, 1.5); }),
            "Expected float between 0 and 1 pct_start, but got 1.5");
  EXPECT_EQ(error_of([&] { OneCycleLR(opt, {1.0}, 10, std::nullopt, std::nullopt, 0.3, "step"); }),
            "anneal_strategy must by one of 'cos' or 'linear', instead got step");
  EXPECT_EQ(error_of([&] { ReduceLROnPlateau(opt, "min", 1.0); }), "Factor should be < 1.0.");
  EXPECT_EQ(error_of([&] { ReduceLROnPlateau(opt, "up"); }), "mode up is unknown!");
  EXPECT_EQ(error_of([&] { ReduceLROnPlateau(opt, "min", 0.1, 10, 1e-4, "pct"); }), "threshold mode pct is unknown!");
  EXPECT_EQ(error_of([&] { ReduceLROnPlateau(opt, "min", 0.1, 10, 1e-4, "rel", 0, {0.1, 0.2}); }),
            "expected 1 min_lrs, got 2");
  StepLR a(opt, 3);
  EXPECT_EQ(error_of([&] { SequentialLR(opt, {&a}, {2}); }),
            "Sequential Schedulers expects number of schedulers provided to be one more than the number of "
            "milestone points, but got number of schedulers 1 and the number of milestones to be equal to 1");
  StepLR other(no_momentum, 3);
  EXPECT_EQ(error_of([&] { SequentialLR(opt, {&a, &other}, {2}); }),
            "Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at "
            "index 1 to be different than the optimizer passed in.");
  EXPECT_EQ(error_of([&] { ChainedScheduler({&a, &other}); }),
            "ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers at index 0 "
            "and 1 to be different");
  OneCycleLR one(opt, {1.0}, 3);
  one.step();
  one.step();
  one.step();
  EXPECT_EQ(error_of([&] { one.step(); }), "Tried to step 5 times. The specified number of total steps is 3");
}

}  // namespace
