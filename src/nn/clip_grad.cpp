// torch.nn.utils: clip_grad_norm_, clip_grad_value_, parameters_to_vector, vector_to_parameters.
#include <cmath>

#include <ember/autograd/grad_mode.h>
#include <ember/nn/module.h>
#include <ember/nn/utils.h>
#include <ember/ops/factory.h>
#include <ember/ops/pointwise.h>
#include <ember/ops/reduce.h>
#include <ember/ops/shape.h>

namespace ember::nn::utils {

Tensor clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
  NoGradGuard no_grad;
  tensor_list grads;
  for (const Tensor& p : parameters)
    if (p.grad().defined()) grads.push_back(p.grad());
  if (grads.empty()) return scalar_tensor(0.0);
  // One norm per gradient, then the norm of those norms: the norm of all gradients concatenated.
  tensor_list norms;
  norms.reserve(grads.size());
  Tensor total;
  if (std::isinf(norm_type)) {
    for (const Tensor& g : grads) norms.push_back(g.abs().max());
    total = norms.size() == 1 ? norms[0] : max(stack(norms));
  } else {
    for (const Tensor& g : grads) norms.push_back(norm(g, norm_type));
    total = norm(stack(norms), norm_type);
  }
  if (error_if_nonfinite) {
    const double t = total.item<double>();
    EMBER_CHECK(std::isfinite(t), "The total norm of order ", py_repr(norm_type),
                " for gradients from `parameters` is non-finite, so it cannot be clipped. To disable this error and "
                "scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`");
  }
  Tensor coef = (max_norm / (total + 1e-6)).clamp(std::nullopt, Scalar(1.0));
  for (Tensor g : grads) g.mul_(coef.to(g.dtype()));
  return total;
}

Tensor clip_grad_norm_(const Tensor& parameter, double max_norm, double norm_type, bool error_if_nonfinite) {
  return clip_grad_norm_(std::vector<Tensor>{parameter}, max_norm, norm_type, error_if_nonfinite);
}

void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value) {
  NoGradGuard no_grad;
  for (const Tensor& p : parameters) {
    Tensor g = p.grad();
    if (g.defined()) g.clamp_(Scalar(-clip_value), Scalar(clip_value));
  }
}

void clip_grad_value_(const Tensor& parameter, double clip_value) {
  clip_grad_value_(std::vector<Tensor>{parameter}, clip_value);
}

Tensor parameters_to_vector(const std::vector<Tensor>& parameters) {
  tensor_list flat;
  flat.reserve(parameters.size());
  for (const Tensor& p : parameters) flat.push_back(p.reshape({-1}));
  return cat(flat);
}

void vector_to_parameters(const Tensor& vec, const std::vector<Tensor>& parameters) {
  EMBER_CHECK_TYPE(vec.defined(), "expected torch.Tensor, but got: NoneType");
  int64_t total = 0;
  for (const Tensor& p : parameters) total += p.numel();
  EMBER_CHECK(vec.dim() == 1 && vec.numel() == total, "vector_to_parameters: vec has shape ", vec.sizes(),
              " but the parameters hold ", total, " elements");
  NoGradGuard no_grad;
  int64_t offset = 0;
  for (const Tensor& p : parameters) {
    Tensor dst = p;
    dst.copy_(vec.narrow(0, offset, p.numel()).view(p.sizes()));
    offset += p.numel();
  }
}

}  // namespace ember::nn::utils
