// Public pointwise ops with their derivative rules. Every rule is written with public ops, so it runs on
// any backend and can itself be differentiated (double backward).
#include <ember/ops/pointwise.h>

#include "autograd/record.h"
#include "ops/ops.h"

namespace ember {

using autograd::record;
using autograd::SavedVariable;
using autograd::sum_to;

namespace {
// Records a unary op whose derivative uses the input (`self`) or the output (`result`).
template <class F>
void record_unary(const char* name, const Tensor& self, const Tensor& result, bool save_self, bool save_result, F d) {
  record(name, {&result}, {&self},
         [self_ = save_self ? SavedVariable(self, false) : SavedVariable(),
          result_ = save_result ? SavedVariable(result, true) : SavedVariable(), d](autograd::Node& node,
                                                                                    const tensor_list& g) -> tensor_list {
           auto me = node.shared_from_this();
           return {d(g[0], self_.unpack(), result_.unpack(me))};
         });
}
}  // namespace

// name, uses self, uses result, d(grad, self, result)
#define EMBER_UNARY_DERIVATIVES(_)                                                                   \
  _(neg, NegBackward0, false, false, -grad)                                                          \
  _(exp, ExpBackward0, false, true, grad * result)                                                   \
  _(log, LogBackward0, true, false, grad / self)                                                     \
  _(sin, SinBackward0, true, false, grad * self.cos())                                               \
  _(cos, CosBackward0, true, false, grad * -self.sin())                                              \
  _(sqrt, SqrtBackward0, false, true, grad / (2 * result))                                           \
  _(tanh, TanhBackward0, false, true, grad * (1 - result * result))                                  \
  _(sigmoid, SigmoidBackward0, false, true, grad * result * (1 - result))                            \
  _(relu, ReluBackward0, false, true, grad * (result > 0).to(grad.dtype()))

#define EMBER_DEFINE_UNARY(name, Node, uses_self, uses_result, formula)                             \
  Tensor name(const Tensor& self) {                                                                  \
    Tensor result = ops::name(self);                                                                 \
    if (autograd::any_requires_grad({&self}))                                                        \
      record_unary(#Node, self, result, uses_self, uses_result,                                      \
                   [](const Tensor& grad, const Tensor& self, const Tensor& result) -> Tensor {      \
                     (void)self;                                                                     \
                     (void)result;                                                                   \
                     return formula;                                                                 \
                   });                                                                               \
    return result;                                                                                   \
  }                                                                                                  \
  Tensor Tensor::name() const { return ember::name(*this); }                                         \
  Tensor& Tensor::name##_() {                                                                        \
    return autograd::inplace(                                                                        \
        *this, false, [](const Tensor& s) { return ember::name(s); }, [](Tensor& s) { ops::name##_(s); }); \
  }
EMBER_UNARY_DERIVATIVES(EMBER_DEFINE_UNARY)

// Binary ops: d(grad, a, b) for each side, summed back to the operand's shape.
namespace {
template <class DA, class DB>
void record_binary(const char* name, const Tensor& a, const Tensor& b, const Tensor& out, bool save_a, bool save_b,
                   DA da, DB db) {
  record(name, {&out}, {&a, &b},
         [sa = save_a ? SavedVariable(a, false) : SavedVariable(), sb = save_b ? SavedVariable(b, false) : SavedVariable(),
          as = DimVector(a.sizes()), bs = DimVector(b.sizes()), da, db](autograd::Node& node,
                                                                        const tensor_list& g) -> tensor_list {
           Tensor A = sa.unpack(), B = sb.unpack();
           tensor_list r(2);
           if (node.should_compute_output(0)) r[0] = sum_to(da(g[0], A, B), as);
           if (node.should_compute_output(1)) r[1] = sum_to(db(g[0], A, B), bs);
           return r;
         });
}

Tensor add_impl(const Tensor& a, const Tensor& b, const Scalar& alpha, const char* node_name) {
  Tensor out = ops::add(a, b, alpha);
  if (autograd::any_requires_grad({&a, &b})) {
    Scalar al = alpha;
    record_binary(
        node_name, a, b, out, false, false, [](const Tensor& g, const Tensor&, const Tensor&) { return g; },
        [al](const Tensor& g, const Tensor&, const Tensor&) { return al.toDouble() == 1.0 ? g : g * al; });
  }
  return out;
}
}  // namespace

Tensor add(const Tensor& a, const Tensor& b, const Scalar& alpha) { return add_impl(a, b, alpha, "AddBackward0"); }
Tensor add(const Tensor& a, const Scalar& b, const Scalar& alpha) {
  return add_impl(a, ops::wrap_scalar(a, b), alpha, "AddBackward1");
}
Tensor sub(const Tensor& a, const Tensor& b, const Scalar& alpha) {
  EMBER_CHECK(!(a.dtype() == kBool && b.dtype() == kBool),
              "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` "
              "operator instead.");
  return add_impl(a, b, -alpha, "SubBackward0");
}
Tensor sub(const Tensor& a, const Scalar& b, const Scalar& alpha) {
  return sub(a, ops::wrap_scalar(a, b), alpha);
}
Tensor operator-(const Scalar& a, const Tensor& b) { return sub(ops::wrap_scalar(b, a), b); }
Tensor operator/(const Scalar& a, const Tensor& b) { return div(ops::wrap_scalar(b, a), b); }

Tensor mul(const Tensor& a, const Tensor& b) {
  Tensor out = ops::mul(a, b);
  if (autograd::any_requires_grad({&a, &b}))
    record_binary(
        "MulBackward0", a, b, out, b.requires_grad(), a.requires_grad(),
        [](const Tensor& g, const Tensor&, const Tensor& B) { return g * B; },
        [](const Tensor& g, const Tensor& A, const Tensor&) { return g * A; });
  return out;
}

Tensor div(const Tensor& a, const Tensor& b) {
  Tensor out = ops::div(a, b);
  if (autograd::any_requires_grad({&a, &b}))
    record_binary(
        "DivBackward0", a, b, out, true, true, [](const Tensor& g, const Tensor&, const Tensor& B) { return g / B; },
        [](const Tensor& g, const Tensor& A, const Tensor& B) { return -g * A / (B * B); });
  return out;
}

#define EMBER_SCALAR_OVERLOAD(name) \
  Tensor name(const Tensor& a, const Scalar& b) { return name(a, ops::wrap_scalar(a, b)); }
EMBER_SCALAR_OVERLOAD(mul)
EMBER_SCALAR_OVERLOAD(div)

// Comparisons are not differentiable: their bool outputs never require grad.
#define EMBER_COMPARE_OP(name)                                                                \
  Tensor name(const Tensor& a, const Tensor& b) { return ops::name(a, b); }                   \
  Tensor name(const Tensor& a, const Scalar& b) { return ops::name(a, ops::wrap_scalar(a, b)); }
EMBER_COMPARE_OP(eq)
EMBER_COMPARE_OP(ne)
EMBER_COMPARE_OP(lt)
EMBER_COMPARE_OP(le)
EMBER_COMPARE_OP(gt)
EMBER_COMPARE_OP(ge)

// ---- methods and in-place forms of the binary ops ----
#define EMBER_BINARY_OP(name, F, R)                                                                     \
  Tensor Tensor::name(const Tensor& o) const { return ember::name(*this, o); }                          \
  Tensor Tensor::name(const Scalar& o) const { return ember::name(*this, o); }                          \
  Tensor& Tensor::name##_(const Tensor& o) {                                                            \
    return autograd::inplace(                                                                           \
        *this, GradMode::is_enabled() && o.requires_grad(), [&](const Tensor& s) { return ember::name(s, o); }, \
        [&](Tensor& s) { ops::name##_(s, o); });                                                        \
  }                                                                                                     \
  Tensor& Tensor::name##_(const Scalar& o) { return name##_(ops::wrap_scalar(*this, o)); }
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
  EMBER_CHECK(!(dtype() == kBool && o.dtype() == kBool),
              "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` "
              "operator instead.");
  return add_(o, -alpha);
}
Tensor& Tensor::sub_(const Scalar& o, const Scalar& alpha) { return sub_(ops::wrap_scalar(*this, o), alpha); }

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
