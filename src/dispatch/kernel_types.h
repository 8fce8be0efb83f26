#pragma once
// Signatures of the kernels that ops look up in the registry, shared by every backend.
#include <ember/core/scalar.h>

#include "dispatch/tensor_iterator.h"

namespace ember::dispatch {

// All operands share one dtype except where noted; `name` is the op's name for error messages.
using UnaryKernel = void(const TensorIterator& it, const char* name);
using BinaryKernel = void(const TensorIterator& it, const char* name);       // compare ops write bool
using AddKernel = void(const TensorIterator& it, const Scalar& alpha);      // out = a + alpha * b
using CopyKernel = void(const TensorIterator& it);                          // casts between any dtypes
using FillKernel = void(const TensorIterator& it, const Scalar& value);     // output only
// dst <- src (broadcast to dst's shape, cast to its dtype) where one of them is on the CPU and the other
// on the backend that registers this kernel.
using CopyAcrossDevicesKernel = void(Tensor& dst, const Tensor& src, bool non_blocking);

}  // namespace ember::dispatch
