// Resampling against PyTorch (tests/golden/gen_resample.py): interpolate in every mode with size or
// scale_factor, align_corners and recompute_scale_factor; grid_sample (gradients in input and grid);
// affine_grid (gradient in theta); pixel_(un)shuffle. float64 tight and float32 at float32
// tolerance; float64 gradcheck and gradgradcheck; the error cases with PyTorch's messages.
#include "golden.h"

#include <ember/nn/functional.h>

using namespace ember;
namespace F = ember::nn::functional;

namespace {
golden::File& G() {
  static golden::File g("resample");
  return g;
}
std::string key(const char* kind, int i, const char* what) { return detail::str(kind, ".", i, ".", what); }
std::vector<int64_t> ints(const Tensor& t) { return {t.data_ptr<int64_t>(), t.data_ptr<int64_t>() + t.numel()}; }
std::optional<bool> tri(int64_t v) { return v == 2 ? std::nullopt : std::optional<bool>(v == 1); }
const char* const kModes[] = {"nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area"};
double rtol(DType t) { return t == kFloat64 ? 1e-10 : 1e-4; }
double atol(DType t) { return t == kFloat64 ? 1e-12 : 1e-5; }

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

// Runs interpolate case i in dtype dt.
Tensor interp(int i, const Tensor& x) {
  std::vector<int64_t> c = ints(G()[key("interp", i, "cfg")]);
  std::vector<int64_t> size(c.begin() + 4, c.begin() + 4 + c[3]);
  Tensor s = G()[key("interp", i, "scale")];
  std::vector<double> scale(s.data_ptr<double>(), s.data_ptr<double>() + s.numel());
  return F::interpolate(x, size, scale, kModes[c[0]], tri(c[1]), tri(c[2]));
}
}  // namespace

TEST(Resample, InterpolateMatchesTorch) {
  for (int i = 0; G().has(key("interp", i, "x")); ++i)
    for (DType dt : {kFloat64, kFloat32}) {
      SCOPED_TRACE(key("interp", i, dtype_name(dt).data()));
      Tensor x = G()[key("interp", i, "x")].to(dt);
      if (i % 2) x = x.transpose(-1, -2).contiguous().transpose(-1, -2);
      x.requires_grad_(true);
      Tensor out = interp(i, x);
      EXPECT_TRUE(golden::close(out, G()[key("interp", i, "out")].to(dt), rtol(dt), atol(dt)));
      EXPECT_TRUE(golden::close(grad_of(out, x, G()[key("interp", i, "g")].to(dt)),
                                G()[key("interp", i, "gx")].to(dt), rtol(dt), atol(dt)));
    }
}

TEST(Resample, GridSampleMatchesTorch) {
  static const char* const pads[] = {"zeros", "border", "reflection"};
  for (int i = 0; G().has(key("grid", i, "x")); ++i)
    for (DType dt : {kFloat64, kFloat32}) {
      SCOPED_TRACE(key("grid", i, dtype_name(dt).data()));
      std::vector<int64_t> c = ints(G()[key("grid", i, "cfg")]);
      Tensor x = G()[key("grid", i, "x")].to(dt).requires_grad_(true);
      Tensor grid = G()[key("grid", i, "grid")].to(dt).requires_grad_(true);
      Tensor out = F::grid_sample(x, grid, c[0] ? "nearest" : "bilinear", pads[c[1]], c[2] == 1);
      EXPECT_TRUE(golden::close(out, G()[key("grid", i, "out")].to(dt), rtol(dt), atol(dt)));
      auto g = autograd::grad({out}, {x, grid}, {G()[key("grid", i, "g")].to(dt)}, std::nullopt, false, true);
      EXPECT_TRUE(golden::close(g[0], G()[key("grid", i, "gx")].to(dt), rtol(dt), atol(dt)));
      if (G().has(key("grid", i, "ggrid")))
        EXPECT_TRUE(golden::close(g[1], G()[key("grid", i, "ggrid")].to(dt), dt == kFloat64 ? 1e-9 : 1e-3,
                                  dt == kFloat64 ? 1e-10 : 1e-4));
      else
        EXPECT_TRUE(!g[1].defined() || golden::close(g[1], zeros_like(grid), 0, 0));
    }
}

