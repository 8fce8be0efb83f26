// Public view ops. A view of a tensor that requires grad gets a node whose backward maps the gradient
// back to the base's shape: a reshape/permute for views that keep every element, a scatter into
// zeros through the same view for views that select elements.
#include <algorithm>

#include <ember/ops/index.h>

#include "autograd/derivatives/shape_record.h"

namespace ember {

using shape_autograd::record_view;
using shape_autograd::untracked_view;
using shape_autograd::view_scatter;

Tensor Tensor::view(IntArrayRef size) const {
  DimVector in(sizes());
  return record_view("ViewBackward0", *this, ops::view(*this, size), [in](const Tensor& g) { return g.reshape(in); });
}
Tensor Tensor::view_as(const Tensor& other) const { return view(other.sizes()); }

Tensor Tensor::reshape(IntArrayRef size) const {
  DimVector shape = ops::infer_size(size, numel());
  if (is_contiguous()) return view(shape);
  // A view when the strides can express the new shape; a copy only when they can't.
  return ops::view_strides(*this, shape) ? view(shape) : contiguous().view(shape);
}
Tensor Tensor::reshape_as(const Tensor& other) const { return reshape(other.sizes()); }
Tensor Tensor::ravel() const { return contiguous().view({-1}); }
Tensor ravel(const Tensor& self) { return self.ravel(); }

namespace {
// True when no two indices of the geometry address the same element (PyTorch's overlap test: with dims
// sorted by stride, each stride must step past everything the smaller dims reach).
bool non_overlapping(IntArrayRef sizes, IntArrayRef strides) {
  std::vector<std::pair<int64_t, int64_t>> dims;  // (stride, size)
  for (size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] == 0) return true;
    if (sizes[i] > 1) dims.emplace_back(strides[i], sizes[i]);
  }
  std::sort(dims.begin(), dims.end());
  int64_t reach = 0;
  for (auto [stride, size] : dims) {
    if (stride <= reach) return false;
    reach += (size - 1) * stride;
  }
  return true;
}

int64_t max_index(IntArrayRef sizes, IntArrayRef strides, int64_t offset) {
  for (int64_t s : sizes)
    if (s == 0) return offset;
  for (size_t i = 0; i < sizes.size(); ++i) offset += (sizes[i] - 1) * strides[i];
  return offset;
}
}  // namespace

Tensor Tensor::as_strided(IntArrayRef size, IntArrayRef stride, std::optional<int64_t> offset) const {
  int64_t off = offset.value_or(storage_offset());
  Tensor out = ops::as_strided(*this, size, stride, off);
  if (!autograd::any_requires_grad({this})) return untracked_view(*this, std::move(out));
  // PyTorch's as_strided_backward: scatter the gradient into a buffer laid out like the shared storage
  // (adding where output elements share a location), then read the input's elements from it, each
  // location's sum split evenly among the input elements that share it.
  DimVector in_sizes(sizes()), in_strides(strides()), out_sizes(size), out_strides(stride);
  int64_t in_off = storage_offset();
  int64_t base = std::min(in_off, off);
  int64_t extent = std::max(max_index(in_sizes, in_strides, in_off), max_index(size, stride, off)) + 1 - base;
  const bool out_overlaps = !non_overlapping(size, stride), in_overlaps = !non_overlapping(sizes(), strides());
  return record_view("AsStridedBackward0", *this, out, [=](const Tensor& g) {
    const TensorOptions opts = TensorOptions(g.dtype()).device(g.device());
    auto locations = [&](IntArrayRef sz, IntArrayRef st, int64_t o) {
      return arange(extent, TensorOptions(kInt64).device(g.device())).as_strided(sz, st, o - base).reshape({-1});
    };
    Tensor buffer =
        out_overlaps
            ? zeros({extent}, opts).index_add(0, locations(out_sizes, out_strides, off), g.reshape({-1}))
            : view_scatter(g, {extent}, [=](const Tensor& t) { return t.as_strided(out_sizes, out_strides, off - base); });
    Tensor grad = buffer.as_strided(in_sizes, in_strides, in_off - base);
    if (!in_overlaps) return grad;
    Tensor in_locations = locations(in_sizes, in_strides, in_off);
    Tensor count = zeros({extent}, opts).index_add(0, in_locations, ones({in_locations.numel()}, opts));
    return grad / count.as_strided(in_sizes, in_strides, in_off - base);
  });
}

