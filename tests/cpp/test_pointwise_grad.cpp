// Derivatives of the pointwise ops: autograd::gradcheck (central differences) on float64 inputs that are
// transposed, stepped and broadcast, gradgradcheck for double backward, and hand-derived values at
// PyTorch's special points (0^0, ties of minimum/maximum, clamp bounds).
#include <functional>
#include <random>

#include "golden.h"

using namespace ember;
using autograd::gradcheck;
using autograd::gradgradcheck;

namespace {

// Uniform values in [lo, hi] in a `rows` x `cols` tensor laid out as `layout` says: "contiguous",
// "transposed" (a transposed (cols, rows) buffer) or "stepped" (every other column of a wider buffer).
Tensor make(int64_t rows, int64_t cols, double lo, double hi, const std::string& layout, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  std::vector<double> v(size_t(rows * cols * 2));
  for (double& x : v) x = u(gen);
  Tensor base = ember::tensor(v).to(kFloat64);
  Tensor t;
  if (layout == "transposed") t = base.as_strided({cols, rows}, {rows, 1}, 0).t();
  else if (layout == "stepped") t = base.as_strided({rows, cols}, {2 * cols, 2}, 1);
  else t = base.as_strided({rows, cols}, {cols, 1}, 0);
  return t.requires_grad_(true);
}

const std::vector<std::string> kLayouts = {"contiguous", "transposed", "stepped"};

struct UnaryGrad {
  const char* name;
  double lo, hi;
  std::function<Tensor(const Tensor&)> fn;
  bool second_order;
};

const std::vector<UnaryGrad> kUnaryGrads = {
    {"neg", -2, 2, [](const Tensor& x) { return -x; }, true},
    {"abs", 0.2, 2, [](const Tensor& x) { return (x - 1.1).abs(); }, true},
    {"sign", -2, 2, [](const Tensor& x) { return x.sign() * x; }, true},
    {"square", -2, 2, [](const Tensor& x) { return x.square(); }, true},
    {"reciprocal", 0.5, 2, [](const Tensor& x) { return x.reciprocal(); }, true},
    {"sqrt", 0.5, 2, [](const Tensor& x) { return x.sqrt(); }, true},
    {"rsqrt", 0.5, 2, [](const Tensor& x) { return x.rsqrt(); }, true},
    {"exp", -2, 2, [](const Tensor& x) { return x.exp(); }, true},
    {"exp2", -2, 2, [](const Tensor& x) { return x.exp2(); }, true},
    {"expm1", -2, 2, [](const Tensor& x) { return x.expm1(); }, true},
    {"log", 0.5, 2, [](const Tensor& x) { return x.log(); }, true},
    {"log2", 0.5, 2, [](const Tensor& x) { return x.log2(); }, true},
    {"log10", 0.5, 2, [](const Tensor& x) { return x.log10(); }, true},
    {"log1p", -0.5, 2, [](const Tensor& x) { return x.log1p(); }, true},
    {"sin", -2, 2, [](const Tensor& x) { return x.sin(); }, true},
    {"cos", -2, 2, [](const Tensor& x) { return x.cos(); }, true},
    {"tan", -1, 1, [](const Tensor& x) { return x.tan(); }, true},
    {"asin", -0.8, 0.8, [](const Tensor& x) { return x.asin(); }, true},
    {"acos", -0.8, 0.8, [](const Tensor& x) { return x.acos(); }, true},
    {"atan", -2, 2, [](const Tensor& x) { return x.atan(); }, true},
    {"sinh", -2, 2, [](const Tensor& x) { return x.sinh(); }, true},
    {"cosh", -2, 2, [](const Tensor& x) { return x.cosh(); }, true},
    {"tanh", -2, 2, [](const Tensor& x) { return x.tanh(); }, true},
    {"sigmoid", -2, 2, [](const Tensor& x) { return x.sigmoid(); }, true},
    {"erf", -2, 2, [](const Tensor& x) { return x.erf(); }, true},
    {"erfc", -2, 2, [](const Tensor& x) { return x.erfc(); }, true},
    {"erfinv", -0.8, 0.8, [](const Tensor& x) { return x.erfinv(); }, true},
    {"floor", -2, 2, [](const Tensor& x) { return x.floor() + x; }, true},
    {"ceil", -2, 2, [](const Tensor& x) { return x.ceil() * x; }, true},
    {"round", -2, 2, [](const Tensor& x) { return x.round() * x; }, true},
    {"round_decimals", -2, 2, [](const Tensor& x) { return x.round(1) * x; }, true},
    {"trunc", -2, 2, [](const Tensor& x) { return x.trunc() * x; }, true},
    {"frac", -2, 2, [](const Tensor& x) { return x.frac(); }, true},
    {"relu", -2, 2, [](const Tensor& x) { return x.relu() * x; }, true},
    {"logit", 0.1, 0.9, [](const Tensor& x) { return x.logit(); }, true},
    {"logit_eps", 0.05, 0.95, [](const Tensor& x) { return (x * 1.2 - 0.1).logit(0.15); }, true},
    {"nan_to_num", -2, 2, [](const Tensor& x) { return (x * x).nan_to_num(); }, true},
    {"clamp_scalar", -2, 2, [](const Tensor& x) { return x.clamp(-1.0, 1.0) * x; }, true},
    {"clamp_min_only", -2, 2, [](const Tensor& x) { return x.clamp(-0.5) * x; }, true},
    {"pow_scalar", 0.5, 2, [](const Tensor& x) { return x.pow(2.5); }, true},
    {"pow_scalar_base", -2, 2, [](const Tensor& x) { return ember::pow(1.7, x); }, true},
    {"div_trunc", 0.5, 2, [](const Tensor& x) { return x.div(0.3, "trunc") + x; }, false},
    {"masked_fill", -2, 2, [](const Tensor& x) { return x.masked_fill(x > 0, 2.0) * x; }, true},
};

}  // namespace

