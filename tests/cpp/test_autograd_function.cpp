// Custom autograd functions (ember::autograd::Function<T>): hand-derived gradients, double backward,
// gradcheck, and the context's bookkeeping (saved tensors, saved_data, dirty and non-differentiable
// outputs, needs_input_grad).
#include <cmath>
#include <map>
#include <string>

#include "test_autograd_helpers.h"

using namespace ember;
using autograd::AutogradContext;
using agtest::leaf;
using agtest::near;
using agtest::throws_with;

namespace {

struct Cube : autograd::Function<Cube> {
  static Tensor forward(AutogradContext* ctx, Tensor x) {
    EXPECT_FALSE(GradMode::is_enabled());
    ctx->save_for_backward({x});
    return x * x * x;
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list g) {
    Tensor x = ctx->get_saved_variables()[0];
    return {g[0] * 3 * x * x};  // differentiable ops: double backward works
  }
};

std::vector<int64_t> last_needs;

// a * x + b * y with a non-tensor scale; returns gradients for every argument, undefined for the double.
struct ScaledSum : autograd::Function<ScaledSum> {
  static Tensor forward(AutogradContext* ctx, Tensor x, double scale, Tensor y) {
    ctx->saved_data["scale"] = scale;
    ctx->saved_data["calls"] = 1;
    ctx->saved_data["tag"] = "scaled";
    ctx->saved_data["needs"] = std::vector<int64_t>{ctx->needs_input_grad(0), ctx->needs_input_grad(1)};
    return x * scale + y;
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list g) {
    EXPECT_EQ(ctx->saved_data["calls"].toInt(), 1);
    EXPECT_EQ(ctx->saved_data["tag"].toStringRef(), "scaled");
    last_needs = ctx->saved_data["needs"].toIntVector();
    double s = ctx->saved_data["scale"].toDouble();
    return {ctx->needs_input_grad(0) ? g[0] * s : Tensor(), Tensor(), ctx->needs_input_grad(1) ? g[0] : Tensor()};
  }
};

// Two outputs, one of them an integer index that is not differentiable.
struct ExpAndArgmaxLike : autograd::Function<ExpAndArgmaxLike> {
  static tensor_list forward(AutogradContext* ctx, Tensor x) {
    Tensor e = x.exp();
    Tensor flag = (x > 0).to(kInt64);
    ctx->mark_non_differentiable({flag});
    ctx->save_for_backward({e});  // an output: stored without its history, no cycle
    return {e, flag};
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list g) {
    return {g[0] * ctx->get_saved_variables()[0]};
  }
};

// Doubles its argument in place.
struct DoubleInPlace : autograd::Function<DoubleInPlace> {
  static Tensor forward(AutogradContext* ctx, Tensor x) {
    x.mul_(2);
    ctx->mark_dirty({x});
    return x;
  }
  static tensor_list backward(AutogradContext*, tensor_list g) { return {g[0] * 2}; }
};

// Returns two outputs; backward sees zeros for the one that got no gradient.
struct Split : autograd::Function<Split> {
  static tensor_list forward(AutogradContext*, Tensor x) { return {x * 2, x * 3}; }
  static tensor_list backward(AutogradContext*, tensor_list g) {
    EXPECT_TRUE(g[1].defined());
    return {g[0] * 2 + g[1] * 3};
  }
};

struct WrongCount : autograd::Function<WrongCount> {
  static Tensor forward(AutogradContext*, Tensor x) { return x * 1; }
  static tensor_list backward(AutogradContext*, tensor_list g) { return {g[0], g[0]}; }
};

struct WrongShape : autograd::Function<WrongShape> {
  static Tensor forward(AutogradContext*, Tensor x) { return x.sum(); }
  static tensor_list backward(AutogradContext*, tensor_list g) { return {ember::ones({5}, kFloat64) * g[0]}; }
};

// Returns its input unchanged: the output must be a new alias with its own history.
struct Identity : autograd::Function<Identity> {
  static Tensor forward(AutogradContext*, Tensor x) { return x; }
  static tensor_list backward(AutogradContext*, tensor_list g) { return {g[0] * 7}; }
};

}  // namespace

TEST(AutogradFunction, CubeGradientAndName) {
  Tensor x = leaf({1.0, -2.0, 0.5});
  Tensor y = Cube::apply(x);
  EXPECT_TRUE(near(y, {1, -8, 0.125}));
  ASSERT_TRUE(y.grad_fn());
  EXPECT_NE(y.grad_fn()->name().find("Cube"), std::string::npos);
  y.sum().backward();
  EXPECT_TRUE(near(x.grad(), {3, 12, 0.75}));
}

