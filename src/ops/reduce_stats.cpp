// Reductions composed of the basic ones: mean, nanmean, var, logsumexp, norm. float16/bfloat16 inputs
// are computed in float32 and rounded once at the end, as PyTorch's opmath does.
#include <cmath>

#include "ops/reduce.h"

namespace ember::ops {

namespace {
Tensor abs_value(const Tensor& x) { return ops::add(ops::relu(x), ops::relu(ops::neg(x)), 1); }
// a^q for a >= 0.
Tensor pow_nonneg(const Tensor& a, double q) { return ops::exp(ops::mul(ops::log(a), ops::wrap_scalar(a, q))); }
Tensor divide(const Tensor& t, double n) { return ops::div(t, ops::wrap_scalar(t, n)); }
}  // namespace

DType stats_dtype(DType t) { return is_reduced_float(t) ? kFloat32 : t; }

Tensor mean(const Tensor& self, IntArrayRef dims, bool keepdim, std::optional<DType> dtype) {
  if (dtype)
    EMBER_CHECK(is_floating_point(*dtype),
                "ops::mean(): could not infer output dtype. Optional dtype must be either a floating point or complex "
                "dtype. Got: ",
                dtype_title(*dtype));
  else
    EMBER_CHECK(is_floating_point(self.dtype()),
                "ops::mean(): could not infer output dtype. Input dtype must be either a floating point or complex "
                "dtype. Got: ",
                dtype_title(self.dtype()));
  int64_t n = reduced_count(self, reduce_mask(self, dims));
  Tensor s = ops::sum(self, dims, keepdim, dtype);
  return divide(s, double(n));
}

Tensor nanmean(const Tensor& self, IntArrayRef dims, bool keepdim, std::optional<DType> dtype) {
  EMBER_CHECK(is_floating_point(self.dtype()), "nanmean(): expected input to have floating point dtype but got ",
              dtype_title(self.dtype()));
  Tensor s = ops::nansum(self, dims, keepdim, dtype);
  Tensor count = ops::sum(ops::eq(self, self), dims, keepdim, std::nullopt);
  return ops::div(s, ops::cast(count, s.dtype()));
}

Tensor var(const Tensor& self, IntArrayRef dims, int64_t correction, bool keepdim) {
  EMBER_CHECK(is_floating_point(self.dtype()), "std and var only support floating point and complex dtypes");
  int64_t n = reduced_count(self, reduce_mask(self, dims));
  Tensor x = ops::cast(self, stats_dtype(self.dtype()));
  Tensor dev = ops::add(x, ops::neg(ops::mean(x, dims, true, std::nullopt)), 1);
  Tensor r = divide(ops::sum(ops::mul(dev, dev), dims, keepdim, std::nullopt), double(std::max<int64_t>(0, n - correction)));
  return ops::cast(r, self.dtype());
}

Tensor logsumexp(const Tensor& self, IntArrayRef dims, bool keepdim) {
  DType out_dt = is_integral(self.dtype(), true) ? kFloat32 : self.dtype();
  auto mask = reduce_mask(self, dims);
  Tensor x = ops::cast(self, stats_dtype(out_dt));
  DimVector kd = reduced_shape(self, mask, true);
  Tensor r;
  if (reduced_count(self, mask) == 0) {
    r = ops::empty(kd, x.dtype(), x.device());
    ops::fill_(r, -INFINITY);
  } else {
    // Shifting by the max keeps exp in range; an infinite max is not subtracted (inf - inf = NaN).
    Tensor m = ops::amax(x, dims, true);
    m = ops::keep_where(m, ops::eq(ops::mul(m, ops::wrap_scalar(m, 0)), ops::wrap_scalar(m, 0)));
    r = ops::add(ops::log(ops::sum(ops::exp(ops::add(x, ops::neg(m), 1)), dims, true, std::nullopt)), m, 1);
  }
  if (!keepdim) r = ops::view(r, reduced_shape(self, mask, false));
  return ops::cast(r, out_dt);
}

Tensor norm(const Tensor& self, double p, IntArrayRef dims, bool keepdim, std::optional<DType> dtype) {
  EMBER_CHECK(is_floating_point(self.dtype()), "norm(): input dtype should be either floating point or complex. Got ",
              dtype_title(self.dtype()), " instead.");
  DType out_dt = dtype ? *dtype : self.dtype();
  EMBER_CHECK(is_floating_point(out_dt), "norm(): the desired output dtype should be either floating point or complex. "
                                         "Got ", dtype_title(out_dt), " instead.");
  bool general = p != 0 && p != 1 && p != 2 && !std::isinf(p);
  // A general p goes through exp/log, so float32 computes it in float64 to keep its accuracy.
  Tensor x = ops::cast(self, general ? kFloat64 : stats_dtype(out_dt));
  auto mask = reduce_mask(self, dims);
  Tensor r;
  if (p == 2) {
    r = ops::sqrt(ops::sum(ops::mul(x, x), dims, keepdim, std::nullopt));
  } else if (p == 1) {
    r = ops::sum(abs_value(x), dims, keepdim, std::nullopt);
  } else if (p == 0) {
    r = ops::cast(ops::sum(ops::ne(x, ops::wrap_scalar(x, 0)), dims, keepdim, std::nullopt), x.dtype());
  } else if (std::isinf(p) && reduced_count(self, mask) == 0) {
    // Like PyTorch's vector_norm, an empty inf-norm is 0 rather than max()'s error.
    r = ops::sum(x, dims, keepdim, std::nullopt);
  } else if (std::isinf(p)) {
    r = p > 0 ? ops::amax(abs_value(x), dims, keepdim) : ops::amin(abs_value(x), dims, keepdim);
  } else {
    r = pow_nonneg(ops::sum(pow_nonneg(abs_value(x), p), dims, keepdim, std::nullopt), 1.0 / p);
  }
  return ops::cast(r, out_dt);
}

}  // namespace ember::ops
