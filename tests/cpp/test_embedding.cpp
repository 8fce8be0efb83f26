// F.embedding and F.embedding_bag against PyTorch (tests/golden/gen_norm.py): values and weight
// gradients with padding_idx, scale_grad_by_freq, max_norm (the renormalised weight too), every bag
// mode with offsets, include_last_offset, 2-D input and per_sample_weights; float64 gradcheck; and
// PyTorch's errors.
#include <gtest/gtest.h>

#include <string>

#include <ember/ember.h>
#include <ember/nn/functional.h>

#include "golden.h"

using namespace ember;
namespace F = ember::nn::functional;
using autograd::gradcheck;

namespace {

const golden::File& G() {
  static golden::File f("norm");
  return f;
}

DType suffix_dtype(const std::string& s) { return s == "f64" ? kFloat64 : kFloat32; }

void expect_close(const Tensor& actual, const std::string& name, DType t) {
  SCOPED_TRACE(name);
  EXPECT_TRUE(golden::close(actual, G()[name], t == kFloat64 ? 1e-12 : 1e-6, t == kFloat64 ? 1e-12 : 1e-6));
}

void check(const std::string& name, const Tensor& y, DType t, const Tensor& w, const Tensor& psw = {}) {
  expect_close(y, name + ":out", t);
  y.backward(G()[name + ":gy"]);
  expect_close(w.grad(), name + ":dw", t);
  if (psw.defined()) expect_close(psw.grad(), name + ":dpsw", t);
}

Tensor weight(DType t, double scale = 1) { return (G()["emb:weight"].to(t) * scale).detach().requires_grad_(); }

template <class E, class Fn>
void expect_error(const Fn& fn, const std::string& message) {
  try {
    fn();
    ADD_FAILURE() << "no error; expected: " << message;
  } catch (const E& e) {
    EXPECT_EQ(std::string(e.what()), message);
  }
}

}  // namespace

TEST(Embedding, Values) {
  Tensor idx = G()["emb:idx"];
  for (std::string s : {"f64", "f32"}) {
    DType t = suffix_dtype(s);
    Tensor w = weight(t);
    check("emb_plain_" + s, F::embedding(idx, w), t, w);
    w = weight(t);
    check("emb_pad_" + s, F::embedding(idx, w, 2), t, w);
    w = weight(t);
    check("emb_padneg_" + s, F::embedding(idx, w, -1), t, w);
    w = weight(t);
    check("emb_freq_" + s, F::embedding(idx, w, std::nullopt, std::nullopt, 2.0, true), t, w);
    w = weight(t);
    check("emb_padfreq_" + s, F::embedding(idx, w, 0, std::nullopt, 2.0, true), t, w);
    // int32 indices pick the same rows.
    w = weight(t);
    check("emb_plain_" + s, F::embedding(idx.to(kInt32), w), t, w);
  }
}

TEST(Embedding, MaxNormRenormalisesInPlace) {
  Tensor idx = G()["emb:idx"];
  for (std::string s : {"f64", "f32"}) {
    DType t = suffix_dtype(s);
    Tensor w = weight(t, 2);
    uint32_t version = w._version();
    check("emb_maxnorm_" + s, F::embedding(idx, w, std::nullopt, 1.5), t, w);
    EXPECT_GT(w._version(), version);
    expect_close(w.detach(), "emb_maxnorm_" + s + ":renormed", t);
    w = weight(t, 2);
    check("emb_maxnorm1_" + s, F::embedding(idx, w, std::nullopt, 2.0, 1.0), t, w);
    expect_close(w.detach(), "emb_maxnorm1_" + s + ":renormed", t);
  }
}

