#pragma once
// Shared by the nn tests: the strings of tests/golden/nn.json (key lists, printouts, error messages) and
// a check that a call throws a given error type with a given message.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include <ember/nn.h>

#include "golden.h"

namespace nntest {

inline const nlohmann::json& strings() {
  static const nlohmann::json j = [] {
    const char* dir = std::getenv("EMBER_GOLDEN_DIR");
    std::ifstream in(std::string(dir ? dir : "tests/golden") + "/nn.json");
    if (!in) throw std::runtime_error("golden: cannot open nn.json");
    return nlohmann::json::parse(in)["strings"];
  }();
  return j;
}

// PyTorch's text with its module name replaced by ember's.
inline std::string text(const std::string& key) {
  std::string s = strings().at(key).get<std::string>();
  for (size_t p = s.find("torch."); p != std::string::npos; p = s.find("torch.", p)) s.replace(p, 6, "ember.");
  return s;
}

inline std::vector<std::string> list(const std::string& key) { return strings().at(key).get<std::vector<std::string>>(); }

template <class M>
std::vector<std::string> keys_of(const M& dict) {
  std::vector<std::string> r;
  for (const auto& item : dict) r.push_back(item.first);
  return r;
}

// Runs f and checks that it throws E whose message equals `msg` exactly.
template <class E, class F>
::testing::AssertionResult throws_exactly(F&& f, const std::string& msg) {
  try {
    f();
  } catch (const E& e) {
    if (std::string(e.what()) == msg) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "message:\n" << e.what() << "\nexpected:\n" << msg;
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "wrong exception type: " << e.what();
  }
  return ::testing::AssertionFailure() << "did not throw";
}

// Runs f and checks that it throws E whose message contains `part`.
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

}  // namespace nntest
