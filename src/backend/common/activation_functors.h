#pragma once
// Activation functors (src/dispatch/activation.def): `fwd(x)` is the activation, `bwd(g, x)` the
// incoming gradient times its derivative at x, so backward is one fused pass over (grad, self) that
// allocates no temporaries. Formulas and the branch taken at the kinks are PyTorch's (its CPU kernels
// and derivatives.yaml). Parameters come as up to three doubles.
// Each formula is written once over a math policy M, so that C is either a scalar (ScalarMath below) or
// a whole SIMD register (the CPU backend's vector policy, with SLEEF's exp, tanh, erf ...): M::k
// makes a constant of x's type, M::sel picks per lane, and comparisons give bool or lane masks.
// ScalarMath and the formulas are EMBER_HD: the CUDA backend runs them per element on the device.
#include <cmath>

#include "backend/common/pointwise_functors.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {

struct ScalarMath {
  template <class C>
  EMBER_HD static C k(C, double v) {
    return C(v);
  }
  template <class C>
  EMBER_HD static C sel(bool m, C a, C b) {
    return m ? a : b;
  }
  template <class C>
  EMBER_HD static C exp(C x) {
    return std::exp(x);
  }
  template <class C>
  EMBER_HD static C expm1(C x) {
    return std::expm1(x);
  }
  template <class C>
  EMBER_HD static C log1p(C x) {
    return std::log1p(x);
  }
  template <class C>
  EMBER_HD static C tanh(C x) {
    return std::tanh(x);
  }
  template <class C>
  EMBER_HD static C erf(C x) {
    return std::erf(x);
  }
  template <class C>
  EMBER_HD static C abs(C x) {
    return std::abs(x);
  }
};

#define EMBER_ACTIVATION_OK \
  template <class T>        \
  static constexpr bool ok = std::is_same_v<T, float> || std::is_same_v<T, double>;

