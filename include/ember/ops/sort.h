#pragma once
// Sorting and searching, as torch.sort / topk / kthvalue / unique / searchsorted / bucketize / bincount
// / histc. NaN sorts as the largest value. Values returned by sort, msort, topk and kthvalue carry
// gradients (scattered back to the positions their indices name); the other results are integer or
// not differentiable in PyTorch either.
#include <optional>
#include <string_view>
#include <tuple>

#include <ember/tensor.h>

namespace ember {

// (values, indices); `stable` keeps equal elements in their input order. ember always sorts stably,
// which is one of the orders PyTorch allows for stable=false.
std::tuple<Tensor, Tensor> sort(const Tensor& self, int64_t dim = -1, bool descending = false, bool stable = false);
// libtorch's overload with the stable flag first.
std::tuple<Tensor, Tensor> sort(const Tensor& self, std::optional<bool> stable, int64_t dim = -1, bool descending = false);
Tensor argsort(const Tensor& self, int64_t dim = -1, bool descending = false, bool stable = false);
Tensor msort(const Tensor& self);
// The k largest (or smallest) along dim; ties go to the lower index.
std::tuple<Tensor, Tensor> topk(const Tensor& self, int64_t k, int64_t dim = -1, bool largest = true,
                                bool sorted = true);
// The k-th smallest (1-based) along dim.
std::tuple<Tensor, Tensor> kthvalue(const Tensor& self, int64_t k, int64_t dim = -1, bool keepdim = false);

// (output, inverse_indices, counts). Without return_inverse / return_counts those are empty int64
// tensors. Results are always sorted (PyTorch leaves the order unspecified for sorted=false); each NaN
// is its own unique value, placed last.
std::tuple<Tensor, Tensor, Tensor> unique(const Tensor& self, bool sorted = true, bool return_inverse = false,
                                          bool return_counts = false, std::optional<int64_t> dim = std::nullopt);
std::tuple<Tensor, Tensor, Tensor> unique_consecutive(const Tensor& self, bool return_inverse = false,
                                                      bool return_counts = false,
                                                      std::optional<int64_t> dim = std::nullopt);

// `side` ("left" / "right") overrides `right` when given; `sorter` holds the indices that sort each
// row of sorted_sequence.
Tensor searchsorted(const Tensor& sorted_sequence, const Tensor& values, bool out_int32 = false, bool right = false,
                    std::optional<std::string_view> side = std::nullopt, const Tensor& sorter = {});
Tensor searchsorted(const Tensor& sorted_sequence, const Scalar& value, bool out_int32 = false, bool right = false,
                    std::optional<std::string_view> side = std::nullopt, const Tensor& sorter = {});
Tensor bucketize(const Tensor& input, const Tensor& boundaries, bool out_int32 = false, bool right = false);
Tensor bucketize(const Scalar& input, const Tensor& boundaries, bool out_int32 = false, bool right = false);

Tensor bincount(const Tensor& self, const Tensor& weights = {}, int64_t minlength = 0);
Tensor histc(const Tensor& self, int64_t bins = 100, const Scalar& min = 0, const Scalar& max = 0);

}  // namespace ember
