// Forward of the copies that join or reorder tensors: cat writes each input into a slice of the output
// and flip reads the input through a view with negated strides; both reuse the copy kernel.
#include "ops/shape.h"

namespace ember::ops {

int64_t cat_dim(ArrayRef<Tensor> tensors, int64_t dim) {
  for (const Tensor& t : tensors)
    if (!cat_skips(t)) return maybe_wrap_dim(dim, t.dim());
  return maybe_wrap_dim(dim, tensors[0].dim());
}

Tensor cat(ArrayRef<Tensor> tensors, int64_t dim) {
  EMBER_CHECK(!tensors.empty(), "torch.cat(): expected a non-empty list of Tensors");
  for (size_t i = 0; i < tensors.size(); ++i)
    EMBER_CHECK(tensors[i].dim() > 0, "zero-dimensional tensor (at position ", i, ") cannot be concatenated");
  dim = cat_dim(tensors, dim);
  DType dtype = tensors[0].dtype();
  for (const Tensor& t : tensors) dtype = promote_types(dtype, t.dtype());
  const Tensor* ref = nullptr;
  int64_t total = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    check_same_device("cat", tensors[0], t);
    if (cat_skips(t)) continue;
    if (!ref) ref = &t;
    EMBER_CHECK(t.dim() == ref->dim(), "Tensors must have same number of dimensions: got ", ref->dim(), " and ", t.dim());
    for (int64_t d = 0; d < t.dim(); ++d)
      EMBER_CHECK(d == dim || t.sizes()[size_t(d)] == ref->sizes()[size_t(d)],
                  "Sizes of tensors must match except in dimension ", dim, ". Expected size ", ref->sizes()[size_t(d)],
                  " but got size ", t.sizes()[size_t(d)], " for tensor number ", i, " in the list.");
    total += t.sizes()[size_t(dim)];
  }
  if (!ref) return empty({0}, dtype, tensors[0].device());
  DimVector shape(ref->sizes());
  shape[size_t(dim)] = total;
  Tensor out = empty(shape, dtype, tensors[0].device());
  int64_t offset = 0;
  for (const Tensor& t : tensors) {
    if (cat_skips(t)) continue;
    int64_t n = t.sizes()[size_t(dim)];
    Tensor part = slice(out, dim, offset, offset + n, 1);
    copy_(part, t);
    offset += n;
  }
  return out;
}

Tensor flip(const Tensor& self, IntArrayRef dims) {
  DimVector wrapped = wrap_dims_unique(dims, self.dim());
  DimVector strides(self.strides());
  int64_t offset = self.storage_offset();
  if (self.numel() > 0)
    for (int64_t d : wrapped) {
      if (self.dim() == 0) continue;
      offset += (self.sizes()[size_t(d)] - 1) * strides[size_t(d)];
      strides[size_t(d)] = -strides[size_t(d)];
    }
  // An internal view that walks the flipped dims backwards; it never leaves this function.
  Tensor reversed = make_view(self, self.sizes(), strides, offset);
  Tensor out = empty(self.sizes(), self.dtype(), self.device());
  return copy_(out, reversed);
}

}  // namespace ember::ops
