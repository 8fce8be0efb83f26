// Gradients of the reductions and scans: finite differences (gradcheck, gradgradcheck) in float64 on
// contiguous, transposed and step-sliced inputs, plus hand-derived values for ties and zeros.
#include <gtest/gtest.h>

#include <cmath>

#include <ember/ember.h>

using namespace ember;
using autograd::gradcheck;
using autograd::gradgradcheck;

namespace {

// Distinct values in [-2, 2] (no ties, no zeros), fixed by `seed`.
Tensor values(IntArrayRef sizes, uint64_t seed) {
  Tensor t = ember::empty(sizes, kFloat64);
  double* p = t.data_ptr<double>();
  uint64_t s = seed * 2654435761u + 1;
  for (int64_t i = 0; i < t.numel(); ++i) {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    double u = double(s >> 11) / double(1ull << 53);
    p[i] = (u < 0.5 ? -0.2 : 0.2) + (u - 0.5) * 3.6 + 1e-3 * double(i % 7);
  }
  return t;
}
Tensor leaf(const Tensor& t) { return t.detach().requires_grad_(); }

// (3, 4, 5) inputs in three layouts: contiguous, a transposed view, and every other row of a larger one.
std::vector<Tensor> layouts(uint64_t seed) {
  Tensor c = leaf(values({3, 4, 5}, seed));
  Tensor t = leaf(values({5, 4, 3}, seed + 1).transpose(0, 2));
  Tensor big = values({3, 8, 5}, seed + 2);
  Tensor s = leaf(big.as_strided({3, 4, 5}, {40, 10, 1}));
  return {c, t, s};
}

using Fn = std::function<Tensor(const Tensor&)>;

void check(const char* what, const Fn& f, bool gradgrad, uint64_t seed = 1) {
  for (const Tensor& x : layouts(seed)) {
    SCOPED_TRACE(std::string(what) + (x.is_contiguous() ? " contiguous" : " strided"));
    auto fn = [&](const tensor_list& in) -> tensor_list { return {f(in[0])}; };
    EXPECT_TRUE(gradcheck(fn, {x}));
    if (gradgrad) {
      EXPECT_TRUE(gradgradcheck(fn, {x}));
    }
  }
}

}  // namespace

TEST(ReduceGrad, SumMean) {
  check("sum all", [](const Tensor& x) { return x.sum(); }, true);
  check("sum dims", [](const Tensor& x) { return x.sum({0, 2}); }, true);
  check("sum keepdim", [](const Tensor& x) { return x.sum({1}, true); }, true);
  check("mean", [](const Tensor& x) { return x.mean({-1}); }, true);
  check("mean all", [](const Tensor& x) { return x.mean(); }, true);
  check("nansum", [](const Tensor& x) { return x.nansum({1}, true); }, false);
  check("nanmean", [](const Tensor& x) { return x.nanmean({0, 2}); }, false);
}

TEST(ReduceGrad, Prod) {
  check("prod all", [](const Tensor& x) { return x.prod(); }, true);
  check("prod dim", [](const Tensor& x) { return x.prod(1); }, true);
  check("prod keepdim", [](const Tensor& x) { return x.prod(-1, true); }, true);
  // With zeros: one zero in a line gets the product of the others, two zeros give 0 everywhere.
  Tensor x = leaf(ember::tensor({{2.0, 0.0, 3.0}, {0.0, 0.0, 5.0}, {1.5, 2.0, 4.0}}, kFloat64));
  auto fn = [](const tensor_list& in) -> tensor_list { return {in[0].prod(1)}; };
  EXPECT_TRUE(gradcheck(fn, {x}));
  x.prod(1).sum().backward();
  Tensor expected = ember::tensor({{0.0, 6.0, 0.0}, {0.0, 0.0, 0.0}, {8.0, 6.0, 3.0}}, kFloat64);
  EXPECT_TRUE(ember::all(x.grad() == expected).item<bool>());
  Tensor y = leaf(ember::tensor({{2.0, 0.0}, {3.0, 4.0}}, kFloat64));
  EXPECT_TRUE(gradcheck([](const tensor_list& in) -> tensor_list { return {in[0].prod()}; }, {y}));
  // Double backward through zeros: the backward is recorded with public ops under create_graph.
  EXPECT_TRUE(gradgradcheck(fn, {x}));
  EXPECT_TRUE(gradgradcheck([](const tensor_list& in) -> tensor_list { return {in[0].prod(0, true)}; }, {x}));
  EXPECT_TRUE(gradgradcheck([](const tensor_list& in) -> tensor_list { return {in[0].prod()}; }, {y}));
}

