#pragma once
// Atomic read-modify-write of one element with a scatter's combine rule (backend/common/scatter_functors.h),
// for every dtype: the index kernels' accumulating scatters and the histogram kernels use it.
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "backend/common/scatter_functors.h"
#include "dispatch/index_kernels.h"

namespace ember::cuda {

template <class T, class Word>
__device__ T from_bits(Word w) {
  T v;
  memcpy(&v, &w, sizeof(T));
  return v;
}

template <class T, class Word>
__device__ Word to_bits(T v) {
  Word w = 0;
  memcpy(&w, &v, sizeof(T));
  return w;
}

// *addr = scatter_combine(*addr, v, mode), atomically. Four- and eight-byte elements swap their own word;
// narrower ones swap the aligned 32-bit word that holds them (the caching allocator's blocks are 512-byte
// aligned and sized, so that word lies inside the allocation). Float and double sums use the hardware add.
template <class T>
__device__ void atomic_combine(T* addr, T v, dispatch::ScatterMode mode) {
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    if (mode == dispatch::ScatterMode::Add) {
      atomicAdd(addr, v);
      return;
    }
  }
  if constexpr (sizeof(T) == 8) {
    auto* word = reinterpret_cast<unsigned long long*>(addr);
    unsigned long long old = *word, assumed;
    do {
      assumed = old;
      const T now = kernels::scatter_combine<T>(from_bits<T>(assumed), v, mode);
      old = atomicCAS(word, assumed, to_bits<T, unsigned long long>(now));
    } while (assumed != old);
  } else if constexpr (sizeof(T) == 4) {
    auto* word = reinterpret_cast<unsigned int*>(addr);
    unsigned int old = *word, assumed;
    do {
      assumed = old;
      const T now = kernels::scatter_combine<T>(from_bits<T>(assumed), v, mode);
      old = atomicCAS(word, assumed, to_bits<T, unsigned int>(now));
    } while (assumed != old);
  } else {
    const auto at = reinterpret_cast<uintptr_t>(addr);
    auto* word = reinterpret_cast<unsigned int*>(at & ~uintptr_t(3));
    const unsigned shift = unsigned(at & 3) * 8;
    const unsigned mask = ((1u << (8 * sizeof(T))) - 1u) << shift;
    unsigned int old = *word, assumed;
    do {
      assumed = old;
      using Narrow = std::conditional_t<sizeof(T) == 1, uint8_t, uint16_t>;
      const T cur = from_bits<T>(Narrow((assumed & mask) >> shift));
      const Narrow now = to_bits<T, Narrow>(kernels::scatter_combine<T>(cur, v, mode));
      old = atomicCAS(word, assumed, (assumed & ~mask) | (unsigned(now) << shift));
    } while (assumed != old);
  }
}

}  // namespace ember::cuda
