// nn::init: fans, gains, eye_ and dirac_ against PyTorch; the random initialisers' bounds, means and
// standard deviations against their formulas; orthogonality; generators; errors as PyTorch's.
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

double mean_of(const Tensor& t) { return t.to(kFloat64).mean().item<double>(); }
double std_of(const Tensor& t) { return t.to(kFloat64).std().item<double>(); }

}  // namespace

TEST(NnInit, FansMatchTorch) {
  for (const std::string& row : nntest::list("init_fans")) {
    auto j = nlohmann::json::parse(row);
    std::vector<int64_t> shape = j[0].get<std::vector<int64_t>>();
    auto [fan_in, fan_out] = init::_calculate_fan_in_and_fan_out(ember::empty(shape));
    EXPECT_EQ(fan_in, j[1].get<int64_t>()) << row;
    EXPECT_EQ(fan_out, j[2].get<int64_t>()) << row;
  }
  EXPECT_EQ(init::_calculate_correct_fan(empty({6, 3, 2, 2}), "fan_out"), 24);
  EXPECT_EQ(init::_calculate_correct_fan(empty({6, 3, 2, 2}), "FAN_IN"), 12);
  EXPECT_TRUE(nntest::throws_exactly<ValueError>([] { init::xavier_uniform_(empty({3})); }, nntest::text("init_fan_error")));
  EXPECT_TRUE(nntest::throws_exactly<ValueError>([] { init::kaiming_uniform_(empty({2, 2}), 0, "fan_avg"); },
                                                 nntest::text("init_mode_error")));
}

TEST(NnInit, GainsMatchTorch) {
  Tensor expected = G()["init_gains"];
  std::vector<double> got = {init::calculate_gain("linear"),     init::calculate_gain("conv2d"),
                             init::calculate_gain("sigmoid"),    init::calculate_gain("tanh"),
                             init::calculate_gain("relu"),       init::calculate_gain("leaky_relu"),
                             init::calculate_gain("leaky_relu", 0.2), init::calculate_gain("leaky_relu", std::sqrt(5.0)),
                             init::calculate_gain("selu")};
  EXPECT_TRUE(golden::close(tensor(got, kFloat64), expected, 1e-15, 0));
  EXPECT_TRUE(nntest::throws_exactly<ValueError>([] { init::calculate_gain("swish"); }, nntest::text("init_gain_error")));
}

TEST(NnInit, DeterministicInitialisersMatchTorch) {
  EXPECT_TRUE(golden::close(init::eye_(empty({3, 5})), G()["init_eye"], 0, 0));
  EXPECT_TRUE(golden::close(init::dirac_(empty({6, 2, 3, 3}), 2), G()["init_dirac"], 0, 0));
  EXPECT_TRUE(golden::close(init::dirac_(empty({2, 4, 4})), G()["init_dirac3"], 0, 0));
  EXPECT_TRUE(nntest::throws_exactly<ValueError>([] { init::eye_(empty({2, 2, 2})); }, nntest::text("init_eye_error")));
  EXPECT_TRUE(nntest::throws_exactly<ValueError>([] { init::dirac_(empty({2, 2})); }, nntest::text("init_dirac_error")));
  EXPECT_TRUE(nntest::throws_exactly<ValueError>([] { init::dirac_(empty({3, 2, 2}), 2); },
                                                 "dim 0 must be divisible by groups"));
  Tensor c = empty({2, 3});
  EXPECT_TRUE(init::constant_(c, 0.25).is_same(c));
  EXPECT_EQ(c.sum().item<double>(), 1.5);
  EXPECT_EQ(init::ones_(c).sum().item<double>(), 6.0);
  EXPECT_EQ(init::zeros_(c).abs().sum().item<double>(), 0.0);
}

TEST(NnInit, WorksOnParametersUnderNoGrad) {
  Tensor w = empty({4, 4}).requires_grad_();
  init::uniform_(w, -1, 1);
  init::kaiming_normal_(w);
  init::orthogonal_(w);
  init::trunc_normal_(w);
  init::eye_(w);
  EXPECT_TRUE(w.is_leaf());
  EXPECT_TRUE(w.requires_grad());
  EXPECT_FALSE(w.grad_fn());
}

TEST(NnInit, UniformAndNormalStatistics) {
  manual_seed(1);
  Tensor t = empty({1000, 1000});
  init::uniform_(t, -2, 3);
  EXPECT_GE(t.min().item<double>(), -2.0);
  EXPECT_LT(t.max().item<double>(), 3.0);
  EXPECT_NEAR(mean_of(t), 0.5, 0.01);
  EXPECT_NEAR(std_of(t), 5 / std::sqrt(12.0), 0.01);
  init::normal_(t, 1.5, 0.5);
  EXPECT_NEAR(mean_of(t), 1.5, 0.005);
  EXPECT_NEAR(std_of(t), 0.5, 0.005);
}

