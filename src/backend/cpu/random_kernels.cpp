// CPU kernels of the random ops. Each element i takes the four Philox words of counter (i, offset), so a
// seed gives the same numbers for any thread count; threads split the index range. Reduced floats
// draw in float or double and round once.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <numeric>
#include <vector>

#include "backend/common/random_bits.h"
#include "backend/common/visit_dtype.h"
#include "core/parallel.h"
#include "core/philox.h"
#include "dispatch/random_kernels.h"
#include "dispatch/registry.h"

namespace ember::kernels {
namespace {

using core::PhiloxBlock;

constexpr int64_t kRandomGrain = 16384;

template <class T, class F>
void fill_elements(const Tensor& out, PhiloxInputs in, const F& draw) {
  T* o = static_cast<T*>(out.data_ptr());
  core::parallel_for(0, out.numel(), kRandomGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) o[i] = draw(core::philox_draw(in.seed, in.offset, uint64_t(i)), i);
  });
}

void random_float_kernel(const Tensor& out, PhiloxInputs in, dispatch::RandomDist dist, double a, double b) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_floating_point_v<T> || std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
      constexpr int digits = mantissa_digits<T>();
      switch (dist) {
        case dispatch::RandomDist::Uniform:
          fill_elements<T>(out, in, [a, b](const PhiloxBlock& w, int64_t) {
            double u;
            if constexpr (digits > 32) u = uniform53(w[0], w[1]);
            else u = double(w[0] >> (32 - digits)) * std::ldexp(1.0, -digits);
            return T(u * (b - a) + a);
          });
          break;
        case dispatch::RandomDist::Normal:
          // Box-Muller over two 53-bit uniforms; 1 - u keeps the log's argument in (0, 1].
          fill_elements<T>(out, in, [a, b](const PhiloxBlock& w, int64_t) {
            double r = std::sqrt(-2.0 * std::log(1.0 - uniform53(w[0], w[1])));
            return T(a + b * r * std::cos(2.0 * M_PI * uniform53(w[2], w[3])));
          });
          break;
        case dispatch::RandomDist::Exponential:
          fill_elements<T>(out, in, [a](const PhiloxBlock& w, int64_t) {
            return T(a == 0 ? INFINITY : -std::log1p(-uniform53(w[0], w[1])) / a);
          });
          break;
      }
    }
  });
}

void random_int_kernel(const Tensor& out, PhiloxInputs in, int64_t from, uint64_t range) {
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    fill_elements<T>(out, in, [from, range](const PhiloxBlock& w, int64_t) {
      uint64_t r = (uint64_t(w[0]) << 32) | w[1];
      int64_t v = int64_t(uint64_t(from) + (range == 0 ? r : r % range));
      if constexpr (std::is_same_v<T, bool>) return v != 0;
      else if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) return T(float(v));
      else return T(v);
    });
  });
}

void bernoulli_kernel(const Tensor& out, PhiloxInputs in, const Tensor& p) {
  const double* pp = static_cast<const double*>(p.data_ptr());
  bool scalar = p.numel() == 1;
  visit_dtype(out.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    fill_elements<T>(out, in, [pp, scalar](const PhiloxBlock& w, int64_t i) {
      bool hit = uniform53(w[0], w[1]) < pp[scalar ? 0 : i];
      if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) return T(hit ? 1.0f : 0.0f);
      else return T(hit);
    });
  });
}

void randperm_kernel(const Tensor& out, PhiloxInputs in) {
  // Sorting i.i.d. 64-bit keys gives every permutation with equal probability (ties, with chance about
  // n^2 / 2^65, keep index order).
  int64_t n = out.numel();
  std::vector<uint64_t> key(static_cast<size_t>(n));
  core::parallel_for(0, n, kRandomGrain, [&](int64_t b, int64_t e) {
    for (int64_t i = b; i < e; ++i) {
      PhiloxBlock w = core::philox_draw(in.seed, in.offset, uint64_t(i));
      key[size_t(i)] = (uint64_t(w[0]) << 32) | w[1];
    }
  });
  int64_t* o = static_cast<int64_t*>(out.data_ptr());
  std::iota(o, o + n, int64_t(0));
  std::stable_sort(o, o + n, [&](int64_t a, int64_t b) { return key[size_t(a)] < key[size_t(b)]; });
}

void multinomial_kernel(const Tensor& probs, const Tensor& out, PhiloxInputs in, bool replacement) {
  int64_t rows = probs.size(0), cats = probs.size(1), ns = out.size(1);
  const double* p = static_cast<const double*>(probs.data_ptr());
  int64_t* o = static_cast<int64_t*>(out.data_ptr());
  core::parallel_for(0, rows, std::max<int64_t>(1, kRandomGrain / std::max<int64_t>(cats + ns, 1)), [&](int64_t b, int64_t e) {
    std::vector<double> buf(static_cast<size_t>(cats));
    std::vector<int64_t> order(static_cast<size_t>(cats));
    for (int64_t r = b; r < e; ++r) {
      const double* row = p + r * cats;
      if (replacement) {
        // Inverse CDF: the first category whose running sum exceeds u * total; a zero weight owns an
        // empty interval and is never drawn.
        std::partial_sum(row, row + cats, buf.begin());
        double total = buf[size_t(cats - 1)];
        // u * total can round up to total; such a draw goes to the last category with weight.
        int64_t last = cats - 1;
        while (last > 0 && row[last] == 0) --last;
        for (int64_t s = 0; s < ns; ++s) {
          PhiloxBlock w = core::philox_draw(in.seed, in.offset, uint64_t(r * ns + s));
          double x = uniform53(w[0], w[1]) * total;
          int64_t c = std::upper_bound(buf.begin(), buf.end(), x) - buf.begin();
          o[r * ns + s] = std::min(c, last);
        }
      } else {
        // The exponential race: the categories with the largest weight / Exp(1) keys are a sample
        // without replacement (Efraimidis and Spirakis), the method PyTorch uses.
        for (int64_t c = 0; c < cats; ++c) {
          PhiloxBlock w = core::philox_draw(in.seed, in.offset, uint64_t(r * cats + c));
          double expo = std::max(-std::log1p(-uniform53(w[0], w[1])), DBL_MIN);  // a zero draw would make 0/0
          buf[size_t(c)] = row[c] / expo;
        }
        std::iota(order.begin(), order.end(), int64_t(0));
        std::partial_sort(order.begin(), order.begin() + ns, order.end(), [&](int64_t a, int64_t c) {
          return buf[size_t(a)] > buf[size_t(c)] || (buf[size_t(a)] == buf[size_t(c)] && a < c);
        });
        std::copy(order.begin(), order.begin() + ns, o + r * ns);
      }
    }
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("random_float", ::ember::kCPU, &random_float_kernel);
EMBER_REGISTER_KERNEL("random_int", ::ember::kCPU, &random_int_kernel);
EMBER_REGISTER_KERNEL("bernoulli", ::ember::kCPU, &bernoulli_kernel);
EMBER_REGISTER_KERNEL("randperm", ::ember::kCPU, &randperm_kernel);
EMBER_REGISTER_KERNEL("multinomial", ::ember::kCPU, &multinomial_kernel);

}  // namespace ember::kernels
