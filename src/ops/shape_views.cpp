// Forward of the views that select part of a tensor (slice, select, unfold, diagonal, squeeze of a
// list of dims) and the size arithmetic of split/chunk/movedim. Checks and wording follow PyTorch's
// TensorShape.cpp.
#include <algorithm>

#include "ops/shape.h"

namespace ember::ops {

DimVector wrap_dims_unique(IntArrayRef dims, int64_t ndim) {
  DimVector out;
  std::vector<bool> seen(size_t(std::max<int64_t>(ndim, 1)), false);
  for (int64_t d : dims) {
    int64_t w = maybe_wrap_dim(d, ndim);
    EMBER_CHECK(!seen[size_t(w)], "dim ", w, " appears multiple times in the list of dims");
    seen[size_t(w)] = true;
    out.push_back(w);
  }
  return out;
}

Tensor squeeze_dims(const Tensor& self, IntArrayRef dims) {
  DimVector wrapped = wrap_dims_unique(dims, self.dim());
  DimVector sizes, strides;
  for (int64_t i = 0; i < self.dim(); ++i) {
    bool listed = std::find(wrapped.begin(), wrapped.end(), i) != wrapped.end();
    if (listed && self.sizes()[size_t(i)] == 1) continue;
    sizes.push_back(self.sizes()[size_t(i)]);
    strides.push_back(self.strides()[size_t(i)]);
  }
  return make_view(self, sizes, strides, self.storage_offset());
}

Tensor slice(const Tensor& self, int64_t dim, std::optional<int64_t> start, std::optional<int64_t> end, int64_t step) {
  EMBER_CHECK_INDEX(self.dim() > 0, "slice() cannot be applied to a 0-dim tensor.");
  dim = maybe_wrap_dim(dim, self.dim());
  EMBER_CHECK(step > 0, "slice step must be positive");
  DimVector sizes(self.sizes()), strides(self.strides());
  const int64_t n = sizes[size_t(dim)];
  int64_t s = start.value_or(0), e = end.value_or(INT64_MAX);
  // Python's slice clamping: negative bounds count from the end, out-of-range bounds clamp to [0, n].
  if (s < 0) s += n;
  if (e < 0) e += n;
  s = std::clamp<int64_t>(s, 0, n);
  e = std::clamp<int64_t>(e, s, n);
  int64_t offset = self.storage_offset() + s * strides[size_t(dim)];
  sizes[size_t(dim)] = (e - s + step - 1) / step;
  strides[size_t(dim)] *= step;
  return make_view(self, sizes, strides, offset);
}

int64_t narrow_start(const Tensor& self, int64_t dim, int64_t start, int64_t length) {
  EMBER_CHECK(self.dim() > 0, "narrow() cannot be applied to a 0-dim tensor.");
  int64_t cur = self.size(dim);
  // PyTorch wraps start like a dim index of a dim of size `cur`, but allows start == cur (empty result).
  if (start != cur) start = maybe_wrap_dim(start, cur);
  EMBER_CHECK(length >= 0 && start <= cur - length, "start (", start, ") + length (", length, ") exceeds dimension size (", cur, ").");
  return start;
}

Tensor select(const Tensor& self, int64_t dim, int64_t index) {
  EMBER_CHECK_INDEX(self.dim() > 0, "select() cannot be applied to a 0-dim tensor.");
  dim = maybe_wrap_dim(dim, self.dim());
  int64_t n = self.sizes()[size_t(dim)];
  EMBER_CHECK_INDEX(index >= -n && index < n, "select(): index ", index, " out of range for tensor of size ",
                    self.sizes(), " at dimension ", dim);
  if (index < 0) index += n;
  DimVector sizes(self.sizes()), strides(self.strides());
  int64_t offset = self.storage_offset() + index * strides[size_t(dim)];
  sizes.erase(size_t(dim));
  strides.erase(size_t(dim));
  return make_view(self, sizes, strides, offset);
}

Tensor unfold(const Tensor& self, int64_t dim, int64_t size, int64_t step) {
  int64_t d = maybe_wrap_dim(dim, self.dim());
  DimVector sizes(self.sizes()), strides(self.strides());
  int64_t max_size = self.dim() == 0 ? 1 : sizes[size_t(d)];
  EMBER_CHECK(size <= max_size, "maximum size for tensor at dimension ", d, " is ", max_size, " but size is ", size);
  EMBER_CHECK(step > 0, "step is ", step, " but must be > 0");
  EMBER_CHECK(size >= 0, "size is ", size, " but must be >= 0");
  sizes.push_back(size);
  strides.push_back(self.dim() == 0 ? 1 : strides[size_t(d)]);
  if (d < self.dim()) {
    sizes[size_t(d)] = (sizes[size_t(d)] - size) / step + 1;
    strides[size_t(d)] *= step;
  }
  return make_view(self, sizes, strides, self.storage_offset());
}

Tensor diagonal(const Tensor& self, int64_t offset, int64_t dim1_, int64_t dim2_) {
  int64_t nd = self.dim();
  int64_t dim1 = maybe_wrap_dim(dim1_, nd), dim2 = maybe_wrap_dim(dim2_, nd);
  EMBER_CHECK(dim1 != dim2, "diagonal dimensions cannot be identical ", dim1_, ", ", dim2_);
  int64_t n1 = self.sizes()[size_t(dim1)], n2 = self.sizes()[size_t(dim2)];
  int64_t s1 = self.strides()[size_t(dim1)], s2 = self.strides()[size_t(dim2)];
  int64_t diag = offset >= 0 ? std::max<int64_t>(std::min(n1, n2 - offset), 0)
                             : std::max<int64_t>(std::min(n1 + offset, n2), 0);
  int64_t storage_offset = self.storage_offset();
  if (diag > 0) storage_offset += offset >= 0 ? offset * s2 : -offset * s1;
  DimVector sizes(self.sizes()), strides(self.strides());
  for (int64_t d : {std::max(dim1, dim2), std::min(dim1, dim2)}) {
    sizes.erase(size_t(d));
    strides.erase(size_t(d));
  }
  sizes.push_back(diag);
  strides.push_back(s1 + s2);
  return make_view(self, sizes, strides, storage_offset);
}

DimVector movedim_perm(int64_t nd, IntArrayRef src, IntArrayRef dst) {
  EMBER_CHECK(src.size() == dst.size(), "movedim: Invalid source or destination dims: source (", src,
              " dims) should contain the same number of dims as destination (", dst, " dims)");
  DimVector perm(size_t(nd), -1);
  std::vector<bool> src_used(size_t(std::max<int64_t>(nd, 1)), false);
  for (size_t i = 0; i < src.size(); ++i) {
    int64_t s = maybe_wrap_dim(src[i], nd), d = maybe_wrap_dim(dst[i], nd);
    EMBER_CHECK(!src_used[size_t(s)], "movedim: repeated dim in `source` (", src, ")");
    src_used[size_t(s)] = true;
    EMBER_CHECK(nd == 0 || perm[size_t(d)] == -1, "movedim: repeated dim in `destination` (", dst, ")");
    if (nd > 0) perm[size_t(d)] = s;
  }
  // The dims not moved keep their relative order in the free slots.
  int64_t next = 0;
  for (int64_t i = 0; i < nd; ++i) {
    if (perm[size_t(i)] != -1) continue;
    while (src_used[size_t(next)]) ++next;
    perm[size_t(i)] = next++;
  }
  return perm;
}

std::vector<int64_t> split_sizes(const Tensor& self, int64_t split_size, int64_t dim) {
  EMBER_CHECK(self.dim() != 0, "split expects at least a 1-dimensional tensor");
  EMBER_CHECK(split_size >= 0, "split expects split_size be non-negative, but got split_size=", split_size);
  int64_t n = self.size(dim);
  EMBER_CHECK(split_size > 0 || n == 0, "split_size can only be 0 if dimension size is 0, but got dimension size of ", n);
  int64_t num = split_size == 0 ? 1 : std::max<int64_t>((n + split_size - 1) / split_size, 1);
  std::vector<int64_t> out(size_t(num), split_size);
  out.back() = split_size - (split_size * num - n);
  return out;
}

std::vector<int64_t> chunk_sizes(const Tensor& self, int64_t chunks, int64_t dim) {
  EMBER_CHECK(self.dim() > 0, "chunk expects at least a 1-dimensional tensor");
  EMBER_CHECK(chunks > 0, "chunk expects `chunks` to be greater than 0, got: ", chunks);
  int64_t n = self.size(dim);
  int64_t split_size = (n + chunks - 1) / chunks;
  if (split_size == 0 && n == 0) return std::vector<int64_t>(size_t(chunks), 0);
  return split_sizes(self, split_size, dim);
}

void check_split_with_sizes(const Tensor& self, IntArrayRef sizes, int64_t dim) {
  EMBER_CHECK(self.dim() != 0, "split expects at least a 1-dimensional tensor");
  int64_t n = self.size(dim), total = 0;
  for (int64_t s : sizes) {
    EMBER_CHECK(s >= 0, "split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=",
                sizes);
    total += s;
  }
  EMBER_CHECK(total == n, "split_with_sizes expects split_sizes to sum exactly to ", n, " (input tensor's size at dimension ",
              maybe_wrap_dim(dim, self.dim()), "), but got split_sizes=", sizes);
}

}  // namespace ember::ops
