// CPU kernels of the activation family: the pointwise activations of src/dispatch/activation.def
// (forward and fused backward), the softmax / log_softmax kernels with their backward, and
// cross_entropy's backward, which fuses log_softmax's backward with nll_loss's.
// Softmax is one fused pass per row: max, exp(x - max) with SLEEF on whole registers (summed in
// vector lanes), then a scale (softmax) or a shift by log(sum) (log_softmax), so the exponentials never
// overflow and log_softmax never takes the log of a rounded-to-zero probability. A softmax over an inner
// dim (inner > 1) walks blocks of columns, so every inner loop still runs over contiguous memory.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

#include "backend/cpu/capability.h"
// capability.h defines EMBER_KERNEL_NS, which the functors header reads.
#include "backend/common/activation_functors.h"
#include "backend/common/visit_dtype.h"
#include "backend/cpu/vec/vec_math.h"
#include "backend/cpu/vec/not_implemented.h"
#include "core/parallel.h"
#include "dispatch/activation_kernels.h"
#include "dispatch/loss_kernels.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {
namespace {

using dispatch::SoftmaxGeometry;

template <class T>
using V = typename vec_of<T>::type;

template <class T>
inline V<T> load(const T* p) {
  V<T> v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
template <class T>
inline void store(T* p, V<T> v) {
  std::memcpy(p, &v, sizeof(v));
}
template <class T>
inline T hsum(V<T> v) {
  T s = 0;
  for (int64_t l = 0; l < lanes<T>; ++l) s += v[l];
  return s;
}

// The functors' math policy on whole registers: SLEEF for the transcendentals, lane selects.
struct VecMath {
  template <class Vec>
  using elem_t = std::remove_cv_t<std::remove_reference_t<decltype(std::declval<Vec>()[0])>>;
  template <class Vec>
  static Vec k(Vec, double v) {
    return Vec{} + elem_t<Vec>(v);
  }
  template <class Mask, class Vec>
  static Vec sel(Mask m, Vec a, Vec b) {
    return m ? a : b;
  }
  template <class Vec>
  static Vec abs(Vec x) {
    return x < Vec{} ? -x : x;
  }
  template <class Vec>
  static Vec exp(Vec x) {
    return Mvec<Exp>::apply(x);
  }
  template <class Vec>
  static Vec expm1(Vec x) {
    return Mvec<Expm1>::apply(x);
  }
  template <class Vec>
  static Vec log1p(Vec x) {
    return Mvec<Log1p>::apply(x);
  }
  template <class Vec>
  static Vec tanh(Vec x) {
    return Mvec<Tanh>::apply(x);
  }
  template <class Vec>
  static Vec erf(Vec x) {
    return Mvec<Erf>::apply(x);
  }
};

template <class F>
void activation_kernel(const dispatch::TensorIterator& it, const char* name, const double* params) {
  visit_dtype(it.dtype(1), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!F::template ok<T>) {
      not_implemented(name, it.dtype(1));
    } else {
      const F f(params);
      it.for_each([&](char** data, const int64_t* st, int64_t n) {
        if (st[0] == sizeof(T) && st[1] == sizeof(T)) {
          T* out = reinterpret_cast<T*>(data[0]);
          const T* in = reinterpret_cast<const T*>(data[1]);
          int64_t i = 0;
          for (; i + lanes<T> <= n; i += lanes<T>) store(out + i, f.template fwd<VecMath>(load(in + i)));
          for (; i < n; ++i) out[i] = f.template fwd<ScalarMath>(in[i]);
        } else {
          for (int64_t i = 0; i < n; ++i)
            *reinterpret_cast<T*>(data[0] + i * st[0]) =
                f.template fwd<ScalarMath>(*reinterpret_cast<const T*>(data[1] + i * st[1]));
        }
      });
    }
  });
}

