// Views composed from other public views, so their gradients come from those: flatten/unflatten
// (reshape/view), movedim (permute), atleast_nd and meshgrid (reshape, unsqueeze, expand), and
// cartesian_prod (meshgrid + stack).
#include "autograd/derivatives/shape_record.h"

namespace ember {

Tensor Tensor::flatten(int64_t start_dim, int64_t end_dim) const {
  int64_t s = ops::maybe_wrap_dim(start_dim, dim()), e = ops::maybe_wrap_dim(end_dim, dim());
  EMBER_CHECK(s <= e, "flatten() has invalid args: start_dim cannot come after end_dim");
  if (dim() == 0) return reshape({1});
  if (s == e) return *this;
  DimVector shape;
  int64_t merged = 1;
  for (int64_t d = 0; d < dim(); ++d) {
    if (d < s || d > e) shape.push_back(size(d));
    else merged *= size(d);
    if (d == e) shape.push_back(merged);
  }
  return reshape(shape);
}
Tensor flatten(const Tensor& self, int64_t start_dim, int64_t end_dim) { return self.flatten(start_dim, end_dim); }

Tensor Tensor::unflatten(int64_t d, IntArrayRef sizes) const {
  int64_t w = ops::maybe_wrap_dim(d, dim());
  EMBER_CHECK(!sizes.empty(), "unflatten: sizes must be non-empty");
  int64_t n = size(w);
  bool infers = std::find(sizes.begin(), sizes.end(), -1) != sizes.end();
  if (!infers) {
    int64_t prod = 1;
    for (int64_t s : sizes) prod *= s;
    EMBER_CHECK(prod == n, "unflatten: Provided sizes ", sizes, " don't multiply up to the size of dim ", w, " (", n,
                ") in the input tensor");
  }
  DimVector inner = ops::infer_size(sizes, n);
  DimVector shape;
  for (int64_t i = 0; i < dim(); ++i) {
    if (i != w) shape.push_back(size(i));
    else
      for (int64_t s : inner) shape.push_back(s);
  }
  return view(shape);
}
Tensor unflatten(const Tensor& self, int64_t dim, IntArrayRef sizes) { return self.unflatten(dim, sizes); }

Tensor Tensor::movedim(IntArrayRef src, IntArrayRef dst) const { return permute(ops::movedim_perm(dim(), src, dst)); }
Tensor Tensor::movedim(int64_t src, int64_t dst) const { return movedim(IntArrayRef(src), IntArrayRef(dst)); }
Tensor Tensor::moveaxis(IntArrayRef src, IntArrayRef dst) const { return movedim(src, dst); }
Tensor Tensor::moveaxis(int64_t src, int64_t dst) const { return movedim(src, dst); }
Tensor movedim(const Tensor& self, int64_t src, int64_t dst) { return self.movedim(src, dst); }
Tensor movedim(const Tensor& self, IntArrayRef src, IntArrayRef dst) { return self.movedim(src, dst); }
Tensor moveaxis(const Tensor& self, int64_t src, int64_t dst) { return self.movedim(src, dst); }
Tensor moveaxis(const Tensor& self, IntArrayRef src, IntArrayRef dst) { return self.movedim(src, dst); }

Tensor atleast_1d(const Tensor& self) { return self.dim() == 0 ? self.reshape({1}) : self; }
Tensor atleast_2d(const Tensor& self) {
  if (self.dim() == 0) return self.reshape({1, 1});
  return self.dim() == 1 ? self.unsqueeze(0) : self;
}
Tensor atleast_3d(const Tensor& self) {
  switch (self.dim()) {
    case 0:
      return self.reshape({1, 1, 1});
    case 1:
      return self.unsqueeze(0).unsqueeze(-1);
    case 2:
      return self.unsqueeze(-1);
    default:
      return self;
  }
}

namespace {
template <class F>
std::vector<Tensor> map_tensors(ArrayRef<Tensor> tensors, F f) {
  std::vector<Tensor> out;
  for (const Tensor& t : tensors) out.push_back(f(t));
  return out;
}
}  // namespace
std::vector<Tensor> atleast_1d(ArrayRef<Tensor> ts) { return map_tensors(ts, [](const Tensor& t) { return atleast_1d(t); }); }
std::vector<Tensor> atleast_2d(ArrayRef<Tensor> ts) { return map_tensors(ts, [](const Tensor& t) { return atleast_2d(t); }); }
std::vector<Tensor> atleast_3d(ArrayRef<Tensor> ts) { return map_tensors(ts, [](const Tensor& t) { return atleast_3d(t); }); }

std::vector<Tensor> meshgrid(ArrayRef<Tensor> tensors, std::string_view indexing) {
  EMBER_CHECK(!tensors.empty(), "meshgrid expects a non-empty TensorList");
  for (const Tensor& t : tensors) {
    EMBER_CHECK(t.dim() <= 1, "torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got a tensor of shape ",
                t.sizes());
    EMBER_CHECK(t.dtype() == tensors[0].dtype(), "meshgrid expects all tensors to have the same dtype");
    ops::check_same_device("meshgrid", tensors[0], t);
  }
  EMBER_CHECK(indexing == "ij" || indexing == "xy",
              "torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: ", indexing);
  std::vector<Tensor> in(tensors.begin(), tensors.end());
  // "xy" is "ij" with the first two inputs, and so the first two outputs, swapped.
  bool swap = indexing == "xy" && in.size() >= 2;
  if (swap) std::swap(in[0], in[1]);
  DimVector shape;
  for (const Tensor& t : in) shape.push_back(t.numel());
  std::vector<Tensor> out;
  for (size_t i = 0; i < in.size(); ++i) {
    DimVector view_shape(in.size(), 1);
    view_shape[i] = -1;
    out.push_back(in[i].reshape(view_shape).expand(shape));
  }
  if (swap) std::swap(out[0], out[1]);
  return out;
}

Tensor cartesian_prod(ArrayRef<Tensor> tensors) {
  for (const Tensor& t : tensors) EMBER_CHECK(t.dim() == 1, "Expect a 1D vector, but got shape ", t.sizes());
  if (tensors.size() == 1) return tensors[0];
  std::vector<Tensor> grids = meshgrid(tensors, "ij");
  for (Tensor& g : grids) g = g.flatten();
  return stack(grids, 1);
}

}  // namespace ember
