// Dtype rules and argument checks of the ternary pointwise ops: where, masked_fill, lerp, addcmul,
// addcdiv and clamp. All run one TensorIterator over three inputs cast to the result dtype.
#include <cmath>

#include "backend/common/visit_dtype.h"
#include "dispatch/pointwise_kernel_types.h"
#include "dispatch/registry.h"
#include "ops/pointwise_ops.h"

namespace ember::ops {

namespace {

Tensor run_ternary(const char* name, dispatch::KernelSlot& k, DType dt, const Tensor& a, const Tensor& b,
                   const Tensor& c, const Scalar& value = 0) {
  Tensor out;
  dispatch::TensorIterator it(out, dt, {&a, &b, &c});
  dispatch::kernel<dispatch::TernaryKernel>(k, a.device().type())(it, name, value);
  return out;
}

// The condition of where and masked_fill: bool, or (deprecated in PyTorch, still accepted) an integer
// mask holding only 0 and 1.
Tensor bool_mask(const char* op, const Tensor& mask) {
  if (mask.dtype() == kBool) return mask;
  EMBER_CHECK(is_integral(mask.dtype(), false), op, " only supports boolean masks, but got mask with dtype ",
              dtype_cpp_name(mask.dtype()));
  Tensor c = contiguous(mask.cpu());
  bool binary = kernels::visit_dtype(c.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_integral_v<T>) {
      const T* p = static_cast<const T*>(c.data_ptr());
      for (int64_t i = 0; i < c.numel(); ++i)
        if (p[i] != T(0) && p[i] != T(1)) return false;
    }
    return true;
  });
  EMBER_CHECK(binary, "Mask tensor can take 0 and 1 values only");
  return cast(mask, kBool);
}

// The operands on their common device: a CPU 0-dim one joins an op on another device, as in PyTorch.
struct Operands {
  Tensor a, b, c;
  Operands(const char* op, const Tensor& x, const Tensor& y, const Tensor& z) {
    const Device dev = common_device(op, {&x, &y, &z});
    a = scalar_on(x, dev);
    b = scalar_on(y, dev);
    c = scalar_on(z, dev);
  }
};

}  // namespace

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  const Operands o("where", cond, a, b);
  EMBER_CHECK(cond.dtype() == kBool, "where expected condition to be a boolean tensor, but got a tensor with dtype ",
              dtype_title(cond.dtype()));
  DType dt = result_type({&a, &b});
  static auto& k = dispatch::slot("where");
  return run_ternary("where", k, dt, o.a, cast(o.b, dt), cast(o.c, dt));
}

namespace {
Tensor masked_value(const Tensor& self, const Tensor& value) {
  EMBER_CHECK(value.dim() == 0, "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ",
              value.dim(), " dimension(s).");
  if (value.device() != self.device() && !value.is_cpu()) check_same_device("masked_fill_", self, value);
  if (is_integral(self.dtype(), true) && is_floating_point(value.dtype())) {
    double v = value.item().toDouble();
    EMBER_CHECK(std::isfinite(v), "value cannot be converted to type ", self.dtype() == kBool ? "bool" : "int64_t",
                " without overflow");
  }
  return cast(scalar_on(value, self.device()), self.dtype());
}
}  // namespace

Tensor masked_fill(const Tensor& self, const Tensor& mask, const Tensor& value) {
  Tensor m = bool_mask("masked_fill_", mask), v = masked_value(self, value);
  check_same_device("masked_fill_", self, mask);
  static auto& k = dispatch::slot("where");
  return run_ternary("masked_fill", k, self.dtype(), m, v, self);
}

