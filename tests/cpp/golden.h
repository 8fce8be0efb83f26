#pragma once
// Loads the golden tensors that tests/golden/gen_<family>.py wrote from PyTorch, by name, and compares
// ember's results with them.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <ember/ember.h>

namespace golden {

inline ember::DType parse_dtype(const std::string& s) {
  using namespace ember;
  for (DType t : {kUInt8, kInt8, kInt16, kInt32, kInt64, kFloat16, kFloat32, kFloat64, kBool, kBFloat16})
    if (dtype_name(t) == s) return t;
  throw std::runtime_error("golden: unknown dtype " + s);
}

inline double parse_value(const nlohmann::json& v) {
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s == "nan") return std::nan("");
    if (s == "inf") return INFINITY;
    if (s == "-inf") return -INFINITY;
  }
  if (v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
  return v.get<double>();
}

class File {
 public:
  explicit File(const std::string& family) {
    const char* dir = std::getenv("EMBER_GOLDEN_DIR");
    std::string path = std::string(dir ? dir : "tests/golden") + "/" + family + ".json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("golden: cannot open " + path);
    json_ = nlohmann::json::parse(in)["tensors"];
  }
  // The named tensor, in its dtype, contiguous.
  ember::Tensor operator[](const std::string& name) const {
    auto it = json_.find(name);
    if (it == json_.end()) throw std::runtime_error("golden: no tensor named " + name);
    const auto& j = *it;
    std::vector<int64_t> shape = j["shape"].get<std::vector<int64_t>>();
    std::vector<double> vals;
    for (const auto& v : j["data"]) vals.push_back(parse_value(v));
    ember::Tensor t64 = ember::empty(shape, ember::kFloat64);
    std::copy(vals.begin(), vals.end(), t64.data_ptr<double>());
    ember::DType dt = parse_dtype(j["dtype"].get<std::string>());
    if (dt == ember::kInt64) {  // int64 values above 2^53 would not survive a trip through double
      ember::Tensor t = ember::empty(shape, ember::kInt64);
      int64_t* p = t.data_ptr<int64_t>();
      for (const auto& v : j["data"]) *p++ = v.get<int64_t>();
      return t;
    }
    return t64.to(dt);
  }
  bool has(const std::string& name) const { return json_.contains(name); }
  // Every tensor name in the file, in the file's order.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (auto it = json_.begin(); it != json_.end(); ++it) out.push_back(it.key());
    return out;
  }

 private:
  nlohmann::json json_;
};

// Asserts equal shape and dtype, and values within atol + rtol * |expected| (NaN matches NaN).
inline ::testing::AssertionResult close(const ember::Tensor& actual, const ember::Tensor& expected, double rtol = 1e-5,
                                        double atol = 1e-8) {
  if (!actual.sizes().equals(expected.sizes()))
    return ::testing::AssertionFailure() << "shape " << actual.sizes() << " != expected " << expected.sizes();
  if (actual.dtype() != expected.dtype())
    return ::testing::AssertionFailure() << "dtype " << actual.dtype() << " != expected " << expected.dtype();
  ember::Tensor a = actual.to(ember::kFloat64).contiguous(), e = expected.to(ember::kFloat64).contiguous();
  const double* pa = a.data_ptr<double>();
  const double* pe = e.data_ptr<double>();
  for (int64_t i = 0; i < a.numel(); ++i) {
    double x = pa[i], y = pe[i];
    if (std::isnan(x) && std::isnan(y)) continue;
    if (x == y) continue;
    if (!(std::abs(x - y) <= atol + rtol * std::abs(y)))
      return ::testing::AssertionFailure() << "element " << i << ": " << x << " vs expected " << y;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace golden
