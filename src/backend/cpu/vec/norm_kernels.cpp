// CPU kernels of batch_norm and layer_norm, forward and backward, fused: statistics in two passes over
// the data (the first pass's mean makes the second's squared deviations accurate without Welford
// updates), block sums in the input's type added in double, then one pass that writes the output. batch_norm
// runs in parallel over channels, layer_norm over rows; layer_norm's weight and bias gradients sum
// per-chunk partials in a fixed order, so results do not depend on the thread count.
#include <algorithm>
#include <cmath>
#include <vector>

#include "backend/cpu/capability.h"
#include "core/parallel.h"
#include "dispatch/norm_kernels.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {
namespace {

constexpr int64_t kGrainElems = 32768;
// Sums run in T's own width inside blocks of kColBlock elements (full vector lanes: 8 floats per AVX2
// register instead of 4 doubles) and the block sums are added in double, so the error stays that of
// a kColBlock-term float sum however long the row is.
constexpr int64_t kColBlock = 1024;

template <class T>
double sum_of(const T* p, int64_t n) {
  double s = 0;
  for (int64_t i0 = 0; i0 < n; i0 += kColBlock) {
    const int64_t i1 = std::min(n, i0 + kColBlock);
    T b = 0;
#pragma omp simd reduction(+ : b)
    for (int64_t i = i0; i < i1; ++i) b += p[i];
    s += double(b);
  }
  return s;
}

template <class T>
double squared_deviations(const T* p, int64_t n, double mu) {
  const T m = T(mu);
  double s = 0;
  for (int64_t i0 = 0; i0 < n; i0 += kColBlock) {
    const int64_t i1 = std::min(n, i0 + kColBlock);
    T b = 0;
#pragma omp simd reduction(+ : b)
    for (int64_t i = i0; i < i1; ++i) {
      const T d = p[i] - m;
      b += d * d;
    }
    s += double(b);
  }
  return s;
}

// sum(dy) and sum(dy * (x - mu)) over one row.
template <class T>
void grad_sums(const T* dy, const T* x, int64_t n, double mu, double& s_dy, double& s_dot) {
  const T m = T(mu);
  for (int64_t i0 = 0; i0 < n; i0 += kColBlock) {
    const int64_t i1 = std::min(n, i0 + kColBlock);
    T a = 0, b = 0;
#pragma omp simd reduction(+ : a, b)
    for (int64_t i = i0; i < i1; ++i) {
      a += dy[i];
      b += dy[i] * (x[i] - m);
    }
    s_dy += double(a);
    s_dot += double(b);
  }
}

template <class T>
const T* ptr_or_null(const Tensor& t) {
  return t.defined() ? t.data_ptr<T>() : nullptr;
}

// Channels per task so a task reads at least kGrainElems values.
int64_t channel_grain(int64_t per_channel) { return std::max<int64_t>(1, kGrainElems / std::max<int64_t>(1, per_channel)); }

template <class T>
void batch_norm_stats(const Tensor& x, double eps, const Tensor& mean, const Tensor& invstd, const Tensor& var) {
  const int64_t N = x.size(0), C = x.size(1), M = x.size(2);
  const T* xp = x.data_ptr<T>();
  T* mp = mean.data_ptr<T>();
  T* ip = invstd.data_ptr<T>();
  T* vp = var.defined() ? var.data_ptr<T>() : nullptr;
  const double count = double(N * M);
  auto finish = [&](int64_t c, double mu, double ss) {
    mp[c] = T(mu);
    ip[c] = T(1.0 / std::sqrt(ss / count + eps));
    // One value gives an unbiased variance of 0 / 0, as in PyTorch (which raises before that in training).
    if (vp) vp[c] = T(ss / (count - 1));
  };
  if (M == 1) {
    // (N, C): each row of the input is one value per channel, so the inner loops run across channels.
    core::parallel_for(0, C, channel_grain(N), [&](int64_t b, int64_t e) {
      std::vector<double> s(size_t(e - b), 0.0), q(size_t(e - b), 0.0);
      for (int64_t n = 0; n < N; ++n) {
        const T* row = xp + n * C;
        for (int64_t c = b; c < e; ++c) s[size_t(c - b)] += double(row[c]);
      }
      for (int64_t c = b; c < e; ++c) s[size_t(c - b)] /= count;
      for (int64_t n = 0; n < N; ++n) {
        const T* row = xp + n * C;
        for (int64_t c = b; c < e; ++c) {
          double d = double(row[c]) - s[size_t(c - b)];
          q[size_t(c - b)] += d * d;
        }
      }
      for (int64_t c = b; c < e; ++c) finish(c, s[size_t(c - b)], q[size_t(c - b)]);
    });
    return;
  }
  core::parallel_for(0, C, channel_grain(N * M), [&](int64_t b, int64_t e) {
    for (int64_t c = b; c < e; ++c) {
      double s = 0;
      for (int64_t n = 0; n < N; ++n) s += sum_of(xp + (n * C + c) * M, M);
      double mu = s / count, ss = 0;
      for (int64_t n = 0; n < N; ++n) ss += squared_deviations(xp + (n * C + c) * M, M, mu);
      finish(c, mu, ss);
    }
  });
}

template <class T>
void batch_norm_apply(const Tensor& x, const Tensor& mean, const Tensor& invstd, const Tensor& weight,
                      const Tensor& bias, const Tensor& out) {
  const int64_t N = x.size(0), C = x.size(1), M = x.size(2);
  const T* xp = x.data_ptr<T>();
  const T *mp = mean.data_ptr<T>(), *ip = invstd.data_ptr<T>();
  const T *wp = ptr_or_null<T>(weight), *bp = ptr_or_null<T>(bias);
  T* op = out.data_ptr<T>();
  // y = x * scale + shift per channel.
  std::vector<T> scale(static_cast<size_t>(C)), shift(static_cast<size_t>(C));
  for (int64_t c = 0; c < C; ++c) {
    double sc = double(ip[c]) * (wp ? double(wp[c]) : 1.0);
    scale[size_t(c)] = T(sc);
    shift[size_t(c)] = T((bp ? double(bp[c]) : 0.0) - double(mp[c]) * sc);
  }
  const T *sc = scale.data(), *sh = shift.data();
  if (M == 1) {
    core::parallel_for(0, N, channel_grain(C), [&](int64_t b, int64_t e) {
      for (int64_t n = b; n < e; ++n) {
        const T* xi = xp + n * C;
        T* yo = op + n * C;
#pragma omp simd
        for (int64_t c = 0; c < C; ++c) yo[c] = xi[c] * sc[c] + sh[c];
      }
    });
    return;
  }
  core::parallel_for(0, N * C, channel_grain(M), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const int64_t c = r % C;
      const T a = sc[c], s = sh[c];
      const T* xi = xp + r * M;
      T* yo = op + r * M;
#pragma omp simd
      for (int64_t m = 0; m < M; ++m) yo[m] = xi[m] * a + s;
    }
  });
}