template <class F>
void activation_backward_kernel(const dispatch::TensorIterator& it, const char* name, const double* params) {
  visit_dtype(it.dtype(1), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!F::template ok<T>) {
      not_implemented(name, it.dtype(1));
    } else {
      const F f(params);
      it.for_each([&](char** data, const int64_t* st, int64_t n) {
        if (st[0] == sizeof(T) && st[1] == sizeof(T) && st[2] == sizeof(T)) {
          T* out = reinterpret_cast<T*>(data[0]);
          const T* g = reinterpret_cast<const T*>(data[1]);
          const T* x = reinterpret_cast<const T*>(data[2]);
          int64_t i = 0;
          for (; i + lanes<T> <= n; i += lanes<T>) store(out + i, f.template bwd<VecMath>(load(g + i), load(x + i)));
          for (; i < n; ++i) out[i] = f.template bwd<ScalarMath>(g[i], x[i]);
        } else {
          for (int64_t i = 0; i < n; ++i)
            *reinterpret_cast<T*>(data[0] + i * st[0]) = f.template bwd<ScalarMath>(
                *reinterpret_cast<const T*>(data[1] + i * st[1]), *reinterpret_cast<const T*>(data[2] + i * st[2]));
        }
      });
    }
  });
}

// ---- softmax ----
template <class T>
T row_max(const T* x, int64_t n) {
  constexpr int64_t L = lanes<T>;
  T m = -std::numeric_limits<T>::infinity();
  int64_t i = 0;
  if (n >= L) {
    V<T> vm = load(x);
    for (i = L; i + L <= n; i += L) {
      V<T> v = load(x + i);
      vm = v > vm ? v : vm;
    }
    for (int64_t l = 0; l < L; ++l) m = vm[l] > m ? vm[l] : m;
  }
  for (; i < n; ++i) m = x[i] > m ? x[i] : m;
  return m;
}

// y[i] = exp(x[i] - m) (y may be null: only the sum is wanted); returns the sum.
template <class T>
T exp_shift_sum(const T* x, T m, T* y, int64_t n) {
  constexpr int64_t L = lanes<T>;
  V<T> acc = V<T>{} + T(0);
  int64_t i = 0;
  for (; i + L <= n; i += L) {
    V<T> e = Mvec<Exp>::apply(load(x + i) - m);
    if (y) store(y + i, e);
    acc += e;
  }
  T s = hsum<T>(acc);
  for (; i < n; ++i) {
    T e = std::exp(x[i] - m);
    if (y) y[i] = e;
    s += e;
  }
  return s;
}

template <class T>
void softmax_lastdim(const T* in, T* out, int64_t rows, int64_t n, bool log) {
  core::parallel_for(0, rows, std::max<int64_t>(1, 16384 / std::max<int64_t>(n, 1)), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const T* x = in + r * n;
      T* y = out + r * n;
      const T m = row_max(x, n);
      if (log) {
        // (x - max) - log(sum): subtracting max first keeps float32 rows near +-1e4 exact.
        const T lse = std::log(exp_shift_sum<T>(x, m, nullptr, n));
        for (int64_t i = 0; i < n; ++i) y[i] = (x[i] - m) - lse;
      } else {
        const T inv = T(1) / exp_shift_sum<T>(x, m, y, n);
        for (int64_t i = 0; i < n; ++i) y[i] *= inv;
      }
    }
  });
}