Tensor Tensor::expand(IntArrayRef size, bool) const {
  DimVector in(sizes());
  return record_view("ExpandBackward0", *this, ops::expand(*this, size),
                     [in](const Tensor& g) { return autograd::sum_to(g, in); });
}
Tensor Tensor::expand_as(const Tensor& other) const { return expand(other.sizes()); }

Tensor Tensor::transpose(int64_t d0, int64_t d1) const {
  return record_view("TransposeBackward0", *this, ops::transpose(*this, d0, d1),
                     [d0, d1](const Tensor& g) { return g.transpose(d0, d1); });
}
Tensor Tensor::swapaxes(int64_t a, int64_t b) const { return transpose(a, b); }
Tensor Tensor::swapdims(int64_t a, int64_t b) const { return transpose(a, b); }
Tensor swapaxes(const Tensor& self, int64_t a, int64_t b) { return self.transpose(a, b); }
Tensor swapdims(const Tensor& self, int64_t a, int64_t b) { return self.transpose(a, b); }

Tensor Tensor::t() const {
  EMBER_CHECK(dim() <= 2, "t() expects a tensor with <= 2 dimensions, but self is ", dim(), "D");
  return dim() < 2 ? record_view("TBackward0", *this, ops::make_view(*this, sizes(), strides(), storage_offset()),
                                 [](const Tensor& g) { return g; })
                   : transpose(0, 1);
}
// A 0-D tensor is its own (batched) transpose, as in PyTorch.
Tensor Tensor::mT() const {
  EMBER_CHECK(dim() >= 2 || dim() == 0, "tensor.mT is only supported on matrices or batches of matrices. Got ", dim(),
              "-D tensor.");
  return dim() == 0 ? transpose(0, 0) : transpose(-2, -1);
}
Tensor Tensor::mH() const {
  EMBER_CHECK(dim() >= 2 || dim() == 0, "tensor.mH is only supported on matrices or batches of matrices. Got ", dim(),
              "-D tensor.");
  return mT();
}
Tensor Tensor::adjoint() const {
  EMBER_CHECK(dim() >= 2 || dim() == 0, "tensor.adjoint() is only supported on matrices or batches of matrices. Got ",
              dim(), "-D tensor.");
  return mT();
}
Tensor adjoint(const Tensor& self) { return self.adjoint(); }

Tensor Tensor::numpy_T() const {
  DimVector reversed;
  for (int64_t d = dim() - 1; d >= 0; --d) reversed.push_back(d);
  return permute(reversed);
}
Tensor Tensor::matrix_H() const {
  EMBER_CHECK(dim() == 2 || dim() == 0, "tensor.H is only supported on matrices (2-D tensors). Got ", dim(),
              "-D tensor.", dim() > 2 ? " For batches of matrices, consider using tensor.mH" : "");
  return numpy_T();
}

Tensor Tensor::permute(IntArrayRef dims) const {
  Tensor out = ops::permute(*this, dims);
  DimVector inv(dims.size());
  for (size_t i = 0; i < dims.size(); ++i) inv[size_t(ops::maybe_wrap_dim(dims[i], dim()))] = int64_t(i);
  return record_view("PermuteBackward0", *this, out, [inv](const Tensor& g) { return g.permute(inv); });
}

Tensor Tensor::squeeze() const {
  DimVector in(sizes());
  return record_view("SqueezeBackward0", *this, ops::squeeze(*this, std::nullopt),
                     [in](const Tensor& g) { return g.reshape(in); });
}
Tensor Tensor::squeeze(int64_t d) const {
  DimVector in(sizes());
  return record_view("SqueezeBackward1", *this, ops::squeeze(*this, d), [in](const Tensor& g) { return g.reshape(in); });
}
Tensor Tensor::squeeze(IntArrayRef dims) const {
  DimVector in(sizes());
  return record_view("SqueezeBackward2", *this, ops::squeeze_dims(*this, dims),
                     [in](const Tensor& g) { return g.reshape(in); });
}
Tensor squeeze(const Tensor& self, IntArrayRef dims) { return self.squeeze(dims); }