template <class T>
void batch_norm_backward(const Tensor& dy, const Tensor& x, const Tensor& mean, const Tensor& invstd,
                         const Tensor& weight, bool train, const Tensor& dx, const Tensor& dweight,
                         const Tensor& dbias) {
  const int64_t N = x.size(0), C = x.size(1), M = x.size(2);
  const T *gp = dy.data_ptr<T>(), *xp = x.data_ptr<T>();
  const T *mp = mean.data_ptr<T>(), *ip = invstd.data_ptr<T>(), *wp = ptr_or_null<T>(weight);
  T* dxp = dx.defined() ? dx.data_ptr<T>() : nullptr;
  T* dwp = dweight.defined() ? dweight.data_ptr<T>() : nullptr;
  T* dbp = dbias.defined() ? dbias.data_ptr<T>() : nullptr;
  const double count = double(N * M);
  // Per channel: dx = (dy - sum(dy) / count - (x - mean) * invstd^2 * sum(dy * (x - mean)) / count)
  //                   * invstd * weight   in training, dy * invstd * weight otherwise.
  auto coefficients = [&](int64_t c, double s_dy, double s_dot, T& a, T& k, T& g0) {
    double inv = double(ip[c]), w = wp ? double(wp[c]) : 1.0;
    if (dwp) dwp[c] = T(s_dot * inv);
    if (dbp) dbp[c] = T(s_dy);
    a = T(inv * w);
    k = train ? T(s_dot * inv * inv / count) : T(0);
    g0 = train ? T(s_dy / count) : T(0);
  };
  if (M == 1) {
    core::parallel_for(0, C, channel_grain(N), [&](int64_t b, int64_t e) {
      const size_t w = size_t(e - b);
      std::vector<double> s_dy(w, 0.0), s_dot(w, 0.0);
      for (int64_t n = 0; n < N; ++n)
        for (int64_t c = b; c < e; ++c) {
          double g = double(gp[n * C + c]);
          s_dy[size_t(c - b)] += g;
          s_dot[size_t(c - b)] += g * (double(xp[n * C + c]) - double(mp[c]));
        }
      std::vector<T> a(w), k(w), g0(w);
      for (int64_t c = b; c < e; ++c)
        coefficients(c, s_dy[size_t(c - b)], s_dot[size_t(c - b)], a[size_t(c - b)], k[size_t(c - b)],
                     g0[size_t(c - b)]);
      if (!dxp) return;
      for (int64_t n = 0; n < N; ++n)
        for (int64_t c = b; c < e; ++c) {
          size_t j = size_t(c - b);
          int64_t i = n * C + c;
          dxp[i] = (gp[i] - g0[j] - (xp[i] - mp[c]) * k[j]) * a[j];
        }
    });
    return;
  }
  core::parallel_for(0, C, channel_grain(N * M), [&](int64_t b, int64_t e) {
    for (int64_t c = b; c < e; ++c) {
      double s_dy = 0, s_dot = 0, mu = double(mp[c]);
      if (train || dwp || dbp)
        for (int64_t n = 0; n < N; ++n) grad_sums(gp + (n * C + c) * M, xp + (n * C + c) * M, M, mu, s_dy, s_dot);
      T a, k, g0;
      coefficients(c, s_dy, s_dot, a, k, g0);
      if (!dxp) continue;
      const T m = mp[c];
      for (int64_t n = 0; n < N; ++n) {
        const int64_t off = (n * C + c) * M;
        const T *g = gp + off, *xi = xp + off;
        T* o = dxp + off;
#pragma omp simd
        for (int64_t i = 0; i < M; ++i) o[i] = (g[i] - g0 - (xi[i] - m) * k) * a;
      }
    }
  });
}

