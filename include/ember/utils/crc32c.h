#pragma once
// CRC-32C (Castagnoli), the checksum of TFRecord files, and TensorFlow's masked form of it.
#include <cstddef>
#include <cstdint>

namespace ember::utils {

uint32_t crc32c(const void* data, size_t n, uint32_t crc = 0);  // `crc`: the value of the bytes before
// The rotated and offset CRC that TFRecord stores, so a CRC of data containing CRCs stays well mixed.
inline uint32_t masked_crc32c(const void* data, size_t n) {
  uint32_t c = crc32c(data, n);
  return ((c >> 15) | (c << 17)) + 0xa282ead8u;
}

}  // namespace ember::utils
