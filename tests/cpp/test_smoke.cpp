// End-to-end smoke test of the test helpers: golden values from PyTorch and gradcheck.
#include "golden.h"

using namespace ember;

TEST(Smoke, PointwiseMatchesTorch) {
  golden::File g("smoke");
  Tensor x = g["x"], y = g["y"];
  EXPECT_TRUE(golden::close(x.t().sin(), g["sin_xt"], 1e-12));
  EXPECT_TRUE(golden::close(x * y, g["x_mul_y"], 1e-12));
  EXPECT_TRUE(golden::close(x / y, g["x_div_y"], 1e-12));
  EXPECT_TRUE(golden::close(x.to(kFloat32).exp(), g["exp_x_f32"], 1e-6));
  EXPECT_TRUE(golden::close(x.sigmoid(), g["sigmoid_x"], 1e-12));
}

TEST(Smoke, Gradcheck) {
  golden::File g("smoke");
  Tensor x = g["x"].requires_grad_(true), y = g["y"].requires_grad_(true);
  auto fn = [](const tensor_list& in) { return tensor_list{(in[0].t().sin() * in[1].unsqueeze(1)).tanh()}; };
  EXPECT_TRUE(autograd::gradcheck(fn, {x, y}));
  EXPECT_TRUE(autograd::gradgradcheck(fn, {x, y}));
  // A wrong derivative is caught: cos's rule with the sign flipped would fail; check gradcheck can fail.
  auto bad = [](const tensor_list& in) {
    Tensor d = in[0].detach();
    return tensor_list{in[0] * d};  // the detached factor makes autograd see only half the derivative
  };
  autograd::GradcheckOptions o;
  o.raise_exception = false;
  EXPECT_FALSE(autograd::gradcheck(bad, {x}, o));
}