TEST(PointwiseGrad, UnaryGradcheckOnEveryLayout) {
  for (const auto& op : kUnaryGrads) {
    for (const auto& layout : kLayouts) {
      SCOPED_TRACE(std::string(op.name) + " " + layout);
      Tensor x = make(3, 4, op.lo, op.hi, layout, 1);
      auto f = [&](const tensor_list& in) { return tensor_list{op.fn(in[0])}; };
      EXPECT_TRUE(gradcheck(f, {x}));
      if (op.second_order && layout == "transposed") {
        EXPECT_TRUE(gradgradcheck(f, {x}));
      }
    }
  }
}

namespace {
struct BinaryGrad {
  const char* name;
  double alo, ahi, blo, bhi;
  std::function<Tensor(const Tensor&, const Tensor&)> fn;
};
const std::vector<BinaryGrad> kBinaryGrads = {
    {"add_alpha", -2, 2, -2, 2, [](const Tensor& a, const Tensor& b) { return ember::add(a, b, 2.5); }},
    {"sub", -2, 2, -2, 2, [](const Tensor& a, const Tensor& b) { return a - b; }},
    {"mul", -2, 2, -2, 2, [](const Tensor& a, const Tensor& b) { return a * b; }},
    {"div", -2, 2, 0.5, 2, [](const Tensor& a, const Tensor& b) { return a / b; }},
    {"remainder", -2, 2, 0.7, 2, [](const Tensor& a, const Tensor& b) { return a % b; }},
    {"fmod", -2, 2, 0.7, 2, [](const Tensor& a, const Tensor& b) { return a.fmod(b); }},
    {"pow", 0.5, 2, -2, 2, [](const Tensor& a, const Tensor& b) { return a.pow(b); }},
    {"atan2", -2, 2, -2, 2, [](const Tensor& a, const Tensor& b) { return ember::atan2(a, b); }},
    {"minimum", -2, 2, -2, 2, [](const Tensor& a, const Tensor& b) { return ember::minimum(a, b); }},
    {"maximum", -2, 2, -2, 2, [](const Tensor& a, const Tensor& b) { return ember::maximum(a, b); }},
    {"fmin", -2, 2, -2, 2, [](const Tensor& a, const Tensor& b) { return ember::fmin(a, b); }},
    {"fmax", -2, 2, -2, 2, [](const Tensor& a, const Tensor& b) { return ember::fmax(a, b); }},
    {"clamp_min", -2, 2, -2, 2, [](const Tensor& a, const Tensor& b) { return a.clamp_min(b); }},
    {"clamp_max", -2, 2, -2, 2, [](const Tensor& a, const Tensor& b) { return a.clamp_max(b); }},
    {"clamp_tensor_min", -2, 2, -2, 2, [](const Tensor& a, const Tensor& b) { return a.clamp(b); }},
    {"lerp_scalar", -2, 2, -2, 2, [](const Tensor& a, const Tensor& b) { return a.lerp(b, 0.3); }},
    {"where", -2, 2, -2, 2, [](const Tensor& a, const Tensor& b) { return ember::where(a > 0.3, a, b); }},
    {"where_scalar", -2, 2, -2, 2,
     [](const Tensor& a, const Tensor& b) { return ember::where(b > 0, a, 1.5) * b; }},
    {"masked_fill_tensor", -2, 2, -2, 2,
     [](const Tensor& a, const Tensor& b) { return a.masked_fill(a > 0, b.sum()) * b; }},
};
}  // namespace

TEST(PointwiseGrad, BinaryGradcheckBroadcastAndStrided) {
  for (const auto& op : kBinaryGrads) {
    for (const auto& layout : kLayouts) {
      SCOPED_TRACE(std::string(op.name) + " " + layout);
      Tensor a = make(3, 4, op.alo, op.ahi, layout, 2);
      // b broadcasts along rows: a (1, 4) row of a stepped buffer.
      Tensor b = make(1, 4, op.blo, op.bhi, layout == "transposed" ? "contiguous" : layout, 3);
      auto f = [&](const tensor_list& in) { return tensor_list{op.fn(in[0], in[1])}; };
      EXPECT_TRUE(gradcheck(f, {a, b}));
      if (layout == "transposed") {
        EXPECT_TRUE(gradgradcheck(f, {a, b}));
      }
    }
  }
}

