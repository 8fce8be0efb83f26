#pragma once
// Conv1d/2d/3d and ConvTranspose1d/2d/3d with PyTorch's arguments, defaults, parameter names and
// initialisation (weight ~ kaiming_uniform_(a=sqrt(5)), bias ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in))).
#include <initializer_list>
#include <string>
#include <string_view>

#include <ember/nn/module.h>

namespace ember::nn {

// A convolution's padding argument: sizes (one value or one per spatial dim) or "same" / "valid".
struct ConvPadding {
  ConvPadding(int64_t p) : sizes{p} {}  // NOLINT: implicit, as PyTorch's int
  ConvPadding(std::initializer_list<int64_t> p) : sizes(p) {}  // NOLINT
  ConvPadding(IntArrayRef p) : sizes(p) {}  // NOLINT
  template <size_t N>
  ConvPadding(const char (&s)[N]) : mode(s) {}  // NOLINT: a literal; a plain pointer would take the literal 0
  ConvPadding(std::string_view s) : mode(s) {}  // NOLINT
  ConvPadding(const std::string& s) : mode(s) {}  // NOLINT
  DimVector sizes;
  std::string mode;  // "same" / "valid", or empty when sizes are given
};

// What Conv*d and ConvTranspose*d share (PyTorch's _ConvNd): the settings, weight, bias and init.
class _ConvNd : public Module {
 public:
  std::string extra_repr() const override;
  void reset_parameters();

  const int64_t in_channels;
  const int64_t out_channels;
  const DimVector kernel_size;
  const DimVector stride;
  const DimVector padding;        // per dim; zeros when padding_str is set
  const std::string padding_str;  // "same" / "valid", or empty
  const DimVector dilation;
  const bool transposed;
  const DimVector output_padding;
  const int64_t groups;
  const std::string padding_mode;
  Tensor& weight;  // (out, in / groups, *kernel_size); transposed: (in, out / groups, *kernel_size)
  Tensor& bias;    // undefined when bias=false

 protected:
  _ConvNd(int64_t nd, int64_t in_channels, int64_t out_channels, IntArrayRef kernel_size, IntArrayRef stride,
          const ConvPadding& padding, IntArrayRef dilation, bool transposed, IntArrayRef output_padding,
          int64_t groups, bool bias, std::string_view padding_mode, const TensorOptions& options);
  // The input padded by padding_mode when it is not "zeros" (F.pad with (left, right) per dim, last first).
  Tensor pad_input(const Tensor& input) const;
  // F.pad's argument for padding_mode: PyTorch's _reversed_padding_repeated_twice.
  DimVector reversed_padding_repeated_twice;
};

class Conv1d : public _ConvNd {
 public:
  Conv1d(int64_t in_channels, int64_t out_channels, IntArrayRef kernel_size, IntArrayRef stride = 1,
         const ConvPadding& padding = 0, IntArrayRef dilation = 1, int64_t groups = 1, bool bias = true,
         std::string_view padding_mode = "zeros", const TensorOptions& options = {});
  Tensor forward(const Tensor& input) override;
};

class Conv2d : public _ConvNd {
 public:
  Conv2d(int64_t in_channels, int64_t out_channels, IntArrayRef kernel_size, IntArrayRef stride = 1,
         const ConvPadding& padding = 0, IntArrayRef dilation = 1, int64_t groups = 1, bool bias = true,
         std::string_view padding_mode = "zeros", const TensorOptions& options = {});
  Tensor forward(const Tensor& input) override;
};

class Conv3d : public _ConvNd {
 public:
  Conv3d(int64_t in_channels, int64_t out_channels, IntArrayRef kernel_size, IntArrayRef stride = 1,
         const ConvPadding& padding = 0, IntArrayRef dilation = 1, int64_t groups = 1, bool bias = true,
         std::string_view padding_mode = "zeros", const TensorOptions& options = {});
  Tensor forward(const Tensor& input) override;
};

// Transposed convolutions take only padding_mode "zeros", as in PyTorch.
class ConvTranspose1d : public _ConvNd {
 public:
  ConvTranspose1d(int64_t in_channels, int64_t out_channels, IntArrayRef kernel_size, IntArrayRef stride = 1,
                  IntArrayRef padding = 0, IntArrayRef output_padding = 0, int64_t groups = 1, bool bias = true,
                  IntArrayRef dilation = 1, std::string_view padding_mode = "zeros",
                  const TensorOptions& options = {});
  Tensor forward(const Tensor& input) override;
};

class ConvTranspose2d : public _ConvNd {
 public:
  ConvTranspose2d(int64_t in_channels, int64_t out_channels, IntArrayRef kernel_size, IntArrayRef stride = 1,
                  IntArrayRef padding = 0, IntArrayRef output_padding = 0, int64_t groups = 1, bool bias = true,
                  IntArrayRef dilation = 1, std::string_view padding_mode = "zeros",
                  const TensorOptions& options = {});
  Tensor forward(const Tensor& input) override;
};

class ConvTranspose3d : public _ConvNd {
 public:
  ConvTranspose3d(int64_t in_channels, int64_t out_channels, IntArrayRef kernel_size, IntArrayRef stride = 1,
                  IntArrayRef padding = 0, IntArrayRef output_padding = 0, int64_t groups = 1, bool bias = true,
                  IntArrayRef dilation = 1, std::string_view padding_mode = "zeros",
                  const TensorOptions& options = {});
  Tensor forward(const Tensor& input) override;
};

}  // namespace ember::nn
