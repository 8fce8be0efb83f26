// Convolution's checks, output sizes and kernel calls. Kernels see contiguous float32/float64 tensors;
// float16/bfloat16 are computed in float32 and rounded back, as the rest of ember does.
#include "ops/conv.h"

#include <string>

#include "dispatch/conv_kernels.h"
#include "dispatch/registry.h"
#include "ops/compute_dtype.h"
#include "ops/ops.h"

namespace ember::ops {
namespace {

using dispatch::ConvGeometry;

std::string type_name(const Tensor& t) { return detail::str("torch.", dtype_title(t.dtype()), "Tensor"); }

// "(5 x 5)", as PyTorch prints per-channel sizes.
std::string by_x(IntArrayRef v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? " x " : "") + std::to_string(v[i]);
  return s + ")";
}

IntArrayRef spatial(IntArrayRef s) { return {s.data() + 2, s.size() - 2}; }

Tensor prepare(const Tensor& t, DType dt) { return contiguous(cast(t, dt)); }

// The geometry with spatial dims right-aligned in three slots.
ConvGeometry geometry(int64_t batch, int64_t in_channels, int64_t out_channels, int64_t groups, IntArrayRef in,
                      IntArrayRef out, IntArrayRef kernel, IntArrayRef stride, IntArrayRef padding,
                      IntArrayRef dilation) {
  ConvGeometry g;
  g.batch = batch;
  g.in_channels = in_channels;
  g.out_channels = out_channels;
  g.groups = groups;
  g.nd = int(in.size());
  const int lead = 3 - g.nd;
  for (int d = 0; d < g.nd; ++d) {
    g.in[lead + d] = in[size_t(d)];
    g.out[lead + d] = out[size_t(d)];
    g.kernel[lead + d] = kernel[size_t(d)];
    g.stride[lead + d] = stride[size_t(d)];
    g.padding[lead + d] = padding[size_t(d)];
    g.dilation[lead + d] = dilation[size_t(d)];
  }
  return g;
}

DimVector conv_out_sizes(IntArrayRef in, IntArrayRef kernel, IntArrayRef stride, IntArrayRef padding,
                         IntArrayRef dilation) {
  DimVector out;
  for (size_t d = 0; d < in.size(); ++d)
    out.push_back((in[d] + 2 * padding[d] - dilation[d] * (kernel[d] - 1) - 1) / stride[d] + 1);
  return out;
}

}  // namespace

DimVector expand_param(IntArrayRef v, int64_t nd, const char* what) {
  if (v.size() == 1) return DimVector(size_t(nd), v[0]);
  EMBER_CHECK(int64_t(v.size()) == nd, "expected ", what, " to be a single integer value or a list of ", nd,
              " values to match the convolution dimensions, but got ", what, "=", v);
  return DimVector(v);
}

