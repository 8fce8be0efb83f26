// Sorting and searching against PyTorch (tests/golden/gen_sort.py), gradients by finite differences,
// and the error cases with PyTorch's messages.
#include "golden.h"

using namespace ember;

namespace {
golden::File& G() {
  static golden::File g("sort");
  return g;
}
bool same(const Tensor& a, const Tensor& b) { return golden::close(a, b, 0, 0); }
double at(const Tensor& t, int64_t k) { return t.to(kFloat64).contiguous().data_ptr<double>()[k]; }
template <class E, class F>
void expect_error(const F& f, const std::string& text) {
  try {
    f();
    ADD_FAILURE() << "expected an error containing: " << text;
  } catch (const E& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  }
}
}  // namespace

TEST(Sort, TiesStableAllDimsAndDirections) {
  Tensor x = G()["ties"];
  for (int desc = 0; desc < 2; ++desc)
    for (int64_t dim : {0, 1, -1}) {
      auto [v, i] = sort(x, dim, bool(desc), true);
      std::string k = "sort_ties_d" + std::to_string(dim) + "_" + std::to_string(desc);
      EXPECT_TRUE(same(v, G()[k + "_v"])) << k;
      EXPECT_TRUE(same(i, G()[k + "_i"])) << k;
    }
  EXPECT_TRUE(same(argsort(x, 1, true, true), G()["argsort_ties_desc"]));
  EXPECT_TRUE(same(msort(x), G()["msort_ties"]));
  auto [v2, i2] = sort(x, std::optional<bool>(true), 0, false);
  EXPECT_TRUE(same(i2, G()["sort_ties_d0_0_i"]));
}

TEST(Sort, TensorMethods) {
  Tensor x = G()["ties"];
  EXPECT_TRUE(same(std::get<1>(x.sort(std::optional<bool>(true), 1, true)), G()["sort_ties_d1_1_i"]));
  EXPECT_TRUE(same(std::get<0>(x.sort(0)), G()["sort_ties_d0_0_v"]));
  EXPECT_TRUE(same(x.msort(), G()["msort_ties"]));
  EXPECT_TRUE(same(std::get<0>(G()["distinct"].topk(3, 0)), G()["topk_d0_1_v"]));
  EXPECT_TRUE(same(std::get<1>(G()["distinct"].kthvalue(2, 1, true)), G()["kth_d1_1_i"]));
  EXPECT_TRUE(same(G()["bc"].bincount({}, 10), G()["bc_minlen"]));
  EXPECT_TRUE(same(G()["hx"].histc(3, 0, 3), G()["histc_3"]));
  EXPECT_EQ(x.argsort().dtype(), kInt64);
}

TEST(Sort, NanIsLargest) {
  Tensor x = G()["withnan"];
  for (int desc = 0; desc < 2; ++desc) {
    auto [v, i] = sort(x, -1, bool(desc), true);
    EXPECT_TRUE(same(v, G()["sort_nan_" + std::to_string(desc) + "_v"]));
    EXPECT_TRUE(same(i, G()["sort_nan_" + std::to_string(desc) + "_i"]));
  }
}

TEST(Sort, EveryDtype) {
  for (std::string name : {"uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float64", "bool"}) {
    Tensor x = G()["dt_" + name];
    for (int desc = 0; desc < 2; ++desc) {
      auto [v, i] = sort(x, 1, bool(desc), true);
      std::string k = "sort_" + name + "_" + std::to_string(desc);
      EXPECT_TRUE(same(v, G()[k + "_v"])) << k;
      EXPECT_TRUE(same(i, G()[k + "_i"])) << k;
    }
  }
}

