// Public unary and binary pointwise ops with their derivative rules (PyTorch's derivatives.yaml).
// Every rule is written with public ops, so it runs on any backend and can itself be differentiated
// (double backward). Ternary and parameterised ops are in pointwise_ternary.cpp.
#include <ember/autocast.h>
#include <string_view>

#include <ember/ops/factory.h>
#include <ember/ops/pointwise.h>

#include "autograd/derivatives/pointwise_record.h"
#include "ops/activation.h"

namespace ember {

using autograd::record_binary;
using autograd::record_unary;

namespace {
constexpr double kLn2 = 0.6931471805599453;
constexpr double kLn10 = 2.302585092994046;
constexpr double kTwoOverSqrtPi = 1.1283791670955126;

// ReLU's gradient is threshold's at 0: one fused kernel, or public ops when the backward is recorded
// (create_graph), so it can be differentiated again. `where` with a comparison costs two passes and a
// mask, several times the fused kernel on the conv nets' largest activations.
Tensor relu_backward(const Tensor& grad, const Tensor& result) {
  if (GradMode::is_enabled()) return where(result <= 0, 0, grad);
  const double params[3] = {0, 0, 0};
  return ops::threshold_backward(grad, result, params);
}
constexpr double kSqrtPiOverTwo = 0.8862269254527580;
}  // namespace

// name, node, uses self, uses result, d(grad, self, result)
#define EMBER_UNARY_DERIVATIVES(_)                                                                   \
  _(neg, NegBackward0, false, false, -grad)                                                          \
  _(abs, AbsBackward0, true, false, grad * self.sign())                                              \
  _(sign, SignBackward0, false, false, zeros_like(grad))                                             \
  _(square, PowBackward0, true, false, grad * 2 * self)                                              \
  _(reciprocal, ReciprocalBackward0, false, true, -grad * result * result)                           \
  _(sqrt, SqrtBackward0, false, true, grad / (2 * result))                                           \
  _(rsqrt, RsqrtBackward0, false, true, grad * result.pow(3) * -0.5)                                 \
  _(exp, ExpBackward0, false, true, grad * result)                                                   \
  _(exp2, Exp2Backward0, false, true, grad * result * kLn2)                                          \
  _(expm1, Expm1Backward0, false, true, grad * (result + 1))                                         \
  _(log, LogBackward0, true, false, grad / self)                                                     \
  _(log2, Log2Backward0, true, false, grad / (self * kLn2))                                          \
  _(log10, Log10Backward0, true, false, grad / (self * kLn10))                                       \
  _(log1p, Log1PBackward0, true, false, grad / (self + 1))                                           \
  _(sin, SinBackward0, true, false, grad * self.cos())                                               \
  _(cos, CosBackward0, true, false, grad * -self.sin())                                              \
  _(tan, TanBackward0, false, true, grad * (1 + result * result))                                    \
  _(asin, AsinBackward0, true, false, grad * (1 - self * self).rsqrt())                              \
  _(acos, AcosBackward0, true, false, -grad * (1 - self * self).rsqrt())                             \
  _(atan, AtanBackward0, true, false, grad / (self * self + 1))                                      \
  _(sinh, SinhBackward0, true, false, grad * self.cosh())                                            \
  _(cosh, CoshBackward0, true, false, grad * self.sinh())                                            \
  _(tanh, TanhBackward0, false, true, grad * (1 - result * result))                                  \
  _(sigmoid, SigmoidBackward0, false, true, grad * result * (1 - result))                            \
  _(erf, ErfBackward0, true, false, grad * kTwoOverSqrtPi * (-self * self).exp())                    \
  _(erfc, ErfcBackward0, true, false, grad * -kTwoOverSqrtPi * (-self * self).exp())                 \
  _(erfinv, ErfinvBackward0, false, true, grad * kSqrtPiOverTwo * (result * result).exp())           \
  _(floor, FloorBackward0, false, false, zeros_like(grad))                                           \
  _(ceil, CeilBackward0, false, false, zeros_like(grad))                                             \
  _(round, RoundBackward0, false, false, zeros_like(grad))                                           \
  _(trunc, TruncBackward0, false, false, zeros_like(grad))                                           \
  _(frac, FracBackward0, false, false, grad)                                                         \
  _(relu, ReluBackward0, false, true, relu_backward(grad, result))

#define EMBER_DEFINE_UNARY(name, Node, uses_self, uses_result, formula)                             \
  Tensor name(const Tensor& self) {                                                                  \
    EMBER_AUTOCAST(#name, name, self);                                                               \
    Tensor result = ops::name(self);                                                                 \
    if (autograd::any_requires_grad({&self}))                                                        \
      record_unary(#Node, self, result, uses_self, uses_result,                                      \
                   [](const Tensor& grad, const Tensor& self, const Tensor& result) -> Tensor {      \
                     (void)self;                                                                     \
                     (void)result;                                                                   \
                     return formula;                                                                 \
                   });                                                                               \
    return result;                                                                                   \
  }
EMBER_UNARY_DERIVATIVES(EMBER_DEFINE_UNARY)

// Ops whose results are bool or integer: never differentiable.
#define EMBER_NONDIFF_UNARY(name) \
  Tensor name(const Tensor& self) { return ops::name(self); }
EMBER_NONDIFF_UNARY(bitwise_not)
EMBER_NONDIFF_UNARY(isnan)
EMBER_NONDIFF_UNARY(isinf)
EMBER_NONDIFF_UNARY(isfinite)
EMBER_NONDIFF_UNARY(logical_not)

#define EMBER_UNARY_OP(name, F, R)                                                                  \
  Tensor Tensor::name() const { return ember::name(*this); }                                         \
  Tensor& Tensor::name##_() {                                                                        \
    return autograd::inplace(                                                                        \
        *this, false, [](const Tensor& s) { return ember::name(s); }, [](Tensor& s) { ops::name##_(s); }); \
  }
#include <ember/ops/pointwise.def>

// ---- binary ops ----
namespace {
Tensor add_impl(const Tensor& a, const Tensor& b, const Scalar& alpha, const char* node_name) {
  Tensor out = ops::add(a, b, alpha);
  if (autograd::any_requires_grad({&a, &b})) {
    Scalar al = alpha;
    record_binary(
        node_name, a, b, out, false, false, [](const Tensor& g, const Tensor&, const Tensor&, const Tensor&) { return g; },
        [al](const Tensor& g, const Tensor&, const Tensor&, const Tensor&) { return al.toDouble() == 1.0 ? g : g * al; });
  }
  return out;
}

void check_sub(const Tensor& a, const Tensor& b) {
  EMBER_CHECK(!(a.dtype() == kBool && b.dtype() == kBool),
              "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` "
              "operator instead.");
  EMBER_CHECK(a.dtype() != kBool && b.dtype() != kBool,
              "Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, "
              "use the `~` or `logical_not()` operator instead.");
}
}  // namespace

Tensor add(const Tensor& a, const Tensor& b, const Scalar& alpha) { return add_impl(a, b, alpha, "AddBackward0"); }
Tensor add(const Tensor& a, const Scalar& b, const Scalar& alpha) {
  return add_impl(a, ops::wrap_scalar(a, b), alpha, "AddBackward1");
}
Tensor sub(const Tensor& a, const Tensor& b, const Scalar& alpha) {
  check_sub(a, b);
  return add_impl(a, b, -alpha, "SubBackward0");
}
Tensor sub(const Tensor& a, const Scalar& b, const Scalar& alpha) {
  // PyTorch wraps a Python bool into a bool tensor, which subtraction rejects.
  if (b.isBoolean()) check_sub(a, ops::scalar_tensor(b, kBool, a.device()));
  return sub(a, ops::wrap_scalar(a, b), alpha);
}
Tensor add(const Scalar& a, const Tensor& b, const Scalar& alpha) {
  return add_impl(ops::wrap_scalar(b, a), b, alpha, "AddBackward0");
}
Tensor sub(const Scalar& a, const Tensor& b, const Scalar& alpha) {
  if (a.isBoolean()) check_sub(ops::scalar_tensor(a, kBool, b.device()), b);
  return sub(ops::wrap_scalar(b, a), b, alpha);
}
Tensor subtract(const Tensor& a, const Tensor& b, const Scalar& alpha) { return sub(a, b, alpha); }
Tensor multiply(const Tensor& a, const Tensor& b) { return mul(a, b); }
Tensor divide(const Tensor& a, const Tensor& b) { return div(a, b); }
Tensor positive(const Tensor& self) {
  EMBER_CHECK(self.dtype() != kBool, "The `+` operator, on a bool tensor is not supported.");
  return self;
}
Tensor operator-(const Scalar& a, const Tensor& b) { return sub(a, b); }
Tensor operator/(const Scalar& a, const Tensor& b) { return div(ops::wrap_scalar(b, a), b); }
Tensor operator%(const Scalar& a, const Tensor& b) { return remainder(ops::wrap_scalar(b, a), b); }

// name, node, saves inputs, saves result, d/da(grad, a, b, result), d/db(grad, a, b, result)
#define EMBER_BINARY_DERIVATIVES(_)                                                                          \
  _(mul, MulBackward0, true, false, g * b, g * a)                                                            \
  _(div, DivBackward0, true, false, g / b, -g * a / (b * b))                                                 \
  _(remainder, RemainderBackward0, true, false, g, -g * a.div(b, "floor"))                                   \
  _(fmod, FmodBackward0, true, false, g, -g * a.div(b, "trunc"))                                             \
  _(atan2, Atan2Backward0, true, false, g * b / (a * a + b * b), g * -a / (a * a + b * b))                   \
  _(minimum, MinimumBackward0, true, false, where(a == b, g / 2, g).masked_fill(a > b, 0),                   \
    where(a == b, g / 2, g).masked_fill(a < b, 0))                                                           \
  _(maximum, MaximumBackward0, true, false, where(a == b, g / 2, g).masked_fill(a < b, 0),                   \
    where(a == b, g / 2, g).masked_fill(a > b, 0))                                                           \
  _(fmin, FminBackward0, true, false, g.masked_fill((a <= b).logical_or(b.isnan()).logical_not(), 0),        \
    g.masked_fill((a <= b).logical_or(b.isnan()), 0))                                                        \
  _(fmax, FmaxBackward0, true, false, g.masked_fill((a >= b).logical_or(b.isnan()).logical_not(), 0),        \
    g.masked_fill((a >= b).logical_or(b.isnan()), 0))                                                        \
  _(clamp_min, ClampMinBackward1, true, false, where(a >= b, g, 0), where(a < b, g, 0))                      \
  _(clamp_max, ClampMaxBackward1, true, false, where(a <= b, g, 0), where(a > b, g, 0))                      \
  _(pow, PowBackward1, true, true, where(b == 0, zeros_like(g), g * b * a.pow(b - 1)),                      \
    g * where((a == 0) & (b >= 0), zeros_like(r), r * a.log()))

#define EMBER_DEFINE_BINARY(name, Node, save_inputs, save_result, fa, fb)                                   \
  Tensor name(const Tensor& a, const Tensor& b) {                                                            \
    EMBER_AUTOCAST(#name, name, a, b);                                                                       \
    Tensor out = ops::name(a, b);                                                                            \
    if (autograd::any_requires_grad({&a, &b}))                                                               \
      record_binary(                                                                                         \
          #Node, a, b, out, save_inputs, save_result,                                                        \
          [](const Tensor& g, const Tensor& a, const Tensor& b, const Tensor& r) -> Tensor {                 \
            (void)a, (void)b, (void)r;                                                                       \
            return fa;                                                                                       \
          },                                                                                                 \
          [](const Tensor& g, const Tensor& a, const Tensor& b, const Tensor& r) -> Tensor {                 \
            (void)a, (void)b, (void)r;                                                                       \
            return fb;                                                                                       \
          });                                                                                                \
    return out;                                                                                              \
  }
EMBER_BINARY_DERIVATIVES(EMBER_DEFINE_BINARY)

#define EMBER_SCALAR_OVERLOAD(name) \
  Tensor name(const Tensor& a, const Scalar& b) { return name(a, ops::wrap_scalar(a, b)); }
EMBER_SCALAR_OVERLOAD(mul)
EMBER_SCALAR_OVERLOAD(div)
EMBER_SCALAR_OVERLOAD(remainder)
EMBER_SCALAR_OVERLOAD(fmod)
EMBER_SCALAR_OVERLOAD(atan2)
EMBER_SCALAR_OVERLOAD(minimum)
EMBER_SCALAR_OVERLOAD(maximum)
EMBER_SCALAR_OVERLOAD(fmin)
EMBER_SCALAR_OVERLOAD(fmax)
EMBER_SCALAR_OVERLOAD(clamp_min)
EMBER_SCALAR_OVERLOAD(clamp_max)

// Comparisons, logical and bitwise ops are not differentiable: their outputs never require grad.
#define EMBER_NONDIFF_BINARY(name)                                                           \
  Tensor name(const Tensor& a, const Tensor& b) { return ops::name(a, b); }                  \
  Tensor name(const Tensor& a, const Scalar& b) { return ops::name(a, b); }
EMBER_NONDIFF_BINARY(eq)
EMBER_NONDIFF_BINARY(ne)
EMBER_NONDIFF_BINARY(lt)
EMBER_NONDIFF_BINARY(le)
EMBER_NONDIFF_BINARY(gt)
EMBER_NONDIFF_BINARY(ge)
EMBER_NONDIFF_BINARY(logical_and)
EMBER_NONDIFF_BINARY(logical_or)
EMBER_NONDIFF_BINARY(logical_xor)
EMBER_NONDIFF_BINARY(bitwise_and)
EMBER_NONDIFF_BINARY(bitwise_or)
EMBER_NONDIFF_BINARY(bitwise_xor)
EMBER_NONDIFF_BINARY(bitwise_left_shift)
EMBER_NONDIFF_BINARY(bitwise_right_shift)
Tensor bitwise_left_shift(const Scalar& a, const Tensor& b) { return ops::bitwise_left_shift(ops::wrap_scalar(b, a), b); }
Tensor bitwise_right_shift(const Scalar& a, const Tensor& b) {
  return ops::bitwise_right_shift(ops::wrap_scalar(b, a), b);
}

// ---- methods and in-place forms of the binary ops ----
namespace {
// The value an in-place binary op writes into self. PyTorch differentiates the in-place comparisons
// (x.lt_(y) on a floating x that requires grad) with zero gradients, so x keeps requiring grad; every
// other op's out-of-place result already carries its history.
Tensor inplace_binary_result(std::string_view name, std::string_view rule, Tensor result, const Tensor& s,
                             const Tensor& o) {
  if (rule != "Compare" || name.starts_with("logical") || !autograd::any_requires_grad({&s, &o})) return result;
  Tensor out = result.to(s.dtype());
  record_binary(
      "CompareBackward", s, o, out, false, false,
      [](const Tensor& g, const Tensor&, const Tensor&, const Tensor&) { return zeros_like(g); },
      [](const Tensor& g, const Tensor&, const Tensor&, const Tensor&) { return zeros_like(g); });
  return out;
}
}  // namespace

#define EMBER_BINARY_OP(name, F, R)                                                                     \
  Tensor Tensor::name(const Tensor& o) const { return ember::name(*this, o); }                          \
  Tensor Tensor::name(const Scalar& o) const { return ember::name(*this, o); }                          \
  Tensor& Tensor::name##_(const Tensor& o) {                                                            \
    return autograd::inplace(                                                                           \
        *this, GradMode::is_enabled() && o.requires_grad(),                                             \
        [&](const Tensor& s) { return inplace_binary_result(#name, #R, ember::name(s, o), s, o); },     \
        [&](Tensor& s) { ops::name##_(s, o); });                                                        \
  }                                                                                                     \
  Tensor& Tensor::name##_(const Scalar& o) {                                                            \
    return autograd::inplace(                                                                           \
        *this, false,                                                                                   \
        [&](const Tensor& s) {                                                                          \
          return inplace_binary_result(#name, #R, ember::name(s, o), s, ops::wrap_scalar(s, o));        \
        },                                                                                              \
        [&](Tensor& s) { ops::name##_(s, o); });                                                        \
  }
#include <ember/ops/pointwise.def>

Tensor Tensor::add(const Tensor& o, const Scalar& alpha) const { return ember::add(*this, o, alpha); }
Tensor Tensor::add(const Scalar& o, const Scalar& alpha) const { return ember::add(*this, o, alpha); }
Tensor Tensor::sub(const Tensor& o, const Scalar& alpha) const { return ember::sub(*this, o, alpha); }
Tensor Tensor::sub(const Scalar& o, const Scalar& alpha) const { return ember::sub(*this, o, alpha); }
Tensor& Tensor::add_(const Tensor& o, const Scalar& alpha) {
  return autograd::inplace(
      *this, GradMode::is_enabled() && o.requires_grad(), [&](const Tensor& s) { return ember::add(s, o, alpha); },
      [&](Tensor& s) { ops::add_(s, o, alpha); });
}
Tensor& Tensor::add_(const Scalar& o, const Scalar& alpha) { return add_(ops::wrap_scalar(*this, o), alpha); }
Tensor& Tensor::sub_(const Tensor& o, const Scalar& alpha) {
  check_sub(*this, o);
  return add_(o, -alpha);
}
Tensor& Tensor::sub_(const Scalar& o, const Scalar& alpha) {
  if (o.isBoolean()) check_sub(*this, ops::scalar_tensor(o, kBool, device()));
  return sub_(ops::wrap_scalar(*this, o), alpha);
}

Tensor Tensor::operator-() const { return ember::neg(*this); }
Tensor& Tensor::operator+=(const Tensor& o) { return add_(o); }
Tensor& Tensor::operator+=(const Scalar& o) { return add_(o); }
Tensor& Tensor::operator-=(const Tensor& o) { return sub_(o); }
Tensor& Tensor::operator-=(const Scalar& o) { return sub_(o); }
Tensor& Tensor::operator*=(const Tensor& o) { return mul_(o); }
Tensor& Tensor::operator*=(const Scalar& o) { return mul_(o); }
Tensor& Tensor::operator/=(const Tensor& o) { return div_(o); }
Tensor& Tensor::operator/=(const Scalar& o) { return div_(o); }

}  // namespace ember
