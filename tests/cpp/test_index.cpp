// Index ops against PyTorch (tests/golden/gen_index.py) over every dtype, their error cases, and
// gradcheck of their derivatives on non-contiguous float64 inputs.
#include "golden.h"

using namespace ember;
using indexing::None;
using indexing::Slice;

namespace {

const DType kAll[] = {kFloat32, kFloat64, kFloat16, kBFloat16, kInt64, kInt32, kInt16, kInt8, kUInt8, kBool};

std::string nm(const char* op, DType dt) { return std::string(op) + "_" + std::string(dtype_name(dt)); }

Tensor i64(std::initializer_list<int64_t> v) { return tensor(std::vector<int64_t>(v)); }

struct Idx {
  Tensor sel = i64({2, 0, 2});
  Tensor gather = tensor({{0, 2, 1, 0}, {2, 2, 0, 1}});
  Tensor scatter = tensor({{0, 2, 0, 0}, {0, 2, 1, 0}});
  Tensor put0 = i64({0, -1, 0});
  Tensor put1 = i64({1, 3, 1});
  Tensor mask = tensor({{true, false, true, false}, {false, false, true, true}, {true, true, false, false}});
  Tensor take = tensor({{0, -1}, {5, 5}});
};

}  // namespace

TEST(Index, EveryDtypeMatchesTorch) {
  golden::File g("index");
  Idx I;
  for (DType dt : kAll) {
    SCOPED_TRACE(std::string(dtype_name(dt)));
    Tensor x = g[nm("x", dt)], xt = g[nm("xt", dt)].t().contiguous().t(), src = g[nm("src", dt)];
    ASSERT_FALSE(xt.is_contiguous());
    EXPECT_TRUE(golden::close(x.index_select(0, I.sel), g[nm("index_select0", dt)]));
    EXPECT_TRUE(golden::close(xt.index_select(1, I.sel.to(kInt32)), g[nm("index_select1_t", dt)]));
    EXPECT_TRUE(golden::close(x.gather(0, I.gather), g[nm("gather0", dt)]));
    EXPECT_TRUE(golden::close(xt.gather(1, tensor({{3, 0}, {1, 1}, {2, 3}})), g[nm("gather1_t", dt)]));
    EXPECT_TRUE(golden::close(x.scatter(0, I.scatter, src), g[nm("scatter", dt)]));
    EXPECT_TRUE(golden::close(x.scatter(0, I.scatter, 1), g[nm("scatter_value", dt)]));
    EXPECT_TRUE(golden::close(x.scatter_add(0, I.scatter, src), g[nm("scatter_add", dt)]));
    EXPECT_TRUE(golden::close(x.index_copy(0, i64({2, 0}), g[nm("index_copy_src", dt)]), g[nm("index_copy", dt)]));
    EXPECT_TRUE(golden::close(x.index_fill(1, i64({1, -1}), 1), g[nm("index_fill", dt)]));
    EXPECT_TRUE(golden::close(index_put(x, {I.put0, I.put1}, g[nm("put_values", dt)]), g[nm("index_put", dt)]));
    EXPECT_TRUE(golden::close(index(x, {I.put0, I.put1}), g[nm("index_get", dt)]));
    EXPECT_TRUE(golden::close(x.masked_select(I.mask), g[nm("masked_select", dt)]));
    EXPECT_TRUE(golden::close(x.masked_scatter(I.mask, g[nm("masked_source", dt)]), g[nm("masked_scatter", dt)]));
    EXPECT_TRUE(golden::close(x.nonzero(), g[nm("nonzero", dt)]));
    EXPECT_TRUE(golden::close(xt.take(I.take), g[nm("take", dt)]));
    EXPECT_TRUE(golden::close(x.take_along_dim(tensor({{0}, {2}, {1}}), 1), g[nm("take_along_dim", dt)]));
    EXPECT_TRUE(golden::close(x.take_along_dim(tensor({{0, 11}, {5, 5}})), g[nm("take_along_dim_flat", dt)]));
    if (dt == kBool) continue;
    double tol = dt == kFloat16 || dt == kBFloat16 ? 1e-2 : 1e-6;
    EXPECT_TRUE(golden::close(x.scatter(0, I.scatter, src, "add"), g[nm("scatter_add_reduce", dt)], tol));
    EXPECT_TRUE(golden::close(x.scatter(0, I.scatter, src, "multiply"), g[nm("scatter_mul_reduce", dt)], tol));
    EXPECT_TRUE(golden::close(x.index_add(0, I.sel, g[nm("index_add_src", dt)], 2), g[nm("index_add", dt)], tol));
    EXPECT_TRUE(golden::close(index_put(x, {I.put0, I.put1}, g[nm("put_values", dt)], true), g[nm("index_put_acc", dt)],
                              tol));
    for (const char* red : {"sum", "prod", "mean", "amax", "amin"})
      for (bool inc : {true, false}) {
        SCOPED_TRACE(std::string(red) + (inc ? " include_self" : ""));
        std::string name = std::string("scatter_reduce_") + red + "_" + (inc ? "1" : "0");
        EXPECT_TRUE(golden::close(x.scatter_reduce(0, I.scatter, src, red, inc), g[nm(name.c_str(), dt)], tol));
      }
  }
}