TEST(Sort, NonContiguousZeroDimAndEmpty) {
  Tensor big = G()["big"];
  auto [v, i] = sort(big.transpose(0, 2), 1);
  EXPECT_TRUE(same(v, G()["sort_bigT_v"]));
  EXPECT_TRUE(same(i, G()["sort_bigT_i"]));
  Tensor stepped = big.as_strided({4, 4, 2}, {35, 10, 2}, 1);  // big[:, ::2, 1::2]
  auto [v2, i2] = sort(stepped, 0, true);
  EXPECT_TRUE(same(v2, G()["sort_bigstep_v"]));
  EXPECT_TRUE(same(i2, G()["sort_bigstep_i"]));
  auto [v0, i0] = sort(scalar_tensor(3.5));
  EXPECT_TRUE(same(v0, G()["sort_0d_v"]));
  EXPECT_TRUE(same(i0, G()["sort_0d_i"]));
  auto [ve, ie] = sort(empty({0, 3}), 0);
  EXPECT_TRUE(same(ve, G()["sort_empty_v"]));
  EXPECT_TRUE(same(ie, G()["sort_empty_i"]));
  EXPECT_TRUE(same(msort(scalar_tensor(2.0)), G()["msort_0d"]));
}

TEST(Sort, LargeInputSameWithOneAndManyThreads) {
  Tensor x = G()["big"].reshape({-1}).expand({2000, 140}).contiguous();
  int before = get_num_threads();
  set_num_threads(1);
  auto [v1, i1] = sort(x, 1);
  set_num_threads(4);
  auto [v4, i4] = sort(x, 1);
  set_num_threads(before);
  EXPECT_TRUE(same(v1, v4));
  EXPECT_TRUE(same(i1, i4));
  auto [vr, ir] = sort(G()["big"].reshape({-1}), 0);
  EXPECT_TRUE(same(v1.as_strided({140}, {1}, 1999 * 140), vr));
}

TEST(Topk, MatchesTorch) {
  Tensor x = G()["distinct"];
  for (int largest = 0; largest < 2; ++largest)
    for (int64_t dim : {0, 1}) {
      auto [v, i] = topk(x, 3, dim, bool(largest));
      std::string k = "topk_d" + std::to_string(dim) + "_" + std::to_string(largest);
      EXPECT_TRUE(same(v, G()[k + "_v"])) << k;
      EXPECT_TRUE(same(i, G()[k + "_i"])) << k;
    }
  auto [vt, it] = topk(x.t(), 2, 1);
  EXPECT_TRUE(same(vt, G()["topk_T_v"]));
  EXPECT_TRUE(same(it, G()["topk_T_i"]));
  auto [vi, ii] = topk(x.to(kInt32), 4);
  EXPECT_TRUE(same(vi, G()["topk_int_v"]));
  EXPECT_TRUE(same(ii, G()["topk_int_i"]));
  auto [v0, i0] = topk(x, 0);
  EXPECT_TRUE(same(v0, G()["topk_k0_v"]));
  EXPECT_TRUE(same(i0, G()["topk_k0_i"]));
  auto [vz, iz] = topk(scalar_tensor(2.0), 0);
  EXPECT_TRUE(same(vz, G()["topk_0d_v"]));  // PyTorch gives the element for k = 0 too
  auto [vs, is] = topk(scalar_tensor(2.0), 1);
  EXPECT_TRUE(same(vs, G()["topk_0d_v"]));
  EXPECT_TRUE(same(is, G()["topk_0d_i"]));
  auto [vn, in] = topk(tensor({1.0f, NAN, 3.0f, 2.0f}), 2);
  EXPECT_TRUE(same(vn, G()["topk_nan_v"]));
  EXPECT_TRUE(same(in, G()["topk_nan_i"]));
}