TEST(ReduceGrad, MaxMinAmaxAmin) {
  check("max", [](const Tensor& x) { return x.max(); }, false);
  check("min", [](const Tensor& x) { return x.min(); }, false);
  check("max dim", [](const Tensor& x) { return std::get<0>(x.max(1)); }, true);
  check("min dim keepdim", [](const Tensor& x) { return std::get<0>(x.min(-1, true)); }, false);
  check("amax", [](const Tensor& x) { return x.amax({0, 2}); }, true);
  check("amin", [](const Tensor& x) { return x.amin({1}, true); }, false);
  // Ties: amax and max() split the gradient evenly; max(dim) sends it to the returned index.
  Tensor x = leaf(ember::tensor({{1.0, 3.0, 3.0}, {2.0, 2.0, 2.0}}, kFloat64));
  x.amax({1}).sum().backward();
  Tensor third = ember::tensor({{0.0, 0.5, 0.5}, {1.0 / 3, 1.0 / 3, 1.0 / 3}}, kFloat64);
  EXPECT_TRUE(ember::all(x.grad() == third).item<bool>());
  Tensor y = leaf(ember::tensor({{1.0, 3.0, 3.0}, {2.0, 2.0, 2.0}}, kFloat64));
  std::get<0>(y.max(1)).sum().backward();
  Tensor first = ember::tensor({{0.0, 1.0, 0.0}, {1.0, 0.0, 0.0}}, kFloat64);
  EXPECT_TRUE(ember::all(y.grad() == first).item<bool>());
  Tensor z = leaf(ember::tensor({4.0, 1.0, 4.0, 4.0}, kFloat64));
  z.max().backward();
  EXPECT_TRUE(ember::all(z.grad() == ember::tensor({1.0 / 3, 0.0, 1.0 / 3, 1.0 / 3}, kFloat64)).item<bool>());
}

TEST(ReduceGrad, VarStd) {
  check("var", [](const Tensor& x) { return x.var({1}); }, true);
  check("var all", [](const Tensor& x) { return x.var(); }, true);
  check("var correction", [](const Tensor& x) { return x.var({0, 2}, std::optional<int64_t>(0), true); }, true);
  check("std", [](const Tensor& x) { return x.std({-1}, true, true); }, true);
  check("std correction", [](const Tensor& x) { return x.std({0}, std::optional<int64_t>(2)); }, false);
  check("var_mean", [](const Tensor& x) {
    auto [v, m] = var_mean(x, {1});
    return v + m * 3;
  }, true);
  check("std_mean", [](const Tensor& x) {
    auto [s, m] = std_mean(x, {0, 2}, false, true);
    return s * m;
  }, false);
  // std of a constant line: PyTorch's gradient is 0, not NaN.
  Tensor c = leaf(ember::ones({3}, kFloat64));
  c.std().backward();
  EXPECT_TRUE(ember::all(c.grad() == ember::zeros({3}, kFloat64)).item<bool>());
}

TEST(ReduceGrad, Norm) {
  check("norm 2", [](const Tensor& x) { return x.norm(); }, true);
  check("norm 2 dims", [](const Tensor& x) { return x.norm(2, {1}, true); }, true);
  check("norm fro", [](const Tensor& x) { return x.norm("fro", {0, 2}); }, false);
  check("norm 1", [](const Tensor& x) { return x.norm(1, {1}); }, false);
  check("norm 3", [](const Tensor& x) { return x.norm(3, {-1}); }, true);
  check("norm 1.5", [](const Tensor& x) { return x.norm(1.5, {0}); }, false);
  check("norm 0.5", [](const Tensor& x) { return x.norm(0.5, {1}); }, false);
  check("norm inf", [](const Tensor& x) { return x.norm(INFINITY, {1}); }, false);
  check("norm -inf", [](const Tensor& x) { return x.norm(-INFINITY, {2}); }, false);
  // The 2-norm of zeros has subgradient 0, as in PyTorch.
  Tensor z = leaf(ember::zeros({4}, kFloat64));
  z.norm().backward();
  EXPECT_TRUE(ember::all(z.grad() == ember::zeros({4}, kFloat64)).item<bool>());
}

