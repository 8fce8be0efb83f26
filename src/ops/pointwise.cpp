// Shape and dtype rules of the pointwise ops (PyTorch's type promotion and broadcasting), expanded from
// the table in ember/ops/pointwise.def.
#include "backend/common/visit_dtype.h"
#include "dispatch/kernel_types.h"
#include "dispatch/pointwise_kernel_types.h"
#include "dispatch/registry.h"
#include "ops/pointwise_ops.h"

namespace ember {

namespace {
// PyTorch's result_type over three priority levels: dimensioned tensors, 0-dim tensors, numbers.
DType combine_categories(DType higher, DType lower) {
  if (higher == DType::Undefined) return lower;
  if (lower == DType::Undefined) return higher;
  if (is_floating_point(higher)) return higher;
  if (higher == kBool || is_floating_point(lower)) return promote_types(higher, lower);
  return higher;
}
DType promote_into(DType slot, DType t) { return slot == DType::Undefined ? t : promote_types(slot, t); }
}  // namespace

DType result_type(const Tensor& a, const Tensor& b) { return ops::result_type({&a, &b}); }
DType result_type(const Tensor& a, const Scalar& b) { return ops::result_type({&a}, {&b}); }
DType result_type(const Scalar& a, const Scalar& b) { return ops::result_type({}, {&a, &b}); }

namespace ops {

DType result_type(std::initializer_list<const Tensor*> tensors, std::initializer_list<const Scalar*> scalars) {
  DType dim = DType::Undefined, zero = DType::Undefined, number = DType::Undefined;
  for (const Tensor* t : tensors) {
    if (!t->defined()) continue;
    DType& slot = t->dim() > 0 ? dim : zero;
    slot = promote_into(slot, t->dtype());
  }
  // Numbers of one kind promote among themselves like bool < int64 < default float.
  for (const Scalar* s : scalars) number = promote_into(number, s->type());
  return combine_categories(dim, combine_categories(zero, number));
}

void check_inplace_result(const Tensor& self, DType result_dtype, IntArrayRef result_shape) {
  EMBER_CHECK(can_cast(result_dtype, self.dtype()), "result type ", dtype_title(result_dtype),
              " can't be cast to the desired output type ", dtype_title(self.dtype()));
  EMBER_CHECK(result_shape.equals(self.sizes()), "output with shape ", self.sizes(),
              " doesn't match the broadcast shape ", result_shape);
}

void check_integer_pow(DType result, const Scalar& exponent) {
  EMBER_CHECK(!(is_integral(result, true) && exponent.isIntegral(false) && exponent.toLong() < 0),
              "Integers to negative integer powers are not allowed.");
}

namespace {

enum class Rule { Same, Float, BoolToInt, Predicate, Arith, Compare, IntDiv, Pow };

DType unary_dtype(const Tensor& self, Rule r) {
  if (r == Rule::Float && !is_floating_point(self.dtype())) return get_default_dtype();
  if (r == Rule::BoolToInt && self.dtype() == kBool) return kInt64;
  return self.dtype();
}

void check_unary(std::string_view name, const Tensor& self) {
  if (self.dtype() != kBool) return;
  if (name == "neg")
    throw Error("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, "
                "use the `~` or `logical_not()` operator instead.");
  if (name == "relu") throw Error("Boolean inputs not supported for relu");
}

Tensor unary(const char* name, dispatch::KernelSlot& k, const Tensor& self, Rule r) {
  check_unary(name, self);
  DType dt = unary_dtype(self, r);
  Tensor in = cast(self, dt);
  Tensor out;
  dispatch::TensorIterator it(out, r == Rule::Predicate ? kBool : dt, {&in});
  dispatch::kernel<dispatch::UnaryKernel>(k, self.device().type())(it, name);
  return out;
}

Tensor& unary_(const char* name, dispatch::KernelSlot& k, Tensor& self, Rule r) {
  check_unary(name, self);
  DType dt = unary_dtype(self, r), out_dt = r == Rule::Predicate ? kBool : dt;
  check_inplace_result(self, out_dt, self.sizes());
  if (out_dt != self.dtype() || dt != self.dtype()) return copy_(self, unary(name, k, self, r));
  dispatch::TensorIterator it(self, dt, {&self});
  dispatch::kernel<dispatch::UnaryKernel>(k, self.device().type())(it, name);
  return self;
}

Tensor unary_param(const char* name, dispatch::KernelSlot& k, const Tensor& self, Rule r, const double* p) {
  DType dt = unary_dtype(self, r);
  Tensor in = cast(self, dt);
  Tensor out;
  dispatch::TensorIterator it(out, dt, {&in});
  dispatch::kernel<dispatch::UnaryParamKernel>(k, self.device().type())(it, name, p);
  return out;
}

Tensor& unary_param_(const char* name, dispatch::KernelSlot& k, Tensor& self, Rule r, const double* p) {
  DType dt = unary_dtype(self, r);
  check_inplace_result(self, dt, self.sizes());
  if (dt != self.dtype()) return copy_(self, unary_param(name, k, self, r, p));
  dispatch::TensorIterator it(self, dt, {&self});
  dispatch::kernel<dispatch::UnaryParamKernel>(k, self.device().type())(it, name, p);
  return self;
}

// A CPU 0-dim operand may join an op on another device (PyTorch's TensorIterator rule).
Device binary_device(const char* name, const Tensor& a, const Tensor& b) {
  return a.device() == b.device() ? a.device() : common_device(name, {&a, &b});
}
// In place only `other` may be such a scalar: the result is written on self's device.
void check_inplace_device(const char* name, const Tensor& self, const Tensor& other) {
  if (binary_device(name, self, other) != self.device()) check_same_device(name, self, other);
}

DType binary_compute_dtype(const Tensor& a, const Tensor& b, Rule r) {
  DType dt = ember::result_type(a, b);
  if (r == Rule::Float && !is_floating_point(dt)) dt = get_default_dtype();
  return dt;
}

// Integer division by zero would trap (SIGFPE); PyTorch raises instead, and so do we, before any write.
void check_divisor(Rule r, DType dt, const Tensor& divisor) {
  // On the GPU the check would cost a device-to-host copy per division; PyTorch does not check there.
  if (r != Rule::IntDiv || !is_integral(dt, false) || divisor.numel() == 0 || !divisor.is_cpu()) return;
  Tensor c = contiguous(divisor);
  bool has_zero = kernels::visit_dtype(dt, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_integral_v<T>) {
      const T* p = static_cast<const T*>(c.data_ptr());
      for (int64_t i = 0; i < c.numel(); ++i)
        if (p[i] == T(0)) return true;
    }
    return false;
  });
  EMBER_CHECK(!has_zero, "ZeroDivisionError");
}

Tensor binary(const char* name, dispatch::KernelSlot& k, const Tensor& a, const Tensor& b, Rule r) {
  const Device dev = binary_device(name, a, b);
  DType dt = binary_compute_dtype(a, b, r);
  Tensor ca = cast(scalar_on(a, dev), dt), cb = cast(scalar_on(b, dev), dt);
  check_divisor(r, dt, cb);
  Tensor out;
  dispatch::TensorIterator it(out, r == Rule::Compare ? kBool : dt, {&ca, &cb});
  dispatch::kernel<dispatch::BinaryKernel>(k, dev.type())(it, name);
  return out;
}

Tensor& binary_(const char* name, dispatch::KernelSlot& k, Tensor& self, const Tensor& other, Rule r) {
  check_inplace_device(name, self, other);
  DType dt = binary_compute_dtype(self, other, r);
  DType out_dt = r == Rule::Compare ? kBool : dt;
  check_inplace_result(self, out_dt, dispatch::TensorIterator::broadcast_shapes(self.sizes(), other.sizes()));
  // The kernel reads every operand in the compute dtype; a comparison computed in another dtype than
  // self's (bool self, int64 other) is written back through a copy.
  if (out_dt != self.dtype() || dt != self.dtype()) return copy_(self, binary(name, k, self, other, r));
  Tensor co = cast(scalar_on(other, self.device()), dt);
  check_divisor(r, dt, co);
  dispatch::TensorIterator it(self, out_dt, {&self, &co});
  dispatch::kernel<dispatch::BinaryKernel>(k, self.device().type())(it, name);
  return self;
}

}  // namespace

