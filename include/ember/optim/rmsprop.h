#pragma once
// The running-average optimizers of torch.optim: RMSprop, Adagrad, Adadelta.
#include <ember/optim/optimizer.h>

namespace ember::optim {

class RMSprop : public Optimizer {
 public:
  RMSprop(ParamGroups params, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weight_decay = 0,
          double momentum = 0, bool centered = false, bool maximize = false);
  Tensor step(const Closure& closure = nullptr) override;
  std::string name() const override { return "RMSprop"; }
};

// Creates its state ("step", "sum" = initial_accumulator_value) when a group is added, as PyTorch does.
class Adagrad : public Optimizer {
 public:
  Adagrad(ParamGroups params, double lr = 1e-2, double lr_decay = 0, double weight_decay = 0,
          double initial_accumulator_value = 0, double eps = 1e-10, bool maximize = false);
  Tensor step(const Closure& closure = nullptr) override;
  std::string name() const override { return "Adagrad"; }

 protected:
  void on_group_added(ParamGroup& group) override;
};

class Adadelta : public Optimizer {
 public:
  Adadelta(ParamGroups params, double lr = 1.0, double rho = 0.9, double eps = 1e-6, double weight_decay = 0,
           bool maximize = false);
  Tensor step(const Closure& closure = nullptr) override;
  std::string name() const override { return "Adadelta"; }
};

}  // namespace ember::optim
