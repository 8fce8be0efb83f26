// Matrix products on the CPU. float32/float64 go to OpenBLAS (the library PyTorch's CPU build uses), with
// transposed and row-strided operands passed as BLAS layouts; an operand whose strides BLAS cannot
// express is copied into a contiguous buffer first. Measured on the development machine (AMD EPYC with
// AVX-512), OpenBLAS sgemm runs at ~90-100 GFLOP/s per core, the same as torch.mm, and its AVX2
// (Haswell) kernels that OPENBLAS_CORETYPE may force are as fast per core there, so a hand-written
// AVX-512 kernel or oneDNN's sgemm (slower in the same test) would not pay for themselves. float16/bfloat16 are widened to float32 and use
// sgemm (PyTorch accumulates reduced floats in float too). Integers use a plain loop that accumulates
// in 64-bit unsigned arithmetic, which wraps exactly like PyTorch's integer kernels. Also tril/triu's
// masking kernel.
#include <cblas.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <vector>

#include "backend/common/visit_dtype.h"
#include "core/parallel.h"
#include "dispatch/gemm_kernel.h"
#include "dispatch/registry.h"

namespace ember::kernels {
namespace {

using dispatch::GemmProblem;
using dispatch::MatrixOperand;

// A rows x cols matrix in memory as BLAS sees it (row-major): element (i, j) at i*ld + j, or at
// j*ld + i when trans.
struct BlasLayout {
  bool trans;
  int64_t ld;
};

std::optional<BlasLayout> blas_layout(int64_t rows, int64_t cols, int64_t rs, int64_t cs) {
  if ((cs == 1 || cols <= 1) && (rows <= 1 || rs >= std::max<int64_t>(cols, 1)))
    return BlasLayout{false, rows <= 1 ? std::max<int64_t>(cols, 1) : rs};
  if ((rs == 1 || rows <= 1) && (cols <= 1 || cs >= std::max<int64_t>(rows, 1)))
    return BlasLayout{true, cols <= 1 ? std::max<int64_t>(rows, 1) : cs};
  return std::nullopt;
}

// Offsets (in elements) of each operand's matrix for every batch index, in row-major batch order.
struct BatchOffsets {
  std::vector<int64_t> a, b, c;
};

BatchOffsets batch_offsets(const GemmProblem& p) {
  int64_t count = 1;
  for (int64_t s : p.batch) count *= s;
  BatchOffsets o;
  o.a.resize(size_t(count));
  o.b.resize(size_t(count));
  o.c.resize(size_t(count));
  size_t nd = p.batch.size();
  DimVector idx(nd, 0);
  for (int64_t i = 0; i < count; ++i) {
    int64_t oa = 0, ob = 0, oc = 0;
    for (size_t d = 0; d < nd; ++d) {
      oa += idx[d] * p.a.batch_strides[d];
      ob += idx[d] * p.b.batch_strides[d];
      oc += idx[d] * p.c.batch_strides[d];
    }
    o.a[size_t(i)] = oa;
    o.b[size_t(i)] = ob;
    o.c[size_t(i)] = oc;
    for (size_t d = nd; d-- > 0;) {
      if (++idx[d] < p.batch[d]) break;
      idx[d] = 0;
    }
  }
  return o;
}

// Copies a strided rows x cols matrix of T into a contiguous buffer of U.
template <class U, class T>
void pack(std::vector<U>& buf, const T* src, int64_t rows, int64_t cols, int64_t rs, int64_t cs) {
  buf.resize(size_t(rows * cols));
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j) {
      if constexpr (std::is_same_v<U, T>) buf[size_t(i * cols + j)] = src[i * rs + j * cs];
      else buf[size_t(i * cols + j)] = U(static_cast<float>(src[i * rs + j * cs]));
    }
}

void sync_blas_threads() {
  static std::atomic<int> current{-1};
  int want = get_num_threads();
  if (current.exchange(want) != want) openblas_set_num_threads(want);
}

template <class T>
void blas_gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, T alpha, const T* a, int64_t lda, const T* b,
               int64_t ldb, T beta, T* c, int64_t ldc) {
  auto tA = ta ? CblasTrans : CblasNoTrans, tB = tb ? CblasTrans : CblasNoTrans;
  if constexpr (std::is_same_v<T, float>)
    cblas_sgemm(CblasRowMajor, tA, tB, blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
                beta, c, blasint(ldc));
  else
    cblas_dgemm(CblasRowMajor, tA, tB, blasint(m), blasint(n), blasint(k), alpha, a, blasint(lda), b, blasint(ldb),
                beta, c, blasint(ldc));
}

