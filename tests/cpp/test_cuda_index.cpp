// The index, sort and scan families on the GPU against the CPU: gathers and scatters (with duplicate
// indices where the op accumulates), advanced indexing and masks, nonzero, sort/topk/kthvalue (stable, so
// indices match exactly), cumulative ops, their gradients, and
// the ops whose backward builds index tensors (slicing, embedding, padding, max along a dim). Where
// the GPU accumulates with atomics the order differs from the CPU's serial one, so floating sums with
// duplicate indices are compared to tolerance (integer ones exactly).
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <ember/autograd/gradcheck.h>
#include <ember/ember.h>

#include "cuda_test_util.h"
#include "error_test_util.h"

using namespace ember;
using namespace cuda_test;

namespace {

using V = const std::vector<Tensor>&;

const std::vector<DType> kScatterDtypes = {kFloat32, kFloat64, kFloat16, kBFloat16, kInt8,
                                           kUInt8,   kInt16,   kInt32,   kInt64,    kBool};

}  // namespace

TEST(CudaIndex, GathersMatchCpuOnEveryDtype) {
  REQUIRE_GPU();
  Tensor rows = tensor({3L, 0L, -1L, 3L, 1L});  // a repeat and a negative index
  Tensor gidx = randint(0, 5, {4, 6, 3}, TensorOptions(kInt64));
  for (DType dt : kScatterDtypes) {
    const std::string t = " " + std::string(dtype_title(dt));
    Tensor x = sample({5, 6, 7}, dt);
    same_on_both("index_select dim 0" + t, [](V v) { return v[0].index_select(0, v[1]); }, {x, rows});
    same_on_both("index_select dim 2 of a transposed view" + t,
                 [](V v) { return v[0].transpose(0, 1).index_select(2, v[1]); }, {x, rows});
    same_on_both("index_select with int32 indices" + t, [](V v) { return v[0].index_select(1, v[1]); },
                 {x, rows.to(kInt32)});
    same_on_both("gather" + t, [](V v) { return v[0].gather(0, v[1]); }, {x, gidx});
    same_on_both("gather along the last dim" + t, [](V v) { return v[0].gather(2, v[1].slice(2, 0, 2)); },
                 {x, gidx});
    same_on_both("take" + t, [](V v) { return take(v[0].transpose(0, 2), v[1]); }, {x, tensor({0L, 209L, -1L, 17L})});
    same_on_both("take_along_dim" + t, [](V v) { return take_along_dim(v[0], v[1], 1); }, {x, gidx.slice(1, 0, 2)});
  }
}

TEST(CudaIndex, ScattersMatchCpuWithDuplicateIndices) {
  REQUIRE_GPU();
  // Copying scatters take distinct targets (with duplicates one value lands, unspecified which).
  Tensor perm = stack({randperm(5), randperm(5), randperm(5)}, 1).slice(0, 0, 4);  // (4, 3), distinct per column
  Tensor dup = randint(0, 5, {6, 3}, TensorOptions(kInt64));
  for (DType dt : kScatterDtypes) {
    const std::string t = " " + std::string(dtype_title(dt));
    Tensor x = sample({5, 3}, dt, -3, 4), src = sample({6, 3}, dt, -3, 4);
    same_on_both("scatter" + t, [](V v) { return v[0].scatter(0, v[1], v[2]); }, {x, perm, src});
    same_on_both("scatter value" + t, [](V v) { return v[0].scatter(0, v[1], 1); }, {x, perm});
    same_on_both("scatter_add" + t, [](V v) { return v[0].scatter_add(0, v[1], v[2]); }, {x, dup, src});
    same_on_both("scatter reduce=multiply" + t, [](V v) { return v[0].scatter(0, v[1], v[2], "multiply"); },
                 {x, dup, src});
    for (const char* reduce : {"sum", "prod", "mean", "amax", "amin"})
      for (bool include_self : {true, false})
        same_on_both(std::string("scatter_reduce ") + reduce + (include_self ? "" : " without self") + t,
                     [&](V v) { return v[0].scatter_reduce(0, v[1], v[2], reduce, include_self); }, {x, dup, src});
    Tensor rows = tensor({4L, 0L, 4L, 2L, 0L, 1L});
    same_on_both("index_add" + t, [](V v) { return v[0].index_add(0, v[1], v[2]); }, {x, rows, src});
    same_on_both("index_copy" + t, [](V v) { return v[0].index_copy(0, v[1], v[2].slice(0, 0, 3)); },
                 {x, tensor({4L, 0L, 2L}), src});
    same_on_both("index_fill" + t, [](V v) { return v[0].index_fill(1, v[1], 1); }, {x, tensor({2L, -3L})});
  }
  // NaN wins amax on both devices.
  Tensor n = tensor({1.0f, NAN, 3.0f, 0.5f});
  same_on_both("scatter_reduce amax with NaN",
               [](V v) { return zeros({2}, v[0].options()).scatter_reduce(0, v[1], v[0], "amax"); },
               {n, tensor({0L, 0L, 1L, 1L})});
}