Tensor Tensor::unsqueeze(int64_t d) const {
  int64_t w = ops::maybe_wrap_dim(d, dim() + 1);
  return record_view("UnsqueezeBackward0", *this, ops::unsqueeze(*this, d), [w](const Tensor& g) { return g.squeeze(w); });
}

Tensor Tensor::slice(int64_t d, std::optional<int64_t> start, std::optional<int64_t> end, int64_t step) const {
  Tensor out = ops::slice(*this, d, start, end, step);
  if (!autograd::any_requires_grad({this})) return untracked_view(*this, std::move(out));
  // The backward re-applies the slice with the bounds as given: slicing a tensor of the base's shape
  // clamps them the same way.
  int64_t w = ops::maybe_wrap_dim(d, dim());
  DimVector in(sizes());
  return record_view("SliceBackward0", *this, out, [=](const Tensor& g) {
    return view_scatter(g, in, [=](const Tensor& t) { return t.slice(w, start, end, step); });
  });
}
Tensor slice(const Tensor& self, int64_t dim, std::optional<int64_t> start, std::optional<int64_t> end, int64_t step) {
  return self.slice(dim, start, end, step);
}

Tensor Tensor::narrow(int64_t d, int64_t start, int64_t length) const {
  int64_t s = ops::narrow_start(*this, d, start, length);
  return slice(d, s, s + length, 1);
}
Tensor Tensor::narrow(int64_t d, const Tensor& start, int64_t length) const {
  EMBER_CHECK(start.dim() == 0 && is_integral(start.dtype(), false), "start must be an 0-dim integral Tensor.");
  return narrow(d, start.item<int64_t>(), length);
}
Tensor narrow(const Tensor& self, int64_t dim, int64_t start, int64_t length) { return self.narrow(dim, start, length); }
Tensor narrow(const Tensor& self, int64_t dim, const Tensor& start, int64_t length) {
  return self.narrow(dim, start, length);
}

Tensor Tensor::select(int64_t d, int64_t index) const {
  Tensor out = ops::select(*this, d, index);
  int64_t w = ops::maybe_wrap_dim(d, dim());
  int64_t i = index < 0 ? index + size(w) : index;
  DimVector in(sizes());
  return record_view("SelectBackward0", *this, out, [=](const Tensor& g) {
    return view_scatter(g, in, [=](const Tensor& t) { return t.select(w, i); });
  });
}
Tensor select(const Tensor& self, int64_t dim, int64_t index) { return self.select(dim, index); }

Tensor Tensor::diagonal(int64_t offset, int64_t d1, int64_t d2) const {
  DimVector in(sizes());
  return record_view("DiagonalBackward0", *this, ops::diagonal(*this, offset, d1, d2), [=](const Tensor& g) {
    return view_scatter(g, in, [=](const Tensor& t) { return t.diagonal(offset, d1, d2); });
  });
}
Tensor diagonal(const Tensor& self, int64_t offset, int64_t d1, int64_t d2) { return self.diagonal(offset, d1, d2); }

Tensor Tensor::unfold(int64_t d, int64_t size, int64_t step) const {
  Tensor out = ops::unfold(*this, d, size, step);
  DimVector in(sizes());
  if (dim() == 0)
    return record_view("UnfoldBackward0", *this, out, [in](const Tensor& g) { return g.reshape(in); });
  int64_t w = ops::maybe_wrap_dim(d, dim());
  int64_t windows = out.size(w);
  return record_view("UnfoldBackward0", *this, out, [=](const Tensor& g) {
    if (step >= size)  // windows do not overlap: every input element is read at most once
      return view_scatter(g, in, [=](const Tensor& t) { return t.unfold(w, size, step); });
    // Overlapping windows: element j of every window is the strided slice starting at j; sum them.
    Tensor acc = zeros(in, TensorOptions(g.dtype()).device(g.device()));
    for (int64_t j = 0; j < size; ++j)
      acc = acc + view_scatter(g.select(-1, j), in, [=](const Tensor& t) {
              return t.slice(w, j, j + (windows - 1) * step + 1, step);
            });
    return acc;
  });
}

}  // namespace ember