TEST(PointwiseGrad, TernaryGradcheck) {
  for (const auto& layout : kLayouts) {
    SCOPED_TRACE(layout);
    Tensor a = make(3, 4, -2, 2, layout, 4), b = make(1, 4, -2, 2, "contiguous", 5);
    Tensor c = make(3, 1, 0.5, 2, "contiguous", 6), w = make(3, 4, 0, 1, layout, 7);
    auto lerp = [](const tensor_list& in) { return tensor_list{in[0].lerp(in[1], in[2])}; };
    auto addcmul = [](const tensor_list& in) { return tensor_list{in[0].addcmul(in[1], in[2], 0.7)}; };
    auto addcdiv = [](const tensor_list& in) { return tensor_list{ember::addcdiv(in[0], in[1], in[2], -1.3)}; };
    auto clamp = [](const tensor_list& in) { return tensor_list{in[0].clamp(in[1] - 0.5, in[2])}; };
    EXPECT_TRUE(gradcheck(lerp, {a, b, w}));
    EXPECT_TRUE(gradcheck(addcmul, {a, b, c}));
    EXPECT_TRUE(gradcheck(addcdiv, {a, b, c}));
    EXPECT_TRUE(gradcheck(clamp, {a, b, c}));
    if (layout == "stepped") {
      EXPECT_TRUE(gradgradcheck(lerp, {a, b, w}));
      EXPECT_TRUE(gradgradcheck(addcmul, {a, b, c}));
      EXPECT_TRUE(gradgradcheck(addcdiv, {a, b, c}));
      EXPECT_TRUE(gradgradcheck(clamp, {a, b, c}));
    }
  }
}

TEST(PointwiseGrad, InPlaceOpsRecordTheirDerivative) {
  Tensor x = make(3, 4, 0.5, 2, "transposed", 8);
  auto f = [](const tensor_list& in) {
    Tensor y = in[0] * 1.0;
    y.sqrt_();
    y.clamp_(0.8, 1.3);
    y.addcmul_(in[0], in[0], 0.5);
    y.lerp_(in[0], 0.25);
    y.masked_fill_(in[0] > 1.9, 0.0);
    y.pow_(2);
    return tensor_list{y};
  };
  EXPECT_TRUE(gradcheck(f, {x}));
  EXPECT_TRUE(gradgradcheck(f, {x}));
}

// Hand-derived values at the points where PyTorch picks a convention.
TEST(PointwiseGrad, SpecialPoints) {
  // pow: d(0^0)/dbase = 0 (exponent 0), d(0^e)/de = 0 for e >= 0.
  Tensor base = ember::tensor({0.0, 0.0, 2.0}).requires_grad_(true);
  Tensor e = ember::tensor({0.0, 2.0, 3.0}).requires_grad_(true);
  base.pow(e).sum().backward();
  EXPECT_TRUE(golden::close(base.grad(), ember::tensor({0.0, 0.0, 12.0})));
  EXPECT_TRUE(golden::close(e.grad(), ember::tensor({0.0, 0.0, 8.0 * std::log(2.0)})));
  // pow(0, e) with a number base: 0 for e >= 0.
  Tensor e2 = ember::tensor({0.0, 1.0}).requires_grad_(true);
  ember::pow(0.0, e2).sum().backward();
  EXPECT_TRUE(golden::close(e2.grad(), ember::tensor({0.0, 0.0})));
  // minimum / maximum split a tie half and half.
  Tensor a = ember::tensor({1.0, 2.0, 3.0}).requires_grad_(true);
  Tensor b = ember::tensor({1.0, 5.0, 0.0}).requires_grad_(true);
  ember::maximum(a, b).sum().backward();
  EXPECT_TRUE(golden::close(a.grad(), ember::tensor({0.5, 0.0, 1.0})));
  EXPECT_TRUE(golden::close(b.grad(), ember::tensor({0.5, 1.0, 0.0})));
  // clamp passes the gradient where min <= x <= max, bounds included.
  Tensor x = ember::tensor({-1.0, 0.0, 0.5, 1.0, 2.0}).requires_grad_(true);
  x.clamp(0.0, 1.0).sum().backward();
  EXPECT_TRUE(golden::close(x.grad(), ember::tensor({0.0, 1.0, 1.0, 1.0, 0.0})));
  // logit without eps is NaN outside [0, 1]; with eps the gradient is 0 outside [eps, 1 - eps].
  Tensor p = ember::tensor({0.05, 0.5, 1.5}).requires_grad_(true);
  p.logit(0.1).sum().backward();
  EXPECT_TRUE(golden::close(p.grad(), ember::tensor({0.0, 4.0, 0.0})));
  // Integer and bool results take no part in autograd.
  Tensor q = ember::tensor({1.5, -2.0}).requires_grad_(true);
  EXPECT_FALSE((q > 0).requires_grad());
  EXPECT_FALSE(q.isnan().requires_grad());
  EXPECT_FALSE(ember::floor_divide(q, 2.0).requires_grad());
}
