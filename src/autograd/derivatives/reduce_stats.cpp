// Public var/std (and with mean), norm and logsumexp with PyTorch's derivative rules.
#include <ember/autocast.h>
#include <cmath>

#include "autograd/derivatives/reduce_grad.h"

namespace ember {

using namespace reduce_grad;

namespace {

struct ReduceShape {
  DimVector in, kd, dims;
  double n;
  ReduceShape(const Tensor& self, IntArrayRef dims_) : in(self.sizes()), dims(dims_) {
    auto mask = ops::reduce_mask(self, dims_);
    kd = ops::reduced_shape(self, mask, true);
    n = double(ops::reduced_count(self, mask));
  }
};

// PyTorch's var_backward: 2 / (N - correction) * grad * (x - mean(x)).
Tensor var_backward(const Tensor& grad, const Tensor& self, const ReduceShape& s, int64_t correction) {
  double denom = std::max(0.0, s.n - double(correction));
  return (2.0 / denom) * restore(grad, s.in, s.kd) * (self - self.mean(s.dims, true));
}

// std = sqrt(var): the gradient of var is grad / (2 std), and 0 where std is 0.
Tensor std_to_var_grad(const Tensor& grad, const Tensor& std_result) {
  return keep_where(grad / (2 * std_result), std_result != 0);
}

int64_t correction_of(std::optional<int64_t> correction) { return correction.value_or(1); }

Tensor var_or_std(const Tensor& self, IntArrayRef dims, int64_t correction, bool keepdim, bool take_sqrt) {
  Tensor v = ops::var(self, dims, correction, keepdim);
  Tensor out = take_sqrt ? ops::sqrt(v) : v;
  if (autograd::any_requires_grad({&self})) {
    ReduceShape s(self, dims);
    record(take_sqrt ? "StdBackward0" : "VarBackward0", {&out}, {&self},
           [s, correction, take_sqrt, self_ = SavedVariable(self, false),
            out_ = take_sqrt ? SavedVariable(out, true) : SavedVariable()](autograd::Node& node,
                                                                          const tensor_list& g) -> tensor_list {
             Tensor gv = take_sqrt ? std_to_var_grad(g[0], out_.unpack(node.shared_from_this())) : g[0];
             return {var_backward(gv, self_.unpack(), s, correction)};
           });
  }
  return out;
}

std::tuple<Tensor, Tensor> stat_and_mean(const Tensor& self, IntArrayRef dims, int64_t correction, bool keepdim,
                                         bool take_sqrt) {
  Tensor v = ops::var(self, dims, correction, keepdim);
  Tensor stat = take_sqrt ? ops::sqrt(v) : v;
  Tensor m = ops::mean(self, dims, keepdim, std::nullopt);
  if (autograd::any_requires_grad({&self})) {
    ReduceShape s(self, dims);
    record(take_sqrt ? "StdMeanBackward0" : "VarMeanBackward0", {&stat, &m}, {&self},
           [s, correction, take_sqrt, self_ = SavedVariable(self, false),
            stat_ = take_sqrt ? SavedVariable(stat, true, 0) : SavedVariable()](autograd::Node& node,
                                                                               const tensor_list& g) -> tensor_list {
             Tensor x = self_.unpack(), r;
             if (g[0].defined()) {
               Tensor gv = take_sqrt ? std_to_var_grad(g[0], stat_.unpack(node.shared_from_this())) : g[0];
               r = var_backward(gv, x, s, correction);
             }
             if (g[1].defined()) {
               Tensor gm = restore(g[1], s.in, s.kd) / s.n;
               r = r.defined() ? r + gm : gm;
             }
             return {r};
           });
  }
  return {stat, m};
}

}  // namespace

Tensor var(const Tensor& self, IntArrayRef dim, std::optional<int64_t> correction, bool keepdim) {
  return var_or_std(self, dim, correction_of(correction), keepdim, false);
}
Tensor var(const Tensor& self, IntArrayRef dim, bool unbiased, bool keepdim) {
  return var_or_std(self, dim, unbiased ? 1 : 0, keepdim, false);
}
Tensor var(const Tensor& self, bool unbiased) { return var_or_std(self, {}, unbiased ? 1 : 0, false, false); }
Tensor std(const Tensor& self, IntArrayRef dim, std::optional<int64_t> correction, bool keepdim) {
  return var_or_std(self, dim, correction_of(correction), keepdim, true);
}
Tensor std(const Tensor& self, IntArrayRef dim, bool unbiased, bool keepdim) {
  return var_or_std(self, dim, unbiased ? 1 : 0, keepdim, true);
}
Tensor std(const Tensor& self, bool unbiased) { return var_or_std(self, {}, unbiased ? 1 : 0, false, true); }

std::tuple<Tensor, Tensor> var_mean(const Tensor& self, IntArrayRef dim,
                                    std::optional<int64_t> correction, bool keepdim) {
  return stat_and_mean(self, dim, correction_of(correction), keepdim, false);
}
std::tuple<Tensor, Tensor> var_mean(const Tensor& self, IntArrayRef dim, bool unbiased, bool keepdim) {
  return stat_and_mean(self, dim, unbiased ? 1 : 0, keepdim, false);
}
std::tuple<Tensor, Tensor> var_mean(const Tensor& self, bool unbiased) {
  return stat_and_mean(self, {}, unbiased ? 1 : 0, false, false);
}
std::tuple<Tensor, Tensor> std_mean(const Tensor& self, IntArrayRef dim,
                                    std::optional<int64_t> correction, bool keepdim) {
  return stat_and_mean(self, dim, correction_of(correction), keepdim, true);
}
std::tuple<Tensor, Tensor> std_mean(const Tensor& self, IntArrayRef dim, bool unbiased, bool keepdim) {
  return stat_and_mean(self, dim, unbiased ? 1 : 0, keepdim, true);
}
std::tuple<Tensor, Tensor> std_mean(const Tensor& self, bool unbiased) {
  return stat_and_mean(self, {}, unbiased ? 1 : 0, false, true);
}

namespace {
// PyTorch's norm_backward, case by case in p; `grad` and `norm` are expanded to the input's shape.
Tensor norm_backward(const Tensor& grad, const Tensor& x, const Tensor& norm, double p, const DimVector& dims) {
  // The count of nonzeros has no gradient: PyTorch leaves the input's grad undefined (None).
  if (p == 0) return Tensor();
  if (p == 1) return grad * sign_of(x);
  if (p == 2) return x * keep_where(grad / norm, norm != 0);
  if (std::isinf(p)) {
    Tensor hit;
    {
      NoGradGuard no_grad;
      hit = abs_of(x) == norm;
    }
    Tensor count = ops::sum(hit, dims, true, x.dtype());
    return sign_of(x) * keep_where(grad / count, hit);
  }
  Tensor nonzero = x != 0;
  if (p < 1) return keep_where(sign_of(x) * pow_of(abs_of(x), p - 1), nonzero) * grad * pow_of(norm, 1 - p);
  Tensor scale = keep_where(grad / pow_of(norm, p - 1), norm != 0);
  if (p < 2) return sign_of(x) * pow_of(abs_of(x), p - 1) * scale;
  return x * pow_of(abs_of(x), p - 2) * scale;
}
}  // namespace

Tensor norm(const Tensor& self, std::optional<Scalar> p, IntArrayRef dim, bool keepdim, DType dtype) {
  double pv = p ? p->toDouble() : 2.0;
  Tensor out = ops::norm(self, pv, dim, keepdim, dtype);
  if (autograd::any_requires_grad({&self})) {
    ReduceShape s(self, dim);
    DType in_dt = self.dtype();
    record("NormBackward1", {&out}, {&self},
           [s, pv, in_dt, self_ = SavedVariable(self, false), out_ = SavedVariable(out, true)](
               autograd::Node& node, const tensor_list& g) -> tensor_list {
             Tensor x = self_.unpack(), r = out_.unpack(node.shared_from_this());
             Tensor gx = restore(g[0], s.in, s.kd).to(in_dt);
             return {norm_backward(gx, x, restore(r, s.in, s.kd).to(in_dt), pv, s.dims)};
           });
  }
  return out;
}
Tensor norm(const Tensor& self, std::optional<Scalar> p, IntArrayRef dim, bool keepdim) {
  EMBER_AUTOCAST("norm", norm, self, p, dim, keepdim);
  return norm(self, p, dim, keepdim, self.dtype());
}
Tensor norm(const Tensor& self, const Scalar& p) { return norm(self, p, {}, false); }
Tensor norm(const Tensor& self, std::string_view p, IntArrayRef dim, bool keepdim) {
  EMBER_CHECK(p == "fro", "norm(): unsupported string norm '", p, "'; only 'fro' reduces to a vector norm");
  return norm(self, Scalar(2), dim, keepdim);
}

Tensor norm(const Tensor& self, const char* p, IntArrayRef dim, bool keepdim) {
  return norm(self, std::string_view(p), dim, keepdim);
}

Tensor logsumexp(const Tensor& self, IntArrayRef dim, bool keepdim) {
  EMBER_AUTOCAST("logsumexp", logsumexp, self, dim, keepdim);
  Tensor out = ops::logsumexp(self, dim, keepdim);
  if (autograd::any_requires_grad({&self}) && self.is_floating_point()) {
    ReduceShape s(self, dim);
    record("LogsumexpBackward0", {&out}, {&self},
           [s, self_ = SavedVariable(self, false), out_ = SavedVariable(out, true)](
               autograd::Node& node, const tensor_list& g) -> tensor_list {
             Tensor x = self_.unpack(), r = restore(out_.unpack(node.shared_from_this()), s.in, s.kd);
             return {restore(g[0], s.in, s.kd) * (x - r).exp()};
           });
  }
  return out;
}

// ---- Tensor methods ----
Tensor Tensor::var(bool unbiased) const { return ember::var(*this, unbiased); }
Tensor Tensor::var(IntArrayRef dim, bool unbiased, bool keepdim) const {
  return ember::var(*this, dim, unbiased, keepdim);
}
Tensor Tensor::var(IntArrayRef dim, std::optional<int64_t> correction, bool keepdim) const {
  return ember::var(*this, dim, correction, keepdim);
}
Tensor Tensor::std(bool unbiased) const { return ember::std(*this, unbiased); }
Tensor Tensor::std(IntArrayRef dim, bool unbiased, bool keepdim) const {
  return ember::std(*this, dim, unbiased, keepdim);
}
Tensor Tensor::std(IntArrayRef dim, std::optional<int64_t> correction, bool keepdim) const {
  return ember::std(*this, dim, correction, keepdim);
}
Tensor Tensor::norm(const Scalar& p) const { return ember::norm(*this, p); }
Tensor Tensor::norm(std::optional<Scalar> p, IntArrayRef dim, bool keepdim) const {
  return ember::norm(*this, p, dim, keepdim);
}
Tensor Tensor::norm(std::optional<Scalar> p, IntArrayRef dim, bool keepdim, DType dtype) const {
  return ember::norm(*this, p, dim, keepdim, dtype);
}
Tensor Tensor::norm(std::string_view p, IntArrayRef dim, bool keepdim) const {
  return ember::norm(*this, p, dim, keepdim);
}
Tensor Tensor::norm(const char* p, IntArrayRef dim, bool keepdim) const { return ember::norm(*this, p, dim, keepdim); }
Tensor Tensor::logsumexp(IntArrayRef dim, bool keepdim) const { return ember::logsumexp(*this, dim, keepdim); }

}  // namespace ember
