// Convolution on the CPU (compiled per instruction set for the copy loops of im2col/col2im): im2col + GEMM (OpenBLAS), as PyTorch's slow_conv2d/3d. The batch is split across
// ember's threads and each thread runs single-threaded BLAS on one sample at a time, with its own column
// buffer reused for every sample: per-sample products are too small (the Fashion-MNIST CNN's second layer is
// 64 x 288 x 121) for BLAS's own threading to pay, while whole samples per thread need no synchronisation.
// Spatial dims are always handled as three (depth, height, width); 1-d and 2-d convolutions have leading
// sizes of 1. A 1x1 kernel with stride 1 and no padding reads the input as its own column matrix.
#include <cblas.h>
#include <immintrin.h>

#include <algorithm>
#include <vector>

#include "backend/cpu/capability.h"
#include "core/parallel.h"
#include "dispatch/conv_kernels.h"
#include "dispatch/registry.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {
namespace {

using dispatch::ConvGeometry;

template <class T>
void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b, int64_t ldb,
          T beta, T* c, int64_t ldc) {
  auto tA = ta ? CblasTrans : CblasNoTrans, tB = tb ? CblasTrans : CblasNoTrans;
  if constexpr (std::is_same_v<T, float>)
    cblas_sgemm(CblasRowMajor, tA, tB, blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
                beta, c, blasint(ldc));
  else
    cblas_dgemm(CblasRowMajor, tA, tB, blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
                beta, c, blasint(ldc));
}

// OpenBLAS (pthread build) would start its own threads inside each of ours; it runs single-threaded while a
// kernel's threads split the batch and gets ember's thread count back after, the value gemm.cpp keeps it at.
// (Setting the count only stores it: measured at well under a microsecond.)
// A batch smaller than the thread count (one image) leaves the threads to BLAS instead. Either way BLAS
// gets ember's count, not its own default, so its threads do not spin next to ours.
struct BlasThreads {
  explicit BlasThreads(int64_t parts) { openblas_set_num_threads(parts > 1 ? 1 : get_num_threads()); }
  ~BlasThreads() { openblas_set_num_threads(get_num_threads()); }
};

bool is_pointwise(const ConvGeometry& g) {
  for (int d = 0; d < 3; ++d)
    if (g.kernel[d] != 1 || g.stride[d] != 1 || g.padding[d] != 0) return false;
  return true;
}

// The range [lo, hi) of output positions o along one dim whose input index o * s - p + k * d lies in [0, n).
inline void valid_range(int64_t out, int64_t n, int64_t s, int64_t off, int64_t& lo, int64_t& hi) {
  // off = k * d - p; need 0 <= o * s + off < n.
  lo = off >= 0 ? 0 : (-off + s - 1) / s;
  hi = n - off <= 0 ? 0 : (n - off + s - 1) / s;
  lo = std::min(lo, out);
  hi = std::clamp(hi, lo, out);
}

// dst[0, n) = src[0, n) (Add: +=). im2col's rows are short (11 to 28 elements in a small CNN) and there are
// thousands per sample, so the tail matters: a copy of n >= 8 floats ends with one 8-lane copy that
// overlaps the previous one instead of a scalar loop.
template <bool Add, class T>
inline void copy_row(const T* src, T* dst, int64_t n) {
  if constexpr (std::is_same_v<T, float> && !Add) {
    if (n >= 8) {
      int64_t i = 0;
      for (; i + 8 <= n; i += 8) _mm256_storeu_ps(dst + i, _mm256_loadu_ps(src + i));
      if (i < n) _mm256_storeu_ps(dst + n - 8, _mm256_loadu_ps(src + n - 8));
      return;
    }
  }
  for (int64_t i = 0; i < n; ++i) {
    if constexpr (Add) dst[i] += src[i];
    else dst[i] = src[i];
  }
}

