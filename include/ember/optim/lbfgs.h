#pragma once
// torch.optim.LBFGS (one parameter group), with the optional strong-Wolfe line search.
#include <optional>

#include <ember/optim/optimizer.h>

namespace ember::optim {

class LBFGS : public Optimizer {
 public:
  // max_eval defaults to max_iter * 5 / 4; line_search_fn is std::nullopt or "strong_wolfe".
  LBFGS(ParamGroups params, double lr = 1, int64_t max_iter = 20, std::optional<int64_t> max_eval = std::nullopt,
        double tolerance_grad = 1e-7, double tolerance_change = 1e-9, int64_t history_size = 100,
        std::optional<std::string> line_search_fn = std::nullopt);
  // The closure is required: it must zero the gradients, compute the loss, call backward and return it.
  Tensor step(const Closure& closure = nullptr) override;
  std::string name() const override { return "LBFGS"; }

 private:
  Tensor gather_flat_grad() const;
  void add_grad(double step_size, const Tensor& update);
  std::pair<double, Tensor> directional_evaluate(const Closure& closure, const std::vector<Tensor>& x, double t,
                                                 const Tensor& d);
  int64_t numel_ = 0;
};

}  // namespace ember::optim
