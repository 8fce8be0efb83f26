#include "dispatch/tensor_iterator.h"

#include <algorithm>

namespace ember::dispatch {

DimVector TensorIterator::broadcast_shapes(IntArrayRef a, IntArrayRef b) {
  size_t n = std::max(a.size(), b.size());
  DimVector out(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    EMBER_CHECK(da == db || da == 1 || db == 1, "The size of tensor a (", da, ") must match the size of tensor b (",
                db, ") at non-singleton dimension ", i);
    out[i] = da == 1 ? db : da;
  }
  return out;
}

namespace {

// Stride (in elements) of `t` along output dim `d`, 0 where it is broadcast.
int64_t aligned_stride(const Tensor& t, size_t d, size_t ndim) {
  size_t off = ndim - size_t(t.dim());
  if (d < off) return 0;
  size_t td = d - off;
  return t.sizes()[td] == 1 ? 0 : t.strides()[td];
}

bool overlaps(const Tensor& a, const Tensor& b) {
  if (a.storage() != b.storage() || a.numel() == 0 || b.numel() == 0) return false;
  auto extent = [](const Tensor& t, int64_t& lo, int64_t& hi) {
    lo = hi = t.storage_offset();
    for (int64_t d = 0; d < t.dim(); ++d) hi += (t.sizes()[d] - 1) * t.strides()[d];
  };
  int64_t alo, ahi, blo, bhi;
  extent(a, alo, ahi);
  extent(b, blo, bhi);
  return alo <= bhi && blo <= ahi;
}

}  // namespace

TensorIterator::TensorIterator(Tensor& out, DType out_dtype, std::initializer_list<const Tensor*> inputs,
                               bool check_mem_overlap, bool check_internal_overlap) {
  EMBER_CHECK(int(inputs.size()) < kMaxOperands, "TensorIterator: too many operands");
  DimVector shape;
  if (out.defined()) shape = DimVector(out.sizes());
  for (const Tensor* in : inputs) shape = broadcast_shapes(shape, in->sizes());
  const size_t nd = shape.size();
  EMBER_CHECK(nd <= 64, "TensorIterator: tensors with more than 64 dimensions are not supported");

  // Dimension order, innermost first: follow the first input that is not broadcast along a pair of dims
  // (PyTorch's rule), so a transposed input gives a transposed output and both are walked in order.
  std::vector<int> perm(nd);
  for (size_t i = 0; i < nd; ++i) perm[i] = int(nd - 1 - i);
  const Tensor* layout_src = out.defined() ? &out : nullptr;
  auto should_swap = [&](int d0, int d1) {  // true when d1 should be inner to d0
    auto check = [&](const Tensor& t) -> int {
      int64_t s0 = aligned_stride(t, size_t(d0), nd), s1 = aligned_stride(t, size_t(d1), nd);
      if (s0 == 0 || s1 == 0) return 0;
      if (s0 < s1) return -1;
      if (s0 > s1) return 1;
      return shape[size_t(d0)] > shape[size_t(d1)] ? 1 : 0;
    };
    if (layout_src) return check(*layout_src) > 0;
    for (const Tensor* in : inputs) {
      int c = check(*in);
      if (c != 0) return c > 0;
    }
    return false;
  };
  for (size_t i = 1; i < nd; ++i) {
    for (size_t j = i; j > 0; --j) {
      if (should_swap(perm[j - 1], perm[j])) std::swap(perm[j - 1], perm[j]);
      else break;
    }
  }

  if (!out.defined()) {
    // Contiguous in `perm` order: innermost perm[0] has stride 1.
    DimVector st(nd);
    int64_t s = 1;
    for (size_t i = 0; i < nd; ++i) {
      st[size_t(perm[i])] = s;
      s *= std::max<int64_t>(shape[size_t(perm[i])], 1);
    }
    Device dev = inputs.size() ? (*inputs.begin())->device() : Device(kCPU);
    auto storage = std::make_shared<StorageImpl>(size_t(s) * ember::element_size(out_dtype), dev);
    out = Tensor(std::make_shared<TensorImpl>(std::move(storage), out_dtype, IntArrayRef(shape), IntArrayRef(st), 0));
  } else {
    EMBER_CHECK(out.sizes().equals(shape), "output with shape ", out.sizes(),
                " doesn't match the broadcast shape ", IntArrayRef(shape));
    if (check_mem_overlap && check_internal_overlap && out.numel() != 0)  // nothing is written to an empty tensor
      for (int64_t d = 0; d < out.dim(); ++d)
        EMBER_CHECK(out.strides()[d] != 0 || out.sizes()[d] <= 1,
                    "unsupported operation: more than one element of the written-to tensor refers to a single "
                    "memory location. Please clone() the tensor before performing the operation.");
    if (check_mem_overlap)
      for (const Tensor* in : inputs)
        EMBER_CHECK(!overlaps(out, *in) || (out.storage_offset() == in->storage_offset() &&
                                            out.strides().equals(in->strides()) && out.sizes().equals(in->sizes())),
                    "unsupported operation: some elements of the input tensor and the written-to tensor refer to a "
                    "single memory location. Please clone() the tensor before performing the operation.");
  }

  ntensors_ = 1 + int(inputs.size());
  const Tensor* ops[kMaxOperands] = {&out};
  int k = 1;
  for (const Tensor* in : inputs) ops[k++] = in;
  numel_ = out.numel();
  shape_.resize(nd);
  for (int t = 0; t < ntensors_; ++t) {
    strides_[size_t(t)].resize(nd);
    int64_t es = int64_t(ops[t]->element_size());
    for (size_t i = 0; i < nd; ++i) strides_[size_t(t)][i] = aligned_stride(*ops[t], size_t(perm[i]), nd) * es;
    data_[size_t(t)] = static_cast<char*>(ops[t]->data_ptr());
    dtypes_[size_t(t)] = ops[t]->dtype();
  }
  for (size_t i = 0; i < nd; ++i) shape_[i] = shape[size_t(perm[i])];

  // Merge dim i+1 into dim i where every operand steps over dim i exactly into dim i+1.
  if (nd > 1) {
    size_t w = 0;
    for (size_t r = 1; r < nd; ++r) {
      bool can = true;
      for (int t = 0; t < ntensors_ && can; ++t)
        can = shape_[w] == 1 || shape_[r] == 1 || strides_[size_t(t)][w] * shape_[w] == strides_[size_t(t)][r];
      if (can) {
        if (shape_[w] == 1)
          for (int t = 0; t < ntensors_; ++t) strides_[size_t(t)][w] = strides_[size_t(t)][r];
        shape_[w] *= shape_[r];
      } else {
        ++w;
        shape_[w] = shape_[r];
        for (int t = 0; t < ntensors_; ++t) strides_[size_t(t)][w] = strides_[size_t(t)][r];
      }
    }
    shape_.resize(w + 1);
    for (int t = 0; t < ntensors_; ++t) strides_[size_t(t)].resize(w + 1);
  }
}

}  // namespace ember::dispatch
