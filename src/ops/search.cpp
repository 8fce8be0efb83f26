// searchsorted, bucketize, bincount and histc: never differentiable, so the public functions live here.
#include <cmath>

#include <ember/ops/pointwise.h>
#include <ember/ops/reduce.h>
#include <ember/ops/sort.h>

#include "dispatch/registry.h"
#include "dispatch/sort_kernels.h"
#include "ops/ops.h"

namespace ember {

namespace {
[[noreturn]] void not_implemented(const char* name, DType t) {
  throw Error(detail::str("\"", name, "\" not implemented for '", dtype_title(t), "'"));
}

bool resolve_right(std::optional<std::string_view> side, bool right) {
  if (!side) return right;
  EMBER_CHECK(*side == "left" || *side == "right",
              "torch.searchsorted(): side can only be 'left' or 'right' but got ", *side);
  EMBER_CHECK(!(*side == "left" && right),
              "torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True");
  return *side == "right";
}

// Checks PyTorch's rules on the shapes and the sorter, and runs the kernel over (rows, n) boundaries
// and (rows, m) values of one common dtype.
Tensor search(const Tensor& boundaries, const Tensor& values_in, DType common, bool out_int32, bool right,
              const Tensor& sorter) {
  EMBER_CHECK(boundaries.dim() > 0,
              "torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension");
  if (boundaries.dim() > 1) {
    bool ok = boundaries.dim() == values_in.dim();
    for (int64_t d = 0; ok && d + 1 < boundaries.dim(); ++d) ok = boundaries.size(d) == values_in.size(d);
    EMBER_CHECK(ok,
                "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of "
                "boundaries tensor and input value tensor must match, but we got boundaries tensor ",
                boundaries.sizes(), " and input value tensor ", values_in.sizes());
  }
  if (sorter.defined()) {
    EMBER_CHECK(sorter.dtype() == kInt64, "torch.searchsorted(): sorter must be a tensor of long dtype but got dtype ",
                dtype_title(sorter.dtype()));
    EMBER_CHECK(sorter.sizes().equals(boundaries.sizes()),
                "torch.searchsorted(): boundary and sorter must have the same size, but got boundary tensor ",
                boundaries.sizes(), "and got sorter tensor ", sorter.sizes());
  }
  ops::check_same_device("searchsorted", boundaries, values_in);
  if (sorter.defined()) ops::check_same_device("searchsorted", boundaries, sorter);
  if (common == kBool) not_implemented("searchsorted_out_cpu", common);
  int64_t n = boundaries.size(-1);
  Tensor bd = ops::contiguous(ops::cast(boundaries, common));
  Tensor vs = ops::contiguous(ops::cast(values_in, common));
  Tensor so = sorter.defined() ? ops::contiguous(sorter) : Tensor();
  // Checked with tensor ops, so a GPU sorter is read back as one flag.
  if (so.defined() && so.numel() > 0)
    EMBER_CHECK(!any(logical_or(lt(so, 0), ge(so, n))).item<bool>(), "torch.searchsorted(): sorter index out of range");
  Tensor out = ops::empty(values_in.sizes(), out_int32 ? kInt32 : kInt64, values_in.device());
  if (out.numel() == 0) return out;
  int64_t rows = 1;
  for (int64_t d = 0; d + 1 < boundaries.dim(); ++d) rows *= boundaries.size(d);
  int64_t m = boundaries.dim() == 1 ? vs.numel() : vs.numel() / std::max<int64_t>(rows, 1);
  static auto& k = dispatch::slot("searchsorted");
  dispatch::kernel<dispatch::SearchsortedKernel>(k, boundaries.device().type())(
      ops::view(bd, {boundaries.dim() == 1 ? 1 : rows, n}), so.defined() ? ops::view(so, {rows, n}) : so,
      ops::view(vs, {rows, m}), ops::view(out, {rows, m}), right);
  return out;
}
}  // namespace

Tensor searchsorted(const Tensor& sorted_sequence, const Tensor& values, bool out_int32, bool right,
                    std::optional<std::string_view> side, const Tensor& sorter) {
  bool r = resolve_right(side, right);
  return search(sorted_sequence, values, promote_types(sorted_sequence.dtype(), values.dtype()), out_int32, r, sorter);
}

Tensor searchsorted(const Tensor& sorted_sequence, const Scalar& value, bool out_int32, bool right,
                    std::optional<std::string_view> side, const Tensor& sorter) {
  bool r = resolve_right(side, right);
  EMBER_CHECK(sorted_sequence.dim() == 1,
              "torch.searchsorted(): input value can be a scalar only when boundaries tensor dimension is 1, but we "
              "got boundaries tensor dim(",
              sorted_sequence.dim(), ") and input value's dim(0) numel(1)");
  DType common = result_type(sorted_sequence, value);
  return search(sorted_sequence, ops::scalar_tensor(value, common, sorted_sequence.device()), common, out_int32, r,
                sorter);
}

Tensor bucketize(const Tensor& input, const Tensor& boundaries, bool out_int32, bool right) {
  EMBER_CHECK(boundaries.dim() == 1, "boundaries tensor must be 1 dimension, but got dim(", boundaries.dim(), ")");
  return searchsorted(boundaries, input, out_int32, right);
}

Tensor bucketize(const Scalar& input, const Tensor& boundaries, bool out_int32, bool right) {
  EMBER_CHECK(boundaries.dim() == 1, "boundaries tensor must be 1 dimension, but got dim(", boundaries.dim(), ")");
  return searchsorted(boundaries, input, out_int32, right);
}

namespace {
void min_max(const Tensor& t, double* lo, double* hi) {
  static auto& k = dispatch::slot("sort_minmax");
  dispatch::kernel<dispatch::MinMaxKernel>(k, t.device().type())(t, lo, hi);
}
}  // namespace

Tensor bincount(const Tensor& self, const Tensor& weights, int64_t minlength) {
  if (!is_integral(self.dtype())) not_implemented("bincount_cpu", self.dtype());
  EMBER_CHECK(minlength >= 0, "minlength should be >= 0");
  EMBER_CHECK(self.dim() == 1, "bincount only supports 1-d non-negative integral inputs.");
  EMBER_CHECK(!weights.defined() || (weights.dim() == 1 && weights.size(0) == self.size(0)),
              "weights should be 1-d and have the same length as input");
  if (self.numel() == 0) {  // PyTorch returns int64 zeros here even with weights
    Tensor out = ops::empty({minlength}, kInt64, self.device());
    return ops::fill_(out, 0);
  }
  Tensor in = ops::contiguous(self);
  double lo = 0, hi = 0;
  min_max(in, &lo, &hi);
  EMBER_CHECK(lo >= 0, "bincount only supports 1-d non-negative integral inputs.");
  int64_t len = std::max(int64_t(hi) + 1, minlength);
  Tensor w;
  DType out_dt = kInt64;
  if (weights.defined()) {
    out_dt = weights.dtype() == kFloat32 ? kFloat32 : kFloat64;
    w = ops::contiguous(ops::cast(weights, out_dt));
  }
  Tensor out = ops::empty({len}, out_dt, self.device());
  ops::fill_(out, 0);
  static auto& k = dispatch::slot("bincount");
  dispatch::kernel<dispatch::BincountKernel>(k, self.device().type())(in, w, out);
  return out;
}

Tensor histc(const Tensor& self, int64_t bins, const Scalar& min, const Scalar& max) {
  if (!is_floating_point(self.dtype())) not_implemented("histogram_cpu", self.dtype());
  EMBER_CHECK(bins > 0, "torch.histogram(): bins must be > 0, but got ", bins, " for dimension 0");
  double lo = min.toDouble(), hi = max.toDouble();
  EMBER_CHECK(!(lo > hi), "torch.histc: max must be larger than min");
  Tensor in = ops::contiguous(self);
  if (lo == hi && in.numel() > 0) min_max(in, &lo, &hi);
  if (lo == hi) {
    lo -= 1;
    hi += 1;
  }
  EMBER_CHECK(std::isfinite(lo) && std::isfinite(hi), "torch.histc: range of [", lo, ", ", hi, "] is not finite");
  Tensor out = ops::empty({bins}, self.dtype(), self.device());
  ops::fill_(out, 0);
  if (in.numel() == 0) return out;
  static auto& k = dispatch::slot("histc");
  dispatch::kernel<dispatch::HistcKernel>(k, self.device().type())(in, out, lo, hi);
  return out;
}

}  // namespace ember
