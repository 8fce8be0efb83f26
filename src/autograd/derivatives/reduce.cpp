// Public reductions (sum, nansum, mean, nanmean, prod, max/min, amax/amin, arg and logical reductions)
// with PyTorch's derivative rules, written with public ops so double backward works.
#include <ember/autocast.h>
#include <ember/ops/factory.h>
#include <ember/ops/shape.h>

#include "autograd/derivatives/reduce_grad.h"

namespace ember {

namespace reduce_grad {

Tensor exclusive_cumprod(const Tensor& x, int64_t dim) {
  return cat({ones_like(x.narrow(dim, 0, 1)), x.narrow(dim, 0, x.size(dim) - 1)}, dim).cumprod(dim);
}

Tensor prod_of_others_graph(const Tensor& x, int64_t dim) {
  if ((x.dim() == 0 ? 1 : x.size(dim)) <= 1) return ones_like(x);
  return exclusive_cumprod(x, dim) * exclusive_cumprod(x.flip({dim}), dim).flip({dim});
}

Tensor keep_where(const Tensor& self, const Tensor& mask) {
  Tensor out = ops::keep_where(self, mask);
  if (autograd::any_requires_grad({&self})) {
    DimVector in(self.sizes());
    record("KeepWhereBackward0", {&out}, {&self}, [mask, in](autograd::Node&, const tensor_list& g) -> tensor_list {
      return {autograd::sum_to(keep_where(g[0], mask), in)};
    });
  }
  return out;
}

Tensor sign_of(const Tensor& x) {
  NoGradGuard no_grad;
  return (x > 0).to(x.dtype()) - (x < 0).to(x.dtype());
}

Tensor abs_of(const Tensor& x) { return x.relu() + (-x).relu(); }

Tensor pow_of(const Tensor& a, double q) { return (a.log() * q).exp(); }

}  // namespace reduce_grad

using namespace reduce_grad;

namespace {
// A gradient that flows back to every element of the reduced range.
// backward(grad, self, result) gets grad and result expanded to the input's shape; self and result are
// saved only when `saves` asks for them (a saved input would forbid later in-place writes to it).
enum Saves { kNothing = 0, kSelf = 1, kSelfAndResult = 3 };
template <class F>
void record_reduction(const char* name, const Tensor& self, const Tensor& out, IntArrayRef dims, Saves saves,
                      F backward) {
  if (!autograd::any_requires_grad({&self}) || !out.is_floating_point()) return;
  auto mask = ops::reduce_mask(self, dims);
  DimVector in(self.sizes()), kd = ops::reduced_shape(self, mask, true);
  record(name, {&out}, {&self},
         [in, kd, backward, self_ = saves & kSelf ? SavedVariable(self, false) : SavedVariable(),
          out_ = saves == kSelfAndResult ? SavedVariable(out, true) : SavedVariable()](autograd::Node& node,
                                                                         const tensor_list& g) -> tensor_list {
           Tensor result = out_.unpack(node.shared_from_this());
           if (result.defined()) result = restore(result, in, kd);
           return {backward(restore(g[0], in, kd), self_.unpack(), result)};
         });
}

// max/min/amax/amin without an index: the gradient is shared evenly among the elements equal to the
// result (all NaNs when the result is NaN, as PyTorch's evenly_distribute_backward). Along dims the share
// is multiplied by the mask as in PyTorch's scale_grad_by_count, so a line whose result is NaN (no element
// equals it) gets NaN gradients.
Tensor share_among_ties(const Tensor& grad, const Tensor& self, const Tensor& result, IntArrayRef dims, bool full) {
  Tensor mask;
  {
    NoGradGuard no_grad;
    bool nan_result = full && ops::any(ops::ne(result, result), std::nullopt, false).item<bool>();
    mask = nan_result ? ops::ne(self, self) : ops::eq(self, result);
  }
  Tensor count = ops::sum(mask, dims, true, self.dtype());
  return full ? keep_where(grad / count, mask) : grad / count * mask;
}
}  // namespace

Tensor sum(const Tensor& self, IntArrayRef dim, bool keepdim, std::optional<DType> dtype) {
  if (!dtype) { EMBER_AUTOCAST("sum", sum, self, dim, keepdim, dtype); }
  Tensor out = ops::sum(self, dim, keepdim, dtype);
  DType in_dt = self.dtype();
  record_reduction(dim.empty() ? "SumBackward0" : "SumBackward1", self, out, dim, kNothing,
                   [in_dt](const Tensor& g, const Tensor&, const Tensor&) { return g.to(in_dt); });
  return out;
}
Tensor sum(const Tensor& self, std::optional<DType> dtype) { return sum(self, IntArrayRef{}, false, dtype); }

Tensor nansum(const Tensor& self, IntArrayRef dim, bool keepdim, std::optional<DType> dtype) {
  Tensor out = ops::nansum(self, dim, keepdim, dtype);
  DType in_dt = self.dtype();
  record_reduction("NansumBackward0", self, out, dim, kSelf, [in_dt](const Tensor& g, const Tensor& x, const Tensor&) {
    return keep_where(g.to(in_dt), ops::eq(x, x));
  });
  return out;
}

Tensor mean(const Tensor& self, IntArrayRef dim, bool keepdim, std::optional<DType> dtype) {
  Tensor out = ops::mean(self, dim, keepdim, dtype);
  double n = double(ops::reduced_count(self, ops::reduce_mask(self, dim)));
  DType in_dt = self.dtype();
  record_reduction("MeanBackward1", self, out, dim, kNothing,
                   [in_dt, n](const Tensor& g, const Tensor&, const Tensor&) { return (g / n).to(in_dt); });
  return out;
}
Tensor mean(const Tensor& self, std::optional<DType> dtype) { return mean(self, IntArrayRef{}, false, dtype); }

Tensor nanmean(const Tensor& self, IntArrayRef dim, bool keepdim, std::optional<DType> dtype) {
  Tensor out = ops::nanmean(self, dim, keepdim, dtype);
  DType in_dt = self.dtype();
  DimVector dims(dim);
  record_reduction("NanmeanBackward0", self, out, dim, kSelf, [in_dt, dims](const Tensor& g, const Tensor& x, const Tensor&) {
    // PyTorch's nanmean is nansum / count: a line of NaNs only gets 0 / 0 = NaN gradients.
    Tensor present = ops::eq(x, x);
    Tensor count = ops::sum(present, dims, true, g.dtype());
    return (g / count).to(in_dt) * present;
  });
  return out;
}

namespace {
// With zeros, d prod / d x_i is the product of the other elements of the line: one kernel, or public ops
// when the backward is itself recorded (create_graph).
Tensor prod_of_others(const Tensor& x, int64_t d) {
  return GradMode::is_enabled() ? reduce_grad::prod_of_others_graph(x, d) : ops::prod_of_others(x, d);
}
}  // namespace

// d prod / d x_i = prod / x_i without zeros; with zeros, the product of the other elements of the line.
Tensor prod(const Tensor& self, int64_t dim, bool keepdim, std::optional<DType> dtype) {
  if (!dtype) { EMBER_AUTOCAST("prod", prod, self, dim, keepdim, dtype); }
  Tensor out = ops::prod(self, dim, keepdim, dtype);
  DType in_dt = self.dtype();
  int64_t d = ops::maybe_wrap_dim(dim, self.dim());
  record_reduction("ProdBackward1", self, out, dim, kSelfAndResult, [in_dt, d](const Tensor& g, const Tensor& x, const Tensor& r) {
    if (!ops::any(ops::eq(x, ops::wrap_scalar(x, 0)), std::nullopt, false).item<bool>())
      return (g * r / x).to(in_dt);
    return (g * prod_of_others(x, d)).to(in_dt);
  });
  return out;
}
Tensor prod(const Tensor& self, std::optional<DType> dtype) {
  if (!dtype) { EMBER_AUTOCAST("prod", prod, self, dtype); }
  Tensor out = ops::prod(self, {}, false, dtype);
  DType in_dt = self.dtype();
  record_reduction("ProdBackward0", self, out, {}, kSelfAndResult, [in_dt](const Tensor& g, const Tensor& x, const Tensor& r) {
    int64_t zeros = ops::sum(ops::eq(x, ops::wrap_scalar(x, 0)), {}, false, kInt64).item<int64_t>();
    if (zeros == 0) return (g * r / x).to(in_dt);
    // With two zeros or more every gradient is zero, NaN elsewhere or not (PyTorch's prod_backward,
    // outside create_graph).
    if (zeros > 1 && !GradMode::is_enabled()) return zeros_like(x);
    Tensor others = prod_of_others(x.reshape({-1}), 0).reshape(x.sizes());
    return (g * others).to(in_dt);
  });
  return out;
}

Tensor amax(const Tensor& self, IntArrayRef dim, bool keepdim) {
  Tensor out = ops::amax(self, dim, keepdim);
  DimVector dims(dim);
  record_reduction("AmaxBackward0", self, out, dim, kSelfAndResult, [dims](const Tensor& g, const Tensor& x, const Tensor& r) {
    return share_among_ties(g, x, r, dims, false);
  });
  return out;
}
Tensor amin(const Tensor& self, IntArrayRef dim, bool keepdim) {
  Tensor out = ops::amin(self, dim, keepdim);
  DimVector dims(dim);
  record_reduction("AminBackward0", self, out, dim, kSelfAndResult, [dims](const Tensor& g, const Tensor& x, const Tensor& r) {
    return share_among_ties(g, x, r, dims, false);
  });
  return out;
}
Tensor max(const Tensor& self) {
  Tensor out = ops::max(self);
  record_reduction("MaxBackward1", self, out, {}, kSelfAndResult, [](const Tensor& g, const Tensor& x, const Tensor& r) {
    return share_among_ties(g, x, r, {}, true);
  });
  return out;
}
Tensor min(const Tensor& self) {
  Tensor out = ops::min(self);
  record_reduction("MinBackward1", self, out, {}, kSelfAndResult, [](const Tensor& g, const Tensor& x, const Tensor& r) {
    return share_among_ties(g, x, r, {}, true);
  });
  return out;
}

namespace {
// max/min along a dim: the whole gradient goes to the element the index names.
std::tuple<Tensor, Tensor> record_indexed(const char* name, const Tensor& self, std::tuple<Tensor, Tensor> r,
                                          int64_t dim) {
  Tensor& values = std::get<0>(r);
  const Tensor& indices = std::get<1>(r);
  if (autograd::any_requires_grad({&self}) && self.is_floating_point()) {
    int64_t d = ops::maybe_wrap_dim(dim, self.dim());
    DimVector in(self.sizes()), kd = ops::reduced_shape(self, ops::reduce_mask(self, d), true);
    Tensor hit = ops::eq(ops::arange_along(self.dim() ? self.size(d) : 1, d, self.dim(), self.device()), ops::view(indices, kd));
    record(name, {&values}, {&self}, [in, kd, hit](autograd::Node&, const tensor_list& g) -> tensor_list {
      return {keep_where(restore(g[0], in, kd), hit)};
    });
  }
  return r;
}
}  // namespace

std::tuple<Tensor, Tensor> max(const Tensor& self, int64_t dim, bool keepdim) {
  return record_indexed("MaxBackward0", self, ops::max(self, dim, keepdim), dim);
}
std::tuple<Tensor, Tensor> min(const Tensor& self, int64_t dim, bool keepdim) {
  return record_indexed("MinBackward0", self, ops::min(self, dim, keepdim), dim);
}

Tensor argmax(const Tensor& self, std::optional<int64_t> dim, bool keepdim) { return ops::argmax(self, dim, keepdim); }
Tensor argmin(const Tensor& self, std::optional<int64_t> dim, bool keepdim) { return ops::argmin(self, dim, keepdim); }
Tensor all(const Tensor& self) { return ops::all(self, std::nullopt, false); }
Tensor all(const Tensor& self, int64_t dim, bool keepdim) { return ops::all(self, dim, keepdim); }
Tensor any(const Tensor& self) { return ops::any(self, std::nullopt, false); }
Tensor any(const Tensor& self, int64_t dim, bool keepdim) { return ops::any(self, dim, keepdim); }
Tensor count_nonzero(const Tensor& self, IntArrayRef dim) { return ops::count_nonzero(self, dim); }

// ---- Tensor methods ----
Tensor Tensor::sum(std::optional<DType> dtype) const { return ember::sum(*this, dtype); }
Tensor Tensor::sum(IntArrayRef dim, bool keepdim, std::optional<DType> dtype) const {
  return ember::sum(*this, dim, keepdim, dtype);
}
Tensor Tensor::nansum(std::optional<DType> dtype) const { return ember::nansum(*this, {}, false, dtype); }
Tensor Tensor::nansum(IntArrayRef dim, bool keepdim, std::optional<DType> dtype) const {
  return ember::nansum(*this, dim, keepdim, dtype);
}
Tensor Tensor::mean(std::optional<DType> dtype) const { return ember::mean(*this, dtype); }
Tensor Tensor::mean(IntArrayRef dim, bool keepdim, std::optional<DType> dtype) const {
  return ember::mean(*this, dim, keepdim, dtype);
}
Tensor Tensor::nanmean(IntArrayRef dim, bool keepdim, std::optional<DType> dtype) const {
  return ember::nanmean(*this, dim, keepdim, dtype);
}
Tensor Tensor::prod(std::optional<DType> dtype) const { return ember::prod(*this, dtype); }
Tensor Tensor::prod(int64_t dim, bool keepdim, std::optional<DType> dtype) const {
  return ember::prod(*this, dim, keepdim, dtype);
}
Tensor Tensor::max() const { return ember::max(*this); }
Tensor Tensor::min() const { return ember::min(*this); }
std::tuple<Tensor, Tensor> Tensor::max(int64_t dim, bool keepdim) const { return ember::max(*this, dim, keepdim); }
std::tuple<Tensor, Tensor> Tensor::min(int64_t dim, bool keepdim) const { return ember::min(*this, dim, keepdim); }
Tensor Tensor::amax(IntArrayRef dim, bool keepdim) const { return ember::amax(*this, dim, keepdim); }
Tensor Tensor::amin(IntArrayRef dim, bool keepdim) const { return ember::amin(*this, dim, keepdim); }
Tensor Tensor::argmax(std::optional<int64_t> dim, bool keepdim) const { return ember::argmax(*this, dim, keepdim); }
Tensor Tensor::argmin(std::optional<int64_t> dim, bool keepdim) const { return ember::argmin(*this, dim, keepdim); }
Tensor Tensor::all() const { return ember::all(*this); }
Tensor Tensor::all(int64_t dim, bool keepdim) const { return ember::all(*this, dim, keepdim); }
Tensor Tensor::any() const { return ember::any(*this); }
Tensor Tensor::any(int64_t dim, bool keepdim) const { return ember::any(*this, dim, keepdim); }
Tensor Tensor::count_nonzero(IntArrayRef dim) const { return ember::count_nonzero(*this, dim); }

}  // namespace ember
