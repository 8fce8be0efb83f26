// The convolution family against PyTorch (tests/golden/gen_conv.py): conv1d/2d/3d and conv_transpose1d/2d/3d
// over strides, paddings ("same"/"valid" too), dilations, groups, with and without bias, in float64 and
// float32, forward and all gradients; F.pad's modes; F.unfold/F.fold. Then gradcheck/gradgradcheck in
// float64, non-contiguous and empty inputs, reduced floats, and PyTorch's error messages.
#include <gtest/gtest.h>

#include <random>

#include <ember/ember.h>
#include <ember/nn/functional.h>

#include "golden.h"

using namespace ember;
namespace F = ember::nn::functional;
using autograd::gradcheck;
using autograd::gradgradcheck;

namespace {

const golden::File& gold() {
  static golden::File f("conv");
  return f;
}

std::vector<int64_t> ints(const Tensor& t) {
  Tensor c = t.to(kInt64).contiguous();
  return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}
int64_t count(const std::string& what) { return ints(gold()[what + ".count"])[0]; }

Tensor leaf(IntArrayRef shape, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> dist;
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  std::vector<double> v(static_cast<size_t>(n));
  for (double& x : v) x = dist(gen);
  return tensor(v, TensorOptions(kFloat64)).reshape(shape).detach().requires_grad_(true);
}

autograd::GradcheckFn wrap(std::function<Tensor(const tensor_list&)> f) {
  return [f](const tensor_list& x) { return tensor_list{f(x)}; };
}

// Golden conv case i through the public F. function of its kind, with inputs cast to dt.
struct ConvCase {
  std::string p;
  bool transposed, has_bias;
  int64_t nd, groups, mode;
  std::vector<int64_t> stride, padding, dilation, output_padding;
  explicit ConvCase(int64_t i) : p("conv" + std::to_string(i) + ".") {
    const auto& g = gold();
    transposed = ints(g[p + "transposed"])[0] != 0;
    has_bias = g.has(p + "b");
    nd = g[p + "x"].dim() - 2;
    groups = ints(g[p + "groups"])[0];
    mode = ints(g[p + "mode"])[0];
    stride = ints(g[p + "stride"]);
    padding = ints(g[p + "padding"]);
    dilation = ints(g[p + "dilation"]);
    output_padding = ints(g[p + "output_padding"]);
  }
  Tensor run(const Tensor& x, const Tensor& w, const std::optional<Tensor>& b) const {
    if (transposed) {
      auto f = nd == 1 ? &F::conv_transpose1d : nd == 2 ? &F::conv_transpose2d : &F::conv_transpose3d;
      return f(x, w, b, stride, padding, output_padding, groups, dilation);
    }
    if (mode != 0) {
      const std::string m = mode == 1 ? "same" : "valid";
      if (nd == 1) return F::conv1d(x, w, b, stride, m, dilation, groups);
      if (nd == 2) return F::conv2d(x, w, b, stride, m, dilation, groups);
      return F::conv3d(x, w, b, stride, m, dilation, groups);
    }
    if (nd == 1) return F::conv1d(x, w, b, stride, padding, dilation, groups);
    if (nd == 2) return F::conv2d(x, w, b, stride, padding, dilation, groups);
    return F::conv3d(x, w, b, stride, padding, dilation, groups);
  }
};

void check_conv_case(int64_t i, DType dt, double rtol, double atol) {
  const auto& g = gold();
  ConvCase c(i);
  SCOPED_TRACE(c.p + std::string(dtype_name(dt)));
  Tensor x = g[c.p + "x"].to(dt).requires_grad_(), w = g[c.p + "w"].to(dt).requires_grad_();
  std::optional<Tensor> b;
  if (c.has_bias) b = g[c.p + "b"].to(dt).requires_grad_();
  Tensor y = c.run(x, w, b);
  EXPECT_TRUE(golden::close(y, g[c.p + "y"].to(dt), rtol, atol));
  y.backward(g[c.p + "gy"].to(dt));
  EXPECT_TRUE(golden::close(x.grad(), g[c.p + "gx"].to(dt), rtol, atol));
  EXPECT_TRUE(golden::close(w.grad(), g[c.p + "gw"].to(dt), rtol, atol));
  if (b) {
    EXPECT_TRUE(golden::close(b->grad(), g[c.p + "gb"].to(dt), rtol, atol));
  }
}

const char* kPadModes[] = {"constant", "reflect", "replicate", "circular"};

}  // namespace

