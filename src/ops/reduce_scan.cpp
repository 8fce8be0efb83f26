// Scans along one dim (cumsum, cumprod, cummax, cummin) and the helpers the reduction derivatives need.
#include "dispatch/kernel_types.h"
#include "dispatch/registry.h"
#include "dispatch/reduce_geometry.h"
#include "ops/reduce.h"

namespace ember::ops {

namespace {
// The (outer, n, inner) split of a contiguous tensor around `dim`; a 0-dim tensor is one line of 1.
struct Lines {
  int64_t outer = 1, n = 1, inner = 1;
};
Lines lines(const Tensor& t, int64_t dim) {
  Lines l;
  for (int64_t d = 0; d < t.dim(); ++d) {
    if (d < dim) l.outer *= t.size(d);
    else if (d == dim) l.n = t.size(d);
    else l.inner *= t.size(d);
  }
  return l;
}

Tensor scan(dispatch::KernelSlot& k, const Tensor& self, int64_t dim, std::optional<DType> dtype) {
  dim = maybe_wrap_dim(dim, self.dim());
  DType dt = dtype ? *dtype : is_integral(self.dtype(), true) ? kInt64 : self.dtype();
  Tensor in = ops::contiguous(ops::cast(self, dt));
  Tensor out = ops::empty(self.sizes(), dt, self.device());
  Lines l = lines(in, dim);
  if (out.numel() != 0) dispatch::kernel<dispatch::ScanKernel>(k, self.device().type())(in, out, l.outer, l.n, l.inner);
  return out;
}

std::tuple<Tensor, Tensor> scan_index(dispatch::KernelSlot& k, const Tensor& self, int64_t dim) {
  dim = maybe_wrap_dim(dim, self.dim());
  Tensor in = ops::contiguous(self);
  Tensor values = ops::empty(self.sizes(), self.dtype(), self.device());
  Tensor indices = ops::empty(self.sizes(), kInt64, self.device());
  Lines l = lines(in, dim);
  if (in.numel() != 0)
    dispatch::kernel<dispatch::ScanIndexKernel>(k, self.device().type())(in, values, indices, l.outer, l.n, l.inner);
  return {values, indices};
}
}  // namespace

Tensor cumsum(const Tensor& self, int64_t dim, std::optional<DType> dtype) {
  static auto& k = dispatch::slot("scan_cumsum");
  return scan(k, self, dim, dtype);
}
Tensor cumprod(const Tensor& self, int64_t dim, std::optional<DType> dtype) {
  static auto& k = dispatch::slot("scan_cumprod");
  return scan(k, self, dim, dtype);
}
std::tuple<Tensor, Tensor> cummax(const Tensor& self, int64_t dim) {
  static auto& k = dispatch::slot("scan_cummax");
  return scan_index(k, self, dim);
}
std::tuple<Tensor, Tensor> cummin(const Tensor& self, int64_t dim) {
  static auto& k = dispatch::slot("scan_cummin");
  return scan_index(k, self, dim);
}

Tensor prod_of_others(const Tensor& self, int64_t dim) {
  static auto& k = dispatch::slot("scan_prod_of_others");
  return scan(k, self, dim, self.dtype());
}

Tensor cumprod_backward(const Tensor& grad, const Tensor& self, int64_t dim) {
  static auto& k = dispatch::slot("scan_cumprod_backward");
  dim = maybe_wrap_dim(dim, self.dim());
  Tensor g = ops::contiguous(ops::cast(grad, self.dtype())), in = ops::contiguous(self);
  Tensor out = ops::empty(self.sizes(), self.dtype(), self.device());
  Lines l = lines(in, dim);
  if (out.numel() != 0)
    dispatch::kernel<dispatch::ScanBackwardKernel>(k, self.device().type())(g, in, out, l.outer, l.n, l.inner);
  return out;
}

namespace {
Tensor index_along(dispatch::KernelSlot& k, const Tensor& self, const Tensor& index, int64_t dim) {
  dim = maybe_wrap_dim(dim, self.dim());
  Tensor in = ops::contiguous(self), idx = ops::contiguous(index);
  Tensor out = ops::empty(self.sizes(), self.dtype(), self.device());
  Lines l = lines(in, dim);
  if (out.numel() != 0)
    dispatch::kernel<dispatch::IndexAlongKernel>(k, self.device().type())(in, idx, out, l.outer, l.n, l.inner);
  return out;
}
}  // namespace

Tensor gather_along(const Tensor& self, const Tensor& index, int64_t dim) {
  static auto& k = dispatch::slot("scan_gather_along");
  return index_along(k, self, index, dim);
}
Tensor scatter_add_along(const Tensor& self, const Tensor& index, int64_t dim) {
  static auto& k = dispatch::slot("scan_scatter_add_along");
  return index_along(k, self, index, dim);
}

Tensor keep_where(const Tensor& self, const Tensor& mask) {
  static auto& k = dispatch::slot("reduce_keep_where");
  Tensor out;
  Tensor m = ops::cast(mask, kBool);
  dispatch::TensorIterator it(out, self.dtype(), {&self, &m});
  dispatch::kernel<dispatch::BinaryKernel>(k, self.device().type())(it, "keep_where");
  return out;
}

Tensor arange_along(int64_t n, int64_t dim, int64_t ndim, Device device) {
  Tensor t = ops::empty({n}, kInt64, Device(kCPU));
  int64_t* p = t.data_ptr<int64_t>();
  for (int64_t i = 0; i < n; ++i) p[i] = i;
  t = ops::on_device(t, device);
  DimVector shape(size_t(ndim), 1);
  if (ndim > 0) shape[size_t(dim)] = n;
  return ops::view(t, shape);
}

}  // namespace ember::ops
