// The softmax family and the activations against PyTorch (tests/golden/gen_activation.py): values and
// the gradients of a random upstream gradient in float64 and float32 (bfloat16 for two), including the
// kinks where PyTorch picks a one-sided derivative and +-1e4 logits; gradcheck and gradgradcheck in
// float64; in-place forms; PyTorch's error messages.
#include <gtest/gtest.h>

#include <functional>

#include <ember/ember.h>
#include <ember/nn/functional.h>

#include "golden.h"

using namespace ember;
namespace F = ember::nn::functional;
using autograd::gradcheck;
using autograd::gradgradcheck;

namespace {

using Fn = std::function<Tensor(const tensor_list&)>;

const golden::File& gold() {
  static golden::File f("activation");
  return f;
}

struct Case {
  std::string name;
  Fn fn;
};

std::vector<Case> softmax_cases() {
  std::vector<Case> c;
  for (int64_t d : {0, 1, 2, -1}) {
    c.push_back({"softmax_d" + std::to_string(d), [d](const tensor_list& x) { return softmax(x[0], d); }});
    c.push_back({"log_softmax_d" + std::to_string(d), [d](const tensor_list& x) { return F::log_softmax(x[0], d); }});
  }
  c.push_back({"softmin_d1", [](const tensor_list& x) { return F::softmin(x[0], 1); }});
  c.push_back({"softmax_T", [](const tensor_list& x) { return softmax(x[0].transpose(0, 2), 1); }});
  c.push_back({"log_softmax_T", [](const tensor_list& x) { return log_softmax(x[0].transpose(0, 2), -1); }});
  c.push_back({"softmax_dtype", [](const tensor_list& x) { return softmax(x[0], 1, kFloat64); }});
  c.push_back({"log_softmax_dtype", [](const tensor_list& x) { return log_softmax(x[0], -1, kFloat64); }});
  c.push_back({"softmax_ext", [](const tensor_list& x) { return softmax(x[0], 1); }});
  c.push_back({"log_softmax_ext", [](const tensor_list& x) { return log_softmax(x[0], 1); }});
  c.push_back({"log_softmax_ext_d0", [](const tensor_list& x) { return log_softmax(x[0], 0); }});
  c.push_back({"softmax_long", [](const tensor_list& x) { return softmax(x[0], 1); }});
  c.push_back({"log_softmax_inner_big", [](const tensor_list& x) { return log_softmax(x[0], 0); }});
  c.push_back({"softmax_0d", [](const tensor_list& x) { return softmax(x[0], 0); }});
  c.push_back({"log_softmax_1d", [](const tensor_list& x) { return log_softmax(x[0], 0); }});
  c.push_back({"bf16_softmax", [](const tensor_list& x) { return softmax(x[0], -1); }});
  return c;
}

std::vector<std::pair<std::string, std::function<Tensor(const Tensor&)>>> activations() {
  return {
      {"relu6", [](const Tensor& x) { return F::relu6(x); }},
      {"leaky_relu", [](const Tensor& x) { return F::leaky_relu(x); }},
      {"leaky_relu_0.2", [](const Tensor& x) { return F::leaky_relu(x, 0.2); }},
      {"elu", [](const Tensor& x) { return F::elu(x); }},
      {"elu_0.5", [](const Tensor& x) { return F::elu(x, 0.5); }},
      {"selu", [](const Tensor& x) { return F::selu(x); }},
      {"celu_2", [](const Tensor& x) { return F::celu(x, 2.0); }},
      {"gelu", [](const Tensor& x) { return F::gelu(x); }},
      {"gelu_tanh", [](const Tensor& x) { return F::gelu(x, "tanh"); }},
      {"silu", [](const Tensor& x) { return F::silu(x); }},
      {"mish", [](const Tensor& x) { return F::mish(x); }},
      {"hardtanh", [](const Tensor& x) { return F::hardtanh(x); }},
      {"hardtanh_-2_3", [](const Tensor& x) { return F::hardtanh(x, -2.0, 3.0); }},
      {"hardsigmoid", [](const Tensor& x) { return F::hardsigmoid(x); }},
      {"hardswish", [](const Tensor& x) { return F::hardswish(x); }},
      {"softplus", [](const Tensor& x) { return F::softplus(x); }},
      {"softplus_2_5", [](const Tensor& x) { return F::softplus(x, 2.0, 5.0); }},
      {"softsign", [](const Tensor& x) { return F::softsign(x); }},
      {"tanhshrink", [](const Tensor& x) { return F::tanhshrink(x); }},
      {"softshrink", [](const Tensor& x) { return F::softshrink(x); }},
      {"softshrink_1", [](const Tensor& x) { return F::softshrink(x, 1.0); }},
      {"hardshrink", [](const Tensor& x) { return F::hardshrink(x); }},
      {"logsigmoid", [](const Tensor& x) { return F::logsigmoid(x); }},
      {"threshold", [](const Tensor& x) { return F::threshold(x, 0.5, -2.0); }},
      {"rrelu_eval", [](const Tensor& x) { return F::rrelu(x, 1.0 / 8, 1.0 / 3, false); }},
      {"glu", [](const Tensor& x) { return F::glu(x, 1); }},
      {"glu_last", [](const Tensor& x) { return F::glu(x.narrow(-1, 0, 4)); }},
      {"relu", [](const Tensor& x) { return F::relu(x); }},
  };
}

std::vector<Case> activation_cases() {
  std::vector<Case> c;
  for (auto& [name, f] : activations()) {
    c.push_back({name, [f = f](const tensor_list& x) { return f(x[0]); }});
    c.push_back({name + "_ext", [f = f](const tensor_list& x) { return f(x[0]); }});
    c.push_back({name + "_T", [f = f](const tensor_list& x) { return f(x[0].transpose(0, 2)); }});
  }
  c.push_back({"prelu_1", [](const tensor_list& x) { return F::prelu(x[0], x[1]); }});
  c.push_back({"prelu_c", [](const tensor_list& x) { return F::prelu(x[0], x[1]); }});
  c.push_back({"bf16_silu", [](const tensor_list& x) { return F::silu(x[0]); }});
  return c;
}

double rtol_of(DType t) { return t == kFloat64 ? 1e-10 : t == kFloat32 ? 2e-5 : 1e-2; }
double atol_of(DType t) { return t == kFloat64 ? 1e-12 : t == kFloat32 ? 2e-6 : 1e-2; }

// Runs every stored dtype of each case: values, then gradients of the stored upstream gradient.
int run_cases(const std::vector<Case>& cases) {
  int ran = 0;
  for (const Case& c : cases) {
    for (const char* dt : {"float64", "float32", "bfloat16"}) {
      const std::string key = c.name + "|" + dt;
      if (!gold().has(key + "|y")) continue;
      SCOPED_TRACE(key);
      tensor_list in;
      for (int i = 0; gold().has(key + "|in" + std::to_string(i)); ++i)
        in.push_back(gold()[key + "|in" + std::to_string(i)].requires_grad_());
      Tensor y = c.fn(in);
      Tensor expected = gold()[key + "|y"];
      const double rtol = rtol_of(expected.dtype()), atol = atol_of(expected.dtype());
      EXPECT_TRUE(golden::close(y, expected, rtol, atol));
      tensor_list grads = autograd::grad({y}, in, {gold()[key + "|g"]}, std::nullopt, false, true);
      // PyTorch 1.13 multiplies hardsigmoid's float64 gradient by float32's 1/6 (DIFFERENCES.md).
      const bool sixth = c.name.rfind("hardsigmoid", 0) == 0 && expected.dtype() == kFloat64;
      for (size_t i = 0; i < in.size(); ++i) {
        const std::string dk = key + "|d" + std::to_string(i);
        if (gold().has(dk)) {
          EXPECT_TRUE(golden::close(grads[i], gold()[dk], sixth ? 3e-8 : rtol, atol)) << dk;
        }
      }
      ++ran;
    }
  }
  return ran;
}

Tensor leaf64(IntArrayRef shape, uint64_t seed, double scale = 2.0) {
  Generator g(seed);
  return (randn(shape, g, TensorOptions().dtype(kFloat64)) * scale).requires_grad_();
}

}  // namespace