TEST(Index, PutMatchesTorch) {
  golden::File g("index");
  Tensor flat = tensor({{1, -1}, {5, 0}}), dup = i64({3, -1, 3, 0});
  for (DType dt : kAll) {
    SCOPED_TRACE(std::string(dtype_name(dt)));
    Tensor xt = g[nm("xt", dt)].t().contiguous().t(), source = g[nm("put_source", dt)];
    EXPECT_TRUE(golden::close(xt.put(flat, source), g[nm("put", dt)]));
    Tensor target = xt.clone().t().contiguous().t();
    EXPECT_TRUE(golden::close(target.put_(flat, source), g[nm("put", dt)]));
    EXPECT_TRUE(golden::close(target, g[nm("put", dt)]));
    if (dt == kBool) continue;
    EXPECT_TRUE(golden::close(put(xt, dup, source.flatten(), true), g[nm("put_acc", dt)]));
  }
  Tensor s = scalar_tensor(1.0);
  EXPECT_TRUE(golden::close(s.put(i64({0}), tensor({5.0f})), scalar_tensor(5.0)));
}

TEST(Index, FloatDetailsMatchTorch) {
  golden::File g("index");
  Tensor xf = g["x_float32"];
  EXPECT_TRUE(golden::close(xf.index_add(1, i64({0, 0, 3}), g["index_add_alpha_src"], 0.5), g["index_add_alpha_half"]));
  Tensor nan = tensor({5.0, std::nan(""), -1.0}).to(kFloat32);
  EXPECT_TRUE(golden::close(tensor({1.0, 2.0, 3.0}).to(kFloat32).scatter_reduce(0, i64({0, 0, 1}), nan, "amax"),
                            g["scatter_amax_nan"]));
  EXPECT_TRUE(golden::close(index_put(zeros({2}, kFloat16), {i64({0, 0, 0, 1})},
                                      tensor({0.1, 0.2, 0.3, 1000.0}).to(kFloat16), true),
                            g["index_put_acc_f16"]));
  EXPECT_TRUE(golden::close(index_put(zeros({3, 4}, kFloat64), {std::nullopt, i64({1, 1, 3})},
                                      ones({3, 3}, kFloat64) * tensor({1.0, 2.0, 3.0}), true),
                            g["index_put_none_acc"]));
}

