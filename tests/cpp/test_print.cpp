// Tensor printing against repr(torch_tensor) (tests/golden/gen_print.py writes print.json), with
// "torch." replaced by "ember." in PyTorch's strings: the only intended difference.
#include <sstream>

#include "golden.h"

using namespace ember;

namespace {

nlohmann::json load_print_json() {
  const char* dir = std::getenv("EMBER_GOLDEN_DIR");
  std::ifstream in(std::string(dir ? dir : "tests/golden") + "/print.json");
  if (!in) throw std::runtime_error("cannot open print.json");
  return nlohmann::json::parse(in);
}

std::string to_ember(std::string s) {
  for (size_t p = s.find("torch."); p != std::string::npos; p = s.find("torch.", p)) s.replace(p, 6, "ember.");
  return s;
}

}  // namespace

TEST(Print, MatchesTorchRepr) {
  nlohmann::json j = load_print_json();
  golden::File g("print");
  ASSERT_GT(j["reprs"].size(), 50u);
  for (const auto& [name, repr] : j["reprs"].items()) {
    SCOPED_TRACE(name);
    Tensor t = g[name];
    if (j["views"].contains(name)) {
      const auto& v = j["views"][name];
      t = t.as_strided(v["size"].get<std::vector<int64_t>>(), v["stride"].get<std::vector<int64_t>>(),
                       v["offset"].get<int64_t>());
    }
    std::string autograd = j["autograd"][name].get<std::string>();
    if (autograd == "requires_grad") t.requires_grad_(true);
    if (autograd == "mul2") t = t.requires_grad_(true) * 2;
    EXPECT_EQ(t.toString(), to_ember(repr.get<std::string>()));
  }
}

TEST(Print, StreamOperatorAndDefaults) {
  std::ostringstream os;
  os << tensor({{1.0, 2.0}, {3.0, 4.0}});
  EXPECT_EQ(os.str(), "tensor([[1., 2.],\n        [3., 4.]])");
  EXPECT_EQ(tensor(3.5).toString(), "tensor(3.5000)");
  EXPECT_EQ(tensor({true, false}).toString(), "tensor([ True, False])");
  EXPECT_EQ(zeros({0, 3}).toString(), "tensor([], size=(0, 3))");
  // The dtype suffix is relative to the default dtype.
  set_default_dtype(kFloat64);
  EXPECT_EQ(tensor({1.5}).toString(), "tensor([1.5000])");
  EXPECT_EQ(tensor({1.5}, kFloat32).toString(), "tensor([1.5000], dtype=ember.float32)");
  set_default_dtype(kFloat32);
  EXPECT_EQ(Tensor().toString(), "tensor(undefined)");
}