TEST(CudaIndex, AdvancedIndexingAndMasksMatchCpu) {
  REQUIRE_GPU();
  for (DType dt : {kFloat32, kFloat16, kInt64, kUInt8, kBool}) {
    const std::string t = " " + std::string(dtype_title(dt));
    Tensor x = sample({4, 5, 6}, dt, -3, 4);
    Tensor i0 = tensor({3L, -1L, 0L}), i2 = tensor({5L, 0L, 2L});
    Tensor mask = sample({4, 5}, kBool);
    same_on_both("x[i]" + t, [](V v) { return v[0].index({v[1]}); }, {x, i0});
    same_on_both("x[:, :, i] (a slice first)" + t,
                 [](V v) { return v[0].index({indexing::Slice(), indexing::Slice(1, 4), v[1]}); }, {x, i2});
    same_on_both("x[i, :, j] (not adjacent)" + t, [](V v) { return v[0].index({v[1], indexing::Slice(), v[2]}); },
                 {x, i0, i2});
    same_on_both("x[mask]" + t, [](V v) { return v[0].index({v[1]}); }, {x, mask});
    same_on_both("masked_select" + t, [](V v) { return masked_select(v[0], v[1].unsqueeze(2)); }, {x, mask});
    same_on_both("masked_scatter" + t, [](V v) { return masked_scatter(v[0], v[1].unsqueeze(2), ones_like(v[0])); },
                 {x, mask});
    same_on_both("nonzero" + t, [](V v) { return nonzero(v[0]); }, {x});
    same_on_both("index_put_ with accumulate and duplicates" + t,
                 [](V v) { return index_put(v[0], {v[1]}, v[0].select(0, 0), /*accumulate=*/true); },
                 {x, tensor({1L, 3L, 1L, 1L})});
    same_on_both("index_put_ by mask with one value" + t,
                 [](V v) { return index_put(v[0], {v[1]}, ones({}, v[0].options())); }, {x, mask});
  }
  // Indices on the CPU index a GPU tensor; a 0-dim CPU value is written as a number.
  Tensor x = sample({4, 5}, kFloat32);
  expect_matches(x.cuda().index({tensor({2L, 0L})}), x.index({tensor({2L, 0L})}), "CPU indices for a GPU tensor");
  Tensor g = x.cuda();
  g.index_put_({tensor({1L, 3L})}, tensor(7.0f));
  Tensor c = x.clone();
  c.index_put_({tensor({1L, 3L})}, tensor(7.0f));
  expect_matches(g, c, "index_put_ of a CPU number");
  // nonzero of nothing, of a 0-dim tensor, and one_hot.
  expect_matches(nonzero(zeros({3, 0}).cuda()), nonzero(zeros({3, 0})), "nonzero of an empty tensor");
  expect_matches(nonzero(tensor(2.0f).cuda()), nonzero(tensor(2.0f)), "nonzero of a 0-dim tensor");
  expect_matches(nonzero(zeros({7}).cuda()), nonzero(zeros({7})), "nonzero of zeros");
  Tensor labels = tensor({2L, 0L, 4L});
  expect_matches(nn::functional::one_hot(labels.cuda()), nn::functional::one_hot(labels), "one_hot");
  Tensor big = sample({1 << 20}, kFloat32) > 0.5;  // many CUB tiles
  expect_matches(nonzero(big.cuda()), nonzero(big), "nonzero of 1M elements");
}

