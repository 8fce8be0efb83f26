#pragma once
// Binary and ternary pointwise functors (see pointwise_functors.h). Integer division and remainder
// never see a zero divisor: the ops layer raises ZeroDivisionError first. A divisor of -1 is handled
// apart because INT_MIN / -1 traps on x86.
#include "backend/common/pointwise_functors.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {

struct Mul {
  template <class T>
  static constexpr bool ok = true;
  template <class C>
  EMBER_HD C operator()(C a, C b) const {
    if constexpr (std::is_same_v<C, bool>) return a && b;
    else return a * b;
  }
};
struct Div {
  template <class T>
  static constexpr bool ok = is_float_v<T>;
  template <class C>
  EMBER_HD C operator()(C a, C b) const {
    return a / b;
  }
};

template <class C>
EMBER_HD C wrapping_neg(C a) {
  return C(-std::make_unsigned_t<C>(a));
}

struct DivTrunc {
  template <class T>
  static constexpr bool ok = is_number_v<T>;
  template <class C>
  EMBER_HD C operator()(C a, C b) const {
    if constexpr (std::is_floating_point_v<C>) return std::trunc(a / b);
    else if constexpr (std::is_signed_v<C>) return b == C(-1) ? wrapping_neg(a) : C(a / b);
    else return C(a / b);
  }
};
// Python's floor division; the float branch follows PyTorch's div_floor_floating so results agree to
// the last bit (it rounds a - fmod(a, b) rather than flooring a / b).
struct DivFloor {
  template <class T>
  static constexpr bool ok = is_number_v<T>;
  template <class C>
  EMBER_HD C operator()(C a, C b) const {
    if constexpr (std::is_floating_point_v<C>) {
      if (b == C(0)) return a / b;
      C mod = std::fmod(a, b);
      C div = (a - mod) / b;
      if (mod != C(0) && (b < C(0)) != (mod < C(0))) div -= C(1);
      if (div == C(0)) return std::copysign(C(0), a / b);
      C fl = std::floor(div);
      if (div - fl > C(0.5)) fl += C(1);
      return fl;
    } else if constexpr (std::is_signed_v<C>) {
      if (b == C(-1)) return wrapping_neg(a);
      C q = C(a / b);
      if ((a < 0) != (b < 0) && C(a % b) != 0) --q;
      return q;
    } else {
      return C(a / b);
    }
  }
};
struct Remainder {
  template <class T>
  static constexpr bool ok = is_number_v<T>;
  template <class C>
  EMBER_HD C operator()(C a, C b) const {
    if constexpr (std::is_floating_point_v<C>) {
      C mod = std::fmod(a, b);
      if (mod != C(0) && (b < C(0)) != (mod < C(0))) mod += b;
      return mod;
    } else if constexpr (std::is_signed_v<C>) {
      if (b == C(-1)) return C(0);
      C r = C(a % b);
      if (r != 0 && (r < 0) != (b < 0)) r = C(r + b);
      return r;
    } else {
      return C(a % b);
    }
  }
};
struct Fmod {
  template <class T>
  static constexpr bool ok = is_number_v<T>;
  template <class C>
  EMBER_HD C operator()(C a, C b) const {
    if constexpr (std::is_floating_point_v<C>) return std::fmod(a, b);
    else if constexpr (std::is_signed_v<C>) return b == C(-1) ? C(0) : C(a % b);
    else return C(a % b);
  }
};
// Integer powers by squaring (wrapping on overflow); a negative integer exponent gives PyTorch's
// 1, +-1 or 0. Python-level pow with a negative number exponent is rejected in the ops layer.
struct Pow {
  template <class T>
  static constexpr bool ok = is_number_v<T>;
  template <class C>
  EMBER_HD C operator()(C base, C exp) const {
    if constexpr (std::is_floating_point_v<C>) {
      return std::pow(base, exp);
    } else {
      using U = std::make_unsigned_t<C>;
      if constexpr (std::is_signed_v<C>) {
        if (exp < 0) {
          if (base == 1) return C(1);
          if (base == -1) return (exp & 1) ? C(-1) : C(1);
          return C(0);
        }
      }
      U r = 1, b = U(base);
      for (U e = U(exp); e; e >>= 1) {
        if (e & 1) r = U(r * b);
        b = U(b * b);
      }
      return C(r);
    }
  }
};
struct Atan2 {
  template <class T>
  static constexpr bool ok = is_float_v<T>;
  template <class C>
  EMBER_HD C operator()(C a, C b) const {
    return std::atan2(a, b);
  }
};