Tensor wrap_scalar(const Tensor& self, const Scalar& s) {
  return scalar_tensor(s, ember::result_type(self, s), self.device());
}

#define EMBER_UNARY_OP(name, F, R)                           \
  Tensor name(const Tensor& self) {                          \
    static auto& k = dispatch::slot(#name);                  \
    return unary(#name, k, self, Rule::R);                   \
  }                                                          \
  Tensor& name##_(Tensor& self) {                            \
    static auto& k = dispatch::slot(#name);                  \
    return unary_(#name, k, self, Rule::R);                  \
  }
#define EMBER_BINARY_KERNEL(name, F, R)                             \
  Tensor name(const Tensor& self, const Tensor& other) {            \
    static auto& k = dispatch::slot(#name);                         \
    return binary(#name, k, self, other, Rule::R);                  \
  }                                                                 \
  Tensor& name##_(Tensor& self, const Tensor& other) {              \
    static auto& k = dispatch::slot(#name);                         \
    return binary_(#name, k, self, other, Rule::R);                 \
  }
#define EMBER_BINARY_OP(name, F, R)                                 \
  EMBER_BINARY_KERNEL(name, F, R)                                   \
  Tensor name(const Tensor& self, const Scalar& other) {            \
    if (Rule::R == Rule::Pow) check_integer_pow(ember::result_type(self, other), other); \
    return ops::name(self, wrap_scalar(self, other));                    \
  }                                                                 \
  Tensor& name##_(Tensor& self, const Scalar& other) {              \
    if (Rule::R == Rule::Pow) check_integer_pow(ember::result_type(self, other), other); \
    return ops::name##_(self, wrap_scalar(self, other));                 \
  }
#define EMBER_UNARY_PARAM_OP(name, F, R)                            \
  Tensor name(const Tensor& self, const double* params) {           \
    static auto& k = dispatch::slot(#name);                         \
    return unary_param(#name, k, self, Rule::R, params);            \
  }                                                                 \
  Tensor& name##_(Tensor& self, const double* params) {             \
    static auto& k = dispatch::slot(#name);                         \
    return unary_param_(#name, k, self, Rule::R, params);           \
  }
#include <ember/ops/pointwise.def>

namespace {
void check_add(const Tensor& a, const Tensor& b, const Scalar& alpha, DType dt) {
  EMBER_CHECK(!(a.dtype() == kBool && b.dtype() == kBool && alpha.isFloatingPoint()),
              "Boolean alpha only supported for Boolean results.");
  EMBER_CHECK(is_floating_point(dt) || !alpha.isFloatingPoint(),
              "For integral input tensors, argument alpha must not be a floating point number.");
}
}  // namespace

Tensor add(const Tensor& a, const Tensor& b, const Scalar& alpha) {
  const Device dev = binary_device("add", a, b);
  DType dt = binary_compute_dtype(a, b, Rule::Arith);
  check_add(a, b, alpha, dt);
  Tensor ca = cast(scalar_on(a, dev), dt), cb = cast(scalar_on(b, dev), dt);
  Tensor out;
  dispatch::TensorIterator it(out, dt, {&ca, &cb});
  static auto& k = dispatch::slot("add");
  dispatch::kernel<dispatch::AddKernel>(k, dev.type())(it, alpha);
  return out;
}

Tensor& add_(Tensor& self, const Tensor& other, const Scalar& alpha) {
  check_inplace_device("add", self, other);
  DType dt = binary_compute_dtype(self, other, Rule::Arith);
  check_add(self, other, alpha, dt);
  check_inplace_result(self, dt, dispatch::TensorIterator::broadcast_shapes(self.sizes(), other.sizes()));
  if (dt != self.dtype()) return copy_(self, ops::add(self, other, alpha));
  Tensor co = cast(scalar_on(other, self.device()), dt);
  dispatch::TensorIterator it(self, dt, {&self, &co});
  static auto& k = dispatch::slot("add");
  dispatch::kernel<dispatch::AddKernel>(k, self.device().type())(it, alpha);
  return self;
}

}  // namespace ops
}  // namespace ember