TEST(Kthvalue, MatchesTorch) {
  Tensor x = G()["distinct"];
  for (int keep = 0; keep < 2; ++keep)
    for (int64_t dim : {0, 1}) {
      auto [v, i] = kthvalue(x, 2, dim, bool(keep));
      std::string k = "kth_d" + std::to_string(dim) + "_" + std::to_string(keep);
      EXPECT_TRUE(same(v, G()[k + "_v"])) << k;
      EXPECT_TRUE(same(i, G()[k + "_i"])) << k;
    }
  auto [vi, ii] = kthvalue(x.to(kInt64), 5);
  EXPECT_TRUE(same(vi, G()["kth_int_v"]));
  EXPECT_TRUE(same(ii, G()["kth_int_i"]));
  auto [v0, i0] = kthvalue(scalar_tensor(4.0), 1);
  EXPECT_TRUE(same(v0, G()["kth_0d_v"]));
  EXPECT_TRUE(same(i0, G()["kth_0d_i"]));
  auto [vn, in] = kthvalue(tensor({1.0f, NAN, 3.0f, 2.0f}), 4);
  EXPECT_TRUE(same(vn, G()["kth_nan_v"]));
  EXPECT_TRUE(same(in, G()["kth_nan_i"]));
}

TEST(Unique, MatchesTorch) {
  Tensor x = G()["u_in"];
  auto [o, inv, cnt] = unique(x, true, true, true);
  EXPECT_TRUE(same(o, G()["unique_o"]));
  EXPECT_TRUE(same(inv, G()["unique_inv"]));
  EXPECT_TRUE(same(cnt, G()["unique_cnt"]));
  for (int64_t dim : {0, 1}) {
    auto [od, invd, cntd] = unique(x, true, true, true, dim);
    std::string k = "unique_d" + std::to_string(dim);
    EXPECT_TRUE(same(od, G()[k + "_o"])) << k;
    EXPECT_TRUE(same(invd, G()[k + "_inv"])) << k;
    EXPECT_TRUE(same(cntd, G()[k + "_cnt"])) << k;
  }
  auto [of, invf, cntf] = unique(G()["uf"], true, false, true);
  EXPECT_TRUE(same(of, G()["unique_f_o"]));
  EXPECT_TRUE(same(cntf, G()["unique_f_cnt"]));
  EXPECT_EQ(invf.numel(), 0);
  auto [ob, invb, cntb] = unique(G()["ub"], true, false, true);
  EXPECT_TRUE(same(ob, G()["unique_b_o"]));
  EXPECT_TRUE(same(cntb, G()["unique_b_cnt"]));
  auto [o0, inv0, cnt0] = unique(scalar_tensor(5, kInt64), true, true, true);
  EXPECT_TRUE(same(o0, G()["unique_0d_o"]));
  EXPECT_TRUE(same(inv0, G()["unique_0d_inv"]));
  EXPECT_TRUE(same(cnt0, G()["unique_0d_cnt"]));
  auto [oe, inve, cnte] = unique(empty({0}, kInt64), true, true, true);
  EXPECT_TRUE(same(oe, G()["unique_empty_o"]));
  EXPECT_TRUE(same(inve, G()["unique_empty_inv"]));
  EXPECT_TRUE(same(cnte, G()["unique_empty_cnt"]));
  // Each NaN is its own value, after the numbers (newer PyTorch's order).
  auto [on, invn, cntn] = unique(tensor({1.0, NAN, NAN, 0.5}), true, false, true);
  EXPECT_EQ(on.numel(), 4);
  EXPECT_EQ(at(on, 0), 0.5);
  EXPECT_TRUE(std::isnan(at(on, 2)) && std::isnan(at(on, 3)));
}

TEST(Unique, Consecutive) {
  auto [o, inv, cnt] = unique_consecutive(G()["uc_in"], true, true);
  EXPECT_TRUE(same(o, G()["uc_o"]));
  EXPECT_TRUE(same(inv, G()["uc_inv"]));
  EXPECT_TRUE(same(cnt, G()["uc_cnt"]));
  auto [od, invd, cntd] = unique_consecutive(G()["uc2"], true, true, 1);
  EXPECT_TRUE(same(od, G()["uc_d1_o"]));
  EXPECT_TRUE(same(invd, G()["uc_d1_inv"]));
  EXPECT_TRUE(same(cntd, G()["uc_d1_cnt"]));
}

