// The CPU reduction framework. The input is read in place through the strides of a ReduceGeometry:
// - rows: the innermost reduced dim is walked as a row (vectorised when contiguous), pairwise in blocks
//   so a float32 sum of 1e7 ones is exact and error grows with log(n); one output per task. Long rows
//   (and a full reduction's chunks) go four at a time, far apart, so a core reads four streams.
// - columns: when the innermost kept dim is contiguous in the input, whole rows are accumulated into a
//   vector of outputs, so the inner loop runs across columns (a cascade of partial sums keeps sums
//   accurate over many rows).
// - a full reduction splits the reduced range into fixed chunks whose partials are combined in order,
//   so the result does not depend on the thread count.
// Accumulators: float for float32 and the reduced floats, double for float64, int64 for integers.
#include <cmath>
#include <limits>
#include <memory>

#include "backend/cpu/capability.h"
// capability.h defines EMBER_KERNEL_NS, which the functors header reads.
#include "backend/common/pointwise_functors.h"
#include "backend/common/visit_dtype.h"
#include "core/parallel.h"
#include "dispatch/reduce_geometry.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {
namespace {

using dispatch::ReduceGeometry;

template <class T>
using sum_acc_t = std::conditional_t<std::is_same_v<T, double>, double,
                                     std::conditional_t<is_float_v<T>, float, int64_t>>;

template <class A>
inline bool is_nan(A v) {
  if constexpr (std::is_floating_point_v<A>) return std::isnan(v);
  else return false;
}

template <class T>
struct SumOp {
  using A = sum_acc_t<T>;
  static constexpr bool kCascade = true;
  static A identity() { return A(0); }
  static A load(T v) { return A(compute_t<T>(v)); }
  static A combine(A a, A b) { return a + b; }
};
template <class T>
struct NansumOp : SumOp<T> {
  using A = sum_acc_t<T>;
  static A load(T v) {
    A x = A(compute_t<T>(v));
    return is_nan(x) ? A(0) : x;
  }
};
template <class T>
struct ProdOp {
  using A = sum_acc_t<T>;
  static constexpr bool kCascade = false;
  static A identity() { return A(1); }
  static A load(T v) { return A(compute_t<T>(v)); }
  static A combine(A a, A b) { return a * b; }
};
// max/min propagate NaN, as PyTorch's.
template <class T>
struct MaxOp {
  using A = compute_t<T>;
  static constexpr bool kCascade = false;
  static A identity() {
    if constexpr (std::numeric_limits<A>::has_infinity) return -std::numeric_limits<A>::infinity();
    else return std::numeric_limits<A>::lowest();
  }
  static A load(T v) { return A(v); }
  static A combine(A a, A b) { return (a > b || is_nan(a)) ? a : b; }
};
template <class T>
struct MinOp {
  using A = compute_t<T>;
  static constexpr bool kCascade = false;
  static A identity() {
    if constexpr (std::numeric_limits<A>::has_infinity) return std::numeric_limits<A>::infinity();
    else return std::numeric_limits<A>::max();
  }
  static A load(T v) { return A(v); }
  static A combine(A a, A b) { return (a < b || is_nan(a)) ? a : b; }
};

template <class T, class A>
inline T finish(A a) {
  if constexpr (std::is_same_v<T, bool>) return a != A(0);
  else return T(a);
}

constexpr int64_t kBlock = 4096;        // pairwise leaf: summed in independent lanes
constexpr int64_t kChunk = 1 << 15;     // a full reduction's unit of work (a multiple of kBlock)
constexpr int64_t kColumns = 256;       // outputs accumulated together in the columns walk
constexpr int64_t kGrain = 1 << 15;     // elements below which a reduction stays on one thread
constexpr int kStreams = 4;             // chunks or long rows reduced together (far apart in memory)

// One block of n <= kBlock elements in independent lanes, with a tail for the rest.
template <class Op, bool Contiguous, class T>
typename Op::A reduce_block(const T* p, int64_t n, int64_t s) {
  using A = typename Op::A;
  constexpr int kLanes = sizeof(A) >= 8 ? 32 : 64;
  A lanes[kLanes];
  for (int l = 0; l < kLanes; ++l) lanes[l] = Op::identity();
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int l = 0; l < kLanes; ++l) lanes[l] = Op::combine(lanes[l], Op::load(p[(i + l) * (Contiguous ? 1 : s)]));
  A tail = Op::identity();
  for (; i < n; ++i) tail = Op::combine(tail, Op::load(p[i * (Contiguous ? 1 : s)]));
  for (int w = kLanes / 2; w > 0; w /= 2)
    for (int l = 0; l < w; ++l) lanes[l] = Op::combine(lanes[l], lanes[l + w]);
  return Op::combine(lanes[0], tail);
}

