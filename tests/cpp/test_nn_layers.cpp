// The nn layer modules against PyTorch (tests/golden/gen_nn_layers.py): for each case the state_dict
// keys and printout, then PyTorch's state_dict loaded into ember's module, and the output and the
// gradients of the parameters and the input compared; initialisation statistics; argument errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <vector>

#include <ember/ember.h>
#include <ember/nn.h>

#include "golden.h"

using namespace ember;
using namespace ember::nn;

namespace {

golden::File& G() {
  static golden::File g("nn_layers");
  return g;
}

const nlohmann::json& strings() {
  static const nlohmann::json j = [] {
    const char* dir = std::getenv("EMBER_GOLDEN_DIR");
    std::ifstream in(std::string(dir ? dir : "tests/golden") + "/nn_layers.json");
    if (!in) throw std::runtime_error("golden: cannot open nn_layers.json");
    return nlohmann::json::parse(in)["strings"];
  }();
  return j;
}

using Forward = std::function<Tensor(const tensor_list&)>;

// Checks module m against case `name`: keys, printout, then with PyTorch's state_dict loaded the output
// and the gradients of the parameters and of the first input.
void check_case(Module& m, const std::string& name, const Forward& fwd = {}) {
  SCOPED_TRACE(name);
  const auto keys = strings().at(name + "/keys").get<std::vector<std::string>>();
  std::vector<std::string> ours;
  for (const auto& item : m.state_dict()) ours.push_back(item.first);
  EXPECT_EQ(ours, keys);
  EXPECT_EQ(m.repr(), strings().at(name + "/repr").get<std::string>());
  StateDict sd;
  for (const auto& k : keys) sd.insert(k, G()[name + "/sd/" + k]);
  m.to(kFloat64);
  m.load_state_dict(sd);
  tensor_list in;
  for (int i = 0; G().has(name + "/in" + std::to_string(i)); ++i) in.push_back(G()[name + "/in" + std::to_string(i)]);
  const bool grad_in = G().has(name + "/grad_in0");
  if (grad_in) in[0].requires_grad_(true);
  Tensor out = fwd ? fwd(in) : m(in.at(0));
  EXPECT_TRUE(golden::close(out.detach(), G()[name + "/out"], 1e-10, 1e-12));
  if (G().has(name + "/gout")) {
    out.backward(G()[name + "/gout"]);
    for (const auto& [k, p] : m.named_parameters()) {
      SCOPED_TRACE(k);
      ASSERT_TRUE(p.grad().defined());
      EXPECT_TRUE(golden::close(p.grad(), G()[name + "/grad/" + k], 1e-10, 1e-12));
    }
    if (grad_in) {
      // torch 1.13 scales hardsigmoid's float64 gradient by float32's 1/6 (docs/DIFFERENCES.md).
      const double rtol = name == "act_hardsigmoid" ? 3e-8 : 1e-10;
      EXPECT_TRUE(golden::close(in[0].grad(), G()[name + "/grad_in0"], rtol, 1e-12));
    }
  }
  for (const auto& [k, v] : m.named_buffers()) {
    if (G().has(name + "/sd_after/" + k)) {
      EXPECT_TRUE(golden::close(v, G()[name + "/sd_after/" + k], 1e-12, 1e-14)) << k;
    }
  }
}

std::vector<std::string> keys_of_state(const Module& m) {
  std::vector<std::string> r;
  for (const auto& item : m.state_dict()) r.push_back(item.first);
  return r;
}

template <class E, class F>
::testing::AssertionResult throws_with(F&& f, const std::string& part) {
  try {
    f();
  } catch (const E& e) {
    if (std::string(e.what()).find(part) != std::string::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "message: " << e.what() << "\nexpected to contain: " << part;
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "wrong exception type: " << e.what();
  }
  return ::testing::AssertionFailure() << "did not throw";
}

}  // namespace

// ---- convolutions ----

TEST(NnLayers, Conv2d) {
  Conv2d a(3, 4, 3);
  check_case(a, "conv2d");
  Conv2d b(4, 6, {3, 2}, {2, 1}, {1, 2}, {1, 2}, 2, false);
  check_case(b, "conv2d_args");
  Conv2d c(2, 3, {4, 3}, 1, "same", {1, 2});
  check_case(c, "conv2d_same");
  Conv2d d(2, 3, 3, 1, "valid");
  check_case(d, "conv2d_valid");
  for (const char* mode : {"reflect", "replicate", "circular"}) {
    Conv2d e(2, 3, 3, 1, {1, 2}, 1, 1, true, mode);
    check_case(e, std::string("conv2d_") + mode);
  }
  Conv2d f(2, 2, {2, 4}, 1, "same", 1, 1, true, "reflect");
  check_case(f, "conv2d_same_reflect");
}

TEST(NnLayers, Conv2dInit) {
  // kaiming_uniform_(a=sqrt(5)) and the bias both draw from U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
  Conv2d big(64, 128, 3);
  EXPECT_EQ(big.weight.dtype(), kFloat32);
  EXPECT_TRUE(big.weight.requires_grad());
  const double bound = 1 / std::sqrt(64.0 * 9);
  const double wmax = big.weight.abs().max().item<float>(), bmax = big.bias.abs().max().item<float>();
  EXPECT_LE(wmax, bound);
  EXPECT_LE(bmax, bound);
  EXPECT_NEAR(wmax, G()["init/conv2d_weight_absmax"].item<double>(), 1e-3 * bound);
  // 128 bias draws: the largest lies above 0.9 * bound except with probability 0.9^128 (as PyTorch's does).
  EXPECT_GT(bmax, 0.9 * bound);
  EXPECT_GT(G()["init/conv2d_bias_absmax"].item<double>(), 0.9 * bound);
  // std of U(-b, b) is b / sqrt(3); 73,728 draws put the sample std within 1% of it.
  EXPECT_NEAR(big.weight.std().item<float>(), G()["init/conv2d_weight_std"].item<double>(), 0.01 * bound);
}

TEST(NnLayers, Conv2dErrors) {
  EXPECT_TRUE(throws_with<Error>([] { Conv2d(3, 4, 3, 1, 0, 1, 2); }, "in_channels must be divisible by groups"));
  EXPECT_TRUE(throws_with<Error>([] { Conv2d(4, 3, 3, 1, 0, 1, 2); }, "out_channels must be divisible by groups"));
  EXPECT_TRUE(throws_with<Error>([] { Conv2d(4, 4, 3, 1, 0, 1, 0); }, "groups must be a positive integer"));
  EXPECT_TRUE(throws_with<Error>([] { Conv2d(2, 2, 3, 2, "same"); },
                                 "padding='same' is not supported for strided convolutions"));
  EXPECT_TRUE(throws_with<Error>([] { Conv2d(2, 2, 3, 1, "full"); }, "Invalid padding string 'full'"));
  EXPECT_TRUE(throws_with<Error>([] { Conv2d(2, 2, 3, 1, 0, 1, 1, true, "mirror"); },
                                 "padding_mode must be one of"));
  Conv2d c(3, 4, 3);
  EXPECT_TRUE(throws_with<Error>([&] { c(ember::randn({1, 2, 5, 5})); }, ""));
}

// ---- pooling ----

TEST(NnLayers, MaxPool2d) {
  MaxPool2d a(2);
  check_case(a, "maxpool2d");
  MaxPool2d b({3, 2}, {2, 1}, 1, {1, 2}, false, true);
  check_case(b, "maxpool2d_args");
  MaxPool2d c(2, 1, 0, 1, true);
  check_case(c, "maxpool2d_indices", [&](const tensor_list& in) {
    auto [values, indices] = c.forward_with_indices(in[0]);
    EXPECT_TRUE(golden::close(indices, G()["maxpool2d_indices/indices"], 0, 0));
    return values;
  });
}

TEST(NnLayers, ConvOthers) {
  Conv1d a(4, 6, 3, 2, 1, 1, 2);
  check_case(a, "conv1d");
  Conv1d b(2, 3, 3, 1, 2, 2, 1, true, "circular");
  check_case(b, "conv1d_circular");
  Conv3d c(2, 3, {2, 3, 2}, {1, 2, 1}, {1, 0, 1});
  check_case(c, "conv3d");
  ConvTranspose1d d(4, 2, 3, 2, 1, 1, 2);
  check_case(d, "convt1d");
  ConvTranspose2d e(3, 4, {3, 2}, {2, 1}, {1, 0}, {1, 0}, 1, false, {1, 2});
  check_case(e, "convt2d");
  ConvTranspose3d f(2, 2, 2, 2);
  check_case(f, "convt3d");
  EXPECT_TRUE(throws_with<Error>([] { ConvTranspose2d(2, 2, 3, 1, 0, 0, 1, true, 1, "reflect"); },
                                 "Only \"zeros\" padding mode is supported for ConvTranspose2d"));
}

TEST(NnLayers, PoolOthers) {
  MaxPool1d a(3, 2, 1);
  check_case(a, "maxpool1d");
  MaxPool3d b({2, 2, 1}, {}, 0, 1, false, true);
  check_case(b, "maxpool3d");
  MaxUnpool2d c(2);
  check_case(c, "maxunpool2d", [&](const tensor_list& in) { return c(in[0], in[1]); });
  AvgPool1d d(3, 2, 1, false, false);
  check_case(d, "avgpool1d");
  AvgPool2d e({3, 2}, {2, 1}, 1, true);
  check_case(e, "avgpool2d");
  AvgPool2d f(2, {}, 0, false, true, 3);
  check_case(f, "avgpool2d_div");
  AvgPool3d g(2, 1);
  check_case(g, "avgpool3d");
  AdaptiveAvgPool1d h(4);
  check_case(h, "adaptiveavgpool1d");
  AdaptiveAvgPool2d i({2, 3});
  check_case(i, "adaptiveavgpool2d");
  AdaptiveMaxPool2d j(3, true);
  check_case(j, "adaptivemaxpool2d", [&](const tensor_list& in) {
    auto [values, indices] = j.forward_with_indices(in[0]);
    EXPECT_TRUE(golden::close(indices, G()["adaptivemaxpool2d/indices"], 0, 0));
    return values;
  });
}

// ---- normalization ----

TEST(NnLayers, BatchNorm) {
  BatchNorm1d a(3);
  check_case(a, "batchnorm1d");
  BatchNorm1d b(3, 1e-5, 0.3, false);
  check_case(b, "batchnorm1d_3d");
  BatchNorm2d c(3);
  check_case(c, "batchnorm2d");
  BatchNorm3d d(2, 1e-3);
  check_case(d, "batchnorm3d");
  BatchNorm2d e(3, 1e-5, 0.1, true, false);
  check_case(e, "batchnorm2d_notrack");
  BatchNorm2d f(3);
  f.eval();
  check_case(f, "batchnorm2d_eval");
  EXPECT_EQ(f.num_batches_tracked.item<int64_t>(), 0);
  EXPECT_TRUE(throws_with<ValueError>([&] { c(ember::randn({2, 3})); }, "expected 4D input (got 2D input)"));
  EXPECT_TRUE(throws_with<ValueError>([&] { a(ember::randn({2, 3, 1, 1})); }, "expected 2D or 3D input (got 4D input)"));
}

TEST(NnLayers, BatchNormRunningStats) {
  // Three training steps then eval: exponential (momentum=0.2) and cumulative (momentum=None) averages.
  for (const char* name : {"bn_steps", "bn_steps_cma"}) {
    SCOPED_TRACE(name);
    const std::string n = name;
    BatchNorm2d bn(3, 1e-5, n == "bn_steps" ? std::optional<double>(0.2) : std::nullopt);
    EXPECT_EQ(bn.repr(), strings().at(n + "/repr").get<std::string>());
    bn.to(kFloat64);
    for (int i = 0; i < 3; ++i)
      EXPECT_TRUE(golden::close(bn(G()[n + "/x" + std::to_string(i)]).detach(), G()[n + "/y" + std::to_string(i)],
                                1e-10, 1e-12));
    for (const auto& [k, v] : bn.state_dict()) EXPECT_TRUE(golden::close(v, G()[n + "/sd_after/" + k], 1e-12, 1e-14)) << k;
    EXPECT_EQ(bn.num_batches_tracked.item<int64_t>(), 3);
    bn.eval();
    EXPECT_TRUE(golden::close(bn(G()[n + "/x_eval"]), G()[n + "/y_eval"], 1e-10, 1e-12));
    EXPECT_EQ(bn.num_batches_tracked.item<int64_t>(), 3);
  }
}

TEST(NnLayers, OtherNorms) {
  LayerNorm a({3, 4}, 1e-6);
  check_case(a, "layernorm");
  GroupNorm b(2, 4);
  check_case(b, "groupnorm");
  InstanceNorm2d c(3, 1e-5, 0.1, true, true);
  check_case(c, "instancenorm2d");
  InstanceNorm2d d(2);
  check_case(d, "instancenorm2d_plain");
  LocalResponseNorm e(3, 0.1, 0.6, 2.0);
  check_case(e, "localresponsenorm");
  EXPECT_TRUE(throws_with<ValueError>([] { GroupNorm(3, 4); }, "num_channels must be divisible by num_groups"));
}

TEST(NnLayers, RMSNorm) {
  // torch 1.13 has no RMSNorm: x / sqrt(mean(x^2) + eps) * weight, with PyTorch 2.4's printout.
  RMSNorm m({4}, 1e-6);
  EXPECT_EQ(m.repr(), "RMSNorm((4,), eps=1e-06, elementwise_affine=True)");
  EXPECT_EQ(keys_of_state(m), (std::vector<std::string>{"weight"}));
  m.to(kFloat64);
  {
    NoGradGuard g;
    m.weight.copy_(ember::tensor({0.5, -1.0, 2.0, 1.5}, kFloat64));
  }
  Tensor x = ember::tensor({1.0, 2.0, -3.0, 0.5, 0.0, 1.0, 2.0, -1.0}, kFloat64).view({2, 4});
  const double r0 = std::sqrt((1 + 4 + 9 + 0.25) / 4 + 1e-6), r1 = std::sqrt((0 + 1 + 4 + 1) / 4.0 + 1e-6);
  Tensor expected = ember::tensor({0.5 / r0, -2.0 / r0, -6.0 / r0, 0.75 / r0, 0.0, -1.0 / r1, 4.0 / r1, -1.5 / r1},
                                  kFloat64).view({2, 4});
  EXPECT_TRUE(golden::close(m(x), expected, 1e-12, 1e-14));
  EXPECT_EQ(RMSNorm({2, 3}, std::nullopt, false).repr(), "RMSNorm((2, 3), eps=None, elementwise_affine=False)");
}

// ---- activations ----

TEST(NnLayers, Activations) {
  std::vector<std::pair<std::string, std::shared_ptr<Module>>> mods = {
      {"relu6", std::make_shared<ReLU6>()},
      {"leakyrelu", std::make_shared<LeakyReLU>(0.2)},
      {"elu", std::make_shared<ELU>(0.5)},
      {"selu", std::make_shared<SELU>()},
      {"celu", std::make_shared<CELU>(1.5)},
      {"gelu", std::make_shared<GELU>()},
      {"gelu_tanh", std::make_shared<GELU>("tanh")},
      {"silu", std::make_shared<SiLU>()},
      {"mish", std::make_shared<Mish>()},
      {"hardtanh", std::make_shared<Hardtanh>(-2.0, 1.5)},
      {"hardsigmoid", std::make_shared<Hardsigmoid>()},
      {"hardswish", std::make_shared<Hardswish>()},
      {"softplus", std::make_shared<Softplus>()},
      {"softplus_args", std::make_shared<Softplus>(2.0, 3.0)},
      {"softsign", std::make_shared<Softsign>()},
      {"softmax", std::make_shared<Softmax>(1)},
      {"logsoftmax", std::make_shared<LogSoftmax>(0)},
      {"softmin", std::make_shared<Softmin>(-1)},
      {"glu", std::make_shared<GLU>()},
      {"threshold", std::make_shared<Threshold>(0.5, -1.0)},
      {"logsigmoid", std::make_shared<LogSigmoid>()},
      {"tanhshrink", std::make_shared<Tanhshrink>()},
      {"softshrink", std::make_shared<Softshrink>(0.7)},
      {"hardshrink", std::make_shared<Hardshrink>(1.2)},
  };
  for (auto& [name, m] : mods) check_case(*m, "act_" + name);
  PReLU p(3);
  check_case(p, "prelu");
  PReLU p1(1, 0.1);
  check_case(p1, "prelu1");
  Softmax sm;
  check_case(sm, "softmax_none");
  EXPECT_EQ(ReLU6(true).repr(), strings().at("relu6_inplace/repr").get<std::string>());
  EXPECT_EQ(ELU(1.0, true).repr(), strings().at("elu_inplace/repr").get<std::string>());
  // PReLU's default init is 0.25 for every slope.
  PReLU q(4);
  EXPECT_TRUE(golden::close(q.weight.detach(), ember::full({4}, 0.25), 0, 0));
}

TEST(NnLayers, ActivationInplace) {
  Tensor x = ember::tensor({-2.0, 3.0, 7.0});
  ReLU6 r(true);
  Tensor y = r(x);
  EXPECT_TRUE(golden::close(x, ember::tensor({0.0, 3.0, 6.0}), 0, 0));
  EXPECT_TRUE(golden::close(y, x, 0, 0));
}

// ---- dropout ----

TEST(NnLayers, Dropout) {
  EXPECT_EQ(Dropout2d(0.3).repr(), strings().at("dropout2d/repr").get<std::string>());
  EXPECT_EQ(AlphaDropout(0.2).repr(), strings().at("alphadropout/repr").get<std::string>());
  EXPECT_EQ(Dropout1d(0.5, true).repr(), strings().at("dropout1d/repr").get<std::string>());
  EXPECT_EQ(FeatureAlphaDropout().repr(), strings().at("featurealphadropout/repr").get<std::string>());
  Tensor x = ember::randn({8, 16, 5, 5});
  Dropout2d d(0.5);
  // Training: each (sample, channel) plane is all zero or all scaled by 2.
  Tensor y = d(x);
  Tensor ratio = (y / x).view({8 * 16, 25});
  int zeros = 0;
  for (int64_t i = 0; i < 8 * 16; ++i) {
    const double lo = ratio[i].min().item<float>(), hi = ratio[i].max().item<float>();
    EXPECT_EQ(lo, hi);
    EXPECT_TRUE(lo == 0 || std::abs(lo - 2) < 1e-6) << lo;
    zeros += lo == 0;
  }
  EXPECT_GT(zeros, 30);  // about 64 of 128 expected
  EXPECT_LT(zeros, 98);
  d.eval();
  EXPECT_TRUE(golden::close(d(x), x, 0, 0));
  AlphaDropout a(0.2);
  a.eval();
  EXPECT_TRUE(golden::close(a(x), x, 0, 0));
  EXPECT_TRUE(throws_with<ValueError>([] { Dropout2d(1.5); }, "dropout probability has to be between 0 and 1"));
}

// ---- embeddings ----

TEST(NnLayers, Embedding) {
  Embedding a(6, 3, -2);
  EXPECT_EQ(*a.padding_idx, 4);
  EXPECT_TRUE(golden::close(a.weight[4].detach(), ember::zeros({3}), 0, 0));
  check_case(a, "embedding");
  Embedding b(5, 4, std::nullopt, 1.0, 2.0, true);
  check_case(b, "embedding_maxnorm");
  EmbeddingBag c(6, 3, std::nullopt, 2.0, false, "sum");
  check_case(c, "embeddingbag", [&](const tensor_list& in) { return c(in[0], in[1], in[2]); });
  EmbeddingBag d(5, 2, std::nullopt, 2.0, false, "max", false, {}, false, 0);
  check_case(d, "embeddingbag_max");
  auto e = Embedding::from_pretrained(G()["from_pretrained/weight"], true, 1);
  EXPECT_EQ(e->repr(), strings().at("from_pretrained/repr").get<std::string>());
  EXPECT_FALSE(e->weight.requires_grad());
  EXPECT_TRUE(golden::close((*e)(ember::tensor({3, 1}, kInt64)), G()["from_pretrained/out"], 0, 0));
  EXPECT_TRUE(throws_with<Error>([] { Embedding(3, 2, 3); }, "Padding_idx must be within num_embeddings"));
}

// ---- resampling, padding, fold ----

TEST(NnLayers, ResamplePadFold) {
  Upsample a({}, {2.0});
  check_case(a, "upsample_nearest");
  Upsample b({4, 5}, {}, "bilinear", true);
  check_case(b, "upsample_bilinear");
  PixelShuffle c(2);
  check_case(c, "pixelshuffle");
  PixelUnshuffle d(2);
  check_case(d, "pixelunshuffle");
  ZeroPad2d e({1, 2, 0, 3});
  check_case(e, "zeropad2d");
  ReflectionPad2d f(2);
  check_case(f, "reflectionpad2d");
  ReplicationPad2d g({1, 0, 2, 1});
  check_case(g, "replicationpad2d");
  ConstantPad2d h(1, 3.5);
  check_case(h, "constantpad2d");
  Fold i({4, 5}, 2);
  check_case(i, "fold");
  Unfold j(2, 1, 1, {1, 2});
  check_case(j, "unfold");
}

// ---- losses ----

namespace {
template <class L>
void check_loss(L& loss, const std::string& name) {
  check_case(loss, name, [&](const tensor_list& in) {
    if constexpr (std::is_invocable_v<L&, const Tensor&, const Tensor&>) {
      if (in.size() == 2) return loss(in[0], in[1]);
    }
    if constexpr (std::is_invocable_v<L&, const Tensor&, const Tensor&, const Tensor&>) {
      if (in.size() == 3) return loss(in[0], in[1], in[2]);
    }
    throw std::runtime_error("unexpected input count");
  });
}
Tensor w(const std::string& name) { return G()[name + "/sd/weight"].to(kFloat32); }
}  // namespace

TEST(NnLayers, Losses) {
  CrossEntropyLoss a;
  check_loss(a, "crossentropy");
  CrossEntropyLoss b(w("crossentropy_args"), 2, "mean", 0.1);
  check_loss(b, "crossentropy_args");
  CrossEntropyLoss c(std::nullopt, -100, "sum");
  check_loss(c, "crossentropy_probs");
  NLLLoss d(w("nllloss"), -100, "none");
  check_loss(d, "nllloss");
  BCELoss e(w("bceloss"));
  check_loss(e, "bceloss");
  BCEWithLogitsLoss f(std::nullopt, "mean", G()["bcewithlogits/sd/pos_weight"]);
  check_loss(f, "bcewithlogits");
  MSELoss g;
  check_loss(g, "mseloss");
  L1Loss h("sum");
  check_loss(h, "l1loss");
  SmoothL1Loss i("mean", 0.5);
  check_loss(i, "smoothl1loss");
  HuberLoss j("none", 0.7);
  check_loss(j, "huberloss");
  KLDivLoss k("batchmean");
  check_loss(k, "kldivloss");
  KLDivLoss l("sum", true);
  check_loss(l, "kldivloss_logt");
  PoissonNLLLoss m(true, true);
  check_loss(m, "poissonnllloss");
  GaussianNLLLoss n;
  check_loss(n, "gaussiannllloss");
  CosineEmbeddingLoss o(0.2);
  check_loss(o, "cosineembeddingloss");
  MarginRankingLoss p(0.1);
  check_loss(p, "marginrankingloss");
  TripletMarginLoss q(0.5, 1.5, 1e-6, true);
  check_loss(q, "tripletmarginloss");
  HingeEmbeddingLoss r(0.5);
  check_loss(r, "hingeembeddingloss");
  MultiLabelSoftMarginLoss s(w("multilabelsoftmarginloss"));
  check_loss(s, "multilabelsoftmarginloss");
  MultiMarginLoss t(2, 0.5);
  check_loss(t, "multimarginloss");
  CTCLoss u(0, "mean", true);
  check_case(u, "ctcloss", [&](const tensor_list& in) { return u(in[0], in[1], in[2], in[3]); });
  MSELoss bad("average");
  EXPECT_TRUE(throws_with<ValueError>([&] { bad(ember::zeros({2}), ember::zeros({2})); },
                                      "average is not a valid value for reduction"));
}

TEST(NnLayers, LossHooks) {
  // A forward hook sees both inputs of a two-input loss and may replace the output.
  MSELoss loss;
  int calls = 0;
  loss.register_forward_hook([&](Module&, const tensor_list& in, const tensor_list& out) {
    ++calls;
    EXPECT_EQ(in.size(), 2u);
    return std::optional<tensor_list>(tensor_list{out[0] * 2});
  });
  Tensor y = loss(ember::tensor({1.0, 2.0}), ember::tensor({0.0, 0.0}));
  EXPECT_EQ(calls, 1);
  EXPECT_NEAR(y.item<float>(), 5.0, 1e-6);
}
