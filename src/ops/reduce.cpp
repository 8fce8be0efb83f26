// Reductions: dims to reduce are moved innermost, the input made contiguous, and a row kernel sums.
#include <algorithm>

#include "dispatch/kernel_types.h"
#include "dispatch/registry.h"
#include "ops/ops.h"

namespace ember::ops {

namespace {
// Bitmask of the dims to reduce; an empty list means all dims, as in PyTorch.
std::vector<bool> reduce_mask(const Tensor& self, IntArrayRef dims) {
  int64_t nd = self.dim();
  std::vector<bool> mask(size_t(std::max<int64_t>(nd, 1)), dims.empty());
  for (int64_t d : dims) {
    int64_t w = maybe_wrap_dim(d, nd);
    EMBER_CHECK(!mask[size_t(w)] || dims.empty(), "dim ", w, " appears multiple times in the list of dims");
    mask[size_t(w)] = true;
  }
  return mask;
}
}  // namespace

Tensor sum(const Tensor& self, IntArrayRef dims, bool keepdim, std::optional<DType> dtype) {
  DType out_dt = dtype ? *dtype : is_integral(self.dtype(), true) ? kInt64 : self.dtype();
  int64_t nd = self.dim();
  auto mask = reduce_mask(self, dims);
  DimVector kept, reduced, out_shape;
  int64_t rows = 1, cols = 1;
  for (int64_t d = 0; d < nd; ++d) {
    if (mask[size_t(d)]) {
      reduced.push_back(d);
      cols *= self.sizes()[size_t(d)];
      if (keepdim) out_shape.push_back(1);
    } else {
      kept.push_back(d);
      rows *= self.sizes()[size_t(d)];
      out_shape.push_back(self.sizes()[size_t(d)]);
    }
  }
  DimVector order(kept);
  for (int64_t d : reduced) order.push_back(d);
  Tensor in = cast(contiguous(permute(self, order)), out_dt);
  Tensor out = empty(out_shape, out_dt, self.device());
  static auto& k = dispatch::slot("sum_rows");
  dispatch::kernel<dispatch::SumRowsKernel>(k, self.device().type())(in, out, rows, cols);
  return out;
}

}  // namespace ember::ops