TEST(Resample, AffineGridMatchesTorch) {
  for (int i = 0; G().has(key("affine", i, "theta")); ++i)
    for (DType dt : {kFloat64, kFloat32}) {
      SCOPED_TRACE(key("affine", i, dtype_name(dt).data()));
      std::vector<int64_t> size = ints(G()[key("affine", i, "size")]);
      bool ac = G()[key("affine", i, "ac")].item<double>() != 0;
      Tensor theta = G()[key("affine", i, "theta")].to(dt).requires_grad_(true);
      Tensor out = F::affine_grid(theta, size, ac);
      EXPECT_TRUE(golden::close(out, G()[key("affine", i, "out")].to(dt), rtol(dt), atol(dt)));
      EXPECT_TRUE(golden::close(grad_of(out, theta, G()[key("affine", i, "g")].to(dt)),
                                G()[key("affine", i, "gt")].to(dt), rtol(dt), atol(dt)));
    }
}

TEST(Resample, PixelShuffle) {
  Tensor x = G()["shuffle.x"].requires_grad_(true);
  Tensor out = F::pixel_shuffle(x, 2);
  EXPECT_TRUE(golden::close(out, G()["shuffle.out"], 0, 0));
  EXPECT_TRUE(golden::close(grad_of(out, x, G()["shuffle.g"]), G()["shuffle.gx"], 0, 0));
  EXPECT_TRUE(golden::close(pixel_shuffle(G()["shuffle.x5"], 3), G()["shuffle.out5"], 0, 0));
  EXPECT_TRUE(golden::close(F::pixel_unshuffle(G()["unshuffle.x"], 2), G()["unshuffle.out"], 0, 0));
  EXPECT_TRUE(golden::close(pixel_unshuffle(G()["unshuffle.x3"], 3), G()["unshuffle.out3"], 0, 0));
  EXPECT_TRUE(golden::close(pixel_unshuffle(pixel_shuffle(G()["shuffle.x5"], 3), 3), G()["shuffle.x5"], 0, 0));
}

TEST(Resample, HalfTypesComputeInFloat) {
  Tensor x = G()["interp.12.x"];
  for (DType dt : {kFloat16, kBFloat16}) {
    Tensor out = F::interpolate(x.to(dt), {7, 9}, {}, "bilinear", false);
    EXPECT_EQ(out.dtype(), dt);
    EXPECT_TRUE(golden::close(out.to(kFloat64), G()["interp.12.out"], 2e-2, 2e-2));
  }
}

TEST(Resample, Gradcheck) {
  auto one = [](std::function<Tensor(const Tensor&)> f) {
    return [f](const tensor_list& in) -> tensor_list { return {f(in[0])}; };
  };
  Tensor x3 = randn({1, 2, 5}, kFloat64).requires_grad_(true);
  Tensor x4 = randn({1, 2, 4, 5}, kFloat64).requires_grad_(true);
  Tensor x5 = randn({1, 1, 3, 4, 3}, kFloat64).requires_grad_(true);
  std::vector<std::pair<Tensor, std::function<Tensor(const Tensor&)>>> cases = {
      {x3, [](const Tensor& t) { return F::interpolate(t, 8, {}, "nearest"); }},
      {x3, [](const Tensor& t) { return F::interpolate(t, {}, {1.7}, "linear", false); }},
      {x4, [](const Tensor& t) { return F::interpolate(t, {6, 7}, {}, "bilinear", true); }},
      {x4, [](const Tensor& t) { return F::interpolate(t, {}, {1.5}, "bicubic", false); }},
      {x4, [](const Tensor& t) { return F::interpolate(t, {3, 7}, {}, "nearest-exact"); }},
      {x4, [](const Tensor& t) { return F::interpolate(t, {2, 3}, {}, "area"); }},
      {x5, [](const Tensor& t) { return F::interpolate(t, {4, 5, 2}, {}, "trilinear", false); }},
      {x4, [](const Tensor& t) { return F::pixel_unshuffle(t, 1); }},
      {x4, [](const Tensor& t) { return F::pixel_shuffle(t.reshape({1, 8, 1, 5}), 2); }},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_TRUE(autograd::gradcheck(one(cases[i].second), {cases[i].first})) << i;
    EXPECT_TRUE(autograd::gradgradcheck(one(cases[i].second), {cases[i].first})) << i;
  }
  // Grid points away from pixel centres and borders, where the bilinear weights are smooth.
  Tensor grid = (rand({1, 3, 2, 2}, kFloat64) * 1.6 - 0.8).requires_grad_(true);
  for (const char* pad : {"zeros", "border", "reflection"})
    for (bool ac : {false, true}) {
      auto f = [pad, ac](const tensor_list& in) -> tensor_list { return {F::grid_sample(in[0], in[1], "bilinear", pad, ac)}; };
      EXPECT_TRUE(autograd::gradcheck(f, {x4, grid})) << pad << ac;
      EXPECT_TRUE(autograd::gradgradcheck(f, {x4, grid})) << pad << ac;
    }
  Tensor theta = randn({2, 2, 3}, kFloat64).requires_grad_(true);
  EXPECT_TRUE(autograd::gradcheck(one([](const Tensor& t) { return F::affine_grid(t, {2, 1, 3, 4}, false); }), {theta}));
  Tensor theta3 = randn({1, 3, 4}, kFloat64).requires_grad_(true);
  EXPECT_TRUE(autograd::gradcheck(one([](const Tensor& t) { return F::affine_grid(t, {1, 1, 2, 3, 4}, true); }), {theta3}));
}

