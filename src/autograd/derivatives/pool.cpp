// Public pooling ops and their derivatives. Each backward is itself a recorded op, so double backward
// works: a max pool's gradient is a scatter of grad at the saved indices (whose own gradient gathers
// at them), an average pool's gradient is the adjoint average (whose own gradient is the forward
// pool again), and max_unpool's gradient gathers at its indices.
#include <ember/autocast.h>
#include <ember/ops/pool.h>

#include "autograd/record.h"
#include "ops/ops.h"
#include "ops/pool.h"

namespace ember {

namespace {

// grad flattened over the nd spatial dims, gathered at indices: the adjoint of a scatter at them.
Tensor gather_spatial_at(const Tensor& grad, const Tensor& indices, int nd) {
  Tensor g = grad.flatten(grad.dim() - nd);
  Tensor i = indices.flatten(indices.dim() - nd);
  return g.gather(-1, i).view(indices.sizes());
}

Tensor max_pool_backward(const Tensor& grad, const Tensor& indices, IntArrayRef input_sizes, int nd) {
  Tensor out = ops::max_pool_backward(grad, indices, input_sizes, nd);
  if (autograd::any_requires_grad({&grad}))
    autograd::record("MaxPoolBackwardBackward0", {&out}, {&grad},
                     [indices, nd](autograd::Node&, const tensor_list& g) -> tensor_list {
                       return {gather_spatial_at(g[0], indices, nd)};
                     });
  return out;
}

std::tuple<Tensor, Tensor> record_max(const char* name, const Tensor& self, std::tuple<Tensor, Tensor> result, int nd) {
  auto& [out, indices] = result;
  if (autograd::any_requires_grad({&self})) {
    DimVector sizes(self.sizes());
    autograd::record(name, {&out}, {&self},
                     [indices = indices, sizes, nd](autograd::Node&, const tensor_list& g) -> tensor_list {
                       return {max_pool_backward(g[0], indices, sizes, nd)};
                     });
  }
  return result;
}

std::tuple<Tensor, Tensor> max_pool_nd(const char* name, int nd, const Tensor& self, IntArrayRef kernel_size,
                                       IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  return record_max(name, self, ops::max_pool(self, nd, kernel_size, stride, padding, dilation, ceil_mode), nd);
}

// An average pool's arguments, kept for its backward and double backward.
struct AvgArgs {
  int nd;
  DimVector kernel_size, stride, padding;
  bool ceil_mode, count_include_pad;
  std::optional<int64_t> divisor_override;
};

Tensor avg_pool_forward(const Tensor& self, const AvgArgs& a);

Tensor avg_pool_backward(const Tensor& grad, IntArrayRef input_sizes, const AvgArgs& a) {
  Tensor out = ops::avg_pool_backward(grad, input_sizes, a.nd, a.kernel_size, a.stride, a.padding, a.ceil_mode,
                                      a.count_include_pad, a.divisor_override);
  if (autograd::any_requires_grad({&grad}))
    autograd::record("AvgPoolBackwardBackward0", {&out}, {&grad},
                     [a](autograd::Node&, const tensor_list& g) -> tensor_list { return {avg_pool_forward(g[0], a)}; });
  return out;
}

Tensor avg_pool_forward(const Tensor& self, const AvgArgs& a) {
  Tensor out = ops::avg_pool(self, a.nd, a.kernel_size, a.stride, a.padding, a.ceil_mode, a.count_include_pad,
                             a.divisor_override);
  if (autograd::any_requires_grad({&self})) {
    DimVector sizes(self.sizes());
    static const char* const names[] = {"", "AvgPool1DBackward0", "AvgPool2DBackward0", "AvgPool3DBackward0"};
    autograd::record(names[a.nd], {&out}, {&self}, [a, sizes](autograd::Node&, const tensor_list& g) -> tensor_list {
      return {avg_pool_backward(g[0], sizes, a)};
    });
  }
  return out;
}

Tensor avg_pool_nd(int nd, const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding,
                   bool ceil_mode, bool count_include_pad, std::optional<int64_t> divisor_override) {
  return avg_pool_forward(self, AvgArgs{nd, DimVector(kernel_size), DimVector(stride), DimVector(padding), ceil_mode,
                                        count_include_pad, divisor_override});
}

Tensor adaptive_avg(const Tensor& self, IntArrayRef output_size, int nd);

Tensor adaptive_avg_backward(const Tensor& grad, IntArrayRef input_sizes, int nd) {
  Tensor out = ops::adaptive_avg_pool_backward(grad, input_sizes, nd);
  if (autograd::any_requires_grad({&grad})) {
    DimVector out_sizes;
    for (int64_t i = grad.dim() - nd; i < grad.dim(); ++i) out_sizes.push_back(grad.size(i));
    autograd::record("AdaptiveAvgPoolBackwardBackward0", {&out}, {&grad},
                     [out_sizes, nd](autograd::Node&, const tensor_list& g) -> tensor_list {
                       return {adaptive_avg(g[0], out_sizes, nd)};
                     });
  }
  return out;
}

// A single output size stands for every spatial dim, as in torch.nn.functional.
DimVector expand_output_size(IntArrayRef output_size, int nd) {
  return output_size.size() == 1 ? DimVector(size_t(nd), output_size[0]) : DimVector(output_size);
}

Tensor adaptive_avg(const Tensor& self, IntArrayRef output_size, int nd) {
  Tensor out = ops::adaptive_avg_pool(self, nd, expand_output_size(output_size, nd));
  if (autograd::any_requires_grad({&self})) {
    DimVector sizes(self.sizes());
    static const char* const names[] = {"", "AdaptiveAvgPool1DBackward0", "AdaptiveAvgPool2DBackward0",
                                        "AdaptiveAvgPool3DBackward0"};
    autograd::record(names[nd], {&out}, {&self}, [sizes, nd](autograd::Node&, const tensor_list& g) -> tensor_list {
      return {adaptive_avg_backward(g[0], sizes, nd)};
    });
  }
  return out;
}

std::tuple<Tensor, Tensor> adaptive_max(const char* name, const Tensor& self, IntArrayRef output_size, int nd) {
  return record_max(name, self, ops::adaptive_max_pool(self, nd, expand_output_size(output_size, nd)), nd);
}

Tensor max_unpool_nd(const Tensor& self, const Tensor& indices, IntArrayRef output_size, int nd) {
  Tensor out = ops::max_unpool(self, indices, output_size, nd);
  if (autograd::any_requires_grad({&self})) {
    static const char* const names[] = {"", "MaxUnpool1DBackward0", "MaxUnpool2DBackward0", "MaxUnpool3DBackward0"};
    autograd::record(names[nd], {&out}, {&self}, [indices, nd](autograd::Node&, const tensor_list& g) -> tensor_list {
      return {gather_spatial_at(g[0], indices, nd)};
    });
  }
  return out;
}

}  // namespace

Tensor max_pool1d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding,
                  IntArrayRef dilation, bool ceil_mode) {
  return std::get<0>(max_pool1d_with_indices(self, kernel_size, stride, padding, dilation, ceil_mode));
}
Tensor max_pool2d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding,
                  IntArrayRef dilation, bool ceil_mode) {
  return std::get<0>(max_pool2d_with_indices(self, kernel_size, stride, padding, dilation, ceil_mode));
}
Tensor max_pool3d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding,
                  IntArrayRef dilation, bool ceil_mode) {
  EMBER_AUTOCAST("max_pool3d", max_pool3d, self, kernel_size, stride, padding, dilation, ceil_mode);
  return std::get<0>(max_pool3d_with_indices(self, kernel_size, stride, padding, dilation, ceil_mode));
}
std::tuple<Tensor, Tensor> max_pool1d_with_indices(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                                                   IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  return max_pool_nd("MaxPool1DWithIndicesBackward0", 1, self, kernel_size, stride, padding, dilation, ceil_mode);
}
std::tuple<Tensor, Tensor> max_pool2d_with_indices(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                                                   IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  return max_pool_nd("MaxPool2DWithIndicesBackward0", 2, self, kernel_size, stride, padding, dilation, ceil_mode);
}
std::tuple<Tensor, Tensor> max_pool3d_with_indices(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride,
                                                   IntArrayRef padding, IntArrayRef dilation, bool ceil_mode) {
  return max_pool_nd("MaxPool3DWithIndicesBackward0", 3, self, kernel_size, stride, padding, dilation, ceil_mode);
}

