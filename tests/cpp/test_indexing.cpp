// libtorch's indexing syntax (t.index({...}), t.index_put_({...}, v), t[i]) against PyTorch's
// x[...] and x[...] = v: the patterns below are spelled the same way, in the same order, in
// tests/golden/gen_index.py.
#include "golden.h"

using namespace ember;
using namespace ember::indexing;

namespace {

Tensor i64(std::initializer_list<int64_t> v) { return tensor(std::vector<int64_t>(v)); }

std::vector<std::vector<TensorIndex>> patterns() {
  Tensor m3 = tensor({true, false, true});
  Tensor m34 = tensor({{true, false, true, false}, {false, false, false, true}, {true, true, false, false}});
  Tensor i2 = i64({1, 0, 1});
  Tensor i22 = tensor({{0, 1}, {1, 1}});
  return {
      {Slice(), 0},
      {Slice(1, None, 2)},
      {0, Slice(), Slice(1, 3)},
      {Ellipsis, 1},
      {None, 0, None, Ellipsis, None},
      {Slice(-2, None), Slice(None, -1), Slice(None, None, 3)},
      {i2},
      {Slice(), i2},
      {i2, Slice(), i64({1, 0, 1})},
      {Slice(), m3},
      {0, m34},
      {tensor({true, false})},
      {i22, None, Slice(), i22},
      {Ellipsis, i2, Slice(None, None, 2)},
      {1, Slice(), i22, None},
      {Slice(), Slice(), tensor({{1}, {0}, {1}}), i64({0, 4, -1})},
      {scalar_tensor(1, kInt64), Slice(0, 2)},
      {true, 0},
      {false},
      {Slice(), i2, 0, i64({-1, 2, 3})},
      {Slice(5, 1)},
      {Slice(-100, 100), "...", zeros({0}, kInt64)},
  };
}

// Patterns made only of ints, slices, None and Ellipsis give views.
bool is_basic(const std::vector<TensorIndex>& p) {
  for (const auto& i : p)
    if (i.is_boolean() || (i.is_tensor() && i.tensor().dim() > 0)) return false;
  return true;
}

}  // namespace

TEST(Indexing, PatternsMatchTorch) {
  golden::File g("index");
  auto pats = patterns();
  for (size_t k = 0; k < pats.size(); ++k) {
    for (const char* tag : {"c", "p"}) {  // contiguous and permuted sources
      SCOPED_TRACE("pattern " + std::to_string(k) + tag);
      Tensor src = std::string(tag) == "c" ? g["X"] : g["XPbase"].permute({3, 2, 1, 0});
      std::string name = "pat" + std::to_string(k) + "_" + tag;
      Tensor r = src.index(pats[k]);
      EXPECT_TRUE(golden::close(r, g[name], 0, 0));
      if (is_basic(pats[k]) && r.numel() > 0) {
        EXPECT_EQ(r.storage(), src.storage());
      }
      Tensor y = src.clone();
      y.index_put_(pats[k], -1.0);
      EXPECT_TRUE(golden::close(y, g[name + "_put_scalar"], 0, 0));
      y = src.clone();
      y.index_put_(pats[k], g[name + "_value"]);
      EXPECT_TRUE(golden::close(y, g[name + "_put_value"], 0, 0));
      if (g.has(name + "_bcast")) {
        y = src.clone();
        y.index_put_(pats[k], g[name + "_bcast"]);
        EXPECT_TRUE(golden::close(y, g[name + "_put_bcast"], 0, 0));
      }
    }
  }
  golden::File g2("index");
  EXPECT_TRUE(golden::close(index(g2["X"], {std::nullopt, i64({2, 0})}), g2["index_none"], 0, 0));
}

TEST(Indexing, ByteMasksActLikeBoolMasks) {
  golden::File g("index");
  Tensor x = g["X"];
  Tensor m = tensor({true, false, true});
  EXPECT_TRUE(golden::close(x.index({Slice(), m.to(kUInt8)}), x.index({Slice(), m}), 0, 0));
  EXPECT_TRUE(golden::close(x.index({Slice(), scalar_tensor(1, kUInt8)}), x.index({Slice(), true}), 0, 0));
}

