// Convolution modules: settings checked and stored as PyTorch's _ConvNd does, forward through the
// convolution ops (padding_mode other than "zeros" pads the input first, then convolves unpadded).
#include <cmath>

#include <ember/nn/functional/conv.h>
#include <ember/nn/init.h>
#include <ember/nn/modules/conv.h>
#include <ember/ops/factory.h>

namespace ember::nn {

namespace {

// PyTorch's _single/_pair/_triple: one value for every dim, or exactly nd values.
DimVector ntuple(IntArrayRef v, int64_t nd, const char* what) {
  EMBER_CHECK(v.size() == 1 || int64_t(v.size()) == nd, what, " must have 1 or ", nd, " values, got ", v.size());
  return v.size() == 1 ? DimVector(nd, v[0]) : DimVector(v);
}

// (out, in / groups, *k), or (in, out / groups, *k) when transposed; checks groups first.
DimVector weight_shape(int64_t in, int64_t out, int64_t groups, bool transposed, const DimVector& kernel_size) {
  EMBER_CHECK(groups > 0, "groups must be a positive integer");
  EMBER_CHECK(in % groups == 0, "in_channels must be divisible by groups");
  EMBER_CHECK(out % groups == 0, "out_channels must be divisible by groups");
  DimVector shape = transposed ? DimVector{in, out / groups} : DimVector{out, in / groups};
  for (int64_t k : kernel_size) shape.push_back(k);
  return shape;
}

bool all_equal(const DimVector& v, int64_t x) {
  for (int64_t e : v)
    if (e != x) return false;
  return true;
}

std::optional<Tensor> opt(const Tensor& t) { return t.defined() ? std::optional<Tensor>(t) : std::nullopt; }

}  // namespace

_ConvNd::_ConvNd(int64_t nd, int64_t in_channels, int64_t out_channels, IntArrayRef kernel_size_, IntArrayRef stride_,
                 const ConvPadding& padding_, IntArrayRef dilation_, bool transposed, IntArrayRef output_padding_,
                 int64_t groups, bool bias_, std::string_view padding_mode, const TensorOptions& options)
    : in_channels(in_channels),
      out_channels(out_channels),
      kernel_size(ntuple(kernel_size_, nd, "kernel_size")),
      stride(ntuple(stride_, nd, "stride")),
      padding(padding_.mode.empty() ? ntuple(padding_.sizes, nd, "padding") : DimVector(nd, 0)),
      padding_str(padding_.mode),
      dilation(ntuple(dilation_, nd, "dilation")),
      transposed(transposed),
      output_padding(ntuple(output_padding_, nd, "output_padding")),
      groups(groups),
      padding_mode(padding_mode),
      weight(register_parameter(
          "weight", empty(weight_shape(in_channels, out_channels, groups, transposed, kernel_size), options))),
      bias(register_parameter("bias", bias_ ? empty({out_channels}, options) : Tensor())) {
  EMBER_CHECK(padding_str.empty() || padding_str == "same" || padding_str == "valid", "Invalid padding string '",
              padding_str, "', should be one of {'valid', 'same'}");
  if (padding_str == "same")
    for (int64_t s : stride)
      EMBER_CHECK(s == 1, "padding='same' is not supported for strided convolutions");
  EMBER_CHECK(padding_mode == "zeros" || padding_mode == "reflect" || padding_mode == "replicate" ||
                  padding_mode == "circular",
              "padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='",
              padding_mode, "'");
  // (left, right) per dim, last dim first, as F.pad takes it.
  for (int64_t d = nd - 1; d >= 0; --d) {
    if (padding_str == "same") {
      const int64_t total = dilation[d] * (kernel_size[d] - 1);
      reversed_padding_repeated_twice.push_back(total / 2);
      reversed_padding_repeated_twice.push_back(total - total / 2);
    } else {
      reversed_padding_repeated_twice.push_back(padding[d]);
      reversed_padding_repeated_twice.push_back(padding[d]);
    }
  }
  reset_parameters();
}

void _ConvNd::reset_parameters() {
  // kaiming_uniform_ with a=sqrt(5) gives U(-1/sqrt(fan_in), 1/sqrt(fan_in)), as PyTorch's init does.
  init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (bias.defined()) {
    const int64_t fan_in = init::_calculate_fan_in_and_fan_out(weight).first;
    if (fan_in != 0) {
      const double bound = 1 / std::sqrt(double(fan_in));
      init::uniform_(bias, -bound, bound);
    }
  }
}

Tensor _ConvNd::pad_input(const Tensor& input) const {
  return functional::pad(input, reversed_padding_repeated_twice, padding_mode);
}

std::string _ConvNd::extra_repr() const {
  std::string s = std::to_string(in_channels) + ", " + std::to_string(out_channels) +
                  ", kernel_size=" + py_repr(kernel_size) + ", stride=" + py_repr(stride);
  if (!padding_str.empty())
    s += ", padding=" + padding_str;
  else if (!all_equal(padding, 0))
    s += ", padding=" + py_repr(padding);
  if (!all_equal(dilation, 1)) s += ", dilation=" + py_repr(dilation);
  if (!all_equal(output_padding, 0)) s += ", output_padding=" + py_repr(output_padding);
  if (groups != 1) s += ", groups=" + std::to_string(groups);
  if (!bias.defined()) s += ", bias=False";
  if (padding_mode != "zeros") s += ", padding_mode=" + padding_mode;
  return s;
}

#define EMBER_CONV_MODULE(Name, nd, fn)                                                                           \
  Name::Name(int64_t in_channels, int64_t out_channels, IntArrayRef kernel_size, IntArrayRef stride,              \
             const ConvPadding& padding, IntArrayRef dilation, int64_t groups, bool bias,                         \
             std::string_view padding_mode, const TensorOptions& options)                                         \
      : _ConvNd(nd, in_channels, out_channels, kernel_size, stride, padding, dilation, false, 0, groups, bias,    \
                padding_mode, options) {}                                                                         \
  Tensor Name::forward(const Tensor& input) {                                                                     \
    if (padding_mode != "zeros")                                                                                  \
      return functional::fn(pad_input(input), weight, opt(bias), stride, 0, dilation, groups);                   \
    if (!padding_str.empty()) return functional::fn(input, weight, opt(bias), stride, padding_str, dilation, groups); \
    return functional::fn(input, weight, opt(bias), stride, padding, dilation, groups);                          \
  }

EMBER_CONV_MODULE(Conv1d, 1, conv1d)
EMBER_CONV_MODULE(Conv2d, 2, conv2d)
EMBER_CONV_MODULE(Conv3d, 3, conv3d)
#undef EMBER_CONV_MODULE

#define EMBER_CONV_TRANSPOSE_MODULE(Name, nd, fn)                                                                 \
  Name::Name(int64_t in_channels, int64_t out_channels, IntArrayRef kernel_size, IntArrayRef stride,              \
             IntArrayRef padding, IntArrayRef output_padding, int64_t groups, bool bias, IntArrayRef dilation,    \
             std::string_view padding_mode, const TensorOptions& options)                                         \
      : _ConvNd(nd, in_channels, out_channels, kernel_size, stride, padding, dilation, true, output_padding,      \
                groups, bias, padding_mode, options) {                                                            \
    EMBER_CHECK(padding_mode == "zeros", "Only \"zeros\" padding mode is supported for " #Name);                  \
  }                                                                                                               \
  Tensor Name::forward(const Tensor& input) {                                                                     \
    return functional::fn(input, weight, opt(bias), stride, padding, output_padding, groups, dilation);          \
  }

EMBER_CONV_TRANSPOSE_MODULE(ConvTranspose1d, 1, conv_transpose1d)
EMBER_CONV_TRANSPOSE_MODULE(ConvTranspose2d, 2, conv_transpose2d)
EMBER_CONV_TRANSPOSE_MODULE(ConvTranspose3d, 3, conv_transpose3d)
#undef EMBER_CONV_TRANSPOSE_MODULE

}  // namespace ember::nn
