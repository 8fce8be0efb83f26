// Public convolutions and im2col/col2im. A convolution's forward, input gradient and weight gradient are
// three ops that each record a node whose backward is written with the other two (the input gradient is
// conv_transpose's forward), so double backward works, as in PyTorch's convolution_backward. The input
// gradient is skipped when the input needs none (the first layer of a network), which saves a third of a
// training step's convolution work there.
#include <ember/autocast.h>
#include <ember/ops/conv.h>

#include <algorithm>
#include <string>

#include "autograd/record.h"
#include "ops/conv.h"
#include "ops/ops.h"

namespace ember {

namespace {

using autograd::record;
using autograd::save_if;
using autograd::SavedVariable;

struct ConvParams {
  DimVector stride, padding, dilation;
  int64_t groups = 1;
};


bool needs(const Tensor& t) { return t.defined() && t.requires_grad(); }

Tensor conv_input_grad(const Tensor& gy, const Tensor& w, IntArrayRef x_sizes, const ConvParams& p);
Tensor conv_weight_grad(const Tensor& x, const Tensor& gy, IntArrayRef w_sizes, const ConvParams& p);

// The bias gradient: grad_output summed over the batch and spatial dims.
Tensor bias_grad(const Tensor& gy) {
  DimVector dims{0};
  for (int64_t d = 2; d < gy.dim(); ++d) dims.push_back(d);
  return gy.sum(dims);
}

// out_sizes: see ops::conv_forward.
Tensor conv_forward(const Tensor& x, const Tensor& w, const Tensor& b, const ConvParams& p,
                    IntArrayRef out_sizes = {}) {
  Tensor y = ops::conv_forward(x, w, b, p.stride, p.padding, p.dilation, p.groups, out_sizes);
  if (autograd::any_requires_grad({&x, &w, &b})) {
    DimVector xs(x.sizes()), ws(w.sizes());
    record("ConvolutionBackward0", {&y}, {&x, &w, &b},
           [p, xs, ws, sx = save_if(needs(w), x), sw = save_if(needs(x), w)](
               autograd::Node& n, const tensor_list& g) -> tensor_list {
             Tensor gx, gw, gb;
             if (n.should_compute_output(0)) gx = conv_input_grad(g[0], sw.unpack(), xs, p);
             if (n.should_compute_output(1)) gw = conv_weight_grad(sx.unpack(), g[0], ws, p);
             if (n.should_compute_output(2)) gb = bias_grad(g[0]);
             return {gx, gw, gb};
           });
  }
  return y;
}

Tensor conv_input_grad(const Tensor& gy, const Tensor& w, IntArrayRef x_sizes, const ConvParams& p) {
  Tensor gx = ops::conv_input_grad(gy, w, x_sizes, p.stride, p.padding, p.dilation, p.groups);
  if (autograd::any_requires_grad({&gy, &w})) {
    DimVector ws(w.sizes()), out(IntArrayRef(gy.sizes().data() + 2, size_t(gy.dim() - 2)));
    record("ConvolutionBackwardBackward0", {&gx}, {&gy, &w},
           [p, ws, out, sgy = save_if(needs(w), gy), sw = save_if(needs(gy), w)](
               autograd::Node& n, const tensor_list& g) -> tensor_list {
             Tensor ggy, gw;
             if (n.should_compute_output(0)) ggy = conv_forward(g[0], sw.unpack(), Tensor(), p, out);
             if (n.should_compute_output(1)) gw = conv_weight_grad(g[0], sgy.unpack(), ws, p);
             return {ggy, gw};
           });
  }
  return gx;
}

Tensor conv_weight_grad(const Tensor& x, const Tensor& gy, IntArrayRef w_sizes, const ConvParams& p) {
  Tensor gw = ops::conv_weight_grad(x, gy, w_sizes, p.stride, p.padding, p.dilation, p.groups);
  if (autograd::any_requires_grad({&x, &gy})) {
    DimVector xs(x.sizes()), out(IntArrayRef(gy.sizes().data() + 2, size_t(gy.dim() - 2)));
    record("ConvolutionBackwardBackward1", {&gw}, {&x, &gy},
           [p, xs, out, sx = save_if(needs(gy), x), sgy = save_if(needs(x), gy)](
               autograd::Node& n, const tensor_list& g) -> tensor_list {
             Tensor gx, ggy;
             if (n.should_compute_output(0)) gx = conv_input_grad(sgy.unpack(), g[0], xs, p);
             if (n.should_compute_output(1)) ggy = conv_forward(sx.unpack(), g[0], Tensor(), p, out);
             return {gx, ggy};
           });
  }
  return gw;
}

// conv_transpose's output sizes (N, C_out, *out) for x (N, C_in, *in).
DimVector transposed_sizes(const Tensor& x, const Tensor& w, const ConvParams& p, IntArrayRef output_padding) {
  DimVector s{x.size(0), w.size(1) * p.groups};
  for (int64_t d = 2; d < x.dim(); ++d) {
    const size_t u = size_t(d - 2);
    s.push_back((x.size(d) - 1) * p.stride[u] - 2 * p.padding[u] + p.dilation[u] * (w.size(d) - 1) +
                output_padding[u] + 1);
  }
  return s;
}

// Adds a unbatched input's batch dim, naming the op and the dims it takes when the input fits neither.
bool unbatched(const Tensor& input, int64_t nd, const char* op) {
  EMBER_CHECK(input.dim() == nd + 1 || input.dim() == nd + 2, "Expected ", nd + 1, "D (unbatched) or ", nd + 2,
              "D (batched) input to ", op, ", but got input of size: ", input.sizes());
  return input.dim() == nd + 1;
}

Tensor conv_nd(int64_t nd, const char* op, const Tensor& input, const Tensor& weight,
               const std::optional<Tensor>& bias, IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation,
               int64_t groups) {
  const bool single = unbatched(input, nd, op);
  Tensor out = convolution(single ? input.unsqueeze(0) : input, weight, bias, stride, padding, dilation, false, 0,
                           groups);
  return single ? out.squeeze(0) : out;
}

// padding="same"/"valid" (PyTorch's _convolution_mode): "same" pads (dilation * (kernel - 1)) / 2 on both
// sides, plus one more on the right where that total is odd.
Tensor conv_mode(int64_t nd, const char* op, const Tensor& input, const Tensor& weight,
                 const std::optional<Tensor>& bias, IntArrayRef stride, std::string_view padding,
                 IntArrayRef dilation, int64_t groups) {
  if (padding == "valid") return conv_nd(nd, op, input, weight, bias, stride, 0, dilation, groups);
  EMBER_CHECK(padding == "same", "Invalid padding string: '", std::string(padding), "'");
  const bool single = unbatched(input, nd, op);
  const Tensor x = single ? input.unsqueeze(0) : input;
  const int64_t k = weight.dim() - 2;
  EMBER_CHECK(k >= 1 && k <= 3 && x.dim() == weight.dim(), "Expected ", weight.dim(), "-dimensional input for ",
              weight.dim(), "-dimensional weight ", weight.sizes(), ", but got ", x.dim(),
              "-dimensional input of size ", x.sizes(), " instead");
  const DimVector s = ops::expand_param(stride, k, "stride"), d = ops::expand_param(dilation, k, "dilation");
  for (int64_t v : s) EMBER_CHECK(v == 1, "padding='same' is not supported for strided convolutions");
  DimVector left, extra;
  bool symmetric = true;
  for (int64_t i = 0; i < k; ++i) {
    const int64_t total = d[size_t(i)] * (weight.size(2 + i) - 1);
    left.push_back(total / 2);
    symmetric = symmetric && total % 2 == 0;
  }
  Tensor padded = x;
  if (!symmetric) {
    for (int64_t i = k; i-- > 0;) {
      extra.push_back(0);
      extra.push_back(d[size_t(i)] * (weight.size(2 + i) - 1) % 2);
    }
    padded = constant_pad_nd(x, extra, 0);
  }
  Tensor out = convolution(padded, weight, bias, s, left, d, false, 0, groups);
  return single ? out.squeeze(0) : out;
}

Tensor conv_transpose_nd(int64_t nd, const char* op, const Tensor& input, const Tensor& weight,
                         const std::optional<Tensor>& bias, IntArrayRef stride, IntArrayRef padding,
                         IntArrayRef output_padding, int64_t groups, IntArrayRef dilation) {
  const bool single = unbatched(input, nd, op);
  Tensor out = convolution(single ? input.unsqueeze(0) : input, weight, bias, stride, padding, dilation, true,
                           output_padding, groups);
  return single ? out.squeeze(0) : out;
}

}  // namespace

Tensor convolution(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias, IntArrayRef stride,
                   IntArrayRef padding, IntArrayRef dilation, bool transposed, IntArrayRef output_padding,
                   int64_t groups) {
  EMBER_AUTOCAST("convolution", convolution, input, weight, bias, stride, padding, dilation, transposed, output_padding, groups);
  ops::check_convolution(input, weight, bias, stride, padding, dilation, transposed, output_padding, groups);
  const int64_t nd = weight.dim() - 2;
  ConvParams p{ops::expand_param(stride, nd, "stride"), ops::expand_param(padding, nd, "padding"),
               ops::expand_param(dilation, nd, "dilation"), groups};
  const Tensor b = bias ? *bias : Tensor();
  if (!transposed) return conv_forward(input, weight, b, p);
  const DimVector op = ops::expand_param(output_padding, nd, "output_padding");
  Tensor out = conv_input_grad(input, weight, transposed_sizes(input, weight, p, op), p);
  if (!b.defined()) return out;
  DimVector bshape{1, b.size(0)};
  for (int64_t i = 0; i < nd; ++i) bshape.push_back(1);
  return out.add(b.view(bshape));
}

Tensor conv1d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias, IntArrayRef stride,
              IntArrayRef padding, IntArrayRef dilation, int64_t groups) {
  return conv_nd(1, "conv1d", input, weight, bias, stride, padding, dilation, groups);
}
Tensor conv2d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias, IntArrayRef stride,
              IntArrayRef padding, IntArrayRef dilation, int64_t groups) {
  return conv_nd(2, "conv2d", input, weight, bias, stride, padding, dilation, groups);
}
Tensor conv3d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias, IntArrayRef stride,
              IntArrayRef padding, IntArrayRef dilation, int64_t groups) {
  return conv_nd(3, "conv3d", input, weight, bias, stride, padding, dilation, groups);
}