// Softmax over the middle dim of [outer, n, inner] with inner > 1: blocks of kBlock columns, each
// reduced with vector loops across its columns.
template <class T>
void softmax_inner(const T* in, T* out, const SoftmaxGeometry& g, bool log) {
  constexpr int64_t kBlock = 256;
  const int64_t nblocks = (g.inner + kBlock - 1) / kBlock;
  const int64_t tasks = g.outer * nblocks;
  const int64_t grain = std::max<int64_t>(1, 16384 / std::max<int64_t>(g.n * kBlock, 1));
  core::parallel_for(0, tasks, grain, [&](int64_t b, int64_t e) {
    T mx[kBlock], sum[kBlock];
    for (int64_t t = b; t < e; ++t) {
      const int64_t o = t / nblocks, j0 = (t % nblocks) * kBlock, w = std::min(kBlock, g.inner - j0);
      const T* x = in + o * g.n * g.inner + j0;
      T* y = out + o * g.n * g.inner + j0;
      for (int64_t j = 0; j < w; ++j) mx[j] = -std::numeric_limits<T>::infinity(), sum[j] = 0;
      for (int64_t k = 0; k < g.n; ++k) {
        const T* xk = x + k * g.inner;
        for (int64_t j = 0; j < w; ++j) mx[j] = xk[j] > mx[j] ? xk[j] : mx[j];
      }
      for (int64_t k = 0; k < g.n; ++k) {
        const T* xk = x + k * g.inner;
        T* yk = y + k * g.inner;
        for (int64_t j = 0; j < w; ++j) yk[j] = xk[j] - mx[j];
        mvec_row<Exp>(yk, yk, w);
        for (int64_t j = 0; j < w; ++j) sum[j] += yk[j];
      }
      if (log) {
        for (int64_t j = 0; j < w; ++j) sum[j] = std::log(sum[j]);
        for (int64_t k = 0; k < g.n; ++k) {
          const T* xk = x + k * g.inner;
          T* yk = y + k * g.inner;
          for (int64_t j = 0; j < w; ++j) yk[j] = (xk[j] - mx[j]) - sum[j];
        }
      } else {
        for (int64_t j = 0; j < w; ++j) sum[j] = T(1) / sum[j];
        for (int64_t k = 0; k < g.n; ++k) {
          T* yk = y + k * g.inner;
          for (int64_t j = 0; j < w; ++j) yk[j] *= sum[j];
        }
      }
    }
  });
}

void softmax_kernel(const Tensor& in, Tensor& out, const SoftmaxGeometry& g, bool log) {
  visit_dtype(in.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<T, float> && !std::is_same_v<T, double>) {
      not_implemented(log ? "log_softmax" : "softmax", in.dtype());
    } else {
      const T* x = in.data_ptr<T>();
      T* y = out.data_ptr<T>();
      if (g.n == 0 || g.outer == 0 || g.inner == 0) return;
      if (g.inner == 1) softmax_lastdim(x, y, g.outer, g.n, log);
      else softmax_inner(x, y, g, log);
    }
  });
}

template <class T>
T row_dot(const T* a, const T* b, int64_t n) {
  constexpr int64_t L = lanes<T>;
  V<T> acc = V<T>{} + T(0);
  int64_t i = 0;
  for (; i + L <= n; i += L) acc += b ? load(a + i) * load(b + i) : load(a + i);
  T s = hsum<T>(acc);
  for (; i < n; ++i) s += b ? a[i] * b[i] : a[i];
  return s;
}

void softmax_backward_kernel(const Tensor& grad, const Tensor& out, Tensor& grad_in, const SoftmaxGeometry& g,
                             bool log) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<T, float> && !std::is_same_v<T, double>) {
      not_implemented(log ? "log_softmax_backward_data" : "softmax_backward_data", out.dtype());
    } else {
      const T* gp = grad.data_ptr<T>();
      const T* yp = out.data_ptr<T>();
      T* gi = grad_in.data_ptr<T>();
      if (g.n == 0 || g.outer == 0 || g.inner == 0) return;
      if (g.inner == 1) {
        const int64_t n = g.n;
        core::parallel_for(0, g.outer, std::max<int64_t>(1, 16384 / n), [&](int64_t b, int64_t e) {
          for (int64_t r = b; r < e; ++r) {
            const T* gr = gp + r * n;
            const T* yr = yp + r * n;
            T* o = gi + r * n;
            if (log) {
              const T s = row_dot<T>(gr, nullptr, n);
              mvec_row<Exp>(yr, o, n);
              for (int64_t i = 0; i < n; ++i) o[i] = gr[i] - o[i] * s;
            } else {
              const T s = row_dot<T>(gr, yr, n);
              for (int64_t i = 0; i < n; ++i) o[i] = yr[i] * (gr[i] - s);
            }
          }
        });
        return;
      }
      constexpr int64_t kBlock = 256;
      const int64_t nblocks = (g.inner + kBlock - 1) / kBlock;
      core::parallel_for(0, g.outer * nblocks, std::max<int64_t>(1, 16384 / (g.n * kBlock)), [&](int64_t b, int64_t e) {
        T s[kBlock];
        for (int64_t t = b; t < e; ++t) {
          const int64_t o = t / nblocks, j0 = (t % nblocks) * kBlock, w = std::min(kBlock, g.inner - j0);
          const int64_t base = o * g.n * g.inner + j0;
          for (int64_t j = 0; j < w; ++j) s[j] = 0;
          for (int64_t k = 0; k < g.n; ++k) {
            const T* gk = gp + base + k * g.inner;
            const T* yk = yp + base + k * g.inner;
            if (log)
              for (int64_t j = 0; j < w; ++j) s[j] += gk[j];
            else
              for (int64_t j = 0; j < w; ++j) s[j] += gk[j] * yk[j];
          }
          for (int64_t k = 0; k < g.n; ++k) {
            const T* gk = gp + base + k * g.inner;
            const T* yk = yp + base + k * g.inner;
            T* ok = gi + base + k * g.inner;
            if (log) {
              mvec_row<Exp>(yk, ok, w);
              for (int64_t j = 0; j < w; ++j) ok[j] = gk[j] - ok[j] * s[j];
            } else {
              for (int64_t j = 0; j < w; ++j) ok[j] = yk[j] * (gk[j] - s[j]);
            }
          }
        }
      });
    }
  });
}