TEST(CudaIndex, OutOfRangeAndDeviceErrors) {
  REQUIRE_GPU();
  auto on = [](Device d, const Tensor& t) { return t.to(d); };
  same_error("index_select out of range", [&](Device d) { (void)on(d, ones({3})).index_select(0, on(d, tensor({3L}))); });
  same_error("gather out of range", [&](Device d) { (void)on(d, ones({3})).gather(0, on(d, tensor({0L, -1L}))); });
  same_error("x[i] out of range", [&](Device d) { (void)on(d, ones({3, 2})).index({on(d, tensor({1L, -4L}))}); });
  same_error("index_add out of range",
             [&](Device d) { (void)on(d, ones({3})).index_add(0, on(d, tensor({5L})), on(d, ones({1}))); });
  same_error("one_hot with a negative class", [&](Device d) { (void)nn::functional::one_hot(on(d, tensor({-1L}))); });
  // The GPU tensor is left as it was by a failed index_put_.
  Tensor g = ones({3}).cuda();
  EXPECT_FALSE(error_of([&] { g.index_put_({tensor({0L, 9L}).cuda()}, tensor({5.0f, 6.0f}).cuda()); }).empty());
  EXPECT_TRUE(equal(g.cpu(), ones({3})));
  // Mixed devices are refused before any kernel runs, with PyTorch's words.
  std::string err = error_of([] { (void)ones({3}).cuda().index_select(0, tensor({0L})); });
  EXPECT_NE(err.find("Expected all tensors to be on the same device"), std::string::npos) << err;
  err = error_of([] { (void)ones({3}).cuda().gather(0, tensor({0L})); });
  EXPECT_NE(err.find("Expected all tensors to be on the same device"), std::string::npos) << err;
  err = error_of([] { (void)ones({3}).index({tensor({0L}).cuda()}); });
  EXPECT_NE(err.find("indices should be either on cpu or on the same device as the indexed tensor (cpu)"),
            std::string::npos)
      << err;
}

TEST(CudaScan, CumulativeOpsMatchCpu) {
  REQUIRE_GPU();
  for (DType dt : {kFloat32, kFloat64, kFloat16, kBFloat16, kInt32, kInt64, kUInt8, kBool}) {
    const std::string t = " " + std::string(dtype_title(dt));
    Tensor x = sample({4, 37, 5}, dt, -2, 3);
    for (int64_t dim : {0, 1, 2}) {
      const std::string d = " dim " + std::to_string(dim) + t;
      same_on_both("cumsum" + d, [dim](V v) { return v[0].cumsum(dim); }, {x});
      same_on_both("cumprod" + d, [dim](V v) { return v[0].cumprod(dim); }, {x});
      if (dt == kBool) continue;
      same_on_both("cummax values" + d, [dim](V v) { return std::get<0>(cummax(v[0], dim)); }, {x});
      same_on_both("cummax indices" + d, [dim](V v) { return std::get<1>(cummax(v[0], dim)); }, {x});
      same_on_both("cummin indices" + d, [dim](V v) { return std::get<1>(cummin(v[0], dim)); }, {x});
    }
    same_on_both("cumsum of a transposed view" + t, [](V v) { return v[0].transpose(0, 2).cumsum(1); }, {x});
  }
  Tensor n = tensor({1.0f, NAN, 3.0f, 0.5f, 3.0f});
  same_on_both("cummax with NaN", [](V v) { return std::get<1>(cummax(v[0], 0)); }, {n});
  same_on_both("cumsum to float64", [](V v) { return v[0].cumsum(0, kFloat64); }, {tensor({1, 2, 3})});
  // Few long lines go through one CUB scan over all of them: one line, lines side by side (inner > 1),
  // lines one after another, and a view; the tree order stays within the CPU's rounding.
  for (DType dt : {kFloat32, kFloat64, kBFloat16, kInt64, kInt32, kBool}) {
    const std::string t = " " + std::string(dtype_title(dt));
    // Over a million elements the CPU's order and a tree's drift apart by more than the tolerance where
    // the sum crosses zero (bfloat16 sums in float, float64 in double); float64 inputs on a grid of 2^-10
    // sum exactly in any order, so there the results are equal.
    Tensor line = sample({1 << 20}, dt);
    if (dt == kFloat64) line = (line * 1024).round() / 1024;
    if (dt != kBFloat16)
      same_on_both("cumsum of one long line" + t, [](V v) { return v[0].cumsum(0); }, {line});
    Tensor x = sample({3, 5000, 2}, dt);
    for (int64_t dim : {0, 1, 2})
      same_on_both("cumsum of long lines, dim " + std::to_string(dim) + t, [dim](V v) { return v[0].cumsum(dim); },
                   {x});
    same_on_both("cumsum of a long strided view" + t, [](V v) { return v[0].select(2, 1).cumsum(1); }, {x});
  }
  Tensor near_one = 1 + sample({4, 3000}, kFloat64) * 1e-3;
  same_on_both("cumprod of long lines", [](V v) { return v[0].cumprod(1); }, {near_one});
  same_on_both("cumprod of long lines, float32", [](V v) { return v[0].cumprod(1); }, {near_one.to(kFloat32)});
  Tensor lx = sample({4000}, kFloat64).requires_grad_();
  Tensor lg = lx.detach().cuda().requires_grad_();
  (lx.cumsum(0) * lx.detach()).sum().backward();
  (lg.cumsum(0) * lg.detach()).sum().backward();
  expect_matches(lg.grad(), lx.grad(), "cumsum's backward over a long line");
}

