#pragma once
// DType: the element types of ember tensors, with PyTorch's names and promotion lattice.
#include <cstdint>
#include <ostream>
#include <string_view>

#include <ember/core/half.h>

namespace ember {

// X-macro over (C++ type, enum name, PyTorch name); order fixes the enum values.
#define EMBER_FORALL_DTYPES(_)      \
  _(uint8_t, UInt8, "uint8")        \
  _(int8_t, Int8, "int8")           \
  _(int16_t, Int16, "int16")        \
  _(int32_t, Int32, "int32")        \
  _(int64_t, Int64, "int64")        \
  _(Half, Float16, "float16")       \
  _(float, Float32, "float32")      \
  _(double, Float64, "float64")     \
  _(bool, Bool, "bool")             \
  _(BFloat16, BFloat16, "bfloat16")

enum class DType : int8_t {
#define EMBER_ENUM(T, N, S) N,
  EMBER_FORALL_DTYPES(EMBER_ENUM)
#undef EMBER_ENUM
      Undefined
};
using ScalarType = DType;

constexpr DType kUInt8 = DType::UInt8, kByte = DType::UInt8;
constexpr DType kInt8 = DType::Int8, kChar = DType::Int8;
constexpr DType kInt16 = DType::Int16, kShort = DType::Int16;
constexpr DType kInt32 = DType::Int32, kInt = DType::Int32;
constexpr DType kInt64 = DType::Int64, kLong = DType::Int64;
constexpr DType kFloat16 = DType::Float16, kHalf = DType::Float16;
constexpr DType kFloat32 = DType::Float32, kFloat = DType::Float32;
constexpr DType kFloat64 = DType::Float64, kDouble = DType::Float64;
constexpr DType kBool = DType::Bool;
constexpr DType kBFloat16 = DType::BFloat16;
constexpr int kNumDTypes = int(DType::Undefined);

constexpr size_t element_size(DType t) {
  switch (t) {
#define EMBER_CASE(T, N, S) \
  case DType::N:            \
    return sizeof(T);
    EMBER_FORALL_DTYPES(EMBER_CASE)
#undef EMBER_CASE
    default:
      return 0;
  }
}
constexpr std::string_view dtype_name(DType t) {
  switch (t) {
#define EMBER_CASE(T, N, S) \
  case DType::N:            \
    return S;
    EMBER_FORALL_DTYPES(EMBER_CASE)
#undef EMBER_CASE
    default:
      return "undefined";
  }
}
constexpr bool is_floating_point(DType t) {
  return t == kFloat16 || t == kFloat32 || t == kFloat64 || t == kBFloat16;
}
constexpr bool is_integral(DType t, bool include_bool = false) {
  return t == kUInt8 || t == kInt8 || t == kInt16 || t == kInt32 || t == kInt64 || (include_bool && t == kBool);
}
constexpr bool is_reduced_float(DType t) { return t == kFloat16 || t == kBFloat16; }

// PyTorch's promote_types table.
DType promote_types(DType a, DType b);

template <class T>
struct CppTypeToDType;
#define EMBER_MAP(T, N, S) \
  template <>              \
  struct CppTypeToDType<T> { static constexpr DType value = DType::N; };
EMBER_FORALL_DTYPES(EMBER_MAP)
#undef EMBER_MAP
template <class T>
constexpr DType dtype_of = CppTypeToDType<T>::value;

inline std::ostream& operator<<(std::ostream& os, DType t) { return os << "ember." << dtype_name(t); }

// Python-facing spelling used in error messages, like PyTorch's ("Float", "Long", ...).
std::string_view dtype_title(DType t);
// The C++ type name PyTorch prints in some dtype errors ("expected scalar type float but found double").
std::string_view dtype_cpp_name(DType t);

}  // namespace ember
