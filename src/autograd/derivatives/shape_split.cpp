// split, chunk, unbind and tensor_split (and hsplit/vsplit/dsplit on it): several views of one tensor made
// by one node, whose backward joins the gradients of the pieces (cat, or stack for unbind) so it costs one
// pass over the input.
#include "autograd/derivatives/shape_record.h"

namespace ember {

namespace {
// Views of `self` cut along `dim` at the given piece sizes, recorded on one node.
std::vector<Tensor> split_views(const Tensor& self, IntArrayRef sizes, int64_t dim, const char* name) {
  int64_t w = ops::maybe_wrap_dim(dim, self.dim());
  std::vector<Tensor> outs;
  int64_t start = 0;
  for (int64_t s : sizes) {
    outs.push_back(ops::slice(self, w, start, start + s, 1));
    start += s;
  }
  shape_autograd::record_multi_view(name, self, outs, [w](const tensor_list& g) { return cat(g, w); });
  return outs;
}
}  // namespace

std::vector<Tensor> Tensor::split(int64_t split_size, int64_t dim) const {
  return split_views(*this, ops::split_sizes(*this, split_size, dim), dim, "SplitBackward0");
}
std::vector<Tensor> Tensor::split_with_sizes(IntArrayRef sizes, int64_t dim) const {
  ops::check_split_with_sizes(*this, sizes, dim);
  return split_views(*this, sizes, dim, "SplitWithSizesBackward0");
}
std::vector<Tensor> Tensor::split(IntArrayRef sizes, int64_t dim) const { return split_with_sizes(sizes, dim); }
std::vector<Tensor> Tensor::chunk(int64_t chunks, int64_t dim) const {
  return split_views(*this, ops::chunk_sizes(*this, chunks, dim), dim, "SplitBackward0");
}

std::vector<Tensor> Tensor::unbind(int64_t dim) const {
  EMBER_CHECK_INDEX(this->dim() > 0, "Dimension specified as ", dim, " but tensor has no dimensions");
  int64_t w = ops::maybe_wrap_dim(dim, this->dim());
  std::vector<Tensor> outs;
  for (int64_t i = 0; i < size(w); ++i) outs.push_back(ops::select(*this, w, i));
  shape_autograd::record_multi_view("UnbindBackward0", *this, outs, [w](const tensor_list& g) {
    return stack(g, w);
  });
  return outs;
}

std::vector<Tensor> Tensor::tensor_split(int64_t sections, int64_t dim) const {
  EMBER_CHECK(this->dim() > 0, "tensor_split expected at least a 1-dimensional tensor, but got a tensor with ",
              this->dim(), " dims");
  EMBER_CHECK(sections > 0, "number of sections must be larger than 0, got ", sections);
  int64_t n = size(dim);
  std::vector<int64_t> sizes;
  for (int64_t i = 0; i < sections; ++i) sizes.push_back(n / sections + (i < n % sections ? 1 : 0));
  return split_views(*this, sizes, dim, "SplitWithSizesBackward0");
}

std::vector<Tensor> Tensor::tensor_split(IntArrayRef indices, int64_t dim) const {
  EMBER_CHECK(this->dim() > 0, "tensor_split expected at least a 1-dimensional tensor, but got a tensor with ",
              this->dim(), " dims");
  // Each piece is slice(start, index) with slice's clamping, so out-of-order or out-of-range indices
  // give empty pieces as in PyTorch; the pieces then need not tile the input, so each records its own
  // slice node.
  std::vector<Tensor> outs;
  int64_t start = 0;
  for (int64_t idx : indices) {
    outs.push_back(slice(dim, start, idx, 1));
    start = idx;
  }
  outs.push_back(slice(dim, start, std::nullopt, 1));
  return outs;
}

std::vector<Tensor> Tensor::tensor_split(const Tensor& t, int64_t dim) const {
  EMBER_CHECK(t.dtype() == kInt64, "tensor_split expected tensor_indices_or_sections to have dtype of long, but got ",
              dtype_title(t.dtype()));
  EMBER_CHECK(t.dim() <= 1,
              "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or one-dimensional tensor, but got "
              "a tensor with ", t.dim(), " dims");
  if (t.dim() == 0) return tensor_split(t.item<int64_t>(), dim);
  Tensor c = t.cpu().contiguous();
  return tensor_split(IntArrayRef(c.data_ptr<int64_t>(), size_t(c.numel())), dim);
}

namespace {
// hsplit/vsplit/dsplit: tensor_split along `dim` of a tensor of at least `min_dims` dims.
void check_dims_for(const char* name, const Tensor& self, int64_t min_dims) {
  EMBER_CHECK(self.dim() >= min_dims, "torch.", name, " requires a tensor with at least ", min_dims,
              " dimension, but got a tensor with ", self.dim(), " dimensions!");
}
std::vector<Tensor> split_sections(const char* name, const Tensor& self, int64_t min_dims, int64_t dim,
                                   int64_t sections) {
  check_dims_for(name, self, min_dims);
  int64_t n = self.size(dim);
  EMBER_CHECK(sections != 0 && n % sections == 0, "torch.", name, " attempted to split along dimension ", dim,
              ", but the size of the dimension ", n, " is not divisible by the split_size ", sections, "!");
  return self.tensor_split(sections, dim);
}
std::vector<Tensor> split_indices(const char* name, const Tensor& self, int64_t min_dims, int64_t dim,
                                  IntArrayRef indices) {
  check_dims_for(name, self, min_dims);
  return self.tensor_split(indices, dim);
}
}  // namespace

std::vector<Tensor> Tensor::hsplit(int64_t sections) const {
  return split_sections("hsplit", *this, 1, dim() == 1 ? 0 : 1, sections);
}
std::vector<Tensor> Tensor::hsplit(IntArrayRef indices) const {
  return split_indices("hsplit", *this, 1, dim() == 1 ? 0 : 1, indices);
}
std::vector<Tensor> Tensor::vsplit(int64_t sections) const { return split_sections("vsplit", *this, 2, 0, sections); }
std::vector<Tensor> Tensor::vsplit(IntArrayRef indices) const { return split_indices("vsplit", *this, 2, 0, indices); }
std::vector<Tensor> Tensor::dsplit(int64_t sections) const { return split_sections("dsplit", *this, 3, 2, sections); }
std::vector<Tensor> Tensor::dsplit(IntArrayRef indices) const { return split_indices("dsplit", *this, 3, 2, indices); }

std::vector<Tensor> split(const Tensor& self, int64_t split_size, int64_t dim) { return self.split(split_size, dim); }
std::vector<Tensor> split(const Tensor& self, IntArrayRef sizes, int64_t dim) { return self.split(sizes, dim); }
std::vector<Tensor> split_with_sizes(const Tensor& self, IntArrayRef sizes, int64_t dim) {
  return self.split_with_sizes(sizes, dim);
}
std::vector<Tensor> chunk(const Tensor& self, int64_t chunks, int64_t dim) { return self.chunk(chunks, dim); }
std::vector<Tensor> unbind(const Tensor& self, int64_t dim) { return self.unbind(dim); }
std::vector<Tensor> tensor_split(const Tensor& self, int64_t sections, int64_t dim) {
  return self.tensor_split(sections, dim);
}
std::vector<Tensor> tensor_split(const Tensor& self, IntArrayRef indices, int64_t dim) {
  return self.tensor_split(indices, dim);
}
std::vector<Tensor> tensor_split(const Tensor& self, const Tensor& t, int64_t dim) { return self.tensor_split(t, dim); }
std::vector<Tensor> hsplit(const Tensor& self, int64_t sections) { return self.hsplit(sections); }
std::vector<Tensor> hsplit(const Tensor& self, IntArrayRef indices) { return self.hsplit(indices); }
std::vector<Tensor> vsplit(const Tensor& self, int64_t sections) { return self.vsplit(sections); }
std::vector<Tensor> vsplit(const Tensor& self, IntArrayRef indices) { return self.vsplit(indices); }
std::vector<Tensor> dsplit(const Tensor& self, int64_t sections) { return self.dsplit(sections); }
std::vector<Tensor> dsplit(const Tensor& self, IntArrayRef indices) { return self.dsplit(indices); }

}  // namespace ember
