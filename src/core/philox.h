#pragma once
// Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011): a bijection of
// a 128-bit counter under a 64-bit key; ten rounds pass the BigCrush tests. Used by every random
// kernel: element i of an op draws philox({i, offset}, seed), four 32-bit words. The CUDA kernels
// compile the same functions, so a seed gives the same words on every device.
#include <array>
#include <cstdint>

#include <ember/core/half.h>  // EMBER_HOST_DEVICE

namespace ember::core {

using PhiloxBlock = std::array<uint32_t, 4>;

EMBER_HOST_DEVICE inline PhiloxBlock philox4x32_10(PhiloxBlock ctr, uint32_t k0, uint32_t k1) {
  constexpr uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u, kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    uint64_t p0 = uint64_t(kM0) * ctr[0];
    uint64_t p1 = uint64_t(kM1) * ctr[2];
    ctr = {uint32_t(p1 >> 32) ^ ctr[1] ^ k0, uint32_t(p1), uint32_t(p0 >> 32) ^ ctr[3] ^ k1, uint32_t(p0)};
    k0 += kW0;
    k1 += kW1;
  }
  return ctr;
}

// The four words of element `index` of the stream (seed, offset).
EMBER_HOST_DEVICE inline PhiloxBlock philox_draw(uint64_t seed, uint64_t offset, uint64_t index) {
  return philox4x32_10({uint32_t(index), uint32_t(index >> 32), uint32_t(offset), uint32_t(offset >> 32)},
                       uint32_t(seed), uint32_t(seed >> 32));
}

}  // namespace ember::core