TEST(Activation, SoftmaxGolden) { EXPECT_GT(run_cases(softmax_cases()), 30); }
TEST(Activation, PointwiseGolden) { EXPECT_GT(run_cases(activation_cases()), 100); }

TEST(Activation, SoftmaxStability) {
  // Rows of +-1e4: no inf or NaN, exact one-hot, and log_softmax finite where softmax underflows to 0.
  Tensor x = ember::tensor({{1e4, -1e4, 0.0}, {-1e4, -1e4, -1e4}}, kFloat32);
  Tensor p = softmax(x, 1), lp = log_softmax(x, 1);
  EXPECT_TRUE(golden::close(p, ember::tensor({{1.0f, 0.0f, 0.0f}, {1.f / 3, 1.f / 3, 1.f / 3}}, kFloat32), 1e-6, 1e-7));
  EXPECT_TRUE(golden::close(lp, ember::tensor({{0.0f, -2e4f, -1e4f}, {-1.0986123f, -1.0986123f, -1.0986123f}}, kFloat32),
                            1e-6, 1e-6));
  // -inf entries get probability 0; a row of only -inf is NaN, as in PyTorch.
  Tensor inf = ember::tensor({{-INFINITY, 0.0, 0.0}, {-INFINITY, -INFINITY, -INFINITY}}, kFloat64);
  Tensor q = softmax(inf, 1);
  EXPECT_EQ(q[0][0].item<double>(), 0.0);
  EXPECT_DOUBLE_EQ(q[0][1].item<double>(), 0.5);
  EXPECT_TRUE(std::isnan(q[1][0].item<double>()));
}

