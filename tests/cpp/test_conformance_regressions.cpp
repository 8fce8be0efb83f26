// Behaviours the Python conformance suite (tests/python/conformance) found differing from PyTorch 1.13,
// pinned here in C++ with the values PyTorch gives.
#include <cmath>

#include "golden.h"

using namespace ember;

namespace {

std::vector<double> values(const Tensor& t) {
  Tensor c = t.to(kFloat64).contiguous();
  return std::vector<double>(c.data_ptr<double>(), c.data_ptr<double>() + c.numel());
}

std::vector<bool> bools(const Tensor& t) {
  Tensor c = t.contiguous();
  return std::vector<bool>(c.data_ptr<bool>(), c.data_ptr<bool>() + c.numel());
}

}  // namespace

// A written-to tensor with several elements at one memory location (an expanded tensor): PyTorch's
// in-place ops and copy_ refuse it; fill_ and masked_fill_ accept it.
TEST(ConformanceRegressions, InPlaceOnExpandedTensorRaises) {
  Tensor x = ember::zeros({3, 1}).expand({3, 4});
  EXPECT_THROW(x.add_(1), Error);
  EXPECT_THROW(x.mul_(ember::ones({3, 4})), Error);
  EXPECT_THROW(x.neg_(), Error);
  EXPECT_THROW(x.copy_(ember::ones({3, 4})), Error);
  EXPECT_THROW(x.lt_(0.5), Error);
  EXPECT_NO_THROW(x.fill_(2));
  EXPECT_EQ(values(x), std::vector<double>(12, 2.0));
  EXPECT_NO_THROW(x.masked_fill_(ember::ones({3, 4}, kBool), 1));
  Tensor one = ember::zeros({1, 4}).expand({1, 4});  // size-1 dims may have any stride
  EXPECT_NO_THROW(one.add_(1));
}

// x.lt_(y) on a bool x compares in the promoted dtype, as the out-of-place lt does.
TEST(ConformanceRegressions, InPlaceComparisonOnBoolComparesInPromotedDtype) {
  Tensor x = ember::tensor({true, false, true, false});
  Tensor y = ember::tensor({int64_t(3), int64_t(-2), int64_t(0), int64_t(0)});
  Tensor expected = ember::lt(x, y);
  Tensor z = x.clone();
  z.lt_(y);
  EXPECT_EQ(bools(z), bools(expected));
  EXPECT_EQ(bools(z), (std::vector<bool>{true, false, false, false}));
  Tensor w = x.clone();
  w.gt_(-1.5);
  EXPECT_EQ(bools(w), (std::vector<bool>{true, true, true, true}));
  Tensor e = x.clone();
  e.eq_(0.5);
  EXPECT_EQ(bools(e), (std::vector<bool>{false, false, false, false}));
}

// The gradient of an input has that input's dtype, whatever dtype type promotion gave the op.
TEST(ConformanceRegressions, GradientTakesTheInputsDtype) {
  Tensor a = ember::ones({3}, kFloat32).requires_grad_(true);
  Tensor b = ember::full({3}, 2.0, kFloat64).requires_grad_(true);
  Tensor h = ember::ones({}, kFloat16).requires_grad_(true);
  Tensor out = a * b + h;
  EXPECT_EQ(out.dtype(), kFloat64);
  out.sum().backward();
  EXPECT_EQ(a.grad().dtype(), kFloat32);
  EXPECT_EQ(b.grad().dtype(), kFloat64);
  EXPECT_EQ(h.grad().dtype(), kFloat16);
  EXPECT_EQ(values(a.grad()), std::vector<double>(3, 2.0));
  EXPECT_EQ(values(h.grad()), std::vector<double>{3.0});
  // Through an intermediate node as well: the float32 result of a float32 op feeding a float64 one.
  Tensor c = ember::ones({2}, kFloat32).requires_grad_(true);
  Tensor mid = c.exp();
  (mid * ember::ones({2}, kFloat64)).sum().backward();
  EXPECT_EQ(c.grad().dtype(), kFloat32);
}

// relu passes the gradient through at NaN (PyTorch's threshold_backward: zero only where result <= 0).
TEST(ConformanceRegressions, ReluGradientAtNaN) {
  Tensor x = ember::tensor({-1.0, 0.0, 2.0, double(NAN)}).requires_grad_(true);
  x.relu().backward(ember::tensor({5.0, 5.0, 5.0, 5.0}));
  EXPECT_EQ(values(x.grad()), (std::vector<double>{0.0, 0.0, 5.0, 5.0}));
}

// In-place comparisons keep self's history with zero gradients (PyTorch's eq_ ... ge_ derivatives).
TEST(ConformanceRegressions, InPlaceComparisonHasZeroGradient) {
  Tensor x = ember::tensor({1.0, 2.0, 3.0}).requires_grad_(true);
  Tensor y = ember::tensor({2.0, 2.0, 2.0}).requires_grad_(true);
  Tensor z = x * 2;
  z.lt_(y);
  EXPECT_TRUE(z.requires_grad());
  EXPECT_EQ(values(z), (std::vector<double>{0.0, 0.0, 0.0}));
  Tensor s = x * 1;
  s.ge_(2.5);
  EXPECT_TRUE(s.requires_grad());
  (z.sum() + s.sum()).backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{0.0, 0.0, 0.0}));
  EXPECT_EQ(values(y.grad()), (std::vector<double>{0.0, 0.0, 0.0}));
}

