#pragma once
// Fold and Unfold (F.fold / F.unfold as modules); sizes are one value for both dims or two.
#include <ember/nn/module.h>

namespace ember::nn {

class Fold : public Module {
 public:
  Fold(IntArrayRef output_size, IntArrayRef kernel_size, IntArrayRef dilation = 1, IntArrayRef padding = 0,
       IntArrayRef stride = 1)
      : output_size(output_size), kernel_size(kernel_size), dilation(dilation), padding(padding), stride(stride) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  const DimVector output_size, kernel_size, dilation, padding, stride;
};

class Unfold : public Module {
 public:
  explicit Unfold(IntArrayRef kernel_size, IntArrayRef dilation = 1, IntArrayRef padding = 0, IntArrayRef stride = 1)
      : kernel_size(kernel_size), dilation(dilation), padding(padding), stride(stride) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  const DimVector kernel_size, dilation, padding, stride;
};

}  // namespace ember::nn
