// Dropout and F.dropout over ember::dropout.
#include <ember/nn/functional/dropout.h>
#include <ember/nn/functional/norm.h>
#include <ember/nn/modules/dropout.h>

namespace ember::nn {

Tensor functional::dropout(const Tensor& input, double p, bool training, bool inplace) {
  EMBER_CHECK_VALUE(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got ", p);
  if (!inplace) return ember::dropout(input, p, training);
  Tensor self = input;
  // As ATen's dropout_: nothing to write, so not an in-place op (a leaf that requires grad may pass).
  if (p == 0 || !training || input.numel() == 0) return self;
  return self.copy_(ember::dropout(input, p, training));
}

Dropout::Dropout(double p, bool inplace) : p(p), inplace(inplace) {
  EMBER_CHECK_VALUE(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got ", p);
}

Tensor Dropout::forward(const Tensor& input) { return functional::dropout(input, p, is_training(), inplace); }

std::string Dropout::extra_repr() const { return "p=" + py_repr(p) + ", inplace=" + py_repr(inplace); }

#define EMBER_DROPOUT_MODULE(Name, fn)                                                                     \
  Name::Name(double p, bool inplace) : p(p), inplace(inplace) {                                            \
    EMBER_CHECK_VALUE(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got ", p);    \
  }                                                                                                        \
  Tensor Name::forward(const Tensor& input) { return functional::fn(input, p, is_training(), inplace); }   \
  std::string Name::extra_repr() const { return "p=" + py_repr(p) + ", inplace=" + py_repr(inplace); }
EMBER_DROPOUT_MODULE(Dropout1d, dropout1d)
EMBER_DROPOUT_MODULE(Dropout2d, dropout2d)
EMBER_DROPOUT_MODULE(Dropout3d, dropout3d)
EMBER_DROPOUT_MODULE(AlphaDropout, alpha_dropout)
EMBER_DROPOUT_MODULE(FeatureAlphaDropout, feature_alpha_dropout)
#undef EMBER_DROPOUT_MODULE

}  // namespace ember::nn
