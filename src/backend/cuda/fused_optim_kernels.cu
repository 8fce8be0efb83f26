// Fused multi-tensor optimizer steps on CUDA (SGD, Adam/AdamW, RMSprop, GradScaler's unscale), in the manner of PyTorch's
// multi_tensor_apply: one launch updates every tensor of a list. The host writes a table of the
// tensors (pointers, sizes, per-tensor scalars) and of (tensor, chunk) pairs, uploads it with one copy,
// and each block takes chunks of the pairs in turn, so a thousand small parameters cost one launch and
// one large one still spreads over the whole GPU.
//
// The arithmetic is that of the CPU loops in src/optim (sgd.cpp, adam.cpp, rmsprop.cpp): the same
// terms in the same order in the parameter's dtype, with the same scalars rounded from double on the
// host. Every operation is an explicitly rounded intrinsic (__fadd_rn, __fmul_rn, ...), which nvcc
// never contracts into a fused multiply-add, and the host build of those loops has no FMA either, so a
// GPU step gives the CPU step's bits.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

#include <ember/ops/factory.h>
#include <ember/tensor.h>

#include "backend/cuda/cuda_check.h"
#include "backend/cuda/not_implemented.h"
#include "backend/cuda/stream.h"
#include "dispatch/optim_kernels.h"
#include "dispatch/registry.h"

