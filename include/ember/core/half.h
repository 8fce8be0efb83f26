#pragma once
// float16 and bfloat16 storage types. They convert to and from float (round to nearest even) and all
// arithmetic on them happens in float, as PyTorch's CPU kernels do.
#include <cstdint>
#include <cstring>
#include <ostream>

// Conversions compile for the GPU too, where the CUDA backend's kernels read and write these types.
#ifdef __CUDACC__
#define EMBER_HOST_DEVICE __host__ __device__
#else
#define EMBER_HOST_DEVICE
#endif

namespace ember {

namespace detail {
EMBER_HOST_DEVICE inline uint32_t f2u(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}
EMBER_HOST_DEVICE inline float u2f(uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}
}  // namespace detail

struct Half {
  uint16_t x = 0;
  Half() = default;
  EMBER_HOST_DEVICE Half(float f) : x(from_float(f)) {}  // NOLINT: implicit like c10::Half
  EMBER_HOST_DEVICE operator float() const { return to_float(x); }  // NOLINT

  EMBER_HOST_DEVICE static uint16_t from_float(float f) {
    uint32_t u = detail::f2u(f);
    uint32_t sign = (u >> 16) & 0x8000u;
    uint32_t abs = u & 0x7fffffffu;
    if (abs >= 0x47800000u) return uint16_t(sign | (abs > 0x7f800000u ? 0x7e00u : 0x7c00u));
    if (abs < 0x38800000u) {  // half subnormal or zero: adding 0.5f puts the rounded bits at the bottom
      float r = detail::u2f(abs) + 0.5f;
      return uint16_t(sign | (detail::f2u(r) - 0x3f000000u));
    }
    uint32_t mant_odd = (abs >> 13) & 1u;
    abs += 0xc8000fffu + mant_odd;  // rebias the exponent by -112 and round to nearest even
    return uint16_t(sign | (abs >> 13));
  }
  EMBER_HOST_DEVICE static float to_float(uint16_t h) {
    uint32_t sign = uint32_t(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1fu;
    uint32_t mant = h & 0x3ffu;
    if (exp == 0x1f) return detail::u2f(sign | 0x7f800000u | (mant << 13));
    if (exp == 0) {
      float r = float(mant) * (1.0f / 16777216.0f);  // mant * 2^-24
      return sign ? -r : r;
    }
    return detail::u2f(sign | ((exp + 112u) << 23) | (mant << 13));
  }
};

struct BFloat16 {
  uint16_t x = 0;
  BFloat16() = default;
  EMBER_HOST_DEVICE BFloat16(float f) : x(from_float(f)) {}  // NOLINT
  EMBER_HOST_DEVICE operator float() const { return detail::u2f(uint32_t(x) << 16); }  // NOLINT

  EMBER_HOST_DEVICE static uint16_t from_float(float f) {
    uint32_t u = detail::f2u(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) return uint16_t((u >> 16) | 0x40u);  // quiet NaN
    u += 0x7fffu + ((u >> 16) & 1u);
    return uint16_t(u >> 16);
  }
};

inline std::ostream& operator<<(std::ostream& os, Half h) { return os << float(h); }
inline std::ostream& operator<<(std::ostream& os, BFloat16 h) { return os << float(h); }

}  // namespace ember
