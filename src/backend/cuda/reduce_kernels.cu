// The CUDA reduction kernels: sum, nansum, prod, max, min and the arg-reductions, with the CPU backend's
// semantics (accumulators: float for float32 and the reduced floats, double for float64, int64 for
// integers and bool; max/min and argmax/argmin let a NaN win; ties keep the first index).
//
// One templated kernel reads the input in place through a ReduceGeometry. Each output is reduced by a
// group of "reduction lanes": along threadIdx.x in row mode (the reduced dims are the faster ones in
// memory), along threadIdx.y in column mode (the kept dims are, so a warp reads neighbouring outputs).
// Reads are 16-byte packs where the layout allows: along one contiguous reduced run in row mode, or
// across neighbouring outputs in column mode. Each lane keeps independent accumulators (several loads
// in flight), then warp shuffles and shared memory combine the lanes. When there are too few outputs
// to fill the device, grid.y splits every reduced range into chunks; the blocks write partials of the
// accumulator type to a temporary and a second launch combines them. The plan depends only on the
// shape, the alignment and the device, so results are deterministic.
#define EMBER_KERNEL_NS cuda_kernels

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <type_traits>

#include <cuda_fp16.h>

#include <ember/ops/factory.h>
#include <ember/tensor.h>

#include "backend/common/pointwise_functors.h"
#include "backend/common/visit_dtype.h"
#include "backend/cuda/cuda_check.h"
#include "backend/cuda/stream.h"
#include "dispatch/reduce_geometry.h"
#include "dispatch/registry.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {
namespace {

using dispatch::ReduceGeometry;

constexpr int kMaxThreads = 512;
constexpr int kUnroll = 4;           // independent loads (and accumulators) in flight per lane
constexpr int64_t kMinPerLane = 16;  // loads per lane below which a reduced range is not split
constexpr int kMaxSplit = 1024;      // partials per output in the multi-pass case
constexpr int kMaxDims = 25;         // kept and reduced dims each, after coalescing (as PyTorch's)

// ---------------------------------------------------------------------------------------------------
// Ops: identity, load (an input element and its flat index along the reduced dims), combine, store.

template <class T>
using sum_acc_t = std::conditional_t<std::is_same_v<T, double>, double,
                                     std::conditional_t<is_float_v<T>, float, int64_t>>;

template <class A>
__device__ __forceinline__ bool is_nan(A v) {
  if constexpr (std::is_floating_point_v<A>) return v != v;
  else return false;
}

// Storage to compute type, with the hardware conversion for float16.
template <class T>
__device__ __forceinline__ compute_t<T> widen(T v) {
  if constexpr (std::is_same_v<T, Half>) return __half2float(__ushort_as_half(v.x));
  else return compute_t<T>(v);
}

template <class T, class A>
__device__ __forceinline__ T finish(A a) {
  if constexpr (std::is_same_v<T, bool>) return a != A(0);
  else return T(a);
}

template <class T>
struct SumOp {
  using In = T;
  using Acc = sum_acc_t<T>;
  T* out;
  __device__ Acc identity() const { return Acc(0); }
  __device__ Acc load(T v, int64_t) const { return Acc(widen(v)); }
  __device__ Acc combine(Acc a, Acc b) const { return a + b; }
  __device__ void store(int64_t off, Acc a) const { out[off] = finish<T>(a); }
};
template <class T>
struct NansumOp : SumOp<T> {
  using Acc = sum_acc_t<T>;
  __device__ Acc load(T v, int64_t) const {
    Acc x = Acc(widen(v));
    return is_nan(x) ? Acc(0) : x;
  }
};
template <class T>
struct ProdOp {
  using In = T;
  using Acc = sum_acc_t<T>;
  T* out;
  __device__ Acc identity() const { return Acc(1); }
  __device__ Acc load(T v, int64_t) const { return Acc(widen(v)); }
  __device__ Acc combine(Acc a, Acc b) const { return a * b; }
  __device__ void store(int64_t off, Acc a) const { out[off] = finish<T>(a); }
};

template <class A, bool IsMax>
__device__ __forceinline__ A extreme_identity() {
  using L = std::numeric_limits<A>;
  if constexpr (L::has_infinity) return IsMax ? -L::infinity() : L::infinity();
  else return IsMax ? L::lowest() : L::max();
}

template <class T, bool IsMax>
struct ExtremeOp {
  using In = T;
  using Acc = compute_t<T>;
  T* out;
  __device__ Acc identity() const { return extreme_identity<Acc, IsMax>(); }
  __device__ Acc load(T v, int64_t) const { return widen(v); }
  __device__ Acc combine(Acc a, Acc b) const { return ((IsMax ? a > b : a < b) || is_nan(a)) ? a : b; }
  __device__ void store(int64_t off, Acc a) const { out[off] = finish<T>(a); }
};
template <class T>
using MaxOp = ExtremeOp<T, true>;
template <class T>
using MinOp = ExtremeOp<T, false>;

template <class V>
struct ArgAcc {
  V v;
  int64_t i;
};

// PyTorch's rules: a NaN beats any number, then the larger (smaller) value, then the lower index. The
// identity's index is past every real one, so it loses every tie.
template <class T, bool IsMax>
struct ArgOp {
  using In = T;
  using V = compute_t<T>;
  using Acc = ArgAcc<V>;
  T* values;  // null when only the indices are wanted
  int64_t* indices;
  __device__ Acc identity() const { return {extreme_identity<V, IsMax>(), std::numeric_limits<int64_t>::max()}; }
  __device__ Acc load(T v, int64_t i) const { return {widen(v), i}; }
  __device__ Acc combine(Acc a, Acc b) const {
    bool an = is_nan(a.v), bn = is_nan(b.v);
    if (an || bn) return (an && bn) ? (a.i < b.i ? a : b) : (an ? a : b);
    if (a.v == b.v) return a.i < b.i ? a : b;
    return (IsMax ? a.v > b.v : a.v < b.v) ? a : b;
  }
  __device__ void store(int64_t off, Acc a) const {
    if (values) values[off] = T(a.v);
    indices[off] = a.i;
  }
};

// ---------------------------------------------------------------------------------------------------
// Device-side geometry and helpers.

struct Geo {
  int64_t num_outputs, num_reduced;
  int kept_nd, red_nd;
  int64_t kept_size[kMaxDims], kept_in[kMaxDims], kept_out[kMaxDims];
  int64_t red_size[kMaxDims], red_stride[kMaxDims];
};

Geo to_geo(const ReduceGeometry& g, const char* name) {
  EMBER_CHECK(g.kept_sizes.size() <= size_t(kMaxDims) && g.red_sizes.size() <= size_t(kMaxDims), name,
              "_cuda: at most ", kMaxDims, " kept and ", kMaxDims, " reduced dims after merging, got ",
              g.kept_sizes.size(), " and ", g.red_sizes.size());
  Geo d{};
  d.num_outputs = g.num_outputs;
  d.num_reduced = g.num_reduced;
  d.kept_nd = int(g.kept_sizes.size());
  d.red_nd = int(g.red_sizes.size());
  for (int i = 0; i < d.kept_nd; ++i) {
    d.kept_size[i] = g.kept_sizes[size_t(i)];
    d.kept_in[i] = g.kept_in_strides[size_t(i)];
    d.kept_out[i] = g.kept_out_strides[size_t(i)];
  }
  for (int i = 0; i < d.red_nd; ++i) {
    d.red_size[i] = g.red_sizes[size_t(i)];
    d.red_stride[i] = g.red_strides[size_t(i)];
  }
  return d;
}

// Offsets of output `o` (< num_outputs, so the outermost kept dim needs no modulo).
__device__ __forceinline__ void kept_offsets(const Geo& g, int64_t o, int64_t& in_off, int64_t& out_off) {
  in_off = 0;
  out_off = 0;
  for (int d = 0; d < g.kept_nd; ++d) {
    int64_t i = o;
    if (d + 1 < g.kept_nd) {
      i = o % g.kept_size[d];
      o /= g.kept_size[d];
    }
    in_off += i * g.kept_in[d];
    out_off += i * g.kept_out[d];
  }
}

// Walks flat reduced indices in steps below or above the innermost reduced size, keeping the
// (row, column) split so the innermost dim costs no division when steps are short.
struct RedWalker {
  int64_t n0, s0, col, row, base;