TEST(Conv, GoldenFloat64) {
  for (int64_t i = 0; i < count("conv"); ++i) check_conv_case(i, kFloat64, 1e-10, 1e-10);
}

TEST(Conv, GoldenFloat32) {
  for (int64_t i = 0; i < count("conv"); ++i) check_conv_case(i, kFloat32, 1e-4, 1e-4);
}

TEST(Conv, Gradcheck) {
  for (int64_t i = 0; i < count("conv"); ++i) {
    ConvCase c(i);
    SCOPED_TRACE(c.p);
    const auto& g = gold();
    tensor_list in{leaf(g[c.p + "x"].sizes(), unsigned(3 * i)), leaf(g[c.p + "w"].sizes(), unsigned(3 * i + 1))};
    if (c.has_bias) in.push_back(leaf(g[c.p + "b"].sizes(), unsigned(3 * i + 2)));
    auto f = wrap([&c](const tensor_list& t) {
      return c.run(t[0], t[1], t.size() > 2 ? std::optional<Tensor>(t[2]) : std::nullopt);
    });
    EXPECT_TRUE(gradcheck(f, in));
    // Double backward runs through the same three ops for every case; a few cases cover its wiring.
    if (c.p == "conv1." || c.p == "conv3." || c.p == "conv15." || c.p == "conv17.") {
      EXPECT_TRUE(gradgradcheck(f, in));
    }
  }
}

TEST(Conv, NonContiguousAndUnbatched) {
  Tensor x = leaf({2, 5, 6, 3}, 1), w = leaf({4, 3, 3, 2}, 2), b = leaf({4}, 3);
  // x.transpose(1, 3) is (2, 3, 6, 5) with strides no kernel expects; the result must match a contiguous copy.
  Tensor xt = x.transpose(1, 3);
  Tensor want = conv2d(xt.contiguous(), w, b, 1, 1);
  EXPECT_TRUE(golden::close(conv2d(xt, w, b, 1, 1), want, 1e-12, 1e-12));
  EXPECT_TRUE(gradcheck(wrap([](const tensor_list& t) { return conv2d(t[0].transpose(1, 3), t[1], t[2], 2, 1); }),
                        {x, w, b}));
  // Unbatched (C, H, W) input gives the batched result without its batch dim.
  Tensor single = conv2d(xt.select(0, 1), w, b, 1, 1);
  EXPECT_TRUE(golden::close(single, want.select(0, 1), 1e-12, 1e-12));
  Tensor t1 = conv_transpose1d(leaf({3, 4}, 4), leaf({3, 2, 2}, 5), std::nullopt, 2);
  EXPECT_EQ(t1.sizes(), IntArrayRef({2, 8}));
}

TEST(Conv, EmptyBatchAndChannels) {
  Tensor w = leaf({6, 4, 3, 3}, 1), b = leaf({6}, 2);
  Tensor x = zeros({0, 4, 5, 5}, kFloat64).requires_grad_();
  Tensor y = conv2d(x, w, b);
  EXPECT_EQ(y.sizes(), IntArrayRef({0, 6, 3, 3}));
  y.sum().backward();
  EXPECT_EQ(x.grad().sizes(), IntArrayRef({0, 4, 5, 5}));
  EXPECT_TRUE(golden::close(w.grad(), zeros({6, 4, 3, 3}, kFloat64)));
  EXPECT_TRUE(golden::close(b.grad(), zeros({6}, kFloat64)));
  // No input channels: the output is the bias alone.
  Tensor y0 = conv2d(zeros({2, 0, 4, 4}, kFloat64), zeros({3, 0, 3, 3}, kFloat64), ones({3}, kFloat64));
  EXPECT_TRUE(golden::close(y0, ones({2, 3, 2, 2}, kFloat64)));
  Tensor t = conv_transpose2d(zeros({0, 4, 3, 3}), zeros({4, 2, 3, 3}));
  EXPECT_EQ(t.sizes(), IntArrayRef({0, 2, 5, 5}));
}