// minimum/maximum (and clamp) propagate NaN; fmin/fmax ignore it.
struct Minimum {
  template <class T>
  static constexpr bool ok = true;
  template <class C>
  EMBER_HD C operator()(C a, C b) const {
    if constexpr (std::is_same_v<C, bool>) return a && b;
    else if constexpr (std::is_floating_point_v<C>) return a != a ? a : (b != b ? b : (a < b ? a : b));
    else return a < b ? a : b;
  }
};
struct Maximum {
  template <class T>
  static constexpr bool ok = true;
  template <class C>
  EMBER_HD C operator()(C a, C b) const {
    if constexpr (std::is_same_v<C, bool>) return a || b;
    else if constexpr (std::is_floating_point_v<C>) return a != a ? a : (b != b ? b : (a > b ? a : b));
    else return a > b ? a : b;
  }
};
struct Fmin {
  template <class T>
  static constexpr bool ok = true;
  template <class C>
  EMBER_HD C operator()(C a, C b) const {
    if constexpr (std::is_floating_point_v<C>) return std::fmin(a, b);
    else return Minimum{}(a, b);
  }
};
struct Fmax {
  template <class T>
  static constexpr bool ok = true;
  template <class C>
  EMBER_HD C operator()(C a, C b) const {
    if constexpr (std::is_floating_point_v<C>) return std::fmax(a, b);
    else return Maximum{}(a, b);
  }
};

#define EMBER_COMPARE(Name, expr)                  \
  struct Name {                                    \
    static constexpr bool returns_bool = true;     \
    template <class T>                             \
    static constexpr bool ok = true;               \
    template <class C>                             \
    EMBER_HD bool operator()(C a, C b) const {     \
      return expr;                                 \
    }                                              \
  };
EMBER_COMPARE(Eq, a == b)
EMBER_COMPARE(Ne, a != b)
EMBER_COMPARE(Lt, a < b)
EMBER_COMPARE(Le, a <= b)
EMBER_COMPARE(Gt, a > b)
EMBER_COMPARE(Ge, a >= b)
EMBER_COMPARE(LogicalAnd, a != C(0) && b != C(0))
EMBER_COMPARE(LogicalOr, a != C(0) || b != C(0))
EMBER_COMPARE(LogicalXor, (a != C(0)) != (b != C(0)))

#define EMBER_BITWISE(Name, op)                     \
  struct Name {                                     \
    template <class T>                              \
    static constexpr bool ok = is_int_or_bool_v<T>; \
    template <class C>                              \
    EMBER_HD C operator()(C a, C b) const {         \
      return C(a op b);                             \
    }                                               \
  };
EMBER_BITWISE(BitwiseAnd, &)
EMBER_BITWISE(BitwiseOr, |)
EMBER_BITWISE(BitwiseXor, ^)

// Shifts by a negative amount or by the bit width or more follow PyTorch's scalar kernels: 0 for left
// shifts, the sign fill for right shifts.
struct LeftShift {
  template <class T>
  static constexpr bool ok = is_int_v<T>;
  template <class C>
  EMBER_HD C operator()(C a, C b) const {
    constexpr C bits = C(sizeof(C) * 8);
    if (std::make_signed_t<C>(b) < 0 || b >= bits) return C(0);
    return C(std::make_unsigned_t<C>(a) << b);
  }
};
struct RightShift {
  template <class T>
  static constexpr bool ok = is_int_v<T>;
  template <class C>
  EMBER_HD C operator()(C a, C b) const {
    constexpr C bits = C(sizeof(C) * 8);
    if (std::make_signed_t<C>(b) < 0 || b >= bits) return C(a >> (bits - 1));
    return C(a >> b);
  }
};

// ---- ternary functors: f(a, b, c, value) ----
struct Lerp {
  template <class T>
  static constexpr bool ok = is_float_v<T>;
  template <class C>
  EMBER_HD C operator()(C self, C end, C weight, C) const {
    // PyTorch's form: exact at both ends of [0, 1].
    return std::abs(weight) < C(0.5) ? self + weight * (end - self) : end - (end - self) * (C(1) - weight);
  }
};
// lerp with a number weight, passed as the kernel's value so it stays in the compute type (as PyTorch's
// opmath): 0.3 is not first rounded to float16 or bfloat16. The third operand is unused.
struct LerpScalar {
  template <class T>
  static constexpr bool ok = is_float_v<T>;
  template <class C>
  EMBER_HD C operator()(C self, C end, C, C weight) const {
    return Lerp()(self, end, weight, weight);
  }
};
struct Addcmul {
  template <class T>
  static constexpr bool ok = is_number_v<T>;
  template <class C>
  EMBER_HD C operator()(C self, C t1, C t2, C value) const {
    return C(self + value * t1 * t2);
  }
};
struct Addcdiv {
  template <class T>
  static constexpr bool ok = is_float_v<T>;
  template <class C>
  EMBER_HD C operator()(C self, C t1, C t2, C value) const {
    return self + value * t1 / t2;
  }
};
struct Clamp {
  template <class T>
  static constexpr bool ok = true;
  template <class C>
  EMBER_HD C operator()(C x, C lo, C hi, C) const {
    return Minimum{}(Maximum{}(x, lo), hi);
  }
};
// The condition operand is bool; the two value operands share the result dtype.
struct Where {
  using first_operand = bool;
  template <class T>
  static constexpr bool ok = true;
  template <class C>
  EMBER_HD C operator()(bool cond, C a, C b, C) const {
    return cond ? a : b;
  }
};

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
