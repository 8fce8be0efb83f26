// Double backward through chains of the differentiable core ops: gradcheck and gradgradcheck (finite
// differences in float64) on contiguous, transposed, expanded and broadcast inputs, plus a hand-derived
// second derivative.
#include <cmath>

#include "test_autograd_helpers.h"

using namespace ember;
using agtest::leaf;
using agtest::near;

namespace {

Tensor matrix(std::vector<double> v, int64_t rows, int64_t cols) {
  return ember::tensor(v, kFloat64).view({rows, cols}).detach().requires_grad_();
}

void check_both(const autograd::GradcheckFn& fn, const tensor_list& in) {
  EXPECT_TRUE(autograd::gradcheck(fn, in));
  EXPECT_TRUE(autograd::gradgradcheck(fn, in));
}

}  // namespace

TEST(AutogradGradGrad, ArithmeticChain) {
  Tensor a = matrix({0.5, 1.2, -0.7, 0.9, 1.5, -1.1}, 2, 3);
  Tensor b = matrix({1.3, 0.8, 1.7, 0.6, 2.1, 1.4}, 2, 3);
  check_both([](const tensor_list& in) { return tensor_list{(in[0] * in[1] + in[0] / in[1] - in[1] * 2) * in[0]}; },
             {a, b});
}

TEST(AutogradGradGrad, TranscendentalChain) {
  Tensor x = matrix({0.3, 0.7, 1.1, 1.9, 0.45, 2.4}, 2, 3);
  check_both([](const tensor_list& in) { return tensor_list{in[0].exp().sin() * in[0].log() + in[0].sqrt().cos()}; },
             {x});
  check_both([](const tensor_list& in) { return tensor_list{(in[0].tanh() * in[0].sigmoid()).sum()}; }, {x});
}

TEST(AutogradGradGrad, ViewsAndReductionsOnNonContiguousInputs) {
  Tensor base = matrix({0.3, -0.7, 1.1, 0.25, 0.45, -1.4}, 2, 3);
  // transposed input; expand; view; sum over a dim
  check_both([](const tensor_list& in) {
    Tensor t = in[0].t();  // 3x2, non-contiguous
    Tensor e = in[1].unsqueeze(0).expand({3, 2});
    return tensor_list{(t * e).sin().sum({0}), (t.exp() * t).reshape({6}).view({3, 2}).sum()};
  }, {base, leaf({0.8, -0.6})});
}

TEST(AutogradGradGrad, BroadcastAndScalars) {
  Tensor a = matrix({0.2, 0.4, 0.6, 0.8}, 2, 2);
  Tensor row = leaf({1.5, -0.5});
  Tensor s = ember::tensor({0.7}, kFloat64).view({}).detach().requires_grad_();  // 0-dim
  check_both([](const tensor_list& in) { return tensor_list{(in[0] * in[1] - in[2]).div(in[1] + 3).tanh()}; },
             {a, row, s});
}

TEST(AutogradGradGrad, HandDerivedSecondDerivative) {
  // f = sum(sin(x) * x): f' = cos x * x + sin x, f'' = 2 cos x - x sin x
  Tensor x = leaf({0.4, -1.3});
  Tensor g = autograd::grad({(x.sin() * x).sum()}, {x}, {}, std::nullopt, true)[0];
  Tensor gg = autograd::grad({g.sum()}, {x})[0];
  std::vector<double> want;
  for (double v : {0.4, -1.3}) want.push_back(2 * std::cos(v) - v * std::sin(v));
  EXPECT_TRUE(near(gg, want));
  // Third order: f''' = -3 sin x - x cos x
  Tensor g1 = autograd::grad({(x.sin() * x).sum()}, {x}, {}, std::nullopt, true)[0];
  Tensor g2 = autograd::grad({g1.sum()}, {x}, {}, std::nullopt, true)[0];
  Tensor g3 = autograd::grad({g2.sum()}, {x})[0];
  want.clear();
  for (double v : {0.4, -1.3}) want.push_back(-3 * std::sin(v) - v * std::cos(v));
  EXPECT_TRUE(near(g3, want));
}