// columns (C * K, L) of one sample x (C, *in). With Accumulate, the reverse: adds columns into x (col2im).
template <bool Accumulate, class T>
void im2col_sample(std::conditional_t<Accumulate, T*, const T*> x, std::conditional_t<Accumulate, const T*, T*> col,
                   int64_t channels, const ConvGeometry& g) {
  const int64_t D = g.in[0], H = g.in[1], W = g.in[2];
  const int64_t OD = g.out[0], OH = g.out[1], OW = g.out[2], L = OD * OH * OW;
  int64_t row = 0;
  for (int64_t c = 0; c < channels; ++c)
    for (int64_t kd = 0; kd < g.kernel[0]; ++kd)
      for (int64_t kh = 0; kh < g.kernel[1]; ++kh)
        for (int64_t kw = 0; kw < g.kernel[2]; ++kw, ++row) {
          const int64_t offd = kd * g.dilation[0] - g.padding[0], offh = kh * g.dilation[1] - g.padding[1],
                        offw = kw * g.dilation[2] - g.padding[2];
          int64_t w_lo, w_hi;
          valid_range(OW, W, g.stride[2], offw, w_lo, w_hi);
          const int64_t sw = g.stride[2];
          auto* crow = col + row * L;
          for (int64_t od = 0; od < OD; ++od) {
            const int64_t id = od * g.stride[0] + offd;
            for (int64_t oh = 0; oh < OH; ++oh) {
              const int64_t ih = oh * g.stride[1] + offh;
              auto* cline = crow + (od * OH + oh) * OW;
              const bool inside = id >= 0 && id < D && ih >= 0 && ih < H;
              if constexpr (Accumulate) {
                if (!inside) continue;
                T* xrow = x + ((c * D + id) * H + ih) * W;
                if (sw == 1) copy_row<true>(cline + w_lo, xrow + w_lo + offw, w_hi - w_lo);
                else
                  for (int64_t ow = w_lo; ow < w_hi; ++ow) xrow[ow * sw + offw] += cline[ow];
              } else {
                if (!inside) {
                  std::fill(cline, cline + OW, T(0));
                  continue;
                }
                const T* xrow = x + ((c * D + id) * H + ih) * W;
                std::fill(cline, cline + w_lo, T(0));
                if (sw == 1) copy_row<false>(xrow + w_lo + offw, cline + w_lo, w_hi - w_lo);
                else
                  for (int64_t ow = w_lo; ow < w_hi; ++ow) cline[ow] = xrow[ow * sw + offw];
                std::fill(cline + w_hi, cline + OW, T(0));
              }
            }
          }
        }
}

// Splits [0, n) into `parts` contiguous ranges, run in parallel; f(part, lo, hi).
template <class F>
void split_batch(int64_t n, int64_t parts, const F& f) {
  core::parallel_for(0, parts, 1, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) f(p, n * p / parts, n * (p + 1) / parts);
  });
}

// One part per thread, or a single part when the batch cannot give every thread a sample.
int64_t batch_parts(int64_t n) {
  const int64_t t = get_num_threads();
  return n >= t ? t : 1;
}

template <class T>
void forward(const T* x, const T* w, const T* bias, T* y, const ConvGeometry& g) {
  const int64_t G = g.groups, Cg = g.in_channels / G, Og = g.out_channels / G;
  const int64_t K = g.kernel_size(), L = g.out_size(), CgK = Cg * K, in_sample = g.in_channels * g.in_size();
  const bool direct = is_pointwise(g);
  const int64_t parts = batch_parts(g.batch);
  BlasThreads blas(parts);
  split_batch(g.batch, parts, [&](int64_t, int64_t lo, int64_t hi) {
    std::vector<T> col(direct ? 0 : size_t(g.in_channels * K * L));
    for (int64_t n = lo; n < hi; ++n) {
      const T* cols = x + n * in_sample;
      if (!direct) {
        im2col_sample<false, T>(cols, col.data(), g.in_channels, g);
        cols = col.data();
      }
      T* yn = y + n * g.out_channels * L;
      if (bias)
        for (int64_t o = 0; o < g.out_channels; ++o) std::fill(yn + o * L, yn + (o + 1) * L, bias[o]);
      else if (CgK == 0)
        std::fill(yn, yn + g.out_channels * L, T(0));
      for (int64_t gi = 0; gi < G && CgK > 0; ++gi)
        gemm<T>(false, false, Og, L, CgK, T(1), w + gi * Og * CgK, CgK, cols + gi * CgK * L, L, bias ? T(1) : T(0),
                yn + gi * Og * L, L);
    }
  });
}

template <class T>
void backward_input(const T* gy, const T* w, T* gx, const ConvGeometry& g) {
  const int64_t G = g.groups, Cg = g.in_channels / G, Og = g.out_channels / G;
  const int64_t K = g.kernel_size(), L = g.out_size(), CgK = Cg * K, in_sample = g.in_channels * g.in_size();
  const bool direct = is_pointwise(g);
  const int64_t parts = batch_parts(g.batch);
  BlasThreads blas(parts);
  split_batch(g.batch, parts, [&](int64_t, int64_t lo, int64_t hi) {
    std::vector<T> col(direct ? 0 : size_t(g.in_channels * K * L));
    for (int64_t n = lo; n < hi; ++n) {
      T* gxn = gx + n * in_sample;
      T* cols = direct ? gxn : col.data();
      const T* gyn = gy + n * g.out_channels * L;
      for (int64_t gi = 0; gi < G; ++gi)
        gemm<T>(true, false, CgK, L, Og, T(1), w + gi * Og * CgK, CgK, gyn + gi * Og * L, L, T(0), cols + gi * CgK * L,
                L);
      if (!direct) {
        std::fill(gxn, gxn + in_sample, T(0));
        im2col_sample<true, T>(gxn, col.data(), g.in_channels, g);
      }
    }
  });
}

