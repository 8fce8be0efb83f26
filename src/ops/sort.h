#pragma once
// Forward computations of the sort family without autograd (the public ops in
// src/autograd/derivatives/sort.cpp wrap these).
#include <tuple>

#include <ember/tensor.h>

namespace ember::ops {

std::tuple<Tensor, Tensor> sort(const Tensor& self, int64_t dim, bool descending);
std::tuple<Tensor, Tensor> topk(const Tensor& self, int64_t k, int64_t dim, bool largest);
// With keepdim=false the reduced dim is dropped.
std::tuple<Tensor, Tensor> kthvalue(const Tensor& self, int64_t k, int64_t dim, bool keepdim);
// out[.., j, ..] = src[.., index[.., j, ..], ..] along dim (index int64, sizes as src except at dim).
Tensor take_along_dim(const Tensor& src, const Tensor& index, int64_t dim);
// The adjoint of take_along_dim: zeros of `sizes` with src added at the positions index names.
Tensor put_along_dim(const Tensor& src, const Tensor& index, int64_t dim, IntArrayRef sizes);

}  // namespace ember::ops
