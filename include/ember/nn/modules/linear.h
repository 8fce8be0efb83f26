#pragma once
// Identity, Linear, Bilinear, with PyTorch's default initialisation.
#include <ember/nn/module.h>

namespace ember::nn {

// Returns its input (PyTorch's Identity takes and ignores any arguments).
class Identity : public Module {
 public:
  template <class... Args>
  explicit Identity(Args&&...) {}
  Tensor forward(const Tensor& input) override { return input; }
};

// y = x W^T + b. weight (out_features, in_features) ~ kaiming_uniform_(a=sqrt(5)); bias ~ U(-1/sqrt(in), 1/sqrt(in)).
class Linear : public Module {
 public:
  Linear(int64_t in_features, int64_t out_features, bool bias = true, const TensorOptions& options = {});
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  void reset_parameters();

  const int64_t in_features;
  const int64_t out_features;
  Tensor& weight;  // bound to the registered slot: assigning to it re-registers (weight tying)
  Tensor& bias;    // undefined when bias=false
};

// y = x1^T A x2 + b. weight (out_features, in1_features, in2_features) and bias ~ U(-1/sqrt(in1), 1/sqrt(in1)).
class Bilinear : public Module {
 public:
  Bilinear(int64_t in1_features, int64_t in2_features, int64_t out_features, bool bias = true,
           const TensorOptions& options = {});
  Tensor forward(const Tensor& input1, const Tensor& input2);
  Tensor operator()(const Tensor& input1, const Tensor& input2);
  std::string extra_repr() const override;
  void reset_parameters();

  const int64_t in1_features;
  const int64_t in2_features;
  const int64_t out_features;
  Tensor& weight;
  Tensor& bias;
};

}  // namespace ember::nn
