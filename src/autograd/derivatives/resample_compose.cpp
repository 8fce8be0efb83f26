// Resampling composed from public ops, so gradients (and double backward) come from those ops.
// upsample_*: every mode is separable, so each spatial dim is resampled in turn as a sum over taps
// of index_select(input, dim, tap index) * tap weight, with the taps from PyTorch's coordinate rules
// (UpSample.h); index_select's gradient is an index_add. grid_sampler gathers the 2^nd corners of
// each sample point, with weights computed from the grid by pointwise ops, which gives the gradient
// in the grid too. affine_grid_generator is one matmul, pixel_(un)shuffle a reshape-permute-reshape.
#include <ember/ops/factory.h>
#include <ember/ops/index.h>
#include <ember/ops/linalg.h>
#include <ember/ops/pointwise.h>
#include <ember/ops/resample.h>
#include <ember/ops/shape.h>

#include <cmath>
#include <string>
#include <vector>

namespace ember {

namespace {

enum class Mode { Nearest, NearestExact, Linear, Cubic };

// One spatial dim's resampling: out[o] = sum over taps t of weight[t][o] * in[index[t][o]].
struct Taps {
  std::vector<std::vector<int64_t>> index;
  std::vector<std::vector<double>> weight;  // empty for nearest modes
};

// PyTorch's area_pixel_compute_scale: the step in input coordinates per output pixel.
double area_scale(int64_t in, int64_t out, bool align_corners, std::optional<double> scale) {
  if (align_corners) return out > 1 ? double(in - 1) / double(out - 1) : 0.0;
  return scale && *scale > 0 ? 1.0 / *scale : double(in) / double(out);
}

// PyTorch's area_pixel_compute_source_index.
double source_index(double scale, int64_t dst, bool align_corners, bool cubic) {
  if (align_corners) return scale * double(dst);
  double src = scale * (double(dst) + 0.5) - 0.5;
  return !cubic && src < 0 ? 0.0 : src;
}

double cubic1(double x, double a) { return ((a + 2) * x - (a + 3)) * x * x + 1; }
double cubic2(double x, double a) { return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a; }

Taps make_taps(Mode mode, int64_t in, int64_t out, bool align_corners, const std::optional<double>& scale) {
  Taps t;
  if (mode == Mode::Nearest || mode == Mode::NearestExact) {
    // In float, as PyTorch's nearest_idx computes it, so ties land on the same pixel.
    float s = scale && *scale > 0 ? float(1.0 / *scale) : float(in) / float(out);
    std::vector<int64_t> idx(static_cast<size_t>(out));
    for (int64_t o = 0; o < out; ++o) {
      int64_t src;
      if (mode == Mode::Nearest)
        src = out == in ? o : out == 2 * in ? o >> 1 : int64_t(std::floor(float(o) * s));
      else
        src = int64_t(std::floor(float((double(o) + 0.5) * double(s))));
      idx[size_t(o)] = std::min(src, in - 1);
    }
    t.index.push_back(std::move(idx));
    return t;
  }
  double s = area_scale(in, out, align_corners, scale);
  if (mode == Mode::Linear) {
    t.index.assign(2, std::vector<int64_t>(size_t(out)));
    t.weight.assign(2, std::vector<double>(size_t(out)));
    for (int64_t o = 0; o < out; ++o) {
      double src = source_index(s, o, align_corners, false);
      int64_t x0 = std::min(int64_t(src), in - 1);
      double l1 = src - double(x0);
      t.index[0][size_t(o)] = x0;
      t.index[1][size_t(o)] = x0 + (x0 < in - 1 ? 1 : 0);
      t.weight[0][size_t(o)] = 1 - l1;
      t.weight[1][size_t(o)] = l1;
    }
    return t;
  }
  const double a = -0.75;
  t.index.assign(4, std::vector<int64_t>(size_t(out)));
  t.weight.assign(4, std::vector<double>(size_t(out)));
  for (int64_t o = 0; o < out; ++o) {
    double real = source_index(s, o, align_corners, true);
    double x = std::floor(real), f = real - x;
    double w[4] = {cubic2(f + 1, a), cubic1(f, a), cubic1(1 - f, a), cubic2(2 - f, a)};
    for (int k = 0; k < 4; ++k) {
      t.index[size_t(k)][size_t(o)] = std::clamp<int64_t>(int64_t(x) - 1 + k, 0, in - 1);
      t.weight[size_t(k)][size_t(o)] = w[k];
    }
  }
  return t;
}

template <class T>
Tensor vector_tensor(const std::vector<T>& v, DType dtype, Device device) {
  Tensor t = empty({int64_t(v.size())}, TensorOptions().dtype(std::is_same_v<T, double> ? kFloat64 : kInt64));
  std::copy(v.begin(), v.end(), t.data_ptr<T>());
  return t.to(dtype).to(device);
}

Tensor resample_dim(const Tensor& x, int64_t dim, const Taps& taps) {
  DimVector wshape(size_t(x.dim()), 1);
  wshape[size_t(dim)] = -1;
  Tensor out;
  for (size_t k = 0; k < taps.index.size(); ++k) {
    Tensor part = index_select(x, dim, vector_tensor(taps.index[k], kInt64, x.device()));
    if (!taps.weight.empty()) part = part * vector_tensor(taps.weight[k], x.dtype(), x.device()).view(wshape);
    out = out.defined() ? out + part : part;
  }
  return out;
}

const char* mode_name(Mode m, int nd) {
  static const char* const names[4][3] = {{"upsample_nearest1d", "upsample_nearest2d", "upsample_nearest3d"},
                                          {"_upsample_nearest_exact1d", "_upsample_nearest_exact2d",
                                           "_upsample_nearest_exact3d"},
                                          {"upsample_linear1d", "upsample_bilinear2d", "upsample_trilinear3d"},
                                          {"", "upsample_bicubic2d", ""}};
  return names[int(m)][nd - 1];
}

Tensor upsample(const Tensor& self, int nd, IntArrayRef output_size, ScalesRef scales, Mode mode, bool align_corners) {
  EMBER_CHECK(output_size.size() == size_t(nd), "It is expected output_size equals to ", nd, ", but got size ",
              output_size.size());
  EMBER_CHECK(self.dim() == nd + 2, "It is expected input_size equals to ", nd + 2, ", but got size ", self.dim());
  EMBER_CHECK(scales.empty() || scales.size() == size_t(nd), "It is expected scale_factors to have ", nd,
              " elements, but got ", scales.size());
  bool ok = true;
  std::string in_s, out_s;
  static const char* const axis[] = {"D", "H", "W"};
  for (int i = 0; i < nd; ++i) {
    int64_t in = self.size(2 + i), out = output_size[size_t(i)];
    ok = ok && in > 0 && out > 0;
    const char* sep = i ? ", " : "";
    in_s += detail::str(sep, axis[3 - nd + i], ": ", in);
    out_s += detail::str(sep, axis[3 - nd + i], ": ", out);
  }
  EMBER_CHECK(ok, "Input and output sizes should be greater than 0, but got input (", in_s, ") output (", out_s, ")");
  if (!is_floating_point(self.dtype()))
    throw NotImplementedError(
        detail::str("\"", mode_name(mode, nd), "\" not implemented for '", dtype_title(self.dtype()), "'"));
  // float16/bfloat16 compute in float32.
  Tensor x = is_reduced_float(self.dtype()) ? self.to(kFloat32) : self;
  for (int i = 0; i < nd; ++i) {
    std::optional<double> scale = scales.empty() ? std::nullopt : scales[size_t(i)];
    x = resample_dim(x, 2 + i, make_taps(mode, self.size(2 + i), output_size[size_t(i)], align_corners, scale));
  }
  return x.to(self.dtype());
}

// PyTorch's reflect_coordinates: folds coordinates into [twice_low / 2, twice_high / 2].
Tensor reflect(const Tensor& in, int64_t twice_low, int64_t twice_high) {
  if (twice_low == twice_high) return in * 0;
  double min = double(twice_low) / 2, span = double(twice_high - twice_low) / 2;
  Tensor x = (in - min).abs();
  Tensor flips = (x.detach() / span).floor();
  Tensor extra = x - flips * span;
  Tensor even = flips.remainder(2) == 0;
  return where(even, extra + min, -extra + (span + min));
}

// The source coordinate along a dim of `size` for normalised grid coordinates in [-1, 1].
Tensor source_coordinate(const Tensor& coord, int64_t size, int64_t padding_mode, bool align_corners) {
  Tensor c = align_corners ? (coord + 1) / 2 * double(size - 1) : ((coord + 1) * double(size) - 1) / 2;
  if (padding_mode == 2) c = align_corners ? reflect(c, 0, 2 * (size - 1)) : reflect(c, -1, 2 * size - 1);
  if (padding_mode >= 1) c = c.clamp(0.0, double(size - 1));
  return c;
}

}  // namespace

Tensor upsample_nearest1d(const Tensor& self, IntArrayRef output_size, ScalesRef scales) {
  return upsample(self, 1, output_size, scales, Mode::Nearest, false);
}
Tensor upsample_nearest2d(const Tensor& self, IntArrayRef output_size, ScalesRef scales) {
  return upsample(self, 2, output_size, scales, Mode::Nearest, false);
}
Tensor upsample_nearest3d(const Tensor& self, IntArrayRef output_size, ScalesRef scales) {
  return upsample(self, 3, output_size, scales, Mode::Nearest, false);
}
Tensor _upsample_nearest_exact1d(const Tensor& self, IntArrayRef output_size, ScalesRef scales) {
  return upsample(self, 1, output_size, scales, Mode::NearestExact, false);
}
Tensor _upsample_nearest_exact2d(const Tensor& self, IntArrayRef output_size, ScalesRef scales) {
  return upsample(self, 2, output_size, scales, Mode::NearestExact, false);
}
Tensor _upsample_nearest_exact3d(const Tensor& self, IntArrayRef output_size, ScalesRef scales) {
  return upsample(self, 3, output_size, scales, Mode::NearestExact, false);
}
Tensor upsample_linear1d(const Tensor& self, IntArrayRef output_size, bool align_corners, ScalesRef scales) {
  return upsample(self, 1, output_size, scales, Mode::Linear, align_corners);
}
Tensor upsample_bilinear2d(const Tensor& self, IntArrayRef output_size, bool align_corners, ScalesRef scales) {
  return upsample(self, 2, output_size, scales, Mode::Linear, align_corners);
}
Tensor upsample_trilinear3d(const Tensor& self, IntArrayRef output_size, bool align_corners, ScalesRef scales) {
  return upsample(self, 3, output_size, scales, Mode::Linear, align_corners);
}
Tensor upsample_bicubic2d(const Tensor& self, IntArrayRef output_size, bool align_corners, ScalesRef scales) {
  return upsample(self, 2, output_size, scales, Mode::Cubic, align_corners);
}

Tensor pixel_shuffle(const Tensor& self, int64_t upscale_factor) {
  int64_t r = upscale_factor, d = self.dim();
  EMBER_CHECK(d >= 3, "pixel_shuffle expects input to have at least 3 dimensions, but got input with ", d,
              " dimension(s)");
  EMBER_CHECK(r > 0, "pixel_shuffle expects a positive upscale_factor, but got ", r);
  int64_t c = self.size(-3), h = self.size(-2), w = self.size(-1);
  EMBER_CHECK(c % (r * r) == 0, "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square "
              "of upscale_factor, but input.size(-3)=", c, " is not divisible by ", r * r);
  int64_t b = self.numel() == 0 ? 0 : self.numel() / (c * h * w);
  Tensor x = self.reshape({b, c / (r * r), r, r, h, w}).permute({0, 1, 4, 2, 5, 3});
  DimVector shape(self.sizes());
  shape[size_t(d - 3)] = c / (r * r), shape[size_t(d - 2)] = h * r, shape[size_t(d - 1)] = w * r;
  return x.reshape(shape);
}

Tensor pixel_unshuffle(const Tensor& self, int64_t downscale_factor) {
  int64_t r = downscale_factor, d = self.dim();
  EMBER_CHECK(d >= 3, "pixel_unshuffle expects input to have at least 3 dimensions, but got input with ", d,
              " dimension(s)");
  EMBER_CHECK(r > 0, "pixel_unshuffle expects a positive downscale_factor, but got ", r);
  int64_t c = self.size(-3), h = self.size(-2), w = self.size(-1);
  EMBER_CHECK(h % r == 0, "pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=", h,
              " is not divisible by ", r);
  EMBER_CHECK(w % r == 0, "pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=", w,
              " is not divisible by ", r);
  int64_t b = self.numel() == 0 ? 0 : self.numel() / (c * h * w);
  Tensor x = self.reshape({b, c, h / r, r, w / r, r}).permute({0, 1, 3, 5, 2, 4});
  DimVector shape(self.sizes());
  shape[size_t(d - 3)] = c * r * r, shape[size_t(d - 2)] = h / r, shape[size_t(d - 1)] = w / r;
  return x.reshape(shape);
}

Tensor grid_sampler(const Tensor& input, const Tensor& grid, int64_t interpolation_mode, int64_t padding_mode,
                    bool align_corners) {
  EMBER_CHECK(input.dtype() == grid.dtype(), "grid_sampler(): expected input and grid to have same dtype, but input has ",
              dtype_title(input.dtype()), " and grid has ", dtype_title(grid.dtype()));
  EMBER_CHECK((input.dim() == 4 || input.dim() == 5) && input.dim() == grid.dim(),
              "grid_sampler(): expected 4D or 5D input and grid with same number of dimensions, but got input with "
              "sizes ", input.sizes(), " and grid with sizes ", grid.sizes());
  EMBER_CHECK(input.size(0) == grid.size(0), "grid_sampler(): expected grid and input to have same batch size, but got "
              "input with sizes ", input.sizes(), " and grid with sizes ", grid.sizes());
  int64_t nd = input.dim() - 2;
  EMBER_CHECK(grid.size(-1) == nd, "grid_sampler(): expected grid to have size ", nd, " in last dimension, but got grid "
              "with sizes ", grid.sizes());
  for (int64_t i = 2; i < input.dim(); ++i)
    EMBER_CHECK(input.size(i) > 0, "grid_sampler(): expected input to have non-empty spatial dimensions, but input has "
                "sizes ", input.sizes(), " with dimension ", i, " being empty");
  EMBER_CHECK(interpolation_mode == 0 || interpolation_mode == 1,
              "grid_sampler(): only bilinear (0) and nearest (1) interpolation are implemented, got ", interpolation_mode);
  EMBER_CHECK(padding_mode >= 0 && padding_mode <= 2, "grid_sampler(): padding_mode must be 0, 1 or 2, got ",
              padding_mode);
  EMBER_CHECK(is_floating_point(input.dtype()), "grid_sampler(): expected a floating-point input, got ",
              dtype_title(input.dtype()));
  Tensor x = is_reduced_float(input.dtype()) ? input.to(kFloat32) : input;
  Tensor g = is_reduced_float(grid.dtype()) ? grid.to(kFloat32) : grid;
  int64_t n = x.size(0), c = x.size(1), points = g.numel() / std::max<int64_t>(n * nd, 1);
  Tensor flat = x.reshape({n, c, -1});
  // Per spatial dim s (D, H, W order) its size, flat stride and source coordinates (n, points).
  std::vector<int64_t> size(static_cast<size_t>(nd)), stride(static_cast<size_t>(nd));
  std::vector<Tensor> coord(static_cast<size_t>(nd));
  for (int64_t s = nd - 1, st = 1; s >= 0; --s) {
    size[size_t(s)] = x.size(2 + s);
    stride[size_t(s)] = st;
    st *= size[size_t(s)];
    // The grid's last dim holds (x, y, z): x indexes the last spatial dim.
    coord[size_t(s)] = source_coordinate(g.select(-1, nd - 1 - s).reshape({n, points}), size[size_t(s)], padding_mode,
                                         align_corners);
  }
  // Adds the values at the corner `pos` (n, points per dim), weighted, masked to in-bounds corners.
  auto sample = [&](const std::vector<Tensor>& pos, const Tensor& weight) {
    Tensor valid, offset;
    for (size_t s = 0; s < pos.size(); ++s) {
      Tensor in = (pos[s] >= 0).logical_and(pos[s] <= double(size[s] - 1));
      valid = valid.defined() ? valid.logical_and(in) : in;
      Tensor o = pos[s].clamp(0.0, double(size[s] - 1)) * double(stride[s]);
      offset = offset.defined() ? offset + o : o;
    }
    Tensor idx = offset.to(kInt64).view({n, 1, points}).expand({n, c, points});
    Tensor w = valid.to(x.dtype());
    if (weight.defined()) w = w * weight;
    return flat.gather(2, idx) * w.view({n, 1, points});
  };
  Tensor out;
  if (interpolation_mode == 1) {
    std::vector<Tensor> pos;
    for (const Tensor& t : coord) pos.push_back(t.detach().round());
    out = sample(pos, Tensor());
  } else {
    std::vector<Tensor> lo(static_cast<size_t>(nd)), frac(static_cast<size_t>(nd));
    for (size_t s = 0; s < size_t(nd); ++s) {
      lo[s] = coord[s].detach().floor();
      frac[s] = coord[s] - lo[s];
    }
    for (int64_t corner = 0; corner < (int64_t(1) << nd); ++corner) {
      std::vector<Tensor> pos(static_cast<size_t>(nd));
      Tensor weight;
      for (size_t s = 0; s < size_t(nd); ++s) {
        bool high = (corner >> (nd - 1 - int64_t(s))) & 1;
        pos[s] = high ? lo[s] + 1 : lo[s];
        Tensor w = high ? frac[s] : 1 - frac[s];
        weight = weight.defined() ? weight * w : w;
      }
      Tensor part = sample(pos, weight);
      out = out.defined() ? out + part : part;
    }
  }
  DimVector shape{n, c};
  for (int64_t i = 1; i <= nd; ++i) shape.push_back(grid.size(i));
  return out.reshape(shape).to(input.dtype());
}

Tensor affine_grid_generator(const Tensor& theta, IntArrayRef size, bool align_corners) {
  int64_t nd = int64_t(size.size()) - 2;
  EMBER_CHECK(nd == 2 || nd == 3, "affine_grid_generator(): expected a 4D or 5D size, got ", size);
  EMBER_CHECK(theta.dim() == 3 && theta.size(0) == size[0] && theta.size(1) == nd && theta.size(2) == nd + 1,
              "affine_grid_generator(): expected theta of shape ", size[0], "x", nd, "x", nd + 1, " for size ", size,
              ", got ", theta.sizes());
  TensorOptions opts = TensorOptions().dtype(theta.dtype());
  // Coordinates of each output pixel along a dim, as PyTorch's linspace_from_neg_one.
  auto axis = [&](int64_t steps) {
    if (steps <= 1) return zeros({steps}, opts);
    Tensor r = linspace(-1, 1, steps, opts);
    return align_corners ? r : r * (double(steps - 1) / double(steps));
  };
  // base (spatial..., nd + 1) = [x, y, (z,) 1], x along the last spatial dim.
  DimVector spatial;
  for (size_t i = 2; i < size.size(); ++i) spatial.push_back(size[i]);
  DimVector one_shape(size_t(nd + 1), 1);
  std::vector<Tensor> cols;
  for (int64_t k = 0; k < nd; ++k) {
    int64_t s = nd - 1 - k;  // the spatial dim coordinate k runs along
    DimVector shape = one_shape;
    shape[size_t(s)] = spatial[size_t(s)];
    DimVector full(spatial);
    full.push_back(1);
    cols.push_back(axis(spatial[size_t(s)]).view(shape).expand(full));
  }
  DimVector full(spatial);
  full.push_back(1);
  cols.push_back(ones(full, opts));
  int64_t points = 1;
  for (int64_t s : spatial) points *= s;
  Tensor base = cat(cols, -1).reshape({1, points, nd + 1});
  DimVector out_shape(spatial);
  out_shape.insert(0, size[0]);
  out_shape.push_back(nd);
  return matmul(base, theta.transpose(1, 2)).reshape(out_shape);
}

}  // namespace ember
