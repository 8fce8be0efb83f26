#pragma once
// Scalar: a number passed to an op (`t + 2.5`, `fill_(1)`), tagged as bool, integer or floating so that
// type promotion can treat it like PyTorch treats a Python number.
#include <cstdint>
#include <ostream>
#include <type_traits>

#include <ember/core/dtype.h>

namespace ember {

class Scalar {
 public:
  enum class Kind : int8_t { Bool, Int, Float };
  Scalar() : Scalar(int64_t(0)) {}
  Scalar(bool v) : kind_(Kind::Bool) { v_.i = v; }  // NOLINT: implicit like c10::Scalar
  template <class T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Scalar(T v) : kind_(Kind::Int) {  // NOLINT
    v_.i = int64_t(v);
  }
  template <class T, std::enable_if_t<std::is_floating_point_v<T>, int> = 0>
  Scalar(T v) : kind_(Kind::Float) {  // NOLINT
    v_.d = double(v);
  }
  Scalar(Half v) : Scalar(float(v)) {}        // NOLINT
  Scalar(BFloat16 v) : Scalar(float(v)) {}    // NOLINT

  Kind kind() const { return kind_; }
  bool isFloatingPoint() const { return kind_ == Kind::Float; }
  bool isIntegral(bool include_bool) const { return kind_ == Kind::Int || (include_bool && kind_ == Kind::Bool); }
  bool isBoolean() const { return kind_ == Kind::Bool; }
  double toDouble() const { return kind_ == Kind::Float ? v_.d : double(v_.i); }
  int64_t toLong() const { return kind_ == Kind::Float ? int64_t(v_.d) : v_.i; }
  bool toBool() const { return kind_ == Kind::Float ? v_.d != 0 : v_.i != 0; }
  template <class T>
  T to() const {
    if constexpr (std::is_same_v<T, bool>) return toBool();
    else if constexpr (std::is_integral_v<T>) return kind_ == Kind::Float ? T(v_.d) : T(v_.i);
    else return T(toDouble());
  }
  // The dtype PyTorch gives a tensor made from this number (bool, int64 or the default float dtype).
  DType type() const;
  Scalar operator-() const { return kind_ == Kind::Float ? Scalar(-v_.d) : Scalar(-v_.i); }

 private:
  Kind kind_;
  union {
    int64_t i;
    double d;
  } v_;
};

inline std::ostream& operator<<(std::ostream& os, const Scalar& s) {
  if (s.isFloatingPoint()) return os << s.toDouble();
  if (s.isBoolean()) return os << (s.toBool() ? "True" : "False");
  return os << s.toLong();
}

}  // namespace ember