template <class T>
void layer_norm(const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, const Tensor& out,
                const Tensor& mean, const Tensor& rstd) {
  const int64_t R = x.size(0), D = x.size(1);
  const T* xp = x.data_ptr<T>();
  const T *wp = ptr_or_null<T>(weight), *bp = ptr_or_null<T>(bias);
  T *op = out.data_ptr<T>(), *mp = mean.data_ptr<T>(), *rp = rstd.data_ptr<T>();
  core::parallel_for(0, R, channel_grain(D), [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) {
      const T* xi = xp + r * D;
      T* yo = op + r * D;
      double mu = D > 0 ? sum_of(xi, D) / double(D) : 0.0;
      double inv = 1.0 / std::sqrt(squared_deviations(xi, D, mu) / double(D) + eps);
      mp[r] = T(mu);
      rp[r] = T(inv);
      const T m = T(mu), s = T(inv);
      if (wp && bp) {
#pragma omp simd
        for (int64_t i = 0; i < D; ++i) yo[i] = (xi[i] - m) * s * wp[i] + bp[i];
      } else if (wp) {
#pragma omp simd
        for (int64_t i = 0; i < D; ++i) yo[i] = (xi[i] - m) * s * wp[i];
      } else {
#pragma omp simd
        for (int64_t i = 0; i < D; ++i) yo[i] = (xi[i] - m) * s + (bp ? bp[i] : T(0));
      }
    }
  });
}