TEST(CudaSort, SortTopkAndKthvalueMatchCpuWithTies) {
  REQUIRE_GPU();
  for (DType dt : kScatterDtypes) {
    const std::string t = " " + std::string(dtype_title(dt));
    Tensor x = sample({6, 33, 5}, dt, -3, 4);  // few distinct values: many ties, resolved by position
    for (int64_t dim : {0, 1, 2})
      for (bool descending : {false, true}) {
        const std::string d = " dim " + std::to_string(dim) + (descending ? " descending" : "") + t;
        same_on_both("sort values" + d, [=](V v) { return std::get<0>(v[0].sort(dim, descending)); }, {x});
        same_on_both("sort indices" + d, [=](V v) { return std::get<1>(v[0].sort(dim, descending)); }, {x});
        same_on_both("topk indices" + d, [=](V v) { return std::get<1>(v[0].topk(4, dim, descending)); }, {x});
      }
    same_on_both("topk values" + t, [](V v) { return std::get<0>(v[0].topk(3, 1)); }, {x});
    same_on_both("kthvalue values" + t, [](V v) { return std::get<0>(v[0].kthvalue(7, 1)); }, {x});
    same_on_both("kthvalue indices" + t, [](V v) { return std::get<1>(v[0].kthvalue(7, 1, true)); }, {x});
    same_on_both("sort of a transposed view" + t, [](V v) { return std::get<1>(v[0].transpose(0, 2).sort(0)); }, {x});
  }
  // NaN is above infinity and equal to every NaN; -0 equals 0.
  Tensor special = tensor({1.0f, NAN, -0.0f, 0.0f, -INFINITY, -NAN, 2.0f, INFINITY, 0.0f});
  for (DType dt : {kFloat32, kFloat64, kFloat16, kBFloat16})
    for (bool descending : {false, true})
      same_on_both("sort indices with NaN, inf and -0 " + std::string(dtype_title(dt)),
                   [=](V v) { return std::get<1>(v[0].sort(0, descending)); }, {special.to(dt)});
  Tensor big = sample({3, 70000}, kFloat32);
  same_on_both("sort of long rows", [](V v) { return std::get<1>(v[0].sort(1)); }, {big});
  same_on_both("sort of many short columns", [](V v) { return std::get<1>(v[0].sort(0)); }, {big});
  same_on_both("sort of a 0-dim tensor", [](V v) { return std::get<0>(v[0].sort(0)); }, {tensor(3.0f)});
}