// G whole blocks, one at each ps[g], in one loop: each in its own lanes, so its value is the one
// reduce_block gives, but the loop reads G streams at once.
template <class Op, bool Contiguous, int G, class T>
void reduce_blocks(const T* const* ps, int64_t s, typename Op::A* out) {
  using A = typename Op::A;
  constexpr int kLanes = sizeof(A) >= 8 ? 32 : 64;
  A lanes[G][kLanes];
  for (int g = 0; g < G; ++g)
    for (int l = 0; l < kLanes; ++l) lanes[g][l] = Op::identity();
  for (int64_t i = 0; i < kBlock; i += kLanes)
    for (int g = 0; g < G; ++g)
      for (int l = 0; l < kLanes; ++l)
        lanes[g][l] = Op::combine(lanes[g][l], Op::load(ps[g][(i + l) * (Contiguous ? 1 : s)]));
  for (int g = 0; g < G; ++g) {
    for (int w = kLanes / 2; w > 0; w /= 2)
      for (int l = 0; l < w; ++l) lanes[g][l] = Op::combine(lanes[g][l], lanes[g][l + w]);
    out[g] = lanes[g][0];
  }
}

// Reduces G rows of n elements, ps[g][0], ps[g][s], ..., each pairwise over blocks of kBlock (halves split
// at a multiple of kBlock), so error grows with log(n) and a float32 sum of 1e7 ones is exact. The G rows
// go through the tree together: rows far apart in memory read as G streams, which one core reads about
// 1.5x faster than one stream (its prefetchers keep more lines in flight).
template <class Op, bool Contiguous, int G, class T>
void reduce_rows_together(const T* const* ps, int64_t n, int64_t s, typename Op::A* out) {
  using A = typename Op::A;
  if (n > kBlock) {
    const int64_t half = ((n / 2) + kBlock - 1) / kBlock * kBlock;
    const T* right[G];
    A l[G], r[G];
    for (int g = 0; g < G; ++g) right[g] = ps[g] + half * (Contiguous ? 1 : s);
    reduce_rows_together<Op, Contiguous, G>(ps, half, s, l);
    reduce_rows_together<Op, Contiguous, G>(right, n - half, s, r);
    for (int g = 0; g < G; ++g) out[g] = Op::combine(l[g], r[g]);
  } else if (n == kBlock) {
    reduce_blocks<Op, Contiguous, G>(ps, s, out);
  } else {
    for (int g = 0; g < G; ++g) out[g] = reduce_block<Op, Contiguous>(ps[g], n, s);
  }
}

template <class Op, class T>
typename Op::A reduce_strided(const T* p, int64_t n, int64_t s) {
  typename Op::A out;
  if (s == 1) reduce_rows_together<Op, true, 1>(&p, n, 1, &out);
  else reduce_rows_together<Op, false, 1>(&p, n, s, &out);
  return out;
}

// G rows together when contiguous; strided rows (element loads, not vectors) one after another, which
// also keeps the kernel objects' compile time down.
template <class Op, int G, class T>
void reduce_strided_together(const T* const* ps, int64_t n, int64_t s, typename Op::A* out) {
  if (s == 1) reduce_rows_together<Op, true, G>(ps, n, 1, out);
  else
    for (int g = 0; g < G; ++g) out[g] = reduce_strided<Op>(ps[g], n, s);
}