TEST(Indexing, SubscriptAndViewsWriteThrough) {
  Tensor x = tensor({{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}});
  EXPECT_TRUE(golden::close(x[1], tensor({4.0, 5.0, 6.0})));
  EXPECT_TRUE(golden::close(x[-1][0], scalar_tensor(4.0)));
  x.index({Slice(), 1}).fill_(0);
  EXPECT_TRUE(golden::close(x, tensor({{1.0, 0.0, 3.0}, {4.0, 0.0, 6.0}})));
  // A leading size-1 dim of the value is dropped, as in PyTorch.
  x.index_put_({0}, ones({1, 3}));
  EXPECT_TRUE(golden::close(x[0], ones({3})));
  // Values of another dtype are cast when the target is a view (copy_), as PyTorch's copy_to.
  x.index_put_({1, Slice(0, 2)}, tensor({7, 8}));
  EXPECT_TRUE(golden::close(x[1], tensor({7.0, 8.0, 6.0})));
  // A lone bool is a view for index_put_ (a cast, no dtype check); false writes nothing and checks nothing.
  x.index_put_({true}, scalar_tensor(2, kInt64));
  x.index_put_({false}, ones({5}));
  EXPECT_TRUE(golden::close(x, full({2, 3}, 2.0)));
  Tensor u = zeros({2}, kUInt8);
  u.index_put_({0}, -1);
  EXPECT_EQ(u[0].item<int64_t>(), 255);
  x.index_put_({0, 0}, INFINITY);
  EXPECT_TRUE(std::isinf(x[0][0].item<double>()));
}

