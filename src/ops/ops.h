#pragma once
// The forward computations of ember's ops, without autograd: shape and dtype rules, argument checks,
// and the call into the kernel registry. The public functions (src/autograd/derivatives/*) wrap these
// and record the graph.
#include <ember/ops/pointwise.h>
#include <ember/tensor.h>

namespace ember::ops {

// ---- helpers shared by the op families ----
int64_t maybe_wrap_dim(int64_t dim, int64_t ndim, bool wrap_scalar = true);
void check_same_device(const char* op, const Tensor& a, const Tensor& b);
// The device a pointwise op over these operands (undefined ones skipped) runs on, as PyTorch's
// TensorIterator picks it: their common device, where a CPU 0-dim tensor may join an op on another
// device as a scalar. Any other mix raises check_same_device's error.
Device common_device(const char* op, std::initializer_list<const Tensor*> operands);
// `t` on `device` when it is a CPU 0-dim tensor joining an op there (one element filled there from its
// value, no copy of host memory); `t` itself otherwise.
Tensor scalar_on(const Tensor& t, Device device);
using ember::can_cast;  // public in ember/ops/pointwise.h
Tensor empty_strided(IntArrayRef sizes, IntArrayRef strides, DType dtype, Device device);
Tensor empty(IntArrayRef sizes, DType dtype, Device device);
Tensor scalar_tensor(const Scalar& s, DType dtype, Device device);
Tensor cast(const Tensor& t, DType dtype);  // `t` itself when it already has the dtype

// ---- tensor basics ----
// Between devices too (the CUDA backend moves the bytes); non_blocking lets a copy from the GPU return
// before it lands, as in PyTorch.
Tensor& copy_(Tensor& self, const Tensor& src, bool non_blocking = false);
// `t` on `device` (`t` itself when it is there already).
Tensor on_device(const Tensor& t, Device device);
Tensor& fill_(Tensor& self, const Scalar& value);
// PyTorch's checked conversion of a fill value (full, fill_): an error when the number does not fit the
// dtype. Integers may wrap into unsigned types down to -max, and anything fills bool, as in c10.
void check_fill_value(const Scalar& value, DType dtype);
Tensor contiguous(const Tensor& t);
Tensor clone(const Tensor& t);

// ---- pointwise ----
#define EMBER_UNARY_OP(name, F, R) \
  Tensor name(const Tensor& self); \
  Tensor& name##_(Tensor& self);
#define EMBER_BINARY_OP(name, F, R)                     \
  Tensor name(const Tensor& self, const Tensor& other); \
  Tensor& name##_(Tensor& self, const Tensor& other);
#include <ember/ops/pointwise.def>
Tensor add(const Tensor& self, const Tensor& other, const Scalar& alpha);
Tensor& add_(Tensor& self, const Tensor& other, const Scalar& alpha);
// The 0-dim tensor a Python-style number becomes next to `self` in a binary op.
Tensor wrap_scalar(const Tensor& self, const Scalar& s);

// ---- views (share storage; no autograd) ----
Tensor make_view(const Tensor& base, IntArrayRef sizes, IntArrayRef strides, int64_t offset);
DimVector infer_size(IntArrayRef shape, int64_t numel);
Tensor view(const Tensor& self, IntArrayRef size);
Tensor as_strided(const Tensor& self, IntArrayRef size, IntArrayRef stride, int64_t offset);
Tensor expand(const Tensor& self, IntArrayRef size);
Tensor transpose(const Tensor& self, int64_t d0, int64_t d1);
Tensor permute(const Tensor& self, IntArrayRef dims);
Tensor squeeze(const Tensor& self, std::optional<int64_t> dim);
Tensor unsqueeze(const Tensor& self, int64_t dim);

// ---- reductions ----
Tensor sum(const Tensor& self, IntArrayRef dims, bool keepdim, std::optional<DType> dtype);

}  // namespace ember::ops