Tensor _convolution_mode(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias,
                         IntArrayRef stride, std::string_view padding, IntArrayRef dilation, int64_t groups) {
  static const char* names[] = {"conv1d", "conv2d", "conv3d"};
  const int64_t nd = std::clamp<int64_t>(weight.dim() - 2, 1, 3);
  return conv_mode(nd, names[nd - 1], input, weight, bias, stride, padding, dilation, groups);
}

Tensor conv_transpose1d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias,
                        IntArrayRef stride, IntArrayRef padding, IntArrayRef output_padding, int64_t groups,
                        IntArrayRef dilation) {
  return conv_transpose_nd(1, "conv_transpose1d", input, weight, bias, stride, padding, output_padding, groups,
                           dilation);
}
Tensor conv_transpose2d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias,
                        IntArrayRef stride, IntArrayRef padding, IntArrayRef output_padding, int64_t groups,
                        IntArrayRef dilation) {
  return conv_transpose_nd(2, "conv_transpose2d", input, weight, bias, stride, padding, output_padding, groups,
                           dilation);
}
Tensor conv_transpose3d(const Tensor& input, const Tensor& weight, const std::optional<Tensor>& bias,
                        IntArrayRef stride, IntArrayRef padding, IntArrayRef output_padding, int64_t groups,
                        IntArrayRef dilation) {
  return conv_transpose_nd(3, "conv_transpose3d", input, weight, bias, stride, padding, output_padding, groups,
                           dilation);
}