TEST(AutogradFunction, DoubleBackwardAndGradcheck) {
  Tensor x = leaf({1.0, -2.0, 0.5});
  Tensor g = autograd::grad({Cube::apply(x).sum()}, {x}, {}, std::nullopt, true)[0];  // 3x^2
  Tensor gg = autograd::grad({g.sum()}, {x})[0];                                       // 6x
  EXPECT_TRUE(near(gg, {6, -12, 3}));
  auto fn = [](const tensor_list& in) { return tensor_list{Cube::apply(in[0] * in[1]).sin()}; };
  Tensor a = leaf({0.3, -0.8, 1.1}), b = leaf({1.5, 0.2, -0.4});
  EXPECT_TRUE(autograd::gradcheck(fn, {a, b}));
  EXPECT_TRUE(autograd::gradgradcheck(fn, {a, b}));
}

// Cube whose backward is right but not differentiable in x: its second derivative is missing.
struct CubeFirstOrderOnly : autograd::Function<CubeFirstOrderOnly> {
  static Tensor forward(AutogradContext* ctx, Tensor x) {
    ctx->save_for_backward({x});
    return x * x * x;
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list g) {
    Tensor x = ctx->get_saved_variables()[0].detach();
    return {g[0] * 3 * x * x};
  }
};

// An undefined output between two defined ones: its gradient stays undefined, even materialized.
struct WithHole : autograd::Function<WithHole> {
  static tensor_list forward(AutogradContext*, Tensor x) { return {x * 2, Tensor(), x * 3}; }
  static tensor_list backward(AutogradContext*, tensor_list g) {
    EXPECT_EQ(g.size(), 3u);
    EXPECT_TRUE(g[0].defined());
    EXPECT_FALSE(g[1].defined());
    EXPECT_TRUE(g[2].defined());  // no gradient flowed: zeros
    return {g[0] * 2 + g[2] * 3};
  }
};

TEST(AutogradFunction, UndefinedOutputGetsUndefinedGradient) {
  Tensor x = leaf({1.0, 2.0});
  tensor_list o = WithHole::apply(x);
  ASSERT_EQ(o.size(), 3u);
  EXPECT_FALSE(o[1].defined());
  o[0].sum().backward();
  EXPECT_TRUE(near(x.grad(), {2, 2}));
}

TEST(AutogradFunction, GradgradcheckWithGivenGradOutputs) {
  auto good = [](const tensor_list& in) { return tensor_list{Cube::apply(in[0])}; };
  auto bad = [](const tensor_list& in) { return tensor_list{CubeFirstOrderOnly::apply(in[0])}; };
  autograd::GradcheckOptions opts;
  Tensor x = leaf({0.3, -0.8});
  // Given upstream gradients that do not require grad are used as they are, not perturbed.
  EXPECT_TRUE(autograd::gradgradcheck(good, {x}, {ember::tensor({1.0, -2.0}, kFloat64)}, opts));
  EXPECT_TRUE(autograd::gradgradcheck(good, {x}, {leaf({0.5, 0.25})}, opts));
  EXPECT_TRUE(autograd::gradcheck(bad, {x}));
  opts.raise_exception = false;
  EXPECT_FALSE(autograd::gradgradcheck(bad, {x}, {ember::tensor({1.0, -2.0}, kFloat64)}, opts));
  EXPECT_FALSE(autograd::gradgradcheck(bad, {x}, opts));
}

TEST(AutogradFunction, NonTensorArgumentsAndSavedData) {
  Tensor x = leaf({1.0, 2.0}), y = leaf({5.0, 6.0});
  Tensor z = ScaledSum::apply(x, 2.5, y);
  EXPECT_TRUE(near(z, {7.5, 11}));
  z.sum().backward();
  EXPECT_TRUE(near(x.grad(), {2.5, 2.5}));
  EXPECT_TRUE(near(y.grad(), {1, 1}));
  // needs_input_grad follows the tensor arguments, in forward and in backward.
  Tensor c = ember::ones({2}, kFloat64);
  Tensor w = ScaledSum::apply(c, 3.0, y);
  w.sum().backward();
  EXPECT_TRUE(near(y.grad(), {2, 2}));
  EXPECT_EQ(last_needs, (std::vector<int64_t>{0, 1}));
  EXPECT_TRUE(autograd::gradcheck([](const tensor_list& in) { return tensor_list{ScaledSum::apply(in[0], -1.5, in[1])}; },
                                  {leaf({0.1, 0.2}), leaf({0.3, 0.4})}));
}

TEST(AutogradFunction, NonDifferentiableOutputAndSavedOutput) {
  Tensor x = leaf({-1.0, 0.5});
  tensor_list out = ExpAndArgmaxLike::apply(x);
  EXPECT_TRUE(out[0].requires_grad());
  EXPECT_FALSE(out[1].requires_grad());
  EXPECT_TRUE(near(out[1], {0, 1}));
  out[0].sum().backward();
  EXPECT_TRUE(near(x.grad(), {std::exp(-1.0), std::exp(0.5)}));
  EXPECT_TRUE(autograd::gradgradcheck([](const tensor_list& in) { return tensor_list{ExpAndArgmaxLike::apply(in[0])[0]}; },
                                      {leaf({0.2, -0.3})}));
}