TEST(Index, ZeroSizeAndZeroDim) {
  golden::File g("index");
  Tensor e = zeros({0, 3});
  EXPECT_TRUE(golden::close(e.index_select(1, i64({2, 2})), g["e_index_select"]));
  EXPECT_TRUE(golden::close(e.nonzero(), g["e_nonzero"]));
  EXPECT_TRUE(golden::close(e.gather(0, zeros({0, 2}, kInt64)), g["e_gather"]));
  EXPECT_TRUE(golden::close(ones({2, 3}).scatter_add(0, zeros({0, 3}, kInt64), ones({0, 3})), g["e_scatter_add"]));
  EXPECT_TRUE(golden::close(index_put(ones({2, 3}), {zeros({0}, kInt64)}, scalar_tensor(5.0)), g["e_index_put"]));
  EXPECT_TRUE(golden::close(e.masked_select(zeros({0, 3}, kBool)), g["e_masked_select"]));
  EXPECT_TRUE(golden::close(g["x_float32"].take_along_dim(tensor({{3, 0}}), 1), g["take_along_bcast"]));
  Tensor z = scalar_tensor(2.5);
  EXPECT_TRUE(golden::close(z.index_select(0, i64({0})), g["z_index_select"]));
  EXPECT_TRUE(golden::close(z.gather(0, scalar_tensor(0, kInt64)), g["z_gather"]));
  EXPECT_TRUE(golden::close(z.scatter(0, scalar_tensor(0, kInt64), scalar_tensor(7.0)), g["z_scatter"]));
  EXPECT_TRUE(golden::close(z.nonzero(), g["z_nonzero"]));
  EXPECT_TRUE(golden::close(z.take(i64({0, 0})), g["z_take"]));
  EXPECT_TRUE(golden::close(z.masked_select(tensor({true, false, true})), g["z_masked_select"]));
  EXPECT_TRUE(golden::close(tensor({{0, 1}, {2, 0}}).argwhere(), g["argwhere"]));
  auto cols = where(tensor({{0, 1}, {2, 0}}));
  ASSERT_EQ(cols.size(), 2u);
  EXPECT_TRUE(golden::close(cols[0], i64({0, 1})));
  EXPECT_TRUE(golden::close(cols[1], i64({1, 0})));
  auto zc = nonzero(scalar_tensor(3.0), true);
  ASSERT_EQ(zc.size(), 1u);
  EXPECT_TRUE(golden::close(zc[0], i64({0})));
}

TEST(Index, OneHot) {
  golden::File g("index");
  Tensor oh = tensor({{0, 3}, {1, 1}});
  EXPECT_TRUE(golden::close(nn::functional::one_hot(oh), g["one_hot_infer"]));
  EXPECT_TRUE(golden::close(nn::functional::one_hot(oh, 5), g["one_hot_5"]));
  EXPECT_TRUE(golden::close(nn::functional::one_hot(zeros({0}, kInt64), 3), g["one_hot_empty"]));
}

namespace {
template <class E, class F>
void expect_error(F f, const std::string& text) {
  try {
    f();
    ADD_FAILURE() << "expected an error containing: " << text;
  } catch (const E& e) {
    EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type for: " << e.what();
  }
}
}  // namespace

