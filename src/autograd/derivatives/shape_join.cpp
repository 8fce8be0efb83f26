// cat and the ops built on it (stack, hstack/vstack/dstack/column_stack), flip and the rotations built on it.
// cat and flip record their own backward; the others are compositions of public differentiable ops.
#include <ember/autocast.h>
#include "autograd/derivatives/shape_record.h"

namespace ember {

Tensor cat(ArrayRef<Tensor> tensors, int64_t dim) {
  EMBER_AUTOCAST("cat", cat, tensors, dim);
  Tensor out = ops::cat(tensors, dim);
  int64_t w = ops::cat_dim(tensors, dim);
  std::vector<DimVector> sizes;
  std::vector<DType> dtypes;
  for (const Tensor& t : tensors) {
    sizes.emplace_back(t.sizes());
    dtypes.push_back(t.dtype());
  }
  shape_autograd::record_from_list("CatBackward0", out, tensors, [w, sizes, dtypes](const Tensor& g) {
    tensor_list grads;
    int64_t offset = 0;
    for (size_t i = 0; i < sizes.size(); ++i) {
      if (sizes[i].size() == 1 && sizes[i][0] == 0) {  // a legacy empty input cat skipped
        grads.push_back(is_floating_point(dtypes[i]) ? zeros(sizes[i], TensorOptions(dtypes[i]).device(g.device()))
                                                     : Tensor());
        continue;
      }
      int64_t n = sizes[i][size_t(w)];
      Tensor gi = g.narrow(w, offset, n);
      grads.push_back(is_floating_point(dtypes[i]) ? gi.to(dtypes[i]) : Tensor());
      offset += n;
    }
    return grads;
  });
  return out;
}
Tensor concat(ArrayRef<Tensor> tensors, int64_t dim) { return cat(tensors, dim); }
Tensor concatenate(ArrayRef<Tensor> tensors, int64_t dim) { return cat(tensors, dim); }

Tensor stack(ArrayRef<Tensor> tensors, int64_t dim) {
  EMBER_AUTOCAST("stack", stack, tensors, dim);
  EMBER_CHECK(!tensors.empty(), "stack expects a non-empty TensorList");
  for (size_t i = 1; i < tensors.size(); ++i)
    EMBER_CHECK(tensors[i].sizes().equals(tensors[0].sizes()), "stack expects each tensor to be equal size, but got ",
                tensors[0].sizes(), " at entry 0 and ", tensors[i].sizes(), " at entry ", i);
  int64_t w = ops::maybe_wrap_dim(dim, tensors[0].dim() + 1);
  std::vector<Tensor> parts;
  for (const Tensor& t : tensors) parts.push_back(t.unsqueeze(w));
  return cat(parts, w);
}

Tensor hstack(ArrayRef<Tensor> tensors) {
  EMBER_CHECK(!tensors.empty(), "hstack expects a non-empty TensorList");
  std::vector<Tensor> parts = atleast_1d(tensors);
  return cat(parts, parts[0].dim() == 1 ? 0 : 1);
}
Tensor vstack(ArrayRef<Tensor> tensors) {
  EMBER_CHECK(!tensors.empty(), "vstack expects a non-empty TensorList");
  return cat(atleast_2d(tensors), 0);
}
Tensor dstack(ArrayRef<Tensor> tensors) {
  EMBER_CHECK(!tensors.empty(), "dstack expects a non-empty TensorList");
  return cat(atleast_3d(tensors), 2);
}
Tensor column_stack(ArrayRef<Tensor> tensors) {
  EMBER_CHECK(!tensors.empty(), "column_stack expects a non-empty TensorList");
  std::vector<Tensor> columns;
  for (const Tensor& t : tensors) columns.push_back(t.dim() <= 1 ? t.reshape({t.numel(), 1}) : t);
  return hstack(columns);
}
Tensor row_stack(ArrayRef<Tensor> tensors) { return vstack(tensors); }

Tensor Tensor::flip(IntArrayRef dims) const {
  Tensor out = ops::flip(*this, dims);
  if (autograd::any_requires_grad({this})) {
    DimVector d(dims);
    autograd::record("FlipBackward0", {&out}, {this},
                     [d](autograd::Node&, const tensor_list& g) -> tensor_list { return {g[0].flip(d)}; });
  }
  return out;
}
Tensor flip(const Tensor& self, IntArrayRef dims) { return self.flip(dims); }
Tensor Tensor::fliplr() const {
  EMBER_CHECK(dim() >= 2, "Input must be >= 2-d.");
  return flip({1});
}
Tensor Tensor::flipud() const {
  EMBER_CHECK(dim() >= 1, "Input must be >= 1-d.");
  return flip({0});
}
Tensor fliplr(const Tensor& self) { return self.fliplr(); }
Tensor flipud(const Tensor& self) { return self.flipud(); }

Tensor Tensor::rot90(int64_t k, IntArrayRef dims) const {
  EMBER_CHECK(dims.size() == 2, "expected total rotation dims == 2, but got dims = ", dims.size());
  EMBER_CHECK(dim() >= 2, "expected total dims >= 2, but got total dims = ", dim());
  EMBER_CHECK(dims[0] != dims[1] && std::abs(dims[0] - dims[1]) != dim(),
              "expected rotation dims to be different, but got dim0 = ", dims[0], " and dim1 = ", dims[1]);
  int64_t d0 = ops::maybe_wrap_dim(dims[0], dim()), d1 = ops::maybe_wrap_dim(dims[1], dim());
  switch (((k % 4) + 4) % 4) {
    case 1:
      return flip({d1}).transpose(d0, d1);
    case 2:
      return flip({d0, d1});
    case 3:
      return flip({d0}).transpose(d0, d1);
    default:
      return clone();
  }
}
Tensor rot90(const Tensor& self, int64_t k, IntArrayRef dims) { return self.rot90(k, dims); }

Tensor Tensor::roll(IntArrayRef shifts, IntArrayRef dims) const {
  EMBER_CHECK(!shifts.empty(), "`shifts` required");
  if (dims.empty() && shifts.size() == 1) return flatten().roll(shifts, {0}).view(sizes());
  EMBER_CHECK(shifts.size() == dims.size(), "shifts and dimensions must align. shifts: ", shifts.size(),
              ", dims:", dims.size());
  DimVector wrapped;
  for (int64_t d : dims) wrapped.push_back(ops::maybe_wrap_dim(d, dim()));
  // Each rolled dim is the tail moved in front of the head: two slices joined by cat.
  Tensor result = *this;
  for (size_t i = 0; i < wrapped.size(); ++i) {
    int64_t d = wrapped[i], n = size(d);
    if (n == 0) continue;
    int64_t s = ((shifts[i] % n) + n) % n;
    if (s == 0) continue;
    result = cat({result.narrow(d, n - s, s), result.narrow(d, 0, n - s)}, d);
  }
  return result.is_same(*this) ? clone() : result;
}
Tensor roll(const Tensor& self, IntArrayRef shifts, IntArrayRef dims) { return self.roll(shifts, dims); }

}  // namespace ember