Tensor max_unpool1d(const Tensor& self, const Tensor& indices, IntArrayRef output_size) {
  return max_unpool_nd(self, indices, output_size, 1);
}
Tensor max_unpool2d(const Tensor& self, const Tensor& indices, IntArrayRef output_size) {
  EMBER_AUTOCAST("max_unpool2d", max_unpool2d, self, indices, output_size);
  return max_unpool_nd(self, indices, output_size, 2);
}
Tensor max_unpool3d(const Tensor& self, const Tensor& indices, IntArrayRef output_size) {
  EMBER_AUTOCAST("max_unpool3d", max_unpool3d, self, indices, output_size);
  return max_unpool_nd(self, indices, output_size, 3);
}

Tensor avg_pool1d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding, bool ceil_mode,
                  bool count_include_pad) {
  return avg_pool_nd(1, self, kernel_size, stride, padding, ceil_mode, count_include_pad, std::nullopt);
}
Tensor avg_pool2d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding, bool ceil_mode,
                  bool count_include_pad, std::optional<int64_t> divisor_override) {
  return avg_pool_nd(2, self, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override);
}
Tensor avg_pool3d(const Tensor& self, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding, bool ceil_mode,
                  bool count_include_pad, std::optional<int64_t> divisor_override) {
  EMBER_AUTOCAST("avg_pool3d", avg_pool3d, self, kernel_size, stride, padding, ceil_mode, count_include_pad,
                 divisor_override);
  return avg_pool_nd(3, self, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override);
}

Tensor adaptive_avg_pool1d(const Tensor& self, IntArrayRef output_size) { return adaptive_avg(self, output_size, 1); }
Tensor adaptive_avg_pool2d(const Tensor& self, IntArrayRef output_size) { return adaptive_avg(self, output_size, 2); }
Tensor adaptive_avg_pool3d(const Tensor& self, IntArrayRef output_size) {
  EMBER_AUTOCAST("adaptive_avg_pool3d", adaptive_avg_pool3d, self, output_size);
  return adaptive_avg(self, output_size, 3);
}
std::tuple<Tensor, Tensor> adaptive_max_pool1d(const Tensor& self, IntArrayRef output_size) {
  return adaptive_max("AdaptiveMaxPool1DBackward0", self, output_size, 1);
}
std::tuple<Tensor, Tensor> adaptive_max_pool2d(const Tensor& self, IntArrayRef output_size) {
  return adaptive_max("AdaptiveMaxPool2DBackward0", self, output_size, 2);
}
std::tuple<Tensor, Tensor> adaptive_max_pool3d(const Tensor& self, IntArrayRef output_size) {
  EMBER_AUTOCAST("adaptive_max_pool3d", adaptive_max_pool3d, self, output_size);
  return adaptive_max("AdaptiveMaxPool3DBackward0", self, output_size, 3);
}

}  // namespace ember
