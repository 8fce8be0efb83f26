// Shape rules and argument checks of the pooling family, with PyTorch 1.13's messages and output-size
// formula, and the window tables (dispatch::PoolWindows) the kernels loop over.
#include "ops/pool.h"

#include <array>

#include "dispatch/pool_kernels.h"
#include "dispatch/registry.h"
#include "ops/compute_dtype.h"
#include "ops/ops.h"

namespace ember::ops {

namespace {

using dispatch::PoolDim;
using dispatch::PoolWindows;
using Arr = std::array<int64_t, 3>;

const char* kCount[] = {"", "one", "two", "three"};

std::string pool_name(const char* kind, int nd) { return detail::str(kind, nd, "d"); }

// A kernel_size/stride/padding/dilation argument: one value for all dims or one per dim.
// Dims a pool does not use get `unused` (a window of 1, no padding).
Arr expand(IntArrayRef v, int nd, const std::string& name, const char* arg, bool may_omit, int64_t unused = 1) {
  bool ok = v.size() == 1 || v.size() == size_t(nd) || (may_omit && v.empty());
  EMBER_CHECK(ok, name, ": ", arg, " must either be ", may_omit ? "omitted, " : "", "a single int, or a tuple of ",
              kCount[nd], " ints");
  Arr out{unused, unused, unused};
  for (int i = 0; i < nd; ++i) out[size_t(3 - nd + i)] = v.empty() ? 0 : v[v.size() == 1 ? 0 : size_t(i)];
  return out;
}

// Floor division, also for negative numerators.
int64_t div_floor(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// PyTorch's pooling_output_shape, with its checks.
int64_t output_size(int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dil, bool ceil_mode) {
  EMBER_CHECK(stride != 0, "stride should not be zero");
  EMBER_CHECK(pad >= 0, "pad must be non-negative, but got pad: ", pad);
  EMBER_CHECK(pad <= k / 2, "pad should be at most half of kernel size, but got pad=", pad, " and kernel_size=", k);
  int64_t out = div_floor(in + 2 * pad - dil * (k - 1) - 1 + (ceil_mode ? stride - 1 : 0), stride) + 1;
  // The last window must start inside the input or its left padding.
  if (ceil_mode && (out - 1) * stride >= in + pad) --out;
  return out;
}

const char* const kAxis[] = {"T", "H", "W"};

// "kT: 2 kH: 2 kW: 2" over the used dims.
std::string per_dim(const char* prefix, const Arr& v, int nd) {
  std::string s;
  for (int i = 3 - nd; i < 3; ++i) s += detail::str(i > 3 - nd ? " " : "", prefix, kAxis[i], ": ", v[size_t(i)]);
  return s;
}

// Spatial sizes (3, leading 1s) and the number of planes of an input with nd spatial dims.
struct Layout {
  Arr in{1, 1, 1};
  int64_t planes = 1, channels = 1;
};

Layout layout(IntArrayRef sizes, int nd) {
  Layout l;
  int64_t lead = int64_t(sizes.size()) - nd;
  for (int64_t i = 0; i < lead; ++i) l.planes *= sizes[size_t(i)];
  l.channels = sizes[size_t(lead - 1)];
  for (int i = 0; i < nd; ++i) l.in[size_t(3 - nd + i)] = sizes[size_t(lead + i)];
  return l;
}

void check_input_dims(const Tensor& self, int nd, const std::string& name) {
  int64_t d = self.dim();
  if (nd == 1)
    EMBER_CHECK(d == 2 || d == 3, name, ": Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:",
                self.sizes());
  else
    EMBER_CHECK(d == nd + 1 || d == nd + 2, "non-empty ", nd + 1, "D or ", nd + 2,
                "D (batch mode) tensor expected for input");
  bool valid = true;
  for (int64_t i = d - nd - 1; i < d; ++i) valid = valid && self.size(i) != 0;
  EMBER_CHECK(valid, nd == 1 ? name + ": " : std::string(), "Expected ", nd + 1, "D or ", nd + 2,
              "D (batch mode) tensor with optional 0 dim batch size for input, but got:", self.sizes());
}

void check_float(const Tensor& self, const std::string& name) {
  if (!is_floating_point(self.dtype()))
    throw NotImplementedError(detail::str("\"", name, "\" not implemented for '", dtype_title(self.dtype()), "'"));
}

// Fixed windows: (kernel, stride, padding, dilation) per dim, checked as PyTorch's pool{1,2,3}d_shape_check.
struct Fixed {
  Arr k, s, p, d, out;
};

Fixed fixed_geometry(IntArrayRef sizes, int nd, const std::string& name, IntArrayRef kernel_size, IntArrayRef stride,
                     IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  Fixed f;
  f.k = expand(kernel_size, nd, name, "kernel_size", false);
  f.s = expand(stride, nd, name, "stride", true);
  if (stride.empty()) f.s = f.k;
  f.p = expand(padding, nd, name, "padding", false, 0);
  f.d = expand(dilation, nd, name, "dilation", false);
  Layout l = layout(sizes, nd);
  for (size_t i = 0; i < 3; ++i) f.out[i] = output_size(l.in[i], f.k[i], f.p[i], f.s[i], f.d[i], ceil_mode);
  bool pos_k = true, pos_s = true, pos_d = true;
  for (size_t i = 0; i < 3; ++i) pos_k &= f.k[i] > 0, pos_s &= f.s[i] > 0, pos_d &= f.d[i] > 0;
  EMBER_CHECK(pos_k, "kernel size should be greater than zero, but got ", per_dim("k", f.k, nd));
  EMBER_CHECK(pos_s, "stride should be greater than zero, but got ", per_dim("d", f.s, nd));
  EMBER_CHECK(pos_d, "dilation should be greater than zero, but got ", per_dim("dilation", f.d, nd));
  bool ok = f.out[0] >= 1 && f.out[1] >= 1 && f.out[2] >= 1;
  if (!ok) {
    // PyTorch runs 1-d pools as 2-d ones with height 1, and says so.
    int shown = nd == 1 ? 2 : nd;
    std::string in = detail::str(l.channels), out = in;
    for (int i = 3 - shown; i < 3; ++i) {
      in += detail::str("x", l.in[size_t(i)]);
      out += detail::str("x", f.out[size_t(i)]);
    }
    throw Error(detail::str("Given input size: (", in, "). Calculated output size: (", out, "). Output size is too small"));
  }
  return f;
}

DimVector output_sizes(IntArrayRef in_sizes, int nd, const Arr& out) {
  DimVector s(in_sizes);
  for (int i = 0; i < nd; ++i) s[s.size() - size_t(nd - i)] = out[size_t(3 - nd + i)];
  return s;
}

// Windows of a max pool (dilated, clipped to the input) or of an average pool (dilation 1; div is the
// window's size with or without the padding it covers).
PoolWindows fixed_windows(const Layout& l, const Fixed& f, bool is_avg, bool count_include_pad) {
  PoolWindows w;
  w.planes = l.planes;
  for (size_t i = 0; i < 3; ++i) {
    PoolDim& d = w.dim[i];
    d.in = l.in[i], d.out = f.out[i], d.step = is_avg ? 1 : f.d[i];
    d.kernel = f.k[i], d.stride = f.s[i], d.pad = f.p[i];
    d.first.resize(size_t(d.out)), d.count.resize(size_t(d.out)), d.div.resize(size_t(d.out));
    for (int64_t o = 0; o < d.out; ++o) {
      int64_t start = o * f.s[i] - f.p[i], first, end;
      if (is_avg) {
        end = std::min(start + f.k[i], d.in + f.p[i]);
        int64_t padded = end - start;
        first = std::max<int64_t>(start, 0);
        end = std::min(end, d.in);
        int64_t count = std::max<int64_t>(end - first, 0);
        d.div[size_t(o)] = count_include_pad ? padded : count;
        d.count[size_t(o)] = count;
      } else {
        end = std::min(start + (f.k[i] - 1) * f.d[i] + 1, d.in);
        first = start;
        while (first < 0) first += f.d[i];
        d.count[size_t(o)] = first < end ? (end - first + f.d[i] - 1) / f.d[i] : 0;
      }
      d.first[size_t(o)] = first;
    }
  }
  return w;
}

// Adaptive windows: output o covers [floor(o * in / out), ceil((o + 1) * in / out)).
PoolWindows adaptive_windows(const Layout& l, const Arr& out) {
  PoolWindows w;
  w.planes = l.planes;
  for (size_t i = 0; i < 3; ++i) {
    PoolDim& d = w.dim[i];
    d.in = l.in[i], d.out = out[i];
    for (int64_t o = 0; o < d.out; ++o) {
      int64_t start = o * d.in / d.out, end = ((o + 1) * d.in + d.out - 1) / d.out;
      d.first.push_back(start);
      d.count.push_back(end - start);
      d.div.push_back(end - start);
    }
  }
  return w;
}

Arr adaptive_output(const Tensor& self, int nd, IntArrayRef output_size, const std::string& name) {
  int64_t d = self.dim();
  // PyTorch's 1-d forms check the rank first, with checkDimRange's message.
  EMBER_CHECK(nd != 1 || d == 2 || d == 3, "Expected 2 to 3 dimensions, but got ", d,
              "-dimensional tensor for argument #1 'self' (while checking arguments for ", name, ")");
  EMBER_CHECK(output_size.size() == size_t(nd), name, ": output_size must be ", nd);
  bool is_max = name.rfind("adaptive_max", 0) == 0;
  EMBER_CHECK(d == nd + 1 || d == nd + 2, name, "(): Expected ", nd + 1, "D or ", nd + 2, "D tensor, but got",
              is_max ? ": " : " ", self.sizes());
  for (int64_t i = d - nd; i < d; ++i)
    EMBER_CHECK(self.size(i) > 0, name,
                "(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ",
                self.sizes(), " with dimension ", i, " being empty");
  Arr out{1, 1, 1};
  bool ok = true;
  for (int i = 0; i < nd; ++i) {
    ok &= output_size[size_t(i)] >= 0;
    out[size_t(3 - nd + i)] = output_size[size_t(i)];
  }
  if (!ok) {
    std::string s;
    for (int i = 0; i < nd; ++i) s += detail::str(i ? ", " : "", output_size[size_t(i)]);
    throw Error(detail::str(name, ": elements of output_size must be greater than or equal to 0 but received {", s, "}"));
  }
  return out;
}

// The dtype the kernels compute in: half types widen to float32.
Tensor prepared(const Tensor& t) { return contiguous(cast(t, upcast_reduced(t.dtype()))); }

std::tuple<Tensor, Tensor> run_max(const Tensor& self, const PoolWindows& w, const Arr& out, int nd) {
  DimVector shape = output_sizes(self.sizes(), nd, out);
  Tensor x = prepared(self);
  Tensor values = empty(shape, x.dtype(), self.device());
  Tensor indices = empty(shape, kInt64, self.device());
  if (values.numel() > 0) {
    static auto& k = dispatch::slot("max_pool");
    dispatch::kernel<dispatch::MaxPoolKernel>(k, self.device().type())(x, values, indices, w);
  }
  return {cast(values, self.dtype()), indices};
}

Tensor run_avg(const Tensor& self, const PoolWindows& w, const Arr& out, int nd, int64_t divisor_override) {
  DimVector shape = output_sizes(self.sizes(), nd, out);
  Tensor x = prepared(self);
  Tensor values = empty(shape, x.dtype(), self.device());
  if (values.numel() > 0) {
    static auto& k = dispatch::slot("avg_pool");
    dispatch::kernel<dispatch::AvgPoolKernel>(k, self.device().type())(x, values, w, divisor_override);
  }
  return cast(values, self.dtype());
}

Tensor run_avg_backward(const Tensor& grad, IntArrayRef input_sizes, const PoolWindows& w, int64_t divisor_override) {
  Tensor g = prepared(grad);
  Tensor gi = empty(input_sizes, g.dtype(), grad.device());
  if (gi.numel() > 0) {
    static auto& k = dispatch::slot("avg_pool_backward");
    dispatch::kernel<dispatch::AvgPoolBackwardKernel>(k, grad.device().type())(g, gi, w, divisor_override);
  }
  return cast(gi, grad.dtype());
}

}  // namespace

std::tuple<Tensor, Tensor> max_pool(const Tensor& self, int nd, IntArrayRef kernel_size, IntArrayRef stride,
                                    IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  std::string name = pool_name("max_pool", nd);
  check_input_dims(self, nd, name);
  Fixed f = fixed_geometry(self.sizes(), nd, name, kernel_size, stride, padding, dilation, ceil_mode);
  check_float(self, name);
  return run_max(self, fixed_windows(layout(self.sizes(), nd), f, false, false), f.out, nd);
}

std::tuple<Tensor, Tensor> adaptive_max_pool(const Tensor& self, int nd, IntArrayRef output_size) {
  std::string name = pool_name("adaptive_max_pool", nd);
  Arr out = adaptive_output(self, nd, output_size, name);
  check_float(self, name);
  return run_max(self, adaptive_windows(layout(self.sizes(), nd), out), out, nd);
}

Tensor max_pool_backward(const Tensor& grad, const Tensor& indices, IntArrayRef input_sizes, int nd) {
  Layout l = layout(input_sizes, nd);
  Tensor g = prepared(grad);
  Tensor gi = empty(input_sizes, g.dtype(), grad.device());
  if (gi.numel() > 0) {
    static auto& k = dispatch::slot("max_pool_backward");
    int64_t in_n = l.in[0] * l.in[1] * l.in[2];
    dispatch::kernel<dispatch::MaxPoolBackwardKernel>(k, grad.device().type())(view(g, {l.planes, g.numel() / l.planes}), view(contiguous(indices), {l.planes, g.numel() / l.planes}),
      view(gi, {l.planes, in_n}));
  }
  return cast(gi, grad.dtype());
}

Tensor max_unpool(const Tensor& self, const Tensor& indices, IntArrayRef output_size, int nd) {
  EMBER_CHECK(indices.dtype() == kInt64, "elements in indices should be type int64 but got: ", dtype_title(indices.dtype()));
  EMBER_CHECK(self.sizes().equals(indices.sizes()), "Expected shape of indices to be same as that of the input tensor (",
              self.sizes(), ") but got indices tensor with shape: ", indices.sizes());
  EMBER_CHECK(output_size.size() == size_t(nd), "There should be exactly ", kCount[nd],
              " elements in output_size, but got ", output_size.size(), " elements.");
  EMBER_CHECK(self.dim() == nd + 1 || self.dim() == nd + 2, "Input to max_unpooling", nd, "d should be a ", nd + 1,
              "d or ", nd + 2, "d Tensor, but got a tensor with ", self.dim(), " dimensions.");
  for (int64_t i = self.dim() - nd - 1; i < self.dim(); ++i)
    EMBER_CHECK(self.size(i) > 0, "max_unpooling", nd, "d(): Expected input to have non-zero size for non-batch dimensions, but got ",
                self.sizes(), " with dimension ", i, " being empty.");
  check_float(self, pool_name("max_unpool", nd));
  DimVector out_sizes(self.sizes());
  for (int i = 0; i < nd; ++i) out_sizes[out_sizes.size() - size_t(nd - i)] = output_size[size_t(i)];
  Layout l = layout(out_sizes, nd);
  int64_t out_n = l.in[0] * l.in[1] * l.in[2];
  Tensor x = prepared(self);
  Tensor out = empty(out_sizes, x.dtype(), self.device());
  if (out.numel() == 0) return cast(out, self.dtype());
  static auto& k = dispatch::slot("max_unpool");
  int64_t bad = 0;
  bool ok = dispatch::kernel<dispatch::MaxUnpoolKernel>(k, self.device().type())(
      view(x, {l.planes, x.numel() / l.planes}), view(contiguous(indices), {l.planes, x.numel() / l.planes}),
      view(out, {l.planes, out_n}), &bad);
  if (!ok) {
    std::string dims;
    for (int i = 0; i < nd; ++i) dims += detail::str(i ? "x" : "", output_size[size_t(i)]);
    if (nd == 1) dims += "x1";  // PyTorch unpools 1-d as 2-d with width 1
    throw Error(detail::str("Found an invalid max index: ", bad, " (output volumes are of size ", dims));
  }
  return cast(out, self.dtype());
}

Tensor avg_pool(const Tensor& self, int nd, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding,
                bool ceil_mode, bool count_include_pad, std::optional<int64_t> divisor_override) {
  std::string name = pool_name("avg_pool", nd);
  EMBER_CHECK(!divisor_override || *divisor_override != 0, "divisor must be not zero");
  check_input_dims(self, nd, name);
  Fixed f = fixed_geometry(self.sizes(), nd, name, kernel_size, stride, padding, 1, ceil_mode);
  check_float(self, name);
  return run_avg(self, fixed_windows(layout(self.sizes(), nd), f, true, count_include_pad), f.out, nd,
                 divisor_override.value_or(0));
}

Tensor avg_pool_backward(const Tensor& grad, IntArrayRef input_sizes, int nd, IntArrayRef kernel_size,
                         IntArrayRef stride, IntArrayRef padding, bool ceil_mode, bool count_include_pad,
                         std::optional<int64_t> divisor_override) {
  std::string name = pool_name("avg_pool", nd);
  Fixed f = fixed_geometry(input_sizes, nd, name, kernel_size, stride, padding, 1, ceil_mode);
  EMBER_CHECK(grad.sizes().equals(output_sizes(input_sizes, nd, f.out)), name,
              "_backward: grad_output has sizes ", grad.sizes(), ", expected ", IntArrayRef(output_sizes(input_sizes, nd, f.out)));
  return run_avg_backward(grad, input_sizes, fixed_windows(layout(input_sizes, nd), f, true, count_include_pad),
                          divisor_override.value_or(0));
}

Tensor adaptive_avg_pool(const Tensor& self, int nd, IntArrayRef output_size) {
  std::string name = pool_name("adaptive_avg_pool", nd);
  Arr out = adaptive_output(self, nd, output_size, name);
  check_float(self, name);
  return run_avg(self, adaptive_windows(layout(self.sizes(), nd), out), out, nd, 0);
}

Tensor adaptive_avg_pool_backward(const Tensor& grad, IntArrayRef input_sizes, int nd) {
  Arr out{1, 1, 1};
  for (int i = 0; i < nd; ++i) out[size_t(3 - nd + i)] = grad.size(grad.dim() - nd + i);
  return run_avg_backward(grad, input_sizes, adaptive_windows(layout(input_sizes, nd), out), 0);
}

}  // namespace ember::ops
