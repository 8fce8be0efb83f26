// Shape and dtype rules of sort, topk and kthvalue, and of the take/put-along-dim pair their gradients
// use. A 0-dim input is sorted as a one-element 1-D tensor.
#include "ops/sort.h"

#include "dispatch/registry.h"
#include "dispatch/sort_kernels.h"
#include "ops/ops.h"

namespace ember::ops {

namespace {
Tensor as_1d(const Tensor& t) { return t.dim() == 0 ? make_view(t, {1}, {1}, t.storage_offset()) : t; }

[[noreturn]] void not_implemented(const char* name, DType t) {
  throw Error(detail::str("\"", name, "\" not implemented for '", dtype_title(t), "'"));
}
}  // namespace

std::tuple<Tensor, Tensor> sort(const Tensor& self, int64_t dim, bool descending) {
  int64_t d = maybe_wrap_dim(dim, self.dim());
  Tensor values = empty(self.sizes(), self.dtype(), self.device());
  Tensor indices = empty(self.sizes(), kInt64, self.device());
  if (self.numel() == 0) return {values, indices};
  static auto& k = dispatch::slot("sort");
  dispatch::kernel<dispatch::SortKernel>(k, self.device().type())(as_1d(self), as_1d(values), as_1d(indices), d,
                                                                   descending);
  return {values, indices};
}

std::tuple<Tensor, Tensor> topk(const Tensor& self, int64_t k, int64_t dim, bool largest) {
  int64_t d = maybe_wrap_dim(dim, self.dim());
  int64_t n = self.dim() == 0 ? 1 : self.size(d);
  EMBER_CHECK(k >= 0 && k <= n, "selected index k out of range");
  if (self.dtype() == kBool) not_implemented("topk_cpu", self.dtype());
  DimVector shape(self.sizes());
  if (self.dim() > 0) shape[size_t(d)] = k;
  Tensor values = empty(shape, self.dtype(), self.device());
  Tensor indices = empty(shape, kInt64, self.device());
  if (values.numel() == 0) return {values, indices};
  static auto& kern = dispatch::slot("topk");
  // A 0-dim input yields its element for k = 0 as well as k = 1, as in PyTorch.
  dispatch::kernel<dispatch::TopkKernel>(kern, self.device().type())(as_1d(self), as_1d(values), as_1d(indices), d,
                                                                      self.dim() == 0 ? 1 : k, largest);
  return {values, indices};
}

std::tuple<Tensor, Tensor> kthvalue(const Tensor& self, int64_t k, int64_t dim, bool keepdim) {
  int64_t d = maybe_wrap_dim(dim, self.dim());
  int64_t n = self.dim() == 0 ? 1 : self.size(d);
  EMBER_CHECK_INDEX(self.dim() == 0 || n > 0, "kthvalue(): Expected reduction dim ", d, " to have non-zero size.");
  EMBER_CHECK(k >= 1 && k <= n, "kthvalue(): selected number k out of range for dimension ", d);
  if (self.dtype() == kBool) not_implemented("kthvalue_cpu", self.dtype());
  DimVector shape(self.sizes());
  if (self.dim() > 0) shape[size_t(d)] = 1;
  Tensor values = empty(shape, self.dtype(), self.device());
  Tensor indices = empty(shape, kInt64, self.device());
  if (values.numel() > 0) {
    static auto& kern = dispatch::slot("kthvalue");
    dispatch::kernel<dispatch::KthvalueKernel>(kern, self.device().type())(as_1d(self), as_1d(values),
                                                                            as_1d(indices), d, k);
  }
  if (!keepdim && self.dim() > 0) return {squeeze(values, d), squeeze(indices, d)};
  return {values, indices};
}

Tensor take_along_dim(const Tensor& src, const Tensor& index, int64_t dim) {
  Tensor out = empty(index.sizes(), src.dtype(), src.device());
  if (out.numel() == 0) return out;
  int64_t d = maybe_wrap_dim(dim, index.dim());
  static auto& k = dispatch::slot("sort_take_along_dim");
  dispatch::kernel<dispatch::TakeAlongDimKernel>(k, src.device().type())(as_1d(src), as_1d(index), as_1d(out), d);
  return out;
}

Tensor put_along_dim(const Tensor& src, const Tensor& index, int64_t dim, IntArrayRef sizes) {
  Tensor out = empty(sizes, src.dtype(), src.device());
  fill_(out, 0);
  if (index.numel() == 0) return out;
  int64_t d = maybe_wrap_dim(dim, index.dim());
  static auto& k = dispatch::slot("sort_put_along_dim");
  dispatch::kernel<dispatch::PutAlongDimKernel>(k, src.device().type())(as_1d(src), as_1d(index), as_1d(out), d);
  return out;
}

}  // namespace ember::ops
