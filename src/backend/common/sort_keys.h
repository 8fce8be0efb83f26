#pragma once
// The type the sort and search kernels of both backends compare elements in.
#include <cstdint>
#include <type_traits>

#include <ember/core/half.h>

namespace ember::kernels {

// Reduced floats compare as float, bool as a byte (so key buffers are plain arrays, not
// std::vector<bool>).
template <class T>
using sort_key_t = std::conditional_t<std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>, float,
                                      std::conditional_t<std::is_same_v<T, bool>, uint8_t, T>>;

}  // namespace ember::kernels
