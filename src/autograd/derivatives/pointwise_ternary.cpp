// Public pointwise ops with extra arguments (div's rounding modes, pow with a number, round with
// decimals, logit, nan_to_num, clamp) and the ternary ones (lerp, addcmul, addcdiv, where,
// masked_fill), with their derivative rules from PyTorch's derivatives.yaml, written with public ops.
#include <ember/autocast.h>
#include <cmath>
#include <limits>

#include <ember/ops/factory.h>
#include <ember/ops/pointwise.h>

#include "autograd/derivatives/pointwise_record.h"

namespace ember {

using autograd::record;
using autograd::record_binary;
using autograd::record_unary;
using autograd::SavedVariable;
using autograd::sum_to;

namespace {
bool needs_grad(const Tensor& t) { return t.defined() && GradMode::is_enabled() && t.requires_grad(); }
Tensor zero_grad(const Tensor& g, const Tensor&, const Tensor&, const Tensor&) { return zeros_like(g); }
}  // namespace

// ---- div with a rounding mode, floor_divide ----
Tensor div(const Tensor& a, const Tensor& b, std::optional<std::string_view> mode) {
  if (!mode) return div(a, b);
  Tensor out;
  if (*mode == "trunc") out = ops::div_trunc(a, b);
  else if (*mode == "floor") out = ops::div_floor(a, b);
  else
    throw Error(detail::str("div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '", *mode,
                            "'"));
  // The rounded quotient is piecewise constant: zero gradient almost everywhere, as in PyTorch.
  if (autograd::any_requires_grad({&a, &b})) record_binary("DivBackward2", a, b, out, false, false, zero_grad, zero_grad);
  return out;
}
Tensor div(const Tensor& a, const Scalar& b, std::optional<std::string_view> mode) {
  return div(a, ops::wrap_scalar(a, b), mode);
}
// PyTorch defines no derivative for floor_divide; its result takes no part in autograd.
Tensor floor_divide(const Tensor& a, const Tensor& b) { return ops::div_floor(a, b); }
Tensor floor_divide(const Tensor& a, const Scalar& b) { return ops::div_floor(a, ops::wrap_scalar(a, b)); }
Tensor floor_divide(const Scalar& a, const Tensor& b) { return ops::div_floor(ops::wrap_scalar(b, a), b); }

Tensor Tensor::div(const Tensor& o, std::optional<std::string_view> mode) const { return ember::div(*this, o, mode); }
Tensor Tensor::div(const Scalar& o, std::optional<std::string_view> mode) const { return ember::div(*this, o, mode); }
Tensor& Tensor::div_(const Tensor& o, std::optional<std::string_view> mode) {
  return autograd::inplace_via(*this, o.requires_grad(), [&](const Tensor& s) { return ember::div(s, o, mode); });
}
Tensor& Tensor::div_(const Scalar& o, std::optional<std::string_view> mode) {
  return autograd::inplace_via(*this, false, [&](const Tensor& s) { return ember::div(s, o, mode); });
}
Tensor Tensor::floor_divide(const Tensor& o) const { return ember::floor_divide(*this, o); }
Tensor Tensor::floor_divide(const Scalar& o) const { return ember::floor_divide(*this, o); }
Tensor& Tensor::floor_divide_(const Tensor& o) {
  return autograd::inplace_via(*this, false, [&](const Tensor& s) { return ember::floor_divide(s, o); });
}
Tensor& Tensor::floor_divide_(const Scalar& o) {
  return autograd::inplace_via(*this, false, [&](const Tensor& s) { return ember::floor_divide(s, o); });
}

// ---- pow with a number on either side ----
Tensor pow(const Tensor& self, const Scalar& exponent) {
  EMBER_AUTOCAST("pow", pow, self, exponent);
  Tensor out = ops::pow(self, exponent);
  if (autograd::any_requires_grad({&self})) {
    Scalar e = exponent;
    record_unary("PowBackward0", self, out, true, false, [e](const Tensor& grad, const Tensor& self, const Tensor&) {
      return e.toDouble() == 0.0 ? zeros_like(grad) : grad * (self.pow(e.toDouble() - 1.0) * e);
    });
  }
  return out;
}

Tensor pow(const Scalar& base, const Tensor& exponent) {
  EMBER_AUTOCAST("pow", pow, base, exponent);
  Tensor out = ops::pow(ops::wrap_scalar(exponent, base), exponent);
  if (autograd::any_requires_grad({&exponent})) {
    double b = base.toDouble();
    // 0^e has derivative 0 in e for e >= 0 (PyTorch's convention, avoiding 0 * log(0) = NaN).
    record_unary("PowBackward2", exponent, out, true, true,
                 [b](const Tensor& grad, const Tensor& exponent, const Tensor& result) {
                   return b == 0.0 ? where(exponent >= 0, zeros_like(grad), grad * result * std::log(b))
                                   : grad * result * std::log(b);
                 });
  }
  return out;
}

// ---- float_power: pow after casting both operands to float64, differentiable through both ----
Tensor float_power(const Tensor& self, const Tensor& exponent) { return pow(self.to(kFloat64), exponent.to(kFloat64)); }
Tensor float_power(const Tensor& self, const Scalar& exponent) {
  return pow(self.to(kFloat64), Scalar(exponent.toDouble()));
}
Tensor float_power(const Scalar& self, const Tensor& exponent) {
  return pow(Scalar(self.toDouble()), exponent.to(kFloat64));
}
namespace {
void check_float_power_base(const Tensor& self) {
  EMBER_CHECK(self.dtype() == kFloat64, "the base given to float_power_ has dtype ", dtype_title(self.dtype()),
              " but the operation's result requires dtype Double");
}
}  // namespace
Tensor& float_power_(Tensor& self, const Tensor& exponent) {
  check_float_power_base(self);
  return self.pow_(exponent.to(kFloat64));
}
Tensor& float_power_(Tensor& self, const Scalar& exponent) {
  check_float_power_base(self);
  return self.pow_(Scalar(exponent.toDouble()));
}

// ---- round with decimals, logit, nan_to_num ----
Tensor round(const Tensor& self, int64_t decimals) {
  // PyTorch's round(decimals=) has floating kernels only, even for decimals=0.
  if (decimals == 0 && is_floating_point(self.dtype())) return round(self);
  double p = double(decimals);
  Tensor out = ops::round_decimals(self, &p);
  if (autograd::any_requires_grad({&self}))
    record_unary("RoundBackward1", self, out, false, false,
                 [](const Tensor& grad, const Tensor&, const Tensor&) { return zeros_like(grad); });
  return out;
}

Tensor logit(const Tensor& self, std::optional<double> eps) {
  double p = eps ? *eps : -1.0;
  Tensor out = ops::logit(self, &p);
  if (autograd::any_requires_grad({&self}))
    record_unary("LogitBackward0", self, out, true, false, [eps](const Tensor& grad, const Tensor& x, const Tensor&) {
      Tensor d = grad / (x * (1 - x));
      // Outside [eps, 1 - eps] the clamped input is constant; without eps, outside [0, 1] logit is NaN.
      return eps ? where((x < *eps).logical_or(x > 1 - *eps), 0, d)
                 : where((x < 0).logical_or(x > 1), std::numeric_limits<double>::quiet_NaN(), d);
    });
  return out;
}

Tensor nan_to_num(const Tensor& self, std::optional<double> nan, std::optional<double> posinf,
                  std::optional<double> neginf) {
  double big = std::numeric_limits<double>::max();
  switch (self.dtype()) {
    case kFloat16: big = 65504.0; break;
    case kBFloat16: big = 3.3895313892515355e38; break;
    case kFloat32: big = double(std::numeric_limits<float>::max()); break;
    default: break;
  }
  const double p[3] = {nan.value_or(0.0), posinf.value_or(big), neginf.value_or(-big)};
  Tensor out = ops::nan_to_num(self, p);
  if (autograd::any_requires_grad({&self}))
    record_unary("NanToNumBackward0", self, out, true, false,
                 [](const Tensor& grad, const Tensor& self, const Tensor&) { return where(self.isfinite(), grad, 0); });
  return out;
}

Tensor Tensor::round(int64_t decimals) const { return ember::round(*this, decimals); }
Tensor& Tensor::round_(int64_t decimals) {
  return autograd::inplace_via(*this, false, [&](const Tensor& s) { return ember::round(s, decimals); });
}
Tensor Tensor::logit(std::optional<double> eps) const { return ember::logit(*this, eps); }
Tensor& Tensor::logit_(std::optional<double> eps) {
  return autograd::inplace_via(*this, false, [&](const Tensor& s) { return ember::logit(s, eps); });
}
Tensor Tensor::nan_to_num(std::optional<double> nan, std::optional<double> posinf, std::optional<double> neginf) const {
  return ember::nan_to_num(*this, nan, posinf, neginf);
}
Tensor& Tensor::nan_to_num_(std::optional<double> nan, std::optional<double> posinf, std::optional<double> neginf) {
  return autograd::inplace_via(*this, false,
                               [&](const Tensor& s) { return ember::nan_to_num(s, nan, posinf, neginf); });
}

// ---- clamp ----
Tensor clamp(const Tensor& self, const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
  Tensor out = ops::clamp(self, min, max);
  if (autograd::any_requires_grad({&self})) {
    std::optional<Scalar> lo = min, hi = max;
    record_unary("ClampBackward1", self, out, true, false, [lo, hi](const Tensor& grad, const Tensor& x, const Tensor&) {
      Tensor inside = ones_like(x, TensorOptions(kBool));
      if (lo) inside = inside.logical_and(x >= *lo);
      if (hi) inside = inside.logical_and(x <= *hi);
      return where(inside, grad, 0);
    });
  }
  return out;
}

Tensor clamp(const Tensor& self, const std::optional<Tensor>& min, const std::optional<Tensor>& max) {
  Tensor lo = min.value_or(Tensor()), hi = max.value_or(Tensor());
  if (!hi.defined() && lo.defined()) return clamp_min(self, lo);
  if (!lo.defined() && hi.defined()) return clamp_max(self, hi);
  Tensor out = ops::clamp(self, lo, hi);
  if (autograd::any_requires_grad({&self, &lo, &hi}))
    record("ClampBackward0", {&out}, {&self, &lo, &hi},
           [sx = SavedVariable(self, false), slo = SavedVariable(lo, false), shi = SavedVariable(hi, false),
            xs = DimVector(self.sizes()), ls = DimVector(lo.sizes()),
            hs = DimVector(hi.sizes())](autograd::Node& node, const tensor_list& g) -> tensor_list {
             Tensor x = sx.unpack(), l = slo.unpack(), h = shi.unpack();
             tensor_list r(3);
             if (node.should_compute_output(0)) r[0] = sum_to(where((x >= l).logical_and(x <= h), g[0], 0), xs);
             if (node.should_compute_output(1)) r[1] = sum_to(where((x < l).logical_and(l < h), g[0], 0), ls);
             if (node.should_compute_output(2)) r[2] = sum_to(where((x > h).logical_or(h < l), g[0], 0), hs);
             return r;
           });
  return out;
}

Tensor clip(const Tensor& self, const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
  return clamp(self, min, max);
}
Tensor clip(const Tensor& self, const std::optional<Tensor>& min, const std::optional<Tensor>& max) {
  return clamp(self, min, max);
}

Tensor Tensor::clamp(const std::optional<Scalar>& min, const std::optional<Scalar>& max) const {
  return ember::clamp(*this, min, max);
}
Tensor Tensor::clamp(const std::optional<Tensor>& min, const std::optional<Tensor>& max) const {
  return ember::clamp(*this, min, max);
}
Tensor& Tensor::clamp_(const std::optional<Scalar>& min, const std::optional<Scalar>& max) {
  return autograd::inplace_via(*this, false, [&](const Tensor& s) { return ember::clamp(s, min, max); });
}
Tensor& Tensor::clamp_(const std::optional<Tensor>& min, const std::optional<Tensor>& max) {
  bool others = (min && needs_grad(*min)) || (max && needs_grad(*max));
  return autograd::inplace_via(*this, others, [&](const Tensor& s) { return ember::clamp(s, min, max); });
}
Tensor Tensor::clip(const std::optional<Scalar>& min, const std::optional<Scalar>& max) const { return clamp(min, max); }
Tensor Tensor::clip(const std::optional<Tensor>& min, const std::optional<Tensor>& max) const { return clamp(min, max); }
Tensor& Tensor::clip_(const std::optional<Scalar>& min, const std::optional<Scalar>& max) { return clamp_(min, max); }
Tensor& Tensor::clip_(const std::optional<Tensor>& min, const std::optional<Tensor>& max) { return clamp_(min, max); }

// ---- lerp, addcmul, addcdiv ----
Tensor lerp(const Tensor& self, const Tensor& end, const Tensor& weight) {
  Tensor out = ops::lerp(self, end, weight);
  if (autograd::any_requires_grad({&self, &end, &weight}))
    record("LerpBackward1", {&out}, {&self, &end, &weight},
           [ss = SavedVariable(self, false), se = SavedVariable(end, false), sw = SavedVariable(weight, false),
            as = DimVector(self.sizes()), es = DimVector(end.sizes()),
            ws = DimVector(weight.sizes())](autograd::Node& node, const tensor_list& g) -> tensor_list {
             Tensor s = ss.unpack(), e = se.unpack(), w = sw.unpack();
             tensor_list r(3);
             if (node.should_compute_output(0)) r[0] = sum_to(g[0] * (1 - w), as);
             if (node.should_compute_output(1)) r[1] = sum_to(g[0] * w, es);
             if (node.should_compute_output(2)) r[2] = sum_to(g[0] * (e - s), ws);
             return r;
           });
  return out;
}

Tensor lerp(const Tensor& self, const Tensor& end, const Scalar& weight) {
  Tensor out = ops::lerp(self, end, weight);
  if (autograd::any_requires_grad({&self, &end})) {
    double wd = weight.toDouble();
    record_binary(
        "LerpBackward0", self, end, out, false, false,
        [wd](const Tensor& g, const Tensor&, const Tensor&, const Tensor&) { return g * (1.0 - wd); },
        [wd](const Tensor& g, const Tensor&, const Tensor&, const Tensor&) { return g * wd; });
  }
  return out;
}

namespace {
// addcmul / addcdiv: d/dself = grad, d/dt1 and d/dt2 from `d1`, `d2` (grad, t1, t2, value).
template <class D1, class D2>
Tensor addc(const char* node_name, const Tensor& out, const Tensor& self, const Tensor& t1, const Tensor& t2,
            const Scalar& value, D1 d1, D2 d2) {
  if (autograd::any_requires_grad({&self, &t1, &t2})) {
    double v = value.toDouble();
    record(node_name, {&out}, {&self, &t1, &t2},
           [s1 = SavedVariable(t1, false), s2 = SavedVariable(t2, false), as = DimVector(self.sizes()),
            bs = DimVector(t1.sizes()), cs = DimVector(t2.sizes()), v, d1,
            d2](autograd::Node& node, const tensor_list& g) -> tensor_list {
             Tensor a = s1.unpack(), b = s2.unpack();
             tensor_list r(3);
             if (node.should_compute_output(0)) r[0] = sum_to(g[0], as);
             if (node.should_compute_output(1)) r[1] = sum_to(d1(g[0], a, b, v), bs);
             if (node.should_compute_output(2)) r[2] = sum_to(d2(g[0], a, b, v), cs);
             return r;
           });
  }
  return out;
}
}  // namespace

Tensor addcmul(const Tensor& self, const Tensor& t1, const Tensor& t2, const Scalar& value) {
  EMBER_AUTOCAST("addcmul", addcmul, self, t1, t2, value);
  return addc(
      "AddcmulBackward0", ops::addcmul(self, t1, t2, value), self, t1, t2, value,
      [](const Tensor& g, const Tensor&, const Tensor& b, double v) { return g * b * v; },
      [](const Tensor& g, const Tensor& a, const Tensor&, double v) { return g * a * v; });
}

Tensor addcdiv(const Tensor& self, const Tensor& t1, const Tensor& t2, const Scalar& value) {
  EMBER_AUTOCAST("addcdiv", addcdiv, self, t1, t2, value);
  return addc(
      "AddcdivBackward0", ops::addcdiv(self, t1, t2, value), self, t1, t2, value,
      [](const Tensor& g, const Tensor&, const Tensor& b, double v) { return g * v / b; },
      [](const Tensor& g, const Tensor& a, const Tensor& b, double v) { return -g * v * a / (b * b); });
}

Tensor Tensor::lerp(const Tensor& end, const Scalar& weight) const { return ember::lerp(*this, end, weight); }
Tensor Tensor::lerp(const Tensor& end, const Tensor& weight) const { return ember::lerp(*this, end, weight); }
Tensor& Tensor::lerp_(const Tensor& end, const Scalar& weight) {
  return autograd::inplace_via(*this, needs_grad(end), [&](const Tensor& s) { return ember::lerp(s, end, weight); });
}
Tensor& Tensor::lerp_(const Tensor& end, const Tensor& weight) {
  return autograd::inplace_via(*this, needs_grad(end) || needs_grad(weight),
                               [&](const Tensor& s) { return ember::lerp(s, end, weight); });
}
Tensor Tensor::addcmul(const Tensor& t1, const Tensor& t2, const Scalar& value) const {
  return ember::addcmul(*this, t1, t2, value);
}
Tensor& Tensor::addcmul_(const Tensor& t1, const Tensor& t2, const Scalar& value) {
  return autograd::inplace_via(*this, needs_grad(t1) || needs_grad(t2),
                               [&](const Tensor& s) { return ember::addcmul(s, t1, t2, value); });
}
Tensor Tensor::addcdiv(const Tensor& t1, const Tensor& t2, const Scalar& value) const {
  return ember::addcdiv(*this, t1, t2, value);
}
Tensor& Tensor::addcdiv_(const Tensor& t1, const Tensor& t2, const Scalar& value) {
  return autograd::inplace_via(*this, needs_grad(t1) || needs_grad(t2),
                               [&](const Tensor& s) { return ember::addcdiv(s, t1, t2, value); });
}

// ---- where, masked_fill ----
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  Tensor out = ops::where(cond, a, b);
  if (autograd::any_requires_grad({&a, &b}))
    record("WhereBackward0", {&out}, {&a, &b},
           [sc = SavedVariable(cond, false), as = DimVector(a.sizes()),
            bs = DimVector(b.sizes())](autograd::Node& node, const tensor_list& g) -> tensor_list {
             Tensor c = sc.unpack();
             tensor_list r(2);
             if (node.should_compute_output(0)) r[0] = sum_to(where(c, g[0], 0), as);
             if (node.should_compute_output(1)) r[1] = sum_to(where(c, 0, g[0]), bs);
             return r;
           });
  return out;
}
Tensor where(const Tensor& cond, const Tensor& a, const Scalar& b) {
  return where(cond, a, ops::scalar_tensor(b, result_type(a, b), a.device()));
}
Tensor where(const Tensor& cond, const Scalar& a, const Tensor& b) {
  return where(cond, ops::scalar_tensor(a, result_type(b, a), b.device()), b);
}
Tensor where(const Tensor& cond, const Scalar& a, const Scalar& b) {
  DType dt = promote_types(a.type(), b.type());
  return where(cond, ops::scalar_tensor(a, dt, cond.device()), ops::scalar_tensor(b, dt, cond.device()));
}