template <class Op>
typename Op::A combine_pairwise(const typename Op::A* v, int64_t n) {
  if (n == 1) return v[0];
  int64_t half = n / 2;
  return Op::combine(combine_pairwise<Op>(v, half), combine_pairwise<Op>(v + half, n - half));
}

// Walks a multi-index over `sizes` (innermost first) from `dim0` on, tracking an offset per stride set.
struct Counter {
  const int64_t* sizes;
  int nd;
  int64_t idx[64] = {};
  Counter(const DimVector& s, int first) : sizes(s.data() + first), nd(int(s.size()) - first) {}
  void seek(int64_t linear) {
    for (int d = 0; d < nd; ++d) {
      idx[d] = linear % sizes[d];
      linear /= sizes[d];
    }
  }
  int64_t offset(const DimVector& strides, int first) const {
    int64_t o = 0;
    for (int d = 0; d < nd; ++d) o += idx[d] * strides[size_t(first + d)];
    return o;
  }
  void next() {
    for (int d = 0; d < nd; ++d) {
      if (++idx[d] < sizes[d]) return;
      idx[d] = 0;
    }
  }
};

template <class Op, class T>
void reduce_full(const T* in, T* out, const ReduceGeometry& g) {
  using A = typename Op::A;
  if (g.num_reduced == 0) {
    out[0] = finish<T>(Op::identity());
    return;
  }
  int64_t n0 = g.red_sizes.empty() ? 1 : g.red_sizes[0];
  int64_t s0 = g.red_strides.empty() ? 1 : g.red_strides[0];
  int64_t rows = g.num_reduced / n0;
  // Work units: slices of the single row, or groups of whole rows.
  int64_t rows_per_unit = std::max<int64_t>(1, kChunk / n0);
  int64_t units = rows == 1 ? (n0 + kChunk - 1) / kChunk : (rows + rows_per_unit - 1) / rows_per_unit;
  std::unique_ptr<A[]> partial(new A[size_t(units)]);
  core::parallel_for(0, units, 1, [&](int64_t b, int64_t e) {
    if (rows == 1) {
      // A task's whole chunks go kStreams at a time, spread over its range; each chunk's partial is
      // the same as when reduced alone.
      const int64_t whole_end = std::min(e, n0 / kChunk);
      const int64_t q = std::max<int64_t>(0, whole_end - b) / kStreams;
      for (int64_t j = 0; j < q; ++j) {
        const T* ps[kStreams];
        A vals[kStreams];
        for (int k = 0; k < kStreams; ++k) ps[k] = in + (b + k * q + j) * kChunk * s0;
        reduce_strided_together<Op, kStreams>(ps, kChunk, s0, vals);
        for (int k = 0; k < kStreams; ++k) partial[b + k * q + j] = vals[k];
      }
      for (int64_t u = b + kStreams * q; u < e; ++u) {
        int64_t lo = u * kChunk, n = std::min(n0 - lo, kChunk);
        partial[u] = reduce_strided<Op>(in + lo * s0, n, s0);
      }
      return;
    }
    for (int64_t u = b; u < e; ++u) {
      Counter c(g.red_sizes, 1);
      int64_t r0 = u * rows_per_unit, r1 = std::min(rows, r0 + rows_per_unit);
      c.seek(r0);
      A acc = Op::identity();
      for (int64_t r = r0; r < r1; ++r, c.next())
        acc = Op::combine(acc, reduce_strided<Op>(in + c.offset(g.red_strides, 1), n0, s0));
      partial[u] = acc;
    }
  });
  out[0] = finish<T>(combine_pairwise<Op>(partial.get(), units));
}

