// Index ops along one dim (index_select, gather, scatter, scatter_reduce, index_add/copy/fill) and the
// offset building blocks every index op shares. Each op checks all arguments and indices before it
// writes, so a failed op leaves its inputs as they were.
#include <cmath>
#include <limits>

#include "backend/common/visit_dtype.h"
#include "dispatch/registry.h"
#include "ops/index.h"

namespace ember::ops {

Tensor strided_offsets(IntArrayRef sizes, IntArrayRef strides, int64_t remap_dim, const Tensor& remap,
                       const Tensor& extra, int64_t extra_scale, Device device) {
  Tensor out = empty(sizes, kInt64, device);
  static auto& k = dispatch::slot("index_strided_offsets");
  dispatch::kernel<dispatch::IndexStridedOffsetsKernel>(k, device.type())(out, strides, remap_dim, remap, extra,
                                                                          extra_scale);
  return out;
}

Tensor strided_offsets(IntArrayRef sizes, IntArrayRef strides, Device device) {
  return strided_offsets(sizes, strides, -1, Tensor(), Tensor(), 0, device);
}

Tensor mask_offsets(const Tensor& mask, IntArrayRef strides) {
  static auto& k = dispatch::slot("index_mask_offsets");
  return dispatch::kernel<dispatch::IndexMaskOffsetsKernel>(k, mask.device().type())(contiguous(mask), strides);
}

Tensor as_int64(const Tensor& index) { return contiguous(cast(index, kInt64)); }

std::optional<int64_t> wrap_indices(Tensor& idx, int64_t size, bool allow_negative) {
  if (idx.numel() == 0) return std::nullopt;
  int64_t bad = 0;
  bool has_negative = false;
  static auto& check = dispatch::slot("index_check");
  if (!dispatch::kernel<dispatch::IndexCheckKernel>(check, idx.device().type())(idx, size, allow_negative, bad,
                                                                                has_negative))
    return bad;
  if (has_negative) {
    idx = clone(idx);
    static auto& wrap = dispatch::slot("index_wrap");
    dispatch::kernel<dispatch::IndexWrapKernel>(wrap, idx.device().type())(idx, size);
  }
  return std::nullopt;
}

Tensor gather_offsets(const Tensor& src, const Tensor& offsets) {
  Tensor out = empty(offsets.sizes(), src.dtype(), src.device());
  if (out.numel() == 0) return out;
  Tensor off = contiguous(offsets);
  static auto& k = dispatch::slot("index_gather");
  dispatch::kernel<dispatch::IndexGatherKernel>(k, src.device().type())(src, off, out);
  return out;
}

void scatter_offsets(Tensor& dst, const Tensor& offsets, const Tensor& values, ScatterMode mode) {
  if (offsets.numel() == 0) return;
  Tensor off = contiguous(offsets);
  Tensor v = values;
  if (v.numel() != 1) v = expand(v, off.sizes());
  // A private contiguous copy: values that alias dst must not change while dst is written.
  v = v.is_contiguous() && v.storage() != dst.storage() ? v : contiguous(clone(v));
  static auto& k = dispatch::slot("index_scatter");
  dispatch::kernel<dispatch::IndexScatterKernel>(k, dst.device().type())(dst, off, v, mode);
}

void along_dim(const Tensor& self, int64_t dim, const Tensor& idx, const Tensor& other, bool gather, ScatterMode mode) {
  if (idx.numel() == 0) return;
  static auto& k = dispatch::slot("index_along_dim");
  dispatch::kernel<dispatch::IndexAlongDimKernel>(k, self.device().type())(self, dim, idx, other, gather, mode);
}

Tensor arange_index(int64_t start, int64_t n, int64_t step, Device device) {
  Tensor out = strided_offsets({n}, {step}, device);
  if (start != 0) add_(out, scalar_tensor(start, kInt64, device), 1);
  return out;
}

namespace {

// A 0-dim tensor seen as one element of a 1-dim one: index ops treat 0-dim as size 1 along dim 0.
Tensor as_1d(const Tensor& t) { return t.dim() == 0 ? make_view(t, {1}, {1}, t.storage_offset()) : t; }

void check_index_dtype(const Tensor& index, const char* op, bool allow_int32) {
  bool ok = index.dtype() == kInt64 || (allow_int32 && index.dtype() == kInt32);
  if (!ok && allow_int32) throw Error(detail::str(op, "(): Expected dtype int32 or int64 for index"));
  EMBER_CHECK(ok, op, "(): Expected dtype int64 for index");
}

// Offsets into `self` of index_select's result: self's walk with dim `dim` read through `idx` (wrapped).
Tensor select_offsets(const Tensor& self, int64_t dim, const Tensor& idx) {
  DimVector sizes(self.sizes());
  sizes[size_t(dim)] = idx.numel();
  return strided_offsets(sizes, self.strides(), dim, idx, Tensor(), 0, self.device());
}

// Offsets into `self` of the elements gather/scatter address: index's walk over self, with dim `dim`
// taken from the index values.
Tensor along_dim_offsets(const Tensor& self, int64_t dim, const Tensor& idx) {
  DimVector st(self.strides());
  st[size_t(dim)] = 0;
  return strided_offsets(idx.sizes(), st, -1, Tensor(), idx, self.strides()[size_t(dim)], self.device());
}

// gather/scatter's shape rules: same number of dims, index no larger than self (apart from dim) and
// than src.
void check_gather_shapes(const Tensor& self, int64_t dim, const Tensor& index, const Tensor* src) {
  int64_t nd = std::max<int64_t>(self.dim(), 1);
  EMBER_CHECK(std::max<int64_t>(index.dim(), 1) == nd, "Index tensor must have the same number of dimensions as ",
              src ? "self tensor" : "input tensor");
  if (src) EMBER_CHECK(std::max<int64_t>(src->dim(), 1) == nd,
                       "Index tensor must have the same number of dimensions as src tensor");
  if (index.numel() == 0) return;
  Tensor s = as_1d(self), i = as_1d(index);
  bool self_ok = true, src_ok = true;
  for (int64_t d = 0; d < nd; ++d) {
    if (d != dim && i.size(d) > s.size(d)) self_ok = false;
    if (src && i.size(d) > as_1d(*src).size(d)) src_ok = false;
  }
  if (!src) {
    for (int64_t d = 0; d < nd; ++d)
      EMBER_CHECK(d == dim || i.size(d) <= s.size(d), "Size does not match at dimension ", d, " expected index ",
                  index.sizes(), " to be smaller than self ", self.sizes(),
                  " apart from dimension ", dim);
    return;
  }
  EMBER_CHECK(self_ok && src_ok, "Expected index ", index.sizes(), " to be smaller than self ",
              self.sizes(), " apart from dimension ", dim,
              src_ok ? "" : detail::str(" and to be smaller size than src ", src->sizes()));
}

Tensor checked_along_dim_index(const Tensor& self, int64_t dim, const Tensor& index) {
  Tensor idx = as_int64(as_1d(index));
  if (auto bad = wrap_indices(idx, as_1d(self).size(dim), false))
    throw Error(detail::str("index ", *bad, " is out of bounds for dimension ", dim, " with size ",
                            as_1d(self).size(dim)));
  return idx;
}


Scalar reduce_identity(DType dt, std::string_view reduce) {
  if (reduce == "sum" || reduce == "mean") return 0;
  if (reduce == "prod") return 1;
  bool max = reduce == "amax";
  if (dt == kBool) return !max;
  if (is_floating_point(dt)) return max ? -INFINITY : INFINITY;
  return kernels::visit_dtype(dt, [&](auto tag) -> Scalar {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_integral_v<T>) return max ? int64_t(std::numeric_limits<T>::lowest())
                                                    : int64_t(std::numeric_limits<T>::max());
    return 0;
  });
}

}  // namespace

