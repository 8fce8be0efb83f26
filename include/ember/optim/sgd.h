#pragma once
// torch.optim.SGD: momentum, dampening, Nesterov, weight decay, maximize.
#include <ember/optim/optimizer.h>

namespace ember::optim {

class SGD : public Optimizer {
 public:
  SGD(ParamGroups params, double lr, double momentum = 0, double dampening = 0, double weight_decay = 0,
      bool nesterov = false, bool maximize = false);
  Tensor step(const Closure& closure = nullptr) override;
  std::string name() const override { return "SGD"; }
};

}  // namespace ember::optim