TEST(Index, ErrorsMatchTorchAndLeaveInputsUnchanged) {
  Tensor t = tensor({{0.0, 1.0, 2.0}, {3.0, 4.0, 5.0}}).to(kFloat32);
  Tensor before = t.clone();
  expect_error<IndexError>([&] { t.index_select(0, i64({5})); }, "index out of range in self");
  expect_error<IndexError>([&] { t.index_select(0, tensor({{0}})); }, "index_select(): Index is supposed to be a vector");
  expect_error<Error>([&] { t.index_select(0, tensor({0.0})); }, "index_select(): Expected dtype int32 or int64 for index");
  expect_error<Error>([&] { t.gather(0, i64({5})); },
                      "Index tensor must have the same number of dimensions as input tensor");
  expect_error<Error>([&] { t.gather(0, tensor({{5}})); }, "index 5 is out of bounds for dimension 0 with size 2");
  expect_error<Error>([&] { t.gather(0, tensor({{-1}})); }, "index -1 is out of bounds for dimension 0 with size 2");
  expect_error<Error>([&] { t.gather(0, tensor({{0, 0, 0, 0}})); },
                      "Size does not match at dimension 1 expected index [1, 4] to be smaller than self [2, 3] apart "
                      "from dimension 0");
  expect_error<Error>([&] { t.gather(0, tensor({{0}}).to(kInt32)); }, "gather(): Expected dtype int64 for index");
  expect_error<Error>([&] { t.scatter_(0, tensor({{0, 1}, {5, 0}}), ones({2, 2}, kFloat32)); },
                      "index 5 is out of bounds for dimension 0 with size 2");
  expect_error<Error>([&] { t.scatter_(0, tensor({{0, 0}}), ones({1, 1}, kFloat32)); },
                      "Expected index [1, 2] to be smaller than self [2, 3] apart from dimension 0 and to be smaller "
                      "size than src [1, 1]");
  expect_error<Error>([&] { t.scatter_(0, tensor({{0}}), ones({1, 1}, kFloat64)); },
                      "scatter(): Expected self.dtype to be equal to src.dtype");
  expect_error<Error>([&] { t.scatter_(0, tensor({{0}}), ones({1, 1}, kFloat32), "foo"); },
                      "reduce argument must be either add or multiply.");
  expect_error<Error>([&] { t.scatter_reduce_(0, tensor({{0}}), ones({1, 1}, kFloat32), "foo"); },
                      "reduce argument must be either sum, prod, mean, amax or amin.");
  expect_error<IndexError>([&] { t.index_add_(0, i64({5}), ones({1, 3}, kFloat32)); }, "index out of range in self");
  expect_error<Error>([&] { t.index_add_(0, i64({0}), ones({2, 3}, kFloat32)); },
                      "index_add_(): Number of indices (1) should be equal to source.size(dim): (2), for dim: 0");
  expect_error<Error>([&] { t.index_add_(0, i64({0}), ones({1, 3}, kFloat64)); },
                      "index_add_(): self (Float) and source (Double) must have the same scalar type");
  expect_error<IndexError>([&] { t.index_copy_(0, i64({1, 5}), ones({2, 3}, kFloat32)); },
                           "index_copy_(): index 5 is out of bounds for dimension 0 with size 2");
  expect_error<Error>([&] { t.index_copy_(0, i64({0}).to(kInt32), ones({1, 3}, kFloat32)); },
                      "index_copy_(): Expected a long tensor for index, but got Int");
  expect_error<IndexError>([&] { t.index_fill_(0, i64({1, 5}), 1); },
                           "index 5 is out of bounds for dimension 0 with size 2");
  expect_error<IndexError>([&] { t.index_fill_(0, i64({0}).to(kInt32), 1); },
                           "index_fill_(): Expected dtype int64 for index.");
  expect_error<Error>([&] { t.index_fill_(0, i64({0}), ones({2})); },
                      "index_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s).");
  expect_error<IndexError>([&] { index_put_(t, {i64({0, 5})}, scalar_tensor(1.0, kFloat32)); },
                           "index 5 is out of bounds for dimension 0 with size 2");
  expect_error<IndexError>([&] { index_put_(t, {i64({0}), i64({-4})}, scalar_tensor(1.0, kFloat32)); },
                           "index -4 is out of bounds for dimension 1 with size 3");
  expect_error<Error>([&] { index_put_(t, {i64({0})}, ones({2}, kFloat32)); },
                      "shape mismatch: value tensor of shape [2] cannot be broadcast to indexing result of shape [1, 3]");
  expect_error<Error>([&] { index_put_(t, {i64({0})}, ones({3}, kFloat64)); },
                      "Index put requires the source and destination dtypes match, got Float for the destination and "
                      "Double for the source.");
  expect_error<IndexError>([&] { index(t, {tensor({{0, 1}, {1, 0}}), i64({0, 2, 1})}); },
                           "shape mismatch: indexing tensors could not be broadcast together with shapes [2, 2], [3]");
  expect_error<IndexError>([&] { index(t, {i64({0}).to(kInt16)}); },
                           "tensors used as indices must be long, byte or bool tensors");
  expect_error<IndexError>([&] { index(t, {tensor({true, false, true})}); },
                           "The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [2, 3] at "
                           "index 0");
  expect_error<IndexError>([&] { index(t, {scalar_tensor(true, kBool)}); }, "a 0-dim bool index tensor");
  expect_error<IndexError>([&] { t.take(i64({10})); }, "out of range: tried to access index 10 on a tensor of 6 elements.");
  expect_error<IndexError>([&] { t.take(i64({-7})); }, "out of range: tried to access index -7 on a tensor of 6 elements.");
  expect_error<Error>([&] { t.take(i64({0}).to(kInt32)); }, "take(): Expected a long tensor for index, but got Int");
  expect_error<Error>([&] { t.put(tensor({1.0f}), tensor({1.0f})); }, "put_(): Expected a long tensor for index, but got Float");
  expect_error<Error>([&] { t.put(i64({0}), ones({1}, kFloat64)); },
                      "put_(): self and source expected to have the same dtype, but got self.dtype = Float and "
                      "source.dtype = Double");
  expect_error<IndexError>([&] { t.put(i64({1, 2}), tensor({1.0f})); },
                           "put_(): Expected source and index to have the same number of elements, but got "
                           "source.numel() = 1, index.numel() = 2");
  expect_error<IndexError>([&] { t.put_(i64({6}), tensor({1.0f})); }, "out of bounds");
  expect_error<Error>([&] { t.masked_scatter_(ones({2, 3}, kBool), ones({2}, kFloat32)); },
                      "Number of elements of source < number of ones in mask");
  expect_error<Error>([&] { t.masked_select(tensor({true, false})); },
                      "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1");
  expect_error<Error>([&] { t.take_along_dim(i64({0}), 0); },
                      "torch.take_along_dim(): input and indices should have the same number of dimensions, but got 2 "
                      "dimensions for input, and 1 dimensions for indices");
  expect_error<Error>([&] { nn::functional::one_hot(tensor({1.0})); }, "one_hot is only applicable to index tensor.");
  expect_error<Error>([&] { nn::functional::one_hot(i64({-1})); }, "Class values must be non-negative.");
  expect_error<Error>([&] { nn::functional::one_hot(i64({3}), 2); }, "Class values must be smaller than num_classes.");
  expect_error<Error>([&] { nn::functional::one_hot(zeros({0}, kInt64)); },
                      "Can not infer total number of classes from empty tensor.");
  EXPECT_TRUE(golden::close(t, before));
  // Negative indices are wrapped in a copy: the caller's index tensor is not written.
  Tensor neg = i64({-1, 0});
  index(t, {neg});
  t.take(neg);
  t.index_fill(0, neg, 1.0);
  EXPECT_TRUE(golden::close(neg, i64({-1, 0})));
}