TEST(Searchsorted, MatchesTorch) {
  Tensor seq = G()["seq"], vals = G()["vals"];
  for (int right = 0; right < 2; ++right) {
    std::string r = std::to_string(right);
    EXPECT_TRUE(same(searchsorted(seq, vals, false, bool(right)), G()["ss_" + r]));
    EXPECT_TRUE(same(searchsorted(seq, vals, true, bool(right)), G()["ss_i32_" + r]));
    EXPECT_TRUE(same(bucketize(vals, seq, false, bool(right)), G()["buck_" + r]));
  }
  EXPECT_TRUE(same(searchsorted(seq, vals.t(), false, true).t(), G()["ss_1"]));
  EXPECT_TRUE(same(searchsorted(G()["seq2"], G()["vals2"], false, false, "left"), G()["ss_nd_left"]));
  EXPECT_TRUE(same(searchsorted(G()["seq2"], G()["vals2"], false, false, "right"), G()["ss_nd_right"]));
  EXPECT_TRUE(same(searchsorted(G()["unsorted"], vals, false, false, std::nullopt, G()["sorter"]), G()["ss_sorter"]));
  EXPECT_TRUE(same(searchsorted(seq, 2.0), G()["ss_scalar"]));
  EXPECT_TRUE(same(searchsorted(tensor({1, 2, 3}), 2.5), G()["ss_int_float_scalar"]));
  EXPECT_TRUE(same(searchsorted(seq, tensor({2, 4, 9})), G()["ss_mixed"]));
  EXPECT_TRUE(same(searchsorted(tensor({1.0f, 2.0f, NAN}), tensor({NAN, 1.5f, 3.0f})), G()["ss_nan"]));
  EXPECT_TRUE(same(searchsorted(seq.to(kFloat16), vals.to(kFloat16)), G()["ss_f16"]));
  EXPECT_TRUE(same(bucketize(3, seq), G()["buck_scalar"]));
  EXPECT_TRUE(same(searchsorted(seq, empty({0})), G()["ss_empty_vals"]));
  EXPECT_TRUE(same(searchsorted(empty({2, 0}), zeros({2, 3})), zeros({2, 3}, kInt64)));  // empty rows: position 0
}

TEST(Bincount, MatchesTorch) {
  Tensor bc = G()["bc"], w = G()["w32"];
  EXPECT_TRUE(same(bincount(bc), G()["bc_plain"]));
  EXPECT_TRUE(same(bincount(bc, {}, 10), G()["bc_minlen"]));
  EXPECT_TRUE(golden::close(bincount(bc, w), G()["bc_w32"], 1e-6));
  EXPECT_TRUE(golden::close(bincount(bc, w.to(kFloat64)), G()["bc_w64"], 1e-12));
  EXPECT_TRUE(same(bincount(bc, tensor({1, 2, 3, 4, 5, 6, 7})), G()["bc_wint"]));
  EXPECT_TRUE(same(bincount(bc.to(kUInt8)), G()["bc_u8"]));
  EXPECT_TRUE(same(bincount(empty({0}, kInt64), {}, 3), G()["bc_empty"]));
  EXPECT_TRUE(same(bincount(empty({0}, kInt64), empty({0}), 2), G()["bc_empty_w"]));
}

TEST(Histc, MatchesTorch) {
  Tensor hx = G()["hx"];
  EXPECT_TRUE(same(histc(hx, 3, 0, 3), G()["histc_3"]));
  EXPECT_TRUE(same(histc(hx, 5), G()["histc_auto"]));
  EXPECT_TRUE(same(histc(hx.to(kFloat64), 4, -1, 4), G()["histc_f64"]));
  EXPECT_TRUE(same(histc(hx.to(kBFloat16), 4, 0, 4), G()["histc_bf16"]));
  EXPECT_TRUE(same(histc(tensor({2.0f, 2.0f, 2.0f}), 4), G()["histc_const"]));
  EXPECT_TRUE(same(histc(empty({0}), 3), G()["histc_empty"]));
  // float16 (which PyTorch 1.13 lacks) bins like float32.
  EXPECT_TRUE(same(histc(hx.to(kFloat16), 3, 0, 3).to(kFloat32), G()["histc_3"]));
}

