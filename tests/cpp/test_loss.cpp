// Losses against PyTorch (tests/golden/gen_loss.py): values and the gradients of a random upstream
// gradient for every reduction and option (weights, ignore_index, label smoothing, N-d inputs,
// probability targets, +-1e4 logits, CTC with padded and concatenated targets), float64 and float32;
// gradcheck in float64; PyTorch's error messages.
#include <gtest/gtest.h>

#include <functional>

#include <ember/ember.h>
#include <ember/nn/functional.h>

#include "golden.h"

using namespace ember;
namespace F = ember::nn::functional;
using autograd::gradcheck;

namespace {

const golden::File& gold() {
  static golden::File f("loss");
  return f;
}

using Fn = std::function<Tensor(const tensor_list&, std::string_view)>;
const std::optional<Tensor> kNone = std::nullopt;

std::vector<std::pair<std::string, Fn>> cases() {
  using L = const tensor_list&;
  using R = std::string_view;
  return {
      {"ce", [](L x, R r) { return F::cross_entropy(x[0], x[1], kNone, -100, r); }},
      {"ce_w", [](L x, R r) { return F::cross_entropy(x[0], x[1], x[2], -100, r); }},
      {"ce_ign", [](L x, R r) { return F::cross_entropy(x[0], x[1], kNone, 2, r); }},
      {"ce_ign100_w", [](L x, R r) { return F::cross_entropy(x[0], x[1], x[2], -100, r); }},
      {"ce_ls", [](L x, R r) { return F::cross_entropy(x[0], x[1], kNone, -100, r, 0.1); }},
      {"ce_ls_w_ign", [](L x, R r) { return F::cross_entropy(x[0], x[1], x[2], 2, r, 0.2); }},
      {"ce_ls_ign", [](L x, R r) { return F::cross_entropy(x[0], x[1], kNone, 2, r, 0.3); }},
      {"ce_nd", [](L x, R r) { return F::cross_entropy(x[0], x[1], x[2], 1, r); }},
      {"ce_nd_ls", [](L x, R r) { return F::cross_entropy(x[0], x[1], kNone, -100, r, 0.15); }},
      {"ce_3d", [](L x, R r) { return F::cross_entropy(x[0], x[1], kNone, -100, r); }},
      {"ce_prob", [](L x, R r) { return F::cross_entropy(x[0], x[1], kNone, -100, r); }},
      {"ce_prob_w_ls", [](L x, R r) { return F::cross_entropy(x[0], x[1], x[2], -100, r, 0.1); }},
      {"ce_ext", [](L x, R r) { return F::cross_entropy(x[0], x[1], kNone, -100, r); }},
      {"nll", [](L x, R r) { return F::nll_loss(x[0], x[1], kNone, -100, r); }},
      {"nll_w_ign", [](L x, R r) { return F::nll_loss(x[0], x[1], x[2], 2, r); }},
      {"nll_nd", [](L x, R r) { return F::nll_loss(x[0], x[1], x[2], -100, r); }},
      {"ce_1d", [](L x, R) { return F::cross_entropy(x[0], x[1]); }},
      {"ce_1d_prob", [](L x, R) { return F::cross_entropy(x[0], x[1]); }},
      {"nll_all_ignored", [](L x, R) { return F::nll_loss(x[0], x[1], kNone, 2); }},
      {"bce", [](L x, R r) { return F::binary_cross_entropy(x[0], x[1], kNone, r); }},
      {"bce_int", [](L x, R r) { return F::binary_cross_entropy(x[0], x[1], x[2], r); }},
      {"bcel", [](L x, R r) { return F::binary_cross_entropy_with_logits(x[0], x[1], kNone, r); }},
      {"bcel_w_pw", [](L x, R r) { return F::binary_cross_entropy_with_logits(x[0], x[1], x[2], r, x[3]); }},
      {"mse", [](L x, R r) { return F::mse_loss(x[0], x[1], r); }},
      {"l1", [](L x, R r) { return F::l1_loss(x[0], x[1], r); }},
      {"smooth_l1", [](L x, R r) { return F::smooth_l1_loss(x[0], x[1], r); }},
      {"smooth_l1_b05", [](L x, R r) { return F::smooth_l1_loss(x[0], x[1], r, 0.5); }},
      {"smooth_l1_b0", [](L x, R r) { return F::smooth_l1_loss(x[0], x[1], r, 0.0); }},
      {"huber", [](L x, R r) { return F::huber_loss(x[0], x[1], r); }},
      {"huber_d2", [](L x, R r) { return F::huber_loss(x[0], x[1], r, 2.0); }},
      {"soft_margin", [](L x, R r) { return F::soft_margin_loss(x[0], x[1], r); }},
      {"kl", [](L x, R r) { return F::kl_div(x[0], x[1], r); }},
      {"kl_log", [](L x, R r) { return F::kl_div(x[0], x[1], r, true); }},
      {"kl_batchmean", [](L x, R) { return F::kl_div(x[0], x[1], "batchmean"); }},
      {"poisson", [](L x, R r) { return F::poisson_nll_loss(x[0], x[1], true, false, 1e-8, r); }},
      {"poisson_full", [](L x, R r) { return F::poisson_nll_loss(x[0], x[1], false, true, 1e-8, r); }},
      {"gauss", [](L x, R r) { return F::gaussian_nll_loss(x[0], x[1], x[2], false, 1e-6, r); }},
      {"gauss_full_drop", [](L x, R r) { return F::gaussian_nll_loss(x[0], x[1], x[2], true, 1e-6, r); }},
      {"gauss_last1_eps", [](L x, R r) { return F::gaussian_nll_loss(x[0], x[1], x[2], false, 0.3, r); }},
      {"cosine", [](L x, R r) { return F::cosine_embedding_loss(x[0], x[1], x[2], 0.2, r); }},
      {"cosine_1d", [](L x, R) { return F::cosine_embedding_loss(x[0], x[1], x[2]); }},
      {"ranking", [](L x, R r) { return F::margin_ranking_loss(x[0], x[1], x[2], 0.3, r); }},
      {"hinge", [](L x, R r) { return F::hinge_embedding_loss(x[0], x[1], 0.7, r); }},
      {"triplet", [](L x, R r) { return F::triplet_margin_loss(x[0], x[1], x[2], 1.0, 2, 1e-6, false, r); }},
      {"triplet_p1_swap", [](L x, R r) { return F::triplet_margin_loss(x[0], x[1], x[2], 2.0, 1, 1e-6, true, r); }},
      {"mlsm", [](L x, R r) { return F::multilabel_soft_margin_loss(x[0], x[1], x[2], r); }},
      {"mm", [](L x, R r) { return F::multi_margin_loss(x[0], x[1], 1, 1.0, kNone, r); }},
      {"mm_p2_w", [](L x, R r) { return F::multi_margin_loss(x[0], x[1], 2, 0.5, x[2], r); }},
      {"mlm", [](L x, R r) { return F::multilabel_margin_loss(x[0], x[1], r); }},
      {"mlm_1d", [](L x, R) { return F::multilabel_margin_loss(x[0], x[1]); }},
      {"ctc", [](L x, R r) { return F::ctc_loss(x[0], x[1], x[2], x[3], 0, r); }},
      {"ctc_cat", [](L x, R r) { return F::ctc_loss(x[0], x[1], x[2], x[3], 0, r); }},
      {"ctc_blank4", [](L x, R r) { return F::ctc_loss(x[0], x[1], x[2], x[3], 4, r); }},
      {"ctc_zero_inf", [](L x, R) { return F::ctc_loss(x[0], x[1], x[2], x[3], 0, "none", true); }},
      {"ctc_unbatched", [](L x, R) { return F::ctc_loss(x[0], x[1], x[2], x[3]); }},
  };
}

// Runs one stored case; returns false when the golden file lacks it.
bool run(const std::string& key, const Fn& fn, std::string_view reduction) {
  if (!gold().has(key + "|y")) return false;
  SCOPED_TRACE(key);
  tensor_list in;
  for (int i = 0; gold().has(key + "|in" + std::to_string(i)); ++i) {
    const std::string k = key + "|in" + std::to_string(i);
    Tensor t = gold()[k];
    if (gold().has(key + "|d" + std::to_string(i))) t.requires_grad_();
    in.push_back(t);
  }
  Tensor y = fn(in, reduction);
  Tensor expected = gold()[key + "|y"];
  const bool f64 = expected.dtype() == kFloat64;
  const double rtol = f64 ? 1e-10 : 2e-5, atol = f64 ? 1e-12 : 2e-6;
  EXPECT_TRUE(golden::close(y, expected, rtol, atol));
  tensor_list diff;
  std::vector<int> idx;
  for (size_t i = 0; i < in.size(); ++i)
    if (in[i].requires_grad()) diff.push_back(in[i]), idx.push_back(int(i));
  if (diff.empty()) return true;
  tensor_list grads = autograd::grad({y}, diff, {gold()[key + "|g"]}, std::nullopt, false, true);
  for (size_t j = 0; j < diff.size(); ++j) {
    const std::string dk = key + "|d" + std::to_string(idx[j]);
    Tensor got = grads[j].defined() ? grads[j] : zeros_like(diff[j]);
    EXPECT_TRUE(golden::close(got, gold()[dk], rtol, atol)) << dk;
  }
  return true;
}

Tensor leaf64(IntArrayRef shape, uint64_t seed, double scale = 1.0) {
  Generator g(seed);
  return (randn(shape, g, TensorOptions().dtype(kFloat64)) * scale).requires_grad_();
}

std::string msg(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(Loss, Golden) {
  int ran = 0;
  for (auto& [name, fn] : cases())
    for (const char* dt : {"float64", "float32"}) {
      int before = ran;
      for (const char* r : {"none", "mean", "sum"})
        ran += run(name + "|" + r + "|" + dt, fn, r);
      if (ran == before) {
        const bool found = run(name + "|" + dt, fn, "mean");
        EXPECT_TRUE(found) << "no golden case " << name << "|" << dt;
        ran += found;
      }
    }
  EXPECT_GT(ran, 250);
}

TEST(Loss, Gradcheck) {
  Tensor x = leaf64({3, 4}, 1, 2.0);
  Tensor t = ember::tensor({0, 3, 2});
  Tensor w = ember::tensor({0.5, 1.0, 2.0, 1.5}, kFloat64);
  using L = const tensor_list&;
  auto gc = [](const std::function<Tensor(L)>& f, const tensor_list& in) {
    return gradcheck([&](L i) -> tensor_list { return {f(i)}; }, in);
  };
  for (const char* r : {"none", "mean", "sum"}) {
    SCOPED_TRACE(r);
    EXPECT_TRUE(gc([&](L i) { return F::cross_entropy(i[0], t, w, 2, r, 0.1); }, {x}));
    EXPECT_TRUE(gc([&](L i) { return F::nll_loss(F::log_softmax(i[0], 1), t, w, -100, r); }, {x}));
    EXPECT_TRUE(gc([&](L i) { return F::cross_entropy(i[0], F::softmax(i[1], 1), w, -100, r, 0.2); },
                   {x, leaf64({3, 4}, 2)}));
    EXPECT_TRUE(gc([&](L i) { return F::binary_cross_entropy(i[0].sigmoid(), i[1].sigmoid(), w, r); },
                   {x, leaf64({3, 4}, 3)}));
    EXPECT_TRUE(gc([&](L i) { return F::binary_cross_entropy_with_logits(i[0], i[1].sigmoid(), w, r, w * 2); },
                   {x, leaf64({3, 4}, 4)}));
    EXPECT_TRUE(gc([&](L i) { return F::smooth_l1_loss(i[0], i[1], r, 0.7); }, {x, leaf64({3, 4}, 5)}));
    EXPECT_TRUE(gc([&](L i) { return F::huber_loss(i[0], i[1], r, 0.7); }, {x, leaf64({3, 4}, 5)}));
    EXPECT_TRUE(gc([&](L i) { return F::mse_loss(i[0], i[1], r) + F::l1_loss(i[0], i[1], r); }, {x, leaf64({3, 4}, 6)}));
    EXPECT_TRUE(gc([&](L i) { return F::kl_div(F::log_softmax(i[0], 1), F::softmax(i[1], 1), r); }, {x, leaf64({3, 4}, 7)}));
    EXPECT_TRUE(gc([&](L i) { return F::poisson_nll_loss(i[0], i[1].exp(), true, false, 1e-8, r); },
                   {x, leaf64({3, 4}, 8)}));
    EXPECT_TRUE(gc([&](L i) { return F::gaussian_nll_loss(i[0], i[1], i[2].exp(), true, 1e-6, r); },
                   {x, leaf64({3, 4}, 9), leaf64({3, 4}, 10)}));
    Tensor s = ember::tensor({1.0, -1.0, -1.0}, kFloat64);
    EXPECT_TRUE(gc([&](L i) { return F::cosine_embedding_loss(i[0], i[1], s, 0.1, r); }, {x, leaf64({3, 4}, 11)}));
    EXPECT_TRUE(gc([&](L i) { return F::margin_ranking_loss(i[0], i[1], s, 0.1, r); }, {leaf64({3}, 12), leaf64({3}, 13)}));
    EXPECT_TRUE(gc([&](L i) { return F::triplet_margin_loss(i[0], i[1], i[2], 3.0, 2, 1e-6, true, r); },
                   {x, leaf64({3, 4}, 14), leaf64({3, 4}, 15)}));
    EXPECT_TRUE(gc([&](L i) { return F::multilabel_soft_margin_loss(i[0], (s > 0).to(kFloat64).unsqueeze(1).expand({3, 4}), w, r); },
                   {x}));
    EXPECT_TRUE(gc([&](L i) { return F::multi_margin_loss(i[0], t, 2, 1.0, w, r); }, {x}));
    EXPECT_TRUE(gc([&](L i) { return F::hinge_embedding_loss(i[0], s.unsqueeze(1).expand({3, 4}), 0.8, r); }, {x}));
    EXPECT_TRUE(gc([&](L i) { return F::soft_margin_loss(i[0], s.unsqueeze(1).expand({3, 4}), r); }, {x}));
  }
  // Double backward of the fused cross_entropy (log_softmax's composite backward and nll_loss's
  // linear one) for every reduction, weights and an ignored target.
  for (const char* r : {"none", "mean", "sum"})
    EXPECT_TRUE(autograd::gradgradcheck(
        [&](L i) -> tensor_list { return {F::cross_entropy(i[0], t, w, 2, r, 0.1)}; }, {x}));
  // CTC: PyTorch's gradient assumes log_probs come from log_softmax, so it is checked through one.
  Tensor logits = leaf64({6, 2, 4}, 20, 1.5);
  Tensor tg = ember::tensor({{1, 1, 2}, {3, 0, 0}});
  for (const char* r : {"none", "mean", "sum"})
    EXPECT_TRUE(gc([&](L i) { return F::ctc_loss(F::log_softmax(i[0], 2), tg, {6, 4}, {3, 1}, 0, r); }, {logits}));
}

TEST(Loss, CrossEntropySegmentationSized) {
  // [N, C, H, W] with N * H * W above the kernels' threading grain: the fused loss and gradient equal
  // -log_softmax picked at the targets (a gather, a different code path), with ignored pixels.
  Generator g(4);
  Tensor x = randn({3, 2, 64, 192}, g).requires_grad_();
  Tensor t = randint(0, 2, {3, 64, 192}, g);
  t.masked_fill_(rand({3, 64, 192}, g) < 0.1, -100);
  Tensor loss = F::cross_entropy(x, t);
  Tensor keep = t != -100;
  Tensor picked = log_softmax(x.detach(), 1).gather(1, t.clamp_min(0).unsqueeze(1)).squeeze(1);
  Tensor expected = -(picked * keep.to(kFloat32)).sum() / keep.sum().to(kFloat32);
  EXPECT_NEAR(loss.item<double>(), expected.item<double>(), 1e-5);
  loss.backward();
  Tensor onehot = F::one_hot(t.clamp_min(0), 2).permute({0, 3, 1, 2}).to(kFloat32);
  Tensor dx = (softmax(x.detach(), 1) - onehot) * keep.unsqueeze(1).to(kFloat32) / keep.sum().to(kFloat32);
  EXPECT_TRUE(golden::close(x.grad(), dx, 1e-4, 1e-9));
}

TEST(Loss, CrossEntropyFusedBackwardIsTheTwoKernelsBitForBit) {
  // Class-index cross_entropy records one node whose backward fuses nll_loss's backward into
  // log_softmax's; its gradient must be theirs exactly (and so PyTorch's, which the goldens check).
  using L = const tensor_list&;
  Generator g(11);
  for (DType dt : {kFloat32, kFloat64})
    for (const char* r : {"none", "mean", "sum"})
      for (bool weighted : {false, true})
        for (int64_t ignore : {int64_t(-100), int64_t(2)}) {
          SCOPED_TRACE(std::string(dtype_title(dt)) + " " + r + (weighted ? " weighted" : "") + " ignore " +
                       std::to_string(ignore));
          Tensor x = (randn({37, 5}, g) * 3).to(dt);
          Tensor t = randint(0, 5, {37}, g);
          std::optional<Tensor> w;
          if (weighted) w = (rand({5}, g) + 0.5).to(dt);
          Tensor up = randn({37}, g).to(dt);
          auto grad_of = [&](const std::function<Tensor(const Tensor&)>& f) {
            Tensor xi = x.detach().requires_grad_();
            Tensor loss = f(xi);
            loss.backward(std::string(r) == "none" ? up : Tensor());
            return xi.grad();
          };
          Tensor fused = grad_of([&](const Tensor& xi) { return F::cross_entropy(xi, t, w, ignore, r); });
          Tensor two = grad_of([&](const Tensor& xi) { return F::nll_loss(F::log_softmax(xi, 1), t, w, ignore, r); });
          EXPECT_TRUE(equal(fused, two));
          Tensor xi = x.detach().requires_grad_();
          EXPECT_EQ(F::cross_entropy(xi, t, w, ignore, r).grad_fn()->name(), "CrossEntropyLossBackward0");
        }
  // A single sample (1-D input, 0-dim target), and the first and second derivatives through the
  // fused node, weights and an ignored target included.
  Tensor x1 = leaf64({4}, 30, 2.0);
  for (const char* r : {"none", "mean", "sum"}) {
    SCOPED_TRACE(r);
    Tensor t0 = ember::tensor(int64_t(3));
    EXPECT_TRUE(autograd::gradgradcheck([&](L i) -> tensor_list { return {F::cross_entropy(i[0], t0, kNone, -100, r)}; },
                                        {x1}));
    Tensor x = leaf64({3, 4}, 31, 2.0);
    Tensor t = ember::tensor({0, 3, 2});
    Tensor w = ember::tensor({0.5, 1.0, 2.0, 1.5}, kFloat64);
    EXPECT_TRUE(autograd::gradgradcheck([&](L i) -> tensor_list { return {F::cross_entropy(i[0], t, w, 2, r)}; }, {x}));
  }
}

TEST(Loss, CtcDoubleBackwardRaises) {
  Tensor lp = log_softmax(randn({5, 1, 3}), 2).detach().requires_grad_();
  Tensor loss = F::ctc_loss(lp, ember::tensor({{1, 2}}), {5}, {2});
  Tensor g = autograd::grad({loss}, {lp}, {}, std::nullopt, true)[0];
  EXPECT_THROW(g.sum().backward(), NotImplementedError);
}

TEST(Loss, CrossEntropyStableAndFusedMatch) {
  // +-1e4 logits in float32: finite loss and gradient; the gradient is softmax - onehot.
  Tensor x = ember::tensor({{1e4f, -1e4f, 0.0f}, {0.0f, 0.0f, 0.0f}}).requires_grad_();
  Tensor t = ember::tensor({1, 2});
  Tensor loss = F::cross_entropy(x, t);
  EXPECT_NEAR(loss.item<double>(), (2e4 + std::log(3.0)) / 2, 1e-2);
  loss.backward();
  Tensor expected = (softmax(x.detach(), 1) - F::one_hot(t, 3).to(kFloat32)) / 2;
  EXPECT_TRUE(golden::close(x.grad(), expected, 1e-6, 1e-7));
}

TEST(Loss, Errors) {
  Tensor x = randn({3, 4});
  EXPECT_EQ(msg([&] { F::nll_loss(x, ember::tensor({0, 1, 5})); }), "Target 5 is out of bounds.");
  EXPECT_THROW(F::cross_entropy(x, ember::tensor({0, 1, -2})), IndexError);
  EXPECT_EQ(msg([&] { F::nll_loss(x, ember::tensor({0, 1, 2}, TensorOptions().dtype(kInt32))); }),
            "expected scalar type Long but found Int");
  EXPECT_EQ(msg([&] { F::nll_loss(x, ember::tensor({0, 1})); }),
            "Expected input batch_size (3) to match target batch_size (2).");
  EXPECT_THROW(F::nll_loss(x, ember::tensor({0, 1})), ValueError);
  EXPECT_EQ(msg([&] { F::nll_loss(x, ember::tensor({0, 1, 2}), ones({3})); }),
            "weight tensor should be defined either for all 4 classes or no classes but got weight tensor of shape: [3]");
  EXPECT_EQ(msg([&] { F::cross_entropy(x, randn({3, 5})); }), "0D or 1D target tensor expected, multi-target not supported");
  EXPECT_EQ(msg([&] { F::cross_entropy(randn({2, 3, 4}), zeros({2, 5}, TensorOptions().dtype(kInt64))); }),
            "Expected target size [2, 4], got [2, 5]");
  EXPECT_EQ(msg([&] { F::cross_entropy(x, ember::tensor({0, 1, 2}), kNone, -100, "mean", 1.5); }),
            "label_smoothing must be between 0.0 and 1.0. Got: 1.5");
  EXPECT_EQ(msg([&] { F::cross_entropy(x, rand({3, 4}), kNone, 1); }),
            "ignore_index is not supported for floating point target");
  EXPECT_EQ(msg([&] { F::binary_cross_entropy(rand({3}), rand({3, 1})); }),
            "Using a target size (torch.Size([3, 1])) that is different to the input size (torch.Size([3])) is "
            "deprecated. Please ensure they have the same size.");
  EXPECT_EQ(msg([&] { F::binary_cross_entropy(ember::tensor({1.5f}), rand({1})); }),
            "all elements of input should be between 0 and 1");
  EXPECT_EQ(msg([&] { F::binary_cross_entropy_with_logits(rand({3}), rand({4})); }),
            "Target size (torch.Size([4])) must be the same as input size (torch.Size([3]))");
  EXPECT_EQ(msg([&] { F::mse_loss(rand({3}), rand({3}), "foo"); }), "foo is not a valid value for reduction");
  EXPECT_THROW(F::kl_div(rand({3}), rand({3}), "foo"), ValueError);
  Tensor lp = log_softmax(randn({5, 2, 4}), 2);
  EXPECT_EQ(msg([&] { F::ctc_loss(lp, ember::tensor({{1, 2}, {1, 2}}), {6, 5}, {2, 2}); }),
            "Expected input_lengths to have value at most 5, but got value 6 (while checking arguments for ctc_loss_cpu)");
  EXPECT_EQ(msg([&] { F::ctc_loss(lp, ember::tensor({{1, 2}, {1, 2}}), {5, 5}, {3, 2}); }),
            "Expected tensor to have size at least 3 at dimension 1, but got size 2 for argument #2 'targets' (while "
            "checking arguments for ctc_loss_cpu)");
  EXPECT_THROW(F::ctc_loss(lp, ember::tensor({{1, 2}, {1, 4}}), {5, 5}, {2, 2}), IndexError);
  EXPECT_EQ(msg([&] { F::multi_margin_loss(x, ember::tensor({0, 1, 2}), 3); }), "only p == 1 and p == 2 supported");
  EXPECT_EQ(msg([&] { F::multilabel_margin_loss(x, ember::tensor({{0, 1}})); }),
            "inconsistent size [1, 2] for argument #2 'target'");
  EXPECT_EQ(msg([&] { F::multilabel_margin_loss(ember::randn({2, 3}), ember::tensor({{0, 3, -1}, {0, 1, 2}})); }),
            "argument #2 'target' is out of range");
  EXPECT_EQ(msg([&] { F::gaussian_nll_loss(x, rand({3, 4}), rand({3, 2})); }), "var is of incorrect size");
  EXPECT_EQ(msg([&] { F::gaussian_nll_loss(x, rand({3, 4}), -rand({3, 4})); }), "var has negative entry/entries");
  EXPECT_EQ(msg([&] { F::huber_loss(x, rand({3, 4}), "mean", -1); }),
            "huber_loss does not support non-positive values for delta.");
  EXPECT_EQ(msg([&] { F::smooth_l1_loss(x, rand({3, 4}), "mean", -1); }),
            "smooth_l1_loss does not support negative values for beta.");
  // A failed op leaves its inputs unchanged and records nothing.
  Tensor xs = x.clone().requires_grad_();
  EXPECT_THROW(F::cross_entropy(xs, ember::tensor({0, 9, 1})), IndexError);
  EXPECT_FALSE(xs.grad().defined());
}
