// Shape and dtype rules of the pointwise ops (PyTorch's type promotion and broadcasting), expanded from
// the table in ember/ops/pointwise.def.
#include "dispatch/kernel_types.h"
#include "dispatch/registry.h"
#include "ops/ops.h"

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
}  // namespace

DType result_type(const Tensor& a, const Tensor& b) {
  DType dim = DType::Undefined, zero = DType::Undefined;
  for (const Tensor* t : {&a, &b}) {
    DType& slot = t->dim() > 0 ? dim : zero;
    slot = slot == DType::Undefined ? t->dtype() : promote_types(slot, t->dtype());
  }
  return combine_categories(dim, zero);
}

DType result_type(const Tensor& a, const Scalar& b) {
  DType self = a.dim() > 0 ? a.dtype() : DType::Undefined;
  DType zero = a.dim() > 0 ? DType::Undefined : a.dtype();
  return combine_categories(self, combine_categories(zero, b.type()));
}

namespace ops {

namespace {

enum class Rule { Same, Float, Arith, TrueDiv, Compare };

DType unary_dtype(const Tensor& self, Rule r) {
  if (r == Rule::Float && !is_floating_point(self.dtype())) return get_default_dtype();
  return self.dtype();
}

Tensor unary(const char* name, dispatch::KernelSlot& k, const Tensor& self, Rule r) {
  DType dt = unary_dtype(self, r);
  if (r == Rule::Same && self.dtype() == kBool && std::string_view(name) == "neg")
    throw Error("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, "
                "use the `~` or `logical_not()` operator instead.");
  Tensor in = cast(self, dt);
  Tensor out;
  dispatch::TensorIterator it(out, dt, {&in});
  dispatch::kernel<dispatch::UnaryKernel>(k, self.device().type())(it, name);
  return out;
}

Tensor& unary_(const char* name, dispatch::KernelSlot& k, Tensor& self, Rule r) {
  DType dt = unary_dtype(self, r);
  EMBER_CHECK(can_cast(dt, self.dtype()), "result type ", dtype_title(dt), " can't be cast to the desired output type ",
              dtype_title(self.dtype()));
  if (dt != self.dtype()) return copy_(self, unary(name, k, self, r));
  dispatch::TensorIterator it(self, dt, {&self});
  dispatch::kernel<dispatch::UnaryKernel>(k, self.device().type())(it, name);
  return self;
}

DType binary_compute_dtype(const char* name, const Tensor& a, const Tensor& b, Rule r) {
  check_same_device(name, a, b);
  DType dt = result_type(a, b);
  if (r == Rule::TrueDiv && !is_floating_point(dt)) dt = get_default_dtype();
  return dt;
}

Tensor binary(const char* name, dispatch::KernelSlot& k, const Tensor& a, const Tensor& b, Rule r) {
  DType dt = binary_compute_dtype(name, a, b, r);
  Tensor ca = cast(a, dt), cb = cast(b, dt);
  Tensor out;
  dispatch::TensorIterator it(out, r == Rule::Compare ? kBool : dt, {&ca, &cb});
  dispatch::kernel<dispatch::BinaryKernel>(k, a.device().type())(it, name);
  return out;
}

Tensor& binary_(const char* name, dispatch::KernelSlot& k, Tensor& self, const Tensor& other, Rule r) {
  DType dt = binary_compute_dtype(name, self, other, r);
  DType out_dt = r == Rule::Compare ? kBool : dt;
  EMBER_CHECK(can_cast(out_dt, self.dtype()), "result type ", dtype_title(out_dt),
              " can't be cast to the desired output type ", dtype_title(self.dtype()));
  DimVector shape = dispatch::TensorIterator::broadcast_shapes(self.sizes(), other.sizes());
  EMBER_CHECK(shape.size() == size_t(self.dim()) && IntArrayRef(shape).equals(self.sizes()), "output with shape ",
              self.sizes(), " doesn't match the broadcast shape ", IntArrayRef(shape));
  if (out_dt != self.dtype()) return copy_(self, binary(name, k, self, other, r));
  Tensor co = cast(other, dt);
  dispatch::TensorIterator it(self, out_dt, {&self, &co});
  dispatch::kernel<dispatch::BinaryKernel>(k, self.device().type())(it, name);
  return self;
}

}  // namespace

Tensor wrap_scalar(const Tensor& self, const Scalar& s) {
  return scalar_tensor(s, result_type(self, s), self.device());
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
#define EMBER_BINARY_OP(name, F, R)                                 \
  Tensor name(const Tensor& self, const Tensor& other) {            \
    static auto& k = dispatch::slot(#name);                         \
    return binary(#name, k, self, other, Rule::R);                  \
  }                                                                 \
  Tensor& name##_(Tensor& self, const Tensor& other) {              \
    static auto& k = dispatch::slot(#name);                         \
    return binary_(#name, k, self, other, Rule::R);                 \
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
  DType dt = binary_compute_dtype("add", a, b, Rule::Arith);
  check_add(a, b, alpha, dt);
  Tensor ca = cast(a, dt), cb = cast(b, dt);
  Tensor out;
  dispatch::TensorIterator it(out, dt, {&ca, &cb});
  static auto& k = dispatch::slot("add");
  dispatch::kernel<dispatch::AddKernel>(k, a.device().type())(it, alpha);
  return out;
}

Tensor& add_(Tensor& self, const Tensor& other, const Scalar& alpha) {
  DType dt = binary_compute_dtype("add", self, other, Rule::Arith);
  check_add(self, other, alpha, dt);
  EMBER_CHECK(can_cast(dt, self.dtype()), "result type ", dtype_title(dt), " can't be cast to the desired output type ",
              dtype_title(self.dtype()));
  DimVector shape = dispatch::TensorIterator::broadcast_shapes(self.sizes(), other.sizes());
  EMBER_CHECK(IntArrayRef(shape).equals(self.sizes()), "output with shape ", self.sizes(),
              " doesn't match the broadcast shape ", IntArrayRef(shape));
  if (dt != self.dtype()) return copy_(self, ops::add(self, other, alpha));
  Tensor co = cast(other, dt);
  dispatch::TensorIterator it(self, dt, {&self, &co});
  static auto& k = dispatch::slot("add");
  dispatch::kernel<dispatch::AddKernel>(k, self.device().type())(it, alpha);
  return self;
}

}  // namespace ops
}  // namespace ember