TEST(Conv, ReducedFloatsComputeInFloat32) {
  const auto& g = gold();
  for (DType dt : {kFloat16, kBFloat16}) {
    Tensor x = g["conv3.x"].to(dt), w = g["conv3.w"].to(dt), b = g["conv3.b"].to(dt);
    Tensor y = conv2d(x, w, b, IntArrayRef({2, 1}), IntArrayRef({1, 0}), IntArrayRef({1, 2}));
    EXPECT_EQ(y.dtype(), dt);
    // Rounding the inputs to dt is the only error: the float32 result of the rounded inputs, rounded once.
    Tensor want = conv2d(x.to(kFloat32), w.to(kFloat32), b.to(kFloat32), IntArrayRef({2, 1}), IntArrayRef({1, 0}),
                         IntArrayRef({1, 2}))
                      .to(dt);
    EXPECT_TRUE(golden::close(y, want, 0, 0));
  }
}

TEST(Conv, SkipsInputGradientWhenNotNeeded) {
  // The first layer of a network: only weight and bias need gradients.
  const auto& g = gold();
  Tensor x = g["conv10.x"], w = g["conv10.w"].requires_grad_(), b = g["conv10.b"].requires_grad_();
  Tensor y = conv2d(x, w, b);
  y.backward(g["conv10.gy"]);
  EXPECT_FALSE(x.grad().defined());
  EXPECT_TRUE(golden::close(w.grad(), g["conv10.gw"], 1e-10, 1e-10));
}

TEST(Pad, Golden) {
  const auto& g = gold();
  for (int64_t i = 0; i < count("pad"); ++i) {
    const std::string p = "pad" + std::to_string(i) + ".";
    const char* mode = kPadModes[ints(g[p + "mode"])[0]];
    SCOPED_TRACE(p + mode);
    const std::vector<int64_t> pad = ints(g[p + "pad"]);
    const double value = g[p + "value"].item<double>();
    for (DType dt : {kFloat64, kFloat32}) {
      Tensor x = g[p + "x"].to(dt).requires_grad_();
      Tensor y = std::string(mode) == "constant" ? F::pad(x, pad, mode, value) : F::pad(x, pad, mode);
      EXPECT_TRUE(golden::close(y, g[p + "y"].to(dt), 0, 0));
      y.backward(g[p + "gy"].to(dt));
      EXPECT_TRUE(golden::close(x.grad(), g[p + "gx"].to(dt), 1e-6, 1e-6));
    }
    Tensor x = leaf(g[p + "x"].sizes(), unsigned(i));
    auto f = wrap([&](const tensor_list& t) {
      return std::string(mode) == "constant" ? F::pad(t[0], pad, mode, value) : F::pad(t[0], pad, mode);
    });
    EXPECT_TRUE(gradcheck(f, {x}));
    EXPECT_TRUE(gradgradcheck(f, {x}));
  }
}

TEST(Pad, ConstantPadNd) {
  Tensor x = arange(6, TensorOptions(kFloat32)).reshape({2, 3});
  Tensor y = constant_pad_nd(x, {1, 0, 0, 1}, 7);
  EXPECT_TRUE(golden::close(y, tensor(std::vector<float>{7, 0, 1, 2, 7, 3, 4, 5, 7, 7, 7, 7}).reshape({3, 4}), 0, 0));
  // No padding still returns a new tensor, as PyTorch does.
  Tensor same = constant_pad_nd(x, {0, 0});
  EXPECT_FALSE(same.is_same(x));
  EXPECT_NE(same.data_ptr(), x.data_ptr());
}

