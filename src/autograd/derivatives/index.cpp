// Public index ops with their derivative rules, written with public ops so double backward works.
#include <ember/autocast.h>
#include <ember/ops/factory.h>
#include <ember/ops/index.h>
#include <ember/ops/pointwise.h>

#include "autograd/record.h"
#include "dispatch/tensor_iterator.h"
#include "ops/index.h"

namespace ember {

using autograd::record;
using autograd::SavedVariable;
using autograd::sum_to;

namespace {
Tensor zeros_of(IntArrayRef sizes, const Tensor& like) { return zeros(sizes, like.options()); }
bool grad_enabled_for(const Tensor& t) { return GradMode::is_enabled() && t.defined() && t.requires_grad(); }
// index_fill accepts negative indices, index_select (in its backward) does not: wrap them once.
Tensor wrapped(const Tensor& index, int64_t size) {
  Tensor idx = ops::as_int64(index);
  ops::wrap_indices(idx, size, true);
  return idx;
}
}  // namespace

Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index) {
  Tensor out = ops::index_select(self, dim, index);
  if (autograd::any_requires_grad({&self}))
    record("IndexSelectBackward0", {&out}, {&self},
           [sizes = DimVector(self.sizes()), dim, index](autograd::Node&, const tensor_list& g) -> tensor_list {
             return {zeros_of(sizes, g[0]).index_add(dim, index, g[0])};
           });
  return out;
}

Tensor gather(const Tensor& self, int64_t dim, const Tensor& index) {
  Tensor out = ops::gather(self, dim, index);
  if (autograd::any_requires_grad({&self}))
    record("GatherBackward0", {&out}, {&self},
           [sizes = DimVector(self.sizes()), dim, index](autograd::Node&, const tensor_list& g) -> tensor_list {
             return {zeros_of(sizes, g[0]).scatter_add(dim, index, g[0])};
           });
  return out;
}

Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce) {
  Tensor out = ops::clone(self);
  ops::scatter_(out, dim, index, src, ops::scatter_reduce_mode(reduce));
  if (autograd::any_requires_grad({&self, &src})) {
    bool reduced = !reduce.empty();
    record(reduced ? "ScatterBackward1" : "ScatterBackward0", {&out}, {&self, &src},
           [dim, index, reduced](autograd::Node& n, const tensor_list& g) -> tensor_list {
             if (reduced) throw NotImplementedError("the derivative for 'scatter' with a reduce argument is not implemented.");
             tensor_list r(2);
             if (n.should_compute_output(0)) r[0] = g[0].scatter(dim, index, 0);
             if (n.should_compute_output(1)) r[1] = g[0].gather(dim, index);
             return r;
           });
  }
  return out;
}

Tensor scatter(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value, std::string_view reduce) {
  Tensor out = ops::clone(self);
  ops::scatter_(out, dim, index, value, ops::scatter_reduce_mode(reduce));
  if (autograd::any_requires_grad({&self})) {
    bool reduced = !reduce.empty();
    record(reduced ? "ScatterBackward1" : "ScatterBackward0", {&out}, {&self},
           [dim, index, reduced](autograd::Node&, const tensor_list& g) -> tensor_list {
             if (reduced) throw NotImplementedError("the derivative for 'scatter' with a reduce argument is not implemented.");
             return {g[0].scatter(dim, index, 0)};
           });
  }
  return out;
}

Tensor scatter_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src) {
  EMBER_AUTOCAST("scatter_add", scatter_add, self, dim, index, src);
  Tensor out = ops::clone(self);
  ops::scatter_(out, dim, index, src, ops::ScatterMode::Add, "scatter_add");
  if (autograd::any_requires_grad({&self, &src}))
    record("ScatterAddBackward0", {&out}, {&self, &src}, [dim, index](autograd::Node& n, const tensor_list& g) -> tensor_list {
      tensor_list r(2);
      if (n.should_compute_output(0)) r[0] = g[0];
      if (n.should_compute_output(1)) r[1] = g[0].gather(dim, index);
      return r;
    });
  return out;
}