TEST(Index, DuplicateAccumulationIsDeterministic) {
  // 200k values scattered into 3 slots: the same bits on every run.
  Tensor idx = (ones({200000}, kInt64) * 0);
  Tensor v = full({200000}, 0.1, kFloat32);
  Tensor a = index_put(zeros({3}, kFloat32), {idx}, v, true);
  for (int r = 0; r < 3; ++r) EXPECT_TRUE(golden::close(index_put(zeros({3}, kFloat32), {idx}, v, true), a, 0, 0));
  Tensor s = zeros({3}, kFloat32).scatter_add(0, idx, v);
  EXPECT_TRUE(golden::close(zeros({3}, kFloat32).scatter_add(0, idx, v), s, 0, 0));
}

namespace {
// A float64 tensor that is not contiguous: the transpose of a contiguous one.
Tensor noncontig(IntArrayRef sizes, double scale = 1.0) {
  DimVector rev;
  for (size_t i = sizes.size(); i-- > 0;) rev.push_back(sizes[i]);
  int64_t n = 1;
  for (int64_t s : sizes) n *= s;
  std::vector<double> vals;
  for (int64_t i = 0; i < n; ++i) vals.push_back(std::sin(double(i) * 1.3 + 0.2) * scale + double(i) * 1e-2);
  Tensor t = tensor(vals, kFloat64).view(rev);
  DimVector perm;
  for (int64_t d = int64_t(sizes.size()) - 1; d >= 0; --d) perm.push_back(d);
  return t.permute(perm).requires_grad_(true);
}
}  // namespace

