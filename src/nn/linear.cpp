// Linear and Bilinear, and their functional forms. Both go through one GEMM: linear as addmm on the
// input seen as 2-D, bilinear as (x1 @ W viewed as in1 x (out*in2)) then a product with x2 summed over in2.
#include <ember/autocast.h>
#include <cmath>

#include <ember/nn/functional/linear.h>
#include <ember/nn/init.h>
#include <ember/nn/modules/linear.h>
#include <ember/ops/factory.h>
#include <ember/ops/linalg.h>
#include <ember/ops/pointwise.h>
#include <ember/ops/reduce.h>
#include <ember/ops/shape.h>

namespace ember::nn {

namespace functional {

Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
  EMBER_AUTOCAST("linear", linear, input, weight, bias);
  if (input.dim() == 2 && bias.defined()) return addmm(bias, input, weight.t());
  if (input.dim() > 2 && bias.defined() && input.is_contiguous()) {
    // (*, in) -> (N, in) so the bias add rides on the GEMM, then back to (*, out).
    DimVector out_shape(input.sizes());
    out_shape.back() = weight.size(0);
    return addmm(bias, input.view({-1, input.size(-1)}), weight.t()).view(out_shape);
  }
  Tensor out = matmul(input, weight.t());
  return bias.defined() ? out + bias : out;
}

Tensor bilinear(const Tensor& input1, const Tensor& input2, const Tensor& weight, const Tensor& bias) {
  EMBER_AUTOCAST("bilinear", bilinear, input1, input2, weight, bias);
  EMBER_CHECK(input1.dim() == input2.dim(), "bilinear(): input dimensions do not match: got ", input1.dim(), " and ",
              input2.dim());
  EMBER_CHECK(input1.dim() >= 1, "bilinear(): inputs must have at least one dimension");
  for (int64_t i = 0; i < input1.dim() - 1; ++i)
    EMBER_CHECK(input1.size(i) == input2.size(i), "bilinear(): input batch dimensions do not match: got ",
                input1.sizes(), " and ", input2.sizes());
  EMBER_CHECK(weight.dim() == 3, "bilinear(): weight must be 3-D, got ", weight.dim(), "-D");
  EMBER_CHECK(input1.size(-1) == weight.size(1), "bilinear(): input1 size does not match weight size: got ",
              input1.size(-1), " but expected ", weight.size(1));
  EMBER_CHECK(input2.size(-1) == weight.size(2), "bilinear(): input2 size does not match weight size: got ",
              input2.size(-1), " but expected ", weight.size(2));
  EMBER_CHECK(!bias.defined() || (bias.dim() == 1 && bias.size(0) == weight.size(0)),
              "bilinear(): bias size does not match weight size: got ", bias.defined() ? bias.size(-1) : 0,
              " but expected ", weight.size(0));
  const int64_t in1 = weight.size(1), in2 = weight.size(2), out = weight.size(0);
  Tensor x1 = input1.reshape({-1, in1});                                                // (N, in1)
  Tensor x2 = input2.reshape({-1, in2});                                                // (N, in2)
  Tensor w = weight.permute({1, 0, 2}).reshape({in1, out * in2});                       // (in1, out*in2)
  Tensor y = (mm(x1, w).view({-1, out, in2}) * x2.unsqueeze(1)).sum({2});               // (N, out)
  if (bias.defined()) y = y + bias;
  DimVector shape(input1.sizes());
  shape.back() = out;
  return y.view(shape);
}

}  // namespace functional

Linear::Linear(int64_t in_features, int64_t out_features, bool bias, const TensorOptions& options)
    : in_features(in_features),
      out_features(out_features),
      weight(register_parameter("weight", empty({out_features, in_features}, options))),
      bias(register_parameter("bias", bias ? empty({out_features}, options) : Tensor())) {
  reset_parameters();
}

void Linear::reset_parameters() {
  init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (bias.defined()) {
    const int64_t fan_in = init::_calculate_fan_in_and_fan_out(weight).first;
    const double bound = fan_in > 0 ? 1 / std::sqrt(double(fan_in)) : 0;
    init::uniform_(bias, -bound, bound);
  }
}

Tensor Linear::forward(const Tensor& input) { return functional::linear(input, weight, bias); }

std::string Linear::extra_repr() const {
  return "in_features=" + std::to_string(in_features) + ", out_features=" + std::to_string(out_features) +
         ", bias=" + py_repr(bias.defined());
}

Bilinear::Bilinear(int64_t in1_features, int64_t in2_features, int64_t out_features, bool bias,
                   const TensorOptions& options)
    : in1_features(in1_features),
      in2_features(in2_features),
      out_features(out_features),
      weight(register_parameter("weight", empty({out_features, in1_features, in2_features}, options))),
      bias(register_parameter("bias", bias ? empty({out_features}, options) : Tensor())) {
  reset_parameters();
}

void Bilinear::reset_parameters() {
  const double bound = 1 / std::sqrt(double(weight.size(1)));
  init::uniform_(weight, -bound, bound);
  if (bias.defined()) init::uniform_(bias, -bound, bound);
}

Tensor Bilinear::forward(const Tensor& input1, const Tensor& input2) {
  return functional::bilinear(input1, input2, weight, bias);
}

Tensor Bilinear::operator()(const Tensor& input1, const Tensor& input2) {
  if (!has_hooks()) return forward(input1, input2);
  return call_with_hooks({input1, input2}, [this](const tensor_list& in) {
           EMBER_CHECK(in.size() == 2, "Bilinear.forward takes 2 inputs but a forward pre-hook gave ", in.size());
           return tensor_list{forward(in[0], in[1])};
         })
      .at(0);
}

std::string Bilinear::extra_repr() const {
  return "in1_features=" + std::to_string(in1_features) + ", in2_features=" + std::to_string(in2_features) +
         ", out_features=" + std::to_string(out_features) + ", bias=" + py_repr(bias.defined());
}

}  // namespace ember::nn
