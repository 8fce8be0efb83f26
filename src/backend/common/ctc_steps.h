#pragma once
// One state's step of ctc_loss's recursions in log space, over the extended label sequence
// l' = blank, l1, blank, l2, ..., blank: the arithmetic both backends' kernels apply, so the CPU and the
// GPU add the same terms in the same order. `lp_t` is the frame's row of log-probabilities (C classes).
#include <cmath>
#include <cstdint>
#include <limits>

#ifdef __CUDACC__
#define EMBER_CTC_HD __host__ __device__
#else
#define EMBER_CTC_HD
#endif

namespace ember::kernels {

template <class T>
EMBER_CTC_HD inline T ctc_log_add(T a, T b) {
  const T m = a > b ? a : b;
  if (m == -std::numeric_limits<T>::infinity()) return m;
  return m + std::log(std::exp(a - m) + std::exp(b - m));
}

EMBER_CTC_HD inline int64_t ctc_label(const int64_t* tg, int64_t s, int64_t blank) {
  return s % 2 == 0 ? blank : tg[s / 2];
}

// alpha_t(s) from the previous frame's row.
template <class T>
EMBER_CTC_HD inline T ctc_alpha_step(const T* prev, const int64_t* tg, int64_t s, int64_t blank, const T* lp_t) {
  const int64_t l = ctc_label(tg, s, blank);
  T v = prev[s];
  if (s > 0) v = ctc_log_add(v, prev[s - 1]);
  if (s > 1 && l != blank && l != tg[s / 2 - 1]) v = ctc_log_add(v, prev[s - 2]);
  return v == -std::numeric_limits<T>::infinity() ? v : v + lp_t[l];
}

// beta_t(s) from the next frame's row (`last`: t is the sample's last frame, where only the final blank
// and the final label start).
template <class T>
EMBER_CTC_HD inline T ctc_beta_step(const T* next, const int64_t* tg, int64_t s, int64_t Sb, bool last, int64_t blank,
                                    const T* lp_t) {
  const T ninf = -std::numeric_limits<T>::infinity();
  const int64_t l = ctc_label(tg, s, blank);
  T v;
  if (last) {
    v = (s == Sb - 1 || s == Sb - 2) ? T(0) : ninf;
  } else {
    v = next[s];
    if (s < Sb - 1) v = ctc_log_add(v, next[s + 1]);
    if (s < Sb - 2 && l != blank && l != tg[s / 2 + 1]) v = ctc_log_add(v, next[s + 2]);
  }
  return v == ninf ? ninf : v + lp_t[l];
}

}  // namespace ember::kernels
