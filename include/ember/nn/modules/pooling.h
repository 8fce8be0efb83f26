#pragma once
// Pooling modules with PyTorch's arguments and printouts. Sizes are kept as given (one value or one per
// dim) where PyTorch keeps them as given, so the printout matches; an empty stride means kernel_size
// (PyTorch's stride=None). As in libtorch, forward returns the values and forward_with_indices the
// (values, indices) pair that PyTorch returns with return_indices=True.
#include <optional>
#include <tuple>

#include <ember/nn/module.h>

namespace ember::nn {

// MaxPool1d/2d/3d: kernel_size, stride=None (kernel_size), padding=0, dilation=1, return_indices, ceil_mode.
class _MaxPoolNd : public Module {
 public:
  std::string extra_repr() const override;
  const DimVector kernel_size;
  const DimVector stride;
  const DimVector padding;
  const DimVector dilation;
  const bool return_indices;
  const bool ceil_mode;

 protected:
  _MaxPoolNd(IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding, IntArrayRef dilation,
             bool return_indices, bool ceil_mode);
};

#define EMBER_MAX_POOL_MODULE(Name)                                                                        \
  class Name : public _MaxPoolNd {                                                                         \
   public:                                                                                                 \
    explicit Name(IntArrayRef kernel_size, IntArrayRef stride = {}, IntArrayRef padding = 0,               \
                  IntArrayRef dilation = 1, bool return_indices = false, bool ceil_mode = false)           \
        : _MaxPoolNd(kernel_size, stride, padding, dilation, return_indices, ceil_mode) {}                 \
    Tensor forward(const Tensor& input) override;                                                          \
    std::tuple<Tensor, Tensor> forward_with_indices(const Tensor& input);                                  \
  };
EMBER_MAX_POOL_MODULE(MaxPool1d)
EMBER_MAX_POOL_MODULE(MaxPool2d)
EMBER_MAX_POOL_MODULE(MaxPool3d)
#undef EMBER_MAX_POOL_MODULE

// The inverse of MaxPool*d given its indices; kernel_size, stride and padding are stored per dim.
class _MaxUnpoolNd : public Module {
 public:
  std::string extra_repr() const override;
  const DimVector kernel_size;
  const DimVector stride;
  const DimVector padding;

 protected:
  _MaxUnpoolNd(int64_t nd, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding);
};

#define EMBER_MAX_UNPOOL_MODULE(Name, nd)                                                                  \
  class Name : public _MaxUnpoolNd {                                                                       \
   public:                                                                                                 \
    explicit Name(IntArrayRef kernel_size, IntArrayRef stride = {}, IntArrayRef padding = 0)               \
        : _MaxUnpoolNd(nd, kernel_size, stride, padding) {}                                                \
    /* output_size: empty for the default size */                                                          \
    Tensor forward(const Tensor& input, const Tensor& indices, IntArrayRef output_size = {});              \
    Tensor operator()(const Tensor& input, const Tensor& indices, IntArrayRef output_size = {});           \
  };
EMBER_MAX_UNPOOL_MODULE(MaxUnpool1d, 1)
EMBER_MAX_UNPOOL_MODULE(MaxUnpool2d, 2)
EMBER_MAX_UNPOOL_MODULE(MaxUnpool3d, 3)
#undef EMBER_MAX_UNPOOL_MODULE

class _AvgPoolNd : public Module {
 public:
  std::string extra_repr() const override;
  const DimVector kernel_size;
  const DimVector stride;
  const DimVector padding;
  const bool ceil_mode;
  const bool count_include_pad;
  const std::optional<int64_t> divisor_override;

 protected:
  // nd > 0 stores the sizes per dim (AvgPool1d's _single); nd == 0 keeps them as given.
  _AvgPoolNd(int64_t nd, IntArrayRef kernel_size, IntArrayRef stride, IntArrayRef padding, bool ceil_mode,
             bool count_include_pad, std::optional<int64_t> divisor_override);
};

class AvgPool1d : public _AvgPoolNd {
 public:
  explicit AvgPool1d(IntArrayRef kernel_size, IntArrayRef stride = {}, IntArrayRef padding = 0, bool ceil_mode = false,
                     bool count_include_pad = true)
      : _AvgPoolNd(1, kernel_size, stride, padding, ceil_mode, count_include_pad, std::nullopt) {}
  Tensor forward(const Tensor& input) override;
};

class AvgPool2d : public _AvgPoolNd {
 public:
  explicit AvgPool2d(IntArrayRef kernel_size, IntArrayRef stride = {}, IntArrayRef padding = 0, bool ceil_mode = false,
                     bool count_include_pad = true, std::optional<int64_t> divisor_override = std::nullopt)
      : _AvgPoolNd(0, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override) {}
  Tensor forward(const Tensor& input) override;
};

class AvgPool3d : public _AvgPoolNd {
 public:
  explicit AvgPool3d(IntArrayRef kernel_size, IntArrayRef stride = {}, IntArrayRef padding = 0, bool ceil_mode = false,
                     bool count_include_pad = true, std::optional<int64_t> divisor_override = std::nullopt)
      : _AvgPoolNd(0, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override) {}
  Tensor forward(const Tensor& input) override;
};

// output_size as given: one value for every dim or one per dim.
#define EMBER_ADAPTIVE_AVG_POOL_MODULE(Name)                                                               \
  class Name : public Module {                                                                             \
   public:                                                                                                 \
    explicit Name(IntArrayRef output_size) : output_size(output_size) {}                                   \
    Tensor forward(const Tensor& input) override;                                                          \
    std::string extra_repr() const override;                                                               \
    const DimVector output_size;                                                                           \
  };
EMBER_ADAPTIVE_AVG_POOL_MODULE(AdaptiveAvgPool1d)
EMBER_ADAPTIVE_AVG_POOL_MODULE(AdaptiveAvgPool2d)
EMBER_ADAPTIVE_AVG_POOL_MODULE(AdaptiveAvgPool3d)
#undef EMBER_ADAPTIVE_AVG_POOL_MODULE

#define EMBER_ADAPTIVE_MAX_POOL_MODULE(Name)                                                               \
  class Name : public Module {                                                                             \
   public:                                                                                                 \
    explicit Name(IntArrayRef output_size, bool return_indices = false)                                    \
        : output_size(output_size), return_indices(return_indices) {}                                      \
    Tensor forward(const Tensor& input) override;                                                          \
    std::tuple<Tensor, Tensor> forward_with_indices(const Tensor& input);                                  \
    std::string extra_repr() const override;                                                               \
    const DimVector output_size;                                                                           \
    const bool return_indices;                                                                             \
  };
EMBER_ADAPTIVE_MAX_POOL_MODULE(AdaptiveMaxPool1d)
EMBER_ADAPTIVE_MAX_POOL_MODULE(AdaptiveMaxPool2d)
EMBER_ADAPTIVE_MAX_POOL_MODULE(AdaptiveMaxPool3d)
#undef EMBER_ADAPTIVE_MAX_POOL_MODULE

}  // namespace ember::nn
