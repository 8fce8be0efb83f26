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
      EXPECT_TRUE(golden::close(in[0].grad(), G()[name + "/grad_in0"], 1e-10, 1e-12));
    }
  }
  for (const auto& [k, v] : m.named_buffers()) {
    if (G().has(name + "/sd_after/" + k)) {
      EXPECT_TRUE(golden::close(v, G()[name + "/sd_after/" + k], 1e-12, 1e-14)) << k;
    }
  }
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
  EXPECT_NEAR(bmax, G()["init/conv2d_bias_absmax"].item<double>(), 0.05 * bound);
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
