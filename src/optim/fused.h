#pragma once
// The machinery of the fused optimizer updates: every parameter of a group that has a gradient becomes a
// Slot (contiguous parameter, gradient and state buffers plus its per-tensor scalars); the slots are cut
// into fixed chunks and one OpenMP loop runs a kernel over all chunks of all tensors. Each kernel does all
// terms of its update in one pass over the elements, in the parameter's dtype, in PyTorch's order of
// operations.
#include <omp.h>
#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include <ember/ember.h>
#include <ember/optim/optimizer.h>

namespace ember::optim::detail {

struct Slot {
  Tensor param;                // the parameter
  Tensor p;                    // param, or a contiguous copy written back by finish()
  Tensor g;                    // the gradient, contiguous, in param's dtype
  std::array<Tensor, 4> s{};   // state buffers (contiguous, param's shape and dtype)
  std::array<double, 8> c{};   // per-tensor scalars (step-dependent factors)
  bool first = false;          // e.g. SGD's momentum buffer is created on this step
};

// The parameter's dtype must be float32 or float64, and its device the CPU, or a GPU where the
// optimizer has a fused CUDA update (`cuda`).
void check_param(const Optimizer& opt, const Tensor& p, bool cuda = false);

// A Slot for a parameter with a gradient (its state buffers still unset).
Slot make_slot(const Optimizer& opt, const Tensor& param, bool cuda = false);

// The device of the group's parameters that have gradients (the CPU if none has); raises when they are
// on different devices, before any state changes.
Device group_device(const Optimizer& opt, const ParamGroup& group);

// The slots of one dtype as the lists of a fused multi-tensor op (ember/ops/fused_optim.h): index[j] is
// the position in the slot vector of the j-th tensor of each list; s[k] holds every slot's s[k],
// undefined where a slot has none.
struct SlotLists {
  std::vector<size_t> index;
  std::vector<Tensor> p, g;
  std::array<std::vector<Tensor>, 3> s;
};
// One SlotLists per dtype present (float32, then float64), so each becomes one launch.
std::vector<SlotLists> lists_by_dtype(const std::vector<Slot>& slots);

// A state buffer of the slot's shape and dtype, stored contiguously in st[key]: created with `init`
// if absent, made contiguous (and cast to the parameter's dtype) if loaded otherwise.
Tensor& state_buffer(ParamState& st, const std::string& key, const Tensor& p, double init = 0.0);

// The float32 0-dim "step" tensor PyTorch keeps, incremented by one; returns the new count.
double increment_step_tensor(ParamState& st);
int64_t increment_step_int(ParamState& st);

// Writes a non-contiguous parameter back and bumps the version counters of the updated parameters.
// The CPU loops (run) and the GPU paths of SGD, Adam and RMSprop end with it.
void finish(std::vector<Slot>& slots);

// Square roots of x[0, n) in place with SIMD instructions. GCC keeps errno semantics for sqrt here (this
// library is built without -fno-math-errno), which puts a branch around every sqrt and stops a loop that
// contains one from vectorising; so the updates that need square roots run in blocks (sqrt_blocked): a
// vectorised pass computes the radicands of a block, this takes their roots, and a second vectorised
// pass finishes the block while it is still in L1. Results are the IEEE square roots either way.
inline void sqrt_inplace(float* x, int64_t n) {
  int64_t i = 0;
#if defined(__SSE2__)
  for (; i + 4 <= n; i += 4) _mm_storeu_ps(x + i, _mm_sqrt_ps(_mm_loadu_ps(x + i)));
#endif
  for (; i < n; ++i) x[i] = std::sqrt(x[i]);
}
inline void sqrt_inplace(double* x, int64_t n) {
  int64_t i = 0;
#if defined(__SSE2__)
  for (; i + 2 <= n; i += 2) _mm_storeu_pd(x + i, _mm_sqrt_pd(_mm_loadu_pd(x + i)));
#endif
  for (; i < n; ++i) x[i] = std::sqrt(x[i]);
}

// For i in [b, e): r = pre(i) (with K radicands written to r[0..K)), then post(i, sqrt(r)).
template <class T, int K, class Pre, class Post>
inline void sqrt_blocked(int64_t b, int64_t e, const Pre& pre, const Post& post) {
  constexpr int64_t kBlock = 256;
  alignas(64) T r[K][kBlock];
  for (int64_t s = b; s < e; s += kBlock) {
    const int64_t n = std::min(kBlock, e - s);
    for (int64_t j = 0; j < n; ++j) {
      T out[K];
      pre(s + j, out);
      for (int k = 0; k < K; ++k) r[k][j] = out[k];
    }
    for (int k = 0; k < K; ++k) sqrt_inplace(r[k], n);
    for (int64_t j = 0; j < n; ++j) {
      T in[K];
      for (int k = 0; k < K; ++k) in[k] = r[k][j];
      post(s + j, in);
    }
  }
}

// Calls f(std::bool_constant<a>{}, ...) so that run-time options select a compiled loop variant.
template <class F>
void with_flags(bool a, const F& f) {
  if (a)
    f(std::true_type{});
  else
    f(std::false_type{});
}
template <class F>
void with_flags(bool a, bool b, const F& f) {
  with_flags(a, [&](auto x) { with_flags(b, [&](auto y) { f(x, y); }); });
}
template <class F>
void with_flags(bool a, bool b, bool c, const F& f) {
  with_flags(a, b, [&](auto x, auto y) { with_flags(c, [&](auto z) { f(x, y, z); }); });
}

template <class T>
T* ptr(const Tensor& t) {
  return t.defined() ? t.data_ptr<T>() : nullptr;
}

// Runs kernel.template operator()<T>(slot, begin, end) over chunks of every slot, in parallel over chunks.
template <class Kernel>
void run(std::vector<Slot>& slots, const Kernel& kernel) {
  constexpr int64_t kChunk = 16384;
  struct Chunk {
    int32_t slot;
    int64_t begin, end;
  };
  std::vector<Chunk> chunks;
  int64_t total = 0;
  for (size_t i = 0; i < slots.size(); ++i) {
    int64_t n = slots[i].p.numel();
    total += n;
    for (int64_t b = 0; b < n; b += kChunk) chunks.push_back({int32_t(i), b, std::min(n, b + kChunk)});
  }
  auto body = [&](const Chunk& c) {
    Slot& s = slots[size_t(c.slot)];
    if (s.p.dtype() == kFloat64)
      kernel.template operator()<double>(s, c.begin, c.end);
    else
      kernel.template operator()<float>(s, c.begin, c.end);
  };
  int nt = std::min<int64_t>(get_num_threads(), int64_t(chunks.size()));
  if (nt <= 1 || total <= kChunk || omp_in_parallel()) {
    for (const Chunk& c : chunks) body(c);
  } else {
#pragma omp parallel for num_threads(nt) schedule(static)
    for (size_t i = 0; i < chunks.size(); ++i) body(chunks[i]);
  }
  finish(slots);
}

}  // namespace ember::optim::detail
