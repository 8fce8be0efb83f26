// Public sort, argsort, msort, topk and kthvalue. The values' gradient goes back to the positions the
// indices name: put_along_dim (a scatter-add into zeros), whose own gradient is take_along_dim (a
// gather) and the other way round, so double backward works.
#include <ember/ops/sort.h>

#include "autograd/record.h"
#include "ops/ops.h"
#include "ops/sort.h"

namespace ember {

namespace {
Tensor put_along(const Tensor& src, const Tensor& index, int64_t dim, IntArrayRef sizes);

Tensor take_along(const Tensor& src, const Tensor& index, int64_t dim) {
  Tensor out = ops::take_along_dim(src, index, dim);
  if (autograd::any_requires_grad({&src})) {
    DimVector sizes(src.sizes());
    autograd::record("TakeAlongDimBackward0", {&out}, {&src},
                     [index, dim, sizes](autograd::Node&, const tensor_list& g) -> tensor_list {
                       return {put_along(g[0], index, dim, sizes)};
                     });
  }
  return out;
}

Tensor put_along(const Tensor& src, const Tensor& index, int64_t dim, IntArrayRef sizes) {
  Tensor out = ops::put_along_dim(src, index, dim, sizes);
  if (autograd::any_requires_grad({&src}))
    autograd::record("PutAlongDimBackward0", {&out}, {&src},
                     [index, dim](autograd::Node&, const tensor_list& g) -> tensor_list {
                       return {take_along(g[0], index, dim)};
                     });
  return out;
}

// Records the values output of a selection along dim: grad flows to self at `indices` (which have
// the values' shape, the reduced dim kept).
void record_select(const char* name, const Tensor& self, const Tensor& values, const Tensor& indices, int64_t dim,
                   bool keepdim) {
  if (!autograd::any_requires_grad({&self})) return;
  DimVector sizes(self.sizes());
  int64_t d = self.dim() == 0 ? 0 : ops::maybe_wrap_dim(dim, self.dim());
  Tensor idx = keepdim || self.dim() == 0 ? indices : indices.unsqueeze(d);
  autograd::record(name, {&values}, {&self},
                   [idx, d, sizes, keepdim](autograd::Node&, const tensor_list& g) -> tensor_list {
                     Tensor grad = keepdim || sizes.empty() ? g[0] : g[0].unsqueeze(d);
                     return {put_along(grad, idx, d, sizes)};
                   });
}
}  // namespace

std::tuple<Tensor, Tensor> sort(const Tensor& self, int64_t dim, bool descending, bool) {
  auto [values, indices] = ops::sort(self, dim, descending);
  record_select("SortBackward0", self, values, indices, dim, true);
  return {values, indices};
}
std::tuple<Tensor, Tensor> sort(const Tensor& self, std::optional<bool> stable, int64_t dim, bool descending) {
  return sort(self, dim, descending, stable.value_or(false));
}

Tensor argsort(const Tensor& self, int64_t dim, bool descending, bool) {
  return std::get<1>(ops::sort(self, dim, descending));
}

Tensor msort(const Tensor& self) { return std::get<0>(sort(self, 0, false, false)); }

std::tuple<Tensor, Tensor> topk(const Tensor& self, int64_t k, int64_t dim, bool largest, bool) {
  auto [values, indices] = ops::topk(self, k, dim, largest);
  record_select("TopkBackward0", self, values, indices, dim, true);
  return {values, indices};
}

std::tuple<Tensor, Tensor> kthvalue(const Tensor& self, int64_t k, int64_t dim, bool keepdim) {
  auto [values, indices] = ops::kthvalue(self, k, dim, keepdim);
  record_select("KthvalueBackward0", self, values, indices, dim, keepdim);
  return {values, indices};
}

std::tuple<Tensor, Tensor> Tensor::sort(int64_t dim, bool descending) const { return ember::sort(*this, dim, descending); }
std::tuple<Tensor, Tensor> Tensor::sort(std::optional<bool> stable, int64_t dim, bool descending) const {
  return ember::sort(*this, stable, dim, descending);
}
Tensor Tensor::argsort(int64_t dim, bool descending) const { return ember::argsort(*this, dim, descending); }
Tensor Tensor::msort() const { return ember::msort(*this); }
std::tuple<Tensor, Tensor> Tensor::topk(int64_t k, int64_t dim, bool largest, bool sorted) const {
  return ember::topk(*this, k, dim, largest, sorted);
}
std::tuple<Tensor, Tensor> Tensor::kthvalue(int64_t k, int64_t dim, bool keepdim) const {
  return ember::kthvalue(*this, k, dim, keepdim);
}
Tensor Tensor::bincount(const Tensor& weights, int64_t minlength) const {
  return ember::bincount(*this, weights, minlength);
}
Tensor Tensor::histc(int64_t bins, const Scalar& min, const Scalar& max) const {
  return ember::histc(*this, bins, min, max);
}

}  // namespace ember
