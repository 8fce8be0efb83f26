// Reductions: dtype rules, PyTorch's argument checks, and the call into the reduction kernels, which
// read the input in place through a ReduceGeometry.
#include "ops/reduce.h"

#include "dispatch/reduce_geometry.h"
#include "dispatch/registry.h"

namespace ember::ops {

std::vector<bool> reduce_mask(const Tensor& self, IntArrayRef dims) {
  int64_t nd = self.dim();
  std::vector<bool> mask(size_t(std::max<int64_t>(nd, 1)), dims.empty());
  for (int64_t d : dims) {
    int64_t w = maybe_wrap_dim(d, nd);
    EMBER_CHECK(!mask[size_t(w)], "dim ", w, " appears multiple times in the list of dims");
    mask[size_t(w)] = true;
  }
  return mask;
}

int64_t reduced_count(const Tensor& self, const std::vector<bool>& mask) {
  int64_t n = 1;
  for (int64_t d = 0; d < self.dim(); ++d)
    if (mask[size_t(d)]) n *= self.size(d);
  return n;
}

DimVector reduced_shape(const Tensor& self, const std::vector<bool>& mask, bool keepdim) {
  DimVector shape;
  for (int64_t d = 0; d < self.dim(); ++d) {
    if (!mask[size_t(d)]) shape.push_back(self.size(d));
    else if (keepdim) shape.push_back(1);
  }
  return shape;
}

namespace {

// `in` already has the output dtype.
Tensor run_reduce(dispatch::KernelSlot& k, const Tensor& in, const std::vector<bool>& mask, bool keepdim) {
  Tensor out = ops::empty(reduced_shape(in, mask, keepdim), in.dtype(), in.device());
  auto g = dispatch::make_reduce_geometry(in, mask, false);
  dispatch::kernel<dispatch::ReduceKernel>(k, in.device().type())(in, out, g);
  return out;
}

DType sum_dtype(const Tensor& self, std::optional<DType> dtype) {
  return dtype ? *dtype : is_integral(self.dtype(), true) ? kInt64 : self.dtype();
}

// max/min/amax/argmax have no identity: an empty reduced range is an error, worded as PyTorch's.
void check_nonempty(const char* op, const Tensor& self, const std::vector<bool>& mask, bool dim_given) {
  if (self.numel() != 0) return;
  if (!dim_given)
    throw Error(detail::str(op, "(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
                                "reduction dim with the 'dim' argument."));
  for (int64_t d = 0; d < self.dim(); ++d)
    EMBER_CHECK_INDEX(!mask[size_t(d)] || self.size(d) != 0, op, "(): Expected reduction dim ", d,
                      " to have non-zero size.");
}

Tensor extreme(const char* op, dispatch::KernelSlot& k, const Tensor& self, IntArrayRef dims, bool keepdim) {
  auto mask = reduce_mask(self, dims);
  check_nonempty(op, self, mask, !dims.empty());
  return run_reduce(k, self, mask, keepdim);
}

std::tuple<Tensor, Tensor> arg_extreme(const char* op, dispatch::KernelSlot& k, const Tensor& self,
                                       std::optional<int64_t> dim, bool keepdim, bool want_values) {
  std::vector<bool> mask;
  if (dim) {
    mask = reduce_mask(self, *dim);
  } else {
    mask.assign(size_t(std::max<int64_t>(self.dim(), 1)), true);
    if (self.numel() == 0)
      throw IndexError(detail::str(op, "(): Expected reduction dim to be specified for input.numel() == 0."));
  }
  check_nonempty(op, self, mask, true);
  DimVector shape = reduced_shape(self, mask, keepdim);
  Tensor values = want_values ? ops::empty(shape, self.dtype(), self.device()) : Tensor();
  Tensor indices = ops::empty(shape, kInt64, self.device());
  auto g = dispatch::make_reduce_geometry(self, mask, true);
  dispatch::kernel<dispatch::ArgReduceKernel>(k, self.device().type())(self, values, indices, g);
  return {values, indices};
}

Tensor nonzero_mask(const Tensor& self) {
  return self.dtype() == kBool ? self : ops::ne(self, ops::wrap_scalar(self, 0));
}

// all/any reduce a bool view of the input; uint8 inputs keep uint8 results, as in PyTorch.
Tensor logical_reduce(dispatch::KernelSlot& k, const Tensor& self, std::optional<int64_t> dim, bool keepdim) {
  auto mask = dim ? reduce_mask(self, *dim) : reduce_mask(self, {});
  Tensor r = run_reduce(k, nonzero_mask(self), mask, keepdim);
  return self.dtype() == kUInt8 ? ops::cast(r, kUInt8) : r;
}

}  // namespace

Tensor sum(const Tensor& self, IntArrayRef dims, bool keepdim, std::optional<DType> dtype) {
  static auto& k = dispatch::slot("reduce_sum");
  auto mask = reduce_mask(self, dims);
  return run_reduce(k, ops::cast(self, sum_dtype(self, dtype)), mask, keepdim);
}

Tensor nansum(const Tensor& self, IntArrayRef dims, bool keepdim, std::optional<DType> dtype) {
  static auto& k = dispatch::slot("reduce_nansum");
  auto mask = reduce_mask(self, dims);
  return run_reduce(k, ops::cast(self, sum_dtype(self, dtype)), mask, keepdim);
}

Tensor prod(const Tensor& self, IntArrayRef dims, bool keepdim, std::optional<DType> dtype) {
  static auto& k = dispatch::slot("reduce_prod");
  auto mask = reduce_mask(self, dims);
  return run_reduce(k, ops::cast(self, sum_dtype(self, dtype)), mask, keepdim);
}

Tensor amax(const Tensor& self, IntArrayRef dims, bool keepdim) {
  static auto& k = dispatch::slot("reduce_max");
  return extreme("amax", k, self, dims, keepdim);
}
Tensor amin(const Tensor& self, IntArrayRef dims, bool keepdim) {
  static auto& k = dispatch::slot("reduce_min");
  return extreme("amin", k, self, dims, keepdim);
}
Tensor max(const Tensor& self) {
  static auto& k = dispatch::slot("reduce_max");
  return extreme("max", k, self, {}, false);
}
Tensor min(const Tensor& self) {
  static auto& k = dispatch::slot("reduce_min");
  return extreme("min", k, self, {}, false);
}

std::tuple<Tensor, Tensor> max(const Tensor& self, int64_t dim, bool keepdim) {
  static auto& k = dispatch::slot("reduce_argmax");
  return arg_extreme("max", k, self, dim, keepdim, true);
}
std::tuple<Tensor, Tensor> min(const Tensor& self, int64_t dim, bool keepdim) {
  static auto& k = dispatch::slot("reduce_argmin");
  return arg_extreme("min", k, self, dim, keepdim, true);
}
Tensor argmax(const Tensor& self, std::optional<int64_t> dim, bool keepdim) {
  EMBER_CHECK(self.dtype() != kBool, "\"argmax_cpu\" not implemented for 'Bool'");
  static auto& k = dispatch::slot("reduce_argmax");
  return std::get<1>(arg_extreme("argmax", k, self, dim, keepdim, false));
}
Tensor argmin(const Tensor& self, std::optional<int64_t> dim, bool keepdim) {
  EMBER_CHECK(self.dtype() != kBool, "\"argmin_cpu\" not implemented for 'Bool'");
  static auto& k = dispatch::slot("reduce_argmin");
  return std::get<1>(arg_extreme("argmin", k, self, dim, keepdim, false));
}

Tensor all(const Tensor& self, std::optional<int64_t> dim, bool keepdim) {
  static auto& k = dispatch::slot("reduce_min");
  return logical_reduce(k, self, dim, keepdim);
}
Tensor any(const Tensor& self, std::optional<int64_t> dim, bool keepdim) {
  static auto& k = dispatch::slot("reduce_max");
  return logical_reduce(k, self, dim, keepdim);
}

Tensor count_nonzero(const Tensor& self, IntArrayRef dims) { return ops::sum(nonzero_mask(self), dims, false, kInt64); }

}  // namespace ember::ops
