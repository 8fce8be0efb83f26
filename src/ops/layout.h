#pragma once
// Predicates on a tensor's memory layout (sizes and strides), shared by the ops that choose a layout or
// refuse overlapping memory.
#include <algorithm>
#include <numeric>
#include <vector>

#include <ember/core/array_ref.h>

namespace ember::ops {

// PyTorch's is_non_overlapping_and_dense: the elements fill their span exactly once in some dim order.
inline bool non_overlapping_and_dense(IntArrayRef sizes, IntArrayRef strides) {
  size_t n = sizes.size();
  if (n == 1) return sizes[0] < 2 || strides[0] == 1;
  std::vector<size_t> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  std::sort(perm.begin(), perm.end(), [&](size_t a, size_t b) {
    if (sizes[a] < 2) return false;
    if (sizes[b] < 2) return true;
    return strides[a] < strides[b];
  });
  int64_t required = 1;
  for (size_t d : perm) {
    if (sizes[d] < 2) return true;
    if (strides[d] != required) return false;
    required *= sizes[d];
  }
  return true;
}

}  // namespace ember::ops
