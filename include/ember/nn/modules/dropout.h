#pragma once
// Dropout: in training mode zeroes each element with probability p and scales the rest by 1 / (1 - p);
// the identity in eval mode.
#include <ember/nn/module.h>

namespace ember::nn {

class Dropout : public Module {
 public:
  explicit Dropout(double p = 0.5, bool inplace = false);
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  double p;
  bool inplace;
};

}  // namespace ember::nn
