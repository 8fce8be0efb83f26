#pragma once
// TensorIterator: walks one output and up to three inputs of the same shape-after-broadcasting, as
// PyTorch's TensorIterator does. It broadcasts inputs (stride 0), orders dimensions so the innermost
// loop runs along the fastest-moving memory, merges dimensions that are contiguous in every operand,
// and splits the element range across threads. Kernels see rows: pointers plus byte strides.
#include <array>

#include <ember/tensor.h>

#include "core/parallel.h"

namespace ember::dispatch {

class TensorIterator {
 public:
  static constexpr int kMaxOperands = 4;
  // Broadcasts `inputs` together; allocates `out` (undefined on entry) with out_dtype, laid out like the
  // inputs (as PyTorch preserves a transposed input's layout), or checks a given `out` has the
  // broadcast shape. Inputs must already have the dtype the kernel reads. With check_mem_overlap, a given
  // `out` may not partly overlap an input, nor (with check_internal_overlap) have several elements at one
  // memory location (an expanded tensor), as PyTorch checks for in-place ops; fill_ and masked_fill_ allow
  // the latter, as PyTorch does.
  TensorIterator(Tensor& out, DType out_dtype, std::initializer_list<const Tensor*> inputs,
                 bool check_mem_overlap = true, bool check_internal_overlap = true);

  int ntensors() const { return ntensors_; }
  int64_t numel() const { return numel_; }
  int ndim() const { return int(shape_.size()); }
  IntArrayRef shape() const { return shape_; }
  const int64_t* strides(int operand) const { return strides_[operand].data(); }
  char* data(int operand) const { return data_[operand]; }
  DType dtype(int operand) const { return dtypes_[operand]; }
  // True when every operand is contiguous (or a broadcast scalar) and the iteration is a single row.
  bool is_contiguous_row() const { return shape_.size() <= 1; }

  // Calls f(data, inner_strides, n) for every row of the iteration, in parallel above `grain` elements.
  template <class F>
  void for_each(const F& f, int64_t grain = 32768) const {
    if (numel_ == 0) return;
    core::parallel_for(0, numel_, grain, [&](int64_t b, int64_t e) { serial_for_each(f, b, e); });
  }
  template <class F>
  void serial_for_each(const F& f, int64_t begin, int64_t end) const;

  // Broadcast shape of two shapes, with PyTorch's error message.
  static DimVector broadcast_shapes(IntArrayRef a, IntArrayRef b);

 private:
  int ntensors_ = 0;
  int64_t numel_ = 0;
  DimVector shape_;                                  // innermost dimension first
  std::array<DimVector, kMaxOperands> strides_;      // byte strides, innermost first
  std::array<char*, kMaxOperands> data_{};
  std::array<DType, kMaxOperands> dtypes_{};
};

template <class F>
void TensorIterator::serial_for_each(const F& f, int64_t begin, int64_t end) const {
  const int nd = int(shape_.size());
  char* ptrs[kMaxOperands];
  int64_t inner[kMaxOperands];
  for (int t = 0; t < ntensors_; ++t) inner[t] = nd ? strides_[t][0] : 0;
  if (nd <= 1) {
    for (int t = 0; t < ntensors_; ++t) ptrs[t] = data_[t] + begin * inner[t];
    f(ptrs, inner, end - begin);
    return;
  }
  // Multi-index of `begin`, innermost first.
  int64_t idx[64];
  int64_t rem = begin;
  for (int d = 0; d < nd; ++d) {
    idx[d] = rem % shape_[d];
    rem /= shape_[d];
  }
  int64_t pos = begin;
  while (pos < end) {
    int64_t n = std::min(shape_[0] - idx[0], end - pos);
    for (int t = 0; t < ntensors_; ++t) {
      char* p = data_[t];
      for (int d = 0; d < nd; ++d) p += idx[d] * strides_[t][d];
      ptrs[t] = p;
    }
    f(ptrs, inner, n);
    pos += n;
    idx[0] += n;
    for (int d = 0; d < nd - 1 && idx[d] >= shape_[d]; ++d) {
      idx[d] = 0;
      ++idx[d + 1];
    }
  }
}

}  // namespace ember::dispatch
