// Convolution on CUDA through cuDNN's convolution API (cudnnConvolutionForward / BackwardData /
// BackwardFilter), which cuDNN 9 still ships beside its graph API. float32 and float64, any groups, 1 to
// 3 spatial dims: cuDNN sees 1-d and 2-d problems as 2-d (ConvGeometry's leading size-1 dims, the size-1
// height PyTorch also gives a 1-d convolution) and 3-d ones as 3-d.
//
// float32 runs with CUDNN_FMA_MATH: CUDNN_DEFAULT_MATH would let cuDNN round operands to TF32 on Ampere
// and later. That is PyTorch with torch.backends.cudnn.allow_tf32 = False; ember has no such flag, and
// results that match the CPU backend's float32 matter more than the tensor-core speed-up.
//
// Algorithms come from cuDNN's heuristics (cudnnGet*Algorithm_v7, PyTorch's choice while
// cudnn.benchmark is off), remembered per problem. When the workspace of the preferred one cannot be
// allocated, the next one is tried, as PyTorch does.
//
// cuDNN needs every tensor's dims and strides in int and the output size to be exactly what the input,
// kernel, stride, padding and dilation give. Large batches therefore run in chunks, and the rarer
// geometries where the sizes disagree (conv_transpose with output_padding >= stride, and its double
// backward) run on zero-extended copies: zeros past the input's end read as padding does, and extra
// output positions are dropped or contribute nothing.
#include <cudnn.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <ember/ops/factory.h>
#include <ember/tensor.h>

#include "backend/cuda/cuda_check.h"
#include "backend/cuda/handle_pool.h"
#include "backend/cuda/not_implemented.h"
#include "backend/cuda/stream.h"
#include "dispatch/conv_kernels.h"
#include "dispatch/registry.h"

namespace ember::cuda {
namespace {

using dispatch::ConvGeometry;

constexpr int64_t kIntMax = std::numeric_limits<int32_t>::max();

enum class Pass { kForward, kBackwardData, kBackwardFilter };

IntArrayRef spatial(const int64_t (&v)[3], int nd) { return {v + 3 - nd, size_t(nd)}; }

// The problem as an error message shows it: "input [2, 3, 8], weight [4, 3, 3], stride [1], ...".
std::string describe(const ConvGeometry& g, DType dt) {
  DimVector in{g.batch, g.in_channels}, w{g.out_channels, g.in_channels / g.groups};
  for (int64_t v : spatial(g.in, g.nd)) in.push_back(v);
  for (int64_t v : spatial(g.kernel, g.nd)) w.push_back(v);
  return detail::str("input ", IntArrayRef(in.data(), in.size()), ", weight ", IntArrayRef(w.data(), w.size()),
                     ", stride ", spatial(g.stride, g.nd), ", padding ", spatial(g.padding, g.nd), ", dilation ",
                     spatial(g.dilation, g.nd), ", groups ", g.groups, ", ", dtype_name(dt));
}

[[noreturn]] void throw_cudnn(cudnnStatus_t status, const char* op, const char* call, const std::string& what) {
  throw Error(detail::str(op, ": cuDNN error: ", cudnnGetErrorString(status), " (from ", call, ")",
                          what.empty() ? "" : " for ", what));
}

// One call to a kernel: its name, geometry, dtype and device, for the cuDNN calls and their errors.
struct Context {
  const char* op;
  const ConvGeometry& g;
  DType dtype;
  Device device;
  void check(cudnnStatus_t status, const char* call) const {
    if (status != CUDNN_STATUS_SUCCESS) throw_cudnn(status, op, call, describe(g, dtype));
  }
  cudnnDataType_t data_type() const { return dtype == kFloat64 ? CUDNN_DATA_DOUBLE : CUDNN_DATA_FLOAT; }
  // Scaling factors are double for double data and float otherwise.
  const void* scale(bool one) const {
    static const float f[2] = {0.f, 1.f};
    static const double d[2] = {0.0, 1.0};
    return dtype == kFloat64 ? static_cast<const void*>(&d[one]) : static_cast<const void*>(&f[one]);
  }
};

// The current device's handle for this thread, bound to the current stream.
cudnnHandle_t bound_handle(const char* op) {
  int device = 0;
  EMBER_CUDA_CHECK(cudaGetDevice(&device), op);
  cudnnHandle_t handle = thread_handle<cudnnHandle_t>(device, [&](cudnnHandle_t* h) {
    const cudnnStatus_t status = cudnnCreate(h);
    if (status != CUDNN_STATUS_SUCCESS) throw_cudnn(status, op, "cudnnCreate", "");
  });
  const cudnnStatus_t status = cudnnSetStream(handle, current_stream());
  if (status != CUDNN_STATUS_SUCCESS) throw_cudnn(status, op, "cudnnSetStream", "");
  return handle;
}

template <class D, cudnnStatus_t (*Create)(D*), cudnnStatus_t (*Destroy)(D)>
class Descriptor {
 public:
  explicit Descriptor(const Context& c) { c.check(Create(&d_), "cudnnCreate*Descriptor"); }
  ~Descriptor() { Destroy(d_); }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  D get() const { return d_; }