template <class Op, class T>
void reduce_rows(const T* in, T* out, const ReduceGeometry& g) {
  using A = typename Op::A;
  int64_t n0 = g.red_sizes.empty() ? 1 : g.red_sizes[0];
  int64_t s0 = g.red_strides.empty() ? 1 : g.red_strides[0];
  int64_t rows = g.num_reduced == 0 ? 0 : g.num_reduced / n0;
  int64_t grain = std::max<int64_t>(1, kGrain / std::max<int64_t>(1, g.num_reduced));
  core::parallel_for(0, g.num_outputs, grain, [&](int64_t b, int64_t e) {
    Counter k(g.kept_sizes, 0);
    k.seek(b);
    // Long single rows go kStreams outputs at a time.
    const bool together = rows == 1 && n0 >= kBlock;
    int64_t o = b;
    for (; together && o + kStreams <= e; o += kStreams) {
      const T* ps[kStreams];
      int64_t dst[kStreams];
      A vals[kStreams];
      for (int j = 0; j < kStreams; ++j, k.next()) {
        ps[j] = in + k.offset(g.kept_in_strides, 0);
        dst[j] = k.offset(g.kept_out_strides, 0);
      }
      reduce_strided_together<Op, kStreams>(ps, n0, s0, vals);
      for (int j = 0; j < kStreams; ++j) out[dst[j]] = finish<T>(Op::combine(Op::identity(), vals[j]));
    }
    for (; o < e; ++o, k.next()) {
      const T* base = in + k.offset(g.kept_in_strides, 0);
      A acc = Op::identity();
      Counter c(g.red_sizes, 1);
      for (int64_t r = 0; r < rows; ++r, c.next())
        acc = Op::combine(acc, reduce_strided<Op>(base + c.offset(g.red_strides, 1), n0, s0));
      out[k.offset(g.kept_out_strides, 0)] = finish<T>(acc);
    }
  });
}

// Innermost kept dim contiguous in the input: for a block of columns, add every reduced row into a
// vector of accumulators. Sums cascade: level l holds the total of up to 64^(l+1) rows, so no level
// adds up more than 64 terms of similar size.
template <class Op, class T>
void reduce_columns(const T* in, T* out, const ReduceGeometry& g) {
  using A = typename Op::A;
  constexpr int kLevels = Op::kCascade ? 4 : 1;
  constexpr int64_t kFan = 64;
  int64_t cols = g.kept_sizes[0], out_s0 = g.kept_out_strides[0];
  int64_t blocks = (cols + kColumns - 1) / kColumns;
  int64_t outer = g.num_outputs / cols;
  int64_t grain = std::max<int64_t>(1, kGrain / std::max<int64_t>(1, g.num_reduced * kColumns));
  core::parallel_for(0, outer * blocks, grain, [&](int64_t b, int64_t e) {
    A acc[kLevels][kColumns];
    for (int64_t item = b; item < e; ++item) {
      int64_t o = item / blocks, c0 = (item % blocks) * kColumns, w = std::min(kColumns, cols - c0);
      Counter k(g.kept_sizes, 1);
      k.seek(o);
      const T* base = in + k.offset(g.kept_in_strides, 1) + c0;
      for (int l = 0; l < kLevels; ++l)
        for (int64_t j = 0; j < w; ++j) acc[l][j] = Op::identity();
      Counter c(g.red_sizes, 0);
      for (int64_t r = 0; r < g.num_reduced; ++r, c.next()) {
        const T* row = base + c.offset(g.red_strides, 0);
        for (int64_t j = 0; j < w; ++j) acc[0][j] = Op::combine(acc[0][j], Op::load(row[j]));
        if constexpr (kLevels > 1) {
          int64_t count = r + 1;
          for (int l = 0; l + 1 < kLevels && count % kFan == 0; ++l, count /= kFan)
            for (int64_t j = 0; j < w; ++j) {
              acc[l + 1][j] = Op::combine(acc[l + 1][j], acc[l][j]);
              acc[l][j] = Op::identity();
            }
        }
      }
      T* dst = out + k.offset(g.kept_out_strides, 1) + c0 * out_s0;
      for (int64_t j = 0; j < w; ++j) {
        A total = acc[0][j];
        for (int l = 1; l < kLevels; ++l) total = Op::combine(total, acc[l][j]);
        dst[j * out_s0] = finish<T>(total);
      }
    }
  });
}

