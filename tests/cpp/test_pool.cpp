// Pooling against PyTorch (tests/golden/gen_pool.py): values, indices and the gradients of random
// upstream gradients, in float64 (tight) and float32 (float32 tolerance), contiguous and not; float64
// gradcheck and gradgradcheck per op; the error cases with PyTorch's messages.
#include "golden.h"

#include <ember/nn/functional.h>

using namespace ember;
namespace F = ember::nn::functional;

namespace {
golden::File& G() {
  static golden::File g("pool");
  return g;
}
std::string key(const char* kind, int i, const char* what) { return detail::str(kind, ".", i, ".", what); }

// The config ints of a case, read in order.
struct Cfg {
  std::vector<int64_t> v;
  size_t pos = 0;
  explicit Cfg(const Tensor& t) : v(t.data_ptr<int64_t>(), t.data_ptr<int64_t>() + t.numel()) {}
  int64_t next() { return v.at(pos++); }
  DimVector take(int64_t n) {
    DimVector out;
    for (int64_t i = 0; i < n; ++i) out.push_back(next());
    return out;
  }
};

// Same values, transposed strides: exercises the non-contiguous path.
Tensor strided(const Tensor& t) { return t.transpose(-1, -2).contiguous().transpose(-1, -2); }

// Tolerances per dtype: float64 against float64 PyTorch, float32 against the same values.
double rtol(DType t) { return t == kFloat64 ? 1e-10 : 1e-5; }
double atol(DType t) { return t == kFloat64 ? 1e-12 : 1e-5; }

Tensor input(const std::string& name, DType dt, bool non_contiguous) {
  Tensor x = G()[name].to(dt);
  if (non_contiguous) x = strided(x);
  return x.requires_grad_(true);
}

Tensor grad_of(const Tensor& out, const Tensor& x, const Tensor& g) { return autograd::grad({out}, {x}, {g})[0]; }

template <class E = Error, class Fn>
void expect_error(const Fn& f, const std::string& text) {
  try {
    f();
    ADD_FAILURE() << "expected an error containing: " << text;
  } catch (const E& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}

autograd::GradcheckFn one(std::function<Tensor(const Tensor&)> f) {
  return [f](const tensor_list& in) -> tensor_list { return {f(in[0])}; };
}
}  // namespace

TEST(Pool, MaxPoolAndUnpoolMatchTorch) {
  for (int i = 0; G().has(key("max", i, "x")); ++i)
    for (DType dt : {kFloat64, kFloat32}) {
      Cfg c(G()[key("max", i, "cfg")]);
      int64_t nd = c.next();
      bool ceil = c.next();
      DimVector k = c.take(nd), s = c.take(nd), p = c.take(nd), d = c.take(nd);
      Tensor x = input(key("max", i, "x"), dt, i % 2 == 1);
      auto fn = nd == 1 ? max_pool1d_with_indices : nd == 2 ? max_pool2d_with_indices : max_pool3d_with_indices;
      auto [out, idx] = fn(x, k, s, p, d, ceil);
      SCOPED_TRACE(key("max", i, dtype_name(dt).data()));
      EXPECT_TRUE(golden::close(out, G()[key("max", i, "out")].to(dt), rtol(dt), atol(dt)));
      EXPECT_TRUE(golden::close(idx, G()[key("max", i, "idx")], 0, 0));
      EXPECT_TRUE(golden::close(grad_of(out, x, G()[key("max", i, "g")].to(dt)), G()[key("max", i, "gx")].to(dt),
                                rtol(dt), atol(dt)));
      // The plain form gives the same values.
      auto plain = nd == 1 ? max_pool1d : nd == 2 ? max_pool2d : max_pool3d;
      EXPECT_TRUE(golden::close(plain(x, k, s, p, d, ceil), out, 0, 0));

      DimVector spatial;
      for (int64_t j = x.dim() - nd; j < x.dim(); ++j) spatial.push_back(x.size(j));
      Tensor y = out.detach().requires_grad_(true);
      Tensor u = nd == 1 ? max_unpool1d(y, idx, spatial) : nd == 2 ? max_unpool2d(y, idx, spatial)
                                                                     : max_unpool3d(y, idx, spatial);
      EXPECT_TRUE(golden::close(u, G()[key("max", i, "unpool")].to(dt), rtol(dt), atol(dt)));
      EXPECT_TRUE(golden::close(grad_of(u, y, G()[key("max", i, "unpool_g")].to(dt)),
                                G()[key("max", i, "unpool_gx")].to(dt), rtol(dt), atol(dt)));
    }
}

TEST(Pool, MaxPoolNanWinsLastNanIndex) {
  auto [out, idx] = max_pool2d_with_indices(G()["nan.x"], 2);
  EXPECT_TRUE(golden::close(out, G()["nan.out"], 0, 0));
  EXPECT_TRUE(golden::close(idx, G()["nan.idx"], 0, 0));
}

TEST(Pool, AvgPoolMatchesTorch) {
  for (int i = 0; G().has(key("avg", i, "x")); ++i)
    for (DType dt : {kFloat64, kFloat32}) {
      Cfg c(G()[key("avg", i, "cfg")]);
      int64_t nd = c.next();
      bool ceil = c.next(), cip = c.next();
      int64_t div = c.next();
      DimVector k = c.take(nd), s = c.take(nd), p = c.take(nd);
      std::optional<int64_t> divisor = div ? std::optional<int64_t>(div) : std::nullopt;
      Tensor x = input(key("avg", i, "x"), dt, i % 2 == 0);
      Tensor out = nd == 1 ? avg_pool1d(x, k, s, p, ceil, cip)
                   : nd == 2 ? avg_pool2d(x, k, s, p, ceil, cip, divisor)
                             : avg_pool3d(x, k, s, p, ceil, cip, divisor);
      SCOPED_TRACE(key("avg", i, dtype_name(dt).data()));
      EXPECT_TRUE(golden::close(out, G()[key("avg", i, "out")].to(dt), rtol(dt), atol(dt)));
      EXPECT_TRUE(golden::close(grad_of(out, x, G()[key("avg", i, "g")].to(dt)), G()[key("avg", i, "gx")].to(dt),
                                rtol(dt), atol(dt)));
    }
}

TEST(Pool, AdaptivePoolsMatchTorch) {
  for (int i = 0; G().has(key("adaptive", i, "x")); ++i)
    for (DType dt : {kFloat64, kFloat32}) {
      Cfg c(G()[key("adaptive", i, "cfg")]);
      int64_t nd = c.next();
      DimVector osz = c.take(nd);
      Tensor x = input(key("adaptive", i, "x"), dt, i % 2 == 1);
      SCOPED_TRACE(key("adaptive", i, dtype_name(dt).data()));
      Tensor avg = nd == 1 ? adaptive_avg_pool1d(x, osz) : nd == 2 ? adaptive_avg_pool2d(x, osz)
                                                                    : adaptive_avg_pool3d(x, osz);
      EXPECT_TRUE(golden::close(avg, G()[key("adaptive", i, "avg")].to(dt), rtol(dt), atol(dt)));
      EXPECT_TRUE(golden::close(grad_of(avg, x, G()[key("adaptive", i, "avg_g")].to(dt)),
                                G()[key("adaptive", i, "avg_gx")].to(dt), rtol(dt), atol(dt)));
      auto [mx, idx] = nd == 1 ? adaptive_max_pool1d(x, osz) : nd == 2 ? adaptive_max_pool2d(x, osz)
                                                                        : adaptive_max_pool3d(x, osz);
      EXPECT_TRUE(golden::close(mx, G()[key("adaptive", i, "max")].to(dt), rtol(dt), atol(dt)));
      EXPECT_TRUE(golden::close(idx, G()[key("adaptive", i, "max_idx")], 0, 0));
      EXPECT_TRUE(golden::close(grad_of(mx, x, G()[key("adaptive", i, "max_g")].to(dt)),
                                G()[key("adaptive", i, "max_gx")].to(dt), rtol(dt), atol(dt)));
    }
}

TEST(Pool, LpPoolMatchesTorch) {
  for (int i = 0; G().has(key("lp", i, "x")); ++i) {
    Cfg c(G()[key("lp", i, "cfg")]);
    int64_t nd = c.next();
    bool ceil = c.next();
    int64_t k = c.next(), s = c.next();
    double pnorm = G()[key("lp", i, "p")].item<double>();
    Tensor x = input(key("lp", i, "x"), kFloat64, false);
    Tensor out = nd == 1 ? F::lp_pool1d(x, pnorm, k, s, ceil) : F::lp_pool2d(x, pnorm, k, s, ceil);
    EXPECT_TRUE(golden::close(out, G()[key("lp", i, "out")], 1e-10, 1e-12)) << i;
    EXPECT_TRUE(golden::close(grad_of(out, x, G()[key("lp", i, "g")]), G()[key("lp", i, "gx")], 1e-9, 1e-12)) << i;
  }
}

TEST(Pool, FunctionalNames) {
  Tensor x = G()["max.0.x"];
  auto [v, i] = F::max_pool2d_with_indices(x, 2);
  EXPECT_TRUE(golden::close(v, G()["max.0.out"], 0, 0));
  EXPECT_TRUE(golden::close(F::max_pool2d(x, {2, 2}), v, 0, 0));
  // F.max_unpool2d's default output size: (in - 1) * stride - 2 * padding + kernel_size.
  EXPECT_TRUE(golden::close(F::max_unpool2d(v, i, 2), G()["max.0.unpool"], 0, 0));
  EXPECT_TRUE(golden::close(F::max_unpool2d(v, i, 2, {}, 0, {2, 3, 8, 8}), G()["max.0.unpool"], 0, 0));
  Tensor a = G()["adaptive.0.x"];
  EXPECT_TRUE(golden::close(F::adaptive_max_pool2d(a, 4), G()["adaptive.0.max"], 0, 0));
  EXPECT_TRUE(golden::close(std::get<1>(F::adaptive_max_pool2d_with_indices(a, {4, 4})), G()["adaptive.0.max_idx"], 0, 0));
  EXPECT_TRUE(golden::close(F::adaptive_avg_pool2d(a, 4), G()["adaptive.0.avg"], 1e-12, 1e-12));
}

TEST(Pool, HalfTypesComputeInFloat) {
  for (DType dt : {kFloat16, kBFloat16}) {
    Tensor x = G()["avg.1.x"].to(dt);
    Tensor out = avg_pool2d(x, 3, 2, 1);
    EXPECT_EQ(out.dtype(), dt);
    EXPECT_TRUE(golden::close(out.to(kFloat64), avg_pool2d(x.to(kFloat64), 3, 2, 1), 1e-2, 1e-2));
    auto [m, idx] = max_pool2d_with_indices(x, 2);
    EXPECT_EQ(m.dtype(), dt);
    EXPECT_TRUE(golden::close(m, x.to(kFloat64).flatten(-2).gather(-1, idx.flatten(-2)).view(m.sizes()).to(dt), 0, 0));
  }
}

TEST(Pool, EmptyBatch) {
  Tensor x = zeros({0, 3, 6, 6});
  EXPECT_TRUE(max_pool2d(x, 2).sizes().equals({0, 3, 3, 3}));
  EXPECT_TRUE(avg_pool2d(x, 2).sizes().equals({0, 3, 3, 3}));
  EXPECT_TRUE(adaptive_avg_pool2d(x, {2, 2}).sizes().equals({0, 3, 2, 2}));
}

TEST(Pool, Gradcheck) {
  Tensor x4 = randn({2, 2, 7, 6}, kFloat64).requires_grad_(true);
  Tensor x3 = randn({2, 3, 9}, kFloat64).requires_grad_(true);
  Tensor x5 = randn({1, 2, 5, 4, 6}, kFloat64).requires_grad_(true);
  std::vector<std::pair<const char*, std::function<Tensor(const Tensor&)>>> fns = {
      {"max_pool1d", [](const Tensor& t) { return max_pool1d(t, 3, 2, 1, 2, true); }},
      {"max_pool2d", [](const Tensor& t) { return max_pool2d(t, 2); }},
      {"max_pool2d_pad", [](const Tensor& t) { return max_pool2d(t, {3, 2}, {2, 1}, {1, 1}, 1, true); }},
      {"max_pool3d", [](const Tensor& t) { return max_pool3d(t, 2, 1, 1, {1, 2, 1}, false); }},
      {"avg_pool1d", [](const Tensor& t) { return avg_pool1d(t, 3, 2, 1, true, false); }},
      {"avg_pool2d", [](const Tensor& t) { return avg_pool2d(t, 3, 2, 1, true, true, 4); }},
      {"avg_pool3d", [](const Tensor& t) { return avg_pool3d(t, 2, 2, 1, false, false); }},
      {"adaptive_avg_pool1d", [](const Tensor& t) { return adaptive_avg_pool1d(t, 4); }},
      {"adaptive_avg_pool2d", [](const Tensor& t) { return adaptive_avg_pool2d(t, {3, 4}); }},
      {"adaptive_avg_pool3d", [](const Tensor& t) { return adaptive_avg_pool3d(t, {2, 3, 4}); }},
      {"adaptive_max_pool1d", [](const Tensor& t) { return std::get<0>(adaptive_max_pool1d(t, 4)); }},
      {"adaptive_max_pool2d", [](const Tensor& t) { return std::get<0>(adaptive_max_pool2d(t, {4, 5})); }},
      {"adaptive_max_pool3d", [](const Tensor& t) { return std::get<0>(adaptive_max_pool3d(t, {2, 2, 3})); }},
      {"lp_pool2d", [](const Tensor& t) { return F::lp_pool2d(t.abs() + 0.5, 2.5, 2); }},
  };
  for (auto& [name, f] : fns) {
    const Tensor& x = std::string(name).find("1d") != std::string::npos   ? x3
                      : std::string(name).find("3d") != std::string::npos ? x5
                                                                          : x4;
    EXPECT_TRUE(autograd::gradcheck(one(f), {x})) << name;
    EXPECT_TRUE(autograd::gradgradcheck(one(f), {x})) << name;
  }
  auto [v, idx] = max_pool2d_with_indices(x4.detach(), 2);
  Tensor y = randn(v.sizes(), kFloat64).requires_grad_(true);
  auto unpool = one([idx = idx](const Tensor& t) { return max_unpool2d(t, idx, {7, 6}); });
  EXPECT_TRUE(autograd::gradcheck(unpool, {y}));
  EXPECT_TRUE(autograd::gradgradcheck(unpool, {y}));
}

TEST(Pool, Errors) {
  Tensor x = randn({1, 2, 5, 5});
  expect_error([&] { max_pool2d(x, 2, {}, 2); }, "pad should be at most half of kernel size, but got pad=2 and kernel_size=2");
  expect_error([&] { max_pool2d(x, 7); },
               "Given input size: (2x5x5). Calculated output size: (2x0x0). Output size is too small");
  expect_error([&] { max_pool2d(x, 0); }, "stride should not be zero");
  expect_error([&] { max_pool2d(x, 0, 1); }, "kernel size should be greater than zero, but got kH: 0 kW: 0");
  expect_error([&] { max_pool2d(x, 2, 2, 0, 0); }, "dilation should be greater than zero, but got dilationH: 0 dilationW: 0");
  expect_error([&] { max_pool2d(x, 2, 2, -1); }, "pad must be non-negative");
  expect_error([&] { max_pool2d(randn({5, 5}), 2); }, "non-empty 3D or 4D (batch mode) tensor expected for input");
  expect_error([&] { max_pool2d(randn({2, 0, 4, 4}), 2); },
               "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:[2, 0, 4, 4]");
  expect_error([&] { max_pool1d(randn({5}), 2); },
               "max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:[5]");
  expect_error([&] { max_pool3d(randn({2, 3, 3}), 2); }, "non-empty 4D or 5D (batch mode) tensor expected for input");
  expect_error([&] { max_pool2d(x, {2, 2, 2}); }, "max_pool2d: kernel_size must either be a single int, or a tuple of two ints");
  expect_error([&] { max_pool3d(randn({1, 2, 4, 4, 4}), 2, {1, 1}); },
               "max_pool3d: stride must either be omitted, a single int, or a tuple of three ints");
  expect_error<NotImplementedError>([&] { max_pool2d(ones({1, 2, 4, 4}, kInt64), 2); },
                                    "\"max_pool2d\" not implemented for 'Long'");
  expect_error([&] { avg_pool2d(x, 2, {}, 2); }, "pad should be at most half of kernel size, but got pad=2 and kernel_size=2");
  expect_error([&] { avg_pool2d(x, 2, {}, 0, false, true, 0); }, "divisor must be not zero");
  expect_error([&] { avg_pool3d(randn({1, 2, 5, 5, 5}), 6); }, "Output size is too small");
  expect_error([&] { adaptive_avg_pool2d(randn({1, 2, 0, 5}), {2, 2}); },
               "adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has "
               "sizes [1, 2, 0, 5] with dimension 2 being empty");
  expect_error([&] { adaptive_avg_pool2d(randn({5, 5}), {2, 2}); },
               "adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got [5, 5]");
  expect_error([&] { adaptive_max_pool2d(randn({5, 5}), {2, 2}); },
               "adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: [5, 5]");
  expect_error([&] { adaptive_max_pool1d(zeros({2, 3, 4, 4}), 2); },
               "Expected 2 to 3 dimensions, but got 4-dimensional tensor for argument #1 'self' (while checking "
               "arguments for adaptive_max_pool1d)");
  expect_error([&] { adaptive_avg_pool1d(zeros({4}), 2); },
               "Expected 2 to 3 dimensions, but got 1-dimensional tensor for argument #1 'self' (while checking "
               "arguments for adaptive_avg_pool1d)");
  expect_error([&] { adaptive_avg_pool2d(x, {2, -1}); },
               "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {2, -1}");
  Tensor v = randn({1, 2, 2, 2});
  expect_error([&] { max_unpool2d(v, full({1, 2, 2, 2}, 30, kInt64), {4, 4}); },
               "Found an invalid max index: 30 (output volumes are of size 4x4");
  expect_error([&] { max_unpool1d(randn({2, 3}), full({2, 3}, -1, kInt64), {6}); },
               "Found an invalid max index: -1 (output volumes are of size 6x1");
  expect_error([&] { max_unpool2d(v, zeros({1, 2, 3, 2}, kInt64), {4, 4}); },
               "Expected shape of indices to be same as that of the input tensor ([1, 2, 2, 2]) but got indices tensor "
               "with shape: [1, 2, 3, 2]");
  expect_error<ValueError>([&] { F::max_unpool2d(v, zeros({1, 2, 2, 2}, kInt64), 2, {}, 0, {9, 9}); },
                           "invalid output_size \"(9, 9)\" (dim 0 must be between 2 and 6)");
  expect_error<ValueError>([&] { F::max_unpool2d(v, zeros({1, 2, 2, 2}, kInt64), 2, {}, 0, {1, 2, 9, 9}); },
                           "invalid output_size \"(9, 9)\" (dim 0 must be between 2 and 6)");
  expect_error<ValueError>([&] { F::max_unpool1d(randn({2, 3}), zeros({2, 3}, kInt64), 2, {}, 0, {9}); },
                           "invalid output_size \"(9,)\" (dim 0 must be between 4 and 8)");
  // A failed op leaves its input as it was.
  Tensor before = x.clone();
  expect_error([&] { max_pool2d(x, 7); }, "Output size is too small");
  EXPECT_TRUE(golden::close(x, before, 0, 0));
}