Tensor index_select(const Tensor& self, int64_t dim, const Tensor& index) {
  EMBER_CHECK_INDEX(index.dim() <= 1, "index_select(): Index is supposed to be a vector");
  check_index_dtype(index, "index_select", true);
  check_same_device("index_select", self, index);
  dim = maybe_wrap_dim(dim, self.dim());
  Tensor s = as_1d(self);
  Tensor idx = as_int64(index.dim() == 0 ? as_1d(index) : index);
  EMBER_CHECK_INDEX(!wrap_indices(idx, s.size(dim), false), "index out of range in self");
  // A gather whose index is the 1-d index laid along dim and broadcast over the other dims.
  DimVector sizes(s.sizes()), strides(size_t(s.dim()), 0);
  sizes[size_t(dim)] = idx.numel();
  strides[size_t(dim)] = 1;
  Tensor out = empty(sizes, s.dtype(), s.device());
  along_dim(s, dim, make_view(idx, sizes, strides, idx.storage_offset()), out, true, ScatterMode::Copy);
  return self.dim() == 0 ? make_view(out, {}, {}, 0) : out;
}

Tensor gather(const Tensor& self, int64_t dim, const Tensor& index) {
  dim = maybe_wrap_dim(dim, self.dim());
  check_index_dtype(index, "gather", false);
  check_same_device("gather", self, index);
  check_gather_shapes(self, dim, index, nullptr);
  Tensor idx = checked_along_dim_index(self, dim, index);
  Tensor out = empty(idx.sizes(), self.dtype(), self.device());
  along_dim(as_1d(self), dim, idx, out, true, ScatterMode::Copy);
  return index.dim() == 0 ? make_view(out, {}, {}, 0) : out;
}