Tensor masked_fill(const Tensor& self, const Tensor& mask, const Tensor& value) {
  Tensor out = ops::masked_fill(self, mask, value);
  if (autograd::any_requires_grad({&self, &value}))
    record("MaskedFillBackward1", {&out}, {&self, &value},
           [sm = SavedVariable(mask, false), as = DimVector(self.sizes())](autograd::Node& node,
                                                                          const tensor_list& g) -> tensor_list {
             Tensor m = sm.unpack();
             tensor_list r(2);
             if (node.should_compute_output(0)) r[0] = sum_to(g[0].masked_fill(m, 0), as);
             if (node.should_compute_output(1)) r[1] = where(m, g[0], 0).sum();
             return r;
           });
  return out;
}
Tensor masked_fill(const Tensor& self, const Tensor& mask, const Scalar& value) {
  return masked_fill(self, mask, ops::scalar_tensor(value, value.type(), self.device()));
}

Tensor Tensor::where(const Tensor& cond, const Tensor& other) const { return ember::where(cond, *this, other); }
Tensor Tensor::where(const Tensor& cond, const Scalar& other) const { return ember::where(cond, *this, other); }
Tensor Tensor::masked_fill(const Tensor& mask, const Scalar& value) const {
  return ember::masked_fill(*this, mask, value);
}
Tensor Tensor::masked_fill(const Tensor& mask, const Tensor& value) const {
  return ember::masked_fill(*this, mask, value);
}
Tensor& Tensor::masked_fill_(const Tensor& mask, const Scalar& value) {
  return masked_fill_(mask, ops::scalar_tensor(value, value.type(), device()));
}
Tensor& Tensor::masked_fill_(const Tensor& mask, const Tensor& value) {
  return autograd::inplace(
      *this, needs_grad(value), [&](const Tensor& s) { return ember::masked_fill(s, mask, value); },
      [&](Tensor& s) { ops::masked_fill_(s, mask, value); });
}

}  // namespace ember
