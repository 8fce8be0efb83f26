#pragma once
// CPU kernels under src/backend/cpu/vec/ are compiled twice, with -mavx2 and with -mavx512*, each in its
// own inline namespace (see pointwise_functors.h). Both builds register; the registry keeps the
// AVX-512 one where the CPU has those instructions, so one binary runs on AVX2-only CPUs and uses
// AVX-512 where present.
#include "dispatch/registry.h"

namespace ember::kernels {
// False when the environment sets EMBER_CPU_CAPABILITY=avx2 (PyTorch's ATEN_CPU_CAPABILITY): the AVX-512
// kernels then do not register, so the AVX2 build runs, and is tested, on an AVX-512 machine.
bool avx512_allowed();
}  // namespace ember::kernels

#if defined(EMBER_CPU_AVX512)
#define EMBER_KERNEL_NS cpu_avx512
#define EMBER_CPU_PRIORITY 2
#define EMBER_CPU_SUPPORTED                                                              \
  (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&           \
   __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") && ::ember::kernels::avx512_allowed())
#else
#define EMBER_KERNEL_NS cpu_avx2
#define EMBER_CPU_PRIORITY 1
#define EMBER_CPU_SUPPORTED (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
#endif

#define EMBER_REGISTER_CPU_KERNEL(name, fn) \
  EMBER_REGISTER_KERNEL(name, ::ember::kCPU, fn, EMBER_CPU_PRIORITY, EMBER_CPU_SUPPORTED)
