// unique and unique_consecutive, over all elements or over slices along a dim. Not differentiable, so
// the public functions live here.
#include <ember/ops/sort.h>

#include "dispatch/registry.h"
#include "dispatch/sort_kernels.h"
#include "ops/ops.h"
#include "ops/sort.h"

namespace ember {

namespace {
Tensor first_n(const Tensor& t, int64_t n) { return ops::clone(ops::make_view(t, {n}, {1}, t.storage_offset())); }
Tensor no_result(const Tensor& self) { return ops::empty({0}, kInt64, self.device()); }

std::tuple<Tensor, Tensor, Tensor> unique_flat(const Tensor& self, bool consecutive, bool return_inverse,
                                               bool return_counts) {
  int64_t n = self.numel();
  Tensor flat = ops::view(ops::contiguous(self), {n});
  Tensor values = ops::empty({n}, self.dtype(), self.device());
  Tensor inverse = ops::empty({n}, kInt64, self.device());
  Tensor counts = ops::empty({n}, kInt64, self.device());
  int64_t u = 0;
  if (n > 0) {
    static auto& k = dispatch::slot("unique");
    u = dispatch::kernel<dispatch::UniqueKernel>(k, self.device().type())(flat, consecutive, values, inverse, counts);
  }
  return {first_n(values, u), return_inverse ? ops::view(inverse, self.sizes()) : no_result(self),
          return_counts ? first_n(counts, u) : no_result(self)};
}

std::tuple<Tensor, Tensor, Tensor> unique_dim(const Tensor& self, int64_t dim, bool consecutive, bool return_inverse,
                                              bool return_counts) {
  EMBER_CHECK_INDEX(self.dim() > 0, "Dimension specified as ", dim, " but tensor has no dimensions");
  int64_t d = ops::maybe_wrap_dim(dim, self.dim());
  int64_t n = self.size(d);
  if (n == 0) return {ops::clone(self), no_result(self), no_result(self)};
  EMBER_CHECK(self.numel() > 0, "There are 0 sized dimensions, and they aren't selected, so unique cannot be applied");
  DimVector order{d}, moved_sizes{n};
  for (int64_t i = 0; i < self.dim(); ++i)
    if (i != d) {
      order.push_back(i);
      moved_sizes.push_back(self.size(i));
    }
  int64_t m = self.numel() / n;
  Tensor rows = ops::view(ops::contiguous(ops::permute(self, order)), {n, m});
  Tensor first = ops::empty({n}, kInt64, self.device());
  Tensor inverse = ops::empty({n}, kInt64, self.device());
  Tensor counts = ops::empty({n}, kInt64, self.device());
  static auto& k = dispatch::slot("unique_rows");
  int64_t u = dispatch::kernel<dispatch::UniqueRowsKernel>(k, self.device().type())(rows, consecutive, first, inverse,
                                                                                      counts);
  Tensor pick = ops::expand(ops::view(first_n(first, u), {u, 1}), {u, m});
  moved_sizes[0] = u;
  Tensor out = ops::view(ops::take_along_dim(rows, pick, 0), moved_sizes);
  DimVector back(size_t(self.dim()));
  for (size_t i = 0; i < order.size(); ++i) back[size_t(order[i])] = int64_t(i);
  return {ops::contiguous(ops::permute(out, back)), return_inverse ? inverse : no_result(self),
          return_counts ? first_n(counts, u) : no_result(self)};
}
}  // namespace

std::tuple<Tensor, Tensor, Tensor> unique(const Tensor& self, bool, bool return_inverse, bool return_counts,
                                          std::optional<int64_t> dim) {
  if (dim) return unique_dim(self, *dim, false, return_inverse, return_counts);
  return unique_flat(self, false, return_inverse, return_counts);
}

std::tuple<Tensor, Tensor, Tensor> unique_consecutive(const Tensor& self, bool return_inverse, bool return_counts,
                                                      std::optional<int64_t> dim) {
  if (dim) return unique_dim(self, *dim, true, return_inverse, return_counts);
  return unique_flat(self, true, return_inverse, return_counts);
}

}  // namespace ember