// round(decimals=) has floating kernels only in PyTorch, even for decimals=0.
TEST(ConformanceRegressions, RoundWithDecimalsRejectsIntegers) {
  EXPECT_THROW(ember::round(ember::ones({2}, kInt64), 0), Error);
  EXPECT_THROW(ember::round(ember::ones({2}, kInt32), 1), Error);
  EXPECT_EQ(values(ember::round(ember::tensor({1.25, 2.5}), 0)), (std::vector<double>{1.0, 2.0}));
}

// argmax / argmin have no bool kernel in PyTorch.
TEST(ConformanceRegressions, ArgmaxRejectsBool) {
  Tensor b = ember::tensor({true, false, true});
  EXPECT_THROW(ember::argmax(b), Error);
  EXPECT_THROW(ember::argmin(b, 0), Error);
  EXPECT_EQ(ember::argmax(b.to(kInt64)).item<int64_t>(), 0);
}

// amax/amin along dims and nanmean multiply by the mask as PyTorch's backward does: a line whose result
// is NaN (no element equals it) or has no non-NaN element gets NaN gradients.
TEST(ConformanceRegressions, ReductionGradientsOfNaNLines) {
  const double nan = NAN;
  Tensor x = ember::tensor({1.0, nan, 3.0, 2.0, 5.0, 4.0}).view({2, 3}).requires_grad_(true);
  x.amax({1}).sum().backward();
  std::vector<double> g = values(x.grad());
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(std::isnan(g[size_t(i)]));
  EXPECT_EQ(std::vector<double>(g.begin() + 3, g.end()), (std::vector<double>{0.0, 1.0, 0.0}));

  Tensor y = ember::tensor({nan, nan, 2.0, 4.0}).view({2, 2}).requires_grad_(true);
  y.nanmean({1}).sum().backward();
  g = values(y.grad());
  EXPECT_TRUE(std::isnan(g[0]) && std::isnan(g[1]));
  EXPECT_EQ(g[2], 0.5);
  EXPECT_EQ(g[3], 0.5);
}

// prod over everything with two zeros or more: every gradient is zero, even next to a NaN.
TEST(ConformanceRegressions, ProdGradientWithTwoZeros) {
  Tensor x = ember::tensor({double(NAN), 0.0, -0.0, 2.0}).requires_grad_(true);
  x.prod().backward();
  EXPECT_EQ(values(x.grad()), (std::vector<double>{0.0, 0.0, 0.0, 0.0}));
}

// norm with p = 0 (a count of nonzeros) has no gradient: the input's grad stays undefined.
TEST(ConformanceRegressions, NormZeroHasNoGradient) {
  Tensor x = ember::tensor({1.0, 0.0, 3.0}).requires_grad_(true);
  Tensor n = x.norm(Scalar(0));
  EXPECT_TRUE(n.requires_grad());
  n.backward();
  EXPECT_FALSE(x.grad().defined());
  Tensor y = ember::tensor({1.0, 0.0, 3.0, 4.0}).view({2, 2}).requires_grad_(true);
  y.norm(Scalar(0), {1}).sum().backward();
  EXPECT_FALSE(y.grad().defined());
}

// index_fill with a tensor value: its gradient sums the filled positions once each, even when the index
// repeats one.
TEST(ConformanceRegressions, IndexFillValueGradientWithRepeatedIndex) {
  Tensor x = ember::zeros({3, 4}, kFloat64).requires_grad_(true);
  Tensor v = ember::scalar_tensor(1.0, kFloat64).requires_grad_(true);
  Tensor g = ember::arange(12, kFloat64).view({3, 4});
  x.index_fill(0, ember::tensor({int64_t(2), int64_t(0), int64_t(2)}), v).backward(g);
  EXPECT_EQ(v.grad().item<double>(), 44.0);
  EXPECT_EQ(values(x.grad()), (std::vector<double>{0, 0, 0, 0, 4, 5, 6, 7, 0, 0, 0, 0}));
}

// lerp with a number weight keeps the weight in float: 0.3 is not rounded to bfloat16 (0.30078125) first.
TEST(ConformanceRegressions, LerpNumberWeightInReducedPrecision) {
  Tensor a = ember::tensor({-2.265625f, 1.0f}).to(kBFloat16);
  Tensor b = ember::tensor({2.0f, 3.0f}).to(kBFloat16);
  Tensor r = ember::lerp(a, b, 0.3);
  Tensor expected = (a.to(kFloat32) + 0.3f * (b.to(kFloat32) - a.to(kFloat32))).to(kBFloat16);
  EXPECT_EQ(values(r), values(expected));
  EXPECT_EQ(values(ember::lerp(a, b, 0.3).to(kFloat32)),
            values(ember::lerp(a.to(kFloat32), b.to(kFloat32), 0.3).to(kBFloat16)));
}

// An in-place op on an empty tensor writes nothing, so a zero stride there is no overlap (NumPy gives
// zero-size arrays such strides, and torch.from_numpy keeps them).
TEST(ConformanceRegressions, InplaceOnEmptyTensorWithZeroStride) {
  using namespace ember;
  Tensor t = zeros({1}).as_strided({0, 3}, {3, 0});
  EXPECT_NO_THROW(t.add_(1));
  EXPECT_EQ(t.sizes(), IntArrayRef({0, 3}));
}
