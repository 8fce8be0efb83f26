#pragma once
// Turning Philox's 32-bit words into floating-point draws, shared by the CPU and CUDA random kernels so
// that both backends draw the same numbers from the same seed.
#include <cstdint>
#include <limits>
#include <type_traits>

#include <ember/core/half.h>

namespace ember::kernels {

// A double in [0, 1) from 53 random bits.
EMBER_HOST_DEVICE inline double uniform53(uint32_t hi, uint32_t lo) {
  return double(((uint64_t(hi) << 32) | lo) >> 11) * (1.0 / 9007199254740992.0);
}

// Mantissa digits of T: uniform draws use exactly that many bits, so a sample of [0, 1) rounds to a
// value below 1 in T (as PyTorch's uniform_real_distribution).
template <class T>
constexpr int mantissa_digits() {
  if constexpr (std::is_same_v<T, Half>) return 11;
  else if constexpr (std::is_same_v<T, BFloat16>) return 8;
  else return std::numeric_limits<T>::digits;
}

}  // namespace ember::kernels