void check_convolution(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias,
                       IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation, bool transposed,
                       IntArrayRef output_padding, int64_t groups) {
  EMBER_CHECK(input.dtype() == weight.dtype(), "Input type (", type_name(input), ") and weight type (",
              type_name(weight), ") should be the same");
  if (bias && bias->defined())
    EMBER_CHECK(input.dtype() == bias->dtype(), "Input type (", type_name(input), ") and bias type (",
                type_name(*bias), ") should be the same");
  EMBER_CHECK(is_floating_point(input.dtype()), "\"convolution\" not implemented for '", dtype_title(input.dtype()),
              "'");
  EMBER_CHECK(weight.dim() >= 3, "weight should have at least three dimensions");
  const int64_t nd = weight.dim() - 2;
  EMBER_CHECK(nd <= 3, "convolution with ", nd, " spatial dimensions is not supported");
  for (auto [v, name] : {std::pair{stride, "stride"}, {padding, "padding"}, {dilation, "dilation"},
                         {output_padding, "output_padding"}})
    expand_param(v, nd, name);
  for (int64_t s : stride) EMBER_CHECK(s > 0, "non-positive stride is not supported");
  for (int64_t p : padding) EMBER_CHECK(p >= 0, "negative padding is not supported");
  for (int64_t p : output_padding) EMBER_CHECK(p >= 0, "negative output_padding is not supported");
  for (int64_t d : dilation) EMBER_CHECK(d > 0, "non-positive dilation is not supported");
  EMBER_CHECK(groups > 0, "non-positive groups is not supported");
  EMBER_CHECK(input.dim() == weight.dim(), "Expected ", weight.dim(), "-dimensional input for ", weight.dim(),
              "-dimensional weight ", weight.sizes(), ", but got ", input.dim(), "-dimensional input of size ",
              input.sizes(), " instead");
  const int64_t w0 = weight.size(0);
  EMBER_CHECK(w0 % groups == 0, "Given groups=", groups, ", expected weight to be divisible by ", groups,
              " at dimension 0, but got weight of size [", weight.sizes(), "] instead");
  const int64_t want_c = transposed ? w0 : weight.size(1) * groups;
  if (input.size(1) != want_c) {
    if (transposed)
      throw Error(detail::str("Given transposed=1, weight of size ", weight.sizes(), ", expected input",
                              input.sizes(), " to have ", want_c, " channels, but got ", input.size(1),
                              " channels instead"));
    throw Error(detail::str("Given groups=", groups, ", weight of size ", weight.sizes(), ", expected input",
                            input.sizes(), " to have ", want_c, " channels, but got ", input.size(1),
                            " channels instead"));
  }
  const int64_t out_c = transposed ? weight.size(1) * groups : w0;
  if (bias && bias->defined() &&
      !(bias->dim() == 1 && bias->size(0) == out_c))
    throw Error(detail::str(transposed ? "Given transposed=1, weight of size " : "Given weight of size ",
                            weight.sizes(), ", expected bias to be 1-dimensional with ", out_c,
                            " elements, but got bias of size ", bias->sizes(), " instead"));
  const DimVector s = expand_param(stride, nd, "stride"), p = expand_param(padding, nd, "padding"),
                  d = expand_param(dilation, nd, "dilation"), op = expand_param(output_padding, nd, "output_padding");
  DimVector in(spatial(input.sizes())), k(spatial(weight.sizes()));
  if (transposed) {
    bool ok = true;
    for (int64_t i = 0; i < nd; ++i) ok = ok && (op[size_t(i)] < s[size_t(i)] || op[size_t(i)] < d[size_t(i)]);
    if (!ok) {
      static const char* names[3][3] = {{"width"}, {"height", "width"}, {"depth", "height", "width"}};
      std::string m = "output padding must be smaller than either stride or dilation, but got";
      for (auto [what, v] : {std::pair{"output_padding", &op}, {"stride", &s}, {"dilation", &d}})
        for (int64_t i = 0; i < nd; ++i)
          m += detail::str(" ", what, "_", names[nd - 1][i], ": ", (*v)[size_t(i)]);
      throw Error(m);
    }
    DimVector out;
    for (int64_t i = 0; i < nd; ++i) {
      const size_t u = size_t(i);
      out.push_back((in[u] - 1) * s[u] - 2 * p[u] + d[u] * (k[u] - 1) + op[u] + 1);
    }
    for (int64_t v : out)
      EMBER_CHECK(v > 0, "Given input size per channel: ", by_x(in), ". Calculated output size per channel: ",
                  by_x(out), ". Output size is too small");
    return;
  }
  DimVector padded, dilated;
  for (int64_t i = 0; i < nd; ++i) {
    const size_t u = size_t(i);
    padded.push_back(in[u] + 2 * p[u]);
    dilated.push_back(d[u] * (k[u] - 1) + 1);
  }
  for (int64_t i = 0; i < nd; ++i)
    EMBER_CHECK(padded[size_t(i)] >= dilated[size_t(i)], "Calculated padded input size per channel: ", by_x(padded),
                ". Kernel size: ", by_x(dilated), ". Kernel size can't be greater than actual input size");
}