Tensor scatter_reduce(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce,
                      bool include_self) {
  Tensor out = ops::clone(self);
  ops::scatter_reduce_(out, dim, index, src, reduce, include_self);
  if (autograd::any_requires_grad({&self, &src})) {
    std::string red(reduce);
    record("ScatterReduceBackward0", {&out}, {&self, &src},
           [dim, index, red, include_self, self_ = SavedVariable(self, false), src_ = SavedVariable(src, false),
            out_ = SavedVariable(out, true)](autograd::Node& n, const tensor_list& g) -> tensor_list {
             const Tensor& grad = g[0];
             Tensor s = self_.unpack(), sv = src_.unpack();
             Tensor gs, gsrc;
             if (red == "sum") {
               gs = grad;
               gsrc = grad.gather(dim, index);
             } else if (red == "mean") {
               Tensor N = include_self ? ones_like(grad) : zeros_like(grad);
               N = N.scatter_add(dim, index, ones_like(sv));
               N = N + (N == 0).to(N.dtype());
               gs = grad / N;
               gsrc = gs.gather(dim, index);
             } else if (red == "amax" || red == "amin") {
               // Ties share the gradient evenly, as in PyTorch.
               Tensor result = out_.unpack(n.shared_from_this());
               Tensor value = result.gather(dim, index);
               Tensor self_is = (s == result).to(grad.dtype()), src_is = (sv == value).to(grad.dtype());
               Tensor distributed = grad / self_is.scatter_add(dim, index, src_is);
               gs = self_is * distributed;
               gsrc = src_is * distributed.gather(dim, index);
             } else {
               // prod, as PyTorch: products that leave one factor out, computed without dividing by a zero.
               Tensor result = out_.unpack(n.shared_from_this());
               Tensor self_zero = (s == 0).to(grad.dtype());
               Tensor masked_self = s * (1 - self_zero) + self_zero;
               gs = grad * masked_self.scatter_reduce(dim, index, sv, "prod", include_self) / masked_self;
               Tensor src_zero = (sv == 0).to(grad.dtype());
               Tensor zeros_per_slot = zeros_like(s).scatter_add(dim, index, src_zero).gather(dim, index);
               Tensor single_zero = src_zero * (zeros_per_slot == 1).to(grad.dtype());
               Tensor masked_src = sv * (1 - single_zero) + single_zero;
               Tensor without_zero = (grad * s.scatter_reduce(dim, index, masked_src, "prod", include_self)).gather(dim, index);
               Tensor divided = (grad * result).gather(dim, index) / (sv * (1 - src_zero) + src_zero);
               gsrc = single_zero * without_zero + (1 - single_zero) * divided;
             }
             if (!include_self) gs = gs.scatter(dim, index, 0);
             tensor_list r(2);
             if (n.should_compute_output(0)) r[0] = gs;
             if (n.should_compute_output(1)) r[1] = gsrc;
             return r;
           });
  }
  return out;
}

Tensor index_add(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
  Tensor out = ops::clone(self);
  ops::index_add_(out, dim, index, source, alpha);
  if (autograd::any_requires_grad({&self, &source}))
    record("IndexAddBackward0", {&out}, {&self, &source},
           [dim, index, alpha, ssizes = DimVector(source.sizes())](autograd::Node& n, const tensor_list& g) -> tensor_list {
             tensor_list r(2);
             if (n.should_compute_output(0)) r[0] = g[0];
             if (n.should_compute_output(1)) {
               Tensor gs = g[0].index_select(dim, index).reshape(ssizes);
               r[1] = alpha.toDouble() == 1.0 ? gs : gs * alpha;
             }
             return r;
           });
  return out;
}

Tensor index_copy(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source) {
  EMBER_AUTOCAST("index_copy", index_copy, self, dim, index, source);
  Tensor out = ops::clone(self);
  ops::index_copy_(out, dim, index, source);
  if (autograd::any_requires_grad({&self, &source}))
    record("IndexCopyBackward0", {&out}, {&self, &source},
           [dim, index, ssizes = DimVector(source.sizes())](autograd::Node& n, const tensor_list& g) -> tensor_list {
             tensor_list r(2);
             if (n.should_compute_output(0)) r[0] = g[0].index_fill(dim, index, 0);
             if (n.should_compute_output(1)) r[1] = g[0].index_select(dim, index).reshape(ssizes);
             return r;
           });
  return out;
}

Tensor index_fill(const Tensor& self, int64_t dim, const Tensor& index, const Scalar& value) {
  Tensor out = ops::clone(self);
  ops::index_fill_(out, dim, index, value);
  if (autograd::any_requires_grad({&self}))
    record("IndexFillBackward0", {&out}, {&self}, [dim, index](autograd::Node&, const tensor_list& g) -> tensor_list {
      return {g[0].index_fill(dim, index, 0)};
    });
  return out;
}