namespace ember::cuda {
namespace {

// The lists of one launch: 0 the parameters, 1 the gradients, 2.. up to three state buffers.
constexpr int kLists = 5;
constexpr int kThreads = 512;
// Elements of one tensor that one block updates at a time: small enough that a list of mid-sized
// tensors yields many blocks, large enough that the per-chunk table reads do not show.
constexpr int64_t kChunk = 65536;

// One tensor of the launch.
struct Entry {
  void* ptr[kLists];  // null for a list the launch does not use
  int64_t numel;
  double scalar[2];   // per-tensor factors (Adam: step size, sqrt of bias correction 2)
  uint32_t load;      // bit k: list k is read; a new SGD momentum buffer is only written
  uint32_t vector;    // every pointer is 16-byte aligned, so a pack of elements moves in one access
};

// One block's unit of work: chunk `index` of entry `entry`.
struct Chunk {
  int32_t entry;
  int32_t index;
};

__device__ __forceinline__ float add(float a, float b) { return __fadd_rn(a, b); }
__device__ __forceinline__ double add(double a, double b) { return __dadd_rn(a, b); }
__device__ __forceinline__ float sub(float a, float b) { return __fsub_rn(a, b); }
__device__ __forceinline__ double sub(double a, double b) { return __dsub_rn(a, b); }
__device__ __forceinline__ float mul(float a, float b) { return __fmul_rn(a, b); }
__device__ __forceinline__ double mul(double a, double b) { return __dmul_rn(a, b); }
__device__ __forceinline__ float div(float a, float b) { return __fdiv_rn(a, b); }
__device__ __forceinline__ double div(double a, double b) { return __ddiv_rn(a, b); }
__device__ __forceinline__ float sqrt_rn(float a) { return __fsqrt_rn(a); }
__device__ __forceinline__ double sqrt_rn(double a) { return __dsqrt_rn(a); }

// torch.optim.SGD, as sgd_loop: x = {param, grad, momentum buffer}.
template <class T>
struct SGDOp {
  T lr, momentum, one_minus_dampening, weight_decay, sign;
  bool decay, use_buffer, nesterov;
  __device__ void operator()(const Entry& e, T (&x)[kLists]) const {
    T d = mul(sign, x[1]);
    if (decay) d = add(d, mul(weight_decay, x[0]));
    if (use_buffer) {
      const T m = (e.load & 4u) ? add(mul(x[2], momentum), mul(one_minus_dampening, d)) : d;
      x[2] = m;
      d = nesterov ? add(d, mul(momentum, m)) : m;
    }
    x[0] = sub(x[0], mul(lr, d));
  }
};

// torch.optim.Adam / AdamW, as adam_loop: x = {param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq}.
template <class T>
struct AdamOp {
  T beta1, one_minus_beta1, beta2, one_minus_beta2, eps, weight_decay, shrink, sign;
  bool amsgrad, decay, decoupled;
  __device__ void operator()(const Entry& e, T (&x)[kLists]) const {
    const T neg_step = T(-e.scalar[0]), bc2_sqrt = T(e.scalar[1]);
    T g = mul(sign, x[1]);
    T p = x[0];
    if (decoupled) p = mul(p, shrink);
    if (decay) g = add(g, mul(weight_decay, p));
    const T m = add(mul(x[2], beta1), mul(one_minus_beta1, g));
    const T v = add(mul(x[3], beta2), mul(mul(one_minus_beta2, g), g));
    x[2] = m;
    x[3] = v;
    T r = v;
    if (amsgrad) {
      r = x[4] < v ? v : x[4];
      x[4] = r;
    }
    x[0] = add(p, mul(neg_step, div(m, add(div(sqrt_rn(r), bc2_sqrt), eps))));
  }
};

// torch.optim.RMSprop, as RMSpropKernel: x = {param, grad, square_avg, grad_avg, momentum buffer}.
template <class T>
struct RMSpropOp {
  T lr, alpha, one_minus_alpha, eps, weight_decay, momentum, sign;
  bool decay, centered, use_buffer;
  __device__ void operator()(const Entry&, T (&x)[kLists]) const {
    T g = mul(sign, x[1]);
    if (decay) g = add(g, mul(weight_decay, x[0]));
    const T sq = add(mul(x[2], alpha), mul(mul(one_minus_alpha, g), g));
    x[2] = sq;
    T r = sq;
    if (centered) {
      const T ga = add(mul(x[3], alpha), mul(one_minus_alpha, g));
      x[3] = ga;
      r = sub(sq, mul(ga, ga));
    }
    const T avg = add(sqrt_rn(r), eps);
    if (use_buffer) {
      const T b = add(mul(x[4], momentum), div(g, avg));
      x[4] = b;
      x[0] = sub(x[0], mul(lr, b));
    } else {
      x[0] = sub(x[0], mul(lr, div(g, avg)));
    }
  }
};

// GradScaler's unscale, as PyTorch's _amp_non_finite_check_and_unscale_: x = {grad}. The check reads
// the value before the multiplication; every element that finds one writes the same 1.
template <class T>
struct UnscaleOp {
  const float* inv_scale;
  float* found_inf;
  __device__ void operator()(const Entry&, T (&x)[kLists]) const {
    const T v = x[0];
    if (!isfinite(v)) *found_inf = 1.f;
    const float inv = *inv_scale;
    x[0] = inv == 1.f ? v : mul(v, T(inv));
  }
};

template <class T, int V>
struct alignas(sizeof(T) * V) Pack {
  T v[V];
};

// Elements [i, i + V) of entry e: read the lists e reads, apply op to each element, write back every
// list but the gradients.
template <class T, int V, class Op>
__device__ __forceinline__ void update(const Entry& e, int64_t i, const Op& op) {
  T x[kLists][V] = {};
#pragma unroll
  for (int k = 0; k < kLists; ++k)
    if (e.load >> k & 1u) {
      const Pack<T, V> in = *reinterpret_cast<const Pack<T, V>*>(static_cast<const T*>(e.ptr[k]) + i);
#pragma unroll
      for (int j = 0; j < V; ++j) x[k][j] = in.v[j];
    }
#pragma unroll
  for (int j = 0; j < V; ++j) {
    T y[kLists];
#pragma unroll
    for (int k = 0; k < kLists; ++k) y[k] = x[k][j];
    op(e, y);
#pragma unroll
    for (int k = 0; k < kLists; ++k) x[k][j] = y[k];
  }
#pragma unroll
  for (int k = 0; k < kLists; ++k)
    if (k != 1 && e.ptr[k] != nullptr) {
      Pack<T, V> out;
#pragma unroll
      for (int j = 0; j < V; ++j) out.v[j] = x[k][j];
      *reinterpret_cast<Pack<T, V>*>(static_cast<T*>(e.ptr[k]) + i) = out;
    }
}

// Each block takes chunks blockIdx.x, blockIdx.x + gridDim.x, ...; within a chunk a thread moves 16-byte
// packs (all of a chunk but a tail shorter than a pack) when the entry's pointers allow, else elements.
template <class T, class Op>
__global__ void __launch_bounds__(kThreads)
    fused_kernel(const Entry* __restrict__ entries, const Chunk* __restrict__ chunks, int64_t num_chunks, Op op) {
  constexpr int V = 16 / int(sizeof(T));
  for (int64_t c = blockIdx.x; c < num_chunks; c += gridDim.x) {
    const Chunk ch = chunks[c];
    const Entry e = entries[ch.entry];
    const int64_t begin = int64_t(ch.index) * kChunk;
    const int64_t end = e.numel < begin + kChunk ? e.numel : begin + kChunk;
    int64_t tail = begin;
    if (e.vector) {
      tail = begin + (end - begin) / V * V;
      for (int64_t i = begin + int64_t(threadIdx.x) * V; i < tail; i += int64_t(kThreads) * V) update<T, V>(e, i, op);
    }
    for (int64_t i = tail + int64_t(threadIdx.x); i < end; i += kThreads) update<T, 1>(e, i, op);
  }
}

// ---------------------------------------------------------------------------------------------------
// Host side.

// The entries of lists[0].size() tensors; an empty list is one the launch does not use.
std::vector<Entry> entries_of(const std::array<ArrayRef<Tensor>, kLists>& lists) {
  std::vector<Entry> entries(lists[0].size());
  for (size_t i = 0; i < entries.size(); ++i) {
    Entry& e = entries[i];
    e = Entry{};
    e.numel = lists[0][i].numel();
    bool aligned = true;
    for (int k = 0; k < kLists; ++k) {
      if (lists[size_t(k)].empty()) continue;
      e.ptr[k] = lists[size_t(k)][i].data_ptr();
      e.load |= 1u << k;
      aligned = aligned && reinterpret_cast<uintptr_t>(e.ptr[k]) % 16 == 0;
    }
    e.vector = aligned;
  }
  return entries;
}

// Uploads the table of `entries` and their chunks and runs op over it on the current stream.
template <class T, class Op>
void launch(const char* name, Device device, const std::vector<Entry>& entries, const Op& op) {
  std::vector<Chunk> chunks;
  for (size_t i = 0; i < entries.size(); ++i)
    for (int64_t b = 0, c = 0; b < entries[i].numel; b += kChunk, ++c) chunks.push_back({int32_t(i), int32_t(c)});
  if (chunks.empty()) return;
  const size_t entry_bytes = entries.size() * sizeof(Entry), bytes = entry_bytes + chunks.size() * sizeof(Chunk);
  std::vector<unsigned char> host(bytes);
  std::memcpy(host.data(), entries.data(), entry_bytes);
  std::memcpy(host.data() + entry_bytes, chunks.data(), chunks.size() * sizeof(Chunk));
  // The caching allocator hands the block to later work on this stream only after the kernel below,
  // so the table may die with this function while the kernel still reads it.
  Tensor table = ember::empty({int64_t(bytes)}, TensorOptions(kUInt8).device(device));
  // From pageable memory the copy returns once the driver has staged the bytes, so `host` may go
  // before the copy reaches the device.
  EMBER_CUDA_CHECK(cudaMemcpyAsync(table.data_ptr(), host.data(), bytes, cudaMemcpyHostToDevice, current_stream()),
                   name);
  const auto* base = static_cast<const unsigned char*>(table.data_ptr());
  const int64_t n = int64_t(chunks.size());
  const unsigned grid = unsigned(std::min<int64_t>(n, 65535LL * 16));
  fused_kernel<T><<<grid, kThreads, 0, current_stream()>>>(
      reinterpret_cast<const Entry*>(base), reinterpret_cast<const Chunk*>(base + entry_bytes), n, op);
  EMBER_CUDA_CHECK_LAUNCH(name);
}

void fused_sgd(ArrayRef<Tensor> params, ArrayRef<Tensor> grads, ArrayRef<Tensor> momentum_buffers,
               ArrayRef<uint8_t> first, const dispatch::FusedSGDOptions& o) {
  std::vector<Entry> entries = entries_of({params, grads, momentum_buffers, {}, {}});
  for (size_t i = 0; i < first.size(); ++i)
    if (first[i]) entries[i].load &= ~4u;
  float_or_double(params[0].dtype(), "_fused_sgd", [&](auto zero) {
    using T = decltype(zero);
    const SGDOp<T> op{T(o.lr),
                      T(o.momentum),
                      T(1 - o.dampening),
                      T(o.weight_decay),
                      o.maximize ? T(-1) : T(1),
                      o.weight_decay != 0,
                      !momentum_buffers.empty(),
                      o.nesterov};
    launch<T>("_fused_sgd_", params[0].device(), entries, op);
  });
}

void fused_adam(ArrayRef<Tensor> params, ArrayRef<Tensor> grads, ArrayRef<Tensor> exp_avgs,
                ArrayRef<Tensor> exp_avg_sqs, ArrayRef<Tensor> max_exp_avg_sqs, ArrayRef<double> step_sizes,
                ArrayRef<double> bias_correction2_sqrts, const dispatch::FusedAdamOptions& o) {
  std::vector<Entry> entries =
      entries_of({params, grads, exp_avgs, exp_avg_sqs, o.amsgrad ? max_exp_avg_sqs : ArrayRef<Tensor>()});
  for (size_t i = 0; i < entries.size(); ++i) {
    entries[i].scalar[0] = step_sizes[i];
    entries[i].scalar[1] = bias_correction2_sqrts[i];
  }
  float_or_double(params[0].dtype(), "_fused_adam", [&](auto zero) {
    using T = decltype(zero);
    const AdamOp<T> op{T(o.beta1),
                       T(1 - o.beta1),
                       T(o.beta2),
                       T(1 - o.beta2),
                       T(o.eps),
                       T(o.weight_decay),
                       T(1 - o.lr * o.weight_decay),
                       o.maximize ? T(-1) : T(1),
                       o.amsgrad,
                       !o.decoupled && o.weight_decay != 0,
                       o.decoupled};
    launch<T>("_fused_adam_", params[0].device(), entries, op);
  });
}

void fused_rmsprop(ArrayRef<Tensor> params, ArrayRef<Tensor> grads, ArrayRef<Tensor> square_avgs,
                   ArrayRef<Tensor> grad_avgs, ArrayRef<Tensor> momentum_buffers,
                   const dispatch::FusedRMSpropOptions& o) {
  const std::vector<Entry> entries = entries_of({params, grads, square_avgs, grad_avgs, momentum_buffers});
  float_or_double(params[0].dtype(), "_fused_rmsprop", [&](auto zero) {
    using T = decltype(zero);
    const RMSpropOp<T> op{T(o.lr),
                          T(o.alpha),
                          T(1 - o.alpha),
                          T(o.eps),
                          T(o.weight_decay),
                          T(o.momentum),
                          o.maximize ? T(-1) : T(1),
                          o.weight_decay != 0,
                          !grad_avgs.empty(),
                          !momentum_buffers.empty()};
    launch<T>("_fused_rmsprop_", params[0].device(), entries, op);
  });
}

void amp_unscale(ArrayRef<Tensor> grads, const Tensor& found_inf, const Tensor& inv_scale) {
  const std::vector<Entry> entries = entries_of({grads, {}, {}, {}, {}});
  float_or_double(grads[0].dtype(), "_amp_foreach_non_finite_check_and_unscale", [&](auto zero) {
    using T = decltype(zero);
    const UnscaleOp<T> op{inv_scale.data_ptr<float>(), found_inf.data_ptr<float>()};
    launch<T>("_fused_amp_unscale_", grads[0].device(), entries, op);
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("_fused_amp_unscale_", ::ember::kCUDA, static_cast<dispatch::AmpUnscaleKernel*>(&amp_unscale));
EMBER_REGISTER_KERNEL("_fused_sgd_", ::ember::kCUDA, static_cast<dispatch::FusedSGDKernel*>(&fused_sgd));
EMBER_REGISTER_KERNEL("_fused_adam_", ::ember::kCUDA, static_cast<dispatch::FusedAdamKernel*>(&fused_adam));
EMBER_REGISTER_KERNEL("_fused_rmsprop_", ::ember::kCUDA, static_cast<dispatch::FusedRMSpropKernel*>(&fused_rmsprop));

}  // namespace ember::cuda
