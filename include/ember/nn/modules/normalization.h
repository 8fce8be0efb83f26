#pragma once
// Normalisation layers with PyTorch's arguments, parameter and buffer names (weight, bias, running_mean,
// running_var, num_batches_tracked) and printouts. momentum = nullopt is PyTorch's momentum=None: the
// running statistics are the cumulative average over the batches seen.
#include <optional>

#include <ember/nn/module.h>

namespace ember::nn {

// What BatchNorm*d and InstanceNorm*d share (PyTorch's _NormBase).
class _NormBase : public Module {
 public:
  std::string extra_repr() const override;
  void reset_running_stats();
  void reset_parameters();

  const int64_t num_features;
  const double eps;
  const std::optional<double> momentum;
  const bool affine;
  const bool track_running_stats;
  Tensor& weight;               // ones, or undefined when !affine
  Tensor& bias;                 // zeros, or undefined when !affine
  Tensor& running_mean;         // zeros, or undefined when !track_running_stats
  Tensor& running_var;          // ones
  Tensor& num_batches_tracked;  // int64 scalar

 protected:
  _NormBase(int64_t num_features, double eps, std::optional<double> momentum, bool affine, bool track_running_stats,
            const TensorOptions& options);
};

class _BatchNorm : public _NormBase {
 public:
  Tensor forward(const Tensor& input) override;

 protected:
  using _NormBase::_NormBase;
  virtual void check_input_dim(const Tensor& input) const = 0;
};

#define EMBER_BATCH_NORM_MODULE(Name)                                                                      \
  class Name : public _BatchNorm {                                                                         \
   public:                                                                                                 \
    explicit Name(int64_t num_features, double eps = 1e-5, std::optional<double> momentum = 0.1,           \
                  bool affine = true, bool track_running_stats = true, const TensorOptions& options = {})  \
        : _BatchNorm(num_features, eps, momentum, affine, track_running_stats, options) {}                 \
                                                                                                           \
   protected:                                                                                              \
    void check_input_dim(const Tensor& input) const override;                                              \
  };
EMBER_BATCH_NORM_MODULE(BatchNorm1d)
EMBER_BATCH_NORM_MODULE(BatchNorm2d)
EMBER_BATCH_NORM_MODULE(BatchNorm3d)
#undef EMBER_BATCH_NORM_MODULE

// InstanceNorm*d: statistics per sample and channel; affine and track_running_stats default to false.
class _InstanceNorm : public _NormBase {
 public:
  Tensor forward(const Tensor& input) override;

 protected:
  _InstanceNorm(int64_t nd, int64_t num_features, double eps, std::optional<double> momentum, bool affine,
                bool track_running_stats, const TensorOptions& options)
      : _NormBase(num_features, eps, momentum, affine, track_running_stats, options), nd_(nd) {}
  int64_t nd_;  // spatial dims: an input of nd_ + 1 dims has no batch dim
};

#define EMBER_INSTANCE_NORM_MODULE(Name, nd)                                                               \
  class Name : public _InstanceNorm {                                                                      \
   public:                                                                                                 \
    explicit Name(int64_t num_features, double eps = 1e-5, std::optional<double> momentum = 0.1,           \
                  bool affine = false, bool track_running_stats = false, const TensorOptions& options = {})\
        : _InstanceNorm(nd, num_features, eps, momentum, affine, track_running_stats, options) {}          \
  };
EMBER_INSTANCE_NORM_MODULE(InstanceNorm1d, 1)
EMBER_INSTANCE_NORM_MODULE(InstanceNorm2d, 2)
EMBER_INSTANCE_NORM_MODULE(InstanceNorm3d, 3)
#undef EMBER_INSTANCE_NORM_MODULE

// Normalises over the last normalized_shape dims; weight ones and bias zeros of that shape.
class LayerNorm : public Module {
 public:
  explicit LayerNorm(IntArrayRef normalized_shape, double eps = 1e-5, bool elementwise_affine = true,
                     bool bias = true, const TensorOptions& options = {});
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  void reset_parameters();
  const DimVector normalized_shape;
  const double eps;
  const bool elementwise_affine;
  Tensor& weight;
  Tensor& bias;
};

class GroupNorm : public Module {
 public:
  GroupNorm(int64_t num_groups, int64_t num_channels, double eps = 1e-5, bool affine = true,
            const TensorOptions& options = {});
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  void reset_parameters();
  const int64_t num_groups;
  const int64_t num_channels;
  const double eps;
  const bool affine;
  Tensor& weight;
  Tensor& bias;
};

// x / sqrt(mean(x^2) + eps) * weight over the last normalized_shape dims; eps nullopt: the dtype's epsilon.
class RMSNorm : public Module {
 public:
  explicit RMSNorm(IntArrayRef normalized_shape, std::optional<double> eps = std::nullopt,
                   bool elementwise_affine = true, const TensorOptions& options = {});
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  void reset_parameters();
  const DimVector normalized_shape;
  const std::optional<double> eps;
  const bool elementwise_affine;
  Tensor& weight;
};

class LocalResponseNorm : public Module {
 public:
  explicit LocalResponseNorm(int64_t size, double alpha = 1e-4, double beta = 0.75, double k = 1.0)
      : size(size), alpha(alpha), beta(beta), k(k) {}
  Tensor forward(const Tensor& input) override;
  std::string extra_repr() const override;
  const int64_t size;
  const double alpha;
  const double beta;
  const double k;
};

}  // namespace ember::nn