template <class T>
void blas_gemv(bool trans, int64_t rows, int64_t cols, T alpha, const T* a, int64_t lda, const T* x, int64_t incx,
               T beta, T* y, int64_t incy) {
  auto t = trans ? CblasTrans : CblasNoTrans;
  if constexpr (std::is_same_v<T, float>)
    cblas_sgemv(CblasRowMajor, t, blasint(rows), blasint(cols), alpha, a, blasint(lda), x, blasint(incx), beta, y,
                blasint(incy));
  else
    cblas_dgemv(CblasRowMajor, t, blasint(rows), blasint(cols), alpha, a, blasint(lda), x, blasint(incx), beta, y,
                blasint(incy));
}

// Matrix-vector products (mv, dot, a 1-row matmul) go to gemv, which beats a gemm with one column. Returns
// false when the vector or the matrix needs a copy first (left to the gemm path).
template <class T>
bool try_gemv(const GemmProblem& p, const T* a, const T* b, T* c, T alpha, T beta) {
  const int64_t m = p.m, n = p.n, k = p.k;
  if (n != 1 && m != 1) return false;
  // y = A x with A (m, k) and x = B's column, or y^T = x^T B with x = A's row and B (k, n).
  const bool column = n == 1;
  const auto layout = column ? blas_layout(m, k, p.a.row_stride, p.a.col_stride)
                             : blas_layout(k, n, p.b.row_stride, p.b.col_stride);
  const int64_t incx = column ? p.b.row_stride : p.a.col_stride;
  if (!layout || (incx <= 0 && k > 1)) return false;
  const int64_t incy = column ? p.c.row_stride : p.c.col_stride;
  const int64_t len_y = column ? m : n;
  // OpenBLAS may scale y by beta == 0 with a multiply, which would keep NaN from the uninitialised output.
  if (beta == T(0))
    for (int64_t i = 0; i < len_y; ++i) c[i * incy] = T(0);
  // gemv takes the matrix as stored: (rows, cols) as laid out in memory, transposed or not.
  const int64_t logical_rows = column ? m : k, logical_cols = column ? k : n;
  const int64_t rows = layout->trans ? logical_cols : logical_rows, cols = layout->trans ? logical_rows : logical_cols;
  blas_gemv<T>(column ? layout->trans : !layout->trans, rows, cols, alpha, column ? a : b, layout->ld, column ? b : a,
               std::max<int64_t>(incx, 1), beta, c, std::max<int64_t>(incy, 1));
  return true;
}

// One product through BLAS. T is float or double; C is row-contiguous (the ops allocate it so).
template <class T>
void blas_matrix(const GemmProblem& p, const T* a, const T* b, T* c, T alpha, T beta) {
  const int64_t m = p.m, n = p.n, k = p.k;
  if (try_gemv(p, a, b, c, alpha, beta)) return;
  std::vector<T> abuf, bbuf;
  auto la = blas_layout(m, k, p.a.row_stride, p.a.col_stride);
  if (!la) {
    pack(abuf, a, m, k, p.a.row_stride, p.a.col_stride);
    a = abuf.data();
    la = BlasLayout{false, std::max<int64_t>(k, 1)};
  }
  auto lb = blas_layout(k, n, p.b.row_stride, p.b.col_stride);
  if (!lb) {
    pack(bbuf, b, k, n, p.b.row_stride, p.b.col_stride);
    b = bbuf.data();
    lb = BlasLayout{false, std::max<int64_t>(n, 1)};
  }
  blas_gemm<T>(la->trans, lb->trans, m, n, k, alpha, a, la->ld, b, lb->ld, beta, c,
               std::max<int64_t>(p.c.row_stride, std::max<int64_t>(n, 1)));
}

template <class T>
void blas_batched(const GemmProblem& p) {
  const BatchOffsets off = batch_offsets(p);
  T alpha = T(p.alpha.toDouble()), beta = T(p.beta.toDouble());
  const T* a = static_cast<const T*>(p.a.data);
  const T* b = static_cast<const T*>(p.b.data);
  T* c = static_cast<T*>(p.c.data);
  for (size_t i = 0; i < off.c.size(); ++i) blas_matrix<T>(p, a + off.a[i], b + off.b[i], c + off.c[i], alpha, beta);
}