Tensor index_fill(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& value) {
  EMBER_CHECK(value.dim() == 0, "index_fill_ only supports a 0-dimensional value tensor, but got tensor with ",
              value.dim(), " dimension(s).");
  Tensor out = ops::clone(self);
  ops::index_fill_(out, dim, index, value.item());
  if (autograd::any_requires_grad({&self, &value}))
    record("IndexFillBackward1", {&out}, {&self, &value},
           [dim, index = wrapped(index, self.dim() == 0 ? 1 : self.size(dim))](autograd::Node& n,
                                                                               const tensor_list& g) -> tensor_list {
      tensor_list r(2);
      if (n.should_compute_output(0)) r[0] = g[0].index_fill(dim, index, 0);
      // Each filled element once, however often the index names it.
      if (n.should_compute_output(1)) r[1] = (g[0] - g[0].index_fill(dim, index, 0)).sum();
      return r;
    });
  return out;
}

Tensor index(const Tensor& self, const OptionalTensorList& indices) {
  Tensor out = ops::index(self, indices);
  if (autograd::any_requires_grad({&self}))
    record("IndexBackward0", {&out}, {&self},
           [sizes = DimVector(self.sizes()), indices](autograd::Node&, const tensor_list& g) -> tensor_list {
             return {index_put(zeros_of(sizes, g[0]), indices, g[0], true)};
           });
  return out;
}

Tensor index_put(const Tensor& self, const OptionalTensorList& indices, const Tensor& values, bool accumulate) {
  EMBER_AUTOCAST("index_put", index_put, self, indices, values, accumulate);
  Tensor out = ops::clone(self);
  ops::index_put_(out, indices, values, accumulate);
  if (autograd::any_requires_grad({&self, &values}))
    record("IndexPutBackward0", {&out}, {&self, &values},
           [indices, accumulate, vsizes = DimVector(values.sizes())](autograd::Node& n, const tensor_list& g) -> tensor_list {
             tensor_list r(2);
             if (n.should_compute_output(0))
               r[0] = accumulate ? g[0] : index_put(g[0], indices, zeros_of({}, g[0]), false);
             if (n.should_compute_output(1)) r[1] = sum_to(index(g[0], indices), vsizes);
             return r;
           });
  return out;
}

Tensor& index_put_(Tensor& self, const OptionalTensorList& indices, const Tensor& values, bool accumulate) {
  return autograd::inplace(
      self, grad_enabled_for(values), [&](const Tensor& s) { return index_put(s, indices, values, accumulate); },
      [&](Tensor& s) { ops::index_put_(s, indices, values, accumulate); });
}

Tensor masked_select(const Tensor& self, const Tensor& mask) {
  Tensor out = ops::masked_select(self, mask);
  if (autograd::any_requires_grad({&self}))
    record("MaskedSelectBackward0", {&out}, {&self},
           [sizes = DimVector(self.sizes()), mask](autograd::Node&, const tensor_list& g) -> tensor_list {
             DimVector shape = dispatch::TensorIterator::broadcast_shapes(sizes, mask.sizes());
             return {sum_to(masked_scatter(zeros_of(shape, g[0]), mask.expand(shape), g[0]), sizes)};
           });
  return out;
}

Tensor masked_scatter(const Tensor& self, const Tensor& mask, const Tensor& source) {
  DimVector shape = dispatch::TensorIterator::broadcast_shapes(self.sizes(), mask.sizes());
  Tensor out = ops::clone(ops::expand(self, shape));
  ops::masked_scatter_(out, mask, source);
  if (autograd::any_requires_grad({&self, &source}))
    record("MaskedScatterBackward0", {&out}, {&self, &source},
           [sizes = DimVector(self.sizes()), ssizes = DimVector(source.sizes()), shape, mask](
               autograd::Node& n, const tensor_list& g) -> tensor_list {
             Tensor m = mask.expand(shape);
             tensor_list r(2);
             if (n.should_compute_output(0)) r[0] = sum_to(g[0].masked_fill(m, 0), sizes);
             if (n.should_compute_output(1)) {
               // The first n source elements were used; the rest get zero gradient.
               Tensor used = masked_select(g[0], m);
               int64_t numel = 1;
               for (int64_t s : ssizes) numel *= s;
               r[1] = zeros_of({numel}, g[0]).index_copy(0, ops::arange_index(0, used.numel(), 1, used.device()), used).reshape(ssizes);
             }
             return r;
           });
  return out;
}

Tensor nonzero(const Tensor& self) { return ops::nonzero(self); }

