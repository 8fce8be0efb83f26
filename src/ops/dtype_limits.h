#pragma once
// What a dtype can hold, for the overflow checks of fill/full/index_put and the bounds of random_: its
// finite range and the C++ type name c10's checked_convert reports in "value cannot be converted to type
// ... without overflow".
#include <limits>
#include <utility>

#include <ember/core/dtype.h>

namespace ember::ops {

// The inclusive range of finite values (bool: [0, 1]).
inline std::pair<double, double> dtype_range(DType t) {
  switch (t) {
    case kUInt8: return {0, 255};
    case kInt8: return {-128, 127};
    case kInt16: return {-32768, 32767};
    case kInt32: return {-2147483648.0, 2147483647.0};
    case kInt64: return {-9223372036854775808.0, 9223372036854775807.0};
    case kBool: return {0, 1};
    case kFloat16: return {-65504, 65504};
    case kBFloat16: return {-3.3895313892515355e38, 3.3895313892515355e38};
    case kFloat32: return {-double(std::numeric_limits<float>::max()), double(std::numeric_limits<float>::max())};
    default: return {-std::numeric_limits<double>::max(), std::numeric_limits<double>::max()};
  }
}

inline const char* checked_convert_type_name(DType t) {
  switch (t) {
    case kUInt8: return "uint8_t";
    case kInt8: return "int8_t";
    case kInt16: return "int16_t";
    case kInt32: return "int";
    case kInt64: return "int64_t";
    case kFloat16: return "at::Half";
    case kBFloat16: return "at::BFloat16";
    case kFloat32: return "float";
    case kBool: return "bool";
    default: return "double";
  }
}

}  // namespace ember::ops