TEST(SortGrad, GradcheckOnNonContiguousAndExpandedInputs) {
  Tensor big = G()["big"].to(kFloat64);
  Tensor tr = big.transpose(0, 2).requires_grad_(true);                           // transposed leaf
  Tensor stepped = big.as_strided({4, 4, 2}, {35, 10, 2}, 1).requires_grad_(true);  // big[:, ::2, 1::2]
  Tensor row = big.reshape({-1}).as_strided({1, 6}, {6, 3}, 2).contiguous().requires_grad_(true);
  auto values = [](auto op) {
    return autograd::GradcheckFn([op](const tensor_list& in) { return tensor_list{op(in[0])}; });
  };
  auto sort_v = values([](const Tensor& t) { return std::get<0>(sort(t, 1, true)); });
  EXPECT_TRUE(autograd::gradcheck(sort_v, {tr}));
  EXPECT_TRUE(autograd::gradcheck(sort_v, {stepped}));
  EXPECT_TRUE(autograd::gradgradcheck(sort_v, {stepped}));
  EXPECT_TRUE(autograd::gradcheck(values([](const Tensor& t) { return std::get<0>(sort(t.expand({3, 6}), 1)); }),
                                  {row}));
  EXPECT_TRUE(autograd::gradcheck(values([](const Tensor& t) { return msort(t); }), {tr}));
  auto topk_v = values([](const Tensor& t) { return std::get<0>(topk(t, 2, 0, false)); });
  EXPECT_TRUE(autograd::gradcheck(topk_v, {tr}));
  EXPECT_TRUE(autograd::gradgradcheck(topk_v, {stepped}));
  EXPECT_TRUE(autograd::gradcheck(values([](const Tensor& t) { return std::get<0>(topk(t.expand({2, 6}), 3)); }),
                                  {row}));
  for (bool keep : {false, true}) {
    auto kth_v = values([keep](const Tensor& t) { return std::get<0>(kthvalue(t, 3, 1, keep)); });
    EXPECT_TRUE(autograd::gradcheck(kth_v, {stepped}));
    EXPECT_TRUE(autograd::gradgradcheck(kth_v, {tr}));
  }
  Tensor s0 = scalar_tensor(1.5, kFloat64).requires_grad_(true);
  EXPECT_TRUE(autograd::gradcheck(values([](const Tensor& t) { return std::get<0>(sort(t)); }), {s0}));
  EXPECT_TRUE(autograd::gradcheck(values([](const Tensor& t) { return std::get<0>(kthvalue(t, 1)); }), {s0}));
}

TEST(SortGrad, GradientGoesToTheSelectedPositions) {
  Tensor x = tensor({3.0, 1.0, 2.0}).requires_grad_(true);
  auto [v, i] = topk(x, 2);
  (v * tensor({10.0, 100.0})).sum().backward();
  EXPECT_TRUE(same(x.grad(), tensor({10.0, 0.0, 100.0})));
  EXPECT_FALSE(std::get<1>(sort(x)).requires_grad());
}

