// Matrix products on CUDA through cuBLASLt, for float32 (TF32 tensor cores when
// ember::cuda::allow_tf32()), float64, float16 and bfloat16 (the last two accumulate in float, like
// PyTorch). Integers and bool raise PyTorch's CUDA error: cuBLAS has no integer path for them.
//
// cuBLASLt is column-major. A row-major operand with leading dimension ld is, to it, the transpose
// stored column-major, so every operand that is row- or column-major passes straight through as a
// transpose flag; when C is row-major the product is computed as C^T = B^T A^T. Only operands BLAS
// cannot describe (both strides != 1, or rows that overlap) are copied to a contiguous buffer first.
// Batch dims that collapse into one stride go to a single strided-batched call; others loop on the
// host, with the largest collapsed dim left to cuBLASLt. A bias vector (addmm's, so linear's) is added
// in cuBLASLt's epilogue when C is one row-major matrix, as PyTorch's CUDA addmm does; otherwise, or
// when cuBLASLt has no epilogue algorithm for the problem, C is filled with it first. An activation
// (_addmm_activation's relu or tanh GELU) joins the epilogue under the same conditions, and otherwise
// runs on C after the product.
#include <cublasLt.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include <ember/cuda.h>
#include <ember/ops/factory.h>
#include <ember/tensor.h>

#include "backend/cuda/cuda_check.h"
#include "backend/cuda/handle_pool.h"
#include "backend/cuda/stream.h"
#include "dispatch/gemm_kernel.h"
#include "dispatch/registry.h"

