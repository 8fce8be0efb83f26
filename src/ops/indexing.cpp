// The indexing syntax's value types (Slice, TensorIndex) and the basic-indexing views it applies.
#include <limits>

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

std::pair<int64_t, int64_t> slice_bounds(int64_t size, int64_t start, int64_t stop, int64_t step) {
  EMBER_CHECK_VALUE(step > 0, "step must be greater than zero");
  if (start < 0) start += size;
  if (stop < 0) stop += size;
  start = std::clamp<int64_t>(start, 0, size);
  stop = std::clamp<int64_t>(stop, start, size);
  return {start, (stop - start + step - 1) / step};
}

Tensor slice(const Tensor& self, int64_t dim, int64_t start, int64_t length, int64_t step) {
  DimVector sizes(self.sizes()), strides(self.strides());
  sizes[size_t(dim)] = length;
  strides[size_t(dim)] *= step;
  int64_t offset = self.storage_offset() + (length > 0 ? start * self.stride(dim) : 0);
  return make_view(self, sizes, strides, offset);
}

Tensor select(const Tensor& self, int64_t dim, int64_t index, int64_t real_dim) {
  EMBER_CHECK_INDEX(self.dim() > 0, "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                    "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
  int64_t size = self.size(dim);
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
