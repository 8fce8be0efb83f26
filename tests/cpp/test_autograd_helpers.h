#pragma once
// Small helpers shared by the autograd tests: element access and comparison against hand-derived values.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include <ember/ember.h>

namespace agtest {

inline std::vector<double> values(const ember::Tensor& t) {
  ember::Tensor c = t.detach().to(ember::kFloat64).contiguous();
  const double* p = c.data_ptr<double>();
  return std::vector<double>(p, p + c.numel());
}

inline ::testing::AssertionResult near(const ember::Tensor& t, const std::vector<double>& expected,
                                       double tol = 1e-10) {
  if (!t.defined()) return ::testing::AssertionFailure() << "tensor is undefined";
  std::vector<double> v = values(t);
  if (v.size() != expected.size())
    return ::testing::AssertionFailure() << "numel " << v.size() << " != expected " << expected.size();
  for (size_t i = 0; i < v.size(); ++i)
    if (!(std::abs(v[i] - expected[i]) <= tol * (1 + std::abs(expected[i]))))
      return ::testing::AssertionFailure() << "element " << i << ": " << v[i] << " != expected " << expected[i];
  return ::testing::AssertionSuccess();
}

// Runs `f`, expecting it to throw `E` with a message containing `text`.
template <class E, class F>
::testing::AssertionResult throws_with(F&& f, const std::string& text) {
  try {
    f();
  } catch (const E& e) {
    std::string msg = e.what();
    if (msg.find(text) != std::string::npos) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "message \"" << msg << "\" lacks \"" << text << "\"";
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw another type: " << e.what();
  }
  return ::testing::AssertionFailure() << "did not throw";
}

inline ember::Tensor leaf(std::vector<double> v, ember::DType dt = ember::kFloat64) {
  return ember::tensor(v, ember::TensorOptions(dt)).requires_grad_();
}

}  // namespace agtest