tensor_list nonzero(const Tensor& self, bool as_tuple) {
  if (!as_tuple) return {ops::nonzero(self)};
  // A 0-dim input reads as one element of a 1-dim one, as in PyTorch.
  Tensor coords = ops::nonzero(self.dim() == 0 ? ops::make_view(self, {1}, {1}, self.storage_offset()) : self);
  tensor_list cols;
  for (int64_t j = 0; j < coords.size(1); ++j)
    cols.push_back(ops::make_view(coords, {coords.size(0)}, {coords.stride(0)}, coords.storage_offset() + j));
  return cols;
}

Tensor argwhere(const Tensor& self) { return ops::nonzero(self); }
tensor_list where(const Tensor& condition) { return nonzero(condition, true); }

Tensor take(const Tensor& self, const Tensor& index) {
  Tensor out = ops::take(self, index);
  if (autograd::any_requires_grad({&self}))
    record("TakeBackward0", {&out}, {&self},
           [sizes = DimVector(self.sizes()), numel = self.numel(), index](autograd::Node&, const tensor_list& g) -> tensor_list {
             return {index_put(zeros_of({numel}, g[0]), {index.reshape({-1})}, g[0].reshape({-1}), true).reshape(sizes)};
           });
  return out;
}

// index_put on the flattened tensor, so the gradients are index_put's.
Tensor put(const Tensor& self, const Tensor& index, const Tensor& source, bool accumulate) {
  EMBER_CHECK(index.dtype() == kInt64, "put_(): Expected a long tensor for index, but got ",
              dtype_title(index.dtype()));
  EMBER_CHECK(self.dtype() == source.dtype(), "put_(): self and source expected to have the same dtype, but got "
              "self.dtype = ", dtype_title(self.dtype()), " and source.dtype = ", dtype_title(source.dtype()));
  EMBER_CHECK_INDEX(source.numel() == index.numel(), "put_(): Expected source and index to have the same number of "
                    "elements, but got source.numel() = ", source.numel(), ", index.numel() = ", index.numel());
  return index_put(self.reshape({-1}), {index.reshape({-1})}, source.reshape({-1}), accumulate).view(self.sizes());
}

Tensor take_along_dim(const Tensor& self, const Tensor& indices, std::optional<int64_t> dim) {
  EMBER_CHECK(indices.dtype() == kInt64, "torch.take_along_dim(): dtype of indices should be Long but got ",
              dtype_title(indices.dtype()));
  if (!dim) return gather(self.reshape({-1}), 0, indices.reshape({-1}));
  EMBER_CHECK(self.dim() == indices.dim(), "torch.take_along_dim(): input and indices should have the same number of ",
              "dimensions, but got ", self.dim(), " dimensions for input, and ", indices.dim(), " dimensions for indices");
  int64_t d = ops::maybe_wrap_dim(*dim, self.dim());
  if (self.dim() == 0) return gather(self, d, indices);
  DimVector self_sizes(self.sizes());
  self_sizes[size_t(d)] = indices.size(d);
  DimVector shape = dispatch::TensorIterator::broadcast_shapes(self_sizes, indices.sizes());
  Tensor idx = indices.expand(shape);
  shape[size_t(d)] = self.size(d);
  return gather(self.expand(shape), d, idx);
}

namespace nn::functional {
Tensor one_hot(const Tensor& self, int64_t num_classes) { return ops::one_hot(self, num_classes); }
}  // namespace nn::functional