template <class T>
void layer_norm_backward(const Tensor& dy, const Tensor& x, const Tensor& mean, const Tensor& rstd,
                         const Tensor& weight, const Tensor& dx, const Tensor& dweight, const Tensor& dbias) {
  const int64_t R = x.size(0), D = x.size(1);
  const T *gp = dy.data_ptr<T>(), *xp = x.data_ptr<T>();
  const T *mp = mean.data_ptr<T>(), *rp = rstd.data_ptr<T>(), *wp = ptr_or_null<T>(weight);
  T* dxp = dx.defined() ? dx.data_ptr<T>() : nullptr;
  const bool want_params = dweight.defined() || dbias.defined();
  // Rows go in fixed chunks (their count depends on R only); each chunk sums its weight and bias
  // gradients into its own row of double partials, which are then added in chunk order. Within a
  // chunk, kRowBlock rows at a time are summed in T before being added to the partials.
  constexpr int64_t kRowBlock = 16;
  const int64_t chunks = std::max<int64_t>(1, std::min<int64_t>({R, 64, (R * D + kGrainElems - 1) / kGrainElems}));
  const int64_t per = (R + chunks - 1) / chunks;
  std::vector<double> pw(want_params ? size_t(chunks * D) : 0, 0.0), pb(want_params ? size_t(chunks * D) : 0, 0.0);
  core::parallel_for(0, chunks, 1, [&](int64_t cb, int64_t ce) {
    std::vector<T> bw(want_params ? size_t(D) : 0), bb(want_params ? size_t(D) : 0);
    T *fw = bw.data(), *fb = bb.data();
    for (int64_t ch = cb; ch < ce; ++ch) {
      const int64_t r0 = ch * per, r1 = std::min(R, r0 + per);
      for (int64_t rb = r0; rb < r1; rb += kRowBlock) {
        const int64_t re = std::min(r1, rb + kRowBlock);
        if (want_params) {
          std::fill(bw.begin(), bw.end(), T(0));
          std::fill(bb.begin(), bb.end(), T(0));
        }
        for (int64_t r = rb; r < re; ++r) {
          const T *g = gp + r * D, *xi = xp + r * D;
          const T m = mp[r], s = rp[r];
          // With g = dy * weight: dx = rstd * (g - mean(g) - xhat * mean(g * xhat)); the row sums
          // and the parameter partials come from one pass.
          double a = 0, bsum = 0;
          for (int64_t i0 = 0; i0 < D; i0 += kColBlock) {
            const int64_t i1 = std::min(D, i0 + kColBlock);
            T ta = 0, tb = 0;
            if (want_params) {
#pragma omp simd reduction(+ : ta, tb)
              for (int64_t i = i0; i < i1; ++i) {
                const T d = g[i], xh = (xi[i] - m) * s, gw = wp ? d * wp[i] : d;
                fw[i] += d * xh;
                fb[i] += d;
                ta += gw;
                tb += gw * xh;
              }
            } else {
#pragma omp simd reduction(+ : ta, tb)
              for (int64_t i = i0; i < i1; ++i) {
                const T gw = wp ? g[i] * wp[i] : g[i];
                ta += gw;
                tb += gw * (xi[i] - m) * s;
              }
            }
            a += double(ta);
            bsum += double(tb);
          }
          if (!dxp) continue;
          const T ga = T(a / double(D)), gb = T(bsum / double(D));
          T* o = dxp + r * D;
#pragma omp simd
          for (int64_t i = 0; i < D; ++i) {
            const T gw = wp ? g[i] * wp[i] : g[i];
            o[i] = s * (gw - ga - (xi[i] - m) * s * gb);
          }
        }
        if (want_params) {
          double *pwc = pw.data() + ch * D, *pbc = pb.data() + ch * D;
#pragma omp simd
          for (int64_t i = 0; i < D; ++i) {
            pwc[i] += double(fw[i]);
            pbc[i] += double(fb[i]);
          }
        }
      }
    }
  });
  if (!want_params) return;
  T* dwp = dweight.defined() ? dweight.data_ptr<T>() : nullptr;
  T* dbp = dbias.defined() ? dbias.data_ptr<T>() : nullptr;
  core::parallel_for(0, D, 1024, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      double sw = 0, sb = 0;
      for (int64_t ch = 0; ch < chunks; ++ch) {
        sw += pw[size_t(ch * D + i)];
        sb += pb[size_t(ch * D + i)];
      }
      if (dwp) dwp[i] = T(sw);
      if (dbp) dbp[i] = T(sb);
    }
  });
}

// One registered entry per kernel; the ops pass float32 or float64 only.
#define EMBER_NORM_ENTRY(name, fn, params, args)                   \
  void name params {                                             \
    if (x.dtype() == kFloat64) return fn<double> args;           \
    return fn<float> args;                                       \
  }
EMBER_NORM_ENTRY(batch_norm_stats_kernel, batch_norm_stats,
                 (const Tensor& x, double eps, const Tensor& mean, const Tensor& invstd, const Tensor& var),
                 (x, eps, mean, invstd, var))
EMBER_NORM_ENTRY(batch_norm_apply_kernel, batch_norm_apply,
                 (const Tensor& x, const Tensor& mean, const Tensor& invstd, const Tensor& weight, const Tensor& bias,
                  const Tensor& out),
                 (x, mean, invstd, weight, bias, out))
EMBER_NORM_ENTRY(batch_norm_backward_kernel, batch_norm_backward,
                 (const Tensor& dy, const Tensor& x, const Tensor& mean, const Tensor& invstd, const Tensor& weight,
                  bool train, const Tensor& dx, const Tensor& dweight, const Tensor& dbias),
                 (dy, x, mean, invstd, weight, train, dx, dweight, dbias))
EMBER_NORM_ENTRY(layer_norm_kernel, layer_norm,
                 (const Tensor& x, const Tensor& weight, const Tensor& bias, double eps, const Tensor& out,
                  const Tensor& mean, const Tensor& rstd),
                 (x, weight, bias, eps, out, mean, rstd))
EMBER_NORM_ENTRY(layer_norm_backward_kernel, layer_norm_backward,
                 (const Tensor& dy, const Tensor& x, const Tensor& mean, const Tensor& rstd, const Tensor& weight,
                  const Tensor& dx, const Tensor& dweight, const Tensor& dbias),
                 (dy, x, mean, rstd, weight, dx, dweight, dbias))
#undef EMBER_NORM_ENTRY

}  // namespace

EMBER_REGISTER_CPU_KERNEL("batch_norm_stats", &batch_norm_stats_kernel);
EMBER_REGISTER_CPU_KERNEL("batch_norm_apply", &batch_norm_apply_kernel);
EMBER_REGISTER_CPU_KERNEL("batch_norm_backward", &batch_norm_backward_kernel);
EMBER_REGISTER_CPU_KERNEL("layer_norm", &layer_norm_kernel);
EMBER_REGISTER_CPU_KERNEL("layer_norm_backward", &layer_norm_backward_kernel);

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