TEST(Index, Gradcheck) {
  using autograd::gradcheck;
  using autograd::gradgradcheck;
  Tensor x = noncontig({3, 4}), src = noncontig({2, 4}, 2.0);
  ASSERT_FALSE(x.is_contiguous());
  Idx I;
  auto check = [&](auto fn, const tensor_list& in) {
    EXPECT_TRUE(gradcheck(fn, in));
    EXPECT_TRUE(gradgradcheck(fn, in));
  };
  check([&](const tensor_list& a) { return tensor_list{a[0].index_select(0, I.sel)}; }, {x});
  check([&](const tensor_list& a) { return tensor_list{a[0].gather(0, I.gather)}; }, {x});
  // Plain scatter and index_put overwrite: duplicate indices would make the derivative ill-defined.
  Tensor unique = tensor({{0, 2, 1, 0}, {1, 0, 2, 2}});
  check([&](const tensor_list& a) { return tensor_list{a[0].scatter(0, unique, a[1])}; }, {x, src});
  check([&](const tensor_list& a) { return tensor_list{a[0].scatter(0, I.scatter, 2.0)}; }, {x});
  check([&](const tensor_list& a) { return tensor_list{a[0].scatter_add(0, I.scatter, a[1])}; }, {x, src});
  for (const char* red : {"sum", "mean", "amax", "amin", "prod"})
    for (bool inc : {true, false}) {
      SCOPED_TRACE(std::string(red) + (inc ? " include_self" : ""));
      EXPECT_TRUE(gradcheck([&](const tensor_list& a) { return tensor_list{a[0].scatter_reduce(0, I.scatter, a[1], red, inc)}; },
                            {x, src}));
    }
  // prod with a zero in src: the slot's other factors still get a gradient.
  Tensor src0 = noncontig({2, 4}, 2.0).detach().clone();
  src0.index_put_({0, 1}, 0.0);
  src0.requires_grad_(true);
  for (bool inc : {true, false})
    EXPECT_TRUE(gradcheck([&](const tensor_list& a) { return tensor_list{a[0].scatter_reduce(0, I.scatter, a[1], "prod", inc)}; },
                          {x, src0}));
  // Inputs sliced with a step and expanded.
  Tensor big = noncontig({6, 4});
  check([&](const tensor_list& a) { return tensor_list{a[0].index({Slice(None, None, 2)}).index_select(1, I.sel)}; },
        {big});
  check([&](const tensor_list& a) { return tensor_list{a[0].index({Slice(1, None, 2)}).scatter_add(0, I.scatter, a[1])}; },
        {big, src});
  Tensor s3 = noncontig({3, 4}, 0.5);
  check([&](const tensor_list& a) { return tensor_list{a[0].index_add(0, I.sel, a[1], 1.5)}; }, {x, s3});
  Tensor s2 = noncontig({2, 4}, 0.5);
  check([&](const tensor_list& a) { return tensor_list{a[0].index_copy(0, i64({2, 0}), a[1])}; }, {x, s2});
  check([&](const tensor_list& a) { return tensor_list{a[0].index_fill(1, i64({1, -1}), 3.0)}; }, {x});
  Tensor v0 = scalar_tensor(0.7, kFloat64).requires_grad_(true);
  check([&](const tensor_list& a) { return tensor_list{a[0].index_fill(1, i64({1, -1}), a[1])}; }, {x, v0});
  // A repeated index fills its elements once: the value's gradient counts them once.
  check([&](const tensor_list& a) { return tensor_list{a[0].index_fill(1, i64({1, -3, 1}), a[1])}; }, {x, v0});
  Tensor pv = noncontig({3}, 1.0);
  check([&](const tensor_list& a) { return tensor_list{index_put(a[0], {I.put0, I.put1}, a[1], true)}; }, {x, pv});
  check([&](const tensor_list& a) { return tensor_list{index_put(a[0], {i64({0, -1, 1}), I.put1}, a[1], false)}; },
        {x, pv});
  check([&](const tensor_list& a) { return tensor_list{index(a[0], {std::nullopt, i64({3, 3, -4})})}; }, {x});
  check([&](const tensor_list& a) { return tensor_list{a[0].masked_select(I.mask)}; }, {x});
  Tensor row = noncontig({1, 4});
  check([&](const tensor_list& a) { return tensor_list{a[0].masked_select(I.mask)}; }, {row});
  Tensor msrc = noncontig({9}, 3.0);
  check([&](const tensor_list& a) { return tensor_list{a[0].masked_scatter(I.mask, a[1])}; }, {x, msrc});
  Tensor s0 = scalar_tensor(0.5, kFloat64).requires_grad_(true);
  check([&](const tensor_list& a) { return tensor_list{a[0].masked_scatter(scalar_tensor(true, kBool), a[1])}; },
        {s0, msrc});
  check([&](const tensor_list& a) { return tensor_list{a[0].take(I.take)}; }, {x});
  check([&](const tensor_list& a) { return tensor_list{a[0].take_along_dim(tensor({{0}, {2}, {1}}), 1)}; }, {x});
  check([&](const tensor_list& a) { return tensor_list{a[0].take_along_dim(tensor({{0, 11}, {5, 5}}))}; }, {x});
  Tensor xe = noncontig({1, 4});
  check([&](const tensor_list& a) { return tensor_list{a[0].expand({3, 4}).gather(0, I.gather)}; }, {xe});
  Tensor ps = noncontig({2, 2});
  check([&](const tensor_list& a) { return tensor_list{a[0].put(tensor({{1, -1}, {5, 0}}), a[1])}; }, {x, ps});
  check([&](const tensor_list& a) { return tensor_list{put(a[0], tensor({{3, -1}, {3, 0}}), a[1], true)}; }, {x, ps});
}

