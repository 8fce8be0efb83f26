#pragma once
// Helpers shared by the shape family's tests: the golden inputs rebuilt with PyTorch's geometry, and an
// error check that asserts the exact exception class and a piece of PyTorch's wording.
#include <typeinfo>

#include "golden.h"

namespace shape_test {

using namespace ember;

// The inputs of tests/golden/gen_shape.py; at, ms and me are non-contiguous views of a, m and v built
// as there, so views of them have PyTorch's strides and offsets.
struct Inputs {
  Tensor a, m, v, s, ints, at, ms, me;
};

inline Inputs load(const golden::File& g) {
  Inputs x;
  x.a = g["a"];
  x.m = g["m"];
  x.v = g["v"];
  x.s = g["s"];
  x.ints = g["ints"];
  x.at = x.a.transpose(0, 2);
  x.ms = x.m.slice(1, std::nullopt, std::nullopt, 2);
  x.me = x.v.narrow(0, 0, 4).unsqueeze(1).expand({4, 3});
  return x;
}

inline std::vector<int64_t> int_list(const Tensor& t) {
  Tensor c = t.contiguous();
  return std::vector<int64_t>(c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel());
}

template <class E, class F>
void expect_error(F f, const std::string& msg) {
  try {
    f();
    ADD_FAILURE() << "expected an error containing: " << msg;
  } catch (const std::exception& e) {
    EXPECT_EQ(typeid(e).name(), typeid(E).name()) << "wrong exception class for: " << e.what();
    EXPECT_NE(std::string(e.what()).find(msg), std::string::npos) << "message: " << e.what() << "\nexpected: " << msg;
  }
}

}  // namespace shape_test
