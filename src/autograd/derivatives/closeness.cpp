// Whole-tensor and elementwise closeness tests (torch.equal, isclose, allclose), composed of public ops;
// none is differentiable (their results are bool).
#include <ember/autograd/grad_mode.h>
#include <ember/ops/pointwise.h>
#include <ember/ops/reduce.h>

#include "ops/ops.h"

namespace ember {

bool equal(const Tensor& self, const Tensor& other) {
  ops::check_same_device("equal", self, other);
  if (!self.sizes().equals(other.sizes())) return false;
  NoGradGuard no_grad;
  return (self == other).all().item<bool>();
}

// PyTorch's isclose: integers and bools are compared in the default float dtype (no wrap-around).
Tensor isclose(const Tensor& self, const Tensor& other, double rtol, double atol, bool equal_nan) {
  EMBER_CHECK(self.dtype() == other.dtype(), dtype_title(self.dtype()), " did not match ",
                   dtype_title(other.dtype()));
  EMBER_CHECK(rtol >= 0, "rtol must be greater than or equal to zero, but got ", rtol);
  EMBER_CHECK(atol >= 0, "atol must be greater than or equal to zero, but got ", atol);
  NoGradGuard no_grad;
  Tensor close = self == other;
  if (equal_nan && self.is_floating_point()) close = close | (self.isnan() & other.isnan());
  bool cast = !self.is_floating_point();
  Tensor a = cast ? self.to(get_default_dtype()) : self, b = cast ? other.to(get_default_dtype()) : other;
  Tensor allowed = (b * rtol).abs() + atol;
  Tensor actual = (a - b).abs();
  return close | (actual.isfinite() & (actual <= allowed));
}

bool allclose(const Tensor& self, const Tensor& other, double rtol, double atol, bool equal_nan) {
  return isclose(self, other, rtol, atol, equal_nan).all().item<bool>();
}

bool Tensor::equal(const Tensor& other) const { return ember::equal(*this, other); }
Tensor Tensor::isclose(const Tensor& other, double rtol, double atol, bool equal_nan) const {
  return ember::isclose(*this, other, rtol, atol, equal_nan);
}
bool Tensor::allclose(const Tensor& other, double rtol, double atol, bool equal_nan) const {
  return ember::allclose(*this, other, rtol, atol, equal_nan);
}

}  // namespace ember
