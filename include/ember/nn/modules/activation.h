#pragma once
// Activation modules. Each is a small class over its op; one with settings prints them in extra_repr.
#include <optional>
#include <string>

#include <ember/nn/module.h>

namespace ember::nn {

class ReLU : public Module {
 public:
  explicit ReLU(bool inplace = false) : inplace(inplace) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override { return inplace ? "inplace=True" : ""; }
  bool inplace;
};

class Sigmoid : public Module {
 public:
  Tensor forward(const Tensor& input) override;
};

class Tanh : public Module {
 public:
  Tensor forward(const Tensor& input) override;
};

// Modules whose only setting is inplace (printed as "inplace=True" when set, as PyTorch).
#define EMBER_INPLACE_ACTIVATION(Name)                                                                     \
  class Name : public Module {                                                                             \
   public:                                                                                                 \
    explicit Name(bool inplace = false) : inplace(inplace) {}                                              \
    Tensor forward(const Tensor& input) override;                                                          \
    std::string extra_repr() const override { return inplace ? "inplace=True" : ""; }                      \
    bool inplace;                                                                                          \
  };
EMBER_INPLACE_ACTIVATION(ReLU6)
EMBER_INPLACE_ACTIVATION(SELU)
EMBER_INPLACE_ACTIVATION(SiLU)
EMBER_INPLACE_ACTIVATION(Mish)
#undef EMBER_INPLACE_ACTIVATION

// Modules without settings to print (Hardsigmoid and Hardswish take inplace but PyTorch does not print it).
#define EMBER_PLAIN_ACTIVATION(Name)                                                                       \
  class Name : public Module {                                                                             \
   public:                                                                                                 \
    Tensor forward(const Tensor& input) override;                                                          \
  };
EMBER_PLAIN_ACTIVATION(Softsign)
EMBER_PLAIN_ACTIVATION(LogSigmoid)
EMBER_PLAIN_ACTIVATION(Tanhshrink)
#undef EMBER_PLAIN_ACTIVATION

class Hardsigmoid : public Module {
 public:
  explicit Hardsigmoid(bool inplace = false) : inplace(inplace) {}
  Tensor forward(const Tensor& input) override;
  bool inplace;
};

class Hardswish : public Module {
 public:
  explicit Hardswish(bool inplace = false) : inplace(inplace) {}
  Tensor forward(const Tensor& input) override;
  bool inplace;
};

class LeakyReLU : public Module {
 public:
  explicit LeakyReLU(double negative_slope = 0.01, bool inplace = false)
      : negative_slope(negative_slope), inplace(inplace) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  double negative_slope;
  bool inplace;
};

// One learnable slope (num_parameters = 1) or one per channel, initialised to init.
class PReLU : public Module {
 public:
  explicit PReLU(int64_t num_parameters = 1, double init = 0.25, const TensorOptions& options = {});
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  void reset_parameters();
  const int64_t num_parameters;
  const double init;
  Tensor& weight;
};

class ELU : public Module {
 public:
  explicit ELU(double alpha = 1.0, bool inplace = false) : alpha(alpha), inplace(inplace) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  double alpha;
  bool inplace;
};

class CELU : public Module {
 public:
  explicit CELU(double alpha = 1.0, bool inplace = false) : alpha(alpha), inplace(inplace) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  double alpha;
  bool inplace;
};

// approximate: "none" (exact, with erf) or "tanh".
class GELU : public Module {
 public:
  explicit GELU(std::string approximate = "none") : approximate(std::move(approximate)) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override { return "approximate='" + approximate + "'"; }
  std::string approximate;
};

class Hardtanh : public Module {
 public:
  explicit Hardtanh(double min_val = -1.0, double max_val = 1.0, bool inplace = false);
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  double min_val;
  double max_val;
  bool inplace;
};

// beta and threshold print as PyTorch's int defaults do when they are whole numbers.
class Softplus : public Module {
 public:
  explicit Softplus(double beta = 1, double threshold = 20) : beta(beta), threshold(threshold) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  double beta;
  double threshold;
};

class Softshrink : public Module {
 public:
  explicit Softshrink(double lambd = 0.5) : lambd(lambd) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override { return py_repr(lambd); }
  double lambd;
};

class Hardshrink : public Module {
 public:
  explicit Hardshrink(double lambd = 0.5) : lambd(lambd) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override { return py_repr(lambd); }
  double lambd;
};

class Threshold : public Module {
 public:
  Threshold(double threshold, double value, bool inplace = false)
      : threshold(threshold), value(value), inplace(inplace) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  double threshold;
  double value;
  bool inplace;
};

class GLU : public Module {
 public:
  explicit GLU(int64_t dim = -1) : dim(dim) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override { return "dim=" + std::to_string(dim); }
  int64_t dim;
};

// dim nullopt is PyTorch's dim=None: dim 0 for 0-, 1- and 3-dim inputs, else 1 (its legacy rule).
#define EMBER_SOFTMAX_MODULE(Name)                                                                         \
  class Name : public Module {                                                                             \
   public:                                                                                                 \
    explicit Name(std::optional<int64_t> dim = std::nullopt) : dim(dim) {}                                 \
    Tensor forward(const Tensor& input) override;                                                          \
    std::string extra_repr() const override { return "dim=" + (dim ? std::to_string(*dim) : "None"); }     \
    std::optional<int64_t> dim;                                                                            \
  };
EMBER_SOFTMAX_MODULE(Softmax)
EMBER_SOFTMAX_MODULE(LogSoftmax)
EMBER_SOFTMAX_MODULE(Softmin)
#undef EMBER_SOFTMAX_MODULE

}  // namespace ember::nn