// padding_idx and scale_grad_by_freq change the gradient on purpose (it is no longer the derivative),
// so finite differences check the plain lookup; the golden tests cover those two.
TEST(Embedding, Gradcheck) {
  Tensor w = randn({6, 3}, Generator(1), TensorOptions(kFloat64)).requires_grad_();
  Tensor idx = ember::tensor({{0, 5, 2}, {2, 2, 1}}, TensorOptions(kInt64));
  EXPECT_TRUE(gradcheck([&](const tensor_list& in) -> tensor_list { return {F::embedding(idx, in[0])}; }, {w}));
  EXPECT_TRUE(autograd::gradgradcheck(
      [&](const tensor_list& in) -> tensor_list { return {F::embedding(idx, in[0]) * F::embedding(idx, in[0])}; }, {w}));
}

TEST(Embedding, Errors) {
  Tensor w = randn({5, 2});
  expect_error<IndexError>([&] { F::embedding(ember::tensor({0, 5}, TensorOptions(kInt64)), w); },
                           "index out of range in self");
  expect_error<IndexError>([&] { F::embedding(ember::tensor({0, -1}, TensorOptions(kInt64)), w); },
                           "index out of range in self");
  expect_error<Error>([&] { F::embedding(ember::tensor({0.0, 1.0}), w); },
                      "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, "
                      "Int; but got torch.FloatTensor instead (while checking arguments for embedding)");
  expect_error<Error>([&] { F::embedding(ember::tensor({0, 1}, TensorOptions(kInt64)), w, 5); },
                      "Padding_idx must be within num_embeddings");
  expect_error<Error>([&] { F::embedding(ember::tensor({0, 1}, TensorOptions(kInt64)), w, -6); },
                      "Padding_idx must be within num_embeddings");
  expect_error<Error>([&] { F::embedding(ember::tensor({0, 1}, TensorOptions(kInt64)), randn({5})); },
                      "'weight' must be 2-D");
  EXPECT_THROW(F::embedding(ember::tensor({0, 1}, TensorOptions(kInt64)), w, std::nullopt, std::nullopt, 2, false, true),
               NotImplementedError);
  // max_norm with a bad index fails before renormalising anything.
  Tensor before = w.clone();
  EXPECT_THROW(F::embedding(ember::tensor({0, 9}, TensorOptions(kInt64)), w, std::nullopt, 0.1), IndexError);
  EXPECT_TRUE(golden::close(w, before, 0, 0));
}

TEST(EmbeddingBag, Modes) {
  Tensor in = G()["bag:in"], off = G()["bag:off"], off_last = G()["bag:off_last"], in2d = G()["bag:in2d"];
  for (std::string s : {"f64", "f32"}) {
    DType t = suffix_dtype(s);
    for (std::string mode : {"sum", "mean", "max"}) {
      SCOPED_TRACE(mode);
      Tensor w = weight(t);
      check("bag_" + mode + "_" + s, F::embedding_bag(in, w, off, std::nullopt, 2, false, mode), t, w);
      w = weight(t);
      check("bag_" + mode + "_pad_" + s,
            F::embedding_bag(in, w, off, std::nullopt, 2, false, mode, false, {}, false, 2), t, w);
      w = weight(t);
      check("bag_" + mode + "_last_" + s,
            F::embedding_bag(in, w, off_last, std::nullopt, 2, false, mode, false, {}, true), t, w);
      w = weight(t);
      check("bag_" + mode + "_2d_" + s, F::embedding_bag(in2d, w, {}, std::nullopt, 2, false, mode), t, w);
    }
    Tensor w = weight(t), psw = G()["bag:psw"].to(t).requires_grad_();
    check("bag_psw_" + s, F::embedding_bag(in, w, off, std::nullopt, 2, false, "sum", false, psw), t, w, psw);
    // The documented scaling (each row's gradient divided by its index's count), which PyTorch 1.13's
    // CPU kernel gets wrong (docs/DIFFERENCES.md); the values are PyTorch's own.
    w = weight(t);
    Tensor y = F::embedding_bag(in, w, off, std::nullopt, 2, true, "mean");
    expect_close(y.detach(), "bag_freq_" + s + ":torch113_out", t);
    check("bag_freq_" + s, y, t, w);
    w = weight(t, 2);
    check("bag_maxnorm_" + s, F::embedding_bag(in, w, off, 1.0, 2, false, "sum"), t, w);
  }
}