TEST(Indexing, EmptySlicesKeepPyTorchsStorageOffset) {
  Tensor x = zeros({4, 6});
  EXPECT_EQ(x.index({Slice(5, 1)}).storage_offset(), 24);
  EXPECT_EQ(x.index({Slice(), Slice(6, None)}).storage_offset(), 6);
  EXPECT_EQ(x.index({Slice(1, None), Slice(None, None, 2)}).index({Slice(), Slice(3, None)}).storage_offset(), 12);
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

TEST(Indexing, ErrorsMatchTorchAndLeaveInputsUnchanged) {
  Tensor x = tensor({{{0.0, 1.0, 2.0, 3.0}, {4.0, 5.0, 6.0, 7.0}, {8.0, 9.0, 10.0, 11.0}}});
  x = x.expand({2, 3, 4}).contiguous();
  Tensor before = x.clone();
  expect_error<IndexError>([&] { x.index({0, 0, 0, 0}); }, "too many indices for tensor of dimension 3");
  expect_error<IndexError>([&] { x.index({1, 5}); }, "index 5 is out of bounds for dimension 1 with size 3");
  expect_error<IndexError>([&] { x[2]; }, "index 2 is out of bounds for dimension 0 with size 2");
  expect_error<IndexError>([&] { scalar_tensor(5.0).index({0}); }, "invalid index of a 0-dim tensor.");
  expect_error<IndexError>([&] { scalar_tensor(5.0)[-1]; }, "index -1 is out of bounds for dimension 0 with size 0");
  expect_error<IndexError>([&] { x.index({None, Ellipsis, 9}); }, "index 9 is out of bounds for dimension 2 with size 4");
  expect_error<IndexError>([&] { zeros({2, 0}).index({Slice(), i64({0})}); },
                           "index is out of bounds for dimension with size 0");
  EXPECT_EQ(zeros({2, 0, 3}).index({i64({0}), Slice(), i64({5})}).sizes(), IntArrayRef({1, 0}));
  expect_error<IndexError>([&] { scalar_tensor(5.0).index({Slice()}); },
                           "slice() cannot be applied to a 0-dim tensor.");
  expect_error<IndexError>([&] { scalar_tensor(5.0).index({Slice(), None}); },
                           "too many indices for tensor of dimension 0");
  expect_error<ValueError>([&] { x.index({Slice(None, None, 0)}); }, "slice step cannot be zero");
  expect_error<ValueError>([&] { x.index({Slice(None, None, -1)}); }, "step must be greater than zero");
  expect_error<IndexError>([&] { x.index({Slice(), i64({7})}); }, "index 7 is out of bounds for dimension 0 with size 3");
  expect_error<IndexError>([&] { x.index({i64({0}), Slice(), i64({7})}); },
                           "index 7 is out of bounds for dimension 1 with size 4");
  expect_error<IndexError>([&] { x.index({tensor({{true, false, true}, {false, true, true}}), Slice(1, 3)}); },
                           "The shape of the mask [2, 3] at index 1 does not match the shape of the indexed tensor "
                           "[2, 2, 4] at index 1");
  expect_error<IndexError>([&] { x.index({i64({0}).to(kInt16)}); },
                           "tensors used as indices must be long, byte or bool tensors");
  expect_error<IndexError>([&] { x.index_put_({Slice(), i64({0, 9})}, 1.0); },
                           "index 9 is out of bounds for dimension 0 with size 3");
  expect_error<Error>([&] { x.index_put_({i64({0})}, ones({2}, kFloat32)); },
                      "shape mismatch: value tensor of shape [2] cannot be broadcast to indexing result of shape [1, 3, 4]");
  expect_error<Error>([&] { x.index_put_({0, Slice()}, ones({2})); }, "must match the existing size (2)");
  expect_error<Error>([&] { x.index_put_({i64({0})}, ones({4}, kFloat64)); },
                      "Index put requires the source and destination dtypes match");
  // A number must fit the dtype, as PyTorch's checked conversion (negative ints wrap into uint8).
  Tensor u = zeros({3}, kUInt8);
  expect_error<Error>([&] { u.index_put_({0}, 256); }, "value cannot be converted to type uint8_t without overflow");
  expect_error<Error>([&] { u.index_put_({i64({0})}, -1.0); }, "value cannot be converted to type uint8_t");
  expect_error<Error>([&] { zeros({2}, kInt64).index_put_({0}, NAN); }, "to type int64_t without overflow");
  expect_error<Error>([&] { x.index_put_({0}, 1e300); }, "value cannot be converted to type float without overflow");
  expect_error<Error>([&] { x.index_put_({Slice(), 1}, scalar_tensor(1e300, kFloat64)); },
                      "value cannot be converted to type float without overflow");
  EXPECT_TRUE(golden::close(x, before));
}

TEST(Indexing, IndexPutRefusesAValueThatSharesSelfsMemory) {
  Tensor x = arange(6.0);
  expect_error<Error>([&] { x.index_put_({i64({0, 1})}, x.index({Slice(4, 6)})); },
                      "some elements of the input tensor and the written-to tensor refer to a single memory location");
  expect_error<Error>([&] { x.index_put_({i64({1})}, x[0]); }, "refer to a single memory location");
  // Separate memory, a one-element value through a lone mask, or a value that is not dense all pass.
  x.index({Slice(0, 3)}).index_put_({i64({0, 1})}, x.index({Slice(4, 6)}));
  x.index_put_({tensor({true, false, false, false, false, false})}, x[5]);
  x.index_put_({i64({1, 3})}, x.index({Slice(None, None, 4)}));
  EXPECT_TRUE(golden::close(x, tensor({5.0f, 5.0f, 2.0f, 4.0f, 4.0f, 5.0f}), 0, 0));
}

TEST(Indexing, OneElementValueThroughASingleMaskIsCastLikeMaskedFill) {
  Tensor x = zeros({2, 3});
  Tensor m = tensor({true, false, true});
  x.index_put_({Slice(), m}, scalar_tensor(7, kInt64));
  x.index_put_({tensor({false, true})}, ones({1, 1, 1}, kFloat64));
  EXPECT_TRUE(golden::close(x, tensor({{7.0f, 0.0f, 7.0f}, {1.0f, 1.0f, 1.0f}}), 0, 0));
  expect_error<Error>([&] { zeros({3}, kUInt8).index_put_({m}, scalar_tensor(300, kInt64)); },
                      "value cannot be converted to type uint8_t without overflow");
  expect_error<IndexError>([&] { x.index_put_({Slice(), tensor({true, false})}, 1.0); },
                           "The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [2, 3] "
                           "at index 1");
  // The mask may cover several dims, with dims before and after it.
  Tensor y = zeros({2, 2, 3, 2});
  Tensor m23 = tensor({{true, false, false}, {false, false, true}});
  y.index_put_({Slice(), m23}, scalar_tensor(5.0, kFloat64));
  EXPECT_TRUE(golden::close(y.sum(), scalar_tensor(5.0f * 2 * 2 * 2), 0, 0));
  EXPECT_TRUE(golden::close(y.index({1, 1, 2}), full({2}, 5.0f), 0, 0));
  EXPECT_TRUE(golden::close(y.index({1, 1, 1}), zeros({2}), 0, 0));
  y = index_put(y, {std::nullopt, m23.to(kUInt8)}, scalar_tensor(7, kInt64));
  EXPECT_TRUE(golden::close(y.sum(), scalar_tensor(7.0f * 2 * 2 * 2), 0, 0));
  // With another index tensor, or several elements, the dtypes must match as usual.
  expect_error<Error>([&] { x.index_put_({i64({0}), m}, scalar_tensor(7, kInt64)); },
                      "Index put requires the source and destination dtypes match");
  expect_error<Error>([&] { x.index_put_({Slice(), m}, tensor({1, 2})); },
                      "Index put requires the source and destination dtypes match");
}

namespace {
Tensor noncontig(IntArrayRef sizes) {
  DimVector rev;
  for (size_t i = sizes.size(); i-- > 0;) rev.push_back(sizes[i]);
  int64_t n = 1;
  for (int64_t s : sizes) n *= s;
  std::vector<double> vals;
  for (int64_t i = 0; i < n; ++i) vals.push_back(std::cos(double(i) * 0.7) + double(i) * 1e-2);
  DimVector perm;
  for (int64_t d = int64_t(sizes.size()) - 1; d >= 0; --d) perm.push_back(d);
  return tensor(vals, kFloat64).view(rev).permute(perm).requires_grad_(true);
}
}  // namespace

TEST(Indexing, Gradcheck) {
  using autograd::gradcheck;
  using autograd::gradgradcheck;
  Tensor x = noncontig({2, 3, 4});
  ASSERT_FALSE(x.is_contiguous());
  Tensor m = tensor({{true, false, true, false}, {false, true, true, false}, {true, true, false, false}});
  std::vector<std::vector<TensorIndex>> pats = {
      {Slice(1, None), Slice(None, None, 2)},
      {Ellipsis, 1, None},
      {0, m},
      {i64({1, 0, 1}), Slice(), i64({3, -1, 0})},
      {Slice(), i64({2, 2, 0}), Slice(1, 3)},
  };
  for (size_t k = 0; k < pats.size(); ++k) {
    SCOPED_TRACE("pattern " + std::to_string(k));
    auto get = [&](const tensor_list& a) { return tensor_list{a[0].index(pats[k])}; };
    EXPECT_TRUE(gradcheck(get, {x}));
    EXPECT_TRUE(gradgradcheck(get, {x}));
  }
  // index_put_ through the syntax: gradients flow to the overwritten tensor (zero in the region) and
  // to the value (the region's gradient, summed over broadcast dims).
  Tensor v = noncontig({2, 2});
  std::vector<TensorIndex> put = {Slice(), i64({2, 0}), Slice(1, 3)};
  auto fn = [&](const tensor_list& a) {
    Tensor y = a[0] * 1.0;
    y.index_put_(put, a[1]);
    return tensor_list{y};
  };
  EXPECT_TRUE(gradcheck(fn, {x, v}));
  EXPECT_TRUE(gradgradcheck(fn, {x, v}));
  Tensor row = noncontig({1, 4});
  std::vector<TensorIndex> put2 = {1, Slice(0, 2)};
  auto fn2 = [&](const tensor_list& a) {
    Tensor y = a[0] * 1.0;
    y.index_put_(put2, a[1]);
    return tensor_list{y};
  };
  EXPECT_TRUE(gradcheck(fn2, {x, row}));
}