template <class T>
void backward_weight(const T* x, const T* gy, T* gw, const ConvGeometry& g) {
  const int64_t G = g.groups, Cg = g.in_channels / G, Og = g.out_channels / G;
  const int64_t K = g.kernel_size(), L = g.out_size(), CgK = Cg * K, in_sample = g.in_channels * g.in_size();
  const int64_t wsize = g.out_channels * CgK;
  const bool direct = is_pointwise(g);
  const int64_t parts = batch_parts(g.batch);
  // Each part sums its samples into its own buffer (part 0 straight into gw); the parts are added in order
  // after, so the result depends only on the thread count.
  std::vector<T> partial(size_t((parts - 1) * wsize));
  std::fill(gw, gw + wsize, T(0));
  {
    BlasThreads blas(parts);
    split_batch(g.batch, parts, [&](int64_t p, int64_t lo, int64_t hi) {
      T* acc = p == 0 ? gw : partial.data() + (p - 1) * wsize;
      std::vector<T> col(direct ? 0 : size_t(g.in_channels * K * L));
      for (int64_t n = lo; n < hi; ++n) {
        const T* cols = x + n * in_sample;
        if (!direct) {
          im2col_sample<false, T>(cols, col.data(), g.in_channels, g);
          cols = col.data();
        }
        const T* gyn = gy + n * g.out_channels * L;
        for (int64_t gi = 0; gi < G; ++gi)
          gemm<T>(false, true, Og, CgK, L, T(1), gyn + gi * Og * L, L, cols + gi * CgK * L, L, T(1),
                  acc + gi * Og * CgK, CgK);
      }
    });
  }
  for (int64_t p = 1; p < parts; ++p) {
    const T* src = partial.data() + (p - 1) * wsize;
    for (int64_t i = 0; i < wsize; ++i) gw[i] += src[i];
  }
}

template <class F>
void by_dtype(DType dt, const F& f) {
  if (dt == kFloat32) f(float{});
  else if (dt == kFloat64) f(double{});
  else throw NotImplementedError("convolution kernels take float32 or float64, got " + std::string(dtype_name(dt)));
}

template <class T>
T* ptr(const Tensor& t) {
  return t.defined() ? static_cast<T*>(const_cast<void*>(t.data_ptr())) : nullptr;
}

void conv_forward_kernel(const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& y, const ConvGeometry& g) {
  by_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    forward<T>(ptr<T>(x), ptr<T>(w), ptr<T>(b), ptr<T>(y), g);
  });
}

void conv_backward_input_kernel(const Tensor& gy, const Tensor& w, const Tensor& gx, const ConvGeometry& g) {
  by_dtype(gy.dtype(), [&](auto tag) {
    using T = decltype(tag);
    backward_input<T>(ptr<T>(gy), ptr<T>(w), ptr<T>(gx), g);
  });
}

void conv_backward_weight_kernel(const Tensor& x, const Tensor& gy, const Tensor& gw, const ConvGeometry& g) {
  by_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    backward_weight<T>(ptr<T>(x), ptr<T>(gy), ptr<T>(gw), g);
  });
}

void im2col_kernel(const Tensor& x, const Tensor& col, const ConvGeometry& g) {
  by_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    const T* xp = ptr<T>(x);
    T* cp = ptr<T>(col);
    const int64_t xs = g.in_channels * g.in_size(), cs = g.in_channels * g.kernel_size() * g.out_size();
    core::parallel_for(0, g.batch, 1, [&](int64_t lo, int64_t hi) {
      for (int64_t n = lo; n < hi; ++n) im2col_sample<false, T>(xp + n * xs, cp + n * cs, g.in_channels, g);
    });
  });
}

void col2im_kernel(const Tensor& col, const Tensor& x, const ConvGeometry& g) {
  by_dtype(x.dtype(), [&](auto tag) {
    using T = decltype(tag);
    T* xp = ptr<T>(x);
    const T* cp = ptr<T>(col);
    const int64_t xs = g.in_channels * g.in_size(), cs = g.in_channels * g.kernel_size() * g.out_size();
    core::parallel_for(0, g.batch, 1, [&](int64_t lo, int64_t hi) {
      for (int64_t n = lo; n < hi; ++n) {
        std::fill(xp + n * xs, xp + (n + 1) * xs, T(0));
        im2col_sample<true, T>(xp + n * xs, cp + n * cs, g.in_channels, g);
      }
    });
  });
}

}  // namespace

EMBER_REGISTER_CPU_KERNEL("conv_forward", &conv_forward_kernel);
EMBER_REGISTER_CPU_KERNEL("conv_backward_input", &conv_backward_input_kernel);
EMBER_REGISTER_CPU_KERNEL("conv_backward_weight", &conv_backward_weight_kernel);
EMBER_REGISTER_CPU_KERNEL("im2col", &im2col_kernel);
EMBER_REGISTER_CPU_KERNEL("col2im", &col2im_kernel);

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
