// Pooling modules: stored settings, PyTorch's printouts, forward through the pooling ops.
#include <ember/nn/functional/pool.h>
#include <ember/nn/modules/pooling.h>

#include "nn/repr_util.h"

namespace ember::nn {

namespace {

// Python's str of a size argument kept as given: an int, or a tuple.
DimVector ntuple(IntArrayRef v, int64_t nd) { return v.size() == 1 ? DimVector(nd, v[0]) : DimVector(v); }

}  // namespace

_MaxPoolNd::_MaxPoolNd(IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation,
                       bool return_indices, bool ceil_mode)
    : kernel_size(kernel_size),
      stride(stride.empty() ? kernel_size : stride),
      padding(padding),
      dilation(dilation),
      return_indices(return_indices),
      ceil_mode(ceil_mode) {}

std::string _MaxPoolNd::extra_repr() const {
  return "kernel_size=" + py_repr_as_given(kernel_size) + ", stride=" + py_repr_as_given(stride) + ", padding=" + py_repr_as_given(padding) +
         ", dilation=" + py_repr_as_given(dilation) + ", ceil_mode=" + py_repr(ceil_mode);
}

#define EMBER_MAX_POOL_FORWARD(Name, fn)                                                                   \
  Tensor Name::forward(const Tensor& input) {                                                              \
    return functional::fn(input, kernel_size, stride, padding, dilation, ceil_mode);                       \
  }                                                                                                        \
  std::tuple<Tensor, Tensor> Name::forward_with_indices(const Tensor& input) {                             \
    return functional::fn##_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode);        \
  }
EMBER_MAX_POOL_FORWARD(MaxPool1d, max_pool1d)
EMBER_MAX_POOL_FORWARD(MaxPool2d, max_pool2d)
EMBER_MAX_POOL_FORWARD(MaxPool3d, max_pool3d)
#undef EMBER_MAX_POOL_FORWARD

_MaxUnpoolNd::_MaxUnpoolNd(int64_t nd, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding)
    : kernel_size(ntuple(kernel_size, nd)),
      stride(ntuple(stride.empty() ? kernel_size : stride, nd)),
      padding(ntuple(padding, nd)) {}

std::string _MaxUnpoolNd::extra_repr() const {
  return "kernel_size=" + py_repr(kernel_size) + ", stride=" + py_repr(stride) + ", padding=" + py_repr(padding);
}

#define EMBER_MAX_UNPOOL_FORWARD(Name, fn)                                                                 \
  Tensor Name::forward(const Tensor& input, const Tensor& indices, IntArrayRef output_size) {              \
    return functional::fn(input, indices, kernel_size, stride, padding, output_size);                      \
  }                                                                                                        \
  Tensor Name::operator()(const Tensor& input, const Tensor& indices, IntArrayRef output_size) {           \
    if (!has_hooks()) return forward(input, indices, output_size);                                         \
    DimVector size(output_size);                                                                           \
    return call_with_hooks({input, indices}, [this, size](const tensor_list& in) {                         \
             EMBER_CHECK(in.size() == 2, #Name ".forward takes 2 inputs but a forward pre-hook gave ",     \
                         in.size());                                                                       \
             return tensor_list{forward(in[0], in[1], size)};                                              \
           })                                                                                              \
        .at(0);                                                                                            \
  }
EMBER_MAX_UNPOOL_FORWARD(MaxUnpool1d, max_unpool1d)
EMBER_MAX_UNPOOL_FORWARD(MaxUnpool2d, max_unpool2d)
EMBER_MAX_UNPOOL_FORWARD(MaxUnpool3d, max_unpool3d)
#undef EMBER_MAX_UNPOOL_FORWARD

_AvgPoolNd::_AvgPoolNd(int64_t nd, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding, bool ceil_mode,
                       bool count_include_pad, std::optional<int64_t> divisor_override)
    : kernel_size(nd ? ntuple(kernel_size, nd) : DimVector(kernel_size)),
      stride(nd ? ntuple(stride.empty() ? kernel_size : stride, nd) : DimVector(stride.empty() ? kernel_size : stride)),
      padding(nd ? ntuple(padding, nd) : DimVector(padding)),
      ceil_mode(ceil_mode),
      count_include_pad(count_include_pad),
      divisor_override(divisor_override) {}

std::string _AvgPoolNd::extra_repr() const {
  // AvgPool1d holds 1-tuples, which Python prints as (k,); the others hold the arguments as given.
  auto str = [this](const DimVector& v) { return dynamic_cast<const AvgPool1d*>(this) ? py_repr(v) : py_repr_as_given(v); };
  return "kernel_size=" + str(kernel_size) + ", stride=" + str(stride) + ", padding=" + str(padding);
}

Tensor AvgPool1d::forward(const Tensor& input) {
  return functional::avg_pool1d(input, kernel_size, stride, padding, ceil_mode, count_include_pad);
}
Tensor AvgPool2d::forward(const Tensor& input) {
  return functional::avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override);
}
Tensor AvgPool3d::forward(const Tensor& input) {
  return functional::avg_pool3d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override);
}

#define EMBER_ADAPTIVE_POOL_COMMON(Name)                                                                   \
  std::string Name::extra_repr() const { return "output_size=" + py_repr_as_given(output_size); }
EMBER_ADAPTIVE_POOL_COMMON(AdaptiveAvgPool1d)
EMBER_ADAPTIVE_POOL_COMMON(AdaptiveAvgPool2d)
EMBER_ADAPTIVE_POOL_COMMON(AdaptiveAvgPool3d)
EMBER_ADAPTIVE_POOL_COMMON(AdaptiveMaxPool1d)
EMBER_ADAPTIVE_POOL_COMMON(AdaptiveMaxPool2d)
EMBER_ADAPTIVE_POOL_COMMON(AdaptiveMaxPool3d)
#undef EMBER_ADAPTIVE_POOL_COMMON

Tensor AdaptiveAvgPool1d::forward(const Tensor& input) { return functional::adaptive_avg_pool1d(input, output_size); }
Tensor AdaptiveAvgPool2d::forward(const Tensor& input) { return functional::adaptive_avg_pool2d(input, output_size); }
Tensor AdaptiveAvgPool3d::forward(const Tensor& input) { return functional::adaptive_avg_pool3d(input, output_size); }

#define EMBER_ADAPTIVE_MAX_FORWARD(Name, fn)                                                               \
  Tensor Name::forward(const Tensor& input) { return functional::fn(input, output_size); }                 \
  std::tuple<Tensor, Tensor> Name::forward_with_indices(const Tensor& input) {                             \
    return functional::fn##_with_indices(input, output_size);                                              \
  }
EMBER_ADAPTIVE_MAX_FORWARD(AdaptiveMaxPool1d, adaptive_max_pool1d)
EMBER_ADAPTIVE_MAX_FORWARD(AdaptiveMaxPool2d, adaptive_max_pool2d)
EMBER_ADAPTIVE_MAX_FORWARD(AdaptiveMaxPool3d, adaptive_max_pool3d)
#undef EMBER_ADAPTIVE_MAX_FORWARD

}  // namespace ember::nn