// params: min_val, max_val (relu6 is hardtanh(0, 6)).
struct Hardtanh {
  EMBER_ACTIVATION_OK
  explicit Hardtanh(const double* p) : lo(p[0]), hi(p[1]) {}
  double lo, hi;
  template <class M, class C>
  EMBER_HD C fwd(C x) const {
    // min(max(x, lo), hi), as PyTorch's clamp: crossed bounds (lo > hi) give hi everywhere.
    const C l = M::k(x, lo), h = M::k(x, hi);
    const C y = M::sel(x < l, l, x);
    return M::sel(y > h, h, y);
  }
  template <class M, class C>
  EMBER_HD C bwd(C g, C x) const {
    const C z = M::k(x, 0);
    return M::sel(x <= M::k(x, lo), z, M::sel(x >= M::k(x, hi), z, g));
  }
};
// params: negative_slope.
struct LeakyRelu {
  EMBER_ACTIVATION_OK
  explicit LeakyRelu(const double* p) : s(p[0]) {}
  double s;
  template <class M, class C>
  EMBER_HD C fwd(C x) const {
    return M::sel(x > M::k(x, 0), x, x * M::k(x, s));
  }
  template <class M, class C>
  EMBER_HD C bwd(C g, C x) const {
    return M::sel(x > M::k(x, 0), g, g * M::k(x, s));
  }
};
// params: alpha, scale, input_scale (PyTorch's elu kernel; selu and celu are instances of it).
struct Elu {
  EMBER_ACTIVATION_OK
  explicit Elu(const double* p) : alpha(p[0]), scale(p[1]), input_scale(p[2]) {}
  double alpha, scale, input_scale;
  template <class M, class C>
  EMBER_HD C fwd(C x) const {
    return M::sel(x <= M::k(x, 0), M::expm1(x * M::k(x, input_scale)) * M::k(x, alpha * scale), x * M::k(x, scale));
  }
  template <class M, class C>
  EMBER_HD C bwd(C g, C x) const {
    return M::sel(x <= M::k(x, 0), g * M::k(x, input_scale * alpha * scale) * M::exp(x * M::k(x, input_scale)),
                  g * M::k(x, scale));
  }
};
// params: approximate (0 'none', 1 'tanh').
struct Gelu {
  EMBER_ACTIVATION_OK
  explicit Gelu(const double* p) : tanh_approx(p[0] != 0) {}
  bool tanh_approx;
  static constexpr double kSqrt1_2 = 0.70710678118654752440;
  static constexpr double kInvSqrt2Pi = 0.39894228040143267794;
  static constexpr double kBeta = 0.79788456080286535588;  // sqrt(2 / pi)
  static constexpr double kKappa = 0.044715;
  template <class M, class C>
  EMBER_HD C fwd(C x) const {
    const C half = M::k(x, 0.5), one = M::k(x, 1);
    if (tanh_approx) return half * x * (one + M::tanh(M::k(x, kBeta) * (x + M::k(x, kKappa) * x * x * x)));
    return half * x * (one + M::erf(x * M::k(x, kSqrt1_2)));
  }
  template <class M, class C>
  EMBER_HD C bwd(C g, C x) const {
    const C half = M::k(x, 0.5), one = M::k(x, 1);
    if (tanh_approx) {
      const C t = M::tanh(M::k(x, kBeta) * (x + M::k(x, kKappa) * x * x * x));
      const C inner_d = M::k(x, kBeta) * (one + M::k(x, 3 * kKappa) * x * x);
      return g * (half * (one + t) + half * x * (one - t * t) * inner_d);
    }
    const C cdf = half * (one + M::erf(x * M::k(x, kSqrt1_2)));
    const C pdf = M::exp(M::k(x, -0.5) * x * x) * M::k(x, kInvSqrt2Pi);
    return g * (cdf + x * pdf);
  }
};
struct Silu {
  EMBER_ACTIVATION_OK
  explicit Silu(const double*) {}
  template <class M, class C>
  EMBER_HD C fwd(C x) const {
    return x / (M::k(x, 1) + M::exp(-x));
  }
  template <class M, class C>
  EMBER_HD C bwd(C g, C x) const {
    const C one = M::k(x, 1);
    const C s = one / (one + M::exp(-x));
    return g * s * (one + x * (one - s));
  }
};
struct Mish {
  EMBER_ACTIVATION_OK
  explicit Mish(const double*) {}
  template <class M, class C>
  EMBER_HD C fwd(C x) const {
    return x * M::tanh(M::log1p(M::exp(x)));
  }
  template <class M, class C>
  EMBER_HD C bwd(C g, C x) const {
    const C one = M::k(x, 1);
    const C s = one / (one + M::exp(-x));
    const C t = M::tanh(M::log1p(M::exp(x)));
    return g * (t + x * s * (one - t * t));
  }
};
struct Hardsigmoid {
  EMBER_ACTIVATION_OK
  explicit Hardsigmoid(const double*) {}
  template <class M, class C>
  EMBER_HD C fwd(C x) const {
    const C y = x + M::k(x, 3), z = M::k(x, 0), six = M::k(x, 6);
    return M::sel(y < z, z, M::sel(y > six, six, y)) / six;
  }
  template <class M, class C>
  EMBER_HD C bwd(C g, C x) const {
    const C z = M::k(x, 0);
    return M::sel(x > M::k(x, -3), M::sel(x < M::k(x, 3), g / M::k(x, 6), z), z);
  }
};
struct Hardswish {
  EMBER_ACTIVATION_OK
  explicit Hardswish(const double*) {}
  template <class M, class C>
  EMBER_HD C fwd(C x) const {
    const C y = x + M::k(x, 3), z = M::k(x, 0), six = M::k(x, 6);
    return x * M::sel(y < z, z, M::sel(y > six, six, y)) / six;
  }
  template <class M, class C>
  EMBER_HD C bwd(C g, C x) const {
    return M::sel(x < M::k(x, -3), M::k(x, 0), M::sel(x <= M::k(x, 3), g * (x / M::k(x, 3) + M::k(x, 0.5)), g));
  }
};
// params: beta, threshold (above threshold / beta the op is the identity, as PyTorch).
struct Softplus {
  EMBER_ACTIVATION_OK
  explicit Softplus(const double* p) : beta(p[0]), threshold(p[1]) {}
  double beta, threshold;
  template <class M, class C>
  EMBER_HD C fwd(C x) const {
    const C b = M::k(x, beta);
    return M::sel(x * b > M::k(x, threshold), x, M::log1p(M::exp(x * b)) / b);
  }
  template <class M, class C>
  EMBER_HD C bwd(C g, C x) const {
    const C b = M::k(x, beta);
    const C z = M::exp(x * b);
    return M::sel(x * b > M::k(x, threshold), g, g * z / (z + M::k(x, 1)));
  }
};
struct Softsign {
  EMBER_ACTIVATION_OK
  explicit Softsign(const double*) {}
  template <class M, class C>
  EMBER_HD C fwd(C x) const {
    return x / (M::k(x, 1) + M::abs(x));
  }
  template <class M, class C>
  EMBER_HD C bwd(C g, C x) const {
    const C d = M::k(x, 1) + M::abs(x);
    return g / (d * d);
  }
};
struct Tanhshrink {
  EMBER_ACTIVATION_OK
  explicit Tanhshrink(const double*) {}
  template <class M, class C>
  EMBER_HD C fwd(C x) const {
    return x - M::tanh(x);
  }
  template <class M, class C>
  EMBER_HD C bwd(C g, C x) const {
    const C t = M::tanh(x);
    return g * t * t;
  }
};
// params: lambd.
struct Softshrink {
  EMBER_ACTIVATION_OK
  explicit Softshrink(const double* p) : l(p[0]) {}
  double l;
  template <class M, class C>
  EMBER_HD C fwd(C x) const {
    const C lo = M::k(x, -l), hi = M::k(x, l);
    return M::sel(x > hi, x - hi, M::sel(x < lo, x + hi, x * M::k(x, 0)));
  }
  template <class M, class C>
  EMBER_HD C bwd(C g, C x) const {
    const C z = M::k(x, 0);
    return M::sel(x >= M::k(x, -l), M::sel(x <= M::k(x, l), z, g), g);
  }
};
// params: lambd.
struct Hardshrink {
  EMBER_ACTIVATION_OK
  explicit Hardshrink(const double* p) : l(p[0]) {}
  double l;
  template <class M, class C>
  EMBER_HD C fwd(C x) const {
    const C z = M::k(x, 0);
    return M::sel(x >= M::k(x, -l), M::sel(x <= M::k(x, l), z, x), x);
  }
  template <class M, class C>
  EMBER_HD C bwd(C g, C x) const {
    const C z = M::k(x, 0);
    return M::sel(x >= M::k(x, -l), M::sel(x <= M::k(x, l), z, g), g);
  }
};
// log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)): exp never overflows.
struct LogSigmoid {
  EMBER_ACTIVATION_OK
  explicit LogSigmoid(const double*) {}
  template <class M, class C>
  EMBER_HD C fwd(C x) const {
    const C z = M::k(x, 0);
    return M::sel(x < z, x, z) - M::log1p(M::exp(-M::abs(x)));
  }
  template <class M, class C>
  EMBER_HD C bwd(C g, C x) const {
    const C one = M::k(x, 1);
    const C e = M::exp(-M::abs(x));  // the derivative sigmoid(-x), from e without overflow
    return M::sel(x < M::k(x, 0), g / (one + e), g * e / (one + e));
  }
};
// params: threshold, value.
struct Threshold {
  EMBER_ACTIVATION_OK
  explicit Threshold(const double* p) : th(p[0]), value(p[1]) {}
  double th, value;
  template <class M, class C>
  EMBER_HD C fwd(C x) const {
    return M::sel(x <= M::k(x, th), M::k(x, value), x);
  }
  template <class M, class C>
  EMBER_HD C bwd(C g, C x) const {
    return M::sel(x <= M::k(x, th), M::k(x, 0), g);
  }
};
#undef EMBER_ACTIVATION_OK

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