Tensor conv_forward(const Tensor& x, const Tensor& w, const Tensor& b, IntArrayRef stride, IntArrayRef padding,
                    IntArrayRef dilation, int64_t groups, IntArrayRef out_sizes) {
  const DType dt = float_or_double_dtype(x.dtype());
  IntArrayRef in = spatial(x.sizes()), k = spatial(w.sizes());
  const DimVector out = out_sizes.empty() ? conv_out_sizes(in, k, stride, padding, dilation) : DimVector(out_sizes);
  DimVector ysizes{x.size(0), w.size(0)};
  for (int64_t v : out) ysizes.push_back(v);
  Tensor y = empty(ysizes, dt, x.device());
  if (y.numel() > 0) {
    const Tensor xc = prepare(x, dt), wc = prepare(w, dt), bc = b.defined() ? prepare(b, dt) : Tensor();
    static auto& slot = dispatch::slot("conv_forward");
    dispatch::kernel<dispatch::ConvForwardKernel>(slot, x.device().type())(
        xc, wc, bc, y, geometry(x.size(0), x.size(1), w.size(0), groups, in, out, k, stride, padding, dilation));
  }
  return cast(y, x.dtype());
}

Tensor conv_input_grad(const Tensor& grad_output, const Tensor& w, IntArrayRef input_sizes, IntArrayRef stride,
                       IntArrayRef padding, IntArrayRef dilation, int64_t groups) {
  const DType dt = float_or_double_dtype(grad_output.dtype());
  Tensor gx = empty(input_sizes, dt, grad_output.device());
  if (gx.numel() > 0) {
    if (grad_output.numel() == 0 || w.numel() == 0) {
      fill_(gx, 0);
    } else {
      IntArrayRef in = spatial(input_sizes), k = spatial(w.sizes());
      IntArrayRef out = spatial(grad_output.sizes());
      static auto& slot = dispatch::slot("conv_backward_input");
      dispatch::kernel<dispatch::ConvBackwardInputKernel>(slot, grad_output.device().type())(
          prepare(grad_output, dt), prepare(w, dt), gx,
          geometry(input_sizes[0], input_sizes[1], w.size(0), groups, in, out, k, stride, padding, dilation));
    }
  }
  return cast(gx, grad_output.dtype());
}

Tensor conv_weight_grad(const Tensor& x, const Tensor& grad_output, IntArrayRef weight_sizes, IntArrayRef stride,
                        IntArrayRef padding, IntArrayRef dilation, int64_t groups) {
  const DType dt = float_or_double_dtype(x.dtype());
  Tensor gw = empty(weight_sizes, dt, x.device());
  if (gw.numel() > 0) {
    if (x.numel() == 0 || grad_output.numel() == 0) {
      fill_(gw, 0);
    } else {
      IntArrayRef in = spatial(x.sizes()), k = spatial(weight_sizes);
      IntArrayRef out = spatial(grad_output.sizes());
      static auto& slot = dispatch::slot("conv_backward_weight");
      dispatch::kernel<dispatch::ConvBackwardWeightKernel>(slot, x.device().type())(
          prepare(x, dt), prepare(grad_output, dt), gw,
          geometry(x.size(0), x.size(1), weight_sizes[0], groups, in, out, k, stride, padding, dilation));
    }
  }
  return cast(gw, x.dtype());
}

namespace {
void check_fold_params(IntArrayRef kernel_size, IntArrayRef dilation, IntArrayRef padding, IntArrayRef stride) {
  for (auto [v, name] : {std::pair{kernel_size, "kernel_size"}, {dilation, "dilation"}, {padding, "padding"},
                         {stride, "stride"}})
    EMBER_CHECK(v.size() == 2, "It is expected ", name, " equals to 2, but got size ", v.size());
  EMBER_CHECK(kernel_size[0] > 0 && kernel_size[1] > 0, "kernel size should be greater than zero, but got kernel_height: ",
              kernel_size[0], " kernel_width: ", kernel_size[1]);
  EMBER_CHECK(stride[0] > 0 && stride[1] > 0, "stride should be greater than zero, but got stride_height: ", stride[0],
              " stride_width: ", stride[1]);
  EMBER_CHECK(dilation[0] > 0 && dilation[1] > 0, "dilation should be greater than zero, but got dilation_height: ",
              dilation[0], " dilation_width: ", dilation[1]);
  EMBER_CHECK(padding[0] >= 0 && padding[1] >= 0, "padding should be non-negative, but got pad_height: ", padding[0],
              " pad_width: ", padding[1]);
}

std::string pair_str(IntArrayRef v) { return detail::str("(", v[0], ", ", v[1], ")"); }
}  // namespace