TEST(ReduceGrad, Logsumexp) {
  check("logsumexp", [](const Tensor& x) { return x.logsumexp({1}); }, true);
  check("logsumexp keepdim", [](const Tensor& x) { return x.logsumexp({0, 2}, true); }, true);
  // Large inputs stay finite thanks to the shift by the max.
  Tensor big = ember::tensor({1000.0, 1000.0}, kFloat64);
  EXPECT_NEAR(big.logsumexp({0}).item<double>(), 1000.0 + std::log(2.0), 1e-9);
}

TEST(ReduceGrad, Scans) {
  check("cumsum", [](const Tensor& x) { return x.cumsum(1); }, true);
  check("cumsum last", [](const Tensor& x) { return x.cumsum(-1); }, true);
  check("cumprod", [](const Tensor& x) { return x.cumprod(0); }, true);
  check("cumprod last", [](const Tensor& x) { return x.cumprod(2); }, true);
  check("cummax", [](const Tensor& x) { return std::get<0>(x.cummax(1)); }, true);
  check("cummin", [](const Tensor& x) { return std::get<0>(x.cummin(-1)); }, false);
  check("cummax 0", [](const Tensor& x) { return std::get<0>(x.cummax(0)); }, false);
  // Ties: a later equal value takes the index, so it takes the gradient (as in PyTorch).
  Tensor t = leaf(ember::tensor({1.0, 3.0, 3.0, 2.0}, kFloat64));
  std::get<0>(t.cummax(0)).sum().backward();
  EXPECT_TRUE(ember::all(t.grad() == ember::tensor({1.0, 1.0, 2.0, 0.0}, kFloat64)).item<bool>());
  // cumprod through zeros (one and several per line).
  Tensor x = leaf(ember::tensor({{2.0, 0.0, 3.0, 1.5}, {0.0, 2.0, 0.0, 4.0}, {1.0, 3.0, 0.5, 0.0}}, kFloat64));
  auto fn = [](const tensor_list& in) -> tensor_list { return {in[0].cumprod(1)}; };
  EXPECT_TRUE(gradcheck(fn, {x}));
  EXPECT_TRUE(gradgradcheck(fn, {x}));
  EXPECT_TRUE(gradgradcheck([](const tensor_list& in) -> tensor_list { return {in[0].cumprod(0)}; }, {x}));
}

TEST(ReduceGrad, ZeroDimInputs) {
  Tensor s = leaf(ember::tensor(1.7, kFloat64).view({}));
  std::vector<std::pair<const char*, Fn>> fns = {
      {"sum", [](const Tensor& x) { return x.sum(); }},
      {"mean", [](const Tensor& x) { return x.mean({0}, true); }},
      {"prod", [](const Tensor& x) { return x.prod(0); }},
      {"max", [](const Tensor& x) { return std::get<0>(x.max(0)); }},
      {"amax", [](const Tensor& x) { return x.amax(); }},
      {"norm", [](const Tensor& x) { return x.norm(3); }},
      {"logsumexp", [](const Tensor& x) { return x.logsumexp({0}); }},
      {"cumsum", [](const Tensor& x) { return x.cumsum(0); }},
      {"cumprod", [](const Tensor& x) { return x.cumprod(-1); }},
      {"cummax", [](const Tensor& x) { return std::get<0>(x.cummax(0)); }},
  };
  for (auto& [what, f] : fns) {
    SCOPED_TRACE(what);
    EXPECT_TRUE(gradcheck([&](const tensor_list& in) -> tensor_list { return {f(in[0])}; }, {s}));
  }
}

TEST(ReduceGrad, ExpandedInputsReduceLikeTheirCopies) {
  Tensor base = values({1, 4, 5}, 7);
  Tensor e = base.expand({3, 4, 5});
  Tensor c = e.contiguous();
  std::vector<std::vector<int64_t>> dim_lists = {{}, {0}, {1}, {2}, {0, 2}};
  for (const auto& dims : dim_lists) {
    // Summation order differs between the layouts: equal up to rounding.
    Tensor diff = e.sum(dims) - c.sum(dims);
    EXPECT_LT(ember::amax(diff.relu() + (-diff).relu()).item<double>(), 1e-12);
    EXPECT_TRUE(ember::all(e.amax(dims) == c.amax(dims)).item<bool>());
  }
  EXPECT_TRUE(ember::all(e.argmax(0) == c.argmax(0)).item<bool>());
  EXPECT_TRUE(ember::all(e.cumsum(0) == c.cumsum(0)).item<bool>());
}