ScatterMode scatter_reduce_mode(std::string_view reduce) {
  if (reduce.empty()) return ScatterMode::Copy;
  if (reduce == "add") return ScatterMode::Add;
  EMBER_CHECK(reduce == "multiply", "reduce argument must be either add or multiply.");
  return ScatterMode::Multiply;
}

Tensor& scatter_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, ScatterMode mode, const char* op) {
  dim = maybe_wrap_dim(dim, self.dim());
  check_index_dtype(index, op, false);
  check_same_device(op, self, index);
  check_same_device(op, self, src);
  EMBER_CHECK(self.dtype() == src.dtype(), op, "(): Expected self.dtype to be equal to src.dtype");
  check_gather_shapes(self, dim, index, &src);
  Tensor idx = checked_along_dim_index(self, dim, index);
  Tensor s = as_1d(self), sv = as_1d(src);
  // src must not change while self is written.
  if (sv.storage() == s.storage()) sv = clone(sv);
  along_dim(s, dim, idx, sv, false, mode);
  return self;
}

Tensor& scatter_(Tensor& self, int64_t dim, const Tensor& index, const Scalar& value, ScatterMode mode) {
  dim = maybe_wrap_dim(dim, self.dim());
  check_index_dtype(index, "scatter", false);
  check_same_device("scatter", self, index);
  check_gather_shapes(self, dim, index, nullptr);
  Tensor idx = checked_along_dim_index(self, dim, index);
  Tensor s = as_1d(self);
  along_dim(s, dim, idx, expand(scalar_tensor(value, self.dtype(), self.device()), idx.sizes()), false, mode);
  return self;
}

Tensor& scatter_reduce_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, std::string_view reduce,
                        bool include_self) {
  ScatterMode mode;
  if (reduce == "sum" || reduce == "mean") mode = ScatterMode::Add;
  else if (reduce == "prod") mode = ScatterMode::Multiply;
  else if (reduce == "amax") mode = ScatterMode::Max;
  else if (reduce == "amin") mode = ScatterMode::Min;
  else throw Error("reduce argument must be either sum, prod, mean, amax or amin.");
  EMBER_CHECK(!(reduce == "mean" && self.dtype() == kBool),
              "\"scatter_gather_tensor_cpu_reduce_mean\" not implemented for 'Bool'");
  dim = maybe_wrap_dim(dim, self.dim());
  check_index_dtype(index, "scatter_reduce", false);
  check_same_device("scatter_reduce", self, index);
  check_same_device("scatter_reduce", self, src);
  EMBER_CHECK(self.dtype() == src.dtype(), "scatter_reduce(): Expected self.dtype to be equal to src.dtype");
  check_gather_shapes(self, dim, index, &src);
  Tensor idx = checked_along_dim_index(self, dim, index);
  Tensor s = as_1d(self), sv = as_1d(src);
  Tensor values = gather_offsets(sv, strided_offsets(idx.sizes(), sv.strides(), sv.device()));
  Tensor off = along_dim_offsets(s, dim, idx);
  if (!include_self) scatter_offsets(s, off, scalar_tensor(reduce_identity(self.dtype(), reduce), self.dtype(),
                                                           self.device()), ScatterMode::Copy);
  if (reduce != "mean") {
    scatter_offsets(s, off, values, mode);
    return self;
  }
  // Mean: sums and counts in self's dtype (as PyTorch), then one division where anything was scattered.
  Tensor count = empty(s.sizes(), self.dtype(), self.device());
  fill_(count, include_self ? 1 : 0);
  Tensor count_off = along_dim_offsets(count, dim, idx);
  if (!include_self) scatter_offsets(count, count_off, scalar_tensor(0, self.dtype(), self.device()), ScatterMode::Copy);
  scatter_offsets(count, count_off, scalar_tensor(1, self.dtype(), self.device()), ScatterMode::Add);
  Tensor sum = empty(s.sizes(), s.dtype(), s.device());  // laid out like count, for the divide kernel
  copy_(sum, s);
  scatter_offsets(sum, along_dim_offsets(sum, dim, idx), values, ScatterMode::Add);
  static auto& k = dispatch::slot("index_mean_divide");
  dispatch::kernel<dispatch::IndexMeanDivideKernel>(k, self.device().type())(sum, count);
  copy_(s, sum);
  return self;
}