// float16 / bfloat16: widen each matrix to float, sgemm, round the result back.
template <class T>
void reduced_float_batched(const GemmProblem& p) {
  const BatchOffsets off = batch_offsets(p);
  const float alpha = float(p.alpha.toDouble()), beta = float(p.beta.toDouble());
  const T* a = static_cast<const T*>(p.a.data);
  const T* b = static_cast<const T*>(p.b.data);
  T* c = static_cast<T*>(p.c.data);
  std::vector<float> fa, fb, fc;
  GemmProblem fp = p;
  fp.a.row_stride = p.k;
  fp.a.col_stride = 1;
  fp.b.row_stride = p.n;
  fp.b.col_stride = 1;
  fp.c.row_stride = p.n;
  for (size_t i = 0; i < off.c.size(); ++i) {
    pack(fa, a + off.a[i], p.m, p.k, p.a.row_stride, p.a.col_stride);
    pack(fb, b + off.b[i], p.k, p.n, p.b.row_stride, p.b.col_stride);
    T* ci = c + off.c[i];
    if (beta != 0.f) pack(fc, static_cast<const T*>(ci), p.m, p.n, p.c.row_stride, p.c.col_stride);
    else fc.assign(size_t(p.m * p.n), 0.f);
    blas_matrix<float>(fp, fa.data(), fb.data(), fc.data(), alpha, beta);
    for (int64_t r = 0; r < p.m; ++r)
      for (int64_t j = 0; j < p.n; ++j) ci[r * p.c.row_stride + j * p.c.col_stride] = T(fc[size_t(r * p.n + j)]);
  }
}

template <class T>
void integer_batched(const GemmProblem& p) {
  const BatchOffsets off = batch_offsets(p);
  const uint64_t alpha = uint64_t(p.alpha.toLong()), beta = uint64_t(p.beta.toLong());
  const bool read_c = p.beta.toLong() != 0;
  const T* a = static_cast<const T*>(p.a.data);
  const T* b = static_cast<const T*>(p.b.data);
  T* c = static_cast<T*>(p.c.data);
  const int64_t m = p.m, n = p.n, k = p.k;
  const int64_t rows = int64_t(off.c.size()) * m;
  const int64_t grain = std::max<int64_t>(1, 32768 / std::max<int64_t>(n * std::max<int64_t>(k, 1), 1));
  core::parallel_for(0, rows, grain, [&](int64_t lo, int64_t hi) {
    std::vector<uint64_t> acc(static_cast<size_t>(n));
    for (int64_t r = lo; r < hi; ++r) {
      const size_t bi = size_t(r / m);
      const int64_t i = r % m;
      const T* ai = a + off.a[bi] + i * p.a.row_stride;
      const T* bb = b + off.b[bi];
      T* ci = c + off.c[bi] + i * p.c.row_stride;
      std::fill(acc.begin(), acc.end(), 0);
      for (int64_t q = 0; q < k; ++q) {
        const uint64_t x = uint64_t(ai[q * p.a.col_stride]);
        const T* bq = bb + q * p.b.row_stride;
        for (int64_t j = 0; j < n; ++j) acc[size_t(j)] += x * uint64_t(bq[j * p.b.col_stride]);
      }
      for (int64_t j = 0; j < n; ++j) {
        uint64_t v = alpha * acc[size_t(j)];
        if (read_c) v += beta * uint64_t(ci[j * p.c.col_stride]);
        ci[j * p.c.col_stride] = T(v);
      }
    }
  });
}

void gemm_kernel(const GemmProblem& problem) {
  if (problem.m == 0 || problem.n == 0) return;
  for (int64_t s : problem.batch)
    if (s == 0) return;
  const GemmProblem p = dispatch::with_bias_in_c(problem, Device(kCPU));
  visit_dtype(p.dtype, [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
      sync_blas_threads();
      blas_batched<T>(p);
    } else if constexpr (std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>) {
      sync_blas_threads();
      reduced_float_batched<T>(p);
    } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
      integer_batched<T>(p);
    } else {
      throw NotImplementedError("gemm: bool is not supported");
    }
  });
  dispatch::apply_activation(problem, Device(kCPU));
}

void triangle_kernel(Tensor& t, int64_t rows, int64_t cols, int64_t k, bool upper) {
  const int64_t mats = rows * cols == 0 ? 0 : t.numel() / (rows * cols);
  const size_t es = t.element_size();
  auto* base = static_cast<char*>(t.data_ptr());
  core::parallel_for(0, mats * rows, std::max<int64_t>(1, 32768 / std::max<int64_t>(cols, 1)), [&](int64_t lo, int64_t hi) {
    for (int64_t r = lo; r < hi; ++r) {
      const int64_t i = r % rows;
      char* row = base + size_t(r * cols) * es;
      // tril keeps j <= i + k; triu keeps j >= i + k.
      int64_t keep_lo = upper ? std::clamp<int64_t>(i + k, 0, cols) : 0;
      int64_t keep_hi = upper ? cols : std::clamp<int64_t>(i + k + 1, 0, cols);
      std::fill(row, row + size_t(keep_lo) * es, char(0));
      std::fill(row + size_t(keep_hi) * es, row + size_t(cols) * es, char(0));
    }
  });
}

}  // namespace

EMBER_REGISTER_KERNEL("gemm", ::ember::kCPU, &gemm_kernel);
EMBER_REGISTER_KERNEL("triangle", ::ember::kCPU, &triangle_kernel);

}  // namespace ember::kernels