TEST(NnInit, TruncNormalStatistics) {
  manual_seed(2);
  const double mu = 1, s = 2, a = -1, b = 4;
  Tensor t = init::trunc_normal_(empty({1000, 1000}), mu, s, a, b);
  EXPECT_GE(t.min().item<double>(), a);
  EXPECT_LE(t.max().item<double>(), b);
  // Moments of the normal truncated to [a, b].
  auto phi = [](double x) { return std::exp(-x * x / 2) / std::sqrt(2 * M_PI); };
  auto Phi = [](double x) { return (1 + std::erf(x / std::sqrt(2.0))) / 2; };
  const double al = (a - mu) / s, be = (b - mu) / s, Z = Phi(be) - Phi(al);
  const double m = mu + s * (phi(al) - phi(be)) / Z;
  const double v = s * s * (1 + (al * phi(al) - be * phi(be)) / Z - std::pow((phi(al) - phi(be)) / Z, 2));
  EXPECT_NEAR(mean_of(t), m, 0.005);
  EXPECT_NEAR(std_of(t), std::sqrt(v), 0.005);
}

TEST(NnInit, XavierAndKaimingMatchTheirFormulas) {
  manual_seed(3);
  // (out, in, kh, kw): fan_in = 64 * 9, fan_out = 256 * 9.
  Tensor w = empty({256, 64, 3, 3});
  const double fan_in = 576, fan_out = 2304;

  init::xavier_uniform_(w, 2.0);
  double bound = 2.0 * std::sqrt(6.0 / (fan_in + fan_out));
  EXPECT_LE(w.abs().max().item<double>(), bound);
  EXPECT_GT(w.abs().max().item<double>(), 0.999 * bound);
  EXPECT_NEAR(std_of(w), bound / std::sqrt(3.0), 0.01 * bound);

  init::xavier_normal_(w);
  EXPECT_NEAR(std_of(w), std::sqrt(2.0 / (fan_in + fan_out)), 0.01 * std::sqrt(2.0 / (fan_in + fan_out)));

  init::kaiming_uniform_(w, 0, "fan_in", "relu");
  bound = std::sqrt(3.0) * std::sqrt(2.0) / std::sqrt(fan_in);
  EXPECT_LE(w.abs().max().item<double>(), bound);
  EXPECT_GT(w.abs().max().item<double>(), 0.999 * bound);
  EXPECT_NEAR(mean_of(w), 0.0, 0.01 * bound);

  init::kaiming_normal_(w, 0, "fan_out", "relu");
  EXPECT_NEAR(std_of(w), std::sqrt(2.0 / fan_out), 0.015 * std::sqrt(2.0 / fan_out));

  init::kaiming_normal_(w, 0.2);  // leaky_relu, fan_in
  const double s = std::sqrt(2.0 / (1 + 0.04)) / std::sqrt(fan_in);
  EXPECT_NEAR(std_of(w), s, 0.015 * s);

  // A zero-element tensor is left alone, as PyTorch (which warns).
  Tensor e = empty({0, 3});
  EXPECT_TRUE(init::kaiming_uniform_(e).is_same(e));
}

TEST(NnInit, OrthogonalGivesOrthonormalRowsOrColumns) {
  manual_seed(4);
  Tensor tall = init::orthogonal_(empty({7, 3}, kFloat64));
  EXPECT_TRUE(golden::close(mm(tall.t(), tall), eye(3, kFloat64), 0, 1e-12));
  Tensor wide = init::orthogonal_(empty({3, 7}, kFloat64), 2.0);
  EXPECT_TRUE(golden::close(mm(wide, wide.t()), eye(3, kFloat64) * 4, 0, 1e-12));
  Tensor conv = init::orthogonal_(empty({4, 2, 3, 3}));
  Tensor flat = conv.reshape({4, 18});
  EXPECT_TRUE(golden::close(mm(flat, flat.t()), eye(4), 0, 1e-5));
  Tensor square = init::orthogonal_(empty({5, 5}, kFloat64));
  EXPECT_TRUE(golden::close(mm(square, square.t()), eye(5, kFloat64), 0, 1e-12));
  EXPECT_TRUE(nntest::throws_exactly<ValueError>([] { init::orthogonal_(empty({3})); }, nntest::text("init_orth_error")));
}

TEST(NnInit, GeneratorArgument) {
  Tensor a = empty({50}), b = empty({50});
  const uint64_t offset = default_generator().offset();
  for (auto fn : {+[](Tensor t, Generator g) { init::uniform_(t, 0, 1, g); },
                  +[](Tensor t, Generator g) { init::normal_(t, 0, 1, g); },
                  +[](Tensor t, Generator g) { init::trunc_normal_(t, 0, 1, -2, 2, g); }}) {
    fn(a, Generator(42));
    fn(b, Generator(42));
    EXPECT_TRUE(golden::close(a, b, 0, 0));
    fn(b, Generator(43));
    EXPECT_FALSE(golden::close(a, b, 0, 0));
  }
  Tensor m1 = empty({6, 4}), m2 = empty({6, 4});
  init::xavier_uniform_(m1, 1, Generator(7));
  init::xavier_uniform_(m2, 1, Generator(7));
  EXPECT_TRUE(golden::close(m1, m2, 0, 0));
  init::kaiming_normal_(m1, 0, "fan_in", "relu", Generator(8));
  init::kaiming_normal_(m2, 0, "fan_in", "relu", Generator(8));
  EXPECT_TRUE(golden::close(m1, m2, 0, 0));
  init::orthogonal_(m1, 1, Generator(9));
  init::orthogonal_(m2, 1, Generator(9));
  EXPECT_TRUE(golden::close(m1, m2, 0, 0));
  EXPECT_EQ(default_generator().offset(), offset);  // the default generator was not used
}
