// CPU pooling kernels: max and average pools, fixed and adaptive, forward and backward, over
// contiguous (planes, D, H, W) float/double. Planes run in parallel; within a plane the window tables
// of dispatch::PoolWindows drive one generic loop. Max pooling 2x2 with stride 2 (every CNN's
// downsampling step) has its own loop without tables, which the compiler vectorises.
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "backend/cpu/capability.h"
#include "core/parallel.h"
#include "dispatch/pool_kernels.h"

namespace ember::kernels {
inline namespace EMBER_KERNEL_NS {
namespace {

using dispatch::PoolDim;
using dispatch::PoolWindows;

// Planes per thread chunk: enough elements per chunk that threading pays.
int64_t plane_grain(int64_t per_plane) { return std::max<int64_t>(1, 32768 / std::max<int64_t>(1, per_plane)); }

template <class F>
void for_planes(int64_t planes, int64_t per_plane, const F& f) {
  core::parallel_for(0, planes, plane_grain(per_plane), [&](int64_t b, int64_t e) {
    for (int64_t p = b; p < e; ++p) f(p);
  });
}

bool is_2x2(const PoolWindows& w) {
  const PoolDim &h = w.dim[1], &x = w.dim[2];
  return w.dim[0].in == 1 && w.dim[0].out == 1 && w.dim[0].kernel == 1 && h.kernel == 2 && x.kernel == 2 &&
         h.stride == 2 && x.stride == 2 && h.pad == 0 && x.pad == 0 && h.step == 1 && x.step == 1 &&
         2 * h.out <= h.in && 2 * x.out <= x.in;
}

// A value replaces the running maximum when larger or NaN (the last NaN wins), as in PyTorch. `|`,
// not `||`, so the scalar loops compare without branches (random data would mispredict them).
template <class T>
inline bool takes_max(T v, T m) {
  return (v > m) | (v != v);
}

// m, mi = v, i where v takes the maximum, by masks rather than branches: the short rows of CNN
// feature maps leave most outputs to the scalar tail of the vectorised loop, and there branches on
// random data would mispredict.
template <class T>
inline void select_max(T v, int64_t i, T& m, int64_t& mi) {
  using U = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  U take = U(0) - U(takes_max(v, m));
  U vb, mb;
  std::memcpy(&vb, &v, sizeof(T));
  std::memcpy(&mb, &m, sizeof(T));
  mb = (vb & take) | (mb & ~take);
  std::memcpy(&m, &mb, sizeof(T));
  uint64_t take64 = uint64_t(0) - uint64_t(take & 1);
  mi = int64_t((uint64_t(i) & take64) | (uint64_t(mi) & ~take64));
}

template <class T>
void max_2x2_plane(const T* in, T* out, int64_t* idx, int64_t H, int64_t W, int64_t OH, int64_t OW) {
  (void)H;
  for (int64_t oh = 0; oh < OH; ++oh) {
    const T* r0 = in + 2 * oh * W;
    const T* r1 = r0 + W;
    T* o = out + oh * OW;
    int64_t* ix = idx + oh * OW;
    const int64_t base = 2 * oh * W;
    for (int64_t ow = 0; ow < OW; ++ow) {
      T a = r0[2 * ow], b = r0[2 * ow + 1], c = r1[2 * ow], d = r1[2 * ow + 1];
      int64_t i = base + 2 * ow;
      T m = a;
      int64_t mi = i;
      select_max(b, i + 1, m, mi);
      select_max(c, i + W, m, mi);
      select_max(d, i + W + 1, m, mi);
      o[ow] = m;
      ix[ow] = mi;
    }
  }
}

template <class T>
void max_plane(const T* in, T* out, int64_t* idx, const PoolWindows& w) {
  const PoolDim &D = w.dim[0], &H = w.dim[1], &W = w.dim[2];
  for (int64_t od = 0; od < D.out; ++od)
    for (int64_t oh = 0; oh < H.out; ++oh)
      for (int64_t ow = 0; ow < W.out; ++ow) {
        int64_t fd = D.first[od], fh = H.first[oh], fw = W.first[ow];
        int64_t mi = (fd * H.in + fh) * W.in + fw;
        T m = -std::numeric_limits<T>::infinity();
        for (int64_t a = 0; a < D.count[od]; ++a)
          for (int64_t b = 0; b < H.count[oh]; ++b) {
            int64_t row = ((fd + a * D.step) * H.in + fh + b * H.step) * W.in;
            for (int64_t c = 0; c < W.count[ow]; ++c) {
              int64_t i = row + fw + c * W.step;
              T v = in[i];
              if (takes_max(v, m)) {
                m = v;
                mi = i;
              }
            }
          }
        *out++ = m;
        *idx++ = mi;
      }
}

template <class T>
void max_pool(const Tensor& input, const Tensor& out, const Tensor& indices, const PoolWindows& w) {
  const PoolDim &D = w.dim[0], &H = w.dim[1], &W = w.dim[2];
  int64_t in_n = D.in * H.in * W.in, out_n = D.out * H.out * W.out;
  const T* in = input.data_ptr<T>();
  T* o = out.data_ptr<T>();
  int64_t* ix = indices.data_ptr<int64_t>();
  bool fast = is_2x2(w);
  for_planes(w.planes, in_n, [&](int64_t p) {
    if (fast)
      max_2x2_plane(in + p * in_n, o + p * out_n, ix + p * out_n, H.in, W.in, H.out, W.out);
    else
      max_plane(in + p * in_n, o + p * out_n, ix + p * out_n, w);
  });
}

void max_pool_kernel(const Tensor& input, const Tensor& out, const Tensor& indices, const PoolWindows& w) {
  if (input.dtype() == kFloat64)
    max_pool<double>(input, out, indices, w);
  else
    max_pool<float>(input, out, indices, w);
}

template <class T>
void max_pool_backward(const Tensor& grad_out, const Tensor& indices, const Tensor& grad_in) {
  int64_t planes = grad_in.size(0);
  int64_t in_n = grad_in.numel() / std::max<int64_t>(planes, 1), out_n = grad_out.numel() / std::max<int64_t>(planes, 1);
  const T* go = grad_out.data_ptr<T>();
  const int64_t* ix = indices.data_ptr<int64_t>();
  T* gi = grad_in.data_ptr<T>();
  for_planes(planes, in_n + out_n, [&](int64_t p) {
    T* g = gi + p * in_n;
    std::memset(static_cast<void*>(g), 0, size_t(in_n) * sizeof(T));
    const T* src = go + p * out_n;
    const int64_t* i = ix + p * out_n;
    for (int64_t o = 0; o < out_n; ++o) g[i[o]] += src[o];
  });
}

void max_pool_backward_kernel(const Tensor& grad_out, const Tensor& indices, const Tensor& grad_in) {
  if (grad_in.dtype() == kFloat64)
    max_pool_backward<double>(grad_out, indices, grad_in);
  else
    max_pool_backward<float>(grad_out, indices, grad_in);
}

template <class T>
bool max_unpool(const Tensor& input, const Tensor& indices, const Tensor& out, int64_t* bad_index) {
  int64_t planes = out.size(0), in_n = input.size(1), out_n = out.size(1);
  const T* src = input.data_ptr<T>();
  const int64_t* ix = indices.data_ptr<int64_t>();
  T* dst = out.data_ptr<T>();
  std::atomic<int64_t> bad_plane{planes};
  for_planes(planes, in_n + out_n, [&](int64_t p) {
    T* o = dst + p * out_n;
    std::memset(static_cast<void*>(o), 0, size_t(out_n) * sizeof(T));
    const T* s = src + p * in_n;
    const int64_t* i = ix + p * in_n;
    for (int64_t e = 0; e < in_n; ++e) {
      if (i[e] < 0 || i[e] >= out_n) {
        int64_t cur = bad_plane.load();
        while (p < cur && !bad_plane.compare_exchange_weak(cur, p)) {
        }
        return;
      }
      o[i[e]] = s[e];
    }
  });
  if (bad_plane.load() == planes) return true;
  const int64_t* i = ix + bad_plane.load() * in_n;
  for (int64_t e = 0; e < in_n; ++e)
    if (i[e] < 0 || i[e] >= out_n) {
      *bad_index = i[e];
      break;
    }
  return false;
}

bool max_unpool_kernel(const Tensor& input, const Tensor& indices, const Tensor& out, int64_t* bad_index) {
  return out.dtype() == kFloat64 ? max_unpool<double>(input, indices, out, bad_index)
                                 : max_unpool<float>(input, indices, out, bad_index);
}

// The divisor of output (od, oh, ow): PyTorch's integer window size (or the override), so the
// division rounds exactly as there.
inline int64_t divisor(const PoolWindows& w, int64_t od, int64_t oh, int64_t ow, int64_t divisor_override) {
  if (divisor_override) return divisor_override;
  return w.dim[0].div[od] * w.dim[1].div[oh] * w.dim[2].div[ow];
}

template <class T>
void avg_pool(const Tensor& input, const Tensor& out, const PoolWindows& w, int64_t divisor_override) {
  const PoolDim &D = w.dim[0], &H = w.dim[1], &W = w.dim[2];
  int64_t in_n = D.in * H.in * W.in, out_n = D.out * H.out * W.out;
  const T* in0 = input.data_ptr<T>();
  T* out0 = out.data_ptr<T>();
  for_planes(w.planes, in_n, [&](int64_t p) {
    const T* in = in0 + p * in_n;
    T* o = out0 + p * out_n;
    for (int64_t od = 0; od < D.out; ++od)
      for (int64_t oh = 0; oh < H.out; ++oh)
        for (int64_t ow = 0; ow < W.out; ++ow) {
          int64_t cd = D.count[od], ch = H.count[oh], cw = W.count[ow];
          if (cd == 0 || ch == 0 || cw == 0) {
            *o++ = T(0);
            continue;
          }
          T sum = 0;
          for (int64_t a = 0; a < cd; ++a)
            for (int64_t b = 0; b < ch; ++b) {
              const T* row = in + ((D.first[od] + a) * H.in + H.first[oh] + b) * W.in + W.first[ow];
              for (int64_t c = 0; c < cw; ++c) sum += row[c];
            }
          *o++ = sum / T(divisor(w, od, oh, ow, divisor_override));
        }
  });
}

void avg_pool_kernel(const Tensor& input, const Tensor& out, const PoolWindows& w, int64_t divisor_override) {
  if (input.dtype() == kFloat64)
    avg_pool<double>(input, out, w, divisor_override);
  else
    avg_pool<float>(input, out, w, divisor_override);
}

template <class T>
void avg_pool_backward(const Tensor& grad_out, const Tensor& grad_in, const PoolWindows& w, int64_t divisor_override) {
  const PoolDim &D = w.dim[0], &H = w.dim[1], &W = w.dim[2];
  int64_t in_n = D.in * H.in * W.in, out_n = D.out * H.out * W.out;
  const T* go0 = grad_out.data_ptr<T>();
  T* gi0 = grad_in.data_ptr<T>();
  for_planes(w.planes, in_n + out_n, [&](int64_t p) {
    T* gi = gi0 + p * in_n;
    const T* go = go0 + p * out_n;
    std::memset(static_cast<void*>(gi), 0, size_t(in_n) * sizeof(T));
    for (int64_t od = 0; od < D.out; ++od)
      for (int64_t oh = 0; oh < H.out; ++oh)
        for (int64_t ow = 0; ow < W.out; ++ow) {
          int64_t cd = D.count[od], ch = H.count[oh], cw = W.count[ow];
          T g = *go++;
          if (cd == 0 || ch == 0 || cw == 0) continue;
          g /= T(divisor(w, od, oh, ow, divisor_override));
          for (int64_t a = 0; a < cd; ++a)
            for (int64_t b = 0; b < ch; ++b) {
              T* row = gi + ((D.first[od] + a) * H.in + H.first[oh] + b) * W.in + W.first[ow];
              for (int64_t c = 0; c < cw; ++c) row[c] += g;
            }
        }
  });
}

void avg_pool_backward_kernel(const Tensor& grad_out, const Tensor& grad_in, const PoolWindows& w,
                              int64_t divisor_override) {
  if (grad_in.dtype() == kFloat64)
    avg_pool_backward<double>(grad_out, grad_in, w, divisor_override);
  else
    avg_pool_backward<float>(grad_out, grad_in, w, divisor_override);
}

}  // namespace

EMBER_REGISTER_CPU_KERNEL("max_pool", &max_pool_kernel);
EMBER_REGISTER_CPU_KERNEL("max_pool_backward", &max_pool_backward_kernel);
EMBER_REGISTER_CPU_KERNEL("max_unpool", &max_unpool_kernel);
EMBER_REGISTER_CPU_KERNEL("avg_pool", &avg_pool_kernel);
EMBER_REGISTER_CPU_KERNEL("avg_pool_backward", &avg_pool_backward_kernel);

}  // namespace EMBER_KERNEL_NS
}  // namespace ember::kernels