// cross_entropy's fused backward (dispatch/loss_kernels.h): log_softmax's backward of the gradient
// nll_loss's backward would write, whose rows hold one value s, so each row's sum is s itself. The
// exponentials are the softmax backward's, so the result is that of the two kernels, bit for bit.
void cross_entropy_backward_kernel(const Tensor& grad, const Tensor& logp, const Tensor& target,
                                   const Tensor& weight, const Tensor& total_weight, Tensor& grad_input,
                                   int64_t reduction, int64_t ignore_index) {
  visit_dtype(logp.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (!std::is_same_v<T, float> && !std::is_same_v<T, double>) {
      not_implemented("cross_entropy_backward", logp.dtype());
    } else {
      const int64_t N = logp.size(0), C = logp.size(1);
      if (N == 0 || C == 0) return;
      const T* gp = grad.data_ptr<T>();
      const T* lp = logp.data_ptr<T>();
      const int64_t* t = target.data_ptr<int64_t>();
      const T* w = weight.defined() ? weight.data_ptr<T>() : nullptr;
      T* gi = grad_input.data_ptr<T>();
      const T scale = reduction == 1 ? gp[0] / *total_weight.data_ptr<T>() : gp[0];
      core::parallel_for(0, N, std::max<int64_t>(1, 16384 / C), [&](int64_t b, int64_t e) {
        for (int64_t r = b; r < e; ++r) {
          const int64_t tr = t[r];
          const bool counted = tr != ignore_index && tr >= 0 && tr < C;
          const T s = counted ? -(w ? w[tr] : T(1)) * (reduction == 0 ? gp[r] : scale) : T(0);
          const T sum = T(0) + s;  // the row's sum: adding its zeros turns -0 into +0
          T* o = gi + r * C;
          mvec_row<Exp>(lp + r * C, o, C);
          for (int64_t c = 0; c < C; ++c) o[c] = (counted && c == tr ? s : T(0)) - o[c] * sum;
        }
      });
    }
  });
}

}  // namespace

#define EMBER_ACTIVATION(name, F)                                   \
  EMBER_REGISTER_CPU_KERNEL(#name, &activation_kernel<F>);          \
  EMBER_REGISTER_CPU_KERNEL(#name "_backward", &activation_backward_kernel<F>);
#include "dispatch/activation.def"

EMBER_REGISTER_CPU_KERNEL("softmax", &softmax_kernel);
EMBER_REGISTER_CPU_KERNEL("softmax_backward", &softmax_backward_kernel);
EMBER_REGISTER_CPU_KERNEL("cross_entropy_backward", &cross_entropy_backward_kernel);

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
