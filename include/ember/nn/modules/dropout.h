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

// Dropout1d/2d/3d zero whole channels; AlphaDropout keeps SELU's mean and variance; FeatureAlphaDropout
// does that per channel. The identity in eval mode.
#define EMBER_DROPOUT_MODULE(Name)                                                                         \
  class Name : public Module {                                                                             \
   public:                                                                                                 \
    explicit Name(double p = 0.5, bool inplace = false);                                                   \
    Tensor forward(const Tensor& input) override;                                                          \
    std::string extra_repr() const override;                                                               \
    double p;                                                                                              \
    bool inplace;                                                                                          \
  };
EMBER_DROPOUT_MODULE(Dropout1d)
EMBER_DROPOUT_MODULE(Dropout2d)
EMBER_DROPOUT_MODULE(Dropout3d)
EMBER_DROPOUT_MODULE(AlphaDropout)
EMBER_DROPOUT_MODULE(FeatureAlphaDropout)
#undef EMBER_DROPOUT_MODULE

}  // namespace ember::nn
