#pragma once
// torch.nn.init: in-place initialisers. Each runs under no_grad (so it works on parameters) and returns its
// argument; the random ones take an optional Generator, as in torch 2.x. Errors are PyTorch's ValueErrors.
#include <optional>
#include <string_view>
#include <utility>

#include <ember/core/generator.h>
#include <ember/tensor.h>

namespace ember::nn::init {

// The recommended gain for a nonlinearity: linear/conv*/sigmoid 1, tanh 5/3, relu sqrt(2),
// leaky_relu sqrt(2 / (1 + slope^2)) (slope `param`, default 0.01), selu 3/4.
double calculate_gain(std::string_view nonlinearity, std::optional<double> param = std::nullopt);
// (fan_in, fan_out): size(1) * receptive field and size(0) * receptive field, the receptive field being
// the product of the dims after the first two. Needs at least 2 dims.
std::pair<int64_t, int64_t> _calculate_fan_in_and_fan_out(const Tensor& tensor);
// fan_in or fan_out, by mode ("fan_in" / "fan_out").
int64_t _calculate_correct_fan(const Tensor& tensor, std::string_view mode);

Tensor uniform_(Tensor tensor, double a = 0, double b = 1, std::optional<Generator> generator = std::nullopt);
Tensor normal_(Tensor tensor, double mean = 0, double std = 1, std::optional<Generator> generator = std::nullopt);
// Normal(mean, std) truncated to [a, b], by inverse-CDF sampling as PyTorch.
Tensor trunc_normal_(Tensor tensor, double mean = 0, double std = 1, double a = -2, double b = 2,
                     std::optional<Generator> generator = std::nullopt);
Tensor constant_(Tensor tensor, double val);
Tensor ones_(Tensor tensor);
Tensor zeros_(Tensor tensor);
// The identity matrix (2-D tensors).
Tensor eye_(Tensor tensor);
// The Dirac delta for convolution weights (3-5 dims): each output channel of a group passes the matching
// input channel through.
Tensor dirac_(Tensor tensor, int64_t groups = 1);
Tensor xavier_uniform_(Tensor tensor, double gain = 1, std::optional<Generator> generator = std::nullopt);
Tensor xavier_normal_(Tensor tensor, double gain = 1, std::optional<Generator> generator = std::nullopt);
// a: the negative slope of leaky_relu; bound / std = gain / sqrt(fan).
Tensor kaiming_uniform_(Tensor tensor, double a = 0, std::string_view mode = "fan_in",
                        std::string_view nonlinearity = "leaky_relu", std::optional<Generator> generator = std::nullopt);
Tensor kaiming_normal_(Tensor tensor, double a = 0, std::string_view mode = "fan_in",
                       std::string_view nonlinearity = "leaky_relu", std::optional<Generator> generator = std::nullopt);
// A (semi-)orthogonal matrix (the tensor seen as size(0) x rest), from the QR decomposition of a normal
// sample with R's diagonal made positive, times gain.
Tensor orthogonal_(Tensor tensor, double gain = 1, std::optional<Generator> generator = std::nullopt);

}  // namespace ember::nn::init
