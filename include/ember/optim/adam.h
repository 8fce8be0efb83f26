#pragma once
// The Adam family of torch.optim: Adam, AdamW, Adamax, NAdam, RAdam, with PyTorch 1.13's defaults, step
// counting (a float32 0-dim "step" tensor) and bias corrections.
#include <utility>

#include <ember/optim/optimizer.h>

namespace ember::optim {

using Betas = std::pair<double, double>;

class Adam : public Optimizer {
 public:
  Adam(ParamGroups params, double lr = 1e-3, Betas betas = {0.9, 0.999}, double eps = 1e-8, double weight_decay = 0,
       bool amsgrad = false, bool maximize = false);
  Tensor step(const Closure& closure = nullptr) override;
  std::string name() const override { return "Adam"; }

 protected:
  Adam(ParamGroups params, Options defaults);
  virtual bool decoupled_weight_decay() const { return false; }
};

// Adam with the weight decay applied to the parameter (p *= 1 - lr * weight_decay) instead of the gradient.
class AdamW : public Adam {
 public:
  AdamW(ParamGroups params, double lr = 1e-3, Betas betas = {0.9, 0.999}, double eps = 1e-8,
        double weight_decay = 1e-2, bool amsgrad = false, bool maximize = false);
  std::string name() const override { return "AdamW"; }

 protected:
  bool decoupled_weight_decay() const override { return true; }
};

class Adamax : public Optimizer {
 public:
  Adamax(ParamGroups params, double lr = 2e-3, Betas betas = {0.9, 0.999}, double eps = 1e-8,
         double weight_decay = 0, bool maximize = false);
  Tensor step(const Closure& closure = nullptr) override;
  std::string name() const override { return "Adamax"; }
};

class NAdam : public Optimizer {
 public:
  NAdam(ParamGroups params, double lr = 2e-3, Betas betas = {0.9, 0.999}, double eps = 1e-8,
        double weight_decay = 0, double momentum_decay = 4e-3);
  Tensor step(const Closure& closure = nullptr) override;
  std::string name() const override { return "NAdam"; }
};

class RAdam : public Optimizer {
 public:
  RAdam(ParamGroups params, double lr = 1e-3, Betas betas = {0.9, 0.999}, double eps = 1e-8,
        double weight_decay = 0);
  Tensor step(const Closure& closure = nullptr) override;
  std::string name() const override { return "RAdam"; }
};

}  // namespace ember::optim