TEST(Index, InPlaceFormsMatchOutOfPlace) {
  golden::File g("index");
  Idx I;
  Tensor x = g["x_float64"], src = g["src_float64"];
  auto same = [](Tensor a, const Tensor& b) { return golden::close(a, b, 0, 0); };
  Tensor y = x.clone();
  uint32_t v0 = y._version();
  EXPECT_TRUE(same(y.scatter_(0, I.scatter, src), x.scatter(0, I.scatter, src)));
  EXPECT_GT(y._version(), v0);
  EXPECT_TRUE(same(x.clone().scatter_(0, I.scatter, 2.0, "multiply"), x.scatter(0, I.scatter, 2.0, "multiply")));
  EXPECT_TRUE(same(x.clone().scatter_add_(0, I.scatter, src), x.scatter_add(0, I.scatter, src)));
  EXPECT_TRUE(same(x.clone().scatter_reduce_(0, I.scatter, src, "amin", false),
                   x.scatter_reduce(0, I.scatter, src, "amin", false)));
  Tensor s3 = g["index_add_src_float64"];
  EXPECT_TRUE(same(x.clone().index_add_(0, I.sel, s3, -1), x.index_add(0, I.sel, s3, -1)));
  EXPECT_TRUE(same(x.clone().index_copy_(0, i64({2, 0}), src), x.index_copy(0, i64({2, 0}), src)));
  EXPECT_TRUE(same(x.clone().index_fill_(1, i64({-1}), scalar_tensor(4.0, kFloat64)), x.index_fill(1, i64({3}), 4.0)));
  Tensor m = g["masked_source_float64"];
  EXPECT_TRUE(same(x.clone().masked_scatter_(I.mask, m), x.masked_scatter(I.mask, m)));
  // A non-contiguous target is written through its strides.
  Tensor base = zeros({4, 3}, kFloat64);
  Tensor view = base.t();
  index_put_(view, {i64({0, 2})}, ones({4}, kFloat64), true);
  EXPECT_TRUE(same(base.index({indexing::Slice(), 0}), ones({4}, kFloat64)));
  EXPECT_TRUE(same(base.index({indexing::Slice(), 1}), zeros({4}, kFloat64)));
}