// ---- Tensor methods; in-place forms run through autograd::inplace ----
Tensor Tensor::index_select(int64_t dim, const Tensor& index) const { return ember::index_select(*this, dim, index); }
Tensor Tensor::gather(int64_t dim, const Tensor& index) const { return ember::gather(*this, dim, index); }
Tensor Tensor::scatter(int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce) const {
  return ember::scatter(*this, dim, index, src, reduce);
}
Tensor Tensor::scatter(int64_t dim, const Tensor& index, const Scalar& value, std::string_view reduce) const {
  return ember::scatter(*this, dim, index, value, reduce);
}
Tensor& Tensor::scatter_(int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce) {
  return autograd::inplace(
      *this, grad_enabled_for(src), [&](const Tensor& s) { return ember::scatter(s, dim, index, src, reduce); },
      [&](Tensor& s) { ops::scatter_(s, dim, index, src, ops::scatter_reduce_mode(reduce)); });
}
Tensor& Tensor::scatter_(int64_t dim, const Tensor& index, const Scalar& value, std::string_view reduce) {
  return autograd::inplace(
      *this, false, [&](const Tensor& s) { return ember::scatter(s, dim, index, value, reduce); },
      [&](Tensor& s) { ops::scatter_(s, dim, index, value, ops::scatter_reduce_mode(reduce)); });
}
Tensor Tensor::scatter_add(int64_t dim, const Tensor& index, const Tensor& src) const {
  return ember::scatter_add(*this, dim, index, src);
}
Tensor& Tensor::scatter_add_(int64_t dim, const Tensor& index, const Tensor& src) {
  return autograd::inplace(
      *this, grad_enabled_for(src), [&](const Tensor& s) { return ember::scatter_add(s, dim, index, src); },
      [&](Tensor& s) { ops::scatter_(s, dim, index, src, ops::ScatterMode::Add, "scatter_add"); });
}
Tensor Tensor::scatter_reduce(int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce,
                              bool include_self) const {
  return ember::scatter_reduce(*this, dim, index, src, reduce, include_self);
}
Tensor& Tensor::scatter_reduce_(int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce,
                                bool include_self) {
  return autograd::inplace(
      *this, grad_enabled_for(src),
      [&](const Tensor& s) { return ember::scatter_reduce(s, dim, index, src, reduce, include_self); },
      [&](Tensor& s) { ops::scatter_reduce_(s, dim, index, src, reduce, include_self); });
}
Tensor Tensor::index_add(int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) const {
  return ember::index_add(*this, dim, index, source, alpha);
}
Tensor& Tensor::index_add_(int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
  return autograd::inplace(
      *this, grad_enabled_for(source), [&](const Tensor& s) { return ember::index_add(s, dim, index, source, alpha); },
      [&](Tensor& s) { ops::index_add_(s, dim, index, source, alpha); });
}
Tensor Tensor::index_copy(int64_t dim, const Tensor& index, const Tensor& source) const {
  return ember::index_copy(*this, dim, index, source);
}
Tensor& Tensor::index_copy_(int64_t dim, const Tensor& index, const Tensor& source) {
  return autograd::inplace(
      *this, grad_enabled_for(source), [&](const Tensor& s) { return ember::index_copy(s, dim, index, source); },
      [&](Tensor& s) { ops::index_copy_(s, dim, index, source); });
}
Tensor Tensor::index_fill(int64_t dim, const Tensor& index, const Scalar& value) const {
  return ember::index_fill(*this, dim, index, value);
}
Tensor Tensor::index_fill(int64_t dim, const Tensor& index, const Tensor& value) const {
  return ember::index_fill(*this, dim, index, value);
}
Tensor& Tensor::index_fill_(int64_t dim, const Tensor& index, const Scalar& value) {
  return autograd::inplace(
      *this, false, [&](const Tensor& s) { return ember::index_fill(s, dim, index, value); },
      [&](Tensor& s) { ops::index_fill_(s, dim, index, value); });
}
Tensor& Tensor::index_fill_(int64_t dim, const Tensor& index, const Tensor& value) {
  EMBER_CHECK(value.dim() == 0, "index_fill_ only supports a 0-dimensional value tensor, but got tensor with ",
              value.dim(), " dimension(s).");
  return autograd::inplace(
      *this, grad_enabled_for(value), [&](const Tensor& s) { return ember::index_fill(s, dim, index, value); },
      [&](Tensor& s) { ops::index_fill_(s, dim, index, value.item()); });
}
Tensor Tensor::masked_select(const Tensor& mask) const { return ember::masked_select(*this, mask); }
Tensor Tensor::masked_scatter(const Tensor& mask, const Tensor& source) const {
  return ember::masked_scatter(*this, mask, source);
}
Tensor& Tensor::masked_scatter_(const Tensor& mask, const Tensor& source) {
  return autograd::inplace(
      *this, grad_enabled_for(source), [&](const Tensor& s) { return ember::masked_scatter(s, mask, source); },
      [&](Tensor& s) { ops::masked_scatter_(s, mask, source); });
}
Tensor Tensor::nonzero() const { return ember::nonzero(*this); }
Tensor Tensor::argwhere() const { return ember::argwhere(*this); }
Tensor Tensor::take(const Tensor& index) const { return ember::take(*this, index); }
Tensor Tensor::put(const Tensor& index, const Tensor& source, bool accumulate) const {
  return ember::put(*this, index, source, accumulate);
}
Tensor& Tensor::put_(const Tensor& index, const Tensor& source, bool accumulate) {
  return autograd::inplace(
      *this, grad_enabled_for(source), [&](const Tensor& s) { return ember::put(s, index, source, accumulate); },
      [&](Tensor& s) { ops::copy_(s, ember::put(s, index, source, accumulate)); });
}
Tensor Tensor::take_along_dim(const Tensor& indices, std::optional<int64_t> dim) const {
  return ember::take_along_dim(*this, indices, dim);
}

}  // namespace ember