TEST(Activation, SoftmaxLargeParallel) {
  // Enough rows and columns to take the threaded and blocked paths; rows sum to 1 in both layouts.
  Generator g(3);
  Tensor x = randn({64, 1000}, g) * 5;
  EXPECT_TRUE(golden::close(softmax(x, 1).sum({1}), ones({64}), 1e-5, 1e-5));
  EXPECT_TRUE(golden::close(softmax(x, 0).sum({0}), ones({1000}), 1e-5, 1e-5));
  EXPECT_TRUE(golden::close(log_softmax(x, 0).exp().sum({0}), ones({1000}), 1e-5, 1e-5));
  // Backward through the fused kernel matches the formula in public ops.
  Tensor xs = x.detach().requires_grad_();
  Tensor gy = randn({64, 1000}, g);
  Tensor y = log_softmax(xs, 0);
  Tensor d = autograd::grad({y}, {xs}, {gy})[0];
  EXPECT_TRUE(golden::close(d, gy - y.detach().exp() * gy.sum({0}, true), 1e-4, 1e-5));
}

TEST(Activation, Gradcheck) {
  for (int64_t d : {0, 1, -1}) {
    Tensor x = leaf64({3, 4, 5}, 1);
    auto fs = [d](const tensor_list& in) -> tensor_list { return {softmax(in[0], d)}; };
    auto fl = [d](const tensor_list& in) -> tensor_list { return {log_softmax(in[0], d)}; };
    EXPECT_TRUE(gradcheck(fs, {x}));
    EXPECT_TRUE(gradcheck(fl, {x}));
    EXPECT_TRUE(gradgradcheck(fs, {x}));
    EXPECT_TRUE(gradgradcheck(fl, {x}));
  }
  EXPECT_TRUE(gradcheck([](const tensor_list& in) -> tensor_list { return {F::softmin(in[0], 1)}; }, {leaf64({3, 4}, 2)}));
  // Points away from the kinks (finite differences straddle them otherwise).
  Tensor x = leaf64({4, 6}, 7);
  {
    NoGradGuard ng;
    Tensor near = logical_or(logical_or((x.abs() - 3).abs() < 0.05, x.abs() < 0.05),
                             logical_or((x.abs() - 0.5).abs() < 0.05, (x.abs() - 1).abs() < 0.05));
    x.masked_fill_(near, 0.77);
  }
  for (auto& [name, f] : activations()) {
    SCOPED_TRACE(name);
    auto fn = [f = f](const tensor_list& in) -> tensor_list { return {f(in[0])}; };
    EXPECT_TRUE(gradcheck(fn, {x}));
    EXPECT_TRUE(gradgradcheck(fn, {x}));
  }
  Tensor w = leaf64({6}, 9);
  EXPECT_TRUE(gradcheck([](const tensor_list& in) -> tensor_list { return {F::prelu(in[0], in[1])}; },
                        {leaf64({2, 6, 3}, 10), w}));
}