TEST(CudaIndex, GradientsThroughIndexAndScanOpsMatchCpu) {
  REQUIRE_GPU();
  Tensor x0 = sample({4, 6}, kFloat64);
  x0.index_put_({0, 2}, 0.0);  // a zero for cumprod's and prod's backward
  Tensor emb0 = sample({10, 3}, kFloat64);
  using GraphFn = std::function<Tensor(const Tensor&, const Tensor&)>;
  const std::vector<std::pair<std::string, GraphFn>> graphs = {
      {"slice", [](const Tensor& x, const Tensor&) { return x.index({indexing::Slice(), indexing::Slice(1, 5, 2)}); }},
      {"select", [](const Tensor& x, const Tensor&) { return x.select(1, 3); }},
      {"x[i] with a repeat", [](const Tensor& x, const Tensor&) { return x.index({tensor({0L, 3L, 0L}).to(x.device())}); }},
      {"gather", [](const Tensor& x, const Tensor&) { return x.gather(1, tensor({{0L, 0L}, {5L, 1L}, {2L, 2L}, {3L, 4L}}).to(x.device())); }},
      {"index_select", [](const Tensor& x, const Tensor&) { return x.index_select(0, tensor({3L, 3L, 1L}).to(x.device())); }},
      {"masked_select", [](const Tensor& x, const Tensor&) { return masked_select(x, x > 0); }},
      {"cumsum", [](const Tensor& x, const Tensor&) { return x.cumsum(1); }},
      {"sort", [](const Tensor& x, const Tensor&) { return std::get<0>(x.sort(1, true)); }},
      {"topk", [](const Tensor& x, const Tensor&) { return std::get<0>(x.topk(2, 0)); }},
      {"cumprod with a zero", [](const Tensor& x, const Tensor&) { return x.cumprod(1); }},
      {"prod with a zero", [](const Tensor& x, const Tensor&) { return x.prod(1); }},
      {"cummax", [](const Tensor& x, const Tensor&) { return std::get<0>(cummax(x, 0)); }},
      {"max along a dim", [](const Tensor& x, const Tensor&) { return std::get<0>(x.max(1)); }},
      {"reflect pad", [](const Tensor& x, const Tensor&) { return nn::functional::pad(x.unsqueeze(0), {2, 1}, "reflect"); }},
      {"repeat_interleave", [](const Tensor& x, const Tensor&) { return repeat_interleave(x, tensor({1L, 0L, 2L, 1L}).to(x.device()), 0); }},
      {"embedding", [](const Tensor&, const Tensor& w) { return nn::functional::embedding(tensor({{1L, 4L, 1L}, {9L, 0L, 4L}}).to(w.device()), w); }},
      {"embedding_bag max", [](const Tensor&, const Tensor& w) {
         return nn::functional::embedding_bag(tensor({{1L, 4L, 1L}, {9L, 0L, 4L}}).to(w.device()), w, {}, std::nullopt, 2,
                                              false, "max");
       }},
  };
  for (const auto& [name, f] : graphs) {
    Tensor xc = x0.clone().requires_grad_(true), wc = emb0.clone().requires_grad_(true);
    Tensor xg = x0.cuda().requires_grad_(true), wg = emb0.cuda().requires_grad_(true);
    Tensor oc = f(xc, wc), og = f(xg, wg);
    expect_matches(og, oc, name + " forward");
    Tensor up = sample(oc.sizes(), kFloat64);
    (oc * up).sum().backward();
    (og * up.cuda()).sum().backward();
    if (xc.grad().defined()) expect_matches(xg.grad(), xc.grad(), name + " grad");
    if (wc.grad().defined()) expect_matches(wg.grad(), wc.grad(), name + " weight grad");
  }
}

TEST(CudaIndex, GradcheckRunsOnGpuInputs) {
  REQUIRE_GPU();
  Tensor x = sample({3, 4}, kFloat64).cuda().requires_grad_(true);
  Tensor idx = tensor({2L, 0L, 2L}).cuda();
  EXPECT_TRUE(autograd::gradcheck(
      [&](const tensor_list& in) { return tensor_list{in[0].index_select(0, idx).cumsum(1).sin()}; }, {x}));
  EXPECT_TRUE(autograd::gradgradcheck(
      [&](const tensor_list& in) { return tensor_list{in[0].index_select(0, idx).pow(3).cumsum(1)}; }, {x}));
  // The inputs are as they were.
  EXPECT_TRUE(x.is_cuda());
}
