// The indexing syntax's value types (Slice, TensorIndex) and the basic-indexing views it applies.
#include <cmath>
#include <limits>

#include "ops/dtype_limits.h"
#include "ops/index.h"

namespace ember {
namespace indexing {

Slice::Slice(std::optional<int64_t> start, std::optional<int64_t> stop, std::optional<int64_t> step)
    : start_(start.value_or(0)), stop_(stop.value_or(std::numeric_limits<int64_t>::max())), step_(step.value_or(1)) {
  EMBER_CHECK_VALUE(step_ != 0, "slice step cannot be zero");
}

TensorIndex::TensorIndex(const char* s) : kind_(Kind::Ellipsis) {
  EMBER_CHECK(std::string_view(s) == "...", "Expected \"...\" to represent an ellipsis index, but got \"", s, "\"");
}

std::ostream& operator<<(std::ostream& os, const Slice& s) {
  return os << s.start() << ":" << s.stop() << ":" << s.step();
}

std::ostream& operator<<(std::ostream& os, const TensorIndex& i) {
  switch (i.kind()) {
    case TensorIndex::Kind::None: return os << "None";
    case TensorIndex::Kind::Ellipsis: return os << "...";
    case TensorIndex::Kind::Integer: return os << i.integer();
    case TensorIndex::Kind::Boolean: return os << (i.boolean() ? "true" : "false");
    case TensorIndex::Kind::Slice: return os << i.slice();
    default: return os << "Tensor" << i.tensor().sizes();
  }
}

}  // namespace indexing

namespace ops {

namespace {
// PyTorch's c10::overflows: an integer must fit the dtype, though a negative one may wrap into uint8 (down to
// -255); a floating one must lie within the dtype's finite range, where infinities and NaN pass for floating
// dtypes only; bool takes any value.
bool overflows(const Scalar& v, DType t) {
  if (t == kBool || t == kFloat64 || v.isBoolean()) return false;
  if (v.isIntegral(false) && t == kInt64) return false;
  double lo = 0, hi = 0;
  switch (t) {
    case kUInt8: hi = 255; break;
    case kInt8: lo = -128, hi = 127; break;
    case kInt16: lo = -32768, hi = 32767; break;
    case kInt32: lo = -2147483648.0, hi = 2147483647.0; break;
    case kInt64: lo = -9223372036854775808.0, hi = 9223372036854775807.0; break;
    case kFloat16: lo = -65504, hi = 65504; break;
    case kBFloat16: lo = -3.38953139e38, hi = 3.38953139e38; break;
    default: lo = -3.4028234663852886e38, hi = 3.4028234663852886e38; break;
  }
  if (v.isIntegral(false)) {
    int64_t i = v.toLong();
    if (t == kUInt8) return i > 255 || i < -255;
    return double(i) < lo || double(i) > hi;
  }
  double d = v.toDouble();
  if (is_floating_point(t) && !std::isfinite(d)) return false;
  return std::isnan(d) || d < lo || d > hi;
}

}  // namespace

void check_convertible(const Scalar& value, DType dtype) {
  EMBER_CHECK(!overflows(value, dtype), "value cannot be converted to type ", checked_convert_type_name(dtype),
              " without overflow");
}

std::pair<int64_t, int64_t> slice_bounds(int64_t size, int64_t start, int64_t stop, int64_t step) {
  EMBER_CHECK_VALUE(step > 0, "step must be greater than zero");
  if (start < 0) start += size;
  if (stop < 0) stop += size;
  start = std::clamp<int64_t>(start, 0, size);
  stop = std::clamp<int64_t>(stop, start, size);
  return {start, (stop - start + step - 1) / step};
}

Tensor slice_by_length(const Tensor& self, int64_t dim, int64_t start, int64_t length, int64_t step) {
  DimVector sizes(self.sizes()), strides(self.strides());
  sizes[size_t(dim)] = length;
  strides[size_t(dim)] *= step;
  return make_view(self, sizes, strides, self.storage_offset() + start * self.stride(dim));
}

Tensor select(const Tensor& self, int64_t dim, int64_t index, int64_t real_dim) {
  // As PyTorch's applySelect: index 0 of a 0-dim tensor has its own message, other indices see a size of 0.
  EMBER_CHECK_INDEX(self.dim() > 0 || index != 0, "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                    "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
  int64_t size = self.dim() > 0 ? self.size(dim) : 0;
  EMBER_CHECK_INDEX(index >= -size && index < size, "index ", index, " is out of bounds for dimension ", real_dim,
                    " with size ", size);
  if (index < 0) index += size;
  DimVector sizes(self.sizes()), strides(self.strides());
  sizes.erase(size_t(dim));
  strides.erase(size_t(dim));
  return make_view(self, sizes, strides, self.storage_offset() + index * self.stride(dim));
}

}  // namespace ops
}  // namespace ember