TEST(Index, InPlaceGradcheck) {
  Tensor x = noncontig({3, 4}), s3 = noncontig({3, 4}, 0.5), src = noncontig({2, 4});
  Idx I;
  auto fn = [&](const tensor_list& a) {
    Tensor y = a[0] * 1.0;
    y.index_add_(0, I.sel, a[1], 2.0);
    y.scatter_add_(0, I.scatter, a[2]);
    y.t().put_(i64({0, 7}), a[2].select(0, 1).narrow(0, 1, 2), true);
    return tensor_list{y};
  };
  EXPECT_TRUE(autograd::gradcheck(fn, {x, s3, src}));
  EXPECT_TRUE(autograd::gradgradcheck(fn, {x, s3, src}));
}

TEST(Index, LargeInputsTakeTheThreadedPathsCorrectly) {
  // Sizes above the kernels' grain, checked element by element against the formula that built them.
  const int64_t R = 400, C = 300;
  std::vector<double> xv;
  std::vector<int64_t> iv;
  for (int64_t i = 0; i < R; ++i)
    for (int64_t j = 0; j < C; ++j) {
      xv.push_back(double(i * 1000 + j));
      iv.push_back((i * 7 + j * 3) % C);
    }
  Tensor x = tensor(xv, kFloat64).view({R, C}).t().contiguous().t();  // non-contiguous (R, C)
  Tensor idx = tensor(iv).view({R, C});
  Tensor g = x.gather(1, idx).contiguous();
  Tensor s = x.index({indexing::Slice(), idx[0]}).contiguous();
  const double* pg = g.data_ptr<double>();
  const double* ps = s.data_ptr<double>();
  bool ok = true;
  for (int64_t i = 0; i < R && ok; ++i)
    for (int64_t j = 0; j < C && ok; ++j) {
      ok = pg[i * C + j] == double(i * 1000 + (i * 7 + j * 3) % C) && ps[i * C + j] == double(i * 1000 + (j * 3) % C);
    }
  EXPECT_TRUE(ok);
  Tensor m = x.masked_select(x > 150000.0);
  // Row 150 from column 1 on, then every later row, in row-major (logical) order.
  EXPECT_EQ(m.numel(), (C - 1) + (R - 151) * C);
  EXPECT_EQ(m[0].item<double>(), 150001.0);
  EXPECT_EQ(m[C - 1].item<double>(), 151000.0);
}

// Sizes above the parallel grain (32768 elements) on strided layouts, checked against values derived by
// hand: src[i][j] = 1000 i + j, so an element read through an index names the position it came from.
TEST(Index, LargeStridedGatherScatterIndexSelect) {
  const int64_t rows = 300, cols = 200;
  Tensor src = (arange(rows, TensorOptions(kFloat64)).unsqueeze(1) * 1000 + arange(cols, TensorOptions(kFloat64)))
                   .t().contiguous().t();  // (rows, cols) with column-major strides
  ASSERT_FALSE(src.is_contiguous());
  manual_seed(0);
  Tensor idx = stack(std::vector<Tensor>(size_t(rows), randperm(cols)), 0);  // (rows, cols), each row a permutation
  Tensor row_base = arange(rows, TensorOptions(kFloat64)).unsqueeze(1) * 1000;
  Tensor g = src.gather(1, idx);
  EXPECT_TRUE(equal(g, row_base + idx.to(kFloat64)));
  Tensor scattered = zeros({rows, cols}, kFloat64).t().contiguous().t().scatter_(1, idx, src);
  EXPECT_TRUE(equal(scattered.gather(1, idx), src));  // each row's permutation undone
  Tensor cols_picked = src.index_select(1, idx[0]);
  EXPECT_TRUE(equal(cols_picked, row_base + idx[0].to(kFloat64).unsqueeze(0)));
  Tensor added = zeros({rows, cols}, kFloat64).scatter_add(1, idx, ones({rows, cols}, kFloat64));
  EXPECT_TRUE(equal(added, ones({rows, cols}, kFloat64)));
}