namespace {
// index_add/index_copy's shared checks; returns the wrapped index and source's values in self's walk.
Tensor checked_source_index(const char* op, const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source,
                            bool negative_wraps) {
  EMBER_CHECK_INDEX(index.dim() <= 1, op, "(): Index should have dimension 1 or 0 (got ", index.dim(), ")");
  Tensor s = as_1d(self), src = as_1d(source);
  EMBER_CHECK(index.numel() == (source.dim() == 0 ? 1 : src.size(dim)), op, "(): Number of indices (", index.numel(),
              ") should be equal to source.size(dim): (", source.dim() == 0 ? 1 : src.size(dim), "), for dim: ", dim);
  bool shapes_ok = s.dim() == src.dim();
  for (int64_t d = 0; shapes_ok && d < s.dim(); ++d) shapes_ok = d == dim || s.size(d) == src.size(d);
  EMBER_CHECK(shapes_ok, op, "(): Source/destination tensor must have same slice shapes. Destination slice shape: ",
              self.sizes(), " at dimension ", dim, " and source slice shape: ", source.sizes(), " at dimension 0.");
  Tensor idx = as_int64(as_1d(index));
  if (auto bad = wrap_indices(idx, s.size(dim), negative_wraps)) {
    if (std::string_view(op) == "index_add_") throw IndexError("index out of range in self");
    throw IndexError(detail::str(op, "(): index ", *bad, " is out of bounds for dimension ", dim, " with size ",
                                 s.size(dim)));
  }
  return idx;
}
}  // namespace

Tensor& index_add_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
  dim = maybe_wrap_dim(dim, self.dim());
  check_index_dtype(index, "index_add_", true);
  check_same_device("index_add_", self, index);
  check_same_device("index_add_", self, source);
  EMBER_CHECK(self.dtype() == source.dtype(), "index_add_(): self (", dtype_title(self.dtype()), ") and source (",
              dtype_title(source.dtype()), ") must have the same scalar type");
  Tensor idx = checked_source_index("index_add_", self, dim, index, source, false);
  Tensor s = as_1d(self), src = as_1d(source);
  Tensor scaled = alpha.toDouble() == 1.0 ? src : ops::mul(src, scalar_tensor(alpha, self.dtype(), self.device()));
  scatter_offsets(s, select_offsets(s, dim, idx), contiguous(scaled), ScatterMode::Add);
  return self;
}

Tensor& index_copy_(Tensor& self, int64_t dim, const Tensor& index, const Tensor& source) {
  dim = maybe_wrap_dim(dim, self.dim());
  EMBER_CHECK(index.dtype() == kInt64, "index_copy_(): Expected a long tensor for index, but got ",
              dtype_title(index.dtype()));
  check_same_device("index_copy_", self, index);
  check_same_device("index_copy_", self, source);
  EMBER_CHECK(self.dtype() == source.dtype(), "index_copy_(): self and source expected to have the same dtype, but got ",
              "(self) ", dtype_title(self.dtype()), " and (source) ", dtype_title(source.dtype()));
  Tensor idx = checked_source_index("index_copy_", self, dim, index, source, false);
  Tensor s = as_1d(self);
  scatter_offsets(s, select_offsets(s, dim, idx), contiguous(as_1d(source)), ScatterMode::Copy);
  return self;
}

Tensor& index_fill_(Tensor& self, int64_t dim, const Tensor& index, const Scalar& value) {
  dim = maybe_wrap_dim(dim, self.dim());
  EMBER_CHECK_INDEX(index.dtype() == kInt64, "index_fill_(): Expected dtype int64 for index.");
  EMBER_CHECK_INDEX(index.dim() <= 1, "index_fill_(): Index is supposed to be a vector");
  check_same_device("index_fill_", self, index);
  Tensor s = as_1d(self);
  Tensor idx = as_int64(as_1d(index));
  if (auto bad = wrap_indices(idx, s.size(dim), true))
    throw IndexError(detail::str("index ", *bad, " is out of bounds for dimension ", dim, " with size ", s.size(dim)));
  scatter_offsets(s, select_offsets(s, dim, idx), scalar_tensor(value, self.dtype(), self.device()), ScatterMode::Copy);
  return self;
}

}  // namespace ember::ops