Tensor im2col(const Tensor& x, IntArrayRef kernel_size, IntArrayRef dilation, IntArrayRef padding, IntArrayRef stride) {
  check_fold_params(kernel_size, dilation, padding, stride);
  EMBER_CHECK(x.dim() == 4 && x.size(1) > 0 && x.size(2) > 0 && x.size(3) > 0,
              "Expected 3D or 4D (batch mode) tensor with possibly 0 batch size and other non-zero dimensions for "
              "input, but got: ", x.sizes());
  EMBER_CHECK(is_floating_point(x.dtype()), "\"im2col\" not implemented for '", dtype_title(x.dtype()), "'");
  IntArrayRef in = spatial(x.sizes());
  const DimVector out = conv_out_sizes(in, kernel_size, stride, padding, dilation);
  EMBER_CHECK(out[0] >= 1 && out[1] >= 1, "Given input with spatial size ", pair_str(in), ", kernel_size=",
              pair_str(kernel_size), ", dilation=", pair_str(dilation), ", padding=", pair_str(padding),
              ", calculated shape of the array of sliding blocks as ", pair_str(out),
              ", but its components must be at least one.");
  const DType dt = float_or_double_dtype(x.dtype());
  Tensor col = empty({x.size(0), x.size(1) * kernel_size[0] * kernel_size[1], out[0] * out[1]}, dt, x.device());
  if (col.numel() > 0) {
    static auto& slot = dispatch::slot("im2col");
    dispatch::kernel<dispatch::Im2colKernel>(slot, x.device().type())(
        prepare(x, dt), col, geometry(x.size(0), x.size(1), 0, 1, in, out, kernel_size, stride, padding, dilation));
  }
  return cast(col, x.dtype());
}

Tensor col2im(const Tensor& columns, IntArrayRef output_size, IntArrayRef kernel_size, IntArrayRef dilation,
              IntArrayRef padding, IntArrayRef stride) {
  EMBER_CHECK(output_size.size() == 2, "It is expected output_size equals to 2, but got size ", output_size.size());
  check_fold_params(kernel_size, dilation, padding, stride);
  EMBER_CHECK(columns.dim() == 3 && columns.size(1) > 0 && columns.size(2) > 0,
              "Expected 2D or 3D (batch mode) tensor for input with possibly 0 batch size and non-zero dimensions "
              "for input, but got: ", columns.sizes());
  EMBER_CHECK(is_floating_point(columns.dtype()), "\"col2im\" not implemented for '", dtype_title(columns.dtype()),
              "'");
  const int64_t kk = kernel_size[0] * kernel_size[1];
  EMBER_CHECK(columns.size(1) % kk == 0,
              "Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got "
              "input.size(1)=", columns.size(1), " and kernel_size=", pair_str(kernel_size), ".");
  const DimVector out = conv_out_sizes(output_size, kernel_size, stride, padding, dilation);
  EMBER_CHECK(out[0] >= 1 && out[1] >= 1, "Given output_size=", pair_str(output_size), ", kernel_size=",
              pair_str(kernel_size), ", dilation=", pair_str(dilation), ", padding=", pair_str(padding), ", stride=",
              pair_str(stride), ", calculated shape of the array of sliding blocks as ", pair_str(out),
              ", which is too small (non-positive)");
  EMBER_CHECK(out[0] * out[1] == columns.size(2), "Given output_size=", pair_str(output_size), ", kernel_size=",
              pair_str(kernel_size), ", dilation=", pair_str(dilation), ", padding=", pair_str(padding), ", stride=",
              pair_str(stride), ", expected size of input's dimension 2 to match the calculated number of sliding "
              "blocks ", out[0], " * ", out[1], " = ", out[0] * out[1], ", but got input.size(2)=", columns.size(2),
              ".");
  const DType dt = float_or_double_dtype(columns.dtype());
  const int64_t channels = columns.size(1) / kk;
  Tensor x = empty({columns.size(0), channels, output_size[0], output_size[1]}, dt, columns.device());
  if (x.numel() > 0) {
    static auto& slot = dispatch::slot("col2im");
    dispatch::kernel<dispatch::Col2imKernel>(slot, columns.device().type())(
        prepare(columns, dt), x,
        geometry(columns.size(0), channels, 0, 1, output_size, out, kernel_size, stride, padding, dilation));
  }
  return cast(x, columns.dtype());
}

}  // namespace ember::ops