TEST(SortErrors, MessagesLikeTorch) {
  Tensor x = tensor({3.0f, 1.0f, 2.0f});
  expect_error<IndexError>([&] { sort(x, 1); }, "Dimension out of range (expected to be in range of [-1, 0], but got 1)");
  expect_error<Error>([&] { topk(x, 4); }, "selected index k out of range");
  expect_error<Error>([&] { topk(x, -1); }, "selected index k out of range");
  expect_error<Error>([&] { topk(tensor({true, false}), 1); }, "\"topk_cpu\" not implemented for 'Bool'");
  expect_error<Error>([&] { kthvalue(x, 0); }, "kthvalue(): selected number k out of range for dimension 0");
  expect_error<Error>([&] { kthvalue(x, 4); }, "kthvalue(): selected number k out of range for dimension 0");
  expect_error<IndexError>([&] { kthvalue(empty({0}), 1); }, "kthvalue(): Expected reduction dim 0 to have non-zero size.");
  expect_error<Error>([&] { kthvalue(tensor({true}), 1); }, "\"kthvalue_cpu\" not implemented for 'Bool'");
  expect_error<Error>([&] { searchsorted(zeros({2, 3}), zeros({3, 3})); },
                      "torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of "
                      "boundaries tensor and input value tensor must match, but we got boundaries tensor [2, 3] and "
                      "input value tensor [3, 3]");
  expect_error<Error>([&] { searchsorted(zeros({2, 3}), 1.0); },
                      "input value can be a scalar only when boundaries tensor dimension is 1, but we got boundaries "
                      "tensor dim(2) and input value's dim(0) numel(1)");
  expect_error<Error>([&] { searchsorted(x, x, false, false, "lft"); },
                      "torch.searchsorted(): side can only be 'left' or 'right' but got lft");
  expect_error<Error>([&] { searchsorted(x, x, false, true, "left"); },
                      "side and right can't be set to opposites, got side of left while right was True");
  expect_error<Error>([&] { searchsorted(x, x, false, false, std::nullopt, tensor({0, 1})); },
                      "torch.searchsorted(): boundary and sorter must have the same size");
  expect_error<Error>([&] { searchsorted(x, x, false, false, std::nullopt, tensor({0.0f, 1.0f, 2.0f})); },
                      "torch.searchsorted(): sorter must be a tensor of long dtype but got dtype Float");
  expect_error<Error>([&] { searchsorted(x, x, false, false, std::nullopt, tensor({0, 1, 5})); },
                      "sorter index out of range");
  expect_error<Error>([&] { searchsorted(scalar_tensor(1.0f), x); },
                      "torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension");
  expect_error<Error>([&] { searchsorted(tensor({false, true}), tensor({true})); },
                      "\"searchsorted_out_cpu\" not implemented for 'Bool'");
  expect_error<Error>([&] { bucketize(x, zeros({2, 2})); }, "boundaries tensor must be 1 dimension, but got dim(2)");
  expect_error<Error>([&] { bincount(x); }, "\"bincount_cpu\" not implemented for 'Float'");
  expect_error<Error>([&] { bincount(tensor({1, -1})); }, "bincount only supports 1-d non-negative integral inputs.");
  expect_error<Error>([&] { bincount(tensor({{1}})); }, "bincount only supports 1-d non-negative integral inputs.");
  expect_error<Error>([&] { bincount(tensor({1}), {}, -1); }, "minlength should be >= 0");
  expect_error<Error>([&] { bincount(tensor({1, 2}), tensor({1.0f, 2.0f, 3.0f})); },
                      "weights should be 1-d and have the same length as input");
  expect_error<Error>([&] { histc(x, -1); }, "torch.histogram(): bins must be > 0, but got -1 for dimension 0");
  expect_error<Error>([&] { histc(x, 3, 2, 1); }, "torch.histc: max must be larger than min");
  expect_error<Error>([&] { histc(tensor({1, 2}), 3); }, "\"histogram_cpu\" not implemented for 'Long'");
  expect_error<Error>([&] { histc(tensor({1.0f, NAN}), 3); }, "is not finite");
  expect_error<Error>([&] { histc(tensor({1.0f, INFINITY}), 3); }, "torch.histc: range of [1, inf] is not finite");
  expect_error<IndexError>([&] { unique(x, true, false, false, 1); }, "Dimension out of range");
  expect_error<IndexError>([&] { unique(scalar_tensor(1.0), true, false, false, 0); },
                           "Dimension specified as 0 but tensor has no dimensions");
  expect_error<Error>([&] { unique(empty({0, 3}), true, false, false, 1); },
                      "There are 0 sized dimensions, and they aren't selected, so unique cannot be applied");
}
