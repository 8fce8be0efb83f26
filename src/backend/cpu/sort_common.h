#pragma once
// Helpers of the CPU sort and search kernels: walking the slices of a tensor along one dim, and the
// ordering PyTorch sorts by (NaN above every number).
#include <cmath>
#include <type_traits>

#include <ember/tensor.h>

#include "backend/common/sort_keys.h"

namespace ember::kernels {

template <class K>
inline bool is_nan_key(K v) {
  if constexpr (std::is_floating_point_v<K>) return std::isnan(v);
  else return false;
}
// a < b with NaN the largest value (NaNs are equal to each other).
template <class K>
inline bool nan_last_less(K a, K b) {
  if constexpr (std::is_floating_point_v<K>) return a < b || (!std::isnan(a) && std::isnan(b));
  else return a < b;
}

// Element offset of slice `s` (the s-th position over every dim but `dim`, row-major) in a tensor with
// `sizes` (outside `dim`) and `strides`.
inline int64_t slice_offset(IntArrayRef sizes, IntArrayRef strides, int64_t dim, int64_t s) {
  int64_t off = 0;
  for (int64_t d = int64_t(sizes.size()) - 1; d >= 0; --d) {
    if (d == dim) continue;
    int64_t n = sizes[size_t(d)];
    off += (s % n) * strides[size_t(d)];
    s /= n;
  }
  return off;
}

inline int64_t num_slices(IntArrayRef sizes, int64_t dim) {
  int64_t n = 1;
  for (size_t d = 0; d < sizes.size(); ++d)
    if (int64_t(d) != dim) n *= sizes[d];
  return n;
}

// Grain for parallel_for over slices of `len` elements: about 32K elements of work per task.
inline int64_t slice_grain(int64_t len) { return std::max<int64_t>(1, 32768 / std::max<int64_t>(len, 1)); }

}  // namespace ember::kernels