TEST(Activation, InPlace) {
  Tensor x = ember::tensor({-2.0, -0.5, 0.0, 0.5, 4.0, 7.0}, kFloat32);
  for (auto& [name, fn] : std::vector<std::pair<std::string, std::function<Tensor(Tensor&)>>>{
           {"relu", [](Tensor& t) { return F::relu(t, true); }},
           {"relu6", [](Tensor& t) { return F::relu6(t, true); }},
           {"elu", [](Tensor& t) { return F::elu_(t, 0.7); }},
           {"selu", [](Tensor& t) { return F::selu(t, true); }},
           {"celu", [](Tensor& t) { return F::celu_(t, 1.5); }},
           {"leaky_relu", [](Tensor& t) { return F::leaky_relu_(t, 0.3); }},
           {"hardtanh", [](Tensor& t) { return F::hardtanh_(t, -1.0, 2.0); }},
           {"threshold", [](Tensor& t) { return F::threshold_(t, 0.2, 9.0); }},
           {"silu", [](Tensor& t) { return F::silu(t, true); }},
           {"mish", [](Tensor& t) { return F::mish(t, true); }},
           {"hardsigmoid", [](Tensor& t) { return F::hardsigmoid(t, true); }},
           {"hardswish", [](Tensor& t) { return F::hardswish(t, true); }},
           {"rrelu", [](Tensor& t) { return F::rrelu_(t); }},
       }) {
    SCOPED_TRACE(name);
    Tensor a = x.clone();
    Tensor expected;
    {
      Tensor b = x.clone();
      Tensor r = fn(b);
      expected = b;
      EXPECT_TRUE(r.is_same(b) || r.data_ptr() == b.data_ptr());
    }
    // In place under autograd: same values as out of place, and the gradient flows.
    Tensor leaf = x.to(kFloat64).requires_grad_();
    Tensor h = leaf * 1.0;
    fn(h);
    EXPECT_TRUE(golden::close(h.to(kFloat32), expected, 1e-6, 1e-6));
    h.sum().backward();
    EXPECT_TRUE(leaf.grad().defined());
  }
}

TEST(Activation, RreluTraining) {
  Generator g(5);
  Tensor x = randn({1000}, g, TensorOptions().dtype(kFloat64)).requires_grad_();
  Tensor y = rrelu(x, 0.1, 0.3, true, Generator(11));
  y.sum().backward();
  Tensor xd = x.detach(), yd = y.detach(), gd = x.grad();
  Tensor pos = xd > 0;
  EXPECT_TRUE(ember::all(where(pos, yd == xd, true)).item<bool>());
  Tensor slope = where(pos, 0.2, yd / xd);
  EXPECT_TRUE(ember::all(logical_and(slope >= 0.1, slope <= 0.3)).item<bool>());
  // The gradient is the slope each element drew.
  EXPECT_TRUE(golden::close(gd, where(pos, 1.0, slope), 1e-12, 1e-12));
  // The same generator seed gives the same slopes.
  Tensor y2 = rrelu(xd, 0.1, 0.3, true, Generator(11));
  EXPECT_TRUE(ember::all(y2 == yd).item<bool>());
}

TEST(Activation, Errors) {
  auto msg = [](const std::function<void()>& f) -> std::string {
    try {
      f();
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  };
  Tensor x = randn({3, 3});
  EXPECT_NE(msg([&] { softmax(ember::tensor({1, 2}), 0); }).find("not implemented for 'Long'"), std::string::npos);
  EXPECT_EQ(msg([&] { F::elu(ember::tensor({1, 2})); }), "\"elu_cpu\" not implemented for 'Long'");
  EXPECT_EQ(msg([&] { F::gelu(x, "foo"); }), "approximate argument must be either none or tanh.");
  EXPECT_EQ(msg([&] { F::glu(x, 1); }), "Halving dimension must be even, but dimension 1 is size 3");
  EXPECT_EQ(msg([&] { F::prelu(x, ones({2})); }),
            "Mismatch of parameter numbers and input channel size. Found parameter numbers = 2 and channel size = 3.");
  EXPECT_EQ(msg([&] { softmax(x, 2); }), "Dimension out of range (expected to be in range of [-2, 1], but got 2)");
  EXPECT_THROW(softmax(x, 2), IndexError);
  EXPECT_EQ(msg([&] { F::softshrink(x, -1); }), "lambda must be greater or equal to 0, but found to be -1.");
  // Crossed bounds are not an error in 1.13: the result is max_val everywhere, as clamp's.
  EXPECT_TRUE(F::hardtanh(x, 1, -1).eq(-1).all().item<bool>());
}
