#pragma once
// Reductions and scans as free functions, with libtorch's names and overloads. The Tensor methods are
// in reduce_methods.inc.
#include <ember/tensor.h>

namespace ember {

Tensor sum(const Tensor& self, std::optional<DType> dtype = std::nullopt);
Tensor sum(const Tensor& self, IntArrayRef dim, bool keepdim = false, std::optional<DType> dtype = std::nullopt);
Tensor nansum(const Tensor& self, IntArrayRef dim = {}, bool keepdim = false,
              std::optional<DType> dtype = std::nullopt);
Tensor mean(const Tensor& self, std::optional<DType> dtype = std::nullopt);
Tensor mean(const Tensor& self, IntArrayRef dim, bool keepdim = false, std::optional<DType> dtype = std::nullopt);
Tensor nanmean(const Tensor& self, IntArrayRef dim = {}, bool keepdim = false,
               std::optional<DType> dtype = std::nullopt);
Tensor prod(const Tensor& self, std::optional<DType> dtype = std::nullopt);
Tensor prod(const Tensor& self, int64_t dim, bool keepdim = false, std::optional<DType> dtype = std::nullopt);
Tensor max(const Tensor& self);
Tensor min(const Tensor& self);
std::tuple<Tensor, Tensor> max(const Tensor& self, int64_t dim, bool keepdim = false);
std::tuple<Tensor, Tensor> min(const Tensor& self, int64_t dim, bool keepdim = false);
Tensor amax(const Tensor& self, IntArrayRef dim = {}, bool keepdim = false);
Tensor amin(const Tensor& self, IntArrayRef dim = {}, bool keepdim = false);
Tensor argmax(const Tensor& self, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);
Tensor argmin(const Tensor& self, std::optional<int64_t> dim = std::nullopt, bool keepdim = false);

Tensor var(const Tensor& self, bool unbiased = true);
Tensor var(const Tensor& self, IntArrayRef dim, bool unbiased = true, bool keepdim = false);
Tensor var(const Tensor& self, IntArrayRef dim, std::optional<int64_t> correction,
           bool keepdim = false);
Tensor std(const Tensor& self, bool unbiased = true);
Tensor std(const Tensor& self, IntArrayRef dim, bool unbiased = true, bool keepdim = false);
Tensor std(const Tensor& self, IntArrayRef dim, std::optional<int64_t> correction,
           bool keepdim = false);
// (var, mean) and (std, mean), computed together.
std::tuple<Tensor, Tensor> var_mean(const Tensor& self, bool unbiased = true);
std::tuple<Tensor, Tensor> var_mean(const Tensor& self, IntArrayRef dim, bool unbiased = true, bool keepdim = false);
std::tuple<Tensor, Tensor> var_mean(const Tensor& self, IntArrayRef dim,
                                    std::optional<int64_t> correction, bool keepdim = false);
std::tuple<Tensor, Tensor> std_mean(const Tensor& self, bool unbiased = true);
std::tuple<Tensor, Tensor> std_mean(const Tensor& self, IntArrayRef dim, bool unbiased = true, bool keepdim = false);
std::tuple<Tensor, Tensor> std_mean(const Tensor& self, IntArrayRef dim,
                                    std::optional<int64_t> correction, bool keepdim = false);

Tensor norm(const Tensor& self, const Scalar& p = 2);
Tensor norm(const Tensor& self, std::optional<Scalar> p, IntArrayRef dim, bool keepdim = false);
Tensor norm(const Tensor& self, std::optional<Scalar> p, IntArrayRef dim, bool keepdim, DType dtype);
Tensor norm(const Tensor& self, std::string_view p, IntArrayRef dim = {}, bool keepdim = false);
Tensor norm(const Tensor& self, const char* p, IntArrayRef dim = {}, bool keepdim = false);
// A number p: an exact match, so `norm(t, 0)` is the 0-norm and not a null const char*.
template <class T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0>
Tensor norm(const Tensor& self, T p) { return norm(self, Scalar(p)); }
template <class T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0>
Tensor norm(const Tensor& self, T p, IntArrayRef dim, bool keepdim = false) {
  return norm(self, std::optional<Scalar>(Scalar(p)), dim, keepdim);
}
template <class T, std::enable_if_t<std::is_arithmetic_v<T>, int> = 0>
Tensor norm(const Tensor& self, T p, IntArrayRef dim, bool keepdim, DType dtype) {
  return norm(self, std::optional<Scalar>(Scalar(p)), dim, keepdim, dtype);
}
// log(sum(exp(x))) over `dim`, shifted by the max so it neither overflows nor underflows.
Tensor logsumexp(const Tensor& self, IntArrayRef dim, bool keepdim = false);

// Bool results (uint8 for uint8 inputs, as PyTorch).
Tensor all(const Tensor& self);
Tensor all(const Tensor& self, int64_t dim, bool keepdim = false);
Tensor any(const Tensor& self);
Tensor any(const Tensor& self, int64_t dim, bool keepdim = false);
// torch.equal: true when both have the same sizes and equal elements (compared after type promotion, so
// NaN is never equal); false, not an error, when the sizes differ.
bool equal(const Tensor& self, const Tensor& other);
// |self - other| <= atol + rtol * |other| elementwise (broadcast; both of one dtype), infinities close
// only to themselves, NaN close to NaN only with equal_nan. allclose: all of it.
Tensor isclose(const Tensor& self, const Tensor& other, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false);
bool allclose(const Tensor& self, const Tensor& other, double rtol = 1e-05, double atol = 1e-08, bool equal_nan = false);
Tensor count_nonzero(const Tensor& self, IntArrayRef dim = {});

Tensor cumsum(const Tensor& self, int64_t dim, std::optional<DType> dtype = std::nullopt);
Tensor cumprod(const Tensor& self, int64_t dim, std::optional<DType> dtype = std::nullopt);
// (values, indices); a later equal value takes the index, as in PyTorch.
std::tuple<Tensor, Tensor> cummax(const Tensor& self, int64_t dim);
std::tuple<Tensor, Tensor> cummin(const Tensor& self, int64_t dim);

}  // namespace ember
