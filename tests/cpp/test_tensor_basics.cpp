#include <gtest/gtest.h>

#include <ember/ember.h>

using namespace ember;

TEST(Tensor, FactoriesAndItem) {
  Tensor t = full({2, 3}, 2.5);
  EXPECT_EQ(t.dtype(), kFloat32);
  EXPECT_EQ(t.numel(), 6);
  EXPECT_EQ(t.sizes(), IntArrayRef({2, 3}));
  EXPECT_EQ(t.strides(), IntArrayRef({3, 1}));
  EXPECT_DOUBLE_EQ(t.sum().item<double>(), 15.0);
  EXPECT_EQ(full({2}, 3).dtype(), kInt64);
  EXPECT_EQ(tensor({1, 2, 3}).dtype(), kInt64);
  EXPECT_EQ(tensor({1.0, 2.0}).dtype(), kFloat32);
  EXPECT_EQ(tensor({{1, 2}, {3, 4}}).sizes(), IntArrayRef({2, 2}));
}

TEST(Tensor, BroadcastAddAndPromotion) {
  Tensor a = tensor({{1.0, 2.0, 3.0}});           // (1, 3)
  Tensor b = tensor({{10.0}, {20.0}});             // (2, 1)
  Tensor c = a + b;                                 // (2, 3)
  EXPECT_EQ(c.sizes(), IntArrayRef({2, 3}));
  EXPECT_FLOAT_EQ(c.sum().item<float>(), 6.0f * 2 + 30.0f * 3);
  EXPECT_EQ((tensor({1, 2}) * 2.5).dtype(), kFloat32);
  EXPECT_EQ((ones({2}, kFloat16) + 2.5).dtype(), kFloat16);
  EXPECT_EQ((ones({2}, kInt8) + 1000).dtype(), kInt8);
  EXPECT_EQ((ones({2}, kUInt8) + ones({}, kInt64)).dtype(), kUInt8);
  EXPECT_EQ((ones({2}, kInt32) / 2).dtype(), kFloat32);
  EXPECT_THROW(ones({3}) + ones({4}), Error);
  try {
    ones({2, 3}) + ones({2, 4});
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1");
  }
}

TEST(Autograd, MulSumBackward) {
  Tensor x = tensor({1.0, 2.0, 3.0}, requires_grad());
  Tensor y = (x * x).sum();
  y.backward();
  // d/dx sum(x^2) = 2x, by hand.
  EXPECT_FLOAT_EQ(x.grad().sum().item<float>(), 12.0f);
  EXPECT_EQ(y.grad_fn()->name(), "SumBackward0");  // full sum, as PyTorch names it
}