TEST(Fold, Golden) {
  const auto& g = gold();
  for (int64_t i = 0; i < count("fold"); ++i) {
    const std::string p = "fold" + std::to_string(i) + ".";
    SCOPED_TRACE(p);
    const auto k = ints(g[p + "kernel"]), d = ints(g[p + "dilation"]), pd = ints(g[p + "padding"]),
               st = ints(g[p + "stride"]);
    Tensor x0 = g[p + "x"];
    const std::vector<int64_t> out_size{x0.size(-2), x0.size(-1)};
    for (DType dt : {kFloat64, kFloat32}) {
      Tensor x = x0.to(dt).detach().requires_grad_();
      Tensor cols = F::unfold(x, k, d, pd, st);
      EXPECT_TRUE(golden::close(cols, g[p + "cols"].to(dt), 0, 0));
      cols.backward(g[p + "gcols"].to(dt));
      EXPECT_TRUE(golden::close(x.grad(), g[p + "gx"].to(dt), 1e-6, 1e-6));
      Tensor c = g[p + "cols_in"].to(dt).requires_grad_();
      Tensor z = F::fold(c, out_size, k, d, pd, st);
      EXPECT_TRUE(golden::close(z, g[p + "folded"].to(dt), 1e-6, 1e-6));
      z.backward(g[p + "gz"].to(dt));
      EXPECT_TRUE(golden::close(c.grad(), g[p + "gcols_in"].to(dt), 0, 0));
    }
    auto unfold = wrap([&](const tensor_list& t) { return F::unfold(t[0], k, d, pd, st); });
    auto fold = wrap([&](const tensor_list& t) { return F::fold(t[0], out_size, k, d, pd, st); });
    EXPECT_TRUE(gradcheck(unfold, {leaf(x0.sizes(), 1)}));
    EXPECT_TRUE(gradgradcheck(unfold, {leaf(x0.sizes(), 1)}));
    EXPECT_TRUE(gradcheck(fold, {leaf(g[p + "cols_in"].sizes(), 2)}));
    EXPECT_TRUE(gradgradcheck(fold, {leaf(g[p + "cols_in"].sizes(), 2)}));
  }
}

