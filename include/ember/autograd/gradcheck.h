#pragma once
// Finite-difference checks of autograd, as torch.autograd.gradcheck / gradgradcheck. Inputs should be
// float64; those that require grad are perturbed. On a mismatch these throw ember::Error naming the
// input, the output and the first differing Jacobian entry (or return false with raise_exception=false).
#include <functional>

#include <ember/tensor.h>

namespace ember::autograd {

using GradcheckFn = std::function<tensor_list(const tensor_list&)>;

struct GradcheckOptions {
  double eps = 1e-6;
  double atol = 1e-5;
  double rtol = 1e-3;
  bool raise_exception = true;
};

bool gradcheck(const GradcheckFn& fn, const tensor_list& inputs, const GradcheckOptions& opts = {});
// Checks the gradients of the gradients: gradcheck of (inputs, grad_outputs) -> autograd::grad(...,
// create_graph=true), with random float64 grad_outputs.
bool gradgradcheck(const GradcheckFn& fn, const tensor_list& inputs, const GradcheckOptions& opts = {});
// The same with the given grad_outputs, one per output of fn (those that require grad are checked too).
bool gradgradcheck(const GradcheckFn& fn, const tensor_list& inputs, const tensor_list& grad_outputs,
                   const GradcheckOptions& opts);

}  // namespace ember::autograd
