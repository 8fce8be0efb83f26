#pragma once
// The machinery of the fused optimizer updates: every parameter of a group that has a gradient becomes a
// Slot (contiguous parameter, gradient and state buffers plus its per-tensor scalars); the slots are cut
// into fixed chunks and one OpenMP loop runs a kernel over all chunks of all tensors. Each kernel does all
// terms of its update in one pass over the elements, in the parameter's dtype, in PyTorch's order of
// operations.
#include <omp.h>

#include <algorithm>
#include <array>
#include <cstdint>
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

// The parameter's dtype must be float32 or float64.
void check_param(const Optimizer& opt, const Tensor& p);

// A Slot for a parameter with a gradient (its state buffers still unset).
Slot make_slot(const Optimizer& opt, const Tensor& param);

// A state buffer of the slot's shape and dtype, stored contiguously in st[key]: created with `init`
// if absent, made contiguous (and cast to the parameter's dtype) if loaded otherwise.
Tensor& state_buffer(ParamState& st, const std::string& key, const Tensor& p, double init = 0.0);

// The float32 0-dim "step" tensor PyTorch keeps, incremented by one; returns the new count.
double increment_step_tensor(ParamState& st);
int64_t increment_step_int(ParamState& st);

// Writes a non-contiguous parameter back and bumps the version counters of the updated parameters.
void finish(std::vector<Slot>& slots);

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
