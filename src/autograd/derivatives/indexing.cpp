// libtorch's indexing syntax: t.index({...}), t.index_put_({...}, v) and t[i]. Basic indices (ints,
// slices, None, Ellipsis, bools) become views, in order, as PyTorch's applySlicing does; tensor indices
// are collected for one advanced-indexing call on the sliced view.
#include <ember/ops/factory.h>
#include <ember/ops/index.h>
#include <ember/ops/indexing.h>

#include "autograd/derivatives/shape_record.h"
#include "autograd/record.h"
#include "ops/index.h"

namespace ember {

using indexing::TensorIndex;

namespace {

using shape_autograd::record_view;

// Views whose backward puts the gradient back into zeros of the input's shape with index_copy, so the
// backward is itself differentiable.
Tensor slice_view(const Tensor& self, int64_t dim, int64_t start, int64_t length, int64_t step) {
  return record_view("SliceBackward0", self, ops::slice_by_length(self, dim, start, length, step),
                     [sizes = DimVector(self.sizes()), dim, start, length, step](const Tensor& g) {
                       return zeros(sizes, g.options())
                           .index_copy(dim, ops::arange_index(start, length, step, g.device()), g);
                     });
}

Tensor select_view(const Tensor& self, int64_t dim, int64_t index, int64_t real_dim) {
  Tensor out = ops::select(self, dim, index, real_dim);
  int64_t i = index < 0 ? index + self.size(dim) : index;
  return record_view("SelectBackward0", self, out, [sizes = DimVector(self.sizes()), dim, i](const Tensor& g) {
    return zeros(sizes, g.options()).index_copy(dim, ops::arange_index(i, 1, 1, g.device()), g.unsqueeze(dim));
  });
}

Tensor alias_view(const Tensor& self) {
  return record_view("AliasBackward0", self, ops::make_view(self, self.sizes(), self.strides(), self.storage_offset()),
                     [](const Tensor& g) { return g; });
}

bool is_mask(const Tensor& t) { return t.dtype() == kBool || t.dtype() == kUInt8; }

// A bool index: a new dim of size 1, indexed by [0] (true) or [] (false).
Tensor bool_index(bool b) { return ops::arange_index(0, b ? 1 : 0, 1, Device(kCPU)); }

struct Sliced {
  Tensor result;
  OptionalTensorList tensor_indices;
};

Sliced apply_slicing(const Tensor& self, ArrayRef<TensorIndex> indices) {
  int64_t specified = 0;
  for (const TensorIndex& i : indices) {
    if (i.is_integer() || i.is_slice()) ++specified;
    if (i.is_tensor() && i.tensor().defined()) {
      const Tensor& t = i.tensor();
      specified += is_mask(t) ? t.dim() : 1;
    }
  }
  // PyTorch's single-integer and single-slice fast paths report these before counting indices.
  if (self.dim() == 0 && indices.size() == 1 && indices[0].is_integer()) ops::select(self, 0, indices[0].integer(), 0);
  EMBER_CHECK_INDEX(self.dim() > 0 || indices.size() != 1 || !indices[0].is_slice(),
                    "slice() cannot be applied to a 0-dim tensor.");
  EMBER_CHECK_INDEX(specified <= self.dim(), "too many indices for tensor of dimension ", self.dim());
  Sliced s{self, {}};
  // Errors name the dim by the index's position in the list, as PyTorch's applySlicing does.
  int64_t dim = 0, position = -1;
  auto record_index = [&](const Tensor& t) {
    s.tensor_indices.resize(size_t(dim + 1));
    s.tensor_indices[size_t(dim)] = t;
    ++dim;
  };
  for (const TensorIndex& i : indices) {
    ++position;
    switch (i.kind()) {
      case TensorIndex::Kind::None:
        s.result = s.result.unsqueeze(dim++);
        break;
      case TensorIndex::Kind::Ellipsis:
        dim += self.dim() - specified;
        break;
      case TensorIndex::Kind::Integer:
        s.result = select_view(s.result, dim, i.integer(), position);
        break;
      case TensorIndex::Kind::Slice: {
        auto [start, len] = ops::slice_bounds(s.result.size(dim), i.slice().start(), i.slice().stop(), i.slice().step());
        s.result = slice_view(s.result, dim++, start, len, i.slice().step());
        break;
      }
      case TensorIndex::Kind::Boolean:
        s.result = s.result.unsqueeze(dim);
        record_index(bool_index(i.boolean()));
        break;
      case TensorIndex::Kind::Tensor: {
        const Tensor& t = i.tensor();
        if (!t.defined()) {
          s.result = s.result.unsqueeze(dim++);
        } else if (t.dim() == 0 && is_integral(t.dtype(), true) && !is_mask(t)) {
          s.result = select_view(s.result, dim, t.item<int64_t>(), position);
        } else if (t.dim() == 0 && is_mask(t)) {
          s.result = s.result.unsqueeze(dim);
          record_index(bool_index(t.item<bool>()));
        } else {
          record_index(t);
        }
        break;
      }
    }
  }
  return s;
}

// Leading size-1 dims of a value are dropped before it is broadcast into the indexed region (PyTorch's
// slicePrefix1sDims), so x[0] = ones({1, 3}) works on a (2, 3) tensor.
Tensor strip_leading_ones(const Tensor& v) {
  int64_t k = 0;
  while (k < v.dim() && v.size(k) == 1) ++k;
  if (k == 0) return v;
  DimVector sizes, strides;
  for (int64_t d = k; d < v.dim(); ++d) {
    sizes.push_back(v.size(d));
    strides.push_back(v.stride(d));
  }
  return ops::make_view(v, sizes, strides, v.storage_offset());
}

// PyTorch's copy_to: the value is broadcast into a view, except that a 0-dim value of another shape fills it
// through the checked conversion of its number.
void copy_to(Tensor region, const Tensor& value) {
  if (region.sizes().equals(value.sizes())) ops::copy_(region, value);
  else if (value.dim() == 0 && value.is_cpu()) {
    ops::check_convertible(value.item(), region.dtype());
    ops::fill_(region, value.item());
  }
  else ops::copy_(region, ops::expand(strip_leading_ones(value), region.sizes()));
}

// index_put_ without autograd: writes `value` into `self` at `indices`, checking everything first. As in
// PyTorch's set_item, a lone bool is basic indexing too: true writes into self.unsqueeze(0), false writes
// nothing.
void put_values(Tensor& self, ArrayRef<TensorIndex> indices, const Tensor& value) {
  NoGradGuard ng;
  if (indices.size() == 1 && indices[0].is_boolean()) {
    if (indices[0].boolean()) copy_to(self.unsqueeze(0), value);
    return;
  }
  Sliced s = apply_slicing(self, indices);
  if (s.tensor_indices.empty()) copy_to(s.result, value);
  else ops::index_put_(s.result, s.tensor_indices, strip_leading_ones(value), false);
}

// The out-of-place form of index_put_ with the indexing syntax, as the op autograd records.
Tensor index_put_functional(const Tensor& self, const std::vector<TensorIndex>& indices, const Tensor& value) {
  Tensor out = ops::clone(self);
  put_values(out, indices, value);
  if (autograd::any_requires_grad({&self, &value}))
    autograd::record("IndexPutBackward0", {&out}, {&self, &value},
                     [indices, vsizes = DimVector(value.sizes()), stripped = DimVector(strip_leading_ones(value).sizes())](
                         autograd::Node& n, const tensor_list& g) -> tensor_list {
                       tensor_list r(2);
                       if (n.should_compute_output(0))
                         r[0] = index_put_functional(g[0], indices, zeros({}, TensorOptions(g[0].dtype())));
                       if (n.should_compute_output(1))
                         r[1] = autograd::sum_to(g[0].index(indices), stripped).reshape(vsizes);
                       return r;
                     });
  return out;
}

}  // namespace

Tensor Tensor::index(ArrayRef<TensorIndex> indices) const {
  EMBER_CHECK(!indices.empty(), "Passing an empty index list to Tensor::index() is not valid syntax");
  Sliced s = apply_slicing(*this, indices);
  if (!s.tensor_indices.empty()) return ember::index(s.result, s.tensor_indices);
  return s.result.is_same(*this) ? alias_view(*this) : s.result;
}

Tensor Tensor::index(std::initializer_list<TensorIndex> indices) const {
  return index(ArrayRef<TensorIndex>(indices.begin(), indices.size()));
}

Tensor& Tensor::index_put_(ArrayRef<TensorIndex> indices, const Tensor& v) {
  EMBER_CHECK(!indices.empty(), "Passing an empty index list to Tensor::index_put_() is not valid syntax");
  std::vector<TensorIndex> list(indices.begin(), indices.end());
  return autograd::inplace(
      *this, GradMode::is_enabled() && v.requires_grad(),
      [&](const Tensor& s) { return index_put_functional(s, list, v); },
      [&](Tensor& s) { put_values(s, list, v); });
}

Tensor& Tensor::index_put_(ArrayRef<TensorIndex> indices, const Scalar& v) {
  ops::check_convertible(v, dtype());
  return index_put_(indices, ops::scalar_tensor(v, dtype(), device()));
}
Tensor& Tensor::index_put_(std::initializer_list<TensorIndex> indices, const Tensor& v) {
  return index_put_(ArrayRef<TensorIndex>(indices.begin(), indices.size()), v);
}
Tensor& Tensor::index_put_(std::initializer_list<TensorIndex> indices, const Scalar& v) {
  return index_put_(ArrayRef<TensorIndex>(indices.begin(), indices.size()), v);
}

Tensor Tensor::operator[](int64_t i) const { return select_view(*this, 0, i, 0); }

}  // namespace ember