  __device__ static int64_t row_offset(const Geo& g, int64_t row) {
    int64_t off = 0;
    for (int d = 1; d < g.red_nd; ++d) {
      int64_t i = row;
      if (d + 1 < g.red_nd) {
        i = row % g.red_size[d];
        row /= g.red_size[d];
      }
      off += i * g.red_stride[d];
    }
    return off;
  }
  __device__ RedWalker(const Geo& g, int64_t r) {
    n0 = g.red_nd ? g.red_size[0] : 1;
    s0 = g.red_nd ? g.red_stride[0] : 0;
    col = r < n0 ? r : r % n0;
    row = r < n0 ? 0 : r / n0;
    base = row_offset(g, row);
  }
  __device__ int64_t offset() const { return base + col * s0; }
  __device__ void step(const Geo& g, int64_t by) {
    col += by;
    if (col < n0) return;
    if (col < 2 * n0) {
      col -= n0;
      ++row;
    } else {
      row += col / n0;
      col %= n0;
    }
    base = row_offset(g, row);
  }
};

template <class A>
__device__ __forceinline__ A shfl_down(A v, int delta) {
  if constexpr (sizeof(A) < 4) return A(__shfl_down_sync(0xffffffffu, int(v), delta));
  else if constexpr (std::is_same_v<A, int64_t>) return A(__shfl_down_sync(0xffffffffu, (long long)v, delta));
  else return __shfl_down_sync(0xffffffffu, v, delta);
}
template <class V>
__device__ __forceinline__ ArgAcc<V> shfl_down(ArgAcc<V> a, int delta) {
  return {shfl_down(a.v, delta), shfl_down(a.i, delta)};
}

template <class T>
struct alignas(16) Pack {
  static constexpr int kWidth = int(16 / sizeof(T));
  T v[kWidth];
};

// Elements before the first 16-byte boundary of a run of nr elements at p.
template <class T>
__device__ __forceinline__ int64_t vec_head(const T* p, int64_t nr) {
  int64_t h = int64_t((16 - (reinterpret_cast<uintptr_t>(p) & 15)) & 15) / int64_t(sizeof(T));
  return h < nr ? h : nr;
}

// A lane's share of one output's reduced range [lo, hi): lo + lane, lo + lane + L, ... (L lanes), kUnroll
// loads in flight. `Cols` packs: each load is a Pack of the kWidth neighbouring outputs, accumulated
// into acc[0..kWidth); otherwise acc[0..kUnroll) are independent partials of one output.
template <bool Cols, class Op, class A, int N>
__device__ void lane_reduce(const Op& op, const typename Op::In* __restrict__ p, const Geo& g, int64_t lo,
                            int64_t hi, int lane, int L, A (&acc)[N]) {
  using T = typename Op::In;
  using Load = std::conditional_t<Cols, Pack<T>, T>;
  if (hi > g.num_reduced) hi = g.num_reduced;
  if (lo + lane >= hi) return;
  RedWalker walk(g, lo + lane);
  for (int64_t r = lo + lane; r < hi; r += kUnroll * L) {
    int64_t off[kUnroll];
#pragma unroll
    for (int k = 0; k < kUnroll; ++k) {
      off[k] = walk.offset();
      if (r + (k + 1) * L < hi) walk.step(g, L);
    }
    Load v[kUnroll];
#pragma unroll
    for (int k = 0; k < kUnroll; ++k)
      if (r + k * L < hi) v[k] = *reinterpret_cast<const Load*>(p + off[k]);
#pragma unroll
    for (int k = 0; k < kUnroll; ++k) {
      const int64_t i = r + k * L;
      if (i >= hi) continue;
      if constexpr (Cols) {
#pragma unroll
        for (int j = 0; j < N; ++j) acc[j] = op.combine(acc[j], op.load(v[k].v[j], i));
      } else {
        acc[k] = op.combine(acc[k], op.load(v[k], i));
      }
    }
  }
}

// One contiguous reduced run of nr elements, as 16-byte Packs: this lane's share of packs [lo, hi),
// and, for the lanes of the first split, the scalar head before the first 16-byte boundary and tail.
template <class Op, class A>
__device__ void lane_reduce_vec(const Op& op, const typename Op::In* __restrict__ p, int64_t nr, int64_t lo,
                                int64_t hi, int lane, int L, bool edges, A (&acc)[kUnroll]) {
  using T = typename Op::In;
  constexpr int W = Pack<T>::kWidth;
  const int64_t head = vec_head(p, nr), nvec = (nr - head) / W;
  if (edges) {
    for (int64_t r = lane; r < head; r += L) acc[0] = op.combine(acc[0], op.load(p[r], r));
    for (int64_t r = head + nvec * W + lane; r < nr; r += L) acc[1] = op.combine(acc[1], op.load(p[r], r));
  }
  if (hi > nvec) hi = nvec;
  const Pack<T>* q = reinterpret_cast<const Pack<T>*>(p + head);
  for (int64_t i = lo + lane; i < hi; i += kUnroll * L) {
    Pack<T> x[kUnroll];
#pragma unroll
    for (int k = 0; k < kUnroll; ++k)
      if (i + k * L < hi) x[k] = q[i + k * L];
#pragma unroll
    for (int k = 0; k < kUnroll; ++k)
      if (i + k * L < hi) {
        const int64_t first = head + (i + k * L) * W;
#pragma unroll
        for (int j = 0; j < W; ++j) acc[k] = op.combine(acc[k], op.load(x[k].v[j], first + j));
      }
  }
}

// Reduction lanes along x (blockDim.x a power of two; the block a whole number of warps): the result
// lands in the thread with threadIdx.x == 0.
template <class Op, class A>
__device__ A block_reduce_x(const Op& op, A acc, A* smem) {
  const int bx = int(blockDim.x), tx = int(threadIdx.x), ty = int(threadIdx.y);
  for (int d = (bx < 32 ? bx : 32) / 2; d > 0; d /= 2) acc = op.combine(acc, shfl_down(acc, d));
  if (bx <= 32) return acc;
  const int warps = bx / 32;
  __syncthreads();  // the previous output group may still be reading smem
  if ((tx & 31) == 0) smem[ty * warps + tx / 32] = acc;
  __syncthreads();
  if (tx < 32) {
    acc = tx < warps ? smem[ty * warps + tx] : op.identity();
    for (int d = 16; d > 0; d /= 2) acc = op.combine(acc, shfl_down(acc, d));
  }
  return acc;
}

// Reduction lanes along y (blockDim.y a power of two): the result lands in threadIdx.y == 0.
template <class Op, class A>
__device__ A block_reduce_y(const Op& op, A acc, A* smem) {
  const int bx = int(blockDim.x), by = int(blockDim.y), tx = int(threadIdx.x), ty = int(threadIdx.y);
  if (by == 1) return acc;
  __syncthreads();
  smem[ty * bx + tx] = acc;
  for (int s = by / 2; s > 0; s /= 2) {
    __syncthreads();
    if (ty < s) {
      acc = op.combine(acc, smem[(ty + s) * bx + tx]);
      smem[ty * bx + tx] = acc;
    }
  }
  return acc;
}

// How each thread reads: single elements (reduction lanes along x in row mode, along y in column
// mode), 16-byte packs along one contiguous reduced run (row mode), or packs of kWidth neighbouring
// outputs (column mode).
enum class Path { kScalar, kRowPacks, kColPacks };

// First pass (the only one unless gridDim.y > 1; then block y reduces the y-th chunk of every reduced
// range and writes partial[o * gridDim.y + blockIdx.y]). `chunk` counts loads (elements or packs).
template <class Op, Path kPath>
__global__ void __launch_bounds__(kMaxThreads)
    reduce_pass(Op op, Geo g, int64_t groups, int64_t chunk, bool columns, const typename Op::In* __restrict__ in,
                typename Op::Acc* __restrict__ partial) {
  using A = typename Op::Acc;
  constexpr int N = kPath == Path::kColPacks ? Pack<typename Op::In>::kWidth : kUnroll;
  constexpr int outs_per_lane = kPath == Path::kColPacks ? N : 1;
  __shared__ alignas(16) unsigned char smem_raw[kMaxThreads * sizeof(A)];
  A* smem = reinterpret_cast<A*>(smem_raw);
  const int out_lane = int(columns ? threadIdx.x : threadIdx.y);
  const int per_block = int(columns ? blockDim.x : blockDim.y);
  const int red_lane = int(columns ? threadIdx.y : threadIdx.x);
  const int red_lanes = int(columns ? blockDim.y : blockDim.x);
  const int64_t lo = int64_t(blockIdx.y) * chunk, hi = lo + chunk;  // clamped by the lane functions
  const int64_t lanes_out = g.num_outputs / outs_per_lane;
  for (int64_t grp = blockIdx.x; grp < groups; grp += gridDim.x) {
    const int64_t ol = grp * per_block + out_lane;
    A acc[N];
#pragma unroll
    for (int k = 0; k < N; ++k) acc[k] = op.identity();
    int64_t in_off = 0, out_off = 0;
    if (ol < lanes_out) {
      kept_offsets(g, ol * outs_per_lane, in_off, out_off);
      if constexpr (kPath == Path::kRowPacks)
        lane_reduce_vec(op, in + in_off, g.num_reduced, lo, hi, red_lane, red_lanes, blockIdx.y == 0, acc);
      else
        lane_reduce<kPath == Path::kColPacks>(op, in + in_off, g, lo, hi, red_lane, red_lanes, acc);
    }
    if constexpr (kPath == Path::kColPacks) {
#pragma unroll
      for (int j = 0; j < N; ++j) acc[j] = block_reduce_y(op, acc[j], smem);
    } else {
      acc[0] = op.combine(op.combine(acc[0], acc[1]), op.combine(acc[2], acc[3]));
      acc[0] = columns ? block_reduce_y(op, acc[0], smem) : block_reduce_x(op, acc[0], smem);
    }
    if (red_lane == 0 && ol < lanes_out) {
#pragma unroll
      for (int j = 0; j < outs_per_lane; ++j) {
        if (gridDim.y == 1) op.store(out_off + j * (g.kept_nd ? g.kept_out[0] : 0), acc[j]);
        else partial[(ol * outs_per_lane + j) * gridDim.y + blockIdx.y] = acc[j];
      }
    }
  }
}

// Second pass: a warp per output combines its `split` partials.
template <class Op>
__global__ void __launch_bounds__(256)
    combine_pass(Op op, Geo g, int split, const typename Op::Acc* __restrict__ partial) {
  using A = typename Op::Acc;
  const int lane = int(threadIdx.x & 31);
  const int64_t warps = int64_t(gridDim.x) * (blockDim.x / 32);
  for (int64_t o = int64_t(blockIdx.x) * (blockDim.x / 32) + threadIdx.x / 32; o < g.num_outputs; o += warps) {
    A acc = op.identity();
    for (int y = lane; y < split; y += 32) acc = op.combine(acc, partial[o * split + y]);
    for (int d = 16; d > 0; d /= 2) acc = op.combine(acc, shfl_down(acc, d));
    if (lane == 0) {
      int64_t in_off, out_off;
      kept_offsets(g, o, in_off, out_off);
      op.store(out_off, acc);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Host side: the launch plan.

int64_t pow2_at_least(int64_t n) {
  int64_t p = 1;
  while (p < n) p *= 2;
  return p;
}
int64_t pow2_at_most(int64_t n) {
  int64_t p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}

int sm_count(const char* name) {
  int dev = 0;
  EMBER_CUDA_CHECK(cudaGetDevice(&dev), name);
  static std::atomic<int> cache[64];
  if (dev < 64 && cache[dev].load(std::memory_order_relaxed) > 0) return cache[dev].load(std::memory_order_relaxed);
  int n = 0;
  EMBER_CUDA_CHECK(cudaDeviceGetAttribute(&n, cudaDevAttrMultiProcessorCount, dev), name);
  if (dev < 64) cache[dev].store(n, std::memory_order_relaxed);
  return n;
}

// Resident blocks per SM of a reduce_pass instantiation at a block size (a power of two up to
// kMaxThreads).
template <class Op, Path kPath>
int blocks_per_sm(int threads, const char* name) {
  static std::atomic<int> cache[16];
  int slot = 0;
  while ((1 << slot) < threads) ++slot;
  int n = cache[slot].load(std::memory_order_relaxed);
  if (n > 0) return n;
  EMBER_CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&n, reduce_pass<Op, kPath>, threads, 0), name);
  n = n > 0 ? n : 1;
  cache[slot].store(n, std::memory_order_relaxed);
  return n;
}

struct Plan {
  bool columns = false;
  Path path = Path::kScalar;
  int bx = 1, by = 1;
  int64_t outs = 0;   // output lanes needed (outputs, or packs of outputs)
  int64_t loads = 0;  // loads of one output lane when one thread does them all
};

bool aligned16(const void* p) { return (reinterpret_cast<uintptr_t>(p) & 15) == 0; }

// Packs of neighbouring outputs need them contiguous in the input, whole packs per row, and every
// pack 16-byte aligned.
bool col_packs_fit(const ReduceGeometry& g, const void* data, int width) {
  if (g.kept_in_strides[0] != 1 || g.kept_sizes[0] % width != 0 || !aligned16(data)) return false;
  for (size_t d = 1; d < g.kept_in_strides.size(); ++d)
    if (g.kept_in_strides[d] % width != 0) return false;
  for (int64_t s : g.red_strides)
    if (s % width != 0) return false;
  return true;
}

// Lanes of one output get at least a full batch of kUnroll loads each; x takes up to a warp first, y
// what it needs of the rest, and the leftover threads go to x, then (few outputs) to the reduction.
// A block is at least one whole warp.
Plan make_plan(const ReduceGeometry& g, const void* data, int width) {
  Plan p;
  const int64_t no = g.num_outputs, nr = g.num_reduced;
  p.columns = no > 1 && (nr <= 1 || g.kept_in_strides[0] < g.red_strides[0]);
  if (!p.columns && g.red_sizes.size() == 1 && g.red_strides[0] == 1 && nr >= 4 * width) p.path = Path::kRowPacks;
  if (p.columns && nr >= 1 && col_packs_fit(g, data, width)) p.path = Path::kColPacks;
  p.loads = p.path == Path::kRowPacks ? (nr + width - 1) / width : nr;
  p.outs = p.path == Path::kColPacks ? no / width : no;
  const int64_t red_min = std::max<int64_t>(1, pow2_at_most(p.loads / kUnroll));
  const int64_t red_max = pow2_at_least(p.loads), out_max = pow2_at_least(p.outs);
  int64_t red, out;
  if (p.columns) {
    out = std::min<int64_t>(out_max, 32);
    red = std::min<int64_t>(red_min, kMaxThreads / out);
    out = std::min<int64_t>(out_max, kMaxThreads / red);
    red = std::max<int64_t>({red, std::min<int64_t>(red_max, kMaxThreads / out), 32 / out});
    p.bx = int(out);
    p.by = int(red);
  } else {
    red = std::min<int64_t>(red_min, 32);
    out = std::min<int64_t>(out_max, kMaxThreads / red);
    red = std::max<int64_t>({red, std::min<int64_t>(red_max, kMaxThreads / out), 32 / out});
    p.bx = int(red);
    p.by = int(out);
  }
  return p;
}

template <class Op, Path kPath>
void launch(const char* name, const Op& op, const Tensor& in, const ReduceGeometry& g, const Plan& p) {
  using T = typename Op::In;
  using A = typename Op::Acc;
  const Geo geo = to_geo(g, name);
  const int red_lanes = p.columns ? p.by : p.bx, out_lanes = p.columns ? p.bx : p.by;
  const int64_t groups = (p.outs + out_lanes - 1) / out_lanes;
  // One wave of resident blocks: more output groups are looped over; fewer split every reduced range
  // into chunks, while each lane keeps enough loads to hide latency.
  const int64_t wave = int64_t(sm_count(name)) * blocks_per_sm<Op, kPath>(p.bx * p.by, name);
  int64_t split = 1;
  if (groups < wave && p.loads > red_lanes * kMinPerLane)
    split = std::min<int64_t>({wave / groups, p.loads / (red_lanes * kMinPerLane), kMaxSplit});
  // Chunks are whole batches of every lane's loads, so only the last is ragged.
  const int64_t batch = int64_t(red_lanes) * kUnroll;
  const int64_t chunk = std::max<int64_t>(batch, ((p.loads + split - 1) / split + batch - 1) / batch * batch);
  split = std::max<int64_t>(1, (p.loads + chunk - 1) / chunk);
  const dim3 block(unsigned(p.bx), unsigned(p.by));
  const dim3 grid(unsigned(std::min(groups, wave)), unsigned(split));
  const T* src = static_cast<const T*>(in.data_ptr());
  cudaStream_t stream = ::ember::cuda::current_stream();
  if (split == 1) {
    reduce_pass<Op, kPath><<<grid, block, 0, stream>>>(op, geo, groups, chunk, p.columns, src, nullptr);
    EMBER_CUDA_CHECK_LAUNCH(name);
    return;
  }
  // Freed when this returns; the caching allocator hands it out again only to work queued after ours.
  Tensor tmp = ember::empty({g.num_outputs * split * int64_t(sizeof(A))}, TensorOptions(kUInt8).device(in.device()));
  A* partial = static_cast<A*>(tmp.data_ptr());
  reduce_pass<Op, kPath><<<grid, block, 0, stream>>>(op, geo, groups, chunk, p.columns, src, partial);
  EMBER_CUDA_CHECK_LAUNCH(name);
  const int warps_per_block = 8;
  const int64_t blocks = std::min<int64_t>((g.num_outputs + warps_per_block - 1) / warps_per_block, 65535);
  combine_pass<Op><<<unsigned(blocks), 32 * warps_per_block, 0, stream>>>(op, geo, int(split), partial);
  EMBER_CUDA_CHECK_LAUNCH(name);
}

template <class Op>
void launch(const char* name, const Op& op, const Tensor& in, const ReduceGeometry& g) {
  if (g.num_outputs == 0) return;
  const Plan p = make_plan(g, in.data_ptr(), Pack<typename Op::In>::kWidth);
  switch (p.path) {
    case Path::kScalar: return launch<Op, Path::kScalar>(name, op, in, g, p);
    case Path::kRowPacks: return launch<Op, Path::kRowPacks>(name, op, in, g, p);
    case Path::kColPacks: return launch<Op, Path::kColPacks>(name, op, in, g, p);
  }
}

template <template <class> class OpT>
void reduce_kernel(const char* name, const Tensor& in, Tensor& out, const ReduceGeometry& g) {
  visit_dtype(in.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    OpT<T> op{};
    op.out = static_cast<T*>(out.data_ptr());
    launch(name, op, in, g);
  });
}

// nansum differs from sum only on floating types.
template <class T>
using NansumOrSum = std::conditional_t<is_float_v<T>, NansumOp<T>, SumOp<T>>;

void sum_kernel(const Tensor& in, Tensor& out, const ReduceGeometry& g) {
  reduce_kernel<SumOp>("reduce_sum", in, out, g);
}
void nansum_kernel(const Tensor& in, Tensor& out, const ReduceGeometry& g) {
  reduce_kernel<NansumOrSum>("reduce_nansum", in, out, g);
}
void prod_kernel(const Tensor& in, Tensor& out, const ReduceGeometry& g) {
  reduce_kernel<ProdOp>("reduce_prod", in, out, g);
}
void max_kernel(const Tensor& in, Tensor& out, const ReduceGeometry& g) {
  reduce_kernel<MaxOp>("reduce_max", in, out, g);
}
void min_kernel(const Tensor& in, Tensor& out, const ReduceGeometry& g) {
  reduce_kernel<MinOp>("reduce_min", in, out, g);
}

template <bool IsMax>
void arg_reduce_kernel(const Tensor& in, Tensor& values, Tensor& indices, const ReduceGeometry& g) {
  const char* name = IsMax ? "reduce_argmax" : "reduce_argmin";
  if (g.num_outputs == 0) return;
  EMBER_CHECK(g.num_reduced > 0, name, "_cuda: cannot reduce an empty range (", g.num_outputs, " outputs)");
  visit_dtype(in.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    ArgOp<T, IsMax> op{values.defined() ? static_cast<T*>(values.data_ptr()) : nullptr,
                       static_cast<int64_t*>(indices.data_ptr())};
    launch(name, op, in, g);
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("reduce_sum", ::ember::kCUDA, &sum_kernel);
EMBER_REGISTER_KERNEL("reduce_nansum", ::ember::kCUDA, &nansum_kernel);
EMBER_REGISTER_KERNEL("reduce_prod", ::ember::kCUDA, &prod_kernel);
EMBER_REGISTER_KERNEL("reduce_max", ::ember::kCUDA, &max_kernel);
EMBER_REGISTER_KERNEL("reduce_min", ::ember::kCUDA, &min_kernel);
EMBER_REGISTER_KERNEL("reduce_argmax", ::ember::kCUDA, &arg_reduce_kernel<true>);
EMBER_REGISTER_KERNEL("reduce_argmin", ::ember::kCUDA, &arg_reduce_kernel<false>);

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