template <template <class> class OpT>
void reduce_kernel(const Tensor& in, Tensor& out, const ReduceGeometry& g) {
  visit_dtype(in.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    using Op = OpT<T>;
    const T* src = static_cast<const T*>(in.data_ptr());
    T* dst = static_cast<T*>(out.data_ptr());
    if (g.num_outputs == 0) return;
    if (g.num_outputs == 1) return reduce_full<Op>(src, dst, g);
    bool inner_reduced_contiguous = !g.red_strides.empty() && g.red_strides[0] == 1;
    if (!inner_reduced_contiguous && g.num_reduced > 0 && g.kept_in_strides[0] == 1)
      return reduce_columns<Op>(src, dst, g);
    reduce_rows<Op>(src, dst, g);
  });
}

// First extreme in walk order; the first NaN wins and ends the walk.
template <bool IsMax, class T>
void arg_reduce(const T* in, T* values, int64_t* indices, const ReduceGeometry& g) {
  using A = compute_t<T>;
  int64_t n0 = g.red_sizes.empty() ? 1 : g.red_sizes[0];
  int64_t s0 = g.red_strides.empty() ? 1 : g.red_strides[0];
  int64_t rows = g.num_reduced / n0;
  int64_t grain = std::max<int64_t>(1, kGrain / std::max<int64_t>(1, g.num_reduced));
  core::parallel_for(0, g.num_outputs, grain, [&](int64_t b, int64_t e) {
    Counter k(g.kept_sizes, 0);
    k.seek(b);
    for (int64_t o = b; o < e; ++o, k.next()) {
      const T* base = in + k.offset(g.kept_in_strides, 0);
      A best = A(base[0]);
      int64_t best_i = 0, i = 0;
      Counter c(g.red_sizes, 1);
      for (int64_t r = 0; r < rows && !is_nan(best); ++r, c.next()) {
        const T* row = base + c.offset(g.red_strides, 1);
        for (int64_t j = 0; j < n0; ++j, ++i) {
          A v = A(row[j * s0]);
          if (is_nan(v) || (IsMax ? v > best : v < best)) {
            best = v;
            best_i = i;
            if (is_nan(v)) break;
          }
        }
      }
      int64_t at = k.offset(g.kept_out_strides, 0);
      if (values) values[at] = T(best);
      indices[at] = best_i;
    }
  });
}

template <bool IsMax>
void arg_reduce_kernel(const Tensor& in, Tensor& values, Tensor& indices, const ReduceGeometry& g) {
  visit_dtype(in.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if (g.num_outputs == 0) return;
    arg_reduce<IsMax>(static_cast<const T*>(in.data_ptr()), values.defined() ? static_cast<T*>(values.data_ptr()) : nullptr,
                      static_cast<int64_t*>(indices.data_ptr()), g);
  });
}

}  // namespace

EMBER_REGISTER_CPU_KERNEL("reduce_sum", &reduce_kernel<SumOp>);
EMBER_REGISTER_CPU_KERNEL("reduce_nansum", &reduce_kernel<NansumOp>);
EMBER_REGISTER_CPU_KERNEL("reduce_prod", &reduce_kernel<ProdOp>);
EMBER_REGISTER_CPU_KERNEL("reduce_max", &reduce_kernel<MaxOp>);
EMBER_REGISTER_CPU_KERNEL("reduce_min", &reduce_kernel<MinOp>);
EMBER_REGISTER_CPU_KERNEL("reduce_argmax", &arg_reduce_kernel<true>);
EMBER_REGISTER_CPU_KERNEL("reduce_argmin", &arg_reduce_kernel<false>);

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