namespace ember::cuda {
namespace {

using dispatch::GemmProblem;
using dispatch::MatrixOperand;

// PyTorch's CUDA addmm dispatches on floating types only, so its message names "addmm_cuda".
[[noreturn]] void not_implemented(const char* name, DType t) {
  throw Error(detail::str("\"", name, "_cuda\" not implemented for '", dtype_title(t), "'"));
}

void check_lt(cublasStatus_t status, const char* call) {
  if (status != CUBLAS_STATUS_SUCCESS)
    throw Error(detail::str("gemm: ", call, " failed: ", cublasLtGetStatusName(status), " (",
                            cublasLtGetStatusString(status), ")"));
}

// 32 MiB, what PyTorch gives cuBLAS on Hopper: enough for the split-K and stream-K kernels of large
// problems.
constexpr size_t kWorkspaceBytes = size_t(32) << 20;
// cuBLASLt may reject batch counts past the grid's 65535 limit (TensorFlow and PyTorch cap them too);
// a multiple of 1024 keeps the later chunks' pointers as aligned as the first.
constexpr int64_t kMaxBatch = 63 * 1024;

cublasLtHandle_t handle_for(int device) {
  return thread_handle<cublasLtHandle_t>(device, [](cublasLtHandle_t* h) { check_lt(cublasLtCreate(h), "cublasLtCreate"); });
}

// One workspace per (device, stream): calls on one stream run in order and can share it, while two
// streams running at once must not. The buffers live for the program (kept out of static destruction,
// which may outlive the allocator).
void* workspace_for(int device, cudaStream_t stream) {
  static std::mutex mu;
  static auto* spaces = new std::map<std::pair<int, cudaStream_t>, Tensor>;
  std::lock_guard<std::mutex> lock(mu);
  Tensor& ws = (*spaces)[{device, stream}];
  if (!ws.defined())
    ws = empty({int64_t(kWorkspaceBytes)}, TensorOptions().dtype(kUInt8).device(Device(kCUDA, device)));
  return ws.data_ptr();
}

// How a logical rows x cols matrix with strides (rs, cs) lies in memory: row-major (cuBLASLt sees its
// transpose, column-major) or column-major, with leading dimension ld. None when neither fits.
struct Layout {
  bool row_major;
  int64_t ld;
};

std::optional<Layout> layout_of(int64_t rows, int64_t cols, int64_t rs, int64_t cs) {
  if ((cs == 1 || cols <= 1) && (rows <= 1 || rs >= std::max<int64_t>(cols, 1)))
    return Layout{true, rows <= 1 ? std::max<int64_t>(cols, 1) : rs};
  if ((rs == 1 || rows <= 1) && (cols <= 1 || cs >= std::max<int64_t>(rows, 1)))
    return Layout{false, cols <= 1 ? std::max<int64_t>(rows, 1) : cs};
  return std::nullopt;
}

struct Operand {
  char* data;
  DimVector batch_strides;
  int64_t rs, cs;
};

Operand operand_of(const MatrixOperand& o) {
  return {static_cast<char*>(o.data), o.batch_strides, o.row_stride, o.col_stride};
}

// The operand as a tensor view: (batch..., rows, cols). Broadcast batch dims (stride 0) keep size 1, so a
// copy of the view does not repeat them.
Tensor view_of(const GemmProblem& p, const Operand& o, int64_t rows, int64_t cols, const Device& dev) {
  DimVector sizes, strides;
  for (size_t d = 0; d < p.batch.size(); ++d) {
    sizes.push_back(o.batch_strides[d] == 0 ? 1 : p.batch[d]);
    strides.push_back(o.batch_strides[d]);
  }
  sizes.push_back(rows);
  sizes.push_back(cols);
  strides.push_back(o.rs);
  strides.push_back(o.cs);
  return from_blob(o.data, sizes, strides, TensorOptions().dtype(p.dtype).device(dev));
}

// `t` (a contiguous copy of a view_of `o`) as an operand, broadcast dims still broadcast.
Operand operand_of_copy(const Tensor& t, const Operand& o) {
  const int64_t nb = t.dim() - 2;
  Operand r{static_cast<char*>(t.data_ptr()), {}, t.stride(nb), t.stride(nb + 1)};
  for (int64_t d = 0; d < nb; ++d) r.batch_strides.push_back(o.batch_strides[size_t(d)] == 0 ? 0 : t.stride(d));
  return r;
}

// A column-major matrix as cuBLASLt takes it: the stored (rows, cols) before the transpose flag.
struct LtMatrix {
  char* data;
  bool trans;
  uint64_t rows, cols;
  int64_t ld;
  int64_t batch_stride = 0;
};

// `want_transpose`: the column-major product needs this operand transposed (C was row-major, so the
// product is C^T = B^T A^T).
LtMatrix lt_matrix(const Operand& o, int64_t rows, int64_t cols, const Layout& l, bool want_transpose) {
  const uint64_t r = uint64_t(rows), c = uint64_t(cols);
  return {o.data, l.row_major != want_transpose, l.row_major ? c : r, l.row_major ? r : c, l.ld};
}

struct Types {
  cudaDataType_t data, scale;
  cublasComputeType_t compute;
};

Types types_of(DType t) {
  switch (t) {
    case kFloat32:
      return {CUDA_R_32F, CUDA_R_32F, allow_tf32() ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F};
    case kFloat64:
      return {CUDA_R_64F, CUDA_R_64F, CUBLAS_COMPUTE_64F};
    case kFloat16:
      return {CUDA_R_16F, CUDA_R_32F, CUBLAS_COMPUTE_32F};
    case kBFloat16:
      return {CUDA_R_16BF, CUDA_R_32F, CUBLAS_COMPUTE_32F};
    default:
      not_implemented("addmm", t);
  }
}

// alpha and beta in the scale type (float, or double for float64).
struct ScaleValue {
  float f;
  double d;
  explicit ScaleValue(const Scalar& s) : f(float(s.toDouble())), d(s.toDouble()) {}
  const void* ptr(cudaDataType_t scale) const { return scale == CUDA_R_64F ? static_cast<const void*>(&d) : &f; }
};

// The largest power of two (up to 256) dividing the pointer and, when batched, the batch stride in
// bytes: cuBLASLt's heuristic assumes 256-byte alignment unless told otherwise.
uint32_t alignment(const void* p, int64_t batch_stride, size_t es, int batch) {
  uint64_t v = uint64_t(reinterpret_cast<uintptr_t>(p)) | 256;
  if (batch > 1) v |= uint64_t(batch_stride) * es;
  return uint32_t(v & (~v + 1));
}

template <class T>
void set_attr(cublasLtMatrixLayoutOpaque_t& l, cublasLtMatrixLayoutAttribute_t attr, const T& value) {
  check_lt(cublasLtMatrixLayoutSetAttribute(&l, attr, &value, sizeof(value)), "cublasLtMatrixLayoutSetAttribute");
}
template <class T>
void set_attr(cublasLtMatmulDescOpaque_t& d, cublasLtMatmulDescAttributes_t attr, const T& value) {
  check_lt(cublasLtMatmulDescSetAttribute(&d, attr, &value, sizeof(value)), "cublasLtMatmulDescSetAttribute");
}
template <class T>
void set_attr(cublasLtMatmulPreferenceOpaque_t& p, cublasLtMatmulPreferenceAttributes_t attr, const T& value) {
  check_lt(cublasLtMatmulPreferenceSetAttribute(&p, attr, &value, sizeof(value)),
           "cublasLtMatmulPreferenceSetAttribute");
}

void init_layout(cublasLtMatrixLayoutOpaque_t& l, cudaDataType_t type, uint64_t rows, uint64_t cols, int64_t ld,
                 int32_t batch, int64_t stride) {
  check_lt(cublasLtMatrixLayoutInit(&l, type, rows, cols, ld), "cublasLtMatrixLayoutInit");
  if (batch == 1) return;
  set_attr(l, CUBLASLT_MATRIX_LAYOUT_BATCH_COUNT, batch);
  set_attr(l, CUBLASLT_MATRIX_LAYOUT_STRIDED_BATCH_OFFSET, stride);
}

using AlgoKey = std::array<int64_t, 22>;

// D (m x n, column-major, in place over C) = alpha * op(a) @ op(b) + beta * D, `batch` times.
struct LtCall {
  DType dtype;
  int device;
  LtMatrix a, b;
  char* d;
  uint64_t m, n, k;
  int64_t ldd, d_stride;
  int32_t batch;
  const void* bias = nullptr;  // one value per row of D (per column of the row-major C)
  dispatch::GemmActivation activation = dispatch::GemmActivation::kNone;  // kNone, kRelu or kGeluTanh
};

cublasLtEpilogue_t epilogue_of(const LtCall& c) {
  using dispatch::GemmActivation;
  if (c.activation == GemmActivation::kRelu) return c.bias ? CUBLASLT_EPILOGUE_RELU_BIAS : CUBLASLT_EPILOGUE_RELU;
  if (c.activation == GemmActivation::kGeluTanh) return c.bias ? CUBLASLT_EPILOGUE_GELU_BIAS : CUBLASLT_EPILOGUE_GELU;
  return c.bias ? CUBLASLT_EPILOGUE_BIAS : CUBLASLT_EPILOGUE_DEFAULT;
}

// False only when an epilogue (bias, activation) has no algorithm for the problem (the caller then
// adds the bias and applies the activation another way); any other failure raises.
bool lt_matmul(const LtCall& c, const ScaleValue& alpha, const ScaleValue& beta) {
  const Types ty = types_of(c.dtype);
  const size_t es = element_size(c.dtype);
  cublasLtHandle_t handle = handle_for(c.device);
  cudaStream_t stream = current_stream();

  cublasLtMatmulDescOpaque_t op;
  check_lt(cublasLtMatmulDescInit(&op, ty.compute, ty.scale), "cublasLtMatmulDescInit");
  set_attr(op, CUBLASLT_MATMUL_DESC_TRANSA, int32_t(c.a.trans ? CUBLAS_OP_T : CUBLAS_OP_N));
  set_attr(op, CUBLASLT_MATMUL_DESC_TRANSB, int32_t(c.b.trans ? CUBLAS_OP_T : CUBLAS_OP_N));
  const cublasLtEpilogue_t epilogue = epilogue_of(c);
  if (epilogue != CUBLASLT_EPILOGUE_DEFAULT) set_attr(op, CUBLASLT_MATMUL_DESC_EPILOGUE, epilogue);
  if (c.bias) set_attr(op, CUBLASLT_MATMUL_DESC_BIAS_POINTER, c.bias);

  cublasLtMatrixLayoutOpaque_t la, lb, ld;
  init_layout(la, ty.data, c.a.rows, c.a.cols, c.a.ld, c.batch, c.a.batch_stride);
  init_layout(lb, ty.data, c.b.rows, c.b.cols, c.b.ld, c.batch, c.b.batch_stride);
  init_layout(ld, ty.data, c.m, c.n, c.ldd, c.batch, c.d_stride);

  const uint32_t align_a = alignment(c.a.data, c.a.batch_stride, es, c.batch);
  const uint32_t align_b = alignment(c.b.data, c.b.batch_stride, es, c.batch);
  const uint32_t align_d = alignment(c.d, c.d_stride, es, c.batch);

  // The heuristic query costs far more than the product of a small matrix, so its answer is kept per
  // problem (per thread, so no lock; bounded, since shapes can vary without end).
  thread_local std::map<AlgoKey, cublasLtMatmulAlgo_t> algos;
  const AlgoKey key{c.device, int64_t(c.dtype), int64_t(ty.compute), c.a.trans, c.b.trans,
                    int64_t(c.a.rows), int64_t(c.a.cols), c.a.ld, int64_t(c.b.rows), int64_t(c.b.cols), c.b.ld,
                    int64_t(c.m), int64_t(c.n), c.ldd, c.batch, c.a.batch_stride, c.b.batch_stride, c.d_stride,
                    align_a, align_b, align_d, int64_t(epilogue)};
  auto it = algos.find(key);
  if (it == algos.end()) {
    cublasLtMatmulPreferenceOpaque_t pref;
    check_lt(cublasLtMatmulPreferenceInit(&pref), "cublasLtMatmulPreferenceInit");
    set_attr(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, uint64_t(kWorkspaceBytes));
    set_attr(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, align_a);
    set_attr(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, align_b);
    set_attr(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, align_d);
    set_attr(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES, align_d);
    cublasLtMatmulHeuristicResult_t result{};
    int found = 0;
    const cublasStatus_t st =
        cublasLtMatmulAlgoGetHeuristic(handle, &op, &la, &lb, &ld, &ld, &pref, 1, &result, &found);
    const bool none = st == CUBLAS_STATUS_NOT_SUPPORTED || (st == CUBLAS_STATUS_SUCCESS && found == 0);
    if (none && epilogue != CUBLASLT_EPILOGUE_DEFAULT) return false;
    if (none)
      throw Error(detail::str("gemm: cuBLASLt has no algorithm for the ", dtype_name(c.dtype),
                              " column-major product m=", c.m, ", n=", c.n, ", k=", c.k, " (batch ", c.batch,
                              ", alignments ", align_a, "/", align_b, "/", align_d, " bytes)"));
    check_lt(st, "cublasLtMatmulAlgoGetHeuristic");
    if (algos.size() >= 1024) algos.clear();
    it = algos.emplace(key, result.algo).first;
  }

  check_lt(cublasLtMatmul(handle, &op, alpha.ptr(ty.scale), c.a.data, &la, c.b.data, &lb, beta.ptr(ty.scale), c.d,
                          &ld, c.d, &ld, &it->second, workspace_for(c.device, stream), kWorkspaceBytes, stream),
           "cublasLtMatmul");
  return true;
}

// A batch dim after merging: its size and each operand's stride (a, b, c).
struct BatchDim {
  int64_t size;
  std::array<int64_t, 3> stride;
};

// Drops size-1 dims and merges neighbours whose strides nest (outer = inner * inner size) in all three
// operands, so e.g. a contiguous (2, 3, m, k) batch becomes one dim of 6.
std::vector<BatchDim> merged_batch(const GemmProblem& p, const Operand& a, const Operand& b, const Operand& c) {
  std::vector<BatchDim> dims;
  for (size_t d = 0; d < p.batch.size(); ++d) {
    if (p.batch[d] == 1) continue;
    BatchDim cur{p.batch[d], {a.batch_strides[d], b.batch_strides[d], c.batch_strides[d]}};
    if (!dims.empty()) {
      BatchDim& prev = dims.back();
      bool nests = true;
      for (size_t i = 0; i < 3; ++i) nests = nests && prev.stride[i] == cur.stride[i] * cur.size;
      if (nests) {
        prev = {prev.size * cur.size, cur.stride};
        continue;
      }
    }
    dims.push_back(cur);
  }
  return dims;
}

// False when an epilogue had no algorithm (only possible for a single, unbatched product).
bool run_batches(const GemmProblem& p, const Operand& a, const Layout& la, const Operand& b, const Layout& lb,
                 const Operand& c, const Layout& lc, int device) {
  const size_t es = element_size(p.dtype);
  // C row-major: cuBLASLt computes C^T (n x m) = B^T A^T; otherwise C (m x n) = A B.
  const bool swapped = lc.row_major;
  const Operand& first = swapped ? b : a;
  const Operand& second = swapped ? a : b;
  LtCall call{};
  call.dtype = p.dtype;
  call.device = device;
  call.a = swapped ? lt_matrix(b, p.k, p.n, lb, true) : lt_matrix(a, p.m, p.k, la, false);
  call.b = swapped ? lt_matrix(a, p.m, p.k, la, true) : lt_matrix(b, p.k, p.n, lb, false);
  call.m = uint64_t(swapped ? p.n : p.m);
  call.n = uint64_t(swapped ? p.m : p.n);
  call.k = uint64_t(p.k);
  call.ldd = lc.ld;
  call.bias = p.bias;
  call.activation = p.activation;
  const ScaleValue alpha(p.alpha), beta(p.beta);

  std::vector<BatchDim> dims = merged_batch(p, a, b, c);
  // The largest merged dim goes to cuBLASLt's strided batch; the others (rarely any) loop here.
  BatchDim inner{1, {0, 0, 0}};
  if (!dims.empty()) {
    auto largest = std::max_element(dims.begin(), dims.end(),
                                    [](const BatchDim& x, const BatchDim& y) { return x.size < y.size; });
    inner = *largest;
    dims.erase(largest);
  }
  call.a.batch_stride = inner.stride[swapped ? 1 : 0];
  call.b.batch_stride = inner.stride[swapped ? 0 : 1];
  call.d_stride = inner.stride[2];

  int64_t outer_count = 1;
  for (const BatchDim& d : dims) outer_count *= d.size;
  std::vector<int64_t> idx(dims.size(), 0);
  for (int64_t o = 0; o < outer_count; ++o) {
    std::array<int64_t, 3> off{0, 0, 0};
    for (size_t d = 0; d < dims.size(); ++d)
      for (size_t i = 0; i < 3; ++i) off[i] += idx[d] * dims[d].stride[i];
    const int64_t off_first = off[swapped ? 1 : 0], off_second = off[swapped ? 0 : 1];
    for (int64_t start = 0; start < inner.size; start += kMaxBatch) {
      call.batch = int32_t(std::min(kMaxBatch, inner.size - start));
      call.a.data = first.data + size_t(off_first + start * call.a.batch_stride) * es;
      call.b.data = second.data + size_t(off_second + start * call.b.batch_stride) * es;
      call.d = c.data + size_t(off[2] + start * call.d_stride) * es;
      if (!lt_matmul(call, alpha, beta)) return false;
    }
    for (size_t d = dims.size(); d-- > 0;) {
      if (++idx[d] < dims[d].size) break;
      idx[d] = 0;
    }
  }
  return true;
}

int current_device() {
  int device = 0;
  EMBER_CUDA_CHECK(cudaGetDevice(&device), "gemm");
  return device;
}

void gemm_kernel(const GemmProblem& p);

// The product with the bias filled into C first and the activation applied after it.
void unfused(const GemmProblem& p, const Device& dev) {
  GemmProblem q = dispatch::with_bias_in_c(p, dev);
  q.activation = dispatch::GemmActivation::kNone;
  gemm_kernel(q);
  dispatch::apply_activation(p, dev);
}

void gemm_kernel(const GemmProblem& p) {
  if (p.m == 0 || p.n == 0) return;
  for (int64_t s : p.batch)
    if (s == 0) return;
  if (p.dtype != kFloat32 && p.dtype != kFloat64 && p.dtype != kFloat16 && p.dtype != kBFloat16)
    not_implemented("addmm", p.dtype);
  const int device = current_device();
  const Device dev(kCUDA, device);
  Operand a = operand_of(p.a), b = operand_of(p.b), c = operand_of(p.c);

  // The epilogue adds one value per row of the column-major D, which is a bias per column of C when C
  // is row-major (D = C^T); a batch or a C needing a copy takes the bias through C and the activation
  // after the product instead. The erf GELU has no epilogue.
  if (p.bias || p.activation != dispatch::GemmActivation::kNone) {
    const std::optional<Layout> lc = layout_of(p.m, p.n, c.rs, c.cs);
    const bool batched = std::any_of(p.batch.begin(), p.batch.end(), [](int64_t s) { return s != 1; });
    if (p.k == 0 || batched || !lc || !lc->row_major || p.activation == dispatch::GemmActivation::kGelu)
      return unfused(p, dev);
  }

  // An empty sum: C = beta * C, and beta == 0 must not read C.
  if (p.k == 0) {
    Tensor out = view_of(p, c, p.m, p.n, dev);
    if (p.beta.toDouble() == 0) out.zero_();
    else if (p.beta.toDouble() != 1) out.mul_(p.beta);
    return;
  }

  Tensor a_copy, b_copy, c_copy, c_view;
  std::optional<Layout> la = layout_of(p.m, p.k, a.rs, a.cs);
  if (!la) {
    a_copy = view_of(p, a, p.m, p.k, dev).contiguous();
    a = operand_of_copy(a_copy, a);
    la = layout_of(p.m, p.k, a.rs, a.cs);
  }
  std::optional<Layout> lb = layout_of(p.k, p.n, b.rs, b.cs);
  if (!lb) {
    b_copy = view_of(p, b, p.k, p.n, dev).contiguous();
    b = operand_of_copy(b_copy, b);
    lb = layout_of(p.k, p.n, b.rs, b.cs);
  }
  std::optional<Layout> lc = layout_of(p.m, p.n, c.rs, c.cs);
  if (!lc) {
    c_view = view_of(p, c, p.m, p.n, dev);
    c_copy = empty(c_view.sizes(), TensorOptions().dtype(p.dtype).device(dev));
    if (p.beta.toDouble() != 0) c_copy.copy_(c_view);
    c = operand_of_copy(c_copy, c);
    lc = layout_of(p.m, p.n, c.rs, c.cs);
  }
  EMBER_CHECK(la && lb && lc, "gemm: a contiguous copy of an operand has no BLAS layout");
  if (!run_batches(p, a, *la, b, *lb, c, *lc, device)) {
    // Only an unbatched product with an epilogue reaches here, before anything was written.
    unfused(p, dev);
    return;
  }
  if (c_copy.defined()) c_view.copy_(c_copy);
}

}  // namespace

EMBER_REGISTER_KERNEL("gemm", ::ember::kCUDA, &gemm_kernel);

}  // namespace ember::cuda