Tensor& masked_fill_(Tensor& self, const Tensor& mask, const Tensor& value) {
  Tensor m = bool_mask("masked_fill_", mask), v = masked_value(self, value);
  check_same_device("masked_fill_", self, mask);
  check_inplace_result(self, self.dtype(), dispatch::TensorIterator::broadcast_shapes(self.sizes(), m.sizes()));
  Tensor out = self;
  dispatch::TensorIterator it(out, self.dtype(), {&m, &v, &self}, true, false);
  static auto& k = dispatch::slot("where");
  dispatch::kernel<dispatch::TernaryKernel>(k, self.device().type())(it, "masked_fill", 0);
  return self;
}

Tensor lerp(const Tensor& self, const Tensor& end, const Tensor& weight) {
  const Operands o("lerp", self, end, weight);
  EMBER_CHECK(end.dtype() == self.dtype(), "expected dtype ", dtype_cpp_name(self.dtype()), " for `end` but got dtype ",
              dtype_cpp_name(end.dtype()));
  EMBER_CHECK(weight.dtype() == self.dtype(), "expected dtype ", dtype_cpp_name(self.dtype()),
              " for `weight` but got dtype ", dtype_cpp_name(weight.dtype()));
  static auto& k = dispatch::slot("lerp");
  return run_ternary("lerp", k, self.dtype(), o.a, o.b, o.c);
}

Tensor lerp(const Tensor& self, const Tensor& end, const Scalar& weight) {
  check_same_device("lerp", self, end);
  EMBER_CHECK(end.dtype() == self.dtype(), "expected dtype ", dtype_cpp_name(self.dtype()), " for `end` but got dtype ",
              dtype_cpp_name(end.dtype()));
  static auto& k = dispatch::slot("lerp_scalar");
  return run_ternary("lerp", k, self.dtype(), self, end, end, weight);
}

Tensor addcmul(const Tensor& self, const Tensor& t1, const Tensor& t2, const Scalar& value) {
  const Operands o("addcmul", self, t1, t2);
  DType dt = result_type({&self, &t1, &t2});
  static auto& k = dispatch::slot("addcmul");
  return run_ternary("addcmul", k, dt, cast(o.a, dt), cast(o.b, dt), cast(o.c, dt), value);
}

Tensor addcdiv(const Tensor& self, const Tensor& t1, const Tensor& t2, const Scalar& value) {
  const Operands o("addcdiv", self, t1, t2);
  EMBER_CHECK(!(is_integral(t1.dtype(), true) && is_integral(t2.dtype(), true)),
              "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a "
              "true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + "
              "value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * "
              "tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: "
              "(input + value * tensor1 / tensor2), for all dtypes.");
  DType dt = result_type({&self, &t1, &t2});
  static auto& k = dispatch::slot("addcdiv");
  return run_ternary("addcdiv", k, dt, cast(o.a, dt), cast(o.b, dt), cast(o.c, dt), value);
}

Tensor clamp(const Tensor& self, const Tensor& min, const Tensor& max) {
  EMBER_CHECK(min.defined() || max.defined(), "torch.clamp: At least one of 'min' or 'max' must not be None");
  DType dt = result_type({&self, &min, &max});
  if (!max.defined()) return ops::clamp_min(cast(self, dt), cast(min, dt));
  if (!min.defined()) return ops::clamp_max(cast(self, dt), cast(max, dt));
  const Operands o("clamp", self, min, max);
  static auto& k = dispatch::slot("clamp");
  return run_ternary("clamp", k, dt, cast(o.a, dt), cast(o.b, dt), cast(o.c, dt));
}

Tensor clamp(const Tensor& self, const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
  EMBER_CHECK(min || max, "torch.clamp: At least one of 'min' or 'max' must not be None");
  const Scalar* lo = min ? &*min : nullptr;
  const Scalar* hi = max ? &*max : nullptr;
  DType dt = lo && hi ? result_type({&self}, {lo, hi}) : result_type({&self}, {lo ? lo : hi});
  auto bound = [&](const Scalar* s) { return s ? scalar_tensor(*s, dt, self.device()) : Tensor(); };
  return ops::clamp(cast(self, dt), bound(lo), bound(hi));
}

}  // namespace ember::ops
