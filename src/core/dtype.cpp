#include <atomic>

#include <ember/core/dtype.h>
#include <ember/core/error.h>
#include <ember/core/scalar.h>
#include <ember/core/tensor_options.h>

namespace ember {

DType promote_types(DType a, DType b) {
  if (a == b) return a;
  EMBER_CHECK(a != DType::Undefined && b != DType::Undefined, "promote_types: undefined dtype");
  constexpr DType u1 = kUInt8, i1 = kInt8, i2 = kInt16, i4 = kInt32, i8 = kInt64, f2 = kFloat16,
                  f4 = kFloat32, f8 = kFloat64, b1 = kBool, bf = kBFloat16;
  // Rows and columns in enum order: u1 i1 i2 i4 i8 f2 f4 f8 b1 bf (PyTorch's table without complex).
  static constexpr DType table[kNumDTypes][kNumDTypes] = {
      /* u1 */ {u1, i2, i2, i4, i8, f2, f4, f8, u1, bf},
      /* i1 */ {i2, i1, i2, i4, i8, f2, f4, f8, i1, bf},
      /* i2 */ {i2, i2, i2, i4, i8, f2, f4, f8, i2, bf},
      /* i4 */ {i4, i4, i4, i4, i8, f2, f4, f8, i4, bf},
      /* i8 */ {i8, i8, i8, i8, i8, f2, f4, f8, i8, bf},
      /* f2 */ {f2, f2, f2, f2, f2, f2, f4, f8, f2, f4},
      /* f4 */ {f4, f4, f4, f4, f4, f4, f4, f8, f4, f4},
      /* f8 */ {f8, f8, f8, f8, f8, f8, f8, f8, f8, f8},
      /* b1 */ {u1, i1, i2, i4, i8, f2, f4, f8, b1, bf},
      /* bf */ {bf, bf, bf, bf, bf, f4, f4, f8, bf, bf},
  };
  return table[int(a)][int(b)];
}

std::string_view dtype_title(DType t) {
  switch (t) {
    case kUInt8: return "Byte";
    case kInt8: return "Char";
    case kInt16: return "Short";
    case kInt32: return "Int";
    case kInt64: return "Long";
    case kFloat16: return "Half";
    case kFloat32: return "Float";
    case kFloat64: return "Double";
    case kBool: return "Bool";
    case kBFloat16: return "BFloat16";
    default: return "Undefined";
  }
}

std::string_view dtype_cpp_name(DType t) {
  switch (t) {
    case kUInt8: return "unsigned char";
    case kInt8: return "signed char";
    case kInt16: return "short int";
    case kInt32: return "int";
    case kInt64: return "long int";
    case kFloat16: return "c10::Half";
    case kFloat32: return "float";
    case kFloat64: return "double";
    case kBool: return "bool";
    case kBFloat16: return "c10::BFloat16";
    default: return "undefined";
  }
}

namespace {
std::atomic<DType> g_default_dtype{kFloat32};
}

DType get_default_dtype() { return g_default_dtype.load(std::memory_order_relaxed); }
void set_default_dtype(DType t) {
  EMBER_CHECK_TYPE(t == kFloat32 || t == kFloat64 || t == kFloat16 || t == kBFloat16,
                   "only floating-point types are supported as the default type, got ", t);
  g_default_dtype.store(t);
}

DType Scalar::type() const {
  switch (kind_) {
    case Kind::Bool: return kBool;
    case Kind::Int: return kInt64;
    default: return get_default_dtype();
  }
}

}  // namespace ember
