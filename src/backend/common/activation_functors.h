#pragma once
// Activation functors (src/dispatch/activation.def): `fwd(x)` is the activation, `bwd(g, x)` the
// incoming gradient times its derivative at x, so backward is one fused pass over (grad, self) that
// allocates no temporaries. Formulas and the branch taken at the kinks are PyTorch's (its CPU kernels
// and derivatives.yaml). Parameters come as up to three doubles; C is float or double.
#include <cmath>

#include "backend/common/pointwise_functors.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {

#define EMBER_ACTIVATION_OK \
  template <class T>        \
  static constexpr bool ok = std::is_same_v<T, float> || std::is_same_v<T, double>;

// params: min_val, max_val (relu6 is hardtanh(0, 6)).
struct Hardtanh {
  EMBER_ACTIVATION_OK
  explicit Hardtanh(const double* p) : lo(p[0]), hi(p[1]) {}
  double lo, hi;
  template <class C>
  C fwd(C x) const {
    return x < C(lo) ? C(lo) : (x > C(hi) ? C(hi) : x);
  }
  template <class C>
  C bwd(C g, C x) const {
    return (x <= C(lo) || x >= C(hi)) ? C(0) : g;
  }
};
// params: negative_slope.
struct LeakyRelu {
  EMBER_ACTIVATION_OK
  explicit LeakyRelu(const double* p) : s(p[0]) {}
  double s;
  template <class C>
  C fwd(C x) const {
    return x > C(0) ? x : x * C(s);
  }
  template <class C>
  C bwd(C g, C x) const {
    return x > C(0) ? g : g * C(s);
  }
};
// params: alpha, scale, input_scale (PyTorch's elu kernel; selu and celu are instances of it).
struct Elu {
  EMBER_ACTIVATION_OK
  explicit Elu(const double* p) : alpha(p[0]), scale(p[1]), input_scale(p[2]) {}
  double alpha, scale, input_scale;
  template <class C>
  C fwd(C x) const {
    return x <= C(0) ? std::expm1(x * C(input_scale)) * C(alpha * scale) : x * C(scale);
  }
  template <class C>
  C bwd(C g, C x) const {
    return x <= C(0) ? g * C(input_scale * alpha * scale) * std::exp(x * C(input_scale)) : g * C(scale);
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
  template <class C>
  C fwd(C x) const {
    if (tanh_approx) return C(0.5) * x * (C(1) + std::tanh(C(kBeta) * (x + C(kKappa) * x * x * x)));
    return C(0.5) * x * (C(1) + std::erf(x * C(kSqrt1_2)));
  }
  template <class C>
  C bwd(C g, C x) const {
    if (tanh_approx) {
      const C t = std::tanh(C(kBeta) * (x + C(kKappa) * x * x * x));
      const C inner_d = C(kBeta) * (C(1) + C(3 * kKappa) * x * x);
      return g * (C(0.5) * (C(1) + t) + C(0.5) * x * (C(1) - t * t) * inner_d);
    }
    const C cdf = C(0.5) * (C(1) + std::erf(x * C(kSqrt1_2)));
    const C pdf = std::exp(C(-0.5) * x * x) * C(kInvSqrt2Pi);
    return g * (cdf + x * pdf);
  }
};
struct Silu {
  EMBER_ACTIVATION_OK
  explicit Silu(const double*) {}
  template <class C>
  C fwd(C x) const {
    return x / (C(1) + std::exp(-x));
  }
  template <class C>
  C bwd(C g, C x) const {
    const C s = C(1) / (C(1) + std::exp(-x));
    return g * s * (C(1) + x * (C(1) - s));
  }
};
struct Mish {
  EMBER_ACTIVATION_OK
  explicit Mish(const double*) {}
  template <class C>
  C fwd(C x) const {
    return x * std::tanh(std::log1p(std::exp(x)));
  }
  template <class C>
  C bwd(C g, C x) const {
    const C s = C(1) / (C(1) + std::exp(-x));
    const C t = std::tanh(std::log1p(std::exp(x)));
    return g * (t + x * s * (C(1) - t * t));
  }
};
struct Hardsigmoid {
  EMBER_ACTIVATION_OK
  explicit Hardsigmoid(const double*) {}
  template <class C>
  C fwd(C x) const {
    const C y = x + C(3);
    return (y < C(0) ? C(0) : (y > C(6) ? C(6) : y)) / C(6);
  }
  template <class C>
  C bwd(C g, C x) const {
    return (x > C(-3) && x < C(3)) ? g / C(6) : C(0);
  }
};
struct Hardswish {
  EMBER_ACTIVATION_OK
  explicit Hardswish(const double*) {}
  template <class C>
  C fwd(C x) const {
    const C y = x + C(3);
    return x * (y < C(0) ? C(0) : (y > C(6) ? C(6) : y)) / C(6);
  }
  template <class C>
  C bwd(C g, C x) const {
    if (x < C(-3)) return C(0);
    return x <= C(3) ? g * (x / C(3) + C(0.5)) : g;
  }
};
// params: beta, threshold (above threshold / beta the op is the identity, as PyTorch).
struct Softplus {
  EMBER_ACTIVATION_OK
  explicit Softplus(const double* p) : beta(p[0]), threshold(p[1]) {}
  double beta, threshold;
  template <class C>
  C fwd(C x) const {
    return x * C(beta) > C(threshold) ? x : std::log1p(std::exp(x * C(beta))) / C(beta);
  }
  template <class C>
  C bwd(C g, C x) const {
    if (x * C(beta) > C(threshold)) return g;
    const C z = std::exp(x * C(beta));
    return g * z / (z + C(1));
  }
};
struct Softsign {
  EMBER_ACTIVATION_OK
  explicit Softsign(const double*) {}
  template <class C>
  C fwd(C x) const {
    return x / (C(1) + std::abs(x));
  }
  template <class C>
  C bwd(C g, C x) const {
    const C d = C(1) + std::abs(x);
    return g / (d * d);
  }
};
struct Tanhshrink {
  EMBER_ACTIVATION_OK
  explicit Tanhshrink(const double*) {}
  template <class C>
  C fwd(C x) const {
    return x - std::tanh(x);
  }
  template <class C>
  C bwd(C g, C x) const {
    const C t = std::tanh(x);
    return g * t * t;
  }
};
// params: lambd.
struct Softshrink {
  EMBER_ACTIVATION_OK
  explicit Softshrink(const double* p) : l(p[0]) {}
  double l;
  template <class C>
  C fwd(C x) const {
    return x > C(l) ? x - C(l) : (x < C(-l) ? x + C(l) : x * C(0));
  }
  template <class C>
  C bwd(C g, C x) const {
    return (x >= C(-l) && x <= C(l)) ? C(0) : g;
  }
};
// params: lambd.
struct Hardshrink {
  EMBER_ACTIVATION_OK
  explicit Hardshrink(const double* p) : l(p[0]) {}
  double l;
  template <class C>
  C fwd(C x) const {
    return (x >= C(-l) && x <= C(l)) ? C(0) : x;
  }
  template <class C>
  C bwd(C g, C x) const {
    return (x >= C(-l) && x <= C(l)) ? C(0) : g;
  }
};
// log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)): exp never overflows.
struct LogSigmoid {
  EMBER_ACTIVATION_OK
  explicit LogSigmoid(const double*) {}
  template <class C>
  C fwd(C x) const {
    return (x < C(0) ? x : C(0)) - std::log1p(std::exp(-std::abs(x)));
  }
  template <class C>
  C bwd(C g, C x) const {
    const C z = std::exp(-std::abs(x));  // derivative sigmoid(-x), from z without overflow
    return x < C(0) ? g / (C(1) + z) : g * z / (C(1) + z);
  }
};
// params: threshold, value.
struct Threshold {
  EMBER_ACTIVATION_OK
  explicit Threshold(const double* p) : th(p[0]), value(p[1]) {}
  double th, value;
  template <class C>
  C fwd(C x) const {
    return x <= C(th) ? C(value) : x;
  }
  template <class C>
  C bwd(C g, C x) const {
    return x <= C(th) ? C(0) : g;
  }
};
#undef EMBER_ACTIVATION_OK

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