namespace {
template <class Fn>
void expect_error(Fn f, const std::string& message) {
  try {
    f();
    ADD_FAILURE() << "no error; expected: " << message;
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}
}  // namespace

TEST(Conv, Errors) {
  Tensor x = zeros({2, 4, 5, 5}), w = zeros({6, 4, 3, 3});
  expect_error([&] { conv2d(zeros({4, 5}), w); },
               "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [4, 5]");
  expect_error([&] { conv1d(x, zeros({6, 4, 3})); },
               "Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: [2, 4, 5, 5]");
  expect_error([&] { conv2d(x, zeros({6, 3, 3, 3})); },
               "Given groups=1, weight of size [6, 3, 3, 3], expected input[2, 4, 5, 5] to have 3 channels, but got "
               "4 channels instead");
  expect_error([&] { conv2d(zeros({4, 5, 5}), zeros({6, 2, 3, 3})); },
               "Given groups=1, weight of size [6, 2, 3, 3], expected input[1, 4, 5, 5] to have 2 channels, but got "
               "4 channels instead");
  expect_error([&] { conv2d(x, w, std::nullopt, 1, 0, 1, 4); },
               "Given groups=4, expected weight to be divisible by 4 at dimension 0, but got weight of size "
               "[[6, 4, 3, 3]] instead");
  expect_error([&] { conv2d(x, zeros({6, 4, 7, 7})); },
               "Calculated padded input size per channel: (5 x 5). Kernel size: (7 x 7). Kernel size can't be "
               "greater than actual input size");
  expect_error([&] { conv2d(x, w, std::nullopt, 2, "same"); },
               "padding='same' is not supported for strided convolutions");
  expect_error([&] { conv2d(x, w, std::nullopt, 1, "foo"); }, "Invalid padding string: 'foo'");
  expect_error([&] { conv2d(x, w, std::nullopt, 0); }, "non-positive stride is not supported");
  expect_error([&] { conv2d(x, w, std::nullopt, 1, -1); }, "negative padding is not supported");
  expect_error([&] { conv2d(x, w, std::nullopt, 1, 0, 0); }, "non-positive dilation is not supported");
  expect_error([&] { conv2d(x, w, std::nullopt, 1, 0, 1, 0); }, "non-positive groups is not supported");
  expect_error([&] { conv2d(x, w, zeros({5})); },
               "Given weight of size [6, 4, 3, 3], expected bias to be 1-dimensional with 6 elements, but got bias of "
               "size [5] instead");
  expect_error([&] { conv2d(x, w, std::nullopt, IntArrayRef({1, 1, 1})); },
               "expected stride to be a single integer value or a list of 2 values to match the convolution "
               "dimensions, but got stride=[1, 1, 1]");
  expect_error([&] { conv2d(x, w.to(kFloat64)); },
               "Input type (torch.FloatTensor) and weight type (torch.DoubleTensor) should be the same");
  expect_error([&] { conv_transpose2d(x, zeros({4, 3, 3, 3}), std::nullopt, 1, 0, 1); },
               "output padding must be smaller than either stride or dilation, but got output_padding_height: 1 "
               "output_padding_width: 1 stride_height: 1 stride_width: 1 dilation_height: 1 dilation_width: 1");
  expect_error([&] { conv_transpose2d(x, zeros({3, 3, 3, 3})); },
               "Given transposed=1, weight of size [3, 3, 3, 3], expected input[2, 4, 5, 5] to have 3 channels, but "
               "got 4 channels instead");
  expect_error([&] { conv_transpose2d(zeros({1, 4, 1, 1}), zeros({4, 3, 3, 3}), std::nullopt, 1, 3); },
               "Given input size per channel: (1 x 1). Calculated output size per channel: (-3 x -3). Output size is "
               "too small");
  // A failed op leaves nothing behind: no gradient history, the inputs unchanged.
  Tensor leaf_w = zeros({6, 3, 3, 3}).requires_grad_();
  EXPECT_THROW(conv2d(x, leaf_w), Error);
  EXPECT_FALSE(leaf_w.grad().defined());
}

TEST(Pad, Errors) {
  Tensor x = zeros({2, 4, 5, 5});
  expect_error([&] { F::pad(x, {1, 2, 3}); }, "Padding length must be divisible by 2");
  expect_error([&] { F::pad(x, {1, 1}, "reflect"); },
               "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
  expect_error([&] { F::pad(x, {1, 1}, "foo"); }, "Unrecognised padding mode foo");
  expect_error([&] { F::pad(x, {1, 1, 1, 1}, "reflect", 2.0); },
               "Padding mode \"reflect\" doesn't take in value argument");
  expect_error([&] { F::pad(x, {5, 5, 0, 0}, "reflect"); },
               "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding "
               "(5, 5) at dimension 3 of input 4");
  expect_error([&] { F::pad(zeros({2, 3, 4}), {4, 1}, "reflect"); },
               "Argument #4: Padding size should be less than the corresponding input dimension, but got: padding "
               "(4, 1) at dimension 2 of input [2, 3, 4]");
  expect_error([&] { F::pad(zeros({1, 2, 3, 4, 2}), {0, 0, 0, 0, 3, 0}, "reflect"); },
               "Argument #8: Padding size should be less than the corresponding input dimension, but got: padding "
               "(3, 0) at dimension 2 of input [1, 2, 3, 4, 2]");
  expect_error([&] { F::pad(x, {6, 6, 0, 0}, "circular"); }, "Padding value causes wrapping around more than once.");
  expect_error([&] { F::pad(zeros({2, 4, 0, 5}), {1, 1, 1, 1}, "replicate"); },
               "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for "
               "input, but got: [2, 4, 0, 5]");
  EXPECT_THROW(F::pad(x, {1, 1}, "foo"), NotImplementedError);
}

TEST(Fold, Errors) {
  expect_error([&] { F::unfold(zeros({2, 4, 5, 5}), 7); },
               "Given input with spatial size (5, 5), kernel_size=(7, 7), dilation=(1, 1), padding=(0, 0), calculated "
               "shape of the array of sliding blocks as (-1, -1), but its components must be at least one.");
  expect_error([&] { F::unfold(zeros({2, 4, 5, 5}), 2, 1, 0, 0); },
               "stride should be greater than zero, but got stride_height: 0 stride_width: 0");
  expect_error([&] { F::unfold(zeros({2, 2, 3, 12, 16}), 2); },
               "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for "
               "input, but got: [2, 2, 3, 12, 16]");
  expect_error([&] { F::fold(zeros({2, 13, 16}), {5, 5}, 2); },
               "Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got "
               "input.size(1)=13 and kernel_size=(2, 2).");
  expect_error([&] { F::fold(zeros({2, 12, 15}), {5, 5}, 2); },
               "Given output_size=(5, 5), kernel_size=(2, 2), dilation=(1, 1), padding=(0, 0), stride=(1, 1), "
               "expected size of input's dimension 2 to match the calculated number of sliding blocks 4 * 4 = 16, "
               "but got input.size(2)=15.");
  expect_error([&] { F::fold(zeros({2, 2, 12, 16}), {5, 5}, 2); },
               "Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions "
               "for input, but got: [2, 2, 12, 16]");
}
