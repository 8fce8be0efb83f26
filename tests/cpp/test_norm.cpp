// Normalisation, distance and channel-dropout ops against PyTorch (tests/golden/gen_norm.py): values,
// running statistics after several training steps and gradients of a random upstream gradient, in
// float64 (tight) and float32; float64 gradcheck (and gradgradcheck for the fused kernels) per op;
// PyTorch's error messages. Dropout masks are random (another generator than PyTorch's), so their
// structure, scaling and moments are checked instead.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include <ember/ember.h>
#include <ember/nn/functional.h>

#include "golden.h"
#include "thread_test_util.h"

using namespace ember;
namespace F = ember::nn::functional;
using autograd::gradcheck;
using autograd::gradgradcheck;

namespace {

const golden::File& G() {
  static golden::File f("norm");
  return f;
}

DType suffix_dtype(const std::string& suffix) { return suffix == "f64" ? kFloat64 : kFloat32; }
double rtol_of(DType t) { return t == kFloat64 ? 1e-9 : 1e-5; }
double atol_of(DType t) { return t == kFloat64 ? 1e-11 : 1e-5; }

// A golden input in dtype t, as a fresh leaf that requires grad.
Tensor input(const std::string& name, DType t) { return G()[name].to(t).detach().requires_grad_(); }

void expect_close(const Tensor& actual, const std::string& name, DType t) {
  SCOPED_TRACE(name);
  EXPECT_TRUE(golden::close(actual, G()[name], rtol_of(t), atol_of(t)));
}

// Backpropagates the golden upstream gradient of `name` through y and compares y and the gradients
// of the named leaves with PyTorch's.
void check_forward_backward(const std::string& name, const Tensor& y, DType t,
                            std::initializer_list<std::pair<const char*, Tensor>> leaves) {
  expect_close(y, name + ":out", t);
  y.backward(G()[name + ":gy"]);
  for (const auto& [key, leaf] : leaves) {
    if (!leaf.defined()) continue;
    ASSERT_TRUE(leaf.grad().defined()) << name << " d" << key;
    expect_close(leaf.grad(), name + ":d" + key, t);
  }
}

template <class E, class Fn>
void expect_error(const Fn& fn, const std::string& message) {
  try {
    fn();
    ADD_FAILURE() << "no error; expected: " << message;
  } catch (const E& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

Tensor randn64(IntArrayRef sizes, uint64_t seed) {
  return randn(sizes, Generator(seed), TensorOptions(kFloat64)).requires_grad_();
}

// Runs `steps` training (or evaluation) steps of F.batch_norm on the golden inputs of `name`.
void batch_norm_case(const std::string& name, DType t, bool training, bool affine, bool stats, double momentum,
                     int steps) {
  SCOPED_TRACE(name);
  Tensor rm = stats ? G()[name + ":rm0"].to(t) : Tensor();
  Tensor rv = stats ? G()[name + ":rv0"].to(t) : Tensor();
  for (int i = 0; i < steps; ++i) {
    Tensor x = input(name + ":x" + std::to_string(i), t);
    Tensor w = affine ? input(name + ":w", t) : Tensor(), b = affine ? input(name + ":b", t) : Tensor();
    Tensor y = F::batch_norm(x, rm, rv, w, b, training, momentum, 1e-5);
    if (i == steps - 1) check_forward_backward(name, y, t, {{"x", x}, {"w", w}, {"b", b}});
  }
  if (stats) {
    expect_close(rm, name + ":rm", t);
    expect_close(rv, name + ":rv", t);
  }
}

}  // namespace

TEST(BatchNorm, TrainingAndRunningStats) {
  for (std::string s : {"f64", "f32"}) {
    DType t = suffix_dtype(s);
    batch_norm_case("bn_train_" + s, t, true, true, true, 0.1, 3);
    batch_norm_case("bn_2d_" + s, t, true, true, true, 0.1, 3);
    batch_norm_case("bn_4d_" + s, t, true, true, true, 0.5, 2);
  }
  batch_norm_case("bn_nostats_f64", kFloat64, true, true, false, 0.1, 1);
  batch_norm_case("bn_noaffine_f64", kFloat64, true, false, true, 0.1, 2);
}

TEST(BatchNorm, EvalUsesRunningStats) {
  for (std::string s : {"f64", "f32"}) batch_norm_case("bn_eval_" + s, suffix_dtype(s), false, true, true, 0.1, 1);
}

// With create_graph the backward is the composite (differentiable) form: the same gradients.
TEST(BatchNorm, DifferentiableBackwardMatches) {
  const std::string name = "bn_train_f64";
  Tensor rm = G()[name + ":rm0"], rv = G()[name + ":rv0"];
  for (int i = 0; i < 2; ++i) F::batch_norm(G()[name + ":x" + std::to_string(i)], rm, rv, {}, {}, true);
  Tensor x = input(name + ":x2", kFloat64), w = input(name + ":w", kFloat64), b = input(name + ":b", kFloat64);
  Tensor y = F::batch_norm(x, rm, rv, w, b, true);
  tensor_list g = autograd::grad({y}, {x, w, b}, {G()[name + ":gy"]}, std::nullopt, true);
  expect_close(g[0], name + ":dx", kFloat64);
  expect_close(g[1], name + ":dw", kFloat64);
  expect_close(g[2], name + ":db", kFloat64);
  EXPECT_TRUE(g[0].requires_grad());
}

TEST(BatchNorm, Gradcheck) {
  Tensor x = randn64({3, 2, 4}, 1), w = randn64({2}, 2), b = randn64({2}, 3);
  Tensor x2 = randn64({5, 3}, 4), w2 = randn64({3}, 5);
  Tensor rm = zeros({2}, TensorOptions(kFloat64)), rv = ones({2}, TensorOptions(kFloat64)) * 0.7;
  auto train = [](const tensor_list& in) -> tensor_list {
    return {ember::batch_norm(in[0], in[1], in[2], {}, {}, true, 0.1, 1e-5)};
  };
  auto train2d = [](const tensor_list& in) -> tensor_list {
    return {ember::batch_norm(in[0], in[1], {}, {}, {}, true, 0.1, 1e-5)};
  };
  auto eval = [&](const tensor_list& in) -> tensor_list {
    return {ember::batch_norm(in[0], in[1], in[2], rm, rv, false, 0.1, 1e-5)};
  };
  EXPECT_TRUE(gradcheck(train, {x, w, b}));
  EXPECT_TRUE(gradcheck(train2d, {x2, w2}));
  // A strided input (channels not at their contiguous place) goes through a contiguous copy.
  Tensor xt = randn64({4, 2, 3}, 6).transpose(0, 2).detach().requires_grad_();
  EXPECT_TRUE(gradcheck(train, {xt, w, b}));
  EXPECT_TRUE(gradcheck(eval, {x, w, b}));
  EXPECT_TRUE(gradgradcheck(train, {x, w, b}));
  EXPECT_TRUE(gradgradcheck(eval, {x, w, b}));
}

TEST(BatchNorm, ReducedFloatsComputeInFloat) {
  Tensor x = G()["bn_eval_f64:x0"];
  Tensor rm = G()["bn_eval_f64:rm0"], rv = G()["bn_eval_f64:rv0"], w = G()["bn_eval_f64:w"], b = G()["bn_eval_f64:b"];
  for (DType t : {kFloat16, kBFloat16}) {
    Tensor y = F::batch_norm(x.to(t), rm.to(t), rv.to(t), w.to(t), b.to(t), false);
    EXPECT_EQ(y.dtype(), t);
    // The float32 result of the rounded inputs, rounded once.
    Tensor ref = F::batch_norm(x.to(t).to(kFloat32), rm.to(t).to(kFloat32), rv.to(t).to(kFloat32),
                               w.to(t).to(kFloat32), b.to(t).to(kFloat32), false)
                     .to(t);
    EXPECT_TRUE(golden::close(y, ref, 0, 0));
  }
}

TEST(BatchNorm, Errors) {
  Tensor rm = zeros({3}), rv = ones({3});
  expect_error<ValueError>([&] { F::batch_norm(randn({1, 3}), rm, rv, {}, {}, true); },
                           "Expected more than 1 value per channel when training, got input size torch.Size([1, 3])");
  expect_error<ValueError>([&] { F::batch_norm(randn({1, 3, 1}), {}, {}, {}, {}, true); },
                           "Expected more than 1 value per channel when training, got input size torch.Size([1, 3, 1])");
  expect_error<Error>([&] { F::batch_norm(randn({4, 3}), zeros({4}), rv, {}, {}, true); },
                      "running_mean should contain 3 elements not 4");
  expect_error<Error>([&] { F::batch_norm(randn({4, 3}), rm, rv, ones({2}), {}, true); },
                      "weight should contain 3 elements not 2");
  expect_error<Error>([&] { F::batch_norm(randn({4, 3}), {}, {}, {}, {}, false); },
                      "running_mean must be defined in evaluation mode");
  expect_error<Error>([&] { F::batch_norm(randn({4}), zeros({4}), ones({4}), {}, {}, false); },
                      "running_mean should contain 0 elements not 4");
  expect_error<Error>([&] { F::batch_norm(ones({4, 3}, TensorOptions(kInt64)), rm, rv, {}, {}, false); },
                      "\"batch_norm\" not implemented for 'Long'");
  // A failed call leaves the running statistics alone.
  EXPECT_TRUE(golden::close(rm, zeros({3}), 0, 0));
}

TEST(LayerNorm, Values) {
  for (std::string s : {"f64", "f32"}) {
    DType t = suffix_dtype(s);
    for (auto [name, shape] : {std::pair<std::string, DimVector>{"ln_last_" + s, {5}}, {"ln_two_" + s, {4, 5}}}) {
      Tensor x = input(name + ":x", t), w = input(name + ":w", t), b = input(name + ":b", t);
      check_forward_backward(name, F::layer_norm(x, shape, w, b, 1e-5), t, {{"x", x}, {"w", w}, {"b", b}});
    }
  }
  Tensor x = input("ln_noaffine_f64:x", kFloat64);
  check_forward_backward("ln_noaffine_f64", F::layer_norm(x, {7}), kFloat64, {{"x", x}});
}

// Over 32K elements the kernel sums the parameter gradients in several chunks.
TEST(LayerNorm, ManyRows) {
  Tensor i = arange(200 * 256, TensorOptions(kFloat64)).view({200, 256});
  Tensor x = (sin(i * 0.37) * 3 + cos(i * 0.11)).requires_grad_();
  Tensor w = linspace(0.5, 1.5, 256, TensorOptions(kFloat64)).requires_grad_();
  Tensor b = linspace(-1, 1, 256, TensorOptions(kFloat64)).requires_grad_();
  Tensor y = F::layer_norm(x, {256}, w, b);
  y.backward(cos(i * 0.23));
  Tensor rows = ember::tensor({0, 100, 199}, TensorOptions(kInt64));
  expect_close(y.detach().index_select(0, rows), "ln_big:out_rows", kFloat64);
  expect_close(x.grad().index_select(0, rows), "ln_big:dx_rows", kFloat64);
  expect_close(w.grad(), "ln_big:dw", kFloat64);
  expect_close(b.grad(), "ln_big:db", kFloat64);
}

// The parameter gradients are summed in a fixed order, so the thread count does not change a bit.
TEST(LayerNorm, SameForAnyThreadCount) {
  Tensor i = arange(300 * 200, TensorOptions(kFloat32)).view({300, 200});
  Tensor gy = cos(i * 0.23);
  auto run = [&](int threads) {
    ThreadCount t(threads);
    Tensor x = sin(i * 0.37).requires_grad_(), w = ones({200}).requires_grad_(), b = zeros({200}).requires_grad_();
    F::layer_norm(x, {200}, w, b).backward(gy);
    Tensor xb = (sin(i * 0.37) * 2).view({30, 10, 200}).requires_grad_();
    Tensor wb = ones({10}).requires_grad_();
    F::batch_norm(xb, {}, {}, wb, {}, true).backward(gy.view({30, 10, 200}));
    return tensor_list{x.grad(), w.grad(), b.grad(), xb.grad(), wb.grad()};
  };
  tensor_list one = run(1), many = run(4);
  for (size_t k = 0; k < one.size(); ++k) EXPECT_TRUE(golden::close(one[k], many[k], 0, 0)) << k;
}

TEST(LayerNorm, DifferentiableBackwardMatches) {
  const std::string name = "ln_two_f64";
  Tensor x = input(name + ":x", kFloat64), w = input(name + ":w", kFloat64), b = input(name + ":b", kFloat64);
  Tensor y = F::layer_norm(x, {4, 5}, w, b);
  tensor_list g = autograd::grad({y}, {x, w, b}, {G()[name + ":gy"]}, std::nullopt, true);
  expect_close(g[0], name + ":dx", kFloat64);
  expect_close(g[1], name + ":dw", kFloat64);
  expect_close(g[2], name + ":db", kFloat64);
}

TEST(LayerNorm, Gradcheck) {
  Tensor x = randn64({3, 4, 5}, 7), w = randn64({4, 5}, 8), b = randn64({4, 5}, 9);
  auto fn = [](const tensor_list& in) -> tensor_list { return {ember::layer_norm(in[0], {4, 5}, in[1], in[2])}; };
  auto plain = [](const tensor_list& in) -> tensor_list { return {ember::layer_norm(in[0], {5})}; };
  EXPECT_TRUE(gradcheck(fn, {x, w, b}));
  EXPECT_TRUE(gradcheck(plain, {x}));
  EXPECT_TRUE(gradgradcheck(fn, {x, w, b}));
}

TEST(LayerNorm, ReducedFloatsComputeInFloat) {
  Tensor x = G()["ln_two_f64:x"], w = G()["ln_two_f64:w"], b = G()["ln_two_f64:b"];
  for (DType t : {kFloat16, kBFloat16}) {
    Tensor xt = x.to(t).requires_grad_(), wt = w.to(t).requires_grad_();
    Tensor y = F::layer_norm(xt, {4, 5}, wt, b.to(t));
    EXPECT_EQ(y.dtype(), t);
    Tensor x32 = x.to(t).to(kFloat32).requires_grad_(), w32 = w.to(t).to(kFloat32).requires_grad_();
    Tensor ref = F::layer_norm(x32, {4, 5}, w32, b.to(t).to(kFloat32));
    EXPECT_TRUE(golden::close(y, ref.to(t), 0, 0));
    // Gradients too: computed in float32 and rounded to each input's dtype.
    Tensor gy = G()["ln_two_f64:gy"];
    y.backward(gy.to(t));
    ref.backward(gy.to(t).to(kFloat32));
    EXPECT_TRUE(golden::close(xt.grad(), x32.grad().to(t), 0, 0));
    EXPECT_TRUE(golden::close(wt.grad(), w32.grad().to(t), 0, 0));
  }
}

TEST(LayerNorm, Errors) {
  expect_error<Error>([] { F::layer_norm(randn({4, 3}), {4}); },
                      "Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[4, 3]");
  expect_error<Error>([] { F::layer_norm(randn({4, 3}), {3}, ones({2})); },
                      "Expected weight to be of same shape as normalized_shape, but got weight of shape [2] and "
                      "normalized_shape = [3]");
  expect_error<Error>([] { F::layer_norm(randn({4, 3}), {3}, {}, ones({2})); },
                      "Expected bias to be of same shape as normalized_shape, but got bias of shape [2] and "
                      "normalized_shape = [3]");
  expect_error<Error>([] { F::layer_norm(ones({4, 3}, TensorOptions(kInt64)), {3}); },
                      "\"LayerNormKernelImpl\" not implemented for 'Long'");
}

TEST(GroupNorm, Values) {
  for (auto [name, groups] : {std::pair<std::string, int64_t>{"gn_f64", 3}, {"gn_f32", 2}}) {
    DType t = name == "gn_f64" ? kFloat64 : kFloat32;
    Tensor x = input(name + ":x", t), w = input(name + ":w", t), b = input(name + ":b", t);
    check_forward_backward(name, F::group_norm(x, groups, w, b), t, {{"x", x}, {"w", w}, {"b", b}});
  }
  Tensor x = randn64({2, 6, 3}, 10), w = randn64({6}, 11), b = randn64({6}, 12);
  auto fn = [](const tensor_list& in) -> tensor_list { return {ember::group_norm(in[0], 2, in[1], in[2])}; };
  EXPECT_TRUE(gradcheck(fn, {x, w, b}));
  EXPECT_TRUE(gradgradcheck(fn, {x, w, b}));
}

TEST(GroupNorm, Errors) {
  expect_error<Error>([] { F::group_norm(randn({4, 6, 2}), 4); },
                      "Expected number of channels in input to be divisible by num_groups, but got input of shape "
                      "[4, 6, 2] and num_groups=4");
  expect_error<Error>([] { F::group_norm(randn({4, 6, 2}), 3, ones({5})); },
                      "Expected weight to be a vector of size equal to the number of channels in input, but got "
                      "weight of shape [5] and input of shape [4, 6, 2]");
  expect_error<IndexError>([] { F::group_norm(randn({4}), 1); },
                           "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
  expect_error<ValueError>([] { F::group_norm(randn({1, 3}), 3); },
                           "Expected more than 1 value per channel when training, got input size [1, 3]");
}

TEST(InstanceNorm, RunningStatsAndEval) {
  for (std::string s : {"f64", "f32"}) {
    DType t = suffix_dtype(s);
    const std::string name = "in_" + s;
    Tensor rm = G()[name + ":rm0"].to(t), rv = G()[name + ":rv0"].to(t);
    F::instance_norm(G()[name + ":x0"].to(t), rm, rv, G()[name + ":w"].to(t), G()[name + ":b"].to(t), true, 0.2);
    Tensor x = input(name + ":x1", t), w = input(name + ":w", t), b = input(name + ":b", t);
    check_forward_backward(name, F::instance_norm(x, rm, rv, w, b, true, 0.2), t, {{"x", x}, {"w", w}, {"b", b}});
    expect_close(rm, name + ":rm", t);
    expect_close(rv, name + ":rv", t);
    Tensor xe = input(name + ":x1", t);
    check_forward_backward(name + "_eval", F::instance_norm(xe, rm, rv, {}, {}, false), t, {{"x", xe}});
  }
  Tensor x = randn64({2, 3, 4}, 13), w = randn64({3}, 14), b = randn64({3}, 15);
  auto fn = [](const tensor_list& in) -> tensor_list {
    return {ember::instance_norm(in[0], in[1], in[2], {}, {}, true, 0.1, 1e-5)};
  };
  EXPECT_TRUE(gradcheck(fn, {x, w, b}));
}

TEST(InstanceNorm, Errors) {
  expect_error<ValueError>([] { F::instance_norm(randn({4, 3, 1})); },
                           "Expected more than 1 spatial element when training, got input size torch.Size([4, 3, 1])");
  expect_error<Error>([] { ember::instance_norm(randn({4, 3, 5}), {}, {}, {}, {}, false, 0.1, 1e-5); },
                      "Expected running_mean and running_var to be defined when use_input_stats is false");
}

TEST(RmsNorm, Values) {
  for (std::string s : {"f64", "f32"}) {
    DType t = suffix_dtype(s);
    Tensor x = input("rms_" + s + ":x", t), w = input("rms_" + s + ":w", t);
    check_forward_backward("rms_" + s, F::rms_norm(x, {4, 5}, w, 1e-6), t, {{"x", x}, {"w", w}});
    Tensor x2 = input("rms_" + s + ":x", t);
    check_forward_backward("rms_default_" + s, F::rms_norm(x2, {5}), t, {{"x", x2}});
  }
  Tensor x = randn64({3, 4}, 16), w = randn64({4}, 17);
  auto fn = [](const tensor_list& in) -> tensor_list { return {ember::rms_norm(in[0], {4}, in[1], 1e-5)}; };
  EXPECT_TRUE(gradcheck(fn, {x, w}));
  expect_error<Error>([] { F::rms_norm(randn({4, 3}), {3}, ones({2})); },
                      "Expected weight to be of same shape as normalized_shape, but got weight of shape [2] and "
                      "normalized_shape = [3]");
}

TEST(LocalResponseNorm, Values) {
  for (auto [name, size] : {std::pair<std::string, int64_t>{"lrn4d", 3}, {"lrn3d", 2}, {"lrn5d", 4}})
    for (std::string s : {"f64", "f32"}) {
      DType t = suffix_dtype(s);
      Tensor x = input(name + ":x", t);
      check_forward_backward(name + "_" + s, F::local_response_norm(x, size, 0.01, 0.75, 1.5), t, {{"x", x}});
    }
  Tensor x = randn64({2, 5, 3}, 18);
  auto fn = [](const tensor_list& in) -> tensor_list { return {F::local_response_norm(in[0], 3, 0.1, 0.75, 1.0)}; };
  EXPECT_TRUE(gradcheck(fn, {x}));
  expect_error<ValueError>([] { F::local_response_norm(randn({2}), 2); },
                           "Expected 3D or higher dimensionality                          input (got 1 dimensions)");
}

TEST(Normalize, Values) {
  for (std::string s : {"f64", "f32"}) {
    DType t = suffix_dtype(s);
    Tensor x = input("normalize:x", t);
    check_forward_backward("normalize_p2_" + s, F::normalize(x, 2.0, 1), t, {{"x", x}});
    Tensor x1 = input("normalize:x", t);
    check_forward_backward("normalize_p1_" + s, F::normalize(x1, 1.0, 0), t, {{"x", x1}});
  }
  Tensor x = randn64({3, 4}, 19);
  auto fn = [](const tensor_list& in) -> tensor_list { return {F::normalize(in[0], 3.0, -1)}; };
  EXPECT_TRUE(gradcheck(fn, {x}));
  expect_error<IndexError>([] { F::normalize(randn({2, 3}), 2.0, 3); },
                           "Dimension out of range (expected to be in range of [-2, 1], but got 3)");
}

TEST(Distance, Values) {
  for (std::string s : {"f64", "f32"}) {
    DType t = suffix_dtype(s);
    Tensor a = input("dist:x1", t), b = input("dist:x2", t);
    check_forward_backward("cos_" + s, F::cosine_similarity(a, b, 1), t, {{"x1", a}, {"x2", b}});
    a = input("dist:x1", t), b = input("dist:x2b", t);
    check_forward_backward("cos_bcast_" + s, F::cosine_similarity(a, b, -1), t, {{"x1", a}, {"x2", b}});
    a = input("dist:x1", t), b = input("dist:x2", t);
    check_forward_backward("pair_p2_" + s, F::pairwise_distance(a, b), t, {{"x1", a}, {"x2", b}});
    a = input("dist:x1", t), b = input("dist:x2", t);
    check_forward_backward("pair_p1_" + s, F::pairwise_distance(a, b, 1.0, 1e-6, true), t, {{"x1", a}, {"x2", b}});
    Tensor rows = cat({G()["dist:x1"], G()["dist:x3"]}).to(t).requires_grad_();
    check_forward_backward("pdist_p2_" + s, F::pdist(rows), t, {{"x", rows}});
    rows = cat({G()["dist:x1"], G()["dist:x3"]}).to(t).requires_grad_();
    check_forward_backward("pdist_p3_" + s, F::pdist(rows, 3.0), t, {{"x", rows}});
  }
  Tensor a = randn64({3, 4}, 20), b = randn64({3, 4}, 21);
  EXPECT_TRUE(gradcheck([](const tensor_list& in) -> tensor_list { return {F::cosine_similarity(in[0], in[1])}; },
                        {a, b}));
  EXPECT_TRUE(gradcheck(
      [](const tensor_list& in) -> tensor_list { return {F::pairwise_distance(in[0], in[1], 2.0)}; }, {a, b}));
  EXPECT_TRUE(gradcheck([](const tensor_list& in) -> tensor_list { return {F::pdist(in[0])}; }, {a}));
}

TEST(Distance, Errors) {
  expect_error<Error>([] { F::cosine_similarity(randn({2, 3}), randn({2, 4})); },
                      "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1");
  expect_error<Error>([] { F::pairwise_distance(randn({2, 3}), randn({2, 4})); },
                      "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1");
  expect_error<Error>([] { F::pdist(randn({2, 3, 3})); }, "pdist only supports 2D tensors, got: 3D");
  EXPECT_EQ(F::pdist(randn({1, 3})).numel(), 0);
}

namespace {
// Each (n, c) slice of y is either all zero or x * scale.
void expect_channel_mask(const Tensor& x, const Tensor& y, int64_t channels, double scale, double& dropped) {
  Tensor xs = x.detach().reshape({channels, -1}), ys = y.detach().reshape({channels, -1});
  int64_t zero = 0;
  for (int64_t c = 0; c < channels; ++c) {
    bool all_zero = ember::all(ys[c] == 0).item<bool>();
    bool scaled = golden::close(ys[c], xs[c] * scale, 1e-6, 1e-6);
    EXPECT_TRUE(all_zero || scaled) << "channel " << c;
    zero += all_zero;
  }
  dropped = double(zero) / double(channels);
}
}  // namespace

TEST(ChannelDropout, WholeChannels) {
  double dropped = 0;
  Tensor x = randn({32, 32, 3, 3}, Generator(1)) + 5;  // no zeros in the input
  Tensor y = F::dropout2d(x, 0.25, true, false, Generator(2));
  expect_channel_mask(x, y, 32 * 32, 1 / 0.75, dropped);
  // 1024 channels: the dropped fraction has standard deviation sqrt(0.25 * 0.75 / 1024) ~ 0.0135.
  EXPECT_NEAR(dropped, 0.25, 0.07);
  Tensor x1 = randn({16, 40}, Generator(3)) + 5;  // unbatched (C, L)
  expect_channel_mask(x1, F::dropout1d(x1, 0.5, true, false, Generator(4)), 16, 2.0, dropped);
  EXPECT_GT(dropped, 0.0);
  EXPECT_LT(dropped, 1.0);
  Tensor x3 = randn({8, 16, 2, 2, 2}, Generator(5)) + 5;
  expect_channel_mask(x3, F::dropout3d(x3, 0.5, true, false, Generator(6)), 8 * 16, 2.0, dropped);
  Tensor x3u = randn({16, 2, 2, 2}, Generator(7)) + 5;  // unbatched (C, D, H, W)
  expect_channel_mask(x3u, F::dropout3d(x3u, 0.5, true, false, Generator(8)), 16, 2.0, dropped);
  // The same generator state gives the same mask.
  EXPECT_TRUE(golden::close(F::dropout2d(x, 0.5, true, false, Generator(9)), F::dropout2d(x, 0.5, true, false, Generator(9)), 0, 0));
}

TEST(ChannelDropout, EvalIdentityAndLimits) {
  Tensor x = randn({4, 3, 5});
  EXPECT_TRUE(F::dropout2d(x, 0.5, false).is_same(x));
  EXPECT_TRUE(F::dropout1d(x, 0.0, true).is_same(x));
  EXPECT_TRUE(golden::close(F::dropout2d(x, 1.0, true), zeros({4, 3, 5}), 0, 0));
  expect_error<ValueError>([&] { F::dropout1d(x, 1.5); }, "dropout probability has to be between 0 and 1, but got 1.5");
  expect_error<ValueError>([&] { F::alpha_dropout(x, -0.5, true); },
                           "dropout probability has to be between 0 and 1, but got -0.5");
  expect_error<Error>([] { F::dropout1d(randn({2, 3, 4, 5})); },
                      "dropout1d: Expected 2D or 3D input, but received a 4D input. Note that dropout1d exists to "
                      "provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an "
                      "optional batch dimension (i.e. 2D or 3D inputs).");
}

TEST(ChannelDropout, GradientAndInplace) {
  Tensor x = (randn({6, 5, 4}, Generator(10)) + 5).to(kFloat64).requires_grad_();
  Tensor y = F::dropout1d(x, 0.4, true, false, Generator(11));
  y.sum().backward();
  // d(x * mask / 0.6)/dx = mask / 0.6 = y / x.
  EXPECT_TRUE(golden::close(x.grad(), y.detach() / x.detach(), 1e-12, 1e-12));
  auto fn = [](const tensor_list& in) -> tensor_list { return {F::dropout2d(in[0], 0.5, true, false, Generator(12))}; };
  EXPECT_TRUE(gradcheck(fn, {randn64({3, 4, 2}, 22)}));
  Tensor z = randn({4, 3, 5}, Generator(13)) + 5;
  Tensor expected = F::dropout2d(z, 0.5, true, false, Generator(14));
  Tensor same = F::dropout2d(z, 0.5, true, true, Generator(14));
  EXPECT_TRUE(same.is_same(z));
  EXPECT_TRUE(golden::close(z, expected, 0, 0));
  Tensor u = randn({3, 5}, Generator(15)) + 5;
  Tensor expected_u = F::dropout1d(u, 0.5, true, false, Generator(16));
  F::dropout1d(u, 0.5, true, true, Generator(16));
  EXPECT_TRUE(golden::close(u, expected_u, 0, 0));
  // In place on a leaf that requires grad: PyTorch's unbatched forms fail in unsqueeze_ even when not
  // training; F.dropout not training writes nothing, so it passes.
  Tensor leaf = ones({3, 5}).requires_grad_();
  for (bool training : {true, false})
    expect_error<Error>([&] { F::dropout1d(leaf, 0.5, training, true); },
                        "a leaf Variable that requires grad is being used in an in-place operation.");
  expect_error<Error>([&] { F::dropout3d(ones({2, 3, 2, 2}).requires_grad_(), 0.5, false, true); },
                      "a leaf Variable that requires grad is being used in an in-place operation.");
  EXPECT_TRUE(F::dropout(leaf, 0.5, false, true).is_same(leaf));
  EXPECT_TRUE(F::dropout(leaf, 0.0, true, true).is_same(leaf));
  expect_error<Error>([&] { F::dropout(leaf, 0.5, true, true); },
                      "a leaf Variable that requires grad is being used in an in-place operation.");
  {
    NoGradGuard no_grad;
    EXPECT_TRUE(F::dropout1d(leaf, 0.5, false, true).is_same(leaf));
  }
}

TEST(AlphaDropout, ValuesAndMoments) {
  const double alpha = 1.7580993408473766, p = 0.2;
  const double a = 1 / std::sqrt((alpha * alpha * p + 1) * (1 - p));
  Tensor x = randn({400000}, Generator(17), TensorOptions(kFloat64));
  Tensor y = F::alpha_dropout(x, p, true, false, Generator(18));
  // Kept: a * x + alpha * a * p; dropped: -alpha * a * (1 - p).
  Tensor kept = (x * a + alpha * a * p - y).abs() < 1e-12;
  Tensor dropped = (y + alpha * a * (1 - p)).abs() < 1e-12;
  EXPECT_TRUE(ember::all(kept | dropped).item<bool>());
  double frac = dropped.to(kFloat64).mean().item<double>();
  EXPECT_NEAR(frac, p, 0.005);  // 5 standard deviations of 400000 draws
  // Zero mean and unit variance are kept (within a few standard errors of 400000 samples).
  EXPECT_NEAR(y.mean().item<double>(), 0.0, 0.01);
  EXPECT_NEAR(y.var().item<double>(), 1.0, 0.02);
  EXPECT_TRUE(F::alpha_dropout(x, p, false).is_same(x));
  auto fn = [](const tensor_list& in) -> tensor_list { return {F::alpha_dropout(in[0], 0.3, true, false, Generator(19))}; };
  EXPECT_TRUE(gradcheck(fn, {randn64({4, 5}, 23)}));
}

TEST(AlphaDropout, FeatureForm) {
  const double alpha = 1.7580993408473766, p = 0.5;
  const double a = 1 / std::sqrt((alpha * alpha * p + 1) * (1 - p));
  Tensor x = randn({8, 16, 3}, Generator(20), TensorOptions(kFloat64));
  Tensor y = F::feature_alpha_dropout(x, p, true, false, Generator(21));
  Tensor xs = x.reshape({128, 3}), ys = y.reshape({128, 3});
  for (int64_t c = 0; c < 128; ++c) {
    bool is_dropped = golden::close(ys[c], full({3}, -alpha * a * (1 - p), TensorOptions(kFloat64)), 1e-12, 1e-12);
    bool is_kept = golden::close(ys[c], xs[c] * a + alpha * a * p, 1e-12, 1e-12);
    EXPECT_TRUE(is_dropped || is_kept) << "channel " << c;
  }
  Tensor z = x.clone();
  F::feature_alpha_dropout(z, p, true, true, Generator(21));
  EXPECT_TRUE(golden::close(z, y, 0, 0));
  auto fn = [](const tensor_list& in) -> tensor_list {
    return {F::feature_alpha_dropout(in[0], 0.5, true, false, Generator(22))};
  };
  EXPECT_TRUE(gradcheck(fn, {randn64({3, 4, 2}, 24)}));
}
