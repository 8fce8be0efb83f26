// Views: new sizes/strides/offset over the same storage. No data moves.
#include "ops/shape.h"

namespace ember::ops {

Tensor make_view(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t offset) {
  return Tensor(std::make_shared<TensorImpl>(base.storage(), base.dtype(), sizes, strides, offset));
}

DimVector infer_size(IntArrayRef shape, int64_t numel) {
  DimVector out(shape);
  int64_t known = 1;
  int64_t infer = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      EMBER_CHECK(infer < 0, "only one dimension can be inferred");
      infer = int64_t(i);
    } else {
      EMBER_CHECK(shape[i] >= 0, "invalid shape dimension ", shape[i]);
      known *= shape[i];
    }
  }
  bool ok = infer >= 0 ? (known != 0 && numel % known == 0) || (known == 0 && numel == 0) : known == numel;
  if (infer >= 0 && known == 0)
    EMBER_CHECK(false, "cannot reshape tensor of 0 elements into shape ", shape,
                " because the unspecified dimension size -1 can be any value and is ambiguous");
  EMBER_CHECK(ok, "shape '", shape, "' is invalid for input of size ", numel);
  if (infer >= 0) out[size_t(infer)] = numel / known;
  return out;
}

namespace {
// PyTorch's computeStride: strides for viewing (old sizes, old strides) as new sizes without a copy, or
// nothing when the memory layout can't express it.
std::optional<DimVector> compute_stride(IntArrayRef oldshape, IntArrayRef oldstride, IntArrayRef newshape) {
  DimVector newstride(newshape.size());
  if (oldshape.empty()) {
    for (auto& s : newstride) s = 1;
    return newstride;
  }
  int64_t numel = 1;
  for (int64_t s : oldshape) numel *= s;
  if (numel == 0 && oldshape.equals(newshape)) return DimVector(oldstride);
  if (numel == 0) {
    DimVector st = contiguous_strides(newshape);
    return st;
  }
  int64_t view_d = int64_t(newshape.size()) - 1;
  int64_t chunk_base_stride = oldstride.back();
  int64_t tensor_numel = 1, view_numel = 1;
  for (int64_t tensor_d = int64_t(oldshape.size()) - 1; tensor_d >= 0; tensor_d--) {
    tensor_numel *= oldshape[size_t(tensor_d)];
    if (tensor_d == 0 || (oldshape[size_t(tensor_d - 1)] != 1 &&
                          oldstride[size_t(tensor_d - 1)] != tensor_numel * chunk_base_stride)) {
      while (view_d >= 0 && (view_numel < tensor_numel || newshape[size_t(view_d)] == 1)) {
        newstride[size_t(view_d)] = view_numel * chunk_base_stride;
        view_numel *= newshape[size_t(view_d)];
        view_d--;
      }
      if (view_numel != tensor_numel) return std::nullopt;
      if (tensor_d > 0) {
        chunk_base_stride = oldstride[size_t(tensor_d - 1)];
        tensor_numel = 1;
        view_numel = 1;
      }
    }
  }
  if (view_d != -1) return std::nullopt;
  return newstride;
}
}  // namespace

std::optional<DimVector> view_strides(const Tensor& self, IntArrayRef shape) {
  return compute_stride(self.sizes(), self.strides(), shape);
}

Tensor view(const Tensor& self, IntArrayRef size) {
  DimVector shape = infer_size(size, self.numel());
  auto st = compute_stride(self.sizes(), self.strides(), shape);
  EMBER_CHECK(st.has_value(),
              "view size is not compatible with input tensor's size and stride (at least one dimension spans across "
              "two contiguous subspaces). Use .reshape(...) instead.");
  return make_view(self, shape, *st, self.storage_offset());
}

Tensor as_strided(const Tensor& self, IntArrayRef size, IntArrayRef stride, int64_t offset) {
  EMBER_CHECK(size.size() == stride.size(), "mismatch in length of strides and shape");
  int64_t extent = offset;
  bool empty = false;
  for (size_t i = 0; i < size.size(); ++i) {
    EMBER_CHECK(size[i] >= 0, "as_strided: negative size ", size[i]);
    EMBER_CHECK(stride[i] >= 0, "as_strided: Negative strides are not supported at the moment, got strides: ", stride);
    if (size[i] == 0) empty = true;
    extent += (size[i] - 1) * stride[i];
  }
  EMBER_CHECK(offset >= 0, "as_strided: negative storage offset ", offset);
  int64_t cap = int64_t(self.storage()->nbytes / self.element_size());
  EMBER_CHECK(empty || extent < cap, "setStorage: sizes ", size, ", strides ", stride, ", storage offset ", offset,
              ", and itemsize ", self.element_size(), " requiring a storage size of ", (extent + 1) * int64_t(self.element_size()),
              " are out of bounds for storage of size ", self.storage()->nbytes);
  return make_view(self, size, stride, offset);
}