TEST(Resample, Errors) {
  Tensor x = randn({1, 2, 5, 5});
  expect_error<ValueError>([&] { F::interpolate(x, 3, {2.0}); }, "only one of size or scale_factor should be defined");
  expect_error<ValueError>([&] { F::interpolate(x); }, "either size or scale_factor should be defined");
  expect_error<NotImplementedError>([&] { F::interpolate(x, 3, {}, "linear"); }, "Got 4D input, but linear mode needs 3D input");
  expect_error<ValueError>([&] { F::interpolate(x, 3, {}, "nearest", true); },
                           "align_corners option can only be set with the interpolating modes: linear | bilinear | "
                           "bicubic | trilinear");
  expect_error<ValueError>([&] { F::interpolate(x, {3, 3, 3}); },
                           "Input and output must have the same number of spatial dimensions, but got input with spatial "
                           "dimensions of [5, 5] and output size of (3, 3, 3).");
  expect_error([&] { F::interpolate(x, 0); },
               "Input and output sizes should be greater than 0, but got input (H: 5, W: 5) output (H: 0, W: 0)");
  expect_error<NotImplementedError>([&] { F::interpolate(x, 3, {}, "foo"); },
                                    "Input Error: Only 3D, 4D and 5D input Tensors supported (got 4D) for the modes: "
                                    "nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got foo)");
  expect_error<ValueError>([&] { F::interpolate(x, 3, {}, "bilinear", false, true); },
                           "recompute_scale_factor is not meaningful with an explicit size.");
  expect_error([&] { F::pixel_shuffle(x, 2); },
               "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, "
               "but input.size(-3)=2 is not divisible by 4");
  expect_error([&] { F::pixel_unshuffle(x, 2); },
               "pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=5 is not "
               "divisible by 2");
  expect_error([&] { F::pixel_shuffle(randn({4, 4}), 2); }, "pixel_shuffle expects input to have at least 3 dimensions");
  expect_error([&] { F::grid_sample(x, zeros({1, 3, 3, 3})); },
               "grid_sampler(): expected grid to have size 2 in last dimension, but got grid with sizes [1, 3, 3, 3]");
  expect_error([&] { F::grid_sample(x, zeros({2, 3, 3, 2})); },
               "grid_sampler(): expected grid and input to have same batch size, but got input with sizes [1, 2, 5, 5] "
               "and grid with sizes [2, 3, 3, 2]");
  expect_error<ValueError>([&] { F::grid_sample(x, zeros({1, 3, 3, 2}), "bicubic2"); },
                           "nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', but "
                           "got: 'bicubic2'");
  expect_error<ValueError>([&] { F::affine_grid(zeros({1, 3, 3}), {1, 1, 4, 4}); },
                           "Expected a batch of 2D affine matrices of shape Nx2x3 for size (1, 1, 4, 4). Got "
                           "ember.Size([1, 3, 3]).");
  expect_error<ValueError>([&] { F::affine_grid(zeros({1, 2, 3}, kInt64), {1, 1, 4, 4}); },
                           "Expected theta to have floating point type, but got ember.int64");
  expect_error<NotImplementedError>([&] { F::interpolate(zeros({1, 1, 2, 2, 2}), {4}, {}, "bicubic"); },
                                    "Input Error: Only 3D, 4D and 5D input Tensors supported (got 5D) for the modes: "
                                    "nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got "
                                    "bicubic)");
  expect_error<ValueError>([&] { F::affine_grid(zeros({1, 2, 3}), {1, 1, 0, 4}); },
                           "Expected non-zero, positive output size. Got (1, 1, 0, 4)");
}
