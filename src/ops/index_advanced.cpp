// Advanced indexing (aten::index / index_put_ with a list of optional index tensors), masks, nonzero,
// take and one_hot. An advanced index becomes one offsets tensor of the result's shape: the walk over
// the dims that are not indexed plus, for every index tensor, its values times its dim's stride.
#include <algorithm>

#include "dispatch/registry.h"
#include "dispatch/tensor_iterator.h"
#include "ops/index.h"
#include "ops/layout.h"
#include "ops/pointwise_ops.h"

namespace ember::ops {

Tensor nonzero(const Tensor& self) {
  static auto& k = dispatch::slot("index_nonzero");
  return dispatch::kernel<dispatch::IndexNonzeroKernel>(k, self.device().type())(contiguous(self));
}

namespace {

// Column `j` of an (n, k) int64 coordinates tensor, as a 1-dim view.
Tensor column(const Tensor& coords, int64_t j) {
  return make_view(coords, {coords.size(0)}, {coords.dim() > 1 ? coords.stride(0) : 1}, coords.storage_offset() + j);
}

struct AdvancedIndex {
  Tensor src;       // self, with the indexed dims moved to the front when the index tensors are not adjacent
  Tensor offsets;   // int64, the result's shape: element offsets from src's data pointer
};

// A mask indexing self's dims from `start` on must have their sizes.
void check_mask_shape(const Tensor& self, const Tensor& mask, int64_t start) {
  EMBER_CHECK_INDEX(start + mask.dim() <= self.dim(), "too many indices for tensor of dimension ", self.dim(), " (got ",
                    start + mask.dim(), ")");
  for (int64_t j = 0; j < mask.dim(); ++j)
    EMBER_CHECK_INDEX(mask.size(j) == self.size(start + j), "The shape of the mask ", mask.sizes(), " at index ", j,
                      " does not match the shape of the indexed tensor ", self.sizes(), " at index ", start + j);
}

AdvancedIndex make_advanced_index(const Tensor& self, const OptionalTensorList& indices) {
  EMBER_CHECK_INDEX(int64_t(indices.size()) <= self.dim(), "too many indices for tensor of dimension ", self.dim(),
                    " (got ", indices.size(), ")");
  // Masks become one int64 index tensor per dim they cover.
  std::vector<Tensor> expanded;
  for (const auto& opt : indices) {
    if (!opt || !opt->defined()) {
      expanded.emplace_back();
      continue;
    }
    const Tensor& t = *opt;
    // Indices on the CPU index a tensor anywhere (they are copied over); others must be on its device.
    EMBER_CHECK(t.device() == self.device() || t.device().type() == kCPU,
                "indices should be either on cpu or on the same device as the indexed tensor (", self.device(), ")");
    if (t.dtype() == kBool || t.dtype() == kUInt8) {
      // PyTorch asserts internally here; Tensor::index({mask}) handles a 0-dim mask by adding a dim.
      EMBER_CHECK_INDEX(t.dim() > 0, "index(): a 0-dim bool index tensor needs the indexing syntax, t.index({mask})");
      check_mask_shape(self, t, int64_t(expanded.size()));
      Tensor coords = ops::nonzero(t);
      for (int64_t j = 0; j < t.dim(); ++j) expanded.push_back(column(coords, j));
    } else {
      EMBER_CHECK_INDEX(t.dtype() == kInt64, "tensors used as indices must be long, byte or bool tensors");
      expanded.push_back(t);
    }
  }
  int64_t nd = self.dim();
  while (int64_t(expanded.size()) < nd) expanded.emplace_back();

  // Broadcast the index tensors together.
  DimVector bshape;
  bool first = true;
  for (const Tensor& t : expanded) {
    if (!t.defined()) continue;
    if (first) {
      bshape = DimVector(t.sizes());
      first = false;
      continue;
    }
    try {
      bshape = dispatch::TensorIterator::broadcast_shapes(bshape, t.sizes());
    } catch (const Error&) {
      std::string shapes;
      for (const Tensor& u : expanded)
        if (u.defined()) shapes += (shapes.empty() ? "" : ", ") + detail::str(u.sizes());
      throw IndexError("shape mismatch: indexing tensors could not be broadcast together with shapes " + shapes);
    }
  }

  // No index value fits a dim of size 0 (PyTorch reports this before looking at the values).
  bool empty_dim = false;
  int64_t result_numel = 1;
  for (int64_t s : bshape) result_numel *= s;
  for (int64_t d = 0; d < nd; ++d) {
    if (expanded[size_t(d)].defined()) empty_dim = empty_dim || self.size(d) == 0;
    else result_numel *= self.size(d);
  }
  EMBER_CHECK_INDEX(!empty_dim || std::find(bshape.begin(), bshape.end(), 0) != bshape.end(),
                    "index is out of bounds for dimension with size 0");

  // Bounds: every index value is checked before anything is read or written, unless nothing is (PyTorch
  // checks values as its kernel reads them, so an empty result checks none).
  std::vector<int64_t> dims;
  std::vector<Tensor> idx;
  for (int64_t d = 0; d < nd; ++d) {
    if (!expanded[size_t(d)].defined()) continue;
    Tensor w = as_int64(on_device(expanded[size_t(d)], self.device()));
    if (auto bad = result_numel > 0 ? wrap_indices(w, self.size(d), true) : std::nullopt)
      throw IndexError(detail::str("index ", *bad, " is out of bounds for dimension ", idx.size(), " with size ",
                                   self.size(d)));
    dims.push_back(d);
    idx.push_back(w);
  }

  // Non-adjacent index tensors put the broadcast dims first (PyTorch's and NumPy's rule).
  bool adjacent = dims.empty() || int64_t(dims.back() - dims.front() + 1) == int64_t(dims.size());
  DimVector order;
  if (!adjacent) {
    for (int64_t d : dims) order.push_back(d);
    for (int64_t d = 0; d < nd; ++d)
      if (!expanded[size_t(d)].defined()) order.push_back(d);
    for (size_t i = 0; i < dims.size(); ++i) dims[i] = int64_t(i);
  }
  Tensor src = adjacent ? self : permute(self, order);
  int64_t lo = dims.empty() ? 0 : dims.front(), hi = dims.empty() ? 0 : dims.back() + 1;

  // Offsets over the result's shape: before dims, broadcast dims, after dims.
  DimVector base_sizes, base_strides, out_sizes;
  for (int64_t d = 0; d < lo; ++d) {
    base_sizes.push_back(src.size(d));
    base_strides.push_back(src.stride(d));
  }
  for (size_t i = 0; i < bshape.size(); ++i) {
    base_sizes.push_back(1);
    base_strides.push_back(0);
  }
  for (int64_t d = hi; d < nd; ++d) {
    base_sizes.push_back(src.size(d));
    base_strides.push_back(src.stride(d));
  }
  Tensor offsets = strided_offsets(base_sizes, base_strides, src.device());
  if (!dims.empty()) {
    Tensor along;
    for (size_t i = 0; i < idx.size(); ++i) {
      int64_t stride = src.stride(dims[i]);
      Tensor term = stride == 1 ? idx[i] : ops::mul(idx[i], Scalar(stride));
      along = along.defined() ? ops::add(along, term, 1) : term;
    }
    along = expand(along, bshape);
    DimVector vs(size_t(lo), 1), vst(size_t(lo), 0);
    for (size_t i = 0; i < bshape.size(); ++i) {
      vs.push_back(bshape[i]);
      vst.push_back(along.strides()[i]);
    }
    for (int64_t d = hi; d < nd; ++d) {
      vs.push_back(1);
      vst.push_back(0);
    }
    offsets = ops::add(offsets, make_view(along, vs, vst, along.storage_offset()), 1);
  }
  return {src, offsets};
}

// PyTorch's index_put_ fills through masked_fill_ when one mask (bool or uint8) is the only index tensor and
// the value has one element: the value is then a number in self's dtype (it must fit, but need not have self's
// dtype nor a broadcastable shape). Returns that mask laid out to broadcast against self (size-1 dims after
// it), or an undefined tensor when the path does not apply.
Tensor fill_mask(const Tensor& self, const OptionalTensorList& indices, const Tensor& values) {
  if (values.numel() != 1) return {};
  Tensor mask;
  int64_t before = 0;
  for (const auto& opt : indices) {
    if (!opt || !opt->defined()) {
      before += mask.defined() ? 0 : 1;
      continue;
    }
    if (mask.defined() || (opt->dtype() != kBool && opt->dtype() != kUInt8)) return {};
    mask = *opt;
  }
  if (!mask.defined()) return {};
  check_mask_shape(self, mask, before);
  DimVector sizes(mask.sizes()), strides(mask.strides());
  sizes.resize(size_t(self.dim() - before), 1);
  strides.resize(size_t(self.dim() - before), 0);
  return make_view(mask, sizes, strides, mask.storage_offset());
}

// PyTorch's assert_no_overlap: memory that self shares with another dense tensor is refused, since it would
// be read while being written; layouts too hard to judge (either not dense) pass.
void check_no_overlap(const Tensor& self, const Tensor& other) {
  if (self.storage() != other.storage() || self.numel() == 0 || other.numel() == 0) return;
  if (!non_overlapping_and_dense(self.sizes(), self.strides()) ||
      !non_overlapping_and_dense(other.sizes(), other.strides()))
    return;
  auto bytes = [](const Tensor& t, int64_t n) { return n * int64_t(t.element_size()); };
  int64_t a = bytes(self, self.storage_offset()), a_end = a + bytes(self, self.numel());
  int64_t b = bytes(other, other.storage_offset()), b_end = b + bytes(other, other.numel());
  EMBER_CHECK(a >= b_end || b >= a_end,
              "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single "
              "memory location. Please clone() the tensor before performing the operation.");
}

}  // namespace

Tensor index(const Tensor& self, const OptionalTensorList& indices) {
  AdvancedIndex ai = make_advanced_index(self, indices);
  return gather_offsets(ai.src, ai.offsets);
}

Tensor& index_put_(Tensor& self, const OptionalTensorList& indices, const Tensor& values, bool accumulate) {
  EMBER_CHECK_INDEX(int64_t(indices.size()) <= self.dim(), "too many indices for tensor of dimension ", self.dim(),
                    " (got ", indices.size(), ")");
  if (Tensor mask = accumulate ? Tensor() : fill_mask(self, indices, values); mask.defined()) {
    check_convertible(values.item(), self.dtype());
    return ops::masked_fill_(self, on_device(mask, self.device()),
                             scalar_tensor(values.item(), self.dtype(), self.device()));
  }
  // A one-element CPU value is a number to the GPU, as PyTorch takes it; other values must be on self's device.
  if (values.dim() == 0 && values.device().type() == kCPU && self.device() != values.device())
    return ops::index_put_(self, indices, on_device(values, self.device()), accumulate);
  check_same_device("index_put_", self, values);
  check_no_overlap(self, values);
  for (const auto& opt : indices)
    if (opt && opt->defined()) check_no_overlap(self, *opt);
  AdvancedIndex ai = make_advanced_index(self, indices);
  IntArrayRef rs = ai.offsets.sizes();
  bool ok = values.dim() <= int64_t(rs.size());
  for (int64_t i = 0; ok && i < values.dim(); ++i) {
    int64_t v = values.size(values.dim() - 1 - i), r = rs[rs.size() - 1 - size_t(i)];
    ok = v == 1 || v == r;
  }
  EMBER_CHECK(ok, "shape mismatch: value tensor of shape ", values.sizes(),
              " cannot be broadcast to indexing result of shape ", rs);
  EMBER_CHECK(values.dtype() == self.dtype(), "Index put requires the source and destination dtypes match, got ",
              dtype_title(self.dtype()), " for the destination and ", dtype_title(values.dtype()), " for the source.");
  scatter_offsets(ai.src, ai.offsets, values, accumulate ? ScatterMode::Add : ScatterMode::Copy);
  return self;
}

Tensor masked_select(const Tensor& self, const Tensor& mask) {
  EMBER_CHECK(mask.dtype() == kBool, "masked_select: expected BoolTensor for mask");
  check_same_device("masked_select", self, mask);
  DimVector shape = dispatch::TensorIterator::broadcast_shapes(mask.sizes(), self.sizes());
  Tensor s = expand(self, shape);
  return gather_offsets(s, mask_offsets(expand(mask, shape), s.strides()));
}

Tensor& masked_scatter_(Tensor& self, const Tensor& mask, const Tensor& source) {
  EMBER_CHECK(mask.dtype() == kBool, "masked_scatter_ only supports boolean masks, but got mask with dtype ",
              dtype_title(mask.dtype()));
  check_same_device("masked_scatter_", self, mask);
  check_same_device("masked_scatter_", self, source);
  EMBER_CHECK(self.dtype() == source.dtype(), "masked_scatter: expected self and source to have same dtypes but got",
              dtype_title(self.dtype()), " and ", dtype_title(source.dtype()));
  Tensor offsets = mask_offsets(expand(mask, self.sizes()), self.strides());
  int64_t n = offsets.numel();
  EMBER_CHECK(source.numel() >= n, "Number of elements of source < number of ones in mask");
  Tensor src = contiguous(source);
  scatter_offsets(self, offsets, make_view(src, {n}, {1}, src.storage_offset()), ScatterMode::Copy);
  return self;
}

Tensor take(const Tensor& self, const Tensor& index) {
  EMBER_CHECK(index.dtype() == kInt64, "take(): Expected a long tensor for index, but got ",
              dtype_title(index.dtype()));
  check_same_device("take", self, index);
  Tensor idx = as_int64(index);
  if (auto bad = wrap_indices(idx, self.numel(), true))
    throw IndexError(detail::str("out of range: tried to access index ", *bad, " on a tensor of ", self.numel(),
                                 " elements."));
  Tensor walk = strided_offsets(self.sizes(), self.strides(), self.device());
  return gather_offsets(self, gather_offsets(walk, idx));
}

Tensor one_hot(const Tensor& self, int64_t num_classes) {
  EMBER_CHECK(self.dtype() == kInt64, "one_hot is only applicable to index tensor.");
  Tensor idx = contiguous(self);
  if (idx.numel() == 0) {
    EMBER_CHECK(num_classes > 0, "Can not infer total number of classes from empty tensor.");
  } else {
    int64_t mn = 0, mx = 0;
    static auto& k = dispatch::slot("index_minmax");
    dispatch::kernel<dispatch::IndexMinMaxKernel>(k, self.device().type())(idx, mn, mx);
    EMBER_CHECK(mn >= 0, "Class values must be non-negative.");
    if (num_classes == -1) num_classes = mx + 1;
    EMBER_CHECK(mx < num_classes, "Class values must be smaller than num_classes.");
  }
  DimVector shape(self.sizes());
  shape.push_back(num_classes);
  Tensor out = empty(shape, kInt64, self.device());
  fill_(out, 0);
  DimVector st = contiguous_strides(self.sizes());
  for (auto& s : st) s *= num_classes;
  scatter_offsets(out, ops::add(strided_offsets(self.sizes(), st, self.device()), idx, 1), scalar_tensor(1, kInt64, self.device()),
                  ScatterMode::Copy);
  return out;
}

}  // namespace ember::ops