TEST(AutogradFunction, UnusedOutputGetsZeroGradient) {
  Tensor x = leaf({1.0, 2.0});
  tensor_list o = Split::apply(x);
  o[0].sum().backward();
  EXPECT_TRUE(near(x.grad(), {2, 2}));
}

TEST(AutogradFunction, MarkDirtyInPlaceForward) {
  Tensor x = leaf({1.0, 3.0});
  Tensor h = x * 1;
  uint32_t v = h._version();
  Tensor y = DoubleInPlace::apply(h);
  EXPECT_TRUE(y.is_same(h));  // the argument itself is the output
  EXPECT_GT(h._version(), v);
  EXPECT_NE(h.grad_fn()->name().find("DoubleInPlace"), std::string::npos);
  EXPECT_TRUE(near(h, {2, 6}));
  (h * h).sum().backward();  // d/dx (2x)^2 = 8x
  EXPECT_TRUE(near(x.grad(), {8, 24}));
  EXPECT_TRUE(throws_with<Error>([&] { DoubleInPlace::apply(x); },
                                 "a leaf Variable that requires grad is being used in an in-place operation."));
}

TEST(AutogradFunction, ReturnedInputIsANewAlias) {
  Tensor x = leaf({1.0});
  Tensor y = Identity::apply(x);
  EXPECT_FALSE(y.is_same(x));
  EXPECT_TRUE(x.is_leaf());
  y.sum().backward();
  EXPECT_TRUE(near(x.grad(), {7}));
}

TEST(AutogradFunction, SavedVariablesAreVersionChecked) {
  Tensor x = leaf({1.0, 2.0});
  Tensor h = x * 1;
  Tensor y = Cube::apply(h);
  h.add_(1);
  EXPECT_TRUE(throws_with<Error>([&] { y.sum().backward(); },
                                 "one of the variables needed for gradient computation has been modified by an "
                                 "inplace operation: [torch.DoubleTensor [2]], which is output 0 of AddBackward0, "
                                 "is at version 1; expected version 0 instead."));
}

TEST(AutogradFunction, SavedVariablesFreedAfterBackward) {
  Tensor x = leaf({1.0});
  Tensor y = Cube::apply(x).sum();
  y.backward();
  EXPECT_TRUE(throws_with<Error>([&] { y.backward(); }, "Trying to backward through the graph a second time"));
  Tensor z = Cube::apply(x).sum();
  z.backward({}, true);
  z.backward();
  EXPECT_TRUE(near(x.grad(), {9}));
}

TEST(AutogradFunction, BackwardResultChecks) {
  Tensor x = leaf({1.0, 2.0});
  EXPECT_TRUE(throws_with<Error>([&] { WrongCount::apply(x).sum().backward(); },
                                 "returned an incorrect number of gradients (expected 1, got 2)"));
  EXPECT_TRUE(throws_with<Error>([&] { WrongShape::apply(x).backward(); },
                                 "returned an invalid gradient at index 0 - got [5] but expected shape compatible "
                                 "with [2]"));
}

TEST(AutogradFunction, NoRecordingWithoutGradOrUnderNoGrad) {
  Tensor c = ember::ones({2}, kFloat64);
  Tensor y = Cube::apply(c);
  EXPECT_FALSE(y.requires_grad());
  Tensor x = leaf({2.0});
  NoGradGuard ng;
  Tensor z = Cube::apply(x);
  EXPECT_FALSE(z.requires_grad());
  EXPECT_TRUE(near(z, {8}));
}

TEST(AutogradFunction, IValueTypeErrors) {
  autograd::IValue v(2.5);
  EXPECT_TRUE(v.isDouble());
  EXPECT_DOUBLE_EQ(v.toDouble(), 2.5);
  EXPECT_TRUE(throws_with<TypeError>([&] { v.toInt(); }, "Expected Int but got Double"));
  autograd::IValue t(ember::ones({1}));
  EXPECT_TRUE(t.isTensor());
  EXPECT_TRUE(autograd::IValue(true).toBool());
  std::map<std::string, autograd::IValue> saved;
  EXPECT_TRUE(saved["missing"].isNone());  // as libtorch's map: an absent key reads as None
}

TEST(AutogradFunction, NoLeakThroughSavedOutputs) {
  size_t before = memory_stats().allocated_bytes;
  {
    Tensor x = leaf({1.0, 2.0});
    tensor_list out = ExpAndArgmaxLike::apply(x);
    Tensor y = Cube::apply(out[0]);
    y.sum().backward({}, true);
  }
  EXPECT_EQ(memory_stats().allocated_bytes, before);
}