Tensor expand(const Tensor& self, IntArrayRef size) {
  int64_t nd = int64_t(size.size()), sd = self.dim();
  EMBER_CHECK(nd >= sd, "expand(torch.", dtype_title(self.dtype()), "Tensor{", self.sizes(), "}, size=", size,
              "): the number of sizes provided (", nd, ") must be greater or equal to the number of dimensions in the tensor (",
              sd, ")");
  DimVector sizes(static_cast<size_t>(nd)), strides(static_cast<size_t>(nd));
  for (int64_t i = nd - 1; i >= 0; --i) {
    int64_t off = nd - 1 - i;
    int64_t d = sd - 1 - off;
    int64_t s = d >= 0 ? self.sizes()[size_t(d)] : 1;
    int64_t st = d >= 0 ? self.strides()[size_t(d)] : 0;
    int64_t target = size[size_t(i)];
    if (target == -1) {
      EMBER_CHECK(d >= 0, "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension ", i);
      target = s;
    }
    EMBER_CHECK(target >= 0, "expand: the expanded size of the tensor (", target, ") must be non-negative at dimension ",
                i, ".  Target sizes: ", size, ".  Tensor sizes: ", self.sizes());
    if (s != target) {
      EMBER_CHECK(s == 1, "The expanded size of the tensor (", target, ") must match the existing size (", s,
                  ") at non-singleton dimension ", i, ".  Target sizes: ", size, ".  Tensor sizes: ", self.sizes());
      st = 0;
    }
    sizes[size_t(i)] = target;
    strides[size_t(i)] = st;
  }
  return make_view(self, sizes, strides, self.storage_offset());
}

Tensor transpose(const Tensor& self, int64_t d0, int64_t d1) {
  int64_t nd = self.dim();
  d0 = maybe_wrap_dim(d0, nd);
  d1 = maybe_wrap_dim(d1, nd);
  if (nd == 0) return make_view(self, {}, {}, self.storage_offset());
  DimVector sizes(self.sizes()), strides(self.strides());
  std::swap(sizes[size_t(d0)], sizes[size_t(d1)]);
  std::swap(strides[size_t(d0)], strides[size_t(d1)]);
  return make_view(self, sizes, strides, self.storage_offset());
}

Tensor permute(const Tensor& self, IntArrayRef dims) {
  int64_t nd = self.dim();
  EMBER_CHECK(int64_t(dims.size()) == nd, "permute(sparse_coo): number of dimensions in the tensor input does not match "
              "the length of the desired ordering of dimensions i.e. input.dim() = ", nd, " is not equal to len(dims) = ",
              dims.size());
  DimVector sizes(static_cast<size_t>(nd)), strides(static_cast<size_t>(nd));
  std::vector<bool> seen(size_t(nd), false);
  for (int64_t i = 0; i < nd; ++i) {
    int64_t d = maybe_wrap_dim(dims[size_t(i)], nd);
    EMBER_CHECK(!seen[size_t(d)], "permute(): duplicate dims are not allowed.");
    seen[size_t(d)] = true;
    sizes[size_t(i)] = self.sizes()[size_t(d)];
    strides[size_t(i)] = self.strides()[size_t(d)];
  }
  return make_view(self, sizes, strides, self.storage_offset());
}

Tensor squeeze(const Tensor& self, std::optional<int64_t> dim) {
  DimVector sizes, strides;
  int64_t wd = dim ? maybe_wrap_dim(*dim, self.dim()) : -1;
  for (int64_t i = 0; i < self.dim(); ++i) {
    bool drop = self.sizes()[size_t(i)] == 1 && (!dim || i == wd);
    if (!drop) {
      sizes.push_back(self.sizes()[size_t(i)]);
      strides.push_back(self.strides()[size_t(i)]);
    }
  }
  return make_view(self, sizes, strides, self.storage_offset());
}

Tensor unsqueeze(const Tensor& self, int64_t dim) {
  dim = maybe_wrap_dim(dim, self.dim() + 1);
  DimVector sizes(self.sizes()), strides(self.strides());
  int64_t st = dim >= self.dim() ? 1 : sizes[size_t(dim)] * strides[size_t(dim)];
  sizes.insert(size_t(dim), 1);
  strides.insert(size_t(dim), st);
  return make_view(self, sizes, strides, self.storage_offset());
}

}  // namespace ember::ops