TEST(EmbeddingBag, Gradcheck) {
  Tensor w = randn({6, 3}, Generator(2), TensorOptions(kFloat64)).requires_grad_();
  Tensor psw = rand({7}, Generator(3), TensorOptions(kFloat64)).requires_grad_();
  Tensor in = ember::tensor({0, 5, 2, 2, 1, 3, 4}, TensorOptions(kInt64));
  Tensor off = ember::tensor({0, 2, 2, 5}, TensorOptions(kInt64));
  for (std::string mode : {"sum", "mean", "max"}) {
    SCOPED_TRACE(mode);
    EXPECT_TRUE(gradcheck(
        [&](const tensor_list& x) -> tensor_list {
          return {F::embedding_bag(in, x[0], off, std::nullopt, 2, false, mode, false, {}, false, 2)};
        },
        {w}));
  }
  EXPECT_TRUE(gradcheck(
      [&](const tensor_list& x) -> tensor_list {
        return {F::embedding_bag(in, x[0], off, std::nullopt, 2, false, "sum", false, x[1])};
      },
      {w, psw}));
}

TEST(EmbeddingBag, Errors) {
  Tensor w = randn({5, 2});
  Tensor in = ember::tensor({0, 1, 3}, TensorOptions(kInt64));
  Tensor off = ember::tensor({0, 2}, TensorOptions(kInt64));
  expect_error<ValueError>([&] { F::embedding_bag(ember::tensor({0, 1}, TensorOptions(kInt64)), w); },
                           "offsets has to be a 1D Tensor but got None");
  expect_error<Error>([&] { F::embedding_bag(in, w, ember::tensor({1, 1}, TensorOptions(kInt64))); },
                      "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start from position "
                      "0. However, got 1");
  expect_error<Error>([&] { F::embedding_bag(in, w, ember::tensor({0, 4}, TensorOptions(kInt64))); },
                      "offsets[-1] can not be greater than input's length 3 but got offsets[-1] of 4");
  expect_error<ValueError>([&] { F::embedding_bag(in, w, off, std::nullopt, 2, false, "foo"); },
                           "mode has to be one of sum, mean or max");
  expect_error<NotImplementedError>(
      [&] { F::embedding_bag(in, w, off, std::nullopt, 2, false, "max", false, ones({3})); },
      "embedding_bag: per_sample_weights was not None. per_sample_weights is only supported for mode='sum' (got "
      "mode='max'). Please open a feature request on GitHub.");
  expect_error<ValueError>([&] { F::embedding_bag(in, w, off, std::nullopt, 2, false, "sum", false, ones({2})); },
                           "embedding_bag: If per_sample_weights (torch.Size([2])) is not None, then it must have the "
                           "same shape as the input (torch.Size([3]))");
  expect_error<ValueError>([&] { F::embedding_bag(ember::tensor({{0, 1, 3}}, TensorOptions(kInt64)), w, off); },
                           "if input is 2D, then offsets has to be None, as input is treated is a mini-batch of fixed "
                           "length sequences. However, found offsets of type <class 'torch.Tensor'>");
  expect_error<ValueError>([&] { F::embedding_bag(in, w, ember::tensor({{0, 2}}, TensorOptions(kInt64))); },
                           "offsets has to be a 1D Tensor");
  expect_error<IndexError>([&] { F::embedding_bag(ember::tensor({0, 1, 6}, TensorOptions(kInt64)), w, off); },
                           "index out of range in self");
  // A failed call with max_norm leaves the weight as it was.
  Tensor before = w.clone();
  EXPECT_THROW(F::embedding_bag(in, w, ember::tensor({0, 4}, TensorOptions(kInt64)), 0.1), Error);
  EXPECT_THROW(F::embedding(in, w, std::nullopt, 0.1, 2, false, true), NotImplementedError);
  EXPECT_TRUE(golden::close(w, before, 0, 0));
}
