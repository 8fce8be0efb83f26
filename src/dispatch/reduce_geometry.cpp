#include "dispatch/reduce_geometry.h"

#include <algorithm>

namespace ember::dispatch {

namespace {
struct Dim {
  int64_t size, in_stride, out_stride;
};

// Innermost first: merges dim i+1 into dim i when stepping past the end of dim i lands exactly on the
// next element of dim i+1, in the input and in the output.
void coalesce(std::vector<Dim>& dims) {
  std::vector<Dim> out;
  for (const Dim& d : dims) {
    if (!out.empty()) {
      Dim& b = out.back();
      if (d.in_stride == b.in_stride * b.size && d.out_stride == b.out_stride * b.size) {
        b.size *= d.size;
        continue;
      }
    }
    out.push_back(d);
  }
  dims.swap(out);
}
}  // namespace

ReduceGeometry make_reduce_geometry(const Tensor& in, const std::vector<bool>& reduced, bool logical_order) {
  const int64_t nd = in.dim();
  DimVector out_strides(size_t(nd), 0);
  int64_t step = 1;
  for (int64_t d = nd - 1; d >= 0; --d) {
    if (reduced[size_t(d)]) continue;
    out_strides[size_t(d)] = step;
    step *= in.size(d);
  }
  std::vector<Dim> kept, red;
  for (int64_t d = nd - 1; d >= 0; --d) {  // innermost (last) dim first
    int64_t n = in.size(d);
    if (n == 1) continue;
    Dim dim{n, in.stride(d), out_strides[size_t(d)]};
    (reduced[size_t(d)] ? red : kept).push_back(dim);
  }
  // Walking the input by increasing stride reads memory in order; a stable sort keeps the logical order
  // among equal strides (expanded dims).
  auto by_stride = [](const Dim& a, const Dim& b) { return a.in_stride < b.in_stride; };
  std::stable_sort(kept.begin(), kept.end(), by_stride);
  if (!logical_order) std::stable_sort(red.begin(), red.end(), by_stride);
  coalesce(kept);
  coalesce(red);
  ReduceGeometry g;
  for (const Dim& d : kept) {
    g.kept_sizes.push_back(d.size);
    g.kept_in_strides.push_back(d.in_stride);
    g.kept_out_strides.push_back(d.out_stride);
    g.num_outputs *= d.size;
  }
  for (const Dim& d : red) {
    g.red_sizes.push_back(d.size);
    g.red_strides.push_back(d.in_stride);
    g.num_reduced *= d.size;
  }
  return g;
}

}  // namespace ember::dispatch