namespace {
Tensor col2im_batched(const Tensor& cols, IntArrayRef output_size, IntArrayRef k, IntArrayRef d, IntArrayRef p,
                      IntArrayRef s);

Tensor im2col_batched(const Tensor& x, IntArrayRef k, IntArrayRef d, IntArrayRef p, IntArrayRef s) {
  Tensor out = ops::im2col(x, k, d, p, s);
  if (autograd::any_requires_grad({&x})) {
    DimVector in{x.size(2), x.size(3)}, kk(k), dd(d), pp(p), ss(s);
    record("Im2ColBackward0", {&out}, {&x}, [in, kk, dd, pp, ss](autograd::Node&, const tensor_list& g) -> tensor_list {
      return {col2im_batched(g[0], in, kk, dd, pp, ss)};
    });
  }
  return out;
}

Tensor col2im_batched(const Tensor& cols, IntArrayRef output_size, IntArrayRef k, IntArrayRef d, IntArrayRef p,
                      IntArrayRef s) {
  Tensor out = ops::col2im(cols, output_size, k, d, p, s);
  if (autograd::any_requires_grad({&cols})) {
    DimVector kk(k), dd(d), pp(p), ss(s);
    record("Col2ImBackward0", {&out}, {&cols}, [kk, dd, pp, ss](autograd::Node&, const tensor_list& g) -> tensor_list {
      return {im2col_batched(g[0], kk, dd, pp, ss)};
    });
  }
  return out;
}
}  // namespace

Tensor im2col(const Tensor& self, IntArrayRef kernel_size, IntArrayRef dilation, IntArrayRef padding,
              IntArrayRef stride) {
  if (self.dim() == 3) return im2col_batched(self.unsqueeze(0), kernel_size, dilation, padding, stride).squeeze(0);
  return im2col_batched(self, kernel_size, dilation, padding, stride);
}

Tensor col2im(const Tensor& self, IntArrayRef output_size, IntArrayRef kernel_size, IntArrayRef dilation,
              IntArrayRef padding, IntArrayRef stride) {
  if (self.dim() == 2)
    return col2im_batched(self.unsqueeze(0), output_size, kernel_size, dilation, padding, stride).squeeze(0);
  return col2im_batched(self, output_size, kernel_size, dilation, padding, stride);
}

}  // namespace ember