 private:
  D d_ = nullptr;
};
using TensorDesc = Descriptor<cudnnTensorDescriptor_t, cudnnCreateTensorDescriptor, cudnnDestroyTensorDescriptor>;
using FilterDesc = Descriptor<cudnnFilterDescriptor_t, cudnnCreateFilterDescriptor, cudnnDestroyFilterDescriptor>;
using ConvDesc =
    Descriptor<cudnnConvolutionDescriptor_t, cudnnCreateConvolutionDescriptor, cudnnDestroyConvolutionDescriptor>;

// cuDNN's rank for a geometry: 4-d tensors for 1-d and 2-d convolutions, 5-d for 3-d ones.
int rank_of(const ConvGeometry& g) { return g.nd == 3 ? 5 : 4; }

void set_tensor(const Context& c, const TensorDesc& desc, int64_t n, int64_t channels, const int64_t (&sp)[3]) {
  const int rank = rank_of(c.g);
  int dims[5], strides[5];
  dims[0] = int(n);
  dims[1] = int(channels);
  for (int d = 2; d < rank; ++d) dims[d] = int(sp[3 - rank + d]);
  strides[rank - 1] = 1;
  for (int d = rank - 1; d-- > 0;) strides[d] = strides[d + 1] * dims[d + 1];
  c.check(cudnnSetTensorNdDescriptor(desc.get(), c.data_type(), rank, dims, strides), "cudnnSetTensorNdDescriptor");
}

// The descriptors of `batch` samples of the context's problem.
struct Descriptors {
  TensorDesc x, y;
  FilterDesc w;
  ConvDesc conv;
  Descriptors(const Context& c, int64_t batch) : x(c), y(c), w(c), conv(c) {
    const ConvGeometry& g = c.g;
    const int rank = rank_of(g), sd = rank - 2;
    set_tensor(c, x, batch, g.in_channels, g.in);
    set_tensor(c, y, batch, g.out_channels, g.out);
    int wdims[5] = {int(g.out_channels), int(g.in_channels / g.groups)};
    int pad[3], stride[3], dilation[3];
    for (int d = 0; d < sd; ++d) {
      const int slot = 3 - sd + d;
      wdims[2 + d] = int(g.kernel[slot]);
      pad[d] = int(g.padding[slot]);
      stride[d] = int(g.stride[slot]);
      dilation[d] = int(g.dilation[slot]);
    }
    c.check(cudnnSetFilterNdDescriptor(w.get(), c.data_type(), CUDNN_TENSOR_NCHW, rank, wdims),
            "cudnnSetFilterNdDescriptor");
    c.check(cudnnSetConvolutionNdDescriptor(conv.get(), sd, pad, stride, dilation, CUDNN_CROSS_CORRELATION,
                                            c.data_type()),
            "cudnnSetConvolutionNdDescriptor");
    c.check(cudnnSetConvolutionGroupCount(conv.get(), int(g.groups)), "cudnnSetConvolutionGroupCount");
    c.check(cudnnSetConvolutionMathType(conv.get(), requested_math(c)), "cudnnSetConvolutionMathType");
  }
  static cudnnMathType_t requested_math(const Context& c) {
    return c.dtype == kFloat32 ? CUDNN_FMA_MATH : CUDNN_DEFAULT_MATH;
  }
};

// An algorithm the heuristics offer, with the math type it runs under and its workspace in bytes.
struct Choice {
  int algo;
  cudnnMathType_t math;
  size_t workspace;
};

// The heuristics' usable answers, best first. float32 keeps FMA math whatever an entry says: tensor-op
// entries are skipped, and a default-math one runs as FMA.
template <class Perf>
std::vector<Choice> usable(const Context& c, const Perf* perf, int n) {
  std::vector<Choice> out;
  for (int i = 0; i < n; ++i) {
    if (perf[i].status != CUDNN_STATUS_SUCCESS) continue;
    cudnnMathType_t math = perf[i].mathType;
    if (c.dtype == kFloat32) {
      if (math == CUDNN_TENSOR_OP_MATH || math == CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION) continue;
      math = CUDNN_FMA_MATH;
    }
    out.push_back({int(perf[i].algo), math, 0});
  }
  return out;
}

// Asks the heuristics and sizes each answer's workspace exactly (their own estimate has been wrong in
// some cuDNN versions); an answer whose size query fails is dropped.
std::vector<Choice> ask_heuristics(const Context& c, Pass pass, cudnnHandle_t h, const Descriptors& d) {
  std::vector<Choice> found;
  if (pass == Pass::kForward) {
    cudnnConvolutionFwdAlgoPerf_t perf[CUDNN_CONVOLUTION_FWD_ALGO_COUNT];
    int n = 0;
    c.check(cudnnGetConvolutionForwardAlgorithm_v7(h, d.x.get(), d.w.get(), d.conv.get(), d.y.get(),
                                                   CUDNN_CONVOLUTION_FWD_ALGO_COUNT, &n, perf),
            "cudnnGetConvolutionForwardAlgorithm_v7");
    found = usable(c, perf, n);
  } else if (pass == Pass::kBackwardData) {
    cudnnConvolutionBwdDataAlgoPerf_t perf[CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT];
    int n = 0;
    c.check(cudnnGetConvolutionBackwardDataAlgorithm_v7(h, d.w.get(), d.y.get(), d.conv.get(), d.x.get(),
                                                        CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT, &n, perf),
            "cudnnGetConvolutionBackwardDataAlgorithm_v7");
    found = usable(c, perf, n);
  } else {
    cudnnConvolutionBwdFilterAlgoPerf_t perf[CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT];
    int n = 0;
    c.check(cudnnGetConvolutionBackwardFilterAlgorithm_v7(h, d.x.get(), d.y.get(), d.conv.get(), d.w.get(),
                                                          CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT, &n, perf),
            "cudnnGetConvolutionBackwardFilterAlgorithm_v7");
    found = usable(c, perf, n);
  }
  std::vector<Choice> sized;
  for (Choice ch : found) {
    c.check(cudnnSetConvolutionMathType(d.conv.get(), ch.math), "cudnnSetConvolutionMathType");
    cudnnStatus_t status;
    if (pass == Pass::kForward)
      status = cudnnGetConvolutionForwardWorkspaceSize(h, d.x.get(), d.w.get(), d.conv.get(), d.y.get(),
                                                       cudnnConvolutionFwdAlgo_t(ch.algo), &ch.workspace);
    else if (pass == Pass::kBackwardData)
      status = cudnnGetConvolutionBackwardDataWorkspaceSize(h, d.w.get(), d.y.get(), d.conv.get(), d.x.get(),
                                                            cudnnConvolutionBwdDataAlgo_t(ch.algo), &ch.workspace);
    else
      status = cudnnGetConvolutionBackwardFilterWorkspaceSize(h, d.x.get(), d.y.get(), d.conv.get(), d.w.get(),
                                                              cudnnConvolutionBwdFilterAlgo_t(ch.algo),
                                                              &ch.workspace);
    if (status == CUDNN_STATUS_SUCCESS) sized.push_back(ch);
  }
  return sized;
}

using ProblemKey = std::array<int64_t, 26>;

ProblemKey key_of(const Context& c, Pass pass, int64_t batch, int device) {
  const ConvGeometry& g = c.g;
  ProblemKey k{int64_t(pass), int64_t(c.dtype), device, batch, g.in_channels, g.out_channels, g.groups, g.nd};
  for (int d = 0; d < 3; ++d) {
    k[size_t(8 + d)] = g.in[d];
    k[size_t(11 + d)] = g.out[d];
    k[size_t(14 + d)] = g.kernel[d];
    k[size_t(17 + d)] = g.stride[d];
    k[size_t(20 + d)] = g.padding[d];
    k[size_t(23 + d)] = g.dilation[d];
  }
  return k;
}

// The remembered choices of a problem, asking the heuristics the first time. Kept for the program's
// life (out of static destruction); a problem's entry is a few dozen bytes.
std::vector<Choice> choices(const Context& c, Pass pass, cudnnHandle_t h, const Descriptors& d, int64_t batch) {
  int device = 0;
  EMBER_CUDA_CHECK(cudaGetDevice(&device), c.op);
  static std::mutex mu;
  static auto* cache = new std::map<ProblemKey, std::vector<Choice>>;
  const ProblemKey key = key_of(c, pass, batch, device);
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache->find(key);
    if (it != cache->end()) return it->second;
  }
  std::vector<Choice> found = ask_heuristics(c, pass, h, d);
  if (found.empty())
    throw Error(detail::str(c.op, ": cuDNN has no algorithm for ", describe(c.g, c.dtype)));
  std::lock_guard<std::mutex> lock(mu);
  return cache->emplace(key, std::move(found)).first->second;
}

// Runs run(algo, workspace, bytes) with the first choice whose workspace can be allocated; the
// workspace is a tensor, so the caching allocator reuses it once the stream is past the call.
template <class Run>
void with_algorithm(const Context& c, Pass pass, cudnnHandle_t h, const Descriptors& d, int64_t batch,
                    const Run& run) {
  const std::vector<Choice> list = choices(c, pass, h, d, batch);
  for (size_t i = 0; i < list.size(); ++i) {
    Tensor ws;
    if (list[i].workspace > 0) {
      try {
        ws = empty({int64_t(list[i].workspace)}, TensorOptions().dtype(kUInt8).device(c.device));
      } catch (const Error&) {
        if (i + 1 == list.size()) throw;
        continue;
      }
    }
    c.check(cudnnSetConvolutionMathType(d.conv.get(), list[i].math), "cudnnSetConvolutionMathType");
    run(list[i].algo, ws.defined() ? ws.data_ptr() : nullptr, list[i].workspace);
    return;
  }
}

// Samples per cuDNN call, so that every tensor it sees stays under 2^31 elements.
int64_t batch_chunk(const Context& c) {
  const ConvGeometry& g = c.g;
  const int64_t sample = std::max(g.in_channels * g.in_size(), g.out_channels * g.out_size());
  const int64_t weight = g.out_channels * (g.in_channels / g.groups) * g.kernel_size();
  if (sample > kIntMax || weight > kIntMax)
    throw Error(detail::str(c.op, ": one sample or the weight has more than 2^31 - 1 elements, which cuDNN cannot "
                            "address, for ", describe(g, c.dtype)));
  return std::clamp<int64_t>(kIntMax / std::max<int64_t>(sample, 1), 1, std::max<int64_t>(g.batch, 1));
}

char* bytes(const Tensor& t) { return static_cast<char*>(t.data_ptr()); }

void forward(const Context& c, const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& y) {
  const ConvGeometry& g = c.g;
  cudnnHandle_t h = bound_handle(c.op);
  const int64_t chunk = batch_chunk(c);
  const int64_t xs = g.in_channels * g.in_size() * int64_t(x.element_size());
  const int64_t ys = g.out_channels * g.out_size() * int64_t(y.element_size());
  TensorDesc bias(c);
  if (b.defined()) {
    const int64_t ones[3] = {1, 1, 1};
    set_tensor(c, bias, 1, g.out_channels, ones);
  }
  for (int64_t n0 = 0; n0 < g.batch; n0 += chunk) {
    const int64_t nb = std::min(chunk, g.batch - n0);
    Descriptors d(c, nb);
    char* yp = bytes(y) + n0 * ys;
    with_algorithm(c, Pass::kForward, h, d, nb, [&](int algo, void* ws, size_t ws_bytes) {
      c.check(cudnnConvolutionForward(h, c.scale(true), d.x.get(), bytes(x) + n0 * xs, d.w.get(), w.data_ptr(),
                                      d.conv.get(), cudnnConvolutionFwdAlgo_t(algo), ws, ws_bytes, c.scale(false),
                                      d.y.get(), yp),
              "cudnnConvolutionForward");
    });
    if (b.defined())
      c.check(cudnnAddTensor(h, c.scale(true), bias.get(), b.data_ptr(), c.scale(true), d.y.get(), yp),
              "cudnnAddTensor");
  }
}

void backward_data(const Context& c, const Tensor& gy, const Tensor& w, const Tensor& gx) {
  const ConvGeometry& g = c.g;
  cudnnHandle_t h = bound_handle(c.op);
  const int64_t chunk = batch_chunk(c);
  const int64_t xs = g.in_channels * g.in_size() * int64_t(gx.element_size());
  const int64_t ys = g.out_channels * g.out_size() * int64_t(gy.element_size());
  for (int64_t n0 = 0; n0 < g.batch; n0 += chunk) {
    const int64_t nb = std::min(chunk, g.batch - n0);
    Descriptors d(c, nb);
    with_algorithm(c, Pass::kBackwardData, h, d, nb, [&](int algo, void* ws, size_t ws_bytes) {
      c.check(cudnnConvolutionBackwardData(h, c.scale(true), d.w.get(), w.data_ptr(), d.y.get(),
                                           bytes(gy) + n0 * ys, d.conv.get(), cudnnConvolutionBwdDataAlgo_t(algo), ws,
                                           ws_bytes, c.scale(false), d.x.get(), bytes(gx) + n0 * xs),
              "cudnnConvolutionBackwardData");
    });
  }
}

// The weight gradient of every chunk after the first adds to what the earlier ones left.
void backward_filter(const Context& c, const Tensor& x, const Tensor& gy, const Tensor& gw) {
  const ConvGeometry& g = c.g;
  cudnnHandle_t h = bound_handle(c.op);
  const int64_t chunk = batch_chunk(c);
  const int64_t xs = g.in_channels * g.in_size() * int64_t(x.element_size());
  const int64_t ys = g.out_channels * g.out_size() * int64_t(gy.element_size());
  for (int64_t n0 = 0; n0 < g.batch; n0 += chunk) {
    const int64_t nb = std::min(chunk, g.batch - n0);
    Descriptors d(c, nb);
    with_algorithm(c, Pass::kBackwardFilter, h, d, nb, [&](int algo, void* ws, size_t ws_bytes) {
      c.check(cudnnConvolutionBackwardFilter(h, c.scale(true), d.x.get(), bytes(x) + n0 * xs, d.y.get(),
                                             bytes(gy) + n0 * ys, d.conv.get(),
                                             cudnnConvolutionBwdFilterAlgo_t(algo), ws, ws_bytes, c.scale(n0 > 0),
                                             d.w.get(), gw.data_ptr()),
              "cudnnConvolutionBackwardFilter");
    });
  }
}

// The geometry cuDNN accepts for a problem: each input dim grown until it yields at least the wanted
// outputs, and each output dim what that input then gives.
struct Fitted {
  ConvGeometry g;
  bool grow_in = false, grow_out = false;
};

Fitted fit(const ConvGeometry& g) {
  Fitted f{g};
  for (int d = 0; d < 3; ++d) {
    const int64_t window = g.dilation[d] * (g.kernel[d] - 1) + 1;
    const int64_t in = std::max(g.in[d], (g.out[d] - 1) * g.stride[d] + window - 2 * g.padding[d]);
    const int64_t out = (in + 2 * g.padding[d] - window) / g.stride[d] + 1;
    f.g.in[d] = in;
    f.g.out[d] = out;
    f.grow_in = f.grow_in || in > g.in[d];
    f.grow_out = f.grow_out || out > g.out[d];
  }
  return f;
}

// A view of `t`'s memory with no autograd history, so copies into and out of it record nothing.
Tensor plain(const Tensor& t, IntArrayRef sizes) { return from_blob(t.data_ptr(), sizes, t.strides(), t.options()); }

// `t` (N, C, *spatial) at the start of a zero tensor whose spatial sizes are `to` (geometry slots).
Tensor zero_extended(const Tensor& t, const int64_t (&to)[3], int nd) {
  DimVector sizes(t.sizes());
  for (int d = 0; d < nd; ++d) sizes[size_t(2 + d)] = to[3 - nd + d];
  Tensor z = zeros(sizes, t.options());
  plain(z, t.sizes()).copy_(plain(t, t.sizes()));
  return z;
}

// An uninitialised tensor like `t` (N, C, *spatial) with spatial sizes `to`.
Tensor resized(const Tensor& t, const int64_t (&to)[3], int nd) {
  DimVector sizes(t.sizes());
  for (int d = 0; d < nd; ++d) sizes[size_t(2 + d)] = to[3 - nd + d];
  return empty(sizes, t.options());
}

void zero_fill(const Tensor& t, const char* op) {
  EMBER_CUDA_CHECK(cudaMemsetAsync(t.data_ptr(), 0, t.nbytes(), current_stream()), op);
}

void check_dtype(const char* op, DType dt) {
  if (dt != kFloat32 && dt != kFloat64) not_implemented(op, dt);
}

void conv_forward(const Tensor& x, const Tensor& w, const Tensor& b, const Tensor& y, const ConvGeometry& g) {
  const char* op = "conv_forward";
  check_dtype(op, x.dtype());
  if (y.numel() == 0) return;
  // No input channels (or an empty input or kernel): every output is the bias, or zero.
  if (x.numel() == 0 || w.numel() == 0) {
    if (!b.defined()) return zero_fill(y, op);
    DimVector strides(size_t(y.dim()), 0);
    strides[1] = 1;
    plain(y, y.sizes()).copy_(from_blob(b.data_ptr(), y.sizes(), strides, b.options()));
    return;
  }
  const Fitted f = fit(g);
  const Context c{op, f.g, x.dtype(), y.device()};
  const Tensor xf = f.grow_in ? zero_extended(x, f.g.in, g.nd) : x;
  const Tensor yf = f.grow_out ? resized(y, f.g.out, g.nd) : y;
  forward(c, xf, w, b, yf);
  if (f.grow_out) plain(y, y.sizes()).copy_(plain(yf, y.sizes()));
}

void conv_backward_input(const Tensor& gy, const Tensor& w, const Tensor& gx, const ConvGeometry& g) {
  const char* op = "conv_backward_input";
  check_dtype(op, gy.dtype());
  if (gx.numel() == 0) return;
  if (gy.numel() == 0 || w.numel() == 0) return zero_fill(gx, op);
  const Fitted f = fit(g);
  const Context c{op, f.g, gy.dtype(), gx.device()};
  const Tensor gyf = f.grow_out ? zero_extended(gy, f.g.out, g.nd) : gy;
  const Tensor gxf = f.grow_in ? resized(gx, f.g.in, g.nd) : gx;
  backward_data(c, gyf, w, gxf);
  if (f.grow_in) plain(gx, gx.sizes()).copy_(plain(gxf, gx.sizes()));
}

void conv_backward_weight(const Tensor& x, const Tensor& gy, const Tensor& gw, const ConvGeometry& g) {
  const char* op = "conv_backward_weight";
  check_dtype(op, x.dtype());
  if (gw.numel() == 0) return;
  if (x.numel() == 0 || gy.numel() == 0) return zero_fill(gw, op);
  const Fitted f = fit(g);
  const Context c{op, f.g, x.dtype(), gw.device()};
  const Tensor xf = f.grow_in ? zero_extended(x, f.g.in, g.nd) : x;
  const Tensor gyf = f.grow_out ? zero_extended(gy, f.g.out, g.nd) : gy;
  backward_filter(c, xf, gyf, gw);
}

}  // namespace

EMBER_REGISTER_KERNEL("conv_forward", ::ember::kCUDA, static_cast<dispatch::ConvForwardKernel*>(&conv_forward));
EMBER_REGISTER_KERNEL("conv_backward_input", ::ember::kCUDA,
                      static_cast<dispatch::ConvBackwardInputKernel*>(&conv_backward_input));
EMBER_REGISTER_KERNEL("conv_backward_weight", ::ember::kCUDA,
                      static_cast<dispatch::ConvBackwardWeightKernel*>(&conv_backward_weight));

}  // namespace ember::cuda
